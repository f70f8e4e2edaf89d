/**
 * yaml-syntax: YAML the parser rejects, with the parser's error code as the message id (never its wording),
 * at the bad span; the rest of the file is still analysed. No fixes; not acceptable.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, run, yaml, type Expected } from '../../helpers';
import { ruleTester, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES, type RuleSettings } from '../../../server/src/core';

const RULE = 'yaml-syntax';

const valid: ValidCase[] = [
  { name: 'block and flow YAML', text: yaml`
    topology: t   # comment
    services:
      a: { calls: [{ to: b }] }
      b:
        calls:
          - to: a
  ` },
  { name: 'CRLF line endings', text: 'topology: t\r\nservices:\r\n  a: {}\r\n' },
  { name: 'a duplicate key is the schema’s and duplicate-id’s business, not a syntax error', text: 'topology: t\nservices:\n  a: {}\n  a: {}\n' },
  { name: 'anchors and aliases', text: 'topology: t\ndefaults: &d { timeout: 2s }\nservices:\n  a: {}\n' },
];

const invalid: { name: string; src: string; expected: readonly Expected[]; settings?: RuleSettings }[] = [
  {
    name: 'a tab used for indentation',
    src: 'topology: t\nservices:\n«\t»a: {}\n',
    expected: [{ messageId: 'TAB_AS_INDENT', severity: 'error', includes: ['tabs', 'The rest of the file is still checked'] }],
  },
  {
    name: 'a second document',
    src: 'topology: t\nservices:\n  a: {}\n«---\ntopology: u\n»',
    expected: [{ messageId: 'MULTIPLE_DOCS', includes: ['one YAML document'] }],
  },
  {
    name: 'severity override from the settings',
    src: 'topology: t\nservices:\n«\t»a: {}\n',
    settings: { 'yaml-syntax': 'warning' },
    expected: [{ severity: 'warning' }],
  },
  {
    name: 'accept cannot answer a structural finding',
    src: 'topology: t\nservices:\n  a: { accept: [{ rule: yaml-syntax }] }\n«\t»b: {}\n',
    expected: [{ accepted: false }],
  },
];

describe('yaml-syntax', () => {
  ruleTester(RULE, { valid, invalid });

  test('one finding per code and place, not one per parser message (an unclosed [ and { both say BAD_INDENT)', () => {
    for (const text of ['topology: t\nservices:\n  a: { calls: [ { to: b }\n  b: {}\n', 'topology: t\nservices:\n  a: { calls: [ { to: [ { x: [\n']) {
      const found = findingsOf(run(text), RULE);
      assert.ok(found.length > 0);
      const keys = found.map((f) => `${f.messageId}@${f.span.start}-${f.span.end}`);
      assert.deepEqual(keys, [...new Set(keys)], JSON.stringify(text));
    }
  });

  test('an unclosed quote at the end of the file: MISSING_CHAR, inside the text', () => {
    const text = 'topology: t\nservices:\n  a: { description: "open\n\n';
    const found = findingsOf(run(text), RULE).filter((f) => f.messageId === 'MISSING_CHAR');
    assert.equal(found.length, 1);
    assert.match(found[0].message, /closing character/);
    assert.ok(found[0].span.end <= text.length && found[0].span.start < found[0].span.end);
  });

  test('every span lies inside the document', () => {
    for (const text of ['topology: t\nservices:\n  a: "x', 'topology: [', '{', 'a: b: c', 'services:\n  - [\n']) {
      for (const f of findingsOf(run(text), RULE)) {
        assert.ok(f.span.start >= 0 && f.span.end <= text.length && f.span.start <= f.span.end, `${JSON.stringify(text)}: ${f.messageId} @${f.span.start}-${f.span.end}`);
      }
    }
  });

  test('the rest of a broken file is still analysed', () => {
    const r = run('topology: t\nservices:\n  a:\n    calls:\n      - to: a\n  b: { calls: [ }\n');
    assert.ok(findingsOf(r, RULE).length > 0);
    assert.equal(findingsOf(r, 'self-call').length, 1);
  });

  test('no fixes', () => {
    const r = run('topology: t\nservices:\n\ta: {}\n');
    assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES), []);
  });

});
