/**
 * sync-cycle: services that call each other synchronously in a cycle (a strongly connected component of
 * the sync call graph with more than one service). An error, reported once per cycle at the first call (in
 * document order) of the first service of the cycle that stays inside it; the shortest cycle through that
 * call is in the message and, hop by hop in order, in the related information.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, diffLines, expectClean, type expectFindings, findingsOf, marked, run, yaml } from '../../helpers';
import { ruleTester, type InvalidCase, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES } from '../../../server/src/core';

const RULE = 'sync-cycle';
const plain = (s: string) => marked(s).text;

/** orders and payment call each other, in block style, with a comment that fixes must keep. */
const TWO = yaml`
  topology: shop
  services:
    orders:
      calls:
        - to: «payment»   # charge
          timeout: 1s
    payment:
      calls:
        - to: orders
          operation: GetOrder
`;

const valid: ValidCase[] = [
  {
    name: 'a chain with no way back',
    text: yaml`
      topology: t
      services:
        a: { calls: [{ to: b }] }
        b: { calls: [{ to: c }] }
        c: {}
    `,
  },
  {
    name: 'near miss: the way back is an asynchronous call',
    text: yaml`
      topology: t
      services:
        a: { calls: [{ to: b }] }
        b: { calls: [{ to: a, style: async }] }
    `,
  },
  {
    name: 'near miss: the way back is an event (that is mixed-cycle’s)',
    text: yaml`
      topology: t
      services:
        a: { calls: [{ to: b }], subscribes: [{ event: done }] }
        b: { publishes: [{ event: done, delivery: outbox }] }
      events:
        done: {}
    `,
  },
  {
    name: 'a purely asynchronous cycle is not a sync cycle',
    text: yaml`
      topology: t
      services:
        a: { calls: [{ to: b, style: async }] }
        b: { calls: [{ to: c, style: async }] }
        c: { calls: [{ to: a, style: async }] }
    `,
  },
  {
    name: 'a self-call is no cycle of services (self-call reports it)',
    text: yaml`
      topology: t
      services:
        a: { calls: [{ to: a }, { to: b }] }
        b: {}
    `,
  },
  {
    name: 'a call back to an unknown service closes nothing',
    text: yaml`
      topology: t
      services:
        a: { calls: [{ to: b }] }
        b: { calls: [{ to: A }] }
    `,
  },
  { name: 'off in the settings', text: plain(TWO), settings: { 'sync-cycle': 'off' } },
  { name: "off in the file's rules block", text: plain(TWO) + 'rules:\n  sync-cycle: off\n' },
];


const related = (f: ReturnType<typeof expectFindings>[number], text: string) => f.related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]);

const invalid: InvalidCase[] = [
  {
    name: 'a 2-cycle (block): an error at the first call, the cycle in order',
    src: TWO,
    expected: [{ messageId: 'cycle', severity: 'error', accepted: false, includes: ["2 services call each other synchronously in a cycle, starting at 'orders'.", 'Along orders → payment → orders,', 'Make a hop asynchronous or turn it into an event'] }],
    check: ([f], text) => {
      assert.deepEqual(related(f, text), [
        ['payment', 'orders → payment'],
        ['orders', 'payment → orders'],
      ]);
      assert.ok(!f.message.includes('tangled'), f.message);
    },
  },
  {
    name: 'a 3-cycle (flow): every hop in the related information, in order',
    src: yaml`
      topology: t
      services:
        a: { calls: [{ to: «b» }] }
        b: { calls: [{ to: c }] }
        c: { calls: [{ to: a }] }
    `,
    expected: [{ messageId: 'cycle', includes: ['Along a → b → c → a,'] }],
    check: ([f], text) => {
      assert.deepEqual(related(f, text), [
        ['b', 'a → b'],
        ['c', 'b → c'],
        ['a', 'c → a'],
      ]);
    },
  },
  {
    name: 'a cycle inside a longer chain: reported inside the cycle, not at the entry',
    src: yaml`
      topology: t
      services:
        web: { exposure: external, calls: [{ to: api }] }
        api: { calls: [{ to: orders }] }
        orders:
          calls:
            - to: «payment»
        payment:
          calls:
            - to: bank
            - to: orders
        bank: {}
    `,
    expected: [{ includes: ["2 services call each other synchronously in a cycle, starting at 'orders'.", 'Along orders → payment → orders,'] }],
    check: ([f], text) => assert.deepEqual(related(f, text), [['payment', 'orders → payment'], ['orders', 'payment → orders']]),
  },
  {
    name: 'the first call inside the cycle, after a call that leaves it',
    src: yaml`
      topology: t
      services:
        a:
          calls:
            - to: log
            - to: «b»
        b: { calls: [{ to: a }] }
        log: {}
    `,
    expected: [{ includes: ['a → b → a'] }],
  },
  {
    name: 'the shortest cycle, and how many services are tangled in all',
    src: yaml`
      topology: t
      services:
        a: { calls: [{ to: «b» }] }
        b: { calls: [{ to: c }, { to: a }] }
        c: { calls: [{ to: a }] }
    `,
    expected: [{ includes: ['In all, 3 services are tangled in it.', 'Along a → b → a,'] }],
  },
  {
    name: 'two separate cycles: one finding each',
    src: yaml`
      topology: t
      services:
        a: { calls: [{ to: «b» }] }
        b: { calls: [{ to: a }] }
        c: { calls: [{ to: «d» }] }
        d: { calls: [{ to: c }] }
    `,
    expected: [{ includes: ['a → b → a'] }, { includes: ['c → d → c'] }],
  },
  {
    name: 'a sync call and an async call between the same services: the sync one closes the cycle',
    src: yaml`
      topology: t
      services:
        a: { calls: [{ to: «b» }] }
        b: { calls: [{ to: a, style: async }, { to: a, operation: Get }] }
    `,
    expected: [{ includes: ['a → b → a'] }],
    check: ([f], text) => assert.deepEqual(related(f, text)?.map((r) => r[1]), ['a → b', 'b → a']),
  },
  { name: 'severity from the settings', src: TWO, settings: { 'sync-cycle': 'warning' }, expected: [{ severity: 'warning' }] },
  { name: "severity from the file's rules block wins", src: TWO + 'rules:\n  sync-cycle: info\n', settings: { 'sync-cycle': 'warning' }, expected: [{ severity: 'info' }] },
  {
    name: 'accept on the call: accepted, with its reason',
    src: yaml`
      topology: t
      services:
        a:
          calls:
            - to: «b»
              accept:
                - rule: sync-cycle
                  reason: b asks a for the price during the same request
        b: { calls: [{ to: a }] }
    `,
    expected: [{ accepted: true, severity: 'error' }],
    check: ([f]) => assert.equal(f.accepted?.reason, 'b asks a for the price during the same request'),
  },
  {
    name: 'accept on the calling service: accepted',
    src: yaml`
      topology: t
      services:
        a:
          accept: [{ rule: sync-cycle, reason: legacy }]
          calls: [{ to: «b» }]
        b: { calls: [{ to: a }] }
    `,
    expected: [{ accepted: true }],
  },
  {
    name: 'accept on the other service of the cycle does not answer the finding',
    src: yaml`
      topology: t
      services:
        a: { calls: [{ to: «b» }] }
        b: { accept: [{ rule: sync-cycle, reason: not here }], calls: [{ to: a }] }
    `,
    expected: [{ accepted: false }],
  },
];

describe('sync-cycle', () => {
  ruleTester(RULE, { valid, invalid });

  test('a cycle is not also a sync-chain from nowhere: the cycle has no entry, so only sync-cycle reports', () => {
    const r = run(plain(TWO));
    assert.equal(findingsOf(r, RULE).length, 1);
    assert.equal(findingsOf(r, 'sync-chain').length, 0);
  });

  test('a cycle of 210,000 services is reported, not an internal error (no Math.min over a spread array)', () => {
    // Parsing a file that large takes too long for a unit test, so the rule runs on a ring built by hand
    // with the parts of the System it reads.
    const n = 210_000;
    const span = { start: 0, end: 1 };
    const services = Array.from({ length: n }, (_, i) => ({ kind: 'service', id: `s${i}`, uri: 'file:///t', idSpan: span, span, accepts: [], node: null, pair: { key: `s${i}`, keySpan: span, span, value: null } }));
    const calls = services.map((s, i) => ({ from: s, index: 0, to: { id: `s${(i + 1) % n}`, span }, style: 'sync', accepts: [], node: { kind: 'map', pairs: [], span, flow: true }, span }));
    const system = {
      serviceList: services,
      syncGraph: { size: n, succ: services.map((_, i) => [(i + 1) % n]) },
      syncEdgeCalls: calls.map((c) => [c]),
      syncComponents: () => ({ comp: new Int32Array(n), comps: [services.map((_, i) => i)] }),
    };
    const reports: { messageId: string; related?: readonly unknown[] }[] = [];
    const rule = RULES.find((r) => r.meta.id === RULE)!;
    rule.check({ host: {}, system: system as never, files: [], options: {}, report: (r) => reports.push(r) });
    assert.equal(reports.length, 1);
    assert.equal(reports[0].messageId, 'cycle');
    assert.equal(reports[0].related?.length, n);
  });

  describe('fixes', () => {
    const text = plain(TWO);

    test('the fixes: each hop async, each hop as an event, then accept', () => {
      const r = run(text);
      assert.deepEqual(
        fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title),
        [
          'Make the call orders → payment asynchronous (style: async)',
          'on hop 2: Make the call payment → orders asynchronous (style: async)',
          "Turn the call orders → payment into an event 'payment-requested'",
          "on hop 2: Turn the call payment → orders into an event 'orders-get-order'",
          'Accept sync-cycle on the call orders → payment',
        ],
      );
    });

    test('make a hop async (block): one line added, the comment kept, the cycle gone', () => {
      const after = applyFix(text, RULE, /payment → orders asynchronous/);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['        style: async'] });
      assert.ok(after.includes('      - to: payment   # charge\n'));
      expectClean(RULE, after);
    });

    test('make a hop async (flow): the call stays a flow map', () => {
      const src = yaml`
        topology: t
        services:
          a: { calls: [{ to: b }] }
          b: { calls: [{ to: c }] }
          c: { calls: [{ to: a, timeout: 1s }] }
      `;
      const after = applyFix(src, RULE, /c → a asynchronous/);
      assert.deepEqual(diffLines(src, after), { removed: ['  c: { calls: [{ to: a, timeout: 1s }] }'], added: ['  c: { calls: [{ to: a, timeout: 1s, style: async }] }'] });
      expectClean(RULE, after);
    });

    test('turn a hop into an event: the call is gone, the callee subscribes, the cycle gone', () => {
      const after = applyFix(text, RULE, /Turn the call payment → orders into an event/);
      assert.equal(
        after,
        yaml`
          topology: shop
          services:
            orders:
              calls:
                - to: payment   # charge
                  timeout: 1s
              subscribes:
                - event: orders-get-order
            payment:
              calls:
              publishes:
                - event: orders-get-order
                  delivery: outbox
          events:
            orders-get-order:
              content: full
              description: Raised by payment where it used to call orders (GetOrder)
        `,
      );
      const r = run(after);
      assert.deepEqual(findingsOf(r, RULE), []);
      // Now the way back is an event: that is a mixed cycle, reported by its own rule.
      assert.equal(findingsOf(r, 'mixed-cycle').length, 1);
    });

    test('accept: an accept entry on the reported call; the finding is accepted', () => {
      const after = applyFix(text, RULE, /^Accept sync-cycle on /);
      assert.deepEqual(diffLines(text, after), {
        removed: [],
        added: ['        accept:', '          - rule: sync-cycle', '            reason: "TODO: why this trade-off is acceptable"'],
      });
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });
  });
});

describe('sync-cycle: fixes that resolve', () => {
  test('a tangle of two cycles: breaking a hop of one says the other remains', () => {
    const src = 'topology: t\nservices:\n  a: { calls: [{ to: b }] }\n  b: { calls: [{ to: a }, { to: c }] }\n  c: { calls: [{ to: b }] }\n';
    const r = run(src);
    const titles = fixesFor(findingsOf(r, RULE)[0], r, RULES).map((x) => x.title);
    assert.ok(titles.includes("Make the call a → b asynchronous (style: async); a synchronous cycle through 'b' remains"), titles.join('\n'));
    const after = applyFix(src, RULE, /Make the call a → b asynchronous/);
    assert.equal(findingsOf(run(after), RULE).length, 1);
  });

  test('a hop whose change splits a tangle in two names both cycles', () => {
    // a ⇄ b and c ⇄ d, joined by b → c and d → a: cutting d → a leaves two cycles.
    const src = 'topology: t\nservices:\n  a: { calls: [{ to: b }] }\n  b: { calls: [{ to: a }, { to: c }] }\n  c: { calls: [{ to: d }] }\n  d: { calls: [{ to: c }, { to: a }] }\n';
    const r = run(src);
    const titles = fixesFor(findingsOf(r, RULE)[0], r, RULES).map((x) => x.title);
    const split = titles.find((t) => t.startsWith('Make the call d → a asynchronous'));
    if (split) assert.equal(split, "Make the call d → a asynchronous (style: async); synchronous cycles through 'a' and 'c' remain");
    // Whatever hop the cycle shown goes through, no fix that leaves a cycle keeps quiet about it.
    for (const t of titles.filter((x) => !x.startsWith('Accept'))) {
      const after = applyFix(src, RULE, new RegExp(`^${t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
      if (findingsOf(run(after), RULE).length) assert.match(t, /remains?$/);
    }
  });

  test('a simple cycle: every hop resolves it, and no title says anything remains', () => {
    const src = 'topology: t\nservices:\n  a: { calls: [{ to: b }] }\n  b: { calls: [{ to: a }] }\n';
    const r = run(src);
    for (const t of fixesFor(findingsOf(r, RULE)[0], r, RULES).map((x) => x.title)) assert.doesNotMatch(t, /remain/);
  });
});
