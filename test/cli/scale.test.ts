/**
 * The CLI at the size issue 11 targets: a 5,000-service topology, written in full (3.8 MB, about 15,000
 * entries and 35,000 elements) or compactly, is analysed whole. The limits of issue 10 (MAX_ENTRIES,
 * ELEMENT_BUDGET) used to cut it, and every reference to a service left out became an unknown-reference:
 * 14,253 of them, with 4 limit findings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateTopology } from '../generate';

const ROOT = resolve(__dirname, '../../..');

for (const compact of [false, true]) {
  test(`a 5,000-service topology written ${compact ? 'compactly' : 'in full'} is analysed whole by topolint check`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'topolint-scale-'));
    try {
      writeFileSync(join(dir, 'package.json'), '{}\n');
      writeFileSync(join(dir, 'g.topology.yaml'), generateTopology(5000, 42, { compact }));
      const r = spawnSync(process.execPath, [join(ROOT, 'bin/topolint.js'), 'check', 'g.topology.yaml'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 256 * 1024 * 1024, timeout: 300_000 });
      assert.equal(r.signal, null, 'it finished');
      assert.ok(r.status === 0 || r.status === 1, r.stderr);
      // Text output, one finding a line ending in its rule: the JSON output would also work out fixes.
      const rules = [...r.stdout.matchAll(/ \[([a-z-]+)\]$/gm)].map((m) => m[1]);
      assert.equal(rules.filter((x) => x === 'unknown-reference').length, 0);
      assert.equal(rules.filter((x) => x === 'yaml-syntax').length, 0);
      // The whole system's findings: at 1,000 services there are 651; at 5,000 several times as many.
      assert.ok(rules.length > 3000, `${rules.length} findings`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
