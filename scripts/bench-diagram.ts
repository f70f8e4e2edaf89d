/**
 * Diagram benchmark: generated layered systems (test/generate.ts) drawn by the built preview in headless
 * Chromium, as the language server would send them. Prints, per size: elements, the layout time in the
 * worker, layout + first paint (measured in the page, and from sending the graph to hearing it was
 * painted), a re-draw after an update, the longest main-thread task (PerformanceObserver 'longtask') while
 * drawing, updating and zooming, frame times
 * while zooming and panning (from two seconds after the drawing's last slice), and the CLI's SVG export
 * time; screenshots go to bench-results/. A culled drawing's first paint is its part on screen; the line
 * also says when the last slice of the region around it came.
 *
 * Each size ends with the goals of issue 11 (at 1,000 services: layout and first paint within 3 s, no
 * main-thread task over 200 ms, pan and zoom at 60 fps) and whether they were met. Lines print as each
 * phase ends, so a size that times out still reports what it measured.
 *
 * Usage: npm run bench:diagram [-- 200,1000,5000]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateTopology } from '../test/generate';
import { launch, payloadOf, PreviewPage, ROOT, serve } from '../test/webview/harness';
import { drawDiagram } from '../server/src/cli/diagram';

const sizes = (process.argv[2] ?? '200,1000').split(',').map(Number);
/** How long the drawing rests before pan and zoom are timed (see below). */
const SETTLE_MS = 2000;
const OUT = join(ROOT, 'bench-results');

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const { server, origin } = await serve();
  const { browser, close } = await launch();
  const rows: string[] = [];
  try {
    for (const n of sizes) {
      const text = generateTopology(n);
      const t0 = performance.now();
      const payload = payloadOf(text, `file:///bench/generated-${n}.topology.yaml`, 1);
      const payloadMs = performance.now() - t0;
      const payloadKiB = JSON.stringify(payload).length / 1024;
      const interactions = payload.edges.filter((e) => e.kind !== 'uses').length;
      const p = await PreviewPage.open(browser, origin, { width: 1400, height: 900 });
      // Long tasks (over 50 ms) on the page's main thread, as Chromium reports them; each phase below reads
      // the longest since its start. A long task is a stretch where the page answers no input.
      await p.page.evaluate(() => {
        const w = window as unknown as { __tasks: { start: number; duration: number }[] };
        w.__tasks = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) w.__tasks.push({ start: e.startTime, duration: e.duration });
        }).observe({ type: 'longtask', buffered: true });
      });
      const mark = () => p.page.evaluate(() => performance.now());
      // Waits a moment for the observer's reports, which arrive after the task, then takes the longest.
      const longestSince = async (t: number) => {
        await p.page.waitForTimeout(100);
        return p.page.evaluate((since) => Math.max(0, ...(window as unknown as { __tasks: { start: number; duration: number }[] }).__tasks.filter((x) => x.start + x.duration >= since).map((x) => x.duration)), t);
      };
      // When the last slice of a culled drawing is on the page (the canvas loses its data-drawing mark).
      const drawnWhole = async () => {
        await p.page.waitForFunction(() => !(document.querySelector('.tl-canvas') as HTMLElement).dataset.drawing, undefined, { timeout: 300_000 });
        return mark();
      };
      const drawStart = await mark();
      const sent = performance.now();
      const first = await p.show(payload, 300_000);
      const roundTrip = performance.now() - sent;
      // A culled drawing puts the part on screen on the page first ('rendered' above) and the rest of the
      // region around it after, in slices: the time until the last one is in, and the longest task of all.
      const whole = await drawnWhole();
      const wholeMs = whole - drawStart;
      const longest = await longestSince(drawStart);
      const drawnCount = () => p.page.evaluate(() => ({ elements: document.querySelectorAll('.tl-canvas [data-id]').length, mode: (document.querySelector('.tl-canvas') as HTMLElement).dataset.drawn ? 'around the view' : 'whole' }));
      const drawn = await drawnCount();
      console.log(`${n} services: ${first.nodes} nodes, ${first.edges} edges (${interactions} interactions without uses); payload built in ${payloadMs.toFixed(0)} ms, ${payloadKiB.toFixed(0)} KiB as JSON`);
      console.log(`  first drawing: layout ${first.layoutMs} ms in ${first.worker ? 'a worker' : 'the page'}, layout + first paint ${first.totalMs} ms (page), ${roundTrip.toFixed(0)} ms (send → painted); longest task ${longest.toFixed(0)} ms; ${drawn.elements} elements on the page (drawn ${drawn.mode}), the last of them ${wholeMs.toFixed(0)} ms after sending`);
      const shot = join(OUT, `diagram-${n}.png`);
      await p.page.screenshot({ path: shot, timeout: 300_000 });
      // An update (the next version of the same document) keeps the viewport and re-draws.
      const updateStart = await mark();
      const sent2 = performance.now();
      const second = await p.show({ ...payload, version: 2 }, 300_000);
      const roundTrip2 = performance.now() - sent2;
      await drawnWhole();
      const longestUpdate = await longestSince(updateStart);
      console.log(`  update:        layout ${second.layoutMs} ms, layout + paint ${second.totalMs} ms (page), ${roundTrip2.toFixed(0)} ms (send → painted); longest task ${longestUpdate.toFixed(0)} ms`);
      // Pan and zoom are timed on a drawing at rest: once its last slice is in, the browser rasters the
      // whole layer again (in software here, seconds on a loaded machine), and frames wait for that. Timed
      // at once, the frame p95 measured 450-1,470 ms; 2 s later, 50 ms (issue 11; ratios, shared machine).
      await p.page.waitForTimeout(SETTLE_MS);
      const interactStart = await mark();
      // Usable: frame times while zooming in around the middle and panning with the keyboard.
      await p.page.focus('.tl-canvas');
      const frames = await p.page.evaluate(async () => {
        const canvas = document.querySelector('.tl-canvas')!;
        const times: number[] = [];
        const frame = () => new Promise<number>((r) => requestAnimationFrame((t) => r(t)));
        let last = await frame();
        const r = canvas.getBoundingClientRect();
        for (let i = 0; i < 60; i++) {
          // Zoom in with keys, pan with keys, then zoom out and in with the wheel about a point off centre.
          if (i < 40) {
            const key = i < 10 ? '+' : i < 25 ? 'ArrowLeft' : 'ArrowUp';
            canvas.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
          } else {
            canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: i < 50 ? 60 : -60, clientX: r.left + r.width / 3, clientY: r.top + r.height / 3, bubbles: true, cancelable: true }));
          }
          const now = await frame();
          times.push(now - last);
          last = now;
        }
        times.sort((a, b) => a - b);
        return { median: times[times.length >> 1], p95: times[Math.floor(times.length * 0.95)], max: times[times.length - 1] };
      });
      // The drawing is repainted at the new zoom once the keys rest.
      await p.page.waitForFunction(() => (document.querySelector('.tl-canvas .tl-layer') as HTMLElement).style.transform === '' && !(document.querySelector('.tl-canvas') as HTMLElement).dataset.drawing);
      const longestInteract = await longestSince(interactStart);
      const zoomShot = join(OUT, `diagram-${n}-zoomed.png`);
      await p.page.screenshot({ path: zoomShot, timeout: 300_000 });
      const c0 = performance.now();
      const svg = drawDiagram(payload, 'svg');
      const cliMs = performance.now() - c0;
      await p.close();
      const longestAll = Math.max(longest, longestUpdate, longestInteract);
      const verdict = (ok: boolean) => (ok ? 'pass' : 'FAIL');
      rows.push(
        [
          `  main thread:   longest task ${longest.toFixed(0)} ms while drawing, ${longestUpdate.toFixed(0)} ms while updating, ${longestInteract.toFixed(0)} ms while zooming and panning (0: none over 50 ms)`,
          `  zoom and pan:  frame median ${frames.median.toFixed(1)} ms, p95 ${frames.p95.toFixed(1)} ms, max ${frames.max.toFixed(1)} ms over 60 steps, from ${SETTLE_MS} ms after the last slice`,
          `  CLI SVG:       ${cliMs.toFixed(0)} ms (${(svg.length / 1024).toFixed(0)} KiB)`,
          `  screenshots:   ${shot}, ${zoomShot}`,
          `  goals (issue 11, set for 1,000 services):`,
          `    layout + first paint ≤ 3000 ms: ${first.totalMs} ms, ${verdict(first.totalMs <= 3000)}`,
          `    longest main-thread task ≤ 200 ms: ${longestAll.toFixed(0)} ms, ${verdict(longestAll <= 200)}`,
          `    pan and zoom at 60 fps (frame p95 ≤ 16.7 ms + 1 ms of timer slack): ${frames.p95.toFixed(1)} ms, ${verdict(frames.p95 <= 17.7)}`,
        ].join('\n'),
      );
      console.log(rows[rows.length - 1]);
    }
  } finally {
    await close();
    server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
