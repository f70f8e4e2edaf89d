// Builds the end-to-end suite (test/e2e/suite) and the test-runner extension (test/e2e/runner) with
// esbuild, and packages the runner as a .vsix with vsce, as code-server installs extensions only from one.
//   out/e2e/suite/index.js, NAME.e2e.js   the suite; index.js is @vscode/test-electron's extensionTestsPath
//   out/e2e/runner/                       the runner extension (its own copy of the suite in suite/)
//   out/e2e/topolint-e2e-runner.vsix
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './env.mjs';

export const OUT = join(ROOT, 'out', 'e2e');
export const SUITE_OUT = join(OUT, 'suite');
export const RUNNER_OUT = join(OUT, 'runner');
export const RUNNER_VSIX = join(OUT, 'topolint-e2e-runner.vsix');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
  // `vscode` is the extension host's; everything else (mocha too) goes into the bundles.
  external: ['vscode'],
  // Mocha's parallel mode resolves worker files at run time; the suite runs serially and never loads them.
  logOverride: { 'require-resolve-not-external': 'silent' },
};

/** The suite: index.js with mocha in it, and one bundle per test file, which mocha loads with require. */
export async function buildSuite() {
  rmSync(SUITE_OUT, { recursive: true, force: true });
  const dir = join(ROOT, 'test', 'e2e', 'suite');
  const tests = readdirSync(dir).filter((f) => f.endsWith('.e2e.ts')).map((f) => join(dir, f));
  await Promise.all([
    esbuild.build({ ...common, entryPoints: [join(dir, 'index.ts')], outdir: SUITE_OUT }),
    esbuild.build({ ...common, entryPoints: tests, outdir: SUITE_OUT }),
  ]);
  return SUITE_OUT;
}

/** The runner extension and its .vsix. */
export async function buildRunner() {
  await buildSuite();
  rmSync(RUNNER_OUT, { recursive: true, force: true });
  mkdirSync(RUNNER_OUT, { recursive: true });
  const src = join(ROOT, 'test', 'e2e', 'runner');
  await esbuild.build({ ...common, entryPoints: [join(src, 'extension.ts')], outdir: RUNNER_OUT });
  cpSync(SUITE_OUT, join(RUNNER_OUT, 'suite'), { recursive: true });
  for (const f of ['package.json', 'README.md']) copyFileSync(join(src, f), join(RUNNER_OUT, f));
  copyFileSync(join(ROOT, 'LICENSE'), join(RUNNER_OUT, 'LICENSE'));
  writeFileSync(join(RUNNER_OUT, '.vscodeignore'), '*.vsix\n');
  rmSync(RUNNER_VSIX, { force: true });
  const vsce = createRequire(join(ROOT, 'package.json')).resolve('@vscode/vsce/vsce');
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', RUNNER_VSIX], {
    cwd: RUNNER_OUT,
    encoding: 'utf8',
  });
  if (r.status !== 0 || !existsSync(RUNNER_VSIX)) throw new Error(`vsce could not package the test-runner extension:\n${r.stdout}${r.stderr}`);
  return RUNNER_VSIX;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const vsix = await buildRunner();
  console.log(`built ${SUITE_OUT} and ${vsix}`);
}
