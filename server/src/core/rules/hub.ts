import type { Rule } from '../rule';
import { ownerOf } from './util';

export const hub: Rule = {
  meta: {
    id: 'hub',
    title: 'A service that many services call synchronously',
    category: 'communication',
    defaultSeverity: 'info',
    options: { max: { type: 'int', default: 8, min: 1, description: 'Distinct synchronous callers at which a service is a hub.' } },
    fixable: false,
    acceptable: true,
  },
  check(ctx) {
    for (const s of ctx.system.serviceList) {
      const callers = ctx.system.syncCallers(s);
      if (callers.length < ctx.options.max) continue;
      ctx.report({
        uri: s.uri,
        span: s.idSpan,
        message:
          `${callers.length} services call '${s.id}' synchronously (limit ${ctx.options.max}): when it is slow or down, all of them are, and any change to its interface ` +
          `touches them all. Let callers cache its answers, or publish its data as events they keep.`,
        messageId: 'hub',
        related: callers.map((c) => {
          const call = c.calls.find((x) => x.to.id === s.id && x.style === 'sync')!;
          return { uri: c.uri, span: call.to.span, message: `${c.id} calls it` };
        }),
        owners: [ownerOf(s)],
      });
    }
  },
};
