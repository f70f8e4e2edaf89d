/**
 * A seeded generator of OTLP JSON traces (the collector file exporter's JSON Lines) from a small
 * topology: every request enters at a service nobody calls and runs the calls (perRequest times,
 * concurrently when parallel), the store accesses and the publishes of each service it reaches. Used by
 * the round-trip test and by `npm run bench:import`.
 */
import { rng as prng } from '../fuzz/harness';

export interface GenCall {
  readonly to: string;
  readonly style?: 'sync' | 'async';
  readonly perRequest?: number;
  readonly parallel?: boolean;
  readonly protocol?: 'grpc' | 'http';
}

export interface GenService {
  readonly calls?: readonly GenCall[];
  readonly publishes?: readonly string[];
  readonly subscribes?: readonly string[];
  readonly uses?: readonly { readonly store: string; readonly access: 'read' | 'write' | 'readwrite'; readonly system?: string }[];
}

export type GenTopology = ReadonlyMap<string, GenService>;

interface Span {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  start: number;
  end: number;
  attributes: [string, string][];
}

export class OtlpGenerator {
  private readonly rnd: () => number;
  private readonly entries: string[];
  private readonly subscribers = new Map<string, string[]>();

  constructor(
    private readonly topology: GenTopology,
    seed: number,
  ) {
    this.rnd = prng(seed);
    const called = new Set<string>();
    for (const s of topology.values()) for (const c of s.calls ?? []) called.add(c.to);
    for (const [id, s] of topology) for (const e of s.subscribes ?? []) this.subscribers.set(e, [...(this.subscribers.get(e) ?? []), id]);
    this.entries = [...topology.keys()].filter((id) => !called.has(id) && !(topology.get(id)!.subscribes ?? []).length);
  }

  private hex(n: number): string {
    let s = '';
    while (s.length < n) s += Math.floor(this.rnd() * 0x100000000).toString(16).padStart(8, '0');
    return s.slice(0, n);
  }

  /** One trace as one line of OTLP JSON, starting at the `i`th entry (round robin). */
  trace(i: number, t0 = 1_700_000_000_000_000): string {
    const spans: Span[] = [];
    const traceId = this.hex(32);
    const entry = this.entries[i % this.entries.length];
    const span = (service: string, kind: number, parent: string | undefined, name: string, start: number, attributes: [string, string][] = []): Span => {
      const s: Span = { service, traceId, spanId: this.hex(16), parentSpanId: parent, name, kind, start, end: start, attributes };
      spans.push(s);
      return s;
    };
    // Runs a service's work for one request under `parent` from `start`; returns when it ends (µs).
    const work = (service: string, parent: Span, start: number, depth: number): number => {
      const s = this.topology.get(service) ?? {};
      let t = start + 50 + Math.floor(this.rnd() * 50);
      if (depth > 12) return t;
      const one = (c: GenCall, at: number): number => {
        if (c.style === 'async') {
          const p = span(service, 4, parent.spanId, `${c.to}-requests send`, at, [['messaging.system', 'rabbitmq'], ['messaging.destination.name', `${c.to}-requests`], ['peer.service', c.to]]);
          p.end = at + 20;
          const cons = span(c.to, 5, p.spanId, `${c.to}-requests process`, at + 200, [['messaging.system', 'rabbitmq'], ['messaging.destination.name', `${c.to}-requests`]]);
          cons.end = work(c.to, cons, cons.start, depth + 1);
          return p.end;
        }
        const attrs: [string, string][] = c.protocol === 'grpc' ? [['rpc.system', 'grpc'], ['rpc.service', c.to]] : [['http.request.method', 'GET'], ['server.address', c.to]];
        const cl = span(service, 3, parent.spanId, `call ${c.to}`, at, attrs);
        const sv = span(c.to, 2, cl.spanId, `serve ${c.to}`, at + 100, c.protocol === 'grpc' ? [['rpc.system', 'grpc']] : [['http.request.method', 'GET']]);
        sv.end = work(c.to, sv, sv.start, depth + 1) + 10;
        cl.end = sv.end + 100;
        return cl.end;
      };
      const calls = s.calls ?? [];
      let parallelEnd = t;
      for (const c of calls.filter((x) => x.parallel)) for (let k = 0; k < (c.perRequest ?? 1); k++) parallelEnd = Math.max(parallelEnd, one(c, t));
      t = parallelEnd + 10;
      for (const c of calls.filter((x) => !x.parallel)) for (let k = 0; k < (c.perRequest ?? 1); k++) t = one(c, t) + 10;
      for (const u of s.uses ?? []) {
        const ops = u.access === 'read' ? ['SELECT'] : u.access === 'write' ? ['INSERT'] : ['SELECT', 'UPDATE'];
        for (const op of ops) {
          const d = span(service, 3, parent.spanId, `${op} ${u.store}`, t, [['db.system.name', u.system ?? 'postgresql'], ['db.namespace', u.store], ['db.operation.name', op], ['db.query.text', `${op} * FROM t WHERE id = $1`]]);
          d.end = t + 300 + Math.floor(this.rnd() * 300);
          t = d.end + 10;
        }
      }
      for (const e of s.publishes ?? []) {
        const p = span(service, 4, parent.spanId, `${e} publish`, t, [['messaging.system', 'kafka'], ['messaging.destination.name', e], ['messaging.operation.type', 'send']]);
        p.end = t + 30;
        t = p.end + 10;
        for (const sub of this.subscribers.get(e) ?? []) {
          const cons = span(sub, 5, p.spanId, `${e} process`, t + 500, [['messaging.system', 'kafka'], ['messaging.destination.name', e], ['messaging.operation.type', 'process']]);
          cons.end = work(sub, cons, cons.start, depth + 1);
        }
      }
      return t + 20;
    };
    const root = span(entry, 2, undefined, `GET /${entry}`, t0 + i * 1_000_000, [['http.request.method', 'GET'], ['http.route', '/']]);
    root.end = work(entry, root, root.start, 0);
    return toOtlpLine(spans);
  }
}

function toOtlpLine(spans: readonly Span[]): string {
  const byService = new Map<string, Span[]>();
  for (const s of spans) byService.set(s.service, [...(byService.get(s.service) ?? []), s]);
  const resourceSpans = [...byService].map(([service, list]) => ({
    resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
    scopeSpans: [
      {
        scope: { name: 'topolint-test' },
        spans: list.map((s) => ({
          traceId: s.traceId,
          spanId: s.spanId,
          ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
          name: s.name,
          kind: s.kind,
          startTimeUnixNano: `${Math.round(s.start)}000`,
          endTimeUnixNano: `${Math.round(s.end)}000`,
          attributes: s.attributes.map(([key, v]) => ({ key, value: { stringValue: v } })),
          status: {},
        })),
      },
    ],
  }));
  return JSON.stringify({ resourceSpans });
}
