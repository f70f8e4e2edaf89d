import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PublishDiagnosticsParams, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TestClient } from './client';

/** A workspace on disk: payments is defined once and used from three files. */
function makeWorkspace(): { dir: string; uri: (name: string) => string; files: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'topolint-ws-'));
  mkdirSync(join(dir, 'teams'));
  const files: Record<string, string> = {
    'payments.topology.yaml': 'topology: payments\nservices:\n  payment:\n    slo: { availability: 99.95% }\n',
    'shop.topology.yaml': 'topology: shop\nimports: [./payments.topology.yaml]\ndefaults: { timeout: 1s }\nservices:\n  cart:\n    calls:\n      - to: payment\n',
    'teams/admin.topology.yaml': 'topology: admin\nimports: [../payments.topology.yaml]\ndefaults: { timeout: 1s }\nservices:\n  refunds:\n    calls: [{ to: payment }]\n',
    'teams/ops.topology.yaml': 'topology: ops\nimports: [./admin.topology.yaml, ../payments.topology.yaml]\ndefaults: { timeout: 1s }\nservices:\n  audit:\n    calls: [{ to: payment }, { to: refunds }]\n',
    'cycle-a.topology.yaml': 'topology: a\nimports: [./cycle-b.topology.yaml]\nservices:\n  a1: {}\n',
    'cycle-b.topology.yaml': 'topology: b\nimports: [./cycle-a.topology.yaml, ./nowhere.topology.yaml]\nservices:\n  b1: {}\n',
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, uri: (name) => pathToFileURL(join(dir, name)).href, files };
}

function codesOf(p: PublishDiagnosticsParams | undefined): string[] {
  return (p?.diagnostics ?? []).map((d) => String(d.code)).sort();
}

test('the workspace scan analyses every topology file, with progress, before any is opened', async () => {
  const ws = makeWorkspace();
  const c = new TestClient();
  try {
    const all = Object.keys(ws.files).map(ws.uri);
    const waits = all.map((u) => c.diagnostics(u, () => true, 10_000));
    await c.initialize(true, false, pathToFileURL(ws.dir).href);
    const got = await Promise.all(waits);
    const by = new Map(got.map((p) => [p.uri, p]));
    assert.deepEqual(codesOf(by.get(ws.uri('shop.topology.yaml'))), [], 'shop resolves payment through its import');
    assert.deepEqual(codesOf(by.get(ws.uri('teams/admin.topology.yaml'))), []);
    assert.deepEqual(codesOf(by.get(ws.uri('cycle-b.topology.yaml'))), ['unknown-reference']);
    const missing = by.get(ws.uri('cycle-b.topology.yaml'))!.diagnostics[0];
    assert.match(String(missing.message), /Imports '\.\/nowhere\.topology\.yaml', but there is no such file/);
    const cycle = [...by.values()].flatMap((p) => p.diagnostics).filter((d) => d.code === 'import-cycle');
    assert.equal(cycle.length, 1, 'one finding for the cycle');
    await c.progressEnd();
    assert.equal(c.progress[0].kind, 'begin');
    const reports = c.progress.filter((p) => p.kind === 'report');
    assert.ok(reports.length >= 1, JSON.stringify(c.progress));
    assert.equal(reports[reports.length - 1].message, '6 of 6 files');
  } finally {
    c.proc.kill();
    rmSync(ws.dir, { recursive: true, force: true });
  }
});

test('renaming a service used in three files changes every reference and nothing else', async () => {
  const ws = makeWorkspace();
  const c = new TestClient();
  try {
    const scanned = Object.keys(ws.files).map((n) => c.diagnostics(ws.uri(n), () => true, 10_000));
    await c.initialize(true, false, pathToFileURL(ws.dir).href);
    await Promise.all(scanned);
    const shop = ws.uri('shop.topology.yaml');
    const opened = c.forVersion(shop, 1);
    await c.open(shop, ws.files['shop.topology.yaml'], 1);
    await opened;
    const doc = TextDocument.create(shop, 'topology', 1, ws.files['shop.topology.yaml']);
    const at = doc.positionAt(ws.files['shop.topology.yaml'].indexOf('to: payment') + 5);
    const edit = await c.conn.sendRequest<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: shop }, position: at, newName: 'billing' });
    const changed = Object.keys(edit.changes!).sort();
    assert.deepEqual(changed, ['payments.topology.yaml', 'shop.topology.yaml', 'teams/admin.topology.yaml', 'teams/ops.topology.yaml'].map(ws.uri).sort());
    for (const [uri, edits] of Object.entries(edit.changes!)) {
      const name = Object.keys(ws.files).find((n) => ws.uri(n) === uri)!;
      const before = ws.files[name];
      const after = TextDocument.applyEdits(TextDocument.create(uri, 'topology', 0, before), edits);
      assert.equal(after, before.replace(/\bpayment\b(?!s)/g, 'billing'), name);
    }
  } finally {
    c.proc.kill();
    rmSync(ws.dir, { recursive: true, force: true });
  }
});

test('an edit in an imported file re-analyses the files that import it', async () => {
  const ws = makeWorkspace();
  const c = new TestClient();
  try {
    const scanned = Object.keys(ws.files).map((n) => c.diagnostics(ws.uri(n), () => true, 10_000));
    await c.initialize(true, false, pathToFileURL(ws.dir).href);
    await Promise.all(scanned);
    const payments = ws.uri('payments.topology.yaml');
    await c.open(payments, ws.files['payments.topology.yaml'], 1);
    const shopBroken = c.diagnostics(ws.uri('shop.topology.yaml'), (p) => codesOf(p).includes('unknown-reference'), 10_000);
    const opsBroken = c.diagnostics(ws.uri('teams/ops.topology.yaml'), (p) => codesOf(p).includes('unknown-reference'), 10_000);
    await c.change(payments, ws.files['payments.topology.yaml'].replace('payment:', 'billing:'), 2);
    const [shop, ops] = await Promise.all([shopBroken, opsBroken]);
    assert.match(String(shop.diagnostics[0].message), /'cart' calls 'payment', but no service has that id/);
    assert.equal(ops.diagnostics.filter((d) => d.code === 'unknown-reference').length, 1);
    // And back: the findings go away again.
    const shopFixed = c.diagnostics(ws.uri('shop.topology.yaml'), (p) => codesOf(p).length === 0, 10_000);
    await c.change(payments, ws.files['payments.topology.yaml'], 3);
    await shopFixed;
  } finally {
    c.proc.kill();
    rmSync(ws.dir, { recursive: true, force: true });
  }
});
