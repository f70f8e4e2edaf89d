/**
 * The first parse, with the fast reader (server/src/core/fastyaml.ts) and without it (the `yaml` library
 * alone, as before), on the generated 1,000- and 5,000-service topologies and on the examples: the bare
 * YAML reading (`parseYaml`), the editor's first parse of a document (through an empty chunk cache) and
 * the CLI's (`parseFile` without a cache, which also validates and builds the model). The two readings
 * alternate run by run, so a busy machine slows both alike; each figure is the median.
 *
 * Run (sizes optional): npx esbuild scripts/bench-parse.ts --bundle --platform=node --packages=external --outfile=out/bench-parse.js && node out/bench-parse.js [1000 5000]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChunkCache, parseFile, RULES } from '../server/src/core';
import { parseIncremental } from '../server/src/core/incremental';
import { parseYaml, setFastPath } from '../server/src/core/ynode';
import { generateTopology } from '../test/generate';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median times of `fn` with the fast reader off and on, alternating. */
function compare(fn: () => void, runs: number): { before: number; after: number } {
  const before: number[] = [];
  const after: number[] = [];
  for (let i = 0; i < runs; i++) {
    for (const fast of [false, true]) {
      setFastPath(fast);
      const t0 = performance.now();
      fn();
      (fast ? after : before).push(performance.now() - t0);
    }
  }
  setFastPath(true);
  return { before: median(before), after: median(after) };
}

const rows: string[][] = [];
// The sizes to time, from the command line (`node out/bench-parse.js 1000`); 1,000 and 5,000 by default.
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const texts: [string, string, number][] = (sizes.length ? sizes : [1000, 5000]).map((n) => [`generated ${n.toLocaleString('en-US')} services`, generateTopology(n), n >= 5000 ? 3 : 5]);
const examples = join(process.cwd(), 'examples');
const all = readdirSync(examples)
  .filter((n) => n.endsWith('.topology.yaml'))
  .map((n) => readFileSync(join(examples, n), 'utf8'));
texts.push([`the ${all.length} examples, each once`, '', 9]);

for (const [name, text, runs] of texts) {
  const each = (f: (t: string) => void) => () => (text ? f(text) : all.forEach(f));
  const bare = compare(each((t) => parseYaml(t)), runs);
  const editor = compare(each((t) => parseIncremental(t, new ChunkCache())), runs);
  const cli = compare(each((t) => parseFile('file:///b.topology.yaml', t, RULES)), runs);
  const size = text ? text.length : all.reduce((n, t) => n + t.length, 0);
  const f = (x: { before: number; after: number }) => `${x.before.toFixed(1)} → ${x.after.toFixed(1)} (${(x.before / x.after).toFixed(1)}×)`;
  rows.push([name, `${(size / 1024).toFixed(0)} KB`, f(bare), f(editor), f(cli)]);
}
const head = ['text', 'size', 'parseYaml ms', "editor's first parse ms", 'CLI parseFile ms'];
console.log(`node ${process.version}; yaml library alone → with the fast reader; medians (5 runs at 1,000, 3 at 5,000, 9 for the examples)\n`);
console.log(`| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
