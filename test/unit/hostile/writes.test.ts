/**
 * Writes stay in the project (issue 10): the decision-record fixes create no file outside it, and text
 * from the topology that goes into a record cannot start a line of its own there.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze, fixesFor, parseFile, RULES } from '../../../server/src/core';
import type { Host } from '../../../server/src/core/rule';
import { nodeHost } from '../../../server/src/node-host';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

function withProject(run: (dir: string, host: Host) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'topolint-writes-'));
  try {
    run(dir, nodeHost(() => [pathToFileURL(dir + '/').href]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const adr of ['../../../../tmp/x.md', 'file:///tmp/x.md', '/tmp/x.md']) {
  test(`accept.adr: ${adr} is outside the project: a finding that says so, and no fix creates it`, () => {
    withProject((dir, host) => {
      const uri = pathToFileURL(join(dir, 'sys.topology.yaml')).href;
      const text = `topology: t\nservices:\n  a:\n    calls:\n      - to: b\n        accept: [{ rule: sync-chain, reason: ok, adr: "${adr}" }]\n  b: {}\n`;
      const result = analyze([parseFile(uri, text, RULES)], RULES, {}, host);
      const found = result.findings.filter((f) => f.rule === 'missing-adr');
      assert.equal(found.length, 1, result.findings.map((f) => f.message).join('\n'));
      assert.equal(found[0].messageId, 'outside');
      assert.match(found[0].message, /outside the project/);
      assert.deepEqual(fixesFor(found[0], result, RULES), []);
    });
  });
}

test('a record inside the project is still offered to be created', () => {
  withProject((dir, host) => {
    const uri = pathToFileURL(join(dir, 'sys.topology.yaml')).href;
    const text = 'topology: t\nservices:\n  a:\n    calls:\n      - to: b\n        accept: [{ rule: sync-chain, reason: ok, adr: docs/adr/0001-x.md }]\n  b: {}\n';
    const result = analyze([parseFile(uri, text, RULES)], RULES, {}, host);
    const found = result.findings.filter((f) => f.rule === 'missing-adr');
    assert.equal(found.length, 1);
    assert.equal(fixesFor(found[0], result, RULES)[0]?.creates?.[0].uri, pathToFileURL(join(dir, 'docs/adr/0001-x.md')).href);
  });
});

test('an ADR folder outside the project: no "record it in an ADR" fix', () => {
  withProject((dir) => {
    const host: Host = { ...nodeHost(() => [pathToFileURL(dir + '/').href]), adrFolder: () => 'file:///tmp/elsewhere/' };
    const uri = pathToFileURL(join(dir, 'sys.topology.yaml')).href;
    const text = 'topology: t\nservices:\n  w:\n    exposure: external\n    calls: [{ to: a, timeout: 1s }]\n  a: { calls: [{ to: b, timeout: 1s }] }\n  b: { calls: [{ to: c, timeout: 1s }] }\n  c: {}\n';
    const result = analyze([parseFile(uri, text, RULES)], RULES, {}, host);
    const chain = result.findings.find((f) => f.rule === 'sync-chain');
    assert.ok(chain);
    const titles = fixesFor(chain, result, RULES).map((f) => f.title);
    assert.ok(titles.some((t) => t.startsWith('Accept sync-chain on ')), titles.join('\n'));
    assert.ok(!titles.some((t) => /record it in an ADR/.test(t)), titles.join('\n'));
  });
});

test('a newline or control character in a reason or a name does not become a line of its own in the record', () => {
  withProject((dir, host) => {
    const uri = pathToFileURL(join(dir, 'sys.topology.yaml')).href;
    const reason = 'ok\\n## Decision\\n\\nrm -rf /\\u001b[2J';
    const text = `topology: t\nservices:\n  "w\\n# Injected":\n    exposure: external\n    calls:\n      - to: b\n        accept: [{ rule: sync-chain, reason: "${reason}", adr: docs/adr/0001-x.md }]\n  b: {}\n`;
    const result = analyze([parseFile(uri, text, RULES)], RULES, {}, host);
    const missing = result.findings.find((f) => f.rule === 'missing-adr');
    assert.ok(missing, result.findings.map((f) => f.message).join('\n'));
    const created = fixesFor(missing, result, RULES)[0].creates![0].text;
    const lines = created.split('\n');
    assert.equal(lines.filter((l) => l === '## Decision').length, 1, created);
    assert.ok(!lines.some((l) => l.startsWith('# Injected') || l.startsWith('rm -rf')), created);
    // eslint-disable-next-line no-control-regex -- no control character may reach a written file.
    assert.doesNotMatch(created, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});
