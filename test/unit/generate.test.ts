/**
 * The benchmark's generator (test/generate.ts): its compact writing describes the same system as the full
 * one, gives the same findings, and is the size issue 11 measured (about 300 KB at 1,000 services).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, parseFile, RULES, type AnalysisResult } from '../../server/src/core';
import { createHash } from 'node:crypto';
import { generateTopology } from '../generate';

function analysed(text: string): AnalysisResult {
  return analyze([parseFile('file:///generated.topology.yaml', text, RULES)], RULES);
}

/** The system as the rules see it: every service with its calls, publishes, subscriptions and stores. */
function shape(r: AnalysisResult): string[] {
  const t = r.files[0].topology;
  return [
    ...t.services.map((s) =>
      [
        s.id,
        s.exposure,
        s.serviceKind,
        s.availability?.value,
        s.calls.map((c) => `${c.to.id}/${c.style}/${c.timeout?.value ?? ''}/${c.perRequest?.value ?? ''}`).join(','),
        s.publishes.map((p) => `${p.event.id}/${p.delivery}`).join(','),
        s.subscribes.map((p) => p.event.id).join(','),
        s.uses.map((u) => `${u.store.id}/${u.access}`).join(','),
      ].join(' '),
    ),
    ...t.datastores.map((d) => `store ${d.id} ${d.storeKind}`),
    ...t.events.map((e) => `event ${e.id} ${e.fields.filter((f) => f.sensitive).map((f) => f.name).join(',')}`),
    ...t.flows.map((f) => `flow ${f.id} ${f.entry?.value} ${f.latencyBudget?.value} ${f.availabilityBudget?.value}`),
  ];
}

const findings = (r: AnalysisResult) => r.findings.map((f) => `${f.rule} ${f.severity} ${f.message}`).sort();

for (const [n, seed] of [[300, 42], [200, 7]] as const) {
  test(`the compact writing of ${n} services (seed ${seed}) is the same system with the same findings`, () => {
    const full = analysed(generateTopology(n, seed));
    const compact = analysed(generateTopology(n, seed, { compact: true }));
    assert.equal(compact.files[0].yaml.problems.length, 0);
    assert.equal(compact.files[0].schema.length, 0);
    assert.deepEqual(shape(compact), shape(full));
    assert.ok(full.findings.length > 50, `${full.findings.length} findings`);
    assert.deepEqual(findings(compact), findings(full));
  });
}

test('the full writing is unchanged by default, and the compact one is about 300 KB at 1,000 services', () => {
  // The full writing is what the scale and parse tests were written against: byte for byte as before.
  assert.equal(createHash('sha256').update(generateTopology(1000)).digest('hex'), 'e03723a6dcbff3a1ebaf6b488aa7860ce2064d93c7f11bd5357bb7b2fe424bc5');
  const full = generateTopology(1000).length;
  const compact = generateTopology(1000, 42, { compact: true }).length;
  assert.ok(full > 700_000, `${full} characters written in full`);
  assert.ok(compact > 250_000 && compact < 380_000, `${compact} characters written compactly`);
});
