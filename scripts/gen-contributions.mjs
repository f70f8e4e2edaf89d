// Writes the files derived from the DSL schema and the rule registry (see scripts/gen-contributions.ts):
// schemas/topology.schema.json, syntaxes/topology.tmLanguage.json, and in package.json the members
// `contributes.configuration` and `contributes.yamlValidation`. The output is committed; the manifest
// test fails when it is stale. Files are only written when their content changes.
//
// Usage: node scripts/gen-contributions.mjs [--check]   (--check writes nothing and exits 1 when stale)
// `node scripts/build.mjs` runs it too (but not with --tests, so that tests see what is committed).
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles the TypeScript generator (and the core it reads) in memory and imports it. */
async function loadGenerator() {
  const out = await esbuild.build({
    entryPoints: [resolve(ROOT, 'scripts/gen-contributions.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'warning',
  });
  const code = out.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

/**
 * Regenerates every derived file. Returns the paths that were out of date (and, unless `check`, are
 * now rewritten).
 */
export async function generate({ check = false } = {}) {
  const gen = await loadGenerator();
  const stale = [];
  const put = (path, text) => {
    const file = resolve(ROOT, path);
    if (existsSync(file) && readFileSync(file, 'utf8') === text) return;
    stale.push(path);
    if (check) return;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  };
  put(gen.SCHEMA_PATH, gen.jsonText(gen.topologyJsonSchema()));
  put(gen.GRAMMAR_PATH, gen.jsonText(gen.grammar()));

  // package.json: only the generated members are compared and replaced; the rest is left as written.
  const pkgText = readFileSync(resolve(ROOT, 'package.json'), 'utf8');
  const pkg = JSON.parse(pkgText);
  const contributes = (pkg.contributes ??= {});
  let changed = false;
  for (const [key, value] of Object.entries(gen.contributions())) {
    if (JSON.stringify(contributes[key]) === JSON.stringify(value)) continue;
    contributes[key] = value;
    changed = true;
  }
  if (changed) put('package.json', gen.jsonText(pkg));
  return stale;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const check = process.argv.includes('--check');
  const stale = await generate({ check });
  if (check && stale.length) {
    console.error(`Out of date: ${stale.join(', ')}. Run: node scripts/gen-contributions.mjs`);
    process.exit(1);
  }
  for (const path of stale) console.log(`wrote ${path}`);
}
