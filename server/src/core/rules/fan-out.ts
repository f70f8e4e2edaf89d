import type { Rule } from '../engine';
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
      const up = callees.reduce((a, c) => a * sys.availabilityOf(sys.services.get(c.to.id)!), 1);
      ctx.report({
        uri: s.uri,
        span: s.idSpan,
        message:
          `'${s.id}' waits on ${callees.length} services synchronously (limit ${ctx.options.max}): it is only up when all of them are (${(up * 100).toFixed(2)}%), ` +
          `and it is as slow as the slowest. Aggregate behind one call, publish an event instead, or call in parallel with a fallback.`,
        messageId: 'fan-out',
        related: callees.map((c) => ({ uri: s.uri, span: c.to.span, message: `calls ${c.to.id}` })),
        owners: [ownerOf(s)],
      });
    }
  },
};
