/**
 * fan-out (revision 2): a service with more than `max` (default 5) distinct synchronous callees. A warning
 * at the service key; each callee's call is related information, in order. The message gives the service's
 * availability from the shared model: itself and every service it waits on, each once.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, diffLines, expectClean, findingsOf, marked, run } from '../../helpers';
import { ruleTester, type InvalidCase, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES } from '../../../server/src/core';

const RULE = 'fan-out';

/** A topology where `agg` calls the given calls (flow style), and the callees s1..s9 exist. */
function fan(calls: string, extra = ''): string {
  const callees = Array.from({ length: 9 }, (_, i) => `  s${i + 1}: {}\n`).join('');
  return `topology: t\nservices:\n  «agg»:\n    calls: [${calls}]\n${extra}${callees}`;
}
const to = (n: number, more = '') => Array.from({ length: n }, (_, i) => `{ to: s${i + 1}${more} }`).join(', ');
const plain = (s: string) => marked(s).text;

const valid: ValidCase[] = [
  { name: 'five callees', text: plain(fan(to(5))) },
  { name: 'near miss: six calls to three services are three callees', text: plain(fan(`${to(3)}, ${to(3, ', operation: More')}`)) },
  { name: 'near miss: the sixth callee is asynchronous', text: plain(fan(`${to(5)}, { to: s6, style: async }`)) },
  { name: 'near miss: the sixth callee is the service itself', text: plain(fan(`${to(5)}, { to: agg }`)) },
  { name: 'near miss: the sixth callee does not exist', text: plain(fan(`${to(5)}, { to: ghost }`)) },
  { name: 'max 6 from the settings, six callees: at the limit is within it', text: plain(fan(to(6))), settings: { 'fan-out': { max: 6 } } },
  { name: "max 7 from the file's rules block", text: plain(fan(to(6))) + 'rules:\n  fan-out: { max: 7 }\n' },
  { name: 'off in the settings', text: plain(fan(to(9))), settings: { 'fan-out': 'off' } },
];

const invalid: InvalidCase[] = [
  {
    name: 'six callees: a warning at the service, every callee related in order',
    src: fan(to(6)),
    // 0.999^7 = 0.993021 (agg and its six callees)
    expected: [{ messageId: 'fan-out', severity: 'warning', accepted: false, includes: ["'agg' waits on 6 services synchronously, over the limit of 5.", 'It is up only when all 6 services it depends on are (99.30% with its own availability)'] }],
    check: ([f], text) =>
      assert.deepEqual(
        f.related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]),
        [1, 2, 3, 4, 5, 6].map((i) => [`s${i}`, `calls s${i}`]),
      ),
  },
  {
    name: 'the callees’ slo and the file defaults make the availability',
    src: fan(to(6)).replace('topology: t\n', 'topology: t\ndefaults: { availability: 99% }\n').replace('  s1: {}\n', '  s1: { slo: { availability: 100% } }\n'),
    // agg 0.99 × s1 1 × 0.99^5 = 0.99^6 = 0.941480
    expected: [{ includes: ['(94.14% with its own availability)'] }],
  },
  {
    name: 'callees called with a fallback do not take it down',
    src: fan(`${to(4)}, { to: s5, fallback: none }, { to: s6, fallback: none }`),
    // 0.999^5 = 0.995010 (agg and the four it has no fallback for)
    expected: [{ includes: ['It is up only when all 4 services it depends on are (99.50% with its own availability)'] }],
  },
  {
    name: 'a fallback on every call',
    src: fan(to(6, ', fallback: skip')),
    expected: [{ includes: ['Each call has a fallback, but every failure degrades the answer'] }],
  },
  { name: 'max 3 from the settings: four callees are over it', src: fan(to(4)), settings: { 'fan-out': { max: 3 } }, expected: [{ includes: ['waits on 4 services synchronously, over the limit of 3.'] }] },
  {
    name: "max 4 from the file's rules block wins over the settings",
    src: fan(to(5)) + 'rules:\n  fan-out: { max: 4 }\n',
    settings: { 'fan-out': { max: 9 } },
    expected: [{ includes: ['over the limit of 4.'] }],
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
  ruleTester(RULE, { valid, invalid });

  describe('fixes', () => {
    const text = plain(fan(to(6)));
    test('the fixes: aggregate behind one call, publish events, then accept', () => {
      const r = run(text);
      const titles = fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title);
      assert.equal(titles[0], "Aggregate the calls to 's5', 's6' behind one call to a new service 'agg-aggregate'");
      assert.ok(titles.includes("Turn the call agg → s6 into an event 's6-requested'"), titles.join('\n'));
      assert.ok(titles.includes("Accept fan-out on service 'agg'"), titles.join('\n'));
    });
    test('aggregate: the service waits on 5, the aggregator calls the two others in parallel', () => {
      const after = applyFix(text, RULE, /Aggregate/);
      expectClean(RULE, after);
      const sys = run(after).system;
      assert.deepEqual(sys.services.get('agg')!.calls.map((c) => c.to.id), ['s1', 's2', 's3', 's4', 'agg-aggregate']);
      assert.deepEqual(sys.services.get('agg-aggregate')!.calls.map((c) => [c.to.id, c.parallel]), [['s5', true], ['s6', true]]);
    });
    test('aggregate too many: the title says the aggregator is over the limit', () => {
      // Nine callees, max 3: seven move, and seven is over the limit for the aggregator too.
      const settings = { 'fan-out': { max: 3 } };
      const src = plain(fan(to(9)));
      const r = run(src, settings);
      const [fix] = fixesFor(findingsOf(r, RULE)[0], r, RULES, settings);
      assert.match(fix.title, /; 'agg-aggregate' then waits on 7, over the limit$/);
      // With the default (5), the five that move fit: the finding goes and none appears.
      const after = applyFix(src, RULE, /Aggregate/);
      expectClean(RULE, after);
    });
    test('publish an event instead: the finding goes; with more over the limit, the title says what remains', () => {
      expectClean(RULE, applyFix(text, RULE, /Turn the call agg → s6/));
      const src = plain(fan(to(7)));
      const r = run(src);
      const titles = fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title);
      assert.ok(titles.includes("Turn the call agg → s7 into an event 's7-requested'; 'agg' still waits on 6, over the limit of 5"), titles.join('\n'));
    });
    test('calls whose answer is unused are offered as events first', () => {
      const src = plain(fan(`${to(5)}, { to: s6 }, { to: s7, result: unused }`));
      const r = run(src);
      const titles = fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title).filter((t) => t.startsWith('Turn'));
      assert.match(titles[0], /agg → s7/);
    });
    test('accept: the entry goes on the service', () => {
      const after = applyFix(text, RULE, /^Accept fan-out on /);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['    accept:', '      - rule: fan-out', '        reason: "TODO: why this trade-off is acceptable"'] });
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });
  });
});
