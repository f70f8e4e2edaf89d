/**
 * A linear pre-scan of nesting depth, run before the `yaml` library sees a text. The library composes
 * nodes recursively: `deep: [[[[…]]]]` 10,000 levels deep drives it to the end of the stack, where V8
 * compiles one of the library's regular expressions with no room left and aborts the whole process
 * ("RegExpCompiler Allocation failed", exit 134) instead of throwing a catchable RangeError. So no text
 * deeper than HARD_DEPTH reaches the library: the top-level part that holds the deep place is blanked
 * (replaced by spaces, line breaks kept, so every offset stays where it was) and reported there, and
 * the other top-level parts are read as usual.
 *
 * The scan is deliberately approximate and generous: it counts flow brackets (outside quotes and
 * comments), block indentation levels and `- ` markers. The DSL needs fewer than ten levels; the
 * converter's own limit (LIMITS.maxDepth, 64) still gives the precise finding for moderately deep input.
 */
import { span } from './span';
import { FLATTEN, sharedEnds } from './text';
import type { SyntaxProblem } from './ynode';

/** Depth past which a part of the text is not given to the YAML library at all. */
export const HARD_DEPTH = 200;

export interface DepthGuard {
  /** The text to parse: the input, or the input with its too-deep top-level parts blanked. */
  readonly text: string;
  readonly problems: SyntaxProblem[];
}

/**
 * Scans `text` once; blanks and reports every entry or top-level part that nests deeper than `limit`.
 * With a memo (the editor's, one per document), a text that differs from the memo's last one by an edit
 * is rescanned only around the edit where that gives the same answer (see DepthMemo).
 */
export function guardDepth(text: string, limit = HARD_DEPTH, memo?: DepthMemo): DepthGuard {
  const deep = memo ? memo.places(text, limit) : deepPlaces(text, limit);
  if (deep.length === 0) return { text, problems: [] };
  const problems: SyntaxProblem[] = [];
  const parts: string[] = [];
  let copied = 0;
  for (const { at, start, end } of deep) {
    parts.push(text.slice(copied, start));
    // Keep the `key:` that opens the part, so the map around it still reads as a map.
    const head = /^[ ]*[^\s#:[\]{},'"-][^\n:]*:(?=[ \t\r\n]|$)/.exec(text.slice(start, Math.min(end, start + 1024)));
    const keep = head ? head[0].length : 0;
    parts.push(text.slice(start, start + keep), text.slice(start + keep, end).replace(/[^\n\r]/g, ' '));
    copied = end;
    problems.push({ code: 'RESOURCE_LIMIT', span: span(at, Math.min(at + 1, text.length)), detail: `nesting deeper than ${limit} levels; this part of the file is not read` });
  }
  parts.push(text.slice(copied));
  return { text: parts.join(''), problems };
}

/**
 * Runs deepPlaces skips: outside quotes, the characters its loop looks at are quotes, `#`, brackets, `-`,
 * `|` and `>`, but a `-` right after a word character (`svc-12`) cannot mark a sequence, so it is run too;
 * inside double quotes, `"` and `\`; inside single quotes, `'`. None runs past a line break.
 */
const PLAIN = /(?:[^"'#[\]{}|>\n-]|(?<=[\w.])-)+/y;
const IN_DOUBLE = /[^"\\\n]+/y;
const IN_SINGLE = /[^'\n]+/y;

interface DeepPlace {
  /** The first offset past the limit. */
  readonly at: number;
  /** The part left out: the entry (second block level) or the top-level part around `at`. */
  readonly start: number;
  end: number;
}

/**
 * The first offset past the limit in each entry (the lines under a key at the second block level, such
 * as one service) or, where there is no such entry, each top-level part; empty when the text is shallow
 * enough. One pass, with a stack of open indentation levels and the start of each level's line.
 */
export function deepPlaces(text: string, limit: number): DeepPlace[] {
  return scan(text, limit, 0, RESTART_EMPTY).places;
}

/**
 * Where a scan may start over: a line reached with no open bracket, quote, block scalar or deep place,
 * after whose indentation the stack of open levels holds nothing (RESTART_EMPTY, a line at the left
 * margin) or only the left margin (RESTART_MARGIN, an entry's line, say). From such a line the scan
 * depends on nothing before it, so an edit is rescanned from the last one before it (DepthMemo).
 */
const RESTART_NONE = 0;
const RESTART_EMPTY = 1;
const RESTART_MARGIN = 2;

interface Scan {
  places: DeepPlace[];
  /**
   * The restart points the scan passed up to where it stopped: where each one's line starts and its kind.
   * Only restart points: a table of every line (200,000 empty ones, in a fuzzed file) cost more than the
   * scan itself.
   */
  restartStarts: number[];
  restartKinds: number[];
  /** Where the scan stopped: the text's end, or the first line start that `stop` accepted. */
  end: number;
}

/**
 * The scan, from `from` (a line start, with the state of restart point `kind`) to the end of the text,
 * or to the first restart point that `stop` accepts (given its kind there).
 */
function scan(text: string, limit: number, from: number, kind: number, stop?: (lineStart: number, kind: number) => boolean): Scan {
  const out: DeepPlace[] = [];
  const restartStarts: number[] = [];
  const restartKinds: number[] = [];
  /** Indentation of the open block levels, innermost last, and where each level's line starts. */
  const indents: number[] = kind === RESTART_MARGIN ? [0] : [];
  // Only a deep place reads where a level's line starts, and a scan that finds one is redone from the start.
  const starts: number[] = kind === RESTART_MARGIN ? [-1] : [];
  let flow = 0;
  let quote = '';
  let blockScalarIndent = -1;
  /** The place being reported, until a line at or left of its part's indentation closes it. */
  let open: (DeepPlace & { indent: number }) | undefined;
  /** Opens the place at `at`: the entry (second level) when the deep place is inside one, else the top-level part. */
  const mark = (at: number, lineStart: number) => {
    const level = indents.length >= 2 ? 1 : 0;
    open = { at, start: starts[level] ?? lineStart, end: text.length, indent: indents[level] ?? 0 };
    out.push(open);
  };
  let pos = from;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    const lineStart = pos;
    pos = nl + 1;
    let i = lineStart;
    while (i < nl && (text[i] === ' ' || text[i] === '\t')) i++;
    const indent = i - lineStart;
    if (i >= nl || text[i] === '\r') continue;
    if (blockScalarIndent >= 0) {
      if (indent > blockScalarIndent) continue;
      blockScalarIndent = -1;
    }
    // A line at or left of the open part's indentation ends it, even inside an unclosed bracket or
    // quote: the chunked reading (incremental.ts) confines an unclosed bracket to its entry the same way.
    if (open && indent <= open.indent && text[i] !== '#') {
      open.end = lineStart;
      open = undefined;
      flow = 0;
      quote = '';
    }
    if (flow === 0 && !quote) {
      if (text[i] === '#') continue;
      while (indents.length && indents[indents.length - 1] >= indent) {
        indents.pop();
        starts.pop();
      }
      if (!open && blockScalarIndent < 0) {
        const k = indents.length === 0 ? RESTART_EMPTY : indents.length === 1 && indents[0] === 0 ? RESTART_MARGIN : RESTART_NONE;
        if (k !== RESTART_NONE) {
          if (stop?.(lineStart, k)) return { places: out, restartStarts, restartKinds, end: lineStart };
          restartStarts.push(lineStart);
          restartKinds.push(k);
        }
      }
      indents.push(indent);
      starts.push(lineStart);
    }
    let seqMarks = 0;
    let atTokenStart = true;
    const first = i;
    for (; i < nl; i++) {
      // Past a line's first character, runs of characters that change nothing but whether a token starts
      // are skipped with one sticky regular expression (several times faster than this loop, which runs
      // over the whole text on every keystroke). The depth changes only at the characters they stop at,
      // or at a line's first character, so the first offset past the limit is the same.
      if (i > first) {
        const run = quote === '"' ? IN_DOUBLE : quote === "'" ? IN_SINGLE : PLAIN;
        run.lastIndex = i;
        if (run.test(text)) {
          const end = run.lastIndex;
          if (!quote) {
            const last = text[end - 1];
            atTokenStart = last === ' ' || last === '\t' || last === ',' || last === ':' || last === '?' || (last === '-' && seqMarks > 0);
            // The loop checks the depth after each character it takes; the run's first would have been.
            if (!open && indents.length + seqMarks + flow > limit) mark(i, lineStart);
          }
          i = end;
          if (i >= nl) break;
        }
      }
      const c = text[i];
      if (quote) {
        if (c === quote) {
          if (quote === "'" && text[i + 1] === "'") i++;
          else quote = '';
        } else if (c === '\\' && quote === '"') i++;
        continue;
      }
      if (c === '#' && (i === lineStart || text[i - 1] === ' ' || text[i - 1] === '\t')) break;
      if ((c === '"' || c === "'") && atTokenStart) {
        quote = c;
        continue;
      }
      if (c === '[' || c === '{') flow++;
      else if ((c === ']' || c === '}') && flow > 0) flow--;
      else if (c === '-' && flow === 0 && atTokenStart && (text[i + 1] === ' ' || i + 1 >= nl)) seqMarks++;
      else if ((c === '|' || c === '>') && flow === 0 && atTokenStart && /^[|>][-+0-9]*[ \t]*(?:#.*)?\r?$/.test(text.slice(i, Math.min(nl, i + 64)))) {
        blockScalarIndent = indents.length ? indents[indents.length - 1] : 0;
        break;
      }
      atTokenStart = c === ' ' || c === '\t' || c === '[' || c === '{' || c === ',' || c === ':' || c === '?' || (c === '-' && seqMarks > 0);
      if (!open && indents.length + seqMarks + flow > limit) mark(i, lineStart);
    }
  }
  return { places: out, restartStarts, restartKinds, end: text.length };
}

/**
 * The editor's depth scan, one per document: a keystroke's text is the last one with one region changed,
 * and the scan of the whole text (about 5 ms at 1,000 services, 23 at 5,000, on every keystroke) mostly
 * repeats the last one. The memo keeps, for the last text scanned without a deep place, the lines where
 * the scan could start over (restart points) and their kinds. A new text is scanned from the
 * last restart point before the line where it starts to differ, up to the first line after the change
 * that is a restart point of the same kind in both texts: from there the two texts are the same and so
 * is the scan's state, so the rest of the new text has no deep place either. A partial scan that finds
 * a deep place, or a last text that had one, is answered by a scan of the whole text, as without a memo.
 * test/unit/parse/depth.test.ts holds the answers equal to a fresh scan under seeded edits.
 */
export class DepthMemo {
  private text?: string;
  private limit = 0;
  /** The last text's restart points: where each one's line starts, ascending, and its kind. */
  private starts: Int32Array = new Int32Array(0);
  private kinds: Uint8Array = new Uint8Array(0);
  /** How the last text was scanned: for tests and the benchmark. */
  partial = 0;
  whole = 0;

  places(text: string, limit: number): DeepPlace[] {
    // An editor's text is a concatenation after each change; the comparisons below want it flat, as every
    // scan after them does anyway (a regular expression flattens its subject once).
    FLATTEN.test(text);
    const last = this.text;
    if (last !== undefined && limit === this.limit) {
      if (last === text) return [];
      const r = this.rescan(last, text, limit);
      if (r) {
        this.partial++;
        return [];
      }
    }
    this.whole++;
    const all = scan(text, limit, 0, RESTART_EMPTY);
    this.keep(all.places.length ? undefined : text, limit, Int32Array.from(all.restartStarts), Uint8Array.from(all.restartKinds));
    return all.places;
  }

  private keep(text: string | undefined, limit: number, starts: Int32Array, kinds: Uint8Array): void {
    this.text = text;
    this.limit = limit;
    this.starts = text === undefined ? new Int32Array(0) : starts;
    this.kinds = text === undefined ? new Uint8Array(0) : kinds;
  }

  /** The partial scan of `text` after `last` (which had no deep place); false where it cannot answer. */
  private rescan(last: string, text: string, limit: number): boolean {
    const { prefix, suffix } = sharedEnds(last, text);
    const delta = text.length - last.length;
    const lastChangeEnd = last.length - suffix;
    const starts = this.starts;
    const kinds = this.kinds;
    // The last restart point on a line before the one the change starts on (its line and what comes
    // before it are the same in both texts), else the text's start, a restart point of the empty kind
    // whatever its first line holds.
    const changedLine = prefix === 0 ? 0 : last.lastIndexOf('\n', prefix - 1) + 1;
    const r = changedLine === 0 ? -1 : upperBound(starts, changedLine - 1) - 1;
    const from = r < 0 ? 0 : starts[r];
    const kind = from === 0 ? RESTART_EMPTY : kinds[r];
    // Stop at a line start past the change whose line in the last text was a restart point of the same kind.
    const kindThen = (lineStart: number): number => {
      const at = lineStart - delta;
      if (at < lastChangeEnd) return RESTART_NONE;
      const k = upperBound(starts, at) - 1;
      return k >= 0 && starts[k] === at ? kinds[k] : RESTART_NONE;
    };
    const part = scan(text, limit, from, kind, (lineStart, k) => kindThen(lineStart) === k);
    if (part.places.length) return false;
    // The new table: the last text's restart points before `from`, the scan's, then the last text's from
    // where it stopped (a restart point of the last text: kindThen found it there), moved by the edit.
    const before = upperBound(starts, from - 1);
    const rest = part.end < text.length ? upperBound(starts, part.end - delta - 1) : starts.length;
    const mid = before + part.restartStarts.length;
    const nextStarts = new Int32Array(mid + starts.length - rest);
    const nextKinds = new Uint8Array(nextStarts.length);
    nextStarts.set(starts.subarray(0, before));
    nextStarts.set(part.restartStarts, before);
    for (let k = rest, j = mid; k < starts.length; k++, j++) nextStarts[j] = starts[k] + delta;
    nextKinds.set(kinds.subarray(0, before));
    nextKinds.set(part.restartKinds, before);
    nextKinds.set(kinds.subarray(rest), mid);
    this.keep(text, limit, nextStarts, nextKinds);
    return true;
  }
}

/** The index of the first element of the ascending `xs` greater than `x`. */
function upperBound(xs: Int32Array, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
