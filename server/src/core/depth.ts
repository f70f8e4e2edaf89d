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
import type { SyntaxProblem } from './ynode';

/** Depth past which a part of the text is not given to the YAML library at all. */
export const HARD_DEPTH = 200;

export interface DepthGuard {
  /** The text to parse: the input, or the input with its too-deep top-level parts blanked. */
  readonly text: string;
  readonly problems: SyntaxProblem[];
}

/** Scans `text` once; blanks and reports every entry or top-level part that nests deeper than `limit`. */
export function guardDepth(text: string, limit = HARD_DEPTH): DepthGuard {
  const deep = deepPlaces(text, limit);
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
  const out: DeepPlace[] = [];
  /** Indentation of the open block levels, innermost last, and where each level's line starts. */
  const indents: number[] = [];
  const starts: number[] = [];
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
  let pos = 0;
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
  return out;
}
