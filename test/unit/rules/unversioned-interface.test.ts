/**
 * unversioned-interface: a service reached from outside (`exposure: external`) or called by `callers`
 * (default 3) or more other services, whose `versions` names no version. An info at the service key.
 * Fix: declare the versions its callers already ask for (else v1).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, diffLines, expectClean, expectFindings, findingsOf, marked, run, yaml } from '../../helpers';
import { ruleTester, type InvalidCase, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES } from '../../../server/src/core';

const RULE = 'unversioned-interface';
const plain = (s: string) => marked(s).text;

const PUBLIC = yaml`
  topology: t
  services:
    «api»:
      exposure: external   # the partners' API
      calls: [{ to: orders }]
    orders: {}
`;

/** `auth` with n callers c1..cn, each with `call`. */
function called(n: number, auth = '{}', call = '{ to: auth }'): string {
  const callers = Array.from({ length: n }, (_, i) => `  c${i + 1}: { calls: [${call}] }\n`).join('');
  return `topology: t\nservices:\n  «auth»: ${auth}\n${callers}`;
}

const valid: ValidCase[] = [
  { name: 'an external service with versions', text: 'topology: t\nservices:\n  api: { exposure: external, versions: [v1] }\n' },
  { name: 'two callers', text: plain(called(2)) },
  { name: 'near miss: three calls from one caller are one caller', text: 'topology: t\nservices:\n  auth: {}\n  a: { calls: [{ to: auth }, { to: auth }, { to: auth }] }\n' },
  { name: 'near miss: the service calling itself is no caller', text: plain(called(2, '{ calls: [{ to: auth }] }')) },
  { name: 'three callers and versions', text: plain(called(3, '{ versions: [v1] }')) },
  { name: 'callers 4 from the settings, three callers', text: plain(called(3)), settings: { 'unversioned-interface': { callers: 4 } } },
  { name: "callers 4 from the file's rules block", text: plain(called(3)) + 'rules:\n  unversioned-interface: { callers: 4 }\n' },
  { name: 'off in the settings', text: plain(PUBLIC), settings: { 'unversioned-interface': 'off' } },
];

const invalid: InvalidCase[] = [
  {
    name: 'an external service with no versions: an info at the service',
    src: PUBLIC,
    expected: [{ messageId: 'external', severity: 'info', accepted: false, includes: ["'api' is reached from outside, and its interface has no versions.", 'old and new can run side by side'] }],
  },
  { name: 'three callers', src: called(3), expected: [{ messageId: 'many-callers', includes: ["3 services call 'auth', and its interface has no versions."] }] },
  { name: 'asynchronous callers count: they depend on the interface too', src: called(3, '{}', '{ to: auth, style: async }'), expected: [{ messageId: 'many-callers' }] },
  { name: 'an empty versions list names no version', src: called(3, '{ versions: [] }'), expected: [{ messageId: 'many-callers' }] },
  { name: 'callers 2 from the settings', src: called(2), settings: { 'unversioned-interface': { callers: 2 } }, expected: [{ includes: ['2 services call'] }] },
  { name: "callers 2 from the file's rules block wins over the settings", src: called(2) + 'rules:\n  unversioned-interface: { callers: 2 }\n', settings: { 'unversioned-interface': { callers: 9 } }, expected: [{ includes: ['2 services call'] }] },
  { name: 'severity from the settings', src: PUBLIC, settings: { 'unversioned-interface': 'warning' }, expected: [{ severity: 'warning' }] },
  { name: 'accept on the service: accepted', src: called(3, '{ accept: [{ rule: unversioned-interface, reason: internal, one team }] }'), expected: [{ accepted: true }] },
];

describe('unversioned-interface', () => {
  ruleTester(RULE, { valid, invalid });

  describe('fixes', () => {
    const text = plain(PUBLIC);

    test('the fixes: declare v1 (preferred), then accept', () => {
      const r = run(text);
      assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => [f.title, !!f.isPreferred]), [
        ["Declare the interface versions 'api' serves (versions: [v1])", true],
        ["Accept unversioned-interface on service 'api'", false],
      ]);
    });

    test('declare v1 (block): one line at the end of the service, the comment kept', () => {
      const after = applyFix(text, RULE, /Declare/);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['    versions: [v1]'] });
      assert.ok(after.includes("    exposure: external   # the partners' API\n"));
      expectClean(RULE, after);
    });

    test('declare the versions callers already ask for, so that no call becomes unserved', () => {
      const src = 'topology: t\nservices:\n  auth: {}\n  a: { calls: [{ to: auth, version: v2 }] }\n  b: { calls: [{ to: auth, version: v3 }] }\n  c: { calls: [{ to: auth, version: v2 }] }\n';
      const r = run(src);
      assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES)[0].title, "Declare the interface versions 'auth' serves (versions: [v2, v3])");
      const after = applyFix(src, RULE, /Declare/);
      assert.deepEqual(diffLines(src, after), { removed: ['  auth: {}'], added: ['  auth: { versions: [v2, v3] }'] });
      const again = run(after);
      assert.deepEqual(findingsOf(again, RULE), []);
      assert.deepEqual(findingsOf(again, 'unserved-version'), []);
    });

    test('a numeric version is quoted so that it stays a string in the list', () => {
      const src = 'topology: t\nservices:\n  auth: {}\n  a: { calls: [{ to: auth, version: 2 }] }\n  b: { calls: [{ to: auth }] }\n  c: { calls: [{ to: auth }] }\n';
      const after = applyFix(src, RULE, /Declare/);
      assert.deepEqual(diffLines(src, after), { removed: ['  auth: {}'], added: ['  auth: { versions: ["2"] }'] });
      assert.deepEqual(findingsOf(run(after), 'unserved-version'), []);
    });

    test('declare v1 under a service with nothing under it', () => {
      const src = 'topology: t\nservices:\n  api:\n  a: { calls: [{ to: api }] }\n  b: { calls: [{ to: api }] }\n  c: { calls: [{ to: api }] }\n';
      const after = applyFix(src, RULE, /Declare/);
      assert.deepEqual(diffLines(src, after), { removed: [], added: ['    versions: [v1]'] });
      expectClean(RULE, after);
    });

    test('an empty versions list is replaced', () => {
      const src = plain(called(3, '{ versions: [] }'));
      const after = applyFix(src, RULE, /Declare/);
      assert.deepEqual(diffLines(src, after), { removed: ['  auth: { versions: [] }'], added: ['  auth: { versions: [v1] }'] });
      expectClean(RULE, after);
    });

    test('accept: an accept entry on the service', () => {
      const after = applyFix(text, RULE, /^Accept unversioned-interface on /);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['    accept:', '      - rule: unversioned-interface', '        reason: "TODO: why this trade-off is acceptable"'] });
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });
  });
});

describe('unversioned-interface: frontends, and one finding per cause', () => {
  test('a backend for a frontend or a frontend needs no versions, even when external', () => {
    expectClean(RULE, 'topology: t\nservices:\n  web: { exposure: external, kind: frontend }\n  app-bff: { exposure: external, kind: bff }\n  versioned: { versions: [v1] }\n');
  });

  const THREE = 'topology: t\nservices:\n  a: { exposure: external }\n  b: { exposure: external }\n  c: { exposure: external }\n';

  test('three unversioned interfaces and no versions anywhere: one finding at topology:, the services related', () => {
    const found = expectFindings(RULE, '«topology»: t\nservices:\n  a: { exposure: external }\n  b: { exposure: external }\n  c: { exposure: external }\n', [
      { messageId: 'none-versioned', severity: 'info', includes: ['3 interfaces are external or widely called, and no service names the versions it serves.'] },
    ]);
    assert.deepEqual(found[0].related?.map((r) => r.message), ["'a' is reached from outside", "'b' is reached from outside", "'c' is reached from outside"]);
  });

  test('once one service names versions, the others are reported one by one', () => {
    expectFindings(RULE, 'topology: t\nservices:\n  «a»: { exposure: external }\n  «b»: { exposure: external }\n  v: { exposure: external, versions: [v1] }\n', [{ messageId: 'external' }]);
  });

  test('an accepted service stays apart, accepted; fewer than three others are reported one by one', () => {
    expectFindings(RULE, 'topology: t\nservices:\n  «a»: { exposure: external }\n  «b»: { exposure: external }\n  «c»: { exposure: external, accept: [{ rule: unversioned-interface, reason: internal partners only }] }\n', [{ accepted: false }, { accepted: false }, { accepted: true }]);
  });

  test('fixes: version them all (preferred), or one at a time, saying the others stay unversioned', () => {
    const r = run(THREE);
    assert.deepEqual(
      fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => [f.title, !!f.isPreferred]),
      [
        ['Declare the versions each of the 3 interfaces serves (versions: [v1], or what its callers ask for)', true],
        ["Declare the versions 'a' serves (versions: [v1]); 2 other interfaces stay unversioned", false],
        ["Declare the versions 'b' serves (versions: [v1]); 2 other interfaces stay unversioned", false],
        ["Declare the versions 'c' serves (versions: [v1]); 2 other interfaces stay unversioned", false],
      ],
    );
    const all = applyFix(THREE, RULE, /each of the 3/);
    assert.equal(all, 'topology: t\nservices:\n  a: { exposure: external, versions: [v1] }\n  b: { exposure: external, versions: [v1] }\n  c: { exposure: external, versions: [v1] }\n');
    expectClean(RULE, all);
    assert.equal(findingsOf(run(applyFix(THREE, RULE, /'a' serves/)), RULE).length, 2);
  });
});
