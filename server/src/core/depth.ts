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

/** Scans `text` once; blanks and reports every top-level part that nests deeper than `limit`. */
export function guardDepth(text: string, limit = HARD_DEPTH): DepthGuard {
  const deep = deepPlaces(text, limit);
  if (deep.length === 0) return { text, problems: [] };
  const problems: SyntaxProblem[] = [];
  const parts: string[] = [];
  let copied = 0;
  for (const at of deep) {
    const [start, end] = topLevelPart(text, at);
    if (start < copied) continue;
    parts.push(text.slice(copied, start));
    // Keep `key:` of a top-level pair so the rest of the document still reads as a map.
    const head = /^[^\s#:[\]{},'"][^\n:]*:(?=[ \t\r\n]|$)/.exec(text.slice(start, Math.min(end, start + 1024)));
    const keep = head ? head[0].length : 0;
    parts.push(text.slice(start, start + keep), text.slice(start + keep, end).replace(/[^\n\r]/g, ' '));
    copied = end;
    problems.push({ code: 'RESOURCE_LIMIT', span: span(at, Math.min(at + 1, text.length)), detail: `nesting deeper than ${limit} levels; this part of the file is not read` });
  }
  parts.push(text.slice(copied));
  return { text: parts.join(''), problems };
}

/** The start and end of the top-level part (a line at column 0 and the lines under it) around `at`. */
function topLevelPart(text: string, at: number): [number, number] {
  let start = text.lastIndexOf('\n', at - 1) + 1;
  // Walk back to a line that starts at column 0 with content (not a blank line, not a comment).
  while (start > 0 && !startsTop(text, start)) start = text.lastIndexOf('\n', start - 2) + 1;
  let end = text.indexOf('\n', at);
  while (end >= 0 && end + 1 < text.length && !startsTop(text, end + 1)) end = text.indexOf('\n', end + 1);
  return [start, end < 0 || end + 1 >= text.length ? text.length : end + 1];
}

function startsTop(text: string, i: number): boolean {
  const c = text[i];
  return c !== undefined && c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r' && c !== '#';
}

/** The first offset past the limit in each top-level part; empty when the text is shallow enough. */
function deepPlaces(text: string, limit: number): number[] {
  const out: number[] = [];
  /** Indentation of the open block levels, innermost last. */
  const indents: number[] = [];
  let flow = 0;
  let quote = '';
  let blockScalarIndent = -1;
  let reported = -1;
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
    if (flow === 0 && !quote) {
      if (indent === 0 && i < nl && text[i] !== '#') reported = -1;
      if (text[i] === '#') continue;
      while (indents.length && indents[indents.length - 1] >= indent) indents.pop();
      indents.push(indent);
    }
    let seqMarks = 0;
    let atTokenStart = true;
    for (; i < nl; i++) {
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
      const depth = indents.length + seqMarks + flow;
      if (depth > limit && reported < 0) {
        reported = i;
        out.push(i);
      }
    }
  }
  return out;
}
