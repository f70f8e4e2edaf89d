/**
 * `npm run fuzz [-- --seed N] [--count N] [--seconds N] [--slow-ms N]`: mutates the examples and runs every
 * input through the core (test/fuzz/harness.ts). Each throw or input over 1 s of CPU (or `--slow-ms`, to
 * find the slowest shapes before they cross the line) is written to
 * test/fixtures/fuzz/, where test/fuzz/regressions.test.ts reads it from then on. Exits 1 on any failure.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fuzz } from '../test/fuzz/harness';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) ? v : fallback;
}

const seed = arg('seed', Date.now() % 1_000_000);
const count = arg('count', Number.MAX_SAFE_INTEGER);
const seconds = arg('seconds', 60);
const slowMs = arg('slow-ms', 1000);
const dir = join(process.cwd(), 'test', 'fixtures', 'fuzz');
console.log(`fuzz: seed ${seed}, up to ${count === Number.MAX_SAFE_INTEGER ? 'any number of' : count} inputs in ${seconds} s`);
const report = fuzz({
  root: process.cwd(),
  seed,
  count,
  ms: seconds * 1000,
  slowMs,
  onFailure: (f) => {
    mkdirSync(dir, { recursive: true });
    const name = `${f.kind}-${createHash('sha256').update(f.input).digest('hex').slice(0, 12)}.fuzz.yaml`; // Not *.topology.yaml: a workspace scan must not pick the fuzz inputs up.
    writeFileSync(join(dir, name), f.input);
    console.log(`${f.kind}: ${name}: ${f.detail.split('\n').slice(0, 4).join(' | ')}`);
  },
});
const throws = report.failures.filter((f) => f.kind === 'throw').length;
const slow = report.failures.length - throws;
console.log(`fuzz: ${report.count} inputs, ${throws} throws, ${slow} over ${slowMs === 1000 ? '1 s' : `${slowMs} ms`}, slowest ${Math.round(report.slowestMs)} ms`);
process.exitCode = report.failures.length ? 1 : 0;
