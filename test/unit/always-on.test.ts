import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, run } from '../helpers';

// The catalog's structural rules are "always on": a severity can be changed, `off` is ignored.
const CASES: Record<string, string> = {
  'yaml-syntax': 'topology: t\nservices:\n  a: { calls: [ }\n',
  schema: 'topology: t\nservices:\n  a:\n    colour: red\n',
  'unknown-reference': 'topology: t\nservices:\n  a:\n    calls: [{ to: nobody }]\n',
  'duplicate-id': 'topology: t\nservices:\n  a: {}\ndatastores:\n  d: {}\n  d: {}\n',
  'self-call': 'topology: t\nservices:\n  a:\n    calls: [{ to: a, timeout: 1s }]\n',
  'orphan-event': 'topology: t\nservices:\n  a: {}\nevents:\n  e: {}\n',
};

for (const [rule, text] of Object.entries(CASES)) {
  test(`${rule} cannot be turned off, from settings or from the file's rules block`, () => {
    assert.ok(findingsOf(run(text), rule).length > 0, `${rule} does not fire on its case`);
    assert.ok(findingsOf(run(text, { [rule]: 'off' }), rule).length > 0, 'settings: off');
    assert.ok(findingsOf(run(text, { [rule]: { severity: 'off' } }), rule).length > 0, 'settings: { severity: off }');
    const withBlock = text.includes('{ calls: [ }') ? text : `${text}rules:\n  ${rule}: off\n`;
    assert.ok(findingsOf(run(withBlock), rule).length > 0, 'rules block: off');
  });

  test(`${rule} still takes a severity`, () => {
    const found = findingsOf(run(text, { [rule]: 'info' }), rule);
    assert.ok(found.length > 0 && found.every((f) => f.severity === 'info'));
  });
}

test('a design rule can be turned off', () => {
  const text = 'topology: t\nservices:\n  a:\n    calls: [{ to: b }]\n  b: {}\n';
  assert.ok(findingsOf(run(text), 'missing-timeout').length > 0);
  assert.equal(findingsOf(run(text, { 'missing-timeout': 'off' }), 'missing-timeout').length, 0);
});
