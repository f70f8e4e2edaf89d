import type { Rule } from '../rule';
import { bestPaths, pathOf, stronglyConnected } from '../graph';
import type { Call, Service } from '../model';
import { formatPercent } from '../units';
import { setPair } from '../yamledit';
import { arrowList, callLabel, ownerOf, ownerOfItem } from './util';
import { breakHopFixes } from './sync-cycle';

export const chainAvailability: Rule = {
  meta: {
    id: 'chain-availability',
    title: 'A synchronous chain whose combined availability is below the budget',
    category: 'communication',
    defaultSeverity: 'warning',
    options: { min: { type: 'percent', default: 0.995, min: 0, description: 'The lowest acceptable availability of a chain when its flow sets no budget.' } },
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    const sys = ctx.system;
    // A call with a fallback does not fail the request when its callee fails: the caller degrades instead.
    // So the chain stops there, and adding a fallback (one of this rule's fixes) really helps. An edge
    // of the sync graph stands for every sync call between two services; it stays while one of them has
    // no fallback, and that call is the hop.
    const hop: Call[][] = sys.serviceList.map(() => []);
    const succ = sys.syncGraph.succ.map((out, v) => {
      const failing = new Map<string, Call>();
      for (const c of sys.serviceList[v].calls) if (c.style === 'sync' && !c.fallback && !failing.has(c.to.id)) failing.set(c.to.id, c);
      return out.filter((w) => {
        const c = failing.get(sys.serviceList[w].id);
        if (c) hop[v].push(c);
        return !!c;
      });
    });
    const graph = { size: sys.syncGraph.size, succ };
    // The least available chain from each service: maximise the sum of -ln(availability) of the services after it.
    const paths = bestPaths(graph, stronglyConnected(graph), (v, k) => -Math.log(sys.availabilityOf(sys.serviceList[succ[v][k]])), (e, rest) => e + rest, 0);
    const chainOf = (s: Service) => {
      const nodes = pathOf(paths, sys.indexOf.get(s)!);
      const services = nodes.map((v) => sys.serviceList[v]);
      const calls = nodes.slice(0, -1).map((v, i) => hop[v][succ[v].indexOf(nodes[i + 1])]);
      return { services, calls, availability: services.reduce((a, x) => a * sys.availabilityOf(x), 1) };
    };
    const flows = [...sys.flows.values()];
    if (flows.length) {
      for (const f of flows) {
        const entry = f.entry && sys.services.get(f.entry.value);
        if (!entry) continue;
        const budget = f.availabilityBudget?.value ?? ctx.options.min;
        const chain = chainOf(entry);
        if (chain.availability >= budget || chain.calls.length === 0) continue;
        ctx.report({
          uri: f.uri,
          span: f.availabilityBudget?.span ?? f.idSpan,
          message:
            `Flow '${f.id}' is only as available as its least available chain, ${arrowList(chain.services.map((s) => s.id))}: ${formatPercent(chain.availability)}, ` +
            `below its ${f.availabilityBudget ? 'budget' : 'floor'} of ${formatPercent(budget)}. Every blocking hop multiplies the chance of failure: add fallbacks, or make hops asynchronous.`,
          messageId: 'flow',
          related: chain.services.map((s) => ({ uri: s.uri, span: s.availability?.span ?? s.idSpan, message: `${s.id}: ${formatPercent(sys.availabilityOf(s))}` })),
          owners: [ownerOf(f)],
          data: { hops: chain.calls.map((c) => [c.from.id, c.index]) },
        });
      }
      return;
    }
    for (const entry of sys.entries()) {
      const chain = chainOf(entry);
      if (chain.availability >= ctx.options.min || chain.calls.length === 0) continue;
      const first = chain.calls[0];
      ctx.report({
        uri: first.from.uri,
        span: first.to.span,
        message:
          `Requests entering at '${entry.id}' need ${arrowList(chain.services.map((s) => s.id))} all up at once: ${formatPercent(chain.availability)}, below ${formatPercent(ctx.options.min)}. ` +
          `Every blocking hop multiplies the chance of failure: add fallbacks, or make hops asynchronous.`,
        messageId: 'entry',
        related: chain.services.map((s) => ({ uri: s.uri, span: s.availability?.span ?? s.idSpan, message: `${s.id}: ${formatPercent(sys.availabilityOf(s))}` })),
        owners: [ownerOfItem(first, callLabel(first)), ownerOf(entry)],
        data: { hops: chain.calls.map((c) => [c.from.id, c.index]) },
      });
    }
  },
  fixes(finding, ctx) {
    const hops = (finding.data?.hops ?? []) as [string, number][];
    const fixes = breakHopFixes(hops, ctx);
    for (const [from, index] of hops) {
      const c = ctx.system.services.get(from)?.calls.find((x) => x.index === index);
      const file = c && ctx.file(c.from.uri);
      if (c && file && !c.fallback) fixes.push({ title: `Add a fallback to ${callLabel(c)}`, kind: 'quickfix', edits: [setPair(c.from.uri, file.text, c.node, 'fallback', '"TODO: what the caller does when this call fails"')] });
    }
    return fixes;
  },
};
