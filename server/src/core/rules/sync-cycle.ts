import type { Fix, Rule } from '../rule';
import { cycleThrough, stronglyConnected, type Digraph } from '../graph';
import type { Call } from '../model';
import type { System } from '../system';
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
    const sys = ctx.system;
    const hops = finding.data?.hops as [string, number][] | undefined;
    const first = hops?.[0] && sys.services.get(hops[0][0]);
    const v = first && sys.indexOf.get(first);
    const { comp, comps } = sys.syncComponents();
    const members = v === undefined ? [] : comps[comp[v]];
    // A tangle of several cycles stays a cycle when one hop stops blocking: such fixes say so.
    return breakHopFixesFor(hops, ctx).map(({ call, fix }) => ({ ...fix, title: fix.title + cyclesNote(cyclesWithout(sys, call, members).left) }));
  },
};

/** "Make asynchronous" and "turn into an event" for each hop of a chain or cycle. */
export function breakHopFixes(hops: readonly [string, number][] | undefined, ctx: Parameters<NonNullable<Rule['fixes']>>[1]): Fix[] {
  return breakHopFixesFor(hops, ctx).map((x) => x.fix);
}

/** The same fixes, each with the call it changes, for rules that say what each one leaves behind. */
export function breakHopFixesFor(hops: readonly [string, number][] | undefined, ctx: Parameters<NonNullable<Rule['fixes']>>[1]): { call: Call; fix: Fix }[] {
  const calls = (hops ?? []).map(([from, index]) => ctx.system.services.get(from)?.calls.find((c) => c.index === index)).filter((c): c is Call => !!c);
  const fixes: { call: Call; fix: Fix }[] = [];
  for (const c of calls) {
    const file = ctx.file(c.from.uri);
    if (file) fixes.push({ call: c, fix: { title: `Make ${callLabel(c)} asynchronous (style: async)`, kind: 'quickfix', edits: [setPair(c.from.uri, file.text, c.node, 'style', 'async')] } });
  }
  for (const c of calls) {
    const fix = callToEventFix(c, ctx);
    if (fix) fixes.push({ call: c, fix });
  }
  return fixes;
}

/**
 * The synchronous cycles (components of more than one service) once `call` no longer blocks, each named
 * by its first member in document order: `left` among the services of `members`, and how many there are in
 * all. Another sync call between the same pair still blocks, and then nothing changes. Linear in the graph.
 */
export function cyclesWithout(sys: System, call: Call, members: readonly number[] = []): { left: string[]; all: number } {
  const v = sys.indexOf.get(call.from);
  const to = sys.services.get(call.to.id);
  const w = to && sys.indexOf.get(to);
  const same = call.from.calls.some((x) => x !== call && x.style === 'sync' && x.to.id === call.to.id);
  const g: Digraph = v === undefined || w === undefined || same ? sys.syncGraph : { size: sys.syncGraph.size, succ: sys.syncGraph.succ.map((s, x) => (x === v ? s.filter((y) => y !== w) : s)) };
  const { comp, comps } = g === sys.syncGraph ? sys.syncComponents() : stronglyConnected(g);
  const inside = new Set(members.map((m) => comp[m]).filter((c) => comps[c].length > 1));
  const first = (c: number) => comps[c].reduce((a, b) => (a < b ? a : b));
  return { left: [...inside].map(first).sort((a, b) => a - b).map((m) => sys.serviceList[m].id), all: comps.filter((c) => c.length > 1).length };
}

/** "through 'a'" or "through 'a' and 'b'" for the cycles a fix leaves. */
export function cyclesNote(left: readonly string[]): string {
  if (!left.length) return '';
  const names = left.map((x) => `'${x}'`);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return left.length === 1 ? `; a synchronous cycle through ${list} remains` : `; synchronous cycles through ${list} remain`;
}
