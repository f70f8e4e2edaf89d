/**
 * unknown-reference's "Did you mean" over thousands of ids: the same answer as schema.ts's didYouMean
 * (the first candidate at the smallest distance within the word's allowance, each code unit lowered on
 * its own, a case-insensitive match at distance 0), without its allocations per comparison. A file cut
 * at its entry limit leaves thousands of references dangling, and the suggestions for them were most of
 * the analysis (about 300 ms at 3,000 services). test/unit/engine/nearest-id.test.ts holds the two equal.
 */

/** Lowered code units longer than one unit ('İ' lowers to two), numbered past every single unit. */
const LONG = new Map<string, number>();

/** Writes the code units of `s`, each lowered on its own, as numbers (equal exactly when the lowered units are). */
function lowerCodes(s: string, out: Int32Array): void {
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u < 128) {
      out[i] = u >= 65 && u <= 90 ? u + 32 : u;
      continue;
    }
    const l = s[i].toLowerCase();
    if (l.length === 1) out[i] = l.charCodeAt(0);
    else {
      let id = LONG.get(l);
      if (id === undefined) LONG.set(l, (id = 0x10000 + LONG.size));
      out[i] = id;
    }
  }
}

/** Rows and code buffers, grown as needed and reused by every comparison. */
let codesA = new Int32Array(64);
let codesB = new Int32Array(64);
let prev = new Int32Array(65);
let cur = new Int32Array(65);

function fit(n: number): void {
  if (codesA.length >= n) return;
  const size = Math.max(n, codesA.length * 2);
  // The word's codes are kept: a long candidate grows the buffers in the middle of a search.
  const a = new Int32Array(size);
  a.set(codesA);
  codesA = a;
  codesB = new Int32Array(size);
  prev = new Int32Array(size + 1);
  cur = new Int32Array(size + 1);
}

/** The edit distance of the lowered codes of `a` (already in codesA) and `b`, or max + 1 when it is over max. */
function distance(aLength: number, b: string, max: number): number {
  if (Math.abs(aLength - b.length) > max) return max + 1;
  fit(b.length);
  lowerCodes(b, codesB);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= aLength; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = codesA[i - 1];
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === codesB[j - 1] ? 0 : 1;
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[b.length];
}

/** The nearest candidate within a distance that scales with the word, or undefined (schema.ts's didYouMean). */
export function nearestId(word: string, candidates: Iterable<string>): string | undefined {
  const max = word.length <= 3 ? 1 : word.length <= 6 ? 2 : 3;
  const lower = word.toLowerCase();
  fit(word.length);
  lowerCodes(word, codesA);
  let best: string | undefined;
  let bestD = max + 1;
  for (const c of candidates) {
    if (c === word) continue;
    const d = c.toLowerCase() === lower ? 0 : distance(word.length, c, max);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}
