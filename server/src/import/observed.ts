/** Import models to the observed facts the `drift` rule compares with the declared topology. */
import type { Observed, ObservedCall, ObservedUse } from '../core/observed';
import type { ImportModel } from './model';

export function observedFrom(models: readonly ImportModel[], files: readonly string[]): Observed {
  const calls = new Map<string, ObservedCall>();
  const uses = new Map<string, ObservedUse>();
  const eventEdges: { from: string; to: string; event: string }[] = [];
  const services = new Set<string>();
  let traces = 0;
  for (const m of models) {
    traces += m.traces;
    const fromTraces = m.traces > 0;
    const subscribers = new Map<string, string[]>();
    for (const s of m.services.values()) {
      for (const e of s.subscribes.keys()) {
        let list = subscribers.get(e);
        if (!list) subscribers.set(e, (list = []));
        list.push(s.id);
      }
    }
    for (const s of m.services.values()) {
      services.add(s.id);
      for (const c of s.calls.values()) {
        const key = `${s.id}\u0000${c.to}\u0000${fromTraces ? c.style : ''}`;
        if (calls.has(key)) continue;
        const max = c.notes.map((n) => /^up to (\d+) per request$/.exec(n)?.[1]).find(Boolean);
        calls.set(key, {
          from: s.id,
          to: c.to,
          style: fromTraces ? c.style : undefined,
          perRequest: fromTraces ? c.perRequest : undefined,
          maxPerRequest: fromTraces ? (max ? Number(max) : c.perRequest) : undefined,
          parallel: fromTraces ? c.parallel : undefined,
          protocol: c.protocol,
          count: c.count,
          traces: c.traces,
          source: c.from,
        });
      }
      for (const u of s.uses.values()) {
        const key = `${s.id}\u0000${u.store}`;
        const prev = uses.get(key);
        const d = m.datastores.get(u.store);
        uses.set(key, { service: s.id, store: u.store, access: prev && prev.access !== u.access ? 'readwrite' : u.access, kind: d?.kind, technology: d?.technology, source: u.from });
      }
      for (const e of s.publishes.keys()) for (const to of subscribers.get(e) ?? []) if (to !== s.id) eventEdges.push({ from: s.id, to, event: e });
    }
  }
  return { calls: [...calls.values()], uses: [...uses.values()], eventEdges, services: [...services], traces, files };
}
