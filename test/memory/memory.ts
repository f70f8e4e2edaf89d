/**
 * Flat memory under edits (issue 10; `npm run test:memory`, not part of npm test while it takes over ten minutes): 3 rounds of 1,000 rapid edits on a 200-service file (TOPOLINT_MEMORY_SERVICES for more), through the
 * server's Workspace (parse with the chunk cache, analysis, findings by key). The test runs itself again
 * in a child process with --expose-gc, so that heap after a full collection can be compared with its
 * level after the first open; it must come back within 10%.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { Workspace } from '../../server/src/lsp/workspace';
import { nodeHost } from '../../server/src/node-host';
import { generateTopology } from '../generate';

const CHILD = 'TOPOLINT_MEMORY_CHILD';

function measure(): { open: number; rounds: number[] } {
  const gc = (globalThis as { gc?: () => void }).gc!;
  const heap = () => {
    for (let i = 0; i < 3; i++) gc();
    return process.memoryUsage().heapUsed;
  };
  const uri = 'file:///mem/system.topology.yaml';
  const base = generateTopology(Number(process.env.TOPOLINT_MEMORY_SERVICES) || 200);
  const ws = new Workspace(nodeHost(() => ['file:///mem/']), () => undefined);
  ws.open(uri, base, 1);
  ws.analyze(uri, {});
  const open = heap();
  const rounds: number[] = [];
  let version = 1;
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 1000; i++) {
      // A typing edit: one character more or less in a service somewhere in the file, as in an editor.
      const at = base.indexOf('\n  ', ((i * 7919) % base.length)) + 3;
      const text = i % 2 ? base.slice(0, at) + 'x' + base.slice(at) : base.slice(0, at) + 'yy' + base.slice(at);
      ws.open(uri, text, ++version);
      // The server parses on every change and analyses after its debounce: rapid edits are mostly parses.
      if (i % 100 === 99) ws.analyze(uri, {});
      else ws.parsed(uri);
    }
    ws.open(uri, base, ++version);
    ws.analyze(uri, {});
    rounds.push(heap());
  }
  return { open, rounds };
}

if (process.env[CHILD]) {
  process.stdout.write(JSON.stringify(measure()));
} else {
  test('heap after 3 × 1,000 edits returns within 10% of its level after the first open', () => {
    const r = spawnSync(process.execPath, ['--expose-gc', __filename], { env: { ...process.env, [CHILD]: '1' }, encoding: 'utf8', timeout: 600_000 });
    assert.equal(r.status, 0, r.stderr);
    const { open, rounds } = JSON.parse(r.stdout) as { open: number; rounds: number[] };
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    const report = `after open ${mb(open)} MB, after each round ${rounds.map(mb).join(', ')} MB`;
    console.log(report);
    for (const h of rounds) assert.ok(h <= open * 1.1, report);
  });
}
