// `npm run test:vscode`: the end-to-end suite (test/e2e/suite) in VS Code desktop through
// @vscode/test-electron, which downloads VS Code (into .vscode-test/) — for machines that can reach the
// VS Code download servers. Where they cannot be reached (as on the project's own machines), this fails
// with the download error; `npm run test:e2e` runs the same suite in code-server instead.
// Environment: TOPOLINT_VSCODE_VERSION (default: the engines.vscode minimum, 1.91.0; or `stable`),
// VSCODE_EXECUTABLE (a VS Code already on this machine: no download), TOPOLINT_E2E_GREP.
import { runTests } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSuite, SUITE_OUT } from './build.mjs';
import { ROOT } from './env.mjs';
import { prepareWorkspace } from './workspace.mjs';

const dir = join(ROOT, 'out', 'e2e', 'vscode-run');
try {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');
  await buildSuite();
  rmSync(dir, { recursive: true, force: true });
  const ws = prepareWorkspace(dir, join(ROOT, 'dist', 'cli.js'));
  const userData = join(dir, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ 'security.workspace.trust.enabled': false, 'git.openRepositoryInParentFolders': 'never' }, null, 2));
  await runTests({
    version: process.env.TOPOLINT_VSCODE_VERSION ?? '1.91.0',
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: join(SUITE_OUT, 'index.js'),
    launchArgs: [ws.workspace, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${userData}`],
    extensionTestsEnv: { TOPOLINT_E2E_EXPECTED: ws.expected, TOPOLINT_E2E_GREP: process.env.TOPOLINT_E2E_GREP ?? '' },
  });
} catch (e) {
  console.error(`test:vscode failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
