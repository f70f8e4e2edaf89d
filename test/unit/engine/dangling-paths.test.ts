/**
 * unknown-reference checks the items' references through the system's indexes when every id resolves
 * and no service id is defined twice, and walks every item otherwise (core/rules/unknown-reference.ts).
 * The two ways give the same findings: an `accept` naming no rule is found on every kind of element and
 * item, in the same order, whether or not another reference names nothing or a service is defined twice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core';

const BASE = `topology: t
services:
  a:
    accept: [{ rule: nope-service, reason: r }]
    calls:
      - to: b
        accept: [{ rule: nope-call, reason: r }]
    publishes:
      - event: e
        accept: [{ rule: nope-publish, reason: r }]
    uses:
      - store: s
        accept: [{ rule: nope-use, reason: r }]
  b:
    subscribes:
      - event: e
        accept: [{ rule: nope-subscribe, reason: r }]
datastores:
  s:
    owner: a
    accept: [{ rule: nope-store, reason: r }]
events:
  e:
    accept: [{ rule: nope-event, reason: r }]
flows:
  f:
    entry: a
    accept: [{ rule: nope-flow, reason: r }]
`;

const acceptFindings = (text: string) =>
  checkText('file:///t.topology.yaml', text)
    .findings.filter((f) => f.rule === 'unknown-reference' && f.messageId === 'unknown-rule')
    .map((f) => f.message);

test('accept entries naming no rule are found alike with every reference resolved, one dangling, or a service defined twice', () => {
  const resolved = acceptFindings(BASE);
  assert.equal(resolved.length, 8, resolved.join('\n'));
  // A call to nowhere (every item is then walked), and a second definition of b (likewise).
  const withCall = acceptFindings(BASE.replace('      - to: b\n', '      - to: b\n      - to: nowhere\n'));
  assert.deepEqual(withCall, resolved);
  const twice = acceptFindings(BASE.replace('datastores:\n', '  a2:\n    calls: [{ to: nowhere, accept: [{ rule: nope-twice, reason: r }] }]\n  b:\n    description: again\ndatastores:\n'));
  assert.deepEqual(twice.filter((m) => !m.includes('nope-twice')), resolved);
  assert.equal(twice.length, 9, twice.join('\n'));
});
