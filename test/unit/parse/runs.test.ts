/**
 * Long runs of empty lines (server/src/core/ynode.ts, `readShortened`): the `yaml` library is given such
 * a run shortened, and its reading is mapped back. The property: wherever a text is read that way, the
 * reading is deep-equal to the library's reading of the text as it is (`parseLibrary`) — tree, values,
 * every span and every problem. Checked on the examples, in LF and CRLF, with runs put between nodes, at
 * line ends, inside scalars and flow collections, at the end, several at once, and the fuzz harness's
 * mutations on top; and on the fuzz fixtures that hold such runs. Each test also checks that the texts
 * were really read shortened, so that a reader that never shortened could not pass.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLibrary, parseRobust, readShortened } from '../../../server/src/core/ynode';
import { parseFile, RULES } from '../../../server/src/core';
import { guardDepth } from '../../../server/src/core/depth';
import { mutate as fuzzMutate, rng } from '../../fuzz/harness';
import { exampleFiles } from '../../examples';

function examples(): { name: string; text: string }[] {
  return exampleFiles();
}

/** A run of more than 4,096 line breaks (the shortest that is shortened), of the text's own kind. */
function run(r: () => number, crlf: boolean): string {
  return (crlf ? '\r\n' : '\n').repeat(4097 + Math.floor(r() * 1500));
}

/** Puts a long run somewhere in `text`: at a line start, at a line end, or anywhere (inside a scalar, say). */
function insertRun(text: string, r: () => number, crlf: boolean): string {
  let at = Math.floor(r() * (text.length + 1));
  const where = r();
  if (where < 0.4) at = text.lastIndexOf('\n', at - 1) + 1;
  else if (where < 0.6) {
    const nl = text.indexOf(crlf ? '\r\n' : '\n', at);
    at = nl < 0 ? text.length : nl;
  } else if (where < 0.65) at = text.length;
  return text.slice(0, at) + run(r, crlf) + text.slice(at);
}

/** The property for one text; returns whether it was read shortened. */
function agrees(text: string, where: string, base = 0, depth = 0): boolean {
  const short = readShortened(text, base, depth);
  if (!short) return false;
  assert.deepStrictEqual(short, parseLibrary(text, base, depth), where);
  return true;
}

describe('a long run of empty lines is read shortened, and reads as the whole run does', () => {
  for (const [i, ex] of examples().entries()) {
    for (const crlf of [false, true]) {
      test(`${ex.name}${crlf ? ' (CRLF)' : ''}: runs inserted, then mutated`, () => {
        const base = crlf ? ex.text.replace(/\r?\n/g, '\r\n') : ex.text;
        const r = rng(4242 + i * 2 + (crlf ? 1 : 0));
        let shortened = 0;
        let broken = 0;
        const CASES = 8;
        for (let c = 0; c < CASES; c++) {
          let text = insertRun(base, r, crlf);
          if (r() < 0.3) text = insertRun(text, r, crlf);
          // The fuzz harness's mutations break the text in the ways that made the fuzzer's slow inputs.
          if (r() < 0.6) text = fuzzMutate(text, r);
          // As every parse does (incremental.ts): no text nested deeper than the library's recursion takes
          // reaches it. Past that depth the library's own stack-overflow errors depend on the stack left.
          text = guardDepth(text).text;
          const base0 = r() < 0.5 ? 0 : 17;
          if (agrees(text, `case ${c}`, base0, base0 ? 1 : 0)) {
            shortened++;
            if (parseLibrary(text).problems.length > 0) broken++;
          }
        }
        // Not vacuous: most texts were read shortened, and some of them were broken.
        assert.ok(shortened >= CASES / 3, `only ${shortened} of ${CASES} texts were read shortened`);
        assert.ok(broken > 0 || shortened === 0, 'no broken text was read shortened');
      });
    }
  }

  test('a run inside a scalar is read whole; the runs between nodes are still shortened', () => {
    const gap = '\n'.repeat(5000);
    for (const text of [
      `a: |\n  x\n${gap}  y\nb: 1\n${gap}c: 2\n`,
      `a: "x\n${gap}  y"\nb: 1\n${gap}c: 2\n`,
      `a: x\n${gap}  y\nb: 1\n${gap}c: 2\n`,
      `a: |+\n  x\n${gap}b: 1\n${gap}c: 2\n`,
    ]) {
      const where = JSON.stringify(text.slice(0, 12));
      assert.ok(agrees(text, where), `${where} is read shortened`);
    }
    // The value keeps all 5,000 line breaks of its run.
    const lit = parseRobust(`a: |\n  x\n${gap}  y\nb: 1\n${gap}c: 2\n`);
    const a = lit.root?.kind === 'map' ? lit.root.pairs[0].value : null;
    assert.equal(a?.kind === 'scalar' && a.value, `x\n${gap}y\n`);
    // An unclosed quote holds every run after it: nothing is left to shorten.
    assert.equal(readShortened(`a: 'x\n${gap}b: 1\n${gap}c: 2\n`), null);
  });

  test('the 1,024-character rule on implicit keys fires as on the whole run', () => {
    const text = `[ k${'\n'.repeat(5000)}: v ]\n`;
    const whole = parseLibrary(text);
    assert.ok(whole.problems.some((p) => p.code === 'KEY_OVER_1024_CHARS'), 'the whole reading reports the long key');
    assert.ok(agrees(text, 'flow key over a run'));
  });

  test('the fuzz fixtures that hold long runs', () => {
    const dir = join(process.cwd(), 'test', 'fixtures', 'fuzz');
    let shortened = 0;
    // The reference reading of each takes the library's full time (up to a second); two are enough.
    const names = readdirSync(dir).filter((n) => n.endsWith('.fuzz.yaml')).sort();
    for (const n of names) {
      const text = readFileSync(join(dir, n), 'utf8');
      if (agrees(text, n)) shortened++;
      if (shortened >= 2) break;
    }
    assert.equal(shortened, 2);
  });

  test("the fuzzer's slow shape is read in a fraction of the library's time", () => {
    // A broken file (a plain scalar's second line at column 0) with 200,000 empty lines between its nodes:
    // the 10-minute fuzz runs found dozens like it at 1-2 s of CPU, the library's ~3.5 µs per empty line.
    // Ratios, not times, so that a loaded machine does not decide; the median of three of each.
    const ex = readFileSync(join(process.cwd(), 'examples', 'shop.topology.yaml'), 'utf8');
    const at = ex.indexOf('\n', ex.indexOf('  checkout:')) + 1;
    const text = `${ex.slice(0, at)}${'\n'.repeat(200_000)}broken second line\n${ex.slice(at)}`;
    assert.ok(parseLibrary(text).problems.length > 0, 'the text is broken');
    const cpu = (f: () => unknown) => {
      const ms: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = process.cpuUsage();
        f();
        const u = process.cpuUsage(t0);
        ms.push((u.user + u.system) / 1000);
      }
      return ms.sort((a, b) => a - b)[1];
    };
    const library = cpu(() => parseLibrary(text));
    const shortened = cpu(() => parseRobust(text));
    const file = cpu(() => parseFile('file:///runs.topology.yaml', text, RULES));
    assert.ok(shortened * 4 < library, `shortened ${shortened} ms, the library alone ${library} ms`);
    // The whole parse of the file (depth scan, cut, fast reader, chunks, schema, model) takes at most a
    // third of the library's time alone (about a tenth, measured).
    assert.ok(file * 3 < library, `parseFile ${file} ms, the library alone ${library} ms`);
  });
});
