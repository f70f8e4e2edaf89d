/**
 * mixed-cycle: a cycle of interactions (sync calls, async calls, and publisher → subscriber for events)
 * that has at least one blocking call and at least one asynchronous hop. A warning, once per strongly
 * connected component of the interaction graph, at the first blocking call of the cycle found; the
 * cycle's hops, in order, are the related information. A purely synchronous cycle is sync-cycle's; a
 * purely asynchronous one is no finding at all.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, diffLines, expectClean, type expectFindings, findingsOf, marked, run, yaml } from '../../helpers';
import { ruleTester, type InvalidCase, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES } from '../../../server/src/core';

const RULE = 'mixed-cycle';
const plain = (s: string) => marked(s).text;

/** orders asks stock synchronously; stock's event comes back to orders. */
const LOOP = yaml`
  topology: shop
  services:
    orders:
      calls:
        - to: «stock»   # reserve
          operation: Reserve
      subscribes:
        - event: stock-low
    stock:
      publishes:
        - event: stock-low
          delivery: outbox
  events:
    stock-low: {}
`;

const valid: ValidCase[] = [
  {
    name: 'a purely synchronous cycle is sync-cycle’s, not this rule’s',
    text: yaml`
      topology: t
      services:
        a: { calls: [{ to: b }] }
        b: { calls: [{ to: a }] }
    `,
  },
  {
    name: 'a purely asynchronous cycle of calls is not mixed',
    text: yaml`
      topology: t
      services:
        a: { calls: [{ to: b, style: async }] }
        b: { calls: [{ to: a, style: async }] }
    `,
  },
  {
    name: 'a purely event-driven cycle is not mixed',
    text: yaml`
      topology: t
      services:
        a: { publishes: [{ event: e1, delivery: outbox }], subscribes: [{ event: e2 }] }
        b: { publishes: [{ event: e2, delivery: outbox }], subscribes: [{ event: e1 }] }
      events:
        e1: {}
        e2: {}
    `,
  },
  {
    name: 'near miss: a sync call and an event in the same direction make no loop',
    text: yaml`
      topology: t
      services:
        a: { calls: [{ to: b }], publishes: [{ event: e, delivery: outbox }] }
        b: { subscribes: [{ event: e }] }
      events:
        e: {}
    `,
  },
  {
    name: 'near miss: a service consuming its own event, next to a sync call',
    text: yaml`
      topology: t
      services:
        a: { calls: [{ to: b }], publishes: [{ event: e, delivery: outbox }], subscribes: [{ event: e }] }
        b: {}
      events:
        e: {}
    `,
  },
  {
    name: 'a sync cycle and an event cycle that only share a service: no simple cycle mixes them',
    text: yaml`
      topology: t
      services:
        a: { calls: [{ to: b }], publishes: [{ event: e1, delivery: outbox }], subscribes: [{ event: e2 }] }
        b: { calls: [{ to: a }] }
        c: { subscribes: [{ event: e1 }], publishes: [{ event: e2, delivery: outbox }] }
      events:
        e1: {}
        e2: {}
    `,
  },
  { name: 'off in the settings', text: plain(LOOP), settings: { 'mixed-cycle': 'off' } },
  { name: "off in the file's rules block", text: plain(LOOP) + 'rules:\n  mixed-cycle: off\n' },
];


const related = (f: ReturnType<typeof expectFindings>[number], text: string) => f.related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]);

const invalid: InvalidCase[] = [
  {
    name: 'a sync call and an event back (block): at the sync call, the cycle in order',
    src: LOOP,
    expected: [{ messageId: 'mixed', severity: 'warning', accepted: false, includes: ['Along stock → orders → stock, work can loop back', 'make every hop asynchronous'] }],
    check: ([f], text) => {
      assert.deepEqual(related(f, text), [
        ['stock-low', 'stock → orders (event stock-low)'],
        ['stock', 'orders → stock (sync call)'],
      ]);
    },
  },
  {
    name: 'a sync call and an async call back (flow)',
    src: yaml`
      topology: t
      services:
        a: { calls: [{ to: «b» }] }
        b: { calls: [{ to: a, style: async }] }
    `,
    expected: [{ includes: ['Along b → a → b,'] }],
    check: ([f], text) => assert.deepEqual(related(f, text), [['a', 'b → a (async call)'], ['b', 'a → b (sync call)']]),
  },
  {
    name: 'a 3-cycle: two blocking calls and an event; at the first blocking call of the cycle',
    src: yaml`
      topology: t
      services:
        a: { calls: [{ to: «b» }], subscribes: [{ event: e }] }
        b: { calls: [{ to: c }] }
        c: { publishes: [{ event: e, delivery: outbox }] }
      events:
        e: {}
    `,
    expected: [{ includes: ['Along c → a → b → c,'] }],
    check: ([f], text) =>
      assert.deepEqual(related(f, text), [
        ['e', 'c → a (event e)'],
        ['b', 'a → b (sync call)'],
        ['c', 'b → c (sync call)'],
      ]),
  },
  {
    // Every shortest cycle through an event edge here is all events (a ⇄ b); the mixed one, b → c → a by
    // sync calls and a → b by event, is found through a sync edge.
    name: 'a mixed cycle behind a shorter event-only one is still found',
    src: yaml`
      topology: t
      services:
        a: { publishes: [{ event: e1, delivery: outbox }], subscribes: [{ event: e2 }] }
        b:
          publishes: [{ event: e2, delivery: outbox }]
          subscribes: [{ event: e1 }]
          calls: [{ to: «c» }]
        c: { calls: [{ to: a }] }
      events:
        e1: {}
        e2: {}
    `,
    expected: [{ includes: ['Along b → c → a → b,'] }],
    check: ([f], text) =>
      assert.deepEqual(related(f, text)?.map((r) => r[1]), ['b → c (sync call)', 'c → a (sync call)', 'a → b (event e1)']),
  },
  {
    name: 'one finding per tangle, however many mixed cycles it holds',
    src: yaml`
      topology: t
      services:
        a: { calls: [{ to: «b» }, { to: c }], subscribes: [{ event: e }] }
        b: { publishes: [{ event: e, delivery: outbox }] }
        c: { publishes: [{ event: e, delivery: outbox }] }
      events:
        e: {}
    `,
    expected: [{ messageId: 'mixed' }],
  },
  {
    name: 'two separate mixed cycles: one finding each',
    src: yaml`
      topology: t
      services:
        a: { calls: [{ to: «b» }] }
        b: { calls: [{ to: a, style: async }] }
        c: { calls: [{ to: «d» }] }
        d: { calls: [{ to: c, style: async }] }
    `,
    expected: [{ includes: ['b → a → b'] }, { includes: ['d → c → d'] }],
  },
  {
    // id-event-callback reports the callback too: this rule sees the loop, that one the "just an id".
    name: 'a consumer of an event calling its publisher back is a mixed cycle',
    src: yaml`
      topology: t
      services:
        orders: { publishes: [{ event: placed, delivery: outbox }] }
        shipping: { subscribes: [{ event: placed }], calls: [{ to: «orders», operation: GetOrder }] }
      events:
        placed: { content: id }
    `,
    expected: [{ includes: ['orders → shipping → orders'] }],
  },
  { name: 'severity from the settings', src: LOOP, settings: { 'mixed-cycle': 'error' }, expected: [{ severity: 'error' }] },
  { name: "severity from the file's rules block", src: LOOP + 'rules:\n  mixed-cycle: info\n', expected: [{ severity: 'info' }] },
  {
    name: 'accept on the reported call: accepted',
    src: yaml`
      topology: t
      services:
        a: { calls: [{ to: «b», accept: [{ rule: mixed-cycle, reason: the reply is idempotent }] }] }
        b: { calls: [{ to: a, style: async }] }
    `,
    expected: [{ accepted: true }],
    check: ([f]) => assert.equal(f.accepted?.reason, 'the reply is idempotent'),
  },
  {
    name: 'accept on the calling service: accepted',
    src: yaml`
      topology: t
      services:
        a: { accept: [{ rule: mixed-cycle, reason: legacy }], calls: [{ to: «b» }] }
        b: { calls: [{ to: a, style: async }] }
    `,
    expected: [{ accepted: true }],
  },
];

describe('mixed-cycle', () => {
  ruleTester(RULE, { valid, invalid });

  test('the figure eight (a sync 2-cycle next to an event 2-cycle) is sync-cycle’s alone', () => {
    const r = run(valid.find((v) => v.name.startsWith('a sync cycle and an event cycle'))!.text);
    assert.equal(findingsOf(r, 'sync-cycle').length, 1);
    assert.equal(findingsOf(r, RULE).length, 0);
  });

  describe('fixes', () => {
    const text = plain(LOOP);

    test('the fixes: make the blocking hop async, turn it into an event, then accept', () => {
      const r = run(text);
      assert.deepEqual(
        fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title),
        [
          'Make the call orders → stock asynchronous (style: async)',
          "Turn the call orders → stock into an event 'stock-reserve'",
          'Accept mixed-cycle on the call orders → stock',
        ],
      );
    });

    test('make the blocking hop async: one line added; the loop is all messages now, and no rule reports it', () => {
      const after = applyFix(text, RULE, /asynchronous/);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['        style: async'] });
      const r = run(after);
      assert.deepEqual(findingsOf(r, RULE), []);
      assert.deepEqual(findingsOf(r, 'sync-cycle'), []);
    });

    test('make the blocking hop async (flow): the call stays a flow map', () => {
      const src = 'topology: t\nservices:\n  a: { calls: [{ to: b }] }\n  b: { calls: [{ to: a, style: async }] }\n';
      const after = applyFix(src, RULE, /asynchronous/);
      assert.deepEqual(diffLines(src, after), { removed: ['  a: { calls: [{ to: b }] }'], added: ['  a: { calls: [{ to: b, style: async }] }'] });
      expectClean(RULE, after);
    });

    test('turn the blocking hop into an event: the call is gone, the cycle is all events', () => {
      const after = applyFix(text, RULE, /Turn the call orders → stock/);
      const r = run(after);
      assert.deepEqual(findingsOf(r, RULE), []);
      assert.deepEqual(r.system.services.get('orders')!.calls, []);
      assert.deepEqual(r.system.services.get('stock')!.subscribes.map((s) => s.event.id), ['stock-reserve']);
      // Nothing outside the touched sections changed.
      assert.ok(after.startsWith('topology: shop\nservices:\n  orders:\n    calls:\n'), after);
      assert.ok(after.includes('  stock-low: {}\n'), after);
    });

    test('accept: an accept entry on the reported call', () => {
      const after = applyFix(text, RULE, /^Accept mixed-cycle on /);
      assert.deepEqual(diffLines(text, after), {
        removed: [],
        added: ['        accept:', '          - rule: mixed-cycle', '            reason: "TODO: why this trade-off is acceptable"'],
      });
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });
  });
});

describe('mixed-cycle: fixes that resolve', () => {
  /** a → b → c blocking, and c's event back to a. */
  const text = yaml`
    topology: t
    services:
      a: { calls: [{ to: b }], subscribes: [{ event: e }] }
      b: { calls: [{ to: c }] }
      c: { publishes: [{ event: e, delivery: outbox }] }
    events:
      e: {}
  `;

  test('two blocking hops: making one asynchronous says the cycle stays mixed; the loop of messages is not', () => {
    const r = run(text);
    const titles = fixesFor(findingsOf(r, RULE)[0], r, RULES).map((x) => x.title);
    assert.ok(titles.includes("Make the call a → b asynchronous (style: async); a mixed cycle through 'b' remains"), titles.join('\n'));
    assert.ok(titles.includes("on hop 2: Make the call b → c asynchronous (style: async); a mixed cycle through 'a' remains"), titles.join('\n'));
    const after = applyFix(text, RULE, /Make the call a → b asynchronous/);
    assert.equal(findingsOf(run(after), RULE).length, 1);
  });

  test('one blocking hop: making it asynchronous resolves the finding, and the title says nothing remains', () => {
    const one = text.replace('  b: { calls: [{ to: c }] }', '  b: { calls: [{ to: c, style: async }] }');
    const r = run(one);
    const titles = fixesFor(findingsOf(r, RULE)[0], r, RULES).map((x) => x.title);
    assert.equal(titles[0], 'Make the call a → b asynchronous (style: async)');
    expectClean(RULE, applyFix(one, RULE, /Make the call a → b asynchronous/));
  });
});
