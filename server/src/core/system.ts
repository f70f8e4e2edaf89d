/**
 * The system: every file's model merged into one graph, with the indexes rules share. Built once per
 * analysis in linear time; rules read it and never mutate it.
 */
import type { Call, Datastore, Flow, Publish, Service, Subscribe, Topology, TopologyEvent, Use } from './model';
import { Models } from './models';
import { bestPaths, longestPaths, pathOf, stronglyConnected, type Digraph, type Paths } from './graph';

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
  /**
   * The calls, publications, subscriptions and uses that carry `accept` entries, in the services' order:
   * unknown-reference checks their rule ids without walking every item. Only the services of
   * serviceList are walked, so a later definition of a service id (see duplicates) adds none.
   */
  readonly itemAccepts: (Call | Publish | Subscribe | Use)[] = [];

  /** Services with a dense index, for the graph algorithms. */
  readonly serviceList: Service[] = [];
  readonly indexOf = new Map<Service, number>();
  /** Sync call graph: edges to defined services other than the caller, one per distinct callee. */
  readonly syncGraph: Digraph;
  /** The first sync call from each service to each distinct callee, aligned with syncGraph.succ. */
  readonly syncEdgeCalls: Call[][];

  // What the system derives on first use. These read only the graph: ids, references, styles, exposure,
  // flows (`revalued` shares them).
  private syncScc?: ReturnType<typeof stronglyConnected>;
  private chains?: Paths;
  private entryList?: Service[];
  private userReach?: Set<Service>;
  private interactions?: ReturnType<System['interactionGraph']>;
  /** What reads the values a kept model may take in place (stable.ts VALUE_KEYS); `revalued` drops it. */
  private values: { models?: Models; retries?: Paths } = {};
  /**
   * The only file, when there is one: every element's defaults are its defaults, read without the
   * element's uri (a service's fields are read megamorphically, services being built with many hidden
   * classes, and the three lookups below run for every call and service in several models).
   */
  private readonly single?: Topology;

  constructor(readonly files: readonly Topology[]) {
    if (files.length === 1) this.single = files[0];
    for (const file of files) {
      this.fileOf.set(file.uri, file);
      const add = <T extends Service | Datastore | TopologyEvent | Flow>(map: Map<string, T>, list: readonly T[], kind: string) => {
        for (let i = 0; i < list.length; i++) {
          const el = list[i];
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
    // Which callees a service already has an edge to: stamped with the service's index + 1, one array for
    // every service instead of a set each.
    const seen = new Int32Array(this.serviceList.length);
    for (let v = 0; v < this.serviceList.length; v++) {
      const s = this.serviceList[v];
      const out: number[] = [];
      const calls: Call[] = [];
      for (let k = 0; k < s.calls.length; k++) {
        const c = s.calls[k];
        push(this.callsTo, c.to.id, c);
        if (c.accepts.length) this.itemAccepts.push(c);
        if (c.style !== 'sync') continue;
        const target = this.services.get(c.to.id);
        if (!target || target === s) continue;
        const t = this.indexOf.get(target)!;
        if (seen[t] === v + 1) continue;
        seen[t] = v + 1;
        out.push(t);
        calls.push(c);
      }
      succ.push(out);
      this.syncEdgeCalls.push(calls);
      for (let k = 0; k < s.publishes.length; k++) {
        const p = s.publishes[k];
        push(this.publishersOf, p.event.id, p);
        if (p.accepts.length) this.itemAccepts.push(p);
      }
      for (let k = 0; k < s.subscribes.length; k++) {
        const sub = s.subscribes[k];
        push(this.subscribersOf, sub.event.id, sub);
        if (sub.accepts.length) this.itemAccepts.push(sub);
      }
      for (let k = 0; k < s.uses.length; k++) {
        const u = s.uses[k];
        push(this.usersOf, u.store.id, u);
        if (u.accepts.length) this.itemAccepts.push(u);
      }
    }
    this.syncGraph = { size: this.serviceList.length, succ };
  }

  /** The shared models (worst-case wait, availability, system of record), computed once on first use. */
  models(): Models {
    return (this.values.models ??= new Models(this));
  }

  /**
   * This system for the same model after some of its values changed in place (stable.ts VALUE_KEYS: a
   * timeout or retries typed, the elements kept): the indexes and the graph's caches are shared, since
   * the graph is the same, and what reads the values (the models, the retry products) is made again on
   * first use. An edit the model did not keep gets a new System.
   */
  revalued(): System {
    const s = Object.create(System.prototype) as System;
    Object.assign(s, this);
    s.values = {};
    return s;
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

  /** Longest sync chains from every service (graph.longestPaths over the sync graph's components). */
  syncChains(): Paths {
    return (this.chains ??= longestPaths(this.syncGraph, this.syncComponents()));
  }

  /** The sync chain that starts at a service, as services and the calls between them. */
  chainFrom(s: Service): { services: Service[]; calls: Call[] } {
    return this.pathFrom(s, this.syncChains());
  }

  /** Follows best paths of the sync graph (from graph.bestPaths) from a service. */
  pathFrom(s: Service, paths: Paths): { services: Service[]; calls: Call[] } {
    const nodes = pathOf(paths, this.indexOf.get(s)!);
    const services = nodes.map((v) => this.serviceList[v]);
    const calls: Call[] = [];
    for (let i = 0; i + 1 < nodes.length; i++) {
      const v = nodes[i];
      calls.push(this.syncEdgeCalls[v][this.syncGraph.succ[v].indexOf(nodes[i + 1])]);
    }
    return { services, calls };
  }

  /** Attempts multiplied along sync chains: the product of (retries + 1) per hop. */
  retryProducts(): Paths {
    return (this.values.retries ??= bestPaths(
      this.syncGraph,
      this.syncComponents(),
      (v, k) => this.retriesOf(this.syncEdgeCalls[v][k]) + 1,
      (edge, rest) => edge * rest,
      1,
    ));
  }

  /** Distinct services that call `s` synchronously (itself excluded). */
  syncCallers(s: Service): Service[] {
    const out: Service[] = [];
    const seen = new Set<Service>();
    for (const c of this.callsTo.get(s.id) ?? []) {
      if (c.style !== 'sync' || c.from === s || seen.has(c.from) || this.services.get(c.from.id) !== c.from) continue;
      seen.add(c.from);
      out.push(c.from);
    }
    return out;
  }

  /**
   * Services a user request reaches synchronously (the entries included): from every external service and
   * from every flow's entry (a flow is, by definition, a user request entering there).
   */
  userFacing(): Set<Service> {
    if (this.userReach) return this.userReach;
    const seen = new Set<number>();
    const starts = this.serviceList.filter((s) => s.exposure === 'external');
    for (const f of this.flows.values()) {
      const entry = f.entry && this.services.get(f.entry.value);
      if (entry) starts.push(entry);
    }
    const stack: number[] = [];
    for (const s of starts) {
      const v = this.indexOf.get(s)!;
      if (!seen.has(v)) {
        seen.add(v);
        stack.push(v);
      }
    }
    while (stack.length) {
      const v = stack.pop()!;
      for (const w of this.syncGraph.succ[v]) if (!seen.has(w)) { seen.add(w); stack.push(w); }
    }
    return (this.userReach = new Set([...seen].map((i) => this.serviceList[i])));
  }

  /**
   * Every interaction as a graph edge between services: sync and async calls, and publisher → subscriber
   * for each event. Built on first use, for the mixed-cycle rule.
   */
  interactionGraph(): { graph: Digraph; edges: { from: number; to: number; sync: boolean; call?: Call; publish?: Publish; subscribe?: Subscribe }[][] } {
    if (this.interactions) return this.interactions;
    const edges: { from: number; to: number; sync: boolean; call?: Call; publish?: Publish; subscribe?: Subscribe }[][] = this.serviceList.map(() => []);
    const succ: number[][] = this.serviceList.map(() => []);
    // One edge per pair; a sync call wins, since a cycle through it is the one that blocks. The edge
    // objects are built only for a new pair or a sync call replacing another kind (no spread per edge).
    // Where w already is in v's list: slot[w], valid while mark[w] is v + 1 (edges from v are all added
    // while v is the service in hand). A list search per edge was quadratic in a service's degree (one
    // event with thousands of subscribers).
    const mark = new Int32Array(this.serviceList.length);
    const slot = new Int32Array(this.serviceList.length);
    const add = (v: number, w: number, sync: boolean, call?: Call, publish?: Publish, subscribe?: Subscribe) => {
      if (v === w) return;
      if (mark[w] === v + 1) {
        const k = slot[w];
        if (sync && !edges[v][k].sync) edges[v][k] = edge(v, w, sync, call, publish, subscribe);
        return;
      }
      mark[w] = v + 1;
      slot[w] = succ[v].length;
      succ[v].push(w);
      edges[v].push(edge(v, w, sync, call, publish, subscribe));
    };
    for (let v = 0; v < this.serviceList.length; v++) {
      const s = this.serviceList[v];
      for (let k = 0; k < s.calls.length; k++) {
        const c = s.calls[k];
        const t = this.services.get(c.to.id);
        if (t) add(v, this.indexOf.get(t)!, c.style === 'sync', c);
      }
      for (let k = 0; k < s.publishes.length; k++) {
        const p = s.publishes[k];
        const subs = this.subscribersOf.get(p.event.id);
        if (!subs) continue;
        for (let j = 0; j < subs.length; j++) {
          const sub = subs[j];
          const t = this.indexOf.get(sub.from);
          if (t !== undefined) add(v, t, false, undefined, p, sub);
        }
      }
    }
    return (this.interactions = { graph: { size: this.serviceList.length, succ }, edges });
  }

  availabilityOf(s: Service): number {
    return s.availability?.value ?? (this.single ?? this.fileOf.get(s.uri))?.defaults.availability?.value ?? DEFAULT_AVAILABILITY;
  }

  timeoutOf(c: Call): number | undefined {
    return c.timeout?.value ?? (this.single ?? this.fileOf.get(c.from.uri))?.defaults.timeout?.value;
  }

  retriesOf(c: Call): number {
    return c.retries?.value ?? (this.single ?? this.fileOf.get(c.from.uri))?.defaults.retries?.value ?? 0;
  }
}

/** An interaction edge with only the fields it has (as the object spread that built it before left them). */
function edge(from: number, to: number, sync: boolean, call?: Call, publish?: Publish, subscribe?: Subscribe): { from: number; to: number; sync: boolean; call?: Call; publish?: Publish; subscribe?: Subscribe } {
  return call ? { from, to, sync, call } : { from, to, sync, publish, subscribe };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
