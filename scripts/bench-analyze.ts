/**
 * `analyze` alone (issue 11: the rules, the system and the shared models), on generated topologies parsed
 * once: the median of several runs per size, the rules that take longest (AnalysisResult.timings, medians
 * over the runs), and the time outside the rules (System construction, settling, acceptance, sorting).
 * For a profile, run it under `node --cpu-prof`.
 *
 * Run (sizes optional, 1,000 2,000 3,000 by default; runs per size optional, 15 by default):
 *   npx esbuild scripts/bench-analyze.ts --bundle --platform=node --packages=external --outfile=out/bench-analyze.js && node out/bench-analyze.js [--runs 15] [1000 2000 3000]
 */
import { analyze, parseFile, RULES } from '../server/src/core';
import { generateTopology } from '../test/generate';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const args = process.argv.slice(2);
const r = args.indexOf('--runs');
const runs = r >= 0 ? Number(args.splice(r, 2)[1]) : 15;
const sizes = args.map(Number).filter((n) => n > 0);

console.log(`node ${process.version}; analyze() medians of ${runs} runs after 3 warm-up runs\n`);
const lines: string[] = [];
for (const n of sizes.length ? sizes : [1000, 2000, 3000]) {
  const text = generateTopology(n);
  const file = parseFile('file:///bench.topology.yaml', text, RULES);
  const services = file.topology.services.length;
  const total: number[] = [];
  // CPU time as well as wall time: on a shared machine the process waits for a core, and CPU time leaves
  // that wait out (it includes the garbage collector's threads, so it can exceed the wall time).
  const cpu: number[] = [];
  const perRule = new Map<string, number[]>();
  let findings = 0;
  for (let i = 0; i < runs + 3; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const result = analyze([file], RULES);
    const t = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (i < 3) continue;
    total.push(t);
    cpu.push((c.user + c.system) / 1000);
    findings = result.findings.length;
    for (const [id, ms] of result.timings) perRule.set(id, [...(perRule.get(id) ?? []), ms]);
  }
  const rules = [...perRule].map(([id, ms]) => [id, median(ms), Math.min(...ms)] as const).sort((a, b) => b[1] - a[1]);
  const inRules = rules.reduce((s, [, ms]) => s + ms, 0);
  lines.push(`| ${n.toLocaleString('en-US')} | ${services.toLocaleString('en-US')} | ${(text.length / 1024).toFixed(0)} KB | ${findings} | ${median(total).toFixed(1)} | ${Math.min(...total).toFixed(1)} | ${median(cpu).toFixed(1)} | ${inRules.toFixed(1)} |`);
  console.log(`generated ${n.toLocaleString('en-US')}: top rules (median ms): ${rules.slice(0, 10).map(([id, ms, min]) => `${id} ${ms.toFixed(2)} (min ${min.toFixed(2)})`).join(', ')}`);
}
console.log(`\n| asked | services read | size | findings | analyze median ms | min ms | CPU median ms | sum of rule medians ms |\n|---|---|---|---|---|---|---|---|`);
for (const l of lines) console.log(l);
