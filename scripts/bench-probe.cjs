// Preloaded (`node -r`) into the processes the benchmark measures: the language servers and the CLI. It
// changes nothing in them; it only reports memory, so the benchmark needs no hook in the product.
// - On SIGUSR2 it writes one line `BENCH-MEMORY {...}` to stderr: the RSS and heap now, then after a full
//   garbage collection when the process runs with --expose-gc (what stays alive, not what waits for GC),
//   and the CPU time it has used so far (less sensitive than wall time to a busy machine).
// - At exit, when TOPOLINT_BENCH_RSS names a file, it writes the process's peak RSS in bytes there.
'use strict';
const fs = require('node:fs');

process.on('SIGUSR2', () => {
  // CPU time (user + system, µs) before the collection below: what the process has spent so far.
  const cpu = process.cpuUsage();
  const now = process.memoryUsage();
  let afterGc;
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
    afterGc = process.memoryUsage();
  }
  const line = { cpuUs: cpu.user + cpu.system, rss: now.rss, heapUsed: now.heapUsed, gcRss: afterGc?.rss, gcHeapUsed: afterGc?.heapUsed, maxRss: process.resourceUsage().maxRSS * 1024 };
  fs.writeSync(2, `BENCH-MEMORY ${JSON.stringify(line)}\n`);
});

const out = process.env.TOPOLINT_BENCH_RSS;
if (out) {
  process.on('exit', () => {
    // resourceUsage().maxRSS is in kilobytes.
    fs.writeFileSync(out, String(process.resourceUsage().maxRSS * 1024));
  });
}
