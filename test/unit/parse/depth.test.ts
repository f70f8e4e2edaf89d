/**
 * The depth pre-scan (depth.ts) skips runs of characters that cannot change the depth with a sticky
 * regular expression. Its reference is the plain loop it replaced, kept here as the specification: one
 * character at a time. The two must find the same places (offset past the limit, part left out) on any
 * text, so seeded texts made of the characters the scan reacts to, with a low limit so that deep places
 * are common, are compared, as are the examples and a generated 1,000-service file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deepPlaces, HARD_DEPTH } from '../../../server/src/core/depth';
import { exampleFiles } from '../../examples';
import { generateTopology } from '../../generate';
import { xorshift32 } from '../../prng';

// The loop as it was before the skipping (server/src/core/depth.ts at 40c74d8), unchanged but for names.
function reference(text: string, limit: number): { at: number; start: number; end: number }[] {
  const out: { at: number; start: number; end: number }[] = [];
  /** Indentation of the open block levels, innermost last, and where each level's line starts. */
  const indents: number[] = [];
  const starts: number[] = [];
  let flow = 0;
  let quote = '';
  let blockScalarIndent = -1;
  /** The place being reported, until a line at or left of its part's indentation closes it. */
  let open: { at: number; start: number; end: number; indent: number } | undefined;
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
      if (!open && indents.length + seqMarks + flow > limit) {
        // The entry (second level) when the deep place is inside one, else the top-level part.
        const level = indents.length >= 2 ? 1 : 0;
        open = { at: i, start: starts[level] ?? lineStart, end: text.length, indent: indents[level] ?? 0 };
        out.push(open);
      }
    }
  }
  return out;
}

const PIECES = ['a', 'b-c', ' ', '  ', '\t', '- ', '-', ':', ': ', ',', '?', '[', ']', '{', '}', '"', "'", "''", '\\', '#', ' #', '|', '>', '|-', '> ', '\n', '\n', '\n  ', '\n    ', '\r\n', 'key: ', 'x:', '&a', '*', '!t'];

function randomText(rand: () => number, length: number): string {
  let s = '';
  while (s.length < length) s += PIECES[Math.floor(rand() * PIECES.length)];
  return s;
}

test('the skipping scan finds the places the character loop finds, on 20,000 seeded texts', () => {
  const rand = xorshift32(20261201);
  for (let n = 0; n < 20_000; n++) {
    const text = randomText(rand, 1 + Math.floor(rand() * 200));
    const limit = 1 + Math.floor(rand() * 6);
    assert.deepEqual(
      deepPlaces(text, limit).map(({ at, start, end }) => ({ at, start, end })),
      reference(text, limit).map(({ at, start, end }) => ({ at, start, end })),
      `limit ${limit}, text ${JSON.stringify(text)}`,
    );
  }
});

test('the skipping scan agrees on the examples and on a generated system, at every limit up to 12', () => {
  const texts = [...exampleFiles().map((f) => f.text), generateTopology(200, 7, { compact: true }), generateTopology(50)];
  for (const text of texts) {
    for (let limit = 1; limit <= 12; limit++) assert.deepEqual(deepPlaces(text, limit).map(({ at, start, end }) => ({ at, start, end })), reference(text, limit).map(({ at, start, end }) => ({ at, start, end })));
    assert.deepEqual(deepPlaces(text, HARD_DEPTH), []);
  }
});
