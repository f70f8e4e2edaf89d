/**
 * A large system in the preview (issue 11): its drawing is put on the page only around the view, drawn
 * again as the view moves, and drawn as an overview of a few paths when zoomed too far out for names. These
 * tests check what is drawn against the layout worked out here by the same code the worker runs.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { layoutSync } from '../../shared/diagram/elk-run';
import { reversedEdges, toElkGraph, type DiagramLayout } from '../../shared/diagram/layout';
import { visibleGraph } from '../../shared/diagram/model';
import type { GraphPayload } from '../../shared/protocol';
import { generateTopology } from '../generate';
import { examplePayload, panAndZoomFrames, payloadOf, PreviewPage, sharedBrowser } from './harness';

const web = sharedBrowser();
/**
 * See the last test: generous, for a loaded machine (50 ms in a full npm test run beside the other test
 * files, 17-33 ms alone), and below everything the previous preview measured (220-450 ms).
 */
const FRAME_P95_BOUND_MS = 150;
let payload: GraphPayload;

before(() => {
  // 500 services: 1,507 elements and over 2,500 connections, past both the culling and the fast layout's sizes.
  payload = payloadOf(generateTopology(500), 'file:///work/large.topology.yaml', 1);
});

/** The ids drawn on the page, the canvas's size, and the committed viewport. */
async function drawnState(p: PreviewPage): Promise<{ ids: Set<string>; width: number; height: number; mode: string | undefined }> {
  const s = await p.page.evaluate(() => {
    const c = document.querySelector('.tl-canvas') as HTMLElement;
    return { ids: [...c.querySelectorAll('.tl-node[data-id]')].map((e) => e.getAttribute('data-id')!), width: c.clientWidth, height: c.clientHeight, mode: c.dataset.drawn };
  });
  return { ...s, ids: new Set(s.ids) };
}

/** Waits until a live pan or zoom has been committed (the drawing is no longer moved as a layer) and every slice of the drawing around the new view is on the page. */
async function settled(p: PreviewPage): Promise<void> {
  await p.page.waitForFunction(() => document.querySelector<HTMLElement>('.tl-canvas .tl-layer')?.style.transform === '' && !document.querySelector<HTMLElement>('.tl-canvas')!.dataset.drawing);
  await p.page.waitForTimeout(50);
}

/** The nodes of `layout` that are on screen in a canvas of this size at the page's viewport. */
async function onScreen(p: PreviewPage, layout: DiagramLayout, width: number, height: number): Promise<string[]> {
  const v = await p.viewport();
  return Object.entries(layout.nodes)
    .filter(([, b]) => b.x * v.k + v.x < width && (b.x + b.width) * v.k + v.x > 0 && b.y * v.k + v.y < height && (b.y + b.height) * v.k + v.y > 0)
    .map(([id]) => id);
}

test('a large system is drawn around the view: every node on screen is drawn, far ones are not, and moving the view draws the new part', async () => {
  const p = await PreviewPage.open(web.browser, web.origin, { width: 1400, height: 900 });
  try {
    const r = await p.show(payload, 120_000);
    assert.equal(r.nodes, payload.nodes.length);
    let s = await drawnState(p);
    assert.ok(s.mode && s.mode !== 'simple', `drawn around the view (${s.mode})`);
    assert.ok(s.ids.size > 0 && s.ids.size < payload.nodes.length / 2, `a part of the drawing is on the page: ${s.ids.size} of ${payload.nodes.length} nodes`);
    // The worker's layout, worked out again here: a wide panel lays a large system out left to right.
    const graph = visibleGraph(payload, { hidden: [] });
    const layout = layoutSync(toElkGraph(graph, { direction: s.width >= s.height ? 'RIGHT' : 'DOWN' }), reversedEdges(graph));
    const first = [...s.ids][0];
    // A node's shape is drawn at its layout coordinates (its box's corner, rounded to a tenth).
    const drawnAt = await p.page.evaluate((id) => {
      const shape = [...document.querySelectorAll('.tl-node[data-id]')].find((e) => e.getAttribute('data-id') === id)!.querySelector('.tl-shape')!;
      const b = (shape as SVGGraphicsElement).getBBox();
      return { x: Math.round(b.x * 10) / 10, y: Math.round(b.y * 10) / 10 };
    }, first);
    const at = layout.nodes[first];
    assert.ok(Math.abs(drawnAt.x - at.x) <= 0.1 && Math.abs(drawnAt.y - at.y) <= 0.1, `the page drew the same layout: ${JSON.stringify(drawnAt)} against ${at.x}, ${at.y}`);
    let visible = await onScreen(p, layout, s.width, s.height);
    assert.ok(visible.length > 5, `nodes on screen: ${visible.length}`);
    for (const id of visible) assert.ok(s.ids.has(id), `${id} is on screen and drawn`);
    // Lines are drawn only within the drawn region (with the margin kept for heads and labels): a long
    // dashed edge drawn whole made each frame of a pan take seconds to paint.
    const [rx, ry, rw, rh] = s.mode.split(' ').map(Number);
    const coords = await p.page.$$eval('.tl-edge .tl-line', (ls) => ls.map((l) => l.getAttribute('d')!));
    assert.ok(coords.length > 0);
    for (const d of coords) {
      const xy = d.split(/[ML ]/).filter(Boolean).map(Number);
      for (let i = 0; i < xy.length; i += 2) assert.ok(xy[i] >= rx - 81 && xy[i] <= rx + rw + 81 && xy[i + 1] >= ry - 21 && xy[i + 1] <= ry + rh + 21, `a line stays in the drawn region: ${d}`);
    }

    // The editor's cursor on the node furthest from the start: the view moves there and draws it.
    const far = Object.entries(layout.nodes).reduce((a, b) => (b[1].x + b[1].y > a[1].x + a[1].y ? b : a))[0];
    assert.ok(!s.ids.has(far), 'the furthest node was not drawn at first');
    await p.send({ type: 'highlight', id: far });
    await p.page.waitForFunction((id) => [...document.querySelectorAll('.tl-node.tl-hl')].some((e) => e.getAttribute('data-id') === id), far);
    s = await drawnState(p);
    visible = await onScreen(p, layout, s.width, s.height);
    assert.ok(visible.includes(far));
    for (const id of visible) assert.ok(s.ids.has(id), `after moving, ${id} is on screen and drawn`);

    // Zoomed far out, the whole system is an overview of a few paths, and zooming back in draws the elements again.
    await p.page.focus('.tl-canvas');
    for (let i = 0; i < 14; i++) await p.page.keyboard.press('-');
    await settled(p);
    s = await drawnState(p);
    assert.equal(s.mode, 'simple');
    assert.equal(s.ids.size, 0);
    const paths = await p.page.$$eval('.tl-simple-node', (x) => x.length);
    assert.ok(paths >= 3 && paths <= 6, `one path per kind of node: ${paths}`);
    await p.page.keyboard.press('0');
    await settled(p);
    s = await drawnState(p);
    assert.notEqual(s.mode, 'simple');
    visible = await onScreen(p, layout, s.width, s.height);
    assert.ok(visible.length > 5);
    for (const id of visible) assert.ok(s.ids.has(id), `after Fit, ${id} is on screen and drawn`);
    assert.deepEqual(p.errors, []);
  } finally {
    await p.close();
  }
});

test('every finding of a large system reaches the side list, a slice at a time', async () => {
  const p = await PreviewPage.open(web.browser, web.origin, { width: 1400, height: 900 });
  try {
    await p.show(payload, 120_000);
    assert.ok(payload.findings.length > 150, `enough findings to need slices: ${payload.findings.length}`);
    await p.page.waitForFunction((n) => document.querySelectorAll('.tl-findings .tl-finding').length === n, payload.findings.length);
    // A newer drawing replaces the list rather than adding to it.
    await p.show({ ...payload, version: 2 }, 120_000);
    await p.page.waitForTimeout(500);
    assert.equal(await p.page.$$eval('.tl-findings .tl-finding', (x) => x.length), payload.findings.length);
    assert.deepEqual(p.errors, []);
  } finally {
    await p.close();
  }
});

test('a large drawing is put on the page in slices of at most 150 elements, the part on screen first, and none is left transparent', async () => {
  const p = await PreviewPage.open(web.browser, web.origin, { width: 1400, height: 900 });
  try {
    // Every task that adds elements to the drawing is seen by a MutationObserver, whose callback runs at the
    // end of that task: the ids of the nodes and the count of elements each task added.
    await p.page.evaluate(() => {
      const w = window as unknown as { __added: { count: number; nodes: string[] }[] };
      w.__added = [];
      new MutationObserver((records) => {
        let count = 0;
        const nodes: string[] = [];
        for (const r of records) {
          for (const x of r.addedNodes) {
            if (!(x instanceof Element)) continue;
            const all = [...(x.hasAttribute('data-id') ? [x] : []), ...x.querySelectorAll('[data-id]')];
            count += all.length;
            for (const e of all) if (e.classList.contains('tl-node')) nodes.push(e.getAttribute('data-id')!);
          }
        }
        if (count) w.__added.push({ count, nodes });
      }).observe(document.body, { childList: true, subtree: true });
    });
    await p.show(payload, 120_000);
    await p.page.waitForFunction(() => !document.querySelector<HTMLElement>('.tl-canvas')!.dataset.drawing, undefined, { timeout: 120_000 });
    const added = await p.page.evaluate(() => (window as unknown as { __added: { count: number; nodes: string[] }[] }).__added);
    const counts = added.map((a) => a.count);
    const total = await p.page.$$eval('.tl-canvas [data-id]', (x) => x.length);
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      total,
      `every element on the page came in a slice: ${counts.join(', ')}`,
    );
    // Put on the page at once, the ~1,600 elements around a 1,000-service system's first view were one
    // task of script and one of style, layout and paint, each over the 200 ms a task may take; the ~900 on
    // screen, as one slice, a task of 160 ms of script (issue 11). Every slice, the part on screen too, is
    // bounded now.
    assert.ok(counts.length >= 3, `more than two slices: ${counts.join(', ')}`);
    assert.ok(Math.max(...counts) <= 150, `a slice holds at most 150 elements: ${counts.join(', ')}`);
    // The part on screen comes first: every node on screen arrived before the first slice with a node
    // clearly off screen (a slice holds one or the other, never both).
    const v = await p.viewport();
    const s = await drawnState(p);
    const graph = visibleGraph(payload, { hidden: [] });
    const layout = layoutSync(toElkGraph(graph, { direction: s.width >= s.height ? 'RIGHT' : 'DOWN' }), reversedEdges(graph));
    const visible = Object.entries(layout.nodes)
      .filter(([, b]) => b.x * v.k + v.x < s.width && (b.x + b.width) * v.k + v.x > 0 && b.y * v.k + v.y < s.height && (b.y + b.height) * v.k + v.y > 0)
      .map(([id]) => id);
    const away = (id: string) => {
      const b = layout.nodes[id];
      const m = 2;
      return b.x * v.k + v.x > s.width + m || (b.x + b.width) * v.k + v.x < -m || b.y * v.k + v.y > s.height + m || (b.y + b.height) * v.k + v.y < -m;
    };
    const boundary = added.findIndex((a) => a.nodes.some(away));
    assert.ok(boundary > 0, `some slices came before the first one beyond the screen: ${boundary}`);
    const early = new Set(added.slice(0, boundary).flatMap((a) => a.nodes));
    assert.ok(visible.length > 5, `nodes on screen: ${visible.length}`);
    for (const id of visible) assert.ok(early.has(id), `${id} is on screen and came with the part on screen`);
    // The slices went on the page transparent and were all shown: none is left pending, transparent or hidden.
    assert.equal(await p.page.$$eval('.tl-canvas .tl-pending', (x) => x.length), 0);
    const unseen = await p.page.$$eval('.tl-canvas .tl-node', (x) =>
      x.filter((e) => {
        if (getComputedStyle(e).visibility === 'hidden') return true;
        for (let a: Element | null = e; a && !a.classList.contains('tl-canvas'); a = a.parentElement) if (getComputedStyle(a).opacity === '0') return true;
        return false;
      }).length,
    );
    assert.equal(unseen, 0);
    assert.deepEqual(p.errors, []);
  } finally {
    await p.close();
  }
});

test('a large drawing draws publications and subscriptions solid, where a small one dots them', async () => {
  const p = await PreviewPage.open(web.browser, web.origin, { width: 1400, height: 900 });
  try {
    // In software raster the dots of a large system's event lines were about 85% of the time to raster the
    // screen, which every frame of a pan over new tiles waits for (issue 11).
    await p.show(payload, 120_000);
    await p.page.waitForFunction(() => !document.querySelector<HTMLElement>('.tl-canvas')!.dataset.drawing, undefined, { timeout: 120_000 });
    const dashes = () => p.page.$$eval('.tl-canvas .tl-edge.tl-publish .tl-line, .tl-canvas .tl-edge.tl-subscribe .tl-line', (x) => [...new Set(x.map((e) => getComputedStyle(e).strokeDasharray))]);
    const large = await dashes();
    assert.ok(large.length > 0, 'event lines are drawn');
    assert.deepEqual(large, ['none']);
    await p.show(examplePayload('social-network.topology.yaml'), 60_000);
    const small = await dashes();
    assert.ok(small.length > 0 && !small.includes('none'), `a small system's event lines are dotted: ${small.join(' | ')}`);
    assert.deepEqual(p.errors, []);
  } finally {
    await p.close();
  }
});

test('at 1,000 services, panning and zooming at once after the last slice keeps frames short', async (t) => {
  // Measured in Chromium on the shared machine (frame p95 over 60 steps): 220-450 ms before (a frame
  // waited a second for the raster of the finished drawing, which let a redraw in mid-pan, whose frames
  // waited in turn), 17-33 ms after. The bound is generous, for a loaded machine, and far below before.
  const big = payloadOf(generateTopology(1000), 'file:///work/big.topology.yaml', 1);
  const p = await PreviewPage.open(web.browser, web.origin, { width: 1400, height: 900 });
  try {
    await p.show(big, 300_000);
    await p.page.waitForFunction(() => !document.querySelector<HTMLElement>('.tl-canvas')!.dataset.drawing, undefined, { timeout: 300_000, polling: 'raf' });
    const frames = await panAndZoomFrames(p.page);
    t.diagnostic(`frame p95 ${frames.p95.toFixed(1)} ms, median ${frames.median.toFixed(1)}, max ${frames.max.toFixed(1)}`);
    assert.ok(frames.p95 <= FRAME_P95_BOUND_MS, `frame p95 ${frames.p95.toFixed(1)} ms (median ${frames.median.toFixed(1)}, max ${frames.max.toFixed(1)}) within ${FRAME_P95_BOUND_MS} ms`);
    // The gesture commits once it rests, and the drawing around the new view is complete again.
    await settled(p);
    assert.ok((await drawnState(p)).ids.size > 0);
    assert.deepEqual(p.errors, []);
  } finally {
    await p.close();
  }
});
