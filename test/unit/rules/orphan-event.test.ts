/**
 * orphan-event: an event nobody publishes (warning) or nobody subscribes to (info), reported on the
 * event's id. No fix of its own; "Accept orphan-event on …" records the decision on the event.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, type expectFindings, findingsOf, marked, run, yaml, type Expected, diffLines, crlf } from '../../helpers';
import { ruleTester, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES, type RuleSettings } from '../../../server/src/core';

const RULE = 'orphan-event';



const ORPHANS = yaml`
  topology: t
  services:
    orders:
      publishes:
        - event: order-placed
    mailer:
      subscribes:
        - event: payment-failed
  events:
    «order-placed»:
      content: id   # consumers call back
    «payment-failed»: { payload: 1KB }
    «unused»:
`;

const valid: ValidCase[] = [
  {
    name: 'published and subscribed (block)',
    text: yaml`
      topology: t
      services:
        a:
          publishes:
            - event: e
        b:
          subscribes:
            - event: e
      events:
        e: {}
    `,
  },
  {
    name: 'published and subscribed by the same service (flow)',
    text: yaml`
      topology: t
      services:
        a: { publishes: [{ event: e, delivery: outbox }], subscribes: [{ event: e }] }
      events:
        e: { content: full }
    `,
  },
];

const invalid: { name: string; src: string; expected: readonly Expected[]; settings?: RuleSettings; check?: (f: ReturnType<typeof expectFindings>, text: string) => void }[] = [
  {
    name: 'no subscriber: info; no publisher: warning; neither: warning',
    src: ORPHANS,
    expected: [
      { messageId: 'no-subscriber', severity: 'info', accepted: false, includes: ["Nobody subscribes to 'order-placed'"] },
      { messageId: 'no-publisher', severity: 'warning', includes: ["No service publishes 'payment-failed', yet 'mailer' subscribes to it. It waits"] },
      { messageId: 'no-publisher', severity: 'warning', includes: ["No service publishes or subscribes to 'unused'"] },
    ],
    check: ([noSub, noPub], text) => {
      assert.deepEqual(noSub.related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]), [['order-placed', "'orders' publishes here"]]);
      assert.deepEqual(noPub.related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]), [['payment-failed', "'mailer' subscribes here"]]);
    },
  },
  {
    name: 'several subscribers and no publisher: counted',
    src: yaml`
      topology: t
      services:
        a: { subscribes: [{ event: e }] }
        b: { subscribes: [{ event: e }] }
      events:
        «e»: {}
    `,
    expected: [{ messageId: 'no-publisher', includes: ['yet 2 services subscribe to it. They wait'] }],
  },
  { name: 'severity from the settings applies to both kinds', src: ORPHANS, settings: { 'orphan-event': 'error' }, expected: [{ severity: 'error' }] },
  { name: "severity from the file's rules block", src: ORPHANS + 'rules:\n  orphan-event: { severity: info }\n', expected: [{ severity: 'info' }] },
  {
    name: 'accept on the event',
    src: yaml`
      topology: t
      services:
        a: { publishes: [{ event: e }] }
      events:
        «e»:
          accept:
            - rule: orphan-event
              reason: for the data team, who subscribe next quarter
    `,
    expected: [{ accepted: true, severity: 'info' }],
    check: ([f]) => assert.equal(f.accepted?.reason, 'for the data team, who subscribe next quarter'),
  },
  {
    name: 'accept on the publishing service does not answer a finding on the event',
    src: yaml`
      topology: t
      services:
        a: { publishes: [{ event: e }], accept: [{ rule: orphan-event }] }
      events:
        «e»: { accept: [{ rule: sync-chain }] }
    `,
    expected: [{ accepted: false }],
  },
];

describe('orphan-event', () => {
  ruleTester(RULE, { valid, invalid });


  describe('fixes (accept only)', () => {
    const text = marked(ORPHANS).text;

    test('only "Accept orphan-event on …" is offered', () => {
      const r = run(text);
      for (const f of findingsOf(r, RULE)) {
        assert.deepEqual(fixesFor(f, r, RULES).map((x) => x.title), [`Accept orphan-event on event '${text.slice(f.span.start, f.span.end)}'`]);
      }
    });

    test('accept on a block event: after its last line, its comment kept', () => {
      const after = applyFix(text, RULE, /Accept/, {}, 0);
      assert.deepEqual(diffLines(text, after), {
        removed: [],
        added: ['    accept:', '      - rule: orphan-event', '        reason: "TODO: why this trade-off is acceptable"'],
      });
      assert.ok(after.includes('    content: id   # consumers call back\n    accept:\n'));
      assert.deepEqual(findingsOf(run(after), RULE).map((f) => !!f.accepted), [true, false, false]);
    });

    test('accept on a flow event: stays flow', () => {
      const after = applyFix(text, RULE, /Accept/, {}, 1);
      assert.deepEqual(diffLines(text, after), {
        removed: ['  payment-failed: { payload: 1KB }'],
        added: ['  payment-failed: { payload: 1KB, accept: [{ rule: orphan-event, reason: "TODO: why this trade-off is acceptable" }] }'],
      });
      assert.deepEqual(findingsOf(run(after), RULE).map((f) => !!f.accepted), [false, true, false]);
    });

    test('accept on an event written with no value: indented under it', () => {
      const after = applyFix(text, RULE, /Accept/, {}, 2);
      assert.deepEqual(diffLines(text, after), {
        removed: [],
        added: ['    accept:', '      - rule: orphan-event', '        reason: "TODO: why this trade-off is acceptable"'],
      });
      assert.ok(after.endsWith('  unused:\n    accept:\n      - rule: orphan-event\n        reason: "TODO: why this trade-off is acceptable"\n'));
      assert.deepEqual(findingsOf(run(after), RULE).map((f) => !!f.accepted), [false, false, true]);
    });

    test('accept on an empty flow event: { accept: [...] }', () => {
      const src = 'topology: t\nservices:\n  a: {}\nevents:\n  e: {}\n';
      const after = applyFix(src, RULE, /Accept/);
      assert.equal(after, 'topology: t\nservices:\n  a: {}\nevents:\n  e: { accept: [{ rule: orphan-event, reason: "TODO: why this trade-off is acceptable" }] }\n');
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });

    test('accept with CRLF line endings and 4-space indentation', () => {
      const src = crlf(['topology: t', 'services:', '    a: {}', 'events:', '    e:', '        content: full', ''].join('\n'));
      const after = applyFix(src, RULE, /Accept/);
      assert.equal(after, crlf(['topology: t', 'services:', '    a: {}', 'events:', '    e:', '        content: full', '        accept:', '            - rule: orphan-event', '              reason: "TODO: why this trade-off is acceptable"', ''].join('\n')));
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });
  });
});
