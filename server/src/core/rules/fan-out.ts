import type { Rule } from '../rule';
import { formatPercent } from '../units';
import { ownerOf } from './util';

export const fanOut: Rule = {
  meta: {
    id: 'fan-out',
    title: 'A service that calls many services synchronously',
    category: 'communication',
    defaultSeverity: 'warning',
    options: { max: { type: 'int', default: 6, min: 1, description: 'Distinct synchronous callees at which a service fans out too far.' } },
    fixable: false,
    acceptable: true,
  },
  check(ctx) {
    const sys = ctx.system;
    for (const s of sys.serviceList) {
      const v = sys.indexOf.get(s)!;
      const callees = sys.syncEdgeCalls[v];
      if (callees.length < ctx.options.max) continue;
      // Only the callees it has no fallback for take it down with them: a call with a fallback degrades.
      const needed = callees.filter((c) => s.calls.some((x) => x.style === 'sync' && x.to.id === c.to.id && !x.fallback));
      // formatPercent rounds down like every other availability (toFixed rounded 99.995% up to 100.00%).
      const up = formatPercent(needed.reduce((a, c) => a * sys.availabilityOf(sys.services.get(c.to.id)!), 1));
      const down =
        needed.length === callees.length
          ? `it is only up when all of them are (${up})`
          : needed.length
            ? `it is only up when the ${needed.length} it has no fallback for are (${up})`
            : 'each call has a fallback, but every one degrades the answer';
      ctx.report({
        uri: s.uri,
        span: s.idSpan,
        message:
          `'${s.id}' waits on ${callees.length} services synchronously (limit ${ctx.options.max}): ${down}, ` +
          `and it is as slow as the slowest. Aggregate behind one call, publish an event instead, or call in parallel with a fallback.`,
        messageId: 'fan-out',
        related: callees.map((c) => ({ uri: s.uri, span: c.to.span, message: `calls ${c.to.id}` })),
        owners: [ownerOf(s)],
      });
    }
  },
};
