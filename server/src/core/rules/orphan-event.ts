import type { Rule } from '../rule';
import { ownerOf } from './util';

export const orphanEvent: Rule = {
  meta: {
    id: 'orphan-event',
    title: 'An event nobody publishes, or nobody subscribes to',
    category: 'structure',
    alwaysOn: true,
    defaultSeverity: 'warning',
    options: {},
    fixable: false,
    acceptable: true,
  },
  check(ctx) {
    for (const e of ctx.system.events.values()) {
      const pubs = ctx.system.publishersOf.get(e.id) ?? [];
      const subs = ctx.system.subscribersOf.get(e.id) ?? [];
      if (pubs.length === 0) {
        ctx.report({
          uri: e.uri,
          span: e.idSpan,
          message: subs.length
            ? `No service publishes '${e.id}', yet ${subs.length === 1 ? `'${subs[0].from.id}' subscribes` : `${subs.length} services subscribe`} to it. ${subs.length === 1 ? 'It waits' : 'They wait'} for something that never comes. Add the publisher, or remove the event.`
            : `No service publishes or subscribes to '${e.id}'. Add its publisher and subscribers, or remove the event.`,
          messageId: 'no-publisher',
          severity: 'warning',
          owners: [ownerOf(e)],
          related: subs.map((s) => ({ uri: s.from.uri, span: s.event.span, message: `'${s.from.id}' subscribes here` })),
        });
      } else if (subs.length === 0) {
        ctx.report({
          uri: e.uri,
          span: e.idSpan,
          message: `Nobody subscribes to '${e.id}' yet. That is fine for an event published for future consumers; otherwise, remove it.`,
          messageId: 'no-subscriber',
          severity: 'info',
          owners: [ownerOf(e)],
          related: pubs.map((p) => ({ uri: p.from.uri, span: p.event.span, message: `'${p.from.id}' publishes here` })),
        });
      }
    }
  },
};
