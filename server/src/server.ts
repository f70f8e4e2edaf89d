/**
 * The language server's connection wiring: one handler per capability, each a few lines over the pure
 * core (server/src/core) and the LSP conversions (server/src/lsp). Started by the VS Code client over
 * node IPC, or by any editor with `topolint lsp --stdio`.
 */
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  ErrorCodes,
  ResponseError,
  type CodeAction,
  type Connection,
} from 'vscode-languageserver/node';
import * as features from './lsp/features';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fixesFor, RULES, type RuleSettings } from './core';
import { Analyzer } from './lsp/analysis';
import { nodeHost } from './node-host';
import { toCodeAction, toDiagnostic } from './lsp/convert';
import { buildGraph } from './lsp/graph';
import { GraphChangedNotification, GraphRequest, type GraphChangedParams, type GraphParams, type GraphPayload } from '../../shared/protocol';
import { DEFAULT_DEBOUNCE_MS, SETTINGS_SECTION, type TopolintSettings } from '../../shared/settings';
import { VERSION } from './version';

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let roots: string[] = [];
  const analyzer = new Analyzer(nodeHost(() => roots));
  const timers = new Map<string, NodeJS.Timeout>();
  const settingsCache = new Map<string, Promise<TopolintSettings>>();
  let configurationSupport = false;
  let relatedSupport = false;
  let createSupport = false;
  let snippetSupport = false;

  connection.onInitialize((params) => {
    const caps = params.capabilities;
    configurationSupport = !!caps.workspace?.configuration;
    relatedSupport = !!caps.textDocument?.publishDiagnostics?.relatedInformation;
    createSupport = !!caps.workspace?.workspaceEdit?.documentChanges && !!caps.workspace.workspaceEdit.resourceOperations?.includes('create');
    snippetSupport = !!caps.workspace?.workspaceEdit?.documentChanges && !!(caps.workspace.workspaceEdit as { snippetEditSupport?: boolean }).snippetEditSupport;
    roots = (params.workspaceFolders ?? []).map((f) => f.uri);
    if (!roots.length && params.rootUri) roots = [params.rootUri];
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Full },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite], resolveProvider: false },
        hoverProvider: true,
        completionProvider: { triggerCharacters: [':', ' ', '-', '[', ','] },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        documentLinkProvider: { resolveProvider: false },
        codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'topolint', version: VERSION },
    };
  });

  connection.onInitialized(() => {
    if (configurationSupport) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
  });

  const settingsFor = (uri: string): Promise<TopolintSettings> => {
    if (!configurationSupport) return Promise.resolve(globalSettings);
    let s = settingsCache.get(uri);
    if (!s) {
      s = connection.workspace
        .getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION })
        .then((v: unknown) => (v && typeof v === 'object' ? (v as TopolintSettings) : {}))
        .catch(() => ({}));
      settingsCache.set(uri, s);
    }
    return s;
  };
  let globalSettings: TopolintSettings = {};

  const validate = async (uri: string): Promise<void> => {
    const doc = documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    const settings = await settingsFor(uri);
    // A newer version arrived while the settings were fetched: its own run will publish.
    const current = documents.get(uri);
    if (!current || current.version !== version) return;
    const rules = (settings.rules ?? {}) as RuleSettings;
    const previous = analyzer.get(uri);
    const a = previous && previous.version === version && previous.settings === rules ? previous : analyzer.run(current, rules);
    const docOf = (u: string) => documents.get(u);
    const diagnostics = [];
    for (let i = 0; i < a.result.findings.length; i++) {
      const f = a.result.findings[i];
      if (f.uri === uri) diagnostics.push(toDiagnostic(current, f, a.keys[i], docOf, relatedSupport));
    }
    void connection.sendDiagnostics({ uri, version, diagnostics });
    void connection.sendNotification(GraphChangedNotification.method, { uri, version } satisfies GraphChangedParams);
  };

  const schedule = (uri: string, delay: number) => {
    clearTimeout(timers.get(uri));
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        validate(uri).catch((e) => connection.console.error(`topolint: analysis of ${uri} failed: ${String(e)}`));
      }, delay),
    );
  };

  documents.onDidOpen((e) => schedule(e.document.uri, 0));
  documents.onDidChangeContent(async (e) => {
    const s = await settingsFor(e.document.uri);
    schedule(e.document.uri, s.debounceMs ?? DEFAULT_DEBOUNCE_MS);
  });
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    timers.delete(e.document.uri);
    analyzer.forget(e.document.uri);
    settingsCache.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onDidChangeConfiguration((change) => {
    settingsCache.clear();
    if (!configurationSupport) globalSettings = ((change.settings as Record<string, unknown> | undefined)?.[SETTINGS_SECTION] ?? {}) as TopolintSettings;
    for (const doc of documents.all()) schedule(doc.uri, 0);
  });

  connection.onCodeAction((params) => {
    const a = analyzer.get(params.textDocument.uri);
    const doc = documents.get(params.textDocument.uri);
    if (!a || !doc || a.version !== doc.version) return [];
    const actions: CodeAction[] = [];
    const docOf = (u: string) => documents.get(u);
    for (const d of params.context.diagnostics) {
      const key = (d.data as { key?: string } | undefined)?.key;
      const finding = key ? a.byKey.get(key) : undefined;
      if (!finding) continue;
      for (const fix of fixesFor(finding, a.result, RULES, a.settings)) {
        if (params.context.only && !params.context.only.some((k) => fix.kind === k || fix.kind.startsWith(k + '.'))) continue;
        const action = toCodeAction(fix, d, docOf, createSupport, snippetSupport);
        if (action) actions.push(action);
      }
    }
    return actions;
  });

  connection.onRequest(GraphRequest.method, (params: GraphParams): GraphPayload | null => {
    const a = analyzer.get(params.uri);
    const doc = documents.get(params.uri);
    if (!a || !doc || a.version !== doc.version) return null;
    return buildGraph(doc, a.result, a.keys);
  });

  // One line per capability: the features work on the latest analysis of the document's current version.
  // A request that arrives before the debounced analysis of the latest edit runs it now, with the
  // settings of the previous run; the debounced run then reuses it.
  const current = (uri: string) => {
    const doc = documents.get(uri);
    let a = analyzer.get(uri);
    if (!doc || !a) return undefined;
    if (a.version !== doc.version) a = analyzer.run(doc, a.settings);
    return { a, doc };
  };
  const docOf = (u: string) => documents.get(u);
  connection.onHover((p) => { const c = current(p.textDocument.uri); return c ? features.hover(c.doc, c.a, p.position) : null; });
  connection.onCompletion((p) => { const doc = documents.get(p.textDocument.uri); return doc ? features.completion(doc, analyzer.get(p.textDocument.uri), p.position) : null; });
  connection.onDefinition((p) => { const c = current(p.textDocument.uri); return c ? features.definition(c.doc, c.a, p.position, docOf) : null; });
  connection.onReferences((p) => { const c = current(p.textDocument.uri); return c ? features.references(c.doc, c.a, p.position, p.context.includeDeclaration, docOf) : []; });
  connection.onPrepareRename((p) => { const c = current(p.textDocument.uri); return c ? features.prepareRename(c.doc, c.a, p.position) : null; });
  connection.onRenameRequest((p) => {
    const c = current(p.textDocument.uri);
    const r = c ? features.rename(c.doc, c.a, p.position, p.newName, docOf) : null;
    if (r && 'error' in r) throw new ResponseError(ErrorCodes.InvalidParams, r.error);
    return r;
  });
  connection.onDocumentSymbol((p) => { const c = current(p.textDocument.uri); return c ? features.documentSymbols(c.doc, c.a) : []; });
  connection.onFoldingRanges((p) => { const c = current(p.textDocument.uri); return c ? features.foldingRanges(c.doc, c.a) : []; });
  connection.onDocumentLinks((p) => { const c = current(p.textDocument.uri); return c ? features.documentLinks(c.doc, c.a) : []; });
  connection.onCodeLens((p) => { const c = current(p.textDocument.uri); return c ? features.codeLenses(c.doc, c.a) : []; });

  documents.listen(connection);
  connection.listen();
}

startServer(createConnection(ProposedFeatures.all));
