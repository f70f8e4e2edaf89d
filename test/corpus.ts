import { xorshift32 } from './prng';
/**
 * A seeded corpus of varied topologies, for the tests that hold over every rule at once (fixes resolve,
 * no rule drowns the others, first sentences fit one line) and for counting findings per rule before and
 * after a change (`npm run corpus -- --out <dir>`, then scripts/findings-table.mjs).
 *
 * Unlike test/generate.ts (large layered systems for benchmarks, nearly clean), each topology here is small
 * (3 to 15 services) and mixes what real files hold: entries with and without flows, defaults or none,
 * block and flow style, timeouts, retries, non-idempotent calls, chatty calls, payloads, versions,
 * fallbacks, events of every content, sensitive fields, owned, shared and common stores, the odd cycle and
 * lock-step deployment. Deterministic for a given seed.
 */

export interface CorpusFile {
  readonly name: string;
  readonly text: string;
}

/** What the generated files may use: `v11` adds the DSL v1.1 keys (parallel, result, content: reference, kind: frontend). */
export interface CorpusOptions {
  readonly v11?: boolean;
}

const WORDS = [
  'orders', 'payment', 'catalog', 'stock', 'shipping', 'users', 'auth', 'search', 'reviews', 'cart', 'pricing',
  'notify', 'email', 'ledger', 'invoice', 'fraud', 'recommend', 'media', 'profile', 'report', 'audit', 'billing',
  'tax', 'coupon', 'wishlist', 'loyalty', 'geo', 'booking', 'seats', 'routes', 'tickets', 'accounts',
];
const ENTRY_WORDS = ['web', 'mobile-bff', 'gateway', 'admin', 'partner-api', 'storefront'];
const OPERATIONS = ['Get', 'List', 'Create', 'Update', 'Reserve', 'Charge', 'Quote', 'Check', 'Send', 'Notify', 'Record', 'Track', 'Lookup'];
const TIMEOUTS = ['100ms', '250ms', '500ms', '800ms', '1s', '2s', '3s', '5s'];
const STORE_KINDS = ['database', 'database', 'database', 'cache', 'search', 'bucket', 'filesystem', 'data-lake', 'warehouse'];

/** xorshift32 over the seed spread by Knuth's multiplicative hash, so neighbouring seeds start far apart. */
const prng = (seed: number): (() => number) => xorshift32((seed * 2654435761) >>> 0);

/** One varied topology for a seed. */
export function corpusTopology(seed: number, options: CorpusOptions = {}): CorpusFile {
  const rand = prng(seed + 1);
  const chance = (p: number) => rand() < p;
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

  const n = int(3, 15);
  const entries = Math.min(n - 1, int(1, 2));
  const names: string[] = [];
  const taken = new Set<string>();
  const fresh = (base: string) => {
    let id = base;
    for (let i = 2; taken.has(id); i++) id = `${base}-${i}`;
    taken.add(id);
    return id;
  };
  for (let i = 0; i < n; i++) names.push(fresh(i < entries ? pick(ENTRY_WORDS) : pick(WORDS)));

  const flowStyle = chance(0.3);
  const hasDefaults = chance(0.55);
  const defaultTimeout = hasDefaults && chance(0.7);
  const defaultRetries = hasDefaults && chance(0.4) ? int(1, 2) : 0;
  const cyclic = chance(0.08);
  const lines: string[] = [`topology: corpus-${seed}`];
  if (chance(0.5)) lines.push(`description: Generated system ${seed}`);
  if (hasDefaults) {
    lines.push('defaults:');
    if (defaultTimeout) lines.push(`  timeout: ${pick(['1s', '2s', '3s'])}`);
    if (defaultRetries) lines.push(`  retries: ${defaultRetries}`);
    lines.push(`  availability: ${pick(['99.9%', '99.95%', '99.99%'])}`);
  }

  // Events first, so that services can publish and subscribe to them.
  const eventCount = int(0, Math.min(6, n));
  const events = Array.from({ length: eventCount }, (_, k) => `${pick(WORDS)}-${pick(['placed', 'changed', 'created', 'failed', 'shipped'])}-${k}`);
  const publishers = new Map<string, string[]>();
  const subscribers = new Map<string, string[]>();
  const sensitive = new Set<string>();

  const stores: { id: string; kind: string; owner?: string }[] = [];
  const uses = new Map<string, { store: string; access: string }[]>();
  const addUse = (svc: string, store: string, access: string) => uses.set(svc, [...(uses.get(svc) ?? []), { store, access }]);

  const services: string[][] = [];
  for (let i = 0; i < n; i++) {
    const id = names[i];
    const out: string[] = [];
    const props: string[] = [];
    if (i < entries) {
      props.push('exposure: external');
      const kinds = options.v11 ? ['gateway', 'bff', 'frontend', 'service'] : ['gateway', 'bff', 'service'];
      props.push(`kind: ${pick(kinds)}`);
    } else if (chance(0.08)) props.push(`kind: ${pick(['job', 'legacy'])}`);
    else if (chance(0.05)) props.push('exposure: external');
    if (chance(0.2)) props.push(`slo: { availability: ${pick(['99.5%', '99.9%', '99.95%', '99.99%'])} }`);
    if (chance(0.25)) props.push(`versions: [${pick(['v1', 'v1, v2', 'v2'])}]`);

    // Calls go down the list (a layered system), now and then back up (a cycle), and rarely to itself.
    const calls: string[][] = [];
    const callees = i < n - 1 ? int(i < entries ? 1 : 0, Math.min(5, n - i - 1)) : 0;
    const seen = new Set<number>();
    for (let k = 0; k < callees; k++) {
      let j = int(i + 1, n - 1);
      if (cyclic && chance(0.15) && i > 0) j = int(0, i - 1);
      if (chance(0.003)) j = i;
      // The same pair now and then gets two calls (two operations), which fixes must live with.
      if (seen.has(j) && !chance(0.2)) continue;
      seen.add(j);
      const c: string[] = [`to: ${names[j]}`];
      const async = chance(0.15);
      if (async) c.push('style: async');
      else if (chance(0.1)) c.push('style: sync');
      const verb = pick(OPERATIONS);
      if (chance(0.6)) c.push(`operation: ${verb}${pick(['Order', 'Price', 'Item', 'User', 'Email', 'Receipt', 'Event'])}`);
      if (!async && chance(defaultTimeout ? 0.3 : 0.55)) c.push(`timeout: ${chance(0.03) ? '45s' : pick(TIMEOUTS)}`);
      if (chance(0.2)) c.push(`retries: ${int(0, 3)}`);
      if (chance(0.1)) c.push('idempotent: false');
      // eslint-disable-next-line no-dupe-else-if -- chance() draws a new number each call, so the branches differ; the corpus's seeded sequence depends on both draws.
      else if (chance(0.1)) c.push('idempotent: true');
      if (chance(0.12)) c.push(`perRequest: ${chance(0.3) ? 'n' : int(2, 8)}`);
      if (chance(0.05)) c.push(`payload: ${pick(['2MB', '64KB', '16KB'])}`);
      if (chance(0.1)) c.push(`version: ${pick(['v1', 'v2', 'v3'])}`);
      if (chance(0.1)) c.push(`fallback: ${pick(['serve the cached copy', 'show a placeholder', '"TODO: decide"'])}`);
      if (options.v11 && !async && chance(0.15)) c.push('parallel: true');
      if (options.v11 && !async && chance(0.08)) c.push(`result: ${pick(['used', 'unused'])}`);
      calls.push(c);
    }
    if (calls.length) {
      if (flowStyle) out.push(`    calls: [${calls.map((c) => `{ ${c.join(', ')} }`).join(', ')}]`);
      else {
        out.push('    calls:');
        for (const c of calls) out.push(`      - ${c[0]}`, ...c.slice(1).map((l) => `        ${l}`));
      }
    }

    if (events.length && chance(0.35)) {
      const e = pick(events);
      publishers.set(e, [...(publishers.get(e) ?? []), id]);
      const delivery = pick(['direct', 'outbox', 'outbox', 'cdc']);
      out.push(flowStyle ? `    publishes: [{ event: ${e}, delivery: ${delivery} }]` : `    publishes:\n      - event: ${e}\n        delivery: ${delivery}`);
    }
    if (events.length && chance(0.4)) {
      const e = pick(events);
      subscribers.set(e, [...(subscribers.get(e) ?? []), id]);
      const fields = chance(0.5) ? ` uses: [id${chance(0.3) ? ', email' : ''}]` : '';
      out.push(flowStyle ? `    subscribes: [{ event: ${e}${fields ? `,${fields}` : ''} }]` : `    subscribes:\n      - event: ${e}${fields ? `\n       ${fields}` : ''}`);
    }
    if (chance(0.6)) {
      const store = fresh(`${id}-db`);
      stores.push({ id: store, kind: pick(['database', 'database', 'cache', 'search']), owner: id });
      addUse(id, store, 'readwrite');
    }
    if (chance(0.01) && i + 1 < n) props.push(`deployTogether: [${names[i + 1]}]`);
    services.push([...props.map((p) => `    ${p}`), ...out]);
  }

  // A few shared or common stores.
  for (let k = int(0, 2); k > 0; k--) {
    const kind = pick(STORE_KINDS);
    const store = fresh(`${kind === 'database' ? 'shared' : kind}-store`);
    const owner = chance(0.5) ? pick(names) : undefined;
    stores.push({ id: store, kind, owner });
    for (let u = int(1, 3); u > 0; u--) addUse(pick(names), store, pick(['read', 'readwrite', 'write']));
  }

  lines.push('services:');
  names.forEach((id, i) => {
    const body = services[i];
    const u = uses.get(id) ?? [];
    if (u.length) {
      if (flowStyle) body.push(`    uses: [${u.map((x) => `{ store: ${x.store}, access: ${x.access} }`).join(', ')}]`);
      else {
        body.push('    uses:');
        for (const x of u) body.push(`      - store: ${x.store}`, `        access: ${x.access}`);
      }
    }
    if (body.length) lines.push(`  ${id}:`, ...body);
    else lines.push(`  ${id}: {}`);
  });

  if (stores.length) {
    lines.push('datastores:');
    for (const s of stores) {
      const props = [...(s.kind !== 'database' ? [`kind: ${s.kind}`] : []), ...(s.owner ? [`owner: ${s.owner}`] : [])];
      lines.push(props.length ? `  ${s.id}: { ${props.join(', ')} }` : `  ${s.id}: {}`);
    }
  }

  if (events.length) {
    lines.push('events:');
    for (const e of events) {
      lines.push(`  ${e}:`);
      lines.push(`    broker: ${pick(['kafka', 'kafka', 'rabbitmq', 'sns'])}`);
      const contents = options.v11 ? ['full', 'full', 'id', 'reference'] : ['full', 'full', 'id'];
      if (chance(0.6)) lines.push(`    content: ${pick(contents)}`);
      if (chance(0.5)) lines.push(`    payload: ${pick(['1KB', '2KB', '4KB', '16KB', '64KB', '900KB', '2MB'])}`);
      if (chance(0.3)) {
        sensitive.add(e);
        lines.push('    fields: [id, status, { name: email, sensitive: true }]');
      }
    }
  }

  const flows = chance(0.4) ? names.slice(0, entries) : [];
  if (flows.length) {
    lines.push('flows:');
    for (const entry of flows) {
      lines.push(`  ${entry}-request:`, `    entry: ${entry}`);
      if (chance(0.6)) lines.push(`    budget: { latency: ${pick(['300ms', '1s', '2s', '5s'])}, availability: ${pick(['99%', '99.5%', '99.9%'])} }`);
    }
  }
  return { name: `corpus-${String(seed).padStart(4, '0')}.topology.yaml`, text: lines.join('\n') + '\n' };
}

/** `count` topologies from consecutive seeds. */
export function corpus(count = 240, firstSeed = 1, options: CorpusOptions = {}): CorpusFile[] {
  return Array.from({ length: count }, (_, i) => corpusTopology(firstSeed + i, options));
}
