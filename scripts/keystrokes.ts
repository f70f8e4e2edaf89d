/**
 * Where the benchmarks and profilers type: one character near the middle of a generated topology (then
 * deleted again). A digit of a description changes no finding; a digit before a call's timeout (450ms
 * becomes 9450ms) does: the first timeout after the middle whose edit changes the findings, chosen with
 * the core before anything is timed. Shared by bench.ts, profile-server.ts and profile-keystrokes.ts, so
 * their figures are about the same keystrokes.
 */
import { analyze, parseFile, RULES } from '../server/src/core';

export type Keystroke = 'description' | 'timeout';
export const KINDS: readonly Keystroke[] = ['description', 'timeout'];

export const descriptionAt = (text: string): number => text.indexOf('description: Service', Math.floor(text.length / 2)) + 'description: Service '.length;

const chosenTimeout = new Map<string, number>();

export function timeoutAt(text: string): number {
  const known = chosenTimeout.get(text);
  if (known !== undefined) return known;
  const findings = (t: string) => analyze([parseFile('file:///b.topology.yaml', t, RULES)], RULES).findings.map((f) => `${f.rule} ${f.message}`).sort().join('\n');
  const base = findings(text);
  let at = text.indexOf('timeout: ', Math.floor(text.length / 2)) + 'timeout: '.length;
  for (let tries = 0; tries < 10 && findings(text.slice(0, at) + '9' + text.slice(at)) === base; tries++) at = text.indexOf('timeout: ', at) + 'timeout: '.length;
  chosenTimeout.set(text, at);
  return at;
}

export const KEYSTROKES: Record<Keystroke, (text: string) => number> = { description: descriptionAt, timeout: timeoutAt };
