import type { Fix, Rule } from '../rule';
import { cycleThrough, stronglyConnected, type Digraph } from '../graph';
import type { Call } from '../model';
import type { System } from '../system';
import { arrowList, ownerOf, ownerOfItem } from './util';
import { breakHopFixesFor } from './sync-cycle';

/** Cycles tried per strongly connected component before giving up on finding a mixed one. */
const MAX_TRIES = 256;

type Edge = ReturnType<System['interactionGraph']>['edges'][number][number];

/**
 * A cycle that mixes blocking and asynchronous hops inside one strongly connected component, or undefined.
 * A shortest cycle through an asynchronous edge can miss a longer mixed one (a → b by event, b → a by
 * event, and b → c → a synchronously: every shortest cycle through an event edge is all events), so the
 * synchronous edges are tried too. A component with edges of one kind only has no mixed cycle.
 */
function mixedCycleIn(graph: Digraph, edges: readonly (readonly Edge[])[], comp: Int32Array, members: readonly number[]): { cycle: number[]; hops: Edge[] } | undefined {
  const c = comp[members[0]];
  const inside = members.flatMap((v) => edges[v].filter((e) => comp[e.to] === c));
  const candidates = [...inside.filter((e) => !e.sync), ...inside.filter((e) => e.sync)];
  if (!candidates.length || candidates[0].sync || !candidates[candidates.length - 1].sync) return undefined;
  // Each try is a breadth-first search of the component; a bounded number keeps a huge tangle of
  // services (with no mixed cycle among its shortest ones) from taking quadratic time.
  for (const e of candidates.slice(0, MAX_TRIES)) {
    const cycle = cycleThrough(graph, comp, e.from, e.to);
    const hops = cycle.map((x, i) => edges[x][graph.succ[x].indexOf(cycle[(i + 1) % cycle.length])]);
    // Mixed: at least one blocking hop and at least one asynchronous one.
    if (hops.some((h) => h.sync) && !hops.every((h) => h.sync)) return { cycle, hops };
  }
  return undefined;
}

export const mixedCycle: Rule = {
  meta: {
    id: 'mixed-cycle',
    title: 'A cycle of interactions that mixes synchronous calls with asynchronous calls or events',
    category: 'communication',
    defaultSeverity: 'warning',
    options: {},
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    const sys = ctx.system;
    const { graph, edges } = sys.interactionGraph();
    const { comp, comps } = stronglyConnected(graph);
    for (const members of comps) {
      if (members.length < 2) continue;
      const found = mixedCycleIn(graph, edges, comp, members);
      if (!found) continue;
      const { cycle, hops } = found;
      const call = hops.find((h) => h.sync)!.call!;
      const ids = [...cycle.map((x) => sys.serviceList[x].id), sys.serviceList[cycle[0]].id];
      ctx.report({
        uri: call.from.uri,
        span: call.to.span,
        message:
          `A cycle of ${cycle.length} services through '${call.from.id}' mixes blocking calls with asynchronous messages. ` +
          `Along ${arrowList(ids)}, work can loop back on itself, and a blocked call can wait on a reply that sits in a queue behind it. ` +
          `Break the loop, or make every hop asynchronous.`,
        messageId: 'mixed',
        related: hops.map((h) => {
          const from = sys.serviceList[h.from];
          const to = sys.serviceList[h.to];
          const span = h.call ? h.call.to.span : h.publish!.event.span;
          return { uri: from.uri, span, message: `${from.id} → ${to.id} (${h.call ? (h.sync ? 'sync call' : 'async call') : `event ${h.publish!.event.id}`})` };
        }),
        owners: [ownerOfItem(call, `the call ${call.from.id} → ${call.to.id}`), ownerOf(call.from)],
        // The catalog's fixes for a cycle: make a blocking hop asynchronous, or turn it into an event.
        data: { hops: hops.filter((h) => h.sync).map((h) => [h.call!.from.id, h.call!.index]) },
      });
    }
  },
  fixes(finding, ctx) {
    const fixes = breakHopFixesFor(finding.data?.hops as [string, number][] | undefined, ctx);
    // A hop made asynchronous (or an event) leaves the loop mixed while another blocking hop or another
    // mixed cycle among the same services remains: such fixes say so.
    const sys = ctx.system;
    const { graph, edges } = sys.interactionGraph();
    const { comp, comps } = stronglyConnected(graph);
    const remains = new Map<Call, string>();
    const noteFor = (c: Call) => {
      if (remains.has(c)) return remains.get(c)!;
      const v = sys.indexOf.get(c.from);
      const to = sys.services.get(c.to.id);
      const w = to && sys.indexOf.get(to);
      let note = '';
      if (v !== undefined && w !== undefined) {
        // Another sync call between the same pair still blocks: the edge stays as it is.
        const other = c.from.calls.some((x) => x !== c && x.style === 'sync' && x.to.id === c.to.id);
        const changed = other ? edges : edges.map((list, x) => (x === v ? list.map((e) => (e.to === w ? { ...e, sync: false } : e)) : list));
        const left = mixedCycleIn(graph, changed, comp, comps[comp[v]]);
        if (left) note = `; a mixed cycle through '${sys.serviceList[left.hops.find((h) => h.sync)!.from].id}' remains`;
      }
      remains.set(c, note);
      return note;
    };
    return fixes.map((f): Fix => ({ ...f.fix, title: f.fix.title + noteFor(f.call) }));
  },
};
