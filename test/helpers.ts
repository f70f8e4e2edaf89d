/**
 * Data-driven test helpers. A test writes YAML with the expected finding spans marked by « and », runs
 * one rule (or all), and compares rule ids, spans and message ids; a fix test applies a quick fix and
 * re-analyses the text after it.
 */
import assert from 'node:assert/strict';
import { analyze, applyEdits, fixesFor, parseFile, RULES, type AnalysisResult, type Finding, type RuleSettings } from '../server/src/core';

export const URI = 'file:///test/system.topology.yaml';

/** Removes « » markers and returns the text and the marked spans, in order. */
export function marked(src: string): { text: string; spans: { start: number; end: number }[] } {
  const spans: { start: number; end: number }[] = [];
  let text = '';
  let open = -1;
  for (const ch of src) {
    if (ch === '«') open = text.length;
    else if (ch === '»') {
      spans.push({ start: open, end: text.length });
      open = -1;
    } else text += ch;
  }
  return { text, spans };
}

/** Strips the common indentation of a template literal, so tests can indent YAML with the code. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  let s = strings.reduce((acc, str, i) => acc + str + (i < values.length ? String(values[i]) : ''), '');
  s = s.replace(/^\n/, '').replace(/\n[ ]*$/, '\n');
  const indents = s.split('\n').filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length);
  const min = Math.min(...indents);
  return s.split('\n').map((l) => l.slice(min)).join('\n');
}

export function run(text: string, settings: RuleSettings = {}): AnalysisResult {
  return analyze([parseFile(URI, text, RULES)], RULES, settings);
}

export function findingsOf(result: AnalysisResult, rule: string): Finding[] {
  return result.findings.filter((f) => f.rule === rule);
}

export interface Expected {
  readonly messageId?: string;
  readonly severity?: string;
  readonly accepted?: boolean;
  /** Substrings the message must contain. */
  readonly includes?: readonly string[];
}

/**
 * Asserts that `rule` reports exactly the marked spans (in document order), each matching `expected`
 * at the same index. Returns the findings for further checks.
 */
export function expectFindings(rule: string, src: string, expected: readonly Expected[] = [], settings: RuleSettings = {}): Finding[] {
  const { text, spans } = marked(src);
  const found = findingsOf(run(text, settings), rule);
  const show = (f: Finding) => `${f.messageId} «${text.slice(f.span.start, f.span.end)}» @${f.span.start}-${f.span.end}: ${f.message}`;
  assert.equal(found.length, spans.length, `${rule}: expected ${spans.length} finding(s), got ${found.length}:\n${found.map(show).join('\n')}`);
  found.forEach((f, i) => {
    assert.deepEqual({ start: f.span.start, end: f.span.end }, spans[i], `${rule} finding ${i}: wrong span: ${show(f)}; expected «${text.slice(spans[i].start, spans[i].end)}»`);
    const e = expected[i] ?? expected[0];
    if (!e) return;
    if (e.messageId) assert.equal(f.messageId, e.messageId, show(f));
    if (e.severity) assert.equal(f.severity, e.severity, show(f));
    if (e.accepted !== undefined) assert.equal(!!f.accepted, e.accepted, show(f));
    for (const s of e.includes ?? []) assert.ok(f.message.includes(s), `message lacks '${s}': ${f.message}`);
  });
  return found;
}

/** Asserts a rule reports nothing on a text (a `valid` table row). */
export function expectClean(rule: string, text: string, settings: RuleSettings = {}): void {
  const found = findingsOf(run(text, settings), rule);
  assert.equal(found.length, 0, `${rule}: expected no findings, got:\n${found.map((f) => `${f.messageId}: ${f.message}`).join('\n')}`);
}

/**
 * Applies the fix whose title matches `title` on the first finding of `rule` and returns the text after
 * it. Asserts that the text after the fix parses with no new yaml-syntax or schema errors.
 */
export function applyFix(text: string, rule: string, title: RegExp, settings: RuleSettings = {}, which = 0): string {
  const result = run(text, settings);
  const finding = findingsOf(result, rule)[which];
  assert.ok(finding, `no ${rule} finding to fix`);
  const fixes = fixesFor(finding, result, RULES, settings);
  const fix = fixes.find((f) => title.test(f.title));
  assert.ok(fix, `no fix matching ${title} among: ${fixes.map((f) => f.title).join(' | ')}`);
  const after = applyEdits(text, fix.edits.filter((e) => e.uri === URI));
  const before = structuralErrors(result);
  const now = structuralErrors(run(after, settings));
  assert.ok(now <= before, `the fix added yaml-syntax/schema errors:\n${after}\n${run(after, settings).findings.filter((f) => f.rule === 'yaml-syntax' || f.rule === 'schema').map((f) => f.message).join('\n')}`);
  return after;
}

function structuralErrors(r: AnalysisResult): number {
  return r.findings.filter((f) => (f.rule === 'yaml-syntax' || f.rule === 'schema' || f.rule === 'unknown-reference') && f.severity === 'error').length;
}

/** The lines a fix removed and added: what is left once the common leading and trailing lines are cut. */
export function diffLines(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  let top = 0;
  while (top < a.length && top < b.length && a[top] === b[top]) top++;
  let bottom = 0;
  while (bottom < a.length - top && bottom < b.length - top && a[a.length - 1 - bottom] === b[b.length - 1 - bottom]) bottom++;
  return { removed: a.slice(top, a.length - bottom), added: b.slice(top, b.length - bottom) };
}

/** The same text with CRLF line endings. */
export const crlf = (s: string): string => s.replace(/\n/g, '\r\n');
