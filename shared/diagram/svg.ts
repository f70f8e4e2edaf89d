/**
 * A laid-out diagram as an SVG string: the preview's drawing and the exported file are the same markup.
 * Every name and message from the topology goes through `escapeXml`, and nothing here writes a `style`
 * attribute or a script: the preview's Content-Security-Policy allows neither, and an exported file should
 * not need them.
 */
import type { GraphEdge, GraphFinding, GraphNode, GraphPayload } from '../protocol';
import { FONT, displayLabel, tagOf, textWidth, type Box, type DiagramLayout, type Point } from './layout';
import { callCount, type DiagramGraph } from './model';
import { elementMarks, type ElementMarks } from './smells';
import { DIAGRAM_CSS, THEME_VARS } from './style';
import { escapeXml } from './escape';

export { escapeXml };

export interface SvgOptions {
  /** A file of its own: an XML declaration, the stylesheet, a background and <title> tooltips. */
  readonly standalone?: boolean;
  /** Resolved colours for the THEME_VARS properties, so that a file looks like the theme it came from. */
  readonly theme?: Readonly<Record<string, string>>;
  /** Focusable nodes with roles and labels, for the preview. */
  readonly interactive?: boolean;
  /** Margin around the drawing. */
  readonly padding?: number;
  /**
   * Only the elements whose boxes meet this box (in the layout's coordinates) are drawn: the preview of a
   * large system draws what is on screen and around it, and draws more as the view moves (issue 11).
   */
  readonly region?: Box;
}

/** Whether two boxes meet. */
export function boxesMeet(a: Box, b: Box): boolean {
  return a.x <= b.x + b.width && b.x <= a.x + a.width && a.y <= b.y + b.height && b.y <= a.y + a.height;
}

/**
 * Whether a polyline passes through a box: a long straight edge across a large drawing has a box that
 * meets most views, though the line itself meets few of them.
 */
export function polylineMeets(points: readonly Point[], b: Box): boolean {
  for (let i = 1; i < points.length; i++) if (segmentMeets(points[i - 1], points[i], b)) return true;
  return points.length === 1 && boxesMeet({ ...points[0], width: 0, height: 0 }, b);
}

/** Whether any part of a segment lies inside a box. */
function segmentMeets(p: Point, q: Point, b: Box): boolean {
  return clipSegment(p, q, b) !== undefined;
}

/**
 * The parts of a polyline inside a box, as path data. A culled drawing draws only these: a dashed edge
 * tens of thousands of pixels long (across a large layered drawing) made each frame of a pan take seconds
 * to paint in software, for dashes nobody could see.
 */
export function clippedPath(points: readonly Point[], b: Box): string {
  const parts: string[] = [];
  let open: Point | undefined;
  for (let i = 1; i < points.length; i++) {
    const c = clipSegment(points[i - 1], points[i], b);
    if (!c) {
      open = undefined;
      continue;
    }
    const [from, to] = c;
    if (!open || open.x !== from.x || open.y !== from.y) parts.push(`M${n(from.x)} ${n(from.y)}`);
    parts.push(`L${n(to.x)} ${n(to.y)}`);
    open = to;
  }
  return parts.join('');
}

/** Liang-Barsky clipping of a segment against a box: the part inside, or undefined. */
function clipSegment(p: Point, q: Point, b: Box): [Point, Point] | undefined {
  let t0 = 0;
  let t1 = 1;
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  const clip = (den: number, num: number): boolean => {
    if (den === 0) return num >= 0;
    const t = num / den;
    if (den < 0) {
      if (t > t1) return false;
      if (t > t0) t0 = t;
    } else {
      if (t < t0) return false;
      if (t < t1) t1 = t;
    }
    return true;
  };
  if (!(clip(-dx, p.x - b.x) && clip(dx, b.x + b.width - p.x) && clip(-dy, p.y - b.y) && clip(dy, b.y + b.height - p.y))) return undefined;
  return [t0 === 0 ? p : { x: p.x + dx * t0, y: p.y + dy * t0 }, t1 === 1 ? q : { x: p.x + dx * t1, y: p.y + dy * t1 }];
}

/** The box around a polyline. */
export function pointsBox(points: readonly Point[]): Box {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const p of points) {
    x0 = Math.min(x0, p.x);
    y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x);
    y1 = Math.max(y1, p.y);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

const n = (x: number) => (Math.round(x * 10) / 10).toString();

export function renderSvg(payload: Pick<GraphPayload, 'name' | 'findings'>, graph: DiagramGraph, layout: DiagramLayout, options: SvgOptions = {}): string {
  const pad = options.padding ?? 20;
  const parts = new SvgParts(payload, graph, layout, options);
  const width = layout.width + 2 * pad;
  const height = layout.height + 2 * pad;
  const out: string[] = [];
  if (options.standalone) out.push('<?xml version="1.0" encoding="UTF-8"?>\n');
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="tl-diagram" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" role="img" aria-label="${escapeXml(`Topology ${payload.name || ''}`.trim())}">`,
  );
  if (options.standalone) {
    out.push(`<title>${escapeXml(payload.name || 'topology')}</title>`);
    const theme = options.theme ? `.tl-diagram { ${Object.keys(THEME_VARS).map((k) => (options.theme![k] ? `${k}: ${sanitizeCssValue(options.theme![k])};` : '')).join(' ')} }` : '';
    out.push(`<style>${DIAGRAM_CSS}${theme}</style>`);
    out.push(`<rect class="tl-bg" x="0" y="0" width="${n(width)}" height="${n(height)}"/>`);
  }
  out.push(`<g class="tl-content" transform="translate(${pad} ${pad})">`);
  out.push('<g class="tl-edges">');
  const region = options.region;
  for (const e of parts.edgesIn(region)) out.push(parts.edge(e, region));
  out.push('</g><g class="tl-nodes">');
  for (const node of parts.nodesIn(region)) out.push(parts.node(node));
  out.push('</g><g class="tl-overlay"></g></g></svg>');
  return out.join('');
}

/**
 * The markup of a drawing's elements one at a time, with what every element needs (the marks from the
 * findings, the index of node boxes that edge labels keep clear of) worked out once. `renderSvg` draws
 * with it; the preview keeps one per layout and asks it for the elements around the view as the view
 * moves, a slice per frame, instead of working all of that out again for every region (issue 11).
 */
export class SvgParts {
  private readonly marks: Map<string, ElementMarks>;
  private readonly findingById: Map<string, GraphFinding>;
  private readonly nodeBoxes: BoxIndex;

  constructor(
    payload: Pick<GraphPayload, 'findings'>,
    private readonly graph: DiagramGraph,
    private readonly layout: DiagramLayout,
    private readonly options: SvgOptions = {},
  ) {
    this.marks = elementMarks(payload);
    this.findingById = new Map(payload.findings.map((f) => [f.id, f]));
    this.nodeBoxes = new BoxIndex(Object.values(layout.nodes));
  }

  /** The edges drawn for a region (all of them without one), in the graph's order. */
  edgesIn(region?: Box): GraphEdge[] {
    const r = region && edgeRegion(region);
    return this.graph.edges.filter((e) => {
      const laid = this.layout.edges[e.id];
      return !!laid && laid.points.length >= 2 && (!r || polylineMeets(laid.points, r));
    });
  }

  /** The nodes drawn for a region (all of them without one), in the graph's order. */
  nodesIn(region?: Box): GraphNode[] {
    return this.graph.nodes.filter((node) => {
      const box = this.layout.nodes[node.id];
      return !!box && (!region || boxesMeet(nodeReach(box), region));
    });
  }

  /** An edge's markup; with a region, its line is clipped to it (see clippedPath). */
  edge(e: GraphEdge, region?: Box): string {
    const laid = this.layout.edges[e.id];
    return edgeSvg(e, laid.points, laid.label, this.marks.get(e.id), this.findingById, this.options, this.nodeBoxes, region && edgeRegion(region));
  }

  node(node: GraphNode): string {
    return nodeSvg(node, this.layout.nodes[node.id], this.marks.get(node.id), this.findingById, this.options);
  }
}

/** Edges are drawn with a margin for their heads and labels, which reach beyond their points. */
export function edgeRegion(region: Box): Box {
  return { x: region.x - 80, y: region.y - 20, width: region.width + 160, height: region.height + 40 };
}

/** A node's marks (the shared tag, the badge) reach a little beyond its box. */
export function nodeReach(box: Box): Box {
  return { x: box.x - 10, y: box.y - 10, width: box.width + 20, height: box.height + 20 };
}

/**
 * The whole drawing as a few paths: the nodes of each kind as one path of boxes and the edges of each
 * kind as one path of lines, with no names or heads. The preview shows this when zoomed so far out that
 * names would be under three pixels high, where thousands of separate elements cost seconds to parse and
 * paint and could not be told apart anyway.
 */
export function renderSimpleSvg(graph: DiagramGraph, layout: DiagramLayout): string {
  const nodes = new Map<string, string[]>();
  const edges = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, k: string, d: string) => (m.get(k) ?? m.set(k, []).get(k)!).push(d);
  for (const e of graph.edges) {
    const laid = layout.edges[e.id];
    if (laid && laid.points.length >= 2) add(edges, e.kind, 'M' + laid.points.map((p) => `${n(p.x)} ${n(p.y)}`).join('L'));
  }
  for (const node of graph.nodes) {
    const b = layout.nodes[node.id];
    if (b) add(nodes, node.kind, `M${n(b.x)} ${n(b.y)}h${n(b.width)}v${n(b.height)}h${n(-b.width)}Z`);
  }
  const out = ['<svg xmlns="http://www.w3.org/2000/svg" class="tl-diagram" role="img" aria-label="Topology overview"><g class="tl-content tl-simple"><g class="tl-edges">'];
  // Kinds are the model's own words (call, publish, service...), never the user's; cssToken keeps it so.
  for (const [k, ds] of edges) out.push(`<path class="tl-simple-edge tl-${cssToken(k)}" d="${ds.join('')}"/>`);
  out.push('</g><g class="tl-nodes">');
  for (const [k, ds] of nodes) out.push(`<path class="tl-simple-node tl-${cssToken(k)}" d="${ds.join('')}"/>`);
  out.push('</g><g class="tl-overlay"></g></g></svg>');
  return out.join('');
}

/** Only colours and plain tokens go into an exported stylesheet: no braces, semicolons or markup. */
function sanitizeCssValue(v: string): string {
  return /^[#(),.%\w\s-]*$/.test(v) ? v : '';
}

function classes(base: string[], m: ElementMarks | undefined): string {
  if (m?.severity) base.push(`tl-sev-${m.severity}`);
  for (const k of m?.marks ?? []) base.push(`tl-${k}`);
  if (m?.accepted && !m.count) base.push('tl-accepted');
  return base.join(' ');
}

function tooltip(label: string, ids: readonly string[], findingById: ReadonlyMap<string, GraphFinding>): string {
  const lines = [label, ...ids.map((id) => findingById.get(id)).filter((f): f is GraphFinding => !!f).map((f) => `${f.accepted ? 'accepted' : f.severity}: ${f.message} [${f.rule}]`)];
  return `<title>${escapeXml(lines.join('\n'))}</title>`;
}

function nodeSvg(node: GraphNode, b: Box, m: ElementMarks | undefined, findingById: ReadonlyMap<string, GraphFinding>, o: SvgOptions): string {
  const cls = classes(['tl-node', `tl-${node.kind}`, `tl-${cssToken(node.variant)}`, ...(node.external ? ['tl-external'] : [])], m);
  const { width: w, height: h } = b;
  // Coordinates are the layout's own, not a translate() on the group: in Chromium every transformed SVG
  // element is a paint property node and a paint chunk of its own, and at 1,000 services the page's
  // hundreds of node groups made each frame that changed the drawing spend 20-35 ms working out its
  // layers (issue 11). x and y give a point of the node's box from its top-left corner.
  const x = (dx: number) => n(b.x + dx);
  const y = (dy: number) => n(b.y + dy);
  const tag = tagOf(node);
  const aria = o.interactive ? ` tabindex="0" role="button" aria-label="${escapeXml(`${node.kind} ${node.label}${m?.count ? `, ${m.count} finding${m.count === 1 ? '' : 's'}` : ''}`)}"` : '';
  const s: string[] = [`<g class="${cls}" data-id="${escapeXml(node.id)}"${aria}>`];
  if (o.standalone) s.push(tooltip(node.label, node.findings, findingById));
  let textTop = 0;
  const textBottom = h;
  if (node.kind === 'datastore') {
    const ry = 7;
    s.push(`<path class="tl-shape" d="M${x(0)} ${y(ry)}A${n(w / 2)} ${ry} 0 0 1 ${x(w)} ${y(ry)}V${y(h - ry)}A${n(w / 2)} ${ry} 0 0 1 ${x(0)} ${y(h - ry)}Z"/>`);
    s.push(`<path class="tl-lid" d="M${x(0)} ${y(ry)}A${n(w / 2)} ${ry} 0 0 0 ${x(w)} ${y(ry)}"/>`);
    textTop = 2 * ry;
  } else if (node.kind === 'event') {
    const tip = Math.min(12, h / 2);
    s.push(`<path class="tl-shape" d="M${x(0)} ${y(0)}H${x(w - tip)}L${x(w)} ${y(h / 2)}L${x(w - tip)} ${y(h)}H${x(0)}L${x(tip * 0.6)} ${y(h / 2)}Z"/>`);
  } else if (node.variant === 'gateway') {
    const c = 10;
    s.push(`<path class="tl-shape" d="M${x(c)} ${y(0)}H${x(w - c)}L${x(w)} ${y(h / 2)}L${x(w - c)} ${y(h)}H${x(c)}L${x(0)} ${y(h / 2)}Z"/>`);
  } else {
    const rx = node.variant === 'bff' ? Math.min(18, h / 2) : 6;
    s.push(`<rect class="tl-shape" x="${x(0)}" y="${y(0)}" width="${n(w)}" height="${n(h)}" rx="${rx}"/>`);
  }
  const mid = (textTop + textBottom) / 2;
  if (tag) {
    s.push(`<text class="tl-tag" x="${x(w / 2)}" y="${y(mid - 8)}">${escapeXml(tag)}</text>`);
    s.push(`<text class="tl-name" x="${x(w / 2)}" y="${y(mid + 7)}">${escapeXml(displayLabel(node.label))}</text>`);
  } else {
    s.push(`<text class="tl-name" x="${x(w / 2)}" y="${y(mid)}">${escapeXml(displayLabel(node.label))}</text>`);
  }
  if (m?.marks.has('shared')) s.push(`<text class="tl-mark tl-mark-shared" x="${x(w / 2)}" y="${y(h + 9)}">shared</text>`);
  if (m?.marks.has('cycle')) s.push(`<text class="tl-mark tl-mark-cycle" x="${x(9)}" y="${y(9)}">↻</text>`);
  if (m?.count) s.push(`<g class="tl-badge"><circle cx="${x(w - 2)}" cy="${y(2)}" r="8"/><text x="${x(w - 2)}" y="${y(2.5)}">${m.count > 99 ? '99+' : m.count}</text></g>`);
  s.push('</g>');
  return s.join('');
}

/** What an observed-but-undeclared edge is, for its tooltip and the legend. */
export const OBSERVED_NOTE = 'Observed in the running system, not declared in the topology';

/** Line width for an edge: chatty calls grow with their count, so the worst stand out. */
export function edgeWidth(e: GraphEdge): number {
  const c = callCount(e);
  return c <= 1 ? 1.4 : Math.min(7, 1.4 + Math.log2(c) * 1.3);
}

function edgeSvg(e: GraphEdge, points: readonly Point[], label: Box | undefined, m: ElementMarks | undefined, findingById: ReadonlyMap<string, GraphFinding>, o: SvgOptions, nodes: BoxIndex, clip?: Box): string {
  const cls = classes(['tl-edge', `tl-${e.kind}`, ...(e.kind === 'uses' ? [e.owner ? 'tl-owner' : 'tl-foreign'] : []), ...(e.observed ? ['tl-observed'] : [])], m);
  // The head is drawn from the whole route; the line only within the region drawn, if one is given.
  const d = clip ? clippedPath(points, clip) : 'M' + points.map((p) => `${n(p.x)} ${n(p.y)}`).join('L');
  const width = edgeWidth(e);
  const s: string[] = [`<g class="${cls}" data-id="${escapeXml(e.id)}">`];
  if (o.standalone) s.push(tooltip(`${e.from.replace(/^\w+:/, '')} → ${e.to.replace(/^\w+:/, '')}${e.label ? ` (${e.label})` : ''}${e.observed ? `\n${OBSERVED_NOTE}` : ''}`, e.findings, findingById));
  s.push(`<path class="tl-hit" d="${d}"/>`);
  s.push(`<path class="tl-line" d="${d}" stroke-width="${n(width)}"/>`);
  s.push(headSvg(e, points, width));
  const text = e.label;
  // An edge label never covers a node: where one would (a label ELK had no room for, or one at the midpoint
  // of a large graph's edge), it is left out; the edge's tooltip and the details panel still say it.
  const at = text ? (label ?? midLabelBox(points, text)) : undefined;
  if (text && at && !nodes.overlaps(at)) {
    const t = escapeXml(text);
    if (label) {
      s.push(`<g class="tl-elabel"><rect x="${n(label.x)}" y="${n(label.y)}" width="${n(label.width)}" height="${n(label.height)}" rx="3"/><text x="${n(label.x + label.width / 2)}" y="${n(label.y + label.height / 2)}">${t}</text></g>`);
    } else {
      // No room was reserved for the label (a large graph): it sits on the middle of the edge and the
      // preview shows it only when zoomed in.
      s.push(`<g class="tl-elabel tl-lod"><rect x="${n(at.x)}" y="${n(at.y)}" width="${n(at.width)}" height="${n(at.height)}" rx="3"/><text x="${n(at.x + at.width / 2)}" y="${n(at.y + at.height / 2)}">${t}</text></g>`);
    }
  }
  s.push('</g>');
  return s.join('');
}

function midLabelBox(points: readonly Point[], text: string): Box {
  const c = edgeMidpoint(points);
  const w = textWidth(text, FONT.edge) + 6;
  return { x: c.x - w / 2, y: c.y - 8, width: w, height: 16 };
}

/** Boxes in a uniform grid, to ask which overlap a small box in about constant time. */
export class BoxIndex {
  private readonly cells = new Map<string, Box[]>();
  private static readonly CELL = 160;

  constructor(boxes: Iterable<Box>) {
    for (const b of boxes) for (const key of this.keys(b)) (this.cells.get(key) ?? this.cells.set(key, []).get(key)!).push(b);
  }

  private *keys(b: Box): Iterable<string> {
    const c = BoxIndex.CELL;
    for (let i = Math.floor(b.x / c); i <= Math.floor((b.x + b.width) / c); i++) for (let j = Math.floor(b.y / c); j <= Math.floor((b.y + b.height) / c); j++) yield `${i},${j}`;
  }

  /** Whether `b` overlaps any box by more than a pixel. */
  overlaps(b: Box): boolean {
    for (const key of this.keys(b)) for (const o of this.cells.get(key) ?? []) if (b.x + 1 < o.x + o.width && o.x + 1 < b.x + b.width && b.y + 1 < o.y + o.height && o.y + 1 < b.y + b.height) return true;
    return false;
  }
}

/** The arrowhead: a triangle for calls and events, a diamond at the store for uses (hollow when foreign). */
function headSvg(e: GraphEdge, points: readonly Point[], width: number): string {
  const a = points[points.length - 2];
  const b = points[points.length - 1];
  const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  const ux = (b.x - a.x) / len;
  const uy = (b.y - a.y) / len;
  const size = 7 + width;
  const half = size * 0.45;
  const p = (along: number, across: number) => `${n(b.x - ux * along - uy * across)} ${n(b.y - uy * along + ux * across)}`;
  if (e.kind === 'uses') return `<path class="tl-head" d="M${p(0, 0)}L${p(size / 2, half)}L${p(size, 0)}L${p(size / 2, -half)}Z"/>`;
  return `<path class="tl-head" d="M${p(0, 0)}L${p(size, half)}L${p(size, -half)}Z"/>`;
}

/** The point halfway along a polyline. */
export function edgeMidpoint(points: readonly Point[]): Point {
  let total = 0;
  for (let i = 1; i < points.length; i++) total += Math.hypot(points[i].x - points[i - 1].x, points[i].y - points[i - 1].y);
  let left = total / 2;
  for (let i = 1; i < points.length; i++) {
    const seg = Math.hypot(points[i].x - points[i - 1].x, points[i].y - points[i - 1].y);
    if (seg >= left && seg > 0) {
      const t = left / seg;
      return { x: points[i - 1].x + (points[i].x - points[i - 1].x) * t, y: points[i - 1].y + (points[i].y - points[i - 1].y) * t };
    }
    left -= seg;
  }
  return points[0] ?? { x: 0, y: 0 };
}

/**
 * Numbered badges on a finding's elements in their order (the hops of a chain): 1, 2, 3... on each edge's
 * middle, or on a node's top-left corner. Drawn into the overlay group, over the content's coordinates.
 */
export function orderBadgesSvg(layout: DiagramLayout, elements: readonly string[]): string {
  const s: string[] = [];
  elements.forEach((id, i) => {
    const edge = layout.edges[id];
    const node = layout.nodes[id];
    const at = edge && edge.points.length >= 2 ? edgeMidpoint(edge.points) : node ? { x: node.x, y: node.y } : undefined;
    if (!at) return;
    s.push(`<g class="tl-order" data-for="${escapeXml(id)}"><circle cx="${n(at.x)}" cy="${n(at.y)}" r="9"/><text x="${n(at.x)}" y="${n(at.y + 0.5)}">${i + 1}</text></g>`);
  });
  return s.join('');
}

/** A variant as a class name: letters, digits and dashes only. */
export function cssToken(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}
