/**
 * duplicate-id: an id defined twice per kind, in the file or across its imports; reported on the second
 * definition with the first as related information. Structural: no fixes, and `accept` cannot answer it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type expectFindings, findingsOf, marked, run, URI, yaml, type Expected } from '../../helpers';
import { ruleTester, type ValidCase } from '../../rule-tester';
import { analyze, fixesFor, parseFile, RULES, type RuleSettings } from '../../../server/src/core';

const RULE = 'duplicate-id';

const valid: ValidCase[] = [
  {
    name: 'the same id in different kinds (service, datastore, event, flow)',
    text: yaml`
      topology: t
      services:
        orders: { publishes: [{ event: orders }] }
        shop: { subscribes: [{ event: orders }] }
      datastores:
        orders: { owner: orders }
      events:
        orders: {}
      flows:
        orders: { entry: orders }
    `,
  },
  {
    name: 'ids that differ only in case are different ids',
    text: yaml`
      topology: t
      services:
        orders: {}
        Orders: {}
    `,
  },
];

const invalid: { name: string; src: string; expected: readonly Expected[]; settings?: RuleSettings; check?: (f: ReturnType<typeof expectFindings>, text: string) => void }[] = [
  {
    name: 'a service defined twice in the file: the second, related to the first',
    src: yaml`
      topology: t
      services:
        orders:
          team: a
        payment: {}
        «orders»:
          team: b
    `,
    expected: [{ messageId: 'duplicate', severity: 'error', includes: ["The service id 'orders' is already defined above"] }],
    check: ([f], text) => {
      assert.equal(f.related?.length, 1);
      const r = f.related[0];
      assert.equal(text.slice(r.span.start, r.span.end), 'orders');
      assert.equal(r.span.start, text.indexOf('orders:'));
      assert.equal(r.message, 'first defined here');
    },
  },
  {
    name: 'a datastore, an event and a flow defined twice (flow style)',
    src: yaml`
      topology: t
      services:
        a: { publishes: [{ event: e }], subscribes: [{ event: e }] }
      datastores: { db: {}, «db»: { kind: cache } }
      events: { e: {}, «e»: {} }
      flows: { f: { entry: a }, «f»: { entry: a } }
    `,
    expected: [{ includes: ["datastore id 'db'"] }, { includes: ["event id 'e'"] }, { includes: ["flow id 'f'"] }],
  },
  {
    name: 'three definitions: the second and the third',
    src: yaml`
      topology: t
      services:
        a: {}
        «a»: {}
        «a»: {}
    `,
    expected: [{ messageId: 'duplicate' }],
  },
  {
    name: 'accept cannot answer a structural finding',
    src: yaml`
      topology: t
      services:
        a: {}
        «a»:
          accept: [{ rule: duplicate-id, reason: no }]
    `,
    expected: [{ accepted: false }],
  },
];

describe('duplicate-id', () => {
  ruleTester(RULE, { valid, invalid });

  test('across imports: reported at both definitions, each pointing at the other file', () => {
    const main = yaml`
      topology: shop
      imports: [./payments.topology.yaml]
      services:
        checkout: { calls: [{ to: payment }] }
        payment: {}
    `;
    const imported = yaml`
      topology: payments
      services:
        payment: { team: payments }
    `;
    const OTHER = 'file:///test/payments.topology.yaml';
    const r = analyze([parseFile(URI, main, RULES), parseFile(OTHER, imported, RULES)], RULES);
    const found = findingsOf(r, RULE);
    assert.equal(found.length, 2);
    const inImported = found.find((f) => f.uri === OTHER)!;
    const inMain = found.find((f) => f.uri === URI)!;
    assert.equal(imported.slice(inImported.span.start, inImported.span.end), 'payment');
    assert.match(inImported.message, /'payment' is also defined in system\.topology\.yaml/);
    assert.equal(inImported.related?.[0].uri, URI);
    assert.equal(main.slice(inMain.span.start, inMain.span.end), 'payment');
    assert.match(inMain.message, /'payment' is also defined in payments\.topology\.yaml/);
    assert.equal(inMain.related?.[0].uri, OTHER);
  });

  test('no fixes, not even "accept"', () => {
    const text = marked(invalid[0].src).text;
    const r = run(text);
    assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES), []);
  });

});
