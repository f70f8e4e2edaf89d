import type { Rule } from '../engine';
import { cycleThrough, stronglyConnected } from '../graph';
import { arrowList, ownerOf, ownerOfItem } from './util';
import { breakHopFixes } from './sync-cycle';

/** Cycles tried per strongly connected component before giving up on finding a mixed one. */
const MAX_TRIES = 256;

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
      const c = comp[members[0]];
      // The edges inside the component, asynchronous ones first. A shortest cycle through an asynchronous
      // edge can miss a longer mixed one (a → b by event, b → a by event, and b → c → a synchronously:
      // every shortest cycle through an event edge is all events), so the synchronous edges are tried
      // too. A component with edges of one kind only has no mixed cycle: skip it without a search.
      const inside = members.flatMap((v) => edges[v].filter((e) => comp[e.to] === c));
      const candidates = [...inside.filter((e) => !e.sync), ...inside.filter((e) => e.sync)];
      if (!candidates.length || candidates[0].sync || !candidates[candidates.length - 1].sync) continue;
      // Each try is a breadth-first search of the component; a bounded number keeps a huge tangle of
      // services (with no mixed cycle among its shortest ones) from taking quadratic time.
      for (const e of candidates.slice(0, MAX_TRIES)) {
        const cycle = cycleThrough(graph, comp, e.from, e.to);
        const hops = cycle.map((x, i) => edges[x][graph.succ[x].indexOf(cycle[(i + 1) % cycle.length])]);
        // Mixed: at least one blocking hop and at least one asynchronous one.
        const syncHop = hops.find((h) => h.sync);
        if (!syncHop || hops.every((h) => h.sync)) continue;
        const call = syncHop.call!;
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
          // Either leaves a cycle of messages only, which is no longer mixed.
          data: { hops: hops.filter((h) => h.sync).map((h) => [h.call!.from.id, h.call!.index]) },
        });
        break;
      }
    }
  },
  fixes(finding, ctx) {
    return breakHopFixes(finding.data?.hops as [string, number][] | undefined, ctx);
  },
};
