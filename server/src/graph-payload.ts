/**
 * Builds the diagram's payload (shared/protocol.ts) from an analysis, for the language server
 * (`topolint/graph`) and `topolint diagram` alike, so it depends on neither front end: nodes and edges keyed by element id,
 * and each finding mapped onto the elements it concerns. The mapping is rule-agnostic: a finding's span and
 * its related spans each land on the innermost element whose source contains them, so new rules appear on
 * the diagram without code here.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisResult } from './core';
import type { Span } from './core/span';
import type { GraphEdge, GraphFinding, GraphNode, GraphPayload, Range } from '../../shared/protocol';

/** A span as a line/character range of the document (the same conversion as lsp/convert.ts, without LSP). */
function toRange(doc: TextDocument, s: Span): Range {
  return { start: doc.positionAt(s.start), end: doc.positionAt(s.end) };
}

interface Placed {
  readonly id: string;
  readonly uri: string;
  readonly span: Span;
}

export function buildGraph(doc: TextDocument, result: AnalysisResult, keys: readonly string[]): GraphPayload {
  const { system } = result;
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const placed: Placed[] = [];
  const findingsOn = new Map<string, string[]>();
  const rangeOf = (uri: string, s: Span) => (uri === doc.uri ? toRange(doc, s) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });

  for (const s of system.services.values()) {
    const id = `service:${s.id}`;
    // The same models as the rules and the summary card (core/models.ts), so the numbers agree.
    const wait = system.models().worst(s);
    nodes.push({ id, kind: 'service', label: s.id, variant: s.serviceKind, external: s.exposure === 'external', description: s.description?.value, wait: Number.isFinite(wait) ? wait : null, availability: system.models().availability(s).value, range: rangeOf(s.uri, s.idSpan), uri: s.uri, findings: [] });
    placed.push({ id, uri: s.uri, span: s.span });
    for (const c of s.calls) {
      if (!system.services.has(c.to.id)) continue;
      const eid = `call:${s.id}:${c.index}`;
      const label = [c.protocol?.value, c.perRequest ? `×${c.perRequest.value}` : undefined].filter(Boolean).join(' ');
      edges.push({ id: eid, kind: c.style, from: id, to: `service:${c.to.id}`, label: label || undefined, perRequest: c.perRequest?.value, range: rangeOf(s.uri, c.to.span), uri: s.uri, findings: [] });
      placed.push({ id: eid, uri: s.uri, span: c.span });
    }
    for (const p of s.publishes) {
      if (!system.events.has(p.event.id)) continue;
      const eid = `pub:${s.id}:${p.index}`;
      edges.push({ id: eid, kind: 'publish', from: id, to: `event:${p.event.id}`, label: p.delivery === 'direct' ? undefined : p.delivery, range: rangeOf(s.uri, p.event.span), uri: s.uri, findings: [] });
      placed.push({ id: eid, uri: s.uri, span: p.span });
    }
    for (const sub of s.subscribes) {
      if (!system.events.has(sub.event.id)) continue;
      const eid = `sub:${s.id}:${sub.index}`;
      edges.push({ id: eid, kind: 'subscribe', from: `event:${sub.event.id}`, to: id, range: rangeOf(s.uri, sub.event.span), uri: s.uri, findings: [] });
      placed.push({ id: eid, uri: s.uri, span: sub.span });
    }
    for (const u of s.uses) {
      const store = system.datastores.get(u.store.id);
      if (!store) continue;
      const eid = `use:${s.id}:${u.index}`;
      edges.push({ id: eid, kind: 'uses', from: id, to: `datastore:${u.store.id}`, access: u.access, owner: store.owner?.value === s.id, label: u.access, range: rangeOf(s.uri, u.store.span), uri: s.uri, findings: [] });
      placed.push({ id: eid, uri: s.uri, span: u.span });
    }
  }
  for (const d of system.datastores.values()) {
    const id = `datastore:${d.id}`;
    nodes.push({ id, kind: 'datastore', label: d.id, variant: d.storeKind, description: d.description?.value ?? d.technology?.value, range: rangeOf(d.uri, d.idSpan), uri: d.uri, findings: [] });
    placed.push({ id, uri: d.uri, span: d.span });
  }
  for (const e of system.events.values()) {
    const id = `event:${e.id}`;
    nodes.push({ id, kind: 'event', label: e.id, variant: e.content, description: e.description?.value ?? e.broker?.value, range: rangeOf(e.uri, e.idSpan), uri: e.uri, findings: [] });
    placed.push({ id, uri: e.uri, span: e.span });
  }

  // Innermost containing element: sort by start, then by length descending, and scan.
  const byUri = new Map<string, Placed[]>();
  for (const p of placed) (byUri.get(p.uri) ?? byUri.set(p.uri, []).get(p.uri)!).push(p);
  for (const list of byUri.values()) list.sort((a, b) => a.span.start - b.span.start || b.span.end - a.span.end);
  const innermost = (uri: string, s: Span): string | undefined => {
    const list = byUri.get(uri);
    if (!list) return undefined;
    // Binary search for the last element starting at or before s.start, then walk back to one that contains s.
    let lo = 0;
    let hi = list.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].span.start <= s.start) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let i = at; i >= 0 && i > at - 64; i--) {
      const p = list[i];
      if (p.span.start <= s.start && s.end <= Math.max(p.span.end, p.span.start + 1)) return p.id;
    }
    return undefined;
  };

  // Calls observed in the running system but not declared (the drift rule's findings, when
  // topolint.observed is set): an edge of their own, drawn dashed, carrying the finding.
  const observedEdge = new Map<number, string>();
  result.findings.forEach((f, i) => {
    const d = f.rule === 'drift' ? (f.data as { kind?: unknown; service?: unknown; to?: unknown; observed?: { style?: unknown; perRequest?: unknown } } | undefined) : undefined;
    if (d?.kind !== 'call' || typeof d.service !== 'string' || typeof d.to !== 'string' || !system.services.has(d.service) || !system.services.has(d.to)) return;
    const eid = `observed:${d.service}:${d.to}`;
    observedEdge.set(i, eid);
    if (edges.some((e) => e.id === eid)) return;
    const perRequest = typeof d.observed?.perRequest === 'number' && d.observed.perRequest > 1 ? d.observed.perRequest : undefined;
    edges.push({ id: eid, kind: d.observed?.style === 'async' ? 'async' : 'sync', observed: true, from: `service:${d.service}`, to: `service:${d.to}`, label: perRequest ? `observed ×${perRequest}` : 'observed', perRequest, range: rangeOf(f.uri, f.span), uri: f.uri, findings: [] });
  });

  const findings: GraphFinding[] = [];
  result.findings.forEach((f, i) => {
    if (f.uri !== doc.uri) return;
    const id = keys[i];
    const elements: string[] = [];
    const oe = observedEdge.get(i);
    if (oe) elements.push(oe);
    for (const s of [{ uri: f.uri, span: f.span }, ...(f.related ?? [])]) {
      const el = innermost(s.uri, s.span);
      if (el && !elements.includes(el)) elements.push(el);
    }
    for (const el of elements) (findingsOn.get(el) ?? findingsOn.set(el, []).get(el)!).push(id);
    findings.push({ id, rule: f.rule, severity: f.severity, message: f.message, accepted: f.accepted?.reason, elements, range: toRange(doc, f.span), uri: f.uri });
  });
  const withFindings = <T extends { id: string; findings: readonly string[] }>(x: T): T => ({ ...x, findings: findingsOn.get(x.id) ?? [] });
  return { uri: doc.uri, version: doc.version, name: result.files[0]?.topology.name?.value ?? '', nodes: nodes.map(withFindings), edges: edges.map(withFindings), findings };
}
