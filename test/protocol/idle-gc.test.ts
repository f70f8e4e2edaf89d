/**
 * The young-generation collection between keystrokes (server/src/lsp/idle-gc.ts): started with the VS
 * Code client's flags (shared/node-flags.ts), the server asks for a young-generation collection once each
 * analysis is published; started without `--expose-gc`, it asks for none and works the same. A preload
 * written by the test (never part of the server) counts the calls of `gc` and their type, and reports
 * them on SIGUSR2 (node's --trace-gc would say the same, but on stdout, which is the LSP channel).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SERVER_NODE_FLAGS } from '../../shared/node-flags';
import { generateTopology } from '../generate';
import { TestClient, WORK_URI } from './client';

const HOOK = join(mkdtempSync(join(tmpdir(), 'topolint-idle-gc-')), 'count-gc.cjs');
writeFileSync(
  HOOK,
  `const real = globalThis.gc;
let minor = 0;
if (typeof real === 'function') globalThis.gc = (o) => { if (o && o.type === 'minor') minor++; return real(o); };
process.on('SIGUSR2', () => process.stderr.write('\\nMINOR ' + minor + '\\n'));
`,
);

/** How many young-generation collections the server has asked for. */
async function asked(c: TestClient): Promise<number> {
  const from = c.stderr.length;
  c.proc.kill('SIGUSR2');
  for (let i = 0; i < 250; i++) {
    const m = /MINOR (\d+)\n/.exec(c.stderr.slice(from));
    if (m) return Number(m[1]);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no report: ${c.stderr}`);
}

test('with the client flags, the server collects the young generation after each published analysis', async () => {
  const c = new TestClient([...SERVER_NODE_FLAGS, '-r', HOOK, 'bin/topolint.js', 'lsp', '--stdio']);
  await c.initialize();
  const uri = `${WORK_URI}/idle.topology.yaml`;
  const text = generateTopology(30);
  const first = c.analysed(uri, 1, 30_000);
  await c.open(uri, text, 1);
  await first;
  // The collection runs just after the notifications are sent.
  await new Promise((r) => setTimeout(r, 100));
  const afterOpen = await asked(c);
  const second = c.analysed(uri, 2, 30_000);
  await c.change(uri, text.replace('description: Service', 'description: A service'), 2);
  await second;
  await new Promise((r) => setTimeout(r, 100));
  const afterEdit = await asked(c);
  assert.equal(await c.shutdown(), 0);
  assert.ok(afterOpen >= 1 && afterEdit > afterOpen, `young collections asked for: ${afterOpen} after open, ${afterEdit} after the edit`);
});

test('without --expose-gc the server asks for no collection and still analyses', async () => {
  const c = new TestClient(['-r', HOOK, 'bin/topolint.js', 'lsp', '--stdio']);
  await c.initialize();
  const uri = `${WORK_URI}/plain.topology.yaml`;
  const first = c.analysed(uri, 1, 30_000);
  await c.open(uri, generateTopology(30), 1);
  assert.ok((await first).length > 0);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(await asked(c), 0);
  assert.equal(await c.shutdown(), 0);
});
