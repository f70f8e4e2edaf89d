/**
 * The only place that turns core spans and findings into LSP types. Offsets become positions through
 * the TextDocument, whose encoding (UTF-16) is the one the core's spans use.
 */
import { DiagnosticSeverity, type CodeAction, type Diagnostic, type DiagnosticRelatedInformation, type Range, type TextEdit as LspTextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Fix } from '../core';
import type { Span } from '../core/span';
import { ruleDocUrl } from '../version';

export const SOURCE = 'topolint';

export function toRange(doc: TextDocument, s: Span): Range {
  return { start: doc.positionAt(s.start), end: doc.positionAt(s.end) };
}

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

export function toDiagnostic(doc: TextDocument, f: Finding, key: string, docOf: (uri: string) => TextDocument | undefined, relatedSupport: boolean, root: string = doc.uri): Diagnostic {
  const d: Diagnostic = {
    range: toRange(doc, f.span),
    severity: f.accepted ? DiagnosticSeverity.Hint : SEVERITY[f.severity],
    code: f.rule,
    codeDescription: { href: ruleDocUrl(f.rule) },
    source: SOURCE,
    message: f.accepted ? `accepted: ${f.accepted.reason} (${f.message})` : f.message,
    // The analysis that holds the finding (the program of `root`, left out where that is the document's
    // own: the most common case, and 5% of a large file's diagnostics) and its key there, for code
    // actions. Nothing here may change on a keystroke that leaves the finding as it was (no document
    // version, a key without offsets: lsp/workspace.ts), or every keystroke would re-send every diagnostic.
    data: root === doc.uri ? { key } : { key, root },
  };
  if (relatedSupport && f.related?.length) {
    const related: DiagnosticRelatedInformation[] = [];
    for (const r of f.related) {
      const rd = docOf(r.uri);
      if (rd) related.push({ location: { uri: r.uri, range: toRange(rd, r.span) }, message: r.message });
    }
    d.relatedInformation = related;
  }
  return d;
}

/**
 * A fix as a code action. Edits to open documents are versioned; a fix that creates files (an ADR) needs
 * the client's `create` resource operation and is left out where the client has none.
 */
export function toCodeAction(fix: Fix, diagnostic: Diagnostic, docOf: (uri: string) => TextDocument | undefined, canCreate: boolean, canSnippet = false): CodeAction | undefined {
  const byUri = new Map<string, LspTextEdit[]>();
  let snippets = false;
  for (const e of fix.edits) {
    const doc = docOf(e.uri);
    if (!doc) return undefined;
    if (!byUri.has(e.uri)) byUri.set(e.uri, []);
    const range = toRange(doc, e.span);
    if (canSnippet && e.snippet !== undefined) {
      snippets = true;
      byUri.get(e.uri)!.push({ range, snippet: { kind: 'snippet', value: e.snippet } } as unknown as LspTextEdit);
    } else byUri.get(e.uri)!.push({ range, newText: e.newText });
  }
  let edit: WorkspaceEdit;
  if (snippets && !fix.creates?.length) {
    // Snippet edits travel only in versioned document changes (LSP 3.18 SnippetTextEdit).
    edit = { documentChanges: [...byUri].map(([uri, edits]) => ({ textDocument: { uri, version: docOf(uri)!.version }, edits })) };
  } else if (fix.creates?.length) {
    if (!canCreate) return undefined;
    edit = {
      documentChanges: [
        ...fix.creates.flatMap((c) => [
          { kind: 'create' as const, uri: c.uri, options: { ignoreIfExists: true } },
          { textDocument: { uri: c.uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: c.text }] },
        ]),
        ...[...byUri].map(([uri, edits]) => ({ textDocument: { uri, version: docOf(uri)!.version }, edits })),
      ],
    };
  } else {
    edit = { changes: Object.fromEntries(byUri) };
  }
  return { title: fix.title, kind: fix.kind, diagnostics: [diagnostic], isPreferred: fix.isPreferred, edit };
}

function samePosition(a: Range['start'], b: Range['start']): boolean {
  return a.line === b.line && a.character === b.character;
}

export function sameRange(a: Range, b: Range): boolean {
  return samePosition(a.start, b.start) && samePosition(a.end, b.end);
}

/**
 * A file's diagnostics, as toDiagnostic builds them, or undefined when they are the ones last sent
 * (`last`): a keystroke in a description changes no finding, and re-sending thousands of diagnostics told
 * the client nothing. Each finding is compared with the diagnostic last sent at its place, field by field
 * (its range, message, code, severity, `data`'s key and root, its related locations), and that diagnostic
 * is kept where they are the same: no object is built for a finding that did not change, where building
 * every diagnostic and then comparing the two lists allocated megabytes a keystroke at 5,000 services.
 */
export function diagnosticsOf(doc: TextDocument, items: readonly { finding: Finding; root: string; key: string }[], docOf: (uri: string) => TextDocument | undefined, relatedSupport: boolean, last: readonly Diagnostic[] | undefined): Diagnostic[] | undefined {
  const n = items.length;
  const m = last?.length ?? 0;
  const out: Diagnostic[] = new Array(n);
  const keep = (i: number, j: number) => {
    const { finding, root, key } = items[i];
    return last !== undefined && sameAs(last[j], doc, finding, key, root, docOf, relatedSupport);
  };
  // Compared from the start, then from the end: a finding that comes or goes in the middle (a timeout
  // typed) leaves the ones after it the same but one place further or nearer.
  let head = 0;
  while (head < n && head < m && keep(head, head)) {
    out[head] = last![head];
    head++;
  }
  let tail = 0;
  while (tail < n - head && tail < m - head && keep(n - 1 - tail, m - 1 - tail)) {
    out[n - 1 - tail] = last![m - 1 - tail];
    tail++;
  }
  // Between the first and the last change, the findings that stayed may stand one place or more away from
  // where they were (a finding came or went before them, and another after): each is compared with the
  // diagnostic last sent for its key in its program, where the one at its own place is not it.
  let byKey: Map<string, Diagnostic> | undefined;
  for (let i = head; i < n - tail; i++) {
    const { finding, root, key } = items[i];
    if (i < m - tail && keep(i, i)) {
      out[i] = last![i];
      continue;
    }
    if (!byKey) {
      byKey = new Map();
      for (let j = head; j < m - tail; j++) {
        const data = last![j].data as { key: string; root?: string };
        byKey.set(`${data.root ?? doc.uri}\n${data.key}`, last![j]);
      }
    }
    const was = byKey.get(`${root}\n${key}`);
    out[i] = was && sameAs(was, doc, finding, key, root, docOf, relatedSupport) ? was : toDiagnostic(doc, finding, key, docOf, relatedSupport, root);
  }
  const same = last !== undefined && n === m && out.every((d, i) => d === last[i]);
  return same ? undefined : out;
}

/** Whether toDiagnostic would build `d` again for this finding. */
function sameAs(d: Diagnostic, doc: TextDocument, f: Finding, key: string, root: string, docOf: (uri: string) => TextDocument | undefined, relatedSupport: boolean): boolean {
  const data = d.data as { key: string; root?: string };
  if (d.code !== f.rule || data.key !== key || (data.root ?? doc.uri) !== root) return false;
  if (d.severity !== (f.accepted ? DiagnosticSeverity.Hint : SEVERITY[f.severity])) return false;
  if (f.accepted ? d.message !== `accepted: ${f.accepted.reason} (${f.message})` : d.message !== f.message) return false;
  if (!atSpan(d.range, doc, f.span)) return false;
  const rs = d.relatedInformation;
  if (!relatedSupport || !f.related?.length) return rs === undefined;
  if (!rs) return false;
  let j = 0;
  for (const r of f.related) {
    const rd = docOf(r.uri);
    if (!rd) continue;
    const x = rs[j++];
    if (!x || x.message !== r.message || x.location.uri !== r.uri || !atSpan(x.location.range, rd, r.span)) return false;
  }
  return j === rs.length;
}

/** Whether `range` is where `s` is in `doc`. */
function atSpan(range: Range, doc: TextDocument, s: Span): boolean {
  return atOffset(range.start, doc, s.start) && atOffset(range.end, doc, s.end);
}

/** A position to ask `offsetAt` for a line's start with (offsetAt does not keep it). */
const lineStart = { line: 0, character: 0 };

/**
 * Whether `doc.positionAt(offset)` is `p`, from the start of p's line rather than a search of every line
 * (diagnosticsOf asks this of every place of every diagnostic on every keystroke: 27,000 searches at
 * 5,000 services). The offset must be p's line start plus p's character and lie on that line; the one
 * place positionAt moves an offset, between a CR and its LF, is left to positionAt.
 */
function atOffset(p: Range['start'], doc: TextDocument, offset: number): boolean {
  const lines = doc.lineCount;
  if (p.line < 0 || p.line >= lines || p.character < 0) return false;
  lineStart.line = p.line;
  const start = doc.offsetAt(lineStart);
  if (start + p.character !== offset) return false;
  if (p.line + 1 < lines) {
    lineStart.line = p.line + 1;
    if (offset >= doc.offsetAt(lineStart)) return false;
  } else if (offset > doc.getText().length) return false;
  if (p.character > 0 && doc.getText().charCodeAt(offset - 1) === 13) return samePosition(p, doc.positionAt(offset));
  return true;
}
