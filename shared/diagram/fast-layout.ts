/**
 * A layered layout for systems too large for ELK to lay out in time (issue 11): at 1,000 services (3,007
 * elements, 5,124 connections) ELK's layered algorithm took 26 to 43 seconds on a shared machine, where
 * the preview has three seconds for layout and first paint together. This one does the same four steps as
 * a Sugiyama layout, each in time near-linear in the graph's size:
 *
 * 1. cycles are broken by reversing the edges a depth-first search finds going back to its own path;
 * 2. layers by longest path from the sources, so calls run one way (as ELK's layers do);
 * 3. the order within each layer by a few barycentre sweeps, which untangle most crossings;
 * 4. coordinates: layers side by side, each stacked and centred; edges straight from side to side.
 *
 * It reads and writes the same ELK graph ELK does (children's sizes in, positions and one section per edge
 * out), so `fromElk` and everything after it stay one code path. Long edges are straight lines that may
 * cross nodes in the layers between; at this size the drawing is read by zooming in and following
 * highlights, not at a glance, and the tooltip and side panel name each end.
 */
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';

/**
 * Above this many nodes, diagrams are laid out here rather than by ELK (see layoutSync). ELK's time grows
 * faster than the graph, and its first run in a fresh worker is mostly JIT warm-up: `npm run bench:diagram`
 * measured layout and first paint at 2.5 s for 165 services (502 nodes) but 3.5 s for 195 (592 nodes),
 * 4.0 s for 200 and 5.1 s for 300, where this layout draws 200 or 300 services in under half a second.
 * Below it, ELK's routed edges are worth the wait.
 */
export const FAST_LAYOUT_NODES = 500;

const PADDING = 12;
const NODE_GAP = 12;
/** Straight edges need more room between layers than ELK's routed ones to be told apart. */
const LAYER_GAP = 80;
const SWEEPS = 4;

/** Lays out `root` in place (positions on its children, a straight section on each edge) and returns it. */
export function fastLayered(root: ElkNode): ElkNode {
  const children = root.children ?? [];
  const edges = (root.edges ?? []);
  const down = root.layoutOptions?.['elk.direction'] === 'DOWN';
  const n = children.length;
  // Ids are the user's: a Map, never an object, so that `__proto__` is a node like any other.
  const index = new Map<string, number>();
  children.forEach((c, i) => index.set(c.id, i));
  const src: number[] = [];
  const dst: number[] = [];
  const edgeAt: number[] = [];
  edges.forEach((e, k) => {
    const s = index.get(e.sources?.[0] ?? '');
    const t = index.get(e.targets?.[0] ?? '');
    if (s === undefined || t === undefined || s === t) return;
    src.push(s);
    dst.push(t);
    edgeAt.push(k);
  });
  const m = src.length;
  const outStart = adjacency(n, src);

  // 1. Back edges: iterative depth-first search (a deep chain must not overflow the stack).
  const state = new Uint8Array(n); // 0 unseen, 1 on the path, 2 done
  const reversed = new Uint8Array(m);
  const outEdge = edgesBy(outStart, src);
  const cursor = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    if (state[r]) continue;
    const stack = [r];
    state[r] = 1;
    cursor[r] = outStart[r];
    while (stack.length) {
      const v = stack[stack.length - 1];
      if (cursor[v] < outStart[v + 1]) {
        const k = outEdge[cursor[v]++];
        const w = dst[k];
        if (state[w] === 1) reversed[k] = 1;
        else if (state[w] === 0) {
          state[w] = 1;
          cursor[w] = outStart[w];
          stack.push(w);
        }
      } else {
        state[v] = 2;
        stack.pop();
      }
    }
  }

  // 2. Layers: longest path over the acyclic edges, in topological order (Kahn).
  const from = (k: number) => (reversed[k] ? dst[k] : src[k]);
  const to = (k: number) => (reversed[k] ? src[k] : dst[k]);
  const aFrom = Array.from({ length: m }, (_, k) => from(k));
  const aTo = Array.from({ length: m }, (_, k) => to(k));
  const aStart = adjacency(n, aFrom);
  const aOut = targetsBy(aStart, aFrom, aTo);
  const indeg = new Int32Array(n);
  for (const t of aTo) indeg[t]++;
  const layer = new Int32Array(n);
  const queue: number[] = [];
  for (let v = 0; v < n; v++) if (!indeg[v]) queue.push(v);
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q];
    for (let j = aStart[v]; j < aStart[v + 1]; j++) {
      const w = aOut[j];
      if (layer[w] < layer[v] + 1) layer[w] = layer[v] + 1;
      if (--indeg[w] === 0) queue.push(w);
    }
  }
  let layers = 0;
  for (let v = 0; v < n; v++) layers = Math.max(layers, layer[v] + 1);

  // 3. Order: first as the topological order met them (callers near their callees), then barycentre sweeps.
  const rows: number[][] = Array.from({ length: layers }, () => []);
  for (const v of queue) rows[layer[v]].push(v);
  const pos = new Float64Array(n);
  const place = () => {
    for (const row of rows) row.forEach((v, i) => (pos[v] = (i + 0.5) / row.length));
  };
  place();
  // Neighbours in both directions, from the acyclic edges.
  const inStart = adjacency(n, aTo);
  const aIn = targetsBy(inStart, aTo, aFrom);
  const key = new Float64Array(n);
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    const downward = sweep % 2 === 0;
    const [start, adj] = downward ? [inStart, aIn] : [aStart, aOut];
    const order = downward ? rows.keys() : [...rows.keys()].reverse().values();
    for (const l of order) {
      const row = rows[l];
      for (const v of row) {
        let sum = 0;
        const count = start[v + 1] - start[v];
        for (let j = start[v]; j < start[v + 1]; j++) sum += pos[adj[j]];
        key[v] = count ? sum / count : pos[v];
      }
      row.sort((a, b) => key[a] - key[b] || pos[a] - pos[b]);
      row.forEach((v, i) => (pos[v] = (i + 0.5) / row.length));
    }
  }

  // 4. Coordinates, along the layers (u) and across them (v).
  const along = (c: ElkNode) => (down ? (c.height ?? 0) : (c.width ?? 0));
  const across = (c: ElkNode) => (down ? (c.width ?? 0) : (c.height ?? 0));
  const thickness = rows.map((row) => row.reduce((t, v) => Math.max(t, along(children[v])), 0));
  const extent = rows.map((row) => row.reduce((t, v) => t + across(children[v]), 0) + Math.max(0, row.length - 1) * NODE_GAP);
  const widest = extent.reduce((a, b) => Math.max(a, b), 0);
  const u = new Float64Array(n);
  const w = new Float64Array(n);
  let at = PADDING;
  rows.forEach((row, l) => {
    let c = PADDING + (widest - extent[l]) / 2;
    for (const v of row) {
      // Centred in its layer's thickness.
      u[v] = at + (thickness[l] - along(children[v])) / 2;
      w[v] = c;
      c += across(children[v]) + NODE_GAP;
    }
    at += thickness[l] + LAYER_GAP;
  });
  const length = Math.max(PADDING, at - LAYER_GAP) + PADDING;
  children.forEach((c, v) => {
    c.x = down ? w[v] : u[v];
    c.y = down ? u[v] : w[v];
  });

  // Edges: from the side of the source facing the target to the target's side facing back.
  const point = (v: number, end: 'lo' | 'hi') => {
    const c = children[v];
    const cu = down ? c.y! : c.x!;
    const cw = (down ? c.x! : c.y!) + across(c) / 2;
    const pu = end === 'hi' ? cu + along(c) : cu;
    return down ? { x: cw, y: pu } : { x: pu, y: cw };
  };
  for (const e of edges) (e as ElkExtendedEdge & { sections?: unknown }).sections = [];
  for (let k = 0; k < m; k++) {
    const e = edges[edgeAt[k]];
    const forward = layer[src[k]] < layer[dst[k]];
    const startPoint = point(src[k], forward ? 'hi' : 'lo');
    const endPoint = point(dst[k], forward ? 'lo' : 'hi');
    e.sections = [{ id: `${e.id}-s`, startPoint, endPoint, bendPoints: [] }];
  }
  // A self-loop: a small loop off the node's far side.
  edges.forEach((e) => {
    const s = index.get(e.sources?.[0] ?? '');
    if (s === undefined || e.sources?.[0] !== e.targets?.[0]) return;
    const a = point(s, 'hi');
    const loop = down ? [{ x: a.x + 10, y: a.y + 14 }, { x: a.x + 20, y: a.y + 14 }] : [{ x: a.x + 14, y: a.y - 10 }, { x: a.x + 14, y: a.y - 20 }];
    const b = down ? { x: a.x + 20, y: a.y } : { x: a.x, y: a.y - 20 };
    e.sections = [{ id: `${e.id}-s`, startPoint: a, endPoint: b, bendPoints: loop }];
  });
  const cross = widest + 2 * PADDING;
  root.width = down ? cross : length;
  root.height = down ? length : cross;
  return root;
}

/** Offsets into a list of edges grouped by `by` (compressed sparse rows). */
function adjacency(n: number, by: readonly number[]): Int32Array {
  const start = new Int32Array(n + 1);
  for (const v of by) start[v + 1]++;
  for (let v = 0; v < n; v++) start[v + 1] += start[v];
  return start;
}

/** The `to` ends of the edges, grouped by their `by` end. */
function targetsBy(start: Int32Array, by: readonly number[], to: readonly number[]): Int32Array {
  const fill = start.slice(0, -1);
  const out = new Int32Array(by.length);
  for (let k = 0; k < by.length; k++) out[fill[by[k]]++] = to[k];
  return out;
}

/** The edges' own indices, grouped by their `by` end. */
function edgesBy(start: Int32Array, by: readonly number[]): Int32Array {
  const fill = start.slice(0, -1);
  const out = new Int32Array(by.length);
  for (let k = 0; k < by.length; k++) out[fill[by[k]]++] = k;
  return out;
}
