/**
 * The language server over stdio survives the input that used to abort it (issue 10): a file nested
 * 10,000 deep gets its diagnostics, and another open document is still served afterwards.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestClient, WORK_URI } from './client';

test('the deep file: a depth finding, the server alive, and another document still served', async () => {
  const c = new TestClient();
  try {
    await c.initialize();
    const deep = `${WORK_URI}/deep.topology.yaml`;
    const other = `${WORK_URI}/other.topology.yaml`;
    const gotDeep = c.diagnostics(deep, () => true, 30_000);
    await c.open(deep, `topology: t\nservices:\n  a: {}\ndeep: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`);
    const d = await gotDeep;
    assert.ok(d.diagnostics.some((x) => /nesting deeper than \d+ levels/.test(String(x.message))), JSON.stringify(d.diagnostics.map((x) => x.message)));
    const gotOther = c.diagnostics(other, () => true, 30_000);
    await c.open(other, 'topology: u\nservices:\n  x:\n    calls: [{ to: nowhere }]\n');
    const o = await gotOther;
    assert.ok(o.diagnostics.some((x) => /'nowhere'/.test(String(x.message))));
    assert.equal(c.exitCode, undefined, 'the server is still running');
  } finally {
    await c.shutdown();
  }
});
