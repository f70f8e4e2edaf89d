/** The layered layout for large systems (shared/diagram/fast-layout.ts), which takes over from ELK above FAST_LAYOUT_NODES. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ElkNode } from 'elkjs/lib/elk-api';
import { fastLayered, FAST_LAYOUT_NODES } from '../../shared/diagram/fast-layout';
import { layoutSync } from '../../shared/diagram/elk-run';
import { fromElk, reversedEdges, toElkGraph, type Box, type DiagramLayout, type Direction } from '../../shared/diagram/layout';
import { visibleGraph } from '../../shared/diagram/model';
import { clippedPath, polylineMeets } from '../../shared/diagram/svg';
import { generateTopology } from '../generate';
import { payloadOf } from '../webview/harness';

function overlapping(boxes: readonly [string, Box][]): [string, string] | undefined {
  // Sorted by x, each box is compared with the boxes that start before it ends: near-linear for a layout.
  const sorted = [...boxes].sort((a, b) => a[1].x - b[1].x);
  for (let i = 0; i < sorted.length; i++) {
    const [ia, a] = sorted[i];
    for (let j = i + 1; j < sorted.length && sorted[j][1].x < a.x + a.width; j++) {
      const [ib, b] = sorted[j];
      if (a.y < b.y + b.height && b.y < a.y + a.height) return [ia, ib];
    }
  }
  return undefined;
}

function onBorder(p: { x: number; y: number }, b: Box): boolean {
  const inX = p.x >= b.x - 0.01 && p.x <= b.x + b.width + 0.01;
  const inY = p.y >= b.y - 0.01 && p.y <= b.y + b.height + 0.01;
  const onX = Math.abs(p.x - b.x) < 0.01 || Math.abs(p.x - b.x - b.width) < 0.01;
  const onY = Math.abs(p.y - b.y) < 0.01 || Math.abs(p.y - b.y - b.height) < 0.01;
  return (onX && inY) || (onY && inX);
}

function check(layout: DiagramLayout, g: ReturnType<typeof visibleGraph>, label: string): void {
  assert.equal(Object.keys(layout.nodes).length, g.nodes.length, `${label}: every node is placed`);
  assert.equal(overlapping(Object.entries(layout.nodes)), undefined, `${label}: no two nodes overlap`);
  for (const [id, b] of Object.entries(layout.nodes)) {
    assert.ok(b.x >= 0 && b.y >= 0 && b.x + b.width <= layout.width && b.y + b.height <= layout.height, `${label}: ${id} lies inside the drawing`);
  }
  for (const e of g.edges) {
    const laid = layout.edges[e.id];
    assert.ok(laid && laid.points.length >= 2, `${label}: edge ${e.id} is drawn`);
    // Each edge runs from its `from` node's border to its `to` node's, subscriptions included (reversed back).
    assert.ok(onBorder(laid.points[0], layout.nodes[e.from]), `${label}: ${e.id} starts on ${e.from}`);
    assert.ok(onBorder(laid.points[laid.points.length - 1], layout.nodes[e.to]), `${label}: ${e.id} ends on ${e.to}`);
  }
}

test('large systems are laid out in layers: every node placed, none overlapping, every edge from border to border, both directions', () => {
  const g = visibleGraph(payloadOf(generateTopology(500), 'file:///g500.topology.yaml'));
  assert.ok(g.nodes.length > FAST_LAYOUT_NODES, `the system is large enough for this layout (${g.nodes.length} nodes)`);
  for (const direction of ['RIGHT', 'DOWN'] as Direction[]) {
    const t0 = performance.now();
    const layout = layoutSync(toElkGraph(g, { direction }), reversedEdges(g));
    const ms = performance.now() - t0;
    check(layout, g, direction);
    // Calls run along the layers: a gateway's sync calls go right (or down) of it.
    const calls = g.edges.filter((e) => e.kind === 'sync' && e.from.startsWith('service:gateway-'));
    assert.ok(calls.length > 0);
    for (const e of calls) {
      const a = layout.nodes[e.from];
      const b = layout.nodes[e.to];
      assert.ok(direction === 'RIGHT' ? b.x >= a.x + a.width : b.y >= a.y + a.height, `${e.id} runs along the layers`);
    }
    // Generous for a shared machine: ELK took tens of seconds at twice this size.
    assert.ok(ms < 5000, `laid out in ${ms.toFixed(0)} ms`);
  }
});

test('the layered layout survives cycles, self-loops, dangling edges, duplicate edges and hostile ids', () => {
  const ids = ['__proto__', 'constructor', 'a', 'b', 'c', 'toString'];
  const root: ElkNode = {
    id: 'root',
    layoutOptions: { 'elk.direction': 'RIGHT' },
    children: ids.map((id) => ({ id, width: 80, height: 30 })),
    edges: [
      { id: 'e1', sources: ['__proto__'], targets: ['constructor'] },
      { id: 'e2', sources: ['constructor'], targets: ['a'] },
      { id: 'e3', sources: ['a'], targets: ['__proto__'] },
      { id: 'e4', sources: ['b'], targets: ['b'] },
      { id: 'e5', sources: ['c'], targets: ['nowhere'] },
      { id: 'e6', sources: ['a'], targets: ['toString'] },
      { id: 'e7', sources: ['a'], targets: ['toString'] },
    ],
  };
  const layout = fromElk(fastLayered(root));
  assert.deepEqual(Object.keys(layout.nodes).sort(), [...ids].sort());
  assert.equal(overlapping(Object.entries(layout.nodes)), undefined);
  for (const id of ['e1', 'e2', 'e3', 'e6', 'e7']) assert.equal(layout.edges[id].points.length, 2, id);
  assert.ok(layout.edges.e4.points.length >= 3, 'a self-loop is a loop');
  // The cycle's three nodes sit in three different layers.
  const xs = new Set(['__proto__', 'constructor', 'a'].map((id) => layout.nodes[id].x));
  assert.equal(xs.size, 3);
});

test('a chain 20,000 long is laid out without overflowing the stack, in layers one after another', () => {
  const n = 20_000;
  const root: ElkNode = {
    id: 'root',
    children: Array.from({ length: n }, (_, i) => ({ id: `n${i}`, width: 10, height: 10 })),
    edges: Array.from({ length: n - 1 }, (_, i) => ({ id: `e${i}`, sources: [`n${i}`], targets: [`n${i + 1}`] })),
  };
  const layout = fromElk(fastLayered(root));
  for (let i = 1; i < n; i++) assert.ok(layout.nodes[`n${i}`].x > layout.nodes[`n${i - 1}`].x);
});

test('clipping: a polyline meets a box only where a segment passes through it, and is cut at its sides', () => {
  const box = { x: 0, y: 0, width: 10, height: 10 };
  assert.ok(polylineMeets([{ x: -5, y: 5 }, { x: 15, y: 5 }], box), 'a line straight across');
  assert.ok(!polylineMeets([{ x: -5, y: 30 }, { x: 30, y: -5 }], box), 'its box meets, the line does not');
  assert.ok(polylineMeets([{ x: 2, y: 2 }, { x: 3, y: 3 }], box), 'inside');
  assert.equal(clippedPath([{ x: -5, y: 5 }, { x: 15, y: 5 }], box), 'M0 5L10 5');
  assert.equal(clippedPath([{ x: -5, y: 5 }, { x: 5, y: 5 }, { x: 5, y: 50 }], box), 'M0 5L5 5L5 10');
  assert.equal(clippedPath([{ x: 20, y: 20 }, { x: 30, y: 30 }], box), '');
});
