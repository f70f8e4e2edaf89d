/**
 * The entries of `topolint.observed` are hostile input: only what lies inside the workspace folders is
 * named for reading, whatever the entry says (`..`, absolute paths, symbolic links, globs, wrong types).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { globToRegExp, resolveEntries } from '../../../server/src/lsp/observed';

test('globs: ** spans folders, * and ? stay within a name, braces and classes', () => {
  const re = globToRegExp('traces/**/*.{json,jsonl}');
  assert.ok(re.test('traces/a.json'));
  assert.ok(re.test('traces/x/y/a.jsonl'));
  assert.ok(!re.test('traces/a.yaml'));
  assert.ok(!re.test('other/traces/a.json'));
  assert.ok(globToRegExp('k8s/*.yaml').test('k8s/a.yaml'));
  assert.ok(!globToRegExp('k8s/*.yaml').test('k8s/sub/a.yaml'), '* does not cross a folder');
  assert.ok(globToRegExp('t?.json').test('t1.json') && !globToRegExp('t?.json').test('t/.json'));
  assert.ok(globToRegExp('[ab].json').test('a.json') && !globToRegExp('[ab].json').test('c.json'));
  assert.ok(globToRegExp('a.(b)+.json').test('a.(b)+.json'), 'regular-expression characters are literal');
});

test('entries outside the folder, links out of it and wrong types are refused; the rest resolve inside', () => {
  const base = mkdtempSync(join(tmpdir(), 'topolint-observed-paths-'));
  try {
    const dir = join(base, 'work');
    mkdirSync(join(dir, 'traces', 'deep'), { recursive: true });
    mkdirSync(join(base, 'outside'));
    writeFileSync(join(base, 'outside', 'x.json'), '{}');
    writeFileSync(join(dir, 'traces', 'a.json'), '{}');
    writeFileSync(join(dir, 'traces', 'deep', 'b.json'), '{}');
    symlinkSync(join(base, 'outside', 'x.json'), join(dir, 'traces', 'out.json'));
    symlinkSync(join(base, 'outside'), join(dir, 'traces', 'outdir'));
    const folder = pathToFileURL(dir).href;
    const problems: string[] = [];
    const got = resolveEntries(
      [{ folder, entries: ['traces/**/*.json', '../outside/x.json', join(base, 'outside', 'x.json'), 'traces/out.json', 'traces/outdir/x.json', 'traces/../../outside/x.json', join(dir, 'traces', 'a.json'), 42, 'nothing/here.json', '\u0000'] }],
      [folder],
      problems,
    );
    assert.deepEqual(got.sort(), [join(dir, 'traces', 'a.json'), join(dir, 'traces', 'deep', 'b.json')].sort(), 'the glob skips both links; the absolute path inside is taken once');
    const refused = problems.filter((p) => p.includes('outside the workspace folders'));
    assert.equal(refused.length, 6, problems.join('\n'));
    assert.ok(problems.some((p) => p.includes('42 is not a file name or glob')));
    assert.ok(problems.some((p) => p.includes('"nothing/here.json" does not exist')));
    // A setting that is not a list at all.
    const p2: string[] = [];
    assert.deepEqual(resolveEntries([{ folder, entries: { a: 1 } }], [folder], p2), []);
    assert.match(p2[0], /should be a list/);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
