/**
 * The diagram preview panels: one per topology file, like the Markdown preview. An unlocked preview
 * follows the active topology editor; a locked one stays on its file. Panels are restored after a reload
 * from the state the webview saved. All data comes from the language server (`topolint/graph`, refreshed on
 * `topolint/graphChanged`); the panel forwards it and turns the webview's clicks into editor selections.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { GraphChangedNotification, GraphRequest, type GraphChangedParams, type GraphParams, type GraphPayload, type Range } from '../../../shared/protocol';
import { webviewHtml } from '../../../shared/diagram/page';
import type { HostMessage, PreviewState, WebviewMessage } from '../../../shared/diagram/messages';
import { elementAt } from './locate';

export const VIEW_TYPE = 'topolint.preview';
const LANGUAGE_ID = 'topology';

class Preview {
  payload: GraphPayload | undefined;
  highlighted: string | undefined;
  ready = false;
  constructor(
    readonly panel: vscode.WebviewPanel,
    public uri: vscode.Uri,
    public locked: boolean,
  ) {}

  post(m: HostMessage): void {
    if (this.ready) void this.panel.webview.postMessage(m);
  }
}

export class PreviewManager implements vscode.WebviewPanelSerializer<PreviewState>, vscode.Disposable {
  private readonly previews = new Set<Preview>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: LanguageClient,
  ) {
    this.disposables.push(
      client.onNotification(GraphChangedNotification.method, (p: GraphChangedParams) => {
        for (const preview of this.previews) if (preview.uri.toString() === p.uri) void this.refresh(preview);
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => this.follow(editor)),
      vscode.window.onDidChangeTextEditorSelection((e) => this.cursorMoved(e.textEditor)),
    );
  }

  dispose(): void {
    for (const p of this.previews) p.panel.dispose();
    this.disposables.forEach((d) => d.dispose());
  }

  /** Opens (or reveals) the preview of `uri`; an unlocked preview of another file is moved to this one. */
  show(uri: vscode.Uri, column: vscode.ViewColumn, preserveFocus: boolean): void {
    const existing = this.find(uri) ?? [...this.previews].find((p) => !p.locked);
    if (existing) {
      if (existing.uri.toString() !== uri.toString()) this.switchTo(existing, uri);
      existing.panel.reveal(existing.panel.viewColumn ?? column, preserveFocus);
      return;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, '', { viewColumn: column, preserveFocus }, this.options());
    this.adopt(panel, uri, false);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: PreviewState | undefined): Promise<void> {
    if (!state?.uri) {
      panel.dispose();
      return;
    }
    panel.webview.options = this.options();
    this.adopt(panel, vscode.Uri.parse(state.uri), !!state.locked);
  }

  /** The active preview panel, for commands run from its title bar or the palette. */
  active(): Preview | undefined {
    return [...this.previews].find((p) => p.panel.active);
  }

  toggleLock(preview = this.active()): void {
    if (!preview) return;
    preview.locked = !preview.locked;
    this.retitle(preview);
    preview.post({ type: 'locked', locked: preview.locked });
  }

  command(command: 'fit' | 'exportSvg' | 'exportPng'): void {
    this.active()?.post({ type: 'command', command });
  }

  private options(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    // Scripts run only from media/; the webview reads nothing else from the extension or the disk.
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'media')] };
  }

  private find(uri: vscode.Uri): Preview | undefined {
    return [...this.previews].find((p) => p.uri.toString() === uri.toString());
  }

  private adopt(panel: vscode.WebviewPanel, uri: vscode.Uri, locked: boolean): void {
    const preview = new Preview(panel, uri, locked);
    this.previews.add(preview);
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'preview-icon.svg');
    panel.webview.html = this.html(panel.webview);
    this.retitle(preview);
    const subs = [
      panel.webview.onDidReceiveMessage((m: WebviewMessage) => this.onMessage(preview, m)),
      panel.onDidDispose(() => {
        this.previews.delete(preview);
        subs.forEach((d) => d.dispose());
      }),
    ];
  }

  private html(webview: vscode.Webview): string {
    const media = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'media', ...p)).toString();
    const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64');
    return webviewHtml({ cspSource: webview.cspSource, nonce, scriptUri: media('dist', 'preview.js'), styleUri: media('dist', 'preview.css'), workerUri: media('dist', 'layout-worker.js') });
  }

  private retitle(p: Preview): void {
    const name = path.posix.basename(p.uri.path);
    p.panel.title = p.locked ? `[Preview] ${name}` : `Preview ${name}`;
  }

  private switchTo(p: Preview, uri: vscode.Uri): void {
    p.uri = uri;
    p.payload = undefined;
    p.highlighted = undefined;
    this.retitle(p);
    void this.refresh(p);
  }

  /** An unlocked preview moves to the topology file the user switched to, unless another preview shows it. */
  private follow(editor: vscode.TextEditor | undefined): void {
    if (!editor || editor.document.languageId !== LANGUAGE_ID || this.find(editor.document.uri)) return;
    for (const p of this.previews) if (!p.locked) this.switchTo(p, editor.document.uri);
  }

  private cursorMoved(editor: vscode.TextEditor): void {
    const uri = editor.document.uri.toString();
    for (const p of this.previews) {
      if (p.uri.toString() !== uri || !p.payload || p.payload.version !== editor.document.version) continue;
      const doc = editor.document;
      const id = elementAt(p.payload, (l) => (l < doc.lineCount ? doc.lineAt(l).text : ''), editor.selection.active);
      if (id !== p.highlighted) {
        p.highlighted = id;
        p.post({ type: 'highlight', id });
      }
    }
  }

  /** Asks the server for the graph and sends it on; stale answers (an older version) are dropped. */
  private async refresh(p: Preview): Promise<void> {
    if (!p.ready) return;
    const uri = p.uri.toString();
    let payload: GraphPayload | null = null;
    try {
      if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri)) {
        // The server analyses open documents only; opening it (without an editor) sends didOpen, and its
        // graphChanged notification brings us back here.
        await vscode.workspace.openTextDocument(p.uri);
        return;
      }
      payload = await this.client.sendRequest<GraphPayload | null>(GraphRequest.method, { uri } satisfies GraphParams);
    } catch (e) {
      this.client.outputChannel.appendLine(`Preview: no graph for ${uri}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (p.uri.toString() !== uri) return;
    if (payload && p.payload && payload.version < p.payload.version) return;
    if (payload) p.payload = payload;
    // Null while the first analysis is pending: its graphChanged notification follows.
    if (payload || !p.payload) p.post({ type: 'graph', payload: payload ?? null, locked: p.locked });
  }

  private async onMessage(p: Preview, m: WebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        p.ready = true;
        p.post({ type: 'locked', locked: p.locked });
        await this.refresh(p);
        break;
      case 'reveal':
        await this.reveal(p, m.id, m.uri, m.range);
        break;
      case 'toggleLock':
        this.toggleLock(p);
        break;
      case 'export':
        await this.save(p, m.format, m.name, m.data);
        break;
      case 'error':
        this.client.outputChannel.appendLine(`Preview: ${m.message}`);
        break;
      case 'rendered':
        break;
    }
  }

  /** Selects an element's source in an editor beside the preview (the one already showing it, if any). */
  private async reveal(p: Preview, id: string, uri: string, fallback: Range): Promise<void> {
    // The range is looked up in the graph the panel holds, so a stale webview cannot move the selection.
    const x = p.payload ? [...p.payload.nodes, ...p.payload.edges, ...p.payload.findings].find((e) => e.id === id) : undefined;
    const target = vscode.Uri.parse(x?.uri ?? uri);
    const r = x?.range ?? fallback;
    const range = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === target.toString());
    const column = visible?.viewColumn ?? (p.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One);
    const editor = await vscode.window.showTextDocument(target, { viewColumn: column, selection: range, preserveFocus: false });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async save(p: Preview, format: 'svg' | 'png', name: string, data: string): Promise<void> {
    const dir = vscode.Uri.joinPath(p.uri, '..');
    const base = path.posix.basename(p.uri.path).replace(/\.topology\.ya?ml$|\.ya?ml$/, '') || name;
    const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(dir, `${base}.${format}`), filters: format === 'svg' ? { SVG: ['svg'] } : { PNG: ['png'] } });
    if (!target) return;
    const bytes = format === 'svg' ? Buffer.from(data, 'utf8') : Buffer.from(data.slice(data.indexOf(',') + 1), 'base64');
    await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(`Saved the diagram to ${target.fsPath || target.toString()}.`);
  }
}
