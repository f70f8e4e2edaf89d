import type { Related, Rule } from '../rule';
import { fullEventFix } from './id-event-callback';
import { ownerOf, threshold } from './util';

export const callbackBarrage: Rule = {
  meta: {
    id: 'callback-barrage',
    title: 'Many consumers of a "just an id" event calling the publisher back at once',
    category: 'events',
    defaultSeverity: 'warning',
    options: { max: { type: 'int', default: 2, min: 1, description: 'The most consumers of one id event that may call its publisher back.' } },
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    const sys = ctx.system;
    const max = threshold(callbackBarrage.meta, ctx.options, 'max');
    for (const e of sys.events.values()) {
      if (e.content !== 'id') continue;
      const publishers = new Set((sys.publishersOf.get(e.id) ?? []).map((p) => p.from.id));
      const related: Related[] = [];
      const callers = new Set<string>();
      for (const sub of sys.subscribersOf.get(e.id) ?? []) {
        // As in id-event-callback, a publisher calling itself is no callback.
        const call = sub.from.calls.find((c) => c.style === 'sync' && publishers.has(c.to.id) && c.to.id !== sub.from.id);
        if (!call || callers.has(sub.from.id)) continue;
        callers.add(sub.from.id);
        related.push({ uri: sub.from.uri, span: call.to.span, message: `${sub.from.id} calls ${call.to.id} back` });
      }
      if (callers.size <= max) continue;
      ctx.report({
        uri: e.uri,
        span: e.idSpan,
        message:
          `${callers.size} consumers of '${e.id}' call its publisher back for the details, over the limit of ${max}. ` +
          `Every time the event fires, the publisher takes a burst of ${callers.size} requests at once. Put the details in the event (content: full).`,
        messageId: 'barrage',
        related,
        owners: [ownerOf(e)],
        data: { event: e.id },
      });
    }
  },
  fixes(finding, ctx) {
    return fullEventFix(ctx, String(finding.data?.event));
  },
};
