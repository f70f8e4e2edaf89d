/** Every input the fuzzer ever broke the core with (test/fixtures/fuzz/) stays fixed. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exercise } from './harness';

const dir = join(process.cwd(), 'test', 'fixtures', 'fuzz');
const names = readdirSync(dir).filter((n) => n.endsWith('.fuzz.yaml')).sort();

test('the fuzz fixtures are there', () => assert.ok(names.length > 0));
for (const name of names) {
  test(`fuzz fixture ${name}`, () => {
    const text = readFileSync(join(dir, name), 'utf8');
    const t0 = process.cpuUsage();
    exercise(text);
    const used = process.cpuUsage(t0);
    const ms = (used.user + used.system) / 1000;
    // The slowest fixtures (broken files with runs of 200,000 quotes or empty lines) took 1-2 s of CPU
    // for the parse and every rule; with the library's problems kept without Error objects and long runs
    // of empty lines shortened (ynode.ts), about 0.3 s on a busy 2-core machine. The bound leaves over
    // five times that for a noisy CI machine, and catches a return of the minutes these inputs once took
    // (SECURITY.md). test/unit/parse/runs.test.ts bounds the empty-line shape by a ratio, which load does
    // not decide.
    assert.ok(ms < 2000, `${name} took ${Math.round(ms)} ms of CPU`);
  });
}
