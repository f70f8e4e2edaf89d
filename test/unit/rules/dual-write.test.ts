/**
 * dual-write: a service that writes a datastore (not a cache) and publishes an event with `delivery:
 * direct` (the default), or that publishes two or more events directly. A warning at each direct publish
 * entry's event; the store writes and the other direct publishes are related information. Fixes:
 * `delivery: outbox` (preferred) or `delivery: cdc`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, diffLines, expectClean, type expectFindings, findingsOf, marked, run, yaml } from '../../helpers';
import { ruleTester, type InvalidCase, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES } from '../../../server/src/core';

const RULE = 'dual-write';
const plain = (s: string) => marked(s).text;

const ORDERS = yaml`
  topology: t
  services:
    orders:
      uses:
        - store: orders-db
      publishes:
        - event: «placed»   # tells shipping
    shipping: { subscribes: [{ event: placed }] }
  datastores:
    orders-db: { owner: orders }
  events:
    placed: {}
`;

const valid: ValidCase[] = [
  ...['outbox', 'cdc', 'transactional'].map((delivery) => ({
    name: `a write and a publish with delivery: ${delivery}`,
    text: `topology: t\nservices:\n  a: { uses: [{ store: db }], publishes: [{ event: e, delivery: ${delivery} }] }\ndatastores:\n  db: { owner: a }\nevents:\n  e: {}\n`,
  })),
  { name: 'near miss: reading a store and publishing directly', text: 'topology: t\nservices:\n  a: { uses: [{ store: db, access: read }], publishes: [{ event: e }] }\ndatastores:\n  db: {}\nevents:\n  e: {}\n' },
  { name: 'near miss: one direct publish and no store', text: 'topology: t\nservices:\n  a: { publishes: [{ event: e }, { event: f, delivery: outbox }] }\nevents:\n  e: {}\n  f: {}\n' },
  { name: 'a write to an unknown store is unknown-reference’s', text: 'topology: t\nservices:\n  a: { uses: [{ store: ghost }], publishes: [{ event: e }] }\nevents:\n  e: {}\n' },
  { name: 'off in the settings', text: plain(ORDERS), settings: { 'dual-write': 'off' } },
];


const related = (f: ReturnType<typeof expectFindings>[number], text: string) => f.related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]);

const invalid: InvalidCase[] = [
  {
    name: 'a cache written next to a database holds copies: the database is the write named, the cache is not related',
    src: 'topology: t\nservices:\n  a: { uses: [{ store: sessions }, { store: db }], publishes: [{ event: «e» }] }\ndatastores:\n  sessions: { kind: cache, owner: a }\n  db: { owner: a }\nevents:\n  e: {}\n',
    expected: [{ messageId: 'store-and-publish', includes: ["'a' writes 'db' and publishes 'e' directly"] }],
    check: ([f]) => assert.deepEqual(f.related?.map((r) => r.message), ['writes db']),
  },
  {
    name: 'a cache that is the only store a service writes is its system of record (revision 2)',
    src: 'topology: t\nservices:\n  a: { uses: [{ store: sessions }], publishes: [{ event: «e» }] }\ndatastores:\n  sessions: { kind: cache, owner: a }\nevents:\n  e: {}\n',
    expected: [{ messageId: 'store-and-publish', includes: ["'a' writes 'sessions' and publishes 'e' directly: two writes that cannot commit together.", '(a cache, but the only store it writes)'] }],
  },
  {
    name: 'a write and a direct publish (block, delivery left out): at the publish, the write related',
    src: ORDERS,
    expected: [{ messageId: 'store-and-publish', severity: 'warning', accepted: false, includes: ["'orders' writes 'orders-db' and publishes 'placed' directly: two writes that cannot commit together", 'delivery: outbox', 'delivery: cdc'] }],
    check: ([f], text) => assert.deepEqual(related(f, text), [['orders-db', 'writes orders-db']]),
  },
  {
    name: 'two direct publishes and no store (flow): both reported, each with the other related',
    src: 'topology: t\nservices:\n  a: { publishes: [{ event: «public», delivery: direct }, { event: «private» }] }\nevents:\n  public: {}\n  private: {}\n',
    expected: [{ messageId: 'several-publishes', includes: ["'a' publishes 2 events directly, 'public' among them: sends that cannot commit together.", "('public', 'private')"] }, { messageId: 'several-publishes' }],
    check: ([a, b], text) => {
      assert.deepEqual(related(a, text), [['private', 'publishes private directly']]);
      assert.deepEqual(related(b, text), [['public', 'publishes public directly']]);
    },
  },
  {
    name: 'writing a bucket counts',
    src: 'topology: t\nservices:\n  a: { uses: [{ store: files, access: write }], publishes: [{ event: «uploaded» }] }\ndatastores:\n  files: { kind: bucket }\nevents:\n  uploaded: {}\n',
    expected: [{ messageId: 'store-and-publish', includes: ["writes 'files'"] }],
  },
  {
    name: 'a cache and a database: the database is the dual write',
    src: 'topology: t\nservices:\n  a: { uses: [{ store: c }, { store: db }], publishes: [{ event: «e» }] }\ndatastores:\n  c: { kind: cache }\n  db: {}\nevents:\n  e: {}\n',
    expected: [{ includes: ["'a' writes 'db'"] }],
  },
  { name: 'severity from the settings', src: ORDERS, settings: { 'dual-write': 'error' }, expected: [{ severity: 'error' }] },
  { name: "severity from the file's rules block", src: ORDERS + 'rules:\n  dual-write: error\n', expected: [{ severity: 'error' }] },
  {
    name: 'accept on the publish entry: accepted',
    src: 'topology: t\nservices:\n  a: { uses: [{ store: db }], publishes: [{ event: «e», accept: [{ rule: dual-write, reason: the event is a hint, losing it is fine }] }] }\ndatastores:\n  db: {}\nevents:\n  e: {}\n',
    expected: [{ accepted: true }],
  },
];

describe('dual-write', () => {
  ruleTester(RULE, { valid, invalid });

  describe('fixes', () => {
    const text = plain(ORDERS);

    test('the fixes: outbox (preferred), cdc, then accept', () => {
      const r = run(text);
      assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => [f.title, !!f.isPreferred]), [
        ["Publish 'placed' through a transactional outbox (delivery: outbox)", true],
        ["Publish 'placed' by change data capture (delivery: cdc)", false],
        ["Accept dual-write on the publication of 'placed' by 'orders'", false],
      ]);
    });

    test('outbox (block): one line under the publish entry, the comment kept, the finding gone', () => {
      const after = applyFix(text, RULE, /outbox/);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['        delivery: outbox'] });
      assert.ok(after.includes('      - event: placed   # tells shipping\n        delivery: outbox\n'));
      expectClean(RULE, after);
    });

    test('cdc (flow), replacing delivery: direct', () => {
      const src = 'topology: t\nservices:\n  a: { uses: [{ store: db }], publishes: [{ event: e, delivery: direct }] }\ndatastores:\n  db: {}\nevents:\n  e: {}\n';
      const after = applyFix(src, RULE, /cdc/);
      assert.deepEqual(diffLines(src, after), {
        removed: ['  a: { uses: [{ store: db }], publishes: [{ event: e, delivery: direct }] }'],
        added: ['  a: { uses: [{ store: db }], publishes: [{ event: e, delivery: cdc }] }'],
      });
      expectClean(RULE, after);
    });

    test('two direct publishes: an outbox for one leaves a single direct publish, which is no dual write', () => {
      const src = 'topology: t\nservices:\n  a: { publishes: [{ event: public }, { event: private }] }\nevents:\n  public: {}\n  private: {}\n';
      const after = applyFix(src, RULE, /outbox/);
      assert.deepEqual(diffLines(src, after), {
        removed: ['  a: { publishes: [{ event: public }, { event: private }] }'],
        added: ['  a: { publishes: [{ event: public, delivery: outbox }, { event: private }] }'],
      });
      expectClean(RULE, after);
    });

    test('accept: an accept entry on the publish entry', () => {
      const after = applyFix(text, RULE, /^Accept dual-write on /);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['        accept:', '          - rule: dual-write', '            reason: "TODO: why this trade-off is acceptable"'] });
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });
  });
});
