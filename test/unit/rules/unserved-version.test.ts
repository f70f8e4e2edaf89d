/**
 * unserved-version: a call's `version` that the callee's `versions` does not list. An error at the call's
 * `version`; the callee's `versions` is the related information. A callee with no `versions` at all is
 * unversioned-interface's. Fixes: call a served version (one fix per version), or let the callee serve
 * the asked version too (expand, then contract).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, diffLines, expectClean, findingsOf, marked, run, yaml } from '../../helpers';
import { ruleTester, type InvalidCase, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES } from '../../../server/src/core';

const RULE = 'unserved-version';
const plain = (s: string) => marked(s).text;

const V2 = yaml`
  topology: t
  services:
    web:
      calls:
        - to: api
          version: «v3»   # the new checkout
    api:
      versions:
        - v1
        - v2
`;

const valid: ValidCase[] = [
  { name: 'a served version', text: 'topology: t\nservices:\n  a: { calls: [{ to: b, version: v2 }] }\n  b: { versions: [v1, v2] }\n' },
  { name: 'near miss: the callee names no versions at all (unversioned-interface’s)', text: 'topology: t\nservices:\n  a: { calls: [{ to: b, version: v2 }] }\n  b: {}\n' },
  { name: 'a call that names no version', text: 'topology: t\nservices:\n  a: { calls: [{ to: b }] }\n  b: { versions: [v1] }\n' },
  { name: 'numbers compare as versions too', text: 'topology: t\nservices:\n  a: { calls: [{ to: b, version: 2 }] }\n  b: { versions: [1, 2] }\n' },
  { name: 'a call to an unknown service is unknown-reference’s', text: 'topology: t\nservices:\n  a: { calls: [{ to: ghost, version: v9 }] }\n' },
  { name: 'off in the settings', text: plain(V2), settings: { 'unserved-version': 'off' } },
];

const invalid: InvalidCase[] = [
  {
    name: 'a version the callee does not serve: an error at the version, the callee’s versions related',
    src: V2,
    expected: [{ messageId: 'unserved', severity: 'error', accepted: false, includes: ["'web' calls version v3 of 'api', which serves v1, v2", 'expand, then contract'] }],
    check: ([f], text) => assert.deepEqual(f.related?.map((r) => [text.slice(r.span.start, r.span.end).trim(), r.message]), [['- v1\n      - v2', "'api' serves v1, v2"]]),
  },
  {
    name: 'an empty versions list serves nothing',
    src: 'topology: t\nservices:\n  a: { calls: [{ to: b, version: «v1» }] }\n  b: { versions: [] }\n',
    expected: [{ includes: ["which serves no version"] }],
    check: ([f]) => assert.equal(f.related?.[0].message, "'b' serves nothing"),
  },
  {
    name: 'several callers, each on its own version',
    src: 'topology: t\nservices:\n  a: { calls: [{ to: c, version: «v0» }] }\n  b: { calls: [{ to: c, version: v1 }, { to: c, version: «v2» }] }\n  c: { versions: [v1] }\n',
    expected: [{ includes: ["'a' calls version v0"] }, { includes: ["'b' calls version v2"] }],
  },
  { name: 'severity from the settings', src: V2, settings: { 'unserved-version': 'warning' }, expected: [{ severity: 'warning' }] },
  { name: "severity from the file's rules block", src: V2 + 'rules:\n  unserved-version: warning\n', expected: [{ severity: 'warning' }] },
  {
    name: 'accept on the call: accepted',
    src: 'topology: t\nservices:\n  a: { calls: [{ to: b, version: «v2», accept: [{ rule: unserved-version, reason: released together this once }] }] }\n  b: { versions: [v1] }\n',
    expected: [{ accepted: true }],
  },
];

describe('unserved-version', () => {
  ruleTester(RULE, { valid, invalid });

  describe('fixes', () => {
    const text = plain(V2);

    test('the fixes: each served version, serve the asked one too, then accept', () => {
      const r = run(text);
      assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title), [
        'Call version v1 instead',
        'Call version v2 instead',
        "Let 'api' serve v3 too, while callers migrate",
        'Accept unserved-version on the call web → api',
      ]);
    });

    test('call a served version (block): replaced in place, the comment kept', () => {
      const after = applyFix(text, RULE, /Call version v2/);
      assert.deepEqual(diffLines(text, after), { removed: ['        version: v3   # the new checkout'], added: ['        version: v2   # the new checkout'] });
      expectClean(RULE, after);
    });

    test('serve the asked version too (block list): one item appended', () => {
      const after = applyFix(text, RULE, /serve v3 too/);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['      - v3'] });
      expectClean(RULE, after);
    });

    test('serve the asked version too (flow list and flow call)', () => {
      const src = 'topology: t\nservices:\n  a: { calls: [{ to: b, version: v2 }] }\n  b: { versions: [v1] }\n';
      const after = applyFix(src, RULE, /serve v2 too/);
      assert.deepEqual(diffLines(src, after), { removed: ['  b: { versions: [v1] }'], added: ['  b: { versions: [v1, v2] }'] });
      expectClean(RULE, after);
    });

    test('serve the asked version too, from an empty list', () => {
      const src = 'topology: t\nservices:\n  a: { calls: [{ to: b, version: v1 }] }\n  b: { versions: [] }\n';
      const r = run(src);
      assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title), ["Let 'b' serve v1 too, while callers migrate", 'Accept unserved-version on the call a → b']);
      const after = applyFix(src, RULE, /serve v1 too/);
      assert.deepEqual(diffLines(src, after), { removed: ['  b: { versions: [] }'], added: ['  b: { versions: [v1] }'] });
      expectClean(RULE, after);
    });

    test('call a served version (flow)', () => {
      const src = 'topology: t\nservices:\n  a: { calls: [{ to: b, version: v2, timeout: 1s }] }\n  b: { versions: [v1] }\n';
      const after = applyFix(src, RULE, /Call version v1/);
      assert.deepEqual(diffLines(src, after), { removed: ['  a: { calls: [{ to: b, version: v2, timeout: 1s }] }'], added: ['  a: { calls: [{ to: b, version: v1, timeout: 1s }] }'] });
      expectClean(RULE, after);
    });

    test('accept: an accept entry on the call', () => {
      const after = applyFix(text, RULE, /^Accept unserved-version on /);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['        accept:', '          - rule: unserved-version', '            reason: "TODO: why this trade-off is acceptable"'] });
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });
  });
});
