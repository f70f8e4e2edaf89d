/**
 * A stable model across keystrokes. An edit that changes no rule's input (a description, a comment, an
 * unknown key, spaces) still gives its entry a new tree and so a new model element, and used to make the
 * whole analysis run again. Here the new reading's model is compared with the last one's, element by
 * element, leaving out where things are (spans, YAML nodes and pairs) and the descriptions, which no rule
 * reads. Where the two are the same, the last model's objects are kept and given the new places and
 * descriptions, in place: the new reading's Topology is then the last one's object, and the analysis can
 * keep its findings (reuse.ts) instead of running the rules again.
 *
 * Only the editor uses this (lsp/workspace.ts), under the rule placed.ts already sets: an analysis is read
 * only while its files are unchanged, so moving the last model's places to the new text breaks no reader.
 * test/unit/engine/reuse.test.ts holds every kept analysis equal to a fresh one under seeded edits.
 */
import type { Topology } from './model';
import type { EntryMemo } from './placed';

/**
 * The keys that say where something is, or that no rule reads: copied from the new model to the kept one,
 * never compared. `from` is the back reference of a call, publication, subscription or use to its service
 * (the same kept object by construction), neither compared nor copied.
 */
const PLACES = new Set(['span', 'idSpan', 'keySpan', 'pair', 'node', 'description']);
const BACK = 'from';

/**
 * Fields whose value may change while the model is still adopted: the timeouts and retry counts people
 * tune while they type. The kept model takes their new values, and the keys that changed are reported,
 * so that only the rules that read them run again (reuse.ts READS). A field that appears or goes away is
 * a change of shape, never adopted.
 */
export const VALUE_KEYS: ReadonlySet<string> = new Set(['timeout', 'retries']);

const isField = (x: unknown): boolean => typeof x === 'object' && x !== null && Object.hasOwn(x, 'value') && Object.hasOwn(x, 'pair');

/**
 * Whether `a` and `b` are the same model but for PLACES and the values of VALUE_KEYS fields (whose keys
 * are added to `changed` where they differ), walking arrays, maps and plain objects.
 */
function same(a: unknown, b: unknown, changed: Set<string>, depth = 0): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || depth > 12) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i], changed, depth + 1)) return false;
    return true;
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !same(v, b.get(k), changed, depth + 1)) return false;
    return true;
  }
  if (Array.isArray(b) || b instanceof Map) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const ob = b as Record<string, unknown>;
  const oa = a as Record<string, unknown>;
  for (const k of ka) {
    if (!Object.hasOwn(ob, k)) return false;
    if (PLACES.has(k) || k === BACK) continue;
    if (VALUE_KEYS.has(k) && isField(oa[k]) && isField(ob[k])) {
      if (!same(oa[k], ob[k], changed, depth + 1)) changed.add(k);
      continue;
    }
    if (!same(oa[k], ob[k], changed, depth + 1)) return false;
  }
  return true;
}

/** Gives `a` (the kept model) the places of `b`, which `same` found equal to it. */
function transplant(a: unknown, b: unknown): void {
  if (a === b || typeof a !== 'object' || a === null) return;
  if (Array.isArray(a)) {
    const bs = b as unknown[];
    for (let i = 0; i < a.length; i++) transplant(a[i], bs[i]);
    return;
  }
  if (a instanceof Map) {
    const bm = b as Map<unknown, unknown>;
    for (const [k, v] of a) transplant(v, bm.get(k));
    return;
  }
  const oa = a as Record<string, unknown>;
  const ob = b as Record<string, unknown>;
  for (const k of Object.keys(oa)) {
    if (k === BACK) continue;
    if (PLACES.has(k) || VALUE_KEYS.has(k)) oa[k] = ob[k];
    else transplant(oa[k], ob[k]);
  }
}

const SECTIONS = ['services', 'datastores', 'events', 'flows'] as const;
const TOPOLOGY_KEYS = new Set(['uri', 'text', 'root', 'name', 'imports', 'defaults', ...SECTIONS, 'rules', 'rulesPair', 'sections']);

/**
 * The last reading's Topology, given the new reading's places (and the new values of VALUE_KEYS fields,
 * named in `changed`), where the two are the same model; else undefined, and nothing is changed. The
 * entries the edit did not touch are the same objects already (EntryMemo); an entry it touched is
 * compared, and where it is the same, the memo is told to give the kept element for the new entry from
 * now on.
 */
export function adoptTopology(last: Topology, next: Topology, memo?: EntryMemo): { topology: Topology; changed: ReadonlySet<string> } | undefined {
  if (last === next || last.uri !== next.uri) return undefined;
  // A field this module does not know of might be read by a rule: no adoption until it is listed here.
  for (const k of Object.keys(next)) if (!TOPOLOGY_KEYS.has(k)) return undefined;
  const changed: [object, object, string][] = [];
  const keys = new Set<string>();
  for (const section of SECTIONS) {
    const a: readonly object[] = last[section];
    const b: readonly object[] = next[section];
    if (a.length !== b.length) return undefined;
    for (let i = 0; i < a.length; i++) {
      if (a[i] === b[i]) continue;
      if (!same(a[i], b[i], keys)) return undefined;
      changed.push([a[i], b[i], section]);
    }
  }
  if (!same(last.name, next.name, keys) || !same(last.imports, next.imports, keys) || !same(last.defaults, next.defaults, keys) || !same(last.rules, next.rules, keys)) return undefined;
  for (const [a, b, section] of changed) {
    transplant(a, b);
    memo?.adopt((b as { pair: object }).pair, section, a);
  }
  const t = last as { -readonly [K in keyof Topology]: Topology[K] };
  for (const k of ['name', 'imports', 'defaults', 'rules'] as const) transplant(t[k], next[k]);
  t.text = next.text;
  t.root = next.root;
  t.rulesPair = next.rulesPair;
  t.sections = next.sections;
  return { topology: last, changed: keys };
}
