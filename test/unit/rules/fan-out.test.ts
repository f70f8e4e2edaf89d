/**
 * fan-out: a service with `max` (default 6) or more distinct synchronous callees. A warning at the service
 * key; each callee's call is related information, in order. The message says how available the service
 * can be at best: the product of the callees it has no fallback for.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, diffLines, expectClean, expectFindings, findingsOf, marked, run, type Expected } from '../../helpers';
import { fixesFor, RULES, type RuleSettings } from '../../../server/src/core';

const RULE = 'fan-out';

/** A topology where `agg` calls the given calls (flow style), and the callees s1..s9 exist. */
function fan(calls: string, extra = ''): string {
  const callees = Array.from({ length: 9 }, (_, i) => `  s${i + 1}: {}\n`).join('');
  return `topology: t\nservices:\n  «agg»:\n    calls: [${calls}]\n${extra}${callees}`;
}
const to = (n: number, more = '') => Array.from({ length: n }, (_, i) => `{ to: s${i + 1}${more} }`).join(', ');
const plain = (s: string) => marked(s).text;

const valid: { name: string; text: string; settings?: RuleSettings }[] = [
  { name: 'five callees', text: plain(fan(to(5))) },
  { name: 'near miss: six calls to three services are three callees', text: plain(fan(`${to(3)}, ${to(3, ', operation: More')}`)) },
  { name: 'near miss: the sixth callee is asynchronous', text: plain(fan(`${to(5)}, { to: s6, style: async }`)) },
  { name: 'near miss: the sixth callee is the service itself', text: plain(fan(`${to(5)}, { to: agg }`)) },
  { name: 'near miss: the sixth callee does not exist', text: plain(fan(`${to(5)}, { to: ghost }`)) },
  { name: 'max 7 from the settings, six callees', text: plain(fan(to(6))), settings: { 'fan-out': { max: 7 } } },
  { name: "max 7 from the file's rules block", text: plain(fan(to(6))) + 'rules:\n  fan-out: { max: 7 }\n' },
  { name: 'off in the settings', text: plain(fan(to(9))), settings: { 'fan-out': 'off' } },
];

interface Invalid {
  readonly name: string;
  readonly src: string;
  readonly expected: readonly Expected[];
  readonly settings?: RuleSettings;
  readonly check?: (found: ReturnType<typeof expectFindings>, text: string) => void;
}

const invalid: Invalid[] = [
  {
    name: 'six callees: a warning at the service, every callee related in order',
    src: fan(to(6)),
    // 0.999^6 = 0.994015
    expected: [{ messageId: 'fan-out', severity: 'warning', accepted: false, includes: ["'agg' waits on 6 services synchronously (limit 6)", 'it is only up when all of them are (99.40%)', 'as slow as the slowest'] }],
    check: ([f], text) =>
      assert.deepEqual(
        f.related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]),
        [1, 2, 3, 4, 5, 6].map((i) => [`s${i}`, `calls s${i}`]),
      ),
  },
  {
    name: 'the callees’ slo and the file defaults make the availability',
    src: fan(to(6)).replace('topology: t\n', 'topology: t\ndefaults: { availability: 99% }\n').replace('  s1: {}\n', '  s1: { slo: { availability: 100% } }\n'),
    // 1 × 0.99^5 = 0.95099
    expected: [{ includes: ['(95.09%)'] }],
  },
  {
    name: 'callees called with a fallback do not take it down',
    src: fan(`${to(4)}, { to: s5, fallback: none }, { to: s6, fallback: none }`),
    // 0.999^4 = 0.996006
    expected: [{ includes: ['it is only up when the 4 it has no fallback for are (99.60%)'] }],
  },
  {
    name: 'a fallback on every call',
    src: fan(to(6, ', fallback: skip')),
    expected: [{ includes: ['each call has a fallback, but every one degrades the answer'] }],
  },
  { name: 'max 3 from the settings', src: fan(to(3)), settings: { 'fan-out': { max: 3 } }, expected: [{ includes: ['waits on 3 services synchronously (limit 3)'] }] },
  {
    name: "max 4 from the file's rules block wins over the settings",
    src: fan(to(4)) + 'rules:\n  fan-out: { max: 4 }\n',
    settings: { 'fan-out': { max: 9 } },
    expected: [{ includes: ['(limit 4)'] }],
  },
  { name: 'severity from the settings', src: fan(to(6)), settings: { 'fan-out': 'error' }, expected: [{ severity: 'error' }] },
  {
    name: 'accept on the service: accepted',
    src: fan(to(6)).replace('    calls:', '    accept: [{ rule: fan-out, reason: an aggregator by design }]\n    calls:'),
    expected: [{ accepted: true }],
    check: ([f]) => assert.equal(f.accepted?.reason, 'an aggregator by design'),
  },
];

describe('fan-out', () => {
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
    test('only "Accept this trade-off": the entry goes on the service', () => {
      const text = plain(fan(to(6)));
      const r = run(text);
      assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title), ["Accept this trade-off (record a decision on service 'agg')"]);
      const after = applyFix(text, RULE, /Accept this trade-off/);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['    accept:', '      - rule: fan-out', '        reason: "TODO: why this trade-off is acceptable"'] });
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });
  });
});
