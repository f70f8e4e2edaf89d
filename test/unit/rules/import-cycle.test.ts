import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, parseFile, RULES, type ParsedFile } from '../../../server/src/core';
import { loadProgram } from '../../../server/src/core/program';

const RULE = 'import-cycle';

/** Analyses `root` with its imports taken from an in-memory table of files. */
function runFiles(files: Record<string, string>, root: string) {
  const parsed = new Map<string, ParsedFile>();
  const get = (uri: string) => {
    if (!(uri in files)) return undefined;
    if (!parsed.has(uri)) parsed.set(uri, parseFile(uri, files[uri], RULES));
    return parsed.get(uri);
  };
  const program = loadProgram(get(root)!, get);
  return { result: analyze(program.files, RULES, {}, {}, program.links), program };
}

const A = 'file:///w/a.topology.yaml';
const B = 'file:///w/b.topology.yaml';
const C = 'file:///w/sub/c.topology.yaml';

describe(RULE, () => {
  test('no imports, or imports without a cycle: nothing', () => {
    const { result } = runFiles({ [A]: 'topology: a\nimports: [./b.topology.yaml]\nservices:\n  a: {}\n', [B]: 'topology: b\nservices:\n  b: {}\n' }, A);
    assert.equal(result.findings.filter((f) => f.rule === RULE).length, 0);
  });

  test('a two-file cycle: one warning at the import that closes it, the program reads each file once', () => {
    const files = { [A]: 'topology: a\nimports: [./b.topology.yaml]\nservices:\n  a: {}\n', [B]: 'topology: b\nimports: [./a.topology.yaml]\nservices:\n  b:\n    calls: [{ to: a, timeout: 1s }]\n' };
    const { result, program } = runFiles(files, A);
    assert.deepEqual(program.files.map((f) => f.uri), [A, B]);
    const found = result.findings.filter((f) => f.rule === RULE);
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'warning');
    assert.equal(found[0].uri, A);
    assert.equal(files[A].slice(found[0].span.start, found[0].span.end), './b.topology.yaml');
    assert.match(found[0].message, /2 files import each other in a cycle, starting at (a|b)\.topology\.yaml\. The cycle is (a|b)\.topology\.yaml → (a|b)\.topology\.yaml → /);
    assert.equal(found[0].related?.length, 1);
    assert.equal(found[0].related[0].uri, B);
    // The reference across the cycle resolves: no unknown-reference.
    assert.equal(result.findings.filter((f) => f.rule === 'unknown-reference').length, 0);
  });

  test('a three-file cycle through a subfolder; a file importing itself', () => {
    const files = {
      [A]: 'topology: a\nimports: [./sub/c.topology.yaml]\nservices:\n  a: {}\n',
      [C]: 'topology: c\nimports: [../b.topology.yaml]\nservices:\n  c: {}\n',
      [B]: 'topology: b\nimports: [./a.topology.yaml]\nservices:\n  b: {}\n',
    };
    assert.equal(runFiles(files, A).result.findings.filter((f) => f.rule === RULE).length, 1);
    const self = runFiles({ [A]: 'topology: a\nimports: [./a.topology.yaml]\nservices:\n  a: {}\n' }, A);
    assert.equal(self.result.findings.filter((f) => f.rule === RULE).length, 1);
  });

  test('cannot be turned off or accepted', () => {
    const files = { [A]: 'topology: a\nimports: [./b.topology.yaml]\nservices:\n  a: { accept: [{ rule: import-cycle, reason: x }] }\nrules:\n  import-cycle: off\n', [B]: 'topology: b\nimports: [./a.topology.yaml]\nservices:\n  b: {}\n' };
    const found = runFiles(files, A).result.findings.filter((f) => f.rule === RULE);
    assert.equal(found.length, 1);
    assert.equal(found[0].accepted, undefined);
  });

  test('a missing import is an unknown-reference at the path', () => {
    const text = 'topology: a\nimports: [./nowhere.topology.yaml]\nservices:\n  a: {}\n';
    const { result } = runFiles({ [A]: text }, A);
    const missing = result.findings.filter((f) => f.rule === 'unknown-reference');
    assert.equal(missing.length, 1);
    assert.equal(missing[0].messageId, 'missing-import');
    assert.equal(text.slice(missing[0].span.start, missing[0].span.end), './nowhere.topology.yaml');
  });
});
