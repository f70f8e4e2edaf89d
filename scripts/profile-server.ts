/**
 * Drives the built language server over stdio on a generated topology and reports the keystroke path's
 * figures: time to the first diagnostics after didOpen, keystroke to analysis done (the debounce
 * included), the number and size of the diagnostics messages sent, and the server's memory. With
 * `--cpu-prof` the server writes a CPU profile (into `--dir`), and its top entries by self time are
 * printed, first open and keystrokes in one profile.
 *
 * A keystroke's end is the server's `topolint/graphChanged` notification for that version, sent after each
 * analysis of an open document, and not its diagnostics: the server publishes a file's diagnostics only
 * when they changed, and a keystroke in a description changes none.
 *
 * Build and run (not part of `npm run bench`, which h15-cli owns):
 *   npx esbuild scripts/profile-server.ts --bundle --platform=node --packages=external --outfile=out/profile-server.js
 *   node out/profile-server.js [--services 1000] [--compact] [--edits 20] [--kind timeout] [--cpu-prof] [--dir /tmp/prof] [--wait publish]
 * Run from another checkout's folder, it drives that checkout's bin/topolint.js (an A/B against an older
 * commit; `--wait publish` for a server that publishes on every analysis). For experiments,
 * PROFILE_NODE_FLAGS gives the server node flags instead of the VS Code client's (shared/node-flags.ts; empty for none) and PROFILE_MALLOC sets its MALLOC_ARENA_MAX.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { generateTopology } from '../test/generate';
import { descriptionAt, timeoutAt } from './keystrokes';
import { SERVER_NODE_FLAGS } from '../shared/node-flags';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

/**
 * A minimal client of its own: test/protocol/client.ts registers a node:test hook that stops its servers
 * when the (empty) test run of a plain script ends, which is at once.
 */
class Client {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly conn: MessageConnection;
  stderr = '';
  private closing = false;
  constructor(args: string[]) {
    this.proc = spawn(process.execPath, args, { stdio: 'pipe', env: { ...process.env, ...(process.env.PROFILE_MALLOC ? { MALLOC_ARENA_MAX: process.env.PROFILE_MALLOC } : {}) } });
    this.proc.stderr.on('data', (d) => (this.stderr += d));
    this.proc.once('exit', (code) => {
      if (!this.closing) console.error(`the server exited (${code}): ${this.stderr}`);
    });
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout), new StreamMessageWriter(this.proc.stdin));
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.listen();
  }
  async initialize(): Promise<void> {
    await this.conn.sendRequest('initialize', { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: { textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true, dataSupport: true } } } });
    await this.conn.sendNotification('initialized', {});
  }
  async shutdown(): Promise<void> {
    this.closing = true;
    const exited = new Promise<void>((r) => this.proc.once('exit', () => r()));
    await this.conn.sendRequest('shutdown');
    await this.conn.sendNotification('exit');
    await exited;
    this.conn.dispose();
  }
}

const args = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : def;
};
const services = Number(opt('services', '1000'));
const edits = Number(opt('edits', '20'));
const cpuProf = args.includes('--cpu-prof');
/** `--compact`: the issue-sized writing of the same system (349 KB at 1k instead of 745 KB). */
const compact = args.includes('--compact');
/** `--kind timeout`: the keystroke is a digit before a call's timeout that changes the findings (as in `npm run bench`); else a description digit. */
const kind = opt('kind', 'description');

const dir = opt('dir', join(tmpdir(), 'topolint-profile'));
/** `publish`: a keystroke ends with its diagnostics (for a server that publishes on every analysis). */
const waitFor = opt('wait', 'analysis');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
}

function position(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Self time per function (name, file and line), summed over a V8 .cpuprofile, the largest first. */
function topEntries(file: string, n: number): string[] {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(prof.nodes.map((x) => [x.id, x]));
  const self = new Map<string, number>();
  let total = 0;
  prof.samples.forEach((id, i) => {
    const dt = prof.timeDeltas[i] ?? 0;
    const cf = byId.get(id)!.callFrame;
    const name = `${cf.functionName || '(anonymous)'} ${cf.url.replace(/^.*\//, '')}:${cf.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + dt);
    total += dt;
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`);
}

/** The server's memory, from the benchmark's preloaded probe (scripts/bench-probe.cjs) on SIGUSR2. */
async function memoryOf(c: Client): Promise<{ cpuUs: number; rss: number; heapUsed: number; gcRss: number; gcHeapUsed: number }> {
  const before = c.stderr.length;
  c.proc.kill('SIGUSR2');
  for (let i = 0; i < 400; i++) {
    const m = /BENCH-MEMORY (\{.*\})\n/.exec(c.stderr.slice(before));
    if (m) return JSON.parse(m[1]) as { cpuUs: number; rss: number; heapUsed: number; gcRss: number; gcHeapUsed: number };
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no memory report: ${c.stderr.slice(-500)}`);
}

async function main(): Promise<void> {
  const text = generateTopology(services, undefined, { compact });
  const uri = pathToFileURL(join(tmpdir(), 'topolint-profile-doc', 'generated.topology.yaml')).href;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const c = new Client([...(cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []), ...(process.env.PROFILE_NODE_FLAGS !== undefined ? process.env.PROFILE_NODE_FLAGS.split(' ').filter(Boolean) : SERVER_NODE_FLAGS), '--expose-gc', '-r', './scripts/bench-probe.cjs', 'bin/topolint.js', 'lsp', '--stdio']);
  const analysed = new Map<number, () => void>();
  const sent: { version?: number; count: number; bytes: number }[] = [];
  c.conn.onNotification('topolint/graphChanged', (p: { uri: string; version: number }) => {
    if (p.uri === uri && waitFor === 'analysis') analysed.get(p.version)?.();
  });
  const done = (v: number) => new Promise<void>((r) => analysed.set(v, r));
  try {
    await c.initialize();
    const beforeOpen = await memoryOf(c);
    const t0 = performance.now();
    const first = new Promise<void>((r) => c.conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: unknown[] }) => {
      if (p.uri === uri) sent.push({ version: p.version, count: p.diagnostics.length, bytes: Buffer.byteLength(JSON.stringify(p)) });
      if (p.uri === uri && p.version === 1) r();
      if (p.uri === uri && waitFor === 'publish' && p.version !== undefined) analysed.get(p.version)?.();
    }));
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'topology', version: 1, text } });
    await first;
    const firstMs = performance.now() - t0;
    const afterOpen = await memoryOf(c);
    const at = kind === 'timeout' ? timeoutAt(text) : descriptionAt(text);
    const pos = position(text, at);
    const keys: number[] = [];
    for (let v = 2; v < 2 + edits; v++) {
      const insert = v % 2 === 0;
      const range = insert ? { start: pos, end: pos } : { start: pos, end: { line: pos.line, character: pos.character + 1 } };
      const p = done(v);
      const t1 = performance.now();
      await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ range, text: insert ? '9' : '' }] });
      await p;
      keys.push(performance.now() - t1);
    }
    const afterEdits = await memoryOf(c);
    const perKey = edits ? (afterEdits.cpuUs - afterOpen.cpuUs) / 1000 / edits : NaN;
    const mb = (x: number) => `${(x / 1024 / 1024).toFixed(0)} MB`;
    console.log(`${services} services, ${(text.length / 1024).toFixed(0)} KB; node ${process.version}`);
    console.log(`first diagnostics after didOpen: ${firstMs.toFixed(0)} ms (server CPU ${((afterOpen.cpuUs - beforeOpen.cpuUs) / 1000).toFixed(0)} ms)`);
    console.log(`keystroke to analysis done (debounce included), median of ${edits}: ${median(keys).toFixed(0)} ms (server CPU per keystroke ${perKey.toFixed(0)} ms, the forced GC of the memory probe included)  [${keys.map((k) => k.toFixed(0)).join(', ')}]`);
    console.log(`memory after open: RSS ${mb(afterOpen.rss)}, heap ${mb(afterOpen.heapUsed)}; after GC: RSS ${mb(afterOpen.gcRss)}, heap ${mb(afterOpen.gcHeapUsed)}`);
    console.log(`memory after the edits and GC: RSS ${mb(afterEdits.gcRss)}, heap ${mb(afterEdits.gcHeapUsed)}`);
    console.log(`diagnostics messages: ${sent.length} (${sent.map((s) => `v${s.version}: ${s.count}, ${(s.bytes / 1024 / 1024).toFixed(2)} MB`).join('; ')})`);
  } finally {
    await c.shutdown().catch(() => c.proc.kill());
  }
  if (cpuProf) {
    const f = readdirSync(dir).find((x) => x.endsWith('.cpuprofile'));
    if (f) {
      console.log(`\nTop entries by self time (${join(dir, f)}):`);
      for (const line of topEntries(join(dir, f), 25)) console.log(line);
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
