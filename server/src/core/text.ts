/**
 * Text helpers for messages built from a user's topology. A chain of 100,000 services once made one
 * message list every hop (megabytes in a diagnostic); lists in messages are capped.
 */

/** Whether `text` has more than `n` lines, counting line feeds only up to the first one over. */
export function moreLinesThan(text: string, n: number): boolean {
  if (text.length < n) return false;
  let lines = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) if (++lines > n) return true;
  return false;
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
