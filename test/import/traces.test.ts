/** topolint import traces: OTLP, Jaeger and Zipkin inputs, streaming, parallel detection, the round trip. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TraceImporter } from '../../server/src/import/traces';
import { writeTopology } from '../../server/src/import/writer';
import type { ImportModel } from '../../server/src/import/model';
import { OtlpGenerator, type GenTopology } from './otlp-generator';
import { assertStructurallyClean, ROOT } from './helpers';

/** Feeds texts to the importer in chunks of `chunk` characters, as a stream would. */
function importTexts(files: readonly [string, string][], chunk = 7): ImportModel & { importer: TraceImporter } {
  const t = new TraceImporter();
  for (const [name, text] of files) {
    const r = t.file(name);
    for (let i = 0; i < text.length; i += chunk) r.write(Buffer.from(text.slice(i, i + chunk)));
    r.end();
  }
  return Object.assign(t.model(), { importer: t });
}

const fixture = (p: string): [string, string] => [p, readFileSync(resolve(ROOT, 'examples/import/traces', p), 'utf8')];

test('Jaeger JSON: client/server pairs, a redis read, a producer and its consumer (FOLLOWS_FROM)', () => {
  const m = importTexts([fixture('jaeger.json')]);
  assert.deepEqual(m.importer.formats.jaeger, 6);
  assert.equal(m.traces, 1);
  const front = m.services.get('frontend')!;
  assert.deepEqual([...front.calls.keys()], ['cartservice']);
  assert.equal(front.calls.get('cartservice')!.protocol, 'grpc');
  assert.equal(front.exposure, 'external');
  assert.deepEqual([...front.publishes.keys()], ['cart-viewed']);
  assert.deepEqual([...m.services.get('recommendations')!.subscribes.keys()], ['cart-viewed']);
  assert.equal(m.events.get('cart-viewed')!.broker, 'kafka');
  const use = m.services.get('cartservice')!.uses.get('redis')!;
  assert.equal(use.access, 'read');
  assert.equal(m.datastores.get('redis')!.kind, 'cache');
});

test('Zipkin v2 JSON: shared server spans, a peer with no spans of its own, parallel siblings, SQL verbs', () => {
  const m = importTexts([fixture('zipkin.json')]);
  assert.equal(m.importer.formats.zipkin, 6);
  const orders = m.services.get('orders')!;
  assert.deepEqual([...orders.calls.keys()].sort(), ['inventory', 'pricing']);
  assert.ok(orders.calls.get('pricing')!.notes.includes('resolved from the peer address'));
  assert.equal(orders.calls.get('inventory')!.parallel, true);
  assert.equal(orders.calls.get('pricing')!.parallel, true);
  assert.equal(m.services.get('inventory')!.uses.get('stock')!.access, 'read');
  assert.equal(orders.uses.get('orders')!.access, 'write');
  assert.equal(m.datastores.get('stock')!.owner, 'inventory');
});

test('OTLP: kinds as names, older attribute names, intValue numbers, a BOM; bad JSON keeps what came before', () => {
  const span = (id: string, parent: string, kind: unknown, attrs: object[], start: number, end: number) => ({ traceId: 't1', spanId: id, parentSpanId: parent, kind, startTimeUnixNano: String(start * 1000), endTimeUnixNano: String(end * 1000), attributes: attrs });
  const rs = (service: string, spans: object[]) => ({ scopeSpans: [{ spans }], resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] } });
  const line = JSON.stringify({
    resourceSpans: [
      rs('a', [span('1', '', 'SPAN_KIND_SERVER', [], 0, 100), span('2', '1', 3, [{ key: 'net.peer.name', value: { stringValue: 'b.prod.svc' } }, { key: 'http.method', value: { stringValue: 'GET' } }], 10, 20), span('3', '1', 3, [{ key: 'db.system', value: { stringValue: 'mongodb' } }, { key: 'db.name', value: { stringValue: 'carts' } }, { key: 'db.operation', value: { stringValue: 'findOne' } }, { key: 'db.port', value: { intValue: 27017 } }], 30, 40)]),
      rs('b', [span('4', '2', 2, [], 11, 19)]),
    ],
  });
  const m = importTexts([['x.json', `\uFEFF${line}\n${line.replace(/t1/g, 't2')}\n{"resourceSpans": [ broken`]], 5);
  assert.equal(m.traces, 2);
  assert.deepEqual([...m.services.get('a')!.calls.keys()], ['b']);
  assert.equal(m.services.get('a')!.calls.get('b')!.protocol, 'http');
  assert.equal(m.services.get('a')!.uses.get('carts')!.access, 'read');
  assert.equal(m.datastores.get('carts')!.technology, 'mongodb');
  assert.match(m.warnings.join('\n'), /x\.json: not valid JSON/);
});

test('hostile trace input: prototype keys, odd service names, non-JSON', () => {
  const m = importTexts([
    ['p.json', '[{"traceId":"1","id":"1","kind":"SERVER","localEndpoint":{"serviceName":"__proto__"},"__proto__":{"tags":{"db.system":"x"}}},{"traceId":"1","id":"2","parentId":"1","kind":"CLIENT","localEndpoint":{"serviceName":"__proto__"},"remoteEndpoint":{"serviceName":"9 lives: yes # no"}}]'],
    ['n.json', 'hello'],
  ]);
  assert.deepEqual([...m.services.keys()].sort(), ['x-9-lives-yes-no', 'x-__proto__']);
  assert.equal(m.datastores.size, 0, 'an inherited __proto__ is not a tag');
  assert.match(m.warnings.join('\n'), /n\.json/);
  assertStructurallyClean(writeTopology(m, { name: 'h', source: 'p.json' }));
});

const SHOP: GenTopology = new Map([
  ['web', { calls: [{ to: 'api', protocol: 'http' }] }],
  [
    'api',
    {
      calls: [
        { to: 'catalog', perRequest: 3, parallel: true, protocol: 'grpc' },
        { to: 'pricing', parallel: true, protocol: 'grpc' },
        { to: 'users', perRequest: 2, protocol: 'http' },
        { to: 'mailer', style: 'async' },
      ],
      publishes: ['order-placed'],
      uses: [{ store: 'orders-db', access: 'write' }],
    },
  ],
  ['catalog', { uses: [{ store: 'catalog-db', access: 'read' }] }],
  ['pricing', {}],
  ['users', { uses: [{ store: 'users-cache', access: 'readwrite', system: 'redis' }] }],
  ['mailer', {}],
  ['analytics', { subscribes: ['order-placed'], uses: [{ store: 'warehouse', access: 'write' }] }],
]);

test('round trip: OTLP traces generated from a topology give back its calls, styles, events, stores, perRequest and parallel', () => {
  const gen = new OtlpGenerator(SHOP, 12);
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) lines.push(gen.trace(i));
  // Spread over two files, resource blocks in any order: a trace's spans meet again after reading.
  const m = importTexts([
    ['a.jsonl', lines.filter((_, i) => i % 2 === 0).join('\n') + '\n'],
    ['b.jsonl', lines.filter((_, i) => i % 2 === 1).join('\n')],
  ], 4096);
  assert.equal(m.traces, 40);
  const calls = [...m.services.values()].flatMap((s) => [...s.calls.values()].map((c) => `${s.id}→${c.to} ${c.style} x${c.perRequest}${c.parallel ? ' parallel' : ''}${c.protocol ? ` ${c.protocol}` : ''}`)).sort();
  assert.deepEqual(calls, ['api→catalog sync x3 parallel grpc', 'api→mailer async x1 rabbitmq', 'api→pricing sync x1 parallel grpc', 'api→users sync x2 http', 'web→api sync x1 http']);
  assert.deepEqual([...m.services.get('api')!.publishes.keys()], ['order-placed']);
  assert.deepEqual([...m.services.get('analytics')!.subscribes.keys()], ['order-placed']);
  assert.equal(m.events.get('order-placed')!.broker, 'kafka');
  const uses = [...m.services.values()].flatMap((s) => [...s.uses.values()].map((u) => `${s.id}→${u.store} ${u.access}`)).sort();
  assert.deepEqual(uses, ['analytics→warehouse write', 'api→orders-db write', 'catalog→catalog-db read', 'users→users-cache readwrite']);
  assert.equal(m.datastores.get('users-cache')!.kind, 'cache');
  assert.equal(m.services.get('web')!.exposure, 'external');
  const text = writeTopology(m, { name: 'shop', source: 'generated traces' });
  assert.match(text, /- to: catalog # from traces: CLIENT → SERVER spans; 120 calls in 40 traces; p50 [\d.]+ms, p99 [\d.]+ms\n\s+protocol: grpc\n\s+perRequest: 3\n\s+parallel: true/);
  assertStructurallyClean(text);
});

test('perRequest is the median per request; the maximum goes in the comment', () => {
  const mk = (trace: string, n: number) => {
    const spans = [{ traceId: trace, spanId: 's', kind: 2, startTimeUnixNano: '0', endTimeUnixNano: '900000' }];
    for (let i = 0; i < n; i++) spans.push({ traceId: trace, spanId: `c${i}`, parentSpanId: 's', kind: 3, startTimeUnixNano: String(i * 10_000), endTimeUnixNano: String(i * 10_000 + 5000), attributes: [{ key: 'peer.service', value: { stringValue: 'b' } }] } as never);
    return JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'a' } }] }, scopeSpans: [{ spans }] }] });
  };
  const m = importTexts([['x.jsonl', [mk('t1', 2), mk('t2', 2), mk('t3', 7)].join('\n')]], 64);
  const c = m.services.get('a')!.calls.get('b')!;
  assert.equal(c.perRequest, 2);
  assert.equal(c.parallel, false, 'sequential spans do not overlap');
  assert.ok(c.notes.includes('up to 7 per request'), c.notes.join('; '));
});

test('a 20,000-deep span chain and a parent cycle neither hang nor overflow', () => {
  const spans: object[] = [{ traceId: 'd', spanId: 's0', kind: 2, startTimeUnixNano: '0', endTimeUnixNano: '1' }];
  for (let i = 1; i <= 20_000; i++) {
    spans.push({ traceId: 'd', spanId: `s${i}`, parentSpanId: `s${i - 1}`, kind: 1, startTimeUnixNano: '0', endTimeUnixNano: '1' });
    spans.push({ traceId: 'd', spanId: `c${i}`, parentSpanId: `s${i}`, kind: 3, startTimeUnixNano: '0', endTimeUnixNano: '1', attributes: [{ key: 'peer.service', value: { stringValue: 'b' } }] });
  }
  // A cycle: x1 → x2 → x1.
  spans.push({ traceId: 'e', spanId: 'x1', parentSpanId: 'x2', kind: 3, attributes: [{ key: 'peer.service', value: { stringValue: 'b' } }] });
  spans.push({ traceId: 'e', spanId: 'x2', parentSpanId: 'x1', kind: 1 });
  const text = JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'a' } }] }, scopeSpans: [{ spans }] }] });
  const t0 = performance.now();
  const m = importTexts([['deep.json', text]], 1 << 16);
  assert.ok(performance.now() - t0 < 10_000);
  const c = m.services.get('a')!.calls.get('b')!;
  assert.equal(c.count, 20_001);
  assert.equal(c.perRequest, 1, 'the deep chain is one request; the cycle is another');
  assert.ok(c.notes.includes('up to 20000 per request'), c.notes.join('; '));
});
