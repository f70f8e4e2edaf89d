/**
 * Lays out graphs through the worker (media/dist/layout-worker.js). The worker is started from a blob: URL
 * (a webview may not start a worker from its resource URLs directly); if that fails, the same script runs in
 * the page, and layouts block the page while they run, which only large systems notice.
 */
import type { ElkNode } from 'elkjs/lib/elk-api';
import type { DiagramLayout } from '../../shared/diagram/layout';
import type { LayoutRequest, LayoutResponse } from '../../shared/diagram/messages';

export interface LayoutResult {
  readonly layout: DiagramLayout;
  readonly ms: number;
  readonly worker: boolean;
}

type Answer = (r: LayoutResponse) => void;
type InPage = (req: LayoutRequest) => LayoutResponse;

export class Layouter {
  private worker: Worker | undefined;
  private inPage: InPage | undefined;
  private readonly pending = new Map<number, { resolve: Answer; req: LayoutRequest }>();
  private nextId = 1;
  private ready: Promise<void>;

  /** `source` gives the worker script's text; `nonce` lets the fallback add it as a script. */
  constructor(
    private readonly source: () => Promise<string>,
    private readonly nonce: string,
  ) {
    this.ready = this.start();
  }

  get usesWorker(): boolean {
    return !!this.worker;
  }

  private async start(): Promise<void> {
    const text = await this.source();
    try {
      const url = URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
      const worker = new Worker(url);
      await new Promise<void>((resolve, reject) => {
        // A round trip proves the worker runs: CSP refusals and script errors arrive as 'error' events.
        worker.onmessage = () => resolve();
        worker.onerror = (e) => reject(new Error(e.message || 'the layout worker failed to start'));
        worker.postMessage({ id: 0, graph: { id: 'root', children: [], edges: [] }, reversed: [] } satisfies LayoutRequest);
      });
      worker.onmessage = (e: MessageEvent<LayoutResponse>) => this.settle(e.data);
      worker.onerror = (e) => this.fallBack(e.message || 'the layout worker failed');
      this.worker = worker;
    } catch (e) {
      await this.loadInPage(text, e);
    }
  }

  private async loadInPage(text: string, cause: unknown): Promise<void> {
    console.warn(`topolint: no layout worker (${String(cause)}); laying out in the page`);
    const g = globalThis as unknown as { topolintLayout?: InPage };
    if (!g.topolintLayout) {
      const script = document.createElement('script');
      script.nonce = this.nonce;
      script.textContent = text;
      document.head.append(script);
    }
    this.inPage = g.topolintLayout;
    if (!this.inPage) throw new Error('the layout script did not load');
  }

  private fallBack(message: string): void {
    this.worker?.terminate();
    this.worker = undefined;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    this.ready = this.source().then((t) => this.loadInPage(t, message));
    for (const p of waiting) void this.ready.then(() => p.resolve(this.inPage!(p.req)));
  }

  private settle(r: LayoutResponse): void {
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    p.resolve(r);
  }

  async layout(graph: ElkNode, reversed: readonly string[]): Promise<LayoutResult> {
    await this.ready;
    const req: LayoutRequest = { id: this.nextId++, graph, reversed };
    const r = await new Promise<LayoutResponse>((resolve) => {
      if (this.worker) {
        this.pending.set(req.id, { resolve, req });
        this.worker.postMessage(req);
      } else resolve(this.inPage!(req));
    });
    if ('error' in r) throw new Error(r.error);
    return { layout: r.layout, ms: r.ms, worker: !!this.worker };
  }
}
