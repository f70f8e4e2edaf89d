/**
 * The exports, parsed back by real parsers: SVG by an XML parser, DOT by Graphviz (compiled to wasm), and
 * Mermaid by Mermaid itself in headless Chromium. Also the CLI command and its self-contained HTML page.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { drawDiagram } from '../../server/src/cli/diagram';
import type { GraphPayload } from '../../shared/protocol';
import { ROOT, examplePayload, inkPixels, payloadOf, sharedBrowser } from '../webview/harness';

const examples = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.topology.yaml'));
const HOSTILE = payloadOf(`topology: ${JSON.stringify('<script>alert(1)</script>')}
services:
  ${JSON.stringify('<img src=x onerror=alert(1)>')}:
    calls:
      - to: ${JSON.stringify('a"b\\\\c')}
        protocol: ${JSON.stringify('#lt;b#gt; | "x" ]')}
  ${JSON.stringify('a"b\\\\c')}:
    uses:
      - store: ${JSON.stringify('db[1]{x}(y)')}
  plain: {}
datastores:
  ${JSON.stringify('db[1]{x}(y)')}: {}
`);
const cases: [string, GraphPayload][] = [...examples.map((f) => [f, examplePayload(f)] as [string, GraphPayload]), ['hostile names', HOSTILE]];

const web = sharedBrowser();

const asArray = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

test('the SVG export of every example is well-formed XML with every node and edge', () => {
  assert.equal(HOSTILE.nodes.length, 4);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });
  for (const [name, payload] of cases) {
    const svg = drawDiagram(payload, 'svg');
    assert.equal(XMLValidator.validate(svg), true, name);
    const doc = parser.parse(svg);
    const groups = asArray(doc.svg.g.g) as { class: string; g?: unknown }[];
    const nodes = asArray((groups.find((g) => g.class === 'tl-nodes') as { g?: unknown })?.g) as { 'data-id': string }[];
    const edges = asArray((groups.find((g) => g.class === 'tl-edges') as { g?: unknown })?.g) as { 'data-id': string }[];
    assert.deepEqual(nodes.map((n) => n['data-id']).sort(), payload.nodes.map((n) => n.id).sort(), name);
    assert.deepEqual(edges.map((e) => e['data-id']).sort(), payload.edges.map((e) => e.id).sort(), name);
    assert.ok(!/<(img|script)\b/i.test(svg), `${name}: no markup from names`);
  }
});

test('the DOT export of every example is read by Graphviz, node for node', async () => {
  const graphviz = await Graphviz.load();
  for (const [name, payload] of cases) {
    const dot = drawDiagram(payload, 'dot');
    let svg: string;
    try {
      svg = graphviz.dot(dot, 'svg');
    } catch (e) {
      assert.fail(`${name}: Graphviz rejected the DOT: ${String(e)}\n${dot}`);
    }
    assert.equal(XMLValidator.validate(svg), true);
    // Graphviz writes each node's name in a <title>: the ids come back unchanged.
    const json = JSON.parse(graphviz.dot(dot, 'json')) as { objects?: { name: string }[]; edges?: unknown[] };
    assert.deepEqual((json.objects ?? []).map((o) => o.name).sort(), payload.nodes.map((n) => n.id).sort(), name);
    assert.equal((json.edges ?? []).length, payload.edges.length, name);
  }
});

test('the Mermaid export of every example is parsed and drawn by Mermaid', async () => {
  const page = await web.browser.newPage();
  try {
    await page.goto(`${web.origin}/mermaid.html`);
    await page.evaluate(() => (window as unknown as { mermaid: { initialize(o: object): void } }).mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' }));
    let i = 0;
    for (const [name, payload] of cases) {
      const text = drawDiagram(payload, 'mermaid');
      const r = await page.evaluate(
        async ({ text, id }) => {
          const m = (window as unknown as { mermaid: { parse(t: string): Promise<unknown>; render(id: string, t: string): Promise<{ svg: string }> } }).mermaid;
          try {
            await m.parse(text);
            const { svg } = await m.render(id, text);
            const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
            return { ok: true, nodes: doc.querySelectorAll('g.node').length, edges: doc.querySelectorAll('.edgePaths path, path.flowchart-link').length, labels: [...doc.querySelectorAll('g.node')].map((n) => n.textContent?.trim()), img: doc.querySelectorAll('img, script').length };
          } catch (e) {
            return { ok: false, error: String(e) };
          }
        },
        { text, id: `d${i++}` },
      );
      assert.ok(r.ok, `${name}: Mermaid rejected it: ${r.error}\n${text}`);
      assert.equal(r.nodes, payload.nodes.length, name);
      assert.ok((r.edges ?? 0) >= payload.edges.length, `${name}: ${r.edges} edges drawn of ${payload.edges.length}`);
      assert.equal(r.img, 0, `${name}: names stay text`);
      for (const n of payload.nodes) assert.ok(r.labels.includes(n.label), `${name}: '${n.label}' drawn as text; got ${JSON.stringify(r.labels)}`);
    }
  } finally {
    await page.close();
  }
});

test('topolint diagram: formats, options and errors', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/topolint.js'), 'diagram', ...args], { encoding: 'utf8', cwd: ROOT });
  const shop = join(ROOT, 'examples/shop.topology.yaml');
  const dot = cli(shop, '--format', 'dot');
  assert.equal(dot.status, 0, dot.stderr);
  assert.match(dot.stdout, /^digraph "online-boutique" \{/);
  const svg = cli(shop);
  assert.equal(svg.status, 0, svg.stderr);
  assert.equal(XMLValidator.validate(svg.stdout), true);
  const focused = cli(shop, '--format=mermaid', '--focus', 'payment', '--hide', 'data,event');
  assert.equal(focused.status, 0, focused.stderr);
  assert.deepEqual(focused.stdout.match(/"[a-z-]+"\]/g), ['"checkout"]', '"payment"]', '"card-gateway"]']);
  const dir = mkdtempSync(join(tmpdir(), 'topolint-diagram-'));
  try {
    const file = join(dir, 'shop.html');
    const html = cli(shop, '--format', 'html', '--output', file);
    assert.equal(html.status, 0, html.stderr);
    assert.equal(html.stdout, '');
    assert.match(readFileSync(file, 'utf8'), /^<!DOCTYPE html>/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(cli(shop, '--format', 'png').status, 2);
  assert.match(cli(shop, '--format', 'png').stderr, /--format must be svg, mermaid, dot, html/);
  assert.equal(cli('no/such.topology.yaml').status, 2);
  assert.equal(cli(shop, '--focus', 'nobody').status, 2);
  assert.equal(cli().status, 2);
});

test('the HTML export is a self-contained interactive page: it draws from file:// with no network', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'topolint-html-'));
  const context = await web.browser.newContext({ viewport: { width: 1100, height: 700 } });
  try {
    const payload = HOSTILE;
    const file = join(dir, 'hostile.html');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, drawDiagram(payload, 'html'));
    const requests: string[] = [];
    const errors: string[] = [];
    const dialogs: string[] = [];
    const page = await context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('.tl-node');
    assert.equal(await page.$$eval('.tl-node', (x) => x.length), payload.nodes.length);
    assert.deepEqual((await page.$$eval('.tl-node .tl-name', (x) => x.map((t) => t.textContent))).sort(), payload.nodes.map((n) => n.label).sort());
    // Clicking a node shows where it is written (there is no editor to reveal it in).
    const box = (await page.$('.tl-node'))!;
    await box.click();
    assert.match((await page.textContent('.tl-status')) ?? '', /line \d+, column \d+/);
    assert.deepEqual(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('blob:') && !u.startsWith('data:')), []);
    assert.deepEqual(errors, []);
    assert.deepEqual(dialogs, []);
    assert.equal(await page.$$eval('img', (x) => x.length), 0);
    const shot = await page.screenshot({ path: join(ROOT, '.cache', 'screenshots', 'html-export.png') });
    assert.ok(inkPixels(shot).ink > 1000);
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
