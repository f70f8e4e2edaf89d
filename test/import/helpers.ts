/** What the import tests share: the repository root, parsing an imported topology back with the core. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyze, parseFile, RULES } from '../../server/src/core';

export const ROOT = (() => {
  let d = __dirname;
  while (!existsSync(resolve(d, 'package.json'))) d = resolve(d, '..');
  return d;
})();

/** Analyses an imported topology and asserts it has no structural finding (YAML, schema, references). */
export function assertStructurallyClean(text: string): ReturnType<typeof analyze> {
  const r = analyze([parseFile('file:///imported.topology.yaml', text, RULES)], RULES);
  const structural = r.findings.filter((f) => f.severity === 'error' || ['yaml-syntax', 'schema', 'unknown-reference', 'duplicate-id'].includes(f.rule));
  assert.deepEqual(structural.map((f) => `${f.rule}: ${f.message}`), [], text);
  return r;
}
