/**
 * Where the preview runs: in a VS Code webview (messages to and from the extension, state kept by VS Code)
 * or in the page `topolint diagram --format html` writes (the graph embedded, exports downloaded, sources
 * shown as line numbers).
 */
import type { GraphPayload } from '../../shared/protocol';
import type { HostMessage, PreviewState, WebviewMessage } from '../../shared/diagram/messages';

export interface Host {
  readonly standalone: boolean;
  post(message: WebviewMessage): void;
  getState(): PreviewState | undefined;
  setState(state: PreviewState): void;
  /** The worker script's text. */
  workerSource(): Promise<string>;
  /** Subscribes to messages from the host; the standalone page sends its embedded graph once. */
  listen(handler: (m: HostMessage) => void): void;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export function createHost(root: HTMLElement, notify: (text: string) => void): Host {
  if (typeof acquireVsCodeApi === 'function') {
    const api = acquireVsCodeApi();
    const workerUri = root.dataset.worker ?? '';
    return {
      standalone: false,
      post: (m) => api.postMessage(m),
      getState: () => (api.getState() as PreviewState | undefined) ?? undefined,
      setState: (s) => api.setState(s),
      workerSource: async () => {
        const r = await fetch(workerUri);
        if (!r.ok) throw new Error(`cannot load the layout worker: HTTP ${r.status}`);
        return r.text();
      },
      listen: (handler) => window.addEventListener('message', (e: MessageEvent<HostMessage>) => handler(e.data)),
    };
  }
  let state: PreviewState | undefined;
  return {
    standalone: true,
    post: (m) => {
      if (m.type === 'export') download(m.name, m.data, m.format);
      else if (m.type === 'reveal') notify(`${m.id.replace(/^\w+:/, '')}: line ${m.range.start.line + 1}, column ${m.range.start.character + 1}`);
    },
    getState: () => state,
    setState: (s) => {
      state = s;
    },
    workerSource: async () => document.getElementById('tl-worker')?.textContent ?? '',
    listen: (handler) => {
      const data = document.getElementById('tl-data')?.textContent;
      const payload = data ? (JSON.parse(data) as GraphPayload) : null;
      queueMicrotask(() => handler({ type: 'graph', payload }));
    },
  };
}

function download(name: string, data: string, format: 'svg' | 'png'): void {
  const blob = format === 'svg' ? new Blob([data], { type: 'image/svg+xml' }) : dataUrlToBlob(data);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${name}.${format}`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

function dataUrlToBlob(url: string): Blob {
  const [head, body] = url.split(',', 2);
  const bytes = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
  return new Blob([bytes], { type: /data:([^;]+)/.exec(head)?.[1] ?? 'application/octet-stream' });
}
