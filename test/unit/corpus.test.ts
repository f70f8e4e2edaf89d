/**
 * Properties that hold over every rule at once, checked on the bundled examples and on the seeded corpus
 * (test/corpus.ts):
 * - every fix other than an accept removes the finding it was offered for, or its title says what remains;
 *   and no fix adds an error;
 * - no rule gives more than 30% of the corpus's findings, and no message repeats more than 5 times in a file;
 * - every message's first sentence stands in at most 120 characters (the Problems panel's one line).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { analyze, applyEdits, fixesFor, parseFile, RULES, type AnalysisResult, type Finding, type ParsedFile, type TextEdit } from '../../server/src/core';
import { loadProgram } from '../../server/src/core/program';
import { corpus } from '../corpus';

const ROOT = (() => {
  let d = __dirname;
  while (!existsSync(resolve(d, 'package.json'))) d = resolve(d, '..');
  return d;
})();

/** A topology to check: its root file's URI and the texts of every file it may import, by URI. */
interface Case {
  readonly name: string;
  readonly root: string;
  readonly texts: ReadonlyMap<string, string>;
}

/** The examples: every topology file under examples/, each the root of its own program. */
function exampleCases(): Case[] {
  const texts = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      const p = resolve(dir, name.name);
      if (name.isDirectory()) walk(p);
      else if (/\.topology\.ya?ml$/.test(name.name)) texts.set(pathToFileURL(p).href, readFileSync(p, 'utf8'));
    }
  };
  walk(resolve(ROOT, 'examples'));
  return [...texts.keys()].map((uri) => ({ name: uri.slice(uri.indexOf('/examples/') + 1), root: uri, texts }));
}

/** The corpus: 240 generated topologies, one file each. */
const CORPUS = corpus(240, 1, { v11: true });
const CORPUS_CASES: Case[] = CORPUS.map((f) => {
  const uri = `file:///corpus/${f.name}`;
  return { name: f.name, root: uri, texts: new Map([[uri, f.text]]) };
});
const corpusCases = () => CORPUS_CASES;
const EXAMPLE_CASES = exampleCases();

/** ADR paths of the examples exist on disk (the corpus has none), and so do the files a fix creates. */
const hostWith = (created: ReadonlySet<string>) => ({
  exists: (uri: string) => created.has(uri) || (uri.startsWith('file:') && existsSync(fileURLToPath(uri))),
});

/** Each case's analysis as it is, made once and shared by the tests. */
const analyses = new WeakMap<Case, AnalysisResult>();
function analysed(c: Case): AnalysisResult {
  let r = analyses.get(c);
  if (!r) analyses.set(c, (r = analyse(c)));
  return r;
}

function analyse(c: Case, texts: ReadonlyMap<string, string> = c.texts, created: ReadonlySet<string> = new Set()): AnalysisResult {
  const parsed = new Map<string, ParsedFile>();
  const get = (uri: string) => {
    const text = texts.get(uri);
    if (text === undefined) return undefined;
    let p = parsed.get(uri);
    if (!p) parsed.set(uri, (p = parseFile(uri, text, RULES)));
    return p;
  };
  const program = loadProgram(get(c.root)!, get);
  return analyze(program.files, RULES, {}, hostWith(created), program.links);
}

/** A message's first sentence: up to the first full stop, question or exclamation mark before a space. */
export function firstSentence(message: string): string {
  const m = /^.*?[.!?](?=\s|$)/s.exec(message);
  return m ? m[0] : message;
}

/** What a finding is about, with its numbers left out: the same finding after a fix changed a count. */
const gist = (f: Finding) => `${f.rule}\u0000${firstSentence(f.message).replace(/(?<![\w.'-])\d+(\.\d+)?/g, '#')}`;

/** A title that says what a fix leaves ("…; a 5-service chain via X remains"). */
const REMAINS = /; .*\bremains?\b/;
/** A title that says what a fix adds ("…; makes a 5-service chain", "…; splits a cycle, leaving 2"). */
const SAYS_WHAT_IT_ADDS = /; .*\b(makes|adds|leaving)\b/;

/** Where an offset ends up after edits (undefined when an edit replaced it). */
function mapOffset(offset: number, edits: readonly TextEdit[]): number | undefined {
  let delta = 0;
  for (const e of edits) {
    if (e.span.end <= offset && !(e.span.start === e.span.end && e.span.start === offset)) delta += e.newText.length - (e.span.end - e.span.start);
    else if (e.span.start < offset && offset < e.span.end) return undefined;
  }
  return offset + delta;
}

/** Calls made twice between the same pair of services: a fix on one leaves the other, by design. */
function doubledCallSpans(r: AnalysisResult): { uri: string; start: number; end: number }[] {
  const out: { uri: string; start: number; end: number }[] = [];
  for (const s of r.system.services.values()) {
    const count = new Map<string, number>();
    for (const c of s.calls) count.set(c.to.id, (count.get(c.to.id) ?? 0) + 1);
    for (const c of s.calls) if (count.get(c.to.id)! > 1) out.push({ uri: s.uri, start: c.node.span.start, end: c.node.span.end });
  }
  return out;
}

interface Problem {
  readonly file: string;
  readonly rule: string;
  readonly fix: string;
  readonly what: string;
}

/** Applies every non-accept fix of every finding of a case and reports the fixes that do not resolve. */
function checkFixes(c: Case): { problems: Problem[]; applied: number } {
  const before = analysed(c);
  const problems: Problem[] = [];
  let applied = 0;
  const doubled = doubledCallSpans(before);
  const errorsBefore = countErrors(before);
  const tangled = inReportedTangle(before);
  // Rules offer the same edit for different findings (a hop made asynchronous fixes a chain, its latency
  // and its availability): each distinct edit is analysed once.
  const seen = new Map<string, AnalysisResult>();
  for (const f of before.findings) {
    if (f.accepted) continue;
    for (const fix of fixesFor(f, before, RULES)) {
      if (fix.title.startsWith('Accept this trade-off')) continue;
      applied++;
      const id = JSON.stringify([fix.edits, fix.creates]);
      let after = seen.get(id);
      if (!after) {
        const texts = new Map(c.texts);
        for (const uri of new Set(fix.edits.map((e) => e.uri))) {
          const text = texts.get(uri);
          if (text !== undefined) texts.set(uri, applyEdits(text, fix.edits.filter((e) => e.uri === uri)));
        }
        for (const created of fix.creates ?? []) texts.set(created.uri, created.text);
        seen.set(id, (after = analyse(c, texts, new Set((fix.creates ?? []).map((x) => x.uri)))));
      }
      const mine = fix.edits.filter((e) => e.uri === f.uri);
      const start = mapOffset(f.span.start, mine);
      const end = mapOffset(f.span.end, mine);
      const key = gist(f);
      const left = after.findings.find((g) => g.rule === f.rule && !g.accepted && ((g.uri === f.uri && g.span.start === start && g.span.end === end) || gist(g) === key));
      const onDoubled = doubled.some((d) => (d.uri === f.uri && d.start <= f.span.start && f.span.end <= d.end) || fix.edits.some((e) => e.uri === d.uri && e.span.start < d.end && d.start < e.span.end) || d.start === mine[0]?.span.start);
      if (left && !REMAINS.test(fix.title) && !onDoubled) problems.push({ file: c.name, rule: f.rule, fix: fix.title, what: `leaves: ${left.message}` });
      const errorsAfter = countErrors(after, tangled);
      for (const [rule, n] of errorsAfter) {
        // A fix may split a finding in two when its title says what remains or what it makes; every
        // other new error is a problem.
        const said = (rule === f.rule && REMAINS.test(fix.title)) || SAYS_WHAT_IT_ADDS.test(fix.title);
        if (n > (errorsBefore.get(rule) ?? 0) && !said) problems.push({ file: c.name, rule: f.rule, fix: fix.title, what: `adds ${n - (errorsBefore.get(rule) ?? 0)} ${rule} error(s): ${after.findings.find((g) => g.rule === rule && g.severity === 'error' && !tangled(g))?.message}` });
      }
    }
  }
  return { problems, applied };
}

/** Errors by rule, leaving out those `old` says were there already in another form. */
function countErrors(r: AnalysisResult, old: (f: Finding) => boolean = () => false): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of r.findings) if (f.severity === 'error' && !f.accepted && !old(f)) m.set(f.rule, (m.get(f.rule) ?? 0) + 1);
  return m;
}

/**
 * Whether a sync-cycle finding (after a fix) lies inside a tangle that was reported before it. sync-cycle
 * reports one finding per tangle (a strongly connected component), shown by one of its cycles; a fix that
 * takes a hop out of the tangle may leave two smaller tangles, two findings where there was one. That is
 * the same error seen in parts, not a new one: no service in it has a cycle it did not have before.
 */
function inReportedTangle(before: AnalysisResult): (f: Finding) => boolean {
  const sys = before.system;
  const { comp } = sys.syncComponents();
  const compOf = (id: string) => {
    const s = sys.services.get(id);
    const v = s && sys.indexOf.get(s);
    return v === undefined ? undefined : comp[v];
  };
  const reported = new Set<number>();
  for (const f of before.findings) {
    if (f.rule !== 'sync-cycle' || f.severity !== 'error' || f.accepted) continue;
    const k = compOf(String((f.data?.hops as [string, number][] | undefined)?.[0]?.[0]));
    if (k !== undefined) reported.add(k);
  }
  return (f) => {
    if (f.rule !== 'sync-cycle') return false;
    const hops = (f.data?.hops as [string, number][] | undefined) ?? [];
    const ks = new Set(hops.map(([id]) => compOf(id)));
    const [k] = ks;
    return hops.length > 0 && ks.size === 1 && k !== undefined && reported.has(k);
  };
}

/** The problems by rule (how many), then the first few in full. */
function show(ps: readonly Problem[]): string {
  const byRule = new Map<string, number>();
  for (const p of ps) byRule.set(p.rule, (byRule.get(p.rule) ?? 0) + 1);
  const counts = [...byRule].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r}: ${n}`).join(', ');
  // A few of each rule, so that a loud rule does not hide the others.
  const shown = [...byRule.keys()].flatMap((r) => ps.filter((p) => p.rule === r).slice(0, 3));
  return `${counts}\n` + shown.map((p) => `${p.file} [${p.rule}] "${p.fix}" ${p.what}`).join('\n');
}

describe('the corpus', () => {
  test('is at least 200 varied topologies: every DSL section, both styles, and findings of most rules', () => {
    assert.ok(CORPUS.length >= 200);
    assert.equal(new Set(CORPUS.map((f) => f.text)).size, CORPUS.length, 'two topologies are the same');
    const all = CORPUS.map((f) => f.text).join('\n');
    for (const s of ['defaults:', 'flows:', 'events:', 'datastores:', 'calls: [', '      - to:', 'perRequest: n', 'idempotent: false', 'parallel: true', 'result: unused', 'content: reference', 'kind: frontend', 'deployTogether', 'fallback:']) {
      assert.ok(all.includes(s), `no topology has ${s}`);
    }
    const rules = new Set(corpusCases().flatMap((c) => analysed(c).findings.map((f) => f.rule)));
    assert.ok(rules.size >= 25, `only ${rules.size} rules fire on the corpus: ${[...rules].join(', ')}`);
    // Generated files are valid topologies: the findings are the design's, not the generator's mistakes.
    assert.ok(!rules.has('yaml-syntax') && !rules.has('schema'), 'the generator wrote invalid YAML or keys');
  });

  test('is the same for the same seed', () => {
    assert.deepEqual(corpus(3, 7, { v11: true }), corpus(3, 7, { v11: true }));
  });
});

describe('fixes resolve their finding, or say what remains, and add no error', () => {
  test('a title says what remains or what it adds only after a semicolon, in the words of the convention', () => {
    // The convention of CONTRIBUTING.md: a title that leaves its finding says "…; … remains"; a silent
    // title, or one that hides the word in parentheses, counts as silent.
    assert.ok(REMAINS.test("Add a fallback to the call web → b; 'web' remains below 99.50% (99.20%)"));
    assert.ok(REMAINS.test("Make the call a → b asynchronous (style: async); synchronous cycles through a, c remain"));
    assert.ok(!REMAINS.test('Add a fallback to the call web → b (99.20%, still below 99.50%)'));
    assert.ok(!REMAINS.test('Add a fallback to the call web → b (reaches 99.60%)'));
    assert.ok(SAYS_WHAT_IT_ADDS.test("Call 'a' (the owner) instead of using 's' directly; makes a sync cycle via 'a' (sync-cycle)"));
    assert.ok(!SAYS_WHAT_IT_ADDS.test("Call 'a' (the owner) instead of using 's' directly"));
  });

  test('on the examples', () => {
    const results = EXAMPLE_CASES.map(checkFixes);
    const problems = results.flatMap((r) => r.problems);
    assert.ok(results.reduce((a, r) => a + r.applied, 0) > 30, 'the examples offer few fixes');
    assert.equal(problems.length, 0, show(problems));
  });

  test('on the corpus', () => {
    const results = corpusCases().map(checkFixes);
    const problems = results.flatMap((r) => r.problems);
    assert.ok(results.reduce((a, r) => a + r.applied, 0) > 1000, 'the corpus offers few fixes');
    assert.equal(problems.length, 0, `${problems.length} fixes:\n${show(problems)}`);
  });
});

describe('no rule drowns the others', () => {
  const findings = () => corpusCases().map((c) => ({ c, findings: analysed(c).findings.filter((f) => !f.accepted) }));

  test('no rule gives more than 30% of all findings on the corpus', () => {
    const all = findings();
    const total = all.reduce((a, x) => a + x.findings.length, 0);
    const byRule = new Map<string, number>();
    for (const x of all) for (const f of x.findings) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
    const loud = [...byRule].filter(([, n]) => n > 0.3 * total).map(([r, n]) => `${r}: ${n} of ${total} (${Math.round((100 * n) / total)}%)`);
    assert.deepEqual(loud, []);
  });

  test('no message text repeats more than 5 times in one file', () => {
    const repeated: string[] = [];
    for (const { c, findings: fs } of findings()) {
      const count = new Map<string, number>();
      for (const f of fs) count.set(f.message, (count.get(f.message) ?? 0) + 1);
      for (const [m, n] of count) if (n > 5) repeated.push(`${c.name}: ${n} × ${m}`);
    }
    assert.deepEqual(repeated, []);
  });
});

describe('first sentences fit the Problems panel', () => {
  const long = (cases: Case[]) =>
    cases.flatMap((c) => analysed(c).findings.map((f) => ({ f, s: firstSentence(f.message) })).filter(({ s }) => s.length > 120).map(({ f, s }) => `${c.name} [${f.rule}] ${s.length}: ${s}`));

  test('firstSentence cuts at the first full stop before a space, not inside 1.5s or an id', () => {
    assert.equal(firstSentence("The call a.b → c has a 1.5s timeout. Then more."), 'The call a.b → c has a 1.5s timeout.');
    assert.equal(firstSentence('No stop at all'), 'No stop at all');
  });

  /** The long ones by rule (how many), then two of each. */
  const report = (lines: string[]) => {
    const byRule = new Map<string, string[]>();
    for (const l of lines) {
      const rule = /\[([a-z-]+)\]/.exec(l)![1];
      byRule.set(rule, [...(byRule.get(rule) ?? []), l]);
    }
    return `${[...byRule].map(([r, ls]) => `${r}: ${ls.length}`).join(', ')}\n${[...byRule.values()].flatMap((ls) => ls.slice(0, 2)).join('\n')}`;
  };

  test('every first sentence on the examples is at most 120 characters', () => {
    const lines = long(EXAMPLE_CASES);
    assert.equal(lines.length, 0, report(lines));
  });

  test('every first sentence on the corpus is at most 120 characters', () => {
    const lines = long(corpusCases());
    assert.equal(lines.length, 0, report(lines));
  });
});
