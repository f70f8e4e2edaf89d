/**
 * The editor keeps an analysis across an edit that leaves the model as it was (core/stable.ts adopts the
 * last model, core/reuse.ts keeps the findings of the rules that read only the model). The reference is a
 * fresh workspace that reads the same text once: after every edit of a seeded sequence, on the examples
 * and on a generated system, the editor's analysis must have the same findings (rule, place, message,
 * related places, acceptance, data, severity), the same keys, the same fixes (titles and edits) and
 * owners that point at the same places. Edits mix those that change nothing a rule reads (digits and words
 * in descriptions, comments, blank lines, an unknown key) with those that do (timeouts, ids, deletions,
 * any character anywhere), so both paths run, and a kept analysis is checked as often as a fresh one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixesFor, RULES, type Finding } from '../../../server/src/core';
import { Workspace, type DocumentAnalysis } from '../../../server/src/lsp/workspace';
import type { Owner } from '../../../server/src/core/rules/util';
import { exampleFiles } from '../../examples';
import { generateTopology } from '../../generate';
import { xorshift32 } from '../../prng';

const URI = 'file:///w/reuse.topology.yaml';

/** An edit at a random place of the kind named. */
/** `changes`: the edit surely changes the model: a value stable.ts adopts, or something it does not. */
function edit(text: string, r: () => number): { text: string; changes: false | 'values' | 'shape' } {
  const lines = text.split('\n');
  const li = Math.floor(r() * lines.length);
  const line = lines[li];
  const pick = Math.floor(r() * 10);
  const description = /^(\s+description: )(.*)$/.exec(line);
  switch (pick) {
    case 0:
    case 1: {
      // A character typed or deleted in a description.
      const all = lines.map((l, i) => (/^\s+description: ./.test(l) ? i : -1)).filter((i) => i >= 0);
      if (!all.length) break;
      const i = all[Math.floor(r() * all.length)];
      const m = /^(\s+description: )(.*)$/.exec(lines[i])!;
      const at = Math.floor(r() * (m[2].length + 1));
      const v = r() < 0.5 ? m[2].slice(0, at) + '7' + m[2].slice(at) : m[2].slice(0, at) + m[2].slice(at + 1);
      lines[i] = m[1] + (v.length ? v : 'x');
      return { text: lines.join('\n'), changes: false };
    }
    case 2:
      // A comment at the end of a line that holds a key.
      if (!/^\s*[A-Za-z][\w-]*:/.test(line) || line.includes('#') || /[|>]\s*$/.test(line)) break;
      lines[li] = `${line}  # note ${li}`;
      return { text: lines.join('\n'), changes: false };
    case 3:
      // A blank line above a line that starts an entry or a section.
      if (!/^ {0,2}[A-Za-z]/.test(line)) break;
      lines.splice(li, 0, '');
      return { text: lines.join('\n'), changes: false };
    case 4:
      // A description line put in or taken out of a service.
      if (description) {
        lines.splice(li, 1);
        return { text: lines.join('\n'), changes: false };
      }
      if (!/^ {2}[A-Za-z][\w-]*:\s*$/.test(line) || !/^ {4}\w/.test(lines[li + 1] ?? '') || /^ {4}description:/.test(lines[li + 1])) break;
      lines.splice(li + 1, 0, '    description: added by hand');
      return { text: lines.join('\n'), changes: false };
    case 5:
    case 7: {
      // A digit typed or deleted in a timeout or a retry count (values the kept model takes, stable.ts
      // VALUE_KEYS) or in an availability (a change the model is made again for).
      const all = lines.map((l, i) => (/(timeout|retries|availability): \d/.test(l) ? i : -1)).filter((i) => i >= 0);
      if (!all.length) break;
      const i = all[Math.floor(r() * all.length)];
      const typed = /(timeout|retries|availability): (\d)(\d)/.test(lines[i]) && r() < 0.5 ? lines[i].replace(/(timeout|retries|availability): (\d)(\d)/, '$1: $3') : lines[i].replace(/(timeout|retries|availability): (\d)/, '$1: 1$2');
      lines[i] = typed;
      return { text: lines.join('\n'), changes: /availability/.test(typed) ? 'shape' : 'values' };
    }
    case 6:
      // A line deleted.
      lines.splice(li, 1);
      return { text: lines.join('\n'), changes: false };
    default:
      break;
  }
  // Any character anywhere.
  const at = Math.floor(r() * (text.length + 1));
  const ch = ':- #x9\n"['[Math.floor(r() * 10)];
  return { text: text.slice(0, at) + ch + text.slice(at), changes: false };
}

function ownerPlaces(owners: Finding['owners']) {
  return (owners as readonly Owner[] | undefined)?.map((o) => ({ uri: o.uri, label: o.label, node: o.node?.span, pair: o.pair?.span, accept: o.accept?.span, accepts: o.accepts.map((a) => [a.rule.id, a.span]) }));
}

function comparable(a: DocumentAnalysis) {
  return a.result.findings.map((f, i) => ({
    key: a.keys[i],
    rule: f.rule,
    uri: f.uri,
    span: [f.span.start, f.span.end],
    message: f.message,
    messageId: f.messageId,
    severity: f.severity,
    related: f.related?.map((r) => ({ uri: r.uri, span: [r.span.start, r.span.end], message: r.message })),
    accepted: f.accepted && { reason: f.accepted.reason, uri: f.accepted.uri, span: [f.accepted.span.start, f.accepted.span.end] },
    data: f.data,
    owners: ownerPlaces(f.owners),
    fixes: fixesFor(f, a.result, RULES, a.settings).map((x) => ({ title: x.title, edits: x.edits.map((e) => ({ uri: e.uri, span: [e.span.start, e.span.end], text: e.newText })), creates: x.creates })),
  }));
}

function run(name: string, start: string, steps: number, seed: number): Record<DocumentAnalysis['reused'], number> {
  const r = xorshift32(seed);
  const editor = new Workspace({}, () => undefined);
  let text = start;
  const counts = { all: 0, values: 0, no: 0 };
  editor.open(URI, text, 1);
  editor.analyze(URI, {});
  for (let v = 2; v < steps + 2; v++) {
    const e = edit(text, r);
    text = e.text;
    editor.open(URI, text, v);
    const a = editor.analyze(URI, {})!;
    const reference = new Workspace({}, () => undefined);
    reference.open(URI, text, 1);
    const b = reference.analyze(URI, {})!;
    assert.deepEqual(comparable(a), comparable(b), `${name}, edit ${v - 1} (kept: ${a.reused})`);
    // (In a broken file the number may sit in a part the reading could not take, and change nothing.)
    if (e.changes && !b.result.findings.some((f) => f.rule === 'yaml-syntax')) assert.notEqual(a.reused, 'all', `${name}, edit ${v - 1}: an edit that changes the model runs rules again`);
    if (e.changes === 'shape' && !b.result.findings.some((f) => f.rule === 'yaml-syntax')) assert.equal(a.reused, 'no', `${name}, edit ${v - 1}: an edit that changes the model's shape is analysed again`);
    counts[a.reused]++;
  }
  return counts;
}

test('a kept analysis equals a fresh one: the examples under seeded edits', () => {
  const total = { all: 0, values: 0, no: 0 };
  for (const [i, f] of exampleFiles().entries()) {
    const n = run(f.name, f.text, 40, 100 + i);
    for (const k of ['all', 'values', 'no'] as const) total[k] += n[k];
  }
  // Each path ran often enough to mean something.
  assert.ok(total.all > 60 && total.values > 20 && total.no > 60, JSON.stringify(total));
});

test('a kept analysis equals a fresh one: a generated system under seeded edits', () => {
  const n = run('generated', generateTopology(40, 9), 120, 7);
  assert.ok(n.all > 20 && n.values >= 5 && n.no >= 5, JSON.stringify(n));
});
