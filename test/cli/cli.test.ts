import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const ROOT = resolve(__dirname, '../../..');
const FIX = 'test/fixtures/cli';

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['bin/topolint.js', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('exit 0 on a clean file, with a summary line', () => {
  const r = cli(['check', `${FIX}/clean.topology.yaml`]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /✔ 1 file checked, no problems/);
});

test('warnings alone exit 0; over --max-warnings exit 1', () => {
  const r = cli(['check', `${FIX}/chain.topology.yaml`]);
  assert.equal(r.code, 0, r.stdout);
  assert.match(r.stdout, /^test\/fixtures\/cli\/chain\.topology\.yaml:11:13 warning A synchronous chain from '[a-z-]+' blocks through 5 services, over the limit of 3\. .* \[sync-chain\]$/m);
  assert.match(r.stdout, /:15:21 warning 'orders' calls 'pricing' 6 times .* \[chatty-calls\]$/m);
  // Three warnings since rules revision 2: orders waits 6 × 1s on pricing, beyond web's 1s (timeout-budget).
  assert.match(r.stdout, /:4:12 warning The default timeout of 1s is shorter than what 1 callee may wait on its own calls \(up to 6s\)\. .* \[timeout-budget\]$/m);
  assert.equal(cli(['check', '--max-warnings', '3', `${FIX}/chain.topology.yaml`]).code, 0);
  assert.equal(cli(['check', '--max-warnings=2', `${FIX}/chain.topology.yaml`]).code, 1);
});

test('errors exit 1', () => {
  const r = cli(['check', `${FIX}/errors.topology.yaml`]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /error .*'missing'.* \[unknown-reference\]/);
  assert.match(r.stdout, /error .*2 services write 'db'.* \[shared-database\]/);
});

test('usage and I/O errors exit 2', () => {
  assert.equal(cli([]).code, 2);
  assert.equal(cli(['frobnicate']).code, 2);
  assert.equal(cli(['check']).code, 2);
  assert.equal(cli(['check', '--format', 'xml', FIX]).code, 2);
  assert.equal(cli(['check', '--max-warnings', 'lots', FIX]).code, 2);
  assert.equal(cli(['check', '--rule', 'nope=error', FIX]).code, 2);
  const missing = cli(['check', `${FIX}/does-not-exist.topology.yaml`]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read/);
  assert.equal(cli(['check', 'server']).code, 2, 'a directory with no topology files is an error');
});

test('directories are searched recursively for *.topology.yaml and *.topology.yml only', () => {
  const r = cli(['check', '--format', 'json', `${FIX}/nested`]);
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout);
  assert.deepEqual(json.files.map((f: { path: string }) => f.path), [`${FIX}/nested/deeper/also-clean.topology.yml`]);
});

test('--rule overrides a severity', () => {
  const r = cli(['check', '--rule', 'sync-chain=error', '--rule', 'chatty-calls=off', `${FIX}/chain.topology.yaml`]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /error A synchronous chain from '[a-z-]+' blocks through 5 services/);
  assert.doesNotMatch(r.stdout, /chatty-calls/);
});

test('accepted findings are counted apart and never fail the run', () => {
  const r = cli(['check', '--max-warnings', '0', `${FIX}/accepted.topology.yaml`]);
  assert.equal(r.code, 0, r.stdout);
  assert.match(r.stdout, /accepted .*\(accepted: The receipt needs the payment result before it renders\) \[sync-chain\]/);
  assert.match(r.stdout, /no problems, 1 accepted|0 problems.*1 accepted|1 accepted/);
  const json = JSON.parse(cli(['check', '--format', 'json', `${FIX}/accepted.topology.yaml`]).stdout);
  assert.deepEqual(json.summary, { errors: 0, warnings: 0, infos: 0, accepted: 1 });
});

test('json output carries positions, message ids and fix titles', () => {
  const json = JSON.parse(cli(['check', '--format', 'json', `${FIX}/chain.topology.yaml`]).stdout);
  const chatty = json.files[0].findings.find((f: { rule: string }) => f.rule === 'chatty-calls');
  assert.deepEqual([chatty.line, chatty.column, chatty.endLine, chatty.endColumn], [15, 21, 15, 22]);
  assert.equal(chatty.messageId, 'per-request');
  assert.ok(chatty.fixes.some((t: string) => t.startsWith('Batch')));
});

test('colour only on a TTY', () => {
  const r = cli(['check', `${FIX}/chain.topology.yaml`]);
  // eslint-disable-next-line no-control-regex -- the ANSI colour escapes start with ESC.
  assert.doesNotMatch(r.stdout, /\x1b\[/);
  // A pseudo-TTY through `script` shows colours; skip the check only where `script` is missing.
  const tty = spawnSync('script', ['-qec', `${process.execPath} bin/topolint.js check ${FIX}/chain.topology.yaml`, '/dev/null'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '' } });
  if (tty.error) assert.fail(`'script' (util-linux) is needed for the TTY test: ${tty.error.message}`);
  // eslint-disable-next-line no-control-regex -- the ANSI colour escapes start with ESC.
  assert.match(tty.stdout, /\x1b\[33mwarning\x1b\[0m/);
  const noColor = spawnSync('script', ['-qec', `NO_COLOR=1 ${process.execPath} bin/topolint.js check ${FIX}/chain.topology.yaml`, '/dev/null'], { cwd: ROOT, encoding: 'utf8' });
  // eslint-disable-next-line no-control-regex -- the ANSI colour escapes start with ESC.
  assert.doesNotMatch(noColor.stdout, /\x1b\[33m/);
});

test('SARIF output validates against the SARIF 2.1.0 schema and carries rules, help and fixes', () => {
  const r = cli(['check', '--format', 'sarif', FIX]);
  assert.equal(r.code, 1, r.stderr);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed SARIF log, checked by the schema below.
  const sarif: any = JSON.parse(r.stdout);
  const schema = JSON.parse(readFileSync(resolve(ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  // The schema's language pattern is not valid in unicode mode; its own era's validators read it without.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  const valid: boolean = validate(sarif);
  assert.ok(valid, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  const run = sarif.runs[0];
  const ids = run.tool.driver.rules.map((x: { id: string }) => x.id);
  for (const id of ['yaml-syntax', 'schema', 'sync-chain', 'chatty-calls', 'shared-database']) assert.ok(ids.includes(id), id);
  for (const res of run.results) assert.equal(ids[res.ruleIndex], res.ruleId);
  assert.ok(run.tool.driver.rules.every((x: { help?: { text: string }; helpUri?: string }) => x.help?.text && x.helpUri));
  const chatty = run.results.find((x: { ruleId: string }) => x.ruleId === 'chatty-calls');
  assert.ok(chatty.fixes?.length >= 1);
  assert.equal(chatty.fixes[0].artifactChanges[0].replacements[0].insertedContent.text, '1');
  const accepted = run.results.find((x: { suppressions?: unknown[] }) => x.suppressions);
  assert.equal(accepted.suppressions[0].justification, 'The receipt needs the payment result before it renders');
});

test('explain prints a rule doc; unknown rules exit 2', () => {
  const r = cli(['explain', 'sync-chain']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /sync-chain/);
  assert.equal(cli(['explain', 'nope']).code, 2);
  assert.match(cli(['rules']).stdout, /^shared-database\s+warning/m);
});

test('imports are followed: references resolve across files, a missing file is reported, findings are listed once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'topolint-cli-'));
  try {
    writeFileSync(join(dir, 'payments.topology.yaml'), 'topology: payments\nservices:\n  payment:\n    slo: { availability: 99.95% }\n');
    writeFileSync(join(dir, 'shop.topology.yaml'), 'topology: shop\nimports: [./payments.topology.yaml, ./gone.topology.yaml]\ndefaults: { timeout: 1s }\nservices:\n  cart:\n    calls:\n      - to: payment\n');
    writeFileSync(join(dir, 'admin.topology.yaml'), 'topology: admin\nimports: [./payments.topology.yaml]\nservices:\n  payment: {}\n');
    const r = cli(['check', '--format', 'json', dir]);
    const json = JSON.parse(r.stdout);
    const all = json.files.flatMap((f: { path: string; findings: { rule: string; message: string }[] }) => f.findings.map((x) => `${f.path.split('/').pop()} ${x.rule}`));
    assert.deepEqual(all.sort(), ['admin.topology.yaml duplicate-id', 'payments.topology.yaml duplicate-id', 'shop.topology.yaml unknown-reference'], r.stdout);
    assert.equal(r.code, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
