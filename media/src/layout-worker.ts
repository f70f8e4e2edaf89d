/**
 * The layout worker: ELK in a web worker, so that laying out a large system never freezes the preview.
 * Where the page cannot start a worker, the preview loads this same file as a script in the page and
 * calls `topolintLayout` instead.
 */
import { layoutSync } from '../../shared/diagram/elk-run';
import type { LayoutRequest, LayoutResponse } from '../../shared/diagram/messages';

function answer(req: LayoutRequest): LayoutResponse {
  const t0 = performance.now();
  try {
    const layout = layoutSync(req.graph, new Set(req.reversed));
    return { id: req.id, layout, ms: performance.now() - t0 };
  } catch (e) {
    return { id: req.id, error: e instanceof Error ? e.message : String(e) };
  }
}

interface WorkerScope {
  onmessage: ((e: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(m: LayoutResponse): void;
}

const scope = globalThis as unknown as WorkerScope & { topolintLayout?: typeof answer; document?: unknown };
if (typeof scope.document === 'undefined') {
  // Load ELK now: when it loads inside a worker it installs its own message handler, which ours replaces.
  answer({ id: -1, graph: { id: 'root', children: [{ id: 'a', width: 10, height: 10 }], edges: [] }, reversed: [] });
  scope.onmessage = (e) => scope.postMessage(answer(e.data));
} else {
  scope.topolintLayout = answer;
}
