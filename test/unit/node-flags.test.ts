/**
 * The node flags the VS Code client starts the server with (shared/node-flags.ts): node must take them (an
 * unknown flag stops node before the server starts), they must expose `gc`, which the server's collection
 * between keystrokes needs (server/src/lsp/idle-gc.ts), and the young generation must start at 16 MB.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { SERVER_NODE_FLAGS } from '../../shared/node-flags';

test('node takes the server flags: they expose gc and start the young generation at 16 MB', () => {
  const script = "console.log(typeof globalThis.gc, require('v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size)";
  const flagged = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, '-e', script], { encoding: 'utf8' });
  assert.equal(flagged.status, 0, flagged.stderr);
  assert.equal(flagged.stdout.trim(), `function ${16 * 1024 * 1024}`);
  const plain = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  const [gc, young] = plain.stdout.trim().split(' ');
  assert.equal(gc, 'undefined');
  assert.ok(Number(young) < 16 * 1024 * 1024, `node's default young generation is ${young} bytes`);
});
