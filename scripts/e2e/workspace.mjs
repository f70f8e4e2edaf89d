// The folder the end-to-end suite opens: a copy of examples/ (quick fixes and settings edit it, never the
// repository's files), and the CLI's findings for it, which the suite compares with VS Code's diagnostics.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './env.mjs';

/**
 * Copies the examples into `dir`/workspace and writes `dir`/expected.json with `topolint check --format
 * json` run by `cliBundle` (the CLI from the same build as the extension under test).
 */
export function prepareWorkspace(dir, cliBundle) {
  const workspace = join(dir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const examples = readdirSync(join(ROOT, 'examples')).filter((f) => /\.topology\.ya?ml$/.test(f));
  if (examples.length === 0) throw new Error('examples/ has no *.topology.yaml files to open');
  for (const f of examples) copyFileSync(join(ROOT, 'examples', f), join(workspace, f));
  if (!existsSync(cliBundle)) throw new Error(`the CLI bundle ${cliBundle} is missing; build first`);
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(cliBundle)}).run(['check', '.', '--format', 'json'])`], { cwd: workspace, encoding: 'utf8' });
  // 0: clean, 1: findings that fail a CI run (the examples have errors on purpose); 2 is a usage or I/O error.
  if (r.status !== 0 && r.status !== 1) throw new Error(`topolint check on the examples failed (exit ${r.status}):\n${r.stderr}`);
  const expected = join(dir, 'expected.json');
  JSON.parse(r.stdout);
  writeFileSync(expected, r.stdout);
  return { workspace, expected, examples };
}
