/**
 * retry-amplification: along a sync chain from an entry, the product of (retries + 1) per hop reaches
 * `max` (default 9) with retries at two layers or more. A warning at the entry's first call on that
 * chain; the hops that retry are the related information, in order. Retries come from the call, else
 * from the file's defaults. The fix keeps the retries of the retrying hop nearest the user.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, diffLines, expectClean, type expectFindings, findingsOf, marked, run, yaml } from '../../helpers';
import { ruleTester, type InvalidCase, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES } from '../../../server/src/core';

const RULE = 'retry-amplification';
const plain = (s: string) => marked(s).text;

/** Two layers of 2 retries: 3 × 3 = 9 calls to stock. */
const NINE = yaml`
  topology: t
  services:
    web:
      exposure: external
      calls:
        - to: «api»   # the page
          timeout: 2s
          retries: 2
    api:
      calls:
        - to: stock
          timeout: 500ms
          retries: 2
    stock: {}
`;

const valid: ValidCase[] = [
  { name: 'two layers of one retry: 4 attempts', text: 'topology: t\nservices:\n  a: { calls: [{ to: b, retries: 1 }] }\n  b: { calls: [{ to: c, retries: 1 }] }\n  c: {}\n' },
  {
    name: 'three layers of one retry: 8 attempts, one short of 9',
    text: 'topology: t\nservices:\n  a: { calls: [{ to: b, retries: 1 }] }\n  b: { calls: [{ to: c, retries: 1 }] }\n  c: { calls: [{ to: d, retries: 1 }] }\n  d: {}\n',
  },
  {
    name: 'near miss: eight retries at one layer are many retries, not amplification',
    text: 'topology: t\nservices:\n  a: { calls: [{ to: b, retries: 8 }] }\n  b: { calls: [{ to: c }] }\n  c: {}\n',
  },
  {
    name: 'near miss: an asynchronous hop ends the chain',
    text: 'topology: t\nservices:\n  a: { calls: [{ to: b, retries: 2 }] }\n  b: { calls: [{ to: c, retries: 2, style: async }] }\n  c: {}\n',
  },
  {
    name: 'retries on the call win over the defaults',
    text: 'topology: t\ndefaults: { retries: 2 }\nservices:\n  a: { calls: [{ to: b }] }\n  b: { calls: [{ to: c, retries: 0 }] }\n  c: {}\n',
  },
  {
    name: 'with flows, only flow entries start chains',
    text: 'topology: t\nservices:\n  a: { calls: [{ to: b, retries: 2 }] }\n  b: { calls: [{ to: c, retries: 2 }] }\n  c: {}\nflows:\n  f: { entry: c }\n',
  },
  { name: 'max 9 from the settings', text: plain(NINE), settings: { 'retry-amplification': { max: 9 } } },
  { name: "max 9 from the file's rules block", text: plain(NINE) + 'rules:\n  retry-amplification: { max: 9 }\n' },
  { name: 'off in the settings', text: plain(NINE), settings: { 'retry-amplification': 'off' } },
];


const related = (f: ReturnType<typeof expectFindings>[number], text: string) => f.related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]);

const invalid: InvalidCase[] = [
  {
    name: 'per-call retries: 3 × 3 = 9, at the entry’s first call, the retrying hops related',
    src: NINE,
    expected: [{ messageId: 'amplified', severity: 'warning', accepted: false, includes: ["Retries multiply from 'web': one request can make 9 calls to 'stock', over the limit of 8.", 'Along web → api → stock each layer', 'Retry at one layer only'] }],
    check: ([f], text) =>
      assert.deepEqual(related(f, text), [
        ['2', 'the call web → api: 3 attempts'],
        ['2', 'the call api → stock: 3 attempts'],
      ]),
  },
  {
    name: 'retries from defaults.retries: 2 × 2 × 2 × 2 = 16, related at the calls',
    src: 'topology: t\ndefaults: { retries: 1 }\nservices:\n  a: { calls: [{ to: «b» }] }\n  b: { calls: [{ to: c }] }\n  c: { calls: [{ to: d }] }\n  d: { calls: [{ to: e }] }\n  e: {}\n',
    expected: [{ includes: ["one request can make 16 calls to 'e'"] }],
    check: ([f], text) => assert.deepEqual(related(f, text)?.map((r) => r[0]), ['b', 'c', 'd', 'e']),
  },
  {
    name: 'defaults and per-call retries mixed',
    src: 'topology: t\ndefaults: { retries: 2 }\nservices:\n  a: { calls: [{ to: «b», retries: 0 }] }\n  b: { calls: [{ to: c }] }\n  c: { calls: [{ to: d }] }\n  d: {}\n',
    expected: [{ includes: ['a → b → c → d', '9 calls to'] }],
    check: ([f]) => assert.deepEqual(f.related?.map((r) => r.message), ['the call b → c: 3 attempts', 'the call c → d: 3 attempts']),
  },
  {
    name: 'the most amplified branch, at its own first call',
    src: 'topology: t\nservices:\n  a:\n    exposure: external\n    calls:\n      - { to: quiet, retries: 1 }\n      - { to: «loud», retries: 4 }\n  quiet: {}\n  loud: { calls: [{ to: z, retries: 4 }] }\n  z: {}\n',
    expected: [{ includes: ['a → loud → z', "25 calls to 'z'"] }],
  },
  { name: 'max 3 from the settings', src: 'topology: t\nservices:\n  a: { calls: [{ to: «b», retries: 1 }] }\n  b: { calls: [{ to: c, retries: 1 }] }\n  c: {}\n', settings: { 'retry-amplification': { max: 3 } }, expected: [{ includes: ['4 calls', 'over the limit of 3'] }] },
  {
    name: "max 3 from the file's rules block wins over the settings",
    src: 'topology: t\nservices:\n  a: { calls: [{ to: «b», retries: 1 }] }\n  b: { calls: [{ to: c, retries: 1 }] }\n  c: {}\nrules:\n  retry-amplification: { max: 3 }\n',
    settings: { 'retry-amplification': { max: 50 } },
    expected: [{ includes: ['over the limit of 3'] }],
  },
  { name: 'severity from the settings', src: NINE, settings: { 'retry-amplification': 'error' }, expected: [{ severity: 'error' }] },
  {
    name: 'accept on the entry service: accepted',
    src: 'topology: t\nservices:\n  a:\n    accept: [{ rule: retry-amplification, reason: stock is idempotent and cheap }]\n    calls: [{ to: «b», retries: 2 }]\n  b: { calls: [{ to: c, retries: 2 }] }\n  c: {}\n',
    expected: [{ accepted: true }],
    check: ([f]) => assert.equal(f.accepted?.reason, 'stock is idempotent and cheap'),
  },
];

describe('retry-amplification', () => {
  ruleTester(RULE, { valid, invalid });

  describe('fixes', () => {
    const text = plain(NINE);

    test('the fixes: retry only at the first hop, then accept', () => {
      const r = run(text);
      assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title), [
        // Its only edit is on hop 2, but the title is worded from the finding's call: no hop number.
        'Retry only at the call web → api: set retries: 0 on the hops after it',
        'Accept retry-amplification on the call web → api',
      ]);
    });

    test('retry only at the first hop (block): the inner retries become 0 in place', () => {
      const after = applyFix(text, RULE, /Retry only at/);
      assert.deepEqual(diffLines(text, after), { removed: ['        retries: 2'], added: ['        retries: 0'] });
      assert.ok(after.includes('      - to: api   # the page\n        timeout: 2s\n        retries: 2\n'), after);
      expectClean(RULE, after);
    });

    test('retries from defaults: the inner hops get retries: 0, the first keeps the default', () => {
      const src = 'topology: t\ndefaults: { retries: 2 }\nservices:\n  a: { calls: [{ to: b }] }\n  b: { calls: [{ to: c }] }\n  c: { calls: [{ to: d }] }\n  d: {}\n';
      const after = applyFix(src, RULE, /Retry only at the call a → b/);
      assert.deepEqual(diffLines(src, after), {
        removed: ['  b: { calls: [{ to: c }] }', '  c: { calls: [{ to: d }] }'],
        added: ['  b: { calls: [{ to: c, retries: 0 }] }', '  c: { calls: [{ to: d, retries: 0 }] }'],
      });
      expectClean(RULE, after);
    });

    test('a first hop that does not retry: the retries stay at the nearest hop that does', () => {
      const src = 'topology: t\nservices:\n  a: { calls: [{ to: b }] }\n  b: { calls: [{ to: c, retries: 2 }] }\n  c: { calls: [{ to: d, retries: 2 }] }\n  d: {}\n';
      const after = applyFix(src, RULE, /Retry only at the call b → c/);
      assert.deepEqual(diffLines(src, after), { removed: ['  c: { calls: [{ to: d, retries: 2 }] }'], added: ['  c: { calls: [{ to: d, retries: 0 }] }'] });
      expectClean(RULE, after);
      // Some retrying is left: the user still gets one retrying layer.
      assert.equal(run(after).system.services.get('b')!.calls[0].retries?.value, 2);
    });

    test('accept: an accept entry on the entry’s first call', () => {
      const after = applyFix(text, RULE, /^Accept retry-amplification on /);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['        accept:', '          - rule: retry-amplification', '            reason: "TODO: why this trade-off is acceptable"'] });
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });
  });
});

describe('retry-amplification: fixes that resolve', () => {
  test('retrying at one layer of the chain leaves another amplifying chain from the entry: the title says so', () => {
    const src = yaml`
      topology: t
      services:
        a: { exposure: external, calls: [{ to: b, retries: 2 }, { to: e, retries: 2 }] }
        b: { calls: [{ to: c, retries: 2 }] }
        c: {}
        e: { calls: [{ to: f, retries: 2 }] }
        f: {}
    `;
    const r = run(src);
    const [f] = findingsOf(r, RULE);
    const titles = fixesFor(f, r, RULES).map((x) => x.title);
    assert.equal(titles[0], 'Retry only at the call a → b: set retries: 0 on the hops after it; 9 attempts via e remain');
    const after = applyFix(src, RULE, /Retry only at/);
    assert.ok(findingsOf(run(after), RULE)[0].message.includes("one request can make 9 calls to 'f'"));
  });

  test('with one amplifying chain, the fix clears it and says nothing more', () => {
    const src = 'topology: t\nservices:\n  a: { calls: [{ to: b, retries: 2 }] }\n  b: { calls: [{ to: c, retries: 2 }] }\n  c: {}\n';
    const r = run(src);
    assert.equal(fixesFor(findingsOf(r, RULE)[0], r, RULES)[0].title, 'Retry only at the call a → b: set retries: 0 on the hops after it');
    expectClean(RULE, applyFix(src, RULE, /Retry only at/));
  });
});
