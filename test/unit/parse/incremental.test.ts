/**
 * The incremental parser (server/src/core/incremental.ts): where it cuts a document, where it refuses to,
 * and the property that makes it safe: for any text, the chunked reading through a warm cache gives the
 * same findings as a fresh parse, and — wherever the whole-document parse finds no syntax error — the
 * same tree and findings as that whole parse. Then the point of it all: a one-character edit in a
 * 1,000-service file re-parses one chunk.
 *
 * Where the whole parse reports a syntax error the readings may differ, on purpose: the chunked one
 * confines the error to its chunk (an unclosed quote no longer swallows the rest of the file), and the
 * no-cache path (the CLI) then reads chunk by chunk too, so editor and CLI agree. What is checked there
 * is that the chunked reading never hides the error: it reports at least one yaml-syntax finding too.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, ChunkCache, parseFile, RULES, type Finding, type ParsedFile } from '../../../server/src/core';
import { cutChunks, parseIncremental } from '../../../server/src/core/incremental';
import { parseYaml, type YNode } from '../../../server/src/core/ynode';
import { validate } from '../../../server/src/core/schema';
import { optionInfo } from '../../../server/src/core/engine';
import { buildTopology } from '../../../server/src/core/model';
import { span } from '../../../server/src/core/span';
import { generateTopology } from '../../generate';
import { URI } from '../../helpers';
import { xorshift32 } from '../../prng';

describe('cutChunks: where a document is cut', () => {
  const text = [
    '# A preamble comment belongs to the first chunk.',
    'topology: t',
    'description: >',
    '  folded text',
    'services:   # the section header',
    '  a:',
    '    team: x',
    '    calls:',
    '      - to: b',
    '  # a comment between entries stays with the entry before it',
    '',
    '  "b": { kind: job }',
    'datastores:',
    '  db:',
    '    owner: a',
    'rules:',
    '  sync-chain: off',
    '',
  ].join('\n');

  test('each top-level key, and each entry of an entry section, is a chunk', () => {
    const tops = cutChunks(text);
    assert.ok(tops);
    const slice = (p: { start: number; end: number }) => text.slice(p.start, p.end);
    assert.deepEqual(tops.map((t) => slice(t).split('\n')[0]), ['# A preamble comment belongs to the first chunk.', 'description: >', 'services:   # the section header', 'datastores:', 'rules:']);
    assert.equal(tops[0].start, 0);
    for (let i = 1; i < tops.length; i++) assert.equal(tops[i].start, tops[i - 1].end, 'the chunks tile the text');
    assert.equal(tops[tops.length - 1].end, text.length);

    const services = tops[2];
    assert.equal(text.slice(services.start, services.headerEnd), 'services:   # the section header\n');
    assert.deepEqual(services.entries!.map(slice), [
      '  a:\n    team: x\n    calls:\n      - to: b\n  # a comment between entries stays with the entry before it\n\n',
      '  "b": { kind: job }\n',
    ]);
    assert.deepEqual(tops[3].entries!.map(slice), ['  db:\n    owner: a\n']);
    assert.equal(tops[4].entries, undefined, 'rules is one chunk: only services, datastores, events and flows are cut into entries');
    assert.equal(tops[1].entries, undefined, 'a key with a value on its line is one chunk');
  });

  test('CRLF line ends cut at the same places', () => {
    const crlf = text.replace(/\n/g, '\r\n');
    const a = cutChunks(text)!;
    const b = cutChunks(crlf)!;
    assert.equal(b.length, a.length);
    assert.deepEqual(b[2].entries!.map((p) => crlf.slice(p.start, p.end).replace(/\r\n/g, '\n')), a[2].entries!.map((p) => text.slice(p.start, p.end)));
  });

  const unsafe: [string, string][] = [
    ['an anchor', 'topology: t\ndefaults: &d { timeout: 2s }\nservices:\n  a: {}\n'],
    ['an alias', 'topology: t\nservices:\n  a: {}\n  b:\n    calls: *c\n'],
    ['an anchor on a list item', 'topology: t\nservices:\n  a:\n    calls:\n      - &c { to: b }\n'],
    ['an alias in a flow list', 'topology: t\nservices:\n  a:\n    versions: [v1,*v]\n'],
    ['a tag', 'topology: !!str t\nservices:\n  a: {}\n'],
    ['a local tag', 'topology: t\nservices:\n  a: !service {}\n'],
    ['a document start', '---\ntopology: t\nservices:\n  a: {}\n'],
    ['a second document', 'topology: t\nservices:\n  a: {}\n---\ntopology: u\n'],
    ['a document end', 'topology: t\nservices:\n  a: {}\n...\n'],
    ['a directive', '%YAML 1.2\ntopology: t\nservices:\n  a: {}\n'],
    ['a tab indenting a line', 'topology: t\nservices:\n\ta: {}\n'],
    ['a tab after spaces in the indentation', 'topology: t\nservices:\n  a:\n  \tteam: x\n'],
    ['a tab at the very start', '\ttopology: t\n'],
    ['a list at the top level', '- topology: t\n'],
    ['a quoted top-level key', '"topology": t\nservices:\n  a: {}\n'],
    ['an explicit top-level key', '? topology\n: t\n'],
    ['a flow map at the top level', '{ topology: t, services: { a: {} } }\n'],
    ['a top-level flow map that closes at column 0', 'topology: t\ndefaults: {\n  timeout: 2s\n}\nservices:\n  a: {}\n'],
    ['a top-level key with no space after the colon', 'topology:t\n'],
    ['a list of services at column 0', 'topology: t\nservices:\n- a\n'],
    ['a list of services, indented', 'topology: t\nservices:\n  - a\n'],
    ['an entry less indented than the first', 'topology: t\nservices:\n    a: {}\n  b: {}\n'],
    ['an entry key with a space', 'topology: t\nservices:\n  my service: {}\n'],
    ['a byte order mark', '\ufefftopology: t\nservices:\n  a: {}\n'],
    ['comments only', '# nothing\n# here\n'],
    ['an empty text', ''],
    ['a star in prose (conservative: it could be an alias)', 'topology: t\ndescription: uses *args\nservices:\n  a: {}\n'],
  ];
  for (const [name, t] of unsafe) {
    test(`not cut: ${name}`, () => {
      assert.equal(cutChunks(t), null);
      const whole = parseYaml(t);
      if (whole.problems.length > 0) return; // A broken text may still be read chunk by chunk: see below.
      // With a cache the text is read whole, and reads the same as without one.
      const cache = new ChunkCache();
      const r = parseIncremental(t, cache);
      assert.equal(r.chunked, false);
      assert.deepEqual(r.root, whole.root);
      assert.equal(cache.hits + cache.misses, 0, 'no chunk was parsed');
    });
  }

  test('a broken document may be cut around a line that starts with a tab: it gets a junk piece of its own', () => {
    const t = 'topology: t\nservices:\n  a: {}\n\tteam: x\n    more: 1\n  b: {}\ndefaults:\n\tretries: 1\n';
    assert.equal(cutChunks(t), null);
    const tops = cutChunks(t, true);
    assert.ok(tops);
    const slice = (p: { start: number; end: number }) => t.slice(p.start, p.end);
    // The tab line takes the lines under it along, up to the next entry or top-level key.
    assert.deepEqual(tops[1].entries!.map((p) => [slice(p), !!p.junk]), [['  a: {}\n', false], ['\tteam: x\n    more: 1\n', true], ['  b: {}\n', false]]);
    assert.deepEqual(tops.slice(2).map((p) => [slice(p), !!p.junk]), [['defaults:\n', false], ['\tretries: 1\n', true]]);
    // A junk piece adds its errors (the tab, and what the library makes of the lines under it) and nothing else.
    const r = parseIncremental(t);
    const junk = [tops[1].entries![1], tops[3]];
    assert.ok(r.problems.every((p) => junk.some((j) => j.start <= p.span.start && p.span.end <= j.end)), JSON.stringify(r.problems));
    assert.deepEqual(r.problems.filter((p) => p.code === 'TAB_AS_INDENT').map((p) => p.span.start), [t.indexOf('\tteam'), t.indexOf('\tretries')]);
    const services = r.root?.kind === 'map' ? r.root.pairs.find((p) => p.key === 'services')?.value : null;
    assert.deepEqual(services?.kind === 'map' && services.pairs.map((p) => p.key), ['a', 'b']);
    // A tab after spaces can be valid (inside a block scalar): still not cut. Nor are anchors, broken or not.
    assert.equal(cutChunks('topology: t\nservices:\n  a:\n  \tteam: x\n', true), null);
    assert.equal(cutChunks('topology: t\nservices:\n  a: &x {}\n\tb: {}\n', true), null);
    assert.equal(cutChunks('\ttopology: t\n', true), null, 'nothing before the tab line to cut after');
  });

  test('a broken document is read chunk by chunk with or without a cache, and both agree', () => {
    const t = 'topology: t\nservices:\n  a:\n    description: "open\n  b:\n    calls: [{ to: nowhere }]\n';
    assert.ok(parseYaml(t).problems.length > 0);
    const noCache = parseIncremental(t);
    const cached = parseIncremental(t, new ChunkCache());
    assert.equal(noCache.chunked, true);
    assert.deepEqual(noCache, cached);
    const services = noCache.root?.kind === 'map' ? noCache.root.pairs.find((p) => p.key === 'services')?.value : null;
    assert.deepEqual(services?.kind === 'map' && services.pairs.map((p) => p.key), ['a', 'b'], 'b survives the unclosed quote in a');
  });

  test('a chunk meets the nesting limit exactly where the whole document does', () => {
    // An entry chunk's root stands one level below the document's root; read from depth 0, an entry
    // nested one level too deep passed in the editor while the whole parse reported it.
    for (let d = 60; d <= 66; d++) {
      const t = `topology: t\nservices:\n  a:\n    versions: ${'['.repeat(d)}${']'.repeat(d)}\n  b: {}\ndefaults: { x: ${'['.repeat(d)}${']'.repeat(d)} }\n`;
      const whole = parseYaml(t).problems;
      assert.deepEqual(parseIncremental(t, new ChunkCache()).problems, whole, `depth ${d}`);
      const inService = whole.some((p) => p.code === 'RESOURCE_LIMIT' && p.span.start < t.indexOf('  b:'));
      assert.equal(inService, d >= 63, `depth ${d}: the service's list is reported from 63 levels on`);
    }
  });

  test('a valid document without a cache is parsed whole, once', () => {
    assert.equal(parseIncremental('topology: t\nservices:\n  a: {}\n').chunked, false);
  });
});

// ---------------------------------------------------------------------------------------------------
// The equivalence property.

/** The same sequence of mutations on every run and every machine. */
const prng = xorshift32;

const INSERTS = [':', ' ', '-', '#', '\n', '"', "'", '[', ']', '{', '}', 'x'];

/**
 * One random edit of the kinds people make while typing: a character in or out, a line copied, cut or
 * moved in or out, or indented with a tab (which only a broken document's reading cuts around).
 */
function mutate(text: string, r: () => number): string {
  const lines = text.split('\n');
  const at = Math.floor(r() * (text.length + 1));
  const li = Math.floor(r() * lines.length);
  switch (Math.floor(r() * 7)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1);
    case 1:
      return text.slice(0, at) + INSERTS[Math.floor(r() * INSERTS.length)] + text.slice(at);
    case 2:
      lines.splice(li, 0, lines[li]);
      return lines.join('\n');
    case 3:
      lines.splice(li, 1);
      return lines.join('\n');
    case 4:
      lines[li] = (r() < 0.5 ? ' ' : '  ') + lines[li];
      return lines.join('\n');
    case 5:
      lines[li] = lines[li].replace(/^ {1,2}/, '');
      return lines.join('\n');
    default:
      lines[li] = (r() < 0.5 ? '\t' : '\t  ') + lines[li].trimStart();
      return lines.join('\n');
  }
}

/** What a finding tells the user: rule, message, severity, where, what is related, whether accepted. */
const key = (f: Finding) =>
  `${f.rule}|${f.messageId}|${f.severity}|${f.span.start}-${f.span.end}|${f.message}|${(f.related ?? []).map((r) => `${r.span.start}-${r.span.end}`).join(',')}|${f.accepted?.reason ?? ''}`;
const keys = (file: ParsedFile) => analyze([file], RULES).findings.map(key);

/** The whole-document reading, bypassing the incremental parser. */
function wholeFile(text: string): ParsedFile {
  const yaml = parseYaml(text);
  const schema = validate(yaml.root, optionInfo(RULES), span(0, Math.min(text.length, 1)));
  return { uri: URI, text, yaml, schema, topology: buildTopology(URI, text, yaml.root), tooLarge: false, chunked: false };
}

/**
 * The tree as rules see it: every key, value and span, except where a block collection ends. The
 * library lets a block map whose last value is empty reach into the next line's indentation
 * (`uses:\n    # c\n  bank:` ends after the two spaces before `bank`); a chunk ends at its own text.
 */
function shape(n: YNode | null): unknown {
  if (!n || n.kind === 'scalar') return n;
  if (n.kind === 'seq') return { seq: n.span.start, flow: n.flow, items: n.items.map(shape) };
  return { map: n.span.start, flow: n.flow, pairs: n.pairs.map((p) => ({ key: p.key, keySpan: p.keySpan, start: p.span.start, value: shape(p.value) })) };
}

const RICH = [
  '# A shop, written the way people write these files.',
  'topology: shop',
  'description: >',
  '  The online shop: a gateway, a few domain services',
  '  and their stores.',
  'imports: []',
  'defaults:',
  '  timeout: 2s',
  '  retries: 1',
  '  availability: 99.9%',
  '',
  'services:',
  '  web:',
  '    exposure: external',
  '    kind: gateway',
  '    calls:',
  '      - to: orders',
  '        timeout: 500ms',
  '      - { to: catalog, perRequest: 6 }',
  '    accept:',
  '      - rule: chatty-calls',
  '        reason: "Catalog tiles load one by one: fine for now"',
  '',
  '  # The order service places orders.',
  '  orders:',
  '    slo: { availability: 99.95%, latency: 300ms }',
  '    calls:',
  '      - to: payment',
  '        idempotent: false',
  '        retries: 2',
  '      - to: stock',
  '    publishes:',
  '      - event: order-placed',
  '        delivery: direct',
  '    uses:',
  '      - store: orders-db',
  '      - store: shared-db',
  '        access: write',
  "  'payment':",
  '    description: |',
  '      Charges cards.',
  '      Talks to the bank.',
  '    calls:',
  '      - to: bank',
  '  stock:',
  '    calls: [{ to: warehouse }]',
  '    uses:',
  '      - store: shared-db',
  '  bank: {}',
  '  warehouse:',
  '    kind: legacy',
  '  catalog:',
  '    subscribes:',
  '      - event: order-placed',
  '        uses: [orderId]',
  'datastores:',
  '  orders-db:',
  '    owner: orders',
  '  shared-db: { kind: database }',
  'events:',
  '  order-placed:',
  '    broker: kafka',
  '    payload: 2KB',
  '    fields: [orderId, { name: email, sensitive: true }]',
  '  price-changed: {}',
  'flows:',
  '  checkout:',
  '    entry: web',
  '    budget: { latency: 800ms, availability: 99.5% }',
  'rules:',
  '  sync-chain: { severity: error, max: 3 }',
  '  chatty-calls: warning',
  '',
].join('\n');

function bases(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  const dir = join(process.cwd(), 'examples');
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).sort()) if (/\.topology\.ya?ml$/.test(f)) out.push({ name: `examples/${f}`, text: readFileSync(join(dir, f), 'utf8') });
  }
  out.push({ name: 'a hand-written shop', text: RICH });
  out.push({ name: 'the hand-written shop with CRLF line ends', text: RICH.replace(/\n/g, '\r\n') });
  out.push({ name: 'a generated topology of 8 services', text: generateTopology(8, 11) });
  return out;
}

describe('chunked and whole parses agree on mutated files', () => {
  const SEQUENCES = 35;
  const STEPS = 3;
  for (const [i, base] of bases().entries()) {
    test(`${base.name}: ${SEQUENCES * STEPS} mutations`, () => {
      // The base must be cut into chunks, or the test would prove nothing. A base may be broken on purpose
      // (examples/broken.topology.yaml): then mostly properties 2 and 3 are exercised.
      const baseClean = parseYaml(base.text).problems.length === 0;
      assert.ok(cutChunks(base.text, !baseClean), 'the base text is cut into chunks');
      const r = prng(1000 + i);
      const cache = new ChunkCache();
      let states = 0;
      let clean = 0;
      let chunked = 0;
      for (let s = 0; s < SEQUENCES; s++) {
        let text = base.text;
        for (let step = 0; step < STEPS; step++) {
          text = mutate(text, r);
          states++;
          const where = `sequence ${s}, step ${step}:\n${text}`;
          const editor = parseFile(URI, text, RULES, cache);
          if (editor.chunked) chunked++;
          const editorKeys = keys(editor);
          const whole = wholeFile(text);
          if (whole.yaml.problems.length === 0) {
            // 1. Without syntax errors, the chunked reading is the whole reading: same tree, same findings.
            // (Without a cache, such a text is read whole: the CLI's reading is `whole` itself.)
            clean++;
            assert.deepEqual(shape(editor.yaml.root), shape(whole.yaml.root), where);
            assert.deepEqual(editorKeys, keys(whole), where);
          } else {
            // 2. With them, the readings may differ (see the top of this file), but the error is never hidden,
            assert.ok(editor.yaml.problems.length > 0 && editorKeys.some((k) => k.startsWith('yaml-syntax|')), where);
            // 3. and the warm cache reads exactly what a fresh parse without a cache (the CLI) reads.
            assert.deepEqual(editorKeys, keys(parseFile(URI, text, RULES)), where);
          }
        }
      }
      // Not vacuous: enough clean states were compared, most states were really chunked, the cache was used.
      if (baseClean) assert.ok(clean >= states / 5, `only ${clean} of ${states} mutated texts parsed cleanly`);
      assert.ok(chunked >= states / 2, `only ${chunked} of ${states} mutated texts were chunked`);
      assert.ok(cache.hits > 2 * cache.misses, `hits ${cache.hits}, misses ${cache.misses}`);
    });
  }
});

describe('a one-character edit in a 1,000-service topology', () => {
  const text = generateTopology(1000, 5);

  test('re-parses exactly one chunk, and reads as the whole parse does', () => {
    const cache = new ChunkCache();
    // The first parse is one whole parse, whose tree seeds the cache with every chunk.
    const cold = parseIncremental(text, cache);
    assert.equal(cold.chunked, false);
    assert.equal(cache.hits, 0);
    assert.equal(cache.misses, 0);
    const chunks = cache.size;
    assert.ok(chunks > 3000, `${chunks} chunks`);
    assert.deepEqual(cold, { ...parseIncremental(text), chunked: false });

    const edits: [string, (t: string) => string][] = [
      ['a character typed in a service description', (t) => t.replace('description: Service 500 in layer', 'description: Service 500x in layer')],
      ['a character deleted from a datastore', (t) => t.replace('    technology: postgres\n', '    technology: postgre\n')],
      ['a call retargeted', (t) => t.replace(/( {6}- to: )(core-\d+)/, '$1$2x')],
      ['a line added inside a service', (t) => t.replace(/( {4}description: Service 700 in layer \d\n)/, '$1    # a note\n')],
      ['a new service between two others', (t) => t.replace('  domain-400:\n', '  added:\n  domain-400:\n')],
    ];
    let current = text;
    for (const [name, edit] of edits) {
      const next = edit(current);
      assert.notEqual(next, current, `${name}: the edit applies`);
      const h: number = cache.hits;
      const m: number = cache.misses;
      const warm = parseIncremental(next, cache);
      assert.equal(warm.chunked, true, name);
      assert.equal(cache.misses - m, 1, `${name}: one chunk re-parsed`);
      assert.ok(cache.hits - h >= chunks - 1, `${name}: every other chunk came from the cache`);
      current = next;
    }
    // After all the edits, the cached reading is still the whole reading.
    const whole = parseYaml(current);
    assert.equal(whole.problems.length, 0);
    assert.deepEqual(shape(parseIncremental(current, cache).root), shape(whole.root));
  });

  test('the same text again costs nothing; the text before an edit is forgotten once the edit is read', () => {
    const cache = new ChunkCache();
    parseIncremental(text, cache);
    let m = cache.misses;
    parseIncremental(text, cache);
    assert.equal(cache.misses - m, 0);
    const edited = text.replace('team: team-3\n', 'team: team-3x\n');
    parseIncremental(edited, cache);
    m = cache.misses;
    parseIncremental(text, cache);
    assert.equal(cache.misses - m, 1, 'the cache keeps only the chunks of the latest version');
  });
});

describe('chunks found by place (ChunkCache)', () => {
  const base = 'topology: t\nservices:\n  a:\n    description: first\n  b:\n    calls: [{ to: a, timeout: 3s }]\n  c:\n    description: last';

  test('an edit at either edge of a chunk, or of the text, reads as the whole parse does', () => {
    // Each edit keeps the length of the chunk it touches, so only the text tells the old chunk from the new.
    const edits: [string, (t: string) => string][] = [
      ['the last character of a text without a final line break', (t) => `${t.slice(0, -1)}x`],
      ['the first character of the text', (t) => `x${t.slice(1)}`],
      ['the first character of a section', (t) => t.replace('\nservices:', '\nxervices:')],
      ['the first character of a section again', (t) => t.replace('\nxervices:', '\nservices:')],
      ['the first character of an entry', (t) => t.replace('  b:\n', '  d:\n')],
      ['the character before an entry', (t) => t.replace('first\n  b:', 'firsx\n  b:')],
      ['a value inside a flow map', (t) => t.replace('3s', '4s')],
      ['the last character again', (t) => `${t.slice(0, -1)}y`],
      ['a line at the end', (t) => `${t}\n  e: {}\n`],
      ['the text of before', () => base],
    ];
    const cache = new ChunkCache();
    let text = base;
    parseIncremental(text, cache);
    for (const [name, edit] of edits) {
      text = edit(text);
      const cached = parseIncremental(text, cache);
      const whole = parseYaml(text);
      assert.equal(whole.problems.length, 0, name);
      assert.deepEqual(shape(cached.root), shape(whole.root), name);
    }
  });
});
