/** self-call: a service calling itself, reported on the call's `to`; the fix removes the call. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectClean, findingsOf, marked, run, yaml, diffLines, crlf } from '../../helpers';
import { ruleTester, type InvalidCase, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES } from '../../../server/src/core';

const RULE = 'self-call';



const BLOCK = yaml`
  topology: t
  services:
    a:
      calls:
        - to: b   # first
        # the recursive call below is a mistake
        - to: «a»
          timeout: 2s   # retried
        - to: c   # last
    b: {}
    c: {}
`;

const valid: ValidCase[] = [
  {
    name: 'calls to other services',
    text: yaml`
      topology: t
      services:
        a: { calls: [{ to: b }, { to: ab }] }
        b: { calls: [{ to: a }] }
        ab: {}
    `,
  },
  {
    name: 'ids are case-sensitive: A is not a',
    text: yaml`
      topology: t
      services:
        a: { calls: [{ to: A }] }
        A: {}
    `,
  },
  {
    name: 'publishing an event the service also subscribes to is not a call',
    text: yaml`
      topology: t
      services:
        a: { publishes: [{ event: e }], subscribes: [{ event: e }], deployTogether: [a] }
      events:
        e: {}
    `,
  },
];

const invalid: InvalidCase[] = [
  { name: 'a block self-call', src: BLOCK, expected: [{ messageId: 'self', severity: 'warning', accepted: false, includes: ["'a' calls itself", 'in-process'] }] },
  {
    name: 'a flow self-call, and an async one (still a network round trip)',
    src: yaml`
      topology: t
      services:
        a: { calls: [{ to: «a» }] }
        b: { calls: [{ to: «b», style: async }] }
    `,
    expected: [{ messageId: 'self' }],
  },
  {
    name: 'two self-calls in one service: two findings',
    src: yaml`
      topology: t
      services:
        a:
          calls:
            - to: «a»
              operation: One
            - to: «a»
              operation: Two
    `,
    expected: [{ messageId: 'self' }],
  },
  { name: 'severity from the settings', src: BLOCK, settings: { 'self-call': 'error' }, expected: [{ severity: 'error' }] },
  { name: "severity from the file's rules block", src: BLOCK + 'rules:\n  self-call: info\n', expected: [{ severity: 'info' }] },
  {
    name: 'accept on the call',
    src: yaml`
      topology: t
      services:
        a: { calls: [{ to: «a», accept: [{ rule: self-call, reason: a second replica set }] }] }
    `,
    expected: [{ accepted: true }],
    check: ([f]) => assert.equal(f.accepted?.reason, 'a second replica set'),
  },
  {
    name: 'accept on the service',
    src: yaml`
      topology: t
      services:
        a:
          calls:
            - to: «a»
          accept:
            - rule: self-call
    `,
    expected: [{ accepted: true }],
  },
  {
    name: 'accept for another rule does not suppress',
    src: yaml`
      topology: t
      services:
        a:
          accept: [{ rule: sync-chain }]
          calls: [{ to: «a», accept: [{ rule: chatty-calls }] }]
    `,
    expected: [{ accepted: false }],
  },
];

describe('self-call', () => {
  ruleTester(RULE, { valid, invalid });


  describe('fixes', () => {
    const text = marked(BLOCK).text;

    test('remove, then accept', () => {
      const r = run(text);
      assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title), ["Remove the call from 'a' to itself", 'Accept self-call on the call a → a']);
    });

    test('remove a middle block item: its lines go, the comment above it and the other items stay', () => {
      const after = applyFix(text, RULE, /Remove/);
      assert.deepEqual(diffLines(text, after), { removed: ['      - to: a', '        timeout: 2s   # retried'], added: [] });
      expectClean(RULE, after);
      assert.deepEqual(run(after).system.services.get('a')!.calls.map((c) => c.to.id), ['b', 'c']);
    });

    test('remove the last block item', () => {
      const src = yaml`
        topology: t
        services:
          a:
            calls:
              - to: b
              - to: a   # oops
          b: {}
      `;
      const after = applyFix(src, RULE, /Remove/);
      assert.deepEqual(diffLines(src, after), { removed: ['      - to: a   # oops'], added: [] });
      expectClean(RULE, after);
    });

    test('remove the only block item: calls stays, empty', () => {
      const src = yaml`
        topology: t
        services:
          a:
            calls:
              - to: a
                operation: Again
            team: core
      `;
      const after = applyFix(src, RULE, /Remove/);
      assert.equal(after, 'topology: t\nservices:\n  a:\n    calls:\n    team: core\n');
      expectClean(RULE, after);
    });

    test('remove the first block item at the end of a file with no final line break', () => {
      const src = 'topology: t\nservices:\n  a:\n    calls:\n      - to: a\n      - to: b\n  b: {}';
      const after = applyFix(src, RULE, /Remove/);
      assert.equal(after, 'topology: t\nservices:\n  a:\n    calls:\n      - to: b\n  b: {}');
    });

    test('remove from a flow list: first, last and only item, and with a trailing comma', () => {
      const cases: [string, string][] = [
        ['  a: { calls: [{ to: a }, { to: b }] }', '  a: { calls: [{ to: b }] }'],
        ['  a: { calls: [{ to: b }, { to: a }] }', '  a: { calls: [{ to: b }] }'],
        ['  a: { calls: [{ to: a }] }', '  a: { calls: [] }'],
        ['  a: { calls: [{ to: a }, ] }', '  a: { calls: [] }'],
        ['  a: { calls: [{ to: b }, { to: a }, ] }', '  a: { calls: [{ to: b }, ] }'],
      ];
      for (const [line, want] of cases) {
        const src = `topology: t\nservices:\n${line} # keep\n  b: {}\n`;
        const after = applyFix(src, RULE, /Remove/);
        assert.deepEqual(diffLines(src, after), { removed: [`${line} # keep`], added: [`${want} # keep`] }, line);
        expectClean(RULE, after);
      }
    });

    test('remove from a flow list spread over lines', () => {
      const src = 'topology: t\nservices:\n  a:\n    calls: [\n      { to: a },\n      { to: b }\n    ]\n  b: {}\n';
      const after = applyFix(src, RULE, /Remove/);
      assert.equal(after, 'topology: t\nservices:\n  a:\n    calls: [\n      { to: b }\n    ]\n  b: {}\n');
    });

    test('remove with CRLF line endings and 4-space indentation', () => {
      const src = crlf(['topology: t', 'services:', '    a:', '        calls:', '            - to: a   # oops', '              timeout: 1s', '            - to: b', '    b: {}', ''].join('\n'));
      const after = applyFix(src, RULE, /Remove/);
      assert.equal(after, crlf(['topology: t', 'services:', '    a:', '        calls:', '            - to: b', '    b: {}', ''].join('\n')));
      expectClean(RULE, after);
    });

    test('accept (block): inserted after the call, before the comment that follows it', () => {
      const after = applyFix(text, RULE, /Accept/);
      assert.deepEqual(diffLines(text, after), {
        removed: [],
        added: ['        accept:', '          - rule: self-call', '            reason: "TODO: why this trade-off is acceptable"'],
      });
      assert.ok(after.includes('        timeout: 2s   # retried\n        accept:\n'));
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });

    test('accept (flow)', () => {
      const src = 'topology: t\nservices:\n  a: { calls: [{ to: a }] }\n';
      const after = applyFix(src, RULE, /Accept/);
      assert.equal(after, 'topology: t\nservices:\n  a: { calls: [{ to: a, accept: [{ rule: self-call, reason: "TODO: why this trade-off is acceptable" }] }] }\n');
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });

    test('accept into an empty flow accept list keeps its spacing', () => {
      const src = 'topology: t\nservices:\n  a: { calls: [{ to: a, accept: [ ] }] }\n';
      const after = applyFix(src, RULE, /Accept/);
      assert.equal(after, 'topology: t\nservices:\n  a: { calls: [{ to: a, accept: [ { rule: self-call, reason: "TODO: why this trade-off is acceptable" } ] }] }\n');
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });

    test('accept with CRLF line endings and 4-space indentation', () => {
      const src = crlf(['topology: t', 'services:', '    a:', '        calls:', '            - to: a   # oops', '    b: {}', ''].join('\n'));
      const after = applyFix(src, RULE, /Accept/);
      assert.equal(
        after,
        crlf(['topology: t', 'services:', '    a:', '        calls:', '            - to: a   # oops', '              accept:', '                  - rule: self-call', '                    reason: "TODO: why this trade-off is acceptable"', '    b: {}', ''].join('\n')),
      );
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });
  });
});
