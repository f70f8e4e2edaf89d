/**
 * chatty-calls: a call with `perRequest > max` (default 4) or `perRequest: n`, reported on the perRequest
 * value; and a service whose sync calls per incoming request add up to `> total` (default 14), reported on
 * the service key. Async calls do not count toward the total.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectClean, findingsOf, marked, run, yaml, diffLines, crlf } from '../../helpers';
import { ruleTester, type InvalidCase, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES } from '../../../server/src/core';

const RULE = 'chatty-calls';



/** Five sync calls of 3 each: a total of 15, one over the default limit. */
const TOTAL_15 = yaml`
  topology: t
  services:
    «agg»:
      calls:
        - { to: a, perRequest: 3 }
        - { to: b, perRequest: 3 }
        - { to: c, perRequest: 3 }
        - { to: d, perRequest: 3 }
        - { to: e, perRequest: 3 }
    a: {}
    b: {}
    c: {}
    d: {}
    e: {}
`;

const PER_10 = yaml`
  topology: t
  services:
    cart:
      # Prices are fetched one by one.
      calls:
        - to: price
          perRequest: «10»   # one per line item
          timeout: 200ms
        - to: stock
    price: {}
    stock: {}
`;

const valid: ValidCase[] = [
  {
    name: 'perRequest just under max (4)',
    text: yaml`
      topology: t
      services:
        a: { calls: [{ to: b, perRequest: 4 }] }
        b: {}
    `,
  },
  {
    name: 'no perRequest at all',
    text: yaml`
      topology: t
      services:
        a:
          calls:
            - to: b
            - to: c
        b: {}
        c: {}
    `,
  },
  {
    name: 'a sync total of 14, just under total',
    text: yaml`
      topology: t
      services:
        a:
          calls:
            - { to: b, perRequest: 4 }
            - { to: c, perRequest: 4 }
            - { to: d, perRequest: 4 }
            - { to: e, perRequest: 2 }
        b: {}
        c: {}
        d: {}
        e: {}
    `,
  },
  {
    name: 'async calls do not count toward the total (12 sync + 4 async)',
    text: yaml`
      topology: t
      services:
        a:
          calls:
            - { to: b, perRequest: 4 }
            - { to: c, perRequest: 4 }
            - { to: d, perRequest: 4 }
            - { to: e, perRequest: 4, style: async }
        b: {}
        c: {}
        d: {}
        e: {}
    `,
  },
  {
    name: 'perRequest that the schema rejects (N, 0) is not read',
    text: yaml`
      topology: t
      services:
        a: { calls: [{ to: b, perRequest: N }, { to: b, perRequest: 0 }] }
        b: {}
    `,
  },
  { name: 'max and total from the settings', text: marked(PER_10).text, settings: { 'chatty-calls': { max: 11, total: 20 } } },
  {
    name: "max from the file's rules block",
    text: marked(PER_10).text + 'rules:\n  chatty-calls: { max: 11 }\n',
  },
  {
    name: "the file's rules block wins over the settings",
    text: marked(PER_10).text + 'rules:\n  chatty-calls: { max: 11 }\n',
    settings: { 'chatty-calls': { max: 2 } },
  },
  { name: 'total from the settings', text: marked(TOTAL_15).text, settings: { 'chatty-calls': { total: 16 } } },
  { name: 'off in the settings', text: marked(PER_10).text, settings: { 'chatty-calls': 'off' } },
  { name: "off in the file's rules block", text: marked(TOTAL_15).text + 'rules:\n  chatty-calls: off\n' },
  {
    name: 'out-of-range thresholds (max 0, total 0) fall back to the defaults',
    text: yaml`
      topology: t
      services:
        a: { calls: [{ to: b, perRequest: 2 }] }
        b: {}
      rules:
        chatty-calls: { max: 0, total: 0 }
    `,
  },
];

const invalid: InvalidCase[] = [
  {
    name: 'perRequest 10 (block): on the value',
    src: PER_10,
    expected: [{ messageId: 'per-request', severity: 'warning', accepted: false, includes: ["'cart' calls 'price' 10 times for each request", 'batch'] }],
  },
  {
    name: 'perRequest 5, one over max (4), flow',
    src: yaml`
      topology: t
      services:
        a: { calls: [{ to: b, perRequest: «5» }] }
        b: {}
    `,
    expected: [{ messageId: 'per-request', includes: ['5 times'] }],
  },
  {
    name: 'perRequest: n is N+1, whatever max says',
    src: yaml`
      topology: t
      services:
        a:
          calls:
            - to: b
              perRequest: «n»
        b: {}
    `,
    settings: { 'chatty-calls': { max: 100, total: 1000 } },
    expected: [{ messageId: 'n-plus-one', includes: ['once per item (N+1)'] }],
  },
  {
    name: 'an async call is chatty too (the per-call limit is about messages, not blocking)',
    src: yaml`
      topology: t
      services:
        a: { calls: [{ to: b, style: async, perRequest: «6» }] }
        b: {}
    `,
    expected: [{ messageId: 'per-request' }],
  },
  {
    name: 'a sync total of 15, one over the limit: on the service key, every sync call related',
    src: TOTAL_15,
    expected: [{ messageId: 'service-total', severity: 'warning', includes: ["'agg' makes 15 synchronous calls for each request it serves, over the limit of 14."] }],
    check: ([f], text) => {
      assert.deepEqual(
        f.related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]),
        [['a', '3 × a'], ['b', '3 × b'], ['c', '3 × c'], ['d', '3 × d'], ['e', '3 × e']],
      );
    },
  },
  {
    name: 'async calls are left out of the total (15 sync + 4 async says 15)',
    src: yaml`
      topology: t
      services:
        «a»:
          calls:
            - { to: b, perRequest: 4 }
            - { to: c, perRequest: 4 }
            - { to: d, perRequest: 4 }
            - { to: e, perRequest: 3 }
            - { to: f, perRequest: 4, style: async }
        b: {}
        c: {}
        d: {}
        e: {}
        f: {}
    `,
    expected: [{ messageId: 'service-total', includes: ['makes 15 synchronous calls'] }],
    check: ([f]) => assert.equal(f.related?.length, 4),
  },
  {
    name: 'n counts as max + 1 toward the total (5 by default), and the message says "at least"',
    src: yaml`
      topology: t
      services:
        «a»:
          calls:
            - { to: b, perRequest: «n» }
            - { to: c, perRequest: 4 }
            - { to: d, perRequest: 4 }
            - { to: e, perRequest: 2 }
        b: {}
        c: {}
        d: {}
        e: {}
    `,
    expected: [{ messageId: 'service-total', includes: ['at least 15 synchronous calls'] }, { messageId: 'n-plus-one' }],
  },
  {
    name: 'a call without perRequest counts once toward the total',
    src: yaml`
      topology: t
      services:
        «a»:
          calls:
            - { to: b, perRequest: 4 }
            - to: c
            - to: d
        b: {}
        c: {}
        d: {}
    `,
    settings: { 'chatty-calls': { total: 5 } },
    expected: [{ messageId: 'service-total', includes: ['makes 6 synchronous calls', 'over the limit of 5'] }],
  },
  {
    name: 'max 2 from the settings',
    src: yaml`
      topology: t
      services:
        a: { calls: [{ to: b, perRequest: «3» }] }
        b: {}
    `,
    settings: { 'chatty-calls': { max: 2 } },
    expected: [{ messageId: 'per-request', includes: ['3 times for each request it serves, over the limit of 2.'] }],
  },
  {
    name: "max and total from the file's rules block, over the settings",
    src: yaml`
      topology: t
      services:
        «a»:
          calls:
            - { to: b, perRequest: «2» }
            - { to: c }
            - { to: d }
        b: {}
        c: {}
        d: {}
      rules:
        chatty-calls: { max: 1, total: 3 }
    `,
    settings: { 'chatty-calls': { max: 50, total: 50 } },
    expected: [{ messageId: 'service-total', includes: ['over the limit of 3'] }, { messageId: 'per-request' }],
  },
  { name: 'severity from the settings', src: PER_10, settings: { 'chatty-calls': 'error' }, expected: [{ severity: 'error' }] },
  { name: "severity from the file's rules block", src: PER_10 + 'rules:\n  chatty-calls: { severity: info }\n', settings: { 'chatty-calls': 'error' }, expected: [{ severity: 'info' }] },
  {
    name: 'accept on the call: accepted, same span',
    src: yaml`
      topology: t
      services:
        a:
          calls:
            - to: b
              perRequest: «n»
              accept: [{ rule: chatty-calls, reason: the list has at most 3 items }]
        b: {}
    `,
    expected: [{ accepted: true }],
    check: ([f]) => assert.equal(f.accepted?.reason, 'the list has at most 3 items'),
  },
  {
    name: 'accept on the service: the per-call and the total finding are both accepted',
    src: yaml`
      topology: t
      services:
        «a»:
          accept:
            - rule: chatty-calls
              reason: batch endpoint planned
          calls:
            - { to: b, perRequest: «n» }
            - { to: c, perRequest: 4 }
            - { to: d, perRequest: 4 }
            - { to: e, perRequest: 2 }
        b: {}
        c: {}
        d: {}
        e: {}
    `,
    expected: [{ accepted: true }, { accepted: true }],
  },
  {
    name: 'accept on a call does not accept the service total',
    src: yaml`
      topology: t
      services:
        «a»:
          calls:
            - { to: b, perRequest: «n», accept: [{ rule: chatty-calls }] }
            - { to: c, perRequest: 4 }
            - { to: d, perRequest: 4 }
            - { to: e, perRequest: 2 }
        b: {}
        c: {}
        d: {}
        e: {}
    `,
    expected: [{ accepted: false }, { accepted: true }],
  },
  {
    name: 'accept for another rule does not suppress',
    src: yaml`
      topology: t
      services:
        a:
          accept: [{ rule: sync-chain }]
          calls:
            - { to: b, perRequest: «9», accept: [{ rule: self-call }] }
        b: {}
    `,
    expected: [{ accepted: false }],
  },
];

describe('chatty-calls', () => {
  ruleTester(RULE, { valid, invalid });

  describe('fixes', () => {
    const text = marked(PER_10).text;

    test('a chatty call offers batch, then accept; a service total offers only accept', () => {
      let r = run(text);
      assert.deepEqual(
        fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title),
        ['Batch the call cart → price: one call per request (perRequest: 1, operation: batch)', 'Accept chatty-calls on the call cart → price'],
      );
      r = run(marked(TOTAL_15).text);
      assert.deepEqual(
        fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title),
        ["Accept chatty-calls on service 'agg'"],
      );
    });

    test('batch (block): perRequest becomes 1 in place, operation added under the call', () => {
      const after = applyFix(text, RULE, /Batch/);
      assert.deepEqual(diffLines(text, after), {
        removed: ['        perRequest: 10   # one per line item', '        timeout: 200ms'],
        added: ['        perRequest: 1   # one per line item', '        timeout: 200ms', '        operation: batch'],
      });
      expectClean(RULE, after);
    });

    test('batch with an operation: the operation gets a Batch suffix in place', () => {
      const src = yaml`
        topology: t
        services:
          a:
            calls:
              - to: b
                operation: GetPrice
                perRequest: n
          b: {}
      `;
      const after = applyFix(src, RULE, /Batch/);
      assert.deepEqual(diffLines(src, after), {
        removed: ['        operation: GetPrice', '        perRequest: n'],
        added: ['        operation: GetPriceBatch', '        perRequest: 1'],
      });
      expectClean(RULE, after);
    });

    test('batch (flow): the call stays a one-line flow map', () => {
      const src = yaml`
        topology: t
        services:
          a: { calls: [{ to: b, perRequest: 7 }, { to: c }] } # two callees
          b: {}
          c: {}
      `;
      const after = applyFix(src, RULE, /Batch/);
      assert.deepEqual(diffLines(src, after), {
        removed: ['  a: { calls: [{ to: b, perRequest: 7 }, { to: c }] } # two callees'],
        added: ['  a: { calls: [{ to: b, perRequest: 1, operation: batch }, { to: c }] } # two callees'],
      });
      expectClean(RULE, after);
    });

    test('batch (flow) with an operation YAML would misread: quoted, and the text still parses', () => {
      const src = yaml`
        topology: t
        services:
          a: { calls: [{ to: b, perRequest: n, operation: "GET /items/{id}" }] }
          b: {}
      `;
      const after = applyFix(src, RULE, /Batch/);
      const r = run(after);
      assert.deepEqual(r.findings.filter((f) => f.rule === 'yaml-syntax' || f.rule === 'schema'), []);
      assert.equal(r.system.services.get('a')!.calls[0].operation?.value, 'GET /items/{id} (batched)');
      expectClean(RULE, after);
    });

    test('batch (block) with an operation holding " #": quoted, not cut by a comment', () => {
      const src = yaml`
        topology: t
        services:
          a:
            calls:
              - to: b
                perRequest: 8
                operation: "list #tags"
          b: {}
      `;
      const after = applyFix(src, RULE, /Batch/);
      assert.equal(run(after).system.services.get('a')!.calls[0].operation?.value, 'list #tags (batched)');
    });

    test('batch with a trailing comma in the flow call still parses', () => {
      const src = yaml`
        topology: t
        services:
          a: { calls: [{ to: b, perRequest: 9, }] }
          b: {}
      `;
      const after = applyFix(src, RULE, /Batch/);
      assert.equal(after, src.replace('perRequest: 9, }', 'perRequest: 1, operation: batch, }'));
      expectClean(RULE, after);
    });

    test('accept on the call (block)', () => {
      const after = applyFix(text, RULE, /Accept/);
      assert.deepEqual(diffLines(text, after), {
        removed: [],
        added: ['        accept:', '          - rule: chatty-calls', '            reason: "TODO: why this trade-off is acceptable"'],
      });
      const [f] = findingsOf(run(after), RULE);
      assert.ok(f.accepted);
      assert.equal(after.slice(f.span.start, f.span.end), '10');
    });

    test('accept on the service for a total (block service, flow calls)', () => {
      const src = marked(TOTAL_15).text;
      const after = applyFix(src, RULE, /Accept/);
      assert.deepEqual(diffLines(src, after), {
        removed: [],
        added: ['    accept:', '      - rule: chatty-calls', '        reason: "TODO: why this trade-off is acceptable"'],
      });
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });

    test('accept on a flow call appends to its existing accept list, in flow', () => {
      const src = yaml`
        topology: t
        services:
          a: { calls: [{ to: b, perRequest: n, accept: [{ rule: sync-chain }] }] }
          b: {}
      `;
      const after = applyFix(src, RULE, /Accept/);
      assert.equal(after, src.replace('[{ rule: sync-chain }]', '[{ rule: sync-chain }, { rule: chatty-calls, reason: "TODO: why this trade-off is acceptable" }]'));
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });

    test('accept with CRLF line endings and 4-space indentation', () => {
      const src = crlf(['topology: t', 'services:', '    a:', '        calls:', '            - to: b', '              perRequest: n', '    b: {}', ''].join('\n'));
      const after = applyFix(src, RULE, /Accept/);
      assert.deepEqual(diffLines(src, after), {
        removed: [],
        added: ['              accept:\r', '                  - rule: chatty-calls\r', '                    reason: "TODO: why this trade-off is acceptable"\r'],
      });
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });
  });
});
