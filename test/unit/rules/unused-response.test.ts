/**
 * unused-response (new in revision 2): a sync call marked `result: unused` (a warning at its `to`), and
 * the heuristic hint: a sync call without `result:` whose operation names a command with no answer
 * (Send…, Notify…, Email…, Log…, Track…, Audit…, Record…), an info at the operation. Fixes: turn the call
 * into an event, make it asynchronous, and for the hint, say that the answer is used.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, diffLines, expectClean, expectFindings, findingsOf, marked, run, yaml } from '../../helpers';
import { fixesFor, RULES } from '../../../server/src/core';
import { announcesNoAnswer } from '../../../server/src/core/rules/unused-response';
import type { Call } from '../../../server/src/core/model';

const RULE = 'unused-response';

const UNUSED = yaml`
  topology: t
  services:
    orders:
      calls:
        - to: «audit»   # keeps a trail
          result: unused
          timeout: 1s
    audit: {}
`;

describe('unused-response', () => {
  test('result: unused on a sync call: a warning at the call', () => {
    expectFindings(RULE, UNUSED, [{ messageId: 'unused', severity: 'warning', includes: ["'orders' waits for an answer from 'audit' that it does not use (result: unused).", 'publish an event'] }]);
  });

  describe('valid', () => {
    const cases: [string, string][] = [
      ['result: used', 'topology: t\nservices:\n  a: { calls: [{ to: b, result: used, operation: SendInvoice }] }\n  b: {}\n'],
      ['an async call whose answer is unused', 'topology: t\nservices:\n  a: { calls: [{ to: b, style: async, result: unused }] }\n  b: {}\n'],
      ['no operation, no result', 'topology: t\nservices:\n  a: { calls: [{ to: b }] }\n  b: {}\n'],
      ['operations that only look like commands: Login, Recordings, Sender, tracking', 'topology: t\nservices:\n  a: { calls: [{ to: b, operation: Login }, { to: b, operation: Recordings }, { to: b, operation: Sender }, { to: b, operation: tracking }] }\n  b: {}\n'],
      ['off in the settings', marked(UNUSED).text],
    ];
    for (const [name, text] of cases) test(name, () => expectClean(RULE, text, name.startsWith('off') ? { 'unused-response': 'off' } : {}));
  });

  test('the hint: an info at the operation, for each verb and spelling', () => {
    const ops = ['SendReceipt', 'notifyCustomer', 'Email', 'log_event', 'Track-Click', 'AuditAccess', 'RecordPayment'];
    const src = `topology: t\nservices:\n  a:\n    calls:\n${ops.map((o) => `      - { to: b, operation: «${o}» }\n`).join('')}  b: {}\n`;
    const found = expectFindings(RULE, src, ops.map(() => ({ messageId: 'hint', severity: 'info' })));
    assert.ok(found[0].message.startsWith("'a' blocks on 'b' for 'SendReceipt', which sounds like a command with no answer."), found[0].message);
  });

  test('announcesNoAnswer reads the whole first word', () => {
    const op = (value: string) => ({ operation: { value } }) as unknown as Call;
    assert.deepEqual(['Send', 'SendMail', 'send mail', 'Notify2', 'Logs', 'Logger', 'Emailer', 'record.created'].map((v) => announcesNoAnswer(op(v))), [true, true, true, true, false, false, false, true]);
  });

  test('accept on the call answers the finding', () => {
    const src = marked(UNUSED).text.replace('        result: unused\n', '        result: unused\n        accept: [{ rule: unused-response, reason: legal needs it synchronous }]\n');
    assert.notEqual(src, marked(UNUSED).text);
    assert.ok(findingsOf(run(src), RULE)[0].accepted);
  });

  describe('fixes', () => {
    const text = marked(UNUSED).text;
    test('turn into an event (preferred), make asynchronous, accept', () => {
      const r = run(text);
      assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title).slice(0, 3), [
        "Turn the call orders → audit into an event 'audit-requested'",
        'Make the call orders → audit asynchronous (style: async)',
        'Accept unused-response on the call orders → audit',
      ]);
    });
    test('turn into an event: the call goes, the finding with it', () => {
      const after = applyFix(text, RULE, /Turn the call/);
      expectClean(RULE, after);
      assert.deepEqual(run(after).system.services.get('audit')!.subscribes.map((s) => s.event.id), ['audit-requested']);
    });
    test('make asynchronous: one line added, the comment kept', () => {
      const after = applyFix(text, RULE, /asynchronous/);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['        style: async'] });
      assert.ok(after.includes('# keeps a trail'));
      expectClean(RULE, after);
    });
    test('two hints with one operation name read apart, and turning one call into an event leaves only the other', () => {
      const src = 'topology: t\nservices:\n  a: { calls: [{ to: b, operation: SendOrder }, { to: c, operation: SendOrder }] }\n  b: {}\n  c: {}\n';
      const before = findingsOf(run(src), RULE).map((f) => f.message.split('. ')[0]);
      assert.deepEqual(before, ["'a' blocks on 'b' for 'SendOrder', which sounds like a command with no answer", "'a' blocks on 'c' for 'SendOrder', which sounds like a command with no answer"]);
      const after = applyFix(src, RULE, /Turn the call/);
      assert.deepEqual(findingsOf(run(after), RULE).map((f) => f.message.split('. ')[0]), [before[1]]);
    });
    test('the hint offers result: used, which answers it', () => {
      const src = 'topology: t\nservices:\n  a: { calls: [{ to: b, operation: SendInvoice }] }\n  b: {}\n';
      const after = applyFix(src, RULE, /result: used/);
      assert.ok(after.includes('{ to: b, operation: SendInvoice, result: used }'), after);
      expectClean(RULE, after);
    });
  });
});
