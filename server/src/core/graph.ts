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

/**
 * Longest paths (counted in nodes) in the graph with its cycle-closing edges set aside: a depth-first
 * search from `roots` first, then from every other node in order, skips each edge that leads back to a
 * node still on the search stack. What remains is acyclic, so `length[v]` is the number of nodes on the
 * longest path that starts at v, and `next[v]` its second node (-1 at the end). Cycles themselves are
 * reported by the cycle rules; a chain through a cycle is measured along one simple path of it.
 */
export function longestPaths(g: Digraph, roots: readonly number[] = []): { length: Int32Array; next: Int32Array } {
  const n = g.size;
  const length = new Int32Array(n);
  const next = new Int32Array(n).fill(-1);
  const state = new Uint8Array(n); // 0 new, 1 on the stack, 2 done
  const work: { v: number; i: number }[] = [];
  const order = [...roots, ...Array.from({ length: n }, (_, i) => i)];
  for (const root of order) {
    if (state[root] !== 0) continue;
    state[root] = 1;
    length[root] = 1;
    work.push({ v: root, i: 0 });
    while (work.length) {
      const top = work[work.length - 1];
      const succ = g.succ[top.v];
      if (top.i < succ.length) {
        const w = succ[top.i++];
        if (state[w] === 0) {
          state[w] = 1;
          length[w] = 1;
          work.push({ v: w, i: 0 });
        }
        continue;
      }
      // All successors are done or on the stack: pick the longest finished one.
      for (const w of succ) {
        if (state[w] === 2 && length[w] + 1 > length[top.v]) {
          length[top.v] = length[w] + 1;
          next[top.v] = w;
        }
      }
      state[top.v] = 2;
      work.pop();
    }
  }
  return { length, next };
}

/** The path that `longestPaths` found from `start`. */
export function pathFrom(next: Int32Array, start: number): number[] {
  const path = [start];
  let v = next[start];
  while (v >= 0 && path.length <= next.length) {
    path.push(v);
    v = next[v];
  }
  return path;
}
