/**
 * What the diagram shows of a graph payload: which edges and nodes a view keeps (filters by style, focus on
 * one node's neighbourhood), and how each edge is drawn. Pure and DOM-free: the webview, the CLI and the
 * tests share it.
 */
import type { GraphEdge, GraphNode, GraphPayload } from '../protocol';

/** The four styles of interaction a user can filter by. */
export type EdgeStyle = 'sync' | 'async' | 'event' | 'data';
export const EDGE_STYLES: readonly EdgeStyle[] = ['sync', 'async', 'event', 'data'];

export function styleOf(e: GraphEdge): EdgeStyle {
  switch (e.kind) {
    case 'sync':
      return 'sync';
    case 'async':
      return 'async';
    case 'publish':
    case 'subscribe':
      return 'event';
    case 'uses':
      return 'data';
  }
}

export interface DiagramView {
  /** Styles left out: their edges, and the events (for `event`) or datastores (for `data`) with them. */
  readonly hidden?: readonly EdgeStyle[];
  /** A node id: show only it and its neighbourhood. */
  readonly focus?: string;
}

export interface DiagramGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/**
 * The part of the payload a view shows. The focus keeps the node, its direct neighbours and, through an
 * event or a datastore next to it, the services on the other side: a service's neighbourhood includes the
 * services that consume its events and those that share its stores.
 */
export function visibleGraph(p: Pick<GraphPayload, 'nodes' | 'edges'>, view: DiagramView = {}): DiagramGraph {
  const hidden = new Set(view.hidden ?? []);
  let nodes = p.nodes.filter((n) => !((n.kind === 'event' && hidden.has('event')) || (n.kind === 'datastore' && hidden.has('data'))));
  let ids = new Set(nodes.map((n) => n.id));
  let edges = p.edges.filter((e) => !hidden.has(styleOf(e)) && ids.has(e.from) && ids.has(e.to));
  if (view.focus && ids.has(view.focus)) {
    const adjacent = new Map<string, string[]>();
    const link = (a: string, b: string) => (adjacent.get(a) ?? adjacent.set(a, []).get(a)!).push(b);
    for (const e of edges) {
      link(e.from, e.to);
      link(e.to, e.from);
    }
    const kindOf = new Map(nodes.map((n) => [n.id, n.kind]));
    const keep = new Set([view.focus]);
    for (const n of adjacent.get(view.focus) ?? []) {
      keep.add(n);
      if (kindOf.get(n) !== 'service' && kindOf.get(view.focus) === 'service') for (const m of adjacent.get(n) ?? []) keep.add(m);
    }
    nodes = nodes.filter((n) => keep.has(n.id));
    ids = keep;
    // Only the edges that touch the focus or pass through one of its events or stores; not every edge
    // between two neighbours, which would bring back the crowd the focus is meant to hide.
    const via = new Set([...(adjacent.get(view.focus) ?? [])].filter((n) => kindOf.get(n) !== 'service'));
    edges = edges.filter((e) => ids.has(e.from) && ids.has(e.to) && (e.from === view.focus || e.to === view.focus || via.has(e.from) || via.has(e.to)));
  }
  return { nodes, edges };
}

/** Nodes whose label contains the query (case-insensitive), in payload order. */
export function searchNodes(p: Pick<GraphPayload, 'nodes'>, query: string): string[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  return p.nodes.filter((n) => n.label.toLowerCase().includes(q)).map((n) => n.id);
}

/** How many calls per request an edge stands for; `n` (once per item) counts as many. */
export function callCount(e: GraphEdge): number {
  if (e.perRequest === 'n') return 10;
  return typeof e.perRequest === 'number' ? e.perRequest : 1;
}

/**
 * Where a request enters the system: the services nobody calls, and of those the external ones, gateways
 * and BFFs if there are any. A preview too large to show legibly at once starts here. Falls back to every
 * service nobody calls, then to no node at all (the caller starts at the drawing's corner).
 */
export function entryNodes(g: DiagramGraph): string[] {
  // Only declared calls: an observed-but-undeclared one does not make its callee less of an entry.
  const called = new Set(g.edges.filter((e) => (e.kind === 'sync' || e.kind === 'async') && !e.observed).map((e) => e.to));
  const roots = g.nodes.filter((n) => n.kind === 'service' && !called.has(n.id));
  const front = roots.filter((n) => n.external || n.variant === 'gateway' || n.variant === 'bff');
  return (front.length ? front : roots).map((n) => n.id);
}
