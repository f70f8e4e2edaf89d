/**
 * A plain LSP client for protocol tests: starts the built server (`topolint lsp --stdio`) as a child
 * process and speaks JSON-RPC to it over stdio. Waits on notifications, never on fixed sleeps.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

/** The project root: the nearest folder above this bundle with a package.json. */
function findRoot(from: string): string {
  let d = from;
  while (!existsSync(resolve(d, 'package.json')) && dirname(d) !== d) d = dirname(d);
  return d;
}

export const ROOT = findRoot(__dirname);

/**
 * The workspace folder the tests open: an empty folder of their own, so that the server's scan reads
 * nothing but what a test puts there (never the rest of the machine). Documents live under it.
 */
export const WORK_DIR = mkdtempSync(join(tmpdir(), 'topolint-protocol-'));
export const WORK_URI = pathToFileURL(WORK_DIR).href;

/** Servers still running when a test file ends (a failed wait skips its shutdown) are stopped then. */
const live = new Set<ChildProcessWithoutNullStreams>();
after(() => {
  for (const p of live) p.kill();
});

export class TestClient {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly conn: MessageConnection;
  private readonly waiters: { uri: string; pred: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  readonly published: PublishDiagnosticsParams[] = [];
  private readonly analysisWaiters: { uri: string; version: number; resolve: () => void }[] = [];
  /** What the server asks through workspace/configuration, per section. */
  settings: Record<string, unknown> = {};
  stderr = '';
  readonly progress: { kind: string; message?: string }[] = [];
  private readonly progressEnded: (() => void)[] = [];

  /** Resolves when a work-done progress has ended (at once if one already has). */
  progressEnd(): Promise<void> {
    if (this.progress.some((p) => p.kind === 'end')) return Promise.resolve();
    return new Promise((r) => this.progressEnded.push(r));
  }
  exitCode: number | null | undefined;

  constructor(args: string[] = ['bin/topolint.js', 'lsp', '--stdio']) {
    this.proc = spawn(process.execPath, args, { cwd: ROOT, stdio: 'pipe' });
    live.add(this.proc);
    this.proc.once('exit', () => live.delete(this.proc));
    this.proc.stderr.on('data', (d) => (this.stderr += d));
    // Every pending wait listens for the server's exit; a scan of hundreds of files waits on hundreds.
    this.proc.setMaxListeners(0);
    // A server that dies fails every wait at once, with what it said on stderr.
    this.proc.once('exit', (code) => (this.exitCode = code));
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout), new StreamMessageWriter(this.proc.stdin));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.push(p);
      this.resolveWaiters(p);
    });
    this.conn.onNotification('topolint/graphChanged', (p: { uri: string; version: number }) => {
      for (let i = this.analysisWaiters.length - 1; i >= 0; i--) {
        const w = this.analysisWaiters[i];
        if (w.uri === p.uri && w.version === p.version) {
          this.analysisWaiters.splice(i, 1);
          w.resolve();
        }
      }
      // The server publishes only diagnostics that changed, before this notification: where it published
      // nothing for this version, a wait for this version's diagnostics gets what the client holds (the
      // unchanged ones), as an editor would show them. `published` keeps only what was really sent.
      let last: PublishDiagnosticsParams | undefined;
      for (let i = this.published.length - 1; i >= 0 && !last; i--) if (this.published[i].uri === p.uri) last = this.published[i];
      if (last && last.version !== p.version) this.resolveWaiters({ uri: p.uri, version: p.version, diagnostics: last.diagnostics });
    });
    this.conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map((i) => (i.section ? this.settings[i.section] ?? null : null)));
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.onNotification('$/progress', (p: { value: { kind: string; message?: string } }) => {
      this.progress.push(p.value);
      if (p.value.kind === 'end') for (const r of this.progressEnded.splice(0)) r();
    });
    this.conn.onNotification('window/logMessage', () => undefined);
    this.conn.listen();
  }

  async initialize(configuration = true, snippets = false, folder = WORK_URI): Promise<{ capabilities: Record<string, unknown>; serverInfo?: { name: string } }> {
    const r = await this.conn.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: [{ uri: folder, name: 'work' }],
      capabilities: {
        window: { workDoneProgress: true },
        workspace: { configuration, didChangeConfiguration: { dynamicRegistration: true }, workspaceEdit: { documentChanges: true, resourceOperations: ['create'], snippetEditSupport: snippets } },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor.rewrite'] } } } },
      },
    });
    await this.conn.sendNotification('initialized', {});
    return r;
  }

  private resolveWaiters(p: PublishDiagnosticsParams): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i];
      if (w.uri === p.uri && w.pred(p)) {
        this.waiters.splice(i, 1);
        w.resolve(p);
      }
    }
  }

  /**
   * Resolves with the next diagnostics for `uri` that satisfy `pred` (default: for `version`): published,
   * or held unchanged when the server analysed that version and published nothing (see the constructor).
   */
  diagnostics(uri: string, pred: (p: PublishDiagnosticsParams) => boolean, timeoutMs = 5000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolveP, reject) => {
      if (this.exitCode !== undefined) return reject(new Error(`the server exited (${this.exitCode}): ${this.stderr}`));
      let settled = false;
      // A server that dies fails the wait, unless the test itself killed it on its way out.
      const onExit = (code: number | null) => {
        if (!settled && !this.proc.killed) reject(new Error(`the server exited (${code}) while waiting for diagnostics: ${this.stderr}`));
        settled = true;
      };
      this.proc.once('exit', onExit);
      const timer = setTimeout(() => {
        settled = true;
        this.proc.off('exit', onExit);
        reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; got ${JSON.stringify(this.published.map((p) => [p.version, p.diagnostics.length]))}\n${this.stderr}`));
      }, timeoutMs);
      this.waiters.push({
        uri,
        pred,
        resolve: (p) => {
          settled = true;
          clearTimeout(timer);
          this.proc.off('exit', onExit);
          resolveP(p);
        },
      });
    });
  }

  /**
   * Resolves when the server has analysed the open document `uri` at `version` (its topolint/graphChanged
   * notification, sent after the diagnostics), with the diagnostics the client then holds for it. The
   * server publishes only diagnostics that changed, so an edit that changes none publishes nothing.
   */
  analysed(uri: string, version: number, timeoutMs = 5000): Promise<Diagnostic[]> {
    return new Promise((resolveP, reject) => {
      if (this.exitCode !== undefined) return reject(new Error(`the server exited (${this.exitCode}): ${this.stderr}`));
      const timer = setTimeout(() => reject(new Error(`no analysis of ${uri} at version ${version} within ${timeoutMs} ms\n${this.stderr}`)), timeoutMs);
      this.analysisWaiters.push({
        uri,
        version,
        resolve: () => {
          clearTimeout(timer);
          resolveP(this.held(uri));
        },
      });
    });
  }

  /** The diagnostics the client holds for `uri`: the last ones published. */
  held(uri: string): Diagnostic[] {
    for (let i = this.published.length - 1; i >= 0; i--) if (this.published[i].uri === uri) return this.published[i].diagnostics;
    return [];
  }

  forVersion(uri: string, version: number): Promise<PublishDiagnosticsParams> {
    return this.diagnostics(uri, (p) => p.version === version);
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'topology', version, text } });
  }

  change(uri: string, text: string, version: number): Promise<void> {
    return this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  async shutdown(): Promise<number | null> {
    const exited = new Promise<number | null>((r) => this.proc.once('exit', (code) => r(code)));
    await this.conn.sendRequest('shutdown');
    await this.conn.sendNotification('exit');
    const code = await exited;
    this.conn.dispose();
    return code;
  }
}

export function codes(diags: readonly Diagnostic[]): string[] {
  return diags.map((d) => String(d.code)).sort();
}
