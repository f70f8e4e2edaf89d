/** What the client can do (read once from `initialize`) and what the server offers in return. */
import { CodeActionKind, TextDocumentSyncKind, type ClientCapabilities, type ServerCapabilities } from 'vscode-languageserver';

export interface ClientSupport {
  /** `workspace/configuration`: settings per file, asked for; otherwise pushed by didChangeConfiguration. */
  readonly configuration: boolean;
  readonly related: boolean;
  /** Workspace edits that create files (the ADR fixes). */
  readonly create: boolean;
  readonly snippet: boolean;
  readonly watch: boolean;
  readonly progress: boolean;
}

export function clientSupport(caps: ClientCapabilities): ClientSupport {
  return {
    configuration: !!caps.workspace?.configuration,
    related: !!caps.textDocument?.publishDiagnostics?.relatedInformation,
    create: !!caps.workspace?.workspaceEdit?.documentChanges && !!caps.workspace.workspaceEdit.resourceOperations?.includes('create'),
    snippet: !!caps.workspace?.workspaceEdit?.documentChanges && !!(caps.workspace.workspaceEdit as { snippetEditSupport?: boolean }).snippetEditSupport,
    watch: !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    progress: !!caps.window?.workDoneProgress,
  };
}

export const SERVER_CAPABILITIES: ServerCapabilities = {
  // Incremental: a keystroke in a 300 KB file travels as the one character typed, not the whole text
  // (TextDocuments applies the ranges; a client may still send the whole text, which it also accepts).
  textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
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
};
