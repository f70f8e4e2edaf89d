import type { Rule } from '../rule';
import { setPair } from '../yamledit';
import { callLabel, ownerOf, ownerOfItem } from './util';

export const idEventCallback: Rule = {
  meta: {
    id: 'id-event-callback',
    title: 'A consumer of a "just an id" event that calls the publisher back for the details',
    category: 'events',
    defaultSeverity: 'warning',
    options: {},
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    const sys = ctx.system;
    for (const e of sys.events.values()) {
      if (e.content !== 'id') continue;
      const publishers = new Set((sys.publishersOf.get(e.id) ?? []).map((p) => p.from.id));
      // A service that lists the same subscription twice still makes each call once: report it once.
      const seen = new Set<string>();
      for (const sub of sys.subscribersOf.get(e.id) ?? []) {
        if (seen.has(sub.from.id)) continue;
        seen.add(sub.from.id);
        for (const c of sub.from.calls) {
          // A publisher that consumes its own event and calls itself is self-call's business, not a callback.
          if (c.style !== 'sync' || !publishers.has(c.to.id) || c.to.id === sub.from.id) continue;
          ctx.report({
            uri: sub.from.uri,
            span: c.to.span,
            message:
              `'${sub.from.id}' receives '${e.id}', which carries just an id, and calls '${c.to.id}' back for the details. ` +
              `The event then decouples nothing: '${c.to.id}' must be up for '${sub.from.id}' to act. Put the details consumers need in the event (content: full).`,
            messageId: 'callback',
            related: [{ uri: e.uri, span: e.contentField?.span ?? e.idSpan, message: `'${e.id}' is content: id` }],
            owners: [ownerOfItem(c, callLabel(c)), ownerOfItem(sub, `the subscription of '${sub.from.id}' to '${e.id}'`), ownerOf(sub.from)],
            data: { event: e.id },
          });
        }
      }
    }
  },
  fixes(finding, ctx) {
    return fullEventFix(ctx, String(finding.data?.event));
  },
};

/** Makes an event fully detailed, so consumers need not call back. */
export function fullEventFix(ctx: Parameters<NonNullable<Rule['fixes']>>[1], id: string) {
  const e = ctx.system.events.get(id);
  const file = e && ctx.file(e.uri);
  if (!e || !file || !e.node) return [];
  return [{ title: `Make '${e.id}' a fully detailed event (content: full)`, kind: 'quickfix' as const, isPreferred: true, edits: [setPair(e.uri, file.text, e.node, 'content', 'full')] }];
}
