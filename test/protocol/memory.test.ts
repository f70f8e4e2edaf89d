/**
 * Flat memory under edits (issue 10): the built language server over stdio takes 3 rounds of 1,000 rapid
 * one-character `didChange` edits, and its heap after a full garbage collection must stay flat: within
 * 25% of its level after the document was opened (the first edits trade the first reading's trees for
 * placed copies, see the assertion), and within 10% of the first round's level after that.
 *
 * Why this shape:
 * - The real server, not its Workspace class alone: what could grow per keystroke lives in the whole
 *   server (the open documents, the chunk cache, the analyses and their findings by key, the debounce,
 *   the settings cache, the connection's handlers), and only the real process shows it.
 * - Edits as an editor sends them: incremental ranges, one character each, typed into service
 *   descriptions (the document stays valid and is read through the chunk cache, one changed chunk per
 *   edit) and, every tenth edit, into a service's name (its id changes, and with it the findings). The
 *   server stores each change at once and analyses after its debounce: the test pauses for the
 *   diagnostics every 100 edits, and asks for document symbols every 100 edits in between (as an editor's
 *   outline does), which analyses at once. So each round runs 20 analyses over 1,000 changes.
 * - 200 services (150 KB, 4,600 lines): large enough that a leak of one old text or parse per edit would
 *   be hundreds of megabytes, small enough that the whole test takes seconds on an idle machine. A run on
 *   1,000 services (`npm run test:memory`, or TOPOLINT_MEMORY_SERVICES=1000) measures the case.
 * - Before the document opens, a small one is opened, typed into and closed, so that the code the rounds
 *   run is compiled before the baseline: compiled code counts in the heap, and on a small heap its first
 *   compilation alone would look like growth.
 * - The heap is read by a preload (written by the test, never part of the server) that collects garbage
 *   and writes `process.memoryUsage()` to stderr when the process gets SIGUSR2; `--expose-gc` is given to
 *   this server only.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateTopology } from '../generate';
import { TestClient, WORK_URI } from './client';

const SERVICES = Number(process.env.TOPOLINT_MEMORY_SERVICES) || 200;
const ROUNDS = 3;
const EDITS = 1000;
/** Generous waits: on a shared machine one analysis of a large file can take seconds. */
const WAIT_MS = 300_000;

const HOOK = join(mkdtempSync(join(tmpdir(), 'topolint-memory-')), 'gc-hook.cjs');
writeFileSync(
  HOOK,
  `process.on('SIGUSR2', () => {
  for (let i = 0; i < 3; i++) globalThis.gc();
  process.stderr.write('\\nHEAP ' + JSON.stringify(process.memoryUsage()) + '\\n');
});
`,
);

async function heapAfterGc(c: TestClient): Promise<NodeJS.MemoryUsage> {
  const from = c.stderr.length;
  c.proc.kill('SIGUSR2');
  const until = Date.now() + WAIT_MS;
  while (Date.now() < until) {
    const m = /HEAP (\{.*\})\n/.exec(c.stderr.slice(from));
    if (m) return JSON.parse(m[1]) as NodeJS.MemoryUsage;
    if (c.exitCode !== undefined) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no heap report from the server: ${c.stderr}`);
}

/** Types `edits` characters into a document, as an editor sends them; returns the last version sent. */
async function type(c: TestClient, uri: string, text: string, version: number, edits: number): Promise<number> {
  const lines = text.split('\n');
  const descriptions = lines.flatMap((l, i) => (l.startsWith('    description: ') ? [i] : []));
  const names = lines.flatMap((l, i) => (/^ {2}[a-z][\w-]*:$/.test(l) && lines[i + 1]?.startsWith('    description: ') ? [i] : []));
  for (let i = 0; i < edits; i++) {
    const name = i % 10 === 9;
    const list = name ? names : descriptions;
    const line = list[(i * 7919) % list.length];
    // After the first letter of a name (`  e|dge-12:`), or at the start of a description's value.
    const character = name ? 3 : 17;
    await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ range: { start: { line, character }, end: { line, character } }, text: 'x' }] });
    if (i % 100 === 49) await c.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
    if (i % 100 === 99) {
      const v = version;
      await c.diagnostics(uri, (p) => p.version === v, WAIT_MS);
    }
  }
  return version;
}

test(`server heap after ${ROUNDS} × ${EDITS.toLocaleString('en-US')} edits on ${SERVICES} services stays flat: within 25% of its level after open, within 10% of the first round's`, { skip: process.platform === 'win32' && 'Windows has no SIGUSR2 to ask the server for its heap' }, async () => {
  const c = new TestClient(['--expose-gc', '-r', HOOK, 'bin/topolint.js', 'lsp', '--stdio']);
  await c.initialize();
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

  const warm = `${WORK_URI}/warm-up.topology.yaml`;
  const small = generateTopology(20);
  await c.open(warm, small, 1);
  await c.forVersion(warm, 1);
  await type(c, warm, small, 1, 200);
  await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: warm } });

  const uri = `${WORK_URI}/system.topology.yaml`;
  const base = generateTopology(SERVICES);
  let version = 1;
  await c.open(uri, base, version);
  await c.diagnostics(uri, (p) => p.version === 1, WAIT_MS);
  const open = await heapAfterGc(c);
  const rounds: NodeJS.MemoryUsage[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    version = await type(c, uri, base, version, EDITS);
    // The round ends with the document as it was opened (a full-text change, as after an undo-all).
    await c.change(uri, base, ++version);
    const v = version;
    await c.diagnostics(uri, (p) => p.version === v, WAIT_MS);
    rounds.push(await heapAfterGc(c));
  }
  assert.equal(await c.shutdown(), 0);

  const report = `${SERVICES} services: heap after GC ${mb(open.heapUsed)} after open, ${rounds.map((r) => mb(r.heapUsed)).join(', ')} after each round; RSS ${mb(open.rss)}, ${rounds.map((r) => mb(r.rss)).join(', ')}`;
  console.log(report);
  // Opening keeps one tree: the first reading's, whose chunks seed the cache without a copy. The first
  // edits replace the trees of the chunks they move with placed copies (a span object of their own per
  // place, placed.ts), so the first round may settle somewhat above the open; after it, nothing may grow.
  for (const r of rounds) assert.ok(r.heapUsed <= open.heapUsed * 1.25, report);
  for (const r of rounds.slice(1)) assert.ok(r.heapUsed <= rounds[0].heapUsed * 1.1, report);
});
