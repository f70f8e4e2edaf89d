/** topolint import k8s: every mapping of issue 12 on manifests written for these tests. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { importK8s } from '../../server/src/import/k8s';
import { writeTopology } from '../../server/src/import/writer';
import { assertStructurallyClean, ROOT } from './helpers';

const read = (p: string) => ({ path: p, text: readFileSync(resolve(ROOT, p), 'utf8') });
const SHOP = ['examples/import/k8s/shop.yaml', 'examples/import/k8s/data.yaml', 'examples/import/k8s/catalog.yaml'].map(read);

test('multi-document files and kind: List: workloads become services, stores, and the broker a note', () => {
  const m = importK8s(SHOP);
  assert.deepEqual([...m.services.keys()].sort(), ['catalog', 'orders', 'reindex', 'storefront']);
  assert.deepEqual([...m.datastores.keys()].sort(), ['orders-db', 'redis-cache']);
  assert.equal(m.datastores.get('orders-db')!.technology, 'postgres');
  assert.equal(m.datastores.get('redis-cache')!.kind, 'cache');
  assert.ok(!m.services.has('kafka'), 'a broker is not a service');
  assert.ok(m.notes.some((n) => n.includes('broker: kafka')), m.notes.join('\n'));
});

test('namespaces and URLs: name, name:port, name.ns, name.ns.svc.cluster.local, http:// and grpc://', () => {
  const m = importK8s(SHOP);
  const front = m.services.get('storefront')!;
  assert.deepEqual([...front.calls.keys()].sort(), ['catalog', 'orders']);
  assert.equal(front.calls.get('orders')!.protocol, 'http', 'from the URL scheme');
  assert.equal(front.calls.get('catalog')!.protocol, 'grpc', "from the target port's name");
  assert.match(front.calls.get('orders')!.from, /^Deployment\/storefront \(namespace shop\) env ORDERS_URL$/);
  // A ConfigMap in the input is resolved; a Secret never read.
  const orders = m.services.get('orders')!;
  assert.match(orders.calls.get('catalog')!.from, /ConfigMap\/shop-addresses catalog/);
  assert.ok(orders.notes.some((n) => n.includes('Secret')));
  // `catalog.shop:7000` in a CronJob's command.
  assert.equal(m.services.get('reindex')!.kind, 'job');
  assert.ok(m.services.get('reindex')!.calls.has('catalog'));
  // A host that names no workload creates nothing and is listed.
  assert.ok(front.notes.some((n) => n.includes('recommender.ml')), front.notes.join('\n'));
  assert.ok(!m.services.has('recommender'));
  assert.ok(m.services.get('catalog')!.notes.some((n) => n.includes('no selector')));
});

test('-db naming, owners and uses from arguments; exposure from an Ingress, a LoadBalancer or a NodePort', () => {
  const m = importK8s([
    ...SHOP,
    {
      path: 'extra.yaml',
      text: `apiVersion: apps/v1
kind: Deployment
metadata: { name: users-db }
spec:
  template:
    metadata: { labels: { app: users-db } }
    spec: { containers: [{ name: x, image: example/homegrown-store:1 }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: users }
spec:
  template:
    metadata: { labels: { app: users } }
    spec: { containers: [{ name: x, image: example/users:1, env: [{ name: DB, value: "users-db:9000" }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: users }
spec: { type: NodePort, selector: { app: users }, ports: [{ port: 80 }] }
---
apiVersion: v1
kind: Service
metadata: { name: users-db }
spec: { selector: { app: users-db }, ports: [{ port: 9000 }] }
`,
    },
  ]);
  assert.equal(m.datastores.get('users-db')!.kind, 'database');
  assert.equal(m.datastores.get('users-db')!.owner, 'users');
  assert.equal(m.datastores.get('orders-db')!.owner, 'orders');
  assert.ok(m.services.get('orders')!.uses.has('orders-db'), '--db-host=orders-db');
  assert.ok(m.services.get('orders')!.uses.has('redis-cache'), '--cache redis-cache:6379');
  assert.equal(m.services.get('users')!.exposure, 'external');
  assert.equal(m.services.get('storefront')!.exposure, 'external');
  assert.equal(m.services.get('orders')!.exposure, undefined);
});

test('a template is refused and reported, not guessed', () => {
  const m = importK8s([
    {
      path: 'chart/templates/deploy.yaml',
      text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-api
spec:
  template:
    spec:
      containers: [{ name: api, image: "{{ .Values.image }}" }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: plain }
spec:
  template:
    spec: { containers: [{ name: p, image: example/plain:1 }] }
`,
    },
  ]);
  assert.deepEqual([...m.services.keys()], ['plain']);
  assert.equal(m.warnings.length, 1);
  assert.match(m.warnings[0], /^chart\/templates\/deploy\.yaml:4: a template/);
});

test('hostile names: prototype keys are ordinary names, odd names become valid ids, comments cannot be escaped', () => {
  const m = importK8s([
    {
      path: 'x.yaml',
      text: `kind: Deployment
metadata: { name: __proto__ }
spec:
  template:
    metadata: { labels: { constructor: "1" } }
    spec: { containers: [{ name: c, image: x, env: [{ name: "A\\nservices: evil", value: "http://constructor:80" }] }] }
---
kind: Service
metadata: { name: constructor }
spec: { selector: { constructor: "1" }, ports: [{ port: 80 }] }
---
kind: Deployment
metadata: { name: "9lives" }
spec: { template: { spec: { containers: [{ name: c, image: x, env: [{ name: U, value: "http://constructor" }] }] } } }
---
kind: Deployment
metadata: { name: "true" }
spec: { template: { spec: { containers: [{ name: c, image: x }] } } }
`,
    },
  ]);
  assert.deepEqual([...m.services.keys()].sort(), ['constructor', 'true', 'x-9lives']);
  const text = writeTopology(m, { name: 'hostile', source: 'x.yaml' });
  assert.match(text, /^ {2}"true": \{\}/m);
  assert.doesNotMatch(text, /^services: evil/m);
  assertStructurallyClean(text);
  assert.equal(({} as Record<string, unknown>).services, undefined);
});

test('the imported shop passes topolint check with no structural errors', () => {
  const text = writeTopology(importK8s(SHOP), { name: 'shop', source: 'examples/import/k8s' });
  assert.match(text, /- to: orders # from Deployment\/storefront \(namespace shop\) env ORDERS_URL/);
  assertStructurallyClean(text);
});
