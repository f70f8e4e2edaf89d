/**
 * Pan and zoom as plain arithmetic over a Viewport (screen = content * k + (x, y)), so that keeping a
 * node in place across a re-layout, fitting and zooming about a point are each one small function.
 */
import { FONT, type Box } from '../../shared/diagram/layout';
import type { Viewport } from '../../shared/diagram/messages';

export const MIN_ZOOM = 0.02;
export const MAX_ZOOM = 4;

export const clampZoom = (k: number) => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, k));

/** The viewport that shows `box` whole and centred in a `width` × `height` area, never above `maxZoom`. */
export function fitBox(box: Box, width: number, height: number, margin = 24, maxZoom = 1.25): Viewport {
  const k = clampZoom(Math.min(maxZoom, (width - 2 * margin) / Math.max(1, box.width), (height - 2 * margin) / Math.max(1, box.height)));
  return { k, x: (width - box.width * k) / 2 - box.x * k, y: (height - box.height * k) / 2 - box.y * k };
}

/** Zooms by `factor` keeping the content point under (px, py) where it is. */
export function zoomAbout(v: Viewport, factor: number, px: number, py: number): Viewport {
  const k = clampZoom(v.k * factor);
  const f = k / v.k;
  return { k, x: px - (px - v.x) * f, y: py - (py - v.y) * f };
}

/** Moves the viewport so that content point (cx, cy), which was at screen (sx, sy), is there again. */
export function keepAt(v: Viewport, cx: number, cy: number, sx: number, sy: number): Viewport {
  return { k: v.k, x: sx - cx * v.k, y: sy - cy * v.k };
}

/** Centres content point (cx, cy) in a `width` × `height` area at the current zoom. */
export function centreOn(v: Viewport, cx: number, cy: number, width: number, height: number): Viewport {
  return keepAt(v, cx, cy, width / 2, height / 2);
}

/** Whether a content box is wholly on screen. */
export function isVisible(v: Viewport, b: Box, width: number, height: number): boolean {
  const x = b.x * v.k + v.x;
  const y = b.y * v.k + v.y;
  return x >= 0 && y >= 0 && x + b.width * v.k <= width && y + b.height * v.k <= height;
}

/** The union of boxes. */
export function unionBox(boxes: readonly Box[]): Box | undefined {
  if (!boxes.length) return undefined;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const b of boxes) {
    x0 = Math.min(x0, b.x);
    y0 = Math.min(y0, b.y);
    x1 = Math.max(x1, b.x + b.width);
    y1 = Math.max(y1, b.y + b.height);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** The smallest zoom at which node names (FONT.node px) are at least 11 px on screen. */
export const LEGIBLE_ZOOM = 11 / FONT.node;
/** Fitting never zooms a small drawing in beyond this. */
export const MAX_FIT_ZOOM = 1.25;

/**
 * The view a drawing opens with, and what Fit goes back to: the whole drawing, centred, if it fits at a
 * legible zoom. Otherwise the legible zoom, centred on `around` (the entry services and what they call) but
 * keeping `start` (the entries themselves) on screen, and with no empty space before the drawing's first
 * edge: entries in the first layer sit at the left or top margin, and the rest is reached by panning or
 * the overview.
 */
export function initialView(size: { width: number; height: number }, start: Box | undefined, around: Box | undefined, width: number, height: number, margin = 24): Viewport {
  const whole = fitBox({ x: 0, y: 0, width: size.width, height: size.height }, width, height, margin, MAX_FIT_ZOOM);
  if (whole.k >= LEGIBLE_ZOOM) return whole;
  const k = LEGIBLE_ZOOM;
  const s = start ?? { x: 0, y: 0, width: 0, height: 0 };
  const a = around ?? s;
  const axis = (content: number, screen: number, lo: number, len: number, aLo: number, aLen: number) => {
    if (content * k <= screen - 2 * margin) return (screen - content * k) / 2;
    let off = screen / 2 - (aLo + aLen / 2) * k;
    // The entries stay on screen (their start first, if they are wider than the screen)...
    off = Math.min(off, screen - margin - (lo + len) * k);
    off = Math.max(off, margin - lo * k);
    // ...and no empty space shows before the drawing's first edge or after its last.
    return Math.min(margin, Math.max(screen - margin - content * k, off));
  };
  return { k, x: axis(size.width, width, s.x, s.width, a.x, a.width), y: axis(size.height, height, s.y, s.height, a.y, a.height) };
}

/** How well a drawing of this size fits a panel: the zoom a whole fit would need (higher is better). */
export function fitScore(size: { width: number; height: number }, width: number, height: number, margin = 24): number {
  return Math.min(MAX_FIT_ZOOM, (width - 2 * margin) / Math.max(1, size.width), (height - 2 * margin) / Math.max(1, size.height));
}
