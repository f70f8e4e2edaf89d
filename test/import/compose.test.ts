/** topolint import compose: image, environment (list or map), depends_on, links, hostname, ports. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { importCompose } from '../../server/src/import/compose';
import { writeTopology } from '../../server/src/import/writer';
import { assertStructurallyClean, ROOT } from './helpers';

const PATH = 'examples/import/compose.yaml';
const m = importCompose(PATH, readFileSync(resolve(ROOT, PATH), 'utf8'));

test('services, stores from images, and the broker as a note', () => {
  assert.deepEqual([...m.services.keys()].sort(), ['bookings', 'gateway', 'notifier', 'rooms']);
  assert.deepEqual([...m.datastores.keys()].sort(), ['bookings-db', 'cache']);
  assert.equal(m.datastores.get('cache')!.kind, 'cache');
  assert.ok(m.notes.some((n) => n.includes('rabbitmq')));
  assert.ok(m.services.get('bookings')!.notes.some((n) => n.includes('rabbitmq broker')));
});

test('environment as a map and as a list, with URLs; depends_on and links; published ports', () => {
  const bookings = m.services.get('bookings')!;
  assert.equal(bookings.calls.get('rooms')!.protocol, 'http');
  assert.match(bookings.calls.get('rooms')!.from, /environment ROOMS_URL/);
  assert.ok(bookings.uses.has('bookings-db'));
  assert.equal(m.datastores.get('bookings-db')!.owner, 'bookings');
  assert.ok(m.services.get('rooms')!.uses.has('cache'), 'CACHE_HOST=cache in a list');
  assert.deepEqual([...m.services.get('gateway')!.calls.keys()].sort(), ['bookings', 'rooms']);
  assert.match(m.services.get('gateway')!.calls.get('rooms')!.from, /depends_on/);
  assert.equal(m.services.get('gateway')!.exposure, 'external');
  assert.equal(m.services.get('rooms')!.exposure, undefined);
  assert.ok(m.services.get('rooms')!.notes.some((n) => n.includes('pricing.example.com')));
});

test('hostname and link aliases name a service', () => {
  const x = importCompose('c.yaml', `services:
  a:
    image: example/a
    environment: [ "B=bee:80", "C_HOST=see" ]
    links: ["c:see"]
  b:
    image: example/b
    hostname: bee
  c:
    image: example/c
`);
  assert.deepEqual([...x.services.get('a')!.calls.keys()].sort(), ['b', 'c']);
  assertStructurallyClean(writeTopology(x, { name: 'c', source: 'c.yaml' }));
});

test('a templated Compose file is refused', () => {
  const x = importCompose('c.yaml', 'services:\n  a:\n    image: "{{ image }}"\n');
  assert.equal(x.services.size, 0);
  assert.match(x.warnings.join('\n'), /template/);
});

test('the imported Compose file passes topolint check with no structural errors', () => {
  assertStructurallyClean(writeTopology(m, { name: 'bookings', source: PATH }));
});
