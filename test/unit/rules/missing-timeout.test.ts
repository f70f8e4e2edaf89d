/**
 * missing-timeout: a sync call with no timeout, on the call or in the file's defaults. A warning at the
 * call's `to`. Fixes: a timeout on the call (2s, preferred), or a default for every call. With no default
 * timeout and 3 or more calls lacking one, one finding for the file at `defaults:` (or `topology:`), the
 * calls related, with the default first and each call's own fix.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, crlf, diffLines, expectClean, findingsOf, marked, run, yaml } from '../../helpers';
import { ruleTester, type InvalidCase, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES } from '../../../server/src/core';

const RULE = 'missing-timeout';
const plain = (s: string) => marked(s).text;

const BLOCK = yaml`
  topology: t
  defaults:
    retries: 1
  services:
    web:
      calls:
        - to: «api»   # the page
          protocol: http
    api: {}
`;

const valid: ValidCase[] = [
  { name: 'a timeout on the call', text: 'topology: t\nservices:\n  a: { calls: [{ to: b, timeout: 2s }] }\n  b: {}\n' },
  { name: "a timeout in the file's defaults", text: 'topology: t\ndefaults: { timeout: 500ms }\nservices:\n  a: { calls: [{ to: b }] }\n  b: {}\n' },
  { name: 'near miss: an asynchronous call waits for nothing', text: 'topology: t\nservices:\n  a: { calls: [{ to: b, style: async }] }\n  b: {}\n' },
  { name: 'a bare number is a timeout in milliseconds', text: 'topology: t\nservices:\n  a: { calls: [{ to: b, timeout: 1500 }] }\n  b: {}\n' },
  { name: 'off in the settings', text: plain(BLOCK), settings: { 'missing-timeout': 'off' } },
  { name: "off in the file's rules block", text: plain(BLOCK) + 'rules:\n  missing-timeout: off\n' },
];

const invalid: InvalidCase[] = [
  {
    name: 'no timeout, and defaults without one (block): at the call',
    src: BLOCK,
    expected: [{ messageId: 'missing', severity: 'warning', accepted: false, includes: ["The call web → api has no timeout. When 'api' hangs or the answer is lost, 'web' waits", 'Set a timeout here or in defaults'] }],
  },
  {
    name: 'every sync call without one, in flow style; async calls are skipped',
    src: 'topology: t\nservices:\n  a: { calls: [{ to: «b» }, { to: c, style: async }, { to: «c», style: sync }] }\n  b: {}\n  c: {}\n',
    expected: [{ includes: ['a → b'] }, { includes: ['a → c'] }],
  },
  {
    name: 'a call to an unknown service still waits',
    src: 'topology: t\nservices:\n  a: { calls: [{ to: «ghost» }] }\n',
    expected: [{ includes: ['a → ghost'] }],
  },
  { name: 'severity from the settings', src: BLOCK, settings: { 'missing-timeout': 'error' }, expected: [{ severity: 'error' }] },
  { name: "severity from the file's rules block", src: BLOCK + 'rules:\n  missing-timeout: info\n', settings: { 'missing-timeout': 'error' }, expected: [{ severity: 'info' }] },
  {
    name: 'accept on the call: accepted',
    src: 'topology: t\nservices:\n  a: { calls: [{ to: «b», accept: [{ rule: missing-timeout, reason: the client library times out at 5s }] }] }\n  b: {}\n',
    expected: [{ accepted: true }],
    check: ([f]) => assert.equal(f.accepted?.reason, 'the client library times out at 5s'),
  },
  {
    name: 'three calls without one and no default: one finding at topology:, the calls related',
    src: '«topology»: t\nservices:\n  a: { calls: [{ to: b }, { to: c }] }\n  b: { calls: [{ to: c }] }\n  c: {}\n',
    expected: [{ messageId: 'no-default', severity: 'warning', includes: ['3 synchronous calls have no timeout, and the file sets no default timeout.', 'Set defaults.timeout'] }],
    check: ([f], text) => assert.deepEqual(f.related?.map((x) => [text.slice(x.span.start, x.span.end), x.message]), [['b', 'a → b has no timeout'], ['c', 'a → c has no timeout'], ['c', 'b → c has no timeout']]),
  },
  {
    name: 'three calls and a defaults map without a timeout: the finding is at defaults:',
    src: 'topology: t\n«defaults»:\n  retries: 1\nservices:\n  a: { calls: [{ to: b }, { to: c }, { to: d }] }\n  b: {}\n  c: {}\n  d: {}\n',
    expected: [{ messageId: 'no-default' }],
  },
  {
    name: 'three calls, one of them accepted on its own: that one stays apart (accepted), the other two are per call',
    src: 'topology: t\nservices:\n  a: { calls: [{ to: «b» }, { to: «c» }, { to: «d», accept: [{ rule: missing-timeout, reason: sidecar }] }] }\n  b: {}\n  c: {}\n  d: {}\n',
    expected: [{ messageId: 'missing', accepted: false }, { messageId: 'missing', accepted: false }, { messageId: 'missing', accepted: true }],
  },
  {
    name: 'accept on the calling service: accepted',
    src: 'topology: t\nservices:\n  a:\n    accept: [{ rule: missing-timeout, reason: sidecar sets it }]\n    calls: [{ to: «b» }]\n  b: {}\n',
    expected: [{ accepted: true }],
  },
];

describe('missing-timeout', () => {
  ruleTester(RULE, { valid, invalid });

  describe('fixes', () => {
    const text = plain(BLOCK);

    test('the fixes: a timeout on the call (preferred), a default, then accept', () => {
      const r = run(text);
      const fixes = fixesFor(findingsOf(r, RULE)[0], r, RULES);
      assert.deepEqual(
        fixes.map((f) => [f.title, !!f.isPreferred]),
        [
          ['Add timeout: 2s to the call web → api', true],
          ['Set a default timeout for every call (defaults.timeout: 2s)', false],
          ['Accept missing-timeout on the call web → api', false],
        ],
      );
    });

    test('a timeout on the call (block): one line, the comment kept', () => {
      const after = applyFix(text, RULE, /Add timeout: 2s/);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['        timeout: 2s'] });
      assert.ok(after.includes('      - to: api   # the page\n        protocol: http\n        timeout: 2s\n'));
      expectClean(RULE, after);
    });

    test('a timeout on the call (flow): the call stays flow', () => {
      const src = 'topology: t\nservices:\n  a: { calls: [{ to: b }] } # hot path\n  b: {}\n';
      const after = applyFix(src, RULE, /Add timeout: 2s/);
      assert.deepEqual(diffLines(src, after), { removed: ['  a: { calls: [{ to: b }] } # hot path'], added: ['  a: { calls: [{ to: b, timeout: 2s }] } # hot path'] });
      expectClean(RULE, after);
    });

    test('a default timeout in a block defaults map: every call is covered', () => {
      const src = text.replace('  - to: api', '  - to: api2\n      - to: api').replace('  api: {}\n', '  api: {}\n  api2: {}\n');
      assert.equal(findingsOf(run(src), RULE).length, 2);
      const after = applyFix(src, RULE, /default timeout/);
      assert.deepEqual(diffLines(src, after), { removed: [], added: ['  timeout: 2s'] });
      assert.ok(after.startsWith('topology: t\ndefaults:\n  retries: 1\n  timeout: 2s\nservices:\n'), after);
      expectClean(RULE, after);
    });

    test('a default timeout in a flow defaults map stays flow', () => {
      const src = 'topology: t\ndefaults: { retries: 1 }\nservices:\n  a: { calls: [{ to: b }] }\n  b: {}\n';
      const after = applyFix(src, RULE, /default timeout/);
      assert.deepEqual(diffLines(src, after), { removed: ['defaults: { retries: 1 }'], added: ['defaults: { retries: 1, timeout: 2s }'] });
      expectClean(RULE, after);
    });

    test('a default timeout where the file has no defaults: a defaults section near the top, after topology:', () => {
      const src = 'topology: t\nservices:\n  a: { calls: [{ to: b }] }\n  b: {}\n';
      const after = applyFix(src, RULE, /default timeout/);
      assert.equal(after, 'topology: t\ndefaults:\n  timeout: 2s\nservices:\n  a: { calls: [{ to: b }] }\n  b: {}\n');
      expectClean(RULE, after);
    });

    test('a default timeout goes after topology:, description: and imports:, before the first other section', () => {
      const src = '# Shop\ntopology: t   # the name\ndescription: >\n  A shop.\nimports:\n  - other.topology.yaml\nservices:\n  a: { calls: [{ to: b }] }\n  b: {}\n';
      const after = applyFix(src, RULE, /default timeout/);
      assert.equal(after, '# Shop\ntopology: t   # the name\ndescription: >\n  A shop.\nimports:\n  - other.topology.yaml\ndefaults:\n  timeout: 2s\nservices:\n  a: { calls: [{ to: b }] }\n  b: {}\n');
    });

    test('a default timeout in a 4-space CRLF file with services first: before services, in its style', () => {
      const src = 'services:\r\n    a:\r\n        calls:\r\n            - to: b\r\n    b: {}\r\ntopology: t\r\n';
      const after = applyFix(src, RULE, /default timeout/);
      assert.equal(after, 'defaults:\r\n    timeout: 2s\r\n' + src);
      expectClean(RULE, after);
    });

    describe('one finding for the file', () => {
      const many = 'topology: t\nservices:\n  a: { calls: [{ to: b }, { to: c }] }\n  b: { calls: [{ to: c }] }\n  c: {}\n';

      test('fixes: the default first (preferred), then each call, saying what remains', () => {
        const r = run(many);
        const [f] = findingsOf(r, RULE);
        assert.deepEqual(
          fixesFor(f, r, RULES).map((x) => [x.title, !!x.isPreferred]),
          [
            ['Set a default timeout for every call (defaults.timeout: 2s)', true],
            ['Add timeout: 2s to the call a → b', false],
            ['Add timeout: 2s to the call a → c', false],
            ['Add timeout: 2s to the call b → c', false],
          ],
        );
      });

      test('the default resolves it: no finding left', () => {
        const after = applyFix(many, RULE, /default timeout/);
        assert.ok(after.startsWith('topology: t\ndefaults:\n  timeout: 2s\nservices:\n'), after);
        expectClean(RULE, after);
      });

      test('one call fixed: two calls left, reported on their own', () => {
        const after = applyFix(many, RULE, /a → b/);
        assert.deepEqual(findingsOf(run(after), RULE).map((x) => x.messageId), ['missing', 'missing']);
      });

      test('with four calls, fixing one says that three remain, and one finding stays', () => {
        const four = many.replace('  c: {}\n', '  c: { calls: [{ to: d }] }\n  d: {}\n');
        const r = run(four);
        assert.ok(fixesFor(findingsOf(r, RULE)[0], r, RULES).some((x) => x.title === 'Add timeout: 2s to the call a → b; 3 calls without a timeout remain'));
        const after = applyFix(four, RULE, /a → b; 3 calls/);
        assert.deepEqual(findingsOf(run(after), RULE).map((x) => x.messageId), ['no-default']);
      });
    });

    test('a default timeout under an empty defaults key', () => {
      const src = 'topology: t\ndefaults:\nservices:\n  a: { calls: [{ to: b }] }\n  b: {}\n';
      const after = applyFix(src, RULE, /default timeout/);
      assert.deepEqual(diffLines(src, after), { removed: [], added: ['  timeout: 2s'] });
      expectClean(RULE, after);
    });

    test('CRLF stays CRLF', () => {
      const src = crlf(text);
      const after = applyFix(src, RULE, /Add timeout: 2s/);
      assert.deepEqual(diffLines(src, after), { removed: [], added: ['        timeout: 2s\r'] });
      expectClean(RULE, after);
    });

    test('accept: an accept entry on the call', () => {
      const after = applyFix(text, RULE, /^Accept missing-timeout on /);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['        accept:', '          - rule: missing-timeout', '            reason: "TODO: why this trade-off is acceptable"'] });
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });
  });
});
