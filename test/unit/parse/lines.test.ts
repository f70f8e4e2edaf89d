/**
 * The editor's line count (text.ts LineMemo) counts only the lines an edit touched. Its answer must be
 * the plain count of the whole text after any edit: seeded edits that insert and remove line breaks, CR
 * and text, at the start, in the middle and at the end, and a count over the cap that is not kept.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineMemo, moreLinesThan } from '../../../server/src/core/text';
import { generateTopology } from '../../generate';
import { xorshift32 } from '../../prng';

const plain = (text: string) => text.split('\n').length;

test('the line memo counts every edited text as the plain count does', () => {
  const rand = xorshift32(7);
  const memo = new LineMemo(1e6);
  let text = generateTopology(60, 3);
  assert.equal(memo.count(text), plain(text));
  const pieces = ['', '\n', '\n\n', 'x', 'a\nb', '\r\n', '  - id: z\n'];
  for (let i = 0; i < 2000; i++) {
    const at = Math.floor(rand() * (text.length + 1));
    const cut = Math.min(text.length - at, Math.floor(rand() * 40));
    const piece = pieces[Math.floor(rand() * pieces.length)];
    text = text.slice(0, at) + piece + text.slice(at + (i % 3 === 0 ? cut : 0));
    assert.equal(memo.count(text), plain(text), `edit ${i}`);
  }
});

test('a count over the cap is some number over it, and the next text is counted whole', () => {
  const memo = new LineMemo(10);
  const many = 'a\n'.repeat(50);
  assert.ok(memo.count(many) > 10);
  assert.equal(moreLinesThan(many, 10), true);
  // The next text shares its start with the last one, but the last count was not kept.
  const few = 'a\n'.repeat(5);
  assert.equal(memo.count(few), 6);
  assert.equal(memo.count(`${few}b\n`), 7);
  assert.equal(memo.count(''), 1);
});
