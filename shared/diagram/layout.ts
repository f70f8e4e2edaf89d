/**
 * The diagram's layout: the visible graph as an ELK graph (layered, left to right or top to bottom), and ELK's answer as
 * plain positions. Node and label sizes come from an estimate of the text's width, the same in Node and in
 * the browser, so the CLI's SVG and the preview agree and a layout does not depend on installed fonts.
 */
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { GraphEdge, GraphNode } from '../protocol';
import type { DiagramGraph } from './model';

export interface Point {
  readonly x: number;
  readonly y: number;
}
export interface Box extends Point {
  readonly width: number;
  readonly height: number;
}
export interface LaidEdge {
  /** From the source's border to the target's, bends in between. */
  readonly points: readonly Point[];
  readonly label?: Box;
}
export interface DiagramLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: Readonly<Record<string, Box>>;
  readonly edges: Readonly<Record<string, LaidEdge>>;
}

/** Font sizes the renderer uses; the estimates below are for a sans-serif face at these sizes. */
export const FONT = { node: 13, tag: 10, edge: 11 } as const;

// Average advance widths, in ems, of a common sans-serif face (close to Segoe UI, Helvetica, DejaVu Sans).
const NARROW = new Set("iljtf.,:;'|!()[] ".split(''));
const WIDE = new Set('mwMW@%'.split(''));

/** An estimate of the width of `text` at `size` pixels; errs wide so that labels fit. */
export function textWidth(text: string, size: number): number {
  let em = 0;
  for (const ch of text) {
    if (NARROW.has(ch)) em += 0.3;
    else if (WIDE.has(ch)) em += 0.9;
    else if (ch >= 'A' && ch <= 'Z') em += 0.68;
    else if (ch.charCodeAt(0) > 0x2e80) em += 1;
    else em += 0.58;
  }
  return Math.ceil(em * size);
}

/** The longest label drawn in full; longer names are cut with an ellipsis (the full name is in the tooltip). */
export const MAX_LABEL_CHARS = 40;

export function displayLabel(label: string): string {
  const chars = [...label];
  return chars.length > MAX_LABEL_CHARS ? chars.slice(0, MAX_LABEL_CHARS - 1).join('') + '…' : label;
}

/** The small kind tag above a service's name, if its kind is not the plain one. */
export function tagOf(n: GraphNode): string | undefined {
  if (n.kind === 'service') return n.variant && n.variant !== 'service' ? n.variant : n.external ? 'external' : undefined;
  if (n.kind === 'datastore') return n.variant && n.variant !== 'database' ? n.variant : undefined;
  return n.variant === 'id' ? 'id event' : undefined;
}

export function nodeSize(n: GraphNode): { width: number; height: number } {
  const text = textWidth(displayLabel(n.label), FONT.node);
  const tag = tagOf(n);
  const tagWidth = tag ? textWidth(tag, FONT.tag) : 0;
  switch (n.kind) {
    case 'service':
      return { width: Math.max(88, text + 24, tagWidth + 24), height: tag ? 46 : 34 };
    case 'datastore':
      return { width: Math.max(88, text + 24, tagWidth + 24), height: tag ? 60 : 50 };
    case 'event':
      return { width: Math.max(72, text + 32, tagWidth + 32), height: tag ? 42 : 30 };
  }
}

export const EDGE_LABEL_HEIGHT = 16;

/** Which way the layers run: calls go left to right, or top to bottom. */
export type Direction = 'RIGHT' | 'DOWN';

export interface LayoutOptions {
  /** Reserve room for edge labels in the layout. By default only for graphs of up to LABELLED_EDGES edges. */
  readonly edgeLabels?: boolean;
  /** RIGHT by default; the preview chooses from its panel's shape (see chooseDirection). */
  readonly direction?: Direction;
}

/**
 * Size tiers, measured with scripts/bench-diagram on generated systems: label placement more than doubles
 * ELK's time, orthogonal routing and Brandes-Köpf placement with thoroughness take most of the rest. Above
 * these sizes the preview draws labels at edge midpoints (shown when zoomed in) and routes straight lines.
 */
export const LABELLED_EDGES = 400;
export const ORTHOGONAL_NODES = 1500;

/**
 * Compact spacing (issue 14): a first drawing has to be read at the scale it fits at, so the gaps are as
 * small as keeps edges and their labels apart. The gap between layers had been 64 px, with labels in it
 * reserved on top; now the labels make most of that room themselves.
 */
export function layoutOptionsFor(nodeCount: number, direction: Direction = 'RIGHT'): Record<string, string> {
  const huge = nodeCount > ORTHOGONAL_NODES;
  return {
    'elk.algorithm': 'layered',
    'elk.direction': direction,
    'elk.edgeRouting': huge ? 'POLYLINE' : 'ORTHOGONAL',
    'elk.spacing.nodeNode': '12',
    'elk.spacing.edgeNode': '8',
    'elk.spacing.edgeEdge': '5',
    'elk.spacing.edgeLabel': '2',
    'elk.spacing.componentComponent': '24',
    'elk.layered.spacing.nodeNodeBetweenLayers': '28',
    'elk.layered.spacing.edgeNodeBetweenLayers': '8',
    // Not 'elk.layered.compaction.postCompaction.strategy': EDGE_LENGTH made generated systems of 20 to 40
    // elements about a tenth narrower but took ELK 2.5 times as long.
    'elk.edgeLabels.placement': 'CENTER',
    'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    // Not 'elk.layered.considerModelOrder': its sort took ELK 0.12 seconds per hundred nodes (measured by
    // scripts/bench-diagram). The preview keeps a node in place across updates itself.
    'elk.layered.thoroughness': nodeCount > 300 ? '1' : '7',
    ...(huge ? { 'elk.layered.crossingMinimization.greedySwitch.type': 'OFF' } : {}),
  };
}

/** Edges laid out from their source to their target, but subscriptions from the subscriber to the event. */
export function toElkGraph(g: DiagramGraph, options: LayoutOptions = {}): ElkNode {
  const labels = options.edgeLabels ?? g.edges.length <= LABELLED_EDGES;
  const children: ElkNode[] = g.nodes.map((n) => ({ id: n.id, ...nodeSize(n) }));
  const edges: ElkExtendedEdge[] = g.edges.map((e) => ({
    id: e.id,
    // A subscription is laid out pointing into its event, like the publication: events then end paths
    // instead of joining them, so the layers follow the calls. Without this, chains of
    // publish-subscribe-call made generated systems hundreds of layers deep and took ELK minutes.
    sources: [e.kind === 'subscribe' ? e.to : e.from],
    targets: [e.kind === 'subscribe' ? e.from : e.to],
    ...(labels && edgeText(e) ? { labels: [{ text: edgeText(e), width: textWidth(edgeText(e)!, FONT.edge) + 8, height: EDGE_LABEL_HEIGHT }] } : {}),
  }));
  return { id: 'root', layoutOptions: layoutOptionsFor(g.nodes.length, options.direction), children, edges };
}

/** The edges toElkGraph laid out against their direction. */
export function reversedEdges(g: DiagramGraph): Set<string> {
  return new Set(g.edges.filter((e) => e.kind === 'subscribe').map((e) => e.id));
}

/** The text on an edge: protocol and calls per request for calls, access for uses, delivery for publishes. */
export function edgeText(e: GraphEdge): string | undefined {
  return e.label || undefined;
}

/** ELK's laid-out graph as plain boxes and polylines, each running from the edge's `from` to its `to`. */
export function fromElk(root: ElkNode, reversed: ReadonlySet<string> = new Set()): DiagramLayout {
  // No prototype: ids are the user's, and `__proto__` or `constructor` must be boxes like any other.
  const nodes: Record<string, Box> = Object.create(null);
  for (const c of root.children ?? []) nodes[c.id] = { x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 };
  const edges: Record<string, LaidEdge> = Object.create(null);
  for (const e of root.edges ?? []) {
    const points: Point[] = [];
    for (const s of e.sections ?? []) {
      if (!points.length) points.push(s.startPoint);
      for (const b of s.bendPoints ?? []) points.push(b);
      points.push(s.endPoint);
    }
    if (reversed.has(e.id)) points.reverse();
    const l = e.labels?.[0];
    edges[e.id] = { points: points.map((p) => ({ x: p.x, y: p.y })), ...(l && l.x !== undefined ? { label: { x: l.x, y: l.y ?? 0, width: l.width ?? 0, height: l.height ?? 0 } } : {}) };
  }
  return { width: Math.ceil(root.width ?? 0), height: Math.ceil(root.height ?? 0), nodes, edges };
}
