/**
 * common-data-lake: a data lake or a warehouse used by two or more services. Shared by design (the
 * common-data pattern), so an info at the store's id, naming the trade-off of each kind; every user is
 * related information, with what it does. No quick fix of its own: the decision can be recorded.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, diffLines, findingsOf, marked, run, yaml } from '../../helpers';
import { ruleTester, type InvalidCase, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES } from '../../../server/src/core';

const RULE = 'common-data-lake';
const plain = (s: string) => marked(s).text;
/** Replaces text that must be there (a replace that matches nothing would quietly test the original). */
const edit = (s: string, from: string, to: string) => {
  assert.ok(s.includes(from), `no '${from}' in:\n${s}`);
  return s.replace(from, to);
};

const LAKE = yaml`
  topology: t
  services:
    ingest:
      uses:
        - store: clicks
          access: write
    reports:
      uses: [{ store: clicks, access: read }]
    ml:
      uses: [{ store: clicks, access: read }]
  datastores:
    «clicks»:
      kind: data-lake
      technology: s3
`;

const valid: ValidCase[] = [
  {
    name: 'a data lake with one user',
    text: 'topology: t\nservices:\n  ingest: { uses: [{ store: lake, access: write }] }\ndatastores:\n  lake: { kind: data-lake }\n',
  },
  {
    name: 'one service using the warehouse twice is still one user',
    text: 'topology: t\nservices:\n  etl: { uses: [{ store: dw, access: write }, { store: dw, access: read }] }\ndatastores:\n  dw: { kind: warehouse }\n',
  },
  {
    name: 'near miss: a database shared by two services is shared-database’s',
    text: 'topology: t\nservices:\n  a: { uses: [{ store: db }] }\n  b: { uses: [{ store: db, access: read }] }\ndatastores:\n  db: { owner: a }\n',
  },
  {
    name: 'near miss: a bucket shared by two services is filesystem-drop’s',
    text: 'topology: t\nservices:\n  a: { uses: [{ store: b1, access: write }] }\n  b: { uses: [{ store: b1, access: read }] }\ndatastores:\n  b1: { kind: bucket }\n',
  },
  { name: 'off in the settings', text: plain(LAKE), settings: { 'common-data-lake': 'off' } },
];

const invalid: InvalidCase[] = [
  {
    name: 'a data lake with a writer and two readers: an info at the store, every user related',
    src: LAKE,
    expected: [{ messageId: 'lake', severity: 'info', accepted: false, includes: ["3 services share the data lake 'clicks'", 'raw formats', 'only by looking'] }],
    check: ([f], text) =>
      assert.deepEqual(
        f.related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]),
        [
          ['clicks', 'ingest writes it'],
          ['clicks', 'reports reads it'],
          ['clicks', 'ml reads it'],
        ],
      ),
  },
  {
    name: 'a warehouse used by two services (flow style): its structure binds the writers',
    src: 'topology: t\nservices:\n  etl: { uses: [{ store: dw }] }\n  bi: { uses: [{ store: dw, access: read }] }\ndatastores:\n  «dw»: { kind: warehouse }\n',
    expected: [{ messageId: 'warehouse', includes: ["2 services share the warehouse 'dw'", 'every writer is bound to its structure'] }],
  },
  { name: 'severity from the settings', src: LAKE, settings: { 'common-data-lake': 'warning' }, expected: [{ severity: 'warning' }] },
  { name: "severity from the file's rules block", src: LAKE + 'rules:\n  common-data-lake: warning\n', expected: [{ severity: 'warning' }] },
  {
    name: 'accept on the store: accepted',
    src: edit(LAKE, '    kind: data-lake\n', '    kind: data-lake\n    accept: [{ rule: common-data-lake, reason: the analytics platform }]\n'),
    expected: [{ accepted: true }],
    check: ([f]) => assert.equal(f.accepted?.reason, 'the analytics platform'),
  },
  {
    name: 'accept on a user does not answer a finding on the store',
    src: edit(LAKE, '  ml:\n', '  ml:\n    accept: [{ rule: common-data-lake, reason: not here }]\n'),
    expected: [{ accepted: false }],
  },
];

describe('common-data-lake', () => {
  ruleTester(RULE, { valid, invalid });

  test('a shared data lake is not also reported as a shared database', () => {
    assert.deepEqual(findingsOf(run(plain(LAKE)), 'shared-database'), []);
  });

  describe('fixes', () => {
    test('only "Accept common-data-lake on …": the entry goes on the store, and the finding is accepted', () => {
      const text = plain(LAKE);
      const r = run(text);
      assert.deepEqual(
        fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title),
        ["Accept common-data-lake on datastore 'clicks'"],
      );
      const after = applyFix(text, RULE, /^Accept common-data-lake on /);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['    accept:', '      - rule: common-data-lake', '        reason: "TODO: why this trade-off is acceptable"'] });
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });

    test('accept on a flow-style store stays flow', () => {
      const text = 'topology: t\nservices:\n  a: { uses: [{ store: dw }] }\n  b: { uses: [{ store: dw, access: read }] }\ndatastores:\n  dw: { kind: warehouse }\n';
      const after = applyFix(text, RULE, /^Accept common-data-lake on /);
      assert.deepEqual(diffLines(text, after), {
        removed: ['  dw: { kind: warehouse }'],
        added: ['  dw: { kind: warehouse, accept: [{ rule: common-data-lake, reason: "TODO: why this trade-off is acceptable" }] }'],
      });
    });
  });
});
