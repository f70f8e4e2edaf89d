/**
 * The analysis made cheaper (issue 11) finds exactly what it found before: the findings (rule, message id,
 * message, span, severity, related places, data, acceptance, owner count) of every corpus topology (v1 and
 * v1.1, and thirty with settings that move severities and options), every example program and the
 * generated 1,000-service topology equal the snapshot test/fixtures/findings/snapshot.json, written by
 * scripts/snapshot-findings.ts from the code before that work. A few cases are kept whole there, so a
 * difference in them reads as a diff of findings and not only of hashes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyseCase, canonical, DUMPED, FIXTURE, hashOf, snapshotCases } from './findings-cases';

const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { hashes: Record<string, string>; counts: Record<string, number>; full: Record<string, unknown[]> };

test('every case of the snapshot is still analysed, and no case is new', () => {
  assert.deepEqual(snapshotCases().map((c) => c.name).sort(), Object.keys(fixture.hashes).sort());
});

test('the findings kept whole are equal, finding by finding', () => {
  const cases = snapshotCases().filter((c) => DUMPED.includes(c.name));
  assert.equal(cases.length, DUMPED.length);
  for (const c of cases) assert.deepEqual(canonical(analyseCase(c).findings), fixture.full[c.name], c.name);
});

test('the findings of every corpus topology, example and the generated 1k topology are equal to the snapshot', () => {
  const differ: string[] = [];
  let findings = 0;
  for (const c of snapshotCases()) {
    const found = analyseCase(c).findings;
    findings += found.length;
    if (hashOf(found) !== fixture.hashes[c.name]) differ.push(`${c.name}: ${found.length} findings, ${fixture.counts[c.name]} before`);
  }
  assert.deepEqual(differ, []);
  // The snapshot is not empty by accident: the cases hold thousands of findings.
  assert.ok(findings > 5000, `${findings} findings`);
});
