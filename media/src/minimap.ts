/**
 * The overview: a small map of the whole drawing in the canvas's corner, with the part on screen outlined.
 * It shows only when the drawing does not fit on screen (a large system opens at a legible zoom on its
 * entry services); pressing or dragging on it moves the view there. It draws boxes, never names.
 */
import type { DiagramLayout } from '../../shared/diagram/layout';
import type { GraphNode } from '../../shared/protocol';
import type { Viewport } from '../../shared/diagram/messages';
import { SVG_NS } from './dom';

const MAX_W = 180;
const MAX_H = 140;

export class Minimap {
  readonly element: SVGSVGElement;
  private readonly view: SVGRectElement;
  private scale = 1;
  private layout: DiagramLayout | undefined;

  /** `moveTo` centres the main view on a content point. */
  constructor(private readonly moveTo: (cx: number, cy: number) => void) {
    this.element = document.createElementNS(SVG_NS, 'svg');
    this.element.setAttribute('class', 'tl-minimap');
    this.element.setAttribute('role', 'img');
    this.element.setAttribute('aria-label', 'Overview of the whole diagram; press or drag to move the view');
    this.view = document.createElementNS(SVG_NS, 'rect');
    this.view.setAttribute('class', 'tl-minimap-view');
    this.element.style.display = 'none';
    let dragging = -1;
    const go = (e: PointerEvent) => {
      const r = this.element.getBoundingClientRect();
      this.moveTo((e.clientX - r.left) / this.scale, (e.clientY - r.top) / this.scale);
    };
    // Its own pointer handling: a press here is not the start of a pan or a click on the drawing below.
    this.element.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      e.stopPropagation();
      dragging = e.pointerId;
      this.element.setPointerCapture(e.pointerId);
      go(e);
    });
    this.element.addEventListener('pointermove', (e) => {
      if (e.pointerId !== dragging) return;
      e.stopPropagation();
      go(e);
    });
    const end = (e: PointerEvent) => {
      if (e.pointerId === dragging) dragging = -1;
      e.stopPropagation();
    };
    this.element.addEventListener('pointerup', end);
    this.element.addEventListener('pointercancel', end);
    this.element.addEventListener('wheel', (e) => e.stopPropagation());
  }

  /** Redraws the boxes for a new layout. */
  draw(layout: DiagramLayout, kinds: ReadonlyMap<string, GraphNode['kind']>): void {
    this.layout = layout;
    this.scale = Math.min(MAX_W / Math.max(1, layout.width), MAX_H / Math.max(1, layout.height));
    const w = Math.max(1, Math.ceil(layout.width * this.scale));
    const h = Math.max(1, Math.ceil(layout.height * this.scale));
    this.element.setAttribute('width', String(w));
    this.element.setAttribute('height', String(h));
    this.element.setAttribute('viewBox', `0 0 ${w} ${h}`);
    // One path per kind, not a rectangle per element: 3,000 rectangles cost a long task at 1,000 services.
    const paths = new Map<string, string[]>();
    const f = (x: number) => x.toFixed(1);
    for (const [id, b] of Object.entries(layout.nodes)) {
      const kind = kinds.get(id) ?? 'service';
      const d = `M${f(b.x * this.scale)} ${f(b.y * this.scale)}h${f(Math.max(1, b.width * this.scale))}v${f(Math.max(1, b.height * this.scale))}h${f(-Math.max(1, b.width * this.scale))}Z`;
      (paths.get(kind) ?? paths.set(kind, []).get(kind)!).push(d);
    }
    const boxes: SVGElement[] = [];
    for (const [kind, ds] of paths) {
      const p = document.createElementNS(SVG_NS, 'path');
      p.setAttribute('class', `tl-minimap-box tl-minimap-${kind}`);
      p.setAttribute('d', ds.join(''));
      boxes.push(p);
    }
    this.element.replaceChildren(...boxes, this.view);
  }

  /** Outlines the part of the drawing on screen; hides the map when all of it is. */
  update(v: Viewport, width: number, height: number): void {
    const l = this.layout;
    if (!l) return;
    const x0 = -v.x / v.k;
    const y0 = -v.y / v.k;
    const x1 = (width - v.x) / v.k;
    const y1 = (height - v.y) / v.k;
    const all = x0 <= 0.5 && y0 <= 0.5 && x1 >= l.width - 0.5 && y1 >= l.height - 0.5;
    this.element.style.display = all ? 'none' : '';
    const s = this.scale;
    this.view.setAttribute('x', (x0 * s).toFixed(1));
    this.view.setAttribute('y', (y0 * s).toFixed(1));
    this.view.setAttribute('width', ((x1 - x0) * s).toFixed(1));
    this.view.setAttribute('height', ((y1 - y0) * s).toFixed(1));
  }

  clear(): void {
    this.layout = undefined;
    this.element.replaceChildren();
    this.element.style.display = 'none';
  }
}
