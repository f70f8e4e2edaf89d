/**
 * no-fallback: a sync call that a user request reaches (from an external service, or from a flow's entry)
 * with no `fallback`, to a callee with no availability slo of its own. An info at the call's `to`. The
 * file's `defaults.availability` is an assumption about services that promise nothing, so it does not
 * silence the rule.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, diffLines, expectClean, expectFindings, findingsOf, marked, run, yaml, type Expected } from '../../helpers';
import { fixesFor, RULES, type RuleSettings } from '../../../server/src/core';

const RULE = 'no-fallback';
const plain = (s: string) => marked(s).text;

const WEB = yaml`
  topology: t
  services:
    web:
      exposure: external
      calls:
        - to: «recommend»   # the strip under the product
          timeout: 300ms
    recommend: {}
`;

const valid: { name: string; text: string; settings?: RuleSettings }[] = [
  { name: 'a fallback on the call', text: 'topology: t\nservices:\n  web: { exposure: external, calls: [{ to: r, fallback: show bestsellers }] }\n  r: {}\n' },
  { name: 'the callee promises an availability', text: 'topology: t\nservices:\n  web: { exposure: external, calls: [{ to: r }] }\n  r: { slo: { availability: 99.95% } }\n' },
  { name: 'near miss: no user request reaches the call (no external service, no flow)', text: 'topology: t\nservices:\n  job: { kind: job, calls: [{ to: r }] }\n  r: {}\n' },
  { name: 'near miss: an asynchronous call fails nobody', text: 'topology: t\nservices:\n  web: { exposure: external, calls: [{ to: r, style: async }] }\n  r: {}\n' },
  {
    name: 'near miss: the user request reaches the caller only asynchronously',
    text: 'topology: t\nservices:\n  web: { exposure: external, calls: [{ to: q, style: async, fallback: queue later }] }\n  q: { calls: [{ to: r }] }\n  r: {}\n',
  },
  { name: 'a call to an unknown service is unknown-reference’s', text: 'topology: t\nservices:\n  web: { exposure: external, calls: [{ to: ghost }] }\n' },
  { name: 'a self-call is self-call’s', text: 'topology: t\nservices:\n  web: { exposure: external, calls: [{ to: web }] }\n' },
  { name: 'off in the settings', text: plain(WEB), settings: { 'no-fallback': 'off' } },
];

interface Invalid {
  readonly name: string;
  readonly src: string;
  readonly expected: readonly Expected[];
  readonly settings?: RuleSettings;
}

const invalid: Invalid[] = [
  {
    name: 'an external service’s call with no fallback: an info at the call',
    src: WEB,
    expected: [{ messageId: 'no-fallback', severity: 'info', accepted: false, includes: ["A user request reaches the call web → recommend, which has no fallback, and 'recommend' promises no availability (no slo)", "Say what 'web' does instead"] }],
  },
  {
    name: 'every hop a user request reaches, down the chain',
    src: 'topology: t\nservices:\n  web: { exposure: external, calls: [{ to: «api» }] }\n  api: { calls: [{ to: «db-api» }, { to: cache, fallback: miss }] }\n  db-api: {}\n  cache: {}\n',
    expected: [{ includes: ['web → api'] }, { includes: ['api → db-api'] }],
  },
  {
    name: "the file's defaults.availability does not count as the callee's promise",
    src: 'topology: t\ndefaults: { availability: 99.9% }\nservices:\n  web: { exposure: external, calls: [{ to: «api» }] }\n  api: {}\n',
    expected: [{ includes: ["'api' promises no availability"] }],
  },
  {
    name: 'an slo with a latency only promises no availability',
    src: 'topology: t\nservices:\n  web: { exposure: external, calls: [{ to: «api» }] }\n  api: { slo: { latency: 200ms } }\n',
    expected: [{ messageId: 'no-fallback' }],
  },
  {
    name: "a flow's entry is where user requests come in, whatever its exposure",
    src: 'topology: t\nservices:\n  api: { calls: [{ to: «orders» }] }\n  orders: {}\nflows:\n  order: { entry: api }\n',
    expected: [{ includes: ['api → orders'] }],
  },
  { name: 'severity from the settings', src: WEB, settings: { 'no-fallback': 'warning' }, expected: [{ severity: 'warning' }] },
  { name: "severity from the file's rules block", src: WEB + 'rules:\n  no-fallback: warning\n', expected: [{ severity: 'warning' }] },
  {
    name: 'accept on the call: accepted',
    src: 'topology: t\nservices:\n  web: { exposure: external, calls: [{ to: «pay», accept: [{ rule: no-fallback, reason: no order without payment }] }] }\n  pay: {}\n',
    expected: [{ accepted: true }],
  },
];

describe('no-fallback', () => {
  describe('valid', () => {
    for (const v of valid) test(v.name, () => expectClean(RULE, v.text, v.settings));
  });

  describe('invalid', () => {
    for (const i of invalid) test(i.name, () => void expectFindings(RULE, i.src, i.expected, i.settings));
  });

  describe('fixes', () => {
    const text = plain(WEB);

    test('the fixes: add a fallback, then accept', () => {
      const r = run(text);
      assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title), [
        'Add a fallback to the call web → recommend',
        'Accept this trade-off (record a decision on the call web → recommend)',
      ]);
    });

    test('add a fallback (block): one line, the comment kept, the finding gone', () => {
      const after = applyFix(text, RULE, /Add a fallback/);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['        fallback: "TODO: what the caller does when this call fails"'] });
      assert.ok(after.includes('      - to: recommend   # the strip under the product\n'));
      expectClean(RULE, after);
    });

    test('add a fallback (flow): the call stays a flow map', () => {
      const src = 'topology: t\nservices:\n  web: { exposure: external, calls: [{ to: r }] }\n  r: {}\n';
      const after = applyFix(src, RULE, /Add a fallback/);
      assert.deepEqual(diffLines(src, after), {
        removed: ['  web: { exposure: external, calls: [{ to: r }] }'],
        added: ['  web: { exposure: external, calls: [{ to: r, fallback: "TODO: what the caller does when this call fails" }] }'],
      });
      expectClean(RULE, after);
    });

    test('accept: an accept entry on the call', () => {
      const after = applyFix(text, RULE, /Accept this trade-off/);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['        accept:', '          - rule: no-fallback', '            reason: "TODO: why this trade-off is acceptable"'] });
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });
  });
});
