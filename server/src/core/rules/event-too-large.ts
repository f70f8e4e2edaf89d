import type { Rule } from '../rule';
import { formatSize } from '../units';
import { setPair } from '../yamledit';
import { ownerOf } from './util';

/** The broker limit that applies to an event: its own maxSize, else the rule's default (Kafka's 1 MB). */
export function eventLimit(maxSize: number | undefined, fallback: number): number {
  return maxSize ?? fallback;
}

/** Kafka's default largest message (message.max.bytes), 1 MB. */
const KAFKA_DEFAULT = 1024 * 1024;

export const eventTooLarge: Rule = {
  meta: {
    id: 'event-too-large',
    title: 'An event payload over, or near, the largest message its broker takes',
    category: 'events',
    defaultSeverity: 'error',
    options: {
      max: { type: 'size', default: 1024 * 1024, min: 1, description: "The broker's message limit when an event gives no maxSize (Kafka's default is 1MB)." },
      warnAt: { type: 'percent', default: 0.8, min: 0, description: 'The share of the limit from which a payload is reported as a warning.' },
    },
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    for (const e of ctx.system.events.values()) {
      if (!e.payload) continue;
      const limit = eventLimit(e.maxSize?.value, ctx.options.max);
      const size = e.payload.value;
      if (size < limit * ctx.options.warnAt) continue;
      const over = size > limit;
      // Say where the limit comes from: only maxSize and Kafka's default are known to be the broker's.
      // Any other broker with no maxSize gets the rule's assumed limit, and the message says so rather
      // than claiming the broker will reject the event.
      const known = !!e.maxSize || (/^kafka$/i.test(e.broker?.value ?? '') && limit === KAFKA_DEFAULT);
      const of = e.maxSize ? `the ${formatSize(limit)} its broker takes (maxSize)` : known ? `the ${formatSize(limit)} Kafka takes by default` : `the ${formatSize(limit)} limit assumed for its broker (no maxSize given)`;
      ctx.report({
        uri: e.uri,
        span: e.payload.span,
        message: over
          ? `'${e.id}' carries ${formatSize(size)}, more than ${of}: ${known ? 'it will be rejected' : 'a broker with that limit rejects it (set maxSize if yours takes more)'}. Publish a reference instead (store the body, send its location), send just an id, or split the event.`
          : `'${e.id}' carries ${formatSize(size)}, ${Math.round((size / limit) * 100)}% of ${of}: a little growth and it is rejected. Publish a reference to the body instead, or split the event.`,
        messageId: over ? 'over' : 'near',
        severity: over ? 'error' : 'warning',
        owners: [ownerOf(e)],
        data: { event: e.id },
      });
    }
  },
  fixes(finding, ctx) {
    const e = ctx.system.events.get(String(finding.data?.event));
    const file = e && ctx.file(e.uri);
    if (!e || !file || !e.node) return [];
    return [
      {
        title: `Publish just an id and let consumers fetch the body (content: id, payload: 1KB)`,
        kind: 'refactor.rewrite',
        edits: [setPair(e.uri, file.text, e.node, 'content', 'id'), setPair(e.uri, file.text, e.node, 'payload', '1KB')],
      },
    ];
  },
};
