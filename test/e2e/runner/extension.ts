/**
 * The test-runner extension for code-server (see README.md here). When the workbench has started it runs
 * the mocha suite, writes `results.json` into TOPOLINT_E2E_OUT, and then, one scene at a time, sets the
 * workbench up for a screenshot: it writes `scene-NAME.ready` and waits for the e2e script to write
 * `scene-NAME.done` once it has taken the picture.
 */
import { appendFileSync, existsSync, renameSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SuiteResult } from '../suite/index';
import { byRule, diagnosticsWhere, exampleUri, MENUS_RULES, onFirstCall, previewCommand, tabWhere, writeMenusExample } from '../suite/helpers';

/** How long the e2e script may take over one screenshot. */
const SCENE_MS = 120_000;

export function activate(): void {
  const out = process.env.TOPOLINT_E2E_OUT;
  if (!out) return;
  // Not awaited: activation ends at once, and the suite runs in the extension host as any extension would.
  void main(out).catch((e: unknown) => {
    writeJson(join(out, 'runner-error.json'), { error: e instanceof Error ? e.stack : String(e) });
  });
}

function log(out: string, line: string): void {
  appendFileSync(join(out, 'runner.log'), `${new Date().toISOString()} ${line}\n`);
}

/** Written whole under a temporary name and renamed, so a watcher never reads half a file. */
function writeJson(file: string, value: unknown): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(value, null, 2) + '\n');
  renameSync(`${file}.tmp`, file);
}

function waitForFile(file: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const dir = join(file, '..');
    const check = (): boolean => {
      if (!existsSync(file)) return false;
      clearTimeout(timer);
      watcher.close();
      resolve();
      return true;
    };
    const watcher = watch(dir, () => void check());
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`${file} did not appear within ${timeoutMs} ms`));
    }, timeoutMs);
    check();
  });
}

async function main(out: string): Promise<void> {
  log(out, `runner started in VS Code ${vscode.version}`);
  // The suite is a file of its own next to this one (mocha loads the test files beside it).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path known only at run time, outside the runner's bundle.
  const suite = require(join(__dirname, 'suite', 'index.js')) as typeof import('../suite/index');
  const result: SuiteResult & { vscodeVersion?: string } = await suite.runSuite({ grep: process.env.TOPOLINT_E2E_GREP });
  result.vscodeVersion = vscode.version;
  writeJson(join(out, 'results.json'), result);
  log(out, `suite done: ${result.passes} passed, ${result.failures} failed`);

  await scene(out, 'problems', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const uri = exampleUri('shop');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    const ds = await diagnosticsWhere(uri, (d) => byRule(d, 'sync-chain').length > 0, 'the sync chain is reported');
    const chain = byRule(ds, 'sync-chain')[0];
    editor.selection = new vscode.Selection(chain.range.start, chain.range.start);
    editor.revealRange(chain.range, vscode.TextEditorRevealType.InCenter);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    return { file: 'shop.topology.yaml', diagnostics: ds.length };
  });

  await scene(out, 'quickfix', async () => {
    // The cursor is on a call with three findings: the quick-fix menu lists the fixes of all three.
    const uri = await writeMenusExample();
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    const ds = await diagnosticsWhere(uri, (d) => onFirstCall(d).length === MENUS_RULES.length, 'the first call has its three findings');
    const at = onFirstCall(ds)[0].range.start.translate(0, 3);
    editor.selection = new vscode.Selection(at, at);
    editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenter);
    // The Problems panel of the scene before holds the focus: close it, focus the editor, and let the
    // server answer the code actions once before the menu asks for them (the menu opens only in a focused
    // editor, and only once its actions have arrived).
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, new vscode.Range(at, at));
    await vscode.commands.executeCommand('editor.action.quickFix');
    return { file: 'menus.topology.yaml', findings: MENUS_RULES };
  });

  await scene(out, 'preview', async () => {
    // Issue 14's first impression: a topology of about 20 elements (social-network: 22) in a half-width
    // preview, the editor on the left. The side bar and the panel are closed and the two groups made even,
    // so the preview gets half the window (about 700 px of 1440); the e2e script measures its labels.
    const { command, all } = previewCommand();
    if (!command) return { missing: `package.json contributes no command whose id contains "preview" (it has: ${all.map((c) => c.command).join(', ')})` };
    const toSide = all.find((c) => c.command === 'topolint.showPreviewToSide') ?? command;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    const doc = await vscode.workspace.openTextDocument(exampleUri('social-network'));
    await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.One });
    await vscode.commands.executeCommand(toSide.command, doc.uri);
    const tab = await tabWhere((t) => t.input instanceof vscode.TabInputWebview, `a webview tab opened by ${toSide.command}`);
    await vscode.commands.executeCommand('workbench.action.evenEditorWidths');
    return { command: toSide.command, tab: tab.label, file: 'social-network.topology.yaml', groups: vscode.window.tabGroups.all.length };
  });

  await scene(out, 'running-extensions', async () => {
    // VS Code's own measurement of activation times is shown in this editor; the e2e script reads it.
    const id = 'workbench.action.showRuntimeExtensions';
    if (!(await vscode.commands.getCommands(true)).includes(id)) return { missing: `this workbench has no ${id} command` };
    await vscode.commands.executeCommand(id);
    return { command: id };
  });
  log(out, 'scenes done');
}

async function scene(out: string, name: string, arrange: () => Promise<Record<string, unknown>>): Promise<void> {
  let info: Record<string, unknown>;
  try {
    info = await arrange();
  } catch (e) {
    info = { error: e instanceof Error ? e.message : String(e) };
  }
  log(out, `scene ${name} ready: ${JSON.stringify(info)}`);
  writeJson(join(out, `scene-${name}.ready`), info);
  await waitForFile(join(out, `scene-${name}.done`), SCENE_MS);
}
