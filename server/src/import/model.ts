/**
 * What an importer found, before it is written out: services, their calls, publishes, subscribes and
 * uses, datastores and events, each with where it came from. Every table is a `Map` keyed by id, so a
 * hostile name such as `__proto__` or `constructor` is an ordinary key and never reaches an object's
 * prototype.
 */

export type Access = 'read' | 'write' | 'readwrite';

export interface ImportedCall {
  readonly to: string;
  style: 'sync' | 'async';
  protocol?: string;
  perRequest?: number;
  parallel?: boolean;
  /** Where the call was seen (`Deployment/checkout env PAYMENT_ADDR`). */
  readonly from: string;
  /** Extra facts for the comment: the maximum per request, latencies. */
  notes: string[];
  /** How many times the call was seen (spans), and in how many traces. */
  count: number;
  traces: number;
}

export interface ImportedUse {
  readonly store: string;
  access: Access;
  readonly from: string;
}

export interface ImportedLink {
  readonly event: string;
  readonly from: string;
}

export interface ImportedService {
  readonly id: string;
  readonly from: string;
  kind?: 'job';
  exposure?: 'external';
  /** Why it is external (`Ingress/public`). */
  exposureFrom?: string;
  readonly calls: Map<string, ImportedCall>;
  readonly publishes: Map<string, ImportedLink>;
  readonly subscribes: Map<string, ImportedLink>;
  readonly uses: Map<string, ImportedUse>;
  /** Comments written above the service (hosts that name nothing, secrets not read); kept unique. */
  readonly notes: string[];
}

/** Adds a note once. */
export function note(list: string[], text: string): void {
  if (!list.includes(text)) list.push(text);
}

export type StoreKind = 'database' | 'cache' | 'search' | 'bucket' | 'filesystem';

export interface ImportedStore {
  readonly id: string;
  kind: StoreKind;
  technology?: string;
  owner?: string;
  readonly from: string;
}

export interface ImportedEvent {
  readonly id: string;
  broker?: string;
  readonly from: string;
}

export interface ImportModel {
  readonly services: Map<string, ImportedService>;
  readonly datastores: Map<string, ImportedStore>;
  readonly events: Map<string, ImportedEvent>;
  /** Comments for the top of the file: refused templates, brokers, hosts outside the input. */
  readonly notes: string[];
  /** Problems the user should see on stderr as well (a refused template, an unreadable document). */
  readonly warnings: string[];
  /** How many traces were read (0 for manifests). */
  traces: number;
}

export function emptyModel(): ImportModel {
  return { services: new Map(), datastores: new Map(), events: new Map(), notes: [], warnings: [], traces: 0 };
}

/** The DSL's id pattern. */
export const ID = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/**
 * Turns a name from the input into a topology id: characters the DSL does not allow become '-', and a
 * name that does not start with a letter gets an `x-` prefix. Kubernetes and Compose names are DNS labels
 * and pass unchanged; trace service names are free text.
 */
export function toId(name: string): string {
  let s = name.normalize('NFC').replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '');
  if (s.length > 200) s = s.slice(0, 200);
  if (!s) return 'unnamed';
  return ID.test(s) ? s : `x-${s}`;
}

/**
 * Makes text safe inside a `#` comment: no line breaks or other control characters (which would end the
 * comment and let input text become YAML), bounded in length.
 */
export function commentText(s: string): string {
  // eslint-disable-next-line no-control-regex
  const t = s.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ').trim();
  return t.length > 300 ? `${t.slice(0, 297)}...` : t;
}

export function addService(m: ImportModel, id: string, from: string): ImportedService {
  let s = m.services.get(id);
  if (!s) m.services.set(id, (s = { id, from, calls: new Map(), publishes: new Map(), subscribes: new Map(), uses: new Map(), notes: [] }));
  return s;
}

export function addCall(s: ImportedService, to: string, from: string, style: 'sync' | 'async' = 'sync', protocol?: string): ImportedCall {
  let c = s.calls.get(to);
  if (!c) s.calls.set(to, (c = { to, style, from, notes: [], count: 0, traces: 0 }));
  if (protocol && !c.protocol) c.protocol = protocol;
  return c;
}

export function mergeAccess(a: Access | undefined, b: Access): Access {
  return !a || a === b ? b : 'readwrite';
}

export function addUse(s: ImportedService, store: string, access: Access, from: string): void {
  const u = s.uses.get(store);
  if (u) u.access = mergeAccess(u.access, access);
  else s.uses.set(store, { store, access, from });
}

/** Gives every store addressed by exactly one service that service as its owner. */
export function assignOwners(m: ImportModel): void {
  const users = new Map<string, Set<string>>();
  for (const s of m.services.values()) {
    for (const store of s.uses.keys()) {
      let set = users.get(store);
      if (!set) users.set(store, (set = new Set()));
      set.add(s.id);
    }
  }
  for (const d of m.datastores.values()) {
    const u = users.get(d.id);
    if (u && u.size === 1 && !d.owner) d.owner = [...u][0];
  }
}
