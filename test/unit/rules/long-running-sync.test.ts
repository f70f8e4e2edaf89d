/**
 * long-running-sync: a sync call whose timeout (own or default) is over `max` (default 30s). A warning at
 * `timeout`, or at the call's `to` when the timeout comes from defaults. Fix: `style: async`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, diffLines, expectClean, findingsOf, marked, run, yaml } from '../../helpers';
import { ruleTester, type InvalidCase, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES } from '../../../server/src/core';

const RULE = 'long-running-sync';
const plain = (s: string) => marked(s).text;

const REPORT = yaml`
  topology: t
  services:
    web:
      calls:
        - to: reports   # the yearly report
          operation: Build
          timeout: «45s»
    reports: {}
`;

const valid: ValidCase[] = [
  { name: 'exactly 30s', text: 'topology: t\nservices:\n  a: { calls: [{ to: b, timeout: 30s }] }\n  b: {}\n' },
  { name: 'half a minute written in minutes', text: 'topology: t\nservices:\n  a: { calls: [{ to: b, timeout: 0.5m }] }\n  b: {}\n' },
  { name: 'near miss: an asynchronous call may take its time', text: 'topology: t\nservices:\n  a: { calls: [{ to: b, style: async, timeout: 10m }] }\n  b: {}\n' },
  { name: 'no timeout at all is missing-timeout’s', text: 'topology: t\nservices:\n  a: { calls: [{ to: b }] }\n  b: {}\n' },
  { name: 'max 1m from the settings (in milliseconds)', text: plain(REPORT), settings: { 'long-running-sync': { max: 60_000 } } },
  { name: "max 1m from the file's rules block", text: plain(REPORT) + 'rules:\n  long-running-sync: { max: 1m }\n' },
  { name: 'off in the settings', text: plain(REPORT), settings: { 'long-running-sync': 'off' } },
];

const invalid: InvalidCase[] = [
  {
    name: '45s on the call: at the timeout',
    src: REPORT,
    expected: [{ messageId: 'long', severity: 'warning', accepted: false, includes: ['The call web → reports may block for 45s, over the limit of 30s', 'asynchronous request-response over a queue (style: async)'] }],
  },
  {
    name: "a timeout from the file's defaults: at the call",
    src: 'topology: t\ndefaults: { timeout: 2m }\nservices:\n  a: { calls: [{ to: «b» }, { to: c, timeout: 1s }] }\n  b: {}\n  c: {}\n',
    expected: [{ includes: ['may block for 2m, over the limit of 30s'] }],
  },
  {
    name: 'a bare number is milliseconds: 30001 is over 30s',
    src: 'topology: t\nservices:\n  a: { calls: [{ to: b, timeout: «30001» }] }\n  b: {}\n',
    expected: [{ includes: ['may block for 30001ms'] }],
  },
  { name: 'max 10s from the settings', src: 'topology: t\nservices:\n  a: { calls: [{ to: b, timeout: «15s» }] }\n  b: {}\n', settings: { 'long-running-sync': { max: 10_000 } }, expected: [{ includes: ['15s, over the limit of 10s'] }] },
  {
    name: "max 10s from the file's rules block wins over the settings",
    src: 'topology: t\nservices:\n  a: { calls: [{ to: b, timeout: «15s» }] }\n  b: {}\nrules:\n  long-running-sync: { max: 10s }\n',
    settings: { 'long-running-sync': { max: 600_000 } },
    expected: [{ includes: ['over the limit of 10s'] }],
  },
  { name: 'severity from the settings', src: REPORT, settings: { 'long-running-sync': 'error' }, expected: [{ severity: 'error' }] },
  {
    name: 'accept on the calling service: accepted',
    src: 'topology: t\nservices:\n  a: { accept: [{ rule: long-running-sync, reason: an admin tool }], calls: [{ to: b, timeout: «1m» }] }\n  b: {}\n',
    expected: [{ accepted: true }],
  },
];

describe('long-running-sync', () => {
  ruleTester(RULE, { valid, invalid });

  describe('fixes', () => {
    const text = plain(REPORT);

    test('the fixes: make it asynchronous (preferred), then accept', () => {
      const r = run(text);
      assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => [f.title, !!f.isPreferred]), [
        ['Make the call web → reports asynchronous (style: async)', true],
        ['Accept long-running-sync on the call web → reports', false],
      ]);
    });

    test('make it asynchronous (block): one line, the comment kept, the finding gone', () => {
      const after = applyFix(text, RULE, /asynchronous/);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['        style: async'] });
      assert.ok(after.includes('      - to: reports   # the yearly report\n'));
      expectClean(RULE, after);
    });

    test('make it asynchronous where it says style: sync (flow): replaced in place', () => {
      const src = 'topology: t\nservices:\n  a: { calls: [{ to: b, style: sync, timeout: 5m }] }\n  b: {}\n';
      const after = applyFix(src, RULE, /asynchronous/);
      assert.deepEqual(diffLines(src, after), { removed: ['  a: { calls: [{ to: b, style: sync, timeout: 5m }] }'], added: ['  a: { calls: [{ to: b, style: async, timeout: 5m }] }'] });
      expectClean(RULE, after);
    });

    test('accept: an accept entry on the call', () => {
      const after = applyFix(text, RULE, /^Accept long-running-sync on /);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['        accept:', '          - rule: long-running-sync', '            reason: "TODO: why this trade-off is acceptable"'] });
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });
  });
});
