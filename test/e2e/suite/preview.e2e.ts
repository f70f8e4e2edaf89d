/// <reference types="mocha" />
/**
 * The preview command, as the extension contributes it in package.json, opens a webview panel. A build
 * without a preview command fails here with that reason: the preview is part of the product.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { describeTabs, note, openExample, previewCommand, tabWhere } from './helpers';

describe('preview', () => {
  it('the preview command opens a webview panel for the topology', async () => {
    const { command, all } = previewCommand();
    assert.ok(command, `package.json contributes no command whose id contains "preview" (it has: ${all.map((c) => c.command).join(', ') || 'none'}), so there is no preview to open`);
    const registered = await vscode.commands.getCommands(true);
    assert.ok(registered.includes(command.command), `${command.command} is in package.json but the extension did not register it`);
    const { doc } = await openExample('shop');
    await vscode.window.showTextDocument(doc, { preview: false });
    const webviewsBefore = new Set(vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview));
    await vscode.commands.executeCommand(command.command, doc.uri);
    const tab = await tabWhere((t) => t.input instanceof vscode.TabInputWebview && !webviewsBefore.has(t), `a webview tab opened by ${command.command}`);
    assert.ok(tab.input instanceof vscode.TabInputWebview);
    note(`${command.command} opened "${tab.label}" (${tab.input.viewType}); tabs: ${describeTabs()}`);
  });
});
