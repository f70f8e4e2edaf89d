/**
 * Pan and zoom as plain arithmetic over a Viewport (screen = content * k + (x, y)), so that keeping a
 * node in place across a re-layout, fitting and zooming about a point are each one small function.
 */
import type { Box } from '../../shared/diagram/layout';
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
