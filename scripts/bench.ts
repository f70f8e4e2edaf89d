/**
 * The benchmark (not a timed test): parse and rule-analysis times on generated layered topologies, an
 * incremental re-parse after a one-character edit, and the language server's time to first diagnostics
 * and after a one-character edit, over a real stdio connection. Run with `npm run bench`.
 */
import { analyze, ChunkCache, parseFile, RULES } from '../server/src/core';
import { generateTopology } from '../test/generate';
import { TestClient } from '../test/protocol/client';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A workspace of `files` team files: each defines 20 services that call each other and one service of the
 * previous team's file, which it imports. The server scans and analyses them all on start.
 */
async function workspaceScan(files: number): Promise<{ ms: number; published: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'topolint-bench-ws-'));
  try {
    for (let f = 0; f < files; f++) {
      const lines = [`topology: team-${f}`];
      if (f > 0) lines.push(`imports: [./team-${f - 1}.topology.yaml]`);
      lines.push('defaults: { timeout: 800ms, availability: 99.95% }', 'services:');
      for (let i = 0; i < 20; i++) {
        lines.push(`  t${f}-s${i}:`, '    versions: [v1]', '    calls:');
        if (i < 19) lines.push(`      - { to: t${f}-s${i + 1}, timeout: ${600 - i * 20}ms, version: v1, fallback: cached }`);
        if (f > 0 && i === 19) lines.push(`      - { to: t${f - 1}-s0, style: async }`);
        if (i === 19 && f === 0) lines.push('      - { to: t0-s0, style: async }');
      }
      writeFileSync(join(dir, `team-${f}.topology.yaml`), lines.join('\n') + '\n');
    }
    const c = new TestClient();
    try {
      const t0 = performance.now();
      const waits = Array.from({ length: files }, (_, f) => c.diagnostics(pathToFileURL(join(dir, `team-${f}.topology.yaml`)).href, () => true, 60_000));
      await c.initialize(false, false, pathToFileURL(dir).href);
      await Promise.all(waits);
      await c.progressEnd();
      return { ms: performance.now() - t0, published: waits.length };
    } finally {
      await c.shutdown().catch(() => c.proc.kill());
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => void, runs: number): number {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

/** A one-character edit in the middle service: a digit of its description. */
function edit(text: string): string {
  const at = text.indexOf('description: Service', Math.floor(text.length / 2)) + 'description: Service '.length;
  return text.slice(0, at) + '9' + text.slice(at);
}

async function lspTimes(text: string): Promise<{ first: number; afterEdit: number }> {
  const uri = 'file:///bench/generated.topology.yaml';
  const c = new TestClient();
  try {
    await c.initialize(false);
    const t0 = performance.now();
    const p1 = c.forVersion(uri, 1);
    await c.open(uri, text, 1);
    await p1;
    const first = performance.now() - t0;
    // Five one-character edits, each waited for; the median is what a user typing feels.
    const edits: number[] = [];
    for (let v = 2; v <= 6; v++) {
      const t1 = performance.now();
      const p2 = c.diagnostics(uri, (p) => p.version === v, 30_000);
      await c.change(uri, v % 2 ? text : edit(text), v);
      await p2;
      edits.push(performance.now() - t1);
    }
    return { first, afterEdit: median(edits) };
  } finally {
    await c.shutdown().catch(() => c.proc.kill());
  }
}

async function main(): Promise<void> {
  const rows: string[][] = [];
  for (const n of [100, 1000, 5000]) {
    const text = generateTopology(n);
    const runs = n >= 5000 ? 3 : 7;
    const parseWhole = time(() => parseFile('file:///b.topology.yaml', text, RULES), runs);
    const cache = new ChunkCache();
    parseFile('file:///b.topology.yaml', text, RULES, cache);
    const edited = edit(text);
    let flip = false;
    const parseEdit = time(() => {
      flip = !flip;
      parseFile('file:///b.topology.yaml', flip ? edited : text, RULES, cache);
    }, runs);
    const parsed = parseFile('file:///b.topology.yaml', text, RULES);
    let findings = 0;
    const rules = time(() => {
      findings = analyze([parsed], RULES).findings.length;
    }, runs);
    const interactions = (text.match(/^ {6}- to: /gm) ?? []).length;
    rows.push([String(n), String(interactions), `${(text.length / 1024).toFixed(0)} KB`, parseWhole.toFixed(1), parseEdit.toFixed(1), rules.toFixed(1), String(findings)]);
  }
  const head = ['services', 'calls', 'size', 'full parse ms', 'parse after 1-char edit ms', 'all rules ms', 'findings'];
  console.log(`node ${process.version}, ${RULES.length} rules, median of 7 runs (3 for 5,000)\n`);
  console.log(`| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  const scan = await workspaceScan(200);
  console.log(`\nWorkspace scan: ${scan.published} topology files (4,000 services, each file importing the previous one) found, analysed and published in ${scan.ms.toFixed(0)} ms from initialize.`);
  const lsp = await lspTimes(generateTopology(1000));
  console.log(`\nLanguage server over stdio, 1,000 services: first diagnostics ${lsp.first.toFixed(0)} ms after didOpen; ${lsp.afterEdit.toFixed(0)} ms after a one-character didChange (median of 5, including the 150 ms debounce).`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
