/** topolint import as a process: stdout and -o, --merge with its summary, usage errors, refused inputs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers';

function cli(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/topolint.js', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('import k8s to a file; the file passes topolint check with no errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'topolint-import-'));
  try {
    const out = join(dir, 'shop.topology.yaml');
    const r = cli(['import', 'k8s', 'examples/import/k8s', '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(out, 'utf8');
    assert.match(text, /^topology: shop$/m);
    const c = cli(['check', '--format', 'json', out]);
    assert.equal(c.code, 0, c.stdout);
    assert.equal(JSON.parse(c.stdout).summary.errors, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('import traces reads OTLP, Jaeger and Zipkin files from a directory, to stdout', () => {
  const r = cli(['import', 'traces', 'examples/import/traces']);
  assert.equal(r.code, 0, r.stderr);
  for (const s of ['frontend', 'cartservice', 'orders', 'inventory', 'checkout', 'payment']) assert.match(r.stdout, new RegExp(`^  ${s}:`, 'm'), s);
});

test('--merge writes back only additions and prints what it added', () => {
  const dir = mkdtempSync(join(tmpdir(), 'topolint-import-'));
  try {
    const file = join(dir, 'b.topology.yaml');
    const hand = 'topology: b   # hand-written\nservices:\n  gateway: { exposure: external }   # the edge\n';
    writeFileSync(file, hand);
    const r = cli(['import', 'compose', 'examples/import/compose.yaml', '--merge', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Added from a Compose file \(\d+\):\n {2}\+ service bookings\n {2}\+ call gateway → bookings$/m);
    const text = readFileSync(file, 'utf8');
    assert.ok(text.startsWith('topology: b   # hand-written\nservices:\n  gateway: { exposure: external, calls: ['), text);
    const again = cli(['import', 'compose', 'examples/import/compose.yaml', '--merge', file]);
    assert.match(again.stdout, /^Nothing to add/);
    assert.equal(readFileSync(file, 'utf8'), text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('usage errors exit 2; a FIFO-like non-file and a missing file are refused', () => {
  assert.equal(cli(['import']).code, 2);
  assert.equal(cli(['import', 'helm', 'x']).code, 2);
  assert.equal(cli(['import', 'k8s']).code, 2);
  assert.equal(cli(['import', 'k8s', '--bogus', 'x']).code, 2);
  const r = cli(['import', 'k8s', 'no/such/dir']);
  assert.match(r.stderr, /cannot read 'no\/such\/dir'/);
  const dev = cli(['import', 'traces', '/dev/null']);
  assert.match(dev.stderr, /'\/dev\/null' is not a regular file/);
});

test('check --observed: a topology imported from traces shows no drift against them; a hand-written one does', () => {
  const dir = mkdtempSync(join(tmpdir(), 'topolint-import-'));
  try {
    const imported = join(dir, 'imported.topology.yaml');
    assert.equal(cli(['import', 'traces', 'examples/import/traces', '-o', imported]).code, 0);
    const same = cli(['check', '--format', 'json', '--observed', 'examples/import/traces', imported]);
    const findings = JSON.parse(same.stdout).files.flatMap((f: { findings: { rule: string; severity: string }[] }) => f.findings);
    assert.deepEqual(findings.filter((f: { rule: string }) => f.rule === 'drift'), []);
    assert.equal(findings.filter((f: { severity: string }) => f.severity === 'error').length, 0);

    const hand = join(dir, 'hand.topology.yaml');
    writeFileSync(hand, 'topology: shop\nservices:\n  checkout:\n    calls:\n      - to: payment\n        style: async\n      - to: legacy\n  payment: {}\n  legacy: {}\n');
    const r = cli(['check', '--observed', 'examples/import/traces/otlp.jsonl', hand]);
    assert.match(r.stdout, /hand\.topology\.yaml:3:3 warning 'checkout' calls 'currency' \(6 calls in 3 traces, 2 per request\), but the topology declares no call checkout → currency\. .*\[drift\]/);
    assert.match(r.stdout, /:6:16 warning The call checkout → payment is declared async but observed sync \(3 calls in 3 traces\)/);
    assert.match(r.stdout, /hand\.topology\.yaml:3:3 warning 'checkout' reads and writes 'orders-db' \(postgresql\)/);
    // legacy has no spans of its own: its silence is not reported.
    assert.doesNotMatch(r.stdout, /never observed/);
    assert.equal(cli(['check', '--observed', hand]).code, 2, '--observed needs files before the topology');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the editor command: a new topology, or a merge into the open one as a single insertion edit', async () => {
  const { importForEditor } = await import('../../server/src/import/files');
  const { applyEdits } = await import('../../server/src/core/yamledit');
  const fresh = importForEditor('compose', [join(ROOT, 'examples/import/compose.yaml')]);
  assert.match(fresh.text, /^topology: imported$/m);
  assert.deepEqual(fresh.added, []);
  const open = 'topology: b\nservices:\n  gateway: {}   # kept\n';
  const merged = importForEditor('compose', [join(ROOT, 'examples/import/compose.yaml')], open);
  assert.ok(merged.added.includes('service rooms'));
  // The insertions, applied to the open text, give the merged text.
  assert.ok(merged.insertions.length >= 2);
  assert.equal(applyEdits(open, merged.insertions.map((x) => ({ span: { start: x.offset, end: x.offset }, newText: x.text }))), merged.text);
  const none = importForEditor('k8s', [join(ROOT, 'no/such')]);
  assert.match(none.problems.join('\n'), /cannot read/);
});
