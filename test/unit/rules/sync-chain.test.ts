/**
 * sync-chain: a sync chain from an entry that visits more than `max` services (default 3), reported on the
 * entry's first call, with every hop as related information. Entries are the flows' entries when the file
 * has flows, otherwise every external service and every service nobody calls.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectClean, findingsOf, marked, run, yaml, diffLines, crlf } from '../../helpers';
import { ruleTester, type InvalidCase, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES } from '../../../server/src/core';

const RULE = 'sync-chain';


const plain = (s: string) => marked(s).text;

/** The services of a chain, from the parenthesised list in the message. */
function chainOf(message: string): string[] {
  const m = /\(([^()]*→[^()]*)\)/.exec(message);
  assert.ok(m, `no chain in: ${message}`);
  return m[1].split(' → ');
}

/** web → api → orders → payment, in block style, with comments that fixes must keep. */
const FOUR = yaml`
  topology: shop
  # The shop's request path.
  services:
    web:
      exposure: external
      calls:
        - to: «api»   # first hop
    api:
      calls:
        - to: orders
          timeout: 1s
    orders:
      calls:
        - to: payment
          operation: Charge
    payment: {}
`;

const valid: ValidCase[] = [
  {
    name: 'a chain of exactly max (3) services',
    text: yaml`
      topology: t
      services:
        a: { calls: [{ to: b }] }
        b: { calls: [{ to: c }] }
        c: {}
    `,
  },
  {
    name: 'an async hop breaks the chain (block)',
    text: yaml`
      topology: t
      services:
        a:
          calls:
            - to: b
        b:
          calls:
            - to: c
              style: async
        c:
          calls:
            - to: d
        d: {}
    `,
  },
  {
    name: 'an async hop breaks the chain (flow)',
    text: yaml`
      topology: t
      services:
        a: { calls: [{ to: b }] }
        b: { calls: [{ to: c, style: async }] }
        c: { calls: [{ to: d }] }
        d: {}
    `,
  },
  {
    name: 'a call to an unknown service is not a hop',
    text: yaml`
      topology: t
      services:
        a: { calls: [{ to: b }] }
        b: { calls: [{ to: c }] }
        c: { calls: [{ to: ghost }] }
    `,
  },
  {
    name: 'a self-call does not lengthen the chain',
    text: yaml`
      topology: t
      services:
        a: { calls: [{ to: a }, { to: b }] }
        b: { calls: [{ to: b }, { to: c }] }
        c: { calls: [{ to: c }] }
    `,
  },
  {
    name: 'publishing an event is not a hop',
    text: yaml`
      topology: t
      services:
        a: { calls: [{ to: b }] }
        b: { calls: [{ to: c }], publishes: [{ event: e }] }
        c: {}
        d: { subscribes: [{ event: e }], calls: [{ to: a }] }
      events:
        e: {}
      flows:
        f: { entry: a }
    `,
  },
  {
    name: 'with flows, only their entries start chains: an uncalled service is not an entry',
    text: yaml`
      topology: t
      services:
        web: { exposure: external, calls: [{ to: api }] }
        api: { calls: [{ to: orders }] }
        orders: { calls: [{ to: payment }] }
        payment: {}
      flows:
        checkout: { entry: api }
    `,
  },
  {
    name: 'with flows, a long chain no flow reaches is not reported',
    text: yaml`
      topology: t
      services:
        front: { calls: [{ to: back }] }
        back: {}
        p: { calls: [{ to: q }] }
        q: { calls: [{ to: r }] }
        r: { calls: [{ to: s }] }
        s: {}
      flows:
        browse: { entry: front }
    `,
  },
  {
    name: 'a cycle with no entry (everybody is called, nobody external) terminates with no finding',
    text: yaml`
      topology: t
      services:
        a: { calls: [{ to: b }] }
        b: { calls: [{ to: c }] }
        c: { calls: [{ to: d }] }
        d: { calls: [{ to: a }] }
    `,
  },
  { name: 'max from the settings (4 services, max 4)', text: plain(FOUR), settings: { 'sync-chain': { max: 4 } } },
  { name: 'max from the settings (number given with a severity)', text: plain(FOUR), settings: { 'sync-chain': { severity: 'error', max: 5 } } },
  {
    name: "max from the file's rules block",
    text: plain(FOUR) + 'rules:\n  sync-chain: { max: 4 }\n',
  },
  {
    name: "the file's rules block wins over the settings",
    text: plain(FOUR) + 'rules:\n  sync-chain: { max: 4 }\n',
    settings: { 'sync-chain': { max: 2 } },
  },
  { name: 'off in the settings', text: plain(FOUR), settings: { 'sync-chain': 'off' } },
  { name: 'off in the settings, as a map', text: plain(FOUR), settings: { 'sync-chain': { severity: 'off' } } },
  { name: "off in the file's rules block", text: plain(FOUR) + 'rules:\n  sync-chain: off\n' },
  { name: "off in the file wins over a severity in the settings", text: plain(FOUR) + 'rules:\n  sync-chain: off\n', settings: { 'sync-chain': 'error' } },
  {
    name: 'an out-of-range max (0) falls back to the default instead of flagging every call',
    text: yaml`
      topology: t
      services:
        a: { calls: [{ to: b }] }
        b: {}
        c: {}
      rules:
        sync-chain: { max: 0 }
    `,
  },
];

const invalid: InvalidCase[] = [
  {
    name: 'four services in a row (block): on the entry’s first call, chain and availability in the message',
    src: FOUR,
    expected: [{ messageId: 'too-long', severity: 'warning', accepted: false, includes: ["A synchronous chain from 'web' blocks through 4 services, over the limit of 3.", '(web → api → orders → payment)', "the chain's availability is 99.60%"] }],
    check: ([f], text) => {
      // Related information: every hop, in order, each at the callee reference of its call.
      assert.deepEqual(
        f.related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]),
        [
          ['api', 'hop 1: web → api'],
          ['orders', 'hop 2: api → orders'],
          ['payment', 'hop 3: orders → payment'],
        ],
      );
    },
  },
  {
    name: 'four services in a row (flow)',
    src: yaml`
      topology: t
      services:
        a: { exposure: external, calls: [{ to: «b», protocol: grpc }] }
        b: { calls: [{ to: c }] }
        c: { calls: [{ to: d }] }
        d: {}
    `,
    expected: [{ messageId: 'too-long', includes: ['(a → b → c → d)'] }],
  },
  {
    name: 'availability uses each service’s slo, then the file default',
    src: yaml`
      topology: t
      defaults:
        availability: 99%
      services:
        a: { calls: [{ to: «b» }] }
        b: { slo: { availability: 99.95% }, calls: [{ to: c }] }
        c: { calls: [{ to: d }] }
        d: {}
    `,
    // 0.99 × 0.9995 × 0.99 × 0.99 = 0.96981…
    expected: [{ includes: ["the chain's availability is 96.98%"] }],
  },
  {
    name: 'availability without defaults assumes 99.9% where there is no slo',
    src: yaml`
      topology: t
      services:
        a: { calls: [{ to: «b» }] }
        b: { calls: [{ to: c }] }
        c: { calls: [{ to: d }] }
        d: { slo: { availability: 99.5% } }
    `,
    // 0.999³ × 0.995 = 0.99201…
    expected: [{ includes: ["the chain's availability is 99.20%"] }],
  },
  {
    name: 'the longest branch is the one reported, in order',
    src: yaml`
      topology: t
      services:
        a: { calls: [{ to: short }, { to: «b» }] }
        short: {}
        b: { calls: [{ to: c }] }
        c: { calls: [{ to: d }] }
        d: {}
    `,
    expected: [{ includes: ['(a → b → c → d)'] }],
  },
  {
    name: 'max 2 from the settings',
    src: yaml`
      topology: t
      services:
        a: { calls: [{ to: «b» }] }
        b: { calls: [{ to: c }] }
        c: {}
    `,
    settings: { 'sync-chain': { max: 2 } },
    expected: [{ includes: ['3 services', 'over the limit of 2'] }],
  },
  {
    name: 'max 4 from the settings, five services',
    src: yaml`
      topology: t
      services:
        a: { calls: [{ to: «b» }] }
        b: { calls: [{ to: c }] }
        c: { calls: [{ to: d }] }
        d: { calls: [{ to: e }] }
        e: {}
    `,
    settings: { 'sync-chain': { max: 4 } },
    expected: [{ includes: ['5 services', 'over the limit of 4'] }],
  },
  {
    name: "max 2 from the file's rules block wins over max 10 in the settings",
    src: yaml`
      topology: t
      services:
        a: { calls: [{ to: «b» }] }
        b: { calls: [{ to: c }] }
        c: {}
      rules:
        sync-chain: { max: 2 }
    `,
    settings: { 'sync-chain': { max: 10 } },
    expected: [{ includes: ['over the limit of 2'] }],
  },
  { name: 'severity from the settings', src: FOUR, settings: { 'sync-chain': 'error' }, expected: [{ severity: 'error' }] },
  { name: 'severity from the settings, as a map', src: FOUR, settings: { 'sync-chain': { severity: 'info' } }, expected: [{ severity: 'info' }] },
  { name: "severity from the file's rules block", src: FOUR + 'rules:\n  sync-chain: info\n', settings: { 'sync-chain': 'error' }, expected: [{ severity: 'info' }] },
  {
    name: "severity and max together in the file's rules block",
    src: FOUR + 'rules:\n  sync-chain: { severity: error, max: 3 }\n',
    settings: { 'sync-chain': { max: 9 } },
    expected: [{ severity: 'error', includes: ['over the limit of 3'] }],
  },
  {
    name: 'with flows, each flow entry is checked, uncalled services are not entries',
    src: yaml`
      topology: t
      services:
        web:
          exposure: external
          calls: [{ to: «api» }]
        api:
          calls: [{ to: «orders» }]
        orders:
          calls: [{ to: payment }]
        payment:
          calls: [{ to: bank }]
        bank: {}
        batch:
          calls: [{ to: x }]
        x: { calls: [{ to: y }] }
        y: { calls: [{ to: z }] }
        z: {}
      flows:
        browse: { entry: web }
        checkout: { entry: api }
    `,
    expected: [{ includes: ['5 services', '(web → api → orders → payment → bank)'] }, { includes: ['4 services', '(api → orders → payment → bank)'] }],
  },
  {
    name: 'without flows, an external service is an entry even when called, and so is every uncalled one',
    src: yaml`
      topology: t
      services:
        admin: { calls: [{ to: «web» }] }
        web: { exposure: external, calls: [{ to: «b» }] }
        b: { calls: [{ to: c }] }
        c: { calls: [{ to: d }] }
        d: {}
    `,
    expected: [{ includes: ['(admin → web → b → c → d)'] }, { includes: ['(web → b → c → d)'] }],
  },
  {
    name: 'a cycle behind the entry: terminates and reports a simple path',
    src: yaml`
      topology: t
      services:
        e: { calls: [{ to: «a» }] }
        a: { calls: [{ to: b }] }
        b: { calls: [{ to: c }] }
        c: { calls: [{ to: a }] }
    `,
    expected: [{ includes: ['4 services', '(e → a → b → c)'] }],
    check: ([f]) => assert.equal(f.related?.length, 3),
  },
  {
    name: 'an entry inside a cycle: terminates and reports a simple path',
    src: yaml`
      topology: t
      services:
        web: { exposure: external, calls: [{ to: «a» }] }
        a: { calls: [{ to: b }] }
        b: { calls: [{ to: web }, { to: c }] }
        c: {}
    `,
    expected: [{ includes: ['(web → a → b → c)'] }],
    check: ([f]) => {
      const ids = chainOf(f.message);
      assert.equal(new Set(ids).size, ids.length, `not a simple path: ${ids.join(' → ')}`);
    },
  },
  {
    name: 'a two-service cycle with max 1: terminates, each service once',
    src: yaml`
      topology: t
      services:
        a: { exposure: external, calls: [{ to: «b» }] }
        b: { calls: [{ to: a }] }
    `,
    settings: { 'sync-chain': { max: 1 } },
    expected: [{ includes: ['2 services', '(a → b)'] }],
  },
  {
    name: 'accept on the call: accepted, same span',
    src: yaml`
      topology: t
      services:
        a:
          calls:
            - to: «b»
              accept:
                - rule: sync-chain
                  reason: Payment must confirm before the receipt
        b: { calls: [{ to: c }] }
        c: { calls: [{ to: d }] }
        d: {}
    `,
    expected: [{ accepted: true, severity: 'warning' }],
    check: ([f]) => assert.equal(f.accepted?.reason, 'Payment must confirm before the receipt'),
  },
  {
    name: 'accept on the entry service: accepted',
    src: yaml`
      topology: t
      services:
        a:
          accept: [{ rule: sync-chain, reason: legacy path }]
          calls:
            - to: «b»
        b: { calls: [{ to: c }] }
        c: { calls: [{ to: d }] }
        d: {}
    `,
    expected: [{ accepted: true }],
    check: ([f]) => assert.equal(f.accepted?.reason, 'legacy path'),
  },
  {
    name: 'accept without a reason (flow style): accepted with a placeholder reason',
    src: yaml`
      topology: t
      services:
        a: { calls: [{ to: «b», accept: [{ rule: sync-chain }] }] }
        b: { calls: [{ to: c }] }
        c: { calls: [{ to: d }] }
        d: {}
    `,
    expected: [{ accepted: true }],
    check: ([f]) => assert.equal(f.accepted?.reason, 'no reason given'),
  },
  {
    name: 'accept for another rule does not suppress',
    src: yaml`
      topology: t
      services:
        a:
          accept: [{ rule: chatty-calls, reason: not this one }]
          calls:
            - to: «b»
              accept: [{ rule: shared-database, reason: nor this one }]
        b: { calls: [{ to: c }] }
        c: { calls: [{ to: d }] }
        d: {}
    `,
    expected: [{ accepted: false }],
  },
];

describe('sync-chain', () => {
  ruleTester(RULE, { valid, invalid });

  test('an out-of-range max is a schema error, and the rule does not crash on it', () => {
    const text = valid.find((v) => v.name.startsWith('an out-of-range max'))!.text;
    const r = run(text);
    assert.deepEqual(r.findings.filter((f) => f.messageId === 'internal-error'), []);
    assert.equal(r.findings.filter((f) => f.rule === 'schema' && f.messageId === 'range').length, 1);
  });

  test('a flow entry inside a cycle gets its whole chain, whatever the order of the flows', () => {
    const body = (flows: string) =>
      'topology: t\ndefaults: { timeout: 1s }\nservices:\n  a:\n    calls: [{ to: b }, { to: c }]\n  b:\n    calls: [{ to: a }]\n' +
      `  c:\n    calls: [{ to: d }]\n  d: {}\nflows:\n${flows}\n`;
    for (const flows of ['  fa: { entry: a }\n  fb: { entry: b }', '  fb: { entry: b }\n  fa: { entry: a }']) {
      const found = findingsOf(run(body(flows), { 'sync-chain': { max: 3 } }), 'sync-chain');
      const messages = found.map((f) => f.message);
      assert.ok(messages.some((m) => m.includes('(b → a → c → d)')), messages.join('\n'));
    }
  });

  describe('fixes', () => {
    const text = plain(FOUR);

    test('the fixes: each hop async (furthest first), each hop as an event, then accept; hops past the first say where they act', () => {
      const r = run(text);
      const titles = fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title);
      assert.deepEqual(titles, [
        'on hop 3: Make the call orders → payment asynchronous (style: async)',
        'on hop 2: Make the call api → orders asynchronous (style: async)',
        'Make the call web → api asynchronous (style: async)',
        "on hop 3: Turn the call orders → payment into an event 'payment-charge'",
        "on hop 2: Turn the call api → orders into an event 'orders-requested'",
        "Turn the call web → api into an event 'api-requested'",
        'Accept sync-chain on the call web → api',
      ]);
    });

    test('make a hop async (block): one line added under the call, nothing else changes', () => {
      const after = applyFix(text, RULE, /orders → payment asynchronous/);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['        style: async'] });
      assert.match(after, /operation: Charge\n {8}style: async\n {2}payment: \{\}/);
      expectClean(RULE, after);
    });

    test('make the first hop async: the comment on its line stays', () => {
      const after = applyFix(text, RULE, /web → api asynchronous/);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['        style: async'] });
      assert.ok(after.includes('      - to: api   # first hop\n        style: async\n'));
      expectClean(RULE, after);
    });

    test('make a hop async (flow): the call stays a one-line flow map', () => {
      const src = yaml`
        topology: t
        services:
          a: { calls: [{ to: b }] }
          b: { calls: [{ to: c, timeout: 2s }] } # keep me
          c: { calls: [{ to: d }] }
          d: {}
      `;
      const after = applyFix(src, RULE, /b → c asynchronous/);
      assert.deepEqual(diffLines(src, after), {
        removed: ['  b: { calls: [{ to: c, timeout: 2s }] } # keep me'],
        added: ['  b: { calls: [{ to: c, timeout: 2s, style: async }] } # keep me'],
      });
      expectClean(RULE, after);
    });

    test('make a hop async where it says style: sync: the value is replaced in place', () => {
      const src = yaml`
        topology: t
        services:
          a: { calls: [{ to: b }] }
          b:
            calls:
              - to: c
                style: sync   # blocking on purpose?
          c: { calls: [{ to: d }] }
          d: {}
      `;
      const after = applyFix(src, RULE, /b → c asynchronous/);
      assert.deepEqual(diffLines(src, after), { removed: ['        style: sync   # blocking on purpose?'], added: ['        style: async   # blocking on purpose?'] });
      expectClean(RULE, after);
    });

    test('turn a hop into an event: event added, caller publishes, callee subscribes, call gone, chain gone', () => {
      const src = yaml`
        topology: shop
        services:
          web:
            exposure: external
            calls:
              - to: api   # first hop
          api:
            calls:
              - to: orders
          orders:
            calls:
              - to: payment
                operation: Charge
              - to: stock   # stays
                style: async
          payment:
            description: Takes the money
          stock: {}
        # Events the shop raises.
        events:
          order-placed:
            content: id
      `;
      const after = applyFix(src, RULE, /Turn the call orders → payment into an event/);
      assert.equal(
        after,
        yaml`
          topology: shop
          services:
            web:
              exposure: external
              calls:
                - to: api   # first hop
            api:
              calls:
                - to: orders
            orders:
              calls:
                - to: stock   # stays
                  style: async
              publishes:
                - event: payment-charge
                  delivery: outbox
            payment:
              description: Takes the money
              subscribes:
                - event: payment-charge
            stock: {}
          # Events the shop raises.
          events:
            order-placed:
              content: id
            payment-charge:
              content: full
              description: Raised by orders where it used to call payment (Charge)
        `,
      );
      const r = run(after);
      assert.deepEqual(findingsOf(r, RULE), []);
      const orders = r.system.services.get('orders')!;
      assert.deepEqual(orders.calls.map((c) => c.to.id), ['stock']);
      assert.deepEqual(orders.publishes.map((p) => [p.event.id, p.delivery]), [['payment-charge', 'outbox']]);
      assert.deepEqual(r.system.services.get('payment')!.subscribes.map((s) => s.event.id), ['payment-charge']);
      assert.ok(r.system.events.has('payment-charge'));
      // The new event has a publisher and a subscriber: no orphan.
      assert.deepEqual(findingsOf(r, 'orphan-event').map((f) => f.message).filter((m) => m.includes('payment-charge')), []);
    });

    test('turn a hop into an event where the file has no events: an events section is added at the end', () => {
      const after = applyFix(text, RULE, /Turn the call api → orders into an event/);
      assert.equal(
        after,
        yaml`
          topology: shop
          # The shop's request path.
          services:
            web:
              exposure: external
              calls:
                - to: api   # first hop
            api:
              calls:
              publishes:
                - event: orders-requested
                  delivery: outbox
            orders:
              calls:
                - to: payment
                  operation: Charge
              subscribes:
                - event: orders-requested
            payment: {}
          events:
            orders-requested:
              content: full
              description: Raised by api where it used to call orders
        `,
      );
      assert.deepEqual(findingsOf(run(after), RULE), []);
    });

    test('turn a hop into an event in flow style: the services stay flow maps', () => {
      const src = yaml`
        topology: t
        services:
          a: { calls: [{ to: b }] }
          b: { calls: [{ to: c }] }
          c: { calls: [{ to: d, operation: Reserve }] }
          d: {}
        events: {}
      `;
      const after = applyFix(src, RULE, /Turn the call c → d/);
      assert.equal(
        after,
        yaml`
          topology: t
          services:
            a: { calls: [{ to: b }] }
            b: { calls: [{ to: c }] }
            c: { calls: [], publishes: [{ event: d-reserve, delivery: outbox }] }
            d: { subscribes: [{ event: d-reserve }] }
          events: { d-reserve: { content: full, description: Raised by c where it used to call d (Reserve) } }
        `,
      );
      assert.deepEqual(findingsOf(run(after), RULE), []);
    });

    test('turn a hop into an event whose callee is a flow map spread over lines, with a comment before the brace', () => {
      const src = yaml`
        topology: t
        services:
          a: { calls: [{ to: b }] }
          b: { calls: [{ to: c }] }
          c: { calls: [{ to: d }] }
          d: {
            team: core # owns the ledger
          }
        events:
          other: {}
      `;
      const after = applyFix(src, RULE, /Turn the call c → d/);
      assert.ok(after.includes('    team: core, subscribes: [{ event: d-requested }] # owns the ledger\n  }\n'), after);
      const r = run(after);
      assert.deepEqual(r.system.services.get('d')!.subscribes.map((s) => s.event.id), ['d-requested']);
      assert.deepEqual(findingsOf(r, RULE), []);
    });

    test('turn a hop into an event whose operation YAML would misread: the description is quoted', () => {
      const src = yaml`
        topology: t
        services:
          a: { calls: [{ to: b }] }
          b: { calls: [{ to: c }] }
          c:
            calls:
              - to: d
                operation: "charge: card #1"
          d: {}
        events:
          other: {}
      `;
      const after = applyFix(src, RULE, /Turn the call c → d/);
      const r = run(after);
      assert.equal(r.system.events.get('d-charge-card-1')?.description?.value, 'Raised by c where it used to call d (charge: card #1)');
      assert.deepEqual(findingsOf(r, RULE), []);
    });

    test('turn a hop into an event in a 4-space file: nested lines use 4 spaces too', () => {
      const src = [
        'topology: t',
        'services:',
        '    a:',
        '        calls:',
        '            - to: b',
        '    b:',
        '        calls:',
        '            - to: c',
        '    c:',
        '        calls:',
        '            - to: d',
        '    d: {}',
        '',
      ].join('\n');
      const after = applyFix(src, RULE, /Turn the call c → d/);
      assert.ok(after.endsWith('events:\n    d-requested:\n        content: full\n        description: Raised by c where it used to call d\n'), after);
      assert.ok(after.includes('        publishes:\n            - event: d-requested\n              delivery: outbox\n'), after);
      assert.deepEqual(findingsOf(run(after), RULE), []);
    });

    test('turn a hop into an event with a name already taken: a fresh id', () => {
      const src = yaml`
        topology: t
        services:
          a: { calls: [{ to: b }] }
          b: { calls: [{ to: c }] }
          c: { calls: [{ to: d }] }
          d: {}
        events:
          d-requested: {}
      `;
      const after = applyFix(src, RULE, /Turn the call c → d into an event 'd-requested-2'/);
      assert.ok(run(after).system.events.has('d-requested-2'));
    });

    test('accept (block): an accept entry on the first call; the finding is accepted, not gone', () => {
      const after = applyFix(text, RULE, /^Accept sync-chain on /);
      assert.deepEqual(diffLines(text, after), {
        removed: [],
        added: ['        accept:', '          - rule: sync-chain', '            reason: "TODO: why this trade-off is acceptable"'],
      });
      const [f] = findingsOf(run(after), RULE);
      assert.equal(f.accepted?.reason, 'TODO: why this trade-off is acceptable');
      assert.equal(after.slice(f.span.start, f.span.end), 'api');
    });

    test('accept (flow): the call stays flow', () => {
      const src = yaml`
        topology: t
        services:
          a: { calls: [{ to: b }] }
          b: { calls: [{ to: c }] }
          c: { calls: [{ to: d }] }
          d: {}
      `;
      const after = applyFix(src, RULE, /^Accept sync-chain on /);
      assert.deepEqual(diffLines(src, after), {
        removed: ['  a: { calls: [{ to: b }] }'],
        added: ['  a: { calls: [{ to: b, accept: [{ rule: sync-chain, reason: "TODO: why this trade-off is acceptable" }] }] }'],
      });
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });

    test('accept with CRLF line endings and 4-space indentation', () => {
      const src = crlf(
        [
          'topology: t',
          'services:',
          '    a:',
          '        calls:',
          '            - to: b   # hop',
          '    b:',
          '        calls:',
          '            - to: c',
          '    c:',
          '        calls:',
          '            - to: d',
          '    d: {}',
          '',
        ].join('\n'),
      );
      const after = applyFix(src, RULE, /^Accept sync-chain on /);
      assert.deepEqual(diffLines(src, after), {
        removed: [],
        added: ['              accept:\r', '                  - rule: sync-chain\r', '                    reason: "TODO: why this trade-off is acceptable"\r'],
      });
      assert.ok(!/[^\r]\n/.test(after), 'a bare LF in a CRLF file');
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });

    test('make async with CRLF line endings keeps CRLF', () => {
      const src = crlf(plain(FOUR));
      const after = applyFix(src, RULE, /orders → payment asynchronous/);
      assert.deepEqual(diffLines(src, after), { removed: [], added: ['        style: async\r'] });
      assert.deepEqual(findingsOf(run(after), RULE), []);
    });

    test('an accepted finding offers no fixes', () => {
      const src = marked(invalid.find((i) => i.name.startsWith('accept on the call'))!.src).text;
      const r = run(src);
      assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES), []);
    });
  });
});

describe('sync-chain: fixes that resolve', () => {
  /** Two over-limit chains from web share web → api only: that hop is the common cut. */
  const FORK = yaml`
    topology: t
    services:
      web: { exposure: external, calls: [{ to: api }] }
      api: { calls: [{ to: orders }, { to: stock }] }
      orders: { calls: [{ to: payment }] }
      stock: { calls: [{ to: warehouse }] }
      payment: {}
      warehouse: {}
  `;

  test('the common cut comes first (preferred); the other hops say which chain remains', () => {
    const r = run(FORK);
    const [f] = findingsOf(r, RULE);
    assert.deepEqual(
      fixesFor(f, r, RULES).map((x) => [x.title, !!x.isPreferred]),
      [
        ['Make the call web → api asynchronous (style: async)', true],
        ['on hop 3: Make the call orders → payment asynchronous (style: async); a 4-service chain via stock remains', false],
        ['on hop 2: Make the call api → orders asynchronous (style: async); a 4-service chain via stock remains', false],
        ["Turn the call web → api into an event 'api-requested'", false],
        ["on hop 3: Turn the call orders → payment into an event 'payment-requested'; a 4-service chain via stock remains", false],
        ["on hop 2: Turn the call api → orders into an event 'orders-requested'; a 4-service chain via stock remains", false],
        ['Accept sync-chain on the call web → api', false],
      ],
    );
  });

  test('the common cut clears every chain from the entry', () => {
    expectClean(RULE, applyFix(FORK, RULE, /^Make the call web → api asynchronous/));
  });

  test('a hop that is no common cut leaves the other chain, as its title says', () => {
    const after = applyFix(FORK, RULE, /^on hop 3: Make the call orders → payment asynchronous/);
    const [f] = findingsOf(run(after), RULE);
    assert.ok(f.message.includes('(web → api → stock → warehouse)'), f.message);
  });

  test('with no common cut, every hop says what remains and none is preferred', () => {
    // Two chains from web that share no hop: no single change clears both.
    const src = yaml`
      topology: t
      services:
        web: { exposure: external, calls: [{ to: a }, { to: x }] }
        a: { calls: [{ to: b }] }
        b: { calls: [{ to: c }] }
        x: { calls: [{ to: y }] }
        y: { calls: [{ to: z }] }
        c: {}
        z: {}
    `;
    const r = run(src);
    const titles = fixesFor(findingsOf(r, RULE)[0], r, RULES).filter((x) => !x.title.startsWith('Accept'));
    assert.ok(titles.length > 0);
    for (const t of titles) assert.match(t.title, /; a 4-service chain via x remains$/);
    assert.ok(titles.every((t) => !t.isPreferred));
  });

  test('a hop also made by a second sync call between the same pair is not cut by changing one call', () => {
    const src = 'topology: t\nservices:\n  a: { calls: [{ to: b }, { to: b, operation: Other }] }\n  b: { calls: [{ to: c }] }\n  c: { calls: [{ to: d }] }\n  d: {}\n';
    const r = run(src);
    const titles = fixesFor(findingsOf(r, RULE)[0], r, RULES).map((x) => x.title);
    assert.ok(titles.includes('Make the call a → b asynchronous (style: async); a 4-service chain via b remains'), titles.join('\n'));
  });
});
