/**
 * The VS Code side: starts the language server over stdio for topology documents. Everything the
 * extension knows about topologies comes from the server; this file only wires VS Code to it, adopts
 * `.yaml` files that are topologies, and offers a command to restart the server.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SERVER_NODE_FLAGS } from '../../shared/node-flags';
import { SETTINGS_SECTION } from '../../shared/settings';
import { MAX_HEADER_LINES, isTopologyYaml } from './detect';
import { registerPreview } from './preview';
import { registerStyleChooser } from './style-chooser';
import { registerImportCommand } from './import-command';

const LANGUAGE_ID = 'topology';

let client: LanguageClient | undefined;
/** The full card the next hover at this place shows instead of the short one (set by topolint.showCard). */
let expandedCard: { uri: string; line: number; character: number; markdown: string } | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  // One channel for the client's own log, the server's log and (with topolint.trace.server) the trace.
  const output = vscode.window.createOutputChannel('Topolint', { log: true });
  context.subscriptions.push(output);

  adoptTopologyYaml(context, output);

  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  // Over stdio, as other editors run it: the server then writes diagnostics with its own encoder, each
  // diagnostic encoded once and the message in ASCII (server/src/lsp/encoder.ts), where node's IPC
  // serialised the whole list again on every change.
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio, options: { execArgv: [...SERVER_NODE_FLAGS] } },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // Files on disk and unsaved ones; not the read-only copies that diff and git views open.
    documentSelector: [
      { scheme: 'file', language: LANGUAGE_ID },
      { scheme: 'untitled', language: LANGUAGE_ID },
    ],
    synchronize: { configurationSection: SETTINGS_SECTION },
    outputChannel: output,
    // The hover's "Show all" link runs topolint.showCard; no other command may run from the server's markdown.
    markdown: { isTrusted: { enabledCommands: ['topolint.showCard'] } },
    middleware: {
      provideHover: (document, position, token, next) => {
        const card = expandedCard;
        if (card && card.uri === document.uri.toString() && card.line === position.line && card.character === position.character) {
          expandedCard = undefined;
          const md = new vscode.MarkdownString(card.markdown);
          return new vscode.Hover(md);
        }
        return next(document, position, token);
      },
    },
  };
  // The id 'topolint' makes the client read its trace level from `topolint.trace.server`.
  client = new LanguageClient('topolint', 'Topolint', serverOptions, clientOptions);

  context.subscriptions.push(
    vscode.commands.registerCommand('topolint.restartServer', async () => {
      output.info('Restarting the language server.');
      await client?.restart();
    }),
    // The walkthrough's first step: the shop example as an untitled document, so fixes edit a copy.
    vscode.commands.registerCommand('topolint.openExample', async () => {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, 'examples', 'shop.topology.yaml'));
      const doc = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: new TextDecoder().decode(bytes) });
      await vscode.window.showTextDocument(doc);
    }),
    // The code lens on a service shows its longest sync chain: the server sends plain JSON locations,
    // which the references view needs as VS Code objects.
    // The hover's "Show all": the full card the server put in the link, shown as the hover at that place.
    vscode.commands.registerCommand('topolint.showCard', async (uri: string, position: { line: number; character: number }, markdown: string) => {
      const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri);
      if (!editor || typeof markdown !== 'string') return;
      const at = new vscode.Position(position.line, position.character);
      await vscode.window.showTextDocument(editor.document, editor.viewColumn);
      editor.selection = new vscode.Selection(at, at);
      expandedCard = { uri, line: at.line, character: at.character, markdown };
      await vscode.commands.executeCommand('editor.action.showHover');
    }),
    vscode.commands.registerCommand('topolint.showChain', (uri: string, position: { line: number; character: number }, hops: { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }[]) => {
      const pos = (p: { line: number; character: number }) => new vscode.Position(p.line, p.character);
      const locations = hops.map((h) => new vscode.Location(vscode.Uri.parse(h.uri), new vscode.Range(pos(h.range.start), pos(h.range.end))));
      return vscode.commands.executeCommand('editor.action.showReferences', vscode.Uri.parse(uri), pos(position), locations);
    }),
  );

  registerStyleChooser(context, () => client);
  registerImportCommand(context, LANGUAGE_ID, () => client);

  try {
    await client.start();
  } catch (e) {
    // The client has logged the cause; activation still succeeds so the restart command stays usable.
    output.error(`The language server did not start: ${e instanceof Error ? e.message : String(e)}`);
  }
  registerPreview(context, client);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/**
 * Gives a `yaml` document the `topology` language when its first key is `topology:`, for topologies kept
 * in files not named `*.topology.yaml`. A document is switched at most once while it is open, and never
 * after it has been a topology: a user who sets the language back to YAML keeps that choice.
 */
function adoptTopologyYaml(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): void {
  // Open documents that are, or were, topologies: their language is now the user's to change.
  const claimed = new Set<string>();
  const onOpen = (doc: vscode.TextDocument): void => {
    const key = doc.uri.toString();
    if (doc.languageId === LANGUAGE_ID) claimed.add(key);
    if (doc.languageId !== 'yaml' || claimed.has(key)) return;
    // Only the head of the document is read: the first key comes after at most a comment block.
    const head = doc.getText(new vscode.Range(0, 0, Math.min(doc.lineCount, MAX_HEADER_LINES), 0));
    if (!isTopologyYaml(head)) return;
    claimed.add(key);
    vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID).then(
      () => output.info(`Opened ${doc.uri.fsPath || key} as a topology: its first key is 'topology'.`),
      (e: unknown) => output.warn(`Could not set the language of ${key}: ${String(e)}`),
    );
  };
  const onClose = (doc: vscode.TextDocument): void => {
    const key = doc.uri.toString();
    // A language change closes and at once reopens the document; only a real close forgets it.
    setTimeout(() => {
      if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === key)) claimed.delete(key);
    }, 0);
  };
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(onOpen), vscode.workspace.onDidCloseTextDocument(onClose));
  // The document whose opening activated the extension (onLanguage:yaml) is already open.
  vscode.workspace.textDocuments.forEach(onOpen);
}
