/**
 * The preview's HTML page, in its two homes: the VS Code webview (scripts and styles from media/dist/ under
 * a nonce) and the self-contained page `topolint diagram --format html` writes (the same script and styles
 * inlined, the graph embedded as JSON). Both pages run the same script, media/dist/preview.js, under a
 * Content-Security-Policy that allows only the nonce's scripts and styles, and nothing remote.
 */
import type { GraphPayload } from '../protocol';
// Only the escape: the extension bundles this file, and should not carry the drawing code with it.
import { escapeXml } from './escape';

export interface WebviewPageOptions {
  /** The webview's `cspSource`: where its local resources come from. */
  readonly cspSource: string;
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  /** The layout worker's script, fetched and started from a blob: URL. */
  readonly workerUri: string;
  readonly title?: string;
}

export function webviewCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data: blob:`,
    `font-src ${cspSource}`,
    `connect-src ${cspSource}`,
    'worker-src blob:',
  ].join('; ');
}

export function webviewHtml(o: WebviewPageOptions): string {
  const a = escapeXml;
  // Lines joined rather than one template: the minified extension bundle stays a few lines long.
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="UTF-8">',
    `<meta http-equiv="Content-Security-Policy" content="${a(webviewCsp(o.cspSource, o.nonce))}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
    `<link rel="stylesheet" href="${a(o.styleUri)}" nonce="${a(o.nonce)}">`,
    `<title>${a(o.title ?? 'Topology preview')}</title>`,
    '</head>',
    '<body>',
    `<div id="tl-app" data-worker="${a(o.workerUri)}"></div>`,
    `<script nonce="${a(o.nonce)}" src="${a(o.scriptUri)}"></script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export interface StandalonePageOptions {
  readonly nonce: string;
  readonly payload: GraphPayload;
  /** The text of media/dist/preview.js, preview.css and layout-worker.js. */
  readonly script: string;
  readonly style: string;
  readonly worker: string;
}

/** Text that may sit inside a <script> element: no closing tag or comment opener can end it early. */
export function scriptText(s: string): string {
  return s.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** JSON that may sit inside a <script type="application/json"> element. */
export function jsonScriptText(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function standaloneHtml(o: StandalonePageOptions): string {
  const a = escapeXml;
  const csp = ["default-src 'none'", `script-src 'nonce-${o.nonce}'`, `style-src 'nonce-${o.nonce}'`, 'img-src data: blob:', 'worker-src blob:'].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${a(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="generator" content="topolint">
<title>${a(o.payload.name || 'Topology')}</title>
<style nonce="${a(o.nonce)}">${o.style.replace(/<\/(style)/gi, '<\\/$1')}</style>
</head>
<body class="tl-standalone">
<div id="tl-app"></div>
<script type="application/json" id="tl-data">${jsonScriptText(o.payload)}</script>
<script type="text/plain" id="tl-worker">${scriptText(o.worker)}</script>
<script nonce="${a(o.nonce)}">${scriptText(o.script)}</script>
</body>
</html>
`;
}
