/**
 * The DSL's units (docs/dsl.md "Units"). Each parser returns a number in the base unit, or a string
 * that explains what is wrong: the schema validator turns that string into a finding at the value.
 */

export type UnitResult = { ok: true; value: number } | { ok: false; problem: string };

const DURATION = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m)?$/;
const SIZE = /^(\d+(?:\.\d+)?|\.\d+)\s*(B|KB|MB|GB)?$/;
const PERCENT = /^(\d+(?:\.\d+)?|\.\d+)\s*%$/;

/**
 * Where a number written as digits, perhaps with a fraction (`3100`, `99.95`), ends in `s`, or -1. The
 * common spellings (`250ms`, `99.9%`, `4KB`) are read with it, without a regular expression's match
 * and the trimmed copy: each value of a file is read twice (schema, model) and the first reading of a
 * large file runs unoptimised. Anything else takes the expressions' way, which gives the same values.
 */
function digitsEnd(s: string): number {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  if (i === 0) return -1;
  if (s.charCodeAt(i) !== 46) return i;
  const frac = ++i;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  return i > frac ? i : -1;
}

/** Whether `s` ends with `unit`, right at `end`. */
function unitAt(s: string, end: number, unit: string): boolean {
  return s.length - end === unit.length && s.startsWith(unit, end);
}

const DURATION_FACTOR: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };
const SIZE_FACTOR: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };
const DURATION_UNITS = Object.entries(DURATION_FACTOR);
const SIZE_UNITS = Object.entries(SIZE_FACTOR);

/**
 * The factor of the unit written right after the number that ends at `end` (`bare` where nothing follows
 * it), or 0 where what follows is none of `units` as written: the expressions' way then decides.
 */
function factorAt(s: string, end: number, units: readonly (readonly [string, number])[], bare: number): number {
  if (end === s.length) return bare;
  for (let i = 0; i < units.length; i++) if (unitAt(s, end, units[i][0])) return units[i][1];
  return 0;
}

/** Milliseconds from `250ms`, `2s`, `1.5m` or a bare number of milliseconds. */
export function parseDuration(raw: unknown): UnitResult {
  if (typeof raw === 'number') {
    // YAML reads `.inf` and `.nan` as numbers: they are not negative, so say what they are instead.
    if (!Number.isFinite(raw)) return { ok: false, problem: `${raw} is not a duration such as 250ms, 2s or 1.5m` };
    return raw >= 0 ? { ok: true, value: raw } : { ok: false, problem: 'a duration cannot be negative' };
  }
  if (typeof raw !== 'string') return { ok: false, problem: 'expected a duration such as 250ms, 2s or 1.5m' };
  const end = digitsEnd(raw);
  const f = end > 0 ? factorAt(raw, end, DURATION_UNITS, DURATION_FACTOR.ms) : 0;
  if (f) return { ok: true, value: parseFloat(raw) * f };
  const m = DURATION.exec(raw.trim());
  if (!m) {
    const hint = /^\d+(\.\d+)?\s*(h|hr|hours?|min|mins|sec|secs|seconds?|us|ns)$/i.test(raw.trim())
      ? ' (units are ms, s and m)'
      : '';
    return { ok: false, problem: `'${raw}' is not a duration such as 250ms, 2s or 1.5m${hint}` };
  }
  return { ok: true, value: Number(m[1]) * DURATION_FACTOR[m[2] ?? 'ms'] };
}

/** Bytes from `512B`, `4KB`, `1.5MB`, `2GB` (1KB = 1024 B) or a bare number of bytes. */
export function parseSize(raw: unknown): UnitResult {
  if (typeof raw === 'number') {
    // As for durations: `.inf` and `.nan` are numbers, but not negative ones.
    if (!Number.isFinite(raw)) return { ok: false, problem: `${raw} is not a size such as 512B, 4KB or 1.5MB` };
    return raw >= 0 ? { ok: true, value: raw } : { ok: false, problem: 'a size cannot be negative' };
  }
  if (typeof raw !== 'string') return { ok: false, problem: 'expected a size such as 512B, 4KB or 1.5MB' };
  const end = digitsEnd(raw);
  const f = end > 0 ? factorAt(raw, end, SIZE_UNITS, SIZE_FACTOR.B) : 0;
  if (f) return { ok: true, value: Math.round(parseFloat(raw) * f) };
  const t = raw.trim();
  const m = SIZE.exec(t);
  if (!m) {
    const lower = /^(\d+(?:\.\d+)?|\.\d+)\s*(b|kb|mb|gb|k|m|g|kib|mib|gib)$/i.exec(t);
    const hint = lower ? ` (write the unit as B, KB, MB or GB)` : '';
    return { ok: false, problem: `'${raw}' is not a size such as 512B, 4KB or 1.5MB${hint}` };
  }
  return { ok: true, value: Math.round(Number(m[1]) * SIZE_FACTOR[m[2] ?? 'B']) };
}

/** A fraction in [0, 1] from `99.9%` or a number between 0 and 1. */
export function parsePercent(raw: unknown): UnitResult {
  if (typeof raw === 'number') {
    if (raw >= 0 && raw <= 1) return { ok: true, value: raw };
    // Only a number that reads as a percentage gets the "write it as N%" hint (not -0.5, .inf or .nan).
    const hint = raw > 1 && raw <= 100 ? `; write a percentage as ${raw}%` : '';
    return { ok: false, problem: `${raw} is not a fraction between 0 and 1${hint}` };
  }
  if (typeof raw !== 'string') return { ok: false, problem: 'expected a percentage such as 99.9%' };
  const end = digitsEnd(raw);
  let v: number;
  if (end > 0 && unitAt(raw, end, '%')) v = parseFloat(raw) / 100;
  else {
    const m = PERCENT.exec(raw.trim());
    if (!m) return { ok: false, problem: `'${raw}' is not a percentage such as 99.9%` };
    v = Number(m[1]) / 100;
  }
  if (v > 1) return { ok: false, problem: `${raw} is over 100%` };
  return { ok: true, value: v };
}

export function formatDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000 && ms % 100 === 0) return `${ms / 1000}s`;
  return `${Math.round(ms * 100) / 100}ms`;
}

export function formatSize(bytes: number): string {
  for (const [unit, f] of [['GB', 1024 ** 3], ['MB', 1024 ** 2], ['KB', 1024]] as const) {
    if (bytes >= f) return `${Math.round((bytes / f) * 100) / 100}${unit}`;
  }
  return `${bytes}B`;
}

/** A fraction as a percentage with two decimals, never rounding a shortfall up to 100%. */
export function formatPercent(fraction: number): string {
  // Binary floating point makes 0.573 * 10000 = 5729.999...: without the tiny nudge, floor would show
  // 57.29% for 57.3%. The nudge (a millionth of a hundredth of a percent) never turns a real shortfall
  // of 0.01% into a full one.
  const p = Math.floor(fraction * 10000 + 1e-6) / 100;
  return `${p.toFixed(2)}%`;
}
