/**
 * Everything the extension manifest and other tools learn about the DSL, derived from the two sources of
 * truth: the schema as data (server/src/core/schema.ts) and the rule registry (server/src/core/rules).
 *
 * - `topologyJsonSchema()`: a draft-07 JSON Schema of a topology file, for YAML tools
 *   (`contributes.yamlValidation` hands it to the YAML extension; any editor can use it).
 * - `contributions()`: the generated parts of package.json's `contributes`: the `topolint.*` settings
 *   and `yamlValidation`.
 * - `grammar()`: the TextMate grammar, whose lists of known keys, enum values and reference keys come
 *   from the schema so that highlighting cannot drift from what the validator accepts.
 *
 * Pure functions: scripts/gen-contributions.mjs writes their output to disk, and
 * test/unit/manifest.test.ts regenerates them in memory and fails when the committed files are stale.
 */
import { ID_PATTERN, SEVERITIES, TOPOLOGY, type Prop, type SchemaType } from '../server/src/core/schema';
import { RULES } from '../server/src/core/rules';
import type { RuleOption } from '../server/src/core/rule';
import { DEFAULT_DEBOUNCE_MS, SETTINGS_SECTION } from '../shared/settings';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json | undefined };
/** An object under construction: `undefined` members (an option with no minimum, say) are dropped by clean(). */
type JsonObject = { [key: string]: Json | undefined };

export const LANGUAGE_ID = 'topology';
export const FILE_GLOBS = ['*.topology.yaml', '*.topology.yml'] as const;
export const SCHEMA_PATH = 'schemas/topology.schema.json';
export const GRAMMAR_PATH = 'syntaxes/topology.tmLanguage.json';

/** JSON round trip: drops `undefined` members so generated objects compare equal to what is read back. */
function clean<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The text a generated JSON file is written with. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------------
// Units. The core's parsers (server/src/core/units.ts) trim the text and then match these; the patterns
// here add the trimming. The manifest test checks them against the parsers on a table of samples.

const NUM = String.raw`(\d+(\.\d+)?|\.\d+)`;
export const UNIT_PATTERNS = {
  duration: String.raw`^\s*${NUM}\s*(ms|s|m)?\s*$`,
  size: String.raw`^\s*${NUM}\s*(B|KB|MB|GB)?\s*$`,
  // At most 100%: the parser rejects anything over.
  percent: String.raw`^\s*(0*(100(\.0+)?|\d{1,2}(\.\d+)?)|\.\d+)\s*%\s*$`,
} as const;

/** The object `{ name, sensitive }` an event field may be; schema.ts declares it inside its validator. */
const FIELD_OBJECT: Extract<SchemaType, { t: 'object' }> = {
  t: 'object',
  name: 'field',
  props: {
    name: { type: { t: 'string' }, required: true, doc: 'The field name.' },
    sensitive: { type: { t: 'bool' }, doc: 'Whether the field is sensitive (personal or secret data).' },
  },
};

const ID_SOURCE = ID_PATTERN.source;

// ---------------------------------------------------------------------------------------------------
// JSON Schema

/** Builds the JSON Schema. Named objects of schema.ts become definitions; everything else is inline. */
export function topologyJsonSchema(): JsonObject {
  const definitions: JsonObject = {
    id: { type: 'string', pattern: ID_SOURCE, description: 'An id: a letter, then letters, digits, _, . or -.' },
    duration: {
      description: 'A duration: 250ms, 2s or 1.5m; a bare number is milliseconds.',
      anyOf: [
        { type: 'string', pattern: UNIT_PATTERNS.duration },
        { type: 'number', minimum: 0 },
      ],
    },
    size: {
      description: 'A size: 512B, 4KB, 1.5MB or 2GB (1KB = 1024 B); a bare number is bytes.',
      anyOf: [
        { type: 'string', pattern: UNIT_PATTERNS.size },
        { type: 'number', minimum: 0 },
      ],
    },
    percent: {
      description: 'A percentage such as 99.9%, or a number between 0 and 1.',
      anyOf: [
        { type: 'string', pattern: UNIT_PATTERNS.percent },
        { type: 'number', minimum: 0, maximum: 1 },
      ],
    },
    perRequest: {
      description: 'Calls per incoming request: an integer >= 1, or n for once per item (N+1).',
      anyOf: [{ type: 'integer', minimum: 1 }, { const: 'n' }],
    },
    severity: { type: 'string', enum: [...SEVERITIES], description: 'off, info, warning or error.' },
  };
  // Named objects by name; the same object reached twice (accept) is one definition.
  const named = new Map<string, SchemaType>();

  const ref = (name: string): JsonObject => ({ $ref: `#/definitions/${name}` });

  const objectSchema = (type: Extract<SchemaType, { t: 'object' }>): JsonObject => {
    const properties: JsonObject = {};
    const required: string[] = [];
    for (const [key, prop] of Object.entries(type.props)) {
      properties[key] = propSchema(prop);
      if (prop.required) required.push(key);
    }
    return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false };
  };

  const defineObject = (type: Extract<SchemaType, { t: 'object' }>): string => {
    let name = type.name;
    // Two different objects with one name (none today) keep apart as name, name-2, ...
    for (let i = 2; named.has(name) && named.get(name) !== type; i++) name = `${type.name}-${i}`;
    if (!named.has(name)) {
      named.set(name, type);
      definitions[name] = null; // reserves the slot first, so definitions read top-down
      definitions[name] = objectSchema(type);
    }
    return name;
  };

  const typeSchema = (type: SchemaType): JsonObject => {
    switch (type.t) {
      case 'string':
        // The validator takes any scalar but null and booleans: `version: 2` is text too.
        return { type: ['string', 'number'] };
      case 'ref':
        return type.to === 'rule' ? { type: 'string', enum: RULES.map((r) => r.meta.id) } : ref('id');
      case 'enum':
        return { type: 'string', enum: [...type.values] };
      case 'int':
        return { type: 'integer', minimum: type.min };
      case 'number':
        return { type: 'number', minimum: type.min, maximum: type.max };
      case 'bool':
        return { type: 'boolean' };
      case 'duration':
      case 'size':
      case 'percent':
      case 'perRequest':
        return ref(type.t);
      case 'object':
        return ref(defineObject(type));
      case 'idmap': {
        // `checkout:` with nothing under it is an element with every default, unless the element has
        // required keys (a flow needs its entry).
        const value = type.value;
        const hasRequired = value.t === 'object' && Object.values(value.props).some((p) => p.required);
        return { type: 'object', propertyNames: ref('id'), additionalProperties: hasRequired ? typeSchema(value) : { anyOf: [typeSchema(value), { type: 'null' }] } };
      }
      case 'list':
        return { type: 'array', items: typeSchema(type.item) };
      case 'field':
        return { anyOf: [{ type: 'string' }, ref(defineObject(FIELD_OBJECT))] };
      case 'rules':
        return rulesSchema();
    }
  };

  const propSchema = (prop: Prop): JsonObject => {
    const schema = typeSchema(prop.type);
    // A required id map needs at least one element (`services: {}` is as empty as `services:`).
    if (prop.required && prop.type.t === 'idmap') schema.minProperties = 1;
    // A section or list with nothing under it (`calls:`) is empty, which only required ones may not be.
    const nullable = !prop.required && ['object', 'list', 'idmap', 'rules'].includes(prop.type.t);
    if (nullable && typeof schema.type === 'string') return { description: prop.doc, ...schema, type: [schema.type, 'null'] };
    if (nullable) return { description: prop.doc, anyOf: [schema, { type: 'null' }] };
    return { description: prop.doc, ...schema };
  };

  const root = objectSchema(TOPOLOGY as Extract<SchemaType, { t: 'object' }>);
  return clean({
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Topolint topology',
    description:
      'A microservice topology, DSL version 1: services, datastores, events, flows and rule settings. Generated from server/src/core/schema.ts by scripts/gen-contributions.mjs; do not edit.',
    ...root,
    definitions,
  });
}

/** The JSON Schema of one option in a file's `rules:` block (units as the validator reads them). */
function fileOptionSchema(o: RuleOption): JsonObject {
  switch (o.type) {
    case 'int':
      return { description: o.description, type: 'integer', minimum: o.min, default: o.default };
    case 'number':
      return { description: o.description, type: 'number', minimum: o.min, default: o.default };
    default:
      return { description: o.description, $ref: `#/definitions/${o.type}` };
  }
}

/** `rules:`: keyed by rule id, each a severity or a map of severity and the rule's options. */
function rulesSchema(): JsonObject {
  const properties: JsonObject = {};
  for (const rule of RULES) {
    const options: JsonObject = { severity: { $ref: '#/definitions/severity' } };
    for (const [name, o] of Object.entries(rule.meta.options)) options[name] = fileOptionSchema(o);
    properties[rule.meta.id] = {
      description: `${rule.meta.title}. Default severity: ${rule.meta.defaultSeverity}.`,
      anyOf: [{ $ref: '#/definitions/severity' }, { type: 'object', properties: options, additionalProperties: false }],
    };
  }
  // Unknown rule ids are findings (unknown-reference), so the schema rejects them too.
  return { type: 'object', properties, additionalProperties: false };
}

// ---------------------------------------------------------------------------------------------------
// Settings (contributes.configuration) and yamlValidation

/** One rule option as a VS Code setting. Settings hold plain numbers (see settle() in engine.ts). */
function settingOption(o: RuleOption): JsonObject {
  switch (o.type) {
    case 'int':
      return { type: 'integer', default: o.default, minimum: o.min, description: o.description };
    case 'number':
      return { type: 'number', default: o.default, minimum: o.min, description: o.description };
    case 'percent':
      return { type: 'number', default: o.default, minimum: 0, maximum: 100, description: `${o.description} A percentage such as 99.5 (or a fraction such as 0.995).` };
    case 'duration':
      return { type: 'number', default: o.default, minimum: o.min ?? 0, description: `${o.description} In milliseconds.` };
    case 'size':
      return { type: 'number', default: o.default, minimum: o.min ?? 0, description: `${o.description} In bytes.` };
  }
}

const SEVERITY_DESCRIPTIONS = ['Do not run the rule.', 'Report as information.', 'Report as a warning.', 'Report as an error.'];

export function configuration(): JsonObject {
  const rules: JsonObject = {};
  for (const rule of RULES) {
    const { id, title, defaultSeverity, options } = rule.meta;
    const props: JsonObject = {
      severity: { type: 'string', enum: [...SEVERITIES], enumDescriptions: SEVERITY_DESCRIPTIONS, default: defaultSeverity, description: `Severity of ${id} findings.` },
    };
    const defaults: JsonObject = { severity: defaultSeverity };
    for (const [name, o] of Object.entries(options)) {
      props[name] = settingOption(o);
      defaults[name] = o.default;
    }
    rules[id] = {
      markdownDescription: `${title}. Default severity: \`${defaultSeverity}\`.`,
      default: defaults,
      anyOf: [
        { type: 'string', enum: [...SEVERITIES], enumDescriptions: SEVERITY_DESCRIPTIONS },
        { type: 'object', properties: props, additionalProperties: false },
      ],
    };
  }
  return clean({
    title: 'Topolint',
    properties: {
      [`${SETTINGS_SECTION}.rules`]: {
        type: 'object',
        scope: 'resource',
        order: 0,
        // Empty: each rule then keeps its own default, and the per-finding severities some rules choose
        // (the schema rule reports unknown keys as warnings) are not overridden by a blanket value.
        default: {},
        markdownDescription:
          "Rule settings by rule id: a severity (`off`, `info`, `warning`, `error`), or an object with `severity` and the rule's thresholds. A topology file's own `rules:` block wins over these.",
        properties: rules,
        additionalProperties: false,
      },
      [`${SETTINGS_SECTION}.debounceMs`]: {
        type: 'number',
        scope: 'resource',
        order: 1,
        default: DEFAULT_DEBOUNCE_MS,
        minimum: 0,
        description: 'Milliseconds to wait after an edit before analysing the topology again.',
      },
      [`${SETTINGS_SECTION}.observed`]: {
        type: 'array',
        scope: 'resource',
        order: 2,
        default: [],
        items: { type: 'string' },
        markdownDescription:
          'Traces (OTLP, Jaeger or Zipkin JSON) and Kubernetes manifests or a Compose file that describe the running system: files, folders or globs relative to the workspace folder (e.g. `traces/*.jsonl`). The `drift` rule compares every topology with them. Paths outside the workspace folders are not read. Run **Topolint: Refresh Observed Data** after the files change.',
      },
      [`${SETTINGS_SECTION}.trace.server`]: {
        type: 'string',
        scope: 'window',
        order: 3,
        enum: ['off', 'messages', 'verbose'],
        enumDescriptions: ['No tracing.', 'Trace the names of messages.', 'Trace messages with their content.'],
        default: 'off',
        description: 'Traces the communication between VS Code and the Topolint language server in the Topolint output channel.',
      },
    },
  });
}

export function yamlValidation(): JsonObject[] {
  return [{ fileMatch: [...FILE_GLOBS], url: `./${SCHEMA_PATH}` }];
}

/** The members of package.json's `contributes` this module owns; the rest is written by hand. */
export function contributions(): { configuration: JsonObject; yamlValidation: JsonObject[] } {
  return { configuration: configuration(), yamlValidation: yamlValidation() };
}

// ---------------------------------------------------------------------------------------------------
// TextMate grammar
//
// Regexes are written in the common subset of Oniguruma (what VS Code runs) and JavaScript (what the
// manifest test runs): no \h, \A, \G, \z, atomic groups or possessive quantifiers; lookbehinds have a
// fixed length; `[` and `]` are always escaped inside classes (Oniguruma nests classes).

interface Facts {
  /** Every key the schema knows, anywhere. */
  readonly keys: string[];
  /** Keys of the top level. */
  readonly topKeys: string[];
  /** Enum keys with their values (a key used by several enums gets all their values). */
  readonly enums: Map<string, string[]>;
  /** Keys whose value is a reference, by the kind of id referenced. */
  readonly refs: Map<string, string[]>;
  /** The top-level id maps, by key, with the kind of their ids. */
  readonly sections: Map<string, string>;
}

function collectFacts(): Facts {
  const keys = new Set<string>(['severity']);
  const enums = new Map<string, Set<string>>([['severity', new Set(SEVERITIES)]]);
  const refs = new Map<string, Set<string>>();
  const seen = new Set<SchemaType>();
  const walk = (type: SchemaType): void => {
    if (seen.has(type)) return;
    seen.add(type);
    switch (type.t) {
      case 'object':
        for (const [key, prop] of Object.entries(type.props)) {
          keys.add(key);
          const t = prop.type;
          if (t.t === 'enum') for (const v of t.values) add(enums, key, v);
          if (t.t === 'perRequest') add(enums, key, 'n');
          if (t.t === 'ref') add(refs, t.to, key);
          walk(t);
        }
        return;
      case 'idmap':
        return walk(type.value);
      case 'list':
        return walk(type.item);
      case 'field':
        return walk(FIELD_OBJECT);
      default:
        return;
    }
  };
  walk(TOPOLOGY);
  for (const rule of RULES) for (const name of Object.keys(rule.meta.options)) keys.add(name);
  const root = TOPOLOGY as Extract<SchemaType, { t: 'object' }>;
  const sections = new Map<string, string>();
  for (const [key, prop] of Object.entries(root.props)) if (prop.type.t === 'idmap') sections.set(key, prop.type.kind);
  const sorted = (s: Iterable<string>) => [...s].sort();
  return {
    keys: sorted(keys),
    topKeys: Object.keys(root.props),
    enums: new Map(sorted(enums.keys()).map((k) => [k, sorted(enums.get(k)!)])),
    refs: new Map(sorted(refs.keys()).map((k) => [k, sorted(refs.get(k)!)])),
    sections,
  };
}

function add(map: Map<string, Set<string>>, key: string, value: string): void {
  let s = map.get(key);
  if (!s) map.set(key, (s = new Set()));
  s.add(value);
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** An alternation, longest first so no word shadows a longer one that starts with it. */
function alt(words: readonly string[]): string {
  return [...words].sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).map(escapeRegex).join('|');
}

const S = '.topology';
/** Where a key or a scalar may start: the line start, after a space, or after flow punctuation. */
const START = String.raw`(?:^|(?<=[ \t{,\[]))`;
/** Where a scalar value ends: the line end, a comment, or flow punctuation. */
const TERM = String.raw`(?=[ \t]*$|[ \t]+#|[ \t]*[,\]}])`;
const ID = ID_SOURCE.replace(/^\^/, '').replace(/\$$/, '');
/** A key that is neither quoted nor one of the DSL's: anything up to `: ` that YAML reads as a plain key. */
const OTHER_KEY = String.raw`(?!-[ \t]|-$|\?[ \t])[^\s#'"\[\]{},:&*!|>%@\x60][^#\[\]{},]*?`;
const PLAIN_FIRST = String.raw`(?:[^\s#'"\[\]{},&*!|>%@\x60?:\-]|[?:\-](?=\S))`;

export function grammar(): JsonObject {
  const f = collectFacts();
  const kindScope = (kind: string) => (kind === 'rule' ? `entity.name.function.rule${S}` : `entity.name.type.${kind}${S}`);
  const keyCaptures = { '1': { name: `support.type.property-name${S}` }, '2': { name: `punctuation.separator.key-value.mapping${S}` } };
  const repository: JsonObject = {};

  repository.comment = {
    match: String.raw`(?:^|(?<=[ \t]))(#).*$`,
    name: `comment.line.number-sign${S}`,
    captures: { '1': { name: `punctuation.definition.comment${S}` } },
  };
  repository.directive = { match: String.raw`^%.*$`, name: `meta.directive${S}` };
  repository.document = { match: String.raw`^(?:---|\.\.\.)(?=[ \t]|$)`, name: `entity.other.document${S}` };

  // Sections: below `services:` and the other id maps, the keys of the first level are ids.
  const topPatterns: Json[] = [{ include: '#comment' }, { include: '#directive' }, { include: '#document' }];
  for (const [key, kind] of f.sections) {
    repository[`section-${key}`] = {
      name: `meta.section.${key}${S}`,
      begin: String.raw`^(${escapeRegex(key)})[ \t]*(:)(?=[ \t]|$)`,
      beginCaptures: { '1': { name: `keyword.other.section${S}` }, '2': { name: `punctuation.separator.key-value.mapping${S}` } },
      end: String.raw`^(?=[^\s#])`,
      patterns: [{ include: '#comment' }, { include: `#${kind}-entry` }, { include: '#node' }],
    };
    repository[`${kind}-entry`] = entry(kind, kindScope(kind), [{ include: '#node' }]);
    topPatterns.push({ include: `#section-${key}` });
  }
  repository['section-rules'] = {
    name: `meta.section.rules${S}`,
    begin: String.raw`^(rules)[ \t]*(:)(?=[ \t]|$)`,
    beginCaptures: { '1': { name: `keyword.other.section${S}` }, '2': { name: `punctuation.separator.key-value.mapping${S}` } },
    end: String.raw`^(?=[^\s#])`,
    patterns: [{ include: '#comment' }, { include: '#rule-entry' }, { include: '#node' }],
  };
  repository['rule-entry'] = entry('rule', kindScope('rule'), [{ include: '#severity-value' }, { include: '#node' }]);
  repository['severity-value'] = {
    match: String.raw`(?<=:)[ \t]+(${alt(SEVERITIES)})${TERM}`,
    captures: { '1': { name: `support.constant.enum${S}` } },
  };
  topPatterns.push({ include: '#section-rules' });
  repository['top-key'] = {
    match: String.raw`^(${alt(f.topKeys)})[ \t]*(:)(?=[ \t]|$)`,
    captures: { '1': { name: `keyword.other.section${S}` }, '2': { name: `punctuation.separator.key-value.mapping${S}` } },
  };
  // A block scalar opens with its key, so it must be tried before the top-level keys.
  topPatterns.push({ include: '#block-scalar' }, { include: '#top-key' }, { include: '#node' });

  repository.node = {
    patterns: [
      { include: '#comment' },
      { include: '#block-scalar' },
      { include: '#list-marker' },
      { include: '#pair' },
      { include: '#value' },
    ],
  };
  // Keys, with the value highlighted by the key where the schema says what it is.
  repository.pair = {
    patterns: [
      { include: '#enum-pair' },
      { include: '#ref-pair' },
      { include: '#known-key' },
      { include: '#quoted-key' },
      { include: '#other-key' },
    ],
  };
  repository['enum-pair'] = {
    patterns: [...f.enums].map(([key, values]) => ({
      match: String.raw`${START}(${escapeRegex(key)})[ \t]*(:)[ \t]+(${alt(values)})${TERM}`,
      captures: { ...keyCaptures, '3': { name: `support.constant.enum${S}` } },
    })),
  };
  repository['ref-pair'] = {
    patterns: [...f.refs].map(([kind, keys]) => ({
      match: String.raw`${START}(${alt(keys)})[ \t]*(:)[ \t]+(${ID})${TERM}`,
      captures: { ...keyCaptures, '3': { name: kindScope(kind) } },
    })),
  };
  repository['known-key'] = { match: String.raw`${START}(${alt(f.keys)})[ \t]*(:)(?=[ \t]|$)`, captures: keyCaptures };
  repository['quoted-key'] = {
    match: String.raw`${START}("(?:[^"\\]|\\.)*"|'(?:[^']|'')*')[ \t]*(:)`,
    captures: { '1': { name: `entity.name.tag${S}` }, '2': { name: `punctuation.separator.key-value.mapping${S}` } },
  };
  repository['other-key'] = {
    match: String.raw`${START}(${OTHER_KEY})[ \t]*(:)(?=[ \t]|$)`,
    captures: { '1': { name: `entity.name.tag${S}` }, '2': { name: `punctuation.separator.key-value.mapping${S}` } },
  };
  repository['list-marker'] = {
    match: String.raw`(?:^[ \t]*|(?<=-[ \t]))(-)(?=[ \t]|$)`,
    captures: { '1': { name: `punctuation.definition.block.sequence.item${S}` } },
  };
  // `key: |` and `- |`: the text below, indented past the line that opens it, is a string. The begin
  // rule takes the whole line so the end rule knows that line's indentation.
  repository['block-scalar'] = {
    name: `meta.block-scalar${S}`,
    begin: String.raw`^([ \t]*)(?:(-)[ \t]+)?(?:(?:(${alt(f.keys)})|(${OTHER_KEY}))[ \t]*(:)[ \t]+)?([|>])([1-9][-+]?|[-+][1-9]?)?[ \t]*((#).*)?$`,
    beginCaptures: {
      '2': { name: `punctuation.definition.block.sequence.item${S}` },
      '3': { name: `support.type.property-name${S}` },
      '4': { name: `entity.name.tag${S}` },
      '5': { name: `punctuation.separator.key-value.mapping${S}` },
      '6': { name: `keyword.control.flow.block-scalar${S}` },
      '7': { name: `storage.modifier.chomping-indicator${S}` },
      '8': { name: `comment.line.number-sign${S}` },
      '9': { name: `punctuation.definition.comment${S}` },
    },
    end: String.raw`^(?![ \t]*$)(?!\1[ \t]+\S)`,
    contentName: `string.unquoted.block${S}`,
  };

  const scalarPatterns = (plain: string): Json[] => [
    { include: '#string-double' },
    { include: '#string-single' },
    { include: '#flow-sequence' },
    { include: '#flow-mapping' },
    { include: '#anchor' },
    { include: '#alias' },
    { include: '#tag' },
    { include: '#constant' },
    { include: '#unit' },
    { include: '#number' },
    { include: plain },
  ];
  repository.value = { patterns: scalarPatterns('#plain') };
  repository['flow-value'] = { patterns: scalarPatterns('#plain-flow') };
  const flowPatterns: Json[] = [
    { include: '#comment' },
    { match: ',', name: `punctuation.separator.flow${S}` },
    { include: '#pair' },
    { include: '#flow-value' },
  ];
  repository['flow-sequence'] = {
    name: `meta.flow-sequence${S}`,
    begin: String.raw`\[`,
    beginCaptures: { '0': { name: `punctuation.definition.sequence.begin${S}` } },
    end: String.raw`\]`,
    endCaptures: { '0': { name: `punctuation.definition.sequence.end${S}` } },
    patterns: flowPatterns,
  };
  repository['flow-mapping'] = {
    name: `meta.flow-mapping${S}`,
    begin: String.raw`\{`,
    beginCaptures: { '0': { name: `punctuation.definition.mapping.begin${S}` } },
    end: String.raw`\}`,
    endCaptures: { '0': { name: `punctuation.definition.mapping.end${S}` } },
    patterns: flowPatterns,
  };
  repository['string-double'] = {
    name: `string.quoted.double${S}`,
    begin: '"',
    beginCaptures: { '0': { name: `punctuation.definition.string.begin${S}` } },
    end: '"',
    endCaptures: { '0': { name: `punctuation.definition.string.end${S}` } },
    patterns: [
      { match: String.raw`\\(?:[0abtnvfre "/\\N_LP\t]|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})`, name: `constant.character.escape${S}` },
      { match: String.raw`\\.`, name: `invalid.illegal.escape${S}` },
    ],
  };
  repository['string-single'] = {
    name: `string.quoted.single${S}`,
    begin: "'",
    beginCaptures: { '0': { name: `punctuation.definition.string.begin${S}` } },
    end: "'(?!')",
    endCaptures: { '0': { name: `punctuation.definition.string.end${S}` } },
    patterns: [{ match: "''", name: `constant.character.escape${S}` }],
  };
  const VALUE_START = String.raw`(?:^|(?<=[ \t{,\[:]))`;
  repository.anchor = {
    match: String.raw`${VALUE_START}(&)([^\s\[\]{},]+)`,
    captures: { '1': { name: `punctuation.definition.anchor${S}` }, '2': { name: `variable.other.anchor${S}` } },
  };
  repository.alias = {
    match: String.raw`${VALUE_START}(\*)([^\s\[\]{},]+)`,
    captures: { '1': { name: `punctuation.definition.alias${S}` }, '2': { name: `variable.other.alias${S}` } },
  };
  repository.tag = { match: String.raw`${VALUE_START}![^\s\[\]{},]*`, name: `storage.type.tag${S}` };
  repository.constant = {
    match: String.raw`${VALUE_START}(?:(true|True|TRUE|false|False|FALSE)|(null|Null|NULL|~))${TERM}`,
    captures: { '1': { name: `constant.language.boolean${S}` }, '2': { name: `constant.language.null${S}` } },
  };
  // The DSL's units (server/src/core/units.ts): durations, sizes and percentages.
  repository.unit = {
    match: String.raw`${VALUE_START}(\d+(?:\.\d+)?|\.\d+)[ \t]*(ms|s|m|B|KB|MB|GB|%)${TERM}`,
    captures: { '1': { name: `constant.numeric${S}` }, '2': { name: `keyword.other.unit${S}` } },
  };
  repository.number = {
    match: String.raw`${VALUE_START}(?:[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))${TERM}`,
    name: `constant.numeric${S}`,
  };
  // A plain scalar runs to the line end or a comment (` #`); in flow context also to `,` `]` `}` or `: `.
  repository.plain = {
    match: String.raw`(?:^|(?<=[ \t:]))${PLAIN_FIRST}(?:\S|[ \t]+[^\s#])*`,
    name: `string.unquoted.plain${S}`,
  };
  repository['plain-flow'] = {
    match: String.raw`${VALUE_START}${PLAIN_FIRST}(?:[^\s,\[\]{}:]|:(?![ \t]|$|[,\[\]{}])|[ \t]+(?![ \t#,\[\]{}]|:(?:[ \t]|$|[,\[\]{}])|$))*`,
    name: `string.unquoted.plain${S}`,
  };

  return clean({
    name: 'Topology',
    scopeName: `source.${LANGUAGE_ID}`,
    fileTypes: FILE_GLOBS.map((g) => g.replace('*.', '')),
    comment:
      'Topolint topology YAML (DSL v1). Generated from server/src/core/schema.ts and the rule registry by scripts/gen-contributions.mjs; do not edit.',
    patterns: topPatterns,
    repository,
  });
}

/**
 * An element of an id map (or a rule in `rules:`): from its id to the next line indented no deeper. A key
 * that is not a valid id still opens the element (so its own keys are not taken for ids), as a plain key.
 */
function entry(kind: string, idScope: string, patterns: Json[]): JsonObject {
  return {
    name: `meta.${kind}${S}`,
    begin: String.raw`^([ \t]+)(?:(${ID})|(${OTHER_KEY}))[ \t]*(:)(?=[ \t]|$)`,
    beginCaptures: { '2': { name: idScope }, '3': { name: `entity.name.tag${S}` }, '4': { name: `punctuation.separator.key-value.mapping${S}` } },
    end: String.raw`^(?!\1[ \t])(?=[ \t]*[^\s#])`,
    patterns,
  };
}
