/**
 * The node flags the VS Code client starts the server with (shared/node-flags.ts): node must take them (an
 * unknown flag stops node before the server starts), and they must expose `gc`, which the server's
 * collection between keystrokes needs (server/src/lsp/idle-gc.ts).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { SERVER_NODE_FLAGS } from '../../shared/node-flags';

test('node takes the server flags, and they expose gc', () => {
  const script = 'console.log(typeof globalThis.gc)';
  const flagged = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, '-e', script], { encoding: 'utf8' });
  assert.equal(flagged.status, 0, flagged.stderr);
  assert.equal(flagged.stdout.trim(), 'function');
  const plain = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(plain.stdout.trim(), 'undefined');
});
