/**
 * unknown-reference: `to`, `event`, `store`, `owner`, `entry`, `deployTogether` and `rule` (in `accept` and
 * in the `rules:` block) naming nothing; reported on the reference. Fixes: did-you-mean; create the missing
 * element.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectClean, findingsOf, marked, run, yaml, type Expected, diffLines, crlf } from '../../helpers';
import { ruleTester, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES, type RuleSettings } from '../../../server/src/core';

const RULE = 'unknown-reference';



const EVERY_KIND = yaml`
  topology: t
  services:
    checkout:
      calls:
        - to: «paymnt»   # typo
        - to: «ghost»
      publishes: [{ event: «order-placd» }]
      subscribes: [{ event: «nothing-like-it» }]
      uses:
        - store: «orders-dbx»
      deployTogether: [«paymen»]
      accept:
        - rule: «sync-chian»
    payment: { publishes: [{ event: order-placed }], subscribes: [{ event: order-placed }] }
  datastores:
    orders-db: { owner: «nobody» }
  events:
    order-placed: {}
  flows:
    buy: { entry: «chekout» }
  rules:
    «chatty-cals»: off
`;

const valid: ValidCase[] = [
  {
    name: 'every kind of reference, all defined',
    text: yaml`
      topology: t
      services:
        checkout:
          calls: [{ to: payment }]
          publishes: [{ event: placed }]
          uses: [{ store: db }]
          deployTogether: [payment]
          accept: [{ rule: sync-chain }]
        payment: { subscribes: [{ event: placed }] }
      datastores:
        db: { owner: checkout }
      events:
        placed: {}
      flows:
        buy: { entry: checkout }
      rules:
        chatty-calls: off
        sync-chain: { max: 4 }
    `,
  },
  {
    name: 'a reference of one kind to an id of the same kind only (a service and a store share a name)',
    text: yaml`
      topology: t
      services:
        orders: { uses: [{ store: orders }] }
      datastores:
        orders: {}
    `,
  },
];

const invalid: { name: string; src: string; expected: readonly Expected[]; settings?: RuleSettings }[] = [
  {
    name: 'every kind of reference, in document order',
    src: EVERY_KIND,
    expected: [
      { messageId: 'unknown-service', severity: 'error', includes: ["'checkout' calls 'paymnt'", "Did you mean 'payment'?"] },
      { messageId: 'unknown-service', includes: ["'checkout' calls 'ghost'", "Define it under 'services:'"] },
      { messageId: 'unknown-event', includes: ["'checkout' publishes 'order-placd'", "Did you mean 'order-placed'?"] },
      { messageId: 'unknown-event', includes: ["'checkout' subscribes to 'nothing-like-it'", "Define it under 'events:'"] },
      { messageId: 'unknown-datastore', includes: ["'checkout' uses 'orders-dbx'", "Did you mean 'orders-db'?"] },
      { messageId: 'unknown-service', includes: ["'checkout' deploys together with 'paymen'"] },
      { messageId: 'unknown-rule', includes: ["This decision answers 'sync-chian'", "Did you mean 'sync-chain'?"] },
      { messageId: 'unknown-service', includes: ["The owner of 'orders-db' is 'nobody'"] },
      { messageId: 'unknown-service', includes: ["Flow 'buy' enters at 'chekout'", "Did you mean 'checkout'?"] },
      { messageId: 'unknown-rule', includes: ["The rules block configures 'chatty-cals'", "Did you mean 'chatty-calls'?"] },
    ],
  },
  {
    name: 'a rule in an accept on a call, a use and a store',
    src: yaml`
      topology: t
      services:
        a:
          calls: [{ to: b, accept: [{ rule: «chatty» }] }]
          uses: [{ store: db, accept: [{ rule: «shared-db» }] }]
        b: {}
      datastores:
        db: { accept: [{ rule: «nope» }] }
    `,
    expected: [{ messageId: 'unknown-rule' }],
  },
  {
    name: 'accept cannot answer a structural finding',
    src: yaml`
      topology: t
      services:
        a:
          calls:
            - to: «b»
              accept: [{ rule: unknown-reference }]
    `,
    expected: [{ accepted: false }],
  },
];

describe('unknown-reference', () => {
  ruleTester(RULE, { valid, invalid });


  describe('fixes', () => {
    const text = marked(EVERY_KIND).text;

    test('the fixes per reference: did-you-mean first where there is a near name, then create; a rule gets no create', () => {
      const r = run(text);
      assert.deepEqual(
        findingsOf(r, RULE).map((f) => fixesFor(f, r, RULES).map((x) => x.title)),
        [
          ["Change to 'payment'", "Create service 'paymnt'"],
          ["Create service 'ghost'"],
          ["Change to 'order-placed'", "Create event 'order-placd'"],
          ["Create event 'nothing-like-it'"],
          ["Change to 'orders-db'", "Create datastore 'orders-dbx'"],
          ["Change to 'payment'", "Create service 'paymen'"],
          ["Change to 'sync-chain'"],
          ["Create service 'nobody'"],
          ["Change to 'checkout'", "Create service 'chekout'"],
          ["Change to 'chatty-calls'"],
        ],
      );
    });

    test('did you mean: only the reference changes, its comment stays', () => {
      const after = applyFix(text, RULE, /Change to 'payment'/);
      assert.deepEqual(diffLines(text, after), { removed: ['      - to: paymnt   # typo'], added: ['      - to: payment   # typo'] });
      assert.equal(findingsOf(run(after), RULE).length, 9);
    });

    test('did you mean, in a flow list and in the rules block', () => {
      let after = applyFix(text, RULE, /Change to 'order-placed'/, {}, 2);
      assert.deepEqual(diffLines(text, after), { removed: ['    publishes: [{ event: order-placd }]'], added: ['    publishes: [{ event: order-placed }]'] });
      after = applyFix(text, RULE, /Change to 'chatty-calls'/, {}, 9);
      assert.deepEqual(diffLines(text, after), { removed: ['  chatty-cals: off'], added: ['  chatty-calls: off'] });
    });

    test('did you mean on a quoted reference replaces the quotes too', () => {
      const src = 'topology: t\nservices:\n  a: { calls: [{ to: "bb" }] }\n  b: {}\n';
      const after = applyFix(src, RULE, /Change to 'b'/);
      assert.equal(after, 'topology: t\nservices:\n  a: { calls: [{ to: b }] }\n  b: {}\n');
      expectClean(RULE, after);
    });

    test('create a service: appended to services (block), the reference resolves', () => {
      const after = applyFix(text, RULE, /Create service 'ghost'/, {}, 1);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['  ghost:', '    description: TODO'] });
      assert.ok(run(after).system.services.has('ghost'));
      assert.ok(!findingsOf(run(after), RULE).some((f) => f.message.includes("'ghost'")));
    });

    test('create an event and a datastore: appended to their sections', () => {
      let after = applyFix(text, RULE, /Create event 'nothing-like-it'/, {}, 3);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['  nothing-like-it:', '    content: full'] });
      after = applyFix(text, RULE, /Create datastore/, {}, 4);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['  orders-dbx:', '    kind: database'] });
    });

    test('create in a flow section: stays flow', () => {
      const src = 'topology: t\nservices: { a: { calls: [{ to: b }] } }\n';
      const after = applyFix(src, RULE, /Create service 'b'/);
      assert.equal(after, 'topology: t\nservices: { a: { calls: [{ to: b }] }, b: { description: TODO } }\n');
      expectClean(RULE, after);
    });

    test('create where the section is missing: the section is added, in the file’s indentation', () => {
      const src = ['topology: t', 'services:', '    a:', '        uses:', '            - store: db', ''].join('\n');
      const after = applyFix(src, RULE, /Create datastore 'db'/);
      assert.equal(after, src + 'datastores:\n    db:\n        kind: database\n');
      expectClean(RULE, after);
    });

    test('create where the section is empty (`events:` alone), CRLF kept', () => {
      const src = crlf('topology: t\nservices:\n  a: { publishes: [{ event: e }] }\nevents:\n');
      const after = applyFix(src, RULE, /Create event 'e'/);
      assert.equal(after, crlf('topology: t\nservices:\n  a: { publishes: [{ event: e }] }\nevents:\n  e:\n    content: full\n'));
      expectClean(RULE, after);
    });
  });
});

describe('unknown-reference at scale', () => {
  test('one suggestion per distinct id, and none past the comparison budget: 600 stores named by 1,200 services among 600 others', () => {
    // Each missing store is named twice and is one edit away from a real one ('store-12x' for 'store-12'):
    // 600 distinct ids × 600 stores is 360,000 comparisons, over the budget of 100,000, so the first ids
    // get their suggestion and the later ones go without; every reference is still reported, in order.
    const lines = ['topology: t', 'services:'];
    for (let i = 0; i < 1200; i++) lines.push(`  s${i}:`, '    uses:', `      - store: store-${i % 600}x`);
    lines.push('datastores:');
    for (let i = 0; i < 600; i++) lines.push(`  store-${i}: { owner: s${i} }`);
    const found = findingsOf(run(lines.join('\n') + '\n'), RULE);
    assert.equal(found.length, 1200);
    const suggested = found.map((f) => (f.data as { suggestion?: string }).suggestion);
    assert.equal(suggested[0], 'store-0');
    assert.match(found[0].message, /Did you mean 'store-0'\?/);
    // The same id is answered the same way each time it appears (store-0x is named by s0 and s600).
    assert.equal(suggested[600], 'store-0');
    const withHint = suggested.filter((s) => s !== undefined).length;
    assert.ok(withHint > 0 && withHint < 1200, `${withHint} of 1,200 references got a suggestion`);
    // About 100,000 / 600 = 166 distinct ids get one (each twice).
    assert.equal(withHint, 2 * Math.floor(100_000 / 600));
    assert.match(found[1199].message, /Define it under 'datastores:' or fix the name\.$/);
  });
});
