/**
 * The language server's connection wiring: one handler per capability, each a few lines over the pure
 * core (server/src/core), the workspace model (lsp/workspace.ts), the analysis and publishing loop
 * (lsp/publisher.ts), the debounce (lsp/scheduler.ts), the workspace scan (lsp/scan.ts), the code actions
 * (lsp/code-actions.ts) and the LSP conversions (lsp/convert.ts). Started over stdio by the VS Code client,
 * and by any editor with `topolint lsp --stdio` (lsp/connection.ts).
 */
import { DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, ErrorCodes, ResponseError, TextDocuments, type Connection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { clientSupport, SERVER_CAPABILITIES, type ClientSupport } from './lsp/capabilities';
import { codeActions } from './lsp/code-actions';
import { connectionFromArgv } from './lsp/connection';
import * as features from './lsp/features';
import { buildGraph } from './graph-payload';
import { Publisher } from './lsp/publisher';
import { readDisk, scanWorkspace } from './lsp/scan';
import { Scheduler } from './lsp/scheduler';
import { Workspace } from './lsp/workspace';
import { nodeHost, TOPOLOGY_FILE } from './node-host';
import { ChooseStyleRequest, GraphRequest, ImportRequest, type ChooseStyleParams, type GraphParams, type GraphPayload, type ImportParams, type ImportResult } from '../../shared/protocol';
import { importForEditor } from './import/files';
import { chooseStyle } from './lsp/style';
import { connectObserved } from './lsp/observed';
import { DEFAULT_DEBOUNCE_MS, SETTINGS_SECTION } from '../../shared/settings';
import { VERSION } from './version';

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let roots: string[] = [];
  const host = nodeHost(() => roots);
  const workspace = new Workspace(host, readDisk);
  const scanned = new Set<string>();
  /** Scanned files that are roots of a program (nobody imports them, or they close an import cycle). */
  const scanRoots = new Set<string>();
  let support: ClientSupport = clientSupport({});
  const publisher = new Publisher(connection, documents, workspace, () => support);
  const docFor = (uri: string) => publisher.docFor(uri);
  const scheduler = new Scheduler(workspace, (run) => publisher.analyzeAndPublish(run), (e) => connection.console.error(`topolint: analysis failed: ${String(e)}`));
  const observed = connectObserved(connection, host, () => roots, publisher, () => scheduler.runNow(workspace.allRoots()), () => support.watch);

  connection.onInitialize((params) => {
    support = clientSupport(params.capabilities);
    roots = (params.workspaceFolders ?? []).map((f) => f.uri);
    if (!roots.length && params.rootUri) roots = [params.rootUri];
    return { capabilities: SERVER_CAPABILITIES, serverInfo: { name: 'topolint', version: VERSION } };
  });

  connection.onInitialized(async () => {
    if (support.configuration) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    if (support.watch) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.topology.{yaml,yml}' }] });
    void observed.reload(false);
    await scanWorkspace(roots, { connection, progress: support.progress, workspace, scanned, scanRoots, analyzeAndPublish: (r, covered) => publisher.analyzeAndPublish(r, covered) });
  });

  documents.onDidOpen((e) => {
    workspace.open(e.document.uri, e.document.getText(), e.document.version);
    publisher.forgetSent(e.document.uri);
    scheduler.schedule(e.document.uri, 0);
  });
  documents.onDidChangeContent(async (e) => {
    // An open is reported as a change too, and the open has already scheduled the analysis of this text.
    if (workspace.version(e.document.uri) === e.document.version && workspace.text(e.document.uri) === e.document.getText()) return;
    workspace.open(e.document.uri, e.document.getText(), e.document.version);
    const s = await publisher.settingsFor(e.document.uri);
    scheduler.schedule(e.document.uri, s.debounceMs ?? DEFAULT_DEBOUNCE_MS);
  });
  documents.onDidClose((e) => {
    const uri = e.document.uri;
    const affected = workspace.rootsReading(uri).filter((r) => r !== uri);
    workspace.close(uri, scanRoots.has(uri));
    publisher.forgetSettings(uri);
    scheduler.add(affected);
    // A scanned file goes back to its place in the workspace: analysed in its importers' programs, or as a
    // root. A file outside the scan takes its diagnostics with it, unless another program reads it.
    if (scanned.has(uri)) scheduler.schedule(uri, 0);
    else {
      publisher.clear(uri);
      if (affected.length) scheduler.schedule(affected[0], 0);
    }
  });

  connection.onDidChangeWatchedFiles((p) => {
    for (const change of observed.claim(p.changes)) {
      workspace.refreshFromDisk(change.uri);
      if (change.type === 1 && TOPOLOGY_FILE.test(change.uri) && roots.some((r) => change.uri.startsWith(r))) {
        scanned.add(change.uri);
        scanRoots.add(change.uri);
        workspace.addRoot(change.uri);
      }
      if (change.type === 3) {
        for (const set of [scanned, scanRoots]) set.delete(change.uri);
        if (!workspace.isOpen(change.uri)) publisher.clear(change.uri);
      }
      scheduler.schedule(change.uri, 0);
    }
  });

  connection.onDidChangeConfiguration((change) => {
    publisher.forgetSettings();
    if (!support.configuration) publisher.globalSettings = (change.settings as Record<string, unknown> | undefined)?.[SETTINGS_SECTION] ?? {};
    scheduler.runNow(workspace.allRoots());
    void observed.reload(false);
  });

  const current = (uri: string) => publisher.current(uri);

  connection.onCodeAction((p) => { const doc = documents.get(p.textDocument.uri); return doc ? codeActions(p, doc, workspace, docFor, support) : []; });

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

  // The import command's work: files the user picked in the editor's open dialog, read by the importers.
  connection.onRequest(ImportRequest.method, (p: ImportParams): ImportResult => importForEditor(p.source, p.paths, p.existing));

  // One line per capability.
  connection.onHover((p) => { const c = current(p.textDocument.uri); return c ? features.hover(c.doc, c.a, p.position) : null; });
  connection.onCompletion((p) => { const doc = documents.get(p.textDocument.uri); return doc ? features.completion(doc, workspace.get(p.textDocument.uri), p.position) : null; });
  connection.onDefinition((p) => { const c = current(p.textDocument.uri); return c ? features.definition(c.doc, c.a, p.position, docFor) : null; });
  connection.onReferences((p) => { const c = current(p.textDocument.uri); return c ? features.references(c.doc, c.a, p.position, p.context.includeDeclaration, docFor, publisher.analysesAll()) : []; });
  connection.onPrepareRename((p) => { const c = current(p.textDocument.uri); return c ? features.prepareRename(c.doc, c.a, p.position) : null; });
  connection.onRenameRequest((p) => {
    const c = current(p.textDocument.uri);
    const r = c ? features.rename(c.doc, c.a, p.position, p.newName, docFor, publisher.analysesAll()) : null;
    if (r && 'error' in r) throw new ResponseError(ErrorCodes.InvalidParams, r.error);
    return r;
  });
  connection.onDocumentSymbol((p) => { const c = current(p.textDocument.uri); return c ? features.documentSymbols(c.doc, c.a) : []; });
  connection.onWorkspaceSymbol((p) => features.workspaceSymbols(p.query, publisher.analysesAll(), docFor));
  connection.onFoldingRanges((p) => { const c = current(p.textDocument.uri); return c ? features.foldingRanges(c.doc, c.a) : []; });
  connection.onDocumentLinks((p) => { const c = current(p.textDocument.uri); return c ? features.documentLinks(c.doc, c.a) : []; });
  connection.onCodeLens((p) => { const c = current(p.textDocument.uri); return c ? features.codeLenses(c.doc, c.a) : []; });

  documents.listen(connection);
  connection.listen();
}

startServer(connectionFromArgv());
