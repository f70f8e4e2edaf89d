/**
 * Writes test/fixtures/findings/snapshot.json: a hash of the findings of every case of
 * test/unit/engine/findings-cases.ts (the corpus, the examples, the generated 1,000-service topology), and
 * the whole findings of a few, for findings-snapshot.test.ts. Run it only with the code whose findings are
 * the reference (it was run before issue 11's analysis work); the test then holds every later change to them.
 *
 * Run: npx esbuild scripts/snapshot-findings.ts --bundle --platform=node --packages=external --outfile=out/snapshot-findings.js && node out/snapshot-findings.js
 */
import { writeFileSync } from 'node:fs';
import { analyseCase, canonical, DUMPED, FIXTURE, hashOf, snapshotCases } from '../test/unit/engine/findings-cases';

const hashes: Record<string, string> = {};
const counts: Record<string, number> = {};
const full: Record<string, unknown[]> = {};
for (const c of snapshotCases()) {
  const { findings } = analyseCase(c);
  hashes[c.name] = hashOf(findings);
  counts[c.name] = findings.length;
  if (DUMPED.includes(c.name)) full[c.name] = canonical(findings);
}
for (const name of DUMPED) if (!full[name]) throw new Error(`no case named ${name}`);
// One line per case and per finding: compact, and a change shows as a one-line difference.
const lines = (o: Record<string, unknown>) => Object.entries(o).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n');
const dump = Object.entries(full).map(([k, v]) => `  ${JSON.stringify(k)}: [\n${v.map((f) => `   ${JSON.stringify(f)}`).join(',\n')}\n  ]`).join(',\n');
writeFileSync(FIXTURE, `{\n "hashes": {\n${lines(hashes)}\n },\n "counts": {\n${lines(counts)}\n },\n "full": {\n${dump}\n }\n}\n`);
console.log(`${Object.keys(hashes).length} cases, ${Object.values(counts).reduce((a, b) => a + b, 0)} findings`);
