/**
 * shared-database: a datastore written by two or more services (error on each writer that is not the
 * owner), used by a service that is not its owner (warning), or used by two services with no owner (warning
 * on each). Reported on each foreign `uses` entry's store reference. data-lake and warehouse stores are
 * shared by design; a filesystem or bucket with at most one writer is filesystem-drop's.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findingsOf, marked, run, yaml, diffLines, crlf } from '../../helpers';
import { ruleTester, type InvalidCase, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES } from '../../../server/src/core';

const RULE = 'shared-database';



/** An owned store, its owner, and a foreign reader. */
const FOREIGN_READ = yaml`
  topology: t
  services:
    orders:
      uses:
        - store: orders-db
    billing:
      # Billing reads invoices straight from the orders database.
      uses:
        - store: «orders-db»   # invoices
          access: read
      publishes:
        - event: billed
  datastores:
    orders-db:
      owner: orders
  events:
    billed: {}
`;

/** Two services, no owner. */
const NO_OWNER = yaml`
  topology: t
  services:
    a:
      uses:
        - store: «db»
          access: read
    b:
      uses: [{ store: «db», access: read }]
  datastores:
    db:
      kind: database
`;

const valid: ValidCase[] = [
  {
    name: 'the owner alone',
    text: yaml`
      topology: t
      services:
        orders: { uses: [{ store: orders-db }] }
      datastores:
        orders-db: { owner: orders }
    `,
  },
  {
    name: 'one user and no owner',
    text: yaml`
      topology: t
      services:
        a: { uses: [{ store: db, access: write }] }
      datastores:
        db: {}
    `,
  },
  {
    name: 'a store nobody uses',
    text: yaml`
      topology: t
      services:
        a: {}
      datastores:
        db: { owner: a }
    `,
  },
  {
    name: 'each service with its own store',
    text: yaml`
      topology: t
      services:
        a: { uses: [{ store: a-db }] }
        b: { uses: [{ store: b-db }] }
      datastores:
        a-db: { owner: a }
        b-db: {}
    `,
  },
  {
    name: 'the owner listing its store twice is still one user',
    text: yaml`
      topology: t
      services:
        a:
          uses:
            - { store: db, access: read }
            - { store: db, access: write }
      datastores:
        db: { owner: a }
    `,
  },
  {
    name: 'a data lake written and read by many is shared by design',
    text: yaml`
      topology: t
      services:
        a: { uses: [{ store: lake, access: write }] }
        b: { uses: [{ store: lake, access: write }] }
        c: { uses: [{ store: lake, access: read }] }
      datastores:
        lake: { kind: data-lake }
    `,
  },
  {
    name: 'a warehouse with an owner and foreign readers is shared by design',
    text: yaml`
      topology: t
      services:
        a: { uses: [{ store: wh }] }
        b: { uses: [{ store: wh, access: read }] }
      datastores:
        wh: { kind: warehouse, owner: a }
    `,
  },
  {
    name: 'a filesystem with one writer and readers (filesystem-drop’s)',
    text: yaml`
      topology: t
      services:
        export: { uses: [{ store: drop, access: write }] }
        import: { uses: [{ store: drop, access: read }] }
        audit: { uses: [{ store: drop, access: read }] }
      datastores:
        drop: { kind: filesystem }
    `,
  },
  {
    name: 'a bucket with one writer and a reader (filesystem-drop’s)',
    text: yaml`
      topology: t
      services:
        export: { uses: [{ store: files, access: readwrite }] }
        import: { uses: [{ store: files, access: read }] }
      datastores:
        files: { kind: bucket, owner: export }
    `,
  },
  { name: 'off in the settings', text: marked(FOREIGN_READ).text, settings: { 'shared-database': 'off' } },
  { name: "off in the file's rules block", text: marked(NO_OWNER).text + 'rules:\n  shared-database: off\n' },
];

const invalid: InvalidCase[] = [
  {
    name: 'a foreign reader of an owned store: warning, the owner and the other users related',
    src: FOREIGN_READ,
    expected: [{ messageId: 'foreign-use', severity: 'warning', accepted: false, includes: ["'billing' reads 'orders-db'", "belongs to 'orders'", "call 'orders' for this data"] }],
    check: ([f], text) => {
      assert.deepEqual(
        f.related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]),
        [['orders', "owned by 'orders'"], ['orders-db', "'orders' reads and writes it too"]],
      );
    },
  },
  {
    name: 'a single foreign user of a store owned by a service that does not use it',
    src: yaml`
      topology: t
      services:
        orders: {}
        report: { uses: [{ store: «orders-db», access: read }] }
      datastores:
        orders-db: { owner: orders }
    `,
    expected: [{ messageId: 'foreign-use', severity: 'warning' }],
  },
  {
    name: 'the owner and a foreign writer: error on the foreign writer only',
    src: yaml`
      topology: t
      services:
        orders:
          uses:
            - store: orders-db
        shipping:
          uses:
            - store: «orders-db»
              access: write
      datastores:
        orders-db:
          owner: orders
    `,
    expected: [{ messageId: 'many-writers', severity: 'error', includes: ["'shipping' writes 'orders-db'", "2 services write 'orders-db'"] }],
  },
  {
    name: 'three writers and no owner: error on each',
    src: yaml`
      topology: t
      services:
        a: { uses: [{ store: «db» }] }
        b: { uses: [{ store: «db», access: write }] }
        c: { uses: [{ store: «db», access: readwrite }] }
      datastores:
        db: {}
    `,
    expected: [{ messageId: 'many-writers', severity: 'error', includes: ['3 services write'] }],
    check: (found, text) => {
      // The other two users and the store itself (it has no owner) are related to each finding.
      for (const f of found) assert.equal(f.related?.length, 3);
      assert.equal(text.slice(found[0].related![0].span.start, found[0].related![0].span.end), 'db');
      assert.equal(found[0].related![0].message, "'db' has no owner");
    },
  },
  {
    name: 'the owner, a foreign writer and a foreign reader: error on the writer, warning on the reader',
    src: yaml`
      topology: t
      services:
        orders: { uses: [{ store: orders-db }] }
        shipping: { uses: [{ store: «orders-db», access: write }] }
        report: { uses: [{ store: «orders-db», access: read }] }
      datastores:
        orders-db: { owner: orders }
    `,
    expected: [
      { messageId: 'many-writers', severity: 'error' },
      { messageId: 'foreign-use', severity: 'warning' },
    ],
  },
  {
    name: 'two users and no owner: warning on each',
    src: NO_OWNER,
    expected: [{ messageId: 'no-owner', severity: 'warning', includes: ["'db' has no owner and 'b' uses it too", "give 'db' one owner"] }, { messageId: 'no-owner', includes: ["and 'a' uses it too"] }],
  },
  {
    name: 'an owner that names no service is no owner',
    src: yaml`
      topology: t
      services:
        a: { uses: [{ store: «db», access: read }] }
        b: { uses: [{ store: «db», access: read }] }
      datastores:
        db: { owner: ghost }
    `,
    expected: [{ messageId: 'no-owner' }],
  },
  {
    name: 'a cache that is the only store its writers write is their system of record: two writers, an error',
    src: yaml`
      topology: t
      services:
        a: { uses: [{ store: «sessions» }] }
        b: { uses: [{ store: «sessions» }] }
      datastores:
        sessions: { kind: cache, technology: redis }
    `,
    expected: [{ messageId: 'many-writers', severity: 'error' }],
  },
  {
    name: 'a cache of copies (each writer also writes its own database) is no second owner: a warning, not an error',
    src: yaml`
      topology: t
      services:
        a: { uses: [{ store: «sessions» }, { store: a-db }] }
        b: { uses: [{ store: «sessions» }, { store: b-db }] }
      datastores:
        sessions: { kind: cache, technology: redis }
        a-db: { owner: a }
        b-db: { owner: b }
    `,
    expected: [{ messageId: 'no-owner', severity: 'warning' }],
  },
  {
    name: 'a filesystem with two writers',
    src: yaml`
      topology: t
      services:
        a: { uses: [{ store: «drop», access: write }] }
        b: { uses: [{ store: «drop», access: write }] }
      datastores:
        drop: { kind: filesystem }
    `,
    expected: [{ messageId: 'many-writers', severity: 'error' }],
  },
  {
    name: 'a service that lists a store for reading and then for writing is a writer',
    src: yaml`
      topology: t
      services:
        a:
          uses:
            - { store: db, access: read }
            - { store: «db», access: write }
        b:
          uses:
            - { store: «db», access: write }
      datastores:
        db: {}
    `,
    expected: [{ messageId: 'many-writers', severity: 'error', includes: ["'a' writes 'db'", '2 services write'] }, { messageId: 'many-writers' }],
  },
  { name: 'severity from the settings turns the error into info too', src: FOREIGN_READ, settings: { 'shared-database': 'info' }, expected: [{ severity: 'info' }] },
  {
    name: "severity from the file's rules block, over the settings",
    src: NO_OWNER + 'rules:\n  shared-database: { severity: error }\n',
    settings: { 'shared-database': 'info' },
    expected: [{ severity: 'error' }],
  },
  {
    name: 'accept on the use: accepted, same span; the other user is not',
    src: yaml`
      topology: t
      services:
        a:
          uses:
            - store: «db»
              access: read
              accept:
                - rule: shared-database
                  reason: read replica, reporting only
        b: { uses: [{ store: «db», access: read }] }
      datastores:
        db: {}
    `,
    expected: [{ accepted: true }, { accepted: false }],
    check: ([f]) => assert.equal(f.accepted?.reason, 'read replica, reporting only'),
  },
  {
    name: 'accept on the service',
    src: yaml`
      topology: t
      services:
        orders: { uses: [{ store: orders-db }] }
        report:
          accept: [{ rule: shared-database, reason: nightly batch }]
          uses: [{ store: «orders-db», access: read }]
      datastores:
        orders-db: { owner: orders }
    `,
    expected: [{ accepted: true }],
  },
  {
    name: 'accept on the store accepts every user',
    src: yaml`
      topology: t
      services:
        a: { uses: [{ store: «db» }] }
        b: { uses: [{ store: «db» }] }
      datastores:
        db:
          accept:
            - rule: shared-database
              reason: being split, see ADR 12
    `,
    expected: [{ accepted: true, severity: 'error' }, { accepted: true }],
    check: ([f]) => assert.equal(f.accepted?.reason, 'being split, see ADR 12'),
  },
  {
    name: 'accept for another rule does not suppress',
    src: yaml`
      topology: t
      services:
        orders: { uses: [{ store: orders-db }] }
        report:
          accept: [{ rule: chatty-calls }]
          uses: [{ store: «orders-db», access: read, accept: [{ rule: sync-chain }] }]
      datastores:
        orders-db: { owner: orders, accept: [{ rule: self-call }] }
    `,
    expected: [{ accepted: false }],
  },
];

describe('shared-database', () => {
  ruleTester(RULE, { valid, invalid });

  describe('fixes', () => {
    const text = marked(FOREIGN_READ).text;

    test('a foreign use offers "call the owner", then accept; with no owner, "make it the owner", then accept', () => {
      let r = run(text);
      assert.deepEqual(
        fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title),
        ["Call 'orders' (the owner) instead of using 'orders-db' directly", "Accept shared-database on the use of 'orders-db' by 'billing'"],
      );
      r = run(marked(NO_OWNER).text);
      assert.deepEqual(
        fixesFor(findingsOf(r, RULE)[1], r, RULES).map((f) => f.title),
        ["Make 'b' the owner of 'db'", "Accept shared-database on the use of 'db' by 'b'"],
      );
    });

    test('call the owner (block): the use goes, a call to the owner comes; comments elsewhere stay', () => {
      const after = applyFix(text, RULE, /Call 'orders'/);
      assert.equal(
        after,
        yaml`
          topology: t
          services:
            orders:
              uses:
                - store: orders-db
            billing:
              # Billing reads invoices straight from the orders database.
              uses:
              publishes:
                - event: billed
              calls:
                - to: orders
                  operation: read orders-db
          datastores:
            orders-db:
              owner: orders
          events:
            billed: {}
        `,
      );
      const r = run(after);
      assert.deepEqual(findingsOf(r, RULE), []);
      assert.deepEqual(r.system.services.get('billing')!.calls.map((c) => [c.to.id, c.operation?.value]), [['orders', 'read orders-db']]);
    });

    test('call the owner where the service already has calls: appended to them', () => {
      const src = yaml`
        topology: t
        services:
          orders: { uses: [{ store: orders-db }] }
          report:
            calls:
              - to: orders   # existing
            uses:
              - store: other-db
              - store: orders-db
                access: write
        datastores:
          orders-db: { owner: orders }
          other-db: {}
      `;
      const after = applyFix(src, RULE, /Call 'orders'/);
      assert.equal(
        after,
        src.replace('      - to: orders   # existing\n', '      - to: orders   # existing\n      - to: orders\n        operation: write orders-db\n').replace('      - store: orders-db\n        access: write\n', ''),
      );
      assert.deepEqual(findingsOf(run(after), RULE), []);
    });

    test('call the owner (flow service): stays flow', () => {
      const src = yaml`
        topology: t
        services:
          orders: { uses: [{ store: orders-db }] }
          report: { uses: [{ store: orders-db, access: read }, { store: logs }] }
        datastores:
          orders-db: { owner: orders }
          logs: {}
      `;
      const after = applyFix(src, RULE, /Call 'orders'/);
      assert.deepEqual(diffLines(src, after), {
        removed: ['  report: { uses: [{ store: orders-db, access: read }, { store: logs }] }'],
        added: ['  report: { uses: [{ store: logs }], calls: [{ to: orders, operation: read orders-db }] }'],
      });
      assert.deepEqual(findingsOf(run(after), RULE), []);
    });

    test('make it the owner (block store): the finding on that user goes, the other user’s turns into foreign-use', () => {
      const src = marked(NO_OWNER).text;
      const after = applyFix(src, RULE, /Make 'a' the owner/);
      assert.deepEqual(diffLines(src, after), { removed: [], added: ['    owner: a'] });
      const left = findingsOf(run(after), RULE);
      assert.deepEqual(left.map((f) => [f.messageId, f.message.slice(0, 10)]), [['foreign-use', "'b' reads "]]);
    });

    test('make it the owner of an empty flow store: { owner: a }', () => {
      const src = yaml`
        topology: t
        services:
          a: { uses: [{ store: db }] }
          b: { uses: [{ store: db, access: read }] }
        datastores:
          db: {}
      `;
      const after = applyFix(src, RULE, /Make 'a' the owner/);
      assert.deepEqual(diffLines(src, after), { removed: ['  db: {}'], added: ['  db: { owner: a }'] });
      assert.equal(findingsOf(run(after), RULE)[0].messageId, 'foreign-use');
    });

    test('make it the owner of a store written with no value: an indented owner line', () => {
      const src = yaml`
        topology: t
        services:
          a: { uses: [{ store: db }] }
          b: { uses: [{ store: db, access: read }] }
        datastores:
          db:   # to be split
      `;
      const after = applyFix(src, RULE, /Make 'a' the owner/);
      assert.deepEqual(diffLines(src, after), { removed: [], added: ['    owner: a'] });
      assert.ok(after.endsWith('  db:   # to be split\n    owner: a\n'));
    });

    test('make it the owner with CRLF line endings', () => {
      const src = crlf(marked(NO_OWNER).text);
      const after = applyFix(src, RULE, /Make 'b' the owner/, {}, 1);
      assert.deepEqual(diffLines(src, after), { removed: [], added: ['    owner: b\r'] });
    });

    test('accept on the use (block), with its comment kept', () => {
      const after = applyFix(text, RULE, /Accept/);
      assert.deepEqual(diffLines(text, after), {
        removed: [],
        added: ['        accept:', '          - rule: shared-database', '            reason: "TODO: why this trade-off is acceptable"'],
      });
      assert.ok(after.includes('      - store: orders-db   # invoices\n        access: read\n        accept:\n'));
      const [f] = findingsOf(run(after), RULE);
      assert.ok(f.accepted);
      assert.equal(after.slice(f.span.start, f.span.end), 'orders-db');
    });

    test('accept on a flow use: stays flow', () => {
      const src = marked(NO_OWNER).text;
      const after = applyFix(src, RULE, /Accept/, {}, 1);
      assert.deepEqual(diffLines(src, after), {
        removed: ['    uses: [{ store: db, access: read }]'],
        added: ['    uses: [{ store: db, access: read, accept: [{ rule: shared-database, reason: "TODO: why this trade-off is acceptable" }] }]'],
      });
      const found = findingsOf(run(after), RULE);
      assert.deepEqual(found.map((f) => !!f.accepted), [false, true]);
    });

    test('accept with CRLF line endings and 4-space indentation', () => {
      const src = crlf(['topology: t', 'services:', '    a:', '        uses:', '            - store: db', '    b:', '        uses:', '            - store: db', 'datastores:', '    db: {}', ''].join('\n'));
      const after = applyFix(src, RULE, /Accept/);
      assert.deepEqual(diffLines(src, after), {
        removed: [],
        added: ['              accept:\r', '                  - rule: shared-database\r', '                    reason: "TODO: why this trade-off is acceptable"\r'],
      });
      assert.deepEqual(findingsOf(run(after), RULE).map((f) => !!f.accepted), [true, false]);
    });
  });
});

describe('shared-database: calling the owner says when it makes an over-limit chain', () => {
  test('web → billing, then billing → orders → payment → bank: a 5-service chain, over sync-chain’s 3', () => {
    const text = [
      'topology: t',
      'services:',
      '  web: { exposure: external, calls: [{ to: billing }] }',
      '  billing: { uses: [{ store: orders-db, access: read }] }',
      '  orders: { uses: [{ store: orders-db }], calls: [{ to: payment }] }',
      '  payment: { calls: [{ to: bank }] }',
      '  bank: {}',
      'datastores:',
      '  orders-db: { owner: orders }',
      '',
    ].join('\n');
    const r = run(text);
    const titles = fixesFor(findingsOf(r, 'shared-database')[0], r, RULES).map((f) => f.title);
    assert.equal(titles[0], "Call 'orders' (the owner) instead of using 'orders-db' directly; makes a 5-service chain via 'orders', over sync-chain's limit of 3");
    const after = applyFix(text, 'shared-database', /Call 'orders'/);
    assert.equal(findingsOf(run(after), 'shared-database').length, 0);
    // What the title announced: sync-chain now reports the chain (its wording is its own business).
    assert.equal(findingsOf(run(after), 'sync-chain').length, 1);
    assert.equal(findingsOf(run(text), 'sync-chain').length, 0);
  });
});

describe('shared-database: calling the owner says when it closes a sync cycle, or leaves a second use', () => {
  const text = [
    'topology: t',
    'services:',
    '  orders: { uses: [{ store: orders-db }], calls: [{ to: billing }] }',
    '  billing: { uses: [{ store: orders-db, access: read }] }',
    'datastores:',
    '  orders-db: { owner: orders }',
    '',
  ].join('\n');
  test('orders calls billing, so billing calling orders makes a cycle: the title says so, and it is not preferred', () => {
    const r = run(text);
    const fixes = fixesFor(findingsOf(r, 'shared-database')[0], r, RULES);
    assert.equal(fixes[0].title, "Call 'orders' (the owner) instead of using 'orders-db' directly; makes a sync cycle via 'orders' (sync-cycle)");
    assert.ok(!fixes[0].isPreferred);
    const after = applyFix(text, 'shared-database', /Call 'orders'/);
    assert.equal(findingsOf(run(text), 'sync-cycle').length, 0);
    assert.equal(findingsOf(run(after), 'sync-cycle').length, 1);
  });
  test('without the call back, the same fix is preferred and says nothing of a cycle', () => {
    const src = text.replace(', calls: [{ to: billing }]', '');
    const r = run(src);
    const [fix] = fixesFor(findingsOf(r, 'shared-database')[0], r, RULES);
    assert.equal(fix.title, "Call 'orders' (the owner) instead of using 'orders-db' directly");
    assert.ok(fix.isPreferred);
  });
  test('a store listed twice: one use goes, and the title says the other remains', () => {
    const src = text.replace(', calls: [{ to: billing }]', '').replace("{ store: orders-db, access: read }", "{ store: orders-db, access: read }, { store: orders-db, access: read }");
    const r = run(src);
    const [fix] = fixesFor(findingsOf(r, 'shared-database')[0], r, RULES);
    assert.equal(fix.title, "Call 'orders' (the owner) instead of using 'orders-db' directly; its other use of 'orders-db' remains");
    assert.equal(findingsOf(run(applyFix(src, 'shared-database', /Call 'orders'/)), 'shared-database').length, 1);
  });
});
