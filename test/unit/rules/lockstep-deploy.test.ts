/**
 * lockstep-deploy: a service that lists other services in `deployTogether`. A warning at each listed
 * service reference. No quick fix of its own: versioning the interface is a design change.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, diffLines, findingsOf, marked, run, yaml } from '../../helpers';
import { ruleTester, type InvalidCase, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES } from '../../../server/src/core';

const RULE = 'lockstep-deploy';
const plain = (s: string) => marked(s).text;

const PAIR = yaml`
  topology: t
  services:
    orders:
      calls: [{ to: payment }]
      deployTogether:
        - «payment»   # the Charge contract changed
    payment: {}
`;

const valid: ValidCase[] = [
  { name: 'no deployTogether', text: 'topology: t\nservices:\n  a: { calls: [{ to: b }] }\n  b: {}\n' },
  { name: 'an empty deployTogether', text: 'topology: t\nservices:\n  a: { deployTogether: [] }\n' },
  { name: 'near miss: the service itself', text: 'topology: t\nservices:\n  a: { deployTogether: [a] }\n' },
  { name: 'an unknown service is unknown-reference’s', text: 'topology: t\nservices:\n  a: { deployTogether: [ghost] }\n' },
  { name: 'off in the settings', text: plain(PAIR), settings: { 'lockstep-deploy': 'off' } },
];

const invalid: InvalidCase[] = [
  {
    name: 'one service released with another (block): at the reference',
    src: PAIR,
    expected: [{ messageId: 'lockstep', severity: 'warning', accepted: false, includes: ["'orders' must be released together with 'payment'", 'one failed deployment rolls back both', 'run old and new side by side'] }],
  },
  {
    name: 'each listed service (flow)',
    src: 'topology: t\nservices:\n  a: { deployTogether: [«b», «c»] }\n  b: {}\n  c: {}\n',
    expected: [{ includes: ["with 'b'"] }, { includes: ["with 'c'"] }],
  },
  {
    name: 'both sides of a pair say it',
    src: 'topology: t\nservices:\n  a: { deployTogether: [«b»] }\n  b: { deployTogether: [«a»] }\n',
    expected: [{ includes: ["'a' must be released together with 'b'"] }, { includes: ["'b' must be released together with 'a'"] }],
  },
  { name: 'severity from the settings', src: PAIR, settings: { 'lockstep-deploy': 'error' }, expected: [{ severity: 'error' }] },
  { name: "severity from the file's rules block", src: PAIR + 'rules:\n  lockstep-deploy: info\n', expected: [{ severity: 'info' }] },
  {
    name: 'accept on the service: accepted',
    src: 'topology: t\nservices:\n  a: { deployTogether: [«b»], accept: [{ rule: lockstep-deploy, reason: one team, one repo, until Q3 }] }\n  b: {}\n',
    expected: [{ accepted: true }],
  },
];

describe('lockstep-deploy', () => {
  ruleTester(RULE, { valid, invalid });

  describe('fixes', () => {
    test('only "Accept lockstep-deploy on …": the entry goes on the service, the comment kept', () => {
      const text = plain(PAIR);
      const r = run(text);
      assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title), ["Accept lockstep-deploy on service 'orders'"]);
      const after = applyFix(text, RULE, /^Accept lockstep-deploy on /);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['    accept:', '      - rule: lockstep-deploy', '        reason: "TODO: why this trade-off is acceptable"'] });
      assert.ok(after.includes('      - payment   # the Charge contract changed\n'));
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });
  });
});
