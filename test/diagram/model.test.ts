/** The diagram's pure parts: views, marks, escaping, layout sizes, and where the cursor is. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeXml, mermaidText, dotString, dotId, visibleGraph, searchNodes, elementMarks, toElkGraph, reversedEdges, textWidth, displayLabel, MAX_LABEL_CHARS } from '../../shared/diagram';
import { layoutSync } from '../../shared/diagram/elk-run';
import { elementAt } from '../../client/src/preview/locate';
import { payloadOf } from '../webview/harness';

const SHOP = `topology: s
services:
  web:
    kind: gateway
    calls:
      - to: api
        protocol: grpc
      # a comment inside the call list
      - to: auth
  api:
    publishes:
      - event: done
    uses:
      - store: db
  auth: {}
  mail:
    subscribes:
      - event: done
datastores:
  db: { owner: api }
events:
  done: {}
`;

test('filters drop the edges of a style and the events or stores that go with them', () => {
  const p = payloadOf(SHOP);
  const all = visibleGraph(p);
  assert.equal(all.nodes.length, 6);
  const noEvents = visibleGraph(p, { hidden: ['event'] });
  assert.ok(!noEvents.nodes.some((n) => n.kind === 'event'));
  assert.ok(!noEvents.edges.some((e) => e.kind === 'publish' || e.kind === 'subscribe'));
  const noData = visibleGraph(p, { hidden: ['data', 'sync'] });
  assert.deepEqual(noData.edges.map((e) => e.kind).sort(), ['publish', 'subscribe']);
  assert.ok(!noData.nodes.some((n) => n.kind === 'datastore'));
});

test('focus keeps a service, its neighbours, and the services across its events and stores', () => {
  const p = payloadOf(SHOP);
  const g = visibleGraph(p, { focus: 'service:api' });
  assert.deepEqual(g.nodes.map((n) => n.id).sort(), ['datastore:db', 'event:done', 'service:api', 'service:mail', 'service:web']);
  assert.ok(!g.edges.some((e) => e.to === 'service:auth'));
  assert.deepEqual(searchNodes(p, 'A'), ['service:api', 'service:auth', 'service:mail']);
  assert.deepEqual(searchNodes(p, '  '), []);
});

test('marks: severity and smell kinds per element, accepted findings apart', () => {
  const p = payloadOf(`topology: t
services:
  a:
    calls:
      - to: b
        perRequest: 20
  b:
    uses: [{ store: s }]
  c:
    uses: [{ store: s }]
datastores:
  s: { owner: b }
`);
  const m = elementMarks(p);
  assert.ok(m.get('call:a:0')?.marks.has('chatty'));
  assert.ok(m.get('datastore:s')?.marks.has('shared'), JSON.stringify(p.findings.map((f) => [f.rule, f.elements])));
});

test('escaping for XML, Mermaid and DOT', () => {
  assert.equal(escapeXml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  assert.equal(mermaidText('a"<b>#1|x'), 'a#34;#60;b#62;#35;1#124;x');
  assert.equal(dotString('a"b\\c\nd'), '"a\\"b\\\\c\\nd"');
  assert.equal(dotId('a"b\\c'), '"a\\"b\\c"');
});

test('ELK lays out synchronously; subscriptions run from the event to the subscriber', () => {
  const p = payloadOf(SHOP);
  const g = visibleGraph(p);
  const l = layoutSync(toElkGraph(g), reversedEdges(g));
  for (const n of g.nodes) assert.ok(l.nodes[n.id] && l.nodes[n.id].width > 0, n.id);
  const sub = g.edges.find((e) => e.kind === 'subscribe')!;
  const pts = l.edges[sub.id].points;
  const ev = l.nodes['event:done'];
  const mail = l.nodes['service:mail'];
  const near = (pt: { x: number; y: number }, b: { x: number; y: number; width: number; height: number }) => pt.x >= b.x - 1 && pt.x <= b.x + b.width + 1 && pt.y >= b.y - 1 && pt.y <= b.y + b.height + 1;
  assert.ok(near(pts[0], ev) && near(pts[pts.length - 1], mail), JSON.stringify({ pts, ev, mail }));
  assert.ok(l.width > 0 && l.height > 0);
});

test('labels: widths grow with the text and long names are cut', () => {
  assert.ok(textWidth('mmmm', 13) > textWidth('iiii', 13));
  const long = 'x'.repeat(100);
  assert.equal([...displayLabel(long)].length, MAX_LABEL_CHARS);
  assert.equal(displayLabel('short'), 'short');
});

test('the element under the cursor: the innermost block around it', () => {
  const p = payloadOf(SHOP);
  const lines = SHOP.split('\n');
  const at = (line: number, character = 6) => elementAt(p, (l) => lines[l] ?? '', { line, character });
  const lineOf = (s: string, from = 0) => lines.findIndex((l, i) => i >= from && l.includes(s));
  assert.equal(at(lineOf('  web:'), 3), 'service:web');
  assert.equal(at(lineOf('kind: gateway')), 'service:web');
  assert.equal(at(lineOf('- to: api'), 12), 'call:web:0');
  assert.equal(at(lineOf('protocol: grpc')), 'call:web:0');
  assert.equal(at(lineOf('# a comment')), 'call:web:0');
  assert.equal(at(lineOf('- to: auth'), 12), 'call:web:1');
  assert.equal(at(lineOf('publishes:')), 'service:api');
  assert.equal(at(lineOf('  db: {')), 'datastore:db');
  assert.equal(at(0, 2), undefined);
  assert.equal(at(lineOf('datastores:'), 2), undefined);
});
