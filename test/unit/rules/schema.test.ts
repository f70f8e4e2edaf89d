/**
 * schema: unknown key (warning), wrong type, bad unit, missing required key, out-of-range number (error),
 * each at the key or value. Fixes: did-you-mean rename; insert the required key.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectClean, expectFindings, findingsOf, marked, run, yaml, type Expected, diffLines, crlf } from '../../helpers';
import { ruleTester, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES, type RuleSettings } from '../../../server/src/core';

const RULE = 'schema';



const valid: ValidCase[] = [
  {
    name: 'every section and unit, well formed',
    text: yaml`
      topology: shop
      description: Demo shop
      imports: [./payments.topology.yaml]
      defaults: { timeout: 2s, retries: 1, availability: 99.9% }
      services:
        checkout:
          exposure: external
          kind: bff
          slo: { availability: 99.95%, latency: 300ms }
          versions: [v1, v2]
          calls:
            - { to: payment, style: async, protocol: amqp, operation: Charge, perRequest: n, timeout: 1.5m, retries: 0, idempotent: false, payload: 4KB, version: v1, fallback: queue it }
            - { to: payment, perRequest: 2, timeout: 250 }
          publishes: [{ event: placed, delivery: outbox }]
          uses: [{ store: db, access: read }]
          deployTogether: [payment]
        payment:
          subscribes: [{ event: placed, uses: [orderId] }]
          accept: [{ rule: sync-chain, reason: why, adr: docs/adr/1.md }]
      datastores:
        db: { kind: database, technology: postgres, owner: checkout }
      events:
        placed: { broker: kafka, content: id, payload: 2KB, maxSize: 1MB, fields: [orderId, { name: email, sensitive: true }] }
      flows:
        buy: { entry: checkout, budget: { latency: 800ms, availability: 0.999 } }
      rules:
        sync-chain: { severity: error, max: 4 }
        chatty-calls: off
    `,
  },
  {
    name: 'a service with nothing under it and an empty calls list',
    text: yaml`
      topology: t
      services:
        a:
        b:
          calls:
    `,
  },
];

const invalid: { name: string; src: string; expected: readonly Expected[]; settings?: RuleSettings }[] = [
  {
    name: 'unknown key: a warning with a did-you-mean',
    src: yaml`
      topology: t
      services:
        a:
          calls:
            - to: b
              «timout»: 2s
        b: {}
    `,
    expected: [{ messageId: 'unknown-key', severity: 'warning', includes: ["Unknown key 'timout'", "Did you mean 'timeout'?"] }],
  },
  {
    name: 'wrong enum value, wrong type, bad unit, out of range',
    src: yaml`
      topology: t
      services:
        a:
          exposure: «publik»
          calls:
            - { to: b, style: «asink», retries: «-1», timeout: «2 hours», idempotent: «maybe», payload: «4kb» }
        b: { slo: { availability: «120%» } }
    `,
    expected: [
      { messageId: 'type', severity: 'error', includes: ["'exposure' is one of internal, external, not 'publik'"] },
      { messageId: 'type', includes: ["Did you mean 'async'?"] },
      { messageId: 'range', includes: ['at least 0'] },
      { messageId: 'unit', includes: ['is not a duration'] },
      { messageId: 'type', includes: ['true or false'] },
      { messageId: 'unit', includes: ['write the unit as B, KB, MB or GB'] },
      { messageId: 'unit', includes: ['over 100%'] },
    ],
  },
  {
    name: 'missing required keys: topology, a call’s to, a flow’s entry',
    src: yaml`
      «s»ervices:
        a:
          calls:
            - «s»tyle: async
      flows:
        «f»: { budget: { latency: 1s } }
    `,
    expected: [
      { messageId: 'required', severity: 'error', includes: ["The file needs 'topology'"] },
      { messageId: 'required', includes: ["This call needs 'to'"] },
      { messageId: 'required', includes: ["This flow needs 'entry'"] },
    ],
  },
  {
    name: "a rule option out of range in the rules block",
    src: yaml`
      topology: t
      services:
        a: {}
      rules:
        sync-chain: { max: «0» }
        chatty-calls: «sometimes»
    `,
    expected: [{ messageId: 'range' }, { messageId: 'type' }],
  },
  {
    name: 'accept cannot answer a structural finding',
    src: yaml`
      topology: t
      services:
        a:
          «colour»: red
          accept: [{ rule: schema }]
    `,
    expected: [{ accepted: false }],
  },
];

describe('schema', () => {
  ruleTester(RULE, { valid, invalid });

  test('a flow written with no value lacks its required entry; the fix inserts it under the flow', () => {
    const src = 'topology: t\nservices:\n  a: {}\nflows:\n  f:   # checkout\n';
    expectFindings(RULE, 'topology: t\nservices:\n  a: {}\nflows:\n  «f»:   # checkout\n', [{ messageId: 'required', includes: ["needs 'entry'"] }]);
    const after = applyFix(src, RULE, /Add the required key 'entry'/);
    assert.equal(after, src + '    entry: service-id\n');
  });

  describe('fixes', () => {
    test('did you mean, for a key: renamed in place, comment kept', () => {
      const src = 'topology: t\nservices:\n  a:\n    calls:\n      - to: b\n        timout: 2s   # tight\n  b: {}\n';
      const after = applyFix(src, RULE, /Change to 'timeout'/);
      assert.deepEqual(diffLines(src, after), { removed: ['        timout: 2s   # tight'], added: ['        timeout: 2s   # tight'] });
      expectClean(RULE, after);
    });

    test('did you mean, for an enum value in a flow map', () => {
      const src = 'topology: t\nservices:\n  a: { calls: [{ to: b, style: asink }] }\n  b: {}\n';
      const after = applyFix(src, RULE, /Change to 'async'/);
      assert.equal(after, src.replace('asink', 'async'));
      expectClean(RULE, after);
    });

    test('insert a required key into a block item: lined up with its keys', () => {
      const src = 'topology: t\nservices:\n  a:\n    calls:\n      - style: async\n        timeout: 1s\n  b: {}\n';
      const after = applyFix(src, RULE, /Add the required key 'to'/);
      assert.deepEqual(diffLines(src, after), { removed: [], added: ['        to: service-id'] });
      assert.deepEqual(findingsOf(run(after), RULE), []);
    });

    test('insert a required key into a flow map', () => {
      const src = 'topology: t\nservices:\n  a: {}\nflows:\n  f: { budget: { latency: 1s } }\n';
      const after = applyFix(src, RULE, /Add the required key 'entry'/);
      assert.equal(after, 'topology: t\nservices:\n  a: {}\nflows:\n  f: { budget: { latency: 1s }, entry: service-id }\n');
      assert.deepEqual(findingsOf(run(after), RULE), []);
    });

    test("insert 'topology' at the top of a file that lacks it (after its leading comment), CRLF kept", () => {
      const src = crlf('# shop\nservices:\n  a: {}\n');
      const after = applyFix(src, RULE, /Add 'topology:' with the system's name/);
      assert.equal(after, crlf('# shop\ntopology: my-system\nservices:\n  a: {}\n'));
      assert.deepEqual(findingsOf(run(after), RULE), []);
    });

    test("an empty file gets 'topology:' in its own line breaks", () => {
      const src = crlf('# nothing here yet\n');
      const r = run(src);
      const [f] = findingsOf(r, RULE);
      const [fix] = fixesFor(f, r, RULES);
      assert.equal(fix.title, "Add 'topology:' with the system's name");
      assert.deepEqual(fix.edits.map((e) => e.newText), ['topology: my-system\r\n']);
    });

    test('a finding with nothing to suggest offers no fix (not even accept)', () => {
      const src = marked(invalid[1].src).text;
      const r = run(src);
      const range = findingsOf(r, RULE).find((f) => f.messageId === 'range')!;
      assert.deepEqual(fixesFor(range, r, RULES), []);
    });
  });
});
