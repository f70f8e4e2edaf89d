/**
 * hub: a service with more than `max` (default 7) distinct synchronous callers. An info at the service key;
 * each caller's call is related information, in order.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, diffLines, findingsOf, marked, run } from '../../helpers';
import { ruleTester, type InvalidCase, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES } from '../../../server/src/core';

const RULE = 'hub';
const plain = (s: string) => marked(s).text;

/** `auth` and `n` callers c1..cn, each calling it with `call` (flow style). */
function hub(n: number, call = '{ to: auth }', extra = ''): string {
  const callers = Array.from({ length: n }, (_, i) => `  c${i + 1}: { calls: [${call}] }\n`).join('');
  return `topology: t\nservices:\n  «auth»:\n    team: identity\n${extra}${callers}`;
}

const valid: ValidCase[] = [
  { name: 'seven callers', text: plain(hub(7)) },
  { name: 'near miss: the eighth caller calls asynchronously', text: plain(hub(7, '{ to: auth }', '  c8: { calls: [{ to: auth, style: async }] }\n')) },
  { name: 'near miss: eight calls from four callers are four callers', text: plain(hub(4, '{ to: auth }, { to: auth, operation: Refresh }')) },
  { name: 'near miss: the service calling itself is no caller', text: plain(hub(7).replace('    team: identity\n', '    team: identity\n    calls: [{ to: auth }]\n')) },
  { name: 'max 8 from the settings, eight callers', text: plain(hub(8)), settings: { hub: { max: 8 } } },
  { name: "max 8 from the file's rules block", text: plain(hub(8)) + 'rules:\n  hub: { max: 8 }\n' },
  { name: 'off in the settings', text: plain(hub(12)), settings: { hub: 'off' } },
];

const invalid: InvalidCase[] = [
  {
    name: 'eight callers: an info at the service, every caller related in order',
    src: hub(8),
    expected: [{ messageId: 'hub', severity: 'info', accepted: false, includes: ["8 services call 'auth' synchronously, over the limit of 7.", 'cache its answers, or publish its data as events'] }],
    check: ([f], text) =>
      assert.deepEqual(
        f.related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]),
        [1, 2, 3, 4, 5, 6, 7, 8].map((i) => ['auth', `c${i} calls it`]),
      ),
  },
  { name: 'max 2 from the settings', src: hub(3), settings: { hub: { max: 2 } }, expected: [{ includes: ["3 services call 'auth' synchronously, over the limit of 2."] }] },
  { name: "max 1 from the file's rules block wins over the settings", src: hub(2) + 'rules:\n  hub: { max: 1 }\n', settings: { hub: { max: 20 } }, expected: [{ includes: ['over the limit of 1'] }] },
  { name: 'severity from the settings', src: hub(8), settings: { hub: 'warning' }, expected: [{ severity: 'warning' }] },
  {
    name: 'accept on the service: accepted',
    src: hub(8).replace('    team: identity\n', '    team: identity\n    accept: [{ rule: hub, reason: tokens are checked locally soon }]\n'),
    expected: [{ accepted: true }],
    check: ([f]) => assert.equal(f.accepted?.reason, 'tokens are checked locally soon'),
  },
];

describe('hub', () => {
  ruleTester(RULE, {
    valid,
    // Every case first checks that the table's accept replace matched, then its own checks.
    invalid: invalid.map((i) => ({
      ...i,
      check: (found, text) => {
        assert.ok(!i.src.includes('accept') || i.src.includes('rule: hub'), 'the accept replace did not match');
        i.check?.(found, text);
      },
    })),
  });

  describe('fixes', () => {
    test('only "Accept hub on …": the entry goes on the service', () => {
      const text = plain(hub(8));
      const r = run(text);
      assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title), ["Accept hub on service 'auth'"]);
      const after = applyFix(text, RULE, /^Accept hub on /);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['    accept:', '      - rule: hub', '        reason: "TODO: why this trade-off is acceptable"'] });
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });
  });
});
