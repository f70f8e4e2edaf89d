/**
 * callback-barrage: more than `max` (default 2) consumers of a `content: id` event call its publisher back
 * synchronously. A warning at the event's id; each consumer's call back is related information, in order.
 * Fix: make the event fully detailed (`content: full`).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, diffLines, findingsOf, marked, run } from '../../helpers';
import { ruleTester, type InvalidCase, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES } from '../../../server/src/core';

const RULE = 'callback-barrage';
const plain = (s: string) => marked(s).text;

/** `orders` publishes `placed` (content as given); consumers c1..cn each call orders back with `call`. */
function barrage(n: number, content = 'id', call = '{ to: orders }', more = ''): string {
  const consumers = Array.from({ length: n }, (_, i) => `  c${i + 1}: { subscribes: [{ event: placed }], calls: [${call}] }\n`).join('');
  return `topology: t\nservices:\n  orders: { publishes: [{ event: placed, delivery: outbox }] }\n${consumers}${more}events:\n  «placed»:\n    content: ${content}\n`;
}

const valid: ValidCase[] = [
  { name: 'two consumers call back', text: plain(barrage(2)) },
  { name: 'near miss: a third consumer that does not call back', text: plain(barrage(2, 'id', '{ to: orders }', '  c3: { subscribes: [{ event: placed }] }\n')) },
  { name: 'near miss: a third consumer that calls back asynchronously', text: plain(barrage(2, 'id', '{ to: orders }', '  c3: { subscribes: [{ event: placed }], calls: [{ to: orders, style: async }] }\n')) },
  { name: 'a fully detailed event', text: plain(barrage(5, 'full')) },
  { name: 'max 3 from the settings, three consumers', text: plain(barrage(3)), settings: { 'callback-barrage': { max: 3 } } },
  { name: "max 3 from the file's rules block", text: plain(barrage(3)) + 'rules:\n  callback-barrage: { max: 3 }\n' },
  { name: 'off in the settings', text: plain(barrage(5)), settings: { 'callback-barrage': 'off' } },
];

const invalid: InvalidCase[] = [
  {
    name: 'three consumers call back: at the event, every call back related in order',
    src: barrage(3),
    expected: [{ messageId: 'barrage', severity: 'warning', accepted: false, includes: ["3 consumers of 'placed' call its publisher back for the details, over the limit of 2.", 'a burst of 3 requests at once', 'content: full'] }],
    check: ([f], text) =>
      assert.deepEqual(
        f.related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]),
        [1, 2, 3].map((i) => ['orders', `c${i} calls orders back`]),
      ),
  },
  { name: 'a consumer that calls back twice counts once', src: barrage(3, 'id', '{ to: orders, operation: A }, { to: orders, operation: B }'), expected: [{ includes: ['3 consumers', 'burst of 3'] }] },
  { name: 'max 1 from the settings', src: barrage(2), settings: { 'callback-barrage': { max: 1 } }, expected: [{ includes: ['2 consumers', 'over the limit of 1'] }] },
  { name: "max 1 from the file's rules block wins over the settings", src: barrage(2) + 'rules:\n  callback-barrage: { max: 1 }\n', settings: { 'callback-barrage': { max: 9 } }, expected: [{ includes: ['over the limit of 1'] }] },
  { name: 'severity from the settings', src: barrage(3), settings: { 'callback-barrage': 'error' }, expected: [{ severity: 'error' }] },
  {
    name: 'accept on the event: accepted',
    src: barrage(3).replace('    content: id\n', '    content: id\n    accept: [{ rule: callback-barrage, reason: orders is cached behind a CDN }]\n'),
    expected: [{ accepted: true }],
    check: ([f]) => assert.equal(f.accepted?.reason, 'orders is cached behind a CDN'),
  },
];

describe('callback-barrage', () => {
  ruleTester(RULE, { valid, invalid });

  test('each consumer is also an id-event-callback finding, at its own call', () => {
    assert.equal(findingsOf(run(plain(barrage(3))), 'id-event-callback').length, 3);
  });

  describe('fixes', () => {
    const text = plain(barrage(3));

    test('the fixes: a fully detailed event (preferred), then accept', () => {
      const r = run(text);
      assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title), [
        "Make 'placed' a fully detailed event (content: full)",
        "Accept callback-barrage on event 'placed'",
      ]);
    });

    test('content: full: one value replaced; the barrage and the callbacks are gone', () => {
      const after = applyFix(text, RULE, /fully detailed/);
      assert.deepEqual(diffLines(text, after), { removed: ['    content: id'], added: ['    content: full'] });
      const r = run(after);
      assert.deepEqual(findingsOf(r, RULE), []);
      assert.deepEqual(findingsOf(r, 'id-event-callback'), []);
    });

    test('accept: an accept entry on the event', () => {
      const after = applyFix(text, RULE, /^Accept callback-barrage on /);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['    accept:', '      - rule: callback-barrage', '        reason: "TODO: why this trade-off is acceptable"'] });
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });
  });
});
