/**
 * xorshift32: a small, fast generator that gives the same sequence on every run and every machine, so
 * generated topologies, corpora and seeded mutations are reproducible. One copy for every test and script.
 */
export function xorshift32(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}
