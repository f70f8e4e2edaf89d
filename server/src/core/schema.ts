/**
 * The DSL v1.1 schema as data (docs/dsl.md). One definition serves the validator below, the JSON Schema
 * contributed to other YAML tools (scripts/gen-json-schema), and completion. The model builder
 * (model.ts) reads the same tree and trusts that what this validator rejected is simply absent.
 */
import { parseDuration, parsePercent, parseSize } from './units';
import type { Span } from './span';
import type { YMap, YNode, YPair } from './ynode';
import { own } from './own';
import type { EntryMemo } from './placed';

export type IdKind = 'service' | 'datastore' | 'event' | 'flow';
export type RefKind = IdKind | 'rule';

export type SchemaType =
  | { readonly t: 'string' }
  | { readonly t: 'ref'; readonly to: RefKind }
  | { readonly t: 'enum'; readonly values: readonly string[] }
  | { readonly t: 'int'; readonly min?: number }
  | { readonly t: 'number'; readonly min?: number; readonly max?: number }
  | { readonly t: 'bool' }
  | { readonly t: 'duration' }
  | { readonly t: 'size' }
  | { readonly t: 'percent' }
  | { readonly t: 'perRequest' }
  | { readonly t: 'object'; readonly name: string; readonly props: Readonly<Record<string, Prop>> }
  | { readonly t: 'idmap'; readonly kind: IdKind; readonly value: SchemaType }
  | { readonly t: 'list'; readonly item: SchemaType }
  | { readonly t: 'field' }
  | { readonly t: 'rules' };

export interface Prop {
  readonly type: SchemaType;
  readonly required?: boolean;
  readonly doc: string;
}

export const ID_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]*$/;

const str = { t: 'string' } as const;
const duration = { t: 'duration' } as const;
const size = { t: 'size' } as const;
const percent = { t: 'percent' } as const;
const ref = (to: RefKind) => ({ t: 'ref', to }) as const;
const list = (item: SchemaType) => ({ t: 'list', item }) as const;

export const SEVERITIES = ['off', 'info', 'warning', 'error'] as const;
export const CALL_STYLES = ['sync', 'async'] as const;
export const DELIVERIES = ['direct', 'outbox', 'cdc', 'transactional'] as const;
export const ACCESSES = ['read', 'write', 'readwrite'] as const;
export const EXPOSURES = ['internal', 'external'] as const;
export const SERVICE_KINDS = ['service', 'gateway', 'bff', 'frontend', 'job', 'legacy'] as const;
export const STORE_KINDS = ['database', 'cache', 'filesystem', 'bucket', 'data-lake', 'warehouse', 'search'] as const;
export const EVENT_CONTENTS = ['full', 'id', 'reference'] as const;
export const CALL_RESULTS = ['used', 'unused'] as const;

export const ACCEPT: SchemaType = list({
  t: 'object',
  name: 'accept',
  props: {
    rule: { type: ref('rule'), required: true, doc: 'The rule id whose finding this decision answers.' },
    reason: { type: str, doc: 'Why the trade-off is accepted.' },
    adr: { type: str, doc: 'Path of the architecture decision record, relative to this file.' },
  },
});

export const CALL: SchemaType = {
  t: 'object',
  name: 'call',
  props: {
    to: { type: ref('service'), required: true, doc: 'The service called.' },
    style: { type: { t: 'enum', values: CALL_STYLES }, doc: 'sync (default): the caller blocks for the answer. async: the reply is routed back later, e.g. over a queue.' },
    protocol: { type: str, doc: 'The technology, a free word: http, grpc, graphql, amqp, ...' },
    operation: { type: str, doc: 'The operation called.' },
    perRequest: { type: { t: 'perRequest' }, doc: 'Calls per incoming request: an integer >= 1, or n for once per item (N+1).' },
    timeout: { type: duration, doc: 'How long the caller waits: ms, s or m.' },
    retries: { type: { t: 'int', min: 0 }, doc: 'Attempts after the first.' },
    idempotent: { type: { t: 'bool' }, doc: 'Whether repeating the call is harmless; say false for charges, orders, ...' },
    payload: { type: size, doc: 'Typical request or response size: B, KB, MB or GB.' },
    version: { type: str, doc: "The callee's interface version this caller uses." },
    fallback: { type: str, doc: 'What the caller does when the call fails; absent means none.' },
    parallel: { type: { t: 'bool' }, doc: "true: made concurrently with the service's other parallel calls. false (default): one after another." },
    result: { type: { t: 'enum', values: CALL_RESULTS }, doc: 'used (default): the caller needs the answer to go on. unused: nobody uses the answer.' },
    accept: { type: ACCEPT, doc: 'Accepted trade-offs for this call.' },
  },
};

export const SERVICE: SchemaType = {
  t: 'object',
  name: 'service',
  props: {
    description: { type: str, doc: 'What the service does.' },
    team: { type: str, doc: 'The team that owns it.' },
    exposure: { type: { t: 'enum', values: EXPOSURES }, doc: 'internal (default), or external: reached by users or third parties.' },
    kind: { type: { t: 'enum', values: SERVICE_KINDS }, doc: 'service (default), gateway, bff, frontend (a user interface served to browsers), job or legacy.' },
    slo: {
      type: {
        t: 'object',
        name: 'slo',
        props: {
          availability: { type: percent, doc: 'Availability objective, e.g. 99.95%.' },
          latency: { type: duration, doc: 'Latency objective, e.g. 300ms.' },
        },
      },
      doc: 'Service level objectives.',
    },
    versions: { type: list(str), doc: 'Interface versions this service serves.' },
    calls: { type: list(CALL), doc: 'Request-response interactions this service starts.' },
    publishes: {
      type: list({
        t: 'object',
        name: 'publish',
        props: {
          event: { type: ref('event'), required: true, doc: 'The event published.' },
          delivery: { type: { t: 'enum', values: DELIVERIES }, doc: 'direct (default), outbox, cdc or transactional.' },
          accept: { type: ACCEPT, doc: 'Accepted trade-offs for this publication.' },
        },
      }),
      doc: 'Events this service emits.',
    },
    subscribes: {
      type: list({
        t: 'object',
        name: 'subscribe',
        props: {
          event: { type: ref('event'), required: true, doc: 'The event consumed.' },
          uses: { type: list(str), doc: 'Fields of the event this consumer needs.' },
          accept: { type: ACCEPT, doc: 'Accepted trade-offs for this subscription.' },
        },
      }),
      doc: 'Events this service consumes.',
    },
    uses: {
      type: list({
        t: 'object',
        name: 'use',
        props: {
          store: { type: ref('datastore'), required: true, doc: 'The datastore used.' },
          access: { type: { t: 'enum', values: ACCESSES }, doc: 'read, write or readwrite (default).' },
          accept: { type: ACCEPT, doc: 'Accepted trade-offs for this use.' },
        },
      }),
      doc: 'Datastores this service touches (common data).',
    },
    deployTogether: { type: list(ref('service')), doc: 'Services that must be released in lock-step.' },
    accept: { type: ACCEPT, doc: 'Accepted trade-offs for this service.' },
  },
};

export const DATASTORE: SchemaType = {
  t: 'object',
  name: 'datastore',
  props: {
    description: { type: str, doc: 'What the store holds.' },
    kind: { type: { t: 'enum', values: STORE_KINDS }, doc: 'database (default), cache, filesystem, bucket, data-lake, warehouse or search.' },
    technology: { type: str, doc: 'The technology, a free word: postgres, redis, s3, ...' },
    owner: { type: ref('service'), doc: 'The one service that owns it; absent means nobody owns it.' },
    accept: { type: ACCEPT, doc: 'Accepted trade-offs for this store.' },
  },
};

export const EVENT: SchemaType = {
  t: 'object',
  name: 'event',
  props: {
    description: { type: str, doc: 'The fact the event records.' },
    broker: { type: str, doc: 'The broker, a free word; kafka sets maxSize to 1MB unless given.' },
    content: { type: { t: 'enum', values: EVENT_CONTENTS }, doc: 'full (default): fully detailed. id: just an ID, consumers call back. reference: the location of a stored body (claim check).' },
    payload: { type: size, doc: 'Typical message size.' },
    maxSize: { type: size, doc: 'Largest message the broker takes.' },
    fields: { type: list({ t: 'field' }), doc: 'Fields of the event: a name, or { name, sensitive }.' },
    accept: { type: ACCEPT, doc: 'Accepted trade-offs for this event.' },
  },
};

export const FLOW: SchemaType = {
  t: 'object',
  name: 'flow',
  props: {
    description: { type: str, doc: 'What the flow does for the user.' },
    entry: { type: ref('service'), required: true, doc: 'The service a user request enters.' },
    budget: {
      type: {
        t: 'object',
        name: 'budget',
        props: {
          latency: { type: duration, doc: 'Latency budget of the flow.' },
          availability: { type: percent, doc: 'Availability budget of the flow.' },
        },
      },
      doc: 'What the flow may cost.',
    },
    accept: { type: ACCEPT, doc: 'Accepted trade-offs for this flow.' },
  },
};

export const TOPOLOGY: SchemaType = {
  t: 'object',
  name: 'topology',
  props: {
    topology: { type: str, required: true, doc: "The system's name." },
    description: { type: str, doc: 'What the system is.' },
    imports: { type: list(str), doc: 'Other topology files whose elements this file may reference.' },
    defaults: {
      type: {
        t: 'object',
        name: 'defaults',
        props: {
          timeout: { type: duration, doc: 'Timeout of every call that sets none.' },
          retries: { type: { t: 'int', min: 0 }, doc: 'Retries of every call that sets none.' },
          availability: { type: percent, doc: 'Assumed availability of a service with no slo.' },
          assumedN: { type: { t: 'int', min: 1 }, doc: 'Items assumed for perRequest: n when waits are measured (default 5).' },
        },
      },
      doc: 'Values for every call that does not say otherwise.',
    },
    services: { type: { t: 'idmap', kind: 'service', value: SERVICE }, required: true, doc: 'The services, by id.' },
    datastores: { type: { t: 'idmap', kind: 'datastore', value: DATASTORE }, doc: 'The datastores, by id.' },
    events: { type: { t: 'idmap', kind: 'event', value: EVENT }, doc: 'The events, by id.' },
    flows: { type: { t: 'idmap', kind: 'flow', value: FLOW }, doc: 'User-facing flows, by id.' },
    rules: { type: { t: 'rules' }, doc: 'Per-file rule configuration.' },
  },
};

/** What the validator needs to know of the rules, without importing them (they import this module). */
export interface RuleOptionInfo {
  readonly options: Readonly<Record<string, { readonly type: 'int' | 'number' | 'percent' | 'duration' | 'size'; readonly min?: number }>>;
}

export interface SchemaProblem {
  readonly span: Span;
  readonly message: string;
  /** Unknown keys are warnings; everything else the schema rejects is an error. */
  readonly severity: 'error' | 'warning';
  readonly kind: 'unknown-key' | 'type' | 'unit' | 'required' | 'range' | 'duplicate-key' | 'bad-id';
  /** For did-you-mean fixes: the suggested replacement of the text at `span`. */
  readonly suggestion?: string;
  /** For "insert required key" fixes: the map that lacks the key, and the key. */
  readonly missing?: { readonly map: YMap | null; readonly key: string; readonly parentPair?: YPair };
}

/** Levenshtein distance, bounded: returns max+1 as soon as the distance must exceed max. */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  // Each code unit is lowered once, not once per cell: the comparison is the same, without allocating
  // two strings in the inner loop (unknown-reference compares thousands of ids).
  const la = lowerUnits(a);
  const lb = lowerUnits(b);
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = la[i - 1] === lb[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      rowMin = Math.min(rowMin, cur[j]);
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

/** Each UTF-16 code unit of a string, lowered on its own (as the distance has always compared them). */
function lowerUnits(s: string): string[] {
  const out = new Array<string>(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s[i].toLowerCase();
  return out;
}

/** The nearest candidate within a distance that scales with the word, or undefined. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const max = word.length <= 3 ? 1 : word.length <= 6 ? 2 : 3;
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestD = max + 1;
  for (const c of candidates) {
    if (c === word) continue;
    const d = c.toLowerCase() === lower ? 0 : editDistance(word, c, max);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

function typeName(n: YNode): string {
  if (n.kind === 'map') return 'a map';
  if (n.kind === 'seq') return 'a list';
  if (n.value === null) return 'nothing';
  return typeof n.value === 'string' ? `'${n.value}'` : String(n.value);
}

/** Validates a document's tree against TOPOLOGY. Linear in the size of the tree; never throws. */
export function validate(root: YNode | null, rules: ReadonlyMap<string, RuleOptionInfo>, docSpan: Span, memo?: EntryMemo): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  if (!root) {
    out.push({ span: docSpan, message: "The file is empty: a topology needs at least 'topology:' and 'services:'.", severity: 'error', kind: 'required', missing: { map: null, key: 'topology' } });
    return out;
  }
  // Set for this (synchronous) call only: checkIdMap reads it, and the checks below it do not nest.
  entryMemo = memo;
  try {
    check(root, TOPOLOGY, out, rules, 'the file');
  } finally {
    entryMemo = undefined;
  }
  // Messages are sentences, but many start with the place they are about ("the file expects ...",
  // "service 'a' expects ..."): start each with a capital letter.
  return out.map((p) => (/^[a-z]/.test(p.message) ? { ...p, message: p.message[0].toUpperCase() + p.message.slice(1) } : p));
}

/**
 * An error at `n`. A function of the module, not a closure made in `check`: check runs for every value of
 * a file, and a first reading runs it unoptimised, where each closure was an allocation.
 */
function err(out: SchemaProblem[], n: YNode, message: string, kind: SchemaProblem['kind'] = 'type'): void {
  out.push({ span: n.span, message, severity: 'error', kind });
}

/**
 * Where a value sits, for its messages: a phrase ("the file", "rule 'x'"), or the pair whose value it is
 * (its phrase is the quoted key), and its item number when it is in a list (0: not in one). The phrase
 * is made only when a message needs it: check runs for every value of a file, and the phrases made
 * beforehand (with a closure per list) were 3.3 MB of the 4.6 MB that validating the 1,000-service file
 * allocated.
 */
type Where = string | YPair;

function phrase(where: Where, item: number): string {
  const base = typeof where === 'string' ? where : `'${where.key}'`;
  return item ? `${base} item ${item}` : base;
}

/** The map form of an event's field (`{ name, sensitive }`), checked as an object. */
const FIELD_OBJECT = {
  t: 'object',
  name: 'field',
  props: { name: { type: str, required: true, doc: 'The field name.' }, sensitive: { type: { t: 'bool' }, doc: 'Whether the field is sensitive (personal or secret data).' } },
} as const satisfies SchemaType;

function check(n: YNode, type: SchemaType, out: SchemaProblem[], rules: ReadonlyMap<string, RuleOptionInfo>, where: Where, parentPair?: YPair, item = 0): void {
  switch (type.t) {
    case 'string':
    case 'ref':
      if (n.kind !== 'scalar' || n.value === null || typeof n.value === 'boolean') {
        err(out, n, `${phrase(where, item)} expects ${type.t === 'ref' ? `a ${type.to} id` : 'text'}, not ${typeName(n)}.`);
      }
      return;
    case 'enum':
      if (n.kind !== 'scalar' || typeof n.value !== 'string' || !type.values.includes(n.value)) {
        const word = n.kind === 'scalar' && n.value !== null ? String(n.value) : '';
        const near = word ? didYouMean(word, type.values) : undefined;
        out.push({
          span: n.span,
          message: `${phrase(where, item)} is one of ${type.values.join(', ')}, not ${typeName(n)}.${near ? ` Did you mean '${near}'?` : ''}`,
          severity: 'error',
          kind: 'type',
          suggestion: near,
        });
      }
      return;
    case 'int':
    case 'number':
      if (n.kind !== 'scalar' || typeof n.value !== 'number' || (type.t === 'int' && !Number.isInteger(n.value))) {
        err(out, n, `${phrase(where, item)} expects ${type.t === 'int' ? 'a whole number' : 'a number'}, not ${typeName(n)}.`);
      } else if (type.min !== undefined && n.value < type.min) {
        err(out, n, `${phrase(where, item)} must be at least ${type.min}, not ${n.value}.`, 'range');
      } else if (type.t === 'number' && type.max !== undefined && n.value > type.max) {
        err(out, n, `${phrase(where, item)} must be at most ${type.max}, not ${n.value}.`, 'range');
      }
      return;
    case 'bool':
      if (n.kind !== 'scalar' || typeof n.value !== 'boolean') err(out, n, `${phrase(where, item)} expects true or false, not ${typeName(n)}.`);
      return;
    case 'duration':
    case 'size':
    case 'percent': {
      const parse = type.t === 'duration' ? parseDuration : type.t === 'size' ? parseSize : parsePercent;
      if (n.kind !== 'scalar' || n.value === null) {
        err(out, n, `${phrase(where, item)} expects a ${type.t}, not ${typeName(n)}.`);
        return;
      }
      const r = parse(n.value);
      if (!r.ok) err(out, n, `${phrase(where, item)}: ${r.problem}.`, 'unit');
      return;
    }
    case 'perRequest':
      if (n.kind === 'scalar' && n.value === 'n') return;
      if (n.kind !== 'scalar' || typeof n.value !== 'number' || !Number.isInteger(n.value)) {
        err(out, n, `${phrase(where, item)} expects a whole number of calls per request, or n for once per item, not ${typeName(n)}.`);
      } else if (n.value < 1) {
        err(out, n, `${phrase(where, item)} must be at least 1, not ${n.value}.`, 'range');
      }
      return;
    case 'field':
      if (n.kind === 'scalar' && typeof n.value === 'string') return;
      if (n.kind === 'map') {
        checkObject(n, FIELD_OBJECT, out, rules, where, parentPair, item);
        return;
      }
      err(out, n, `${phrase(where, item)} expects a field name or { name, sensitive }, not ${typeName(n)}.`);
      return;
    case 'list':
      if (n.kind !== 'seq') {
        err(out, n, `${phrase(where, item)} expects a list, not ${typeName(n)}.`);
        return;
      }
      {
        // A list in a list item (none in the DSL today) names its items after the outer item's phrase.
        const inner = item ? phrase(where, item) : where;
        for (let i = 0; i < n.items.length; i++) check(n.items[i], type.item, out, rules, inner, undefined, i + 1);
      }
      return;
    case 'object':
      checkObject(n, type, out, rules, where, parentPair, item);
      return;
    case 'idmap':
      checkIdMap(n, type, out, rules, where, item);
      return;
    case 'rules':
      checkRules(n, out, rules);
      return;
  }
}

/** An object type's keys, and those it requires, in the order of its props: worked out once per type. */
const shapes = new WeakMap<object, { keys: string[]; required: string[] }>();
function shapeOf(type: Extract<SchemaType, { t: 'object' }>): { keys: string[]; required: string[] } {
  let s = shapes.get(type);
  if (!s) {
    s = { keys: Object.keys(type.props), required: Object.entries(type.props).flatMap(([key, prop]) => (prop.required ? [key] : [])) };
    shapes.set(type, s);
  }
  return s;
}

/** Whether `key` is among the first `before` pairs: in `seen` where the map is large, else by looking back. */
function given(pairs: readonly YPair[], seen: Set<string> | undefined, key: string, before: number): boolean {
  if (seen) return seen.has(key);
  for (let j = 0; j < before; j++) if (pairs[j].key === key) return true;
  return false;
}

function checkObject(n: YNode, type: Extract<SchemaType, { t: 'object' }>, out: SchemaProblem[], rules: ReadonlyMap<string, RuleOptionInfo>, where: Where, parentPair?: YPair, item = 0): void {
  if (n.kind !== 'map') {
    out.push({ span: n.span, message: `${phrase(where, item)} expects a map of ${type.name} settings, not ${typeName(n)}.`, severity: 'error', kind: 'type' });
    return;
  }
  const { keys, required } = shapeOf(type);
  // Which keys came before: a set for a large map, a look back over a small one (most maps here have a
  // handful of keys, and a set per map was a good part of the garbage of opening a large file).
  const pairs = n.pairs;
  const seen = pairs.length > 8 ? new Set<string>() : undefined;
  for (let i = 0; i < pairs.length; i++) {
    const p = pairs[i];
    if (given(pairs, seen, p.key, i)) {
      out.push({ span: p.keySpan, message: `'${p.key}' is given twice in ${phrase(where, item)}; only the first counts.`, severity: 'error', kind: 'duplicate-key' });
      continue;
    }
    seen?.add(p.key);
    const prop = own(type.props, p.key);
    if (!prop) {
      const near = didYouMean(p.key, keys);
      out.push({
        span: p.keySpan,
        message: `Unknown key '${p.key}' in ${where === 'the file' && !item ? 'the top level' : phrase(where, item)}.${near ? ` Did you mean '${near}'?` : ` Known keys: ${keys.join(', ')}.`}`,
        severity: 'warning',
        kind: 'unknown-key',
        suggestion: near,
      });
      continue;
    }
    if (p.value === null) {
      if (prop.type.t === 'idmap' || prop.type.t === 'list' || prop.type.t === 'rules' || prop.type.t === 'object') {
        // `calls:` with nothing under it is an empty list; only required sections must have content.
        if (prop.required) out.push({ span: p.keySpan, message: `'${p.key}' needs at least one entry.`, severity: 'error', kind: 'required' });
        continue;
      }
      out.push({ span: p.keySpan, message: `'${p.key}' has no value.`, severity: 'error', kind: 'type' });
      continue;
    }
    check(p.value, prop.type, out, rules, p, p);
    // `services: {}` is as empty as `services:` (dsl.md: "required, at least one").
    if (prop.required && prop.type.t === 'idmap' && p.value.kind === 'map' && p.value.pairs.length === 0) {
      out.push({ span: p.keySpan, message: `'${p.key}' needs at least one entry.`, severity: 'error', kind: 'required' });
    }
  }
  for (let j = 0; j < required.length; j++) {
    const key = required[j];
    if (!given(pairs, seen, key, pairs.length)) {
      const at = parentPair ? parentPair.keySpan : n.span.end > n.span.start ? { start: n.span.start, end: n.span.start + 1 } : n.span;
      out.push({
        span: parentPair ? parentPair.keySpan : at,
        message: `${type.name === 'topology' ? 'The file' : `This ${type.name}`} needs '${key}'.`,
        severity: 'error',
        kind: 'required',
        missing: { map: n, key, parentPair },
      });
    }
  }
}

function checkIdMap(n: YNode, type: Extract<SchemaType, { t: 'idmap' }>, out: SchemaProblem[], rules: ReadonlyMap<string, RuleOptionInfo>, where: Where, item = 0): void {
  if (n.kind !== 'map') {
    out.push({ span: n.span, message: `${phrase(where, item)} expects a map of ${type.kind} ids, not ${typeName(n)}.`, severity: 'error', kind: 'type' });
    return;
  }
  const memo = entryMemo;
  for (let i = 0; i < n.pairs.length; i++) {
    const p = n.pairs[i];
    if (memo) {
      // An entry's problems depend on the entry alone (its key, its value, its section): checked once
      // per entry object, which the editor's chunk cache keeps while the entry's text is unchanged.
      for (const x of memo.problems(p, type.kind, p.keySpan.start, () => checkEntry(p, type, rules))) out.push(x);
    } else checkEntryInto(p, type, out, rules);
  }
}

/** The editor's per-entry memo while `validate` runs with one (placed.ts). */
let entryMemo: EntryMemo | undefined;

/** The problems of one entry of an id map (a service, a store, an event, a flow). */
function checkEntry(p: YPair, type: Extract<SchemaType, { t: 'idmap' }>, rules: ReadonlyMap<string, RuleOptionInfo>): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const saved = entryMemo;
  entryMemo = undefined;
  try {
    checkEntryInto(p, type, out, rules);
  } finally {
    entryMemo = saved;
  }
  return out;
}

function checkEntryInto(p: YPair, type: Extract<SchemaType, { t: 'idmap' }>, out: SchemaProblem[], rules: ReadonlyMap<string, RuleOptionInfo>): void {
  if (!ID_PATTERN.test(p.key)) {
    out.push({ span: p.keySpan, message: `'${p.key}' is not a valid ${type.kind} id: start with a letter, then letters, digits, '_', '.' or '-'.`, severity: 'error', kind: 'bad-id' });
  }
  // Duplicate ids are the duplicate-id rule's, which also sees imports.
  if (p.value === null) {
    // `checkout:` with nothing under it is a service with defaults; but a flow with nothing under it
    // still lacks its required `entry`, as `f: {}` does.
    if (type.value.t === 'object') {
      for (const key of shapeOf(type.value).required) out.push({ span: p.keySpan, message: `This ${type.value.name} needs '${key}'.`, severity: 'error', kind: 'required', missing: { map: null, key, parentPair: p } });
    }
    return;
  }
  check(p.value, type.value, out, rules, `${type.kind} '${p.key}'`, p);
}

function checkRules(n: YNode, out: SchemaProblem[], rules: ReadonlyMap<string, RuleOptionInfo>): void {
  if (n.kind !== 'map') {
    out.push({ span: n.span, message: `'rules' expects a map of rule ids, not ${typeName(n)}.`, severity: 'error', kind: 'type' });
    return;
  }
  const seen = new Set<string>();
  for (const p of n.pairs) {
    // As in every other map, the first setting of a rule counts (the engine reads the first one).
    if (seen.has(p.key)) {
      out.push({ span: p.keySpan, message: `'${p.key}' is given twice in 'rules'; only the first counts.`, severity: 'error', kind: 'duplicate-key' });
      continue;
    }
    seen.add(p.key);
    const rule = rules.get(p.key);
    // Unknown rule ids are unknown-reference findings (with their own did-you-mean fix).
    if (!rule || p.value === null) {
      if (rule && p.value === null) out.push({ span: p.keySpan, message: `'${p.key}' needs a severity (off, info, warning, error) or a map of settings.`, severity: 'error', kind: 'type' });
      continue;
    }
    const v = p.value;
    if (v.kind === 'scalar') {
      check(v, { t: 'enum', values: SEVERITIES }, out, rules, `the severity of '${p.key}'`);
      continue;
    }
    const props: Record<string, Prop> = { severity: { type: { t: 'enum', values: SEVERITIES }, doc: 'The severity.' } };
    for (const [name, opt] of Object.entries(rule.options)) {
      props[name] = { type: opt.type === 'int' || opt.type === 'number' ? { t: opt.type, min: opt.min } : { t: opt.type }, doc: '' };
    }
    check(v, { t: 'object', name: `'${p.key}' setting`, props }, out, rules, `rule '${p.key}'`, p);
  }
}
