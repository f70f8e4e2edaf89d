/**
 * Analyses programs and publishes what they find: the settings each file is analysed under (asked of the
 * client per file and cached, or pushed by it), the document of a URI (the editor's, else the disk's), the
 * diagnostics of every file a program read, and the current analyses the requests answer from.
 */
import type { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { RuleSettings } from '../core';
import { GraphChangedNotification, type GraphChangedParams } from '../../../shared/protocol';
import { SETTINGS_SECTION, type TopolintSettings } from '../../../shared/settings';
import type { ClientSupport } from './capabilities';
import { diagnosticsOf } from './convert';
import { collectYoungWhenIdle } from './idle-gc';
import type { DocumentAnalysis, Workspace } from './workspace';

export class Publisher {
  private readonly settingsCache = new Map<string, Promise<TopolintSettings>>();
  /** What was last published for each file. */
  private readonly sent = new Map<string, Diagnostic[]>();
  /** The settings of clients without `workspace/configuration`, from didChangeConfiguration. */
  globalSettings: TopolintSettings = {};

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly workspace: Workspace,
    private readonly support: () => ClientSupport,
  ) {}

  settingsFor(uri: string): Promise<TopolintSettings> {
    if (!this.support().configuration) return Promise.resolve(this.globalSettings);
    let s = this.settingsCache.get(uri);
    if (!s) {
      s = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION })
        .then((v: unknown) => (v && typeof v === 'object' ? (v as TopolintSettings) : {}))
        .catch(() => ({}));
      this.settingsCache.set(uri, s);
    }
    return s;
  }

  /** Forgets the cached settings of one file, or of all (a change of configuration). */
  forgetSettings(uri?: string): void {
    if (uri === undefined) this.settingsCache.clear();
    else this.settingsCache.delete(uri);
  }

  docFor(uri: string): TextDocument | undefined {
    const open = this.documents.get(uri);
    if (open) return open;
    const text = this.workspace.text(uri);
    return text === undefined ? undefined : TextDocument.create(uri, 'topology', 0, text);
  }

  /** Analyses the given roots, then publishes every file their programs read. */
  async analyzeAndPublish(rootsToRun: readonly string[], covered?: Set<string>): Promise<void> {
    const touched = new Set<string>();
    const analysed: GraphChangedParams[] = [];
    for (const root of rootsToRun) {
      const settings = await this.settingsFor(root);
      const rules = (settings.rules ?? {}) as RuleSettings;
      const a = this.workspace.analyze(root, rules);
      if (!a) continue;
      for (const f of a.program.files) {
        touched.add(f.uri);
        covered?.add(f.uri);
      }
      const version = this.workspace.version(root);
      if (version !== undefined) analysed.push({ uri: root, version });
    }
    const writes: Promise<void>[] = [];
    for (const uri of touched) writes.push(this.publish(uri));
    // After the diagnostics: a client that waits for an analysis (a test, a benchmark) then holds them,
    // whether or not they changed and were sent.
    for (const p of analysed) writes.push(this.connection.sendNotification(GraphChangedNotification.method, p satisfies GraphChangedParams));
    // Once the notifications are written, not merely queued: a large list fills the pipe, and the rest of
    // it goes out only when the event loop is free again, so work started before then (the cache's filling,
    // a collection) delayed its last bytes by as long as it ran. Then what the first readings put off,
    // then the young generation's garbage. A write that fails has been reported by the connection.
    void Promise.allSettled(writes).then(() => {
      setImmediate(() => {
        try {
          this.workspace.settle();
        } catch (e) {
          // Outside the analysis's own catch: a failure here is logged; the cache reads the next text afresh.
          this.connection.console.error(`topolint: filling the chunk cache failed: ${String(e)}`);
        }
      });
      collectYoungWhenIdle();
    });
  }

  /**
   * Publishes a file's diagnostics, unless they are what was last sent for it: a keystroke in a
   * description changes no finding, and re-sending thousands of diagnostics (megabytes of JSON to encode
   * and for the client to decode) told the client nothing. Nothing in a diagnostic changes unless its
   * finding or its place did (convert.ts), so the comparison is exact. Resolves once the message is
   * written (at once when nothing is sent).
   */
  publish(uri: string): Promise<void> {
    const doc = this.docFor(uri);
    if (!doc) return Promise.resolve();
    const diagnostics = diagnosticsOf(doc, this.workspace.findingsIn(uri), (u) => this.docFor(u), this.support().related, this.sent.get(uri));
    if (!diagnostics) return Promise.resolve();
    this.sent.set(uri, diagnostics);
    return this.connection.sendDiagnostics({ uri, version: this.documents.get(uri)?.version, diagnostics });
  }

  /** Clears a file's diagnostics in the client (a file closed or deleted). */
  clear(uri: string): void {
    this.sent.set(uri, []);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** Forgets what was sent for a file, so that its next analysis publishes (a document just opened). */
  forgetSent(uri: string): void {
    this.sent.delete(uri);
  }

  /** The analysis of a document as root, run now if the debounced one has not caught up with the text. */
  current(uri: string): { a: DocumentAnalysis; doc: TextDocument } | undefined {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    let a = this.workspace.get(uri);
    if (!a || !this.workspace.isCurrent(a)) a = this.workspace.analyze(uri, a?.settings ?? {});
    return a ? { a, doc } : undefined;
  }

  /** Every program's analysis that is up to date with the text (for cross-file references and symbols). */
  analysesAll(): DocumentAnalysis[] {
    return this.workspace.allRoots().map((root) => this.workspace.get(root)).filter((x): x is DocumentAnalysis => !!x && this.workspace.isCurrent(x));
  }
}
