/**
 * unsafe-retry: retries (on the call, or from the file's defaults) on a call marked `idempotent: false`.
 * A warning at `retries` when the call sets them, else at `idempotent` (the retries come from defaults).
 * Fix: `retries: 0` on the call.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, diffLines, expectClean, findingsOf, marked, run, yaml } from '../../helpers';
import { ruleTester, type InvalidCase, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES } from '../../../server/src/core';

const RULE = 'unsafe-retry';
const plain = (s: string) => marked(s).text;

const CHARGE = yaml`
  topology: t
  services:
    checkout:
      calls:
        - to: payment   # charge the card
          operation: Charge
          idempotent: false
          retries: «2»
    payment: {}
`;

const valid: ValidCase[] = [
  { name: 'not idempotent, not retried', text: 'topology: t\nservices:\n  a: { calls: [{ to: b, idempotent: false, retries: 0 }] }\n  b: {}\n' },
  { name: 'not idempotent, no retries anywhere', text: 'topology: t\nservices:\n  a: { calls: [{ to: b, idempotent: false }] }\n  b: {}\n' },
  { name: 'not idempotent, retries: 0 on the call wins over the defaults', text: 'topology: t\ndefaults: { retries: 3 }\nservices:\n  a: { calls: [{ to: b, idempotent: false, retries: 0 }] }\n  b: {}\n' },
  { name: 'near miss: retried, and idempotent', text: 'topology: t\nservices:\n  a: { calls: [{ to: b, idempotent: true, retries: 3 }] }\n  b: {}\n' },
  { name: 'near miss: retried, idempotence not stated (reads default to idempotent)', text: 'topology: t\nservices:\n  a: { calls: [{ to: b, retries: 3 }] }\n  b: {}\n' },
  { name: 'off in the settings', text: plain(CHARGE), settings: { 'unsafe-retry': 'off' } },
];

const invalid: InvalidCase[] = [
  {
    name: 'retries on the call: at `retries`',
    src: CHARGE,
    expected: [{ messageId: 'unsafe', severity: 'warning', accepted: false, includes: ['The call checkout → payment is not idempotent, but it is retried 2 times. When the answer is lost', 'a second charge', 'idempotency key'] }],
  },
  {
    name: 'retries from defaults: at `idempotent`, and the message says where they come from',
    src: 'topology: t\ndefaults: { retries: 1 }\nservices:\n  a: { calls: [{ to: b, idempotent: «false» }] }\n  b: {}\n',
    expected: [{ includes: ['is retried once (from defaults).'] }],
  },
  {
    name: 'an asynchronous request is retried unsafely too',
    src: 'topology: t\nservices:\n  a: { calls: [{ to: b, style: async, idempotent: false, retries: «1» }] }\n  b: {}\n',
    expected: [{ includes: ['retried once.'] }],
  },
  { name: 'severity from the settings', src: CHARGE, settings: { 'unsafe-retry': 'error' }, expected: [{ severity: 'error' }] },
  { name: "severity from the file's rules block", src: CHARGE + 'rules:\n  unsafe-retry: error\n', expected: [{ severity: 'error' }] },
  {
    name: 'accept on the call: accepted',
    src: 'topology: t\nservices:\n  a: { calls: [{ to: b, idempotent: false, retries: «1», accept: [{ rule: unsafe-retry, reason: b dedupes on the request id }] }] }\n  b: {}\n',
    expected: [{ accepted: true }],
  },
];

describe('unsafe-retry', () => {
  ruleTester(RULE, { valid, invalid });

  describe('fixes', () => {
    const text = plain(CHARGE);

    test('the fixes: retries: 0 (preferred), then accept', () => {
      const r = run(text);
      assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => [f.title, !!f.isPreferred]), [
        ['Do not retry the call checkout → payment (retries: 0)', true],
        ['Keep the retries and make the call checkout → payment safe to repeat with an idempotency key (idempotent: true, with a note)', false],
        ['Accept unsafe-retry on the call checkout → payment', false],
      ]);
    });

    test('an idempotency key (block): idempotent: true with a note, the finding gone, the retries kept', () => {
      const after = applyFix(text, RULE, /idempotency key/);
      assert.deepEqual(diffLines(text, after), {
        removed: ['        idempotent: false'],
        added: ['        idempotent: true   # with an idempotency key: the caller sends one per operation, the callee drops repeats'],
      });
      expectClean(RULE, after);
      assert.equal(run(after).system.services.get('checkout')!.calls[0].retries?.value, 2);
    });

    test('an idempotency key (flow): no comment inside the flow map', () => {
      const src = 'topology: t\nservices:\n  a: { calls: [{ to: b, idempotent: false, retries: 1 }] }\n  b: {}\n';
      const after = applyFix(src, RULE, /idempotency key \(idempotent: true\)$/);
      assert.equal(after, 'topology: t\nservices:\n  a: { calls: [{ to: b, idempotent: true, retries: 1 }] }\n  b: {}\n');
      expectClean(RULE, after);
    });

    test('retries on the call (block): the value becomes 0 in place', () => {
      const after = applyFix(text, RULE, /Do not retry/);
      assert.deepEqual(diffLines(text, after), { removed: ['        retries: 2'], added: ['        retries: 0'] });
      expectClean(RULE, after);
    });

    test('retries from defaults (flow): retries: 0 is added to the call; the defaults stay', () => {
      const src = 'topology: t\ndefaults: { retries: 1 }\nservices:\n  a: { calls: [{ to: b, idempotent: false }, { to: c }] }\n  b: {}\n  c: {}\n';
      const after = applyFix(src, RULE, /Do not retry/);
      assert.deepEqual(diffLines(src, after), {
        removed: ['  a: { calls: [{ to: b, idempotent: false }, { to: c }] }'],
        added: ['  a: { calls: [{ to: b, idempotent: false, retries: 0 }, { to: c }] }'],
      });
      expectClean(RULE, after);
    });

    test('retries from defaults (block): one line added under the call', () => {
      const src = 'topology: t\ndefaults:\n  retries: 1\nservices:\n  a:\n    calls:\n      - to: b\n        idempotent: false\n  b: {}\n';
      const after = applyFix(src, RULE, /Do not retry/);
      assert.deepEqual(diffLines(src, after), { removed: [], added: ['        retries: 0'] });
      expectClean(RULE, after);
    });

    test('accept: an accept entry on the call', () => {
      const after = applyFix(text, RULE, /^Accept unsafe-retry on /);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['        accept:', '          - rule: unsafe-retry', '            reason: "TODO: why this trade-off is acceptable"'] });
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });
  });
});
