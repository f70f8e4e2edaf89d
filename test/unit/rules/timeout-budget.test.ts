/**
 * timeout-budget: a caller's timeout (own or default) shorter than what the callee may spend waiting on
 * its own sync calls: the sum of timeout × (retries + 1) over them. A warning at the caller's `timeout`,
 * or at its `to` when the timeout comes from defaults; the callee's calls, with their times, are the
 * related information.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectClean, expectFindings, findingsOf, marked, run, yaml, type Expected, applyFix, diffLines } from '../../helpers';
import { fixesFor, RULES, type RuleSettings } from '../../../server/src/core';

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

const valid: { name: string; text: string; settings?: RuleSettings }[] = [
  {
    name: 'the caller waits longer than the callee can spend (3s against 1s + 1s)',
    text: 'topology: t\nservices:\n  a: { calls: [{ to: b, timeout: 3s }] }\n  b: { calls: [{ to: c, timeout: 1s }, { to: d, timeout: 1s }] }\n  c: {}\n  d: {}\n',
  },
  {
    name: 'exactly what the callee can spend (2s against 1s × 2 attempts)',
    text: 'topology: t\nservices:\n  a: { calls: [{ to: b, timeout: 2s }] }\n  b: { calls: [{ to: c, timeout: 1s, retries: 1 }] }\n  c: {}\n',
  },
  {
    name: 'near miss: the callee’s slow call is asynchronous',
    text: 'topology: t\nservices:\n  a: { calls: [{ to: b, timeout: 1s }] }\n  b: { calls: [{ to: c, timeout: 1m, style: async }] }\n  c: {}\n',
  },
  {
    name: 'near miss: the callee calling itself is not counted (self-call reports it)',
    text: 'topology: t\nservices:\n  a: { calls: [{ to: b, timeout: 1s }] }\n  b: { calls: [{ to: b, timeout: 1m }, { to: c, timeout: 500ms }] }\n  c: {}\n',
  },
  {
    name: 'a caller with no timeout at all is missing-timeout’s',
    text: 'topology: t\nservices:\n  a: { calls: [{ to: b }] }\n  b: { calls: [{ to: c, timeout: 1m }] }\n  c: {}\n',
  },
  {
    name: 'an asynchronous caller waits for nothing',
    text: 'topology: t\nservices:\n  a: { calls: [{ to: b, timeout: 1s, style: async }] }\n  b: { calls: [{ to: c, timeout: 1m }] }\n  c: {}\n',
  },
  { name: 'off in the settings', text: plain(SHORT), settings: { 'timeout-budget': 'off' } },
];

interface Invalid {
  readonly name: string;
  readonly src: string;
  readonly expected: readonly Expected[];
  readonly settings?: RuleSettings;
  readonly check?: (found: ReturnType<typeof expectFindings>, text: string) => void;
}

const related = (f: ReturnType<typeof expectFindings>[number], text: string) => f.related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]);

const invalid: Invalid[] = [
  {
    name: 'the caller gives up first (block): at its timeout, the callee’s call related',
    src: SHORT,
    expected: [
      {
        messageId: 'budget',
        severity: 'warning',
        accepted: false,
        includes: ["'web' gives up on 'api' after 1s, but 'api' may wait 1.6s on its own calls (timeouts × attempts)", 'the work goes on downstream, and that work is wasted.', 'pass the deadline down'],
      },
    ],
    check: ([f], text) => assert.deepEqual(related(f, text), [['800ms', 'api → stock: 1.6s']]),
  },
  {
    name: 'a caller that retries starts the work again',
    src: 'topology: t\nservices:\n  a: { calls: [{ to: b, timeout: «1s», retries: 2 }] }\n  b: { calls: [{ to: c, timeout: 2s }] }\n  c: {}\n',
    expected: [{ includes: ['after 1s', 'may wait 2s', 'and its retry starts it all again'] }],
  },
  {
    name: "timeouts and retries from the file's defaults: at the caller's call",
    src: 'topology: t\ndefaults: { timeout: 2s, retries: 1 }\nservices:\n  a: { calls: [{ to: «b» }] }\n  b: { calls: [{ to: c }] }\n  c: {}\n',
    expected: [{ includes: ["'a' gives up on 'b' after 2s, but 'b' may wait 4s"] }],
    check: ([f], text) => assert.deepEqual(related(f, text), [['c', 'b → c: 4s']]),
  },
  {
    name: 'the callee’s calls add up: 500ms + 700ms against 1s; all are related, in order',
    src: 'topology: t\nservices:\n  a: { calls: [{ to: b, timeout: «1s» }] }\n  b: { calls: [{ to: c, timeout: 500ms }, { to: d, timeout: 700ms }, { to: e, style: async }] }\n  c: {}\n  d: {}\n  e: {}\n',
    expected: [{ includes: ['may wait 1.2s'] }],
    check: ([f], text) => assert.deepEqual(related(f, text), [['500ms', 'b → c: 500ms'], ['700ms', 'b → d: 700ms']]),
  },
  {
    name: 'a self-call of the callee is neither counted nor listed',
    src: 'topology: t\nservices:\n  a: { calls: [{ to: b, timeout: «1s» }] }\n  b: { calls: [{ to: b, timeout: 1m }, { to: c, timeout: 2s }] }\n  c: {}\n',
    expected: [{ includes: ['may wait 2s'] }],
    check: ([f], text) => assert.deepEqual(related(f, text), [['2s', 'b → c: 2s']]),
  },
  {
    name: 'every caller with too short a timeout, down the chain',
    src: 'topology: t\nservices:\n  a: { calls: [{ to: b, timeout: «1s» }] }\n  b: { calls: [{ to: c, timeout: «2s» }] }\n  c: { calls: [{ to: d, timeout: 3s }] }\n  d: {}\n',
    expected: [{ includes: ["'a' gives up on 'b' after 1s, but 'b' may wait 2s"] }, { includes: ["'b' gives up on 'c' after 2s, but 'c' may wait 3s"] }],
  },
  { name: 'severity from the settings', src: SHORT, settings: { 'timeout-budget': 'error' }, expected: [{ severity: 'error' }] },
  { name: "severity from the file's rules block", src: SHORT + 'rules:\n  timeout-budget: info\n', expected: [{ severity: 'info' }] },
  {
    name: 'accept on the call: accepted',
    src: 'topology: t\nservices:\n  a: { calls: [{ to: b, timeout: «1s», accept: [{ rule: timeout-budget, reason: b answers from cache first }] }] }\n  b: { calls: [{ to: c, timeout: 2s }] }\n  c: {}\n',
    expected: [{ accepted: true }],
    check: ([f]) => assert.equal(f.accepted?.reason, 'b answers from cache first'),
  },
];

describe('timeout-budget', () => {
  describe('valid', () => {
    for (const v of valid) test(v.name, () => expectClean(RULE, v.text, v.settings));
  });

  describe('invalid', () => {
    for (const i of invalid) {
      test(i.name, () => {
        const found = expectFindings(RULE, i.src, i.expected, i.settings);
        i.check?.(found, marked(i.src).text);
      });
    }
  });

  describe('fixes', () => {
    test('only "Accept this trade-off", on the caller’s call', () => {
      const text = plain(SHORT);
      const r = run(text);
      assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title), ['Accept this trade-off (record a decision on the call web → api)']);
      const after = applyFix(text, RULE, /Accept this trade-off/);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['        accept:', '          - rule: timeout-budget', '            reason: "TODO: why this trade-off is acceptable"'] });
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });
  });
});
