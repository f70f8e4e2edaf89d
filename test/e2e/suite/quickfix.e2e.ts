/// <reference types="mocha" />
/**
 * Quick fixes through VS Code's own code-action command, applied as VS Code applies them: the finding
 * they fix is gone from the re-analysed document, the others stay. Each test reverts its document.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { byRule, cliFindings, describeDiagnostics, MENUS_RULES, nextDiagnostics, onFirstCall, openExample, ruleOf, writeMenusExample } from './helpers';

/**
 * The quick fixes VS Code offers at a diagnostic's range, with their edits filled in. (The command does
 * not hand back the actions' `diagnostics`, so the fixes of other findings on the same range are
 * included: the tests pick theirs by title.)
 */
async function quickFixesAt(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const all = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value, 100);
  return (all ?? []).filter((a): a is vscode.CodeAction => !(typeof a.command === 'string'));
}

/** Applies a code action as the light bulb does: its edit, then its command. */
async function apply(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `VS Code refused the edit of "${action.title}"`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

/** Puts the document back as it is on disk and waits until its findings are back. */
async function revert(doc: vscode.TextDocument, before: number): Promise<void> {
  if (!doc.isDirty) return;
  await vscode.window.showTextDocument(doc, { preview: false });
  const back = nextDiagnostics(doc.uri, (ds) => ds.length === before, `the ${before} findings from before the fix are back`);
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await back;
}

describe('quick fixes', () => {
  it('social-network: "remove the call to itself" removes the self-call finding', async () => {
    const { doc, diagnostics } = await openExample('social-network', (ds) => byRule(ds, 'self-call').length === 1, 'there is one self-call finding');
    const [selfCall] = byRule(diagnostics, 'self-call');
    const fixes = await quickFixesAt(doc.uri, selfCall.range);
    // The editor offers (at least) what the CLI lists for the same finding.
    const cli = cliFindings('social-network').find((f) => f.rule === 'self-call');
    const titles = fixes.map((f) => f.title);
    for (const title of cli?.fixes ?? []) assert.ok(titles.includes(title), `VS Code offers the CLI's fix "${title}"; it offers: ${titles.join(' | ') || '(none)'}`);
    const fix = fixes.find((f) => f.title.startsWith('Remove the call'));
    assert.ok(fix, `a fix that removes the call; offered: ${fixes.map((f) => f.title).join(' | ') || '(none)'}`);
    const lineText = doc.lineAt(selfCall.range.start.line).text;
    const count = (text: string) => text.split('\n').filter((l) => l === lineText).length;
    const callsBefore = count(doc.getText());
    try {
      const after = nextDiagnostics(doc.uri, (ds) => byRule(ds, 'self-call').length === 0, 'the self-call finding is gone');
      await apply(fix);
      const ds = await after;
      assert.equal(count(doc.getText()), callsBefore - 1, `the call "${lineText.trim()}" is removed, and only that one`);
      for (const rule of ['sync-chain', 'shared-database', 'orphan-event']) {
        assert.equal(byRule(ds, rule).length, byRule(diagnostics, rule).length, `the ${rule} findings are untouched by the fix; now:\n${describeDiagnostics(doc, ds)}`);
      }
    } finally {
      await revert(doc, diagnostics.length);
    }
  });

  it('shop: batching a chatty call removes its finding and keeps the other one', async () => {
    const { doc, diagnostics } = await openExample('shop', (ds) => byRule(ds, 'chatty-calls').length === 2, 'there are two chatty-calls findings');
    const [first] = byRule(diagnostics, 'chatty-calls');
    const fixes = await quickFixesAt(doc.uri, first.range);
    const fix = fixes.find((f) => f.title.startsWith('Batch the call'));
    assert.ok(fix, `a fix that batches the call; offered: ${fixes.map((f) => f.title).join(' | ') || '(none)'}`);
    try {
      const after = nextDiagnostics(doc.uri, (ds) => byRule(ds, 'chatty-calls').length === 1, 'one chatty-calls finding is left');
      await apply(fix);
      const ds = await after;
      assert.match(doc.getText(), /perRequest: 1/, 'the call is now made once per request');
      assert.ok(!byRule(ds, 'chatty-calls')[0].range.isEqual(first.range), 'the finding left is the other call\'s');
    } finally {
      await revert(doc, diagnostics.length);
    }
  });

  it('a call with three findings: every entry of the menu reads differently, each accept names its rule', async () => {
    await writeMenusExample();
    const { doc, diagnostics } = await openExample('menus', (ds) => onFirstCall(ds).length === MENUS_RULES.length, `the first call has ${MENUS_RULES.length} findings`);
    const here = onFirstCall(diagnostics);
    assert.deepEqual(here.map(ruleOf).sort(), MENUS_RULES, describeDiagnostics(doc, diagnostics));
    // The cursor inside the callee's name, as a user presses Ctrl+. there.
    const at = here[0].range.start.translate(0, 3);
    const fixes = await quickFixesAt(doc.uri, new vscode.Range(at, at));
    const titles = fixes.map((f) => f.title);
    const listed = titles.join('\n');
    assert.equal(new Set(titles).size, titles.length, `two entries read the same:\n${listed}`);
    for (const rule of MENUS_RULES) assert.ok(titles.includes(`Accept ${rule} on the call ts-ui-dashboard → ts-preserve-service`), `no accept entry naming ${rule}:\n${listed}`);
    assert.ok(fixes.some((f) => f.isPreferred && !f.title.startsWith('Accept ')), `no preferred design fix:\n${listed}`);
    assert.ok(titles.some((t) => t.startsWith('on hop 2: ')), `no fix says it acts on hop 2:\n${listed}`);
  });
});
