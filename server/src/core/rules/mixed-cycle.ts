import type { Rule } from '../engine';
import { cycleThrough, stronglyConnected } from '../graph';
import { arrowList, ownerOf, ownerOfItem } from './util';

export const mixedCycle: Rule = {
  meta: {
    id: 'mixed-cycle',
    title: 'A cycle of interactions that mixes synchronous calls with asynchronous calls or events',
    category: 'communication',
    defaultSeverity: 'warning',
    options: {},
    fixable: false,
    acceptable: true,
  },
  check(ctx) {
    const sys = ctx.system;
    const { graph, edges } = sys.interactionGraph();
    const { comp, comps } = stronglyConnected(graph);
    for (const members of comps) {
      if (members.length < 2) continue;
      // Find an edge inside the component that is not sync, and a cycle through it that has a sync edge.
      let reported = false;
      for (const v of members) {
        if (reported) break;
        for (const e of edges[v]) {
          if (e.sync || comp[e.to] !== comp[v]) continue;
          const cycle = cycleThrough(graph, comp, v, e.to);
          const hops = cycle.map((x, i) => edges[x][graph.succ[x].indexOf(cycle[(i + 1) % cycle.length])]);
          // The cycle runs through this asynchronous edge; it is mixed when it also has a blocking one.
          if (!hops.some((h) => h.sync)) continue;
          const syncHop = hops.find((h) => h.sync)!;
          const call = syncHop.call!;
          const ids = [...cycle.map((x) => sys.serviceList[x].id), sys.serviceList[cycle[0]].id];
          ctx.report({
            uri: call.from.uri,
            span: call.to.span,
            message:
              `Cycle ${arrowList(ids)} mixes blocking calls with asynchronous messages: work can loop back on itself and a blocked call can wait on a reply ` +
              `that sits in a queue behind it. Break the loop, or make every hop asynchronous.`,
            messageId: 'mixed',
            related: hops.map((h) => {
              const from = sys.serviceList[h.from];
              const to = sys.serviceList[h.to];
              const span = h.call ? h.call.to.span : h.publish!.event.span;
              return { uri: from.uri, span, message: `${from.id} → ${to.id} (${h.call ? (h.sync ? 'sync call' : 'async call') : `event ${h.publish!.event.id}`})` };
            }),
            owners: [ownerOfItem(call, `the call ${call.from.id} → ${call.to.id}`), ownerOf(call.from)],
          });
          reported = true;
          break;
        }
      }
    }
  },
};
