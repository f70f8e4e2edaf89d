/**
 * Runs ELK (elkjs) in the calling thread and returns at once. elkjs's public API answers through a worker
 * and a promise; its worker script, though, does the layout synchronously inside its message dispatcher,
 * and exports that dispatcher when loaded as a CommonJS module. The webview's worker, its main-thread
 * fallback and the CLI all call this, so one code path lays out every diagram.
 *
 * elkjs is pinned to an exact version in package.json because `dispatcher` is not part of its typed API;
 * test/diagram checks that this still works after an upgrade.
 */
import type { ElkNode } from 'elkjs/lib/elk-api';
import { fromElk, type DiagramLayout } from './layout';
import { FAST_LAYOUT_NODES, fastLayered } from './fast-layout';

interface ElkMessage {
  readonly id: number;
  readonly data?: unknown;
  readonly error?: unknown;
}
interface ElkDispatcher {
  saveDispatch(event: { data: Record<string, unknown> }): void;
}
interface ElkFakeWorker {
  onmessage: (event: { data: ElkMessage }) => void;
  readonly dispatcher: ElkDispatcher;
}

let worker: ElkFakeWorker | undefined;
let reply: ElkMessage | undefined;

function call(message: Record<string, unknown>): unknown {
  if (!worker) {
    // Loaded on first use: the GWT-compiled layouter is large and initialises itself when it is loaded,
    // which `topolint check` should not pay for.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the lazy load above needs a require at the call.
    const elk = require('elkjs/lib/elk-worker.min.js') as { Worker: new () => ElkFakeWorker };
    worker = new elk.Worker();
    worker.onmessage = (e) => {
      reply = e.data;
    };
    call({ cmd: 'register', algorithms: ['layered'] });
  }
  reply = undefined;
  worker.dispatcher.saveDispatch({ data: { ...message, id: 0 } });
  const r = reply as ElkMessage | undefined;
  if (!r) throw new Error('ELK gave no answer');
  if (r.error) throw r.error instanceof Error ? r.error : new Error(`ELK failed: ${describe(r.error)}`);
  return r.data;
}

function describe(e: unknown): string {
  if (e && typeof e === 'object') {
    const o = e as { message?: unknown; g?: unknown };
    if (typeof o.message === 'string') return o.message;
    if (typeof o.g === 'string') return o.g;
  }
  return String(e);
}

/** Lays out an ELK graph in place and returns it. */
export function runElk(graph: ElkNode): ElkNode {
  return call({ cmd: 'layout', graph, layoutOptions: {}, options: {} }) as ElkNode;
}

/**
 * Lays out an ELK graph and returns plain positions; `reversed` as from `reversedEdges`. Graphs of more than
 * FAST_LAYOUT_NODES nodes get the near-linear layered layout of fast-layout.ts instead of ELK's, which takes
 * tens of seconds there.
 */
export function layoutSync(graph: ElkNode, reversed: ReadonlySet<string> = new Set()): DiagramLayout {
  const big = (graph.children?.length ?? 0) > FAST_LAYOUT_NODES;
  return fromElk(big ? fastLayered(graph) : runElk(graph), reversed);
}
