/**
 * The editor's per-chunk path (core/placed.ts: chunk trees placed once and moved in place, each entry's
 * schema problems and model element kept by its pair) gives exactly what the plain path gives: the same
 * tree, syntax problems, schema problems, model and findings, span for span, after every edit of a
 * sequence of seeded edits, on the corpus, the examples and a generated topology. The reference is the
 * same document read through a plain ChunkCache that sees the same edits (so the same chunks are cut and
 * parsed, and only placement and the memo differ), and, for findings, a fresh reading without any cache.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, ChunkCache, parseFile, PlacedChunkCache, RULES, type Finding, type ParsedFile } from '../../../server/src/core';
import { setFastPath } from '../../../server/src/core/ynode';
import { corpus } from '../../corpus';
import { generateTopology } from '../../generate';
import { URI } from '../../helpers';
import { xorshift32 } from '../../prng';

/** The same edits on every run and every machine. */
const prng = xorshift32;

const INSERTS = [':', ' ', '-', '#', '\n', '"', '[', '{', 'x', '9', '\n  extra:\n    calls: [{ to: extra }]\n', '  # a comment\n'];

/**
 * One edit of the kinds people make while typing, and some that move many chunks at once: a character
 * or a block in or out, a line copied, cut or indented, a section renamed (the same entries now under
 * another section) or an entry duplicated (the same chunk text twice in one document).
 */
function mutate(text: string, r: () => number): string {
  const lines = text.split('\n');
  const at = Math.floor(r() * (text.length + 1));
  const li = Math.floor(r() * lines.length);
  switch (Math.floor(r() * 9)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1);
    case 1:
    case 2:
      return text.slice(0, at) + INSERTS[Math.floor(r() * INSERTS.length)] + text.slice(at);
    case 3:
      lines.splice(li, 0, lines[li]);
      return lines.join('\n');
    case 4:
      lines.splice(li, 1);
      return lines.join('\n');
    case 5:
      lines[li] = (r() < 0.5 ? ' ' : '  ') + lines[li];
      return lines.join('\n');
    case 6: {
      const [from, to] = r() < 0.5 ? ['datastores:', 'events:'] : ['events:', 'flows:'];
      return text.replace(`\n${from}`, `\n${to}`);
    }
    case 7: {
      // A block inserted at the top moves every chunk below it.
      const i = text.indexOf('\nservices:');
      return i < 0 ? text : `${text.slice(0, i)}\n# note\n${text.slice(i)}`;
    }
    default: {
      // The entry at `li` copied twice below itself, if it is an entry line (two-space indent).
      if (!/^ {2}[A-Za-z]/.test(lines[li] ?? '')) return text.slice(0, at) + 'y' + text.slice(at);
      let end = li + 1;
      while (end < lines.length && /^ {3,}|^\s*$/.test(lines[end])) end++;
      const entry = lines.slice(li, end);
      lines.splice(end, 0, ...entry, ...entry);
      return lines.join('\n');
    }
  }
}

/** What a finding tells the user and what its fixes read: every field but the owners' tree references. */
const findingOf = (f: Finding) => JSON.stringify({ rule: f.rule, id: f.messageId, sev: f.severity, span: f.span, msg: f.message, related: f.related, accepted: f.accepted, data: f.data });
const findingsOf = (file: ParsedFile) => analyze([file], RULES).findings.map(findingOf);

function bases(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  const dir = join(process.cwd(), 'examples');
  if (existsSync(dir)) for (const f of readdirSync(dir).sort()) if (/\.topology\.ya?ml$/.test(f)) out.push({ name: `examples/${f}`, text: readFileSync(join(dir, f), 'utf8') });
  corpus(240).forEach((c, i) => {
    if (i % 12 === 0) out.push({ name: `corpus ${c.name}`, text: c.text });
  });
  out.push({ name: 'a generated topology of 30 services', text: generateTopology(30, 5) });
  return out;
}

describe('the per-chunk path (placed.ts) reads what the plain path reads, under seeded edits', () => {
  const SEQUENCES = 2;
  const STEPS = 5;
  let hits = 0;
  let moved = 0;
  for (const [i, base] of bases().entries()) {
    test(`${base.name}: ${SEQUENCES} sequences of ${STEPS} edits`, () => {
      const r = prng(7000 + i);
      for (let s = 0; s < SEQUENCES; s++) {
        // One document per sequence, as in an editor: both caches see every version in turn.
        const placed = new PlacedChunkCache();
        const plain = new ChunkCache();
        let text = base.text;
        for (let step = 0; step <= STEPS; step++) {
          if (step > 0) text = mutate(text, r);
          const where = `sequence ${s}, step ${step}:\n${text}`;
          const a = parseFile(URI, text, RULES, placed);
          const b = parseFile(URI, text, RULES, plain);
          assert.ok(isDeepStrictEqual(a.yaml, b.yaml), `the tree and syntax problems, ${where}`);
          assert.ok(isDeepStrictEqual(a.schema, b.schema), `the schema problems, ${where}`);
          assert.ok(isDeepStrictEqual(a.topology, b.topology), `the model, ${where}`);
          const fa = findingsOf(a);
          assert.deepEqual(fa, findingsOf(b), `the findings, ${where}`);
          // And what the CLI reads, with no cache at all.
          assert.deepEqual(fa, findingsOf(parseFile(URI, text, RULES)), `the findings against a fresh reading, ${where}`);
        }
        hits += placed.memo.hits;
        moved += placed.moved;
      }
    });
  }
  test('the memo and the moves were exercised (the comparisons above were not vacuous)', () => {
    assert.ok(hits > 1000, `memo hits: ${hits}`);
    assert.ok(moved > 100, `chunks moved in place: ${moved}`);
  });
});

describe('the per-chunk path on a 300-service file', () => {
  /**
   * Opens a generated file, types one character into a description half way down, then takes the edit
   * back. Returns the memo's rebuilds (element and problems are two per entry) and the chunks moved in
   * place by each step.
   */
  function edits(fast: boolean) {
    const was = setFastPath(fast);
    try {
      const text = generateTopology(300, 3);
      const cache = new PlacedChunkCache();
      const first = parseFile(URI, text, RULES, cache).topology;
      const open = cache.memo.misses;
      const at = text.indexOf('description: ', Math.floor(text.length / 2)) + 'description: '.length;
      const edited = text.slice(0, at) + 'x' + text.slice(at);
      const all = [...first.services, ...first.datastores, ...first.events, ...first.flows];
      const above = all.filter((e) => e.span.end <= at).length;
      assert.equal(open, 2 * all.length);
      assert.ok(above > 50, `${above} entries above the edit`);
      const moved0 = cache.moved;
      parseFile(URI, edited, RULES, cache);
      const firstEdit = { rebuilt: cache.memo.misses - open, moved: cache.moved - moved0 };
      const before = { misses: cache.memo.misses, moved: cache.moved };
      const again = parseFile(URI, text, RULES, cache);
      const secondEdit = { rebuilt: cache.memo.misses - before.misses, moved: cache.moved - before.moved };
      assert.ok(isDeepStrictEqual(again.topology, parseFile(URI, text, RULES, new ChunkCache()).topology));
      return { all: all.length, above, firstEdit, secondEdit };
    } finally {
      setFastPath(was);
    }
  }

  test('a keystroke builds only the entry it touched, and moves the chunks below', () => {
    const r = edits(true);
    // The fast reader's tree has a span object for every place: the open's own chunks below the edit are
    // moved in place, and keep their elements and problems.
    assert.equal(r.firstEdit.rebuilt, 2, 'the first edit rebuilt one entry: its element and its problems');
    assert.ok(r.firstEdit.moved > 100, `the chunks below the first edit were moved, not copied (${r.firstEdit.moved})`);
    assert.equal(r.secondEdit.rebuilt, 2, 'one entry rebuilt: its element and its problems');
    assert.ok(r.secondEdit.moved > 100, 'the chunks below the edit were moved, not copied');
  });

  test('a first reading by the library (spans it may share) is copied where it moves, once', () => {
    const r = edits(false);
    // Its chunks below the edit are copied, rebuilding their elements and problems (two per entry)...
    assert.equal(r.firstEdit.rebuilt, 2 * (r.all - r.above), 'the first edit rebuilt the entries from the edited one on');
    assert.equal(r.firstEdit.moved, 0);
    // ...and from then on moved in place.
    assert.equal(r.secondEdit.rebuilt, 2, 'one entry rebuilt: its element and its problems');
    assert.ok(r.secondEdit.moved > 100, 'the chunks below the edit were moved, not copied');
  });
});
