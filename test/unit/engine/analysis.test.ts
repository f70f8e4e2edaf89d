/**
 * The engine's promises beyond settings: a rule that throws reports itself and the others still run;
 * `accept:` answers a finding with its reason; findings come sorted by position; spans are UTF-16 code
 * unit offsets, whatever the text before them holds (emoji, CJK), in the whole and the chunked reading.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, ChunkCache, fixesFor, LineIndex, parseFile, RULES, type Finding, type Rule } from '../../../server/src/core';
import { expectFindings, findingsOf, marked, run, URI } from '../../helpers';

const SELF = 'topology: t\nservices:\n  a:\n    calls: [{ to: a }]\n  b:\n    calls: [{ to: nowhere }]\n';

function throwing(id: string, error: unknown, before?: (report: (span: number) => void) => void): Rule {
  return {
    meta: { id, title: 'Throws', category: 'communication', defaultSeverity: 'warning', options: {}, fixable: true, acceptable: true },
    check(ctx) {
      before?.((at) => ctx.report({ uri: URI, span: { start: at, end: at + 1 }, message: 'found before the crash', messageId: 'partial', owners: [] }));
      throw error;
    },
    fixes() {
      throw new Error('no fixes today');
    },
  };
}

describe('rule isolation', () => {
  test('a rule that throws gives one internal-error finding, and every other rule still reports', () => {
    const rules = [throwing('boom-first', new Error('kaboom')), ...RULES, throwing('boom-last', new TypeError('x is undefined'))];
    const result = analyze([parseFile(URI, SELF, rules)], rules);
    for (const [id, text] of [['boom-first', 'kaboom'], ['boom-last', 'x is undefined']]) {
      const found = findingsOf(result, id);
      assert.equal(found.length, 1, id);
      assert.equal(found[0].messageId, 'internal-error');
      assert.equal(found[0].severity, 'error');
      assert.equal(found[0].uri, URI);
      assert.deepEqual(found[0].span, { start: 0, end: 0 });
      assert.ok(found[0].message.includes(`Internal error in rule '${id}': ${text}.`), found[0].message);
      assert.ok(found[0].message.includes('The other rules still ran'), found[0].message);
    }
    assert.equal(findingsOf(result, 'self-call').length, 1);
    assert.equal(findingsOf(result, 'unknown-reference').length, 1);
    assert.ok(!result.findings.some((f) => f.messageId === 'internal-error' && !f.rule.startsWith('boom')), 'no real rule crashed');
  });

  test('a rule that throws something that is not an Error', () => {
    const rules = [...RULES, throwing('boom', 'just a string')];
    const [f] = findingsOf(analyze([parseFile(URI, SELF, rules)], rules), 'boom');
    assert.match(f.message, /Internal error in rule 'boom': just a string\./);
  });

  test('what a rule reported before it threw is kept', () => {
    const rules = [...RULES, throwing('boom', new Error('late'), (report) => report(5))];
    const found = findingsOf(analyze([parseFile(URI, SELF, rules)], rules), 'boom');
    assert.deepEqual(found.map((f) => f.messageId).sort(), ['internal-error', 'partial']);
  });

  test('a throwing rule that is off does not run', () => {
    const rules = [...RULES, throwing('boom', new Error('kaboom'))];
    assert.equal(findingsOf(analyze([parseFile(URI, SELF, rules)], rules, { boom: 'off' }), 'boom').length, 0);
  });

  test('fixes that throw are simply not offered; the accept fix still is', () => {
    const rules = [...RULES, throwing('boom', new Error('kaboom'), (report) => report(SELF.indexOf('a:')))];
    const result = analyze([parseFile(URI, SELF, rules)], rules);
    const partial = findingsOf(result, 'boom').find((f) => f.messageId === 'partial')!;
    assert.deepEqual(fixesFor(partial, result, rules), [], 'no owners, so no accept fix either, and no throw');
    const owned: Finding = { ...partial, owners: [{ accepts: [], uri: URI, node: result.files[0].topology.services[0].node, label: "service 'a'" } as never] };
    const fixes = fixesFor(owned, result, rules);
    assert.deepEqual(fixes.map((f) => f.title), ["Accept boom on service 'a'"]);
  });
});

describe('accept: a recorded decision answers a finding', () => {
  const CHAIN = (accept: string) =>
    [
      'topology: t',
      'services:',
      '  web:',
      '    exposure: external',
      '    calls:',
      '      - to: «a»',
      accept,
      '  a:',
      '    calls: [{ to: b }]',
      '  b:',
      '    calls: [{ to: c }]',
      '  c:',
      '    calls: [{ to: d }]',
      '  d: {}',
      '',
    ].join('\n');

  test('on the call: accepted, with its reason, at its severity', () => {
    const src = CHAIN('        accept:\n          - rule: sync-chain\n            reason: The receipt needs the payment result');
    const [f] = expectFindings('sync-chain', src, [{ accepted: true, severity: 'warning' }]);
    assert.equal(f.accepted?.reason, 'The receipt needs the payment result');
    assert.equal(f.accepted?.uri, URI);
    const text = marked(src).text;
    assert.ok(text.slice(f.accepted.span.start, f.accepted.span.end).startsWith('rule: sync-chain'));
  });

  test('on the entry service (an outer owner)', () => {
    const src = CHAIN('    accept: [{ rule: sync-chain, reason: "known, see ADR 7" }]');
    const [f] = expectFindings('sync-chain', src, [{ accepted: true }]);
    assert.equal(f.accepted?.reason, 'known, see ADR 7');
  });

  test('without a reason', () => {
    const [f] = expectFindings('sync-chain', CHAIN('        accept: [{ rule: sync-chain }]'), [{ accepted: true }]);
    assert.equal(f.accepted?.reason, 'no reason given');
  });

  test('an accept for another rule answers nothing', () => {
    expectFindings('sync-chain', CHAIN('        accept: [{ rule: chatty-calls, reason: not this one }]'), [{ accepted: false }]);
  });

  test('structural findings cannot be accepted', () => {
    const text = 'topology: t\nservices:\n  a:\n    accept: [{ rule: unknown-reference, reason: later }, { rule: schema, reason: later }]\n    calls: [{ to: nowhere, tmeout: 2s }]\n';
    const r = run(text);
    assert.equal(findingsOf(r, 'unknown-reference').length, 1);
    assert.equal(findingsOf(r, 'schema').length, 1);
    for (const f of [...findingsOf(r, 'unknown-reference'), ...findingsOf(r, 'schema')]) assert.equal(f.accepted, undefined, f.message);
  });

  test('an accepted finding offers no fixes', () => {
    const text = marked(CHAIN('        accept: [{ rule: sync-chain, reason: fine }]')).text;
    const r = run(text);
    assert.deepEqual(fixesFor(findingsOf(r, 'sync-chain')[0], r, RULES), []);
  });
});

describe('findings are sorted', () => {
  const ordered = (fs: readonly Finding[]) => fs.every((f, i) => i === 0 || fs[i - 1].uri < f.uri || (fs[i - 1].uri === f.uri && (fs[i - 1].span.start < f.span.start || (fs[i - 1].span.start === f.span.start && fs[i - 1].span.end <= f.span.end))));

  test('by position in the file, whatever rule found them and in what order the rules ran', () => {
    const text = [
      'topology: t',
      'services:',
      '  z:',
      '    tmeout: 2s',
      '    calls: [{ to: z }, { to: ghost }, { to: y, perRequest: 9 }]',
      '  y:',
      '    kind: gatway',
      '  z: {}',
      'events:',
      '  lonely: {}',
      '',
    ].join('\n');
    const forward = run(text).findings;
    assert.ok(forward.length >= 6, forward.map((f) => f.rule).join());
    assert.ok(ordered(forward), forward.map((f) => `${f.rule}@${f.span.start}`).join(' '));
    assert.ok(new Set(forward.map((f) => f.rule)).size >= 5, 'several rules interleave');
    const reversed = [...RULES].reverse();
    const backward = analyze([parseFile(URI, text, reversed)], reversed).findings;
    assert.deepEqual(backward.map((f) => `${f.rule}@${f.span.start}-${f.span.end}/${f.messageId}`), forward.map((f) => `${f.rule}@${f.span.start}-${f.span.end}/${f.messageId}`));
  });

  test('by file first, then position', () => {
    const a = parseFile('file:///b.topology.yaml', 'topology: b\nimports: [./a.topology.yaml]\nservices:\n  x:\n    calls: [{ to: nowhere }]\n', RULES);
    const b = parseFile('file:///a.topology.yaml', 'topology: a\nservices:\n  q:\n    calls: [{ to: q }]\n', RULES);
    const fs = analyze([a, b], RULES).findings;
    assert.ok(fs.some((f) => f.uri === a.uri) && fs.some((f) => f.uri === b.uri));
    assert.ok(ordered(fs));
    assert.equal(fs[0].uri, 'file:///a.topology.yaml');
  });
});

describe('spans are UTF-16 code unit offsets', () => {
  const SRC = [
    'topology: t',
    'description: "😀 多言語のシステム — ünïcødé 🚀🚀"',
    '# 注释: 😀',
    'services:',
    '  a:',
    '    description: 日本語のサービス 👍',
    '    calls: [{ operation: "🚀 发送", to: «nowhere» }]',
    '  b:',
    '    calls:',
    '      - to: «ghost»  # 👻',
    '',
  ].join('\n');

  for (const cached of [false, true]) {
    test(`after emoji and CJK text, ${cached ? 'chunked (the editor)' : 'whole (the CLI)'}`, () => {
      const { text, spans } = marked(SRC);
      // The editor's first parse of a document is whole (and seeds the cache); the next one is chunked.
      const cache = cached ? new ChunkCache() : undefined;
      if (cache) parseFile(URI, text, RULES, cache);
      const result = analyze([parseFile(URI, text, RULES, cache)], RULES);
      assert.equal(result.files[0].chunked, cached);
      const found = findingsOf(result, 'unknown-reference');
      assert.deepEqual(found.map((f) => f.span), spans);
      assert.deepEqual(found.map((f) => text.slice(f.span.start, f.span.end)), ['nowhere', 'ghost']);
      // Not code points: the emoji before them take two units each, so the offsets differ.
      assert.ok([...text.slice(0, spans[0].start)].length < spans[0].start);
      // The LSP position of the first one: line 6, and the character counts 🚀 as two units.
      const line = text.split('\n')[6];
      assert.deepEqual(new LineIndex(text).position(spans[0].start), { line: 6, character: line.indexOf('nowhere') });
      assert.equal(line.indexOf('nowhere'), [...line.slice(0, line.indexOf('nowhere'))].length + 1);
    });
  }

  test('a bad id and a syntax error after emoji', () => {
    const text = 'topology: "🚀"\nservices:\n  «😀svc»: {}\n';
    expectFindings('schema', text, [{ messageId: 'bad-id' }]);
    const broken = 'topology: t\ndescription: 🚀🚀\nservices:\n  a:\n    team: «"»👻 open\n  b: {}\n';
    expectFindings('yaml-syntax', broken, [{ messageId: 'MISSING_CHAR' }]);
  });

  test('CRLF line ends and emoji together, through a warm cache across an edit', () => {
    const base = 'topology: t\r\nservices:\r\n  a:\r\n    description: 🚀\r\n    calls: [{ to: nowhere }]\r\n';
    const cache = new ChunkCache();
    parseFile(URI, base, RULES, cache);
    const edited = base.replace('🚀', '🚀🚀😀');
    const f = findingsOf(analyze([parseFile(URI, edited, RULES, cache)], RULES), 'unknown-reference')[0];
    assert.equal(edited.slice(f.span.start, f.span.end), 'nowhere');
    assert.equal(f.span.start, edited.indexOf('nowhere'));
  });
});
