/**
 * The language server's connection wiring: one handler per capability, each a few lines over the pure
 * core (server/src/core), the workspace model (lsp/workspace.ts) and the LSP conversions (lsp/). Started by
 * the VS Code client over node IPC, or by any editor with `topolint lsp --stdio`.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type Connection,
  type Diagnostic,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fixesFor, RULES, type RuleSettings } from './core';
import { toCodeAction, toDiagnostic } from './lsp/convert';
import * as features from './lsp/features';
import { buildGraph } from './lsp/graph';
import { Workspace, type DocumentAnalysis } from './lsp/workspace';
import { findTopologyFiles, nodeHost, readTopologyText, TOPOLOGY_FILE } from './node-host';
import { resolveImport } from './core/program';
import { ChooseStyleRequest, GraphChangedNotification, GraphRequest, type ChooseStyleParams, type GraphChangedParams, type GraphParams, type GraphPayload } from '../../shared/protocol';
import { chooseStyle } from './lsp/style';
import { DEFAULT_DEBOUNCE_MS, SETTINGS_SECTION, type TopolintSettings } from '../../shared/settings';
import { VERSION } from './version';

/** The workspace scan stops here: a guard, not a limit anyone should meet. */
const MAX_SCANNED_FILES = 5000;

function readDisk(uri: string): string | undefined {
  try {
    if (!uri.startsWith('file:')) return undefined;
    return readTopologyText(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

/** Every topology file under a folder: the walk the CLI uses too (node-host.ts). */
function scanFolder(folderUri: string, out: string[]): void {
  let root: string;
  try {
    root = fileURLToPath(folderUri);
  } catch {
    return;
  }
  for (const p of findTopologyFiles([root], MAX_SCANNED_FILES - out.length).files) out.push(pathToFileURL(p).href);
}

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let roots: string[] = [];
  const host = nodeHost(() => roots);
  const workspace = new Workspace(host, readDisk);
  const scanned = new Set<string>();
  /** Scanned files that are roots of a program (nobody imports them, or they close an import cycle). */
  const scanRoots = new Set<string>();
  const settingsCache = new Map<string, Promise<TopolintSettings>>();
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let configurationSupport = false;
  let relatedSupport = false;
  let createSupport = false;
  let snippetSupport = false;
  let watchSupport = false;
  let progressSupport = false;
  let globalSettings: TopolintSettings = {};

  connection.onInitialize((params) => {
    const caps = params.capabilities;
    configurationSupport = !!caps.workspace?.configuration;
    relatedSupport = !!caps.textDocument?.publishDiagnostics?.relatedInformation;
    createSupport = !!caps.workspace?.workspaceEdit?.documentChanges && !!caps.workspace.workspaceEdit.resourceOperations?.includes('create');
    snippetSupport = !!caps.workspace?.workspaceEdit?.documentChanges && !!(caps.workspace.workspaceEdit as { snippetEditSupport?: boolean }).snippetEditSupport;
    watchSupport = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    progressSupport = !!caps.window?.workDoneProgress;
    roots = (params.workspaceFolders ?? []).map((f) => f.uri);
    if (!roots.length && params.rootUri) roots = [params.rootUri];
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Full },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.Refactor, CodeActionKind.RefactorRewrite], resolveProvider: false },
        hoverProvider: true,
        completionProvider: { triggerCharacters: [':', ' ', '-', '[', ','] },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        foldingRangeProvider: true,
        documentLinkProvider: { resolveProvider: false },
        codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'topolint', version: VERSION },
    };
  });

  connection.onInitialized(async () => {
    if (configurationSupport) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    if (watchSupport) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.topology.{yaml,yml}' }] });
    await scanWorkspace();
  });

  /**
   * Finds every topology file in the workspace folders and analyses them, with progress. Only files no other
   * file imports are roots: a file imported by others is analysed inside their programs (so a chain of 200
   * imports is one program, not 200 overlapping ones). Files left uncovered (an import cycle with no way
   * in) become roots too.
   */
  const scanWorkspace = async (): Promise<void> => {
    if (!roots.length) return;
    const progress = progressSupport ? await connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
    progress?.begin('Topolint', 0, 'Looking for topology files', false);
    const found: string[] = [];
    for (const r of roots) scanFolder(r, found);
    const imported = new Set<string>();
    for (const uri of found) {
      scanned.add(uri);
      for (const imp of workspace.parsed(uri)?.topology.imports ?? []) {
        const target = resolveImport(uri, imp.id);
        if (target) imported.add(target);
      }
    }
    const covered = new Set<string>();
    const queue = [...found.filter((u) => !imported.has(u)), ...found.filter((u) => imported.has(u))];
    for (const uri of queue) {
      if (covered.has(uri)) continue;
      scanRoots.add(uri);
      workspace.addRoot(uri);
      await analyzeAndPublish([uri], covered);
      progress?.report(Math.round((covered.size / found.length) * 100), `${Math.min(covered.size, found.length)} of ${found.length} files`);
    }
    progress?.done();
    connection.console.log(`topolint: ${found.length} topology file(s) in the workspace analysed, from ${scanRoots.size} root(s).`);
  };

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

  const docFor = (uri: string): TextDocument | undefined => {
    const open = documents.get(uri);
    if (open) return open;
    const text = workspace.text(uri);
    return text === undefined ? undefined : TextDocument.create(uri, 'topology', 0, text);
  };

  /** Analyses the given roots, then publishes every file their programs read. */
  const analyzeAndPublish = async (rootsToRun: readonly string[], covered?: Set<string>): Promise<void> => {
    const touched = new Set<string>();
    for (const root of rootsToRun) {
      const settings = await settingsFor(root);
      const rules = (settings.rules ?? {}) as RuleSettings;
      const a = workspace.analyze(root, rules);
      if (!a) continue;
      for (const f of a.program.files) {
        touched.add(f.uri);
        covered?.add(f.uri);
      }
      const version = workspace.version(root);
      if (version !== undefined) void connection.sendNotification(GraphChangedNotification.method, { uri: root, version } satisfies GraphChangedParams);
    }
    for (const uri of touched) publish(uri);
  };

  const publish = (uri: string): void => {
    const doc = docFor(uri);
    if (!doc) return;
    const diagnostics: Diagnostic[] = workspace.findingsIn(uri).map(({ finding, root, key }) => toDiagnostic(doc, finding, key, docFor, relatedSupport, root));
    void connection.sendDiagnostics({ uri, version: documents.get(uri)?.version, diagnostics });
  };

  /** Everything a change to `uri` affects: its own program and every program that imports it. */
  const schedule = (uri: string, delay: number): void => {
    for (const r of workspace.rootsReading(uri)) pending.add(r);
    pending.add(uri);
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      const run = [...pending].filter((r) => workspace.allRoots().includes(r));
      pending.clear();
      analyzeAndPublish(run).catch((e) => connection.console.error(`topolint: analysis failed: ${String(e)}`));
    }, delay);
  };

  documents.onDidOpen((e) => {
    workspace.open(e.document.uri, e.document.getText(), e.document.version);
    schedule(e.document.uri, 0);
  });
  documents.onDidChangeContent(async (e) => {
    workspace.open(e.document.uri, e.document.getText(), e.document.version);
    const s = await settingsFor(e.document.uri);
    schedule(e.document.uri, s.debounceMs ?? DEFAULT_DEBOUNCE_MS);
  });
  documents.onDidClose((e) => {
    const uri = e.document.uri;
    const affected = workspace.rootsReading(uri).filter((r) => r !== uri);
    workspace.close(uri, scanRoots.has(uri));
    settingsCache.delete(uri);
    if (scanned.has(uri)) {
      // Back to its place in the workspace: analysed in its importers' programs, or as a root.
      for (const r of affected) pending.add(r);
      schedule(uri, 0);
    }
    else {
      // A file outside the workspace scan: its diagnostics go with it, unless another program reads it.
      void connection.sendDiagnostics({ uri, diagnostics: [] });
      for (const r of affected) pending.add(r);
      if (affected.length) schedule(affected[0], 0);
    }
  });

  connection.onDidChangeWatchedFiles((p) => {
    for (const change of p.changes) {
      workspace.refreshFromDisk(change.uri);
      if (change.type === 1 && TOPOLOGY_FILE.test(change.uri) && roots.some((r) => change.uri.startsWith(r))) {
        scanned.add(change.uri);
        scanRoots.add(change.uri);
        workspace.addRoot(change.uri);
      }
      if (change.type === 3) {
        scanned.delete(change.uri);
        scanRoots.delete(change.uri);
        if (!workspace.isOpen(change.uri)) void connection.sendDiagnostics({ uri: change.uri, diagnostics: [] });
      }
      schedule(change.uri, 0);
    }
  });

  connection.onDidChangeConfiguration((change) => {
    settingsCache.clear();
    if (!configurationSupport) globalSettings = ((change.settings as Record<string, unknown> | undefined)?.[SETTINGS_SECTION] ?? {}) as TopolintSettings;
    for (const r of workspace.allRoots()) pending.add(r);
    clearTimeout(timer);
    const run = [...pending];
    pending.clear();
    analyzeAndPublish(run).catch((e) => connection.console.error(`topolint: analysis failed: ${String(e)}`));
  });

  /** The analysis of a document as root, run now if the debounced one has not caught up with the text. */
  const current = (uri: string): { a: DocumentAnalysis; doc: TextDocument } | undefined => {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    let a = workspace.get(uri);
    if (!a || !workspace.isCurrent(a)) a = workspace.analyze(uri, a?.settings ?? {});
    return a ? { a, doc } : undefined;
  };

  connection.onCodeAction((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    const actions: CodeAction[] = [];
    for (const d of params.context.diagnostics) {
      const data = d.data as { key?: string; root?: string } | undefined;
      const a = data?.root ? workspace.get(data.root) : undefined;
      // A diagnostic from an analysis of older text gets no fix rather than a wrong one.
      if (!a || !data?.key || !workspace.isCurrent(a)) continue;
      const finding = a.byKey.get(data.key);
      if (!finding) continue;
      for (const fix of fixesFor(finding, a.result, RULES, a.settings)) {
        if (params.context.only && !params.context.only.some((k) => fix.kind === k || fix.kind.startsWith(k + '.'))) continue;
        const action = toCodeAction(fix, d, docFor, createSupport, snippetSupport);
        if (action) actions.push(action);
      }
    }
    // On a service's `calls` (or its id): start the style chooser for a new interaction from it.
    // Offered where no finding is being fixed (the quick-fix list ends with the accept actions), or when
    // refactorings are asked for.
    const wantsRefactor = params.context.only ? params.context.only.some((k) => k === 'refactor' || k.startsWith('refactor')) : params.context.diagnostics.length === 0;
    if (wantsRefactor) {
      const a = workspace.get(doc.uri);
      const at = doc.offsetAt(params.range.start);
      const svc = a?.result.files[0]?.topology.services.find((s) => (s.callsField && s.callsField.keySpan.start <= at && at <= s.callsField.span.end) || (s.idSpan.start <= at && at <= s.idSpan.end));
      if (svc) actions.push({ title: `Choose a communication style for a new interaction from '${svc.id}'…`, kind: CodeActionKind.Refactor, command: { title: 'Choose a communication style', command: 'topolint.chooseStyle', arguments: [doc.uri, svc.id] } });
    }
    return actions;
  });

  connection.onRequest(GraphRequest.method, (params: GraphParams): GraphPayload | null => {
    const c = current(params.uri);
    return c ? buildGraph(c.doc, c.a.result, c.a.keys) : null;
  });

  connection.onRequest(ChooseStyleRequest.method, (p: ChooseStyleParams) => {
    const c = current(p.uri);
    if (!c) throw new ResponseError(ErrorCodes.InvalidParams, `${p.uri} is not open`);
    const r = chooseStyle(c.doc, c.a, host, p.from, p.to, p.answers);
    if ('error' in r) throw new ResponseError(ErrorCodes.InvalidParams, r.error);
    return r;
  });

  const analysesAll = (): DocumentAnalysis[] => workspace.allRoots().map((root) => workspace.get(root)).filter((x): x is DocumentAnalysis => !!x && workspace.isCurrent(x));

  // One line per capability.
  connection.onHover((p) => { const c = current(p.textDocument.uri); return c ? features.hover(c.doc, c.a, p.position) : null; });
  connection.onCompletion((p) => { const doc = documents.get(p.textDocument.uri); return doc ? features.completion(doc, workspace.get(p.textDocument.uri), p.position) : null; });
  connection.onDefinition((p) => { const c = current(p.textDocument.uri); return c ? features.definition(c.doc, c.a, p.position, docFor) : null; });
  connection.onReferences((p) => { const c = current(p.textDocument.uri); return c ? features.references(c.doc, c.a, p.position, p.context.includeDeclaration, docFor, analysesAll()) : []; });
  connection.onPrepareRename((p) => { const c = current(p.textDocument.uri); return c ? features.prepareRename(c.doc, c.a, p.position) : null; });
  connection.onRenameRequest((p) => {
    const c = current(p.textDocument.uri);
    const r = c ? features.rename(c.doc, c.a, p.position, p.newName, docFor, analysesAll()) : null;
    if (r && 'error' in r) throw new ResponseError(ErrorCodes.InvalidParams, r.error);
    return r;
  });
  connection.onDocumentSymbol((p) => { const c = current(p.textDocument.uri); return c ? features.documentSymbols(c.doc, c.a) : []; });
  connection.onWorkspaceSymbol((p) => features.workspaceSymbols(p.query, analysesAll(), docFor));
  connection.onFoldingRanges((p) => { const c = current(p.textDocument.uri); return c ? features.foldingRanges(c.doc, c.a) : []; });
  connection.onDocumentLinks((p) => { const c = current(p.textDocument.uri); return c ? features.documentLinks(c.doc, c.a) : []; });
  connection.onCodeLens((p) => { const c = current(p.textDocument.uri); return c ? features.codeLenses(c.doc, c.a) : []; });

  documents.listen(connection);
  connection.listen();
}

startServer(createConnection(ProposedFeatures.all));
