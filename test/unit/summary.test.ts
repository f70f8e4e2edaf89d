import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../server/src/core';
import type { Finding } from '../../server/src/core/rule';
import { bySeverity, elementCard, shortCard } from '../../server/src/core/summary';

const TEXT = `topology: t
services:
  web:
    description: The storefront. It renders every page and calls the back end for each.
    exposure: external
    calls:
      - to: api
  api:
    calls:
      - to: db-service
  db-service: {}
`;

const finding = (rule: string, severity: Finding['severity'], message: string, accepted = false): Finding =>
  ({ rule, severity, message, uri: 'file:///t.topology.yaml', span: { start: 0, end: 1 }, ...(accepted ? { accepted: { reason: 'ok', span: { start: 0, end: 1 }, uri: 'file:///t.topology.yaml' } } : {}) }) as Finding;

test('findings are ordered most severe first, accepted last, stable within a severity', () => {
  const fs = [finding('a', 'info', 'i1'), finding('b', 'warning', 'w1'), finding('c', 'error', 'e1', true), finding('d', 'info', 'i2'), finding('e', 'error', 'e2'), finding('f', 'warning', 'w2')];
  assert.deepEqual(bySeverity(fs).map((f) => f.message), ['e2', 'w1', 'w2', 'i1', 'i2', 'e1']);
});

test('the short card: the element, one line of numbers, one line per finding cut at its first sentence, in severity order', () => {
  const r = checkText('file:///t.topology.yaml', TEXT);
  const fs = [finding('orphan-event', 'info', 'Nobody consumes it. Add a subscriber.'), finding('sync-chain', 'warning', '3 services block in a row (web → api → db-service): if one is down the request fails.')];
  const short = shortCard(r.system, 'service', 'web', fs)!;
  const lines = short.split('\n');
  assert.equal(lines[0], '**service `web`** · external');
  assert.ok(lines.includes('The storefront.'), short);
  assert.ok(lines.some((l) => /^calls 1 · called by 0 · longest sync chain 3 · [\d.]+% available$/.test(l)), short);
  const items = lines.filter((l) => l.startsWith('- '));
  assert.deepEqual(items, ['- warning `sync-chain`: 3 services block in a row (web → api → db-service)', '- info `orphan-event`: Nobody consumes it.']);
  const full = elementCard(r.system, 'service', 'web', fs)!;
  assert.match(full, /- warning `sync-chain`: [^\n]+\n- info `orphan-event`/);
  assert.ok(short.length < full.length);
});
