// Packs the CLI as an npm tarball (`npm pack`, which runs the `prepack` production build), in a staging
// folder so that a development build or a test run in the work tree is never swapped for the production
// bundles half-way. The sources are linked into the stage, like scripts/package.mjs does for the .vsix;
// what goes into the tarball is package.json's `files` list. Prints the tarball's path.
// Usage: node scripts/pack-cli.mjs [--out DIR]     (default: the repository root)
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** What the build reads (linked into the stage). */
const SOURCES = ['server', 'client', 'shared', 'scripts', 'node_modules'];
/** What the tarball may carry besides the build's output (copied into the stage). */
const COPIED = ['bin', 'docs', 'schemas', 'README.md', 'LICENSE'];

/** Packs the CLI into `outDir`; returns the tarball's path. */
export function packCli(outDir = ROOT) {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const stage = mkdtempSync(join(tmpdir(), 'topolint-pack-'));
  try {
    for (const name of SOURCES) symlinkSync(join(ROOT, name), join(stage, name));
    copyFileSync(join(ROOT, 'package.json'), join(stage, 'package.json'));
    for (const name of COPIED) if (existsSync(join(ROOT, name))) cpSync(join(ROOT, name), join(stage, name), { recursive: true });
    mkdirSync(outDir, { recursive: true });
    const r = spawnSync('npm', ['pack', '--pack-destination', resolve(outDir), '--no-fund', '--no-audit'], { cwd: stage, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm pack failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stdout}\n${r.stderr}`);
    const tarball = resolve(outDir, `${pkg.name}-${pkg.version}.tgz`);
    if (!existsSync(tarball)) throw new Error(`npm pack did not write ${tarball}:\n${r.stdout}`);
    return tarball;
  } finally {
    // The links first, so that removing the stage cannot reach through them into the work tree.
    for (const name of SOURCES) rmSync(join(stage, name), { force: true });
    rmSync(stage, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const at = process.argv.indexOf('--out');
  console.log(packCli(at > 0 ? process.argv[at + 1] : ROOT));
}
