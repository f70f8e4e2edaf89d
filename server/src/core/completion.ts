/**
 * Completion from the same schema the validator uses. The context comes from the text's indentation, not
 * from the parsed tree, because the line being typed is usually not valid YAML yet: `    sty` under a
 * call is still "a key of a call".
 */
import { CALL, SERVICE, DATASTORE, EVENT, FLOW, TOPOLOGY, SEVERITIES, type SchemaType } from './schema';
import type { System } from './system';
import { span, type Span } from './span';
import { guidanceFor } from './guidance';
import { own } from './own';

export interface Completion {
  readonly label: string;
  readonly kind: 'key' | 'value' | 'reference' | 'snippet';
  /** Text to insert over `replace`; a snippet when `snippet` is set (LSP snippet syntax). */
  readonly insertText: string;
  readonly snippet?: boolean;
  readonly detail?: string;
  readonly documentation?: string;
}

export interface CompletionResult {
  readonly replace: Span;
  readonly items: readonly Completion[];
}

type Segment = { readonly key: string } | { readonly item: true };

interface Context {
  readonly segments: Segment[];
  readonly mode: 'key' | 'value';
  readonly key?: string;
  readonly word: Span;
  /** Keys already present in the mapping the cursor is in. */
  readonly siblings: Set<string>;
  readonly newItem: boolean;
}

const KEY_AT = /^([A-Za-z0-9_.-]+|"[^"]*"|'[^']*')[ ]*:(?:[ ]|$)/;

interface Line {
  readonly indent: number;
  readonly dash: number;
  readonly keyCol: number;
  readonly key?: string;
}

function readLine(raw: string): Line | undefined {
  const t = raw.replace(/\r$/, '');
  const trimmed = t.trimStart();
  if (!trimmed || trimmed.startsWith('#')) return undefined;
  const indent = t.length - trimmed.length;
  let rest = trimmed;
  let dash = -1;
  let keyCol = indent;
  while (/^-(?:[ ]+|$)/.test(rest)) {
    dash = keyCol;
    const m = /^-[ ]*/.exec(rest)![0];
    keyCol += m.length;
    rest = rest.slice(m.length);
  }
  const m = KEY_AT.exec(rest);
  return { indent, dash, keyCol, key: m ? m[1].replace(/^["']|["']$/g, '') : undefined };
}

/** Where the cursor is in the document's structure, from indentation alone. */
export function contextAt(text: string, offset: number): Context {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const lines = text.slice(0, lineStart).split('\n');
  lines.pop();
  const head = /^([ ]*)((?:-[ ]+)*)/.exec(before)!;
  const col = head[0].length;
  const rest = before.slice(col);
  const valueMatch = /^([A-Za-z0-9_.-]+)[ ]*:[ ]+(.*)$/.exec(rest);
  let mode: 'key' | 'value' = 'key';
  let key: string | undefined;
  let wordStart = lineStart + col;
  if (valueMatch) {
    mode = 'value';
    key = valueMatch[1];
    const v = valueMatch[2];
    const cut = Math.max(v.lastIndexOf('['), v.lastIndexOf(','), v.lastIndexOf('{'), v.lastIndexOf(' '));
    wordStart = offset - (v.length - cut - 1);
  } else {
    // A flow map on the line (`- { to: a, sty`): the key being typed follows the last '{' or ','.
    const flow = Math.max(rest.lastIndexOf('{'), rest.lastIndexOf(','));
    if (flow >= 0) wordStart = lineStart + col + flow + 1 + (/^ */.exec(rest.slice(flow + 1))![0].length);
  }
  let wordEnd = offset;
  while (wordEnd < text.length && /[A-Za-z0-9_.%-]/.test(text[wordEnd])) wordEnd++;

  const segments: Segment[] = [];
  const siblings = new Set<string>();
  const newItem = head[2].length > 0;
  let need = col;
  if (newItem) {
    // A new list item: the parent is the list's key.
    segments.push({ item: true });
    need = head[1].length;
  }
  let listDash = newItem ? head[1].length : -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = readLine(lines[i]);
    if (!l) continue;
    if (listDash >= 0) {
      // Looking for the key that owns a list: skip its other items; the owner is at or left of the dash.
      if (l.dash === listDash) continue;
      if (l.keyCol <= listDash && l.key) {
        segments.push({ key: l.key });
        need = l.dash >= 0 ? l.dash : l.keyCol;
        listDash = l.dash >= 0 ? l.dash : -1;
        if (l.dash >= 0) segments.push({ item: true });
        if (l.keyCol === 0) break;
        continue;
      }
      if (l.keyCol < listDash) break;
      continue;
    }
    if (l.keyCol === need && l.dash < 0 && l.key && segments.length === (newItem ? 1 : 0)) siblings.add(l.key);
    if (l.dash >= 0 && l.keyCol === need) {
      // A sibling key inside the same list item: the item's first key is on the dash line.
      if (l.key && segments.length === 0) siblings.add(l.key);
      segments.push({ item: true });
      listDash = l.dash;
      continue;
    }
    if (l.keyCol < need && l.key) {
      segments.push({ key: l.key });
      if (l.dash >= 0) {
        segments.push({ item: true });
        listDash = l.dash;
      } else {
        need = l.keyCol;
      }
      if (l.keyCol === 0 && l.dash < 0) break;
    }
  }
  segments.reverse();
  return { segments, mode, key, word: span(wordStart, Math.max(wordStart, wordEnd)), siblings, newItem };
}

/** The schema type of the mapping the segments lead into, or undefined. */
function typeAt(segments: readonly Segment[]): SchemaType | undefined {
  let t: SchemaType | undefined = TOPOLOGY;
  for (const s of segments) {
    if (!t) return undefined;
    if ('item' in s) {
      t = t.t === 'list' ? t.item : undefined;
    } else if (t.t === 'object') {
      t = own(t.props, s.key)?.type;
    } else if (t.t === 'idmap') {
      t = t.value;
    } else if (t.t === 'rules') {
      t = { t: 'object', name: 'rule setting', props: { severity: { type: { t: 'enum', values: SEVERITIES }, doc: 'The severity.' } } };
    } else return undefined;
  }
  return t;
}

const SNIPPETS: Record<string, Completion> = {
  service: { label: 'new service', kind: 'snippet', snippet: true, insertText: '${1:service-id}:\n  description: ${2:What it does}\n  calls:\n    - to: ${3:other-service}\n      style: ${4|sync,async|}\n      timeout: ${5:2s}', detail: 'A service with one call' },
  datastore: { label: 'new datastore', kind: 'snippet', snippet: true, insertText: '${1:store-id}:\n  kind: ${2|database,cache,filesystem,bucket,data-lake,warehouse,search|}\n  owner: ${3:service-id}', detail: 'A datastore with its owner' },
  event: { label: 'new event', kind: 'snippet', snippet: true, insertText: '${1:event-id}:\n  content: ${2|full,id,reference|}\n  payload: ${3:2KB}', detail: 'An event' },
  flow: { label: 'new flow', kind: 'snippet', snippet: true, insertText: '${1:flow-id}:\n  entry: ${2:service-id}\n  budget: { latency: ${3:800ms}, availability: ${4:99.9%} }', detail: 'A user-facing flow with its budget' },
  call: { label: 'new call', kind: 'snippet', snippet: true, insertText: 'to: ${1:service-id}\nstyle: ${2|sync,async|}\ntimeout: ${3:2s}', detail: 'A call: choose the style first, then the technology' },
  accept: { label: 'accept a trade-off', kind: 'snippet', snippet: true, insertText: 'rule: ${1:rule-id}\nreason: ${2:why this trade-off is acceptable}', detail: 'Record a decision to live with a finding' },
};

const EXAMPLES: Record<string, readonly string[]> = { duration: ['250ms', '2s', '30s'], size: ['4KB', '256KB', '1MB'], percent: ['99.9%', '99.95%', '99.99%'] };

/** Completion items at an offset. Never throws; an unknown context gives no items. */
export function complete(text: string, offset: number, system: System | undefined, ruleIds: readonly string[]): CompletionResult {
  const ctx = contextAt(text, offset);
  const container = typeAt(ctx.segments);
  const items: Completion[] = [];
  const ids = (kind: string): string[] => {
    if (!system) return [];
    if (kind === 'service') return [...system.services.keys()];
    if (kind === 'datastore') return [...system.datastores.keys()];
    if (kind === 'event') return [...system.events.keys()];
    if (kind === 'flow') return [...system.flows.keys()];
    if (kind === 'rule') return [...ruleIds];
    return [];
  };
  if (ctx.mode === 'key') {
    if (!container) return { replace: ctx.word, items };
    if (container.t === 'object') {
      for (const [name, prop] of Object.entries(container.props)) {
        if (ctx.siblings.has(name)) continue;
        const g = guidanceFor(name);
        items.push({ label: name, kind: 'key', insertText: `${name}: `, detail: prop.required ? 'required' : undefined, documentation: g ? g.body : prop.doc });
      }
      if (container === CALL && ctx.newItem) items.push(SNIPPETS.call);
      if (ctx.newItem && ctx.segments.length >= 2) {
        const owner = ctx.segments[ctx.segments.length - 2];
        if ('key' in owner && owner.key === 'accept') items.push(SNIPPETS.accept);
      }
    } else if (container.t === 'idmap') {
      const s = container.value === SERVICE ? SNIPPETS.service : container.value === DATASTORE ? SNIPPETS.datastore : container.value === EVENT ? SNIPPETS.event : container.value === FLOW ? SNIPPETS.flow : undefined;
      if (s) items.push(s);
    } else if (container.t === 'rules') {
      for (const id of ruleIds) items.push({ label: id, kind: 'reference', insertText: `${id}: ` });
    } else if (container.t === 'list' && container.item.t === 'ref') {
      for (const id of ids(container.item.to)) items.push({ label: id, kind: 'reference', insertText: id });
    }
    return { replace: ctx.word, items };
  }
  // Value position.
  let type: SchemaType | undefined;
  if (container?.t === 'object' && ctx.key) type = own(container.props, ctx.key)?.type;
  else if (container?.t === 'rules' || (container?.t === 'object' && ctx.key === 'severity')) type = { t: 'enum', values: SEVERITIES };
  if (container?.t === 'rules') type = { t: 'enum', values: SEVERITIES };
  if (!type) return { replace: ctx.word, items };
  const inner = type.t === 'list' ? type.item : type;
  switch (inner.t) {
    case 'enum':
      for (const v of inner.values) items.push({ label: v, kind: 'value', insertText: v, documentation: ctx.key ? guidanceFor(ctx.key, v)?.body : undefined });
      break;
    case 'bool':
      for (const v of ['true', 'false']) items.push({ label: v, kind: 'value', insertText: v, documentation: ctx.key ? guidanceFor(ctx.key, v)?.body : undefined });
      break;
    case 'ref':
      for (const id of ids(inner.to)) items.push({ label: id, kind: 'reference', insertText: id, detail: inner.to });
      break;
    case 'duration':
    case 'size':
    case 'percent':
      for (const v of EXAMPLES[inner.t]) items.push({ label: v, kind: 'value', insertText: v, detail: inner.t });
      break;
    case 'perRequest':
      for (const v of ['1', 'n']) items.push({ label: v, kind: 'value', insertText: v, documentation: guidanceFor('perRequest')?.body });
      break;
    default:
      break;
  }
  return { replace: ctx.word, items };
}
