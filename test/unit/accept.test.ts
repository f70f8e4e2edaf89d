/**
 * Accept fixes are told apart by a field, not by their title; the rule registry reaches the rules through
 * their context (what an `accept:` may name is what the analysis runs), not through a module filled when
 * rules/index.ts is imported.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, fixesFor, parseFile, RULES, type Rule } from '../../server/src/core';

const URI = 'file:///w/t.topology.yaml';
const CHAIN = 'topology: t\nservices:\n  a: { calls: [{ to: b }] }\n  b: { calls: [{ to: c }] }\n  c: { calls: [{ to: d }] }\n  d: { calls: [{ to: e }] }\n  e: {}\n';

test('the accept fixes carry accept: true, and only they do', () => {
  const host = { adrFolder: () => 'file:///w/docs/adr/', list: () => [] };
  const r = analyze([parseFile(URI, CHAIN, RULES)], RULES, {}, host);
  const finding = r.findings.find((f) => f.rule === 'sync-chain')!;
  const fixes = fixesFor(finding, r, RULES);
  const accepts = fixes.filter((f) => f.accept);
  assert.deepEqual(accepts.map((f) => f.title.replace(/\(.*\)/, '(…)')), ['Accept sync-chain on the call a → b', 'Accept sync-chain on the call a → b and record it in an ADR (…)']);
  assert.ok(fixes.some((f) => !f.accept), 'sync-chain has design fixes too');
  for (const f of fixes.filter((x) => !x.accept)) assert.doesNotMatch(f.title, /^Accept/);
});

test('the rules a file may name are those of the analysis, passed in the context', () => {
  const text = 'topology: t\nservices:\n  a:\n    accept:\n      - rule: house-rule\n        reason: r\n';
  const unknown = (rules: readonly Rule[]) => analyze([parseFile(URI, text, rules)], rules).findings.filter((f) => f.rule === 'unknown-reference').map((f) => f.messageId);
  assert.deepEqual(unknown(RULES), ['unknown-rule']);
  const houseRule: Rule = { meta: { id: 'house-rule', title: 'A rule of this house', category: 'structure', defaultSeverity: 'info', options: {}, fixable: false, acceptable: true }, check: () => undefined };
  assert.deepEqual(unknown([...RULES, houseRule]), []);
  // The registry each rule sees holds every rule of the analysis, enabled or not.
  let seen: string[] = [];
  const probe: Rule = { meta: { ...houseRule.meta, id: 'probe' }, check: (ctx) => void (seen = [...(ctx.rules?.keys() ?? [])]) };
  analyze([parseFile(URI, text, RULES)], [...RULES, probe], { 'sync-chain': 'off' });
  assert.deepEqual(seen, [...RULES.map((r) => r.meta.id), 'probe']);
});
