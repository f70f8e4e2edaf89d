/**
 * The extension manifest and the files generated from the core (scripts/gen-contributions.ts): they are
 * committed, so this test regenerates them in memory and fails when they are stale; it checks that every
 * registered rule has a setting and a JSON Schema entry; that the JSON Schema accepts and rejects what
 * the core's validator does; that the TextMate grammar loads and highlights a topology as intended; and
 * that the client recognises `.yaml` files that are topologies.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { checkText, RULES } from '../../server/src/core';
import { parseDuration, parsePercent, parseSize } from '../../server/src/core/units';
import { contributions, grammar, GRAMMAR_PATH, jsonText, SCHEMA_PATH, topologyJsonSchema, UNIT_PATTERNS } from '../../scripts/gen-contributions';
import { isTopologyYaml } from '../../client/src/detect';

/** The project root: the nearest folder above this bundle with a package.json. */
function findRoot(from: string): string {
  let d = from;
  while (!existsSync(resolve(d, 'package.json')) && dirname(d) !== d) d = dirname(d);
  return d;
}
const ROOT = findRoot(__dirname);
const read = (path: string) => readFileSync(resolve(ROOT, path), 'utf8');
const readJson = (path: string) => JSON.parse(read(path));

const pkg = readJson('package.json');
const REGENERATE = 'run `node scripts/gen-contributions.mjs` (or `node scripts/build.mjs`) and commit the result';

// ---------------------------------------------------------------------------------------------------
// Generated files are up to date

test('package.json contributes.configuration and yamlValidation match the rule registry', () => {
  const expected = contributions();
  assert.deepEqual(pkg.contributes?.configuration, expected.configuration, `contributes.configuration is stale: ${REGENERATE}`);
  assert.deepEqual(pkg.contributes?.yamlValidation, expected.yamlValidation, `contributes.yamlValidation is stale: ${REGENERATE}`);
});

test(`${SCHEMA_PATH} and ${GRAMMAR_PATH} match the schema and the rule registry`, () => {
  assert.ok(existsSync(resolve(ROOT, SCHEMA_PATH)), `${SCHEMA_PATH} is missing: ${REGENERATE}`);
  assert.ok(read(SCHEMA_PATH) === jsonText(topologyJsonSchema()), `${SCHEMA_PATH} is stale: ${REGENERATE}`);
  assert.ok(existsSync(resolve(ROOT, GRAMMAR_PATH)), `${GRAMMAR_PATH} is missing: ${REGENERATE}`);
  assert.ok(read(GRAMMAR_PATH) === jsonText(grammar()), `${GRAMMAR_PATH} is stale: ${REGENERATE}`);
});

// ---------------------------------------------------------------------------------------------------
// Every rule has a setting and a JSON Schema entry (read from the committed files, not the generator)

test('every registered rule has a setting with its severity and options', () => {
  const props = pkg.contributes.configuration.properties;
  const rules = props['topolint.rules'];
  assert.equal(rules.type, 'object');
  assert.deepEqual(rules.default, {});
  for (const rule of RULES) {
    const { id, defaultSeverity, options } = rule.meta;
    const entry = rules.properties?.[id];
    assert.ok(entry, `rule '${id}' has no entry under topolint.rules in package.json`);
    const object = entry.anyOf.find((s: { type: string }) => s.type === 'object');
    assert.ok(object, `rule '${id}': no object form`);
    assert.deepEqual(object.properties.severity.enum, ['off', 'info', 'warning', 'error']);
    assert.equal(object.properties.severity.default, defaultSeverity, `rule '${id}': severity default`);
    for (const [name, o] of Object.entries(options)) {
      const s = object.properties[name];
      assert.ok(s, `rule '${id}' option '${name}' has no setting`);
      assert.equal(s.type, o.type === 'int' ? 'integer' : 'number', `rule '${id}' option '${name}': type`);
      assert.equal(s.default, o.default, `rule '${id}' option '${name}': default`);
      if (o.min !== undefined) assert.equal(s.minimum, o.min, `rule '${id}' option '${name}': minimum`);
      assert.ok(String(s.description).startsWith(o.description), `rule '${id}' option '${name}': description`);
    }
    assert.deepEqual(Object.keys(object.properties).sort(), ['severity', ...Object.keys(options)].sort(), `rule '${id}': settings for options it does not have`);
  }
  assert.deepEqual(Object.keys(rules.properties).sort(), RULES.map((r) => r.meta.id).sort(), 'settings for rules that are not registered');
  assert.equal(props['topolint.debounceMs'].type, 'number');
  assert.equal(props['topolint.debounceMs'].default, 150);
  assert.deepEqual(props['topolint.trace.server'].enum, ['off', 'messages', 'verbose']);
});

test('every registered rule has an entry in the JSON Schema rules block, with its options', () => {
  const schema = readJson(SCHEMA_PATH);
  const block = schema.properties.rules;
  for (const rule of RULES) {
    const entry = block.properties?.[rule.meta.id];
    assert.ok(entry, `rule '${rule.meta.id}' has no entry under rules in ${SCHEMA_PATH}`);
    const object = entry.anyOf.find((s: { type?: string }) => s.type === 'object');
    assert.deepEqual(Object.keys(object.properties).sort(), ['severity', ...Object.keys(rule.meta.options)].sort());
  }
  assert.equal(block.additionalProperties, false);
  assert.deepEqual(schema.definitions.accept.properties.rule.enum, RULES.map((r) => r.meta.id));
});

// ---------------------------------------------------------------------------------------------------
// The JSON Schema accepts and rejects what the core does

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
const validateTopology: ValidateFunction = ajv.compile(readJson(SCHEMA_PATH));

/** What the core says about a document's shape: schema findings, unknown rule ids and YAML errors. */
function coreRejects(text: string): string[] {
  return checkText('file:///test/doc.topology.yaml', text)
    .findings.filter((f) => f.rule === 'schema' || f.rule === 'yaml-syntax' || (f.rule === 'unknown-reference' && f.messageId === 'unknown-rule'))
    .map((f) => `${f.rule}: ${f.message}`);
}

function schemaErrors(text: string): string[] {
  return validateTopology(parseYaml(text)) ? [] : (validateTopology.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** Asserts the verdict of the JSON Schema, and that the core's validator agrees with it. */
function expectVerdict(text: string, valid: boolean, label: string): void {
  const errors = schemaErrors(text);
  const core = coreRejects(text);
  assert.equal(errors.length === 0, valid, `${label}: the JSON Schema ${valid ? 'rejects' : 'accepts'} it: ${errors.join('; ')}\n${text}`);
  assert.equal(core.length === 0, valid, `${label}: the core ${valid ? 'rejects' : 'accepts'} it, unlike the JSON Schema: ${core.join('; ')}\n${text}`);
}

const VALID = `# Every section, in block and flow style.
topology: boutique
description: Demo shop
imports: [./payments.topology.yaml]
defaults: { timeout: 2s, retries: 1, availability: 99.9% }
services:
  frontend:
    exposure: external
    kind: bff
    team: web
    slo: { availability: 99.95%, latency: 300ms }
    versions: [v1, 2]
    calls:
      - to: checkout
        style: sync
        protocol: grpc
        operation: PlaceOrder
        perRequest: 1
        timeout: 250
        retries: 0
        idempotent: false
        payload: 4KB
        version: v1
        fallback: show the cart again
      - { to: catalog, perRequest: n, timeout: 1.5m, payload: 512 }
  checkout:
    description: |
      Places orders.
      timeout: this line is text, not a key
    calls:
      - to: payment
        style: async
        accept:
          - rule: sync-chain
            reason: Payment must confirm before the receipt
            adr: docs/adr/0007-sync-payment.md
    publishes:
      - event: order-placed
        delivery: outbox
    subscribes:
      - event: payment-failed
        uses: [orderId, reason]
    uses:
      - store: orders-db
        access: readwrite
    deployTogether: [payment]
  payment:
    kind: legacy
    publishes: [{ event: payment-failed, delivery: cdc }]
    calls:
  catalog:
datastores:
  orders-db:
    kind: database
    technology: postgres
    owner: checkout
  lake: { kind: data-lake }
events:
  order-placed:
    broker: kafka
    content: full
    payload: 2KB
    maxSize: 1MB
    fields:
      - orderId
      - { name: email, sensitive: true }
  payment-failed: { content: id }
flows:
  place-order:
    entry: frontend
    budget: { latency: 800ms, availability: 0.999 }
rules:
  sync-chain: { severity: error, max: 4 }
  chatty-calls: off
  shared-database: { max: 2 }
`.replace('shared-database: { max: 2 }', 'shared-database: info');

const INVALID: [string, string][] = [
  ['an unknown key', 'topology: t\nservices:\n  a:\n    colour: red\n'],
  ['an unknown top-level key', 'topology: t\nservices: { a: }\nservces: {}\n'],
  ['a bad duration unit', 'topology: t\nservices:\n  a:\n    calls:\n      - to: a\n        timeout: 2h\n'],
  ['a size unit in lower case', 'topology: t\nservices: { a: }\nevents:\n  e: { payload: 4kb }\n'],
  ['a percentage over 100%', 'topology: t\ndefaults: { availability: 100.5% }\nservices: { a: }\n'],
  ['a fraction over 1', 'topology: t\ndefaults: { availability: 1.5 }\nservices: { a: }\n'],
  ['a negative duration', 'topology: t\ndefaults: { timeout: -5 }\nservices: { a: }\n'],
  ['a bad call style', 'topology: t\nservices:\n  a:\n    calls:\n      - to: a\n        style: asynk\n'],
  ['a bad delivery', 'topology: t\nservices:\n  a:\n    publishes:\n      - event: e\n        delivery: kafka\nevents: { e: }\n'],
  ['a bad access', 'topology: t\nservices:\n  a:\n    uses: [{ store: db, access: rw }]\ndatastores: { db: }\n'],
  ['a bad exposure', 'topology: t\nservices:\n  a: { exposure: public }\n'],
  ['a bad id', 'topology: t\nservices:\n  1st-service: {}\n'],
  ['a missing topology key', 'services:\n  a: {}\n'],
  ['a missing services key', 'topology: t\n'],
  ['an empty services key', 'topology: t\nservices:\n'],
  ['no services', 'topology: t\nservices: {}\n'],
  ['a flow without its entry', 'topology: t\nservices: { a: }\nflows:\n  f:\n'],
  ['a call without to', 'topology: t\nservices:\n  a:\n    calls:\n      - style: sync\n'],
  ['a fractional retry count', 'topology: t\ndefaults: { retries: 1.5 }\nservices: { a: }\n'],
  ['perRequest 0', 'topology: t\nservices:\n  a:\n    calls: [{ to: a, perRequest: 0 }]\n'],
  ['a quoted perRequest', 'topology: t\nservices:\n  a:\n    calls: [{ to: a, perRequest: "2" }]\n'],
  ['yes for a boolean (YAML 1.2)', 'topology: t\nservices:\n  a:\n    calls: [{ to: a, idempotent: yes }]\n'],
  ['a number as an event field', 'topology: t\nservices: { a: }\nevents:\n  e: { fields: [42] }\n'],
  ['a list for a name', 'topology: [a]\nservices: { a: }\n'],
  ['no value for a text key', 'topology: t\ndescription:\nservices: { a: }\n'],
  ['a list as the document', '- topology: t\n'],
  ['an unknown rule id', 'topology: t\nservices: { a: }\nrules:\n  sync-chains: off\n'],
  ['an unknown rule in accept', 'topology: t\nservices:\n  a:\n    accept: [{ rule: nope }]\n'],
  ['a bad severity', 'topology: t\nservices: { a: }\nrules:\n  sync-chain: loud\n'],
  ['a rule option below its minimum', 'topology: t\nservices: { a: }\nrules:\n  sync-chain: { max: 0 }\n'],
  ['an option the rule does not have', 'topology: t\nservices: { a: }\nrules:\n  self-call: { max: 3 }\n'],
];

test('valid topologies pass the JSON Schema (and the core agrees)', () => {
  expectVerdict(VALID, true, 'the full example');
  expectVerdict('topology: t\nservices:\n  a:\n', true, 'the smallest topology');
  expectVerdict('topology: 2024\nservices: { a: { versions: [1, 2] } }\ndatastores:\nevents:\nflows:\nrules:\n', true, 'numbers as text, empty sections');
});

test('a document with an unknown key, a bad unit or a bad enum fails the JSON Schema (and the core agrees)', () => {
  for (const [label, text] of INVALID) expectVerdict(text, false, label);
});

test('files in examples/ and test/fixtures/ get the same verdict from the JSON Schema as from the core', () => {
  const files = ['examples', 'test/fixtures'].flatMap((dir) => walk(resolve(ROOT, dir))).filter((p) => /\.topology\.ya?ml$/.test(p));
  assert.ok(files.length > 0);
  let valid = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const core = coreRejects(text);
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch {
      // Not YAML at all (an example of broken input): the core must say so, and no schema applies.
      assert.ok(core.some((c) => c.startsWith('yaml-syntax')), `${file} does not parse, yet the core reports no YAML error`);
      continue;
    }
    const ok = validateTopology(doc);
    assert.equal(ok, core.length === 0, `${file}: the JSON Schema ${ok ? 'accepts' : 'rejects'} it (${ajv.errorsText(validateTopology.errors)}), the core says: ${core.join('; ') || 'fine'}`);
    if (ok) valid++;
  }
  assert.ok(valid > 0, 'not one valid topology among the examples and fixtures');
});

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

test('the unit patterns of the JSON Schema accept exactly what the core parses', () => {
  const samples = ['250ms', '2s', '1.5m', '0', '250', ' 2s ', '2 s', '.5s', '2h', '2S', '2sec', '-1s', '1.s', 'ms', '', '512B', '4KB', '1.5MB', '2GB', '4kb', '4 KB', '4KiB',
    '99.9%', '100%', '100.0%', '100.5%', '101%', '0%', '.5%', '007%', '99.99 %', '99,9%', '%', '1e2%', '50'];
  const pairs = [
    [UNIT_PATTERNS.duration, parseDuration],
    [UNIT_PATTERNS.size, parseSize],
    [UNIT_PATTERNS.percent, parsePercent],
  ] as const;
  for (const [pattern, parser] of pairs) {
    const re = new RegExp(pattern);
    for (const s of samples) assert.equal(re.test(s), parser(s).ok, `${pattern} on '${s}'`);
  }
});

test('the settings schema accepts what the engine reads and rejects the rest', () => {
  const settingsAjv = new Ajv({ allErrors: true, strict: false });
  const validate = settingsAjv.compile(pkg.contributes.configuration.properties['topolint.rules']);
  for (const ok of [{}, { 'sync-chain': 'off' }, { 'sync-chain': { severity: 'error', max: 4 } }, { 'chatty-calls': { total: 20 } }]) {
    assert.ok(validate(ok), `${JSON.stringify(ok)}: ${settingsAjv.errorsText(validate.errors)}`);
  }
  for (const bad of [{ 'sync-chain': 'loud' }, { 'sync-chain': { max: 0 } }, { 'sync-chain': { max: 2.5 } }, { 'sync-chain': { depth: 3 } }, { 'no-such-rule': 'off' }]) {
    assert.ok(!validate(bad), `${JSON.stringify(bad)} should be rejected`);
  }
});

// ---------------------------------------------------------------------------------------------------
// The manifest

test('the manifest contributes the language, grammar, command and activation events', () => {
  const c = pkg.contributes;
  const lang = c.languages.find((l: { id: string }) => l.id === 'topology');
  assert.ok(lang, 'no topology language');
  assert.deepEqual(lang.extensions, ['.topology.yaml', '.topology.yml']);
  assert.ok(existsSync(resolve(ROOT, lang.configuration)), `${lang.configuration} is missing`);
  const g = c.grammars.find((x: { language: string }) => x.language === 'topology');
  assert.equal(g.scopeName, 'source.topology');
  assert.equal(resolve(ROOT, g.path), resolve(ROOT, GRAMMAR_PATH));
  assert.deepEqual(c.yamlValidation, [{ fileMatch: ['*.topology.yaml', '*.topology.yml'], url: `./${SCHEMA_PATH}` }]);
  for (const e of ['onLanguage:topology', 'onLanguage:yaml', 'workspaceContains:**/*.topology.{yaml,yml}']) assert.ok(pkg.activationEvents.includes(e), `activation event ${e}`);
  assert.equal(pkg.main, './dist/extension.js');
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, true);
  // Every contributed command is registered somewhere in the client's sources.
  const clientFiles = (dir: string): string[] => readdirSync(resolve(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? clientFiles(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : []));
  const client = clientFiles('client/src').map(read).join('\n');
  for (const cmd of c.commands) assert.ok(client.includes(`registerCommand('${cmd.command}'`), `${cmd.command} is contributed but never registered`);
});

test('the language configuration parses and its onEnter rules indent after `key:`', () => {
  const conf = readJson('language-configuration.json');
  assert.equal(conf.comments.lineComment, '#');
  assert.equal(conf.folding.offSide, true);
  for (const p of [conf.wordPattern, conf.indentationRules.increaseIndentPattern, conf.indentationRules.decreaseIndentPattern]) new RegExp(p);
  /** The action VS Code takes on Enter after `line`: the first rule whose beforeText matches. */
  const onEnter = (line: string, after = '') =>
    (conf.onEnterRules as { beforeText: string; afterText?: string; action: { indent: string; appendText?: string } }[]).find(
      (r) => new RegExp(r.beforeText).test(line) && (!r.afterText || new RegExp(r.afterText).test(after)),
    )?.action;
  assert.deepEqual(onEnter('services:'), { indent: 'indent' });
  assert.deepEqual(onEnter('    calls:   # the callees'), { indent: 'indent' });
  assert.deepEqual(onEnter('  description: |'), { indent: 'indent' });
  assert.deepEqual(onEnter('      - to:'), { indent: 'indent', appendText: '  ' });
  assert.deepEqual(onEnter('      - to: payment'), { indent: 'none', appendText: '  ' });
  assert.deepEqual(onEnter('  slo: {', '}'), { indent: 'indentOutdent' });
  assert.equal(onEnter('    team: payments'), undefined);
  assert.equal(onEnter('      - orderId'), undefined);
  assert.equal(onEnter('# note: this is a comment'), undefined);
});

// ---------------------------------------------------------------------------------------------------
// The TextMate grammar

interface GRule {
  readonly match?: string;
  readonly begin?: string;
  readonly end?: string;
  readonly name?: string;
  readonly contentName?: string;
  readonly captures?: Caps;
  readonly beginCaptures?: Caps;
  readonly endCaptures?: Caps;
  readonly patterns?: GRule[];
  readonly include?: string;
}
type Caps = Readonly<Record<string, { readonly name?: string }>>;
interface Grammar {
  readonly scopeName: string;
  readonly patterns: GRule[];
  readonly repository: Readonly<Record<string, GRule>>;
}

function eachRule(g: Grammar, fn: (r: GRule, where: string) => void): void {
  const visit = (r: GRule, where: string) => {
    fn(r, where);
    r.patterns?.forEach((p, i) => visit(p, `${where}.patterns[${i}]`));
  };
  g.patterns.forEach((p, i) => visit(p, `patterns[${i}]`));
  for (const [k, r] of Object.entries(g.repository)) visit(r, `repository.${k}`);
}

test('the grammar is valid JSON with the scope name, compiling regexes and resolvable includes', () => {
  const g: Grammar = readJson(GRAMMAR_PATH);
  assert.equal(g.scopeName, 'source.topology');
  let regexes = 0;
  eachRule(g, (r, where) => {
    if (r.include) {
      assert.ok(r.include === '$self' || (r.include.startsWith('#') && g.repository[r.include.slice(1)]), `${where}: include ${r.include} resolves to nothing`);
      return;
    }
    assert.ok(r.match || r.begin || r.patterns, `${where}: a rule with no match, begin or patterns`);
    if (r.begin) assert.ok(r.end, `${where}: begin without end`);
    for (const src of [r.match, r.begin, r.end]) {
      if (src === undefined) continue;
      assert.ok(typeof src === 'string' && src.length > 0, `${where}: empty regex`);
      // Oniguruma-only constructs would compile in VS Code but not here; the grammar avoids them.
      assert.doesNotMatch(src, /\\[hHAGzZ]|\(\?>|[*+?}][+]|\(\?[imx-]+\)/, `${where}: Oniguruma-only construct in ${src}`);
      assert.doesNotThrow(() => new RegExp(src), `${where}: ${src}`);
      regexes++;
    }
  });
  assert.ok(regexes > 30);
});

/**
 * A small TextMate tokenizer (match, begin/end with back-references, captures, contentName, includes),
 * enough to check what scopes the grammar gives. Returns, per line, the scopes of each character.
 */
function tokenize(g: Grammar, text: string): string[][][] {
  const cache = new Map<string, RegExp>();
  const re = (src: string) => {
    let r = cache.get(src);
    if (!r) cache.set(src, (r = new RegExp(src, 'dg')));
    return r;
  };
  const flatten = (patterns: readonly GRule[], out: GRule[] = [], seen = new Set<GRule>()): GRule[] => {
    for (const p of patterns) {
      const r = p.include ? (p.include === '$self' ? { patterns: g.patterns } : g.repository[p.include.slice(1)]) : p;
      if (r.match || r.begin) out.push(r);
      else if (r.patterns && !seen.has(r)) {
        seen.add(r);
        flatten(r.patterns, out, seen);
      }
    }
    return out;
  };
  interface Frame {
    readonly rule?: GRule;
    readonly patterns: GRule[];
    readonly scopes: string[];
    readonly content: string[];
    readonly end?: string;
  }
  const stack: Frame[] = [{ patterns: flatten(g.patterns), scopes: [g.scopeName], content: [g.scopeName] }];
  return text.split('\n').map((line) => {
    const out: string[][] = Array.from({ length: line.length }, () => []);
    const fill = (from: number, to: number, scopes: string[]) => {
      for (let i = from; i < to; i++) out[i] = [...scopes];
    };
    const captures = (caps: Caps | undefined, m: RegExpExecArray) => {
      for (const [i, c] of Object.entries(caps ?? {})) {
        const at = m.indices?.[Number(i)];
        if (at && c.name) for (let k = at[0]; k < at[1]; k++) out[k].push(c.name);
      }
    };
    let pos = 0;
    for (let guard = 0; pos <= line.length; guard++) {
      assert.ok(guard < 10_000, `the tokenizer loops on: ${line}`);
      const top = stack[stack.length - 1];
      let best: { m: RegExpExecArray; rule?: GRule } | undefined;
      if (top.end) {
        const r = re(top.end);
        r.lastIndex = pos;
        const m = r.exec(line);
        if (m) best = { m };
      }
      for (const rule of top.patterns) {
        const r = re((rule.match ?? rule.begin)!);
        r.lastIndex = pos;
        const m = r.exec(line);
        if (m && (!best || m.index < best.m.index)) best = { m, rule };
      }
      if (!best) {
        fill(pos, line.length, top.content);
        break;
      }
      const { m, rule } = best;
      const end = m.index + m[0].length;
      fill(pos, m.index, top.content);
      if (!rule) {
        fill(m.index, end, top.scopes);
        captures(top.rule?.endCaptures ?? top.rule?.captures, m);
        stack.pop();
      } else {
        const scopes = rule.name ? [...top.content, rule.name] : [...top.content];
        fill(m.index, end, scopes);
        if (rule.match) captures(rule.captures, m);
        else {
          captures(rule.beginCaptures ?? rule.captures, m);
          const endSrc = rule.end!.replace(/\\(\d)/g, (_, i: string) => (m[Number(i)] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
          stack.push({ rule, patterns: flatten(rule.patterns ?? []), scopes, content: rule.contentName ? [...scopes, rule.contentName] : scopes, end: endSrc });
        }
      }
      // An empty match moves on one character; an empty end (a lookahead) pops and tries again here.
      pos = end === m.index && rule?.match ? end + 1 : end;
    }
    return out;
  });
}

const SAMPLE = `# A demo topology
topology: shop
services:
  checkout:
    exposure: external
    calls:
      - to: payment
        style: async
        timeout: 250ms
        payload: 4KB
        idempotent: false
        perRequest: n
        retries: 2
        fallback: cached price # kept for an hour
    slo: { availability: 99.9%, latency: 300ms }
    description: |
      timeout: 2s is text here
    publishes:
      - event: order-placed
        delivery: outbox
  events:
    team: "payments\\n"
datastores:
  orders-db:
    owner: checkout
    colour: blue
rules:
  sync-chain: { severity: error, max: 4 }
  chatty-calls: off
`;

test('the grammar highlights keys, ids, enum values, units and references', () => {
  const g: Grammar = readJson(GRAMMAR_PATH);
  const lines = SAMPLE.split('\n');
  const tokens = tokenize(g, SAMPLE);
  /** The scopes of every character of the nth `needle` on the line that contains `context`. */
  const scopes = (context: string, needle: string = context): string[] => {
    const l = lines.findIndex((x) => x.includes(context));
    assert.ok(l >= 0, `no line with ${context}`);
    const start = lines[l].indexOf(needle, lines[l].indexOf(context));
    assert.ok(start >= 0, `no ${needle} in ${lines[l]}`);
    const first = tokens[l][start];
    for (let i = start; i < start + needle.length; i++) assert.deepEqual(tokens[l][i], first, `'${needle}' in '${lines[l]}' is split into different scopes`);
    return first;
  };
  const expect = (context: string, needle: string, scope: string) => {
    const s = scopes(context, needle);
    assert.ok(s.some((x) => x.startsWith(scope)), `'${needle}' in '${context}': expected ${scope}, got ${s.join(' ')}`);
  };
  const expectNot = (context: string, needle: string, prefix: string) => {
    const s = scopes(context, needle);
    assert.ok(!s.some((x) => x.startsWith(prefix)), `'${needle}' in '${context}': did not expect ${prefix}, got ${s.join(' ')}`);
  };
  expect('# A demo', 'A demo topology', 'comment.line.number-sign.topology');
  expect('topology: shop', 'topology', 'keyword.other.section.topology');
  expect('topology: shop', 'shop', 'string.unquoted.plain.topology');
  expect('services:', 'services', 'keyword.other.section.topology');
  expect('  checkout:', 'checkout', 'entity.name.type.service.topology');
  expect('exposure: external', 'exposure', 'support.type.property-name.topology');
  expect('exposure: external', 'external', 'support.constant.enum.topology');
  expect('- to: payment', '-', 'punctuation.definition.block.sequence.item.topology');
  expect('- to: payment', 'to', 'support.type.property-name.topology');
  expect('- to: payment', 'payment', 'entity.name.type.service.topology');
  expect('style: async', 'async', 'support.constant.enum.topology');
  expect('timeout: 250ms', '250', 'constant.numeric.topology');
  expect('timeout: 250ms', 'ms', 'keyword.other.unit.topology');
  expect('payload: 4KB', 'KB', 'keyword.other.unit.topology');
  expect('idempotent: false', 'false', 'constant.language.boolean.topology');
  expect('perRequest: n', 'n', 'support.constant.enum.topology');
  expect('retries: 2', '2', 'constant.numeric.topology');
  expect('fallback: cached', 'cached price', 'string.unquoted.plain.topology');
  expect('fallback: cached', 'kept for an hour', 'comment.line.number-sign.topology');
  expect('slo: {', '{', 'punctuation.definition.mapping.begin.topology');
  expect('slo: {', 'availability', 'support.type.property-name.topology');
  expect('slo: {', '99.9', 'constant.numeric.topology');
  expect('slo: {', '%', 'keyword.other.unit.topology');
  expect('slo: {', '300', 'constant.numeric.topology');
  expect('description: |', '|', 'keyword.control.flow.block-scalar.topology');
  expect('timeout: 2s is text', 'timeout: 2s is text here', 'string.unquoted.block.topology');
  expectNot('timeout: 2s is text', 'timeout', 'support.type.property-name');
  expect('- event: order-placed', 'order-placed', 'entity.name.type.event.topology');
  expect('delivery: outbox', 'outbox', 'support.constant.enum.topology');
  // A service named like a section is an id, not a keyword: ids are the first level under services.
  expect('  events:', 'events', 'entity.name.type.service.topology');
  expect('team: "payments', '\\n', 'constant.character.escape.topology');
  expect('team: "payments', '"', 'string.quoted.double.topology');
  expect('datastores:', 'datastores', 'keyword.other.section.topology');
  expect('  orders-db:', 'orders-db', 'entity.name.type.datastore.topology');
  expect('owner: checkout', 'checkout', 'entity.name.type.service.topology');
  // A key the DSL does not know is a plain key, so a typo does not look like a keyword.
  expect('colour: blue', 'colour', 'entity.name.tag.topology');
  expectNot('colour: blue', 'colour', 'support.type.property-name');
  expect('sync-chain:', 'sync-chain', 'entity.name.function.rule.topology');
  expect('sync-chain:', 'error', 'support.constant.enum.topology');
  expect('sync-chain:', '4', 'constant.numeric.topology');
  expect('chatty-calls: off', 'chatty-calls', 'entity.name.function.rule.topology');
  expect('chatty-calls: off', 'off', 'support.constant.enum.topology');
});

// ---------------------------------------------------------------------------------------------------
// The client's detection of topologies in .yaml files

test('a yaml document is a topology when its first key is topology', () => {
  assert.ok(isTopologyYaml('topology: shop\nservices: {}\n'));
  assert.ok(isTopologyYaml('\uFEFF# Our system\n\n# more words: here\n%YAML 1.2\n---\ntopology: shop\n'));
  assert.ok(isTopologyYaml('"topology": shop\n'));
  assert.ok(isTopologyYaml('--- topology: shop\n'));
  assert.ok(isTopologyYaml('topology:\r\n  shop\r\n'));
  assert.ok(!isTopologyYaml('services: {}\ntopology: shop\n'), 'topology is not the first key');
  assert.ok(!isTopologyYaml('  topology: shop\n'), 'an indented key is not a top-level key');
  assert.ok(!isTopologyYaml('topologyName: shop\n'));
  assert.ok(!isTopologyYaml('topology-x: shop\n'));
  assert.ok(!isTopologyYaml('# topology: shop\nname: x\n'));
  assert.ok(!isTopologyYaml(''));
  assert.ok(!isTopologyYaml('# only comments\n'));
});
