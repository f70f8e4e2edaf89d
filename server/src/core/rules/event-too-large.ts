import type { Fix, FixContext, Rule, TextEdit } from '../rule';
import type { Service, TopologyEvent } from '../model';
import { formatSize } from '../units';
import { addListItem, indentUnit, insertPair, insertUnderEmpty, setPair, yamlScalar } from '../yamledit';
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
          ? `'${e.id}' carries ${formatSize(size)}, more than ${of}. ${known ? 'The broker will reject it.' : 'A broker with that limit rejects it (set maxSize if yours takes more).'} ` +
            `Publish a reference instead (store the body, send its location), send just an id, or split the event.`
          : `'${e.id}' carries ${formatSize(size)}, ${Math.round((size / limit) * 100)}% of ${of}. A little growth and the broker rejects it. ` +
            `Publish a reference to the body instead, or split the event.`,
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
    const fixes: Fix[] = [];
    const claim = claimCheckFix(e, ctx);
    if (claim) fixes.push(claim);
    fixes.push({
      title: `Publish just an id and let consumers fetch the body (content: id, payload: 1KB)`,
      kind: 'refactor.rewrite',
      edits: [setPair(e.uri, file.text, e.node, 'content', 'id'), setPair(e.uri, file.text, e.node, 'payload', '1KB')],
    });
    const split = splitFix(e, ctx, ctx.options.max, ctx.options.warnAt);
    if (split) fixes.push(split);
    return fixes;
  },
};

/**
 * The claim check: the event carries the location of a body its publisher stores (content: reference). With
 * one publisher, the fix also gives it the store: a bucket it owns and writes. With several, each keeps the
 * body where it likes (one bucket written by all of them would be a shared database), and the title says so.
 */
function claimCheckFix(e: TopologyEvent, ctx: FixContext): Fix | undefined {
  const file = ctx.file(e.uri);
  if (!file || !e.node) return undefined;
  const edits: TextEdit[] = [setPair(e.uri, file.text, e.node, 'content', 'reference'), setPair(e.uri, file.text, e.node, 'payload', '1KB')];
  const publishers = [...new Set((ctx.system.publishersOf.get(e.id) ?? []).map((p) => p.from))];
  const base = 'Claim check: publish where the body is stored (content: reference, payload: 1KB)';
  if (publishers.length !== 1) return { title: publishers.length ? `${base}; each publisher stores the body` : base, kind: 'refactor.rewrite', isPreferred: true, edits };
  const pub = publishers[0];
  const pubFile = ctx.file(pub.uri);
  if (!pubFile) return undefined;
  let store = `${e.id}-bodies`;
  for (let i = 2; ctx.system.datastores.has(store); i++) store = `${e.id}-bodies-${i}`;
  // The store goes into the publisher's file, next to the service that owns it.
  const datastores = pubFile.topology.sections.get('datastores');
  const block = ['kind: bucket', `owner: ${pub.id}`];
  let storeEdit: TextEdit | undefined;
  if (datastores?.value?.kind === 'map' && (datastores.value.flow || datastores.value.pairs.length)) storeEdit = insertPair(pub.uri, pubFile.text, datastores.value, store, { block });
  else if (datastores && !datastores.value) storeEdit = insertUnderEmpty(pub.uri, pubFile.text, datastores, store, { block });
  else if (!datastores && pubFile.topology.root?.kind === 'map' && !pubFile.topology.root.flow) storeEdit = insertPair(pub.uri, pubFile.text, pubFile.topology.root, 'datastores', { block: [`${store}:`, ...block.map((l) => indentUnit(pubFile.text) + l)] });
  if (!storeEdit) return { title: `${base}; '${pub.id}' stores the body`, kind: 'refactor.rewrite', isPreferred: true, edits };
  edits.push(addListItem(pub.uri, pubFile.text, pub.node, pub.pair, 'uses', [`store: ${store}`, 'access: write'], `{ store: ${store}, access: write }`), storeEdit);
  return { title: `${base}; adds the bucket '${store}' that '${pub.id}' writes the body to`, kind: 'refactor.rewrite', isPreferred: true, edits };
}

/**
 * Splits the event in two halves: a second event with the other half of the payload, published wherever the
 * first is and consumed by every consumer of the first (trim those lists to who needs which half). When a
 * half is still over, or near, the limit, the title says the finding remains.
 */
function splitFix(e: TopologyEvent, ctx: FixContext, max: number, warnAt: number): Fix | undefined {
  const file = ctx.file(e.uri);
  const events = file?.topology.sections.get('events')?.value;
  if (!file || !e.node || !e.payload || events?.kind !== 'map') return undefined;
  let id = `${e.id}-part-2`;
  for (let i = 3; ctx.system.events.has(id); i++) id = `${e.id}-part-${i}`;
  const half = Math.ceil(e.payload.value / 2);
  // Exact in the file (a rounded 1.33MB would read back as a different size); the title rounds.
  const size = half % (1024 * 1024) === 0 ? `${half / 1024 / 1024}MB` : half % 1024 === 0 ? `${half / 1024}KB` : `${half}B`;
  const block = [
    ...(e.broker ? [`broker: ${yamlScalar(e.broker.value, events.flow)}`] : []),
    ...(e.content !== 'full' ? [`content: ${e.content}`] : []),
    `payload: ${size}`,
    ...(e.maxSize ? [`maxSize: ${file.text.slice(e.maxSize.span.start, e.maxSize.span.end).trim()}`] : []),
    `description: ${yamlScalar(`The second half of ${e.id}, split off to stay under the broker's limit`, true)}`,
  ];
  const edits: TextEdit[] = [setPair(e.uri, file.text, e.node, 'payload', size)];
  // Each service once, whatever its file: a service publishing the event twice publishes the half once.
  const add = (svc: Service, key: 'publishes' | 'subscribes', item: string[], flowItem: string) => {
    const f = ctx.file(svc.uri);
    if (f) edits.push(addListItem(svc.uri, f.text, svc.node, svc.pair, key, item, flowItem));
  };
  const publishers = new Map((ctx.system.publishersOf.get(e.id) ?? []).map((p) => [p.from, p] as const));
  for (const [svc, p] of publishers) add(svc, 'publishes', [`event: ${id}`, `delivery: ${p.delivery}`], `{ event: ${id}, delivery: ${p.delivery} }`);
  const subscribers = new Set((ctx.system.subscribersOf.get(e.id) ?? []).map((x) => x.from));
  for (const svc of subscribers) if (!publishers.has(svc)) add(svc, 'subscribes', [`event: ${id}`], `{ event: ${id} }`);
  // The new event last: it may be inserted where a service's new key goes (the events map ending the file).
  edits.push(insertPair(e.uri, file.text, events, id, { block }));
  const limit = eventLimit(e.maxSize?.value, max);
  const still = half > limit ? '; each half is still over the limit, so the finding remains' : half >= limit * warnAt ? '; each half is still near the limit, so a warning remains' : '';
  return { title: `Split '${e.id}' in two events of ${formatSize(half)} each ('${e.id}' and '${id}')${still}`, kind: 'refactor.rewrite', edits };
}
