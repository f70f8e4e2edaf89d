/**
 * The canvas: where the drawing sits, and how the user moves over it. It mounts the SVG, keeps the
 * viewport (pan and zoom), turns pointer, wheel and key input into viewport changes, and shows the
 * tooltip. What a click or a key means for the diagram (select, focus, reveal the source) is the
 * preview's, through `CanvasActions`.
 */
import type { Box, DiagramLayout, Point } from '../../shared/diagram/layout';
import type { Viewport } from '../../shared/diagram/messages';
import { OBSERVED_NOTE } from '../../shared/diagram/svg';
import type { GraphNode } from '../../shared/protocol';
import { SVG_NS, el, idAt } from './dom';
import { Minimap } from './minimap';
import { centreOn, fitBox, initialView, isVisible, unionBox, zoomAbout } from './viewport';
import { boxesMeet, edgeRegion, pointsBox, polylineMeets, type SvgParts } from '../../shared/diagram/svg';

/** Below this zoom, edge labels without reserved room and kind tags are hidden. */
const FAR_ZOOM = 0.45;
/** How long a pan or zoom rests before the drawing is repainted at its new zoom. */
const COMMIT_MS = 150;
/**
 * ...and how many frames the page must have shown since the last input: a rest is a stretch in which the
 * page drew and no input came, not a frame the browser was slow to show. Timed by the clock alone, a frame
 * that waited a second for raster after the drawing's last slice let the commit (a redraw around the new
 * view, and more slices) in between the steps of a pan, whose frames then waited for that in turn: frame
 * p95 of 450-1,470 ms while panning just after a large drawing was finished (issue 11).
 */
const COMMIT_FRAMES = 3;
/** A live change is committed after this long without input, however few frames were shown (a hidden page shows none). */
const COMMIT_MAX_MS = 2000;
/**
 * A culled drawing (see Drawing) draws at most this many elements at once; a view that would hold more is
 * drawn as the overview (Drawing.simple). Parsing and painting ~8,000 elements of a 1,000-service system
 * took over a second in one main-thread task; this many take a small part of the 200 ms a task may take.
 */
export const MAX_DRAWN = 2000;
/**
 * A culled drawing is put on the page a slice at a time, one slice per frame: the elements on screen first,
 * then the rest of the region. Each slice's markup is built and parsed in a task of its own, and the
 * browser styles and lays out only what it added in the frame after. A slice stops at this many elements
 * or after SLICE_MS of building markup, whichever comes first. The 1,612 elements around the first view of
 * a 1,000-service system, put on the page at once, made one task of about 300 ms of script and one of
 * 350 ms of style, layout and paint; the ~900 of them on screen, as one slice, a task of 160 ms of script
 * and one of 110 ms of layout (Chromium's trace, shared machine).
 *
 * Every slice goes on the page transparent (`.tl-pending`): the slices on screen are shown together once
 * the last of them is in, the rest together with the last slice of all. Each change to what the drawing's
 * layer shows makes the browser raster the tiles it covers again, so two showings cost two rasters, not one
 * a slice. Transparent, not hidden: showing a hidden (visibility) slice made Chromium lay every SVG element
 * out again, 250-380 ms in one task at 1,000 services, where an opacity change is repainted without layout.
 */
const SLICE_ELEMENTS = 150;
const SLICE_MS = 16;

/** An empty drawing, which a culled drawing's slices are added to. */
const EMPTY_SVG = '<svg xmlns="http://www.w3.org/2000/svg" class="tl-diagram"><g class="tl-content"><g class="tl-edges"></g><g class="tl-nodes"></g><g class="tl-overlay"></g></g></svg>';

/**
 * A drawing too large to put on the page whole: the canvas asks for the part around the view, and for more
 * as the view moves (issue 11). `parts` gives the elements meeting a region of the layout and their markup;
 * `simple` draws everything as a few paths, for views too far out for any name to be read.
 */
export interface Drawing {
  parts: SvgParts;
  simple(): string;
}

/** An element of a culled drawing on the page; `clipped` if its line was cut at the region it was drawn for. */
interface Drawn {
  element: Element;
  clipped: boolean;
}

export interface CanvasActions {
  /** A click that was not a drag, on an element (its id) or on empty space (undefined). */
  click(id: string | undefined): void;
  dblclick(id: string): void;
  /** Keyboard focus moved to an element of the drawing. */
  focusIn(id: string): void;
  /** Keys the preview handles itself (Enter, F, Escape); true if it did. */
  key(e: KeyboardEvent, id: string | undefined): boolean;
  /** The tooltip's lines for an element (the first is its title), or undefined for none. */
  describe(id: string): string[] | undefined;
  /** The viewport was committed: the preview saves its state. */
  changed(): void;
  /** The selected element, which the zoom buttons and keys keep in view. */
  selection(): string | undefined;
  /** A culled drawing put new elements on the page: their state classes need setting again. */
  redrawn(): void;
}

export class Canvas {
  readonly element: HTMLDivElement;
  viewport: Viewport | undefined;
  /**
   * True while the view is the fitted one: a resize fits again. The user's first zoom or pan ends it; Fit
   * starts it again.
   */
  auto = true;
  layout: DiagramLayout | undefined;
  /** The entry services' box, where a drawing too large to show legibly at once starts. */
  private start: Box | undefined;
  /** The entries and the elements next to them: the first view is centred on these. */
  private around: Box | undefined;
  private readonly minimap: Minimap;
  svg: SVGSVGElement | undefined;
  /** Elements of the drawing by data-id. */
  readonly elements = new Map<string, Element>();
  private viewportGroup: SVGGElement | undefined;
  /** The viewport the drawing itself is transformed by; live changes are a layer transform on top. */
  private committed: Viewport | undefined;
  private commitTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the last live change came, and how many frames were shown since (see COMMIT_FRAMES). */
  private liveAt = 0;
  private liveFrames = 0;
  private frameCounter: number | undefined;
  private readonly tooltip: HTMLDivElement;
  /** A culled drawing, with every element's box to count what a region holds; undefined when drawn whole. */
  private drawing:
    | {
        source: Drawing;
        boxes: Box[];
        lines: (readonly Point[])[];
        drawn: Box | 'simple' | undefined;
        /** The elements on the page, by id, with whether their line was clipped. */
        present: Map<string, Drawn>;
        /** What is still to be added for the region drawn, the elements on screen first. */
        queue: { id: string; markup: () => string; clipped: boolean; edge: boolean }[];
        /** How many of the queue's first elements meet the screen. */
        onScreen: number;
        /** Whether the slices on screen have been shown since the region was last filled. */
        shown: boolean;
      }
    | undefined;
  /** The pending slice, if the drawing is still being put on the page. */
  private sliceTimer: ReturnType<typeof setTimeout> | undefined;
  private sliceFrame: number | undefined;
  /** Called once the part of the drawing on screen is on the page (see whenDrawn). */
  private drawnWaiters: (() => void)[] = [];
  /**
   * The layer the drawing sits on: a live pan or zoom moves and scales this box as a composited layer, so a
   * frame costs neither style, layout nor paint of the drawing. Moving the SVG element itself made Chromium
   * lay the whole drawing out again on every frame, and the canvas's size or position read in the next input
   * handler waited for that layout: frames of 50-80 ms at 1,000 services.
   */
  private readonly layer: HTMLDivElement;
  /** The canvas's size and page position, read when it is resized rather than on every input. */
  private size: { width: number; height: number; left: number; top: number } | undefined;
  /** The key to the dashed observed-but-undeclared edges, shown only while the drawing has one. */
  private readonly legend: HTMLDivElement;

  constructor(private readonly actions: CanvasActions) {
    this.element = el('div', { class: 'tl-canvas', tabindex: '0', role: 'application', 'aria-label': 'Topology diagram. Tab moves between elements, Enter shows the source, arrow keys pan, plus and minus zoom, 0 fits.' });
    this.tooltip = el('div', { class: 'tl-tooltip', role: 'tooltip', hidden: '' });
    this.minimap = new Minimap((cx, cy) => {
      if (!this.viewport) return;
      this.auto = false;
      this.viewport = centreOn(this.viewport, cx, cy, this.width, this.height);
      this.applyViewport(true);
    });
    this.legend = observedLegend();
    this.layer = el('div', { class: 'tl-layer' });
    this.element.append(this.layer, this.tooltip, this.minimap.element, this.legend);
    this.wire();
    const measure = () => {
      const r = this.element.getBoundingClientRect();
      this.size = { width: this.element.clientWidth, height: this.element.clientHeight, left: r.left, top: r.top };
    };
    window.addEventListener('resize', measure);
    new ResizeObserver(() => {
      measure();
      // Closing a panel or resizing the editor group fits again, until the user has moved the view.
      if (this.auto && this.layout && this.width && this.height) this.viewport = this.fitViewport();
      this.applyViewport();
    }).observe(this.element);
  }

  /** True while a pan or zoom is live (not yet committed): work that would land on its frames waits. */
  get live(): boolean {
    return this.commitTimer !== undefined;
  }

  get width(): number {
    return this.size?.width ?? this.element.clientWidth;
  }

  get height(): number {
    return this.size?.height ?? this.element.clientHeight;
  }

  /** The canvas's top-left corner on the page. */
  private origin(): { left: number; top: number } {
    if (this.size) return this.size;
    const r = this.element.getBoundingClientRect();
    return { left: r.left, top: r.top };
  }

  /**
   * Resolves once every element on screen is on the page: at once for a drawing put there whole. The rest
   * of a culled drawing's region (beyond the screen's edges) may still be arriving in slices then; the
   * canvas's `data-drawing` attribute says so until the last one.
   */
  whenDrawn(): Promise<void> {
    if (!this.drawing?.onScreen) return Promise.resolve();
    return new Promise((resolve) => this.drawnWaiters.push(resolve));
  }

  /**
   * Shows a new drawing: markup drawn whole, or a Drawing, which is drawn around the view when the viewport
   * is next applied (the preview sets the viewport after mounting, from the new layout).
   */
  mount(drawing: string | Drawing, layout: DiagramLayout, start: { entries?: Box; around?: Box }, kinds: ReadonlyMap<string, GraphNode['kind']>): void {
    this.stopSlices();
    if (typeof drawing === 'string') {
      this.drawing = undefined;
      delete this.element.dataset.drawn;
      this.paint(drawing);
    } else {
      this.drawing = { source: drawing, boxes: Object.values(layout.nodes), lines: Object.values(layout.edges).map((e) => e.points), drawn: undefined, present: new Map(), queue: [], onScreen: 0, shown: true };
      // An empty drawing until the viewport is known: drawing the whole would be the cost this avoids.
      this.paint(EMPTY_SVG);
    }
    this.finishIfDrawn();
    this.layout = layout;
    this.start = start.entries;
    this.around = start.around;
    this.minimap.draw(layout, kinds);
  }

  /** Parses a drawing as XML (a name that slipped through escaping would break the parse, not run) and puts it on the page. */
  private paint(svgText: string): void {
    const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
    const parsed = doc.documentElement;
    if (parsed.nodeName !== 'svg' || doc.getElementsByTagName('parsererror').length) throw new Error('the drawing did not parse');
    // Adopted, not cloned: a deep copy of a large drawing doubled the time to show it.
    const svg = document.adoptNode(parsed) as unknown as SVGSVGElement;
    svg.removeAttribute('width');
    svg.removeAttribute('height');
    svg.removeAttribute('viewBox');
    // A large system's drawing has its own level of detail (see INTERACTIVE_CSS).
    svg.setAttribute('class', this.drawing ? 'tl-diagram tl-interactive tl-large' : 'tl-diagram tl-interactive');
    const content = svg.querySelector('.tl-content')!;
    const g = document.createElementNS(SVG_NS, 'g');
    g.setAttribute('class', 'tl-viewport');
    svg.insertBefore(g, content);
    g.append(content);
    // Keyboard focus stays on its element when a culled drawing is drawn again around a new view.
    const focused = this.svg?.contains(document.activeElement) ? document.activeElement?.getAttribute('data-id') : undefined;
    this.svg?.remove();
    this.layer.append(svg);
    this.svg = svg;
    this.viewportGroup = g;
    this.elements.clear();
    this.drawing?.present.clear();
    for (const e of svg.querySelectorAll('[data-id]')) this.elements.set(e.getAttribute('data-id')!, e);
    // The key to observed edges shows while one is on the page (drawn whole, or in the region drawn).
    this.legend.hidden = !svg.querySelector('.tl-edge.tl-observed');
    if (focused) (this.elements.get(focused) as SVGElement | undefined)?.focus({ preventScroll: true });
  }

  /**
   * Draws a culled drawing for a committed viewport: the region the page's drawing box covers (half a
   * screen beyond each side), unless what is drawn already covers the screen and is not far larger than
   * needed. Elements already on the page for the old region stay; those outside the new one go, and the
   * new ones are added in slices (see SLICE_ELEMENTS), the ones on screen first. True if it drew.
   */
  private drawAround(v: Viewport, w: number, h: number): boolean {
    const d = this.drawing;
    if (!d) return false;
    const screen = { x: -v.x / v.k, y: -v.y / v.k, width: w / v.k, height: h / v.k };
    // Half a screen beyond each side: a pan of that much shows drawn parts while it moves. Three quarters
    // put 1,724 elements on the page at 1,000 services, most of them long edges passing through.
    const around = (f: number) => ({ x: screen.x - f * screen.width, y: screen.y - f * screen.height, width: (1 + 2 * f) * screen.width, height: (1 + 2 * f) * screen.height });
    const region = around(0.5);
    let count = 0;
    for (const b of d.boxes) if (boxesMeet(b, region)) count++;
    for (const l of d.lines) if (polylineMeets(l, region)) count++;
    if (count > MAX_DRAWN) {
      if (d.drawn === 'simple') return false;
      this.stopSlices();
      d.drawn = 'simple';
      d.queue = [];
      d.onScreen = 0;
      this.paint(d.source.simple());
      this.element.dataset.drawn = 'simple';
      this.finishIfDrawn();
      return true;
    }
    const drawn = d.drawn;
    const inside = (a: Box, b: Box) => a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;
    // Drawn again once less than a fifth of a screen of drawing is left beyond an edge, so that the next
    // live pan still moves over drawn parts; and when zooming in has left far more drawn than is needed.
    const near = around(0.2);
    if (drawn && drawn !== 'simple' && inside(near, drawn) && drawn.width * drawn.height <= 4 * region.width * region.height) return false;
    if (drawn === 'simple') this.paint(EMPTY_SVG);
    d.drawn = region;
    this.fill(region, screen);
    this.element.dataset.drawn = `${region.x.toFixed(1)} ${region.y.toFixed(1)} ${region.width.toFixed(1)} ${region.height.toFixed(1)}`;
    return true;
  }

  /**
   * Makes the page hold the elements of a region: removes those outside it, keeps those inside, and queues
   * the missing ones, the ones meeting `screen` first. An edge whose line was clipped to the old region, or
   * is clipped to the new one, is drawn again, so that every line on the page is cut at its own region.
   */
  private fill(region: Box, screen: Box): void {
    const d = this.drawing!;
    const parts = d.source.parts;
    const layout = this.layout!;
    const reach = edgeRegion(region);
    const inside = (a: Box, b: Box) => a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;
    const wanted = new Map<string, { id: string; markup: () => string; clipped: boolean; edge: boolean }>();
    for (const e of parts.edgesIn(region)) wanted.set(e.id, { id: e.id, markup: () => parts.edge(e, region), clipped: !inside(pointsBox(layout.edges[e.id].points), reach), edge: true });
    for (const node of parts.nodesIn(region)) wanted.set(node.id, { id: node.id, markup: () => parts.node(node), clipped: false, edge: false });
    for (const [id, x] of d.present) {
      const w = wanted.get(id);
      if (w && !w.clipped && !x.clipped) {
        wanted.delete(id);
        continue;
      }
      x.element.remove();
      d.present.delete(id);
      this.elements.delete(id);
    }
    const onScreen = (id: string) => {
      const b = layout.nodes[id];
      return b ? boxesMeet(b, screen) : polylineMeets(layout.edges[id].points, screen);
    };
    const first: typeof d.queue = [];
    const later: typeof d.queue = [];
    for (const w of wanted.values()) (onScreen(w.id) ? first : later).push(w);
    d.queue = [...first, ...later];
    d.onScreen = first.length;
    d.shown = !first.length;
    // Nothing new on screen: what is there (kept from the last region, maybe still transparent) shows now.
    if (d.shown) this.showPending();
    this.stopSlices();
    if (d.queue.length) {
      this.element.dataset.drawing = 'pending';
      // The first slice runs in a task of its own, after the one that committed the view.
      this.sliceTimer = setTimeout(() => this.slice(), 0);
    } else this.finishIfDrawn();
  }

  /** Puts the next slice of the queue on the page, and schedules the one after for the next frame. */
  private slice(): void {
    this.sliceTimer = undefined;
    const d = this.drawing;
    const svg = this.svg;
    if (!d || !svg || !d.queue.length) return this.finishIfDrawn();
    // No slice while a pan or zoom is live: adding to the drawing makes the browser lay it out, and laid out
    // under a new layer scale, every name in it is laid out again (Chromium sizes SVG text for the scale
    // it is shown at): frames of a second during a zoom. The commit resumes the slices (applyViewport).
    if (this.commitTimer !== undefined) return;
    const t0 = performance.now();
    const edges: string[] = [];
    const nodes: string[] = [];
    const taken = new Map<string, boolean>();
    // A slice holds elements on screen or elements beyond it, never both, so that the part on screen can be
    // shown as soon as it is in (see finishIfDrawn).
    const end = d.onScreen > 0 ? d.onScreen : d.queue.length;
    let i = 0;
    for (; i < end && taken.size < SLICE_ELEMENTS; i++) {
      const q = d.queue[i];
      (q.edge ? edges : nodes).push(q.markup());
      taken.set(q.id, q.clipped);
      if (taken.size % 25 === 0 && performance.now() - t0 > SLICE_MS) {
        i++;
        break;
      }
    }
    d.queue = d.queue.slice(i);
    d.onScreen = Math.max(0, d.onScreen - i);
    // Parsed as XML, like a whole drawing: a name that slipped through escaping breaks the parse, not the page.
    const doc = new DOMParser().parseFromString(`<svg xmlns="${SVG_NS}"><g>${edges.join('')}</g><g>${nodes.join('')}</g></svg>`, 'image/svg+xml');
    if (doc.documentElement.nodeName !== 'svg' || doc.getElementsByTagName('parsererror').length) throw new Error('the drawing did not parse');
    const parsed = document.adoptNode(doc.documentElement);
    const [eg, ng] = [...parsed.children];

    let observed = false;
    for (const [group, target] of [
      [eg, svg.querySelector('.tl-edges')!],
      [ng, svg.querySelector('.tl-nodes')!],
    ] as const) {
      if (!group.childElementCount) continue;
      for (const child of group.children) {
        const id = child.getAttribute('data-id')!;
        this.elements.set(id, child);
        d.present.set(id, { element: child, clipped: taken.get(id) ?? true });
        if (child.classList.contains('tl-observed')) observed = true;
      }
      // The parsed group itself goes on the page, transparent until it is shown (see SLICE_ELEMENTS): styled
      // and laid out in this slice's frame, painted visibly only once its part of the drawing is complete.
      group.setAttribute('class', 'tl-pending');
      target.append(group);
    }
    if (observed) this.legend.hidden = false;
    this.actions.redrawn();
    this.finishIfDrawn();
    if (d.queue.length) {
      // The next slice waits for a frame, so that this one is laid out and painted on its own.
      this.sliceFrame = requestAnimationFrame(() => {
        this.sliceFrame = undefined;
        this.sliceTimer = setTimeout(() => this.slice(), 0);
      });
    }
  }

  private stopSlices(): void {
    clearTimeout(this.sliceTimer);
    if (this.sliceFrame !== undefined) cancelAnimationFrame(this.sliceFrame);
    this.sliceTimer = undefined;
    this.sliceFrame = undefined;
  }

  /**
   * Tells whoever waits for it once the part on screen is on the page; marks the drawing as wholly on the
   * page once it is.
   */
  private finishIfDrawn(): void {
    const d = this.drawing;
    if (d?.onScreen) return;
    // The part on screen is complete: its slices (and any left from an earlier region) are shown at once.
    if (d && !d.shown) {
      d.shown = true;
      this.showPending();
    }
    if (!d?.queue.length) {
      delete this.element.dataset.drawing;
      this.showPending();
      if (d && d.drawn !== 'simple') this.legend.hidden = !this.svg?.querySelector('.tl-edge.tl-observed');
    }
    const waiters = this.drawnWaiters;
    this.drawnWaiters = [];
    for (const w of waiters) w();
  }

  /** Shows every slice on the page that is still transparent; removes those left empty. */
  private showPending(): void {
    for (const g of this.svg?.querySelectorAll('.tl-pending') ?? []) {
      if (g.childElementCount) g.removeAttribute('class');
      else g.remove();
    }
  }

  clear(): void {
    this.stopSlices();
    this.stopCounting();
    this.svg?.remove();
    this.svg = undefined;
    this.drawing = undefined;
    this.layout = undefined;
    this.elements.clear();
    this.minimap.clear();
    this.finishIfDrawn();
  }

  /** The whole drawing if it fits legibly, else a legible zoom at the entry services (see initialView). */
  fitViewport(): Viewport {
    return initialView(this.layout!, this.start, this.around, this.width || 800, this.height || 600);
  }

  fit(): void {
    if (!this.layout) return;
    this.auto = true;
    this.viewport = this.fitViewport();
    this.applyViewport();
    this.actions.changed();
  }

  /**
   * Zooms about the selected element when it is on screen, so that it stays where it is; else about the
   * middle of the canvas.
   */
  zoomBy(f: number): void {
    if (!this.viewport) return;
    this.auto = false;
    const v = this.viewport;
    const id = this.actions.selection();
    const b = id ? this.boxOf(id) : undefined;
    const cx = b ? (b.x + b.width / 2) * v.k + v.x : -1;
    const cy = b ? (b.y + b.height / 2) * v.k + v.y : -1;
    const onScreen = cx >= 0 && cy >= 0 && cx <= this.width && cy <= this.height;
    this.viewport = onScreen ? zoomAbout(v, f, cx, cy) : zoomAbout(v, f, this.width / 2, this.height / 2);
    this.applyViewport(true);
  }

  private pan(dx: number, dy: number): void {
    this.auto = false;
    this.viewport = { ...this.viewport!, x: this.viewport!.x + dx, y: this.viewport!.y + dy };
    this.applyViewport(true);
  }

  /**
   * Shows the viewport. A live change (dragging, the wheel, keys) only moves and scales the drawing's
   * composited layer, which costs no repaint; the drawing itself is transformed (and repainted sharp at the
   * new zoom) once the change has rested for COMMIT_MS. Without this, each frame of a pan repainted every
   * element: a third of a second per frame for 200 services in software rendering.
   */
  applyViewport(live = false): void {
    const v = this.viewport;
    if (!v || !this.viewportGroup || !this.svg) return;
    const layer = this.layer.style;
    this.element.dataset.viewport = `${v.x.toFixed(2)} ${v.y.toFixed(2)} ${v.k.toFixed(4)}`;
    // The overview's outline follows every frame of a pan: measured at 1,000 services it costs two small
    // repaints, about 1.3 ms of a frame's main thread (the browser updates the page's layers in every frame
    // of a pan anyway, for the drawing layer's new transform).
    this.minimap.update(v, this.width, this.height);
    clearTimeout(this.commitTimer);
    const c = this.committed;
    this.commitTimer = undefined;
    if (live && c) {
      const s = v.k / c.k;
      layer.transform = `translate(${(v.x - s * c.x).toFixed(2)}px, ${(v.y - s * c.y).toFixed(2)}px) scale(${s.toFixed(5)})`;
      this.liveAt = performance.now();
      this.liveFrames = 0;
      if (this.frameCounter === undefined) {
        const count = () => {
          this.liveFrames++;
          this.frameCounter = requestAnimationFrame(count);
        };
        this.frameCounter = requestAnimationFrame(count);
      }
      this.commitTimer = setTimeout(() => this.settle(), COMMIT_MS);
      return;
    }
    this.stopCounting();
    const w = this.width;
    const h = this.height;
    const redrawn = this.drawAround(v, w, h);
    // Slices a live change held back go on (drawAround has started new ones if it drew).
    if (!redrawn && this.drawing?.queue.length && this.sliceTimer === undefined && this.sliceFrame === undefined) this.sliceTimer = setTimeout(() => this.slice(), 0);
    if (!this.svg || !this.viewportGroup) return;
    // The drawing's box reaches one canvas beyond each side, so a pan shows what is already painted there.
    Object.assign(layer, { left: `${-w}px`, top: `${-h}px`, width: `${3 * w}px`, height: `${3 * h}px`, transformOrigin: `${w}px ${h}px`, transform: '' });
    this.viewportGroup.setAttribute('transform', `translate(${(v.x + w).toFixed(2)} ${(v.y + h).toFixed(2)}) scale(${v.k.toFixed(4)})`);
    this.svg.classList.toggle('tl-far', v.k < FAR_ZOOM);
    this.committed = v;
    if (redrawn) this.actions.redrawn();
    this.actions.changed();
  }

  /** Commits a live change once it has rested (COMMIT_MS and COMMIT_FRAMES), else looks again shortly. */
  private settle(): void {
    if (this.liveFrames < COMMIT_FRAMES && performance.now() - this.liveAt < COMMIT_MAX_MS) {
      this.commitTimer = setTimeout(() => this.settle(), 50);
      return;
    }
    this.applyViewport(false);
  }

  private stopCounting(): void {
    if (this.frameCounter !== undefined) cancelAnimationFrame(this.frameCounter);
    this.frameCounter = undefined;
  }

  /** The content box of a node, or of an edge's route. */
  boxOf(id: string): Box | undefined {
    const l = this.layout;
    if (!l) return undefined;
    if (l.nodes[id]) return l.nodes[id];
    const e = l.edges[id];
    if (!e) return undefined;
    return unionBox(e.points.map((p) => ({ x: p.x, y: p.y, width: 0, height: 0 })));
  }

  /** Brings an element into view if it is off screen (keeping the zoom), or always with `force`. */
  reveal(id: string, force: boolean): void {
    const b = this.boxOf(id);
    if (!b || !this.viewport) return;
    if (!force && isVisible(this.viewport, b, this.width, this.height)) return;
    this.auto = false;
    this.viewport = centreOn(this.viewport, b.x + b.width / 2, b.y + b.height / 2, this.width, this.height);
    this.applyViewport();
    this.actions.changed();
  }

  /** Brings a group of elements into view, zooming out only as far as needed (not below 0.6 or the zoom now). */
  revealAll(ids: readonly string[]): void {
    if (!this.viewport) return;
    const box = unionBox(ids.map((e) => this.boxOf(e)).filter((b): b is Box => !!b));
    if (box && !isVisible(this.viewport, box, this.width, this.height)) {
      this.auto = false;
      const fitted = fitBox(box, this.width, this.height, 60, Math.max(this.viewport.k, 0.6));
      this.viewport = fitted.k < this.viewport.k ? fitted : centreOn(this.viewport, box.x + box.width / 2, box.y + box.height / 2, this.width, this.height);
      this.applyViewport();
      this.actions.changed();
    }
  }

  private wire(): void {
    const canvas = this.element;
    let drag: { x: number; y: number; v: Viewport; moved: boolean; id: number } | undefined;
    canvas.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || !this.viewport) return;
      drag = { x: e.clientX, y: e.clientY, v: this.viewport, moved: false, id: e.pointerId };
    });
    canvas.addEventListener('pointermove', (e) => {
      if (drag && drag.id === e.pointerId) {
        const dx = e.clientX - drag.x;
        const dy = e.clientY - drag.y;
        if (!drag.moved && Math.hypot(dx, dy) > 4) {
          drag.moved = true;
          canvas.setPointerCapture(e.pointerId);
          canvas.classList.add('tl-panning');
        }
        if (drag.moved) {
          this.auto = false;
          this.viewport = { ...drag.v, x: drag.v.x + dx, y: drag.v.y + dy };
          this.applyViewport(true);
        }
        return;
      }
      this.hover(e);
    });
    const end = (e: PointerEvent) => {
      if (!drag || drag.id !== e.pointerId) return;
      const wasDrag = drag.moved;
      drag = undefined;
      canvas.classList.remove('tl-panning');
      if (!wasDrag) this.actions.click(idAt(e.target));
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', () => {
      drag = undefined;
      canvas.classList.remove('tl-panning');
    });
    canvas.addEventListener('pointerleave', () => this.hideTooltip());
    canvas.addEventListener(
      'wheel',
      (e) => {
        if (!this.viewport) return;
        e.preventDefault();
        const r = this.origin();
        // Pinch gestures and ctrl+wheel zoom faster than a plain wheel.
        const f = Math.exp(-e.deltaY * (e.ctrlKey ? 0.01 : 0.0015));
        this.auto = false;
        this.viewport = zoomAbout(this.viewport, f, e.clientX - r.left, e.clientY - r.top);
        this.applyViewport(true);
      },
      { passive: false },
    );
    canvas.addEventListener('dblclick', (e) => {
      const id = idAt(e.target);
      if (id) this.actions.dblclick(id);
    });
    canvas.addEventListener('focusin', (e) => {
      const id = idAt(e.target);
      if (id) this.actions.focusIn(id);
    });
    canvas.addEventListener('keydown', (e) => this.key(e));
  }

  private key(e: KeyboardEvent): void {
    if (!this.viewport) return;
    if (this.actions.key(e, idAt(e.target))) return;
    const step = 60;
    switch (e.key) {
      case '+':
      case '=':
        this.zoomBy(1.25);
        break;
      case '-':
      case '_':
        this.zoomBy(0.8);
        break;
      case '0':
        this.fit();
        break;
      case 'ArrowLeft':
        this.pan(step, 0);
        break;
      case 'ArrowRight':
        this.pan(-step, 0);
        break;
      case 'ArrowUp':
        this.pan(0, step);
        break;
      case 'ArrowDown':
        this.pan(0, -step);
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  private hover(e: PointerEvent): void {
    const id = idAt(e.target);
    const lines = id ? this.actions.describe(id) : undefined;
    if (!lines) return this.hideTooltip();
    this.tooltip.replaceChildren(...lines.map((l, i) => el(i ? 'div' : 'strong', {}, l)));
    this.tooltip.hidden = false;
    const r = this.origin();
    const left = Math.min(e.clientX - r.left + 14, this.width - this.tooltip.offsetWidth - 4);
    const top = Math.min(e.clientY - r.top + 14, this.height - this.tooltip.offsetHeight - 4);
    this.tooltip.style.transform = `translate(${Math.max(0, left)}px, ${Math.max(0, top)}px)`;
  }

  hideTooltip(): void {
    this.tooltip.hidden = true;
  }
}

/**
 * The legend entry for observed edges: a sample of the dashed line. Its own classes, not the drawing's
 * (`.tl-edge`), so that nothing counting or styling the drawing's edges finds it.
 */
function observedLegend(): HTMLDivElement {
  const legend = el('div', { class: 'tl-legend', hidden: '' });
  const sample = document.createElementNS(SVG_NS, 'svg');
  sample.setAttribute('width', '28');
  sample.setAttribute('height', '10');
  sample.setAttribute('aria-hidden', 'true');
  const line = document.createElementNS(SVG_NS, 'path');
  line.setAttribute('class', 'tl-legend-observed');
  line.setAttribute('d', 'M1 5H27');
  sample.append(line);
  legend.append(sample, el('span', {}, OBSERVED_NOTE.replace(/^Observed/, 'observed')));
  return legend;
}
