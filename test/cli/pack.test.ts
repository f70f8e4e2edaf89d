/**
 * The CLI as users install it: `npm pack` (through scripts/pack-cli.mjs, which runs the `prepack`
 * production build), then `npm install -g` of the tarball and `npx topolint` in an empty folder, both
 * offline with an empty npm cache: the package must need nothing but itself (the bundle carries its
 * dependencies). Then `topolint check`, `explain` and SARIF from the installed copy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULES } from '../../server/src/core';

const ROOT = resolve(__dirname, '../../..');

function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 240_000 });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

test('npm pack, install offline from the tarball, and topolint check from the installed copy', { timeout: 600_000 }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'topolint-pack-test-'));
  try {
    const packed = run(process.execPath, ['scripts/pack-cli.mjs', '--out', tmp], ROOT);
    assert.equal(packed.code, 0, packed.stdout + packed.stderr);
    const tarball = packed.stdout.trim().split('\n').pop()!;
    assert.ok(existsSync(tarball), tarball);

    // What is in it: the built CLI, the docs it links to, the JSON Schema; no sources, maps or tests.
    const list = run('tar', ['tzf', tarball], tmp).stdout.split('\n').filter(Boolean).map((p) => p.replace(/^package\//, ''));
    for (const must of ['package.json', 'bin/topolint.js', 'dist/cli.js', 'dist/cli-diagram.js', 'schemas/topology.schema.json', 'docs/dsl.md', 'README.md', 'LICENSE', 'media/dist/preview.js']) assert.ok(list.includes(must), `the tarball misses ${must}`);
    for (const r of RULES) assert.ok(list.includes(`docs/rules/${r.meta.id}.md`), `the tarball misses docs/rules/${r.meta.id}.md`);
    assert.deepEqual(list.filter((p) => /\.map$|^(server|client|shared|test|scripts|out|node_modules)\//.test(p) || p === 'dist/server.js' || p === 'dist/extension.js'), []);
    const pkg = JSON.parse(run('tar', ['xzf', tarball, '-O', 'package/package.json'], tmp).stdout);
    assert.deepEqual(Object.keys(pkg.dependencies ?? {}), [], 'the CLI bundle carries its dependencies; the package must not ask npm for any');

    // Offline, with an empty cache: whatever npm would have to fetch makes the install fail.
    const npmEnv = { npm_config_cache: join(tmp, 'empty-cache'), npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
    const prefix = join(tmp, 'global');
    const global = run('npm', ['install', '-g', '--prefix', prefix, tarball], tmp, npmEnv);
    assert.equal(global.code, 0, global.stdout + global.stderr);
    const bin = join(prefix, 'bin', 'topolint');
    assert.ok(existsSync(bin), `npm install -g made no ${bin}`);

    // The example: the same findings as the work tree's CLI (exit 0: warnings only).
    const example = join(ROOT, 'examples', 'shop.topology.yaml');
    const installed = run(bin, ['check', example, '--format', 'json'], tmp);
    const local = run(process.execPath, [join(ROOT, 'bin', 'topolint.js'), 'check', example, '--format', 'json'], tmp);
    assert.equal(installed.code, local.code, installed.stderr);
    const rules = (out: string) => (JSON.parse(out) as { files: { findings: { rule: string; line: number }[] }[] }).files.flatMap((f) => f.findings.map((x) => `${x.line}:${x.rule}`));
    assert.ok(rules(installed.stdout).length > 0, 'the example has findings');
    assert.deepEqual(rules(installed.stdout), rules(local.stdout));

    // The docs ship with it: `explain` reads them, and SARIF links point into the installed package.
    const explain = run(bin, ['explain', 'sync-chain'], tmp);
    assert.equal(explain.code, 0, explain.stderr);
    assert.match(explain.stdout, /^# sync-chain/);
    const sarif = JSON.parse(run(bin, ['check', example, '--format', 'sarif'], tmp).stdout);
    const help: string = sarif.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'sync-chain').helpUri;
    assert.ok(help.startsWith('file:') && existsSync(fileURLToPath(help)) && fileURLToPath(help).startsWith(prefix), help);

    // `npx topolint check` in an empty folder with the package installed locally, no dev dependencies.
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'package.json'), '{ "name": "empty", "version": "1.0.0", "private": true }\n');
    const local2 = run('npm', ['install', tarball], empty, npmEnv);
    assert.equal(local2.code, 0, local2.stdout + local2.stderr);
    assert.deepEqual(readdirSync(join(empty, 'node_modules')).filter((n) => !n.startsWith('.')), ['topolint'], 'only the package itself is installed');
    writeFileSync(join(empty, 'broken.topology.yaml'), 'topology: broken\nservices:\n  a:\n    calls: [{ to: nowhere }]\n');
    const npx = run('npx', ['--no-install', 'topolint', 'check', 'broken.topology.yaml'], empty, npmEnv);
    assert.equal(npx.code, 1, npx.stdout + npx.stderr);
    assert.match(npx.stdout, /broken\.topology\.yaml:4:\d+ error .*'nowhere'.*\[unknown-reference\]/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
