/**
 * cutChunks (incremental.ts) passes over most lines without slicing them. Its reference is the loop it
 * replaced, kept here as the specification (server/src/core/incremental.ts at bd98e08, unchanged but for
 * its name and the constants it reads, copied below): the two must cut every text the same, broken or not.
 * Seeded texts made of the line shapes the cut tells apart are compared, as are the examples and
 * generated systems.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CutMemo, cutChunks } from '../../../server/src/core/incremental';
import { exampleFiles } from '../../examples';
import { generateTopology } from '../../generate';
import { xorshift32 } from '../../prng';

const ENTRY_SECTIONS = new Set(['services', 'datastores', 'events', 'flows']);
const TOP_KEY = /^([A-Za-z_][\w.-]*)[ ]*:(?:[ ]+#.*|[ ]*)?$/;
const TOP_KEY_WITH_VALUE = /^([A-Za-z_][\w.-]*)[ ]*:[ ]/;
const ENTRY_KEY = /^[ ]+(?:[A-Za-z0-9_][\w.-]*|"[^"\\]*"|'[^']*')[ ]*:(?:[ ]|$)/;
const UNSAFE = /(?:^|[\s[{,])[&*!][^\s]|^%|^---|^\.\.\.|^\t|\n[ ]*\t|\n---|\n\.\.\.|\n%/;
const UNSAFE_EVEN_BROKEN = /(?:^|[\s[{,])[&*!][^\s]|^%|^---|^\.\.\.|\n[ ]+\t|\n---|\n\.\.\.|\n%/;

function referenceCut(text: string, broken = false): unknown[] | null {
  if ((broken ? UNSAFE_EVEN_BROKEN : UNSAFE).test(text)) return null;
  const tops: { start: number; end: number; key: string; block: boolean; entries: { start: number; end: number; junk?: boolean }[]; headerEnd: number; junk?: boolean }[] = [];
  let entryIndent = -1;
  let pos = 0;
  let preambleEnd = 0;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    if (nl === pos) {
      // An empty line, without slicing it: broken files may hold hundreds of thousands of them.
      pos++;
      continue;
    }
    let line = text.slice(pos, nl);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const lineStart = pos;
    pos = nl + 1;
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (line.startsWith('\t')) {
      // Only when `broken` (UNSAFE rejects tabs): the line and those under it become a junk piece.
      const top = tops[tops.length - 1];
      if (!top) return null;
      if (top.block && ENTRY_SECTIONS.has(top.key)) {
        const last = top.entries[top.entries.length - 1];
        if (last) last.end = lineStart;
        else top.headerEnd = lineStart;
        top.entries.push({ start: lineStart, end: -1, junk: true });
      } else {
        top.end = lineStart;
        tops.push({ start: lineStart, end: text.length, key: '', block: false, entries: [], headerEnd: -1, junk: true });
      }
      continue;
    }
    const indent = line.length - trimmed.length;
    if (indent === 0) {
      const m = TOP_KEY.exec(line);
      const mv = m ? null : TOP_KEY_WITH_VALUE.exec(line);
      if (!m && !mv) return null;
      const key = (m ?? mv)![1];
      if (tops.length === 0) preambleEnd = lineStart;
      const prev = tops[tops.length - 1];
      if (prev) prev.end = lineStart;
      tops.push({ start: lineStart, end: text.length, key, block: !!m, entries: [], headerEnd: -1 });
      entryIndent = -1;
      continue;
    }
    const top = tops[tops.length - 1];
    if (!top) return null;
    if (!top.block || !ENTRY_SECTIONS.has(top.key)) continue;
    if (entryIndent < 0) entryIndent = indent;
    if (indent < entryIndent) return null;
    if (indent > entryIndent) {
      if (top.entries.length === 0) return null;
      continue;
    }
    if (!ENTRY_KEY.test(line)) return null;
    const last = top.entries[top.entries.length - 1];
    if (last) (last as { end: number }).end = lineStart;
    else top.headerEnd = lineStart;
    top.entries.push({ start: lineStart, end: -1 });
  }
  if (tops.length === 0) return null;
  // Leading comments belong to the first key's chunk.
  (tops[0] as { start: number }).start = Math.min(tops[0].start, preambleEnd);
  tops[0].start = 0;
  for (const t of tops) {
    const last = t.entries[t.entries.length - 1];
    if (last) (last as { end: number }).end = t.end;
  }
  return tops.map((t) => (t.junk ? { start: t.start, end: t.end, junk: true } : t.entries.length ? { start: t.start, end: t.end, headerEnd: t.headerEnd, entries: t.entries } : { start: t.start, end: t.end }));
}

const LINES = ['services:', 'datastores:', 'events:', 'flows:', 'topology: t', 'defaults:', 'rules: {}', 'x:', '  a:', '  b-1:', '  "q r":', "  'q':", '    calls: [b]', '    x: 1', '  # c', '#', '# top', '', ' ', '\t', '\tbad: 1', '  \tx', '    \u00a0y', '  \u00a0z: 1', '   deep: 1', ' one: 1', '      six', '    - item', '  - a', 'k: v # c', 'k:   # c', '\r', '  a:\r', '    y: 2\r', '    #x', '  c: {x: 1}', '    z: é'];

test('the cut passes over lines as the sliced loop did, on 20,000 seeded texts, whole and broken', () => {
  const rand = xorshift32(20261202);
  for (let n = 0; n < 20_000; n++) {
    const lines: string[] = [];
    const count = 1 + Math.floor(rand() * 14);
    for (let i = 0; i < count; i++) lines.push(LINES[Math.floor(rand() * LINES.length)]);
    const text = lines.join('\n') + (rand() < 0.5 ? '\n' : '');
    for (const broken of [false, true]) assert.deepEqual(cutChunks(text, broken), referenceCut(text, broken), `broken ${broken}: ${JSON.stringify(text)}`);
  }
});

test('the cut agrees on the examples and on generated systems, whole and broken', () => {
  for (const text of [...exampleFiles().map((f) => f.text), generateTopology(200, 7, { compact: true }), generateTopology(60)]) {
    for (const broken of [false, true]) assert.deepEqual(cutChunks(text, broken), referenceCut(text, broken));
  }
});

/** A seeded edit: a line's worth of characters inserted, deleted or replaced somewhere in the text. */
function edit(rand: () => number, text: string): string {
  const at = Math.floor(rand() * (text.length + 1));
  const len = Math.floor(rand() * 5);
  const pieces = ['x', '9', ' ', '#', '-', '&a', '*', '!', '\t', '\n', ':', ': ', '"', "'", '[', '{', '---', '%', '...', '\r'];
  const piece = rand() < 0.8 ? pieces[Math.floor(rand() * pieces.length)] : '';
  return text.slice(0, at) + piece + text.slice(Math.min(text.length, at + (rand() < 0.5 ? len : 0)));
}

test('the memo cuts every edit of seeded texts and generated systems as cutChunks does, and moves the cut in part', () => {
  const rand = xorshift32(20261204);
  let partial = 0;
  const starts = [generateTopology(40, 5), generateTopology(40, 6, { compact: true }), ...exampleFiles().map((f) => f.text)];
  for (let n = 0; n < 600; n++) {
    const memo = new CutMemo();
    let text = n % 3 === 0 ? Array.from({ length: 1 + Math.floor(rand() * 14) }, () => LINES[Math.floor(rand() * LINES.length)]).join('\n') : starts[n % starts.length];
    for (let k = 0; k < 25; k++) {
      assert.deepEqual(memo.cut(text), cutChunks(text), `edit ${k}: ${JSON.stringify(text.slice(0, 400))}`);
      text = edit(rand, text);
    }
    partial += memo.partial;
  }
  assert.ok(partial > 800, `moved cuts: ${partial}`);
});

test('keystrokes inside the entries of a generated 300-service system each move the cut', () => {
  const rand = xorshift32(9);
  let text = generateTopology(300, 13, { compact: true });
  const memo = new CutMemo();
  assert.deepEqual(memo.cut(text), cutChunks(text));
  const keys = 200;
  for (let k = 0; k < keys; k++) {
    const mark = ['description: Service ', 'timeout: 3', 'slo: { availability: 99'][k % 3];
    const from = text.indexOf(mark, Math.floor(rand() * text.length));
    const where = (from < 0 ? text.indexOf(mark) : from) + mark.length;
    text = k % 2 ? text.slice(0, where) + '7' + text.slice(where) : text.slice(0, where) + text.slice(where + 1);
    assert.deepEqual(memo.cut(text), cutChunks(text));
  }
  assert.equal(memo.partial, keys, `moved ${memo.partial}, whole ${memo.whole}`);
});
