/**
 * The fuzz harness: seeded, in process. It mutates the examples with YAML tokens, prototype names, deep
 * nesting and huge scalars, and runs each input through what the editor and the CLI run (parse, analyse,
 * every finding's fixes, occurrences, completion, summaries). Any throw, and any input that takes over
 * `slowMs`, is a failure; the failing inputs are written to test/fixtures/fuzz/ by the runner so that
 * test/fuzz/regressions.test.ts keeps them.
 */
import { analyze, fixesFor, parseFile, RULES } from '../../server/src/core';
import { occurrences } from '../../server/src/core/navigation';
import { complete } from '../../server/src/core/completion';
import { serviceStats } from '../../server/src/core/summary';
import { exampleFiles } from '../examples';

/** A small, fast, seeded generator (mulberry32): the same seed gives the same inputs on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'prototype', 'valueOf', '__defineGetter__', 'isPrototypeOf'];

const TOKENS = [
  ':', ': ', '- ', '[', ']', '{', '}', ',', '"', "'", '#', '&a ', '*a', '!!str ', '!!map ', '? ', '|', '>-', '\t', '\n', '\r\n', '---\n', '...\n', '%YAML 1.2\n',
  '~', 'null', 'true', '0x1F', '1e400', '-0', '.nan', '.inf', '2s', '99.9%', '1MB', '-1', '1e-9ms', '\u0000', '\ufffd', '\u2028', '\u202e', '\u001b[2J', '\u0085',
  '<<: *a\n', 'calls:\n  - to: ', 'to: ', 'style: async', 'publishes: [', 'subscribes: [', 'uses: [', 'accept:\n  - rule: ', 'reason: ', 'imports: [', '../', 'file:///etc/passwd', '/dev/zero',
];

/** One mutation of `text`, chosen by `r`. */
export function mutate(text: string, r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const at = Math.floor(r() * (text.length + 1));
  switch (Math.floor(r() * 9)) {
    case 0:
      return text.slice(0, at) + pick(TOKENS) + text.slice(at);
    case 1: {
      const len = Math.floor(r() * 40);
      return text.slice(0, at) + text.slice(at + len);
    }
    case 2:
      return text.slice(0, at) + pick(PROTOTYPE_NAMES) + text.slice(at);
    case 3: {
      // Replace an identifier-like word with a prototype name: as a key, as an id, as a reference.
      const words = [...text.matchAll(/[A-Za-z][\w-]{2,}/g)];
      if (!words.length) return text;
      const w = pick(words);
      const name = pick(PROTOTYPE_NAMES);
      return text.split(w[0]).join(name);
    }
    case 4: {
      const n = 1 + Math.floor(r() * (r() < 0.1 ? 5000 : 80));
      const open = pick(['[', '{', '- ', '{a: ', '[{x: ']);
      const close = open === '[' ? ']' : open === '{' ? '}' : open === '{a: ' ? '}' : open === '[{x: ' ? '}]' : '';
      return text.slice(0, at) + open.repeat(n) + (r() < 0.5 ? close.repeat(n) : '') + text.slice(at);
    }
    case 5: {
      const n = Math.floor(r() * (r() < 0.1 ? 200_000 : 2000));
      return text.slice(0, at) + pick(['x', 'a ', '9', '"', '#', ' ', '\n']).repeat(n) + text.slice(at);
    }
    case 6: {
      // Duplicate a line range somewhere else (keys repeated, indentation mixed).
      const a = Math.floor(r() * text.length);
      const b = Math.min(text.length, a + Math.floor(r() * 300));
      return text.slice(0, at) + text.slice(a, b) + text.slice(at);
    }
    case 7: {
      // Re-indent a line.
      const nl = text.lastIndexOf('\n', at - 1) + 1;
      return text.slice(0, nl) + ' '.repeat(Math.floor(r() * 9)) + text.slice(nl);
    }
    default:
      return text.slice(0, at) + String.fromCharCode(Math.floor(r() * 0x3000)) + text.slice(at);
  }
}

/** The example topologies the mutations start from. */
export function seeds(root: string): string[] {
  return exampleFiles(root).map((f) => f.text);
}

const URI = 'file:///fuzz/input.topology.yaml';

/** Everything an input goes through; throws what the core throws. */
export function exercise(text: string): void {
  const file = parseFile(URI, text, RULES);
  const result = analyze([file], RULES, {});
  let fixes = 0;
  for (const f of result.findings) {
    if (fixes > 50) break;
    fixes += fixesFor(f, result, RULES).length + 1;
  }
  occurrences(file.topology);
  for (const s of result.system.services.values()) {
    serviceStats(result.system, s);
    break;
  }
  for (const off of [0, text.length >> 1, text.length]) complete(text, off, result.system, RULES.map((r) => r.meta.id));
}

export interface FuzzFailure {
  readonly kind: 'throw' | 'slow';
  readonly input: string;
  readonly detail: string;
}

export interface FuzzReport {
  readonly count: number;
  readonly failures: FuzzFailure[];
  readonly slowestMs: number;
}

/** Runs up to `count` inputs or until `ms` have passed, whichever comes first. */
export function fuzz(opts: { root: string; seed: number; count: number; ms: number; slowMs?: number; onFailure?: (f: FuzzFailure) => void }): FuzzReport {
  const r = rng(opts.seed);
  const base = seeds(opts.root);
  const slowMs = opts.slowMs ?? 1000;
  const failures: FuzzFailure[] = [];
  const t0 = performance.now();
  let count = 0;
  let slowest = 0;
  while (count < opts.count && performance.now() - t0 < opts.ms) {
    let text = base[Math.floor(r() * base.length)];
    const rounds = 1 + Math.floor(r() * 4);
    for (let i = 0; i < rounds; i++) text = mutate(text, r);
    count++;
    // CPU time of this process, not wall time: the bound is on the work, on a machine that may be shared.
    const s = process.cpuUsage();
    try {
      exercise(text);
    } catch (e) {
      const f: FuzzFailure = { kind: 'throw', input: text, detail: e instanceof Error ? (e.stack ?? e.message) : String(e) };
      failures.push(f);
      opts.onFailure?.(f);
      continue;
    }
    const used = process.cpuUsage(s);
    const took = (used.user + used.system) / 1000;
    slowest = Math.max(slowest, took);
    if (took > slowMs) {
      const f: FuzzFailure = { kind: 'slow', input: text, detail: `${Math.round(took)} ms` };
      failures.push(f);
      opts.onFailure?.(f);
    }
  }
  return { count, failures, slowestMs: slowest };
}
