/**
 * Runs the built preview (media/dist) in real headless Chromium: Debian's `chromium` driven by
 * playwright-core. The page is the webview's own HTML (shared/diagram/page.ts) served from 127.0.0.1, with
 * a stand-in for `acquireVsCodeApi` that hands every posted message to the test as an event. Graph payloads
 * come from the real core and the language server's `buildGraph`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { after, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { checkText } from '../../server/src/core';
import { buildGraph } from '../../server/src/graph-payload';
import { findingKey } from '../../server/src/core/rule';
import { webviewHtml } from '../../shared/diagram/page';
import type { HostMessage, PreviewState, WebviewMessage } from '../../shared/diagram/messages';
import type { GraphPayload } from '../../shared/protocol';

/** The repository: the nearest folder up from this (bundled) file with package.json and media/. */
export const ROOT = ((): string => {
  let dir = __dirname;
  while (!(existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'media'))) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();
export const CHROMIUM = process.env.TOPOLINT_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** The graph payload the language server would send for `text`. */
export function payloadOf(text: string, uri = 'file:///work/test.topology.yaml', version = 1): GraphPayload {
  const result = checkText(uri, text);
  const doc = TextDocument.create(uri, 'topology', version, text);
  return buildGraph(doc, result, result.findings.map((f, i) => findingKey(f, i)));
}

export function examplePayload(name: string): GraphPayload {
  const path = join(ROOT, 'examples', name);
  return payloadOf(readFileSync(path, 'utf8'), pathToFileURL(path).href);
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.map': 'application/json' };

/** Serves media/dist/ and node_modules/mermaid/dist/ read-only, and the preview page at /preview.html. */
export async function serve(): Promise<{ server: Server; origin: string }> {
  const nonce = 'dGVzdC1ub25jZS0xMjM0';
  let origin = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/preview.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      const html = webviewHtml({ cspSource: origin, nonce, scriptUri: `${origin}/media/dist/preview.js`, styleUri: `${origin}/media/dist/preview.css`, workerUri: `${origin}/media/dist/layout-worker.js` });
      // ?worker=none: a page whose policy forbids workers, as some webview hosts do.
      res.end(url.searchParams.get('worker') === 'none' ? html.replace('worker-src blob:', "worker-src 'none'") : html);
      return;
    }
    if (url.pathname === '/mermaid.html') {
      // Mermaid itself, to parse and draw the Mermaid export: it needs a DOM, so it runs here.
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><html><head><meta charset="UTF-8"><script src="/node_modules/mermaid/dist/mermaid.min.js"></script></head><body></body></html>');
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const allowed = ['/media/dist/', '/node_modules/mermaid/dist/'];
    const file = join(ROOT, decodeURIComponent(url.pathname));
    if (!allowed.some((p) => url.pathname.startsWith(p)) || url.pathname.includes('..') || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return { server, origin };
}

/** Starts Chromium, or fails with the reason: these tests must not pass by skipping. */
export async function launch(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: install Debian's package (apt-get install -y chromium) or set TOPOLINT_CHROMIUM`);
  // playwright adds --headless itself and starts every browser on a fresh, empty profile of its own.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS.filter((a) => a !== '--headless'), headless: true });
  return { browser, close: () => browser.close() };
}

/** A preview page with the VS Code stand-in; messages the page posts arrive through `next`. */
export class PreviewPage {
  readonly posted: WebviewMessage[] = [];
  readonly errors: string[] = [];
  private waiters: { pred: (m: WebviewMessage) => boolean; resolve: (m: WebviewMessage) => void }[] = [];

  private constructor(readonly page: Page) {}

  static async open(browser: Browser, origin: string, options: { width?: number; height?: number; state?: PreviewState; query?: string } = {}): Promise<PreviewPage> {
    const page = await browser.newPage({ viewport: { width: options.width ?? 1200, height: options.height ?? 800 } });
    const p = new PreviewPage(page);
    page.on('pageerror', (e) => p.errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') p.errors.push(m.text());
    });
    await page.exposeFunction('__topolintPost', (m: WebviewMessage) => p.receive(m));
    await page.addInitScript((state) => {
      let saved: unknown = state ?? undefined;
      (window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({
        postMessage: (m: unknown) => (window as unknown as { __topolintPost: (m: unknown) => void }).__topolintPost(m),
        getState: () => saved,
        setState: (s: unknown) => {
          saved = s;
        },
      });
    }, options.state ?? null);
    const ready = p.next((m) => m.type === 'ready');
    await page.goto(`${origin}/preview.html${options.query ?? ''}`);
    await ready;
    return p;
  }

  private receive(m: WebviewMessage): void {
    this.posted.push(m);
    for (const w of [...this.waiters]) {
      if (w.pred(m)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  }

  /** The next message the page posts that matches. */
  next<T extends WebviewMessage>(pred: (m: WebviewMessage) => boolean, timeoutMs = 30_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message in ${timeoutMs} ms; posted: ${JSON.stringify(this.posted.map((m) => m.type))}; errors: ${this.errors.join(' | ')}`)), timeoutMs);
      this.waiters.push({
        pred,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as T);
        },
      });
    });
  }

  /** Sends a message as the extension would. */
  async send(m: HostMessage): Promise<void> {
    await this.page.evaluate((msg) => window.postMessage(msg, '*'), m as unknown as Record<string, unknown>);
  }

  /** Sends a graph and waits until the page has drawn it. */
  async show(payload: GraphPayload, timeoutMs?: number): Promise<Extract<WebviewMessage, { type: 'rendered' }>> {
    const rendered = this.next<Extract<WebviewMessage, { type: 'rendered' }>>((m) => m.type === 'rendered' && m.version === payload.version, timeoutMs);
    await this.send({ type: 'graph', payload });
    return rendered;
  }

  /** The preview's viewport: screen = content * k + (x, y). */
  async viewport(): Promise<{ x: number; y: number; k: number }> {
    const t = await this.page.getAttribute('.tl-canvas', 'data-viewport');
    const [x, y, k] = (t ?? '').split(' ').map(Number);
    if (t === null || [x, y, k].some((n) => !Number.isFinite(n))) throw new Error(`no viewport: ${t}`);
    return { x, y, k };
  }

  /** Screen box of an element, by data-id. */
  async box(id: string): Promise<{ x: number; y: number; width: number; height: number }> {
    const b = await this.page.evaluate((i) => {
      const e = [...document.querySelectorAll('[data-id]')].find((x) => x.getAttribute('data-id') === i);
      const r = e?.querySelector('.tl-shape, .tl-line')?.getBoundingClientRect();
      return r ? { x: r.x, y: r.y, width: r.width, height: r.height } : null;
    }, id);
    if (!b) throw new Error(`no element ${id} on the page`);
    return b;
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}

/** Frame times of a run of pan and zoom input (milliseconds between animation frames). */
export interface FrameTimes {
  median: number;
  p95: number;
  max: number;
}

/**
 * Zooms in around the middle and pans with the keyboard, then zooms out and in with the wheel about a point
 * off centre: one input a frame, 60 frames, as a user's drag or wheel arrives (Chromium hands input to the
 * page once a frame). Resolves with the times between the animation frames. npm run bench:diagram and the
 * large-system test measure the same thing.
 */
export async function panAndZoomFrames(page: Page): Promise<FrameTimes> {
  await page.focus('.tl-canvas');
  return page.evaluate(async () => {
    const canvas = document.querySelector('.tl-canvas')!;
    const times: number[] = [];
    const frame = () => new Promise<number>((r) => requestAnimationFrame((t) => r(t)));
    let last = await frame();
    const r = canvas.getBoundingClientRect();
    for (let i = 0; i < 60; i++) {
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
}

/** Pixels of a PNG that differ from its most common colour: a blank screenshot has none. */
export function inkPixels(png: Buffer): { ink: number; total: number; colours: number } {
  const img = PNG.sync.read(png);
  const counts = new Map<number, number>();
  for (let i = 0; i < img.data.length; i += 4) {
    const key = (img.data[i] << 16) | (img.data[i + 1] << 8) | img.data[i + 2];
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const total = img.width * img.height;
  const background = Math.max(...counts.values());
  return { ink: total - background, total, colours: counts.size };
}

/**
 * One headless Chromium and the page server for a test file: started before its tests, closed after them.
 * Read `browser` and `origin` inside tests, once `before` has run.
 */
export function sharedBrowser(): { readonly browser: Browser; readonly origin: string } {
  const shared = {} as { browser: Browser; origin: string };
  let closeAll: (() => Promise<void>) | undefined;
  before(async () => {
    const s = await serve();
    shared.origin = s.origin;
    const b = await launch();
    shared.browser = b.browser;
    closeAll = async () => {
      await b.close();
      s.server.close();
    };
  });
  after(async () => closeAll?.());
  return shared;
}
