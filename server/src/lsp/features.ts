/**
 * The editor features beyond diagnostics — hover, completion, navigation, rename, symbols, folding, links,
 * code lenses — each a thin conversion of a pure core function to LSP types.
 */
import {
  CompletionItemKind,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  SymbolKind as LspSymbolKind,
  type CodeLens,
  type CompletionItem,
  type CompletionList,
  type DocumentLink,
  type DocumentSymbol,
  type FoldingRange,
  type Hover,
  type Location,
  type Position,
  type Range,
  type SymbolInformation,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { RULES } from '../core';
import { complete } from '../core/completion';
import { guidanceFor } from '../core/guidance';
import { definitionOf, occurrenceAt, pairAt, referencesTo, renameEdit, renameProblem, type Occurrence } from '../core/navigation';
import { elementCard, serviceLens, serviceLensTooltip, serviceStats, shortCard } from '../core/summary';
import type { YNode } from '../core/ynode';
import { acceptsIn } from '../core/accepts';
import { DOCS_BASE, ruleDocUrl } from '../version';
import type { DocumentAnalysis } from './workspace';
import { toRange } from './convert';

type DocOf = (uri: string) => TextDocument | undefined;

function rangeIn(docOf: DocOf, uri: string, s: { start: number; end: number }): Range | undefined {
  const d = docOf(uri);
  return d ? toRange(d, s) : undefined;
}

export function hover(doc: TextDocument, a: DocumentAnalysis, position: Position): Hover | null {
  const offset = doc.offsetAt(position);
  const file = a.result.files[0]?.topology;
  if (!file) return null;
  const occ = occurrenceAt(file, offset);
  if (occ) {
    if (occ.kind === 'rule') {
      const rule = RULES.find((r) => r.meta.id === occ.id);
      if (!rule) return null;
      return { contents: { kind: MarkupKind.Markdown, value: `**${rule.meta.id}** (${rule.meta.defaultSeverity}): ${rule.meta.title}.\n\n[Read more](${ruleDocUrl(rule.meta.id)})` }, range: toRange(doc, occ.span) };
    }
    const def = definitionOf(a.result.system, occ.kind, occ.id);
    const findings = def ? a.result.findings.filter((f) => f.uri === def.uri && f.span.start === def.span.start) : [];
    const card = shortCard(a.result.system, occ.kind, occ.id, findings);
    const full = elementCard(a.result.system, occ.kind, occ.id, findings);
    if (card && full) {
      // The link carries the full card: the client's topolint.showCard shows it as the hover at this place.
      // Parentheses too are escaped: an unescaped ')' in the card would end the markdown link.
      const args = encodeURIComponent(JSON.stringify([doc.uri, position, full])).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
      return { contents: { kind: MarkupKind.Markdown, value: `${card}\n\n[Show all](command:${SHOW_CARD_COMMAND}?${args} "Calls, callers, events, stores, the chain and the full findings")` }, range: toRange(doc, occ.span) };
    }
  }
  const at = pairAt(file.root, offset);
  if (at) {
    const g = guidanceFor(at.pair.key, at.onKey ? undefined : at.value);
    if (g) {
      const link = g.doc ? `\n\n[Read more](${DOCS_BASE}/${g.doc})` : '';
      return { contents: { kind: MarkupKind.Markdown, value: `**${g.title}**\n\n${g.body}${link}` }, range: toRange(doc, at.onKey ? at.pair.keySpan : at.pair.value!.span) };
    }
  }
  return null;
}

/** The client command that shows an element's full card (client/src/extension.ts). */
export const SHOW_CARD_COMMAND = 'topolint.showCard';

export function completion(doc: TextDocument, a: DocumentAnalysis | undefined, position: Position): CompletionList {
  const offset = doc.offsetAt(position);
  const r = complete(doc.getText(), offset, a?.result.system, RULES.map((x) => x.meta.id));
  const range = toRange(doc, r.replace);
  const kinds = { key: CompletionItemKind.Property, value: CompletionItemKind.EnumMember, reference: CompletionItemKind.Reference, snippet: CompletionItemKind.Snippet } as const;
  const items: CompletionItem[] = r.items.map((c, i) => ({
    label: c.label,
    kind: kinds[c.kind],
    detail: c.detail,
    documentation: c.documentation ? { kind: MarkupKind.Markdown, value: c.documentation } : undefined,
    textEdit: { range, newText: c.insertText },
    insertTextFormat: c.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    insertTextMode: InsertTextMode.adjustIndentation,
    sortText: String(i).padStart(4, '0'),
  }));
  return { isIncomplete: false, items };
}

export function definition(doc: TextDocument, a: DocumentAnalysis, position: Position, docOf: DocOf): Location | null {
  const file = a.result.files[0]?.topology;
  const occ = file && occurrenceAt(file, doc.offsetAt(position));
  if (!occ || occ.kind === 'rule') return null;
  const def = definitionOf(a.result.system, occ.kind, occ.id);
  const range = def && rangeIn(docOf, def.uri, def.span);
  return def && range ? { uri: def.uri, range } : null;
}

/**
 * Every occurrence of the id under the cursor, across every analysed program that sees the same
 * definition: a service defined in one file and used by three importers is found in all four.
 */
function occurrencesEverywhere(a: DocumentAnalysis, occ: Occurrence, all: readonly DocumentAnalysis[]): Occurrence[] {
  const def = definitionOf(a.result.system, occ.kind, occ.id);
  const out = new Map<string, Occurrence>();
  for (const x of [a, ...all]) {
    const d = definitionOf(x.result.system, occ.kind, occ.id);
    const same = def ? d && d.uri === def.uri && d.span.start === def.span.start : x === a;
    if (!same) continue;
    for (const o of referencesTo(x.result.system, occ.kind, occ.id)) out.set(`${o.uri}#${o.span.start}`, o);
  }
  return [...out.values()];
}

export function references(doc: TextDocument, a: DocumentAnalysis, position: Position, includeDeclaration: boolean, docOf: DocOf, all: readonly DocumentAnalysis[] = []): Location[] {
  const file = a.result.files[0]?.topology;
  const occ = file && occurrenceAt(file, doc.offsetAt(position));
  if (!occ) return [];
  const out: Location[] = [];
  for (const o of occurrencesEverywhere(a, occ, all)) {
    if (o.isDefinition && !includeDeclaration) continue;
    const range = rangeIn(docOf, o.uri, o.span);
    if (range) out.push({ uri: o.uri, range });
  }
  return out;
}

export function prepareRename(doc: TextDocument, a: DocumentAnalysis, position: Position): { range: Range; placeholder: string } | null {
  const file = a.result.files[0]?.topology;
  const occ = file && occurrenceAt(file, doc.offsetAt(position));
  if (!occ || occ.kind === 'rule') return null;
  // Quoted ids rename without their quotes.
  const text = doc.getText();
  const q = text[occ.span.start] === '"' || text[occ.span.start] === "'" ? 1 : 0;
  return { range: toRange(doc, { start: occ.span.start + q, end: occ.span.end - q }), placeholder: occ.id };
}

export function rename(doc: TextDocument, a: DocumentAnalysis, position: Position, newName: string, docOf: DocOf, all: readonly DocumentAnalysis[] = []): WorkspaceEdit | { error: string } | null {
  const file = a.result.files[0]?.topology;
  const occ = file && occurrenceAt(file, doc.offsetAt(position));
  if (!occ) return null;
  const problem = renameProblem(a.result.system, occ.kind, newName) ?? all.map((x) => (x.program.files.some((f) => f.uri === doc.uri) || x === a ? renameProblem(x.result.system, occ.kind, newName) : undefined)).find(Boolean);
  if (problem) return { error: problem };
  const changes: Record<string, { range: Range; newText: string }[]> = {};
  for (const o of occurrencesEverywhere(a, occ, all)) {
    const e = renameEdit(o, docOf(o.uri)?.getText(), newName);
    const range = rangeIn(docOf, e.uri, e.span);
    if (range) (changes[e.uri] ??= []).push({ range, newText: e.newText });
  }
  return { changes };
}

/** Services, datastores, events and flows whose id contains the query, across the workspace. */
export function workspaceSymbols(query: string, all: readonly DocumentAnalysis[], docOf: DocOf): SymbolInformation[] {
  const q = query.toLowerCase();
  const out: SymbolInformation[] = [];
  const seen = new Set<string>();
  const kinds = { service: LspSymbolKind.Class, datastore: LspSymbolKind.Struct, event: LspSymbolKind.Event, flow: LspSymbolKind.Function } as const;
  for (const a of all) {
    const f = a.result.files[0]?.topology;
    if (!f) continue;
    for (const el of [...f.services, ...f.datastores, ...f.events, ...f.flows]) {
      if (q && !el.id.toLowerCase().includes(q)) continue;
      const k = `${el.uri}#${el.idSpan.start}`;
      if (seen.has(k)) continue;
      seen.add(k);
      const range = rangeIn(docOf, el.uri, el.idSpan);
      if (range) out.push({ name: el.id, kind: kinds[el.kind], location: { uri: el.uri, range }, containerName: f.name?.value });
      if (out.length >= 500) return out;
    }
  }
  return out;
}

export function documentSymbols(doc: TextDocument, a: DocumentAnalysis): DocumentSymbol[] {
  const file = a.result.files[0]?.topology;
  if (!file) return [];
  const sym = (name: string, detail: string | undefined, kind: LspSymbolKind, whole: { start: number; end: number }, sel: { start: number; end: number }, children?: DocumentSymbol[]): DocumentSymbol => ({
    name: name || '(empty)',
    detail,
    kind,
    range: toRange(doc, whole),
    selectionRange: toRange(doc, sel),
    children,
  });
  const section = (key: string, kind: LspSymbolKind, els: readonly { id: string; span: { start: number; end: number }; idSpan: { start: number; end: number }; description?: { value: string } }[], childrenOf?: (i: number) => DocumentSymbol[]) => {
    const p = file.sections.get(key);
    if (!p) return [];
    return [sym(key, `${els.length}`, LspSymbolKind.Namespace, p.span, p.keySpan, els.map((e, i) => sym(e.id, e.description?.value, kind, e.span, e.idSpan, childrenOf?.(i))))];
  };
  return [
    ...section('services', LspSymbolKind.Class, file.services, (i) => file.services[i].calls.map((c) => sym(`→ ${c.to.id}`, c.style, LspSymbolKind.Method, c.span, c.to.span))),
    ...section('datastores', LspSymbolKind.Struct, file.datastores),
    ...section('events', LspSymbolKind.Event, file.events),
    ...section('flows', LspSymbolKind.Function, file.flows),
  ];
}

export function foldingRanges(doc: TextDocument, a: DocumentAnalysis): FoldingRange[] {
  const out: FoldingRange[] = [];
  const visit = (n: YNode | null, depth: number) => {
    if (!n || depth > 64 || n.kind === 'scalar') return;
    const children = n.kind === 'map' ? n.pairs : n.items;
    for (const c of children) {
      const node = 'key' in c ? c.value : c;
      if (!node || node.kind === 'scalar') continue;
      const start = doc.positionAt('key' in c ? c.keySpan.start : node.span.start).line;
      const end = doc.positionAt(Math.max(node.span.start, node.span.end - 1)).line;
      if (end > start) out.push({ startLine: start, endLine: end });
      visit(node, depth + 1);
    }
  };
  visit(a.result.files[0]?.topology.root ?? null, 0);
  return out;
}

export function documentLinks(doc: TextDocument, a: DocumentAnalysis): DocumentLink[] {
  const file = a.result.files[0]?.topology;
  if (!file) return [];
  const out: DocumentLink[] = [];
  const link = (path: string, s: { start: number; end: number }) => {
    try {
      out.push({ range: toRange(doc, s), target: new URL(path, doc.uri).href });
    } catch {
      // Not a path a URL can be made of: no link.
    }
  };
  for (const i of file.imports) link(i.id, i.span);
  for (const { accept } of acceptsIn(file)) if (accept.adr) link(accept.adr.value, accept.adr.span);
  return out;
}

export function codeLenses(doc: TextDocument, a: DocumentAnalysis): CodeLens[] {
  const file = a.result.files[0]?.topology;
  if (!file) return [];
  const out: CodeLens[] = [];
  for (const s of file.services) {
    if (a.result.system.services.get(s.id) !== s) continue;
    const stats = serviceStats(a.result.system, s);
    const range = toRange(doc, s.idSpan);
    const chain = a.result.system.chainFrom(s);
    // Hops written in another file have no range in this document; the references view shows the rest.
    const hops = chain.calls.filter((c) => c.from.uri === doc.uri).map((c) => ({ uri: c.from.uri, range: toRange(doc, c.to.span) }));
    out.push({
      range,
      command: {
        title: serviceLens(stats),
        tooltip: serviceLensTooltip(stats),
        // Clicking shows the chain's hops in the references view (the client's topolint.showChain).
        command: hops.length ? 'topolint.showChain' : '',
        arguments: hops.length ? [doc.uri, range.start, hops] : undefined,
      },
    });
  }
  return out;
}
