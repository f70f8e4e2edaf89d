/**
 * Issue 14: the preview is legible at first sight. The first drawing of generated systems of 10, 20 and
 * 40 elements in a 700×800 panel is measured in the page (the rendered size of every node label on screen),
 * and the view's behaviour on resize, wheel and zoom buttons is driven with real input events.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { generateSystem } from '../generate';
import { ROOT, examplePayload, launch, payloadOf, PreviewPage, serve } from './harness';

const SHOTS = join(ROOT, '.cache', 'screenshots');
let browser: Browser;
let origin: string;
let closeAll: () => Promise<void>;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const s = await serve();
  origin = s.origin;
  const b = await launch();
  browser = b.browser;
  closeAll = async () => {
    await b.close();
    s.server.close();
  };
});
after(async () => closeAll?.());

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
    const p = await PreviewPage.open(browser, origin, { width: 700, height: 800 });
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
  const p = await PreviewPage.open(browser, origin, { width: 1200, height: 800 });
  try {
    let version = 0;
    for (const file of readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.topology.yaml'))) {
      await p.show({ ...examplePayload(file), version: ++version });
      // Zoomed in, so that the labels hidden when far away are drawn too.
      await p.page.click('button[title="Fit the diagram to the window (0)"]');
      await p.page.mouse.move(600, 400);
      for (let i = 0; i < 4; i++) await p.page.mouse.wheel(0, -200);
      await p.page.waitForFunction(() => (document.querySelector('.tl-canvas svg.tl-diagram') as SVGSVGElement).style.transform === '');
      assert.deepEqual(await overlaps(p), [], file);
    }
  } finally {
    await p.close();
  }
});
