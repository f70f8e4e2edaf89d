/**
 * topolint.observed through the real server: the setting's traces reach the drift rule, "Refresh Observed
 * Data" reads them again after they change, a change of the setting is followed, and paths outside the
 * workspace folder (relative, absolute, or through a symbolic link) are refused with a message and never
 * read: the refused copies would add findings of their own if they were.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { ROOT, TestClient } from './client';

const TRACES = readFileSync(join(ROOT, 'examples/import/traces/otlp.jsonl'), 'utf8');
/** The same traces with one service renamed: what the system looks like after a change. */
const renamed = (name: string) => TRACES.replaceAll('"currency"', JSON.stringify(name));

const TOPOLOGY = 'topology: shop\nservices:\n  checkout:\n    calls:\n      - to: payment\n        style: async\n  payment: {}\n';

const drift = (p: PublishDiagnosticsParams) => p.diagnostics.filter((d) => d.code === 'drift').map((d) => String(d.message));

test('topolint.observed: drift in the editor, refreshed on the command and on a change of the setting; outside paths refused', async () => {
  const base = mkdtempSync(join(tmpdir(), 'topolint-observed-'));
  const dir = join(base, 'work');
  const outside = join(base, 'outside');
  mkdirSync(join(dir, 'traces'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(dir, 'traces', 'otlp.jsonl'), TRACES);
  // Traces outside the folder, reached by '..', by an absolute path and by a link inside the folder.
  writeFileSync(join(outside, 'secret.jsonl'), renamed('secretsvc'));
  symlinkSync(join(outside, 'secret.jsonl'), join(dir, 'traces', 'link.jsonl'));
  symlinkSync(join(outside, 'secret.jsonl'), join(dir, 'link.jsonl'));
  writeFileSync(join(dir, 'shop.topology.yaml'), TOPOLOGY);
  const uri = pathToFileURL(join(dir, 'shop.topology.yaml')).href;

  const c = new TestClient();
  const shown: string[] = [];
  c.conn.onNotification('window/showMessage', (p: { message: string }) => {
    shown.push(p.message);
  });
  c.settings = { topolint: { observed: ['traces/*.jsonl', '../outside/secret.jsonl', join(outside, 'secret.jsonl'), 'link.jsonl'] } };
  try {
    const first = c.diagnostics(uri, (p) => drift(p).some((m) => m.includes("'currency'")), 15_000);
    await c.initialize(true, false, pathToFileURL(dir).href);
    await c.open(uri, TOPOLOGY);
    const got = drift(await first);
    assert.ok(got.some((m) => /'checkout' calls 'currency' \(6 calls in 3 traces, 2 per request\), but the topology declares no call checkout → currency/.test(m)), got.join('\n'));
    assert.ok(got.some((m) => /checkout → payment is declared async but observed sync/.test(m)), got.join('\n'));
    assert.ok(!got.some((m) => m.includes('secretsvc')), 'nothing outside the folder was read, not even through the link the glob passes');
    // One notification per reading, naming the first refusal and counting the rest.
    assert.ok(shown.some((m) => m.includes('"../outside/secret.jsonl" is outside the workspace folders; it was not read') && m.includes('and 2 more')), shown.join('\n'));

    // The traces change on disk: nothing happens until the refresh command (no watcher in this client).
    writeFileSync(join(dir, 'traces', 'otlp.jsonl'), renamed('rates'));
    const updated = c.diagnostics(uri, (p) => drift(p).some((m) => m.includes("'rates'")), 15_000);
    const summary = await c.conn.sendRequest<{ files: number; traces: number; calls: number; problems: string[] } | null>('topolint/refreshObserved');
    assert.ok(summary, 'the refresh answers with what it read');
    assert.equal(summary.files, 1, 'the glob matched the one regular file; the link was skipped');
    assert.equal(summary.traces, 3);
    assert.equal(summary.problems.filter((p) => p.includes('outside the workspace folders')).length, 3, summary.problems.join('\n'));
    const after = drift(await updated);
    assert.ok(!after.some((m) => m.includes("'currency'")), `the old observation is gone: ${after.join('\n')}`);

    // The setting is emptied: the drift findings go.
    c.settings = { topolint: { observed: [] } };
    const cleared = c.diagnostics(uri, (p) => drift(p).length === 0, 15_000);
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await cleared;
  } finally {
    c.proc.kill();
    rmSync(base, { recursive: true, force: true });
  }
});

test('topolint.observed: the server watches the files it names and reads them again when one changes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'topolint-observed-watch-'));
  mkdirSync(join(dir, 'traces'));
  writeFileSync(join(dir, 'traces', 'otlp.jsonl'), TRACES);
  writeFileSync(join(dir, 'shop.topology.yaml'), TOPOLOGY);
  const uri = pathToFileURL(join(dir, 'shop.topology.yaml')).href;
  const c = new TestClient();
  const registered: { method: string; registerOptions?: { watchers?: { globPattern: unknown }[] } }[] = [];
  c.conn.onRequest('client/registerCapability', (p: { registrations: typeof registered }) => {
    registered.push(...p.registrations);
    return null;
  });
  c.settings = { topolint: { observed: ['traces/*.jsonl'] } };
  try {
    const first = c.diagnostics(uri, (p) => drift(p).some((m) => m.includes("'currency'")), 15_000);
    // A client that can watch files (as VS Code can): the server asks it to watch the setting's globs.
    await c.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'work' }],
      capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true } }, textDocument: { publishDiagnostics: {} } },
    });
    await c.conn.sendNotification('initialized', {});
    await c.open(uri, TOPOLOGY);
    await first;
    const watchers = registered.filter((r) => r.method === 'workspace/didChangeWatchedFiles').flatMap((r) => r.registerOptions?.watchers ?? []);
    assert.ok(
      watchers.some((w) => JSON.stringify(w.globPattern) === JSON.stringify({ baseUri: pathToFileURL(dir).href, pattern: 'traces/*.jsonl' })),
      JSON.stringify(watchers),
    );
    // The file changes and the editor reports it: the drift findings follow without the refresh command.
    writeFileSync(join(dir, 'traces', 'otlp.jsonl'), renamed('rates'));
    const updated = c.diagnostics(uri, (p) => drift(p).some((m) => m.includes("'rates'")), 15_000);
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(dir, 'traces', 'otlp.jsonl')).href, type: 2 }] });
    await updated;
  } finally {
    c.proc.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
