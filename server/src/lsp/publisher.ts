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
import { toDiagnostic } from './convert';
import type { DocumentAnalysis, Workspace } from './workspace';

export class Publisher {
  private readonly settingsCache = new Map<string, Promise<TopolintSettings>>();
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
      if (version !== undefined) void this.connection.sendNotification(GraphChangedNotification.method, { uri: root, version } satisfies GraphChangedParams);
    }
    for (const uri of touched) this.publish(uri);
  }

  publish(uri: string): void {
    const doc = this.docFor(uri);
    if (!doc) return;
    const docFor = (u: string) => this.docFor(u);
    const diagnostics: Diagnostic[] = this.workspace.findingsIn(uri).map(({ finding, root, key }) => toDiagnostic(doc, finding, key, docFor, this.support().related, root));
    void this.connection.sendDiagnostics({ uri, version: this.documents.get(uri)?.version, diagnostics });
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
