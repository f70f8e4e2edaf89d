/**
 * The limits that leave elements out (budget.ts, and the reading's entry, depth and size limits): one
 * cause gives one finding. A reference to an element left out is left out with it, so it becomes no
 * `unknown-reference` (nor any other finding of its own); a reference that names nothing at all still does.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, ChunkCache, parseFile, RULES } from '../../../server/src/core';
import { budgetMessage, ELEMENT_BUDGET, withinBudget } from '../../../server/src/core/budget';
import { MAX_ENTRIES } from '../../../server/src/core/incremental';
import { LIMITS } from '../../../server/src/core/ynode';
import { URI } from '../../helpers';

const rulesOf = (fs: readonly { rule: string }[]) => fs.map((f) => f.rule);

describe('the element budget', () => {
  // Eight services in a chain, each calling the next and using the next one's store; an event each.
  const text = [
    'topology: t',
    'services:',
    ...Array.from({ length: 8 }, (_, i) => [`  s${i}:`, `    calls: [{ to: s${(i + 1) % 8}, style: async }, { to: nowhere, style: async }]`, `    uses: [{ store: db${(i + 1) % 8} }]`, `    publishes: [{ event: e${(i + 1) % 8} }]`]).flat(),
    'datastores:',
    ...Array.from({ length: 8 }, (_, i) => `  db${i}: { owner: s${(i + 7) % 8} }`),
    'events:',
    ...Array.from({ length: 8 }, (_, i) => `  e${i}: {}`),
    'flows:',
    '  f: { entry: s7 }',
    '',
  ].join('\n');

  test('past the budget, the references to the elements left out go with them; a typo is still reported', () => {
    const file = parseFile(URI, text, RULES);
    // s0..s3 weigh 5 each (the service, two calls, a use, a publish): 20 elements keep four services.
    const b = withinBudget([file], 20);
    assert.ok(b.cut);
    assert.equal(text.slice(b.cut.span.start, b.cut.span.end), 's4');
    const kept = b.files[0].topology;
    assert.deepEqual(kept.services.map((s) => s.id), ['s0', 's1', 's2', 's3']);
    assert.deepEqual(kept.datastores.length + kept.events.length + kept.flows.length, 0);
    // s3 → s4 and the uses and publishes of every kept service name what was left out; 'nowhere' stays.
    assert.deepEqual(kept.services.map((s) => s.calls.map((c) => c.to.id)), [['s1', 'nowhere'], ['s2', 'nowhere'], ['s3', 'nowhere'], ['nowhere']]);
    assert.ok(kept.services.every((s) => s.uses.length === 0 && s.publishes.length === 0));
    assert.equal(b.references, 1 + 4 + 4);
    assert.match(budgetMessage(b.cut), /9 references to the elements left out are not checked either/);
    // The rules over what was kept: 'nowhere' four times, nothing for what the budget left out.
    const result = analyze(b.files, RULES);
    const unknown = result.findings.filter((f) => f.rule === 'unknown-reference');
    assert.deepEqual(unknown.map((f) => f.data?.id), ['nowhere', 'nowhere', 'nowhere', 'nowhere']);
    // The parsed file itself is untouched (the editor keeps it for the next analysis).
    assert.equal(file.topology.services.length, 8);
    assert.equal(file.topology.services[3].calls.length, 2);
  });

  test('within the budget, the files are given back as they are', () => {
    const file = parseFile(URI, text, RULES);
    const b = withinBudget([file]);
    assert.equal(b.cut, undefined);
    assert.equal(b.files[0], file);
    assert.equal(b.references, 0);
  });

  test('the budget holds a 5,000-service system written in full', () => {
    // 5,000 services with a few calls, events and stores each come to about 35,000 elements (test/generate.ts).
    assert.ok(ELEMENT_BUDGET >= 40_000, String(ELEMENT_BUDGET));
    assert.ok(MAX_ENTRIES >= 16_000, String(MAX_ENTRIES));
  });
});

describe("the reading's limits", () => {
  test('past the entry limit: one finding, and no unknown-reference for the services not read', () => {
    const n = MAX_ENTRIES + 50;
    const lines = ['topology: t', 'services:', '  first: { calls: [{ to: typo-service, style: async }, { to: "quoted name", style: async }] }'];
    // Every service calls the service 30 further on, so the last 30 read call services that were not.
    for (let i = 0; i < n; i++) lines.push(`  s${i}: { calls: [{ to: s${i + 30 < n ? i + 30 : 0}, style: async }] }`);
    lines.push('  "quoted name": {}', 'datastores:', '  db: { owner: s0 }', '');
    const text = lines.join('\n');
    // One reading (the CLI's): the editor's chunked reading of the same text is held equal to it by the
    // parse tests, and 20,000 entries take seconds to read on a shared machine.
    const result = analyze([parseFile(URI, text, RULES)], RULES);
    // One limit finding per section cut (services, then datastores, whose entries are past the limit too).
    const limits = result.findings.filter((f) => f.messageId === 'RESOURCE_LIMIT');
    assert.deepEqual(limits.map((f) => text.slice(f.span.start, f.span.start + 4)), [`s${MAX_ENTRIES - 1}`.slice(0, 4), 'db: '], limits.map((f) => f.message).join('\n'));
    assert.match(limits[0].message, new RegExp(`more than ${MAX_ENTRIES.toLocaleString('en-US')} entries`));
    const unknown = result.findings.filter((f) => f.rule === 'unknown-reference');
    assert.deepEqual(unknown.map((f) => f.data?.id), ['typo-service'], 'the typo is reported; the services not read and the quoted one are not');
  });

  test('an entry blanked for its depth: references to it are no unknown-reference, others still are', () => {
    const text = `topology: t\nservices:\n  deep:\n    versions: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n  b:\n    calls: [{ to: deep }, { to: nowhere }]\n`;
    for (const cache of [undefined, new ChunkCache()]) {
      const result = analyze([parseFile(URI, text, RULES, cache)], RULES);
      assert.ok(result.findings.some((f) => f.messageId === 'RESOURCE_LIMIT'));
      assert.deepEqual(result.findings.filter((f) => f.rule === 'unknown-reference').map((f) => f.data?.id), ['nowhere']);
    }
  });

  test('an imported file over the size limit: the references into it are not reported one by one', () => {
    const saved = LIMITS.maxDocumentLength;
    LIMITS.maxDocumentLength = 200;
    try {
      const main = parseFile(URI, 'topology: main\nimports: [./big.topology.yaml]\nservices:\n  a:\n    calls: [{ to: in-big }, { to: also-in-big }]\n', RULES);
      const big = parseFile('file:///big.topology.yaml', `topology: big\nservices:\n  in-big: {}\n  also-in-big: {}\n#${'x'.repeat(300)}\n`, RULES);
      assert.equal(big.tooLarge, true);
      const result = analyze([main, big], RULES);
      assert.deepEqual(rulesOf(result.findings), ['yaml-syntax']);
    } finally {
      LIMITS.maxDocumentLength = saved;
    }
  });
});
