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
    // A broken text is read twice, whole and then in chunks, so that the CLI's reading agrees with the
    // editor's (always chunked). Since the library's errors are made without stack traces (ynode.ts), the
    // slowest fixtures (long runs of quotes or of line breaks) take about 1.5 s of CPU for both readings
    // and every rule on a busy 2-core machine (they took up to 3 s before). The bound leaves twice that
    // for a noisy CI machine, and catches a return of the stack traces' cost or of the minutes these
    // inputs once took (SECURITY.md, "Known gaps").
    assert.ok(ms < 3000, `${name} took ${Math.round(ms)} ms of CPU`);
  });
}
