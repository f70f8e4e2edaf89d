/**
 * Traces to a topology. Each file is read as a stream of chunks through a streaming JSON parser that
 * hands over one span at a time (OTLP JSON as the collector's file exporter writes it, one object per
 * line or one whole object; Jaeger JSON; Zipkin v2 JSON), so a file is never held whole. Each span is
 * kept as a small record (ids, service, kind, times, the few attributes that matter); once every file is
 * read, the spans of each trace are linked and turned into calls, events, store uses, per-request counts,
 * latencies and parallelism. See docs/import/traces.md.
 */
import { JSONParser } from '@streamparser/json';
import { storeKindForSystem } from './known';
import { addCall, addService, addUse, assignOwners, emptyModel, toId, type Access, type ImportModel } from './model';

/** OTLP's span kinds (the JSON integers). */
const enum Kind {
  Unspecified = 0,
  Internal = 1,
  Server = 2,
  Client = 3,
  Producer = 4,
  Consumer = 5,
}

/** The resource block (OTLP) or trace (Jaeger) a span's service comes from, filled in when it is read. */
interface Block {
  service?: string;
  /** Jaeger: processID → service name. */
  processes?: Map<string, string>;
}

interface SpanRec {
  readonly trace: string;
  id: string;
  parent?: string;
  readonly links?: string[];
  service: string | undefined;
  readonly block?: Block;
  readonly processId?: string;
  readonly kind: Kind;
  readonly start: number;
  readonly end: number;
  readonly peer?: string;
  readonly dbSystem?: string;
  readonly dbName?: string;
  readonly access?: Access;
  readonly dest?: string;
  readonly msgSystem?: string;
  readonly protocol?: string;
  readonly shared?: boolean;
}

type Attrs = Map<string, string>;

const own = (o: unknown, k: string): unknown => (o !== null && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, k) ? (o as Record<string, unknown>)[k] : undefined);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);

/** Interns strings that repeat across spans (service names, attribute values) to keep records small. */
class Interner {
  private readonly map = new Map<string, string>();
  get(s: string | undefined): string | undefined {
    if (s === undefined) return undefined;
    if (s.length > 512) s = s.slice(0, 512);
    const v = this.map.get(s);
    if (v !== undefined) return v;
    if (this.map.size < 100_000) this.map.set(s, s);
    return s;
  }
}

/** Nanoseconds (a decimal string, or a number) to microseconds. */
function nanosToMicros(v: unknown): number {
  if (typeof v === 'number') return v / 1000;
  if (typeof v !== 'string' || !/^\d{1,25}$/.test(v)) return 0;
  return v.length > 3 ? Number(v.slice(0, -3)) : 0;
}

const READ_VERBS = /^(select|get|mget|hget|hgetall|hmget|find|findone|findmany|aggregate|count|exists|scan|query|search|read|lrange|smembers|zrange|keys|fetch|describe|show|ttl|getrange|sscan|hscan|zscan)\b/i;
const WRITE_VERBS = /^(insert|update|delete|upsert|replace|merge|set|setex|hset|hmset|del|incr|incrby|decr|expire|lpush|rpush|sadd|zadd|put|write|save|create|drop|alter|truncate|insertone|insertmany|updateone|updatemany|deleteone|deletemany|bulk|index|copy|call)\b/i;

/** read or write from the operation name or the query's first word; readwrite when neither says. */
function accessOf(op: string | undefined, query: string | undefined): Access {
  for (const s of [op, query]) {
    if (!s) continue;
    const w = s.trim().replace(/^\(+/, '');
    if (/^with\b/i.test(w)) return WRITE_VERBS.test(w.replace(/^with\b[\s\S]*?\)\s*/i, '')) ? 'write' : 'read';
    if (READ_VERBS.test(w)) return 'read';
    if (WRITE_VERBS.test(w)) return 'write';
  }
  return 'readwrite';
}

export interface TraceFormatCounts {
  otlp: number;
  jaeger: number;
  zipkin: number;
}

/** Accumulates spans from any number of trace files; `model()` links them and builds the topology. */
export class TraceImporter {
  private readonly traces = new Map<string, SpanRec[]>();
  private readonly strings = new Interner();
  readonly warnings: string[] = [];
  readonly formats: TraceFormatCounts = { otlp: 0, jaeger: 0, zipkin: 0 };
  spans = 0;

  /** A reader for one file: feed it chunks with `write`, then call `end`. */
  file(name: string): { write(chunk: string | Uint8Array): void; end(): void } {
    let parser: JSONParser | undefined;
    let failed = false;
    const blocks = new WeakMap<object, Block>();
    const blockOf = (o: object): Block => {
      let b = blocks.get(o);
      if (!b) blocks.set(o, (b = {}));
      return b;
    };
    const fail = (e: unknown) => {
      if (!failed) this.warnings.push(`${name}: not valid JSON (${e instanceof Error ? e.message : String(e)}); the spans before the error were kept`);
      failed = true;
    };
    const start = (first: string) => {
      const zipkin = first === '[';
      const paths = zipkin ? ['$.*'] : ['$.resourceSpans.*.resource', '$.resourceSpans.*.scopeSpans.*.spans.*', '$.resourceSpans.*.instrumentationLibrarySpans.*.spans.*', '$.data.*.processes', '$.data.*.spans.*'];
      // keepStack false: a value, once handed over, is dropped from its parent, so memory stays flat.
      // The separator '' reads one JSON value after another (the file exporter's JSON Lines).
      const p = new JSONParser({ paths, keepStack: false, separator: '' });
      p.onError = fail;
      p.onValue = ({ value, key, parent, stack }) => {
        try {
          if (zipkin) {
            this.formats.zipkin++;
            this.zipkinSpan(value);
          } else if (key === 'resource') {
            blockOf(parent as object).service = this.strings.get(attrs(own(value, 'attributes')).get('service.name'));
          } else if (key === 'processes') {
            const b = blockOf(parent as object);
            b.processes = new Map();
            if (value && typeof value === 'object') {
              for (const [pid, proc] of Object.entries(value as object)) {
                const s = text(own(proc, 'serviceName'));
                if (s) b.processes.set(pid, this.strings.get(s)!);
              }
            }
          } else if (stack[1]?.key === 'data') {
            this.formats.jaeger++;
            this.jaegerSpan(value, blockOf(stack[3].value));
          } else {
            this.formats.otlp++;
            this.otlpSpan(value, blockOf(stack[3].value));
          }
        } catch (e) {
          // One malformed span is skipped; the rest of the file is still read.
          this.warnings.push(`${name}: a span was skipped (${e instanceof Error ? e.message : String(e)})`);
        }
      };
      return p;
    };
    const decoder = new TextDecoder();
    return {
      write: (chunk) => {
        if (failed) return;
        if (!parser) {
          const s = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
          const first = /\S/.exec(s.replace(/^\uFEFF/, ''))?.[0];
          if (!first) return;
          if (first !== '[' && first !== '{') {
            fail(new Error(`starts with '${first}', not '{' or '['`));
            return;
          }
          parser = start(first);
          try {
            parser.write(s.replace(/^\uFEFF/, ''));
          } catch (e) {
            fail(e);
          }
          return;
        }
        try {
          parser.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
        } catch (e) {
          fail(e);
        }
      },
      end: () => {
        try {
          if (parser && !failed && !parser.isEnded) parser.end();
        } catch (e) {
          // A file cut short mid-value: what was read before is kept.
          fail(e);
        }
      },
    };
  }

  private add(rec: SpanRec): void {
    if (!rec.trace || !rec.id) return;
    let list = this.traces.get(rec.trace);
    if (!list) this.traces.set(rec.trace, (list = []));
    list.push(rec);
    this.spans++;
  }

  private fromAttrs(trace: string, id: string, parent: string | undefined, kind: Kind, start: number, end: number, a: Attrs, extra: { service?: string; block?: Block; processId?: string; links?: string[]; peer?: string; shared?: boolean }): SpanRec {
    const I = this.strings;
    const dbSystem = a.get('db.system.name') ?? a.get('db.system') ?? a.get('db.type');
    const rpc = a.get('rpc.system');
    const http = a.get('http.request.method') ?? a.get('http.method') ?? a.get('url.full') ?? a.get('http.url') ?? a.get('http.route');
    return {
      trace: I.get(trace)!,
      id,
      parent: parent || undefined,
      links: extra.links,
      service: extra.service,
      block: extra.block,
      processId: extra.processId,
      kind,
      start,
      end,
      peer: I.get(a.get('peer.service') ?? a.get('server.address') ?? a.get('net.peer.name') ?? extra.peer),
      dbSystem: I.get(dbSystem?.toLowerCase()),
      dbName: I.get(a.get('db.namespace') ?? a.get('db.name') ?? a.get('db.instance')),
      access: dbSystem ? accessOf(a.get('db.operation.name') ?? a.get('db.operation'), a.get('db.query.text') ?? a.get('db.statement')) : undefined,
      dest: I.get(a.get('messaging.destination.name') ?? a.get('messaging.destination') ?? a.get('message_bus.destination')),
      msgSystem: I.get(a.get('messaging.system')),
      protocol: rpc ? I.get(rpc === 'grpc' || rpc === 'connect_rpc' ? 'grpc' : rpc) : http ? 'http' : undefined,
      shared: extra.shared,
    };
  }

  private otlpSpan(v: unknown, block: Block): void {
    const a = attrs(own(v, 'attributes'));
    const kindRaw = own(v, 'kind');
    const kind = typeof kindRaw === 'number' ? (kindRaw as Kind) : typeof kindRaw === 'string' ? otlpKindName(kindRaw) : Kind.Unspecified;
    const links: string[] = [];
    const ls = own(v, 'links');
    if (Array.isArray(ls)) for (const l of ls.slice(0, 16)) if (text(own(l, 'spanId'))) links.push(String(own(l, 'spanId')));
    this.add(this.fromAttrs(text(own(v, 'traceId')) ?? '', text(own(v, 'spanId')) ?? '', text(own(v, 'parentSpanId')), kind, nanosToMicros(own(v, 'startTimeUnixNano')), nanosToMicros(own(v, 'endTimeUnixNano')), a, { block, links: links.length ? links : undefined }));
  }

  private jaegerSpan(v: unknown, block: Block): void {
    const tags = new Map<string, string>();
    const t = own(v, 'tags');
    if (Array.isArray(t)) for (const x of t) if (text(own(x, 'key')) && text(own(x, 'value')) !== undefined) tags.set(String(own(x, 'key')), text(own(x, 'value'))!);
    let parent: string | undefined;
    const links: string[] = [];
    const refs = own(v, 'references');
    if (Array.isArray(refs)) {
      for (const r of refs) {
        const id = text(own(r, 'spanID'));
        if (!id) continue;
        if (own(r, 'refType') === 'CHILD_OF' && !parent) parent = id;
        else links.push(id);
      }
    }
    if (!parent && links.length) parent = links.shift();
    const start = Number(own(v, 'startTime')) || 0;
    const duration = Number(own(v, 'duration')) || 0;
    const service = text(own(own(v, 'process'), 'serviceName'));
    this.add(this.fromAttrs(text(own(v, 'traceID')) ?? '', text(own(v, 'spanID')) ?? '', parent, jaegerKind(tags.get('span.kind')), start, start + duration, tags, { block, service: this.strings.get(service), processId: text(own(v, 'processID')), links: links.length ? links : undefined }));
  }

  private zipkinSpan(v: unknown): void {
    const tags = new Map<string, string>();
    const t = own(v, 'tags');
    if (t && typeof t === 'object') for (const [k, x] of Object.entries(t)) if (text(x) !== undefined) tags.set(k, text(x)!);
    const start = Number(own(v, 'timestamp')) || 0;
    const duration = Number(own(v, 'duration')) || 0;
    const kind = jaegerKind(text(own(v, 'kind'))?.toLowerCase());
    const shared = own(v, 'shared') === true && kind === Kind.Server;
    const id = text(own(v, 'id')) ?? '';
    // A shared server span has the client's id: it becomes `id#s`, a child of the client span.
    this.add(this.fromAttrs(text(own(v, 'traceId')) ?? '', shared ? `${id}#s` : id, shared ? id : text(own(v, 'parentId')), kind, start, start + duration, tags, { service: this.strings.get(text(own(own(v, 'localEndpoint'), 'serviceName'))), peer: text(own(own(v, 'remoteEndpoint'), 'serviceName')), shared }));
  }

  /** Links the spans of every trace and builds the topology. */
  model(): ImportModel {
    return buildModel(this.traces, this.warnings);
  }
}

function otlpKindName(s: string): Kind {
  const k = s.replace(/^SPAN_KIND_/, '').toLowerCase();
  return jaegerKind(k);
}

function jaegerKind(s: string | undefined): Kind {
  switch (s) {
    case 'server':
      return Kind.Server;
    case 'client':
      return Kind.Client;
    case 'producer':
      return Kind.Producer;
    case 'consumer':
      return Kind.Consumer;
    case 'internal':
      return Kind.Internal;
    default:
      return Kind.Unspecified;
  }
}

/** OTLP attributes (`[{ key, value: { stringValue | intValue | … } }]`) as strings. */
function attrs(v: unknown): Attrs {
  const m: Attrs = new Map();
  if (!Array.isArray(v)) return m;
  for (const a of v) {
    const key = text(own(a, 'key'));
    const val = own(a, 'value');
    if (!key || !val) continue;
    const s = text(own(val, 'stringValue')) ?? text(own(val, 'intValue')) ?? text(own(val, 'doubleValue')) ?? text(own(val, 'boolValue'));
    if (s !== undefined) m.set(key, s);
  }
  return m;
}

interface EdgeStats {
  /** Calls per incoming request, one entry per request that made the call. */
  readonly perEntry: number[];
  readonly durations: number[];
  overlapping: number;
  count: number;
  readonly traces: Set<string>;
}

function quantile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function ms(micros: number): string {
  const v = micros / 1000;
  return v >= 100 ? `${Math.round(v)}ms` : `${Number(v.toPrecision(2))}ms`;
}

function buildModel(traces: Map<string, SpanRec[]>, warnings: string[]): ImportModel {
  const m = emptyModel();
  m.traces = traces.size;
  m.warnings.push(...warnings);
  const serviceName = (s: SpanRec): string | undefined => s.service ?? (s.processId ? s.block?.processes?.get(s.processId) : undefined) ?? s.block?.service;
  // Every service that has spans of its own: a peer address that names one of them is that service.
  const known = new Map<string, string>();
  for (const spans of traces.values()) {
    for (const s of spans) {
      s.service = serviceName(s);
      if (s.service && !known.has(s.service.toLowerCase())) known.set(s.service.toLowerCase(), s.service);
    }
  }
  const peerService = (peer: string): string => {
    const p = peer.toLowerCase().replace(/:\d+$/, '');
    return known.get(p) ?? known.get(p.split('.')[0]) ?? peer.replace(/:\d+$/, '');
  };
  const svc = (name: string, how: string) => addService(m, toId(name), how);
  const edges = new Map<string, EdgeStats>();
  const edgeKey = (a: string, b: string, style: string) => `${a}\u0000${b}\u0000${style}`;
  const stats = (k: string): EdgeStats => {
    let e = edges.get(k);
    if (!e) edges.set(k, (e = { perEntry: [], durations: [], overlapping: 0, count: 0, traces: new Set() }));
    return e;
  };

  for (const [traceId, spans] of traces) {
    const byId = new Map<string, SpanRec>();
    for (const s of spans) byId.set(s.id, s);
    const children = new Map<string, SpanRec[]>();
    for (const s of spans) {
      let p = s.parent;
      if (!p) continue;
      // Zipkin: a child of a shared id belongs to the server half when it runs in the server's service.
      const sharedServer = byId.get(`${p}#s`);
      if (sharedServer && s !== sharedServer && sharedServer.service === s.service) p = s.parent = sharedServer.id;
      let list = children.get(p);
      if (!list) children.set(p, (list = []));
      list.push(s);
    }
    // The request a span works for: the nearest SERVER or CONSUMER span above it in the same service.
    // Every span on the walk gets the answer too, so a deep trace is walked once, not once per span.
    const entries = new Map<SpanRec, SpanRec>();
    const entryOf = (s: SpanRec): SpanRec => {
      const walked: SpanRec[] = [];
      let cur = s;
      let found: SpanRec | undefined;
      for (let i = 0; i < 100_000; i++) {
        const known = cur !== s ? entries.get(cur) : undefined;
        if (known) {
          found = known;
          break;
        }
        if (cur !== s && (cur.kind === Kind.Server || cur.kind === Kind.Consumer)) {
          found = cur;
          break;
        }
        walked.push(cur);
        const p = cur.parent ? byId.get(cur.parent) : undefined;
        // A parent cycle (hostile input) ends the walk where it would repeat.
        if (!p || p.service !== s.service || p === s || walked.length > spans.length) {
          found = cur;
          break;
        }
        cur = p;
      }
      const e = found ?? cur;
      // Spans above `s` on the walk share its answer unless they are entries themselves.
      for (const w of walked) if (w === s || (w.kind !== Kind.Server && w.kind !== Kind.Consumer)) entries.set(w, e);
      return e;
    };
    const perEntry = new Map<SpanRec, Map<string, number>>();
    const callSpans = new Map<SpanRec, string>();
    const count = (s: SpanRec, key: string) => {
      const e = entryOf(s);
      let mm = perEntry.get(e);
      if (!mm) perEntry.set(e, (mm = new Map()));
      mm.set(key, (mm.get(key) ?? 0) + 1);
      const st = stats(key);
      st.count++;
      st.durations.push(Math.max(0, s.end - s.start));
      st.traces.add(traceId);
      callSpans.set(s, key);
    };
    const consumersOf = new Map<string, SpanRec[]>();
    for (const s of spans) {
      if (s.kind !== Kind.Consumer) continue;
      for (const p of [s.parent, ...(s.links ?? [])]) {
        if (!p) continue;
        let list = consumersOf.get(p);
        if (!list) consumersOf.set(p, (list = []));
        list.push(s);
      }
    }
    for (const s of spans) {
      if (!s.service) continue;
      const a = svc(s.service, `traces: service.name ${s.service}`);
      if (s.kind === Kind.Server && !s.parent) a.exposure = 'external';
      if (s.dbSystem && (s.kind === Kind.Client || s.kind === Kind.Internal || s.kind === Kind.Unspecified)) {
        const id = toId(s.dbName ? s.dbName : s.dbSystem);
        if (!m.datastores.has(id)) m.datastores.set(id, { id, kind: storeKindForSystem(s.dbSystem), technology: s.dbSystem, from: `traces: db.system ${s.dbSystem}${s.dbName ? `, db ${s.dbName}` : ''}` });
        addUse(a, id, s.access ?? 'readwrite', `traces: ${s.dbSystem} spans of ${s.service}`);
        continue;
      }
      if (s.kind === Kind.Client) {
        const servers = (children.get(s.id) ?? []).filter((c) => c.kind === Kind.Server && c.service && c.service !== s.service);
        const targets = servers.length ? [...new Set(servers.map((c) => c.service!))] : s.peer ? [peerService(s.peer)] : [];
        for (const t of targets) {
          const b = svc(t, servers.length ? `traces: service.name ${t}` : `traces: peer of ${s.service} (no spans of its own)`);
          if (b.id === a.id) continue;
          const c = addCall(a, b.id, 'traces: CLIENT → SERVER spans', 'sync', s.protocol ?? servers.find((x) => x.protocol)?.protocol);
          if (!servers.length && !c.notes.includes('resolved from the peer address')) c.notes.push('resolved from the peer address');
          count(s, edgeKey(a.id, b.id, 'sync'));
        }
      } else if (s.kind === Kind.Producer) {
        const consumers = (consumersOf.get(s.id) ?? []).filter((c) => c.service);
        // A message addressed to one service (the producer names it in peer.service) is an async call;
        // any other destination is an event.
        const addressed = s.peer ? consumers.filter((c) => c.service!.toLowerCase() === peerService(s.peer!).toLowerCase()) : [];
        if (addressed.length) {
          const b = svc(addressed[0].service!, `traces: service.name ${addressed[0].service}`);
          if (b.id !== a.id) {
            addCall(a, b.id, 'traces: PRODUCER → CONSUMER spans addressed by peer.service', 'async', s.msgSystem);
            count(s, edgeKey(a.id, b.id, 'async'));
          }
          for (const c of addressed) (c as { addressed?: boolean }).addressed = true;
        } else if (s.dest) {
          const ev = toId(s.dest);
          if (!m.events.has(ev)) m.events.set(ev, { id: ev, broker: s.msgSystem, from: `traces: messaging.destination ${s.dest}` });
          if (!a.publishes.has(ev)) a.publishes.set(ev, { event: ev, from: 'traces: PRODUCER spans' });
        }
      }
    }
    for (const s of spans) {
      if (s.kind !== Kind.Consumer || !s.service || (s as { addressed?: boolean }).addressed) continue;
      const producer = s.parent ? byId.get(s.parent) : undefined;
      const dest = s.dest ?? (producer?.kind === Kind.Producer ? producer.dest : undefined);
      if (!dest) continue;
      if (producer?.kind === Kind.Producer && producer.peer && producer.service && svc(producer.service, '').calls.get(toId(s.service))?.style === 'async') continue;
      const ev = toId(dest);
      if (!m.events.has(ev)) m.events.set(ev, { id: ev, broker: s.msgSystem, from: `traces: messaging.destination ${dest}` });
      const b = svc(s.service, `traces: service.name ${s.service}`);
      if (!b.subscribes.has(ev)) b.subscribes.set(ev, { event: ev, from: 'traces: CONSUMER spans' });
    }
    for (const counts of perEntry.values()) for (const [k, n] of counts) stats(k).perEntry.push(n);
    // Calls whose span overlaps a sibling call's span (same parent) run in parallel.
    const byParent = new Map<string, SpanRec[]>();
    for (const s of callSpans.keys()) {
      const p = s.parent ?? '';
      let list = byParent.get(p);
      if (!list) byParent.set(p, (list = []));
      list.push(s);
    }
    for (const group of byParent.values()) {
      if (group.length < 2) continue;
      group.sort((x, y) => x.start - y.start);
      const overlaps = new Set<SpanRec>();
      let maxEnd = group[0].end;
      let maxAt = group[0];
      for (let i = 1; i < group.length; i++) {
        const g = group[i];
        if (g.start < maxEnd) {
          overlaps.add(g);
          overlaps.add(maxAt);
        }
        if (g.end > maxEnd) {
          maxEnd = g.end;
          maxAt = g;
        }
      }
      for (const s of overlaps) stats(callSpans.get(s)!).overlapping++;
    }
  }

  for (const s of m.services.values()) {
    for (const c of s.calls.values()) {
      const st = edges.get(edgeKey(s.id, c.to, c.style));
      if (!st) continue;
      const per = [...st.perEntry].sort((x, y) => x - y);
      const median = per.length ? per[Math.floor((per.length - 1) / 2)] : 1;
      const max = per.length ? per[per.length - 1] : 1;
      c.perRequest = Math.max(1, median);
      c.count = st.count;
      c.traces = st.traces.size;
      c.parallel = st.count > 0 && st.overlapping * 2 > st.count;
      const d = [...st.durations].sort((x, y) => x - y);
      c.notes.push(`${st.count} calls in ${st.traces.size} traces`);
      if (max > c.perRequest) c.notes.push(`up to ${max} per request`);
      c.notes.push(`p50 ${ms(quantile(d, 0.5))}, p99 ${ms(quantile(d, 0.99))}`);
    }
  }
  assignOwners(m);
  return m;
}
