/**
 * Settings resolution in the engine: a rule's default severity and thresholds, then the editor's (or
 * CLI's) settings, then the file's `rules:` block, which wins (dsl.md "Rule configuration"). Percent
 * thresholds may be written as 99.5 or 0.995. `off` turns a rule off from either place.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, parseFile, RULES, type Rule, type RuleSettings } from '../../../server/src/core';
import { findingsOf, run, URI } from '../../helpers';

/** web → a → b → c → d: a synchronous chain of five services, which sync-chain reports at web's call to a. */
const CHAIN = ['topology: t', 'services:', '  web:', '    exposure: external', '    calls: [{ to: a }]', '  a:', '    calls: [{ to: b }]', '  b:', '    calls: [{ to: c }]', '  c:', '    calls: [{ to: d }]', '  d: {}', ''].join('\n');

const withRules = (block: string) => `${CHAIN}rules:\n${block}\n`;

function chain(text: string, settings: RuleSettings = {}): { count: number; severity?: string } {
  const found = findingsOf(run(text, settings), 'sync-chain');
  return { count: found.length, severity: found[0]?.severity };
}

describe('severity', () => {
  test('the rule’s default, with no settings and no rules block', () => {
    assert.deepEqual(chain(CHAIN), { count: 1, severity: 'warning' });
  });

  test('the editor settings set it, as a word or as { severity }', () => {
    assert.deepEqual(chain(CHAIN, { 'sync-chain': 'error' }), { count: 1, severity: 'error' });
    assert.deepEqual(chain(CHAIN, { 'sync-chain': { severity: 'info' } }), { count: 1, severity: 'info' });
  });

  test('the file’s rules block wins over the editor settings, in both forms', () => {
    assert.deepEqual(chain(withRules('  sync-chain: info'), { 'sync-chain': 'error' }), { count: 1, severity: 'info' });
    assert.deepEqual(chain(withRules('  sync-chain: { severity: error }'), { 'sync-chain': { severity: 'info' } }), { count: 1, severity: 'error' });
  });

  test('off, from the settings or from the file; and the file can turn back on what the settings turned off', () => {
    assert.equal(chain(CHAIN, { 'sync-chain': 'off' }).count, 0);
    assert.equal(chain(CHAIN, { 'sync-chain': { severity: 'off' } }).count, 0);
    assert.equal(chain(withRules('  sync-chain: off'), { 'sync-chain': 'error' }).count, 0);
    assert.equal(chain(withRules('  sync-chain: { severity: off, max: 1 }')).count, 0);
    assert.deepEqual(chain(withRules('  sync-chain: warning'), { 'sync-chain': 'off' }), { count: 1, severity: 'warning' });
  });

  test('a rule that is off does not run at all', () => {
    const r = run(withRules('  sync-chain: off'));
    assert.equal(r.timings.has('sync-chain'), false);
    assert.equal(r.timings.has('self-call'), true);
  });

  test('a file setting with no severity keeps the one from the settings', () => {
    assert.deepEqual(chain(withRules('  sync-chain: { max: 2 }'), { 'sync-chain': 'error' }), { count: 1, severity: 'error' });
  });

  test('an unreadable severity in the file is a schema error and changes nothing', () => {
    const r = run(withRules('  sync-chain: fatal'), { 'sync-chain': 'info' });
    assert.equal(findingsOf(r, 'sync-chain')[0]?.severity, 'info');
    assert.equal(findingsOf(r, 'schema').length, 1);
  });

  test('a configured severity replaces a severity the rule chose per finding (schema: unknown keys are warnings)', () => {
    const text = 'topology: t\nservices:\n  a:\n    tema: x\n    kind: 3\n';
    assert.deepEqual(findingsOf(run(text), 'schema').map((f) => f.severity), ['warning', 'error']);
    assert.deepEqual(findingsOf(run(text, { schema: 'error' }), 'schema').map((f) => f.severity), ['error', 'error']);
    assert.deepEqual(findingsOf(run(text, { schema: 'info' }), 'schema').map((f) => f.severity), ['info', 'info']);
  });

  test('settings for rules that do not exist, and garbage values, are ignored', () => {
    assert.deepEqual(chain(CHAIN, { 'no-such-rule': 'error', 'sync-chain': { severity: 'error', max: 'four' as unknown as number, nonsense: 1 } }), { count: 1, severity: 'error' });
    assert.deepEqual(chain(CHAIN, { 'sync-chain': { max: Number.NaN } }), { count: 1, severity: 'warning' });
  });
});

describe('thresholds', () => {
  test('the default (max 3) reports a chain of five; settings and the file move it', () => {
    assert.equal(chain(CHAIN).count, 1);
    assert.equal(chain(CHAIN, { 'sync-chain': { max: 5 } }).count, 0);
    assert.equal(chain(CHAIN, { 'sync-chain': { max: 4 } }).count, 1);
    assert.equal(chain(withRules('  sync-chain: { max: 5 }')).count, 0);
  });

  test('the file wins over the settings, in both directions', () => {
    assert.equal(chain(withRules('  sync-chain: { max: 5 }'), { 'sync-chain': { max: 2 } }).count, 0);
    assert.equal(chain(withRules('  sync-chain: { max: 3 }'), { 'sync-chain': { max: 10 } }).count, 1);
  });

  test('only the first file (the one being edited) configures the analysis', () => {
    const main = parseFile(URI, CHAIN, RULES);
    const other = parseFile('file:///test/other.topology.yaml', 'topology: o\nservices:\n  z: {}\nrules:\n  sync-chain: off\n', RULES);
    assert.equal(findingsOf(analyze([main, other], RULES), 'sync-chain').length, 1);
    assert.equal(findingsOf(analyze([other, main], RULES), 'sync-chain').length, 0);
  });
});

describe('percent thresholds: 99.5 or 0.995', () => {
  /** A rule that records the options the engine hands it. */
  function probe(): { rule: Rule; seen: Record<string, number>[] } {
    const seen: Record<string, number>[] = [];
    const rule: Rule = {
      meta: {
        id: 'probe',
        title: 'Records its options',
        category: 'communication',
        defaultSeverity: 'info',
        options: { min: { type: 'percent', default: 0.995, min: 0, description: 'A percentage.' }, max: { type: 'int', default: 3, min: 1, description: 'A count.' } },
        fixable: false,
        acceptable: true,
      },
      check(ctx) {
        seen.push({ ...ctx.options });
      },
    };
    return { rule, seen };
  }

  function optionsFor(rulesBlock: string | null, settings: RuleSettings = {}): { options: Record<string, number>; schema: string[] } {
    const { rule, seen } = probe();
    const rules = [...RULES, rule];
    const text = `topology: t\nservices:\n  a: {}\n${rulesBlock === null ? '' : `rules:\n  probe: ${rulesBlock}\n`}`;
    const result = analyze([parseFile(URI, text, rules)], rules, settings);
    assert.equal(seen.length, 1);
    return { options: seen[0], schema: findingsOf(result, 'schema').map((f) => f.message) };
  }

  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} != ${b}`);

  test('the default', () => {
    assert.deepEqual(optionsFor(null).options, { min: 0.995, max: 3 });
  });

  test('from the settings, as a percentage or as a fraction', () => {
    close(optionsFor(null, { probe: { min: 99.5 } }).options.min, 0.995);
    close(optionsFor(null, { probe: { min: 0.995 } }).options.min, 0.995);
    close(optionsFor(null, { probe: { min: 90 } }).options.min, 0.9);
    close(optionsFor(null, { probe: { min: 1 } }).options.min, 1);
  });

  test('from the file, as 99.9% or 0.999; the file wins over the settings', () => {
    const a = optionsFor('{ min: 99.9% }', { probe: { min: 90 } });
    close(a.options.min, 0.999);
    assert.deepEqual(a.schema, []);
    const b = optionsFor('{ min: 0.999 }');
    close(b.options.min, 0.999);
    assert.deepEqual(b.schema, []);
  });

  test('a bare 99.5 in the file is read as 99.5%, and the schema asks for the % sign', () => {
    const r = optionsFor('{ min: 99.5 }');
    close(r.options.min, 0.995);
    assert.equal(r.schema.length, 1);
    assert.match(r.schema[0], /write a percentage as 99\.5%/);
  });

  test('whole-number options pass through as they are', () => {
    assert.equal(optionsFor('{ max: 7 }', { probe: { max: 5 } }).options.max, 7);
    assert.equal(optionsFor(null, { probe: { max: 5 } }).options.max, 5);
  });
});

test("an option of the wrong kind in the rules block is the schema's error and leaves the default", () => {
  const text = 'topology: t\nservices:\n  a:\n    calls:\n      - { to: b, perRequest: 3, timeout: 1s }\n  b: {}\nrules:\n  chatty-calls: { max: 2s }\n';
  const r = run(text);
  assert.ok(r.findings.some((f) => f.rule === 'schema'), 'the schema reports max: 2s');
  // With the default max (4), perRequest 3 is fine; had 2s been read as 2000, nothing would ever be chatty,
  // and had it been read as 2, this call would be (max is the most allowed, so 3 is over max: 2).
  assert.equal(r.findings.filter((f) => f.rule === 'chatty-calls').length, 0);
  const r2 = run(text.replace('max: 2s', 'max: 2'));
  assert.equal(r2.findings.filter((f) => f.rule === 'chatty-calls').length, 1);
});
