/**
 * The `yaml` library's parse as ynode.ts runs it (`library`): parseDocument's own steps, with the
 * composer's problem reports kept as plain records instead of Error objects, and only as many as are read.
 * The property: the problems read (the first MAX_PROBLEMS * 4 of the errors, then the warnings) are
 * parseDocument's, code for code and place for place, and the document is the same. Checked on the
 * examples, the fuzz harness's mutations of them, and texts with tens of thousands of problems.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isDocument, parseDocument, type Document } from 'yaml';
import { library, MAX_PROBLEMS } from '../../../server/src/core/ynode';
import { guardDepth } from '../../../server/src/core/depth';
import { mutate, rng } from '../../fuzz/harness';
import { exampleFiles } from '../../examples';

const OPTIONS = { uniqueKeys: false, prettyErrors: false, strict: true, keepSourceTokens: false } as const;

function examples(): string[] {
  return exampleFiles().map((f) => f.text);
}

/** What ynode.ts reads of a document's problems. */
const read = (doc: Document.Parsed) => [...doc.errors, ...doc.warnings].slice(0, MAX_PROBLEMS * 4).map((e) => `${e.code}@${e.pos[0]}-${e.pos[1]}`);

function agrees(text: string, where: string): number {
  const ours = library(text);
  const theirs = parseDocument(text, OPTIONS);
  assert.ok(isDocument(ours), where);
  assert.deepEqual(read(ours), read(theirs), where);
  assert.deepStrictEqual(ours.contents, theirs.contents, where);
  assert.deepEqual(ours.range, theirs.range, where);
  return theirs.errors.length + theirs.warnings.length;
}

describe("the library's problems, read without its Error objects", () => {
  test('the examples and their mutations', () => {
    const r = rng(777);
    let broken = 0;
    let n = 0;
    for (const base of examples()) {
      agrees(base, 'example');
      for (let i = 0; i < 25; i++) {
        let text = base;
        for (let k = 1 + Math.floor(r() * 3); k > 0; k--) text = mutate(text, r);
        // As every parse does: nothing deeper than the library's recursion takes reaches it.
        text = guardDepth(text).text;
        n++;
        if (agrees(text, `mutation ${i}:\n${text.slice(0, 2000)}`) > 0) broken++;
      }
    }
    assert.ok(broken > n / 4, `only ${broken} of ${n} mutated texts had problems`);
  });

  test('past the problems read: a run of quotes, an unclosed flow map, several documents', () => {
    const many = agrees(`a: ${'"'.repeat(20001)}\nb: 1\n`, 'a run of quotes');
    assert.ok(many > MAX_PROBLEMS * 4, `${many} problems`);
    agrees(`a: { b: ${'x, '.repeat(3000)}\nc: [${"'".repeat(5001)}\n`, 'an unclosed flow map');
    assert.ok(agrees(`a: 1\n---\nb: 2\n---\nc: 3\n`, 'several documents') > 0);
  });
});
