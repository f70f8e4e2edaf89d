/**
 * A small, position-exact tree of what YAML said, built from the `yaml` library's AST. Everything
 * downstream (schema validation, the model builder, quick fixes) reads this tree, never the library's
 * nodes, so the library's shape stays in one file and the incremental parser can cache and move
 * subtrees freely.
 */
import { Composer, isAlias, isCollection, isDocument, isMap, isPair, isScalar, isSeq, Parser, type Alias, type Document, type ErrorCode, type Node as YamlNode, type YAMLParseError } from 'yaml';
import { shiftSpan, span, type Span } from './span';
import { parseFast } from './fastyaml';
import { LIMITS, type SyntaxProblem, type YamlParse, type YNode, type YPair } from './ytree';

export { LIMITS, type SyntaxProblem, type YamlParse, type YMap, type YNode, type YPair, type YScalar, type YSeq } from './ytree';

/** The most syntax problems one parse reports. */
export const MAX_PROBLEMS = 100;

/**
 * Parses one YAML text (a whole file or a chunk of one) into a YNode tree; spans are offset by `base`.
 * `depth` is how deep the text's root sits in the whole document (an entry of `services:` sits at 1), so
 * that a chunk meets LIMITS.maxDepth exactly where the whole document does.
 *
 * Every parse goes through here: the fast reader (fastyaml.ts) takes the texts it can read exactly, about
 * ten times faster, and the `yaml` library takes the rest, with its recovery and its error codes.
 */
export function parseYaml(text: string, base = 0, depth = 0): YamlParse {
  return (fastPath && parseFast(text, base, depth)) || parseRobust(text, base, depth);
}

let fastPath = true;

/** The fast reader's reading of a whole text, null where it declines, undefined while it is turned off. */
export function readFast(text: string): YamlParse | null | undefined {
  return fastPath ? parseFast(text, 0, 0) : undefined;
}

/**
 * Turns the fast reader off or on, for the property tests and the benchmark, which compare the two
 * readings end to end. Returns the previous setting.
 */
export function setFastPath(on: boolean): boolean {
  const was = fastPath;
  fastPath = on;
  return was;
}

/** The `yaml` library's reading of a text, converted to YNodes: what `parseYaml` falls back to. */
export function parseRobust(text: string, base = 0, depth = 0): YamlParse {
  return readShortened(text, base, depth) ?? parseLibrary(text, base, depth);
}

/**
 * The library's reading of a text with its long runs of empty lines shortened (see "Long runs of empty
 * lines" below), or null where the text has none to shorten outside its scalars.
 */
export function readShortened(text: string, base = 0, depth = 0): YamlParse | null {
  let runs = longRuns(text);
  for (let round = 0; runs.length > 0 && round < 3; round++) {
    const short = shorten(text, runs);
    const doc = library(short.text);
    if (!isDocument(doc)) return null;
    const inside = runsInScalars(doc, short.runs);
    if (inside.size === 0) return mapParse(convert(doc, short.text, 0, depth), short.runs, base);
    // A run inside a scalar is part of its value: the library reads that run whole (it does so several
    // times faster than a run between nodes, as part of one token), and the others are tried again.
    runs = runs.filter((_, i) => !inside.has(i));
  }
  return null;
}

/** The library's reading of the text as it is: the reference the shortened reading is tested against. */
export function parseLibrary(text: string, base = 0, depth = 0): YamlParse {
  const doc = library(text);
  if (!isDocument(doc)) return { root: null, problems: [{ code: 'IMPOSSIBLE', span: span(base, base + text.length), detail: String(doc.error) }] };
  return convert(doc, text, base, depth);
}

/**
 * The library's parse, or what it threw (it catches its own stack overflows; anything else must not
 * escape). Exported for test/unit/parse/library.test.ts, which holds its reports to parseDocument's.
 */
export function library(text: string): Document.Parsed | { error: unknown } {
  // Every error the library reports is an Error, and each captures a stack trace nobody reads: a broken
  // text (a long run of quotes, say) makes tens of thousands of them, and capturing their stacks was
  // over half of the time of the fuzzer's slowest inputs. No stacks while the library parses.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    // parseDocument's own steps, with the composer's error reports made cheap (see cheapErrors).
    const composer = new Composer({ uniqueKeys: false, prettyErrors: false, strict: true, keepSourceTokens: false });
    cheapErrors(composer);
    let doc: Document.Parsed | undefined;
    for (const d of composer.compose(new Parser().parse(text), true, text.length)) {
      if (!doc) doc = d;
      else {
        doc.errors.push(report([d.range[0], d.range[1]], 'MULTIPLE_DOCS') as YAMLParseError);
        break;
      }
    }
    return doc!;
  } catch (error) {
    return { error };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * The library makes an Error object of each problem it reports (about 2 µs each even without a stack
 * trace, and their garbage): a run of 200,000 quotes made 75,000 of them, a third of its time. Only
 * their place and code are read here, and only the first MAX_PROBLEMS * 4 of them (see convert), so the
 * composer's report function is replaced by one that keeps a plain record of each, up to that many of
 * each kind, in the lists the library keeps them in: the first reports, in their order, are the ones
 * the library's own function would have kept. (The function is the composer's `onError` field, which
 * the library's types call private; the version is pinned, and where the field is missing the library's
 * reports are read as they are.)
 */
function cheapErrors(composer: Composer): void {
  const c = composer as unknown as { onError?: unknown; errors: unknown[]; warnings: unknown[] };
  if (typeof c.onError !== 'function') return;
  c.onError = (source: unknown, code: ErrorCode, _message: string, warning?: boolean) => {
    const list = warning ? c.warnings : c.errors;
    if (list.length < MAX_PROBLEMS * 4) list.push(report(errorPos(source), code));
  };
}

/** A problem's record in place of the library's Error object: what convert reads of one. */
function report(pos: [number, number], code: ErrorCode): { pos: [number, number]; code: ErrorCode } {
  return { pos, code };
}

/** Where the library's report function places a problem: an offset, a range, or a token. */
function errorPos(source: unknown): [number, number] {
  if (typeof source === 'number') return [source, source + 1];
  if (Array.isArray(source)) return [source[0] as number, source[1] as number];
  const t = source as { offset: number; source?: unknown };
  return [t.offset, t.offset + (typeof t.source === 'string' ? t.source.length : 1)];
}

/** The library's document as YNodes and problems, spans offset by `base`. */
function convert(doc: Document.Parsed, text: string, base: number, depth: number): YamlParse {
  const problems: SyntaxProblem[] = [];
  // One report per code and place: an unclosed flow collection can make the library repeat the same
  // error hundreds of times at one offset, and alias expansion could repeat ours.
  const seen = new Set<string>();
  const report = (p: SyntaxProblem) => {
    const key = `${p.code}@${p.span.start}-${p.span.end}`;
    // A run of 50,000 quotes gave 28,000 errors and as many findings; past MAX_PROBLEMS the text is
    // broken beyond what more findings would help with, and each costs time in every later step.
    if (seen.has(key) || problems.length >= MAX_PROBLEMS) return;
    seen.add(key);
    problems.push(p);
  };
  let unclosed: UnclosedNodes | undefined;
  for (const err of [...doc.errors, ...doc.warnings].slice(0, MAX_PROBLEMS * 4)) {
    let [s, e] = err.pos;
    // The library reports an unclosed quote or bracket where it gave up (often the end of the text, one
    // past its last character); the user has to find the opening character, so point there instead.
    const open = err.code === 'MISSING_CHAR' || err.code === 'BAD_INDENT' ? (unclosed ??= unclosedNodes(doc, text)).get(s) : undefined;
    if (open !== undefined) [s, e] = [open, open + 1];
    // A span never reaches past the end of the text (it would name no character of the document).
    s = Math.min(s, text.length);
    e = Math.min(Math.max(e, s + 1), text.length);
    report({ code: err.code, span: span(base + s, base + e) });
  }
  const conv = new Converter(doc, base, report);
  const root = doc.contents ? conv.node(doc.contents, depth) : null;
  return { root, problems };
}

// ---------------------------------------------------------------------------------------------------
// Long runs of empty lines.
//
// The library spends about 3.5 µs on each empty line between nodes (a token and a parser step each,
// and their garbage): the fuzzer's slowest inputs were broken files holding one run of 200,000 empty
// lines, 0.7 s of the library alone. Outside a scalar, a run of empty lines means the same however long
// it is, so the library is given a shortened run — its first and last RUN_HALF line breaks — and every
// offset it reports is mapped back to the text. Inside a scalar (a block scalar, a quoted or multi-line
// plain one) the run is part of the value, so such a run is given whole. test/unit/parse/runs.test.ts
// holds the shortened reading equal to the whole one (tree, values, spans and problems) under mutation.

/** A run of empty lines is shortened only past this many line breaks (below, the gain is a few ms). */
const LONG_RUN = 4096;
/**
 * What is kept at each end of a shortened run. The kept run is over 1,024 characters long, so the
 * library's one length rule (an implicit key's `:` at most 1,024 characters after its start) fires on
 * the shortened text exactly where it does on the whole one; and what the library decides near either
 * end of a run (where a node or an error starts or ends) is decided on the same characters.
 */
const RUN_HALF = 520;

interface Run {
  /** Where the run starts in the text, and its length (characters). */
  readonly start: number;
  readonly length: number;
  /** One line break: 1 (`\n`) or 2 (`\r\n`). */
  readonly unit: number;
}

interface ShortRun extends Run {
  /** Where the run starts in the shortened text, and how many characters of it are left there. */
  readonly at: number;
  readonly kept: number;
  /** Characters removed up to and including this run. */
  readonly removed: number;
}

/** Every run of more than LONG_RUN line breaks of one kind (`\n`, or `\r\n`), in order. */
function longRuns(text: string): Run[] {
  // Cheap refusal first: most texts have no such run.
  if (text.length <= LONG_RUN || (!text.includes(LF_64) && !text.includes(CRLF_64))) return [];
  const out: Run[] = [];
  for (const m of text.matchAll(LONG_RUN_RE)) out.push({ start: m.index, length: m[0].length, unit: m[0][0] === '\r' ? 2 : 1 });
  return out;
}

const LF_64 = '\n'.repeat(64);
const CRLF_64 = '\r\n'.repeat(64);
const LONG_RUN_RE = new RegExp(`\\n{${LONG_RUN + 1},}|(?:\\r\\n){${LONG_RUN + 1},}`, 'g');

/** The text with each run cut to its first and last RUN_HALF line breaks. */
function shorten(text: string, runs: readonly Run[]): { text: string; runs: ShortRun[] } {
  const parts: string[] = [];
  const out: ShortRun[] = [];
  let copied = 0;
  let removed = 0;
  for (const r of runs) {
    parts.push(text.slice(copied, r.start));
    const kept = 2 * RUN_HALF * r.unit;
    const at = r.start - removed;
    parts.push(text.slice(r.start, r.start + kept));
    removed += r.length - kept;
    out.push({ ...r, at, kept, removed });
    copied = r.start + r.length;
  }
  parts.push(text.slice(copied));
  return { text: parts.join(''), runs: out };
}

/** The indexes of the runs that lie (partly) inside a scalar's text, where they are part of its value. */
function runsInScalars(doc: Document.Parsed, runs: readonly ShortRun[]): Set<number> {
  const inside = new Set<number>();
  walk(doc.contents, (n) => {
    if (!isScalar(n) || !n.range) return;
    const [s, e] = n.range;
    for (let i = firstRunEndingAfter(runs, s); i < runs.length && runs[i].at < e; i++) inside.add(i);
  });
  return inside;
}

/** The first run whose shortened text ends after `offset` (binary search; runs are in order). */
function firstRunEndingAfter(runs: readonly ShortRun[], offset: number): number {
  let lo = 0;
  let hi = runs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (runs[mid].at + runs[mid].kept <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * An offset in the shortened text to the text's own: before a run's middle it moves with the run's
 * start, from there with its end (so each kept half stands for the same half of the whole run).
 */
function original(runs: readonly ShortRun[], offset: number): number {
  let lo = 0;
  let hi = runs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (runs[mid].at + runs[mid].kept / 2 <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? offset : offset + runs[lo - 1].removed;
}

/** A span of the shortened text, mapped back: its last character, not the offset past it, decides. */
function mapSpan(runs: readonly ShortRun[], s: Span, base: number): Span {
  const start = original(runs, s.start);
  return { start: base + start, end: base + (s.end > s.start ? original(runs, s.end - 1) + 1 : start) };
}

/** A reading of the shortened text (base 0), moved onto the text's own offsets plus `base`. */
function mapParse(p: YamlParse, runs: readonly ShortRun[], base: number): YamlParse {
  const node = (n: YNode): YNode => {
    switch (n.kind) {
      case 'scalar':
        return { ...n, span: mapSpan(runs, n.span, base) };
      case 'seq':
        return { ...n, span: mapSpan(runs, n.span, base), items: n.items.map(node) };
      case 'map':
        return {
          ...n,
          span: mapSpan(runs, n.span, base),
          pairs: n.pairs.map((q) => ({ key: q.key, keySpan: mapSpan(runs, q.keySpan, base), value: q.value ? node(q.value) : null, span: mapSpan(runs, q.span, base) })),
        };
    }
  };
  return { root: p.root ? node(p.root) : null, problems: p.problems.map((q) => ({ ...q, span: mapSpan(runs, q.span, base) })) };
}

/** Where each quoted scalar or flow collection that lacks its closing character ends, to its start. */
type UnclosedNodes = Map<number, number>;

function unclosedNodes(doc: Document.Parsed, text: string): UnclosedNodes {
  const out: UnclosedNodes = new Map();
  walk(doc.contents, (n) => {
    const r = n.range;
    if (!r) return;
    const close = isScalar(n) ? (n.type === 'QUOTE_DOUBLE' ? '"' : n.type === 'QUOTE_SINGLE' ? "'" : '') : isCollection(n) && n.flow ? (isSeq(n) ? ']' : '}') : '';
    if (!close) return;
    const last = text.slice(r[0], r[1]).trimEnd();
    // Inner nodes come later in the walk and win: the innermost unclosed node is the one to name.
    if (last.length < 2 || !last.endsWith(close)) out.set(r[1], r[0]);
  });
  return out;
}

/**
 * Visits the library's nodes in document order (keys before values), without recursion: the library
 * builds trees hundreds of levels deep from hostile input.
 */
function walk(root: YamlNode | null, visit: (n: YamlNode) => void): void {
  const stack: unknown[] = root ? [root] : [];
  while (stack.length) {
    const x = stack.pop();
    if (!x || typeof x !== 'object') continue;
    visit(x as YamlNode);
    if (isMap(x)) {
      for (let i = x.items.length - 1; i >= 0; i--) stack.push(x.items[i].value, x.items[i].key);
    } else if (isSeq(x)) {
      for (let i = x.items.length - 1; i >= 0; i--) stack.push(x.items[i]);
    }
  }
}

class Converter {
  private aliasBudget = LIMITS.maxAliasExpansion;
  private readonly resolving = new Set<unknown>();
  /** Each alias's target, found in one walk (see targetOf). */
  private targets?: Map<Alias, YamlNode | undefined>;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly base: number,
    private readonly report: (p: SyntaxProblem) => void,
  ) {}

  /**
   * The node an alias names: the last node before it with that anchor, as `Alias.resolve` finds it. That
   * method walks the whole document on every call, which made a file of 50,000 aliases take minutes;
   * one walk for all aliases keeps the conversion linear.
   */
  private targetOf(alias: Alias): YamlNode | undefined {
    if (!this.targets) {
      const targets = new Map<Alias, YamlNode | undefined>();
      const anchors = new Map<string, YamlNode>();
      walk(this.doc.contents, (n) => {
        if (isAlias(n)) targets.set(n, anchors.get(n.source));
        else if (n.anchor) anchors.set(n.anchor, n);
      });
      this.targets = targets;
    }
    return this.targets.get(alias);
  }

  private spanOf(n: { range?: [number, number, number] | null } | null | undefined, fallback: number): Span {
    const r = n?.range;
    if (!r) return span(this.base + fallback, this.base + fallback);
    return span(this.base + r[0], this.base + r[1]);
  }

  node(n: YamlNode, depth: number, at?: Span): YNode {
    const here = at ?? this.spanOf(n, 0);
    if (depth > LIMITS.maxDepth) {
      this.report({ code: 'RESOURCE_LIMIT', span: here, detail: `nesting deeper than ${LIMITS.maxDepth} levels` });
      return { kind: 'scalar', span: here, value: null, quoted: false };
    }
    if (isAlias(n)) {
      const target = this.targetOf(n);
      if (!target || this.resolving.has(target)) {
        if (target) this.report({ code: 'BAD_ALIAS', span: here, detail: 'an alias that contains itself' });
        return { kind: 'scalar', span: here, value: null, quoted: false };
      }
      // Once the budget is spent, every further alias reads as null; only the first one is reported,
      // so a bomb gives one finding rather than thousands.
      if (this.aliasBudget < 0) return { kind: 'scalar', span: here, value: null, quoted: false };
      const cost = countNodes(target, this.aliasBudget + 1);
      this.aliasBudget -= cost;
      if (this.aliasBudget < 0) {
        this.report({ code: 'RESOURCE_LIMIT', span: here, detail: `aliases expand to more than ${LIMITS.maxAliasExpansion} nodes` });
        return { kind: 'scalar', span: here, value: null, quoted: false };
      }
      this.resolving.add(target);
      try {
        // An alias reads as its target, but every span points at the alias: that is where the user looks.
        return this.node(target, depth, here);
      } finally {
        this.resolving.delete(target);
      }
    }
    if (isScalar(n)) {
      const v = n.value;
      const value = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null ? v : String(v);
      const quoted = n.type === 'QUOTE_DOUBLE' || n.type === 'QUOTE_SINGLE' || n.type === 'BLOCK_LITERAL' || n.type === 'BLOCK_FOLDED';
      return { kind: 'scalar', span: at ?? this.spanOf(n, 0), value, quoted };
    }
    if (isMap(n)) {
      const pairs: YPair[] = [];
      for (const p of n.items) {
        if (!isPair(p)) continue;
        const keyNode = p.key as YamlNode | null;
        let key: string;
        let keySpan: Span;
        if (keyNode && isScalar(keyNode)) {
          key = keyNode.value === null ? '' : String(keyNode.value);
          keySpan = at ?? this.spanOf(keyNode, 0);
        } else if (keyNode) {
          const ks = at ?? this.spanOf(keyNode, 0);
          this.report({ code: 'NON_STRING_KEY', span: ks });
          continue;
        } else {
          continue;
        }
        const valueNode = p.value as YamlNode | null;
        const value = valueNode ? this.node(valueNode, depth + 1, at) : null;
        // `key:` with nothing after it still gets a null scalar from the library; keep it as null value.
        const effective = value && value.kind === 'scalar' && value.value === null && !value.quoted && value.span.end === value.span.start ? null : value;
        const end = effective ? Math.max(effective.span.end, keySpan.end) : keySpan.end;
        pairs.push({ key, keySpan, value: effective, span: span(keySpan.start, end) });
      }
      return { kind: 'map', span: at ?? this.spanOf(n, 0), pairs, flow: n.flow === true };
    }
    if (isSeq(n)) {
      const items: YNode[] = [];
      for (const it of n.items) {
        if (it && typeof it === 'object') items.push(this.node(it as YamlNode, depth + 1, at));
      }
      return { kind: 'seq', span: at ?? this.spanOf(n, 0), items, flow: n.flow === true };
    }
    return { kind: 'scalar', span: here, value: null, quoted: false };
  }
}

/** Counts the nodes under `n`, stopping once `limit` is passed (so a bomb costs at most `limit` steps). */
function countNodes(n: YamlNode, limit: number): number {
  let count = 0;
  const stack: unknown[] = [n];
  while (stack.length && count <= limit) {
    const x = stack.pop();
    count++;
    if (isMap(x)) for (const p of x.items) { if (p.value) stack.push(p.value); if (p.key) stack.push(p.key); }
    else if (isSeq(x)) for (const it of x.items) stack.push(it);
    else if (isAlias(x)) count += 1; // counted again when expanded; this keeps the walk finite.
  }
  return count;
}

/** Moves a cached subtree to a new place in the document. */
export function shiftNode(n: YNode, delta: number): YNode {
  if (delta === 0) return n;
  switch (n.kind) {
    case 'scalar':
      return { ...n, span: shiftSpan(n.span, delta) };
    case 'seq':
      return { ...n, span: shiftSpan(n.span, delta), items: n.items.map((i) => shiftNode(i, delta)) };
    case 'map':
      return {
        ...n,
        span: shiftSpan(n.span, delta),
        pairs: n.pairs.map((p) => ({
          key: p.key,
          keySpan: shiftSpan(p.keySpan, delta),
          value: p.value ? shiftNode(p.value, delta) : null,
          span: shiftSpan(p.span, delta),
        })),
      };
  }
}

export function shiftProblem(p: SyntaxProblem, delta: number): SyntaxProblem {
  return delta === 0 ? p : { ...p, span: shiftSpan(p.span, delta) };
}

/** The value of `key` in a map, or undefined. The first pair wins; duplicates are reported by the schema. */
export function get(map: YNode | null | undefined, key: string): YPair | undefined {
  if (!map || map.kind !== 'map') return undefined;
  for (let i = 0; i < map.pairs.length; i++) { const p = map.pairs[i]; if (p.key === key) return p; }
  return undefined;
}
