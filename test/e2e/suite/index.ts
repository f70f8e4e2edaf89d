/**
 * The end-to-end suite's entry: runs the mocha tests in this folder inside a VS Code extension host.
 * `run` is what @vscode/test-electron calls (extensionTestsPath); `runSuite` is what the test-runner
 * extension (test/e2e/runner) calls in code-server, where extensionTestsPath is not supported.
 */
import Mocha from 'mocha';
import { join } from 'node:path';

/** The test files, in the order they run (each bundled next to this file as NAME.e2e.js). */
export const SUITE_FILES = ['diagnostics', 'quickfix', 'settings', 'preview'];

export interface TestResult {
  /** The describe block's title. */
  suite: string;
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface SuiteResult {
  passes: number;
  failures: number;
  pending: number;
  durationMs: number;
  tests: TestResult[];
  /** What the tests reported with `note` (helpers.ts), such as timings. */
  notes: string[];
}

export function runSuite(options: { reporter?: string; grep?: string } = {}): Promise<SuiteResult> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: options.reporter ?? 'spec' });
  if (options.grep) mocha.grep(options.grep);
  for (const name of SUITE_FILES) mocha.addFile(join(__dirname, `${name}.e2e.js`));
  const started = Date.now();
  const tests: TestResult[] = [];
  const notes: string[] = [];
  (globalThis as { topolintE2eNotes?: string[] }).topolintE2eNotes = notes;
  return new Promise((resolve) => {
    const runner = mocha.run(() => {
      resolve({
        passes: tests.filter((t) => t.state === 'passed').length,
        failures: tests.filter((t) => t.state === 'failed').length,
        pending: tests.filter((t) => t.state === 'pending').length,
        durationMs: Date.now() - started,
        tests,
        notes,
      });
    });
    const suiteOf = (t: Mocha.Runnable) => t.parent?.fullTitle() ?? '';
    runner.on('pass', (t) => tests.push({ suite: suiteOf(t), title: t.title, state: 'passed', durationMs: t.duration }));
    runner.on('pending', (t) => tests.push({ suite: suiteOf(t), title: t.title, state: 'pending' }));
    // Hooks fail through this event too: they count as failed tests, under the hook's title.
    runner.on('fail', (t, err: Error) => tests.push({ suite: suiteOf(t), title: t.title, state: 'failed', durationMs: t.duration, error: err?.stack ?? String(err) }));
  });
}

/** For @vscode/test-electron: resolves when every test passed, rejects otherwise. */
export async function run(): Promise<void> {
  const r = await runSuite({ grep: process.env.TOPOLINT_E2E_GREP });
  if (r.failures > 0) throw new Error(`${r.failures} of ${r.tests.length} end-to-end tests failed`);
}
