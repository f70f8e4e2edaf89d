/**
 * The diagram's stylesheet. Colours are custom properties that default to VS Code's theme variables and,
 * where those are absent (an exported file, a browser), to a light theme. The webview adds this sheet to
 * its page; exported SVGs carry it in a <style> element, with the colours of the theme they were exported
 * from when the preview made them.
 */

/** The colour properties a theme sets, with the VS Code variable each follows and its light fallback. */
export const THEME_VARS: Readonly<Record<string, string>> = {
  '--tl-bg': 'var(--vscode-editor-background, #ffffff)',
  '--tl-fg': 'var(--vscode-editor-foreground, #1f2328)',
  '--tl-muted': 'var(--vscode-descriptionForeground, #59636e)',
  '--tl-node': 'var(--vscode-editorWidget-background, #f6f8fa)',
  '--tl-border': 'var(--vscode-editorWidget-border, var(--vscode-contrastBorder, #818b98))',
  '--tl-edge': 'var(--vscode-editorCodeLens-foreground, #6e7781)',
  '--tl-label-bg': 'var(--vscode-editor-background, #ffffff)',
  '--tl-error': 'var(--vscode-editorError-foreground, #cf222e)',
  '--tl-warning': 'var(--vscode-editorWarning-foreground, #9a6700)',
  '--tl-info': 'var(--vscode-editorInfo-foreground, #0969da)',
  '--tl-accent': 'var(--vscode-focusBorder, #0969da)',
  '--tl-cycle': 'var(--vscode-charts-purple, #8250df)',
  '--tl-store': 'var(--vscode-charts-blue, #0969da)',
  '--tl-event': 'var(--vscode-charts-green, #1a7f37)',
};

export const DIAGRAM_CSS = `
.tl-diagram { ${Object.entries(THEME_VARS)
  .map(([k, v]) => `${k}: ${v};`)
  .join(' ')}
  font-family: var(--vscode-font-family, system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif);
  color: var(--tl-fg); }
.tl-diagram text { fill: var(--tl-fg); dominant-baseline: central; text-anchor: middle; pointer-events: none; }
.tl-diagram .tl-bg { fill: var(--tl-bg); }
.tl-node .tl-shape { fill: var(--tl-node); stroke: var(--tl-border); stroke-width: 1.2px; }
.tl-node .tl-name { font-size: 13px; }
.tl-node .tl-tag { font-size: 10px; fill: var(--tl-muted); letter-spacing: 0.04em; }
.tl-node.tl-gateway .tl-shape, .tl-node.tl-bff .tl-shape { stroke: var(--tl-accent); stroke-width: 1.8px; }
.tl-node.tl-job .tl-shape { stroke-dasharray: 5 3; }
.tl-node.tl-legacy .tl-shape { stroke-dasharray: 1 2; }
.tl-node.tl-external .tl-shape { stroke-width: 2.2px; }
.tl-node.tl-datastore .tl-shape { stroke: var(--tl-store); }
.tl-node.tl-datastore .tl-lid { fill: none; stroke: var(--tl-store); stroke-width: 1.2px; }
.tl-node.tl-event .tl-shape { stroke: var(--tl-event); }
.tl-node.tl-shared .tl-shape, .tl-node.tl-shared .tl-lid { stroke: var(--tl-warning); stroke-width: 2.4px; }
.tl-node .tl-mark { font-size: 11px; font-weight: 600; }
.tl-node .tl-mark-shared { fill: var(--tl-warning); }
.tl-node .tl-mark-cycle { fill: var(--tl-cycle); }
.tl-node.tl-cycle .tl-shape { stroke: var(--tl-cycle); stroke-width: 2px; }
.tl-badge circle { stroke: var(--tl-bg); stroke-width: 1.5px; }
.tl-badge text { font-size: 10px; font-weight: 700; fill: var(--tl-bg); }
.tl-sev-error > .tl-badge circle { fill: var(--tl-error); }
.tl-sev-warning > .tl-badge circle { fill: var(--tl-warning); }
.tl-sev-info > .tl-badge circle { fill: var(--tl-info); }
.tl-edge .tl-line { fill: none; stroke: var(--tl-edge); }
.tl-edge .tl-head { fill: var(--tl-edge); stroke: none; }
.tl-edge .tl-hit { fill: none; stroke: transparent; stroke-width: 10px; }
.tl-edge.tl-async .tl-line { stroke-dasharray: 7 4; }
.tl-edge.tl-publish .tl-line, .tl-edge.tl-subscribe .tl-line { stroke-dasharray: 1.5 3; stroke: var(--tl-event); stroke-linecap: round; }
.tl-edge.tl-publish .tl-head, .tl-edge.tl-subscribe .tl-head { fill: var(--tl-event); }
.tl-edge.tl-uses .tl-line { stroke: var(--tl-store); }
.tl-edge.tl-uses .tl-head { fill: var(--tl-store); stroke: var(--tl-store); }
.tl-edge.tl-uses.tl-foreign .tl-line { stroke: var(--tl-warning); stroke-dasharray: 4 2; }
.tl-edge.tl-uses.tl-foreign .tl-head { fill: var(--tl-bg); stroke: var(--tl-warning); stroke-width: 1.5px; }
.tl-edge.tl-observed .tl-line { stroke: var(--tl-info); stroke-dasharray: 3 3; }
.tl-edge.tl-observed .tl-head { fill: var(--tl-info); }
.tl-edge.tl-chain .tl-line { stroke: var(--tl-warning); }
.tl-edge.tl-chain .tl-head { fill: var(--tl-warning); }
.tl-edge.tl-chatty .tl-line { stroke: var(--tl-error); }
.tl-edge.tl-chatty .tl-head { fill: var(--tl-error); }
.tl-edge.tl-cycle .tl-line { stroke: var(--tl-cycle); }
.tl-edge.tl-cycle .tl-head { fill: var(--tl-cycle); }
.tl-elabel rect { fill: var(--tl-label-bg); opacity: 0.85; }
.tl-elabel text { font-size: 11px; fill: var(--tl-muted); }
.tl-edge.tl-chatty .tl-elabel text { fill: var(--tl-error); font-weight: 600; }
.tl-order circle { fill: var(--tl-accent); }
.tl-order text { fill: var(--tl-bg); font-size: 11px; font-weight: 700; }
`;

/**
 * Rules only the preview needs: selection, hover, dimming, focus rings, level of detail. A large system's
 * drawing (drawn around the view, `.tl-large`) draws publications and subscriptions as solid green lines,
 * not dotted: in software raster the dots of a few hundred long lines took about 85% of the time to raster
 * the screen at 1,000 services (about 45 ms a tile against 7), and every frame of a pan that needs new tiles
 * waits for them. Their colour still tells them from calls.
 */
export const INTERACTIVE_CSS = `
.tl-node, .tl-edge { cursor: pointer; }
.tl-node:focus { outline: none; }
.tl-node:focus-visible .tl-shape, .tl-node.tl-selected .tl-shape { stroke: var(--tl-accent); stroke-width: 3px; }
.tl-edge.tl-selected .tl-line { stroke: var(--tl-accent); stroke-width: 3.5px; }
.tl-edge.tl-selected .tl-head { fill: var(--tl-accent); }
.tl-node.tl-hl .tl-shape { stroke: var(--tl-accent); stroke-width: 3px; }
.tl-edge.tl-hl .tl-line { stroke: var(--tl-accent); stroke-width: 4px; }
.tl-edge.tl-hl .tl-head { fill: var(--tl-accent); }
.tl-node.tl-match .tl-shape { stroke: var(--tl-accent); stroke-width: 3px; stroke-dasharray: none; }
.tl-dimmed .tl-node:not(.tl-hl):not(.tl-selected):not(.tl-match), .tl-dimmed .tl-edge:not(.tl-hl):not(.tl-selected) { opacity: 0.22; }
.tl-far .tl-lod, .tl-far .tl-tag { display: none; }
.tl-near-only { display: none; }
.tl-pending { opacity: 0; }
.tl-large .tl-edge.tl-publish .tl-line, .tl-large .tl-edge.tl-subscribe .tl-line { stroke-dasharray: none; }
.tl-simple-node { fill: var(--tl-node); stroke: var(--tl-border); stroke-width: 1.2px; vector-effect: non-scaling-stroke; }
.tl-simple-node.tl-datastore { stroke: var(--tl-store); }
.tl-simple-node.tl-event { stroke: var(--tl-event); }
.tl-simple-edge { fill: none; stroke: var(--tl-edge); stroke-width: 1px; vector-effect: non-scaling-stroke; opacity: 0.6; }
.tl-simple-edge.tl-publish, .tl-simple-edge.tl-subscribe { stroke: var(--tl-event); }
.tl-simple-edge.tl-uses { stroke: var(--tl-store); }
`;
