/**
 * Messages between the preview's webview and its host (the extension, or the exported HTML page's own
 * stand-in), and between the webview and its layout worker. Typed once; both sides import these.
 */
import type { ElkNode } from 'elkjs/lib/elk-api';
import type { GraphPayload, Range } from '../protocol';
import type { DiagramLayout } from './layout';
import type { EdgeStyle } from './model';

export type HostMessage =
  /** A new graph for the document (null: the server has none, e.g. the file is not a topology). */
  | { readonly type: 'graph'; readonly payload: GraphPayload | null; readonly locked?: boolean }
  /** The element under the editor's cursor, to highlight (undefined: none). */
  | { readonly type: 'highlight'; readonly id: string | undefined }
  | { readonly type: 'locked'; readonly locked: boolean }
  /** Toolbar actions the host can also trigger (commands, keybindings). */
  | { readonly type: 'command'; readonly command: 'fit' | 'exportSvg' | 'exportPng' };

export type WebviewMessage =
  | { readonly type: 'ready' }
  /** Click-to-source: reveal and select the element's range in its document. */
  | { readonly type: 'reveal'; readonly id: string; readonly uri: string; readonly range: Range }
  /** An export made in the page: SVG text, or a PNG as a data: URL. */
  | { readonly type: 'export'; readonly format: 'svg' | 'png'; readonly name: string; readonly data: string }
  | { readonly type: 'toggleLock' }
  /** Sent after each drawing, for the host's log and for tests. */
  | { readonly type: 'rendered'; readonly version: number; readonly nodes: number; readonly edges: number; readonly layoutMs: number; readonly totalMs: number; readonly worker: boolean }
  | { readonly type: 'error'; readonly message: string };

/** What the webview keeps across reloads (vscode.setState), and what the panel serializer reads back. */
export interface PreviewState {
  readonly uri?: string;
  readonly locked?: boolean;
  readonly viewport?: Viewport;
  readonly selected?: string;
  readonly hidden?: readonly EdgeStyle[];
  readonly focus?: string;
  /** The viewport is the fitted one (the user has not zoomed or panned): a reload fits again. */
  readonly fitted?: boolean;
  /** The layout direction the preview chose for this document, so that a restored viewport matches it. */
  readonly direction?: 'RIGHT' | 'DOWN';
}

/** Pan and zoom: screen = content * k + (x, y). */
export interface Viewport {
  readonly x: number;
  readonly y: number;
  readonly k: number;
}

export interface LayoutRequest {
  readonly id: number;
  readonly graph: ElkNode;
  readonly reversed: readonly string[];
}
export type LayoutResponse = { readonly id: number; readonly layout: DiagramLayout; readonly ms: number } | { readonly id: number; readonly error: string };
