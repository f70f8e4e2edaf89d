/**
 * The rule tester's checks fail where a table is wrong: a finding on a valid text, a missing, extra or
 * misplaced span, a wrong message, and a fix whose text differs from the expected output. Run on the real
 * self-call rule, so a pass here means the tables that use the tester can fail too.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { yaml } from '../helpers';
import { checkInvalid, checkValid, ruleTester } from '../rule-tester';

const RULE = 'self-call';
const SELF = yaml`
  topology: t
  services:
    a: { calls: [{ to: «a» }, { to: b }] }
    b: {}
`;
const plain = SELF.replace(/[«»]/g, '');
const REMOVED = 'topology: t\nservices:\n  a: { calls: [{ to: b }] }\n  b: {}\n';

describe('ruleTester', () => {
  test('a valid case with a finding fails', () => {
    assert.throws(() => checkValid(RULE, { name: 'x', text: plain }), /expected no findings/);
    checkValid(RULE, { name: 'fixed', text: REMOVED });
  });

  test('an invalid case passes on the marked span and fails on a missing, extra or misplaced one', () => {
    checkInvalid(RULE, { name: 'x', src: SELF, expected: [{ messageId: 'self' }] });
    assert.throws(() => checkInvalid(RULE, { name: 'x', src: plain, expected: [] }), /expected 0 finding/);
    assert.throws(() => checkInvalid(RULE, { name: 'x', src: SELF.replace('{ to: b }', '{ to: «b» }'), expected: [] }), /expected 2 finding/);
    assert.throws(() => checkInvalid(RULE, { name: 'x', src: SELF.replace('«a»', 'a').replace('  a: {', '  «a»: {'), expected: [] }), /wrong span/);
  });

  test('the expected message id, severity and text are checked', () => {
    assert.throws(() => checkInvalid(RULE, { name: 'x', src: SELF, expected: [{ messageId: 'other' }] }));
    assert.throws(() => checkInvalid(RULE, { name: 'x', src: SELF, expected: [{ severity: 'error' }] }));
    assert.throws(() => checkInvalid(RULE, { name: 'x', src: SELF, expected: [{ includes: ['not in the message'] }] }), /message lacks/);
  });

  test('check gets the findings and the text without marks', () => {
    let seen = '';
    checkInvalid(RULE, { name: 'x', src: SELF, expected: [], check: ([f], text) => (seen = text.slice(f.span.start, f.span.end) + '|' + text) });
    assert.equal(seen, `a|${plain}`);
  });

  test('a fix is applied and its output compared; a wrong output or a missing fix fails', () => {
    checkInvalid(RULE, { name: 'x', src: SELF, expected: [], fixes: [{ title: /Remove/, output: REMOVED }, { title: /Accept/ }] });
    assert.throws(() => checkInvalid(RULE, { name: 'x', src: SELF, expected: [], fixes: [{ title: /Remove/, output: plain }] }), /the text after the fix/);
    assert.throws(() => checkInvalid(RULE, { name: 'x', src: SELF, expected: [], fixes: [{ title: /No such fix/ }] }), /no fix matching/);
  });

  describe('used as a table', () => {
    ruleTester(RULE, {
      valid: [{ name: 'no self-call', text: 'topology: t\nservices:\n  a: { calls: [{ to: b }] }\n  b: {}\n' }],
      invalid: [{ name: 'a flow self-call, removed by its fix', src: SELF, expected: [{ messageId: 'self' }], fixes: [{ title: /Remove/, output: REMOVED }] }],
    });
  });
});
