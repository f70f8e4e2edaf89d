// One build script for every bundle: the language server, the CLI, the VS Code client, and the tests.
// Usage: node scripts/build.mjs [--production] [--tests]
import * as esbuild from 'esbuild';
import { readdirSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { generate } from './gen-contributions.mjs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

const production = process.argv.includes('--production');

// `--corpus` builds only the corpus writer (npm run corpus): no bundles, no regenerated manifests.
if (process.argv.includes('--corpus')) {
  await esbuild.build({ bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', entryPoints: { corpus: 'scripts/corpus.ts' }, outdir: 'out' });
  process.exit(0);
}
const tests = process.argv.includes('--tests');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  define: { __TOPOLINT_VERSION__: JSON.stringify(pkg.version) },
};

function walk(dir, pred, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, pred, out);
    else if (pred(p)) out.push(p);
  }
  return out;
}

// The settings in package.json, the JSON Schema and the grammar are generated from the core. Test builds
// leave them as committed, so that test/unit/manifest.test.ts fails when they are stale.
if (!tests) for (const path of await generate()) console.log(`regenerated ${path}`);

const builds = [
  esbuild.build({ ...common, entryPoints: { server: 'server/src/server.ts', cli: 'server/src/cli/main.ts', 'cli-diagram': 'server/src/cli/diagram.ts' }, outdir: 'dist' }),
  esbuild.build({ ...common, entryPoints: { extension: 'client/src/extension.ts' }, outdir: 'dist', external: ['vscode'] }),
];
// The diagram preview: the webview's script (and its stylesheet) and the ELK layout worker, for the browser.
// The worker is mostly elkjs's own minified code, so it is always minified.
// Its sources are found next to this script, since scripts/package.mjs builds in a staging folder that
// links in only server/, client/, shared/ and node_modules/; the bundles go to media/dist/ of the folder
// the build runs in.
const media = (p) => fileURLToPath(new URL(`../media/src/${p}`, import.meta.url));
// No source map files: the packager copies media/ into the .vsix, which must carry none.
const browser = { ...common, platform: 'browser', target: 'chrome114', format: 'iife', outdir: 'media/dist', sourcemap: false };
builds.push(
  esbuild.build({ ...browser, entryPoints: { preview: media('main.ts') } }),
  esbuild.build({ ...browser, entryPoints: { 'layout-worker': media('layout-worker.ts') }, minify: true }),
);
if (tests) {
  rmSync('out/test', { recursive: true, force: true });
  const entryPoints = walk('test', (p) => p.endsWith('.test.ts'));
  builds.push(esbuild.build({ ...common, entryPoints, outdir: 'out/test', outbase: 'test', sourcemap: 'inline', packages: 'external' }));
  builds.push(esbuild.build({ ...common, entryPoints: { bench: 'scripts/bench.ts' }, outdir: 'out', sourcemap: false, packages: 'external' }));
  builds.push(esbuild.build({ ...common, entryPoints: { fuzz: 'scripts/fuzz.ts' }, outdir: 'out', sourcemap: false, packages: 'external' }));
  builds.push(esbuild.build({ ...common, entryPoints: { 'bench-diagram': 'scripts/bench-diagram.ts' }, outdir: 'out', sourcemap: false, packages: 'external' }));
  builds.push(esbuild.build({ ...common, entryPoints: { 'bench-import': 'scripts/bench-import.ts' }, outdir: 'out', sourcemap: false, packages: 'external' }));
  builds.push(esbuild.build({ ...common, entryPoints: { 'bench-observed': 'scripts/bench-observed.ts' }, outdir: 'out', sourcemap: false, packages: 'external' }));
}
await Promise.all(builds);
