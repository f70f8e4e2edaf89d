/**
 * Writes the seeded test corpus (test/corpus.ts) to a folder, one file per topology, so that the findings
 * per rule can be counted with the CLI (scripts/findings-table.mjs) on the old code and the new.
 * Usage: npm run corpus -- --out <dir> [--count 240] [--seed 1] [--v11]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus } from '../test/corpus';

const args = process.argv.slice(2);
const value = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const out = value('--out');
const count = Number(value('--count') ?? 240);
const seed = Number(value('--seed') ?? 1);
if (!out || !Number.isInteger(count) || count < 1 || !Number.isInteger(seed)) {
  console.error('usage: npm run corpus -- --out <dir> [--count 240] [--seed 1] [--v11]');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const files = corpus(count, seed, { v11: args.includes('--v11') });
for (const f of files) writeFileSync(join(out, f.name), f.text);
console.log(`wrote ${files.length} topologies to ${out}`);
