/**
 * Minimal text edits on YAML that keep the user's comments, key order, indentation and style (block or
 * flow). Quick fixes build their edits from these; each returns a TextEdit on the original text, so
 * nothing outside the touched lines changes.
 */
import type { TextEdit } from './rule';
import { span, type Span } from './span';
import type { YMap, YNode, YPair, YSeq } from './ynode';

function lineStartOf(text: string, offset: number): number {
  const i = text.lastIndexOf('\n', offset - 1);
  return i + 1;
}

function lineEndOf(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  const e = i < 0 ? text.length : i;
  return e > 0 && text[e - 1] === '\r' ? e - 1 : e;
}

/** The offset of the line break that ends the line before `lineStart` (CRLF-aware). */
function lineBreakBefore(text: string, lineStart: number): number {
  if (lineStart === 0) return 0;
  return lineStart >= 2 && text[lineStart - 2] === '\r' ? lineStart - 2 : lineStart - 1;
}

export function columnOf(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

/**
 * What the style helpers found in the last text they were asked about. Every fix of every finding asks
 * about the same text, so its line break and indent unit are each found once per text, not once per edit
 * (a first line of megabytes, such as a one-line flow map, was scanned again for every edit). One text is
 * kept, the one the fixes are being made for; comparing a text with it is a pointer check in the common
 * case of the same string.
 */
let seen: { text: string; eol?: string; indent?: string } | undefined;

function styleOf(text: string): { text: string; eol?: string; indent?: string } {
  if (seen?.text !== text) seen = { text };
  return seen;
}

/** The file's line break, as its first line ends. */
export function eol(text: string): string {
  const s = styleOf(text);
  if (s.eol === undefined) {
    const i = text.indexOf('\n');
    s.eol = i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
  }
  return s.eol;
}

/** The unit of indentation the file uses (two spaces unless it says otherwise). */
export function indentUnit(text: string): string {
  const s = styleOf(text);
  if (s.indent === undefined) {
    const m = /\n( +)\S/.exec(text);
    s.indent = m && m[1].length <= 8 ? ' '.repeat(Math.min(m[1].length, 4)) : '  ';
  }
  return s.indent;
}

/** The offset just after the last non-space character of a node (YAML ranges may include trailing space). */
function contentEnd(text: string, s: Span): number {
  let e = s.end;
  while (e > s.start && /\s/.test(text[e - 1])) e--;
  return e;
}

/** Where a new line may go after a node: the end of the line its content ends on, after any comment. */
function afterLine(text: string, n: { span: Span }): number {
  return lineEndOf(text, Math.max(n.span.start, contentEnd(text, n.span) - 1));
}

/**
 * Quotes a scalar only where plain YAML would misread it. `flow` says the value goes inside `[ ]` or
 * `{ }`, where `,`, `[`, `]`, `{` and `}` end a plain scalar anywhere in it.
 */
export function yamlScalar(value: string, flow = false): string {
  // ` #` starts a comment and `: ` a nested key anywhere in a plain scalar, not only `# ` (the old test
  // let `a #b` through, which YAML reads as `a` plus a comment).
  if (value === '' || /^[\s\-?:,[\]{}#&*!|>'"%@`]|:\s|\s#|\s$|:$|[\r\n\t]/.test(value) || /^(true|false|null|~|yes|no|on|off|[-+.\d].*)$/i.test(value) || (flow && /[,[\]{}]/.test(value))) {
    return JSON.stringify(value);
  }
  return value;
}

export function replaceNode(uri: string, n: { span: Span }, newText: string, text?: string): TextEdit {
  return { uri, span: text ? span(n.span.start, contentEnd(text, n.span)) : n.span, newText };
}

/**
 * Renders a value for insertion under a key at `indent`: scalars inline; maps and lists as indented
 * blocks. `lines` are the value's own lines relative to the key's indentation.
 */
export type Insert = { readonly inline: string } | { readonly block: readonly string[] };

/**
 * Adds an entry to a flow collection. It goes right after the last entry's content, not before the
 * closing bracket: a trailing comma (`{ a: 1, }`) or a comment on the line before the bracket would
 * otherwise swallow or break the new entry. An empty collection gets the entry after its opening
 * bracket, with the spacing the user chose (`[]` -> `[x]`, `{}` -> `{ k: v }`, `[ ]` -> `[ x ]`).
 */
function flowInsert(uri: string, text: string, whole: Span, last: { span: Span } | undefined, open: string, close: string, entry: string): TextEdit {
  if (last) {
    let at = contentEnd(text, last.span);
    // A pair with no value (`{ a: }`) ends at its key: step over the colon.
    const colon = /^[ \t]*:/.exec(text.slice(at, at + 64));
    if (colon) at += colon[0].length;
    return { uri, span: span(at, at), newText: `, ${entry}` };
  }
  const o = text.indexOf(open, whole.start);
  const at = o >= 0 && o < whole.end ? o + 1 : whole.start;
  const padded = open === '{';
  const spaced = text[at] === ' ';
  // `{}` gets spaces on both sides, like the flow maps quick fixes write; `[]` stays tight.
  const newText = (padded || spaced ? ' ' : '') + entry + (padded && text[at] === close ? ' ' : '');
  return { uri, span: span(at, at), newText };
}

/** Adds `key: value` to a map, after its last pair, in the map's own style. */
export function insertPair(uri: string, text: string, map: YMap, key: string, value: Insert): TextEdit {
  const nl = eol(text);
  if (map.flow) {
    const inline = 'inline' in value ? value.inline : `{ ${value.block.join(', ')} }`;
    return flowInsert(uri, text, map.span, map.pairs[map.pairs.length - 1], '{', '}', `${key}: ${inline}`);
  }
  const first = map.pairs[0];
  const col = first ? columnOf(text, first.keySpan.start) : columnOf(text, map.span.start);
  const indent = ' '.repeat(col);
  const last = map.pairs[map.pairs.length - 1];
  const at = last ? afterLine(text, last) : afterLine(text, map);
  return { uri, span: span(at, at), newText: nl + indent + renderPair(key, value, indent, indentUnit(text), nl) };
}

/**
 * Adds a top-level section near the top of a file: after `topology:`, `description:` and `imports:` where
 * they lead the file, before the first other section, so that `defaults:` reads before the services it
 * applies to instead of after hundreds of lines of them. A flow root takes it as its last entry.
 */
export function insertTopPair(uri: string, text: string, root: YMap, key: string, value: Insert): TextEdit {
  if (root.flow || !root.pairs.length) return insertPair(uri, text, root, key, value);
  const head = new Set(['topology', 'description', 'imports']);
  let after: YPair | undefined;
  for (const p of root.pairs) {
    if (!head.has(p.key)) break;
    after = p;
  }
  const nl = eol(text);
  const indent = ' '.repeat(columnOf(text, root.pairs[0].keySpan.start));
  const line = renderPair(key, value, indent, indentUnit(text), nl);
  if (after) {
    const at = afterLine(text, after);
    return { uri, span: span(at, at), newText: nl + indent + line };
  }
  // The file starts with another section: the new one goes on its own line before it.
  const at = lineStartOf(text, root.pairs[0].keySpan.start);
  return { uri, span: span(at, at), newText: indent + line + nl };
}

/** Adds `key: value` under a pair whose value is empty (`checkout:` with nothing after it). */
export function insertUnderEmpty(uri: string, text: string, pair: YPair, key: string, value: Insert): TextEdit {
  const nl = eol(text);
  const indent = ' '.repeat(columnOf(text, pair.keySpan.start)) + indentUnit(text);
  const at = lineEndOf(text, pair.keySpan.end);
  return { uri, span: span(at, at), newText: nl + indent + renderPair(key, value, indent, indentUnit(text), nl) };
}

function renderPair(key: string, value: Insert, indent: string, unit: string, nl: string): string {
  if ('inline' in value) return `${key}: ${value.inline}`;
  return `${key}:` + value.block.map((l) => nl + indent + unit + l).join('');
}

/**
 * Adds an item to a list, in the list's own style. `item` is the item's lines for a block list (the first
 * goes after `- `, the rest are indented to line up with it); a flow list gets `flowItem`.
 */
export function appendItem(uri: string, text: string, seq: YSeq, item: readonly string[], flowItem: string): TextEdit {
  const nl = eol(text);
  if (seq.flow) return flowInsert(uri, text, seq.span, seq.items[seq.items.length - 1], '[', ']', flowItem);
  const last = seq.items[seq.items.length - 1];
  const dashCol = last ? columnOf(text, dashOf(text, last)) : columnOf(text, seq.span.start);
  const indent = ' '.repeat(dashCol);
  const at = last ? afterLine(text, last) : afterLine(text, seq);
  return { uri, span: span(at, at), newText: nl + indent + '- ' + item.map((l, i) => (i === 0 ? l : nl + indent + '  ' + l)).join('') };
}

/** The offset of the `-` that introduces a block list item. */
function dashOf(text: string, item: YNode): number {
  let i = item.span.start - 1;
  while (i >= 0 && text[i] !== '-' && text[i] !== '\n') i--;
  return i >= 0 && text[i] === '-' ? i : item.span.start;
}

/** Adds a list value under a key that has none yet (`calls:` alone) or to a map that lacks the key. */
export function addListItem(uri: string, text: string, owner: YMap | null, ownerPair: YPair, key: string, item: readonly string[], flowItem: string): TextEdit {
  const existing = owner?.pairs.find((p) => p.key === key);
  if (existing?.value?.kind === 'seq') return appendItem(uri, text, existing.value, item, flowItem);
  if (existing && existing.value === null) {
    const nl = eol(text);
    const indent = ' '.repeat(columnOf(text, existing.keySpan.start)) + indentUnit(text);
    const at = lineEndOf(text, existing.keySpan.end);
    return { uri, span: span(at, at), newText: nl + indent + '- ' + item.map((l, i) => (i === 0 ? l : nl + indent + '  ' + l)).join('') };
  }
  if (owner?.flow) return insertPair(uri, text, owner, key, { inline: `[${flowItem}]` });
  const block = item.map((l, i) => (i === 0 ? '- ' + l : '  ' + l));
  if (owner) return insertPair(uri, text, owner, key, { block });
  return insertUnderEmpty(uri, text, ownerPair, key, { block });
}

/**
 * The length of a trailing comma (and the blanks around it) after the only entry of a flow collection:
 * `[{ to: a }, ]` must become `[]`, not `[, ]`, which YAML rejects.
 */
function trailingComma(text: string, end: number): number {
  const m = /^[ \t]*,[ \t]*/.exec(text.slice(end, end + 256));
  return m ? m[0].length : 0;
}

/** Removes a list item with its whole lines (block) or with its comma (flow). */
export function removeItem(uri: string, text: string, seq: YSeq, index: number): TextEdit {
  const item = seq.items[index];
  if (seq.flow) {
    const start = item.span.start;
    const end = contentEnd(text, item.span);
    if (seq.items.length === 1) return { uri, span: span(start, end + trailingComma(text, end)), newText: '' };
    if (index < seq.items.length - 1) {
      const nextStart = seq.items[index + 1].span.start;
      return { uri, span: span(start, nextStart), newText: '' };
    }
    const prevEnd = contentEnd(text, seq.items[index - 1].span);
    return { uri, span: span(prevEnd, end), newText: '' };
  }
  // From the line break before the item to the end of its last line: an insertion after the item (a
  // fix that also adds a key to the same map) then touches this edit without overlapping it.
  const from = lineBreakBefore(text, lineStartOf(text, dashOf(text, item)));
  const to = lineEndOf(text, Math.max(item.span.start, contentEnd(text, item.span) - 1));
  return { uri, span: span(from, to), newText: '' };
}

/** Removes a pair with its whole lines (block) or with its comma (flow). */
export function removePair(uri: string, text: string, map: YMap, pair: YPair): TextEdit {
  const i = map.pairs.indexOf(pair);
  if (map.flow) {
    if (map.pairs.length === 1) return { uri, span: span(pair.span.start, contentEnd(text, pair.span)), newText: '' };
    if (i < map.pairs.length - 1) return { uri, span: span(pair.span.start, map.pairs[i + 1].span.start), newText: '' };
    return { uri, span: span(contentEnd(text, map.pairs[i - 1].span), contentEnd(text, pair.span)), newText: '' };
  }
  const lineStart = lineStartOf(text, pair.keySpan.start);
  const to = lineEndOf(text, Math.max(pair.span.start, contentEnd(text, pair.span) - 1));
  // A pair that shares its line with the list item's dash (`- to: a`) keeps the dash and takes the
  // next pair's line up instead.
  if (text.slice(lineStart, pair.keySpan.start).includes('-')) {
    const next = map.pairs[i + 1];
    return { uri, span: span(pair.keySpan.start, next ? next.keySpan.start : to), newText: '' };
  }
  return { uri, span: span(lineBreakBefore(text, lineStart), to), newText: '' };
}

/** Sets `key` in a map to an inline value: replaces the value if the key is there, adds it otherwise. */
export function setPair(uri: string, text: string, map: YMap, key: string, inline: string): TextEdit {
  const existing = map.pairs.find((p) => p.key === key);
  if (existing?.value) return { uri, span: span(existing.value.span.start, contentEnd(text, existing.value.span)), newText: inline };
  if (existing) return { uri, span: span(existing.keySpan.end, lineEndOf(text, existing.keySpan.end)), newText: `: ${inline}` };
  return insertPair(uri, text, map, key, { inline });
}

/** Applies edits (non-overlapping) to a text; used by tests and the CLI's --fix preview. */
export function applyEdits(text: string, edits: readonly { span: Span; newText: string }[]): string {
  // From the end backwards; inserts at one offset keep their array order (as LSP specifies).
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => b.e.span.start - a.e.span.start || b.e.span.end - a.e.span.end || b.i - a.i);
  let out = text;
  for (const { e } of sorted) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}
