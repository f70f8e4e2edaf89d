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
