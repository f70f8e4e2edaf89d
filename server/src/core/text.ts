/**
 * Text helpers for messages built from a user's topology. A chain of 100,000 services once made one
 * message list every hop (megabytes in a diagnostic); lists in messages are capped.
 */

/**
 * Whether `text` has more than `n` lines, counting line feeds only up to the first one over; with the
 * editor's memo of the document (`n` at most its cap), only the lines an edit touched.
 */
export function moreLinesThan(text: string, n: number, memo?: LineMemo): boolean {
  if (text.length < n) return false;
  return (memo ? memo.count(text) : linesUpTo(text, n + 1)) > n;
}

/** The number of lines of `text`, counted up to `cap` (a hostile file is not counted to its end). */
function linesUpTo(text: string, cap: number): number {
  let lines = 1;
  for (let at = text.indexOf('\n'); at >= 0 && lines < cap; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}

/** The line feeds in `text` from `from` to `to`. */
function lineFeeds(text: string, from: number, to: number): number {
  let n = 0;
  for (let at = text.indexOf('\n', from); at >= 0 && at < to; at = text.indexOf('\n', at + 1)) n++;
  return n;
}

/**
 * The editor's line count, one per document: a keystroke's text differs from the last one in one region,
 * so its count is the last one's with that region's line feeds taken out and the new ones put in. Counting
 * a 5,000-service file's 77,000 lines took about 7 ms a keystroke, twice (the engine's line limit and the
 * entry cut's shortcut). A count over the cap is not kept: the next text is counted whole again.
 */
export class LineMemo {
  private text?: string;
  private lines = 0;

  constructor(private readonly cap: number) {}

  /** The lines of `text`, exact up to the cap; past it, some number over the cap. */
  count(text: string): number {
    const cap = this.cap;
    if (text === this.text) return this.lines;
    const last = this.text;
    let lines: number;
    if (last !== undefined) {
      const { prefix, suffix } = sharedEnds(last, text);
      lines = this.lines - lineFeeds(last, prefix, last.length - suffix) + lineFeeds(text, prefix, text.length - suffix);
    } else lines = linesUpTo(text, cap + 1);
    this.text = lines > cap ? undefined : text;
    this.lines = lines;
    return lines;
  }
}

/**
 * One line of plain text: line breaks (also U+2028/U+2029) become spaces and other control characters
 * are dropped, so a name or a reason cannot start a line of its own in a generated file.
 */
export function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this drops.
  return s.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

/** How many items a capped list shows at its start and at its end. */
export const LIST_HEAD = 6;
export const LIST_TAIL = 3;

/**
 * `items` joined by `sep`, or, past head + tail items, the first and the last ones around an ellipsis
 * with the count: "a → b → … → y → z, 1,204 in all".
 */
export function capList(items: readonly string[], sep: string, head = LIST_HEAD, tail = LIST_TAIL): string {
  if (items.length <= head + tail + 1) return items.join(sep);
  return `${items.slice(0, head).join(sep)}${sep}…${sep}${items.slice(items.length - tail).join(sep)}, ${items.length.toLocaleString('en-US')} in all`;
}

/** Any regular expression flattens its subject (an editor's text is a concatenation after each change). */
export const FLATTEN = /^/;

/**
 * How many characters `a` and `b` share at their start: bisection over equal prefixes, each one native
 * comparison of two slices (a loop over the characters took 5 ms a megabyte, this about 0.1 ms).
 */
export function commonPrefix(a: string, b: string): number {
  let lo = 0;
  let hi = Math.min(a.length, b.length);
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (a.substring(lo, mid) === b.substring(lo, mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** How many characters `a` and `b` share at their end, not counting the first `prefix` of either. */
export function commonSuffix(a: string, b: string, prefix: number): number {
  let lo = 0;
  let hi = Math.min(a.length, b.length) - prefix;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (a.substring(a.length - mid, a.length - lo) === b.substring(b.length - mid, b.length - lo)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The last answer of `sharedEnds`: a keystroke asks it of the same two texts several times. */
let lastEnds: { a: string; b: string; prefix: number; suffix: number } | undefined;

/**
 * How much `last` and `text` share at their start and, after that, at their end: where an edit lies. The
 * depth scan, the cut, the line count, the chunk cache and the kept analysis each ask it after a
 * keystroke, of the same two texts; it is worked out once (the answer for the last pair asked is kept,
 * with the two texts).
 */
export function sharedEnds(last: string, text: string): { prefix: number; suffix: number } {
  const m = lastEnds;
  if (m && m.a === last && m.b === text) return m;
  FLATTEN.test(text);
  const prefix = commonPrefix(last, text);
  const suffix = commonSuffix(last, text, prefix);
  lastEnds = { a: last, b: text, prefix, suffix };
  return lastEnds;
}
