/**
 * "Topolint: Choose a Communication Style": asks the guidance's questions one quick pick at a time, asks the
 * server for its recommendation (the questions and the pure logic are in shared/style-chooser.ts), shows why,
 * and inserts the interaction into the YAML, optionally with an ADR that records the answers.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { QUESTIONS, type StyleAnswers } from '../../shared/style-chooser';
import { ChooseStyleRequest, GraphRequest, type ChooseStyleParams, type ChooseStyleResult, type GraphPayload } from '../../shared/protocol';

export function registerStyleChooser(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('topolint.chooseStyle', async (uriArg?: string, fromArg?: string) => {
      const c = client();
      const editor = vscode.window.activeTextEditor;
      const uri = uriArg ?? editor?.document.uri.toString();
      if (!c || !uri) {
        void vscode.window.showWarningMessage('Open a topology file first.');
        return;
      }
      const graph = await c.sendRequest<GraphPayload | null>(GraphRequest.method, { uri });
      const services = (graph?.nodes ?? []).filter((n) => n.kind === 'service' && n.uri === uri).map((n) => n.label);
      if (!services.length) {
        void vscode.window.showWarningMessage('This file has no services yet: add one first.');
        return;
      }
      const from = fromArg ?? (await vscode.window.showQuickPick(services, { title: 'Choose a communication style (1/8)', placeHolder: 'Which service starts the interaction?' }));
      if (!from) return;
      const others = (graph?.nodes ?? []).filter((n) => n.kind === 'service' && n.label !== from).map((n) => n.label);
      const to = await vscode.window.showQuickPick([...others, '$(add) Something new (an event or a store)…'], { title: 'Choose a communication style (2/8)', placeHolder: `What does '${from}' talk to?` });
      if (!to) return;
      const target = to.startsWith('$(add)') ? await vscode.window.showInputBox({ title: 'Choose a communication style (2/8)', prompt: 'The id of the service, event or store', validateInput: (v) => (/^[A-Za-z][A-Za-z0-9_.-]*$/.test(v) ? undefined : 'Start with a letter, then letters, digits, _ . or -') }) : to;
      if (!target) return;
      const answers: Record<string, unknown> = {};
      for (let i = 0; i < QUESTIONS.length; i++) {
        const q = QUESTIONS[i];
        const pick = await vscode.window.showQuickPick(
          q.options.map((o) => ({ label: o.label, value: o.value })),
          { title: `Choose a communication style (${i + 3}/8)`, placeHolder: q.question, ignoreFocusOut: true },
        );
        if (!pick) return;
        answers[q.key] = pick.value;
      }
      const params: ChooseStyleParams = { uri, from, to: target, answers: answers as unknown as StyleAnswers };
      let r: ChooseStyleResult;
      try {
        r = await c.sendRequest<ChooseStyleResult>(ChooseStyleRequest.method, params);
      } catch (e) {
        void vscode.window.showErrorMessage(`Topolint: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      const insert = 'Insert';
      const withAdr = 'Insert and record an ADR';
      const choice = await vscode.window.showInformationMessage(`${r.title}.`, { modal: true, detail: `${r.why}\n\nTrade-offs: ${r.tradeOffs}` }, insert, ...(r.adr ? [withAdr] : []));
      if (!choice) return;
      const edit = new vscode.WorkspaceEdit();
      const docUri = vscode.Uri.parse(uri);
      for (const e of r.edits) edit.replace(docUri, new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character), e.newText);
      if (choice === withAdr && r.adr) {
        const adrUri = vscode.Uri.parse(r.adr.uri);
        edit.createFile(adrUri, { ignoreIfExists: true });
        edit.insert(adrUri, new vscode.Position(0, 0), r.adr.text);
      }
      await vscode.workspace.applyEdit(edit);
      if (choice === withAdr && r.adr) await vscode.window.showTextDocument(vscode.Uri.parse(r.adr.uri), { preview: true, viewColumn: vscode.ViewColumn.Beside });
    }),
  );
}
