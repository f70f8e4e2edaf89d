import type { Rule } from '../rule';
import { ownerOf, threshold } from './util';

export const hub: Rule = {
  meta: {
    id: 'hub',
    title: 'A service that many services call synchronously',
    category: 'communication',
    defaultSeverity: 'info',
    options: { max: { type: 'int', default: 7, min: 1, description: 'The most distinct services that may call one service synchronously.' } },
    fixable: false,
    acceptable: true,
  },
  check(ctx) {
    const max = threshold(hub.meta, ctx.options, 'max');
    for (const s of ctx.system.serviceList) {
      // A service called by no more calls than the limit has no more distinct callers than it either.
      if ((ctx.system.callsTo.get(s.id)?.length ?? 0) <= max) continue;
      const callers = ctx.system.syncCallers(s);
      if (callers.length <= max) continue;
      ctx.report({
        uri: s.uri,
        span: s.idSpan,
        message:
          `${callers.length} services call '${s.id}' synchronously, over the limit of ${max}. ` +
          `When it is slow or down, so are they, and any change to its interface touches every one of them. ` +
          `Let callers cache its answers, or publish its data as events they keep.`,
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
