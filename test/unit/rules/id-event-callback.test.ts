/**
 * id-event-callback: a subscriber of a `content: id` event ("just an id") that also calls one of the
 * event's publishers synchronously. A warning at the subscriber's call; the event's `content` is the
 * related information. Fix: make the event fully detailed (`content: full`).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, diffLines, expectClean, findingsOf, marked, run, yaml } from '../../helpers';
import { ruleTester, type InvalidCase, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES } from '../../../server/src/core';

const RULE = 'id-event-callback';
const plain = (s: string) => marked(s).text;

const CALLBACK = yaml`
  topology: t
  services:
    orders:
      publishes:
        - event: order-placed
          delivery: outbox
    shipping:
      subscribes:
        - event: order-placed
      calls:
        - to: «orders»
          operation: GetOrder
  events:
    order-placed:
      content: id   # just the order id
`;

const valid: ValidCase[] = [
  {
    name: 'a fully detailed event: a call back is another matter',
    text: 'topology: t\nservices:\n  p: { publishes: [{ event: e, delivery: outbox }] }\n  s: { subscribes: [{ event: e }], calls: [{ to: p }] }\nevents:\n  e: { content: full }\n',
  },
  {
    name: 'an id event whose consumer calls somebody else',
    text: 'topology: t\nservices:\n  p: { publishes: [{ event: e, delivery: outbox }] }\n  s: { subscribes: [{ event: e }], calls: [{ to: other }] }\n  other: {}\nevents:\n  e: { content: id }\n',
  },
  {
    name: 'near miss: the consumer asks the publisher asynchronously',
    text: 'topology: t\nservices:\n  p: { publishes: [{ event: e, delivery: outbox }] }\n  s: { subscribes: [{ event: e }], calls: [{ to: p, style: async }] }\nevents:\n  e: { content: id }\n',
  },
  {
    name: 'near miss: a service that publishes, consumes its own event and calls itself (self-call’s)',
    text: 'topology: t\nservices:\n  p: { publishes: [{ event: e, delivery: outbox }], subscribes: [{ event: e }], calls: [{ to: p }] }\nevents:\n  e: { content: id }\n',
  },
  { name: 'off in the settings', text: plain(CALLBACK), settings: { 'id-event-callback': 'off' } },
];

const invalid: InvalidCase[] = [
  {
    name: 'the consumer calls the publisher back (block): at the call, the content related',
    src: CALLBACK,
    expected: [{ messageId: 'callback', severity: 'warning', accepted: false, includes: ["'shipping' receives 'order-placed', which carries just an id, and calls 'orders' back for the details", 'content: full'] }],
    check: ([f], text) => assert.deepEqual(f.related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]), [['id', "'order-placed' is content: id"]]),
  },
  {
    name: 'each sync call back is reported; the subscription listed twice counts once',
    src: 'topology: t\nservices:\n  p: { publishes: [{ event: e, delivery: outbox }] }\n  s:\n    subscribes: [{ event: e }, { event: e }]\n    calls: [{ to: «p», operation: A }, { to: «p», operation: B }]\nevents:\n  e: { content: id }\n',
    expected: [{ includes: ["'s' receives 'e'"] }, { includes: ["'s' receives 'e'"] }],
  },
  {
    name: 'any of the publishers, and every consumer that calls back',
    src: 'topology: t\nservices:\n  p1: { publishes: [{ event: e }] }\n  p2: { publishes: [{ event: e }] }\n  s1: { subscribes: [{ event: e }], calls: [{ to: «p2» }] }\n  s2: { subscribes: [{ event: e }], calls: [{ to: «p1» }] }\nevents:\n  e: { content: id }\n',
    expected: [{ includes: ["calls 'p2' back"] }, { includes: ["calls 'p1' back"] }],
  },
  { name: 'severity from the settings', src: CALLBACK, settings: { 'id-event-callback': 'error' }, expected: [{ severity: 'error' }] },
  { name: "severity from the file's rules block", src: CALLBACK + 'rules:\n  id-event-callback: info\n', expected: [{ severity: 'info' }] },
  {
    name: 'accept on the subscription: accepted',
    src: 'topology: t\nservices:\n  p: { publishes: [{ event: e }] }\n  s:\n    subscribes: [{ event: e, accept: [{ rule: id-event-callback, reason: the order is too big to send }] }]\n    calls: [{ to: «p» }]\nevents:\n  e: { content: id }\n',
    expected: [{ accepted: true }],
  },
  {
    name: 'accept on the call: accepted',
    src: 'topology: t\nservices:\n  p: { publishes: [{ event: e }] }\n  s: { subscribes: [{ event: e }], calls: [{ to: «p», accept: [{ rule: id-event-callback }] }] }\nevents:\n  e: { content: id }\n',
    expected: [{ accepted: true }],
  },
];

describe('id-event-callback', () => {
  ruleTester(RULE, { valid, invalid });

  describe('fixes', () => {
    const text = plain(CALLBACK);

    test('the fixes: a fully detailed event (preferred), then accept', () => {
      const r = run(text);
      assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => [f.title, !!f.isPreferred]), [
        ["Make 'order-placed' a fully detailed event (content: full)", true],
        ['Accept id-event-callback on the call shipping → orders', false],
      ]);
    });

    test('content: full (block): replaced in place, the comment kept, the finding gone', () => {
      const after = applyFix(text, RULE, /fully detailed/);
      assert.deepEqual(diffLines(text, after), { removed: ['    content: id   # just the order id'], added: ['    content: full   # just the order id'] });
      expectClean(RULE, after);
    });

    test('content: full (flow)', () => {
      const src = 'topology: t\nservices:\n  p: { publishes: [{ event: e }] }\n  s: { subscribes: [{ event: e }], calls: [{ to: p }] }\nevents:\n  e: { content: id, payload: 64B }\n';
      const after = applyFix(src, RULE, /fully detailed/);
      assert.deepEqual(diffLines(src, after), { removed: ['  e: { content: id, payload: 64B }'], added: ['  e: { content: full, payload: 64B }'] });
      expectClean(RULE, after);
    });

    test('accept: an accept entry on the call', () => {
      const after = applyFix(text, RULE, /^Accept id-event-callback on /);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['        accept:', '          - rule: id-event-callback', '            reason: "TODO: why this trade-off is acceptable"'] });
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });
  });
});
