/**
 * The shared models of revision 2 (docs/dsl.md "How waits and availability are measured"), computed once
 * per analysis and used by every rule, the summary card and the preview, so no two of them can disagree:
 *
 * - the worst-case wait of a service: what a caller of it may wait at most;
 * - the availability of a service over everything it waits on synchronously, each service counted once;
 * - whether a store a service writes is its system of record (a cache is a copy only when its writer also
 *   writes a store that is not a cache).
 *
 * Everything is iterative (no recursion on user data) and near-linear: the waits are memoised over the
 * strongly connected components of the graph of calls without a timeout, and the availabilities are one
 * breadth-first search per service asked for, within a work budget for the whole analysis.
 */
import { stronglyConnected } from './graph';
import type { Call, Datastore, Service, Topology, Use } from './model';

/**
 * What the models read of the merged system (system.ts, which owns the models; an interface here so that
 * the two modules do not import each other).
 */
export interface ModelSource {
  readonly files: readonly Topology[];
  readonly serviceList: readonly Service[];
  readonly services: ReadonlyMap<string, Service>;
  readonly datastores: ReadonlyMap<string, Datastore>;
  readonly indexOf: ReadonlyMap<Service, number>;
  retriesOf(c: Call): number;
  timeoutOf(c: Call): number | undefined;
  availabilityOf(s: Service): number;
}

/** Items assumed for `perRequest: n` when `defaults.assumedN` does not say. */
export const DEFAULT_ASSUMED_N = 5;

/** A fallback that begins with TODO is a placeholder someone still has to write: it describes nothing. */
export function describesFallback(c: Call): boolean {
  const text = c.fallback?.value.trim();
  return !!text && !/^todo\b/i.test(text);
}

/** One term of a service's worst-case wait: a call and what it may cost. */
export interface WaitTerm {
  readonly call: Call;
  /** perRequest × attempts × (timeout, or the callee's own worst-case wait); Infinity when unbounded. */
  readonly cost: number;
  /** Whether the cost is capped by the call's timeout (its own or the file's default). */
  readonly capped: boolean;
}

export interface Availability {
  /** The product of the service's own availability and that of every service it depends on. */
  readonly value: number;
  /** The service and every service it depends on, each once, in breadth-first order. */
  readonly services: readonly Service[];
  /** The calls that make the dependencies (sync, no described fallback), in breadth-first order. */
  readonly calls: readonly Call[];
  /** True when the work budget ran out and the value counts shared dependencies more than once. */
  readonly approximate: boolean;
}

/** Breadth-first work (edges visited) allowed for availabilities, per analysis, beyond a multiple of the graph. */
const AVAILABILITY_WORK = 1_000_000;

export class Models {
  readonly assumedN: number;
  private waits?: Float64Array;
  private readonly avail = new Map<Service, Availability>();
  private work = 0;
  private readonly workBudget: number;
  private approx?: Float64Array;
  /** The dependency graph as indices (built on first use): per service, its dependency calls and callees. */
  private dep?: { calls: Call[][]; to: Int32Array[]; availability: Float64Array };
  /** Visit stamps for the breadth-first searches: one array reused, no set allocated per search. */
  private stamp?: Int32Array;
  private generation = 0;

  constructor(private readonly sys: ModelSource) {
    // The first file's default counts (the file being analysed configures its analysis, as with `rules:`).
    this.assumedN = sys.files[0]?.defaults.assumedN?.value ?? DEFAULT_ASSUMED_N;
    let edges = 0;
    for (const s of sys.serviceList) edges += s.calls.length;
    this.workBudget = AVAILABILITY_WORK + 4 * (sys.serviceList.length + edges);
  }

  /** The callee of a call that counts in the models: sync, to a defined service other than the caller. */
  syncCallee(c: Call): Service | undefined {
    if (c.style !== 'sync') return undefined;
    const t = this.sys.services.get(c.to.id);
    return t && t !== c.from ? t : undefined;
  }

  perRequest(c: Call): number {
    const p = c.perRequest?.value;
    return p === 'n' ? this.assumedN : (p ?? 1);
  }

  attempts(c: Call): number {
    return this.sys.retriesOf(c) + 1;
  }

  /** What one call may cost its caller (see WaitTerm). */
  cost(c: Call): WaitTerm {
    const callee = this.syncCallee(c);
    const timeout = this.sys.timeoutOf(c);
    const k = this.perRequest(c) * this.attempts(c);
    if (timeout !== undefined) return { call: c, cost: k * timeout, capped: true };
    // No timeout: the caller waits as long as the callee does. A callee that makes no calls of its own
    // has nothing in the model that bounds it, so the path is unbounded (missing-timeout's finding).
    const below = callee && this.counted(callee).length ? this.worst(callee) : Infinity;
    return { call: c, cost: k * below, capped: false };
  }

  /** A service's calls that count in its wait, in document order. */
  counted(s: Service): Call[] {
    return s.calls.filter((c) => this.syncCallee(c) !== undefined);
  }

  /** The terms of a service's worst-case wait: every sequential call, and the longest parallel one. */
  terms(s: Service): { sequential: WaitTerm[]; parallel: WaitTerm[]; longestParallel?: WaitTerm } {
    const sequential: WaitTerm[] = [];
    const parallel: WaitTerm[] = [];
    let longestParallel: WaitTerm | undefined;
    for (const c of this.counted(s)) {
      const t = this.cost(c);
      if (c.parallel) {
        parallel.push(t);
        if (!longestParallel || t.cost > longestParallel.cost) longestParallel = t;
      } else sequential.push(t);
    }
    return { sequential, parallel, longestParallel };
  }

  /**
   * What a caller of `s` may wait at most, in ms, on s's synchronous calls: the sum of its sequential
   * calls' costs plus the longest of its parallel calls. Infinity when some path has no timeout at all.
   */
  worst(s: Service): number {
    const waits = (this.waits ??= this.computeWaits());
    return waits[this.sys.indexOf.get(s)!];
  }

  private computeWaits(): Float64Array {
    const sys = this.sys;
    const n = sys.serviceList.length;
    const waits = new Float64Array(n);
    // Only calls with no timeout make a service's wait depend on its callee's: the condensation of that
    // graph gives an order in which every such callee is final before its callers need it.
    const succ: number[][] = sys.serviceList.map((s) => {
      const out: number[] = [];
      for (let k = 0; k < s.calls.length; k++) {
        const c = s.calls[k];
        const t = this.syncCallee(c);
        if (t && sys.timeoutOf(c) === undefined) out.push(sys.indexOf.get(t)!);
      }
      return out;
    });
    const { comps } = stronglyConnected({ size: n, succ });
    const done = new Uint8Array(n);
    // Tarjan's order: sink components first.
    for (const members of comps) {
      if (members.length > 1) {
        // Services that wait on each other with no timeout in between wait without bound.
        for (const v of members) {
          waits[v] = Infinity;
          done[v] = 1;
        }
        continue;
      }
      const v = members[0];
      const s = sys.serviceList[v];
      let sum = 0;
      let longest = 0;
      for (let ci = 0; ci < s.calls.length; ci++) {
        const c = s.calls[ci];
        const callee = this.syncCallee(c);
        if (!callee) continue;
        const timeout = sys.timeoutOf(c);
        const k = this.perRequest(c) * this.attempts(c);
        let cost: number;
        if (timeout !== undefined) cost = k * timeout;
        else {
          const w = sys.indexOf.get(callee)!;
          const calleeCalls = this.counted(callee).length;
          cost = calleeCalls && done[w] ? k * waits[w] : Infinity;
        }
        if (c.parallel) longest = Math.max(longest, cost);
        else sum += cost;
      }
      waits[v] = sum + longest;
      done[v] = 1;
    }
    return waits;
  }

  /**
   * The calls of `s` that make a dependency: sync calls to a defined service other than itself without a
   * fallback that describes something. A fallback and an async hop end the dependency.
   */
  dependencyCalls(s: Service): Call[] {
    return s.calls.filter((c) => this.syncCallee(c) !== undefined && !describesFallback(c));
  }

  /**
   * The availability of a service over every service it waits on synchronously, transitively, each
   * counted once. `cut` leaves one call out (what adding a fallback to it, or making it async, would give).
   */
  availability(s: Service, cut?: Call): Availability {
    if (!cut) {
      const known = this.avail.get(s);
      if (known) return known;
    }
    const sys = this.sys;
    if (this.work > this.workBudget) {
      const a: Availability = { value: this.approximate(s, cut), services: [s], calls: [], approximate: true };
      if (!cut) this.avail.set(s, a);
      return a;
    }
    const dep = this.dependencies();
    const stamp = (this.stamp ??= new Int32Array(sys.serviceList.length));
    const gen = ++this.generation;
    const start = sys.indexOf.get(s)!;
    stamp[start] = gen;
    const queue: number[] = [start];
    const calls: Call[] = [];
    let value = sys.availabilityOf(s);
    for (let i = 0; i < queue.length; i++) {
      const v = queue[i];
      const to = dep.to[v];
      this.work += to.length;
      for (let k = 0; k < to.length; k++) {
        const w = to[k];
        if (stamp[w] === gen) continue;
        const c = dep.calls[v][k];
        if (c === cut) continue;
        stamp[w] = gen;
        queue.push(w);
        calls.push(c);
        value *= dep.availability[w];
      }
    }
    const order = queue.map((v) => sys.serviceList[v]);
    const a: Availability = { value, services: order, calls, approximate: false };
    if (!cut) this.avail.set(s, a);
    return a;
  }

  private dependencies(): { calls: Call[][]; to: Int32Array[]; availability: Float64Array } {
    if (this.dep) return this.dep;
    const sys = this.sys;
    const calls = sys.serviceList.map((x) => this.dependencyCalls(x));
    const to = calls.map((cs) => Int32Array.from(cs, (c) => sys.indexOf.get(this.syncCallee(c)!)!));
    // Each service's own availability, read once: the searches multiply them for every service they
    // reach (the same numbers as availabilityOf, so the same products).
    const availability = Float64Array.from(sys.serviceList, (x) => sys.availabilityOf(x));
    return (this.dep = { calls, to, availability });
  }

  /**
   * Past the work budget: the availability over the condensation of the dependency graph, where a service
   * reached by two routes counts twice (never higher than the exact value, so never a missed finding).
   */
  private approximate(s: Service, cut?: Call): number {
    const sys = this.sys;
    if (!this.approx) {
      const n = sys.serviceList.length;
      const succ = this.dependencies().to.map((t) => [...t]);
      const { comp, comps } = stronglyConnected({ size: n, succ });
      const logs = new Float64Array(comps.length);
      for (let k = 0; k < comps.length; k++) {
        let sum = 0;
        const next = new Set<number>();
        for (const v of comps[k]) {
          sum += Math.log(sys.availabilityOf(sys.serviceList[v]));
          for (const w of succ[v]) if (comp[w] !== k) next.add(comp[w]);
        }
        for (const j of next) sum += logs[j];
        logs[k] = sum;
      }
      this.approx = new Float64Array(n);
      for (let v = 0; v < n; v++) this.approx[v] = logs[comp[v]];
    }
    let log = this.approx[sys.indexOf.get(s)!];
    if (cut && cut.from === s) {
      const t = this.syncCallee(cut);
      if (t) log -= this.approx[sys.indexOf.get(t)!];
    }
    return Math.exp(log);
  }

  /**
   * The stores a service writes as their system of record: every written store that is not a cache, or,
   * when it writes nothing but caches, those caches (then they hold its only copy of the state).
   */
  recordWrites(s: Service): Use[] {
    const writes = s.uses.filter((u) => u.access !== 'read' && this.sys.datastores.has(u.store.id));
    const real = writes.filter((u) => this.sys.datastores.get(u.store.id)!.storeKind !== 'cache');
    return real.length ? real : writes;
  }

  /** Whether `s` writes `store` as its system of record (see recordWrites). */
  writesOfRecord(s: Service, store: Datastore): boolean {
    return this.recordWrites(s).some((u) => u.store.id === store.id);
  }
}
