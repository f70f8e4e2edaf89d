/**
 * unknown-reference's "Did you mean" (core/rules/nearest.ts) gives schema.ts's didYouMean's answer for
 * every word and candidate list: seeded random ids over letters of both cases, digits, dashes and the
 * characters whose lowering is unusual (İ lowers to two units, the Kelvin sign to an ASCII k, Σ by
 * context, ß, a lone surrogate), of lengths from 0 to 40 so the reused buffers grow mid-search.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { didYouMean } from '../../../server/src/core/schema';
import { nearestId } from '../../../server/src/core/rules/nearest';
import { xorshift32 } from '../../prng';

const ALPHABET = ['a', 'b', 'c', 'd', 'e', 'A', 'B', 'C', 'D', 'E', '-', '1', '2', 'İ', 'i', 'I', '\u212a', 'k', 'K', 'Σ', 'σ', 'ς', 'ß', 'S', 's', '\ud800', 'é', 'É'];

const prng = xorshift32;

test('nearestId answers as didYouMean over 3,000 seeded searches', () => {
  const rand = prng(20261201);
  const word = (max: number) => Array.from({ length: Math.floor(rand() * max) }, () => ALPHABET[Math.floor(rand() * ALPHABET.length)]).join('');
  // Near misses of the word make most searches find something, so the tie-breaking is exercised too.
  const mutate = (w: string) => {
    const chars = [...w];
    const edits = Math.floor(rand() * 4);
    for (let k = 0; k < edits; k++) {
      const at = Math.floor(rand() * (chars.length + 1));
      const r = rand();
      if (r < 0.33) chars.splice(at, 0, ALPHABET[Math.floor(rand() * ALPHABET.length)]);
      else if (r < 0.66) chars.splice(at, 1);
      else chars[at] = ALPHABET[Math.floor(rand() * ALPHABET.length)];
    }
    return rand() < 0.3 ? chars.join('').toUpperCase() : chars.join('');
  };
  let found = 0;
  for (let i = 0; i < 3000; i++) {
    const w = word(i % 10 === 0 ? 40 : 12);
    const candidates = Array.from({ length: 1 + Math.floor(rand() * 30) }, () => (rand() < 0.6 ? mutate(w) : word(i % 7 === 0 ? 45 : 14)));
    const expected = didYouMean(w, candidates);
    if (expected !== undefined) found++;
    assert.equal(nearestId(w, candidates), expected, JSON.stringify({ w, candidates }));
  }
  // Most searches find a suggestion: the comparison is not only of two undefineds.
  assert.ok(found > 1000, `${found} of 3,000 found a suggestion`);
});
