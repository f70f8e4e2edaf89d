/**
 * Issue 14: the preview is legible at first sight. The first drawing of generated systems of 10, 20 and
 * 40 elements in a 700×800 panel is measured in the page (the rendered size of every node label on screen),
 * and the view's behaviour on resize, wheel and zoom buttons is driven with real input events.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateSystem } from '../generate';
import { ROOT, examplePayload, payloadOf, PreviewPage, sharedBrowser } from './harness';

const SHOTS = join(ROOT, '.cache', 'screenshots');
const web = sharedBrowser();
before(() => mkdirSync(SHOTS, { recursive: true }));

interface LabelSizes {
  /** Rendered font sizes (CSS px on screen) of the node labels that are on screen. */
  readonly em: number[];
  /** Heights of their bounding boxes on screen. */
  readonly box: number[];
  readonly total: number;
}

/** Measures every node label inside the canvas: its font size times the scale it is drawn at. */
async function labelSizes(p: PreviewPage): Promise<LabelSizes> {
  return p.page.evaluate(() => {
    const canvas = document.querySelector('.tl-canvas')!.getBoundingClientRect();
    const em: number[] = [];
    const box: number[] = [];
    const texts = [...document.querySelectorAll<SVGTextElement>('.tl-node .tl-name')];
    for (const t of texts) {
      const r = t.getBoundingClientRect();
      const inside = r.right > canvas.left && r.left < canvas.right && r.bottom > canvas.top && r.top < canvas.bottom;
      if (!inside) continue;
      const m = t.getScreenCTM()!;
      em.push(parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b));
      box.push(r.height);
    }
    return { em, box, total: texts.length };
  });
}

/** Pairs of an edge label and a node label whose boxes on screen overlap. */
async function overlaps(p: PreviewPage): Promise<string[]> {
  return p.page.evaluate(() => {
    const boxes = (sel: string) => [...document.querySelectorAll(sel)].map((e) => ({ e, r: e.getBoundingClientRect() })).filter((x) => x.r.width > 0);
    const edges = boxes('.tl-elabel');
    const names = boxes('.tl-node .tl-name, .tl-node .tl-tag');
    const out: string[] = [];
    for (const a of edges)
      for (const b of names)
        if (a.r.left + 1 < b.r.right && b.r.left + 1 < a.r.right && a.r.top + 1 < b.r.bottom && b.r.top + 1 < a.r.bottom) out.push(`${a.e.textContent} over ${b.e.textContent}`);
    return out;
  });
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};

for (const elements of [10, 20, 40]) {
  test(`the first drawing of ${elements} elements in a 700×800 panel has node labels of at least 11 px`, async () => {
    const payload = payloadOf(generateSystem(elements), `file:///work/generated-${elements}.topology.yaml`);
    assert.equal(payload.nodes.length, elements);
    const p = await PreviewPage.open(web.browser, web.origin, { width: 700, height: 800 });
    try {
      await p.show(payload);
      const sizes = await labelSizes(p);
      await p.page.screenshot({ path: join(SHOTS, `legibility-${elements}.png`) });
      const m = median(sizes.em);
      console.log(`${elements} elements: ${sizes.em.length} of ${sizes.total} labels on screen, median font ${m.toFixed(1)} px (box ${median(sizes.box).toFixed(1)} px), smallest ${Math.min(...sizes.em).toFixed(1)} px`);
      assert.ok(m >= 11, `median label size ${m.toFixed(2)} px`);
      // Not legible by showing nothing: most of a small system is on screen, and always the entry.
      assert.ok(sizes.em.length >= Math.min(elements, 8), `${sizes.em.length} labels on screen`);
      assert.deepEqual(await overlaps(p), [], 'edge labels overlapping node labels');
      const entry = await p.box('service:ts-gateway');
      assert.ok(entry.x >= 0 && entry.y >= 0 && entry.x + entry.width <= 700 && entry.y + entry.height <= 800, `the entry service is on screen: ${JSON.stringify(entry)}`);
      assert.deepEqual(p.errors, []);
    } finally {
      await p.close();
    }
  });
}

test('edge labels never overlap node labels in the examples', async () => {
  const p = await PreviewPage.open(web.browser, web.origin, { width: 1200, height: 800 });
  try {
    let version = 0;
    for (const file of readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.topology.yaml'))) {
      await p.show({ ...examplePayload(file), version: ++version });
      // Zoomed in, so that the labels hidden when far away are drawn too.
      await p.page.click('button[title="Fit the diagram to the window (0)"]');
      await p.page.mouse.move(600, 400);
      for (let i = 0; i < 4; i++) await p.page.mouse.wheel(0, -200);
      await p.page.waitForFunction(() => (document.querySelector('.tl-canvas .tl-layer') as HTMLElement).style.transform === '');
      assert.deepEqual(await overlaps(p), [], file);
    }
  } finally {
    await p.close();
  }
});

/** Waits until a live pan or zoom has been committed (the drawing repainted at its new viewport). */
async function settled(p: PreviewPage): Promise<void> {
  await p.page.waitForFunction(() => (document.querySelector('.tl-canvas .tl-layer') as HTMLElement).style.transform === '');
}

const centre = (b: { x: number; y: number; width: number; height: number }) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });

test('the view fits again when the panel is resized, until the user zooms; Fit resumes it', async () => {
  const payload = payloadOf(generateSystem(10), 'file:///work/resize.topology.yaml');
  const p = await PreviewPage.open(web.browser, web.origin, { width: 700, height: 800 });
  try {
    await p.show(payload);
    const first = await p.viewport();
    // Wider and shorter, as when the bottom panel opens beside a wider editor group.
    await p.page.setViewportSize({ width: 1300, height: 600 });
    await p.page.waitForFunction((k) => document.querySelector('.tl-canvas')!.getAttribute('data-viewport')!.split(' ')[2] !== k, first.k.toFixed(4));
    const refit = await p.viewport();
    const canvas = (await p.page.locator('.tl-canvas').boundingBox())!;
    const drawing = await p.page.evaluate(() => {
      const r = document.querySelector('.tl-viewport')!.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    });
    assert.ok(drawing.x >= canvas.x - 1 && drawing.x + drawing.width <= canvas.x + canvas.width + 1 && drawing.y >= canvas.y - 1 && drawing.y + drawing.height <= canvas.y + canvas.height + 1, `the whole drawing is on screen after the resize: ${JSON.stringify({ drawing, canvas, first, refit })}`);
    // The user zooms: from then on a resize keeps their zoom.
    const g = centre(await p.box('service:ts-gateway'));
    await p.page.mouse.move(g.x, g.y);
    await p.page.mouse.wheel(0, -240);
    await settled(p);
    const zoomed = await p.viewport();
    await p.page.setViewportSize({ width: 800, height: 700 });
    await p.page.waitForTimeout(300);
    assert.equal((await p.viewport()).k, zoomed.k, 'a resize after a zoom keeps the zoom');
    // Fit: the view follows the panel again.
    await p.page.click('button[title="Fit the diagram to the window (0)"]');
    const fitted = await p.viewport();
    await p.page.setViewportSize({ width: 1300, height: 900 });
    await p.page.waitForFunction((v) => document.querySelector('.tl-canvas')!.getAttribute('data-viewport') !== v, `${fitted.x.toFixed(2)} ${fitted.y.toFixed(2)} ${fitted.k.toFixed(4)}`);
    assert.deepEqual(p.errors, []);
  } finally {
    await p.close();
  }
});

test('the wheel zooms about the pointer; + and − keep the selection where it is', async () => {
  const payload = payloadOf(generateSystem(20), 'file:///work/wheel.topology.yaml');
  const p = await PreviewPage.open(web.browser, web.origin, { width: 1200, height: 800 });
  try {
    await p.show(payload);
    // A node away from the middle, so that zooming about the middle would move it.
    const ids = payload.nodes.map((n) => n.id);
    const boxes = await Promise.all(ids.map(async (id) => ({ id, b: await p.box(id) })));
    const canvas = (await p.page.locator('.tl-canvas').boundingBox())!;
    const mid = { x: canvas.x + canvas.width / 2, y: canvas.y + canvas.height / 2 };
    // Not one under the overview in the corner, which takes the wheel itself.
    const map = await p.page.locator('.tl-minimap').boundingBox();
    const under = (b: { x: number; y: number }) => !!map && b.x >= map.x - 20 && b.y >= map.y - 20;
    const far = boxes.filter((x) => !under(centre(x.b)) && centre(x.b).x > canvas.x + 20 && centre(x.b).y > canvas.y + 20 && centre(x.b).x < canvas.x + canvas.width - 20 && centre(x.b).y < canvas.y + canvas.height - 20).sort((a, b) => Math.hypot(centre(b.b).x - mid.x, centre(b.b).y - mid.y) - Math.hypot(centre(a.b).x - mid.x, centre(a.b).y - mid.y))[0];
    const at = centre(far.b);
    assert.ok(Math.hypot(at.x - mid.x, at.y - mid.y) > 100, `the node is away from the middle: ${JSON.stringify({ at, mid })}`);
    const k0 = (await p.viewport()).k;
    await p.page.mouse.move(at.x, at.y);
    await p.page.mouse.wheel(0, -300);
    await settled(p);
    const k1 = (await p.viewport()).k;
    assert.ok(k1 > k0 * 1.2, `zoomed in: ${k0} → ${k1}`);
    const after = centre(await p.box(far.id));
    assert.ok(Math.abs(after.x - at.x) < 2 && Math.abs(after.y - at.y) < 2, `the point under the pointer stayed: ${JSON.stringify({ at, after })}`);

    // Select it (a click), then zoom with the buttons: it stays put, though it is far from the middle.
    await p.page.mouse.click(after.x, after.y);
    assert.equal(await p.page.getAttribute('.tl-node.tl-selected', 'data-id'), far.id);
    for (let i = 0; i < 3; i++) await p.page.click('button[title="Zoom in (+)"]');
    await settled(p);
    const zoomedIn = centre(await p.box(far.id));
    assert.ok(Math.abs(zoomedIn.x - after.x) < 2 && Math.abs(zoomedIn.y - after.y) < 2, `the selection stayed in place: ${JSON.stringify({ after, zoomedIn })}`);
    await p.page.click('button[title="Zoom out (-)"]');
    await settled(p);
    const zoomedOut = centre(await p.box(far.id));
    assert.ok(Math.abs(zoomedOut.x - after.x) < 2 && Math.abs(zoomedOut.y - after.y) < 2, `the selection stayed in place: ${JSON.stringify({ after, zoomedOut })}`);
    assert.deepEqual(p.errors, []);
  } finally {
    await p.close();
  }
});

test('a drawing too large to show legibly opens on its entries, and the overview reaches the rest', async () => {
  const payload = payloadOf(generateSystem(40), 'file:///work/overview.topology.yaml');
  const p = await PreviewPage.open(web.browser, web.origin, { width: 700, height: 800 });
  try {
    await p.show(payload);
    assert.ok(await p.page.isVisible('.tl-minimap'), 'the overview shows');
    const onScreen = async () => {
      const canvas = (await p.page.locator('.tl-canvas').boundingBox())!;
      const ids: string[] = [];
      for (const n of payload.nodes) {
        const b = await p.box(n.id);
        if (b.x >= canvas.x && b.y >= canvas.y && b.x + b.width <= canvas.x + canvas.width && b.y + b.height <= canvas.y + canvas.height) ids.push(n.id);
      }
      return ids;
    };
    const before = await onScreen();
    assert.ok(before.includes('service:ts-gateway'), 'the entry is on screen');
    // Press the overview where the view is not.
    const map = (await p.page.locator('.tl-minimap').boundingBox())!;
    const view = (await p.page.locator('.tl-minimap-view').boundingBox())!;
    const target = { x: view.x + view.width / 2 < map.x + map.width / 2 ? map.x + map.width - 4 : map.x + 4, y: view.y + view.height / 2 < map.y + map.height / 2 ? map.y + map.height - 4 : map.y + 4 };
    await p.page.mouse.click(target.x, target.y);
    await settled(p);
    const after = await onScreen();
    const fresh = after.filter((id) => !before.includes(id));
    assert.ok(fresh.length >= 3, `pressing the overview brought other elements on screen: ${fresh.join(', ')}`);
    await p.page.screenshot({ path: join(SHOTS, 'legibility-40-overview.png') });
    assert.deepEqual(p.errors, []);
  } finally {
    await p.close();
  }
});

test('in a narrow panel the side list is a drawer: closed at first, opened by the Findings button', async () => {
  const payload = examplePayload('shop.topology.yaml');
  const p = await PreviewPage.open(web.browser, web.origin, { width: 700, height: 800 });
  try {
    await p.show(payload);
    assert.equal(await p.page.isVisible('.tl-side'), false, 'the drawer starts closed');
    const canvas = (await p.page.locator('.tl-canvas').boundingBox())!;
    assert.ok(canvas.width >= 690, `the drawing has the panel's width: ${canvas.width}`);
    const open = payload.findings.filter((f) => !f.accepted).length;
    await p.page.getByRole('button', { name: /Show or hide the findings/ }).click();
    assert.equal(await p.page.isVisible('.tl-side'), true);
    assert.equal(await p.page.textContent('.tl-side-toggle'), `Findings (${open})`);
    assert.equal(await p.page.getAttribute('.tl-side-toggle', 'aria-expanded'), 'true');
    assert.equal(await p.page.$$eval('.tl-findings .tl-finding', (x) => x.length), payload.findings.length);
    await p.page.screenshot({ path: join(SHOTS, 'narrow-drawer.png') });
    // In a wide panel the list sits beside the drawing and the button is not there.
    await p.page.setViewportSize({ width: 1200, height: 800 });
    assert.equal(await p.page.isVisible('.tl-side-toggle'), false);
    assert.equal(await p.page.isVisible('.tl-side'), true);
  } finally {
    await p.close();
  }
});
