import type { Fix, Rule } from '../engine';
import { cycleThrough } from '../graph';
import type { Call } from '../model';
import { setPair } from '../yamledit';
import { arrowList, callLabel, ownerOf, ownerOfItem } from './util';
import { callToEventFix } from './refactor';

export const syncCycle: Rule = {
  meta: {
    id: 'sync-cycle',
    title: 'Services that call each other synchronously in a cycle',
    category: 'communication',
    defaultSeverity: 'error',
    options: {},
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    const sys = ctx.system;
    const { comp, comps } = sys.syncComponents();
    for (const members of comps) {
      if (members.length < 2) continue;
      // Report at the first call (in document order) that stays inside the cycle.
      // A loop, not Math.min(...members): spreading a component of some 200,000 services overflows the stack.
      let u = members[0];
      for (const m of members) if (m < u) u = m;
      const k = sys.syncGraph.succ[u].findIndex((w) => comp[w] === comp[u]);
      const cycle = cycleThrough(sys.syncGraph, comp, u, sys.syncGraph.succ[u][k]);
      const calls: Call[] = cycle.map((v, i) => {
        const w = cycle[(i + 1) % cycle.length];
        return sys.syncEdgeCalls[v][sys.syncGraph.succ[v].indexOf(w)];
      });
      const first = calls[0];
      const ids = [...cycle.map((v) => sys.serviceList[v].id), sys.serviceList[cycle[0]].id];
      const more = members.length > cycle.length ? ` In all, ${members.length} services are tangled in it.` : '';
      ctx.report({
        uri: first.from.uri,
        span: first.to.span,
        message:
          `${cycle.length} services call each other synchronously in a cycle, starting at '${first.from.id}'.${more} ` +
          `Along ${arrowList(ids)}, each service waits on the next, so one slow call can hold every thread in the loop, ` +
          `and no service can be deployed or scaled alone. Make a hop asynchronous or turn it into an event.`,
        messageId: 'cycle',
        related: calls.map((c) => ({ uri: c.from.uri, span: c.to.span, message: `${c.from.id} → ${c.to.id}` })),
        owners: [ownerOfItem(first, callLabel(first)), ownerOf(first.from)],
        data: { hops: calls.map((c) => [c.from.id, c.index]) },
      });
    }
  },
  fixes(finding, ctx) {
    return breakHopFixes(finding.data?.hops as [string, number][] | undefined, ctx);
  },
};

/** "Make asynchronous" and "turn into an event" for each hop of a chain or cycle. */
export function breakHopFixes(hops: readonly [string, number][] | undefined, ctx: Parameters<NonNullable<Rule['fixes']>>[1]): Fix[] {
  const calls = (hops ?? []).map(([from, index]) => ctx.system.services.get(from)?.calls.find((c) => c.index === index)).filter((c): c is Call => !!c);
  const fixes: Fix[] = [];
  for (const c of calls) {
    const file = ctx.file(c.from.uri);
    if (file) fixes.push({ title: `Make ${callLabel(c)} asynchronous (style: async)`, kind: 'quickfix', edits: [setPair(c.from.uri, file.text, c.node, 'style', 'async')] });
  }
  for (const c of calls) {
    const fix = callToEventFix(c, ctx);
    if (fix) fixes.push(fix);
  }
  return fixes;
}
