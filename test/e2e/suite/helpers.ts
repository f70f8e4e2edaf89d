/**
 * What the end-to-end tests share: the examples' URIs, diagnostics read back from VS Code, and waits on
 * VS Code's own events (`onDidChangeDiagnostics`, `onDidChangeTabs`) with a deadline that fails with what
 * was seen, never fixed sleeps.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'topolint.topolint';
export const SOURCE = 'topolint';
/** How long any one wait may take before the test fails with what it saw. */
export const WAIT_MS = 30_000;

/** The folder the tests run in: a copy of examples/, so quick fixes and settings never touch the repository. */
export function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('VS Code was started without a folder; open the copy of examples/ that the e2e script prepares');
  return folder.uri;
}

export function exampleUri(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceFolder(), `${name}.topology.yaml`);
}

/** A diagnostic's rule id: VS Code turns `code` plus `codeDescription` into `{ value, target }`. */
export function ruleOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

export function topolintDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

export function severityName(s: vscode.DiagnosticSeverity): string {
  return ['error', 'warning', 'info', 'hint'][s] ?? String(s);
}

/** One line per diagnostic, for failure messages. */
export function describeDiagnostics(doc: vscode.TextDocument | undefined, ds: readonly vscode.Diagnostic[]): string {
  if (ds.length === 0) return '  (no diagnostics)';
  return ds
    .map((d) => {
      const r = d.range;
      const text = doc ? JSON.stringify(doc.getText(r)) : '';
      return `  ${ruleOf(d)} ${severityName(d.severity)} ${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1} ${text}`;
    })
    .join('\n');
}

/**
 * Starts waiting at once for a diagnostics change on `uri` after which `pred` holds for its Topolint
 * diagnostics; returns the promise of those diagnostics. Start it before the action that causes the
 * change, so the event cannot be missed.
 */
export function nextDiagnostics(uri: vscode.Uri, pred: (ds: vscode.Diagnostic[]) => boolean, what: string, timeoutMs = WAIT_MS): Promise<vscode.Diagnostic[]> {
  const key = uri.toString();
  return new Promise((resolve, reject) => {
    let last: vscode.Diagnostic[] | undefined;
    const timer = setTimeout(() => {
      sub.dispose();
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
      const seen = last ? `the last diagnostics published for it were:\n${describeDiagnostics(doc, last)}` : 'no diagnostics were published for it at all';
      reject(new Error(`waited ${timeoutMs} ms for diagnostics on ${vscode.workspace.asRelativePath(uri)} where ${what}; ${seen}`));
    }, timeoutMs);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === key)) return;
      last = topolintDiagnostics(uri);
      if (!pred(last)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(last);
    });
  });
}

/** Like nextDiagnostics, but resolves at once when the diagnostics already satisfy `pred`. */
export function diagnosticsWhere(uri: vscode.Uri, pred: (ds: vscode.Diagnostic[]) => boolean, what: string, timeoutMs = WAIT_MS): Promise<vscode.Diagnostic[]> {
  const now = topolintDiagnostics(uri);
  if (pred(now)) return Promise.resolve(now);
  return nextDiagnostics(uri, pred, what, timeoutMs);
}

export interface Opened {
  doc: vscode.TextDocument;
  editor: vscode.TextEditor;
  diagnostics: vscode.Diagnostic[];
  /** Milliseconds from the open call to the first diagnostics, when this call opened the document. */
  firstDiagnosticsMs?: number;
}

/**
 * Opens an example in an editor and resolves once the server has analysed it. A document that is not
 * open yet is waited on until its first diagnostics arrive (even an empty list is published, and fires
 * the event); one that is already open is taken as analysed once `pred` holds.
 */
export async function openExample(name: string, pred: (ds: vscode.Diagnostic[]) => boolean = () => true, what = 'the file has been analysed'): Promise<Opened> {
  const uri = exampleUri(name);
  const wasOpen = vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
  const started = Date.now();
  const analysed = wasOpen ? diagnosticsWhere(uri, pred, what) : nextDiagnostics(uri, pred, what);
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  const diagnostics = await analysed;
  return { doc, editor, diagnostics, firstDiagnosticsMs: wasOpen ? undefined : Date.now() - started };
}

/** Resolves when some tab satisfies `pred`, checking the tabs now and on every tab change. */
export function tabWhere(pred: (t: vscode.Tab) => boolean, what: string, timeoutMs = WAIT_MS): Promise<vscode.Tab> {
  const find = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find(pred);
  const now = find();
  if (now) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`waited ${timeoutMs} ms for ${what}; the open tabs are: ${describeTabs()}`));
    }, timeoutMs);
    const sub = vscode.window.tabGroups.onDidChangeTabs(() => {
      const t = find();
      if (!t) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(t);
    });
  });
}

export function describeTabs(): string {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs);
  if (tabs.length === 0) return '(none)';
  return tabs
    .map((t) => {
      const input = t.input;
      const kind =
        input instanceof vscode.TabInputWebview ? `webview ${input.viewType}` : input instanceof vscode.TabInputText ? `text ${vscode.workspace.asRelativePath(input.uri)}` : 'other';
      return `"${t.label}" (${kind})`;
    })
    .join(', ');
}

/** A finding as the CLI reports it (`topolint check --format json`), 1-based lines and columns. */
export interface CliFinding {
  rule: string;
  severity: 'error' | 'warning' | 'info';
  accepted?: unknown;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fixes: string[];
}

/**
 * The CLI's findings for the examples, which the e2e script writes before VS Code starts (from the same
 * production build as the .vsix) and names in TOPOLINT_E2E_EXPECTED.
 */
export function cliFindings(name: string): CliFinding[] {
  const file = process.env.TOPOLINT_E2E_EXPECTED;
  if (!file) throw new Error('TOPOLINT_E2E_EXPECTED is not set: run the suite through `npm run test:e2e` or `npm run test:vscode`, which write the CLI\'s findings for the examples');
  if (!existsSync(file)) throw new Error(`TOPOLINT_E2E_EXPECTED names ${file}, which does not exist`);
  const report = JSON.parse(readFileSync(file, 'utf8')) as { files: { path: string; findings: CliFinding[] }[] };
  const entry = report.files.find((f) => f.path.replace(/\\/g, '/').endsWith(`${name}.topology.yaml`));
  if (!entry) throw new Error(`${file} has no entry for ${name}.topology.yaml (it has ${report.files.map((f) => f.path).join(', ')})`);
  return entry.findings;
}

/** The CLI's severity as VS Code shows it: accepted findings are hints. */
export function cliSeverity(f: CliFinding): vscode.DiagnosticSeverity {
  if (f.accepted) return vscode.DiagnosticSeverity.Hint;
  return { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information }[f.severity];
}

/** The same finding key for a diagnostic and a CLI finding: rule, severity, 1-based range. */
export function diagnosticKey(d: vscode.Diagnostic): string {
  const r = d.range;
  return `${ruleOf(d)} ${severityName(d.severity)} ${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
}

export function cliKey(f: CliFinding): string {
  return `${f.rule} ${severityName(cliSeverity(f))} ${f.line}:${f.column}-${f.endLine}:${f.endColumn}`;
}

/** The diagnostics of one rule. */
export function byRule(ds: readonly vscode.Diagnostic[], rule: string): vscode.Diagnostic[] {
  return ds.filter((d) => ruleOf(d) === rule);
}

/**
 * Prints a line with the test output and keeps it for the results file (the test runner extension
 * collects these; VS Code's extension host does not let console.log be wrapped).
 */
export function note(line: string): void {
  const g = globalThis as { topolintE2eNotes?: string[] };
  (g.topolintE2eNotes ??= []).push(line);
  console.log(`    ${line}`);
}

export interface ContributedCommand {
  command: string;
  title?: string;
}

/** The command that opens the preview: the first whose id says "preview", preferring open/show ones. */
export function previewCommand(): { command?: ContributedCommand; all: ContributedCommand[] } {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  const all: ContributedCommand[] = ext?.packageJSON?.contributes?.commands ?? [];
  const candidates = all.filter((c) => /preview/i.test(c.command));
  const rank = (c: ContributedCommand) => (/(open|show)/i.test(c.command) ? 0 : /preview$/i.test(c.command) ? 1 : 2) + (/side/i.test(c.command) ? 0.5 : 0);
  return { command: [...candidates].sort((a, b) => rank(a) - rank(b))[0], all };
}

/**
 * A topology whose call ts-ui-dashboard → ts-preserve-service carries three findings on its callee's name
 * (missing-timeout, retry-amplification, sync-chain), the case of issue 14's ambiguous quick-fix menu.
 * None of the examples has one, so the suite and the quick-fix scene write it into the workspace copy.
 */
export const MENUS_TEXT = `topology: train-ticket
services:
  ts-ui-dashboard:
    exposure: external
    versions: [v1]
    calls:
      - to: ts-preserve-service
        retries: 3
        operation: getOrder
  ts-preserve-service:
    versions: [v1]
    calls:
      - to: ts-travel-service
        timeout: 2s
        retries: 3
  ts-travel-service:
    versions: [v1]
    calls:
      - to: ts-basic-service
        timeout: 1s
  ts-basic-service:
    versions: [v1]
`;

/** The rules that report on the callee's name of MENUS_TEXT's first call. */
export const MENUS_RULES = ['missing-timeout', 'retry-amplification', 'sync-chain'];

/** Writes MENUS_TEXT as menus.topology.yaml into the workspace (once) and returns its URI. */
export async function writeMenusExample(): Promise<vscode.Uri> {
  const uri = exampleUri('menus');
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(MENUS_TEXT));
  return uri;
}

/** The findings on the line of MENUS_TEXT's first call. */
export function onFirstCall(ds: readonly vscode.Diagnostic[]): vscode.Diagnostic[] {
  const line = MENUS_TEXT.split('\n').findIndex((l) => l.includes('- to: ts-preserve-service'));
  return ds.filter((d) => d.range.start.line === line);
}
