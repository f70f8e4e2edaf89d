/**
 * Incremental YAML reading. One `yaml` parse of a 300 KB topology takes about 300 ms, too slow to repeat
 * on every keystroke, so a document is cut into chunks along its block structure — each top-level key,
 * and each entry of `services`, `datastores`, `events` and `flows` — and each chunk is parsed on its own
 * and cached by its text. An edit then re-parses only the chunk it touched; the other chunks' trees are
 * moved to their new offsets.
 *
 * The cut is only made where it cannot change the meaning: a document with anchors, aliases, tags,
 * directives, several documents, tabs in indentation or top-level lines that are not plain `key:` lines
 * is parsed whole. test/unit/incremental.test.ts checks chunked and whole parses agree on mutated files.
 */
import { parseYaml, shiftNode, shiftProblem, type YamlParse, type YMap, type YPair, type SyntaxProblem } from './ynode';
import { span } from './span';

/** The top-level keys whose entries are cut into chunks of their own. */
const ENTRY_SECTIONS = new Set(['services', 'datastores', 'events', 'flows']);

const TOP_KEY = /^([A-Za-z_][\w.-]*)[ ]*:(?:[ ]+#.*|[ ]*)?$/;
const TOP_KEY_WITH_VALUE = /^([A-Za-z_][\w.-]*)[ ]*:[ ]/;
const ENTRY_KEY = /^[ ]+(?:[A-Za-z0-9_][\w.-]*|"[^"\\]*"|'[^']*')[ ]*:(?:[ ]|$)/;
/** Anything that could tie one chunk to another or change how the whole document is read. */
const UNSAFE = /(?:^|[\s[{,])[&*!][^\s]|^%|^---|^\.\.\.|^\t|\n[ ]*\t|\n---|\n\.\.\.|\n%/;

interface Piece {
  readonly start: number;
  readonly end: number;
}

interface TopPiece extends Piece {
  /** For an entry section in block form: where its header ends and its entries. */
  readonly entries?: Piece[];
  readonly headerEnd?: number;
}

/** Cuts a document into chunks, or returns null where only a whole parse is safe. Linear in the text. */
export function cutChunks(text: string): TopPiece[] | null {
  if (UNSAFE.test(text)) return null;
  const tops: { start: number; end: number; key: string; block: boolean; entries: Piece[]; headerEnd: number }[] = [];
  let entryIndent = -1;
  let pos = 0;
  let preambleEnd = 0;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    let line = text.slice(pos, nl);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const lineStart = pos;
    pos = nl + 1;
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const indent = line.length - trimmed.length;
    if (indent === 0) {
      const m = TOP_KEY.exec(line);
      const mv = m ? null : TOP_KEY_WITH_VALUE.exec(line);
      if (!m && !mv) return null;
      const key = (m ?? mv)![1];
      if (tops.length === 0) preambleEnd = lineStart;
      const prev = tops[tops.length - 1];
      if (prev) prev.end = lineStart;
      tops.push({ start: lineStart, end: text.length, key, block: !!m, entries: [], headerEnd: -1 });
      entryIndent = -1;
      continue;
    }
    const top = tops[tops.length - 1];
    if (!top) return null;
    if (!top.block || !ENTRY_SECTIONS.has(top.key)) continue;
    if (entryIndent < 0) entryIndent = indent;
    if (indent < entryIndent) return null;
    if (indent > entryIndent) {
      if (top.entries.length === 0) return null;
      continue;
    }
    if (!ENTRY_KEY.test(line)) return null;
    const last = top.entries[top.entries.length - 1];
    if (last) (last as { end: number }).end = lineStart;
    else top.headerEnd = lineStart;
    top.entries.push({ start: lineStart, end: -1 });
  }
  if (tops.length === 0) return null;
  // Leading comments belong to the first key's chunk.
  (tops[0] as { start: number }).start = Math.min(tops[0].start, preambleEnd);
  tops[0].start = 0;
  for (const t of tops) {
    const last = t.entries[t.entries.length - 1];
    if (last) (last as { end: number }).end = t.end;
  }
  return tops.map((t) => (t.entries.length ? { start: t.start, end: t.end, headerEnd: t.headerEnd, entries: t.entries } : { start: t.start, end: t.end }));
}

/**
 * A per-document cache of chunk parses, keyed by chunk text. Each parse keeps only the chunks the
 * latest version used, so memory follows the document's size.
 */
export class ChunkCache {
  private current = new Map<string, YamlParse>();
  private next = new Map<string, YamlParse>();
  hits = 0;
  misses = 0;

  get(text: string): YamlParse {
    let r = this.next.get(text) ?? this.current.get(text);
    if (r) this.hits++;
    else {
      this.misses++;
      r = parseYaml(text, 0);
    }
    this.next.set(text, r);
    return r;
  }

  /** Ends a generation: what the last parse did not use is dropped. */
  commit(): void {
    this.current = this.next;
    this.next = new Map();
  }
}

/** Reads a whole document, chunk by chunk where that is safe, through `cache` when one is given. */
export function parseIncremental(text: string, cache?: ChunkCache): YamlParse & { chunked: boolean } {
  const tops = cache ? cutChunks(text) : null;
  if (!tops || !cache) return { ...parseYaml(text, 0), chunked: false };
  const problems: SyntaxProblem[] = [];
  const pairs: YPair[] = [];
  const take = (start: number, end: number): YMap | null => {
    const r = cache.get(text.slice(start, end));
    for (const p of r.problems) problems.push(shiftProblem(p, start));
    if (!r.root) return null;
    const moved = shiftNode(r.root, start);
    if (moved.kind !== 'map') {
      problems.push({ code: 'UNEXPECTED_TOKEN', span: moved.span });
      return null;
    }
    return moved;
  };
  for (const t of tops) {
    if (!t.entries) {
      const m = take(t.start, t.end);
      if (m) pairs.push(...m.pairs);
      continue;
    }
    const header = take(t.start, t.headerEnd!);
    const headerPair = header?.pairs[0];
    if (!headerPair) {
      // The header of a section we cut always reads as `key:`; if not, fall back to a whole parse.
      return { ...parseYaml(text, 0), chunked: false };
    }
    const entryPairs: YPair[] = [];
    for (const e of t.entries) {
      const m = take(e.start, e.end);
      if (m) entryPairs.push(...m.pairs);
    }
    const first = entryPairs[0];
    const last = entryPairs[entryPairs.length - 1];
    const value: YMap | null = first
      ? { kind: 'map', span: span(first.span.start, last.span.end), pairs: entryPairs, flow: false }
      : null;
    pairs.push({ key: headerPair.key, keySpan: headerPair.keySpan, value, span: span(headerPair.keySpan.start, value ? value.span.end : headerPair.keySpan.end) });
  }
  cache.commit();
  const root: YMap = { kind: 'map', span: span(pairs[0]?.span.start ?? 0, pairs[pairs.length - 1]?.span.end ?? 0), pairs, flow: false };
  return { root, problems, chunked: true };
}
