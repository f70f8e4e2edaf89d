/**
 * Exports of what the preview shows: the drawing as an SVG file in the colours of the current theme, and
 * that SVG drawn into a canvas as a PNG.
 */
import type { GraphPayload } from '../../shared/protocol';
import type { DiagramLayout } from '../../shared/diagram/layout';
import type { DiagramGraph } from '../../shared/diagram/model';
import { THEME_VARS } from '../../shared/diagram/style';
import { renderSvg } from '../../shared/diagram/svg';

/** The drawing as a file of its own; `themed` is the preview's drawing, whose resolved colours it keeps. */
export function exportSvg(payload: GraphPayload, graph: DiagramGraph, layout: DiagramLayout, themed: Element | undefined): string {
  const theme: Record<string, string> = {};
  if (themed) {
    const cs = getComputedStyle(themed);
    for (const k of Object.keys(THEME_VARS)) {
      const v = cs.getPropertyValue(k).trim();
      if (v) theme[k] = v;
    }
  }
  return renderSvg(payload, graph, layout, { standalone: true, theme });
}

/** Draws an SVG into a canvas (at up to twice its size, within the browser's canvas limits) and encodes a PNG. */
export async function svgToPng(svg: string): Promise<string> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the SVG did not load as an image'));
      img.src = url;
    });
    const w = img.naturalWidth || 1;
    const h = img.naturalHeight || 1;
    const scale = Math.min(2, 16000 / w, 16000 / h, Math.sqrt(120e6 / (w * h)));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.floor(w * scale));
    canvas.height = Math.max(1, Math.floor(h * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, w, h);
    return canvas.toDataURL('image/png');
  } finally {
    URL.revokeObjectURL(url);
  }
}
