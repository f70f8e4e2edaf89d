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

/** A finding's key: stable for one document version, sent in `data` so code actions can find it again. */
export function findingKey(f: Finding, index: number): string {
  return `${f.rule}:${f.span.start}:${f.span.end}:${index}`;
}

export function toDiagnostic(doc: TextDocument, f: Finding, key: string, docOf: (uri: string) => TextDocument | undefined, relatedSupport: boolean): Diagnostic {
  const d: Diagnostic = {
    range: toRange(doc, f.span),
    severity: f.accepted ? DiagnosticSeverity.Hint : SEVERITY[f.severity],
    code: f.rule,
    codeDescription: { href: ruleDocUrl(f.rule) },
    source: SOURCE,
    message: f.accepted ? `accepted: ${f.accepted.reason} (${f.message})` : f.message,
    data: { key, version: doc.version },
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

export function toCodeAction(fix: Fix, diagnostic: Diagnostic, docOf: (uri: string) => TextDocument | undefined): CodeAction | undefined {
  const changes: Record<string, LspTextEdit[]> = {};
  for (const e of fix.edits) {
    const doc = docOf(e.uri);
    if (!doc) return undefined;
    (changes[e.uri] ??= []).push({ range: toRange(doc, e.span), newText: e.newText });
  }
  const edit: WorkspaceEdit = { changes };
  return { title: fix.title, kind: fix.kind, diagnostics: [diagnostic], isPreferred: fix.isPreferred, edit };
}
