/**
 * "Topolint: Import Topology…": pick the source (Kubernetes manifests, a Compose file, traces), then the
 * files or folders; the language server runs the import (`topolint/import`) with the CLI's importers. With a topology
 * in the active editor, what it lacks is merged into it (one undo step, hand-written text untouched);
 * otherwise the result opens as a new untitled topology.
 *
 * Also "Topolint: Refresh Observed Data": the server reads the files of `topolint.observed` again (they
 * are imported the same way) and analyses every topology against them for the drift rule.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ImportRequest, RefreshObservedRequest, type RefreshObservedResult, type ImportParams, type ImportResult, type ImportSource as Source } from '../../shared/protocol';

const SOURCES: (vscode.QuickPickItem & { source: Source; filters: Record<string, string[]>; folders: boolean; many: boolean })[] = [
  { label: 'Kubernetes manifests', description: 'Deployments, Services, Ingresses… (rendered Helm or kustomize output too)', source: 'k8s', filters: { YAML: ['yaml', 'yml', 'json'] }, folders: true, many: true },
  { label: 'Compose file', description: 'compose.yaml / docker-compose.yml', source: 'compose', filters: { YAML: ['yaml', 'yml'] }, folders: false, many: false },
  { label: 'Traces', description: 'OTLP JSON (collector file exporter), Jaeger JSON, Zipkin v2 JSON', source: 'traces', filters: { JSON: ['json', 'jsonl', 'ndjson'] }, folders: true, many: true },
];

export function registerImportCommand(context: vscode.ExtensionContext, languageId: string, client: () => LanguageClient | undefined): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('topolint.importTopology', async () => {
      const c = client();
      if (!c) {
        void vscode.window.showWarningMessage('Topolint: the language server is not running yet.');
        return;
      }
      const pick = await vscode.window.showQuickPick(SOURCES, { title: 'Import a topology from…' });
      if (!pick) return;
      const uris = await vscode.window.showOpenDialog({ canSelectMany: pick.many, canSelectFolders: pick.folders, canSelectFiles: true, filters: pick.filters, openLabel: 'Import' });
      if (!uris?.length) return;
      const paths = uris.filter((u) => u.scheme === 'file').map((u) => u.fsPath);
      const editor = vscode.window.activeTextEditor;
      const target = editor?.document.languageId === languageId ? editor.document : undefined;
      const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Importing ${pick.label.toLowerCase()}…` }, async () => c.sendRequest<ImportResult>(ImportRequest.method, { source: pick.source, paths, existing: target?.getText() } satisfies ImportParams));
      if (r.problems.length) void vscode.window.showWarningMessage(`Topolint import: ${r.problems.slice(0, 3).join('; ')}${r.problems.length > 3 ? ` (and ${r.problems.length - 3} more)` : ''}`);
      if (target) {
        if (!r.added.length) {
          void vscode.window.showInformationMessage(`Nothing to add: the topology already declares everything found.`);
          return;
        }
        // One insertion per addition, at offsets into the text the import read: every other line and
        // comment of the document stays as it is, and the whole merge is one undo step.
        const edit = new vscode.WorkspaceEdit();
        for (const ins of r.insertions) edit.insert(target.uri, target.positionAt(ins.offset), ins.text);
        await vscode.workspace.applyEdit(edit);
        void vscode.window.showInformationMessage(`Topolint added ${r.added.length}: ${r.added.slice(0, 5).join(', ')}${r.added.length > 5 ? ', …' : ''}`);
        return;
      }
      const doc = await vscode.workspace.openTextDocument({ language: languageId, content: r.text });
      await vscode.window.showTextDocument(doc);
    }),
    vscode.commands.registerCommand('topolint.refreshObserved', async () => {
      const c = client();
      if (!c) {
        void vscode.window.showWarningMessage('Topolint: the language server is not running yet.');
        return undefined;
      }
      const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Topolint: reading observed data…' }, () => c.sendRequest<RefreshObservedResult | null>(RefreshObservedRequest.method));
      // Null: a newer reading (a change of the setting or of a file) overtook this one and reports itself.
      if (!r) return r;
      // Refused paths are already shown by the server; here, what was read.
      if (!r.files) void vscode.window.showInformationMessage('Topolint: topolint.observed names no readable file; the drift rule has nothing to compare with.');
      else void vscode.window.setStatusBarMessage(`Topolint: ${r.files} observed file(s), ${r.traces} trace(s), ${r.calls} call(s)`, 5000);
      return r;
    }),
  );
}
