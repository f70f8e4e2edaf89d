import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RULES } from '../../server/src/core';

// Every registered rule must come with its doc page, its test table, a settings entry and a JSON Schema
// entry; this fails as soon as a rule is added without them.
const ROOT = (() => {
  let d = __dirname;
  while (!existsSync(resolve(d, 'package.json'))) d = resolve(d, '..');
  return d;
})();

const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8'));
const schema = JSON.parse(readFileSync(resolve(ROOT, 'schemas/topology.schema.json'), 'utf8'));
const settings = (() => {
  const conf = pkg.contributes?.configuration;
  const list = Array.isArray(conf) ? conf : [conf];
  for (const c of list) if (c?.properties?.['topolint.rules']) return c.properties['topolint.rules'].properties ?? {};
  return {};
})();
const schemaText = JSON.stringify(schema);

for (const rule of RULES) {
  const id = rule.meta.id;
  test(`${id}: doc page with the required sections`, () => {
    const path = resolve(ROOT, 'docs/rules', `${id}.md`);
    assert.ok(existsSync(path), `docs/rules/${id}.md is missing`);
    const doc = readFileSync(path, 'utf8');
    assert.match(doc, new RegExp(`^# ${id}\\b`, 'm'));
    for (const section of ['## Why it hurts', '## How to fix it', '## Example']) assert.ok(doc.includes(section), `docs/rules/${id}.md lacks '${section}'`);
    if (rule.meta.acceptable) assert.ok(doc.includes('## When to accept it'), `docs/rules/${id}.md lacks '## When to accept it'`);
    for (const option of Object.keys(rule.meta.options)) assert.ok(doc.includes(`\`${option}\``), `docs/rules/${id}.md does not document the option '${option}'`);
    assert.ok(readFileSync(resolve(ROOT, 'docs/rules/README.md'), 'utf8').includes(`${id}.md`), `docs/rules/README.md does not list ${id}`);
  });
  test(`${id}: test table`, () => {
    const path = resolve(ROOT, 'test/unit/rules', `${id}.test.ts`);
    assert.ok(existsSync(path), `test/unit/rules/${id}.test.ts is missing`);
    const src = readFileSync(path, 'utf8');
    assert.ok(src.includes(`'${id}'`), `test/unit/rules/${id}.test.ts never names the rule`);
    if (rule.meta.fixable) assert.match(src, /applyFix|fixesFor/, `test/unit/rules/${id}.test.ts tests no fix`);
  });
  test(`${id}: settings entry and JSON Schema entry`, () => {
    const s = settings[id];
    assert.ok(s, `package.json contributes no topolint.rules setting for ${id}`);
    assert.ok(schemaText.includes(`"${id}"`), `schemas/topology.schema.json does not mention ${id}`);
  });
}

test('the README rule table and the registry agree on the headline rules', () => {
  const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
  for (const id of ['sync-chain', 'chatty-calls', 'shared-database']) assert.ok(readme.includes(`docs/rules/${id}.md`), id);
});
