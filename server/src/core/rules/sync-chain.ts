import type { Fix, Rule } from '../rule';
import { longestPaths, pathOf, stronglyConnected, type Digraph } from '../graph';
import type { Call, Service } from '../model';
import type { System } from '../system';
import { formatPercent } from '../units';
import { setPair } from '../yamledit';
import { arrowList, callLabel, ownerOf, ownerOfItem, threshold } from './util';
import { callToEventFix } from './refactor';
import { cyclesWithout } from './sync-cycle';

/** The most hops of one chain that get their own fixes (see fixes()). */
const MAX_HOP_FIXES = 12;

export const syncChain: Rule = {
  meta: {
    id: 'sync-chain',
    title: 'A synchronous chain from an entry that blocks through too many services',
    category: 'communication',
    defaultSeverity: 'warning',
    options: { max: { type: 'int', default: 3, min: 1, description: 'The most services a synchronous chain may visit (the entry included).' } },
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    const max = threshold(syncChain.meta, ctx.options, 'max');
    for (const entry of ctx.system.entries()) {
      const chain = ctx.system.chainFrom(entry);
      // An entry that calls nobody is no chain, whatever the limit (and has no first call to point at).
      if (chain.services.length <= max || chain.calls.length === 0) continue;
      const availability = chain.services.reduce((a, s) => a * ctx.system.availabilityOf(s), 1);
      const first = chain.calls[0];
      ctx.report({
        uri: first.from.uri,
        span: first.to.span,
        message:
          `A synchronous chain from '${entry.id}' blocks through ${chain.services.length} services, over the limit of ${max}. ` +
          `If any one of them (${arrowList(chain.services.map((s) => s.id))}) is slow or down, the whole request fails, and it holds resources all along the way; ` +
          `the chain's availability is ${formatPercent(availability)}. Make a hop asynchronous or turn it into an event.`,
        messageId: 'too-long',
        related: chain.calls.map((c, i) => ({ uri: c.from.uri, span: c.to.span, message: `hop ${i + 1}: ${c.from.id} → ${c.to.id}` })),
        owners: [ownerOfItem(first, callLabel(first)), ownerOf(entry)],
        data: { entry: entry.id, hops: chain.calls.map((c) => [c.from.id, c.index]) },
      });
    }
  },
  fixes(finding, ctx) {
    const hops = (finding.data?.hops ?? []) as [string, number][];
    const calls = hops
      .map(([from, index]) => ctx.system.services.get(from)?.calls.find((c) => c.index === index))
      .filter((c): c is Call => !!c);
    const entry = ctx.system.services.get(String(finding.data?.entry ?? hops[0]?.[0]));
    const max = threshold(syncChain.meta, ctx.options, 'max');
    // Which hops get fixes. Cutting hop i leaves the first i + 1 services still chained to the entry, so
    // only the first `max` hops can clear the finding; besides those, the hops furthest from the user. Each
    // candidate costs a search of the whole call graph, so a 10,000-hop chain gets a bounded list, not one
    // fix per hop (and not a quadratic wait).
    const candidates = calls.length <= MAX_HOP_FIXES ? calls : [...new Set([...calls.slice(0, max), ...calls.slice(-(MAX_HOP_FIXES - Math.min(max, MAX_HOP_FIXES)))])];
    const onChain = new Set<string>();
    for (const x of calls) onChain.add(x.from.id).add(x.to.id);
    // Every over-limit chain from the entry runs through the longest one's hops only where they are a
    // common cut, so only those hops can be it: for each, what is left once it stops blocking.
    const notes = new Map<Call, string>();
    const note = (c: Call): string => {
      let n = notes.get(c);
      if (n !== undefined) return n;
      const rest = entry ? chainWithout(ctx.system, entry, c) : undefined;
      if (!rest || rest.services.length <= max) n = '';
      else {
        const via = rest.services.find((x) => !onChain.has(x.id)) ?? rest.services[1] ?? rest.services[0];
        n = `; a ${rest.services.length}-service chain via ${via.id} remains`;
      }
      notes.set(c, n);
      return n;
    };
    const resolves = (c: Call) => note(c) === '';
    // A hop on a synchronous cycle can split it in two when it stops blocking: one more cycle error.
    const cycles = ctx.system.syncComponents().comps.filter((m) => m.length > 1).length;
    const splits = new Map<Call, string>();
    const split = (c: Call): string => {
      let t = splits.get(c);
      if (t !== undefined) return t;
      const n = cyclesWithout(ctx.system, c).all;
      t = n > cycles ? `; splits a synchronous cycle, leaving ${n} cycles where there were ${cycles}` : '';
      splits.set(c, t);
      return t;
    };
    // The hops that clear every over-limit chain first (the common cut), furthest from the user first: it
    // breaks the chain where the fewest callers notice. Then the other hops, which say what remains.
    const order = [...candidates.filter(resolves).reverse(), ...candidates.filter((c) => !resolves(c)).reverse()];
    const fixes: Fix[] = [];
    for (const c of order) {
      const file = ctx.file(c.from.uri);
      if (!file) continue;
      fixes.push({ title: `Make ${callLabel(c)} asynchronous (style: async)${note(c)}${split(c)}`, kind: 'quickfix', isPreferred: fixes.length === 0 && resolves(c), edits: [setPair(c.from.uri, file.text, c.node, 'style', 'async')] });
    }
    for (const c of order) {
      const fix = callToEventFix(c, ctx);
      if (fix) fixes.push({ ...fix, title: fix.title + note(c) + split(c) });
    }
    return fixes;
  },
};

/**
 * The longest sync chain from `entry` once `call` no longer blocks: the sync graph without its edge (kept
 * when the caller makes another sync call to the same callee, which still blocks). Linear in the graph.
 */
export function chainWithout(sys: System, entry: Service, call: Call): { services: Service[] } {
  const from = sys.indexOf.get(call.from);
  const to = sys.services.get(call.to.id);
  const target = to && sys.indexOf.get(to);
  const v0 = sys.indexOf.get(entry);
  if (from === undefined || target === undefined || v0 === undefined) return { services: [entry] };
  const other = call.from.calls.some((c) => c !== call && c.style === 'sync' && c.to.id === call.to.id);
  const succ = other ? sys.syncGraph.succ : sys.syncGraph.succ.map((s, v) => (v === from ? s.filter((w) => w !== target) : s));
  const g: Digraph = { size: sys.syncGraph.size, succ };
  const nodes = pathOf(longestPaths(g, stronglyConnected(g)), v0);
  return { services: nodes.map((v) => sys.serviceList[v]) };
}

