/**
 * The typed topology model, built from the YAML tree after schema validation. Every element keeps the
 * spans of its id, its whole entry and each field, plus its YAML node, so rules can point at the exact
 * place and quick fixes can edit around it. Values the validator rejected are simply absent here.
 */
import type { Span } from './span';
import { get, type YMap, type YNode, type YPair } from './ynode';
import { parseDuration, parsePercent, parseSize } from './units';
import type { EntryMemo } from './placed';
import { ACCESSES, CALL_RESULTS, CALL_STYLES, DELIVERIES, EVENT_CONTENTS, EXPOSURES, SERVICE_KINDS, STORE_KINDS } from './schema';

export interface Field<T> {
  readonly value: T;
  /** The value's span. */
  readonly span: Span;
  readonly keySpan: Span;
  readonly pair: YPair;
}

export interface Ref {
  readonly id: string;
  readonly span: Span;
}

export interface Accept {
  readonly rule: Ref;
  readonly reason?: Field<string>;
  readonly adr?: Field<string>;
  readonly span: Span;
}

interface ElementBase {
  readonly id: string;
  /** The file the element is written in (its URI); findings on it are reported there. */
  readonly uri: string;
  readonly idSpan: Span;
  /** From the id to the end of the entry. */
  readonly span: Span;
  readonly pair: YPair;
  /** The entry's map, or null for `id:` with nothing under it. */
  readonly node: YMap | null;
  readonly accepts: readonly Accept[];
  readonly accept?: Field<unknown>;
  readonly description?: Field<string>;
}

export type Exposure = (typeof EXPOSURES)[number];
export type ServiceKind = (typeof SERVICE_KINDS)[number];
export type StoreKind = (typeof STORE_KINDS)[number];
export type Access = (typeof ACCESSES)[number];
export type Delivery = (typeof DELIVERIES)[number];
export type CallStyle = (typeof CALL_STYLES)[number];
export type CallResult = (typeof CALL_RESULTS)[number];
export type EventContent = (typeof EVENT_CONTENTS)[number];

export interface Call {
  readonly from: Service;
  readonly index: number;
  readonly to: Ref;
  readonly style: CallStyle;
  readonly styleField?: Field<CallStyle>;
  readonly protocol?: Field<string>;
  readonly operation?: Field<string>;
  readonly perRequest?: Field<number | 'n'>;
  readonly timeout?: Field<number>;
  readonly retries?: Field<number>;
  readonly idempotent?: Field<boolean>;
  readonly payload?: Field<number>;
  readonly version?: Field<string>;
  readonly fallback?: Field<string>;
  /** DSL v1.1: made concurrently with the service's other parallel calls (default false). */
  readonly parallel: boolean;
  readonly parallelField?: Field<boolean>;
  /** DSL v1.1: whether the caller uses the answer (default used). */
  readonly result: CallResult;
  readonly resultField?: Field<CallResult>;
  readonly accepts: readonly Accept[];
  readonly accept?: Field<unknown>;
  /** The list item. */
  readonly node: YMap;
  readonly span: Span;
}

export interface Publish {
  readonly from: Service;
  readonly index: number;
  readonly event: Ref;
  readonly delivery: Delivery;
  readonly deliveryField?: Field<Delivery>;
  readonly accepts: readonly Accept[];
  readonly accept?: Field<unknown>;
  readonly node: YNode;
  readonly span: Span;
}

export interface Subscribe {
  readonly from: Service;
  readonly index: number;
  readonly event: Ref;
  readonly uses?: Field<readonly Ref[]>;
  readonly accepts: readonly Accept[];
  readonly accept?: Field<unknown>;
  readonly node: YNode;
  readonly span: Span;
}

export interface Use {
  readonly from: Service;
  readonly index: number;
  readonly store: Ref;
  readonly access: Access;
  readonly accessField?: Field<Access>;
  readonly accepts: readonly Accept[];
  readonly accept?: Field<unknown>;
  readonly node: YNode;
  readonly span: Span;
}

export interface Service extends ElementBase {
  readonly kind: 'service';
  readonly exposure: Exposure;
  readonly serviceKind: ServiceKind;
  readonly team?: Field<string>;
  readonly availability?: Field<number>;
  readonly latency?: Field<number>;
  readonly versions?: Field<readonly Ref[]>;
  readonly calls: Call[];
  readonly publishes: Publish[];
  readonly subscribes: Subscribe[];
  readonly uses: Use[];
  readonly deployTogether: Ref[];
  readonly deployTogetherField?: Field<unknown>;
  readonly callsField?: Field<unknown>;
  readonly publishesField?: Field<unknown>;
  readonly subscribesField?: Field<unknown>;
  readonly usesField?: Field<unknown>;
}

export interface Datastore extends ElementBase {
  readonly kind: 'datastore';
  readonly storeKind: StoreKind;
  readonly technology?: Field<string>;
  readonly owner?: Field<string>;
}

export interface EventField {
  readonly name: string;
  readonly sensitive: boolean;
  readonly span: Span;
}

export interface TopologyEvent extends ElementBase {
  readonly kind: 'event';
  readonly broker?: Field<string>;
  readonly content: EventContent;
  readonly contentField?: Field<EventContent>;
  readonly payload?: Field<number>;
  readonly maxSize?: Field<number>;
  readonly fields: readonly EventField[];
}

export interface Flow extends ElementBase {
  readonly kind: 'flow';
  readonly entry?: Field<string>;
  readonly latencyBudget?: Field<number>;
  readonly availabilityBudget?: Field<number>;
}

export type Element = Service | Datastore | TopologyEvent | Flow;

/** A rule's configuration as the file's `rules:` block writes it. */
export interface RuleSetting {
  readonly rule: Ref;
  readonly severity?: Field<string>;
  readonly options: ReadonlyMap<string, Field<number>>;
  readonly pair: YPair;
}

export interface Topology {
  readonly uri: string;
  readonly text: string;
  readonly root: YNode | null;
  readonly name?: Field<string>;
  readonly imports: readonly Ref[];
  readonly defaults: {
    readonly timeout?: Field<number>;
    readonly retries?: Field<number>;
    readonly availability?: Field<number>;
    /** Items assumed for `perRequest: n` in the wait model (models.ts). */
    readonly assumedN?: Field<number>;
  };
  readonly services: Service[];
  readonly datastores: Datastore[];
  readonly events: TopologyEvent[];
  readonly flows: Flow[];
  readonly rules: RuleSetting[];
  readonly rulesPair?: YPair;
  /** Top-level section pairs, for fixes that add an element to a section. */
  readonly sections: ReadonlyMap<string, YPair>;
}

// ---------------------------------------------------------------------------------------------------
// Reading values. Each reader returns undefined where the value is absent or of the wrong type: the
// schema validator has already reported that.

function field<T>(pair: YPair | undefined, read: (n: YNode) => T | undefined): Field<T> | undefined {
  if (!pair || !pair.value) return undefined;
  const value = read(pair.value);
  return value === undefined ? undefined : { value, span: pair.value.span, keySpan: pair.keySpan, pair };
}

const asString = (n: YNode): string | undefined => (n.kind === 'scalar' && n.value !== null && typeof n.value !== 'boolean' ? String(n.value) : undefined);
const asInt = (n: YNode): number | undefined => (n.kind === 'scalar' && typeof n.value === 'number' && Number.isInteger(n.value) ? n.value : undefined);
const asBool = (n: YNode): boolean | undefined => (n.kind === 'scalar' && typeof n.value === 'boolean' ? n.value : undefined);
function asEnum<T extends string>(values: readonly T[]) {
  return (n: YNode): T | undefined => (n.kind === 'scalar' && typeof n.value === 'string' && (values as readonly string[]).includes(n.value) ? (n.value as T) : undefined);
}
function asUnit(parse: (raw: unknown) => { ok: boolean; value?: number }) {
  return (n: YNode): number | undefined => {
    if (n.kind !== 'scalar' || n.value === null) return undefined;
    const r = parse(n.value);
    return r.ok ? r.value : undefined;
  };
}
// The readers made once, not per element.
const asExposure = asEnum(EXPOSURES);
const asServiceKind = asEnum(SERVICE_KINDS);
const asCallStyle = asEnum(CALL_STYLES);
const asCallResult = asEnum(CALL_RESULTS);
const asDelivery = asEnum(DELIVERIES);
const asAccess = asEnum(ACCESSES);
const asStoreKind = asEnum(STORE_KINDS);
const asEventContent = asEnum(EVENT_CONTENTS);
const asRefList = (n: YNode): Ref[] | undefined => (n.kind === 'seq' ? refs(n) : undefined);
const asDuration = asUnit(parseDuration);
const asSize = asUnit(parseSize);
const asPercent = asUnit(parsePercent);

function refOf(n: YNode | null | undefined): Ref | undefined {
  if (!n || n.kind !== 'scalar' || n.value === null || typeof n.value === 'boolean') return undefined;
  return { id: String(n.value), span: n.span };
}

function refs(n: YNode | null | undefined): Ref[] {
  if (!n || n.kind !== 'seq') return [];
  const out: Ref[] = [];
  for (let i = 0; i < n.items.length; i++) {
    const r = refOf(n.items[i]);
    if (r) out.push(r);
  }
  return out;
}

/** The items of a list value, to read (the tree's own array, not a copy). */
function items(pair: YPair | undefined): readonly YNode[] {
  return pair?.value?.kind === 'seq' ? pair.value.items : NO_ITEMS;
}
const NO_ITEMS: readonly YNode[] = [];

function accepts(map: YMap | null): { accepts: Accept[]; accept?: Field<unknown> } {
  const pair = get(map, 'accept');
  const out: Accept[] = [];
  const list = items(pair);
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (item.kind !== 'map') continue;
    const rule = refOf(get(item, 'rule')?.value);
    if (!rule) continue;
    out.push({ rule, reason: field(get(item, 'reason'), asString), adr: field(get(item, 'adr'), asString), span: item.span });
  }
  return { accepts: out, accept: pair?.value ? { value: null, span: pair.value.span, keySpan: pair.keySpan, pair } : undefined };
}

function listField(pair: YPair | undefined): Field<unknown> | undefined {
  return pair ? { value: null, span: pair.value?.span ?? pair.keySpan, keySpan: pair.keySpan, pair } : undefined;
}

/**
 * The fields every element shares. The builders below write them out one by one rather than spreading this
 * object: a spread gave nearly every service its own hidden class in V8 (992 for 1,000 services), which made
 * every rule's reads of them megamorphic (analyze at 1k: 132 → 91 ms of CPU without the spreads).
 */
function element(uri: string, pair: YPair) {
  const node = pair.value?.kind === 'map' ? pair.value : null;
  const acc = accepts(node);
  return { id: pair.key, uri, idSpan: pair.keySpan, span: pair.span, pair, node, accepts: acc.accepts, accept: acc.accept, description: field(get(node, 'description'), asString) };
}

function buildService(uri: string, pair: YPair): Service {
  const base = element(uri, pair);
  const m = base.node;
  const slo = get(m, 'slo')?.value ?? null;
  const service: Service = {
    id: base.id, uri: base.uri, idSpan: base.idSpan, span: base.span, pair: base.pair, node: base.node, accepts: base.accepts, accept: base.accept, description: base.description,
    kind: 'service',
    exposure: field(get(m, 'exposure'), asExposure)?.value ?? 'internal',
    serviceKind: field(get(m, 'kind'), asServiceKind)?.value ?? 'service',
    team: field(get(m, 'team'), asString),
    availability: field(get(slo, 'availability'), asPercent),
    latency: field(get(slo, 'latency'), asDuration),
    versions: field(get(m, 'versions'), asRefList),
    calls: [],
    publishes: [],
    subscribes: [],
    uses: [],
    deployTogether: refs(get(m, 'deployTogether')?.value),
    deployTogetherField: listField(get(m, 'deployTogether')),
    callsField: listField(get(m, 'calls')),
    publishesField: listField(get(m, 'publishes')),
    subscribesField: listField(get(m, 'subscribes')),
    usesField: listField(get(m, 'uses')),
  };
  items(get(m, 'calls')).forEach((n, index) => {
    if (n.kind !== 'map') return;
    const to = refOf(get(n, 'to')?.value);
    if (!to) return;
    const styleField = field(get(n, 'style'), asCallStyle);
    const parallelField = field(get(n, 'parallel'), asBool);
    const resultField = field(get(n, 'result'), asCallResult);
    const acc = accepts(n);
    service.calls.push({
      from: service,
      index,
      to,
      style: styleField?.value ?? 'sync',
      styleField,
      protocol: field(get(n, 'protocol'), asString),
      operation: field(get(n, 'operation'), asString),
      perRequest: field(get(n, 'perRequest'), (v) => (v.kind === 'scalar' && v.value === 'n' ? 'n' : (() => { const i = asInt(v); return i !== undefined && i >= 1 ? i : undefined; })())),
      timeout: field(get(n, 'timeout'), asDuration),
      retries: field(get(n, 'retries'), (v) => { const i = asInt(v); return i !== undefined && i >= 0 ? i : undefined; }),
      idempotent: field(get(n, 'idempotent'), asBool),
      payload: field(get(n, 'payload'), asSize),
      version: field(get(n, 'version'), asString),
      fallback: field(get(n, 'fallback'), asString),
      parallel: parallelField?.value ?? false,
      parallelField,
      result: resultField?.value ?? 'used',
      resultField,
      accepts: acc.accepts,
      accept: acc.accept,
      node: n,
      span: n.span,
    });
  });
  items(get(m, 'publishes')).forEach((n, index) => {
    if (n.kind !== 'map') return;
    const event = refOf(get(n, 'event')?.value);
    if (!event) return;
    const deliveryField = field(get(n, 'delivery'), asDelivery);
    const acc = accepts(n);
    service.publishes.push({ from: service, index, event, delivery: deliveryField?.value ?? 'direct', deliveryField, accepts: acc.accepts, accept: acc.accept, node: n, span: n.span });
  });
  items(get(m, 'subscribes')).forEach((n, index) => {
    if (n.kind !== 'map') return;
    const event = refOf(get(n, 'event')?.value);
    if (!event) return;
    const acc = accepts(n);
    service.subscribes.push({ from: service, index, event, uses: field(get(n, 'uses'), asRefList), accepts: acc.accepts, accept: acc.accept, node: n, span: n.span });
  });
  items(get(m, 'uses')).forEach((n, index) => {
    if (n.kind !== 'map') return;
    const store = refOf(get(n, 'store')?.value);
    if (!store) return;
    const accessField = field(get(n, 'access'), asAccess);
    const acc = accepts(n);
    service.uses.push({ from: service, index, store, access: accessField?.value ?? 'readwrite', accessField, accepts: acc.accepts, accept: acc.accept, node: n, span: n.span });
  });
  return service;
}

function buildDatastore(uri: string, pair: YPair): Datastore {
  const base = element(uri, pair);
  const m = base.node;
  return {
    id: base.id, uri: base.uri, idSpan: base.idSpan, span: base.span, pair: base.pair, node: base.node, accepts: base.accepts, accept: base.accept, description: base.description,
    kind: 'datastore',
    storeKind: field(get(m, 'kind'), asStoreKind)?.value ?? 'database',
    technology: field(get(m, 'technology'), asString),
    owner: field(get(m, 'owner'), asString),
  };
}

function buildEvent(uri: string, pair: YPair): TopologyEvent {
  const base = element(uri, pair);
  const m = base.node;
  const broker = field(get(m, 'broker'), asString);
  const contentField = field(get(m, 'content'), asEventContent);
  const fields: EventField[] = [];
  for (const f of items(get(m, 'fields'))) {
    if (f.kind === 'scalar' && typeof f.value === 'string') fields.push({ name: f.value, sensitive: false, span: f.span });
    else if (f.kind === 'map') {
      const name = field(get(f, 'name'), asString);
      if (name) fields.push({ name: name.value, sensitive: field(get(f, 'sensitive'), asBool)?.value === true, span: f.span });
    }
  }
  return { id: base.id, uri: base.uri, idSpan: base.idSpan, span: base.span, pair: base.pair, node: base.node, accepts: base.accepts, accept: base.accept, description: base.description, kind: 'event', broker, content: contentField?.value ?? 'full', contentField, payload: field(get(m, 'payload'), asSize), maxSize: field(get(m, 'maxSize'), asSize), fields };
}

function buildFlow(uri: string, pair: YPair): Flow {
  const base = element(uri, pair);
  const m = base.node;
  const budget = get(m, 'budget')?.value ?? null;
  return {
    id: base.id, uri: base.uri, idSpan: base.idSpan, span: base.span, pair: base.pair, node: base.node, accepts: base.accepts, accept: base.accept, description: base.description,
    kind: 'flow',
    entry: field(get(m, 'entry'), asString),
    latencyBudget: field(get(budget, 'latency'), asDuration),
    availabilityBudget: field(get(budget, 'availability'), asPercent),
  };
}

function entries(root: YNode | null, key: string): YPair[] {
  const v = get(root, key)?.value;
  return v?.kind === 'map' ? [...v.pairs] : [];
}

/** Builds the model of one file. Linear in the tree; never throws on any tree the parser produces. */
export function buildTopology(uri: string, text: string, root: YNode | null, memo?: EntryMemo): Topology {
  // In the editor an entry whose text did not change is the same pair object as before: its element is
  // reused (placed.ts), so a keystroke builds only the entries it touched.
  const each = <T>(key: string, build: (uri: string, p: YPair) => T): T[] => entries(root, key).map((p) => (memo ? memo.element(p, key, () => build(uri, p)) : build(uri, p)));
  const defaults = get(root, 'defaults')?.value ?? null;
  const rulesPair = get(root, 'rules');
  const rules: RuleSetting[] = [];
  if (rulesPair?.value?.kind === 'map') {
    for (const p of rulesPair.value.pairs) {
      const options = new Map<string, Field<number>>();
      let severity: Field<string> | undefined;
      if (p.value?.kind === 'scalar') severity = field(p, asString);
      else if (p.value?.kind === 'map') {
        const seen = new Set<string>();
        for (const o of p.value.pairs) {
          // The first of duplicate keys counts, as the schema's duplicate-key finding says.
          if (seen.has(o.key)) continue;
          seen.add(o.key);
          if (o.key === 'severity') severity = field(o, asString);
          else {
            const v = field(o, (n) => (n.kind === 'scalar' && typeof n.value === 'number' ? n.value : n.kind === 'scalar' ? asDuration(n) ?? asSize(n) ?? asPercent(n) : undefined));
            if (v) options.set(o.key, v);
          }
        }
      }
      rules.push({ rule: { id: p.key, span: p.keySpan }, severity, options, pair: p });
    }
  }
  const sections = new Map<string, YPair>();
  if (root?.kind === 'map') for (const p of root.pairs) if (!sections.has(p.key)) sections.set(p.key, p);
  return {
    uri,
    text,
    root,
    name: field(get(root, 'topology'), asString),
    imports: refs(get(root, 'imports')?.value),
    defaults: {
      timeout: field(get(defaults, 'timeout'), asDuration),
      retries: field(get(defaults, 'retries'), (v) => { const i = asInt(v); return i !== undefined && i >= 0 ? i : undefined; }),
      availability: field(get(defaults, 'availability'), asPercent),
      assumedN: field(get(defaults, 'assumedN'), (v) => { const i = asInt(v); return i !== undefined && i >= 1 ? i : undefined; }),
    },
    services: each('services', buildService),
    datastores: each('datastores', buildDatastore),
    events: each('events', buildEvent),
    flows: each('flows', buildFlow),
    rules,
    rulesPair,
    sections,
  };
}

