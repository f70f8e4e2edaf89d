/**
 * Graph algorithms over dense integer node ids, all iterative (no recursion, so a 100,000-service chain
 * cannot overflow the stack) and linear in nodes + edges.
 */

export interface Digraph {
  readonly size: number;
  /** Successors of each node, in document order. */
  readonly succ: readonly (readonly number[])[];
}

/** Tarjan's strongly connected components. Returns each node's component and the components' members. */
export function stronglyConnected(g: Digraph): { comp: Int32Array; comps: number[][] } {
  const n = g.size;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const comp = new Int32Array(n).fill(-1);
  const comps: number[][] = [];
  const stack: number[] = [];
  const work: { v: number; i: number }[] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] >= 0) continue;
    work.push({ v: root, i: 0 });
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length) {
      const top = work[work.length - 1];
      const succ = g.succ[top.v];
      if (top.i < succ.length) {
        const w = succ[top.i++];
        if (index[w] < 0) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push({ v: w, i: 0 });
        } else if (onStack[w]) {
          low[top.v] = Math.min(low[top.v], index[w]);
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].v;
        low[parent] = Math.min(low[parent], low[top.v]);
      }
      if (low[top.v] === index[top.v]) {
        const members: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp[w] = comps.length;
          members.push(w);
        } while (w !== top.v);
        comps.push(members.reverse());
      }
    }
  }
  return { comp, comps };
}

/** Best paths from every node; see `bestPaths`. Follow one with `pathOf`. */
export interface Paths {
  readonly value: Float64Array;
  /** The first node after the part of the path inside v's own component (-1 at the end). */
  readonly next: Int32Array;
  /** For a node in a cycle: the path's nodes inside its component, v first. Undefined elsewhere. */
  readonly via: (readonly number[] | undefined)[];
}

/** Components larger than this are walked from one member only, to keep the search near-linear. */
const EXACT_COMPONENT = 64;

/**
 * The best simple-path value from every node, over the condensation of the graph into strongly connected
 * components: `value[v]` is the best `combine(weight(edge), value[rest])` over the paths that leave v, with
 * `base` at a path's end. Components are processed in Tarjan's order (sinks first), so every successor
 * component is final when it is needed. Inside a cycle a path runs through the members on a breadth-first
 * route before it leaves, so a chain that enters a cycle at any member is measured from there, whatever
 * order the entries come in. Linear outside cycles; O(k·(k+e)) for a cycle of k <= 64 members with e edges
 * (in a larger one only its first member gets the search; the others leave the cycle at once).
 *
 * With (+, 1) and weight 1, `value[v]` is the number of nodes on the longest chain from v; with (+, 0)
 * and timeouts, the worst-case latency; with (×, 1) and attempts per call, the retry amplification.
 * Weights must not make a path worse than its end (>= 0 for +, >= 1 for ×), so "best" means "max".
 */
export function bestPaths(
  g: Digraph,
  scc: { readonly comp: Int32Array; readonly comps: readonly number[][] },
  weight: (v: number, k: number) => number,
  combine: (edge: number, rest: number) => number,
  base: number,
): Paths {
  const n = g.size;
  const { comp, comps } = scc;
  const value = new Float64Array(n).fill(base);
  const next = new Int32Array(n).fill(-1);
  const via: (number[] | undefined)[] = new Array(n);
  for (const members of comps) {
    if (members.length === 1) {
      const v = members[0];
      const succ = g.succ[v];
      for (let k = 0; k < succ.length; k++) {
        const w = succ[k];
        if (w === v) continue;
        const candidate = combine(weight(v, k), value[w]);
        if (next[v] < 0 || candidate > value[v]) {
          value[v] = candidate;
          next[v] = w;
        }
      }
      continue;
    }
    const c = comp[members[0]];
    const exact = members.length <= EXACT_COMPONENT;
    for (const m of exact ? members : [members[0]]) {
      // Breadth-first inside the component: the route to each member and what its edges add up to.
      const acc = new Map<number, number>();
      const parent = new Map<number, number>([[m, -1]]);
      const queue = [m];
      for (let qi = 0; qi < queue.length; qi++) {
        const x = queue[qi];
        const succ = g.succ[x];
        for (let k = 0; k < succ.length; k++) {
          const y = succ[k];
          if (comp[y] !== c || parent.has(y)) continue;
          parent.set(y, x);
          acc.set(y, x === m ? weight(x, k) : combine(acc.get(x)!, weight(x, k)));
          queue.push(y);
        }
      }
      // The best way on: from some member x on its route, either ending there or leaving the component.
      const routed = (x: number, rest: number) => (x === m ? rest : combine(acc.get(x)!, rest));
      let best = base;
      let bestX = m;
      let bestExit = -1;
      for (const x of queue) {
        const end = routed(x, base);
        if (end > best) {
          best = end;
          bestX = x;
          bestExit = -1;
        }
        const succ = g.succ[x];
        for (let k = 0; k < succ.length; k++) {
          const y = succ[k];
          if (comp[y] === c) continue;
          const candidate = routed(x, combine(weight(x, k), value[y]));
          if (candidate > best) {
            best = candidate;
            bestX = x;
            bestExit = y;
          }
        }
      }
      const route: number[] = [];
      for (let x = bestX; x !== -1; x = parent.get(x)!) route.push(x);
      route.reverse();
      value[m] = best;
      next[m] = bestExit;
      via[m] = route;
    }
    if (!exact) {
      // The other members of a large cycle leave it directly (a real path, if not the longest one): searching
      // from each of them would be quadratic in the cycle's size.
      for (const t of members) {
        if (t === members[0]) continue;
        const succ = g.succ[t];
        for (let k = 0; k < succ.length; k++) {
          const y = succ[k];
          if (comp[y] === c) continue;
          const candidate = combine(weight(t, k), value[y]);
          if (next[t] < 0 || candidate > value[t]) {
            value[t] = candidate;
            next[t] = y;
          }
        }
        via[t] = [t];
      }
    }
  }
  return { value, next, via };
}

/** Longest chains in nodes: `value[v]` is the number of nodes on the longest simple chain found from v. */
export function longestPaths(g: Digraph, scc: { readonly comp: Int32Array; readonly comps: readonly number[][] }): Paths {
  return bestPaths(g, scc, () => 1, (edge, rest) => edge + rest, 1);
}

/** The nodes of the best path from `start`. */
export function pathOf(p: Paths, start: number): number[] {
  const path: number[] = [];
  let v = start;
  while (v >= 0 && path.length <= p.next.length) {
    const inside = p.via[v];
    if (inside) path.push(...inside);
    else path.push(v);
    v = p.next[v];
  }
  return path;
}

/**
 * A shortest cycle through the edge u → v inside one strongly connected component: a breadth-first search
 * from v back to u over edges that stay in the component. Returns the nodes [u, v, ..., u's predecessor].
 */
export function cycleThrough(g: Digraph, comp: Int32Array, u: number, v: number): number[] {
  if (u === v) return [u];
  const prev = new Map<number, number>([[v, -1]]);
  const queue = [v];
  for (let qi = 0; qi < queue.length; qi++) {
    const x = queue[qi];
    if (x === u) break;
    for (const y of g.succ[x]) {
      if (comp[y] !== comp[u] || prev.has(y)) continue;
      prev.set(y, x);
      queue.push(y);
    }
  }
  if (!prev.has(u)) return [u, v];
  const back: number[] = [];
  for (let x = u; x !== -1; x = prev.get(x)!) back.push(x);
  // back is u ← ... ← v; the cycle is u → v → ... → (predecessor of u).
  back.reverse();
  return [u, ...back.slice(0, -1)];
}
