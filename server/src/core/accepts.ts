/**
 * The `accept` entries of a file. A module of its own, importing the model's types only, so the rules and
 * the build-time generator that load it do not pull in the YAML parser.
 */
import type { Accept, Topology } from './model';

/**
 * Every `accept` entry of a file, elements first (services, datastores, events, flows), then the services'
 * calls, publications, subscriptions and uses; each with a label of what it is written on.
 */
export function acceptsIn(file: Topology): { accept: Accept; label: string }[] {
  const out: { accept: Accept; label: string }[] = [];
  const add = (list: readonly Accept[], label: () => string) => {
    for (const accept of list) out.push({ accept, label: label() });
  };
  for (const els of [file.services, file.datastores, file.events, file.flows] as const) for (const el of els) add(el.accepts, () => `${el.kind} ${el.id}`);
  for (const s of file.services) {
    for (const c of s.calls) add(c.accepts, () => `the call ${s.id} → ${c.to.id}`);
    for (const p of s.publishes) add(p.accepts, () => `${s.id} and ${p.event.id}`);
    for (const p of s.subscribes) add(p.accepts, () => `${s.id} and ${p.event.id}`);
    for (const u of s.uses) add(u.accepts, () => `the use of ${u.store.id} by ${s.id}`);
  }
  return out;
}
