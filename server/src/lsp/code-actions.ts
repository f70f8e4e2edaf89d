/**
 * Code actions: the fixes of the findings under the cursor, found by their key in the analysis that holds
 * them (never by message), and the style chooser on a service's `calls`.
 */
import { CodeActionKind, type CodeAction, type CodeActionParams } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { fixesFor, RULES } from '../core';
import { toCodeAction } from './convert';
import type { Workspace } from './workspace';

/** What the client can take: file creation (the ADR fixes) and snippet edits. */
export interface CodeActionSupport {
  readonly create: boolean;
  readonly snippet: boolean;
}

export function codeActions(params: CodeActionParams, doc: TextDocument, workspace: Workspace, docFor: (uri: string) => TextDocument | undefined, support: CodeActionSupport): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const d of params.context.diagnostics) {
    const data = d.data as { key?: string; root?: string } | undefined;
    const a = data?.root ? workspace.get(data.root) : undefined;
    // A diagnostic from an analysis of older text gets no fix rather than a wrong one.
    if (!a || !data?.key || !workspace.isCurrent(a)) continue;
    const finding = a.byKey.get(data.key);
    if (!finding) continue;
    for (const fix of fixesFor(finding, a.result, RULES, a.settings)) {
      if (params.context.only && !params.context.only.some((k) => fix.kind === k || fix.kind.startsWith(k + '.'))) continue;
      const action = toCodeAction(fix, d, docFor, support.create, support.snippet);
      if (action) actions.push(action);
    }
  }
  // On a service's `calls` (or its id): start the style chooser for a new interaction from it.
  // Offered where no finding is being fixed (the quick-fix list ends with the accept actions), or when
  // refactorings are asked for.
  const wantsRefactor = params.context.only ? params.context.only.some((k) => k === 'refactor' || k.startsWith('refactor')) : params.context.diagnostics.length === 0;
  if (wantsRefactor) {
    const a = workspace.get(doc.uri);
    const at = doc.offsetAt(params.range.start);
    const svc = a?.result.files[0]?.topology.services.find((s) => (s.callsField && s.callsField.keySpan.start <= at && at <= s.callsField.span.end) || (s.idSpan.start <= at && at <= s.idSpan.end));
    if (svc) actions.push({ title: `Choose a communication style for a new interaction from '${svc.id}'…`, kind: CodeActionKind.Refactor, command: { title: 'Choose a communication style', command: 'topolint.chooseStyle', arguments: [doc.uri, svc.id] } });
  }
  return actions;
}
