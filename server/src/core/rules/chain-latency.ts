import type { Rule } from '../rule';
import { formatDuration } from '../units';
import { arrowList, callLabel, ownerOf } from './util';
import { breakHopFixes } from './sync-cycle';

export const chainLatency: Rule = {
  meta: {
    id: 'chain-latency',
    title: "A flow's worst-case synchronous time (timeouts × attempts) over its latency budget",
    category: 'communication',
    defaultSeverity: 'warning',
    options: {},
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    const sys = ctx.system;
    const paths = sys.worstLatencies();
    for (const f of sys.flows.values()) {
      const entry = f.entry && sys.services.get(f.entry.value);
      if (!entry || !f.latencyBudget) continue;
      const worst = paths.value[sys.indexOf.get(entry)!];
      if (worst <= f.latencyBudget.value) continue;
      const chain = sys.pathFrom(entry, paths);
      ctx.report({
        uri: f.uri,
        span: f.latencyBudget.span,
        message:
          `Flow '${f.id}' may wait ${formatDuration(worst)} in the worst case along ${arrowList(chain.services.map((s) => s.id))} (each hop's timeout × attempts), ` +
          `over its ${formatDuration(f.latencyBudget.value)} budget: the user gives up before the system does. Shorten the timeouts, retry less, or take hops off the blocking path.`,
        messageId: 'over-budget',
        related: chain.calls.map((c) => ({ uri: c.from.uri, span: c.timeout?.span ?? c.to.span, message: `${callLabel(c)}: ${formatDuration((sys.timeoutOf(c) ?? 0) * (sys.retriesOf(c) + 1))}` })),
        owners: [ownerOf(f)],
        data: { hops: chain.calls.map((c) => [c.from.id, c.index]) },
      });
    }
  },
  fixes(finding, ctx) {
    return breakHopFixes(finding.data?.hops as [string, number][] | undefined, ctx);
  },
};
