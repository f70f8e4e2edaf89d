/**
 * The depth pre-scan (depth.ts) skips runs of characters that cannot change the depth with a sticky
 * regular expression. Its reference is the plain loop it replaced, kept here as the specification: one
 * character at a time. The two must find the same places (offset past the limit, part left out) on any
 * text, so seeded texts made of the characters the scan reacts to, with a low limit so that deep places
 * are common, are compared, as are the examples and a generated 1,000-service file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DepthMemo, deepPlaces, HARD_DEPTH } from '../../../server/src/core/depth';
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

const strip = (xs: readonly { at: number; start: number; end: number }[]) => xs.map(({ at, start, end }) => ({ at, start, end }));

/** A seeded edit: a piece inserted, a run deleted, or a run replaced, somewhere in the text. */
function edit(rand: () => number, text: string): string {
  const at = Math.floor(rand() * (text.length + 1));
  const len = Math.floor(rand() * 6);
  const piece = rand() < 0.7 ? PIECES[Math.floor(rand() * PIECES.length)] : '';
  return text.slice(0, at) + piece + text.slice(Math.min(text.length, at + (rand() < 0.5 ? len : 0)));
}

test('the memo answers every edit of 3,000 seeded texts as a fresh scan does, and rescans in part', () => {
  const rand = xorshift32(20261203);
  let partial = 0;
  for (let n = 0; n < 3000; n++) {
    const memo = new DepthMemo();
    const limit = 1 + Math.floor(rand() * 6);
    let text = randomText(rand, 1 + Math.floor(rand() * 300));
    for (let k = 0; k < 12; k++) {
      assert.deepEqual(strip(memo.places(text, limit)), strip(deepPlaces(text, limit)), `limit ${limit}, edit ${k}, text ${JSON.stringify(text)}`);
      text = edit(rand, text);
    }
    partial += memo.partial;
  }
  assert.ok(partial > 1000, `partial rescans: ${partial}`);
});

test('keystrokes in a generated 300-service system are each answered by a partial rescan, equal to a fresh scan', () => {
  const rand = xorshift32(7);
  let text = generateTopology(300, 11, { compact: true });
  const memo = new DepthMemo();
  assert.deepEqual(memo.places(text, HARD_DEPTH), []);
  const keys = 200;
  for (let k = 0; k < keys; k++) {
    // A digit typed or deleted somewhere in a description or a timeout, or a line added or removed.
    const marks = ['description: Service ', 'timeout: 3', '    kind: '];
    const mark = marks[k % marks.length];
    const at = text.indexOf(mark, Math.floor(rand() * text.length));
    const where = (at < 0 ? text.indexOf(mark) : at) + mark.length;
    text = k % 7 === 6 ? text.slice(0, where) + '\n    team: t' + text.slice(where) : k % 2 ? text.slice(0, where) + '7' + text.slice(where) : text.slice(0, where) + text.slice(where + 1);
    assert.deepEqual(strip(memo.places(text, HARD_DEPTH)), strip(deepPlaces(text, HARD_DEPTH)));
  }
  assert.equal(memo.partial, keys, `partial ${memo.partial}, whole ${memo.whole}`);
});

test('an edit that nests too deep is found, and the memo scans the whole text again after it', () => {
  const base = generateTopology(40, 3);
  const memo = new DepthMemo();
  assert.deepEqual(memo.places(base, 6), strip(deepPlaces(base, 6)));
  const at = base.indexOf('description:', base.length / 2);
  const deep = base.slice(0, at) + 'x: [[[[[[[[[[1]]]]]]]]]]\n    ' + base.slice(at);
  const fresh = strip(deepPlaces(deep, 6));
  assert.ok(fresh.length > 0);
  assert.deepEqual(strip(memo.places(deep, 6)), fresh);
  assert.deepEqual(strip(memo.places(base, 6)), strip(deepPlaces(base, 6)));
  assert.ok(memo.whole >= 2);
});
