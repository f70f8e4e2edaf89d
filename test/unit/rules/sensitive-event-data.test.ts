/**
 * sensitive-event-data: a `sensitive` field of an event reaching a subscriber whose `uses` does not list
 * it (messageId unused-sensitive), or that lists no fields at all (no-uses). An info at the subscription's
 * event reference; the sensitive fields it gets for nothing are related information. Fixes: list the
 * fields the consumer needs (no-uses only); remove a sensitive field that no consumer uses.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, diffLines, expectClean, findingsOf, marked, run, yaml } from '../../helpers';
import { ruleTester, type InvalidCase, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES } from '../../../server/src/core';

const RULE = 'sensitive-event-data';
const plain = (s: string) => marked(s).text;

/** The mailer needs the email; analytics lists what it uses, and that is not the email. */
const PLACED = yaml`
  topology: t
  services:
    orders: { publishes: [{ event: placed, delivery: outbox }] }
    mailer:
      subscribes:
        - event: placed
          uses: [orderId, email]
    analytics:
      subscribes:
        - event: «placed»   # counts orders
          uses: [orderId, items]
  events:
    placed:
      fields:
        - orderId
        - items
        - { name: email, sensitive: true }
`;

const valid: ValidCase[] = [
  {
    name: 'no sensitive fields',
    text: 'topology: t\nservices:\n  p: { publishes: [{ event: e }] }\n  s: { subscribes: [{ event: e }] }\nevents:\n  e: { fields: [a, b] }\n',
  },
  {
    name: 'every consumer lists the sensitive field: it needs it',
    text: 'topology: t\nservices:\n  p: { publishes: [{ event: e }] }\n  s: { subscribes: [{ event: e, uses: [a, card] }] }\nevents:\n  e: { fields: [a, { name: card, sensitive: true }] }\n',
  },
  {
    name: 'near miss: `sensitive: false` is not sensitive',
    text: 'topology: t\nservices:\n  p: { publishes: [{ event: e }] }\n  s: { subscribes: [{ event: e, uses: [a] }] }\nevents:\n  e: { fields: [a, { name: b, sensitive: false }] }\n',
  },
  {
    name: 'nobody subscribes: the data reaches nobody',
    text: 'topology: t\nservices:\n  p: { publishes: [{ event: e }] }\nevents:\n  e: { fields: [{ name: card, sensitive: true }] }\n',
  },
  { name: 'off in the settings', text: plain(PLACED), settings: { 'sensitive-event-data': 'off' } },
];

const invalid: InvalidCase[] = [
  {
    name: 'a consumer whose uses leaves the sensitive field out: an info at its subscription, the field related',
    src: PLACED,
    expected: [{ messageId: 'unused-sensitive', severity: 'info', accepted: false, includes: ["'analytics' receives the sensitive field 'email' of 'placed' but does not list it in uses", 'split \'placed\' into a public and a private event'] }],
    check: ([f], text) => assert.deepEqual(f.related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]), [['{ name: email, sensitive: true }', "'email' is sensitive"]]),
  },
  {
    name: 'a consumer that says nothing of the fields it needs',
    src: 'topology: t\nservices:\n  p: { publishes: [{ event: e }] }\n  s: { subscribes: [{ event: «e» }] }\nevents:\n  e: { fields: [a, { name: card, sensitive: true }] }\n',
    expected: [{ messageId: 'no-uses', includes: ["'s' receives the sensitive field 'card' of 'e' and does not say which fields it needs"] }],
  },
  {
    name: 'two sensitive fields, one of them used',
    src: 'topology: t\nservices:\n  p: { publishes: [{ event: e }] }\n  s: { subscribes: [{ event: «e», uses: [card] }] }\nevents:\n  e: { fields: [{ name: card, sensitive: true }, { name: email, sensitive: true }, { name: phone, sensitive: true }] }\n',
    expected: [{ includes: ["receives 2 sensitive fields of 'e' that it does not list in uses. Sensitive data ('email', 'phone') spreads"] }],
    check: ([f]) => assert.equal(f.related?.length, 2),
  },
  {
    name: 'an empty uses list names nothing it needs',
    src: 'topology: t\nservices:\n  p: { publishes: [{ event: e }] }\n  s: { subscribes: [{ event: «e», uses: [] }] }\nevents:\n  e: { fields: [{ name: card, sensitive: true }] }\n',
    expected: [{ messageId: 'unused-sensitive' }],
  },
  { name: 'severity from the settings', src: PLACED, settings: { 'sensitive-event-data': 'warning' }, expected: [{ severity: 'warning' }] },
  { name: "severity from the file's rules block", src: PLACED + 'rules:\n  sensitive-event-data: warning\n', expected: [{ severity: 'warning' }] },
  {
    name: 'accept on the subscription: accepted',
    src: 'topology: t\nservices:\n  p: { publishes: [{ event: e }] }\n  s: { subscribes: [{ event: «e», accept: [{ rule: sensitive-event-data, reason: audited consumer }] }] }\nevents:\n  e: { fields: [{ name: card, sensitive: true }] }\n',
    expected: [{ accepted: true }],
  },
  {
    name: 'accept on the event: accepted',
    src: 'topology: t\nservices:\n  p: { publishes: [{ event: e }] }\n  s: { subscribes: [{ event: «e» }] }\nevents:\n  e: { fields: [{ name: card, sensitive: true }], accept: [{ rule: sensitive-event-data, reason: internal only }] }\n',
    expected: [{ accepted: true }],
  },
];

describe('sensitive-event-data', () => {
  ruleTester(RULE, { valid, invalid });

  describe('fixes', () => {
    test('a field another consumer needs is not offered for removal: only accept', () => {
      const text = plain(PLACED);
      const r = run(text);
      assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title), [
        "Accept sensitive-event-data on the subscription of 'analytics' to 'placed'",
      ]);
    });

    test('remove a sensitive field nobody uses (block): its line goes, the finding is gone', () => {
      const text = plain(PLACED).replace('uses: [orderId, email]', 'uses: [orderId]');
      const r = run(text);
      assert.equal(findingsOf(r, RULE).length, 2);
      assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title), [
        "Remove the sensitive field 'email' from 'placed': no consumer uses it",
        "Accept sensitive-event-data on the subscription of 'mailer' to 'placed'",
      ]);
      const after = applyFix(text, RULE, /Remove the sensitive field 'email'/);
      assert.deepEqual(diffLines(text, after), { removed: ['      - { name: email, sensitive: true }'], added: [] });
      expectClean(RULE, after);
    });

    test('remove a sensitive field nobody uses (flow): the list stays flow', () => {
      const src = 'topology: t\nservices:\n  p: { publishes: [{ event: e }] }\n  s: { subscribes: [{ event: e, uses: [a] }] }\nevents:\n  e: { fields: [a, { name: card, sensitive: true }, b] }\n';
      const after = applyFix(src, RULE, /Remove the sensitive field 'card'/);
      assert.deepEqual(diffLines(src, after), { removed: ['  e: { fields: [a, { name: card, sensitive: true }, b] }'], added: ['  e: { fields: [a, b] }'] });
      expectClean(RULE, after);
    });

    test('two unused sensitive fields: one fix each; removing one leaves a finding about the other', () => {
      const src = 'topology: t\nservices:\n  p: { publishes: [{ event: e }] }\n  s: { subscribes: [{ event: e, uses: [a] }] }\nevents:\n  e: { fields: [a, { name: card, sensitive: true }, { name: email, sensitive: true }] }\n';
      const r = run(src);
      assert.deepEqual(
        fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title).filter((t) => t.startsWith('Remove')),
        ["Remove the sensitive field 'card' from 'e': no consumer uses it", "Remove the sensitive field 'email' from 'e': no consumer uses it"],
      );
      const after = applyFix(src, RULE, /Remove the sensitive field 'email'/);
      assert.deepEqual(diffLines(src, after), { removed: ['  e: { fields: [a, { name: card, sensitive: true }, { name: email, sensitive: true }] }'], added: ['  e: { fields: [a, { name: card, sensitive: true }] }'] });
      const [f] = findingsOf(run(after), RULE);
      assert.ok(f.message.includes("receives the sensitive field 'card' of 'e'"), f.message);
    });

    test('a consumer that says nothing: list the non-sensitive fields; the finding becomes unused-sensitive', () => {
      const src = 'topology: t\nservices:\n  p: { publishes: [{ event: e }] }\n  s:\n    subscribes:\n      - event: e   # new consumer\nevents:\n  e: { fields: [a, b, { name: card, sensitive: true }] }\n';
      const r = run(src);
      assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title), [
        "List the fields 's' needs (uses: [a, b]); receiving 'card' remains, to trim or split off",
        "Accept sensitive-event-data on the subscription of 's' to 'e'",
      ]);
      const after = applyFix(src, RULE, /List the fields/);
      assert.deepEqual(diffLines(src, after), { removed: [], added: ['        uses: [a, b]'] });
      const [f] = findingsOf(run(after), RULE);
      assert.equal(f.messageId, 'unused-sensitive');
      // Now every consumer says what it uses, so the field can go.
      const trimmed = applyFix(after, RULE, /Remove the sensitive field 'card'/);
      expectClean(RULE, trimmed);
    });

    test('list the fields (flow): the subscription stays a flow map', () => {
      const src = 'topology: t\nservices:\n  p: { publishes: [{ event: e }] }\n  s: { subscribes: [{ event: e }] }\nevents:\n  e: { fields: [a, { name: card, sensitive: true }] }\n';
      const after = applyFix(src, RULE, /List the fields/);
      assert.deepEqual(diffLines(src, after), { removed: ['  s: { subscribes: [{ event: e }] }'], added: ['  s: { subscribes: [{ event: e, uses: [a] }] }'] });
    });

    test('accept: an accept entry on the subscription, the comment kept', () => {
      const text = plain(PLACED);
      const after = applyFix(text, RULE, /^Accept sensitive-event-data on /);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['        accept:', '          - rule: sensitive-event-data', '            reason: "TODO: why this trade-off is acceptable"'] });
      assert.ok(after.includes('- event: placed   # counts orders\n'));
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });
  });
});
