/**
 * The system: every file's model merged into one graph, with the indexes rules share. Built once per
 * analysis in linear time; rules read it and never mutate it.
 */
import type { Call, Datastore, Flow, Publish, Service, Subscribe, Topology, TopologyEvent, Use } from './model';
import { longestPaths, stronglyConnected, type Digraph } from './graph';

/** The availability assumed for a service with no slo and no file default. */
export const DEFAULT_AVAILABILITY = 0.999;

export class System {
  readonly services = new Map<string, Service>();
  readonly datastores = new Map<string, Datastore>();
  readonly events = new Map<string, TopologyEvent>();
  readonly flows = new Map<string, Flow>();
  /** Later definitions of an id already taken, for duplicate-id. */
  readonly duplicates: { kind: string; first: { uri: string; idSpan: import('./span').Span }; again: Service | Datastore | TopologyEvent | Flow }[] = [];

  readonly callsTo = new Map<string, Call[]>();
  readonly publishersOf = new Map<string, Publish[]>();
  readonly subscribersOf = new Map<string, Subscribe[]>();
  readonly usersOf = new Map<string, Use[]>();
  readonly fileOf = new Map<string, Topology>();

  /** Services with a dense index, for the graph algorithms. */
  readonly serviceList: Service[] = [];
  readonly indexOf = new Map<Service, number>();
  /** Sync call graph: edges to defined services other than the caller, one per distinct callee. */
  readonly syncGraph: Digraph;
  /** The first sync call from each service to each distinct callee, aligned with syncGraph.succ. */
  readonly syncEdgeCalls: Call[][];

  private syncScc?: ReturnType<typeof stronglyConnected>;
  private chains?: ReturnType<typeof longestPaths>;
  private entryList?: Service[];

  constructor(readonly files: readonly Topology[]) {
    for (const file of files) {
      this.fileOf.set(file.uri, file);
      const add = <T extends Service | Datastore | TopologyEvent | Flow>(map: Map<string, T>, list: readonly T[], kind: string) => {
        for (const el of list) {
          const first = map.get(el.id);
          if (first) this.duplicates.push({ kind, first, again: el });
          else map.set(el.id, el);
        }
      };
      add(this.services, file.services, 'service');
      add(this.datastores, file.datastores, 'datastore');
      add(this.events, file.events, 'event');
      add(this.flows, file.flows, 'flow');
    }
    for (const s of this.services.values()) {
      this.indexOf.set(s, this.serviceList.length);
      this.serviceList.push(s);
    }
    const succ: number[][] = [];
    this.syncEdgeCalls = [];
    for (const s of this.serviceList) {
      const out: number[] = [];
      const calls: Call[] = [];
      const seen = new Set<number>();
      for (const c of s.calls) {
        push(this.callsTo, c.to.id, c);
        if (c.style !== 'sync') continue;
        const target = this.services.get(c.to.id);
        if (!target || target === s) continue;
        const t = this.indexOf.get(target)!;
        if (seen.has(t)) continue;
        seen.add(t);
        out.push(t);
        calls.push(c);
      }
      succ.push(out);
      this.syncEdgeCalls.push(calls);
      for (const p of s.publishes) push(this.publishersOf, p.event.id, p);
      for (const sub of s.subscribes) push(this.subscribersOf, sub.event.id, sub);
      for (const u of s.uses) push(this.usersOf, u.store.id, u);
    }
    this.syncGraph = { size: this.serviceList.length, succ };
  }

  /** The file a service, call or other element is defined in. */
  file(uri: string): Topology | undefined {
    return this.fileOf.get(uri);
  }

  /** Strongly connected components of the sync call graph. */
  syncComponents(): ReturnType<typeof stronglyConnected> {
    return (this.syncScc ??= stronglyConnected(this.syncGraph));
  }

  /**
   * Where user requests enter: the flows' entries when the system has flows; otherwise every external
   * service and every service nobody calls (docs/dsl.md "Flows").
   */
  entries(): Service[] {
    if (this.entryList) return this.entryList;
    const out: Service[] = [];
    const seen = new Set<Service>();
    const flows = [...this.flows.values()];
    if (flows.length) {
      for (const f of flows) {
        const s = f.entry ? this.services.get(f.entry.value) : undefined;
        if (s && !seen.has(s)) {
          seen.add(s);
          out.push(s);
        }
      }
    } else {
      for (const s of this.serviceList) {
        const callers = (this.callsTo.get(s.id) ?? []).filter((c) => c.from !== s);
        if (s.exposure === 'external' || callers.length === 0) out.push(s);
      }
    }
    return (this.entryList = out);
  }

  /** Longest sync chains (see graph.longestPaths), searched from the entries first. */
  syncChains(): ReturnType<typeof longestPaths> {
    return (this.chains ??= longestPaths(this.syncGraph, this.entries().map((s) => this.indexOf.get(s)!)));
  }

  /** The sync chain that starts at a service, as services and the calls between them. */
  chainFrom(s: Service): { services: Service[]; calls: Call[] } {
    const { next } = this.syncChains();
    const services = [s];
    const calls: Call[] = [];
    let v = this.indexOf.get(s)!;
    while (next[v] >= 0 && services.length <= this.serviceList.length) {
      const w = next[v];
      const k = this.syncGraph.succ[v].indexOf(w);
      calls.push(this.syncEdgeCalls[v][k]);
      services.push(this.serviceList[w]);
      v = w;
    }
    return { services, calls };
  }

  availabilityOf(s: Service): number {
    return s.availability?.value ?? this.fileOf.get(s.uri)?.defaults.availability?.value ?? DEFAULT_AVAILABILITY;
  }

  timeoutOf(c: Call): number | undefined {
    return c.timeout?.value ?? this.fileOf.get(c.from.uri)?.defaults.timeout?.value;
  }

  retriesOf(c: Call): number {
    return c.retries?.value ?? this.fileOf.get(c.from.uri)?.defaults.retries?.value ?? 0;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
