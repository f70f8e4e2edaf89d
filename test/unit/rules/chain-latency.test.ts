/**
 * chain-latency (revision 2): a flow's worst-case wait from the shared model (core/models.ts) over its
 * latency budget. A timeout caps everything below it, parallel calls cost the longest of them, perRequest
 * multiplies. A warning at `budget.latency`; the entry's calls with what each may cost are the related
 * information. An unbounded wait (no timeout on some path) is missing-timeout's finding, not this one's.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, diffLines, expectClean, type expectFindings, findingsOf, marked, run, yaml } from '../../helpers';
import { ruleTester, type InvalidCase, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES } from '../../../server/src/core';

const RULE = 'chain-latency';
const plain = (s: string) => marked(s).text;
/** Replaces text that must be there (a replace that matches nothing would quietly test the original). */
const edit = (s: string, from: string, to: string) => {
  assert.ok(s.includes(from), `no '${from}' in:\n${s}`);
  return s.replace(from, to);
};

/** web → api (600ms, 1 retry: 1.2s) → stock (300ms): the outer timeout caps the inner one, 1.2s against a 1s budget. */
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

const valid: ValidCase[] = [
  {
    name: 'exactly the budget: 500ms × 2 attempts = 1s',
    text: flowOf('services:\n  web: { calls: [{ to: api, timeout: 500ms, retries: 1 }] }\n  api: {}\n', '1s'),
  },
  {
    name: 'a path with no timeout anywhere is unbounded: missing-timeout reports it, not this rule',
    text: flowOf('services:\n  web: { calls: [{ to: api }] }\n  api: {}\n', '100ms'),
  },
  {
    name: 'nested timeouts do not add up: 600ms × 2 caps the 1s below it, within a 1.2s budget',
    text: flowOf('services:\n  web: { calls: [{ to: api, timeout: 600ms, retries: 1 }] }\n  api: { calls: [{ to: db, timeout: 1s }] }\n  db: {}\n', '1200ms'),
  },
  {
    name: 'parallel calls cost the longest: max(800ms, 900ms) within 1s',
    text: flowOf('services:\n  web: { calls: [{ to: a, timeout: 800ms, parallel: true }, { to: b, timeout: 900ms, parallel: true }] }\n  a: {}\n  b: {}\n', '1s'),
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


const related = (f: ReturnType<typeof expectFindings>[number], text: string) => f.related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]);

const invalid: InvalidCase[] = [
  {
    name: 'over the budget: at the budget, the entry\'s calls with their costs',
    src: SLOW,
    expected: [
      {
        messageId: 'over-budget',
        severity: 'warning',
        accepted: false,
        includes: ["Flow 'browse' may wait 1.2s in the worst case, over its 1s latency budget.", 'the largest part is the call web → api at 1.2s', 'Shorten the timeouts'],
      },
    ],
    check: ([f], text) => assert.deepEqual(related(f, text), [['600ms', 'the call web → api: timeout 600ms × 2 attempts = 1.2s']]),
  },
  {
    name: "nested timeouts from the file's defaults: 2s × 3 attempts caps the rest, 6s, not 12s",
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
    expected: [{ includes: ['may wait 6s', 'over its 5s latency budget'] }],
    check: ([f], text) => assert.deepEqual(related(f, text), [['api', 'the call web → api: timeout 2s × 3 attempts = 6s']]),
  },
  {
    name: 'the issue\'s example: 3s × 3 over 4s × 2 is 9s, not 17s',
    src: yaml`
      topology: t
      services:
        a: { calls: [{ to: b, timeout: 3s, retries: 2 }] }
        b: { calls: [{ to: c, timeout: 4s, retries: 1 }] }
        c: {}
      flows:
        f: { entry: a, budget: { latency: «8s» } }
    `,
    expected: [{ includes: ["Flow 'f' may wait 9s in the worst case, over its 8s latency budget."] }],
  },
  {
    name: 'a call with no timeout waits its callee: 1s × 2 per request, times 2 attempts = 4s',
    src: yaml`
      topology: t
      services:
        web: { calls: [{ to: api, retries: 1 }] }
        api: { calls: [{ to: db, timeout: 1s, perRequest: 2 }] }
        db: {}
      flows:
        f: { entry: web, budget: { latency: «3s» } }
    `,
    expected: [{ includes: ['may wait 4s'] }],
  },
  {
    name: 'sequential calls add up, parallel ones count once at their longest: 100ms + 3s + max(1s, 2s) = 5.1s',
    src: yaml`
      topology: t
      services:
        web:
          calls:
            - { to: a, timeout: 100ms }
            - { to: report, timeout: 3s }
            - { to: p, timeout: 1s, parallel: true }
            - { to: q, timeout: 2s, parallel: true }
        a: {}
        report: {}
        p: {}
        q: {}
      flows:
        f: { entry: web, budget: { latency: «2s» } }
    `,
    expected: [{ includes: ['may wait 5.1s', "'web' makes 2 calls one after another and 2 calls in parallel", 'the largest part is the call web → report at 3s'] }],
  },
  {
    name: 'perRequest: n counts as assumedN: 5 × 300ms = 1.5s; with defaults.assumedN 2, 600ms is within budget',
    src: yaml`
      topology: t
      services:
        web: { calls: [{ to: api, timeout: 300ms, perRequest: n }] }
        api: {}
      flows:
        f: { entry: web, budget: { latency: «1s» } }
    `,
    expected: [{ includes: ['may wait 1.5s'] }],
    check: ([f], text) => {
      assert.deepEqual(related(f, text), [['300ms', 'the call web → api: timeout 300ms × n (5) per request = 1.5s']]);
      expectClean(RULE, text.replace('topology: t\n', 'topology: t\ndefaults: { assumedN: 2 }\n'));
    },
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
    expected: [{ includes: ["Flow 'tight' may wait 800ms", 'over its 500ms latency budget'] }],
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
  ruleTester(RULE, { valid, invalid });

  describe('fixes', () => {
    const text = plain(SLOW);

    test('the fixes: shorter timeouts first, then the slowest calls async or as events, then accept', () => {
      const r = run(text);
      assert.deepEqual(
        fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title),
        [
          "Shorten the timeouts of 'web' to fit 1s (api: 500ms)",
          'Make the call web → api asynchronous (style: async)',
          "Turn the call web → api into an event 'api-requested'",
          "Accept chain-latency on flow 'browse'",
        ],
      );
    });

    test('shorter timeouts: 500ms × 2 attempts fits 1s; only the timeout changes', () => {
      const after = applyFix(text, RULE, /Shorten the timeouts/);
      assert.deepEqual(diffLines(text, after), { removed: ['        timeout: 600ms'], added: ['        timeout: 500ms'] });
      expectClean(RULE, after);
    });

    test('shorter timeouts that leave a callee waiting longer say so in the title', () => {
      const src = flowOf('services:\n  web: { calls: [{ to: api, timeout: 2s }] }\n  api: { calls: [{ to: db, timeout: 1500ms }] }\n  db: {}\n', '1s');
      const r = run(src);
      const titles = fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title);
      assert.equal(titles[0], "Shorten the timeouts of 'web' to fit 1s (api: 1s); 1 call then gives up before its callee does (timeout-budget)");
      const after = applyFix(src, RULE, /Shorten the timeouts/);
      expectClean(RULE, after);
      assert.equal(findingsOf(run(after), 'timeout-budget').length, 1);
    });

    test('a fix that leaves the flow over its budget says what remains', () => {
      const src = flowOf('services:\n  web: { calls: [{ to: a, timeout: 2s }, { to: b, timeout: 1500ms }] }\n  a: {}\n  b: {}\n', '1s');
      const r = run(src);
      const titles = fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title);
      assert.ok(titles.includes('Make the call web → a asynchronous (style: async); 1.5s remains, over the budget'), titles.join('\n'));
      const after = applyFix(src, RULE, /web → a asynchronous/);
      assert.ok(findingsOf(run(after), RULE)[0].message.includes('may wait 1.5s'));
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
      const after = applyFix(text, RULE, /^Accept chain-latency on /);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['    accept:', '      - rule: chain-latency', '        reason: "TODO: why this trade-off is acceptable"'] });
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });
  });
});
