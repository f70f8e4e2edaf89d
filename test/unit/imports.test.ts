/**
 * The shape of the import graph, read from the sources: no import circle in the server, the client and
 * shared code; a core that imports no editor, LSP or Node I/O module; edges that point one way (the CLI
 * never reaches into the language server, the client and shared code never into the server). Type-only
 * imports count: a circle of types is still a circle for whoever reads or moves the code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = (() => {
  let d = __dirname;
  while (!existsSync(resolve(d, 'package.json'))) d = resolve(d, '..');
  return d;
})();

/** The module specifiers a TypeScript source imports: static, re-exported, dynamic and `import('…')` types. */
export function specifiers(source: string): string[] {
  // Comments go first, so that an import written in a comment or a doc example is not counted. String
  // contents are kept: a line comment is only cut where `//` follows a space or starts the line, which keeps
  // URLs in strings (`'https://…'`) whole.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');
  const out: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) out.push(m[1]);
  return out;
}

/** A relative specifier resolved to a source file, as esbuild and tsc resolve it here; undefined if none. */
function resolveSource(fromFile: string, spec: string): string | undefined {
  const base = resolve(dirname(fromFile), spec);
  for (const c of [base, `${base}.ts`, join(base, 'index.ts')]) if (existsSync(c) && statSync(c).isFile()) return c;
  return undefined;
}

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

interface Graph {
  /** File (relative to the root, with '/') → the files it imports, same form. */
  readonly edges: Map<string, string[]>;
  /** File → the packages and Node modules it imports, as written. */
  readonly external: Map<string, string[]>;
}

function buildGraph(folders: readonly string[]): Graph {
  const rel = (p: string) => relative(ROOT, p).split(sep).join('/');
  const edges = new Map<string, string[]>();
  const external = new Map<string, string[]>();
  for (const folder of folders) {
    for (const file of sources(resolve(ROOT, folder))) {
      const to: string[] = [];
      const ext: string[] = [];
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (spec.startsWith('.')) {
          const target = resolveSource(file, spec);
          assert.ok(target, `${rel(file)} imports '${spec}', which resolves to no source file`);
          to.push(rel(target));
        } else ext.push(spec);
      }
      edges.set(rel(file), [...new Set(to)]);
      external.set(rel(file), ext);
    }
  }
  return { edges, external };
}

/** The import circles: strongly connected components of more than one file, or a file importing itself. */
export function circles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  // Iterative Tarjan, like the core's own (no recursion on a graph of any size).
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let next = 0;
  for (const start of edges.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; i: number }[] = [{ node: start, i: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const top = work[work.length - 1];
      const succ = edges.get(top.node) ?? [];
      if (top.i < succ.length) {
        const w = succ[top.i++];
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) low.set(top.node, Math.min(low.get(top.node)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) === index.get(top.node)) {
        const scc: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          scc.push(w);
        } while (w !== top.node);
        if (scc.length > 1 || (edges.get(top.node) ?? []).includes(top.node)) out.push(scc.sort());
      }
    }
  }
  return out;
}

const graph = buildGraph(['server/src', 'shared', 'client/src']);

test('the import reader sees every form of import, and none in comments', () => {
  const src = [
    "import { a } from './a';",
    "import type {\n  B,\n  C,\n} from './b';",
    "export { d } from './d';",
    "export type * from './e';",
    "import './f';",
    "const g = await import('./g');",
    "type H = import('./h').H;",
    "const i = require('node:fs');",
    "// import { x } from './commented';",
    "/* import { y } from './block'; */",
    "const url = 'https://example.com/x'; import { j } from './j';",
  ].join('\n');
  assert.deepEqual(specifiers(src).sort(), ['./a', './b', './d', './e', './f', './g', './h', './j', 'node:fs']);
});

test('the circle finder finds circles, long and short, and nothing in a tree', () => {
  const tree = new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]]);
  assert.deepEqual(circles(tree), []);
  const five = new Map([['a', ['b']], ['b', ['c']], ['c', ['d']], ['d', ['e']], ['e', ['a', 'f']], ['f', []]]);
  assert.deepEqual(circles(five), [['a', 'b', 'c', 'd', 'e']]);
  assert.deepEqual(circles(new Map([['self', ['self']]])), [['self']]);
});

test('the graph covers the server, the core, the rules, the client and shared code', () => {
  for (const f of ['server/src/server.ts', 'server/src/core/engine.ts', 'server/src/core/rule.ts', 'server/src/core/rules/index.ts', 'server/src/cli/main.ts', 'client/src/extension.ts', 'shared/protocol.ts']) {
    assert.ok(graph.edges.has(f), `${f} is not in the import graph`);
  }
  assert.ok(graph.edges.get('server/src/core/rules/index.ts')!.length >= 30, 'the registry imports every rule');
});

test('no import circle in server/src, shared and client/src', () => {
  const found = circles(graph.edges);
  assert.deepEqual(found, [], `import circles:\n${found.map((c) => `  ${c.join(' → ')}`).join('\n')}`);
});

test('nothing in the core imports the engine back', () => {
  const back = [...graph.edges].filter(([f, to]) => f.startsWith('server/src/core/') && f !== 'server/src/core/index.ts' && to.includes('server/src/core/engine.ts')).map(([f]) => f);
  assert.deepEqual(back, []);
});

/** Editor, LSP, and Node modules that touch the disk, processes, the network or the terminal. */
const NOT_IN_CORE = /^(?:vscode(?:-.*)?|(?:node:)?(?:fs|fs\/promises|child_process|net|http|https|http2|tls|dgram|dns|worker_threads|cluster|readline|tty|os|process|module|inspector|vm))$/;

test('the core imports no editor, LSP or Node I/O module, and nothing outside the core but shared code', () => {
  const bad: string[] = [];
  for (const [file, ext] of graph.external) {
    if (!file.startsWith('server/src/core/')) continue;
    for (const spec of ext) if (NOT_IN_CORE.test(spec)) bad.push(`${file} imports '${spec}'`);
    for (const to of graph.edges.get(file)!) if (!to.startsWith('server/src/core/') && !to.startsWith('shared/')) bad.push(`${file} imports ${to}`);
  }
  assert.deepEqual(bad, []);
  // The pattern itself: what it must catch and what it must let through.
  for (const m of ['vscode', 'vscode-languageserver', 'vscode-languageserver/node', 'vscode-languageserver-textdocument', 'fs', 'node:fs', 'node:fs/promises', 'child_process', 'node:child_process', 'net', 'node:http']) assert.ok(NOT_IN_CORE.test(m), m);
  for (const m of ['yaml', 'node:path', 'node:url']) assert.ok(!NOT_IN_CORE.test(m), m);
});

test('edges point one way: the CLI never imports the language server, client and shared code never the server', () => {
  const bad = new Set<string>();
  for (const [file, to] of graph.edges) {
    for (const t of to) {
      if (file.startsWith('server/src/cli/') && t.startsWith('server/src/lsp/')) bad.add(`${file} → ${t}`);
      if (file.startsWith('server/src/') && !file.startsWith('server/src/lsp/') && file !== 'server/src/server.ts' && t.startsWith('server/src/lsp/')) bad.add(`${file} → ${t}`);
      if ((file.startsWith('client/') || file.startsWith('shared/')) && t.startsWith('server/')) bad.add(`${file} → ${t}`);
    }
  }
  assert.deepEqual([...bad], []);
});

test('server.ts stays wiring: 150 lines or fewer (the logic lives in server/src/lsp/)', () => {
  const lines = readFileSync(resolve(ROOT, 'server/src/server.ts'), 'utf8').split('\n').length;
  assert.ok(lines <= 150, `server/src/server.ts has ${lines} lines`);
});
