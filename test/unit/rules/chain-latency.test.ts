/**
 * chain-latency: a flow's worst-case synchronous time, the sum along its slowest chain of each hop's
 * timeout × (retries + 1), over the flow's latency budget. A warning at `budget.latency`; the hops with
 * their times, in order, are the related information. Hops with no timeout (own or default) count 0:
 * missing-timeout reports them.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, diffLines, expectClean, expectFindings, findingsOf, marked, run, yaml, type Expected } from '../../helpers';
import { fixesFor, RULES, type RuleSettings } from '../../../server/src/core';

const RULE = 'chain-latency';
const plain = (s: string) => marked(s).text;
/** Replaces text that must be there (a replace that matches nothing would quietly test the original). */
const edit = (s: string, from: string, to: string) => {
  assert.ok(s.includes(from), `no '${from}' in:\n${s}`);
  return s.replace(from, to);
};

/** web → api (600ms, 1 retry: 1.2s) → stock (300ms, no retry): 1.5s against a 1s budget. */
const SLOW = yaml`
  topology: t
  services:
    web:
      calls:
        - to: api   # the page
          timeout: 600ms
          retries: 1
    api:
      calls:
        - to: stock
          timeout: 300ms
    stock: {}
  flows:
    browse:
      entry: web
      budget: { latency: «1s» }
`;

const flowOf = (services: string, budget: string) => `topology: t\n${services}flows:\n  f:\n    entry: web\n    budget: { latency: ${budget} }\n`;

const valid: { name: string; text: string; settings?: RuleSettings }[] = [
  {
    name: 'exactly the budget: 500ms × 2 attempts = 1s',
    text: flowOf('services:\n  web: { calls: [{ to: api, timeout: 500ms, retries: 1 }] }\n  api: {}\n', '1s'),
  },
  {
    name: 'a hop with no timeout counts nothing (missing-timeout reports it)',
    text: flowOf('services:\n  web: { calls: [{ to: api }] }\n  api: {}\n', '100ms'),
  },
  {
    name: 'an asynchronous hop is off the blocking path',
    text: flowOf('services:\n  web: { calls: [{ to: api, timeout: 100ms }] }\n  api: { calls: [{ to: slow, style: async, timeout: 1m }] }\n  slow: {}\n', '1s'),
  },
  {
    name: 'a flow with an availability budget only',
    text: 'topology: t\nservices:\n  web: { calls: [{ to: api, timeout: 5s }] }\n  api: {}\nflows:\n  f: { entry: web, budget: { availability: 99% } }\n',
  },
  {
    name: 'no flows, no budget: nothing to hold a chain to',
    text: 'topology: t\nservices:\n  web: { exposure: external, calls: [{ to: api, timeout: 1m }] }\n  api: {}\n',
  },
  { name: 'off in the settings', text: plain(SLOW), settings: { 'chain-latency': 'off' } },
  { name: "off in the file's rules block", text: plain(SLOW) + 'rules:\n  chain-latency: off\n' },
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
    name: 'over the budget: at the budget, the hops with their times in order',
    src: SLOW,
    expected: [
      {
        messageId: 'over-budget',
        severity: 'warning',
        accepted: false,
        includes: ["Flow 'browse' may wait 1.5s in the worst case along web → api → stock (each hop's timeout × attempts), over its 1s budget", 'Shorten the timeouts'],
      },
    ],
    check: ([f], text) =>
      assert.deepEqual(related(f, text), [
        ['600ms', 'the call web → api: 1.2s'],
        ['300ms', 'the call api → stock: 300ms'],
      ]),
  },
  {
    name: "timeouts and retries from the file's defaults: 2 hops × 2s × 3 attempts = 12s; related at the calls",
    src: yaml`
      topology: t
      defaults: { timeout: 2s, retries: 2 }
      services:
        web: { calls: [{ to: api }] }
        api: { calls: [{ to: db-api }] }
        db-api: {}
      flows:
        f: { entry: web, budget: { latency: «5s» } }
    `,
    expected: [{ includes: ['may wait 12s', 'over its 5s budget'] }],
    check: ([f], text) => assert.deepEqual(related(f, text), [['api', 'the call web → api: 6s'], ['db-api', 'the call api → db-api: 6s']]),
  },
  {
    name: 'retries on the call win over the defaults',
    src: yaml`
      topology: t
      defaults: { timeout: 1s, retries: 3 }
      services:
        web: { calls: [{ to: api, retries: 0 }] }
        api: { calls: [{ to: db-api, timeout: 250ms }] }
        db-api: {}
      flows:
        f: { entry: web, budget: { latency: «1500ms» } }
    `,
    // 1s × 1 + 250ms × 4 = 2s
    expected: [{ includes: ['may wait 2s', 'over its 1.5s budget'] }],
  },
  {
    name: 'the slowest chain, not the longest',
    src: yaml`
      topology: t
      services:
        web:
          calls:
            - { to: a, timeout: 100ms }
            - { to: report, timeout: 3s }
        a: { calls: [{ to: b, timeout: 100ms }] }
        b: { calls: [{ to: c, timeout: 100ms }] }
        c: {}
        report: {}
      flows:
        f: { entry: web, budget: { latency: «2s» } }
    `,
    expected: [{ includes: ['may wait 3s', 'along web → report '] }],
  },
  {
    name: 'two flows: only the one over its budget',
    src: yaml`
      topology: t
      services:
        web: { calls: [{ to: api, timeout: 800ms }] }
        api: {}
      flows:
        relaxed: { entry: web, budget: { latency: 1s } }
        tight: { entry: web, budget: { latency: «500ms» } }
    `,
    expected: [{ includes: ["Flow 'tight' may wait 800ms", 'over its 500ms budget'] }],
  },
  { name: 'severity from the settings', src: SLOW, settings: { 'chain-latency': 'error' }, expected: [{ severity: 'error' }] },
  { name: "severity from the file's rules block", src: SLOW + 'rules:\n  chain-latency: info\n', expected: [{ severity: 'info' }] },
  {
    name: 'accept on the flow: accepted',
    src: edit(SLOW, '    entry: web\n', '    entry: web\n    accept:\n      - rule: chain-latency\n        reason: the page streams\n'),
    expected: [{ accepted: true }],
    check: ([f]) => assert.equal(f.accepted?.reason, 'the page streams'),
  },
];

describe('chain-latency', () => {
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
    const text = plain(SLOW);

    test('the fixes: each hop async, each hop as an event, then accept on the flow', () => {
      const r = run(text);
      assert.deepEqual(
        fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title),
        [
          'Make the call web → api asynchronous (style: async)',
          'Make the call api → stock asynchronous (style: async)',
          "Turn the call web → api into an event 'api-requested'",
          "Turn the call api → stock into an event 'stock-requested'",
          "Accept this trade-off (record a decision on flow 'browse')",
        ],
      );
    });

    test('make the inner hop async: 1.2s left, still over, now along web → api only', () => {
      const after = applyFix(text, RULE, /api → stock asynchronous/);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['        style: async'] });
      const [f] = findingsOf(run(after), RULE);
      assert.ok(f.message.includes('may wait 1.2s in the worst case along web → api '), f.message);
    });

    test('make the first hop async: the comment stays and the flow is within budget', () => {
      const after = applyFix(text, RULE, /web → api asynchronous/);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['        style: async'] });
      assert.ok(after.includes('      - to: api   # the page\n        timeout: 600ms\n        retries: 1\n        style: async\n'), after);
      expectClean(RULE, after);
    });

    test('turn the first hop into an event: within budget', () => {
      const after = applyFix(text, RULE, /Turn the call web → api/);
      expectClean(RULE, after);
      assert.deepEqual(run(after).system.services.get('api')!.subscribes.map((s) => s.event.id), ['api-requested']);
    });

    test('make a hop async in flow style: the call stays a flow map', () => {
      const src = flowOf('services:\n  web: { calls: [{ to: api, timeout: 2s }] }\n  api: {}\n', '1s');
      const after = applyFix(src, RULE, /asynchronous/);
      assert.deepEqual(diffLines(src, after), { removed: ['  web: { calls: [{ to: api, timeout: 2s }] }'], added: ['  web: { calls: [{ to: api, timeout: 2s, style: async }] }'] });
      expectClean(RULE, after);
    });

    test('accept: the entry goes on the flow', () => {
      const after = applyFix(text, RULE, /Accept this trade-off/);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['    accept:', '      - rule: chain-latency', '        reason: "TODO: why this trade-off is acceptable"'] });
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });
  });
});
