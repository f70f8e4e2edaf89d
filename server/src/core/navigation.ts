/**
 * Ids and the places that name them: what is at an offset, where an id is defined, every reference to it,
 * and the edits that rename it everywhere. Pure; the LSP handlers in server/src/lsp/navigation.ts convert.
 */
import type { System } from './system';
import type { Span } from './span';
import type { Topology } from './model';
import { ID_PATTERN } from './schema';
import type { TextEdit } from './rule';

export type SymbolKind = 'service' | 'datastore' | 'event' | 'flow' | 'rule';

export interface Occurrence {
  readonly kind: SymbolKind;
  readonly id: string;
  readonly uri: string;
  readonly span: Span;
  readonly isDefinition: boolean;
}

/** Every definition and reference of an id in a file, in document order. Linear in the file. */
export function occurrences(file: Topology): Occurrence[] {
  const out: Occurrence[] = [];
  const uri = file.uri;
  const def = (kind: SymbolKind, id: string, span: Span) => out.push({ kind, id, uri, span, isDefinition: true });
  const ref = (kind: SymbolKind, id: string, span: Span) => out.push({ kind, id, uri, span, isDefinition: false });
  const accepts = (list: readonly { rule: { id: string; span: Span } }[]) => {
    for (const a of list) ref('rule', a.rule.id, a.rule.span);
  };
  for (const s of file.services) {
    def('service', s.id, s.idSpan);
    for (const c of s.calls) {
      ref('service', c.to.id, c.to.span);
      accepts(c.accepts);
    }
    for (const p of s.publishes) {
      ref('event', p.event.id, p.event.span);
      accepts(p.accepts);
    }
    for (const p of s.subscribes) {
      ref('event', p.event.id, p.event.span);
      accepts(p.accepts);
    }
    for (const u of s.uses) {
      ref('datastore', u.store.id, u.store.span);
      accepts(u.accepts);
    }
    for (const d of s.deployTogether) ref('service', d.id, d.span);
    accepts(s.accepts);
  }
  for (const d of file.datastores) {
    def('datastore', d.id, d.idSpan);
    if (d.owner) ref('service', d.owner.value, d.owner.span);
    accepts(d.accepts);
  }
  for (const e of file.events) {
    def('event', e.id, e.idSpan);
    accepts(e.accepts);
  }
  for (const f of file.flows) {
    def('flow', f.id, f.idSpan);
    if (f.entry) ref('service', f.entry.value, f.entry.span);
    accepts(f.accepts);
  }
  for (const r of file.rules) ref('rule', r.rule.id, r.rule.span);
  return out.sort((a, b) => a.span.start - b.span.start);
}

/** The id at an offset (the cursor may sit at either end of it), or undefined. */
export function occurrenceAt(file: Topology, offset: number): Occurrence | undefined {
  for (const o of occurrences(file)) if (o.span.start <= offset && offset <= o.span.end) return o;
  return undefined;
}

export function definitionOf(system: System, kind: SymbolKind, id: string): { uri: string; span: Span } | undefined {
  const el = kind === 'service' ? system.services.get(id) : kind === 'datastore' ? system.datastores.get(id) : kind === 'event' ? system.events.get(id) : kind === 'flow' ? system.flows.get(id) : undefined;
  return el ? { uri: el.uri, span: el.idSpan } : undefined;
}

/** Every occurrence of an id across the system's files, definitions included. */
export function referencesTo(system: System, kind: SymbolKind, id: string): Occurrence[] {
  const out: Occurrence[] = [];
  for (const f of system.files) for (const o of occurrences(f)) if (o.kind === kind && o.id === id) out.push(o);
  return out;
}

/** Why a new name cannot be used, or undefined when it can. */
export function renameProblem(system: System, kind: SymbolKind, newName: string): string | undefined {
  if (kind === 'rule') return 'Rule ids are fixed by Topolint and cannot be renamed.';
  if (!ID_PATTERN.test(newName)) return `'${newName}' is not a valid id: start with a letter, then letters, digits, '_', '.' or '-'.`;
  if (definitionOf(system, kind, newName)) return `A ${kind} named '${newName}' already exists.`;
  return undefined;
}

/** The edit that renames one occurrence; a quoted id keeps its quotes. `text` is its file's text. */
export function renameEdit(o: Occurrence, text: string | undefined, newName: string): TextEdit {
  const q = text?.[o.span.start];
  const quoted = q === '"' || q === "'";
  return { uri: o.uri, span: o.span, newText: quoted ? `${q}${newName}${q}` : newName };
}

import type { YNode, YPair } from './ynode';

/** The innermost pair whose key or scalar value holds the offset; `onKey` tells which. */
export function pairAt(root: YNode | null, offset: number): { pair: YPair; onKey: boolean; value?: string } | undefined {
  let found: { pair: YPair; onKey: boolean; value?: string } | undefined;
  const visit = (n: YNode | null, depth: number): void => {
    if (!n || depth > 64 || offset < n.span.start || offset > n.span.end) return;
    if (n.kind === 'map') {
      for (const p of n.pairs) {
        if (p.keySpan.start <= offset && offset <= p.keySpan.end) {
          found = { pair: p, onKey: true };
          return;
        }
        const v = p.value;
        if (v && v.kind === 'scalar' && v.span.start <= offset && offset <= v.span.end) {
          found = { pair: p, onKey: false, value: v.value === null ? undefined : String(v.value) };
          return;
        }
        if (v && v.span.start <= offset && offset <= v.span.end) visit(v, depth + 1);
        if (found) return;
      }
    } else if (n.kind === 'seq') {
      for (const i of n.items) {
        visit(i, depth + 1);
        if (found) return;
      }
    }
  };
  visit(root, 0);
  return found;
}
