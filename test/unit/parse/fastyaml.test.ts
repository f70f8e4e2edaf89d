/**
 * The fast reader (server/src/core/fastyaml.ts) against the `yaml` library's reading (`parseRobust`):
 * wherever the fast reader accepts a text, its tree and problems are deep-equal to the library's, span for
 * span; otherwise it declines. Checked on the 240-topology corpus, the examples, the fuzz fixtures, the
 * generated 1,000-service file, every chunk the incremental parser cuts them into, and seeded mutations
 * (the fuzz harness's mutators and line edits of the kinds typing makes). End to end, the findings with
 * the fast reader on and off are the same. Each test also checks that the fast reader really accepted
 * what a topology file holds, so that a reader that declined everything could not pass.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, ChunkCache, parseFile, RULES, type Finding } from '../../../server/src/core';
import { cutChunks } from '../../../server/src/core/incremental';
import { parseFast } from '../../../server/src/core/fastyaml';
import { LIMITS, parseRobust, parseYaml, setFastPath } from '../../../server/src/core/ynode';
import { corpus } from '../../corpus';
import { generateTopology } from '../../generate';
import { mutate as fuzzMutate, rng } from '../../fuzz/harness';
import { crlf, URI } from '../../helpers';
import { exampleFiles } from '../../examples';

/** Every YAML file under examples/, with its path. */
function examples(): { name: string; text: string }[] {
  return exampleFiles(process.cwd(), /\.ya?ml$/);
}

function fuzzFixtures(): { name: string; text: string }[] {
  const dir = join(process.cwd(), 'test', 'fixtures', 'fuzz');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => n.endsWith('.fuzz.yaml'))
    .sort()
    .map((n) => ({ name: n, text: readFileSync(join(dir, n), 'utf8') }));
}

/**
 * The property for one text (read at `base` and `depth`): the fast reading is the library's, or none.
 * Returns whether the fast reader accepted.
 */
function agrees(text: string, where: string, base = 0, depth = 0): boolean {
  const fast = parseFast(text, base, depth);
  if (!fast) return false;
  assert.deepStrictEqual(fast, parseRobust(text, base, depth), where);
  return true;
}

/** Line edits of the kinds typing makes, with comment and blank lines at every indentation. */
function lineEdit(text: string, r: () => number): string {
  const lines = text.split('\n');
  const li = Math.floor(r() * lines.length);
  const pad = ' '.repeat(Math.floor(r() * 10));
  switch (Math.floor(r() * 8)) {
    case 0:
      lines.splice(li, 0, `${pad}# a note`);
      break;
    case 1:
      lines.splice(li, 0, r() < 0.5 ? '' : pad);
      break;
    case 2:
      lines.splice(li, 1);
      break;
    case 3:
      lines.splice(li, 0, lines[Math.floor(r() * lines.length)]);
      break;
    case 4:
      lines[li] = pad + lines[li].trimStart();
      break;
    case 5:
      // A value cleared: `key:` alone, which the library reads as null.
      lines[li] = lines[li].replace(/:\s.*$/, ':');
      break;
    case 6:
      lines[li] = `${lines[li]}${pad}${r() < 0.5 ? '# trailing' : ''}`;
      break;
    default:
      lines[li] = lines[li].replace(/: (\S+)/, (_, v: string) => `: ${['"', "'", ''][Math.floor(r() * 3)]}${v}`);
  }
  return lines.join('\n');
}

describe('the fast reader reads as the yaml library does, or declines', () => {
  test('the corpus, the examples and the generated 1,000-service file', (t) => {
    const topologies = [...corpus().map((c) => ({ name: c.name, text: c.text })), ...examples(), { name: 'generated 1,000', text: generateTopology(1000) }];
    // The same files as an editor on Windows saves them.
    topologies.push(...topologies.slice(0, 60).map((x) => ({ name: `${x.name} with CRLF line ends`, text: crlf(x.text) })));
    let accepted = 0;
    const declined: string[] = [];
    for (const { name, text } of topologies) {
      if (agrees(text, name)) accepted++;
      else declined.push(name);
    }
    t.diagnostic(`accepted ${accepted} of ${topologies.length}; declined: ${declined.join(', ')}`);
    // Every topology the corpus and the generator make is in the subset; of the examples, only the one that
    // is broken on purpose and the multi-document Kubernetes manifests are not.
    for (const name of declined) assert.match(name, /broken\.topology\.yaml$|import[/\\]k8s[/\\]/, `${name} was declined`);
    assert.ok(accepted >= 240 + 10 + 60, `${accepted} accepted`);
  });

  test('every chunk the incremental parser cuts them into, read at its offset and depth', () => {
    let chunks = 0;
    for (const { text } of [...corpus(60), ...examples().filter((e) => /\.topology\.yaml$/.test(e.name))]) {
      const tops = cutChunks(text);
      if (!tops) continue;
      for (const top of tops) {
        if (!top.entries) {
          if (agrees(text.slice(top.start, top.end), `chunk at ${top.start}`, top.start, 0)) chunks++;
          continue;
        }
        for (const e of top.entries) if (agrees(text.slice(e.start, e.end), `entry at ${e.start}`, e.start, 1)) chunks++;
      }
    }
    assert.ok(chunks > 1000, `${chunks} chunks accepted`);
  });

  test('the fuzz fixtures', () => {
    for (const { name, text } of fuzzFixtures()) agrees(text, name);
  });

  test('seeded mutations: the fuzz harness mutators and line edits', (t) => {
    const bases = [...corpus(80).map((c) => c.text), ...examples().map((e) => e.text), ...corpus(20).map((c) => crlf(c.text))];
    const r = rng(20261201);
    let accepted = 0;
    const N = 3000;
    for (let i = 0; i < N; i++) {
      let text = bases[Math.floor(r() * bases.length)];
      const steps = 1 + Math.floor(r() * 3);
      for (let s = 0; s < steps; s++) text = r() < 0.5 ? fuzzMutate(text, r) : lineEdit(text, r);
      if (agrees(text, `mutation ${i}:\n${text}`)) accepted++;
    }
    t.diagnostic(`accepted ${accepted} of ${N} mutated texts`);
    // Not vacuous: many mutated texts were compared (most line edits keep a text in the subset).
    assert.ok(accepted > N / 5, `${accepted} of ${N} accepted`);
  });

  test('where the library ends a block collection: comments, blank lines and indentation after the last item', () => {
    const cases = [
      'a:\n  b: x\n\n    # deeper\n\nc: 2',
      'a:\n  b: x\n   # d3\n  # d2\n # d1\nc: 2',
      'a:\n  - x\n   # d3\n\n  - y\n    # d\nc: 1\n',
      'a:\n  b: [x]   \n    # d\nc:\n  - a: 1\n    # q\n',
      'w:\n  u:\n    - s: d\n   # c5\n  a: 1',
      'w:\n  u:\n    s: d\n   # c5\n',
      'w:\n  u:\n  - s\n   # c5\n  a: 1',
      'w:\n  u:\n    s: d\n    # c\n\n\n  a: 1',
      'w:\n  u:\n    s: d\n    # c\n     # e\n  a: 1',
      'w:\n  u:\n    s: d\n    # c\n     # e\n',
      '  svc:\n    a: 1\n    # kept\n  # moved\n',
      'a:\n- x\n- y\n# c\nb: 1',
      'a: "q" # c\nb: \'it\'\'s\' \nc: { k: v, l: [1, 2.5, -3, 0x1F, 0o17, .inf, -.Inf, .nan, 1e3, ~, null, true, False, "x"] }',
      'a : 1\n"b c" : 2\n\'d\': [ ]\ne: {}\n',
      'url: http://x:80/y#z\nn: a#b\nm: -x\n',
      'a:\r\n  b: x # c\r\n\r\n    # deeper\r\nc: [1, "two"]\r\n',
      'a:\r\n  - x\r\n   # d3\r\n\r\n  - { y: 1 }\r\n  # z\r\n',
    ];
    for (const text of cases) assert.ok(agrees(text, JSON.stringify(text)), `accepted: ${JSON.stringify(text)}`);
  });

  test('declines what it cannot read exactly', () => {
    const declined = [
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      '<<: { a: 1 }\n',
      'a: |\n  text\n',
      'a: one\n  two\n',
      'a: "one\n  two"\n',
      'a: "tab\\t"\n',
      'a:\n\tb: 1\n',
      'a: 1\rb: 2\n',
      '---\na: 1\n',
      '%YAML 1.2\n---\na: 1\n',
      'a: b: c\n',
      'a:\n  - \n  - x\n',
      'a: 1\nb:\n',
      '? a\n: 1\n',
      'a: [x,\n  y]\n',
      `${'k'.repeat(1100)}: 1\n`,
      '\ufeffa: 1\n',
    ];
    for (const text of declined) assert.equal(parseFast(text), null, JSON.stringify(text));
  });

  test('the nesting limit: a tree as deep as LIMITS.maxDepth is read; one level more is the library\'s to report', () => {
    const nest = (levels: number) => Array.from({ length: levels }, (_, i) => `${' '.repeat(i * 2)}k${i}:`).join('\n') + ' leaf\n';
    // `levels` keys put the leaf scalar at depth `levels`.
    assert.ok(agrees(nest(LIMITS.maxDepth), 'at the limit'));
    const over = nest(LIMITS.maxDepth + 1);
    assert.equal(parseFast(over), null);
    assert.equal(parseYaml(over).problems[0]?.code, 'RESOURCE_LIMIT');
    // A chunk read one level down meets the limit where the whole document does.
    assert.equal(parseFast(nest(LIMITS.maxDepth), 0, 1), null);
  });
});

describe('end to end, the findings are the same with the fast reader on and off', () => {
  const key = (f: Finding) => `${f.rule}|${f.severity}|${f.span.start}-${f.span.end}|${f.message}|${(f.related ?? []).map((x) => `${x.span.start}-${x.span.end}`).join(',')}`;
  const findings = (text: string, cache?: ChunkCache) => {
    const file = parseFile(URI, text, RULES, cache);
    // What was read, not how: a text the fast reader declines is read in chunks straight away
    // (incremental.ts, parseGuarded), where the library alone first reads it whole.
    return { tree: { root: file.yaml.root, problems: file.yaml.problems }, keys: analyze([file], RULES).findings.map(key) };
  };
  const both = (text: string, where: string) => {
    const was = setFastPath(false);
    let robust;
    try {
      robust = findings(text);
    } finally {
      setFastPath(was);
    }
    const fast = findings(text);
    assert.deepStrictEqual(fast.tree, robust.tree, where);
    assert.deepStrictEqual(fast.keys, robust.keys, where);
    // The editor's path: a first parse through a cache, then the same text again from the cache.
    const cache = new ChunkCache();
    assert.deepStrictEqual(findings(text, cache).keys, robust.keys, where);
    assert.deepStrictEqual(findings(text, cache).keys, robust.keys, where);
  };

  test('the corpus and the examples', () => {
    for (const c of corpus(120)) both(c.text, c.name);
    for (const e of examples()) both(e.text, e.name);
  });

  test('seeded mutations', () => {
    const bases = [...corpus(30).map((c) => c.text), ...examples().filter((e) => /\.topology\.yaml$/.test(e.name)).map((e) => e.text), ...corpus(5).map((c) => crlf(c.text))];
    const r = rng(7);
    for (let i = 0; i < 300; i++) {
      let text = bases[Math.floor(r() * bases.length)];
      text = r() < 0.5 ? fuzzMutate(text, r) : lineEdit(text, r);
      both(text, `mutation ${i}:\n${text}`);
    }
  });
});
