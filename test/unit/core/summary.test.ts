/**
 * The summary card and the code lens read the shared models: the availability over every dependency and
 * the worst-case wait, the same numbers the rules give.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, yaml } from '../../helpers';
import { elementCard, serviceLens, serviceStats } from '../../../server/src/core/summary';

const text = yaml`
  topology: t
  services:
    web:
      calls:
        - { to: a, timeout: 3s, retries: 2 }
        - { to: b, timeout: 500ms }
    a:
      slo: { availability: 99% }
      calls: [{ to: c, timeout: 4s, retries: 1 }]
    b: {}
    c: {}
  events:
    e: { content: reference }
`;

test('the card and the lens show the models: 0.999 × 0.99 × 0.999 × 0.999 = 98.70%, 9s + 500ms = 9.5s', () => {
  const { system } = run(text);
  const web = system.services.get('web')!;
  const st = serviceStats(system, web);
  assert.equal(st.dependencies, 3);
  assert.equal(st.wait, 9500);
  assert.equal(serviceLens(st), 'calls 2 · called by 0 · longest sync chain 3 · 98.70% available');
  const card = elementCard(system, 'service', 'web', [])!;
  assert.match(card, /- availability: 98\.70% over itself and the 3 services it waits on/);
  assert.match(card, /- worst-case wait for its callers: up to 9\.5s/);
  assert.match(elementCard(system, 'event', 'e', [])!, /a reference to a stored body/);
});

test('an unbounded wait says so; a service that waits on nothing shows neither line', () => {
  const { system } = run('topology: t\nservices:\n  a: { calls: [{ to: b }] }\n  b: {}\n');
  assert.match(elementCard(system, 'service', 'a', [])!, /worst-case wait for its callers: unbounded/);
  const b = elementCard(system, 'service', 'b', [])!;
  assert.ok(!b.includes('availability:') && !b.includes('worst-case wait'), b);
});
