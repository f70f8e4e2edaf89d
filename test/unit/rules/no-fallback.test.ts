/**
 * no-fallback (revision 2): one finding per entry, at the entry, and only when the entry misses its
 * availability budget (its strictest flow's budget, else `min`, 99.5%). The related information is the
 * calls it depends through that have no described fallback, ranked by the availability a fallback on each
 * would win back; each has its own fix. A fallback beginning with TODO counts as none.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectClean, expectFindings, findingsOf, marked, run, yaml } from '../../helpers';
import { fixesFor, RULES } from '../../../server/src/core';

const RULE = 'no-fallback';

/**
 * web (99.9%) → pricing (99%), → stock (99.5%) → warehouse (99.8%). Together 98.20%, below 99.5%.
 * A fallback on web → pricing gives 0.999 × 0.995 × 0.998 = 99.20%; on web → stock, 0.999 × 0.99 = 98.90%;
 * on stock → warehouse, 0.999 × 0.99 × 0.995 = 98.40%.
 */
const SHOP = yaml`
  topology: t
  services:
    «web»:
      exposure: external
      calls:
        - to: pricing
        - to: stock
    pricing: { slo: { availability: 99% } }
    stock:
      slo: { availability: 99.5% }
      calls: [{ to: warehouse }]
    warehouse: { slo: { availability: 99.8% } }
`;
const text = marked(SHOP).text;

describe('no-fallback', () => {
  test('one finding at the entry, with the calls ranked by what a fallback wins back', () => {
    const [f] = expectFindings(RULE, SHOP, [
      { messageId: 'no-fallback', severity: 'info', includes: ["'web' is 98.20% available, below 99.50%, and 3 calls it waits on have no fallback.", 'A fallback on the call web → pricing wins back the most (to 99.20%)'] },
    ]);
    assert.deepEqual(f.related?.map((r) => r.message), [
      'the call web → pricing: a fallback here gives 99.20%',
      'the call web → stock: a fallback here gives 98.90%',
      'the call stock → warehouse: a fallback here gives 98.40%',
    ]);
  });

  test('an entry within its budget gets nothing, however many calls lack a fallback', () => {
    expectClean(RULE, yaml`
      topology: t
      services:
        web: { exposure: external, calls: [{ to: a }, { to: b }, { to: c }] }
        a: {}
        b: {}
        c: {}
    `);
  });

  test('a flow budget is the bar: 99.70% passes the 99.5% floor but not a 99.9% budget', () => {
    const src = (budget: string) => yaml`
      topology: t
      services:
        web: { calls: [{ to: a }, { to: b }] }
        a: {}
        b: {}
      flows:
        f: { entry: web${budget} }
    `;
    expectClean(RULE, src(''));
    assert.equal(findingsOf(run(src(', budget: { availability: 99.9% }')), RULE).length, 1);
  });

  test('a TODO fallback counts as none; a described one cuts the dependency', () => {
    expectFindings(RULE, text.replace('- to: pricing', '- { to: pricing, fallback: "TODO: later" }').replace('  web:', '  «web»:'), [{ includes: ['3 calls it waits on have no fallback'] }]);
    expectFindings(RULE, text.replace('- to: pricing', '- { to: pricing, fallback: list price }').replace('  web:', '  «web»:'), [{ includes: ['99.20% available', '2 calls it waits on'] }]);
  });

  test('the min option sets the floor', () => {
    expectClean(RULE, text, { 'no-fallback': { min: 98 } });
  });

  test('fixes: a fallback per ranked call, best first, each title saying where the entry then stands', () => {
    const r = run(text);
    assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title), [
      "Add a fallback to the call web → pricing; 'web' remains below 99.50% (99.20%)",
      "Add a fallback to the call web → stock; 'web' remains below 99.50% (98.90%)",
      "Add a fallback to the call stock → warehouse; 'web' remains below 99.50% (98.40%)",
      "Accept no-fallback on service 'web'",
      "Accept no-fallback on service 'web' and record it in an ADR (docs/adr/0001-no-fallback-service-web.md)",
    ].filter((t) => !t.includes('ADR') || fixesFor(findingsOf(r, RULE)[0], r, RULES).some((f) => f.title === t)));
  });

  test('two fallbacks bring the entry within budget and the finding goes', () => {
    const once = applyFix(text, RULE, /web → pricing/);
    assert.ok(once.includes('- to: pricing\n        fallback: answer without pricing (degraded)\n'), once);
    const twice = applyFix(once, RULE, /web → stock/);
    expectClean(RULE, twice);
  });

  test('accept on the entry answers the finding', () => {
    const src = text.replace('    exposure: external\n', '    exposure: external\n    accept: [{ rule: no-fallback, reason: a payment has no fallback }]\n');
    assert.ok(findingsOf(run(src), RULE)[0].accepted);
  });
});
