/**
 * The preview's webview page, built (media/dist) and run in headless Chromium with a stand-in for VS Code.
 * Screenshots are written to .cache/screenshots/ and checked for content.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import type { WebviewMessage } from '../../shared/diagram/messages';
import { ROOT, examplePayload, inkPixels, payloadOf, PreviewPage, sharedBrowser } from './harness';

const SHOTS = join(ROOT, '.cache', 'screenshots');
const web = sharedBrowser();
before(() => mkdirSync(SHOTS, { recursive: true }));

async function screenshot(p: PreviewPage, name: string): Promise<string> {
  const path = join(SHOTS, `${name}.png`);
  const png = await p.page.screenshot({ path });
  const { ink, total, colours } = inkPixels(png);
  assert.ok(ink > total * 0.01 && colours > 8, `screenshot ${path} looks empty: ${ink} of ${total} pixels differ from the background, ${colours} colours`);
  return path;
}

const examples = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.topology.yaml'));

test('the graph of every example renders, in a worker, with every node and edge', async () => {
  assert.ok(examples.length >= 4, `examples: ${examples}`);
  const p = await PreviewPage.open(web.browser, web.origin);
  try {
    for (const file of examples) {
      const payload = { ...examplePayload(file), version: examples.indexOf(file) + 1 };
      const r = await p.show(payload);
      assert.equal(r.worker, true, 'the layout ran in a web worker');
      assert.equal(r.nodes, payload.nodes.length);
      const counts = await p.page.evaluate(() => ({ nodes: document.querySelectorAll('.tl-node').length, edges: document.querySelectorAll('.tl-edge').length }));
      assert.deepEqual(counts, { nodes: payload.nodes.length, edges: payload.edges.length }, file);
      const texts = await p.page.$$eval('.tl-node .tl-name', (ts) => ts.map((t) => t.textContent));
      for (const n of payload.nodes) assert.ok(texts.includes(n.label), `${file}: ${n.label} is drawn`);
      const listed = await p.page.$$eval('.tl-findings .tl-finding', (x) => x.length);
      assert.equal(listed, payload.findings.length, `${file}: every finding is listed`);
      if (payload.nodes.length) await screenshot(p, `example-${file.replace('.topology.yaml', '')}`);
    }
    assert.deepEqual(p.errors, []);
  } finally {
    await p.close();
  }
});

test('clicking a node or an edge posts reveal with its source range', async () => {
  const payload = examplePayload('shop.topology.yaml');
  const p = await PreviewPage.open(web.browser, web.origin);
  try {
    await p.show(payload);
    const checkout = payload.nodes.find((n) => n.id === 'service:checkout')!;
    const b = await p.box(checkout.id);
    let reveal = p.next<Extract<WebviewMessage, { type: 'reveal' }>>((m) => m.type === 'reveal');
    await p.page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
    assert.deepEqual(await reveal, { type: 'reveal', id: checkout.id, uri: payload.uri, range: checkout.range });
    assert.equal(await p.page.getAttribute('.tl-node.tl-selected', 'data-id'), checkout.id);
    // The details panel lists the node's connections as buttons: the keyboard's way to an edge.
    const edge = payload.edges.find((e) => e.from === 'service:checkout' && e.to === 'service:payment')!;
    reveal = p.next((m) => m.type === 'reveal');
    await p.page.getByRole('button', { name: /→ payment \(sync/ }).click();
    assert.deepEqual(await reveal, { type: 'reveal', id: edge.id, uri: payload.uri, range: edge.range });
    // And an edge clicked on the map, on a point of its line.
    const point = await p.page.evaluate((id) => {
      const g = [...document.querySelectorAll('.tl-edge')].find((x) => x.getAttribute('data-id') === id)!;
      const path = g.querySelector('.tl-line') as SVGPathElement;
      const at = path.getPointAtLength(path.getTotalLength() / 2);
      const m = path.getScreenCTM()!;
      return { x: at.x * m.a + at.y * m.c + m.e, y: at.x * m.b + at.y * m.d + m.f };
    }, edge.id);
    reveal = p.next((m) => m.type === 'reveal');
    await p.page.mouse.click(point.x, point.y);
    assert.equal((await reveal).id, edge.id);
  } finally {
    await p.close();
  }
});

test('the keyboard reaches nodes: Tab to a node, Enter reveals it', async () => {
  const payload = examplePayload('shop.topology.yaml');
  const p = await PreviewPage.open(web.browser, web.origin);
  try {
    await p.show(payload);
    await p.page.focus('.tl-canvas');
    await p.page.keyboard.press('Tab');
    const focused = await p.page.evaluate(() => document.activeElement?.getAttribute('data-id'));
    assert.ok(focused && focused.startsWith('service:'), `focused: ${focused}`);
    const reveal = p.next<Extract<WebviewMessage, { type: 'reveal' }>>((m) => m.type === 'reveal');
    await p.page.keyboard.press('Enter');
    assert.equal((await reveal).id, focused);
  } finally {
    await p.close();
  }
});

test('an update keeps the zoom and keeps the selected node where it was on screen', async () => {
  const text = (n: number) => `topology: t
services:
  web:
    kind: gateway
    calls:
      - to: api
        perRequest: ${n}
  api:
    calls:
      - to: db-service
  db-service:
    uses:
      - store: main-db
datastores:
  main-db: { owner: db-service }
`;
  const p = await PreviewPage.open(web.browser, web.origin);
  try {
    await p.show(payloadOf(text(1), undefined, 1));
    const b = await p.box('service:api');
    await p.page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
    await p.page.keyboard.press('+');
    await p.page.keyboard.press('ArrowLeft');
    const before = await p.viewport();
    const boxBefore = await p.box('service:api');
    // An edit that changes a label's width, and so the layout.
    const r = await p.show(payloadOf(text(12), undefined, 2));
    assert.equal(r.version, 2);
    const after = await p.viewport();
    const boxAfter = await p.box('service:api');
    assert.equal(after.k, before.k, 'zoom kept');
    assert.ok(Math.abs(boxAfter.x - boxBefore.x) < 1.5 && Math.abs(boxAfter.y - boxBefore.y) < 1.5, `api moved on screen: ${JSON.stringify([boxBefore, boxAfter])}`);
    assert.equal(await p.page.getAttribute('.tl-node.tl-selected', 'data-id'), 'service:api', 'selection kept');
    assert.ok(await p.page.$('.tl-edge.tl-chatty'), 'the new chatty call is drawn');
  } finally {
    await p.close();
  }
});

test('hostile names are drawn as text and run no script', async () => {
  const names = ['<img src=x onerror=alert(1)>', '"><script>alert(2)</script>', "x' onmouseover='alert(3)", '</svg><svg onload=alert(4)>', '&lt;b&gt;&amp;'];
  const yamlKey = (s: string) => JSON.stringify(s);
  const text = `topology: ${yamlKey('<script>alert(5)</script>')}
services:
${names.map((n, i) => `  ${yamlKey(n)}:\n    description: ${yamlKey(`<img src=y onerror=alert(${10 + i})>`)}\n    calls:\n      - to: ${yamlKey(names[(i + 1) % names.length])}\n        protocol: ${yamlKey('<b onclick=alert(9)>')}`).join('\n')}
`;
  const payload = payloadOf(text);
  assert.equal(payload.nodes.length, names.length, JSON.stringify(payload.findings.map((f) => f.message)));
  const p = await PreviewPage.open(web.browser, web.origin);
  const dialogs: string[] = [];
  p.page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  try {
    await p.show(payload);
    const labels = await p.page.$$eval('.tl-node .tl-name', (ts) => ts.map((t) => t.textContent));
    assert.deepEqual([...labels].sort(), [...names].sort());
    // Hover every node (tooltips) and click it (details panel), then look for anything that ran or got in.
    for (const n of payload.nodes) {
      const b = await p.box(n.id);
      await p.page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
      await p.page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
    }
    const found = await p.page.evaluate(() => ({
      img: document.querySelectorAll('img').length,
      script: document.querySelectorAll('script').length,
      b: document.querySelectorAll('b').length,
      handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
      details: document.querySelector('.tl-details h2')?.textContent,
    }));
    assert.deepEqual({ ...found, details: undefined }, { img: 0, script: 1, b: 0, handlers: 0, details: undefined });
    assert.ok(names.includes(found.details ?? ''), `details show a name as text: ${found.details}`);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(p.errors, []);
    await screenshot(p, 'hostile-names');
  } finally {
    await p.close();
  }
});

test('a finding in the side list highlights its elements, a chain numbered in order', async () => {
  const payload = examplePayload('shop.topology.yaml');
  const chain = payload.findings.find((f) => f.rule === 'sync-chain')!;
  assert.ok(chain && chain.elements.length >= 3);
  const p = await PreviewPage.open(web.browser, web.origin);
  try {
    await p.show(payload);
    await p.page.click(`[data-finding="${chain.id}"]`);
    const hl = await p.page.$$eval('.tl-hl', (xs) => xs.map((x) => x.getAttribute('data-id')));
    assert.deepEqual([...hl].sort(), [...chain.elements].sort());
    const order = await p.page.$$eval('.tl-order', (xs) => xs.map((x) => [x.getAttribute('data-for'), x.textContent]));
    assert.deepEqual(order, chain.elements.map((id, i) => [id, String(i + 1)]));
    assert.equal(await p.page.getAttribute(`[data-finding="${chain.id}"]`, 'aria-pressed'), 'true');
    await screenshot(p, 'shop-chain-highlighted');
    // The always-on marks: chain hops, chatty calls thicker, the shared store.
    assert.ok(await p.page.$('.tl-edge.tl-chain'));
    const widths = await p.page.$$eval('.tl-edge.tl-chatty .tl-line', (xs) => xs.map((x) => Number(x.getAttribute('stroke-width'))));
    assert.ok(widths.length && widths.every((w) => w > 2), `chatty widths ${widths}`);
    assert.ok(await p.page.$('.tl-node.tl-datastore.tl-shared'));
    assert.ok(await p.page.$('.tl-edge.tl-uses.tl-foreign'), 'a foreign use of a store is drawn apart');
  } finally {
    await p.close();
  }
});

test('hovering an element shows its findings', async () => {
  const payload = examplePayload('shop.topology.yaml');
  const store = payload.nodes.find((n) => n.kind === 'datastore' && n.findings.length)!;
  const p = await PreviewPage.open(web.browser, web.origin);
  try {
    await p.show(payload);
    const b = await p.box(store.id);
    await p.page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
    await p.page.waitForSelector('.tl-tooltip:not([hidden])');
    const tip = await p.page.textContent('.tl-tooltip');
    const f = payload.findings.find((x) => x.id === store.findings[0])!;
    assert.ok(tip?.includes(store.label) && tip.includes(f.message), tip ?? '');
  } finally {
    await p.close();
  }
});

test("hovering a service shows the shared models' numbers: its callers' worst-case wait and its availability", async () => {
  const payload = examplePayload('shop.topology.yaml');
  const svc = payload.nodes.find((n) => n.kind === 'service' && typeof n.wait === 'number' && n.wait > 0 && n.availability !== undefined && n.availability < 1)!;
  assert.ok(svc, 'shop has a service that waits on others');
  const p = await PreviewPage.open(web.browser, web.origin);
  try {
    await p.show(payload);
    const b = await p.box(svc.id);
    await p.page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
    await p.page.waitForSelector('.tl-tooltip:not([hidden])');
    const tip = (await p.page.textContent('.tl-tooltip')) ?? '';
    assert.match(tip, /its callers may wait: up to \d/);
    assert.ok(tip.includes(`available: ${(svc.availability! * 100).toFixed(2)}%`), tip);
  } finally {
    await p.close();
  }
});

test('filters, focus, search and the cursor highlight', async () => {
  const payload = examplePayload('shop.topology.yaml');
  const p = await PreviewPage.open(web.browser, web.origin);
  try {
    await p.show(payload);
    let rendered = p.next((m) => m.type === 'rendered');
    await p.page.getByRole('checkbox', { name: 'Events' }).uncheck();
    await rendered;
    assert.equal(await p.page.$$eval('.tl-node.tl-event', (x) => x.length), 0);
    assert.equal(await p.page.$$eval('.tl-edge.tl-publish, .tl-edge.tl-subscribe', (x) => x.length), 0);
    rendered = p.next((m) => m.type === 'rendered');
    await p.page.getByRole('checkbox', { name: 'Events' }).check();
    await rendered;
    assert.ok((await p.page.$$eval('.tl-node.tl-event', (x) => x.length)) > 0);

    // Focus on payment: it, its caller and what it calls.
    const b = await p.box('service:payment');
    await p.page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
    rendered = p.next((m) => m.type === 'rendered');
    await p.page.keyboard.press('f');
    await rendered;
    const shown = await p.page.$$eval('.tl-node', (xs) => xs.map((x) => x.getAttribute('data-id')).sort());
    assert.deepEqual(shown, ['service:card-gateway', 'service:checkout', 'service:payment']);
    rendered = p.next((m) => m.type === 'rendered');
    await p.page.getByRole('button', { name: /Show only the selected/ }).click();
    await rendered;
    assert.equal(await p.page.$$eval('.tl-node', (x) => x.length), payload.nodes.length);

    await p.page.fill('.tl-search', 'cart');
    const matches = await p.page.$$eval('.tl-match', (xs) => xs.map((x) => x.getAttribute('data-id')).sort());
    assert.deepEqual(matches, ['datastore:cart-store', 'event:cart-abandoned', 'service:cart']);
    assert.equal(await p.page.textContent('.tl-count'), '1 of 3');
    await p.page.press('.tl-search', 'Escape');

    await p.send({ type: 'highlight', id: 'service:currency' });
    await p.page.waitForSelector('.tl-node.tl-hl[data-id="service:currency"]');
  } finally {
    await p.close();
  }
});

test('export: an SVG that parses as XML and a PNG with content', async () => {
  const payload = examplePayload('train-ticket.topology.yaml');
  const p = await PreviewPage.open(web.browser, web.origin);
  try {
    await p.show(payload);
    const svg = p.next<Extract<WebviewMessage, { type: 'export' }>>((m) => m.type === 'export' && m.format === 'svg');
    await p.page.getByRole('button', { name: 'Export as SVG' }).click();
    const s = await svg;
    assert.equal(XMLValidator.validate(s.data), true);
    assert.match(s.data, /<style>/);
    assert.equal((s.data.match(/class="tl-node /g) ?? []).length, payload.nodes.length);
    const png = p.next<Extract<WebviewMessage, { type: 'export' }>>((m) => m.type === 'export' && m.format === 'png');
    await p.page.getByRole('button', { name: 'Export as PNG' }).click();
    const data = (await png).data;
    assert.match(data, /^data:image\/png;base64,/);
    const bytes = Buffer.from(data.split(',')[1], 'base64');
    const { ink, total } = inkPixels(bytes);
    assert.ok(ink > total * 0.01, `exported PNG looks empty: ${ink}/${total}`);
    writeFileSync(join(SHOTS, 'export-train-ticket.png'), bytes);
  } finally {
    await p.close();
  }
});

test('a restored preview keeps its saved viewport and filters', async () => {
  const payload = examplePayload('shop.topology.yaml');
  const state = { uri: payload.uri, viewport: { x: -40, y: 12, k: 0.8 }, hidden: ['data' as const] };
  const p = await PreviewPage.open(web.browser, web.origin, { state });
  try {
    await p.show(payload);
    assert.deepEqual(await p.viewport(), state.viewport);
    assert.equal(await p.page.$$eval('.tl-node.tl-datastore', (x) => x.length), 0);
    assert.equal(await p.page.getByRole('checkbox', { name: 'Data' }).isChecked(), false);
  } finally {
    await p.close();
  }
});

test('where the page may not start a worker, the layout runs in the page and the graph still renders', async () => {
  const payload = examplePayload('shop.topology.yaml');
  const p = await PreviewPage.open(web.browser, web.origin, { query: '?worker=none' });
  try {
    const r = await p.show(payload);
    assert.equal(r.worker, false);
    assert.equal(await p.page.$$eval('.tl-node', (x) => x.length), payload.nodes.length);
    // The refused worker is the only complaint: the fallback script runs under the page's nonce.
    assert.ok(p.errors.every((e) => /worker/i.test(e)), p.errors.join('\n'));
  } finally {
    await p.close();
  }
});
