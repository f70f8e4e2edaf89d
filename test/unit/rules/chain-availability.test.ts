/**
 * chain-availability (revision 2): an entry's availability from the shared model (core/models.ts): the
 * product of its own availability and that of every service it waits on synchronously, transitively, each
 * counted once; a call with a described fallback and an async hop end a dependency. With flows, each
 * flow's entry is held to its budget (at `budget.availability`) or to `min` (at the flow's `entry`);
 * without flows, every entry is held to `min` (default 99.5%), at the entry's id. Related information:
 * the entry and its dependencies with their availabilities.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectClean, type expectFindings, findingsOf, marked, run, yaml } from '../../helpers';
import { ruleTester, type InvalidCase, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES } from '../../../server/src/core';

const RULE = 'chain-availability';
const plain = (s: string) => marked(s).text;

/**
 * The entry waits on five services, not in one chain: web → a, b, c; a → d; b → d (d once); c → e.
 * 0.999^6 = 99.40%, below the 99.5% floor; the longest chain alone (web → a → d, 99.70%) would pass.
 */
const WIDE = yaml`
  topology: t
  services:
    «web»:
      exposure: external
      calls:
        - to: a   # first
        - to: b
        - to: c
    a: { calls: [{ to: d }] }
    b: { calls: [{ to: d }] }
    c: { calls: [{ to: e }] }
    d: {}
    e: {}
`;

/** A flow whose entry misses its budget: 0.999 × 0.999 = 99.80% < 99.9%. */
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

const valid: ValidCase[] = [
  { name: 'three services at 99.9% (99.70%) are above the 99.5% floor', text: 'topology: t\nservices:\n  web: { exposure: external, calls: [{ to: a }, { to: b }] }\n  a: {}\n  b: {}\n' },
  {
    name: 'a described fallback cuts the dependency: web alone',
    text: 'topology: t\nservices:\n  web: { exposure: external, calls: [{ to: a, fallback: cached page }] }\n  a: { slo: { availability: 90% } }\n',
  },
  {
    name: 'an async hop cuts the dependency',
    text: 'topology: t\nservices:\n  web: { exposure: external, calls: [{ to: a, style: async }] }\n  a: { slo: { availability: 90% } }\n',
  },
  { name: 'a flow at exactly its budget (99.80%)', text: plain(FLOW).replace('99.9%', '99.8%') },
  { name: 'off in the settings', text: plain(WIDE), settings: { 'chain-availability': 'off' } },
];


const related = (f: ReturnType<typeof expectFindings>[number], text: string) => f.related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]);

const invalid: InvalidCase[] = [
  {
    name: 'no flows: every dependency counts, each once, at the entry',
    src: WIDE,
    expected: [{ messageId: 'entry', severity: 'warning', includes: ["Entry 'web' is 99.40% available over 5 synchronous dependencies, below 99.50%.", 'add fallbacks'] }],
    check: ([f], text) => assert.deepEqual(related(f, text)!.map(([, m]) => m), ['web: 99.90%', 'a: 99.90%', 'b: 99.90%', 'c: 99.90%', 'd: 99.90%', 'e: 99.90%']),
  },
  {
    name: 'an slo lowers it, the weakest is named, and related points at the slo: 0.999 × 0.99 × 0.999 = 98.80%',
    src: yaml`
      topology: t
      services:
        «web»: { exposure: external, calls: [{ to: a }, { to: b }] }
        a: { slo: { availability: 99% } }
        b: {}
    `,
    expected: [{ includes: ["Entry 'web' is 98.80% available over 2 synchronous dependencies", "the least available is 'a' at 99.00%"] }],
    check: ([f], text) => assert.deepEqual(related(f, text), [['web', 'web: 99.90%'], ['99%', 'a: 99.00%'], ['b', 'b: 99.90%']]),
  },
  {
    name: 'dependencies that are all alike: none is named the weakest',
    src: WIDE,
    expected: [{ includes: ['A request fails when any of them fails: add fallbacks'] }],
  },
  {
    name: 'a TODO fallback describes nothing: the dependency stays',
    src: yaml`
      topology: t
      services:
        «web»: { exposure: external, calls: [{ to: a, fallback: "TODO: later" }] }
        a: { slo: { availability: 99% } }
    `,
    expected: [{ includes: ['98.90%'] }],
  },
  {
    name: 'a fallback on one call to a service, none on another: the other still makes it a dependency',
    src: yaml`
      topology: t
      services:
        «web»: { exposure: external, calls: [{ to: a, fallback: cached }, { to: a, operation: Other }] }
        a: { slo: { availability: 99% } }
    `,
    expected: [{ includes: ['98.90%'] }],
  },
  { name: 'flows: below the budget, at the budget', src: FLOW, expected: [{ messageId: 'flow', includes: ["Flow 'checkout' is 99.80% available over 1 synchronous dependency, below 99.90%."] }] },
  {
    name: 'flows: no budget, held to the floor, at the entry reference',
    src: yaml`
      topology: t
      services:
        web: { calls: [{ to: a }] }
        a: { slo: { availability: 99% } }
      flows:
        f: { entry: «web» }
    `,
    expected: [{ includes: ['below 99.50%'] }],
  },
  { name: 'min 99.95% from the settings', src: yaml`
      topology: t
      services:
        «web»: { exposure: external, calls: [{ to: a }] }
        a: {}
    `, settings: { 'chain-availability': { min: 99.95 } }, expected: [{ includes: ['99.80% available', 'below 99.95%'] }] },
  { name: 'severity from the settings', src: WIDE, settings: { 'chain-availability': 'error' }, expected: [{ severity: 'error' }] },
  {
    name: 'accept on the entry service answers the finding',
    src: (() => {
      assert.ok(WIDE.includes('    exposure: external\n'));
      return WIDE.replace('    exposure: external\n', '    exposure: external\n    accept: [{ rule: chain-availability, reason: degraded is fine }]\n');
    })(),
    expected: [{ accepted: true }],
  },
];

describe('chain-availability', () => {
  ruleTester(RULE, { valid, invalid });
  describe('fixes', () => {
    const text = plain(yaml`
      topology: t
      services:
        web: { exposure: external, calls: [{ to: a }, { to: b }] }
        a: { slo: { availability: 99% } }
        b: { slo: { availability: 99.7% } }
    `);
    // web: 0.999 × 0.99 × 0.997 = 98.60%. Cutting a: 99.60% (reaches 99.5%); cutting b: 98.90%.

    test('fallbacks ranked by what they win back, each title saying where the entry then stands', () => {
      const r = run(text);
      const titles = fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title);
      assert.deepEqual(titles.slice(0, 2), ['Add a fallback to the call web → a (reaches 99.60%)', "Add a fallback to the call web → b; 'web' remains below 99.50% (98.90%)"]);
      assert.ok(titles.includes('Make the call web → a asynchronous (style: async) (reaches 99.60%)'), titles.join('\n'));
      assert.ok(titles.some((t) => /^Turn the call web → a into an event .* \(reaches 99\.60%\)$/.test(t)), titles.join('\n'));
    });

    test('the fallback is a description that counts, and the finding goes', () => {
      const after = applyFix(text, RULE, /fallback to the call web → a /);
      assert.ok(after.includes('{ to: a, fallback: answer without a (degraded) }'), after);
      expectClean(RULE, after);
    });

    test('the fallback edit offers its text as a snippet placeholder', () => {
      const r = run(text);
      const fix = fixesFor(findingsOf(r, RULE)[0], r, RULES)[0];
      assert.match(fix.edits[0].snippet ?? '', /^, fallback: \$\{1:answer without a \(degraded\)\}$/);
    });

    test('a fix that is not enough leaves the finding, as its title says', () => {
      const after = applyFix(text, RULE, /fallback to the call web → b;/);
      assert.ok(findingsOf(run(after), RULE)[0].message.includes('98.90%'));
    });

    test('make async: the finding goes', () => {
      expectClean(RULE, applyFix(text, RULE, /web → a asynchronous/));
    });
  });
});
