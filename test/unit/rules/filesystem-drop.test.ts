/**
 * filesystem-drop: a `filesystem` or `bucket` store written by exactly one service and read by another.
 * An info at each reader's `uses` store reference (common data: the reader must poll, and both must cope
 * with half-written files); the writer's use is the related information. Two writers are
 * shared-database's.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, diffLines, findingsOf, marked, run, yaml } from '../../helpers';
import { ruleTester, type InvalidCase, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES } from '../../../server/src/core';

const RULE = 'filesystem-drop';
const plain = (s: string) => marked(s).text;
/** Replaces text that must be there (a replace that matches nothing would quietly test the original). */
const edit = (s: string, from: string, to: string) => {
  assert.ok(s.includes(from), `no '${from}' in:\n${s}`);
  return s.replace(from, to);
};

const DROP = yaml`
  topology: t
  services:
    export:
      uses:
        - store: nightly
          access: write
    billing:
      uses:
        - store: «nightly»   # reads the CSV at 2am
          access: read
  datastores:
    nightly:
      kind: filesystem
`;

const valid: ValidCase[] = [
  {
    name: 'a filesystem only its writer uses',
    text: 'topology: t\nservices:\n  a: { uses: [{ store: fs, access: write }, { store: fs, access: read }] }\ndatastores:\n  fs: { kind: filesystem }\n',
  },
  {
    name: 'near miss: two writers are shared-database’s',
    text: 'topology: t\nservices:\n  a: { uses: [{ store: b1, access: write }] }\n  b: { uses: [{ store: b1 }] }\n  c: { uses: [{ store: b1, access: read }] }\ndatastores:\n  b1: { kind: bucket }\n',
  },
  {
    name: 'near miss: readers and no writer (someone outside drops the files)',
    text: 'topology: t\nservices:\n  a: { uses: [{ store: b1, access: read }] }\n  b: { uses: [{ store: b1, access: read }] }\ndatastores:\n  b1: { kind: bucket }\n',
  },
  {
    name: 'near miss: a database with a writer and a reader is shared-database’s',
    text: 'topology: t\nservices:\n  a: { uses: [{ store: db, access: write }] }\n  b: { uses: [{ store: db, access: read }] }\ndatastores:\n  db: { kind: database }\n',
  },
  { name: 'off in the settings', text: plain(DROP), settings: { 'filesystem-drop': 'off' } },
];

const invalid: InvalidCase[] = [
  {
    name: 'a filesystem drop (block): an info at the reader’s use, the writer related',
    src: DROP,
    expected: [{ messageId: 'drop', severity: 'info', accepted: false, includes: ["'billing' reads files that 'export' drops in 'nightly'", 'must poll to notice new files', 'half-written'] }],
    check: ([f], text) => assert.deepEqual(f.related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]), [['nightly', 'export writes here']]),
  },
  {
    name: 'a bucket read by two services (flow): one finding per reader',
    src: 'topology: t\nservices:\n  a: { uses: [{ store: b1, access: readwrite }] }\n  b: { uses: [{ store: «b1», access: read }] }\n  c: { uses: [{ store: «b1», access: read }] }\ndatastores:\n  b1: { kind: bucket }\n',
    expected: [{ includes: ["'b' reads files that 'a' drops in 'b1'"] }, { includes: ["'c' reads files that 'a' drops in 'b1'"] }],
  },
  { name: 'severity from the settings', src: DROP, settings: { 'filesystem-drop': 'warning' }, expected: [{ severity: 'warning' }] },
  {
    name: 'accept on the use: accepted',
    src: edit(DROP, '        access: read\n', '        access: read\n        accept: [{ rule: filesystem-drop, reason: the mainframe only writes files }]\n'),
    expected: [{ accepted: true }],
    check: ([f]) => assert.equal(f.accepted?.reason, 'the mainframe only writes files'),
  },
  {
    name: 'accept on the reading service: accepted',
    src: edit(DROP, '  billing:\n', '  billing:\n    accept: [{ rule: filesystem-drop, reason: batch by design }]\n'),
    expected: [{ accepted: true }],
  },
  {
    name: 'accept on the store: accepted',
    src: edit(DROP, '    kind: filesystem\n', '    kind: filesystem\n    accept: [{ rule: filesystem-drop, reason: the drop folder }]\n'),
    expected: [{ accepted: true }],
  },
];

describe('filesystem-drop', () => {
  ruleTester(RULE, { valid, invalid });

  test('two writers are reported by shared-database instead', () => {
    const r = run(valid[1].text);
    assert.ok(findingsOf(r, 'shared-database').length > 0);
  });

  describe('fixes', () => {
    test('only "Accept filesystem-drop on …": the entry goes on the reader’s use, the comment kept', () => {
      const text = plain(DROP);
      const r = run(text);
      assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title), ["Accept filesystem-drop on the use of 'nightly' by 'billing'"]);
      const after = applyFix(text, RULE, /^Accept filesystem-drop on /);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['        accept:', '          - rule: filesystem-drop', '            reason: "TODO: why this trade-off is acceptable"'] });
      assert.ok(after.includes('- store: nightly   # reads the CSV at 2am\n'));
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });
  });
});
