/**
 * The element budget: bytes alone do not bound the work (a 7.9 MB file holds a chain of 100,000
 * services, and the rules' findings, related locations and fixes grow with it). A program's topologies
 * are analysed up to LIMITS.maxElements elements; past that, the later elements are left out of the
 * analysis and one finding says where the budget ran out.
 */
import type { Topology } from './model';
import type { Span } from './span';

export const ELEMENT_BUDGET = 20_000;

export interface Budgeted {
  readonly topologies: Topology[];
  /** Where the first element left out is, when the budget ran out. */
  readonly cut?: { readonly uri: string; readonly span: Span; readonly total: number };
}

/** Counts a service with everything it declares (calls, publishes, subscribes, uses). */
function weight(s: Topology['services'][number]): number {
  return 1 + s.calls.length + s.publishes.length + s.subscribes.length + s.uses.length;
}

/** The topologies trimmed to `budget` elements in order (files, then sections, then entries). */
export function withinBudget(all: readonly Topology[], budget = ELEMENT_BUDGET): Budgeted {
  let total = 0;
  for (const t of all) {
    for (const s of t.services) total += weight(s);
    total += t.datastores.length + t.events.length + t.flows.length;
  }
  if (total <= budget) return { topologies: [...all] };
  let left = budget;
  let cut: Budgeted['cut'];
  const take = <T extends { span: Span; idSpan?: Span }>(t: Topology, xs: readonly T[], w: (x: T) => number): T[] => {
    const out: T[] = [];
    for (const x of xs) {
      const cost = w(x);
      if (cost > left) {
        cut ??= { uri: t.uri, span: x.idSpan ?? x.span, total };
        left = 0;
        break;
      }
      left -= cost;
      out.push(x);
    }
    return out;
  };
  const topologies = all.map((t) => ({
    ...t,
    services: take(t, t.services, weight),
    datastores: take(t, t.datastores, () => 1),
    events: take(t, t.events, () => 1),
    flows: take(t, t.flows, () => 1),
  }));
  return { topologies, cut };
}
