/**
 * Incremental YAML reading. One `yaml` parse of a 300 KB topology takes about 300 ms, too slow to repeat
 * on every keystroke, so a document is cut into chunks along its block structure — each top-level key,
 * and each entry of `services`, `datastores`, `events` and `flows` — and each chunk is parsed on its own
 * and cached by its text. An edit then re-parses only the chunk it touched; the other chunks' trees are
 * moved to their new offsets.
 *
 * The cut is only made where it cannot change the meaning: a document with anchors, aliases, tags,
 * directives, several documents, tabs in indentation or top-level lines that are not plain `key:` lines
 * is parsed whole. test/unit/parse/incremental.test.ts checks chunked and whole parses agree on mutated
 * files.
 *
 * Chunks are also how a broken document is read, with or without a cache: where the whole parse reports
 * a syntax error, each chunk is read on its own, so an unclosed quote or a tab-indented line spoils its
 * own chunk and not everything after it. So the CLI (no cache) and the editor (a cache) give the same
 * findings for the same text, broken or not.
 */
import { LIMITS, parseYaml, readFast, shiftNode, shiftProblem, type YamlParse, type YMap, type YNode, type YPair, type SyntaxProblem } from './ynode';
import { span } from './span';
import { DepthMemo, guardDepth, HARD_DEPTH } from './depth';
import { ownsSpans } from './fastyaml';
import { FLATTEN, LineMemo, moreLinesThan, sharedEnds } from './text';

/** The top-level keys whose entries are cut into chunks of their own. */
const ENTRY_SECTIONS = new Set(['services', 'datastores', 'events', 'flows']);

const TOP_KEY = /^([A-Za-z_][\w.-]*)[ ]*:(?:[ ]+#.*|[ ]*)?$/;
const TOP_KEY_WITH_VALUE = /^([A-Za-z_][\w.-]*)[ ]*:[ ]/;
const ENTRY_KEY = /^[ ]+(?:[A-Za-z0-9_][\w.-]*|"[^"\\]*"|'[^']*')[ ]*:(?:[ ]|$)/;
/** Anything that could tie one chunk to another or change how the whole document is read. */
const UNSAFE = /(?:^|[\s[{,])[&*!][^\s]|^%|^---|^\.\.\.|^\t|\n[ ]*\t|\n---|\n\.\.\.|\n%/;
/**
 * The same, except for lines that start with a tab: a document whose whole parse already failed may be
 * cut around them (a tab after spaces stays unsafe: it can be valid, in a block scalar say).
 */
const UNSAFE_EVEN_BROKEN = /(?:^|[\s[{,])[&*!][^\s]|^%|^---|^\.\.\.|\n[ ]+\t|\n---|\n\.\.\.|\n%/;

interface Piece {
  readonly start: number;
  readonly end: number;
  /** A tab-indented line and the lines under it, in a broken document: read for its errors only. */
  readonly junk?: boolean;
}

interface TopPiece extends Piece {
  /** For an entry section in block form: where its header ends and its entries. */
  readonly entries?: Piece[];
  readonly headerEnd?: number;
}

/**
 * Cuts a document into chunks, or returns null where only a whole parse is safe. Linear in the text.
 * `broken` is for a document whose whole parse reported errors: a line that starts with a tab (an error in
 * YAML, which the library reads differently depending on what precedes it) then gets a junk piece of its
 * own, with the lines under it, instead of making the whole document uncuttable.
 */
export function cutChunks(text: string, broken = false): TopPiece[] | null {
  if ((broken ? UNSAFE_EVEN_BROKEN : UNSAFE).test(text)) return null;
  const tops: { start: number; end: number; key: string; block: boolean; entries: { start: number; end: number; junk?: boolean }[]; headerEnd: number; junk?: boolean }[] = [];
  let entryIndent = -1;
  let pos = 0;
  let preambleEnd = 0;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    if (nl === pos) {
      // An empty line, without slicing it: broken files may hold hundreds of thousands of them.
      pos++;
      continue;
    }
    // Most lines need no slice of their own (two strings a line, on every keystroke): an indented line
    // whose first character after its spaces is printable ASCII other than `#` (where trimStart and the
    // tab test below say the same) is passed over under a top-level key that is not an entry section, and
    // inside an entry (deeper than the entries), as below. Every other line takes the path below.
    let first = pos;
    while (text.charCodeAt(first) === 32) first++;
    const c = text.charCodeAt(first);
    const open = tops[tops.length - 1];
    if (first > pos && c > 32 && c < 127 && c !== 35 && open) {
      const section = open.block && ENTRY_SECTIONS.has(open.key);
      if (!section || (entryIndent >= 0 && first - pos > entryIndent && open.entries.length > 0)) {
        pos = nl + 1;
        continue;
      }
    }
    let line = text.slice(pos, nl);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const lineStart = pos;
    pos = nl + 1;
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (line.startsWith('\t')) {
      // Only when `broken` (UNSAFE rejects tabs): the line and those under it become a junk piece.
      const top = tops[tops.length - 1];
      if (!top) return null;
      if (top.block && ENTRY_SECTIONS.has(top.key)) {
        const last = top.entries[top.entries.length - 1];
        if (last) last.end = lineStart;
        else top.headerEnd = lineStart;
        top.entries.push({ start: lineStart, end: -1, junk: true });
      } else {
        top.end = lineStart;
        tops.push({ start: lineStart, end: text.length, key: '', block: false, entries: [], headerEnd: -1, junk: true });
      }
      continue;
    }
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
  return tops.map((t) => (t.junk ? { start: t.start, end: t.end, junk: true } : t.entries.length ? { start: t.start, end: t.end, headerEnd: t.headerEnd, entries: t.entries } : { start: t.start, end: t.end }));
}

/**
 * The editor's cut, one per document (cutChunks with `broken` false): about 3 ms at 1,000 services and
 * 10-24 ms at 5,000 on every keystroke, for a cut that an edit inside one line of an entry's body does
 * not change but for the offsets after it. The memo keeps the last text it cut (where the cut was made)
 * and its pieces. A new text that differs from it inside one line, with no line break added or removed,
 * where that line is passed over by the cut in both texts (an indented line that starts with a printable
 * character other than `#`, at the same indentation, and not where a piece starts) and where the lines
 * around the change hold nothing UNSAFE matches, is cut as the last one with every offset past the line
 * moved; any other text is cut whole. test/unit/parse/cut.test.ts holds it equal to cutChunks.
 */
export class CutMemo {
  private text?: string;
  private tops: TopPiece[] | null = null;
  partial = 0;
  whole = 0;

  cut(text: string): TopPiece[] | null {
    FLATTEN.test(text);
    const last = this.text;
    if (last !== undefined && this.tops) {
      if (last === text) return this.tops;
      const moved = moveCut(last, text, this.tops);
      if (moved) {
        this.partial++;
        this.text = text;
        this.tops = moved;
        return moved;
      }
    }
    this.whole++;
    const tops = cutChunks(text);
    this.text = tops ? text : undefined;
    this.tops = tops;
    return tops;
  }
}

/** Whether `text` holds a line break in [from, to). */
function breakIn(text: string, from: number, to: number): boolean {
  const nl = text.indexOf('\n', from);
  return nl >= 0 && nl < to;
}

/** Where the line at `start` has its first character after spaces, if the cut passes over such a line (see cutChunks). */
function passedOver(text: string, start: number): number {
  let first = start;
  while (text.charCodeAt(first) === 32) first++;
  const c = text.charCodeAt(first);
  return first > start && c > 32 && c < 127 && c !== 35 ? first : -1;
}

/** Whether a piece of the cut starts at `at` (a section, its entries, or the end of its header). */
function startsPiece(tops: readonly TopPiece[], at: number): boolean {
  for (const t of tops) {
    if (t.start === at || t.headerEnd === at) return true;
    if (t.start > at) return false;
    if (!t.entries || t.end <= at) continue;
    let lo = 0;
    let hi = t.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (t.entries[mid].start < at) lo = mid + 1;
      else hi = mid;
    }
    return lo < t.entries.length && t.entries[lo].start === at;
  }
  return false;
}

/** The cut of `text` from the cut of `last`, where an edit inside one passed-over line allows it (see CutMemo). */
function moveCut(last: string, text: string, tops: readonly TopPiece[]): TopPiece[] | null {
  const { prefix, suffix } = sharedEnds(last, text);
  const lastEnd = last.length - suffix;
  const end = text.length - suffix;
  if (breakIn(last, prefix, lastEnd) || breakIn(text, prefix, end)) return null;
  const line = last.lastIndexOf('\n', prefix - 1) + 1;
  const first = passedOver(last, line);
  if (first < 0 || passedOver(text, line) !== first || startsPiece(tops, line)) return null;
  let eol = text.indexOf('\n', end);
  if (eol < 0) eol = text.length;
  // Every UNSAFE match lies on one line with the line break before it; the edited line's is the only new one.
  if (UNSAFE.test(text.slice(Math.max(0, line - 1), Math.min(text.length, eol + 1)))) return null;
  const delta = text.length - last.length;
  const at = (x: number) => (x > line ? x + delta : x);
  return tops.map((t) =>
    t.entries?.length
      ? { start: at(t.start), end: at(t.end), headerEnd: at(t.headerEnd!), entries: t.entries.map((e) => ({ start: at(e.start), end: at(e.end) })) }
      : { start: at(t.start), end: at(t.end) },
  );
}

/** A piece of a reading: where it is, the depth its root sits at, and its parse (at offset 0). */
interface ReadPiece {
  readonly start: number;
  readonly end: number;
  readonly depth: number;
  readonly parse: YamlParse;
}

/**
 * A per-document cache of chunk parses. Each reading keeps only the chunks it used, so memory follows the
 * document's size.
 *
 * A chunk is found by its place: the text before an edit and the text after it are the last reading's,
 * so a piece wholly before the edited region is the last reading's piece at the same offset, and one
 * wholly after it the piece as far back as the edit grew the text. Only a piece that overlaps the edited
 * region is looked up by its text, among the last reading's pieces around the region (text moved by a
 * cut and a paste is found there), and parsed if it is not there. Hashing every chunk's text to find it
 * took 2 ms a keystroke at 1,000 services and 10 ms at 5,000.
 */
export class ChunkCache {
  /** The last committed reading: its text and its pieces, in document order. */
  private lastText: string | undefined;
  private last: ReadPiece[] = [];
  /** The reading under way: its text, the pieces it took, and where its text differs from the last. */
  private text = '';
  private next: ReadPiece[] = [];
  private edit: { readonly prefix: number; readonly end: number; readonly lastEnd: number } | undefined;
  /** The first of the last reading's pieces not yet passed by the reading under way (it goes in order). */
  private cursor = 0;
  /** The last reading's pieces around the edit, by depth and text: made at the first piece not found by place. */
  private byText: Map<string, YamlParse>[] | undefined;
  /** The document's depth scan, redone only around an edit (depth.ts), its cut (CutMemo) and its line count. */
  readonly depth = new DepthMemo();
  readonly cuts = new CutMemo();
  readonly lines = new LineMemo(LIMITS.maxLines);
  hits = 0;
  misses = 0;
  /** Work a first reading put off (filling the cache from its tree, see parseGuarded), done by `settle`. */
  private pending: (() => void) | undefined;

  /** Puts work off until `settle`: the server calls it when idle, and the cache before it is next used. */
  defer(work: () => void): void {
    this.pending = work;
  }

  /** Does the work put off, if any. */
  settle(): void {
    const work = this.pending;
    this.pending = undefined;
    work?.();
  }

  /**
   * Starts a reading of `text`. What an unfinished one took (a chunked reading given up half way, which
   * never commits) is dropped, so that such readings cannot pile up chunks of old versions across edits.
   */
  begin(text: string): void {
    this.settle();
    this.text = text;
    this.next = [];
    this.cursor = 0;
    this.byText = undefined;
    const last = this.lastText;
    if (last === undefined || this.last.length === 0) {
      this.edit = undefined;
      return;
    }
    const { prefix, suffix } = sharedEnds(last, text);
    this.edit = { prefix, end: text.length - suffix, lastEnd: last.length - suffix };
  }

  /** The parse of the piece `start`–`end` of the reading's text, whose root sits at `depth` in the document. */
  get(start: number, end: number, depth = 0): YamlParse {
    let parse = this.atPlace(start, end, depth);
    if (!parse) {
      const chunk = this.text.slice(start, end);
      parse = this.aroundEdit(chunk, depth);
      if (!parse) {
        this.misses++;
        parse = parseYaml(chunk, 0, depth);
      } else this.hits++;
    } else this.hits++;
    this.next.push({ start, end, depth, parse });
    return parse;
  }

  /** The last reading's parse of the same piece, where the edit left its text where it was or moved it. */
  private atPlace(start: number, end: number, depth: number): YamlParse | undefined {
    const e = this.edit;
    if (!e) return undefined;
    let old: number;
    if (end <= e.prefix) old = start;
    else if (start >= e.end) old = start - (e.end - e.lastEnd);
    else return undefined;
    const ps = this.last;
    let i = this.cursor;
    while (i < ps.length && ps[i].start < old) i++;
    this.cursor = i;
    for (; i < ps.length && ps[i].start === old; i++) {
      const p = ps[i];
      if (p.end - p.start === end - start && p.depth === depth) return p.parse;
    }
    return undefined;
  }

  /** The parse of a last reading's piece with this text and depth, among those around the edit. */
  private aroundEdit(chunk: string, depth: number): YamlParse | undefined {
    if (!this.byText) {
      this.byText = [];
      const e = this.edit;
      const last = this.lastText ?? '';
      for (const p of this.last) {
        if (e && (p.end < e.prefix || p.start > e.lastEnd)) continue;
        (this.byText[p.depth] ??= new Map()).set(last.slice(p.start, p.end), p.parse);
      }
    }
    return this.byText[depth]?.get(chunk);
  }

  /** How many distinct chunk parses the cache holds. */
  get size(): number {
    this.settle();
    const texts = new Set<string>();
    for (const p of this.last) texts.add(`${p.depth}:${(this.lastText ?? '').slice(p.start, p.end)}`);
    for (const p of this.next) texts.add(`${p.depth}:${this.text.slice(p.start, p.end)}`);
    return texts.size;
  }

  /** Whether nothing is cached yet (a document's first parse). */
  isEmpty(): boolean {
    this.settle();
    return this.last.length === 0 && this.next.length === 0;
  }

  /**
   * Puts a chunk's parse in the reading under way without parsing it (see `seedFromWhole`): `placed` is
   * the chunk's tree where the whole reading has it, at offset `at`; the cache keeps a copy moved to
   * offset 0. Seeds come in document order.
   */
  seed(text: string, depth: number, placed: YNode, at: number, _ownSpans = false): void {
    this.store(at, text.length, depth, { root: shiftNode(placed, -at), problems: [] });
  }

  /** Adds a parse to the reading under way, as its piece at `at`, `length` long. */
  protected store(at: number, length: number, depth: number, parse: YamlParse): void {
    this.next.push({ start: at, end: at + length, depth, parse });
  }

  /**
   * The tree of a chunk's parse (from `get`, at offset 0) at its place in the document (`at`). Here a new
   * copy each time; the language server's cache (placed.ts) keeps each chunk's placed tree and moves it.
   */
  place(parse: YamlParse, at: number): YNode | null {
    return parse.root && shiftNode(parse.root, at);
  }

  /** Ends a reading: what it did not use is dropped. */
  commit(): void {
    this.last = this.next;
    this.lastText = this.text;
    this.next = [];
    this.byText = undefined;
  }
}

/**
 * Reads a whole document, chunk by chunk where that is safe, through `cache` when one is given. Where the
 * whole parse reports an error, the document is read chunk by chunk if it can be cut (see the top of
 * this file), with or without a cache.
 */
export function parseIncremental(text: string, cache?: ChunkCache): YamlParse & { chunked: boolean } {
  // What the last reading put off reads its own text, through the memos this reading moves on to this one.
  cache?.settle();
  // No text nested deeper than the library's recursion can take reaches it (see depth.ts); the parts
  // that are blanked keep their offsets, so every span still points into the original text.
  const guard = guardDepth(text, HARD_DEPTH, cache?.depth);
  const entries = guardEntries(guard.text, cache);
  const problems = [...guard.problems, ...entries.problems];
  if (problems.length === 0) return parseGuarded(text, cache, entries.tops);
  const r = parseGuarded(entries.text, cache);
  return { ...r, problems: [...problems, ...r.problems] };
}

/**
 * The same budget on a parsed tree, for what the text cut cannot reach (a 2.4 MB one-line flow map of
 * 190,000 services): the root's entry sections keep their first MAX_ENTRIES entries in all.
 */
export function trimEntries(root: YNode | null): { root: YNode | null; problem?: SyntaxProblem } {
  if (root?.kind !== 'map') return { root };
  let left = MAX_ENTRIES;
  let problem: SyntaxProblem | undefined;
  const pairs = root.pairs.map((p) => {
    if (!ENTRY_SECTIONS.has(p.key) || p.value?.kind !== 'map') return p;
    const n = p.value.pairs.length;
    if (n <= left) {
      left -= n;
      return p;
    }
    const dropped = p.value.pairs[left];
    problem ??= { code: 'RESOURCE_LIMIT', span: dropped.keySpan, detail: `more than ${MAX_ENTRIES.toLocaleString('en-US')} entries in one file; this one and the rest of its section are not read` };
    const kept = p.value.pairs.slice(0, left);
    left = 0;
    return { ...p, value: { ...p.value, pairs: kept } };
  });
  return problem ? { root: { ...root, pairs }, problem } : { root };
}

/**
 * The most entries (services, datastores, events, flows together) of one file given to the library:
 * 20,000, so a 5,000-service system written in one file (about 15,000 entries with its stores and events)
 * is read whole, while the 7.9 MB chain of 100,000 services stays within 10 s and 1 GB
 * (test/cli/hostile.test.ts). The entries left out are named by no finding of their own (budget.ts).
 */
export const MAX_ENTRIES = 20_000;

/**
 * The element budget, applied to the text where it can be: the library's parse of a 7.9 MB chain of
 * 100,000 services took over a minute and 2 GB on its own. Where the document cuts into entries, the
 * entries past MAX_ENTRIES are blanked (offsets kept, as in depth.ts) and one problem marks the first.
 * The engine's element budget (budget.ts) bounds what the rules see in any case.
 */
function guardEntries(text: string, cache?: ChunkCache): { text: string; problems: SyntaxProblem[]; tops?: TopPiece[] | null } {
  // Every entry starts a line of its own: a text of no more lines than MAX_ENTRIES needs no cut, and
  // cutting it to count would be a second whole-text cut on every keystroke (parseGuarded cuts it too).
  if (text.length < MAX_ENTRIES * 16 || !moreLinesThan(text, MAX_ENTRIES, cache?.lines)) return { text, problems: [] };
  // The cut parseGuarded makes first, handed to it where nothing is left out: where that cut is made, the
  // cut for broken texts is the same (UNSAFE rejects every text UNSAFE_EVEN_BROKEN does, and every line
  // that starts with a tab, the one line the two cut differently).
  const whole = cutOf(text, cache);
  const tops = whole ?? cutChunks(text, true);
  if (!tops) return { text, problems: [], tops: whole };
  let count = 0;
  for (const t of tops) {
    if (!t.entries) continue;
    for (const e of t.entries) {
      if (++count <= MAX_ENTRIES) continue;
      // Everything from this entry to the end of its section is left out; later sections stay.
      const blank = text.slice(e.start, t.end).replace(/[^\n\r]/g, ' ');
      const cut = text.slice(0, e.start) + blank + text.slice(t.end);
      const rest = guardEntries(cut);
      let at = e.start;
      while (text[at] === ' ') at++;
      const problem: SyntaxProblem = { code: 'RESOURCE_LIMIT', span: span(at, Math.min(at + 1, text.length)), detail: `more than ${MAX_ENTRIES.toLocaleString('en-US')} entries in one file; this one and the rest of its section are not read` };
      return { text: rest.text, problems: [problem, ...rest.problems] };
    }
  }
  return { text, problems: [], tops: whole };
}

/** cutChunks(text), through the document's memo where there is one. */
function cutOf(text: string, cache?: ChunkCache): TopPiece[] | null {
  return cache ? cache.cuts.cut(text) : cutChunks(text);
}

/** Past this size a broken text without a cache is read whole only (see parseGuarded). */
const WHOLE_ONLY = 1024 * 1024;

/**
 * One decision for every reading: whole, chunk by chunk, or both.
 *
 * - A first reading (no cache, or an empty one) of a text the fast reader takes is that reading, whole
 *   (the fast reader never reports a problem); with a cache, its tree seeds the cache once the server is
 *   idle or the cache is next used (ChunkCache.settle), so the first edit already re-parses one chunk.
 * - A first reading of a text the fast reader declines (broken, or beyond its subset: block scalars,
 *   multi-line scalars, ...) is read chunk by chunk straight away. Reading it whole with the library and
 *   then, finding an error, again in chunks, took twice the library's time on exactly the texts it is
 *   slow on. Without errors a chunked reading equals the whole one (the agreement tests in
 *   test/unit/parse/); with errors, the result is the one the whole-then-chunks path below gives, so
 *   without a cache it stands only where that path would read the same chunks (the cut for broken texts
 *   is the same) and up to the size where that path still reads chunks.
 * - With the fast reader off (the property tests' reference reading), a first reading with a cache is
 *   one whole parse that seeds it where it reads without problems: faster than every chunk on its own.
 * - Otherwise (a warm cache) the chunks are read through the cache.
 * - What is left is read whole. Where the whole parse reports a problem, the document is read chunk by
 *   chunk if it can be cut: one error (an unclosed quote runs to the end of the file) then spoils its own
 *   chunk, not everything after it. A chunked reading never loses a syntax error the whole parse reports
 *   (the "never hides an error" test in incremental.test.ts). A second, chunked reading of a very large
 *   broken text would double the library's time (seconds) for a better place for its errors; past
 *   WHOLE_ONLY the whole parse's reading stands. (A text broken beyond the problem cap is still read in
 *   chunks: the editor's cached reading is always chunked, and the two readings must agree.)
 */
function parseGuarded(text: string, cache?: ChunkCache, cut?: TopPiece[] | null): YamlParse & { chunked: boolean } {
  const first = !cache || cache.isEmpty();
  const quick = first ? readFast(text) : undefined;
  // `cut`, where given, is cutChunks(text), already made by guardEntries.
  const topsOf = () => (cut === undefined ? cutOf(text, cache) : cut);
  /** Fills the cache from a whole reading without problems; false where its tree cannot seed it. */
  const seeds = (w: YamlParse, tops: readonly TopPiece[] | null): boolean => !!cache && !!tops && w.problems.length === 0 && w.root?.kind === 'map' && seedFromWhole(text, tops, w.root, cache);
  if (quick) {
    // The cache is filled from this reading later, when the server is idle or before the cache is next
    // used (ChunkCache.settle), so the first diagnostics wait neither for the cut nor for the filling:
    // 40–60 ms of the 250 ms of reading a 1,000-service file. Where the tree cannot seed it, the chunks are
    // read into it instead. Either way the reading is this one: the fast reader reports no problem, and a
    // chunked reading without problems equals the whole one.
    if (cache) {
      cache.defer(() => {
        const tops = topsOf();
        if (tops && !seeds(quick, tops)) parseChunks(text, tops, cache);
      });
    }
    return { ...quick, chunked: false };
  }
  const tops = topsOf();
  const fastOff = first && quick === undefined;
  let whole: YamlParse | undefined;
  let broken: TopPiece[] | null | undefined;
  if (fastOff && cache && tops) {
    whole = parseYaml(text, 0);
    if (seeds(whole, tops)) return { ...whole, chunked: false };
  }
  if (tops && (cache || (quick === null && text.length <= WHOLE_ONLY))) {
    const r = parseChunks(text, tops, cache ?? new ChunkCache());
    if (r && (cache || r.problems.length === 0)) return r;
    if (r) {
      broken = cutChunks(text, true);
      if (JSON.stringify(broken) === JSON.stringify(tops)) return r;
    } else if (quick === null && cache) {
      whole = parseYaml(text, 0);
      if (seeds(whole, tops)) return { ...whole, chunked: false };
    }
  }
  whole ??= parseYaml(text, 0);
  if (whole.problems.length === 0 || text.length > WHOLE_ONLY) return { ...whole, chunked: false };
  if (broken === undefined) broken = cutChunks(text, true);
  return (broken && parseChunks(text, broken, cache ?? new ChunkCache())) || { ...whole, chunked: false };
}

/** Reads the chunks of a cut document, or returns null where a section header does not read as `key:`. */
function parseChunks(text: string, tops: readonly TopPiece[], cache: ChunkCache): (YamlParse & { chunked: true }) | null {
  cache.begin(text);
  const problems: SyntaxProblem[] = [];
  const pairs: YPair[] = [];
  const take = (start: number, end: number, depth = 0): YMap | null => {
    const r = cache.get(start, end, depth);
    for (const p of r.problems) problems.push(shiftProblem(p, start));
    const moved = cache.place(r, start);
    if (!moved) return null;
    if (moved.kind !== 'map') {
      problems.push({ code: 'UNEXPECTED_TOKEN', span: moved.span });
      return null;
    }
    return moved;
  };
  /** A junk piece only adds its errors; its tree is not what the user meant. */
  const errorsOf = (p: Piece) => {
    for (const e of cache.get(p.start, p.end).problems) problems.push(shiftProblem(e, p.start));
  };
  // Where the maps end, as the whole parse would say: a chunk's map ends where its last value's node
  // ends, which for a flow collection (`b: { x: 1 }`) includes the line break after it, unlike its pair.
  let end = 0;
  for (const t of tops) {
    if (t.junk) {
      errorsOf(t);
      continue;
    }
    if (!t.entries) {
      const m = take(t.start, t.end);
      if (m) {
        pairs.push(...m.pairs);
        end = m.span.end;
      }
      continue;
    }
    const header = take(t.start, t.headerEnd!);
    const headerPair = header?.pairs[0];
    if (!headerPair) {
      // The header of a section we cut always reads as `key:`; if not, the caller falls back to a whole parse.
      return null;
    }
    const entryPairs: YPair[] = [];
    let entriesEnd = 0;
    for (const e of t.entries) {
      if (e.junk) {
        errorsOf(e);
        continue;
      }
      // An entry chunk's map stands for the section's map, one level below the document's root.
      const m = take(e.start, e.end, 1);
      if (m) {
        entryPairs.push(...m.pairs);
        entriesEnd = m.span.end;
      }
    }
    const first = entryPairs[0];
    const value: YMap | null = first ? { kind: 'map', span: span(first.span.start, entriesEnd), pairs: entryPairs, flow: false } : null;
    pairs.push({ key: headerPair.key, keySpan: headerPair.keySpan, value, span: span(headerPair.keySpan.start, value ? value.span.end : headerPair.keySpan.end) });
    end = value ? value.span.end : header.span.end;
  }
  cache.commit();
  const root: YMap = { kind: 'map', span: span(pairs[0]?.span.start ?? 0, end), pairs, flow: false };
  return { root, problems, chunked: true };
}

/**
 * Fills the cache with each chunk's parse taken from a whole parse without errors: the pairs that fall in
 * the chunk, moved to the chunk's own offsets, in a map that ends where its last value ends (as the chunk's
 * own parse would say). Returns false, seeding nothing, where a chunk's pairs cannot be told apart.
 */
function seedFromWhole(text: string, tops: readonly TopPiece[], root: YMap, cache: ChunkCache): boolean {
  const seeds: { text: string; depth: number; placed: YMap; at: number }[] = [];
  const chunkOf = (pairs: readonly YPair[], start: number, end: number, depth: number): boolean => {
    // The pairs are in document order: find the first at or after `start` by bisection, then take those
    // before `end` (a filter over the section for every entry was quadratic, ~190 ms on opening 1k services).
    let lo = 0;
    let hi = pairs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pairs[mid].keySpan.start < start) lo = mid + 1;
      else hi = mid;
    }
    const inside: YPair[] = [];
    for (let i = lo; i < pairs.length && pairs[i].keySpan.start < end; i++) inside.push(pairs[i]);
    if (!inside.length) return false;
    const last = inside[inside.length - 1];
    const map: YMap = { kind: 'map', span: span(inside[0].span.start, last.value ? last.value.span.end : last.keySpan.end), pairs: inside, flow: false };
    seeds.push({ text: text.slice(start, end), depth, placed: map, at: start });
    return true;
  };
  for (const t of tops) {
    if (t.junk) return false;
    if (!t.entries) {
      if (!chunkOf(root.pairs, t.start, t.end, 0)) return false;
      continue;
    }
    const section = root.pairs.find((p) => p.keySpan.start >= t.start && p.keySpan.start < t.end);
    if (!section || section.value?.kind !== 'map') return false;
    // Span objects of the header's own: a seeded tree may be moved in place (placed.ts).
    const ks = section.keySpan;
    const header = { key: section.key, keySpan: span(ks.start, ks.end), value: null, span: span(ks.start, ks.end) };
    const headerMap: YMap = { kind: 'map', span: span(ks.start, ks.end), pairs: [header], flow: false };
    seeds.push({ text: text.slice(t.start, t.headerEnd), depth: 0, placed: headerMap, at: t.start });
    for (const e of t.entries) if (e.junk || !chunkOf(section.value.pairs, e.start, e.end, 1)) return false;
  }
  // The fast reader's tree has a span object for every place, and the seeds add only their own: the
  // cache may then move a seeded chunk in place instead of copying it when an edit above moves it.
  const own = ownsSpans(root);
  cache.begin(text);
  for (const s of seeds) cache.seed(s.text, s.depth, s.placed, s.at, own);
  cache.commit();
  return true;
}
