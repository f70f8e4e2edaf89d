/**
 * The editor's keystroke path in one process, without the protocol: a Workspace (lsp/workspace.ts) opens
 * a generated topology, then takes keystrokes as the server does (TextDocument.update, then analyse, then
 * the diagnostics compared with the last ones, convert.ts diagnosticsOf). It prints the open's parse and
 * analysis times, and per keystroke the medians of the parse, the analysis and the diagnostics, how many
 * analyses were kept from the last one (core/reuse.ts), and the last analysis's slowest rules. The
 * figures of `npm run bench` are over the server; these say where a keystroke's own work goes.
 *
 * Build and run (not part of `npm run bench`):
 *   npx esbuild scripts/profile-keystrokes.ts --bundle --platform=node --outfile=out/profile-keystrokes.js
 *   node [--cpu-prof] out/profile-keystrokes.js [--services 1000] [--keys 40] [--kind description|timeout] [--end]
 * The keystrokes are `npm run bench`'s (scripts/keystrokes.ts): `--kind timeout` types a digit before a
 * call's timeout that changes the findings (a value the kept model takes); `--end` types at the end of the
 * description's line instead of inside it.
 */
import type { Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Workspace } from '../server/src/lsp/workspace';
import { diagnosticsOf } from '../server/src/lsp/convert';
import { generateTopology } from '../test/generate';
import { descriptionAt, timeoutAt } from './keystrokes';

const args = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
};
const services = Number(opt('services', '1000'));
const keys = Number(opt('keys', '40'));
const kind = opt('kind', 'description');
const atEnd = args.includes('--end');

const uri = 'file:///profile/generated.topology.yaml';
let doc = TextDocument.create(uri, 'topology', 1, generateTopology(services, 42, { compact: true }));
const ws = new Workspace({}, () => undefined);
let last: Diagnostic[] | undefined;
const publish = () => {
  const d = diagnosticsOf(doc, ws.findingsIn(uri), () => doc, true, last);
  if (d) last = d;
};

ws.open(uri, doc.getText(), 1);
const open = ws.analyze(uri, {})!;
publish();
console.log(`${services} services, ${(doc.getText().length / 1024).toFixed(0)} KB; open: parse ${open.parseMs.toFixed(0)} ms, analysis ${open.analyzeMs.toFixed(0)} ms, ${open.result.findings.length} findings`);

const text = doc.getText();
const at = kind === 'timeout' ? timeoutAt(text) : atEnd ? text.indexOf('\n', descriptionAt(text)) : descriptionAt(text);
const rows: number[][] = [];
const kept = { all: 0, values: 0, no: 0 };
let a = open;
for (let v = 2; v < keys + 2; v++) {
  const pos = doc.positionAt(at);
  const insert = v % 2 === 0;
  doc = TextDocument.update(doc, [{ range: { start: pos, end: insert ? pos : { line: pos.line, character: pos.character + 1 } }, text: insert ? '9' : '' }], v);
  ws.open(uri, doc.getText(), v);
  const t0 = performance.now();
  a = ws.analyze(uri, {})!;
  const t1 = performance.now();
  publish();
  const t2 = performance.now();
  rows.push([a.parseMs, a.analyzeMs, t2 - t1, t2 - t0]);
  kept[a.reused]++;
}
const median = (i: number) => rows.map((r) => r[i]).sort((x, y) => x - y)[rows.length >> 1].toFixed(1);
console.log(`${keys} ${kind} keystrokes${atEnd ? ' at a line end' : ''}, medians: parse ${median(0)} ms, analysis ${median(1)} ms, diagnostics ${median(2)} ms, total ${median(3)} ms`);
console.log(`analyses kept whole ${kept.all}, kept but for the rules that read a changed value ${kept.values}, made again ${kept.no}`);
const slowest = [...a.result.timings].sort((x, y) => y[1] - x[1]).slice(0, 8);
console.log(`slowest rules of the last analysis: ${slowest.map(([id, ms]) => `${id} ${ms.toFixed(1)} ms`).join(', ')}`);
