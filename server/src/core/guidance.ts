/**
 * Decision guidance for hovers: what each communication choice costs and when the alternative fits. The
 * facts follow Newman, Building Microservices (2nd ed.), chapter 4; the words are ours. Markdown.
 */
import { own } from './own';

export interface Guidance {
  readonly title: string;
  readonly body: string;
  readonly doc?: string;
}

const STYLE_SYNC = `**Synchronous, blocking.** The caller waits for the answer.

- Good: familiar; the caller knows at once whether it worked and can retry or compensate.
- Bad: a slow or failed callee stalls the caller; the response is lost if the caller dies; long chains multiply failure and hold resources all along (cascading failure).
- Use for: simple architectures and short chains, where the result is needed before going on.`;

const STYLE_ASYNC = `**Asynchronous request-response.** The request goes over a queue; the reply is routed back later.

- Good: the caller is not held up; the queue buffers requests the callee cannot take yet; suits long-running work and long chains.
- Bad: more moving parts and choices; any instance of the caller must be able to handle the reply.
- Use for: long-running work, or breaking a long synchronous chain.`;

const VALUES: Record<string, Record<string, string>> = {
  style: { sync: STYLE_SYNC, async: STYLE_ASYNC },
  delivery: {
    direct: '**Direct.** The service publishes straight to the broker after (or before) saving its own state: two writes that cannot commit together. A crash between them leaves the store and the consumers disagreeing (the dual write).',
    outbox: '**Transactional outbox.** The event is written to an outbox table in the same transaction as the state change, and relayed to the broker afterwards: "change state, then publish" becomes atomic.',
    cdc: "**Change data capture.** The broker is fed from the database's own change log: the event exists if and only if the change committed.",
    transactional: "**Transactional.** Store and broker take part in one transaction (where the technology allows it): atomic, at the price of coupling to both systems' transaction support.",
  },
  content: {
    full: '**Fully detailed event.** Put in what you would happily share over an API, so consumers need not call back. Costs: size (Kafka takes 1 MB per message by default), data reaching consumers who do not need it, and the fields become a contract.',
    id: '**Just an ID.** Small and reveals little, but every consumer must call the publisher back for the details: domain coupling, and with many consumers a barrage of requests the moment the event fires.',
    reference: '**A reference (claim check).** The publisher stores the body (in a bucket or a store) and the event carries its location. Messages stay small whatever the body weighs, and consumers fetch the body from the store, not from the publisher, so nobody calls the publisher back.',
  },
  parallel: {
    true: "**Parallel.** Made concurrently with the service's other parallel calls: they cost the longest of them, not their sum. Say so only when the code really does not wait for one before starting the next.",
    false: '**Sequential** (the default). Made after the previous call returns: the waits add up.',
  },
  result: {
    used: '**Used** (the default). The caller needs the answer before it can go on: a blocking call fits.',
    unused: '**Unused.** Nobody uses the answer, yet the caller waits for it and fails with it. A command whose answer nobody needs is better sent as an event or over a queue.',
  },
  exposure: {
    internal: '**Internal.** Reached only by other services of this system.',
    external: '**External.** Reached by users or third parties: an entry for requests, and an interface whose changes you cannot deploy in lock-step with its consumers. Version it.',
  },
  access: {
    read: '**Read.** Reads the store. Still coupled to its schema, unless the store belongs to this service.',
    write: '**Write.** Writes the store. Two writers of one store are coupled to each other through its schema and its data.',
    readwrite: '**Read and write.** Owns the data or shares it. Common data is simple, but a store shared by writers couples every service that touches it.',
  },
};

const KEYS: Record<string, Guidance> = {
  style: { title: 'style', body: `Decide the communication style first, then the technology.\n\n${STYLE_SYNC}\n\n${STYLE_ASYNC}`, doc: 'rules/sync-chain.md' },
  delivery: { title: 'delivery', body: 'How an event leaves the service. Saving state and publishing are two writes: with `direct`, a crash between them loses one. `outbox` or `cdc` make them atomic.', doc: 'rules/dual-write.md' },
  content: { title: 'content', body: `${VALUES.content.full}\n\n${VALUES.content.id}\n\n${VALUES.content.reference}`, doc: 'rules/id-event-callback.md' },
  exposure: { title: 'exposure', body: `${VALUES.exposure.internal}\n\n${VALUES.exposure.external}`, doc: 'rules/unversioned-interface.md' },
  access: { title: 'access', body: `${VALUES.access.read}\n\n${VALUES.access.write}\n\n${VALUES.access.readwrite}`, doc: 'rules/shared-database.md' },
  perRequest: {
    title: 'perRequest',
    body: 'Calls per incoming request. In-process, a thousand calls cost nothing; across the network each one pays for packets, serialisation and a chance to fail. `n` means once per item (the N+1 pattern): batch it.',
    doc: 'rules/chatty-calls.md',
  },
  timeout: {
    title: 'timeout',
    body: 'How long the caller waits. Without one, a callee that hangs (a timing or omission failure) holds the caller\'s thread and connection as long as the client library allows. Keep it shorter than what the caller\'s own callers wait.',
    doc: 'rules/missing-timeout.md',
  },
  retries: {
    title: 'retries',
    body: 'Attempts after the first. A retry hides a passing failure, but it repeats the work when the answer (not the request) was lost: only retry idempotent calls, and only at one layer, or the attempts multiply down the chain.',
    doc: 'rules/retry-amplification.md',
  },
  idempotent: { title: 'idempotent', body: 'Whether doing the call twice is harmless. Say `false` for charges, orders and other calls with effects: they must not be retried without an idempotency key.', doc: 'rules/unsafe-retry.md' },
  parallel: { title: 'parallel', body: `${VALUES.parallel.true}\n\n${VALUES.parallel.false}`, doc: 'rules/chain-latency.md' },
  result: {
    title: 'result',
    body: `The first question for a call: does the caller need the result before it goes on? If not, it should not block on it.\n\n${VALUES.result.used}\n\n${VALUES.result.unused}`,
    doc: 'rules/unused-response.md',
  },
  fallback: { title: 'fallback', body: 'What the caller does when the call fails: a cached answer, a default, a degraded page. Without one, the failure reaches the user.', doc: 'rules/no-fallback.md' },
  payload: { title: 'payload', body: 'How much data moves per call or message. Send less, use a more compact serialisation, or put the data somewhere (a bucket, a file) and pass a reference.', doc: 'rules/large-sync-payload.md' },
  kind: {
    title: 'kind',
    body: 'For a service: service, gateway, bff, frontend (a user interface served to browsers: its interface changes with its own pages, so it needs no versions), job or legacy. For a datastore: database, cache, filesystem, bucket, data-lake, warehouse or search — a data lake takes raw data in any format (its readers must understand it); a warehouse is structured (its writers must know the structure); a filesystem drop makes readers poll for new files.',
    doc: 'dsl.md',
  },
  deployTogether: { title: 'deployTogether', body: 'Services released in lock-step. Across a network, a breaking change either ships to every consumer at once or is phased in by serving old and new side by side: prefer the second.', doc: 'rules/lockstep-deploy.md' },
  versions: { title: 'versions', body: 'Interface versions this service serves. Serving two at once lets consumers migrate at their own pace (expand, then contract).', doc: 'rules/unserved-version.md' },
  owner: { title: 'owner', body: 'The one service that owns the store. Others should go through its API: then it can change its schema freely.', doc: 'rules/shared-database.md' },
};

/** Guidance for a key, or for a key's value. */
export function guidanceFor(key: string, value?: string): Guidance | undefined {
  if (value !== undefined) {
    const values = own(VALUES, key);
    const text = values && own(values, value);
    if (text) return { title: `${key}: ${value}`, body: text, doc: own(KEYS, key)?.doc };
  }
  return own(KEYS, key);
}
