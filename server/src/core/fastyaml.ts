/**
 * A fast first reading of YAML for the subset topology files are written in: block maps and lists,
 * one-line flow maps and lists, plain and quoted one-line scalars, comments. It builds the same YNode
 * tree, span for span, that `parseYaml`'s conversion of the `yaml` library's document builds, about ten
 * times faster (the library's parse of a 1,000-service file takes 200–260 ms). Anything outside the
 * subset, or anything the library would report a problem for, makes it decline (return null), and the
 * caller reads the text with the library as before: so recovery, error codes and messages stay the
 * library's. The fast reading never reports a problem itself; when it accepts, the library's reading would
 * have reported none either. test/unit/parse/fastyaml.test.ts checks both claims on the corpus, the
 * examples, the fuzz fixtures and seeded mutations of them.
 *
 * What it declines: tabs, carriage returns outside CRLF line ends, control characters, byte-order marks and Unicode line breaks
 * anywhere; directives and document markers; anchors, aliases, tags, merge keys, explicit keys, block
 * scalars; multi-line plain or quoted scalars and flow collections; escapes in double quotes; empty list
 * items; a key without a value as the last entry of a block collection (where the library's end offset
 * depends on what follows); any nesting deeper than LIMITS.maxDepth; and every irregular indentation.
 *
 * The spans follow the library's ranges: a scalar or a flow collection ends at its last character; a
 * block collection ends where its last item's node ends. That is the end of the item's line (its comment
 * and line break included) and of the comment lines right after it that are indented deeper than the
 * collection holding it (see `after`); or, for an item that is itself a block collection, where the
 * comment lines that the item kept end (see `close`).
 */
import { span } from './span';
import { LIMITS, type YamlParse, type YMap, type YNode, type YPair, type YScalar, type YSeq } from './ytree';

/**
 * The roots of the trees this reader built. Every place in such a tree is a span object of its own (the
 * library's trees share one span among the nodes an alias expands to, and a shifted tree shares its
 * spans where the shift is 0), so the editor's chunk cache may move them in place (placed.ts).
 */
const OWN_SPANS = new WeakSet<YNode>();

/** Whether `root` is a tree the fast reader built, with a span object of its own for every place. */
export function ownsSpans(root: YNode): boolean {
  return OWN_SPANS.has(root);
}

/** Thrown to give up on a text; caught once in `parseFast`. */
class Decline extends Error {}
const DECLINE = new Decline('outside the fast subset');

/**
 * What declines the whole text: tabs, other controls, BOM, NEL, LS, PS, and a carriage return that does
 * not end a line (CRLF line ends are read: a line's content never includes the CR).
 */
// eslint-disable-next-line no-control-regex
const REFUSED_CHARS = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f\u0085\u2028\u2029\ufeff]|\r(?!\n)/;

/** The yaml library refuses an implicit key whose `:` is further than this from its start (we stop a little short). */
const MAX_KEY = 1024;

/** A flow collection on a line longer than this is checked to close on it before any node is built. */
const LONG_LINE = 4096;

/** The ASCII characters a plain scalar cannot start with: indicators, spaces and line breaks. */
const NOT_PLAIN_START = new Uint8Array(128);
for (const c of '?:,[]{}#&*!|>\'"%@`\r\n ') NOT_PLAIN_START[c.charCodeAt(0)] = 1;

/**
 * Reads `text` as `parseYaml` would (spans offset by `base`, the root at `depth`), or returns null where
 * it cannot promise the same tree and no problems.
 */
export function parseFast(text: string, base = 0, depth = 0): YamlParse | null {
  if (REFUSED_CHARS.test(text)) return null;
  try {
    const root = new FastReader(text, base).document(depth);
    OWN_SPANS.add(root);
    return { root, problems: [] };
  } catch (e) {
    if (e === DECLINE) return null;
    // A stack overflow or anything else unexpected: the robust path decides.
    return null;
  }
}

/** A content line: its indentation and the offset of its first character. */
interface Line {
  readonly indent: number;
  readonly at: number;
}

/**
 * Comment lines after a collection's last value that its node did not take: they travel outwards as the
 * collections around them close, and the first collection that keeps them ends its range at `end` (the
 * start of the next content line). `maxIndent` is the deepest one's indentation.
 */
interface Trail {
  readonly maxIndent: number;
  readonly end: number;
}

/** A block collection as read: its node, its range's end as its parent sees it, and what follows it. */
interface Block<T extends YMap | YSeq> {
  readonly node: T;
  readonly end: number;
  readonly trail: Trail | null;
  /** The content line after it, which its parent reads next (null at the end of the text). */
  readonly next: Line | null;
}

class FastReader {
  /**
   * Where the value just read ends (after `inlineValue`, `flow`, `flowValue`, `flowScalar` and `quoted`),
   * and after `key`, where its key ends and its colon is: kept here rather than returned with the value,
   * so that reading a value allocates its node and nothing else. A first reading runs mostly before V8
   * optimises this code, and unoptimised code allocates every returned pair.
   */
  private end = 0;
  private colon = 0;
  /**
   * The pairs and items of the collections being read, innermost last: a collection's entries are
   * gathered here and copied out once it closes, so that each one's array is exactly as long as it is.
   * A list grown by push keeps room for 17 entries from its first, most of it never used, for as long as
   * the tree lives (a flow map here mostly holds one to three pairs).
   */
  private readonly stack: (YPair | YNode)[] = [];

  constructor(
    private readonly t: string,
    private readonly base: number,
  ) {}

  /** The start of the line after the one holding `pos` (the text's length on the last line). */
  private lineEnd(pos: number): number {
    const nl = this.t.indexOf('\n', pos);
    return nl < 0 ? this.t.length : nl + 1;
  }

  /** The first line at or after the line start `from` that holds content (not blank, not only a comment). */
  private nextContent(from: number): Line | null {
    const t = this.t;
    let pos = from;
    while (pos < t.length) {
      let i = pos;
      while (t.charCodeAt(i) === 32) i++;
      if (i >= t.length) return null;
      const c = t.charCodeAt(i);
      if (c === 10 || c === 13 || c === 35 /* # */) {
        pos = this.lineEnd(i);
        continue;
      }
      return this.content(i - pos, i);
    }
    return null;
  }

  /**
   * What follows a one-line value whose line ends at the line start `from`, inside a collection indented
   * `indent`, up to the next content line. The library gives the value's node the comment lines indented
   * deeper than the collection that come first (with the blank lines among them): `end` is where they
   * stop. Comment lines from the first one that is not indented deeper are the collection's trail (see
   * `Trail`).
   */
  private after(from: number, indent: number): { end: number; trail: Trail | null; next: Line | null } {
    const t = this.t;
    let end = from;
    let maxIndent = -1;
    let pos = from;
    let next: Line | null = null;
    while (pos < t.length) {
      let i = pos;
      while (t.charCodeAt(i) === 32) i++;
      if (i >= t.length) break;
      const c = t.charCodeAt(i);
      if (c === 10 || c === 13) {
        pos = this.lineEnd(i);
        continue;
      }
      const col = i - pos;
      if (c === 35) {
        pos = this.lineEnd(i);
        if (maxIndent < 0 && col > indent) end = pos;
        else maxIndent = Math.max(maxIndent, col);
        continue;
      }
      next = this.content(col, i);
      break;
    }
    return { end, trail: maxIndent >= 0 ? { maxIndent, end: next ? next.at : t.length } : null, next };
  }

  /** A content line's start; directives and document markers change how the whole text reads. */
  private content(indent: number, at: number): Line {
    const c = this.t.charCodeAt(at);
    if (indent === 0 && (c === 37 /* % */ || /^(?:---|\.\.\.)(?:[ \r\n]|$)/.test(this.t.slice(at, at + 4)))) throw DECLINE;
    return { indent, at };
  }

  /**
   * A block collection that has ended (the next content line is left of it): its range's end is its last
   * item's, and a trail of comment lines stays with it when one of them is at least as indented as it and
   * it is not at the left margin; otherwise the trail moves on to the collection around it. (This is
   * what the library's parser does when it closes a collection.)
   */
  private close<T extends YMap | YSeq>(node: T, indent: number, end: number, trail: Trail | null, next: Line | null): Block<T> {
    if (trail && indent !== 0 && trail.maxIndent >= indent) return { node, end: trail.end, trail: null, next };
    return { node, end, trail, next };
  }

  document(depth: number): YNode {
    const first = this.nextContent(0);
    if (!first) throw DECLINE;
    const r = this.blockNode(first.indent, first.at, depth);
    // Anything left after the root is something the library would complain about.
    if (r.next) throw DECLINE;
    return r.node;
  }

  /** A block map or list whose first character is at `at`, in column `indent`. */
  private blockNode(indent: number, at: number, depth: number): Block<YMap | YSeq> {
    if (depth > LIMITS.maxDepth) throw DECLINE;
    if (this.isSeqMark(at)) return this.blockSeq(indent, at, depth);
    return this.blockMap(indent, at, depth);
  }

  private isSeqMark(at: number): boolean {
    const c = this.t.charCodeAt(at + 1);
    return this.t.charCodeAt(at) === 45 /* - */ && (c === 32 || c === 10 || c === 13 || at + 1 >= this.t.length);
  }

  private blockMap(indent: number, at: number, depth: number): Block<YMap> {
    if (depth > LIMITS.maxDepth) throw DECLINE;
    const t = this.t;
    const base = this.stack.length;
    let pos = at;
    let end: number;
    let trail: Trail | null;
    let next: Line | null;
    let lastNull: boolean;
    for (;;) {
      const name = this.key(pos);
      if (name === null) throw DECLINE;
      const keySpan = span(this.base + pos, this.base + this.end);
      let p = this.colon + 1;
      while (t.charCodeAt(p) === 32) p++;
      const c = t.charCodeAt(p);
      let value: YNode | null;
      if (p >= t.length || c === 10 || c === 13 || c === 35) {
        // No value on the key's line: a block collection under it, or null.
        const below = this.nextContent(this.lineEnd(p));
        if (below && (below.indent > indent || (below.indent === indent && this.isSeqMark(below.at)))) {
          const child = this.blockNode(below.indent, below.at, depth + 1);
          value = child.node;
          ({ end, trail, next } = child);
          lastNull = false;
        } else {
          value = null;
          end = p;
          trail = null;
          next = below;
          lastNull = true;
        }
      } else {
        value = this.inlineValue(p, depth + 1);
        const valueEnd = this.end;
        this.restOfLine(valueEnd);
        ({ end, trail, next } = this.after(this.lineEnd(valueEnd), indent));
        lastNull = false;
      }
      const pairEnd = value ? Math.max(value.span.end, keySpan.end) : keySpan.end;
      this.stack.push({ key: name, keySpan, value, span: span(keySpan.start, pairEnd) });
      if (!next || next.indent < indent) break;
      // A deeper line after a complete value, or a list item beside keys: errors in YAML.
      if (next.indent > indent || this.isSeqMark(next.at)) throw DECLINE;
      pos = next.at;
    }
    // The library ends the map where its last value's node ends; for a key without a value that depends on
    // what follows in ways not worth modelling.
    if (lastNull) throw DECLINE;
    const pairs = this.entries(base) as YPair[];
    return this.close({ kind: 'map', span: span(this.base + at, this.base + end), pairs, flow: false }, indent, end, trail, next);
  }

  private blockSeq(indent: number, at: number, depth: number): Block<YSeq> {
    const t = this.t;
    const base = this.stack.length;
    let pos = at;
    let end: number;
    let trail: Trail | null;
    let next: Line | null;
    for (;;) {
      let p = pos + 1;
      while (t.charCodeAt(p) === 32) p++;
      const c = t.charCodeAt(p);
      // An empty item, or a list right inside a list: outside the subset.
      if (p >= t.length || c === 10 || c === 13 || c === 35 || this.isSeqMark(p)) throw DECLINE;
      if (depth + 1 > LIMITS.maxDepth) throw DECLINE;
      if (this.key(p) !== null) {
        // A map that starts on the item's line: its keys sit in the column of its first key.
        const m = this.blockMap(p - this.lineStartOf(p), p, depth + 1);
        this.stack.push(m.node);
        ({ end, trail, next } = m);
      } else {
        this.stack.push(this.inlineValue(p, depth + 1));
        const valueEnd = this.end;
        this.restOfLine(valueEnd);
        ({ end, trail, next } = this.after(this.lineEnd(valueEnd), indent));
      }
      if (!next || next.indent < indent) break;
      if (next.indent > indent) throw DECLINE;
      // A line at the list's column that is not an item ends the list (a map's next key, when the list
      // sits at its key's column); the caller checks it.
      if (!this.isSeqMark(next.at)) break;
      pos = next.at;
    }
    const items = this.entries(base) as YNode[];
    return this.close({ kind: 'seq', span: span(this.base + at, this.base + end), items, flow: false }, indent, end, trail, next);
  }

  private lineStartOf(pos: number): number {
    return this.t.lastIndexOf('\n', pos - 1) + 1;
  }

  /** After a one-line value: only spaces, then perhaps a comment after at least one space. */
  private restOfLine(end: number): void {
    const t = this.t;
    let i = end;
    while (t.charCodeAt(i) === 32) i++;
    if (i >= t.length || t.charCodeAt(i) === 10 || t.charCodeAt(i) === 13) return;
    if (t.charCodeAt(i) === 35 && i > end) return;
    throw DECLINE;
  }

  /**
   * A block mapping key starting at `pos` on its line: a plain or one-line quoted scalar followed by `:`
   * and a space or the end of the line. Its name, with its end in `end` and its colon's offset in `colon`;
   * null where the line holds no such key.
   */
  private key(pos: number): string | null {
    const t = this.t;
    const c = t.charCodeAt(pos);
    if (c === 34 || c === 39) {
      const name = this.quoted(pos);
      if (name === null) return null;
      let i = this.end;
      while (t.charCodeAt(i) === 32) i++;
      if (t.charCodeAt(i) !== 58 || !this.colonEnds(i)) return null;
      if (i - pos > MAX_KEY - 24) throw DECLINE;
      this.colon = i;
      return name;
    }
    if (!this.plainStart(pos, false)) return null;
    // One pass along the line: the first `: ` (or `:` at the line's end) ends the key; a comment before it
    // means the line holds no key.
    for (let i = pos; i < t.length; i++) {
      const ch = t.charCodeAt(i);
      if (ch === 10 || ch === 13) return null;
      if (ch === 35 && t.charCodeAt(i - 1) === 32) return null;
      if (ch !== 58 || !this.colonEnds(i)) continue;
      let end = i;
      while (end > pos && t.charCodeAt(end - 1) === 32) end--;
      if (end === pos) return null;
      if (i - pos > MAX_KEY - 24) throw DECLINE;
      const name = plainKey(t.slice(pos, end));
      this.end = end;
      this.colon = i;
      return name;
    }
    return null;
  }

  /** Whether the `:` at `i` is a mapping indicator in block context (a space or the line's end follows). */
  private colonEnds(i: number): boolean {
    const c = this.t.charCodeAt(i + 1);
    return c === 32 || c === 10 || c === 13 || i + 1 >= this.t.length;
  }

  private lineEndNoBreak(pos: number): number {
    const nl = this.t.indexOf('\n', pos);
    return nl < 0 ? this.t.length : nl;
  }

  /** Whether a plain scalar may start at `pos` (no indicator that would make it something else). */
  private plainStart(pos: number, flow: boolean): boolean {
    const t = this.t;
    if (pos >= t.length) return false;
    const c = t.charCodeAt(pos);
    if (c === 45 /* - */) {
      const d = t.charCodeAt(pos + 1);
      return pos + 1 < t.length && d !== 32 && d !== 10 && d !== 13 && !(flow && (d === 44 || d === 91 || d === 93 || d === 123 || d === 125));
    }
    // Not an indicator (`?:,[]{}#&*!|>'"%@` and the backtick) and not a space or a line break.
    return c > 127 || !NOT_PLAIN_START[c];
  }

  /**
   * A one-line value in block context: a quoted or plain scalar, or a one-line flow collection. Its end
   * is left in `end`.
   */
  private inlineValue(pos: number, depth: number): YNode {
    if (depth > LIMITS.maxDepth) throw DECLINE;
    const t = this.t;
    const c = t.charCodeAt(pos);
    if (c === 91 || c === 123) {
      // An unclosed flow collection on a long line (a 2.4 MB one-line map, say) is declined before any
      // node is built; on a short one, reading it finds the same (a line break inside declines).
      if (this.lineEndNoBreak(pos) - pos > LONG_LINE && !this.closesOnLine(pos)) throw DECLINE;
      return this.flow(pos, depth);
    }
    if (c === 34 || c === 39) {
      const value = this.quoted(pos);
      if (value === null) throw DECLINE;
      return this.scalar(pos, this.end, value, true);
    }
    if (!this.plainStart(pos, false)) throw DECLINE;
    // One pass to the end of the scalar: the line's end or a comment. A `: ` inside (`a: b: c`) is an
    // error in YAML; leave it to the library.
    let end = pos;
    for (; end < t.length; end++) {
      const ch = t.charCodeAt(end);
      if (ch === 10 || ch === 13 || (ch === 35 && t.charCodeAt(end - 1) === 32)) break;
      if (ch === 58 && this.colonEnds(end)) throw DECLINE;
    }
    while (end > pos && t.charCodeAt(end - 1) === 32) end--;
    this.end = end;
    return this.scalar(pos, end, resolvePlain(t.slice(pos, end)), false);
  }

  /** Whether the brackets opened at `pos` all close before the line ends (quotes skipped). */
  private closesOnLine(pos: number): boolean {
    const t = this.t;
    const eol = this.lineEndNoBreak(pos);
    let open = 0;
    for (let i = pos; i < eol; i++) {
      const ch = t.charCodeAt(i);
      if (ch === 91 || ch === 123) open++;
      else if (ch === 93 || ch === 125) {
        if (--open === 0) return true;
      } else if ((ch === 34 || ch === 39) && ' [{,:'.includes(t[i - 1])) {
        // A quote that opens a scalar (one inside a plain scalar, as in `it's`, does not).
        const close = t.indexOf(ch === 34 ? '"' : "'", i + 1);
        if (close < 0 || close >= eol) return false;
        i = close;
      }
    }
    return false;
  }

  /**
   * A one-line quoted scalar at `pos`: its value, with its end in `end`, or null where it does not close
   * on its line or holds an escape.
   */
  private quoted(pos: number): string | null {
    const t = this.t;
    const eol = this.lineEndNoBreak(pos);
    if (t.charCodeAt(pos) === 34) {
      const close = t.indexOf('"', pos + 1);
      if (close < 0 || close >= eol) return null;
      const body = t.slice(pos + 1, close);
      if (body.includes('\\')) throw DECLINE;
      this.end = close + 1;
      return body;
    }
    let value = '';
    let i = pos + 1;
    for (;;) {
      const close = t.indexOf("'", i);
      if (close < 0 || close >= eol) return null;
      value += t.slice(i, close);
      if (t.charCodeAt(close + 1) === 39) {
        value += "'";
        i = close + 2;
        continue;
      }
      this.end = close + 1;
      return value;
    }
  }

  private scalar(start: number, end: number, value: YScalar['value'], quoted: boolean): YScalar {
    return { kind: 'scalar', span: span(this.base + start, this.base + end), value, quoted };
  }

  /** A flow map or list that closes on the line it opens on; its end is left in `end`. */
  private flow(pos: number, depth: number): YMap | YSeq {
    if (depth > LIMITS.maxDepth) throw DECLINE;
    const t = this.t;
    const isMap = t.charCodeAt(pos) === 123;
    const close = isMap ? 125 : 93;
    const base = this.stack.length;
    let p = this.skipFlowSpaces(pos + 1);
    if (t.charCodeAt(p) !== close) {
      for (;;) {
        if (isMap) {
          const key = this.flowKey(p);
          const keySpan = span(this.base + p, this.base + this.end);
          let i = this.skipFlowSpaces(this.end);
          if (t.charCodeAt(i) !== 58 || t.charCodeAt(i + 1) !== 32) throw DECLINE;
          i = this.skipFlowSpaces(i + 1);
          const value = this.flowValue(i, depth + 1);
          this.stack.push({ key, keySpan, value, span: span(keySpan.start, Math.max(value.span.end, keySpan.end)) });
          p = this.skipFlowSpaces(this.end);
        } else {
          this.stack.push(this.flowValue(p, depth + 1));
          p = this.skipFlowSpaces(this.end);
          // `[a: 1]` is a list holding a one-pair map.
          if (t.charCodeAt(p) === 58) throw DECLINE;
        }
        const c = t.charCodeAt(p);
        if (c === 44 /* , */) {
          p = this.skipFlowSpaces(p + 1);
          // A trailing comma is valid YAML, but not worth the risk.
          if (t.charCodeAt(p) === close) throw DECLINE;
          continue;
        }
        if (c === close) break;
        throw DECLINE;
      }
    }
    const s = span(this.base + pos, this.base + p + 1);
    this.end = p + 1;
    return isMap ? { kind: 'map', span: s, pairs: this.entries(base) as YPair[], flow: true } : { kind: 'seq', span: s, items: this.entries(base) as YNode[], flow: true };
  }

  /** The entries gathered on the stack from `base` on, taken off it into an array of their own. */
  private entries(base: number): (YPair | YNode)[] {
    const out = this.stack.slice(base);
    this.stack.length = base;
    return out;
  }

  /** Spaces inside a flow collection; a line break or a comment there declines. */
  private skipFlowSpaces(p: number): number {
    const t = this.t;
    while (t.charCodeAt(p) === 32) p++;
    if (p >= t.length || t.charCodeAt(p) === 10 || t.charCodeAt(p) === 13 || t.charCodeAt(p) === 35) throw DECLINE;
    return p;
  }

  private flowValue(p: number, depth: number): YNode {
    if (depth > LIMITS.maxDepth) throw DECLINE;
    const c = this.t.charCodeAt(p);
    if (c === 91 || c === 123) return this.flow(p, depth);
    return this.flowScalar(p);
  }

  /**
   * A key inside a flow map, as its pair holds it (a plain key's value as text), with its end in `end`:
   * read as a value is, with the key's own limits, and no node built for it.
   */
  private flowKey(p: number): string {
    const t = this.t;
    const c = t.charCodeAt(p);
    if (c === 34 || c === 39) {
      const value = this.quoted(p);
      if (value === null || this.end - p > MAX_KEY) throw DECLINE;
      return value;
    }
    const end = this.plainFlowEnd(p);
    if (end - p > MAX_KEY) throw DECLINE;
    this.end = end;
    return plainKey(t.slice(p, end));
  }

  /** A quoted or plain scalar value inside a flow collection, its end left in `end`. */
  private flowScalar(p: number): YScalar {
    const c = this.t.charCodeAt(p);
    if (c === 34 || c === 39) {
      const value = this.quoted(p);
      if (value === null) throw DECLINE;
      return this.scalar(p, this.end, value, true);
    }
    const end = this.plainFlowEnd(p);
    this.end = end;
    return this.scalar(p, end, resolvePlain(this.t.slice(p, end)), false);
  }

  /**
   * Where a plain scalar inside a flow collection that starts at `p` ends: before `,`, `]`, `}` or `: `,
   * with the spaces before that left out. A bracket, a colon or a comment inside it declines.
   */
  private plainFlowEnd(p: number): number {
    const t = this.t;
    if (!this.plainStart(p, true)) throw DECLINE;
    const n = t.length;
    let i = p;
    for (; i < n; i++) {
      const ch = t.charCodeAt(i);
      if (ch === 10 || ch === 13 || ch === 44 || ch === 93 || ch === 125) break;
      if (ch === 91 || ch === 123 || ch === 58 || ch === 35) {
        if (ch === 58) {
          const d = t.charCodeAt(i + 1);
          if (d === 32 || d === 44 || d === 125 || d === 93) break;
        }
        throw DECLINE;
      }
    }
    let end = i;
    while (end > p && t.charCodeAt(end - 1) === 32) end--;
    if (end === p) throw DECLINE;
    return end;
  }
}

/** A plain key's name as its pair holds it: the text of its value (`null` and `~` give ''). */
function plainKey(source: string): string {
  // `<<` is a merge key under YAML 1.1 and a plain key under 1.2: leave it to the library.
  if (source === '<<') throw DECLINE;
  const v = resolvePlain(source);
  return v === null ? '' : String(v);
}

// The core schema's plain scalars, as module constants: a regular expression literal makes a new object
// each time it is evaluated, which in a first (unoptimised) reading was 2.8 MB of the 1k file's 11.2 MB.
const CORE_NULL = /^(?:~|[Nn]ull|NULL)$/;
const CORE_TRUE = /^(?:[Tt]rue|TRUE)$/;
const CORE_FALSE = /^(?:[Ff]alse|FALSE)$/;
const CORE_OCT = /^0o[0-7]+$/;
const CORE_INT = /^[-+]?[0-9]+$/;
const CORE_HEX = /^0x[0-9a-fA-F]+$/;
const CORE_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const CORE_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const CORE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** A plain scalar's value under the YAML 1.2 core schema, as the `yaml` library resolves it. */
export function resolvePlain(s: string): string | number | boolean | null {
  const c = s.charCodeAt(0);
  // Most scalars are names: only these first characters can start a null, a boolean or a number.
  if (!(c === 126 || c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70 || c === 43 || c === 45 || c === 46 || (c >= 48 && c <= 57))) return s;
  if (CORE_NULL.test(s)) return null;
  if (CORE_TRUE.test(s)) return true;
  if (CORE_FALSE.test(s)) return false;
  if (CORE_OCT.test(s)) return parseInt(s.substring(2), 8);
  if (CORE_INT.test(s)) return parseInt(s, 10);
  if (CORE_HEX.test(s)) return parseInt(s.substring(2), 16);
  if (CORE_SPECIAL.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (CORE_EXP.test(s)) return parseFloat(s);
  if (CORE_FLOAT.test(s)) return parseFloat(s);
  return s;
}
