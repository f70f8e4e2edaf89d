/**
 * The V8 flags the VS Code client starts the server with (shared/node-flags.ts): node must take them (an
 * unknown flag stops node before the server starts), and they must reach V8, which reports a young
 * generation of the flagged size from the start.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { SERVER_NODE_FLAGS } from '../../shared/node-flags';

test('node takes the server flags, and its heap starts with the young generation they ask for', () => {
  const script = "const s = require('v8').getHeapSpaceStatistics().find((x) => x.space_name === 'new_space'); console.log(s.space_size)";
  const flagged = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, '-e', script], { encoding: 'utf8' });
  assert.equal(flagged.status, 0, flagged.stderr);
  const plain = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(plain.status, 0, plain.stderr);
  // The new space's size is one semi-space's capacity: 1 MB by default on node 20, 16 MB with the flags.
  assert.ok(Number(flagged.stdout) > Number(plain.stdout), `new space ${flagged.stdout.trim()} with the flags, ${plain.stdout.trim()} without`);
});
