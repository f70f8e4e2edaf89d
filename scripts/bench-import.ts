/**
 * npm run bench:import — writes a 100 MB OTLP JSON Lines trace file (seeded, from a 16-service topology)
 * to a temporary folder, imports it with the built CLI in a child process, and reports the wall time and
 * the child's peak resident memory (process.resourceUsage().maxRSS). Exits 1 when the peak is over the
 * bound (TOPOLINT_IMPORT_MAX_RSS_MB, default 400), which is what "a 100 MB file must not be loaded whole"
 * promises: the file's size must not show up in the memory.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { OtlpGenerator, type GenService } from '../test/import/otlp-generator';

const TARGET = Number(process.env.TOPOLINT_IMPORT_BENCH_MB ?? 100) * 1024 * 1024;
const BOUND_MB = Number(process.env.TOPOLINT_IMPORT_MAX_RSS_MB ?? 400);

const topology = new Map<string, GenService>([
  ['frontend', { calls: [{ to: 'gateway', protocol: 'http' }] }],
  ['gateway', { calls: [{ to: 'cart', protocol: 'grpc' }, { to: 'catalog', protocol: 'grpc', perRequest: 4, parallel: true }, { to: 'recommend', protocol: 'grpc', parallel: true }, { to: 'ads', protocol: 'grpc', parallel: true }, { to: 'checkout', protocol: 'grpc' }] }],
  ['cart', { uses: [{ store: 'cart-cache', access: 'readwrite', system: 'redis' }] }],
  ['catalog', { uses: [{ store: 'catalog-db', access: 'read' }] }],
  ['recommend', { calls: [{ to: 'catalog', protocol: 'grpc', perRequest: 2 }] }],
  ['ads', {}],
  ['checkout', { calls: [{ to: 'payment', protocol: 'grpc' }, { to: 'shipping', protocol: 'grpc' }, { to: 'currency', protocol: 'grpc', perRequest: 3 }, { to: 'fraud', style: 'async' }], publishes: ['order-placed'], uses: [{ store: 'orders-db', access: 'write' }] }],
  ['payment', { uses: [{ store: 'payments-db', access: 'readwrite' }] }],
  ['shipping', {}],
  ['currency', {}],
  ['fraud', { uses: [{ store: 'fraud-db', access: 'read' }] }],
  ['email', { subscribes: ['order-placed'] }],
  ['analytics', { subscribes: ['order-placed'], uses: [{ store: 'warehouse', access: 'write' }] }],
  ['loyalty', { subscribes: ['order-placed'], calls: [{ to: 'users', protocol: 'http' }] }],
  ['users', { uses: [{ store: 'users-db', access: 'read' }] }],
]);

const dir = mkdtempSync(join(tmpdir(), 'topolint-bench-import-'));
try {
  const file = join(dir, 'traces.jsonl');
  const t0 = performance.now();
  const fd = openSync(file, 'w');
  const gen = new OtlpGenerator(topology, 42);
  let size = 0;
  let traces = 0;
  while (size < TARGET) {
    const line = gen.trace(traces++) + '\n';
    size += Buffer.byteLength(line);
    writeSync(fd, line);
  }
  closeSync(fd);
  const genMs = performance.now() - t0;
  const mb = statSync(file).size / 1048576;
  console.log(`generated ${mb.toFixed(1)} MB, ${traces} traces, in ${(genMs / 1000).toFixed(1)} s`);

  const cli = resolve(__dirname, '../dist/cli.js');
  const out = join(dir, 'imported.topology.yaml');
  const script = `const t=performance.now();const code=require(${JSON.stringify(cli)}).main(['import','traces',${JSON.stringify(file)},'-o',${JSON.stringify(out)}]);process.stderr.write(JSON.stringify({code,ms:performance.now()-t,maxRSS:process.resourceUsage().maxRSS})+'\\n');`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const m = JSON.parse(last) as { code: number; ms: number; maxRSS: number };
  const peakMb = m.maxRSS / 1024;
  console.log(`import traces: ${(m.ms / 1000).toFixed(1)} s (${(mb / (m.ms / 1000)).toFixed(1)} MB/s), peak RSS ${peakMb.toFixed(0)} MB, exit ${m.code}`);
  const ok = m.code === 0 && peakMb <= BOUND_MB;
  console.log(ok ? `within the bound of ${BOUND_MB} MB` : `OVER the bound of ${BOUND_MB} MB (or the import failed)`);
  process.exitCode = ok ? 0 : 1;

  // The language server's reading of the same file (topolint.observed): in slices, giving the event loop a
  // turn after each. What matters there is the longest time the loop was held, during which the server
  // could answer nothing.
  const script2 = `const {monitorEventLoopDelay}=require('node:perf_hooks');const h=monitorEventLoopDelay({resolution:5});h.enable();const t=performance.now();require(${JSON.stringify(resolve(__dirname, 'bench-observed.js'))}).load(${JSON.stringify(file)}).then((o)=>{h.disable();process.stderr.write(JSON.stringify({ms:performance.now()-t,maxStallMs:h.max/1e6,p99StallMs:h.percentile(99)/1e6,calls:o.calls.length,maxRSS:process.resourceUsage().maxRSS})+'\\n');});`;
  const r2 = spawnSync(process.execPath, ['-e', script2], { encoding: 'utf8' });
  const last2 = r2.stderr.trim().split('\n').pop() ?? '';
  try {
    const o = JSON.parse(last2) as { ms: number; maxStallMs: number; p99StallMs: number; calls: number; maxRSS: number };
    console.log(`server reading (loadObservedAsync): ${(o.ms / 1000).toFixed(1)} s, ${o.calls} observed calls, event loop held at most ${o.maxStallMs.toFixed(0)} ms (p99 ${o.p99StallMs.toFixed(0)} ms), peak RSS ${(o.maxRSS / 1024).toFixed(0)} MB`);
  } catch {
    console.log(`server reading failed: ${r2.stderr}`);
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
