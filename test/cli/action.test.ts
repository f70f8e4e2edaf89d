/**
 * The CI integrations: the GitHub Action's script (scripts/action.mjs, what action.yml runs) on the
 * examples, as a runner would run it, and the pre-commit hook's definition run the way pre-commit runs
 * it (the entry with the matching staged files appended).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const ROOT = resolve(__dirname, '../../..');

function action(env: Record<string, string>, cwd = ROOT) {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'action.mjs')], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the action writes the SARIF, sets its output, annotates and fails on errors', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'topolint-action-'));
  try {
    const sarifFile = join(tmp, 'results', 'topolint.sarif');
    const output = join(tmp, 'github-output');
    writeFileSync(output, '');
    const r = action({ INPUT_PATHS: 'examples', INPUT_SARIF_FILE: sarifFile, GITHUB_OUTPUT: output, ACTION_REPOSITORY: 'topolint/topolint', ACTION_REF: 'v0.1.0' });
    // examples/broken.topology.yaml has errors on purpose: the step fails, after writing the SARIF.
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const sarif = JSON.parse(readFileSync(sarifFile, 'utf8'));
    assert.equal(sarif.version, '2.1.0');
    const results = sarif.runs[0].results as { ruleId: string; level: string; suppressions?: unknown[]; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
    assert.ok(results.some((x) => x.level === 'error' && x.locations[0].physicalLocation.artifactLocation.uri === 'examples/broken.topology.yaml'));
    assert.equal(readFileSync(output, 'utf8'), `sarif-file=${sarifFile}\n`);
    // Rule links point at the action's docs on GitHub, which a code-scanning alert can open.
    assert.equal(sarif.runs[0].tool.driver.rules.find((x: { id: string }) => x.id === 'sync-chain').helpUri, 'https://github.com/topolint/topolint/blob/v0.1.0/docs/rules/sync-chain.md');
    // One annotation per finding that is not accepted, at its file and line.
    const annotations = r.stdout.split('\n').filter((l) => /^::(error|warning|notice) /.test(l));
    const open = results.filter((x) => !x.suppressions?.length);
    assert.equal(annotations.length, open.length);
    assert.match(r.stdout, /^::error file=examples\/broken\.topology\.yaml,line=\d+,col=\d+,endLine=\d+,title=topolint [a-z-]+::.+$/m);
    assert.match(r.stdout, /^topolint: \d+ error\(s\), \d+ warning\(s\), \d+ note\(s\), \d+ accepted; SARIF in /m);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('the action passes on a clean file, and max-warnings turns warnings into a failure', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'topolint-action-'));
  try {
    const clean = action({ INPUT_PATHS: 'examples/clean.topology.yaml', INPUT_SARIF_FILE: join(tmp, 'a.sarif') });
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    assert.deepEqual(JSON.parse(readFileSync(join(tmp, 'a.sarif'), 'utf8')).runs[0].results, []);
    // shop has warnings and no errors: green by default, red over the limit, and no annotations when off.
    const shop = action({ INPUT_PATHS: 'examples/shop.topology.yaml', INPUT_SARIF_FILE: join(tmp, 'b.sarif'), INPUT_ANNOTATIONS: 'false' });
    assert.equal(shop.code, 0, shop.stdout + shop.stderr);
    assert.doesNotMatch(shop.stdout, /^::/m);
    assert.equal(action({ INPUT_PATHS: 'examples/shop.topology.yaml', INPUT_SARIF_FILE: join(tmp, 'c.sarif'), INPUT_MAX_WARNINGS: '0' }).code, 1);
    // A path that does not exist is the CLI's I/O error (exit 2), with no SARIF to upload.
    const missing = action({ INPUT_PATHS: 'no/such/folder', INPUT_SARIF_FILE: join(tmp, 'd.sarif') });
    assert.equal(missing.code, 2, missing.stdout + missing.stderr);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('action.yml runs the script with its inputs in the environment, not in the shell line', () => {
  const a = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'));
  assert.equal(a.runs.using, 'composite');
  const check = a.runs.steps.find((s: { id?: string }) => s.id === 'check');
  assert.equal(check.run, 'node "$GITHUB_ACTION_PATH/scripts/action.mjs"');
  for (const input of Object.keys(a.inputs)) {
    const name = `INPUT_${input.toUpperCase().replace(/-/g, '_')}`;
    assert.equal(check.env[name], `\${{ inputs.${input} }}`, `${input} reaches the script as ${name}`);
  }
  for (const s of a.runs.steps) assert.doesNotMatch(s.run ?? '', /\$\{\{/, 'no expression inside a shell line');
  assert.equal(a.outputs['sarif-file'].value, '${{ steps.check.outputs.sarif-file }}');
});

test('the pre-commit hook runs topolint check on topology files, and only on them', () => {
  const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; language: string; files: string }[];
  const hook = hooks.find((h) => h.id === 'topolint')!;
  assert.equal(hook.language, 'node');
  const files = new RegExp(hook.files);
  for (const f of ['a.topology.yaml', 'deep/b.topology.yml']) assert.ok(files.test(f), f);
  for (const f of ['a.yaml', 'topology.yaml', 'a.topology.yaml.bak', 'a.topology.json']) assert.ok(!files.test(f), f);
  // The entry is the package's bin plus arguments; pre-commit appends the staged files that match.
  const [bin, ...args] = hook.entry.split(' ');
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.ok(pkg.bin[bin], `${bin} is not a bin of the package`);
  const staged = ['examples/shop.topology.yaml', 'examples/broken.topology.yaml'].filter((f) => files.test(f));
  const r = spawnSync(process.execPath, [join(ROOT, pkg.bin[bin]), ...args, ...staged], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 1, 'errors in a staged file block the commit');
  assert.match(r.stdout, /examples\/broken\.topology\.yaml:\d+:\d+ error /);
  const ok = spawnSync(process.execPath, [join(ROOT, pkg.bin[bin]), ...args, 'examples/clean.topology.yaml'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stdout);
});
