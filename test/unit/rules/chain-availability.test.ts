/**
 * chain-availability: the least available synchronous chain from an entry multiplies the availabilities of
 * its services (slo, else the file's defaults.availability, else 99.9%). With flows, each flow's chain is
 * held to its budget (at `budget.availability`) or, with no budget, to the floor `min` (at the flow's id).
 * Without flows, every entry's chain is held to `min` (default 99.5%), at the entry's first call on that
 * chain. A call with a fallback does not fail the request, so a chain ends there. Related information:
 * each service of the chain with its availability, in order.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, diffLines, expectClean, expectFindings, findingsOf, marked, run, yaml, type Expected } from '../../helpers';
import { fixesFor, RULES, type RuleSettings } from '../../../server/src/core';

const RULE = 'chain-availability';
const plain = (s: string) => marked(s).text;
/** Replaces text that must be there (a replace that matches nothing would quietly test the original). */
const edit = (s: string, from: string, to: string) => {
  assert.ok(s.includes(from), `no '${from}' in:\n${s}`);
  return s.replace(from, to);
};

/** Six services at the assumed 99.9%: 0.999^6 = 99.40%, below the 99.5% floor. */
const SIX = yaml`
  topology: t
  services:
    web:
      exposure: external
      calls:
        - to: «a»   # first hop
    a: { calls: [{ to: b }] }
    b: { calls: [{ to: c }] }
    c: { calls: [{ to: d }] }
    d: { calls: [{ to: e }] }
    e: {}
`;

/** A flow with a budget its two-service chain misses: 0.999 × 0.999 = 99.80% < 99.9%. */
const FLOW = yaml`
  topology: t
  services:
    web:
      calls:
        - to: api
    api: {}
  flows:
    checkout:
      entry: web
      budget: { latency: 2s, availability: «99.9%» }
`;

const valid: { name: string; text: string; settings?: RuleSettings }[] = [
  {
    name: 'three services at 99.9% (99.70%) are above the 99.5% floor',
    text: yaml`
      topology: t
      services:
        web: { exposure: external, calls: [{ to: a }] }
        a: { calls: [{ to: b }] }
        b: {}
    `,
  },
  {
    name: 'an entry that calls nobody is no chain, whatever its own slo',
    text: yaml`
      topology: t
      services:
        web: { exposure: external, slo: { availability: 90% } }
    `,
  },
  {
    name: 'an asynchronous hop ends the chain',
    text: yaml`
      topology: t
      services:
        web: { exposure: external, calls: [{ to: a }] }
        a: { calls: [{ to: b, style: async }] }
        b: { slo: { availability: 95% } }
    `,
  },
  {
    name: 'a fallback on the weak hop: its failure does not fail the request',
    text: yaml`
      topology: t
      services:
        web: { exposure: external, calls: [{ to: recommend, fallback: show bestsellers }] }
        recommend: { slo: { availability: 95% } }
    `,
  },
  {
    name: 'a flow whose chain meets its budget',
    text: yaml`
      topology: t
      services:
        web: { calls: [{ to: api }] }
        api: { slo: { availability: 99.99% } }
      flows:
        f: { entry: web, budget: { availability: 99.8% } }
    `,
  },
  {
    name: 'with flows, an external service that is no flow entry starts no chain',
    text: plain(SIX) + 'flows:\n  browse: { entry: e }\n',
  },
  {
    name: 'with flows, a flow with an unknown entry is unknown-reference’s',
    text: yaml`
      topology: t
      services:
        a: { calls: [{ to: b }] }
        b: { slo: { availability: 90% } }
      flows:
        f: { entry: nowhere }
    `,
  },
  { name: 'min from the settings (99.3, as a percentage number)', text: plain(SIX), settings: { 'chain-availability': { min: 99.3 } } },
  { name: 'min from the settings (0.993, as a fraction)', text: plain(SIX), settings: { 'chain-availability': { min: 0.993 } } },
  { name: "min from the file's rules block", text: plain(SIX) + 'rules:\n  chain-availability: { min: 99.3% }\n' },
  { name: 'off in the settings', text: plain(SIX), settings: { 'chain-availability': 'off' } },
];

interface Invalid {
  readonly name: string;
  readonly src: string;
  readonly expected: readonly Expected[];
  readonly settings?: RuleSettings;
  readonly check?: (found: ReturnType<typeof expectFindings>, text: string) => void;
}

const related = (f: ReturnType<typeof expectFindings>[number], text: string) => f.related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]);

const invalid: Invalid[] = [
  {
    name: 'no flows: six services at 99.9% (99.40%), at the entry’s first call, every service in order',
    src: SIX,
    expected: [{ messageId: 'entry', severity: 'warning', accepted: false, includes: ["Requests entering at 'web' need web → a → b → c → d → e all up at once: 99.40%, below 99.50%.", 'add fallbacks, or make hops asynchronous'] }],
    check: ([f], text) =>
      assert.deepEqual(related(f, text), [
        ['web', 'web: 99.90%'],
        ['a', 'a: 99.90%'],
        ['b', 'b: 99.90%'],
        ['c', 'c: 99.90%'],
        ['d', 'd: 99.90%'],
        ['e', 'e: 99.90%'],
      ]),
  },
  {
    name: 'no flows: an slo lowers the chain; related points at the slo',
    src: yaml`
      topology: t
      services:
        web: { exposure: external, calls: [{ to: «pay» }] }
        pay: { slo: { availability: 99% } }
    `,
    // 0.999 × 0.99 = 0.98901
    expected: [{ includes: ['web → pay all up at once: 98.90%, below 99.50%'] }],
    check: ([f], text) => assert.deepEqual(related(f, text), [['web', 'web: 99.90%'], ['99%', 'pay: 99.00%']]),
  },
  {
    name: "no flows: the file's defaults.availability stands in for a missing slo",
    src: yaml`
      topology: t
      defaults: { availability: 99% }
      services:
        web: { exposure: external, calls: [{ to: «api» }] }
        api: {}
    `,
    expected: [{ includes: ['98.01%'] }],
  },
  {
    name: 'the least available chain, not the longest one, and its own first call',
    src: yaml`
      topology: t
      services:
        web:
          exposure: external
          slo: { availability: 99.99% }
          calls:
            - to: a
            - to: «flaky»
        a: { slo: { availability: 99.99% }, calls: [{ to: b }] }
        b: { slo: { availability: 99.99% }, calls: [{ to: c }] }
        c: { slo: { availability: 99.99% } }
        flaky: { slo: { availability: 99% } }
    `,
    // 0.9999 × 0.99 = 0.989901
    expected: [{ includes: ['web → flaky all up at once: 98.99%'] }],
  },
  {
    name: 'a fallback on one call to a service, none on another: the other still fails the request',
    src: yaml`
      topology: t
      services:
        web:
          exposure: external
          calls:
            - { to: pay, operation: Quote, fallback: no quote }
            - { to: «pay», operation: Charge }
        pay: { slo: { availability: 99% } }
    `,
    expected: [{ includes: ['web → pay'] }],
  },
  {
    name: 'a fallback ends the chain where it is: the services before it still count',
    src: yaml`
      topology: t
      services:
        web: { exposure: external, calls: [{ to: «a» }] }
        a: { slo: { availability: 99.5% }, calls: [{ to: b, fallback: cached }] }
        b: { slo: { availability: 90% } }
    `,
    // 0.999 × 0.995 = 0.994005: b does not count.
    expected: [{ includes: ['web → a all up at once: 99.40%'] }],
  },
  {
    name: 'flows: below the budget, at the budget',
    src: FLOW,
    expected: [{ messageId: 'flow', severity: 'warning', includes: ["Flow 'checkout' is only as available as its least available chain, web → api: 99.80%, below its budget of 99.90%."] }],
    check: ([f], text) => assert.deepEqual(related(f, text), [['web', 'web: 99.90%'], ['api', 'api: 99.90%']]),
  },
  {
    name: 'flows: no budget, held to the floor, at the flow id',
    src: edit(plain(SIX), 'exposure: external', 'exposure: internal') + 'flows:\n  «browse»: { entry: web }\n',
    expected: [{ messageId: 'flow', includes: ['99.40%, below its floor of 99.50%'] }],
  },
  {
    name: 'flows: each flow of the same entry against its own budget',
    src: yaml`
      topology: t
      services:
        web: { calls: [{ to: api }] }
        api: {}
      flows:
        relaxed: { entry: web, budget: { availability: 99% } }
        strict: { entry: web, budget: { availability: «99.95%» } }
    `,
    expected: [{ includes: ["Flow 'strict'", 'below its budget of 99.95%'] }],
  },
  {
    name: 'min 99.8% from the settings',
    src: yaml`
      topology: t
      services:
        web: { exposure: external, calls: [{ to: «a» }] }
        a: { calls: [{ to: b }] }
        b: {}
    `,
    settings: { 'chain-availability': { min: 99.8 } },
    expected: [{ includes: ['99.70%, below 99.80%'] }],
  },
  {
    name: "min from the file's rules block wins over the settings",
    src: yaml`
      topology: t
      services:
        web: { exposure: external, calls: [{ to: «a» }] }
        a: { calls: [{ to: b }] }
        b: {}
      rules:
        chain-availability: { min: 99.75% }
    `,
    settings: { 'chain-availability': { min: 99 } },
    expected: [{ includes: ['below 99.75%'] }],
  },
  { name: 'severity from the settings', src: SIX, settings: { 'chain-availability': 'error' }, expected: [{ severity: 'error' }] },
  {
    name: 'accept on the flow: accepted',
    src: edit(FLOW, '    entry: web\n', '    entry: web\n    accept: [{ rule: chain-availability, reason: the bank is slower than us anyway }]\n'),
    expected: [{ accepted: true }],
    check: ([f]) => assert.equal(f.accepted?.reason, 'the bank is slower than us anyway'),
  },
  {
    name: 'no flows: accept on the entry service answers the finding',
    src: edit(SIX, '    exposure: external\n', '    exposure: external\n    accept: [{ rule: chain-availability, reason: internal tool }]\n'),
    expected: [{ accepted: true }],
  },
];

describe('chain-availability', () => {
  describe('valid', () => {
    for (const v of valid) test(v.name, () => expectClean(RULE, v.text, v.settings));
  });

  describe('invalid', () => {
    for (const i of invalid) {
      test(i.name, () => {
        const found = expectFindings(RULE, i.src, i.expected, i.settings);
        i.check?.(found, marked(i.src).text);
      });
    }
  });

  describe('fixes', () => {
    const pay = yaml`
      topology: t
      services:
        web:
          exposure: external
          calls:
            - to: orders   # place the order
        orders:
          calls:
            - to: pay
              timeout: 2s
        pay: { slo: { availability: 99% } }
    `;

    test('the fixes: each hop async, each hop as an event, a fallback on each hop, then accept', () => {
      const r = run(pay);
      assert.deepEqual(
        fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title),
        [
          'Make the call web → orders asynchronous (style: async)',
          'Make the call orders → pay asynchronous (style: async)',
          "Turn the call web → orders into an event 'orders-requested'",
          "Turn the call orders → pay into an event 'pay-requested'",
          'Add a fallback to the call web → orders',
          'Add a fallback to the call orders → pay',
          'Accept this trade-off (record a decision on the call web → orders)',
        ],
      );
    });

    test('add a fallback to the weak hop: one line, and the chain is available enough', () => {
      const after = applyFix(pay, RULE, /Add a fallback to the call orders → pay/);
      assert.deepEqual(diffLines(pay, after), { removed: [], added: ['        fallback: "TODO: what the caller does when this call fails"'] });
      expectClean(RULE, after);
    });

    test('add a fallback to the first hop (comment kept): the chain ends at the entry', () => {
      const after = applyFix(pay, RULE, /Add a fallback to the call web → orders/);
      assert.deepEqual(diffLines(pay, after), { removed: [], added: ['        fallback: "TODO: what the caller does when this call fails"'] });
      assert.ok(after.includes('      - to: orders   # place the order\n        fallback:'));
      expectClean(RULE, after);
    });

    test('add a fallback in flow style: the call stays a flow map', () => {
      const src = yaml`
        topology: t
        services:
          web: { exposure: external, calls: [{ to: pay }] }
          pay: { slo: { availability: 99% } }
      `;
      const after = applyFix(src, RULE, /Add a fallback/);
      assert.deepEqual(diffLines(src, after), {
        removed: ['  web: { exposure: external, calls: [{ to: pay }] }'],
        added: ['  web: { exposure: external, calls: [{ to: pay, fallback: "TODO: what the caller does when this call fails" }] }'],
      });
      expectClean(RULE, after);
    });

    test('make the weak hop async: the chain is gone', () => {
      const after = applyFix(pay, RULE, /orders → pay asynchronous/);
      assert.deepEqual(diffLines(pay, after), { removed: [], added: ['        style: async'] });
      expectClean(RULE, after);
    });

    test('turn the weak hop into an event: the chain is gone', () => {
      const after = applyFix(pay, RULE, /Turn the call orders → pay/);
      expectClean(RULE, after);
      assert.ok(run(after).system.events.has('pay-requested'));
    });

    test('accept on a flow finding: the accept entry goes on the flow', () => {
      const text = plain(FLOW);
      const after = applyFix(text, RULE, /Accept this trade-off/);
      assert.deepEqual(diffLines(text, after), {
        removed: [],
        added: ['    accept:', '      - rule: chain-availability', '        reason: "TODO: why this trade-off is acceptable"'],
      });
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });
  });
});
