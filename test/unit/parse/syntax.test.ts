/**
 * The parser's error paths: broken YAML gives yaml-syntax findings with the library's error code as the
 * message id, at the bad span, and the rest of the file is still analysed (dsl.md: "Nothing in a file,
 * however broken, stops the rest of the file from being analysed"). Every case runs through both ways a
 * file is read: the CLI's (no cache) and the editor's (a warm ChunkCache); both must give the same
 * findings. Then the limits: alias bombs, absurd nesting and huge files finish fast, report, and never
 * throw.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, ChunkCache, parseFile, RULES, type AnalysisResult, type Finding } from '../../../server/src/core';
import { LIMITS } from '../../../server/src/core/ynode';
import { findingsOf, marked, URI } from '../../helpers';

/** Both readings of one text: the CLI's whole parse (with its recovery) and the editor's chunked one. */
function both(text: string): { mode: string; result: AnalysisResult }[] {
  return [
    { mode: 'cli', result: analyze([parseFile(URI, text, RULES)], RULES) },
    { mode: 'editor', result: analyze([parseFile(URI, text, RULES, new ChunkCache())], RULES) },
  ];
}

const show = (text: string, f: Finding) => `${f.rule}/${f.messageId} «${text.slice(f.span.start, f.span.end)}» @${f.span.start}-${f.span.end}`;

/**
 * `src` marks the expected spans of each rule with its own pair of brackets: « » for yaml-syntax, ‹ › for
 * the second rule, ⟦ ⟧ for the third. Each rule must report exactly its marked spans, in order, with the
 * given message ids, in both readings.
 */
function expectSpans(src: string, expected: Record<string, readonly string[]>): string {
  const marks = [['«', '»'], ['‹', '›'], ['⟦', '⟧']];
  const rules = Object.keys(expected);
  assert.ok(rules.length <= marks.length);
  const strip = (s: string, keep: number) => marks.reduce((acc, [o, c], i) => (i === keep ? acc : acc.split(o).join('').split(c).join('')), s);
  let plain = '';
  rules.forEach((rule, i) => {
    const [o, c] = marks[i];
    const { text, spans } = marked(strip(src, i).split(o).join('«').split(c).join('»'));
    plain = text;
    for (const { mode, result } of both(text)) {
      const found = result.findings.filter((f) => f.rule === rule);
      const want = spans.map((s, k) => `${rule}/${expected[rule][k]} «${text.slice(s.start, s.end)}» @${s.start}-${s.end}`);
      assert.deepEqual(found.map((f) => show(text, f)), want, `${mode}: ${rule}`);
    }
  });
  return plain;
}

/**
 * A file with a five-service synchronous chain before the broken part (sync-chain reports it at web's
 * first call) and a call to an undefined service after it (unknown-reference): both must survive.
 */
function around(broken: string): string {
  return [
    'topology: t',
    'services:',
    '  web:',
    '    exposure: external',
    '    calls:',
    '      - to: ‹a›',
    '  a:',
    '    calls: [{ to: b }]',
    '  b:',
    '    calls: [{ to: c }]',
    '  c:',
    '    calls: [{ to: d }]',
    '  d: {}',
    broken,
    '  y:',
    '    calls:',
    '      - to: ⟦nowhere⟧',
    '',
  ].join('\n');
}

const REST = { 'sync-chain': ['too-long'], 'unknown-reference': ['unknown-service'] };

describe('broken YAML: the error at its place, the rest still analysed', () => {
  test('an unclosed double quote: MISSING_CHAR at the opening quote (the library says where it gave up, at the end)', () => {
    expectSpans(around('  x:\n    description: «"»oops\n    calls: [{ to: d }]'), { 'yaml-syntax': ['MISSING_CHAR'], ...REST });
  });

  test('an unclosed single quote', () => {
    expectSpans(around("  x:\n    team: «'»payments"), { 'yaml-syntax': ['MISSING_CHAR'], ...REST });
  });

  test('an unclosed quote in the last line of the file points inside the text', () => {
    const text = expectSpans('topology: t\nservices:\n  a:\n    calls: [{ to: ‹b› }]\n  c:\n    description: «"»never closed', { 'yaml-syntax': ['MISSING_CHAR'], 'unknown-reference': ['unknown-service'] });
    for (const { result } of both(text)) for (const f of result.findings) assert.ok(f.span.end <= text.length, show(text, f));
  });

  test('bad indentation: BAD_INDENT where the line starts, and the misplaced key is read where YAML put it', () => {
    expectSpans(around('  x:\n    team: payments\n« »  kind: job'), { 'yaml-syntax': ['BAD_INDENT'], ...REST });
  });

  test('a tab in the indentation: TAB_AS_INDENT at the tab, and nothing else', () => {
    expectSpans(around('  x:\n«\t»team: payments'), { 'yaml-syntax': ['TAB_AS_INDENT'], ...REST });
  });

  test('a tab, then spaces, before a list item', () => {
    expectSpans(around('  x:\n    calls:\n«\t  »- to: d'), { 'yaml-syntax': ['TAB_AS_INDENT'], ...REST });
  });

  test('a tab-indented line after a flow map: TAB_AS_INDENT, not four UNEXPECTED_TOKENs', () => {
    // Read on its own, the entry before the tab would make the library see stray tokens, not a tab.
    expectSpans(around('  x: { team: payments }\n«\t»kind: job'), { 'yaml-syntax': ['TAB_AS_INDENT'], ...REST });
  });

  test('a tab-indented line in a section that is not cut into entries', () => {
    expectSpans('topology: t\ndefaults:\n  timeout: 2s\n«\t»retries: 1\nservices:\n  a:\n    calls: [{ to: ‹nowhere› }]\n', { 'yaml-syntax': ['TAB_AS_INDENT'], 'unknown-reference': ['unknown-service'] });
  });

  test('an unclosed flow list: BAD_INDENT at its [ (not at the next line, where the library noticed)', () => {
    expectSpans(around('  x:\n    versions: «[»v1, v2\n    team: payments'), { 'yaml-syntax': ['BAD_INDENT'], ...REST });
  });

  test('an unclosed flow map', () => {
    expectSpans(around('  x:\n    slo: «{» latency: 300ms'), { 'yaml-syntax': ['BAD_INDENT'], ...REST });
  });

  test('a key with no colon in the middle of a service: MULTILINE_IMPLICIT_KEY over the two lines it joins', () => {
    // YAML reads `oops` and the next line as one multi-line key, which the schema also reports as unknown.
    const text = expectSpans(around('  x:\n    team: payments\n    «oops\n    calls»:\n      - to: d'), { 'yaml-syntax': ['MULTILINE_IMPLICIT_KEY'], ...REST });
    for (const { result } of both(text)) {
      const unknown = result.findings.filter((f) => f.rule === 'schema' && f.messageId === 'unknown-key');
      assert.deepEqual(unknown.map((f) => text.slice(f.span.start, f.span.end)), ['oops\n    calls']);
    }
  });

  test('a second document (---): MULTIPLE_DOCS over it, and the first document is analysed in full', () => {
    const text = expectSpans(around('  x: {}') + '«---\ntopology: other\nservices: {}\n»', { 'yaml-syntax': ['MULTIPLE_DOCS'], ...REST });
    for (const { result } of both(text)) assert.equal(result.files[0].topology.name?.value, 't');
  });

  test('a duplicate top-level key is not a syntax error (keys may repeat across chunks): the schema reports the second', () => {
    const text = expectSpans('topology: t\n‹topology›: u\nservices:\n  a: {}\n', { 'yaml-syntax': [], schema: ['duplicate-key'] });
    for (const { result } of both(text)) assert.equal(result.files[0].topology.name?.value, 't', 'the first one counts');
  });

  test('several broken services each report, and the healthy ones between them are still read', () => {
    const text = [
      'topology: t',
      'services:',
      '  a:',
      '    description: «"»open',
      '  b:',
      '    calls: [{ to: ‹ghost› }]',
      '  c:',
      '    versions: «[»v1',
      '  d:',
      '    calls: [{ to: ‹phantom› }]',
      '',
    ].join('\n');
    expectSpans(text, { 'yaml-syntax': ['MISSING_CHAR', 'BAD_INDENT'], 'unknown-reference': ['unknown-service', 'unknown-service'] });
  });

  test('the CLI and the editor read a broken file the same way (the CLI used to lose everything after an unclosed quote)', () => {
    const text = around('  x:\n    description: "oops').replace(/[‹›⟦⟧]/g, '');
    const [cli, editor] = both(text).map(({ result }) => result.findings.map((f) => show(text, f)));
    assert.deepEqual(cli, editor);
    assert.ok(cli.some((f) => f.startsWith('unknown-reference/')), cli.join('\n'));
  });
});

describe('files that are not a topology at all', () => {
  const cases: { name: string; src: string; messageId: string; includes: string }[] = [
    { name: 'an empty file', src: '««»»', messageId: 'required', includes: "The file is empty: a topology needs at least 'topology:' and 'services:'." },
    { name: 'a whitespace-only file', src: '« »  \n\n  \n', messageId: 'required', includes: 'The file is empty' },
    { name: 'a comment-only file', src: '«#» nothing here\n', messageId: 'required', includes: 'The file is empty' },
    { name: 'a file that is one scalar', src: '«hello»\n', messageId: 'type', includes: "The file expects a map of topology settings, not 'hello'." },
    { name: 'a file that is a number', src: '«42»\n', messageId: 'type', includes: 'not 42.' },
    { name: 'a file that is a list', src: '«- a\n- b\n»', messageId: 'type', includes: 'The file expects a map of topology settings, not a list.' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      // The empty file's span is empty: «« »» marks it as a zero-width span at 0.
      const { text, spans } = marked(c.src.replace('««»»', '«»'));
      for (const { mode, result } of both(text)) {
        assert.deepEqual(result.findings.map((f) => show(text, f)), spans.map((s) => `schema/${c.messageId} «${text.slice(s.start, s.end)}» @${s.start}-${s.end}`), mode);
        assert.ok(result.findings[0].message.includes(c.includes), result.findings[0].message);
        assert.equal(result.findings[0].severity, 'error');
      }
    });
  }

  test('garbage does not throw and says what it is', () => {
    const garbage = ['\u0000\u0001\u0002', '}}}]]]', ':::', '? ? ?', '"', "'", '[', '{', '&', '*', '!', '%', '|', '>', '- - -', '\ufeff', '\r\r\r', 'a: b: c'];
    for (const text of garbage) {
      for (const { mode, result } of both(text)) {
        assert.ok(result.findings.length > 0, `${mode}: ${JSON.stringify(text)} gave no finding`);
        for (const f of result.findings) assert.ok(f.span.start >= 0 && f.span.end <= text.length && f.span.start <= f.span.end, `${JSON.stringify(text)}: ${show(text, f)}`);
        assert.ok(!result.findings.some((f) => f.messageId === 'internal-error'), `${JSON.stringify(text)}: a rule crashed`);
      }
    }
  });
});

describe('limits: hostile input finishes fast, reports, and never throws', () => {
  function timed(text: string): { result: AnalysisResult; ms: number }[] {
    return [undefined, new ChunkCache()].map((cache) => {
      const t0 = performance.now();
      const result = analyze([parseFile(URI, text, RULES, cache)], RULES);
      return { result, ms: performance.now() - t0 };
    });
  }

  test('a billion-laughs alias bomb: one RESOURCE_LIMIT finding at the alias that crosses the limit, fast', () => {
    const names = 'abcdefghi';
    let text = 'topology: t\nservices:\n  s:\n    calls: [{ to: nowhere }]\nbomb:\n  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i < names.length; i++) text += `  ${names[i]}: &${names[i]} [${Array(9).fill('*' + names[i - 1]).join(', ')}]\n`;
    for (const { result, ms } of timed(text)) {
      assert.ok(ms < 2000, `${ms} ms`);
      const limits = result.findings.filter((f) => f.messageId === 'RESOURCE_LIMIT');
      assert.equal(limits.length, 1, limits.map((f) => show(text, f)).join('\n'));
      assert.match(limits[0].message, /aliases expand to more than 10000 nodes/);
      assert.match(text.slice(limits[0].span.start, limits[0].span.end), /^\*[a-i]$/);
      assert.equal(result.findings.filter((f) => f.rule === 'unknown-reference').length, 1, 'the services are still analysed');
    }
  });

  test('20,000 aliases of one scalar take well under a second, not half a minute (each alias was resolved by a walk of the whole document)', () => {
    const text = `topology: t\nservices:\n  s:\n    versions: &v [v1]\n  t:\n    versions: [${Array(20_000).fill('v1').join(', ')}]\nx: &one 1\ny: [${Array(20_000).fill('*one').join(',')}]\n`;
    for (const { result, ms } of timed(text)) {
      assert.ok(ms < 5000, `${ms} ms`);
      assert.equal(result.findings.filter((f) => f.messageId === 'RESOURCE_LIMIT').length, 1, 'past the budget, once');
    }
  });

  test('an alias that contains itself reads as nothing and is reported, without recursing forever', () => {
    const text = 'topology: t\nservices:\n  s:\n    versions: &v [v1, *v]\n';
    for (const { result } of timed(text)) {
      assert.ok(result.findings.some((f) => f.rule === 'yaml-syntax'), result.findings.map((f) => show(text, f)).join('\n'));
    }
  });

  test('10,000-deep flow nesting finishes, reports the depth, and the services after it are analysed', () => {
    const text = `topology: t\nservices:\n  a:\n    versions: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n  b:\n    calls: [{ to: nowhere }]\n`;
    for (const { result, ms } of timed(text)) {
      assert.ok(ms < 5000, `${ms} ms`);
      const codes = new Set(result.findings.filter((f) => f.rule === 'yaml-syntax').map((f) => f.messageId));
      assert.ok(codes.has('RESOURCE_LIMIT'), [...codes].join());
      assert.equal(result.findings.filter((f) => f.rule === 'unknown-reference').length, 1);
    }
  });

  test('10,000 unclosed [ and { finish and report without one finding per bracket', () => {
    const text = `topology: t\nservices:\n  a:\n    versions: ${'[{'.repeat(5_000)}\n  b:\n    calls: [{ to: nowhere }]\n`;
    for (const { result, ms } of timed(text)) {
      assert.ok(ms < 5000, `${ms} ms`);
      const syntax = result.findings.filter((f) => f.rule === 'yaml-syntax');
      assert.ok(syntax.length > 0 && syntax.length < 10, `${syntax.length} findings`);
      assert.equal(result.findings.filter((f) => f.rule === 'unknown-reference').length, 1);
    }
  });

  test('2,000-deep block nesting finishes and reports the depth', () => {
    let text = 'topology: t\nservices:\n  a:\n';
    for (let i = 0; i < 2000; i++) text += `${' '.repeat(4 + i)}k${i}:\n`;
    text += '  b:\n    calls: [{ to: nowhere }]\n';
    for (const { result, ms } of timed(text)) {
      assert.ok(ms < 5000, `${ms} ms`);
      assert.ok(result.findings.some((f) => f.messageId === 'RESOURCE_LIMIT' && /nesting deeper than (64|200) levels/.test(f.message)));
      assert.equal(result.findings.filter((f) => f.rule === 'unknown-reference').length, 1);
    }
  });

  test('2,000-deep block lists finish and report', () => {
    let text = 'topology: t\nservices:\n  a:\n    calls:\n';
    for (let i = 0; i < 2000; i++) text += `${' '.repeat(6 + 2 * i)}-\n`;
    for (const { result } of timed(text)) assert.ok(result.findings.some((f) => f.messageId === 'RESOURCE_LIMIT'));
  });

  test('a file over the size limit reports once and is not analysed', () => {
    const head = 'topology: t\nservices:\n  a:\n    calls: [{ to: nowhere }, { to: a }]\n';
    const text = head + '# ' + 'x'.repeat(LIMITS.maxDocumentLength - head.length) + '\n';
    assert.ok(text.length > LIMITS.maxDocumentLength);
    for (const cache of [undefined, new ChunkCache()]) {
      const file = parseFile(URI, text, RULES, cache);
      assert.equal(file.tooLarge, true);
      assert.equal(file.topology.services.length, 0);
      const result = analyze([file], RULES);
      assert.deepEqual(result.findings.map((f) => `${f.rule}/${f.messageId}@${f.span.start}-${f.span.end}`), ['yaml-syntax/RESOURCE_LIMIT@0-1']);
      assert.match(result.findings[0].message, /over 8 MB and is not analysed/);
    }
  });

  test('the size limit is exact: a text of the limit’s length is analysed, one unit more is not', () => {
    // Lowered for the test, so the file that fits need not be 8 MB of YAML to parse.
    const saved = LIMITS.maxDocumentLength;
    LIMITS.maxDocumentLength = 200;
    try {
      const head = 'topology: t\nservices:\n  a:\n    calls: [{ to: nowhere }]\n';
      const fits = head + '#'.repeat(199 - head.length) + '\n';
      assert.equal(fits.length, 200);
      const analysed = analyze([parseFile(URI, fits, RULES)], RULES);
      assert.equal(analysed.files[0].tooLarge, false);
      assert.equal(findingsOf(analysed, 'unknown-reference').length, 1);
      const over = parseFile(URI, fits + ' ', RULES);
      assert.equal(over.tooLarge, true);
      assert.deepEqual(analyze([over], RULES).findings.map((f) => f.messageId), ['RESOURCE_LIMIT']);
    } finally {
      LIMITS.maxDocumentLength = saved;
    }
  });
});
