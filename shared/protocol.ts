/**
 * Custom LSP messages between the Topolint server and its clients (the VS Code extension and its preview),
 * and the graph payload the diagram draws. Typed here once; both sides import these names.
 */

/** Zero-based LSP-style position and range (UTF-16 characters). */
export interface Position {
  readonly line: number;
  readonly character: number;
}
export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export type NodeKind = 'service' | 'datastore' | 'event';
export type EdgeKind = 'sync' | 'async' | 'publish' | 'subscribe' | 'uses';

export interface GraphNode {
  /** Stable within a document: `service:<id>`, `datastore:<id>`, `event:<id>`. */
  readonly id: string;
  readonly kind: NodeKind;
  /** The element's id as written: render as text, never as markup. */
  readonly label: string;
  /** Services: service | gateway | bff | frontend | job | legacy. Datastores: database | cache | ... Events: full | id | reference. */
  readonly variant: string;
  readonly external?: boolean;
  /** Services: the shared worst-case wait model (ms) for its callers; null when unbounded (no timeout on some path). */
  readonly wait?: number | null;
  /** Services: the shared availability model, over itself and everything it waits on synchronously. */
  readonly availability?: number;
  readonly description?: string;
  /** The range of the element's id in its file, for click-to-source. */
  readonly range: Range;
  readonly uri: string;
  /** Ids of the findings on this element. */
  readonly findings: readonly string[];
}

export interface GraphEdge {
  /** Stable within a document version: `call:<from>:<index>`, `pub:<from>:<index>`, `sub:...`, `use:...`. */
  readonly id: string;
  readonly kind: EdgeKind;
  readonly from: string;
  readonly to: string;
  /** Protocol and calls per request, for calls; access for uses; delivery for publishes. */
  readonly label?: string;
  readonly perRequest?: number | 'n';
  readonly access?: 'read' | 'write' | 'readwrite';
  /** For uses: whether the service owns the store. */
  readonly owner?: boolean;
  /**
   * A call observed in the running system (`topolint.observed`, the drift rule) that the topology does not
   * declare: drawn dashed, and its range is the calling service's, where the declaration belongs.
   */
  readonly observed?: boolean;
  readonly range: Range;
  readonly uri: string;
  readonly findings: readonly string[];
}

export interface GraphFinding {
  readonly id: string;
  readonly rule: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  readonly accepted?: string;
  /** Node and edge ids involved, in order where order means something (the hops of a chain). */
  readonly elements: readonly string[];
  readonly range: Range;
  readonly uri: string;
}

export interface GraphPayload {
  readonly uri: string;
  readonly version: number;
  readonly name: string;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly findings: readonly GraphFinding[];
}

/** Request: the latest graph of a document the server has analysed (null if none). */
export const GraphRequest = { method: 'topolint/graph' } as const;
export interface GraphParams {
  readonly uri: string;
}

/** Notification from the server after every analysis, so an open preview can ask for the new graph. */
export const GraphChangedNotification = { method: 'topolint/graphChanged' } as const;
export interface GraphChangedParams {
  readonly uri: string;
  readonly version: number;
}

/** Request: the style chooser's recommendation for a new interaction, and the edit that writes it. */
export const ChooseStyleRequest = { method: 'topolint/chooseStyle' } as const;
export interface ChooseStyleParams {
  readonly uri: string;
  /** The service that starts the interaction. */
  readonly from: string;
  /** The service called, or the name of the event or store to create. */
  readonly to: string;
  readonly answers: import('./style-chooser').StyleAnswers;
}
export interface ChooseStyleResult {
  readonly style: string;
  readonly title: string;
  readonly why: string;
  readonly tradeOffs: string;
  /** Edits to the document (LSP TextEdits) that add the interaction in the recommended style. */
  readonly edits: readonly { readonly range: Range; readonly newText: string }[];
  /** An ADR recording the choice and the answers, and where it would go (absent without a workspace). */
  readonly adr?: { readonly uri: string; readonly text: string };
}

export type ImportSource = 'k8s' | 'compose' | 'traces';
/**
 * Request: "Topolint: Import Topology…" — import the files the user picked with the server's importers;
 * with `existing` (the active topology's text), what it lacks as insertions into that text.
 */
export const ImportRequest = { method: 'topolint/import' } as const;
export interface ImportParams {
  readonly source: ImportSource;
  /** File system paths the user picked in the open dialog. */
  readonly paths: readonly string[];
  readonly existing?: string;
}
export interface ImportResult {
  readonly text: string;
  readonly added: readonly string[];
  readonly problems: readonly string[];
  /** Offsets into `existing` (UTF-16) and the text to insert there, when merging. */
  readonly insertions: readonly { readonly offset: number; readonly text: string }[];
}

/**
 * Request: "Topolint: Refresh Observed Data" — read the files of `topolint.observed` again and analyse
 * every topology against them. Null when a newer reading overtook this one.
 */
export const RefreshObservedRequest = { method: 'topolint/refreshObserved' } as const;
export interface RefreshObservedResult {
  /** Files read, traces in them, and the distinct calls observed. */
  readonly files: number;
  readonly traces: number;
  readonly calls: number;
  /** Files refused or unreadable, and the importers' warnings, in words. */
  readonly problems: readonly string[];
}
