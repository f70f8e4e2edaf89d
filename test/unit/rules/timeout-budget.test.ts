/**
 * timeout-budget (revision 2): a call's timeout below `worst(callee)`, the shared worst-case wait (timeouts
 * cap what is below them, parallel calls count at their longest, perRequest multiplies). A warning at the
 * call's `timeout`; calls that take their timeout from the file's default are one finding at that default,
 * with the calls as related information. An unbounded wait below is missing-timeout's finding.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, diffLines, expectClean, type expectFindings, findingsOf, marked, run, yaml } from '../../helpers';
import { ruleTester, type InvalidCase, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES } from '../../../server/src/core';

const RULE = 'timeout-budget';
const plain = (s: string) => marked(s).text;

/** web gives api 1s; api may wait 800ms × 2 attempts = 1.6s on stock. */
const SHORT = yaml`
  topology: t
  services:
    web:
      calls:
        - to: api
          timeout: «1s»
    api:
      calls:
        - to: stock
          timeout: 800ms
          retries: 1
    stock: {}
`;

const valid: ValidCase[] = [
  { name: 'the caller waits longer than the callee can (3s against 1s + 1s)', text: 'topology: t\nservices:\n  a: { calls: [{ to: b, timeout: 3s }] }\n  b: { calls: [{ to: c, timeout: 1s }, { to: d, timeout: 1s }] }\n  c: {}\n  d: {}\n' },
  { name: 'exactly what the callee can wait (2s against 1s × 2 attempts)', text: 'topology: t\nservices:\n  a: { calls: [{ to: b, timeout: 2s }] }\n  b: { calls: [{ to: c, timeout: 1s, retries: 1 }] }\n  c: {}\n' },
  {
    name: 'an aggregator that calls in parallel waits for the longest: 1.5s covers max(1s, 1.5s, 500ms)',
    text: 'topology: t\nservices:\n  a: { calls: [{ to: b, timeout: 1500ms }] }\n  b: { calls: [{ to: c, timeout: 1s, parallel: true }, { to: d, timeout: 1500ms, parallel: true }, { to: e, timeout: 500ms, parallel: true }] }\n  c: {}\n  d: {}\n  e: {}\n',
  },
  { name: 'nested timeouts do not add up: 1.2s covers b, whose 1s call caps what c waits (800ms)', text: 'topology: t\nservices:\n  a: { calls: [{ to: b, timeout: 1200ms }] }\n  b: { calls: [{ to: c, timeout: 1s }] }\n  c: { calls: [{ to: d, timeout: 800ms }] }\n  d: {}\n' },
  { name: 'an unbounded callee is missing-timeout’s', text: 'topology: t\nservices:\n  a: { calls: [{ to: b, timeout: 1s }] }\n  b: { calls: [{ to: c }] }\n  c: {}\n' },
  { name: 'off in the settings', text: plain(SHORT), settings: { 'timeout-budget': 'off' } },
];

const related = (f: ReturnType<typeof expectFindings>[number], text: string) => f.related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]);

const invalid: InvalidCase[] = [
  {
    name: 'at the timeout, with the callee’s calls related',
    src: SHORT,
    expected: [{ messageId: 'budget', severity: 'warning', includes: ["'web' gives up on 'api' after 1s, but 'api' may wait 1.6s on its own calls.", 'is wasted', 'pass the deadline down'] }],
    check: ([f], text) => assert.deepEqual(related(f, text), [['800ms', 'the call api → stock: 1.6s']]),
  },
  {
    name: 'a caller that retries starts the work again',
    src: plain(SHORT).replace('timeout: 1s', 'timeout: «1s»\n        retries: 2'),
    expected: [{ includes: ['each retry starts it again'] }],
  },
  {
    name: 'the N+1 multiplier: 5 × 300ms = 1.5s against 1s',
    src: 'topology: t\nservices:\n  a: { calls: [{ to: b, timeout: «1s» }] }\n  b: { calls: [{ to: c, timeout: 300ms, perRequest: n }] }\n  c: {}\n',
    expected: [{ includes: ["'b' may wait 1.5s"] }],
  },
  {
    name: 'parallel calls at their longest plus the sequential ones: 200ms + max(1s, 1.2s) = 1.4s against 1s',
    src: 'topology: t\nservices:\n  a: { calls: [{ to: b, timeout: «1s» }] }\n  b: { calls: [{ to: c, timeout: 200ms }, { to: d, timeout: 1s, parallel: true }, { to: e, timeout: 1200ms, parallel: true }] }\n  c: {}\n  d: {}\n  e: {}\n',
    expected: [{ includes: ["'b' may wait 1.4s"] }],
  },
  {
    name: 'several callers of one callee: one finding at the shortest timeout, the other callers related',
    src: yaml`
      topology: t
      services:
        web: { calls: [{ to: api, timeout: 1200ms }] }
        app: { calls: [{ to: api, timeout: «1s», retries: 1 }] }
        api: { calls: [{ to: stock, timeout: 800ms, retries: 1 }] }
        stock: {}
    `,
    expected: [{ includes: ["'app' gives up on 'api' after 1s, but 'api' may wait 1.6s on its own calls.", '1 other caller gives up early too.', 'each retry starts it again'] }],
    check: ([f], text) => assert.deepEqual(related(f, text), [['1200ms', 'the call web → api also gives up after 1.2s'], ['800ms', 'the call api → stock: 1.6s']]),
  },
  {
    name: 'one shared default timeout: one finding at the default, the calls related',
    src: yaml`
      topology: t
      defaults: { timeout: «1s» }
      services:
        web: { calls: [{ to: a }, { to: b }] }
        x: { calls: [{ to: a }] }
        a: { calls: [{ to: c, timeout: 1500ms }] }
        b: { calls: [{ to: c, timeout: 800ms, retries: 1 }] }
        c: {}
    `,
    expected: [{ messageId: 'default-budget', includes: ['The default timeout of 1s is shorter than what 2 callees may wait on their own calls (up to 1.6s).', '3 calls that use it give up'] }],
    check: ([f]) => assert.deepEqual(f.related?.map((r) => r.message), [
      "the call web → a: gives up after 1s; 'a' may wait 1.5s",
      "the call web → b: gives up after 1s; 'b' may wait 1.6s",
      "the call x → a: gives up after 1s; 'a' may wait 1.5s",
    ]),
  },
];

describe('timeout-budget', () => {
  ruleTester(RULE, { valid, invalid });
  describe('fixes', () => {
    const text = plain(SHORT);
    test('the fixes: shrink the inner timeouts, pass the deadline down, accept', () => {
      const r = run(text);
      assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title).slice(0, 3), [
        "Shrink the timeouts of 'api' to fit (api → stock: 500ms)",
        "Pass the deadline down from 'web' to 'api' (recorded on the call as the answer to this finding)",
        "Accept timeout-budget on the call web → api",
      ]);
    });
    test('shrink: 500ms × 2 attempts fits 1s, one line changes, the finding goes', () => {
      const after = applyFix(text, RULE, /Shrink/);
      assert.deepEqual(diffLines(text, after), { removed: ['        timeout: 800ms'], added: ['        timeout: 500ms'] });
      expectClean(RULE, after);
    });
    test('shrink that makes an inner call give up early says so', () => {
      const src = 'topology: t\nservices:\n  a: { calls: [{ to: b, timeout: 1s }] }\n  b: { calls: [{ to: c, timeout: 2s }] }\n  c: { calls: [{ to: d, timeout: 1500ms }] }\n  d: {}\n';
      const r = run(src);
      const [f] = findingsOf(r, RULE);
      assert.equal(fixesFor(f, r, RULES)[0].title, "Shrink the timeouts of 'b' to fit (b → c: 1s); 1 call then gives up before its callee does (timeout-budget)");
    });
    test('pass the deadline down: recorded on the call, the finding is answered', () => {
      const after = applyFix(text, RULE, /Pass the deadline down/);
      const [f] = findingsOf(run(after), RULE);
      assert.equal(f.accepted?.reason, 'web passes its deadline down: api stops its own calls when web gives up');
    });
    test('the grouped finding: shrinking to the shortest timeout answers every caller', () => {
      const src = 'topology: t\nservices:\n  web: { calls: [{ to: api, timeout: 1200ms }] }\n  app: { calls: [{ to: api, timeout: 1s }] }\n  api: { calls: [{ to: stock, timeout: 800ms, retries: 1 }] }\n  stock: {}\n';
      const after = applyFix(src, RULE, /Shrink/);
      assert.ok(after.includes('{ to: stock, timeout: 500ms, retries: 1 }'), after);
      expectClean(RULE, after);
    });
    test('shrink: shares raised to the 1ms floor are taken back from the longest, so the sum still fits', () => {
      // 100ms over 45s + 2s + 250ms + 100ms: the three small shares round down to 0ms and are raised to 1ms;
      // the 45s call's 95ms share then gives back what that added (97ms + 1 + 1 + 1 = 100ms, not 101ms).
      const src = 'topology: t\nservices:\n  web: { calls: [{ to: api, timeout: 100ms }] }\n  api: { calls: [{ to: a, timeout: 45s }, { to: b, timeout: 2s }, { to: c, timeout: 250ms }, { to: d, timeout: 100ms }] }\n  a: {}\n  b: {}\n  c: {}\n  d: {}\n';
      const after = applyFix(src, RULE, /Shrink/);
      const timeouts = [...after.matchAll(/to: [abcd], timeout: (\d+)ms/g)].map((m) => Number(m[1]));
      assert.equal(timeouts.length, 4, after);
      assert.ok(timeouts.reduce((a, b) => a + b, 0) <= 100, after);
      expectClean(RULE, after);
    });
    test('shrink: a callee with more calls than milliseconds to give says the finding remains', () => {
      const src = 'topology: t\nservices:\n  web: { calls: [{ to: api, timeout: 2ms }] }\n  api: { calls: [{ to: a, timeout: 1s }, { to: b, timeout: 1s }, { to: c, timeout: 1s }] }\n  a: {}\n  b: {}\n  c: {}\n';
      const r = run(src);
      const titles = fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title);
      assert.ok(titles.some((t) => /^Shrink the timeouts of 'api' to fit .*; 'api' still waits 3ms, so the finding remains/.test(t)), titles.join('\n'));
    });
    test('the default finding: one fix shrinks every callee, and the finding goes', () => {
      const src = 'topology: t\ndefaults: { timeout: 1s }\nservices:\n  web: { calls: [{ to: a }, { to: b }] }\n  a: { calls: [{ to: c, timeout: 1500ms }] }\n  b: { calls: [{ to: c, timeout: 3s, parallel: true }, { to: d, timeout: 2s, parallel: true }] }\n  c: {}\n  d: {}\n';
      const after = applyFix(src, RULE, /Shrink/);
      expectClean(RULE, after);
    });
  });
});
