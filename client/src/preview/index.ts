/**
 * The diagram preview's entry point: commands, the panel serializer and the manager, registered once the
 * language client has started (extension.ts calls `registerPreview`).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { PreviewManager, VIEW_TYPE } from './manager';

export function registerPreview(context: vscode.ExtensionContext, client: LanguageClient): PreviewManager {
  const manager = new PreviewManager(context, client);
  // The command's argument is the file's URI from a menu (explorer, editor title); else the active editor's.
  const target = (uri?: unknown): vscode.Uri | undefined => (uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri);
  const open = (toSide: boolean) => (uri?: unknown) => {
    const file = target(uri);
    if (!file) {
      void vscode.window.showInformationMessage('Open a topology file (*.topology.yaml) to preview its diagram.');
      return;
    }
    if (toSide) manager.show(file, vscode.ViewColumn.Beside, true);
    else manager.show(file, vscode.window.activeTextEditor?.viewColumn ?? vscode.ViewColumn.Active, false);
  };
  context.subscriptions.push(
    manager,
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, manager),
    vscode.commands.registerCommand('topolint.showPreview', open(false)),
    vscode.commands.registerCommand('topolint.showPreviewToSide', open(true)),
    vscode.commands.registerCommand('topolint.togglePreviewLock', () => manager.toggleLock()),
    vscode.commands.registerCommand('topolint.preview.fit', () => manager.command('fit')),
    vscode.commands.registerCommand('topolint.preview.exportSvg', () => manager.command('exportSvg')),
    vscode.commands.registerCommand('topolint.preview.exportPng', () => manager.command('exportPng')),
  );
  return manager;
}
