/**
 * What the editor's model keeps stays bounded by what is open (issue 10, flat memory under edits): the
 * chunk cache holds one document's chunks however many edits come, and a closed file nobody reads is
 * forgotten. The whole server is measured in test/protocol/memory.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChunkCache } from '../../../server/src/core';
import { parseIncremental } from '../../../server/src/core/incremental';
import { Workspace } from '../../../server/src/lsp/workspace';
import { nodeHost } from '../../../server/src/node-host';
import { generateTopology } from '../../generate';

describe('the chunk cache', () => {
  test('holds one document’s chunks through 300 edits, valid and broken', () => {
    const text = generateTopology(50, 9);
    const cache = new ChunkCache();
    parseIncremental(text, cache);
    const chunks = cache.size;
    let most = chunks;
    let current = text;
    for (let i = 0; i < 300; i++) {
      const at = current.indexOf('    description: ', (i * 7919) % current.length);
      const place = at < 0 ? current.indexOf('    description: ') : at;
      // Every third edit opens a quote that is never closed (a broken entry); the others type a letter.
      const typed = i % 3 === 2 ? '"' : 'x';
      current = current.slice(0, place + 17) + typed + current.slice(place + 17);
      parseIncremental(current, cache);
      most = Math.max(most, cache.size);
    }
    // The latest reading's chunks and the previous one's: never more than two versions' worth.
    assert.ok(most <= 2 * chunks, `${most} chunk parses cached for a document of ${chunks} chunks`);
  });
});

describe('the workspace', () => {
  test('forgets a closed file that no program reads, and reads it from disk again when asked', () => {
    const uri = 'file:///mem/closed.topology.yaml';
    const disk = generateTopology(5);
    let reads = 0;
    const ws = new Workspace(nodeHost(() => ['file:///mem/']), (u) => (u === uri ? (reads++, disk) : undefined));
    ws.open(uri, `${disk}# edited\n`, 1);
    assert.ok(ws.analyze(uri, {}));
    ws.close(uri, false);
    const before = reads;
    assert.equal(ws.text(uri), disk);
    assert.equal(reads - before, 1, 'the closed file’s state was dropped, so its text is read from disk again');
    assert.deepEqual(ws.allRoots(), []);
  });

  test('keeps a closed file that is still a root (found by the workspace scan)', () => {
    const uri = 'file:///mem/scanned.topology.yaml';
    const disk = generateTopology(5);
    let reads = 0;
    const ws = new Workspace(nodeHost(() => ['file:///mem/']), (u) => (u === uri ? (reads++, disk) : undefined));
    ws.open(uri, disk, 1);
    assert.ok(ws.analyze(uri, {}));
    ws.close(uri, true);
    const before = reads;
    assert.equal(ws.text(uri), disk);
    assert.equal(reads - before, 0);
    assert.deepEqual(ws.allRoots(), [uri]);
  });
});
