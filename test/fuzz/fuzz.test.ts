/** A short, seeded fuzz run (about 2,000 inputs) in every `npm test`; `npm run fuzz` runs longer ones. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuzz } from './harness';

test('2,000 mutated examples: no throw, none over 1 s', () => {
  const report = fuzz({ root: process.cwd(), seed: 20261201, count: 2000, ms: 240_000, slowMs: 1000 });
  const show = report.failures.slice(0, 3).map((f) => `${f.kind}: ${f.detail.split('\n').slice(0, 3).join(' | ')}\n${JSON.stringify(f.input.slice(0, 300))}`);
  assert.deepEqual(show, []);
  assert.equal(report.count, 2000, 'the run was cut short by its time budget');
});
