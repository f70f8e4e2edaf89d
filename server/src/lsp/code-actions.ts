/**
 * Code actions: the fixes of the findings under the cursor, found by their key in the analysis that holds
 * them (never by message), grouped per finding with the cursor's findings first, and the style chooser on
 * a service's `calls`.
 */
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic, type Position, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { fixesFor, RULES } from '../core';
import { sameRange, toCodeAction, toRange } from './convert';
import type { Workspace } from './workspace';

/** What the client can take: file creation (the ADR fixes) and snippet edits. */
export interface CodeActionSupport {
  readonly create: boolean;
  readonly snippet: boolean;
}

/** Whether a range holds a position (ends included: a cursor right after a word is still on it). */
function holds(r: Range, p: Position): boolean {
  const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(r.start, p) && before(p, r.end);
}

/**
 * The diagnostics of a request in the order their fixes are listed: those under the cursor (holding the
 * start of the request's range) first, then the others; each keeps the order the client sent.
 */
function cursorFirst(params: CodeActionParams): Diagnostic[] {
  const all = params.context.diagnostics;
  const here = all.filter((d) => holds(d.range, params.range.start));
  return [...here, ...all.filter((d) => !here.includes(d))];
}

/**
 * The same fix offered for two findings (making a call asynchronous fixes a chain and a cycle) is listed
 * once, for both diagnostics; two different fixes with one title name their rule, so that no two entries
 * of the menu read the same.
 */
export function distinct(actions: CodeAction[]): CodeAction[] {
  const out: CodeAction[] = [];
  const byTitle = new Map<string, CodeAction>();
  for (const a of actions) {
    const same = byTitle.get(a.title);
    if (same && JSON.stringify(same.edit) === JSON.stringify(a.edit) && same.kind === a.kind) {
      same.diagnostics = [...(same.diagnostics ?? []), ...(a.diagnostics ?? [])];
      if (a.isPreferred) same.isPreferred = true;
      continue;
    }
    let title = a.title;
    const code = a.diagnostics?.[0]?.code;
    if (same && code !== undefined) title = `${title} (for ${code})`;
    for (let n = 2; byTitle.has(title); n++) title = `${a.title} (${n})`;
    const action = title === a.title ? a : { ...a, title };
    byTitle.set(title, action);
    out.push(action);
  }
  return out;
}

export function codeActions(params: CodeActionParams, doc: TextDocument, workspace: Workspace, docFor: (uri: string) => TextDocument | undefined, support: CodeActionSupport): CodeAction[] {
  const fixActions: CodeAction[] = [];
  // Each finding's fixes together, the findings under the cursor first: a menu for a call with several
  // findings then reads finding by finding, starting with the one the user asked about.
  for (const d of cursorFirst(params)) {
    // `root` is left out where the program is the document's own (convert.ts).
    const data = d.data as { key?: string; root?: string } | undefined;
    const a = data?.key ? workspace.get(data.root ?? params.textDocument.uri) : undefined;
    // A diagnostic from an analysis of older text gets no fix rather than a wrong one.
    if (!a || !data?.key || !workspace.isCurrent(a)) continue;
    const finding = a.byKey.get(data.key);
    // Keys carry no offsets (workspace.ts): the finding must also be where the diagnostic says.
    const at = finding && docFor(finding.uri);
    if (!finding || !at || !sameRange(toRange(at, finding.span), d.range)) continue;
    for (const fix of fixesFor(finding, a.result, RULES, a.settings)) {
      if (params.context.only && !params.context.only.some((k) => fix.kind === k || fix.kind.startsWith(k + '.'))) continue;
      const action = toCodeAction(fix, d, docFor, support.create, support.snippet);
      if (action) fixActions.push(action);
    }
  }
  const actions = distinct(fixActions);
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
