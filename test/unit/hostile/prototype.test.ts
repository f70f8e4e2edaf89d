/**
 * Keys and ids named after Object.prototype's members must read as the plain names they are: a key
 * named `constructor` once made the schema check throw, and the CLI then printed nothing for the run.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze, fixesFor, parseFile, RULES } from '../../../server/src/core';
import { complete } from '../../../server/src/core/completion';
import { guidanceFor } from '../../../server/src/core/guidance';
import { occurrences } from '../../../server/src/core/navigation';
import { PROTOTYPE_NAMES } from '../../fuzz/harness';

const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'prototype'];
assert.ok(NAMES.every((n) => PROTOTYPE_NAMES.includes(n)));

function file(n: string): string {
  return [
    'topology: shop',
    `${n}: 1`,
    'defaults:',
    `  ${n}: 2s`,
    'services:',
    `  ${n}:`,
    `    ${n}: x`,
    '    calls:',
    `      - { to: ${n}-b, ${n}: 1, timeout: 1s }`,
    `      - to: ${n}`,
    `    publishes: [${n}]`,
    `    uses: [{ store: ${n}, ${n}: read }]`,
    `    accept: [{ rule: ${n}, reason: ${n} }]`,
    `  ${n}-b:`,
    `    subscribes: [${n}]`,
    'datastores:',
    `  ${n}: { kind: ${n}, owner: ${n} }`,
    'events:',
    `  ${n}: { ${n}: 1 }`,
    'flows:',
    `  ${n}: { entry: ${n} }`,
    'rules:',
    `  ${n}: off`,
    `  sync-chain: { ${n}: 3 }`,
    '',
  ].join('\n');
}

for (const n of NAMES) {
  test(`'${n}' as a key, an id and a reference: findings as for any name, no throw`, () => {
    const text = file(n);
    const parsed = parseFile('file:///p/x.topology.yaml', text, RULES);
    const result = analyze([parsed], RULES, { [n]: 'off', 'sync-chain': { [n]: 5 } } as never);
    assert.ok(!result.findings.some((f) => f.messageId === 'internal-error'), result.findings.map((f) => f.message).join('\n'));
    // The unknown key under the service is reported as unknown, like any misspelt key.
    assert.ok(result.findings.some((f) => f.rule === 'schema' && f.message.includes(`Unknown key '${n}'`)), `no unknown-key finding for ${n}`);
    for (const f of result.findings) fixesFor(f, result, RULES);
    occurrences(parsed.topology);
    for (let off = 0; off <= text.length; off += 7) complete(text, off, result.system, RULES.map((r) => r.meta.id));
    assert.equal(guidanceFor(n), undefined);
    assert.equal(guidanceFor(n, n), undefined);
  });
}

test('a service named like a prototype member is a service like any other', () => {
  const text = ['topology: t', 'services:', '  constructor:', '    calls: [{ to: toString, timeout: 1s }]', '  toString: {}', ''].join('\n');
  const result = analyze([parseFile('file:///p/t.topology.yaml', text, RULES)], RULES);
  assert.deepEqual([...result.system.services.keys()].sort(), ['constructor', 'toString']);
  assert.ok(!result.findings.some((f) => f.rule === 'unknown-reference'), result.findings.map((f) => f.message).join('\n'));
});
