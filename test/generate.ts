import { xorshift32 } from './prng';
export interface GenerateOptions {
  /**
   * Writes the same system (the same services, calls, events, stores and findings) the way a compact
   * hand-written file reads: one line per call, publish, subscription and use, one line per store and
   * event, and no field that only repeats its default (`style: sync`, `access: readwrite`). About 300 KB
   * at 1,000 services, the size of the file issue 11 measured, against 763 KB written in full.
   */
  readonly compact?: boolean;
}

/**
 * Generates realistic layered topologies for benchmarks and scale tests: gateways and BFFs on top,
 * then edge, domain and core services, each calling a few services in lower layers (mostly sync, some
 * async), publishing and subscribing to events, owning a datastore, with a few shared stores, timeouts
 * and retries. Deterministic for a given size and seed; `compact` changes how it is written, not what.
 */
export function generateTopology(services: number, seed = 42, options: GenerateOptions = {}): string {
  const compact = options.compact === true;
  const rand = xorshift32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const layers = [0.05, 0.25, 0.4, 0.3];
  const layerOf: number[] = [];
  for (let i = 0; i < services; i++) {
    const x = i / services;
    let acc = 0;
    let l = 0;
    for (; l < layers.length - 1; l++) {
      acc += layers[l];
      if (x < acc) break;
    }
    layerOf.push(l);
  }
  const byLayer = layers.map((_, l) => layerOf.map((x, i) => (x === l ? i : -1)).filter((i) => i >= 0));
  const name = (i: number) => `${['gateway', 'edge', 'domain', 'core'][layerOf[i]]}-${i}`;
  const protocols = ['http', 'grpc', 'grpc', 'http', 'graphql'];
  const lines: string[] = [`topology: generated-${services}`, 'description: A generated layered system for benchmarks', 'defaults:', '  timeout: 2s', '  retries: 1', '  availability: 99.95%', 'services:'];
  const events: string[] = [];
  for (let i = 0; i < services; i++) {
    const layer = layerOf[i];
    lines.push(`  ${name(i)}:`);
    if (!compact || i % 10 === 0) lines.push(`    description: Service ${i} in layer ${layer}`);
    if (!compact) lines.push(`    team: team-${i % 37}`);
    if (layer === 0) lines.push('    exposure: external', `    kind: ${i % 2 ? 'gateway' : 'bff'}`);
    lines.push(compact ? `    slo: { availability: 99.9${i % 10}% }` : `    slo: { availability: 99.9${i % 10}%, latency: ${100 + (i % 5) * 50}ms }`);
    lines.push(compact ? '    versions: [v1]' : '    versions: [v1, v2]');
    // Every random draw happens in the same order whichever way the system is written, so both ways
    // describe the same system.
    if (layer < 3) {
      if (!compact) lines.push('    calls:');
      const calls: string[] = [];
      const n = 1 + Math.floor(rand() * 4);
      const below = byLayer[layer + 1];
      const seen = new Set<number>();
      for (let k = 0; k < n && below.length; k++) {
        const j = pick(below);
        if (seen.has(j)) continue;
        seen.add(j);
        const async = rand() < 0.2;
        const protocol = async ? 'amqp' : pick(protocols);
        // Deeper layers answer faster, so a caller's timeout covers what its callee waits for (mostly).
        const timeout = async ? undefined : `${[3000, 1200, 400][layer] + Math.floor(rand() * 4) * 50}ms`;
        const perRequest = rand() < 0.1 ? 2 + Math.floor(rand() * 6) : undefined;
        if (compact) {
          calls.push(`{ ${[`to: ${name(j)}`, ...(async ? ['style: async'] : []), ...(timeout ? [`timeout: ${timeout}`] : []), ...(perRequest ? [`perRequest: ${perRequest}`] : [])].join(', ')} }`);
          continue;
        }
        lines.push(`      - to: ${name(j)}`);
        lines.push(`        style: ${async ? 'async' : 'sync'}`);
        lines.push(`        protocol: ${protocol}`);
        lines.push(`        operation: Op${k}`);
        if (timeout) lines.push(`        timeout: ${timeout}`);
        if (perRequest) lines.push(`        perRequest: ${perRequest}`);
        lines.push('        version: v1');
      }
      if (compact) lines.push(`    calls: [${calls.join(', ')}]`);
    }
    const ev = `${name(i)}-changed`;
    events.push(ev);
    const delivery = rand() < 0.95 ? 'outbox' : 'direct';
    if (compact) lines.push(`    publishes: [{ event: ${ev}, delivery: ${delivery} }]`);
    else lines.push('    publishes:', `      - event: ${ev}`, `        delivery: ${delivery}`);
    // Each service consumes its predecessor's event (so every event but the last has a consumer) and, now
    // and then, one more.
    if (i > 0) {
      const subs = [i - 1];
      if (rand() < 0.3) subs.push(Math.floor(rand() * i));
      // Written compactly, a consumer lists the fields it uses only where that matters: for the events
      // that carry a sensitive field (every tenth), which sensitive-event-data reads.
      if (compact) lines.push(`    subscribes: [${subs.map((k) => `{ event: ${name(k)}-changed${k % 10 === 0 ? ', uses: [id, status]' : ''} }`).join(', ')}]`);
      else lines.push('    subscribes:', ...subs.flatMap((k) => [`      - event: ${name(k)}-changed`, '        uses: [id, status]']));
    }
    const shared = rand() < 0.05 ? `shared-${i % 7}` : undefined;
    if (compact) lines.push(`    uses: [{ store: ${name(i)}-db }${shared ? `, { store: ${shared}, access: read }` : ''}]`);
    else lines.push('    uses:', `      - store: ${name(i)}-db`, '        access: readwrite', ...(shared ? [`      - store: ${shared}`, '        access: read'] : []));
  }
  lines.push('datastores:');
  for (let i = 0; i < services; i++) {
    const technology = pick(['postgres', 'mysql', 'mongodb', 'redis']);
    if (compact) lines.push(`  ${name(i)}-db: {}`);
    else lines.push(`  ${name(i)}-db:`, `    technology: ${technology}`, `    owner: ${name(i)}`);
  }
  for (let k = 0; k < 7; k++) lines.push(compact ? `  shared-${k}: { kind: warehouse }` : `  shared-${k}:`, ...(compact ? [] : ['    kind: warehouse']));
  lines.push('events:');
  events.forEach((e, k) => {
    const fields = k % 10 === 0 ? '[id, status, { name: email, sensitive: true }]' : '[id, status]';
    if (compact) lines.push(k % 10 === 0 ? `  ${e}: { fields: ${fields} }` : `  ${e}: {}`);
    else lines.push(`  ${e}:`, '    broker: kafka', '    payload: 2KB', `    fields: ${fields}`);
  });
  lines.push('flows:');
  for (const g of byLayer[0]) lines.push(compact ? `  flow-${g}: { entry: ${name(g)}, budget: { latency: 1500ms, availability: 99.5% } }` : `  flow-${g}:`, ...(compact ? [] : [`    entry: ${name(g)}`, '    budget: { latency: 1500ms, availability: 99.5% }']));
  return lines.join('\n') + '\n';
}

/**
 * A system of exactly `elements` elements (services, datastores and events), named like real ones
 * ("ts-order-service", "ts-payment-db"), for the preview's legibility tests: about 60% services in four
 * layers (an external gateway on top) calling down, 25% datastores each owned by a service, and 15%
 * events, each published by one service and consumed by one or two others.
 */
export function generateSystem(elements: number, seed = 7): string {
  const rand = xorshift32(seed);
  const words = ['order', 'payment', 'user', 'ticket', 'route', 'station', 'price', 'seat', 'notification', 'inventory', 'auth', 'basic', 'travel', 'food', 'consign', 'assurance', 'contacts', 'security', 'config', 'preserve', 'rebook', 'cancel', 'admin', 'voucher', 'delivery', 'catalog', 'review', 'search', 'cart', 'shipping'];
  const events = Math.max(1, Math.round(elements * 0.15));
  const stores = Math.max(1, Math.round(elements * 0.25));
  const services = Math.max(2, elements - events - stores);
  const name = (i: number) => (i === 0 ? 'ts-gateway' : `ts-${words[i % words.length]}${i >= words.length ? `-${Math.floor(i / words.length) + 1}` : ''}-service`);
  const layer = (i: number) => (i === 0 ? 0 : i < 1 + services * 0.25 ? 1 : i < 1 + services * 0.6 ? 2 : 3);
  const lines = [`topology: generated-${elements}-elements`, 'defaults:', '  timeout: 1s', '  availability: 99.9%', 'services:'];
  const eventName = (k: number) => `${words[(k * 7) % words.length]}-${k}-changed`;
  for (let i = 0; i < services; i++) {
    lines.push(`  ${name(i)}:`);
    if (i === 0) lines.push('    kind: gateway', '    exposure: external');
    const below = [...Array(services).keys()].filter((j) => layer(j) === layer(i) + 1);
    const calls = new Set<number>();
    for (let k = 0; k < 1 + Math.floor(rand() * 3) && below.length; k++) calls.add(below[Math.floor(rand() * below.length)]);
    if (i === 0) for (const j of below) calls.add(j);
    if (calls.size) {
      lines.push('    calls:');
      for (const j of calls) lines.push(`      - to: ${name(j)}`, `        protocol: ${rand() < 0.7 ? 'http' : 'grpc'}`, `        timeout: ${[900, 600, 300][layer(i)] ?? 200}ms`);
    }
    const published = [...Array(events).keys()].filter((k) => k % services === i);
    if (published.length) {
      lines.push('    publishes:');
      for (const k of published) lines.push(`      - event: ${eventName(k)}`, '        delivery: outbox');
    }
    const consumed = [...Array(events).keys()].filter((k) => (k + 1) % services === i || (k * 3 + 2) % services === i);
    if (consumed.length) {
      lines.push('    subscribes:');
      for (const k of consumed) lines.push(`      - event: ${eventName(k)}`);
    }
    const owned = [...Array(stores).keys()].filter((s) => (s + 1) % services === i);
    if (owned.length) {
      lines.push('    uses:');
      for (const s of owned) lines.push(`      - store: ts-${words[(s + 1) % words.length]}-${s}-db`, '        access: readwrite');
    }
  }
  lines.push('datastores:');
  for (let s = 0; s < stores; s++) lines.push(`  ts-${words[(s + 1) % words.length]}-${s}-db:`, `    technology: ${['mysql', 'mongodb', 'redis'][s % 3]}`, `    owner: ${name((s + 1) % services)}`);
  lines.push('events:');
  for (let k = 0; k < events; k++) lines.push(`  ${eventName(k)}:`, '    broker: kafka');
  return lines.join('\n') + '\n';
}

/**
 * One seeded keystroke on a generated topology, as the editor's tests type them: a digit after a
 * `description: ` (with probability `descriptionShare`) or a `timeout: ` (up to 0.7 in all), else a new
 * line after a line break or (from 0.85) that line deleted, at a place `rand` picks.
 */
export function typeKeystroke(text: string, rand: () => number, descriptionShare: number): string {
  const pick = rand();
  const anchor = pick < descriptionShare ? 'description: ' : pick < 0.7 ? 'timeout: ' : '\n';
  let at = text.indexOf(anchor, Math.floor(rand() * text.length));
  if (at < 0) at = text.indexOf(anchor);
  at += anchor.length;
  const lineEnd = text.indexOf('\n', at);
  return pick < 0.7 ? `${text.slice(0, at)}${Math.floor(rand() * 10)}${text.slice(at)}` : pick < 0.85 ? `${text.slice(0, at)}\n${text.slice(at)}` : `${text.slice(0, at)}${text.slice(lineEnd + 1)}`;
}
