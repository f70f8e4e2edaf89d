/**
 * The preview: draws the graph the language server sends, as a map where smells show, and turns clicks
 * into "reveal the source" messages. It never sees YAML. Names reach the page only as text: the drawing is
 * escaped SVG parsed as XML, and everything else is set with textContent.
 *
 * This file holds the diagram's state (the payload, the view, the selection) and wires the parts:
 * toolbar.ts, canvas.ts (the drawing, pan and zoom), findings-panel.ts (the side panel) and export.ts.
 */
import './preview.css';
import type { GraphEdge, GraphFinding, GraphNode, GraphPayload } from '../../shared/protocol';
import { reversedEdges, toElkGraph, type Box, type Direction } from '../../shared/diagram/layout';
import { entryNodes, searchNodes, visibleGraph, type DiagramGraph, type EdgeStyle } from '../../shared/diagram/model';
import { markOf } from '../../shared/diagram/smells';
import { DIAGRAM_CSS, INTERACTIVE_CSS } from '../../shared/diagram/style';
import { OBSERVED_NOTE, SvgParts, orderBadgesSvg, renderSimpleSvg, renderSvg } from '../../shared/diagram/svg';
import type { HostMessage, PreviewState } from '../../shared/diagram/messages';
import { createHost, type Host } from './host';
import { Layouter } from './layouter';
import { fitScore, keepAt, unionBox } from './viewport';
import type { LayoutResult } from './layouter';
import { SVG_NS, el, nonce } from './dom';
import { Toolbar } from './toolbar';
import { Canvas } from './canvas';
import { FindingsPanel, type PanelState } from './findings-panel';
import { exportSvg, svgToPng } from './export';

/**
 * Graphs up to this size are laid out both ways on their first drawing, to choose the direction. Larger
 * ones cannot be shown whole at a legible zoom anyway, and a second layout would delay their first drawing
 * by as long again (a second or more above a hundred nodes, measured with npm run bench:diagram).
 */
const CHOOSE_BOTH_MAX_NODES = 100;
/**
 * Drawings of more elements than this are drawn around the view only, and drawn again as it moves (see
 * Canvas.mount): below it, the whole drawing parses and paints within the 200 ms a main-thread task may
 * take (issue 11). At 1,000 services (8,000 elements) the whole took over a second; at 100 services (808
 * elements and connections, drawn whole under the earlier bound of 1,500) one task took 430-510 ms and
 * panning and zooming at rest ran at 15-20 frames a second; drawn around the view, 207 ms and 60.
 */
const CULL_ELEMENTS = 600;

class Preview {
  private payload: GraphPayload | null = null;
  private graph: DiagramGraph = { nodes: [], edges: [] };
  private view: { hidden: EdgeStyle[]; focus?: string };
  private selected: string | undefined;
  private cursorId: string | undefined;
  private activeFinding: string | undefined;
  private matches: string[] = [];
  private matchIndex = -1;
  private locked = false;
  private nodesById = new Map<string, GraphNode>();
  private edgesById = new Map<string, GraphEdge>();
  private findingsById = new Map<string, GraphFinding>();
  private renderToken = 0;
  private pendingUpdate: GraphPayload | null | undefined;
  private busy = false;
  /** The layout direction of the document shown, chosen on its first drawing and kept across its edits. */
  private direction: Direction | undefined;

  private readonly toolbar: Toolbar;
  private readonly canvas: Canvas;
  private readonly panel: FindingsPanel;
  private readonly layouter: Layouter;

  constructor(
    root: HTMLElement,
    private readonly host: Host,
  ) {
    const state = host.getState();
    const main = el('div', { class: 'tl-main' });
    this.view = { hidden: [...(state?.hidden ?? [])], focus: state?.focus };
    this.selected = state?.selected;
    this.locked = !!state?.locked;
    this.direction = state?.direction;

    this.toolbar = new Toolbar(this.view.hidden, host.standalone, {
      search: (step, dir) => this.runSearch(step, dir),
      setHidden: (s, hidden) => this.setHidden(s, hidden),
      toggleFocus: () => this.toggleFocus(),
      fit: () => this.canvas.fit(),
      zoomBy: (f) => this.canvas.zoomBy(f),
      export: (format) => void this.export(format),
      toggleLock: () => host.post({ type: 'toggleLock' }),
      toggleSide: () => main.classList.toggle('tl-side-open'),
    });
    this.canvas = new Canvas({
      click: (id) => this.click(id),
      dblclick: (id) => {
        if (this.nodesById.has(id)) this.setFocus(id);
      },
      focusIn: (id) => {
        if (id !== this.selected) this.select(id, false);
      },
      key: (e, id) => this.key(e, id),
      describe: (id) => this.describe(id),
      changed: () => this.saveState(),
      selection: () => this.selected ?? this.cursorId,
      redrawn: () => this.applyClasses(),
    });
    this.canvas.viewport = state?.viewport;
    this.canvas.auto = !state?.viewport || !!state.fitted;
    this.panel = new FindingsPanel({
      showFinding: (id) => this.showFinding(id),
      revealSource: (id) => this.revealSource(id),
      openEdge: (id) => {
        this.select(id, true);
        this.canvas.reveal(id, false);
      },
      held: () => this.canvas.live,
    });

    main.append(this.canvas.element, this.panel.element);
    root.append(this.toolbar.element, main);
    this.toolbar.setLocked(this.locked);

    this.layouter = new Layouter(() => host.workerSource(), nonce);
    host.listen((m) => this.onMessage(m));
    host.post({ type: 'ready' });
  }

  private onMessage(m: HostMessage): void {
    switch (m.type) {
      case 'graph':
        if (m.locked !== undefined) this.locked = m.locked;
        this.toolbar.setLocked(this.locked);
        void this.update(m.payload);
        break;
      case 'highlight':
        this.cursorId = m.id;
        this.applyClasses();
        if (m.id) this.canvas.reveal(m.id, false);
        break;
      case 'locked':
        this.locked = m.locked;
        this.toolbar.setLocked(this.locked);
        this.saveState();
        break;
      case 'command':
        if (m.command === 'fit') this.canvas.fit();
        else void this.export(m.command === 'exportSvg' ? 'svg' : 'png');
        break;
    }
  }

  /** Takes a new graph. Updates arriving while a layout runs are coalesced: only the newest is drawn next. */
  private async update(payload: GraphPayload | null): Promise<void> {
    if (this.busy) {
      this.pendingUpdate = payload;
      return;
    }
    this.busy = true;
    try {
      await this.draw(payload);
    } finally {
      this.busy = false;
    }
    if (this.pendingUpdate !== undefined) {
      const next = this.pendingUpdate;
      this.pendingUpdate = undefined;
      await this.update(next);
    }
  }

  private async draw(payload: GraphPayload | null): Promise<void> {
    const t0 = performance.now();
    const token = ++this.renderToken;
    const firstForDocument = !this.payload || !payload || this.payload.uri !== payload.uri;
    this.payload = payload;
    if (!payload) {
      this.clear('No topology to show: open a *.topology.yaml file, or wait for its analysis.');
      return;
    }
    this.nodesById = new Map(payload.nodes.map((n) => [n.id, n]));
    this.edgesById = new Map(payload.edges.map((e) => [e.id, e]));
    this.findingsById = new Map(payload.findings.map((f) => [f.id, f]));
    if (this.view.focus && !this.nodesById.has(this.view.focus)) this.view.focus = undefined;
    const graph = visibleGraph(payload, this.view);
    if (!this.canvas.layout) this.toolbar.setStatus(`Laying out ${graph.nodes.length} elements…`);
    // A restored viewport belongs to the direction it was saved with; otherwise a new document chooses.
    const restore = this.restoredViewport();
    const choose = !this.direction || (firstForDocument && !restore);
    let result: LayoutResult;
    try {
      result = await this.layoutGraph(graph, choose);
    } catch (e) {
      this.toolbar.setStatus(`Layout failed: ${e instanceof Error ? e.message : String(e)}`);
      this.host.post({ type: 'error', message: String(e) });
      return;
    }
    // The layout's answer was copied out of the worker's message in this task; drawing waits for the next,
    // so that the two do not make one long task (issue 11: no task over 200 ms at 1,000 services).
    await nextTask();
    if (token !== this.renderToken) return;
    // Remember where an anchor element sits on screen, to put it back there in the new drawing.
    const anchor = firstForDocument ? undefined : this.anchor();
    this.graph = graph;
    const layout = result.layout;
    const entries = new Set(entryNodes(graph));
    const near = new Set(entries);
    for (const e of graph.edges) if (entries.has(e.from)) near.add(e.to);
    const boxes = (ids: Iterable<string>) => unionBox([...ids].map((id) => layout.nodes[id]).filter((b): b is Box => !!b));
    const start = { entries: boxes(entries), around: boxes(near) };
    const drawing =
      graph.nodes.length + graph.edges.length > CULL_ELEMENTS
        ? { parts: new SvgParts(payload, graph, layout, { interactive: true, padding: 0 }), simple: () => renderSimpleSvg(graph, layout) }
        : renderSvg(payload, graph, layout, { interactive: true, padding: 0 });
    this.canvas.mount(drawing, layout, start, new Map(graph.nodes.map((n) => [n.id, n.kind])));
    const viewport = this.canvas.viewport;
    if (firstForDocument && !restore) this.canvas.auto = true;
    if (this.canvas.auto && !(firstForDocument && restore)) {
      // Until the user moves the view, every drawing is the fitted one, edits included.
      this.canvas.viewport = this.canvas.fitViewport();
    } else if (anchor && viewport && layout.nodes[anchor.id]) {
      const b = layout.nodes[anchor.id];
      this.canvas.viewport = keepAt(viewport, b.x + b.width / 2, b.y + b.height / 2, anchor.sx, anchor.sy);
    } else if (!viewport || (firstForDocument && !restore)) {
      this.canvas.viewport = this.canvas.fitViewport();
    }
    this.restoring = false;
    this.canvas.applyViewport();
    this.applyClasses();
    this.panel.renderFindings(this.panelState());
    this.panel.renderDetails(this.panelState());
    this.toolbar.setFindingCount(payload.findings.filter((f) => !f.accepted).length);
    if (this.toolbar.search.value) this.runSearch(false);
    this.toolbar.setStatus(`${graph.nodes.length} elements, ${graph.edges.length} connections${this.view.focus ? ` around ${this.label(this.view.focus)}` : ''}`);
    this.saveState();
    // Reported after the browser has painted the new drawing: a culled one once its last slice is on the page.
    void this.canvas.whenDrawn().then(() =>
      requestAnimationFrame(() =>
        setTimeout(() => {
          if (token !== this.renderToken) return;
          this.host.post({ type: 'rendered', version: payload.version, nodes: graph.nodes.length, edges: graph.edges.length, layoutMs: Math.round(result.ms), totalMs: Math.round(performance.now() - t0), worker: result.worker });
        }, 0),
      ),
    );
  }

  /** True once: a viewport restored from saved state is kept for the first drawing after a reload. */
  private restoring = true;
  private restoredViewport(): boolean {
    const s = this.host.getState();
    return this.restoring && !!s?.viewport && !s.fitted;
  }

  /**
   * Lays out the visible graph. With `choose`, the direction is chosen from the panel's shape: a small
   * graph is laid out both ways and the one that fits the canvas at the larger zoom wins (ties go to left
   * to right); a large one, which cannot be shown whole legibly anyway, runs along the panel's longer side.
   */
  private async layoutGraph(graph: DiagramGraph, choose: boolean): Promise<LayoutResult> {
    const reversed = [...reversedEdges(graph)];
    const run = (direction: Direction) => this.layouter.layout(toElkGraph(graph, { direction }), reversed);
    const w = this.canvas.width || 800;
    const h = this.canvas.height || 600;
    if (!choose && this.direction) return run(this.direction);
    if (graph.nodes.length > CHOOSE_BOTH_MAX_NODES) {
      this.direction = w >= h ? 'RIGHT' : 'DOWN';
      return run(this.direction);
    }
    const right = await run('RIGHT');
    const down = await run('DOWN');
    this.direction = fitScore(down.layout, w, h) > fitScore(right.layout, w, h) * 1.02 ? 'DOWN' : 'RIGHT';
    const chosen = this.direction === 'DOWN' ? down : right;
    return { ...chosen, ms: right.ms + down.ms };
  }

  private clear(message: string): void {
    this.canvas.clear();
    this.panel.clear();
    this.toolbar.setStatus(message);
  }

  private panelState(): PanelState {
    return { payload: this.payload, graph: this.graph, nodesById: this.nodesById, edgesById: this.edgesById, findingsById: this.findingsById, selected: this.selected, activeFinding: this.activeFinding };
  }

  private label(id: string): string {
    return this.nodesById.get(id)?.label ?? id;
  }

  /** The selected or highlighted node, else the node nearest the middle of the screen, with its screen position. */
  private anchor(): { id: string; sx: number; sy: number } | undefined {
    const v = this.canvas.viewport;
    const layout = this.canvas.layout;
    if (!v || !layout) return undefined;
    const screen = (id: string) => {
      const b = layout.nodes[id];
      return b ? { id, sx: (b.x + b.width / 2) * v.k + v.x, sy: (b.y + b.height / 2) * v.k + v.y } : undefined;
    };
    for (const id of [this.selected, this.cursorId, this.view.focus]) {
      const nodeId = id && (layout.nodes[id] ? id : this.edgesById.get(id)?.from);
      const s = nodeId ? screen(nodeId) : undefined;
      if (s) return s;
    }
    const cx = this.canvas.width / 2;
    const cy = this.canvas.height / 2;
    let best: { id: string; sx: number; sy: number } | undefined;
    let bestD = Infinity;
    for (const id of Object.keys(layout.nodes)) {
      const s = screen(id)!;
      const d = (s.sx - cx) ** 2 + (s.sy - cy) ** 2;
      if (d < bestD) {
        bestD = d;
        best = s;
      }
    }
    return best;
  }

  private saveState(): void {
    const s: PreviewState = { ...(this.host.getState() ?? {}), uri: this.payload?.uri ?? this.host.getState()?.uri, locked: this.locked, viewport: this.canvas.viewport, fitted: this.canvas.auto, direction: this.direction, selected: this.selected, hidden: this.view.hidden, focus: this.view.focus };
    this.host.setState(s);
  }

  private click(id: string | undefined): void {
    if (id) this.select(id, true);
    else if (this.selected || this.activeFinding) {
      this.selected = undefined;
      this.activeFinding = undefined;
      this.applyClasses();
      this.panel.renderDetails(this.panelState());
      this.panel.renderFindings(this.panelState());
      this.saveState();
    }
  }

  /** The keys that act on the diagram rather than on the view; pan and zoom keys are the canvas's. */
  private key(e: KeyboardEvent, id: string | undefined): boolean {
    switch (e.key) {
      case 'Enter':
      case ' ':
        if (id) {
          e.preventDefault();
          this.select(id, true);
        }
        return true;
      case 'f':
      case 'F':
        this.toggleFocus();
        break;
      case 'Escape':
        this.activeFinding = undefined;
        this.applyClasses();
        this.panel.renderFindings(this.panelState());
        break;
      default:
        return false;
    }
    e.preventDefault();
    return true;
  }

  private describe(id: string): string[] | undefined {
    const node = this.nodesById.get(id);
    const edge = node ? undefined : this.edgesById.get(id);
    const x = node ?? edge;
    if (!x) return undefined;
    // Edges have a `label` too (their protocol), so the two are told apart by where they were found.
    const lines: string[] = [node ? node.label : `${this.label(edge!.from)} → ${this.label(edge!.to)}${edge!.label ? ` (${edge!.label})` : ''}`];
    if (edge?.observed) lines.push(OBSERVED_NOTE);
    // A service's numbers come from the server's shared models, the same as the rules' and the hover's.
    if (node?.kind === 'service') {
      if (node.wait === null) lines.push('its callers may wait: unbounded (a path without any timeout)');
      else if (node.wait) lines.push(`its callers may wait: up to ${formatWait(node.wait)}`);
      if (node.availability !== undefined && node.availability < 1) lines.push(`available: ${(node.availability * 100).toFixed(2)}% (with everything it waits on)`);
    }
    for (const fid of x.findings) {
      const f = this.findingsById.get(fid);
      if (f) lines.push(`${f.accepted ? 'accepted' : f.severity}: ${f.message}`);
    }
    return lines;
  }

  /** Selects an element; with `toSource`, asks the host to reveal and select its source. */
  private select(id: string, toSource: boolean): void {
    this.selected = id;
    this.applyClasses();
    this.panel.renderDetails(this.panelState());
    this.saveState();
    if (toSource) this.revealSource(id);
  }

  private revealSource(id: string): void {
    const x = this.nodesById.get(id) ?? this.edgesById.get(id) ?? this.findingsById.get(id);
    if (x) this.host.post({ type: 'reveal', id, uri: x.uri, range: x.range });
  }

  /** Sets every state class (selected, highlighted, search match, dimmed) from the current state. */
  private applyClasses(): void {
    const svg = this.canvas.svg;
    if (!svg) return;
    const elements = this.canvas.elements;
    for (const e of svg.querySelectorAll('.tl-selected, .tl-hl, .tl-match')) e.classList.remove('tl-selected', 'tl-hl', 'tl-match');
    const overlay = svg.querySelector('.tl-overlay');
    overlay?.replaceChildren();
    if (this.selected) elements.get(this.selected)?.classList.add('tl-selected');
    if (this.cursorId) elements.get(this.cursorId)?.classList.add('tl-hl');
    const f = this.activeFinding ? this.findingsById.get(this.activeFinding) : undefined;
    if (f) {
      for (const id of f.elements) elements.get(id)?.classList.add('tl-hl');
      const mark = markOf(f.rule);
      const layout = this.canvas.layout;
      if (overlay && layout && f.elements.length > 1 && (mark === 'chain' || mark === 'cycle')) {
        const doc = new DOMParser().parseFromString(`<g xmlns="${SVG_NS}">${orderBadgesSvg(layout, f.elements)}</g>`, 'image/svg+xml');
        overlay.append(...[...doc.documentElement.childNodes].map((c) => document.importNode(c, true)));
      }
    }
    for (const id of this.matches) elements.get(id)?.classList.add('tl-match');
    svg.classList.toggle('tl-dimmed', !!f || this.matches.length > 0);
  }

  /** Highlights a finding's elements (numbered in order for chains and cycles) and brings them into view. */
  private showFinding(id: string): void {
    this.activeFinding = this.activeFinding === id ? undefined : id;
    this.applyClasses();
    this.panel.renderFindings(this.panelState());
    const f = this.activeFinding ? this.findingsById.get(this.activeFinding) : undefined;
    if (f) this.canvas.revealAll(f.elements);
  }

  private setHidden(s: EdgeStyle, hidden: boolean): void {
    this.view.hidden = hidden ? [...new Set([...this.view.hidden, s])] : this.view.hidden.filter((x) => x !== s);
    void this.update(this.payload);
  }

  private toggleFocus(): void {
    if (this.view.focus) this.setFocus(undefined);
    else {
      const id = this.selected && (this.nodesById.has(this.selected) ? this.selected : this.edgesById.get(this.selected)?.from);
      if (id) this.setFocus(id);
      else this.toolbar.setStatus('Select an element to focus on it.');
    }
  }

  private setFocus(id: string | undefined): void {
    this.view.focus = id;
    if (id) this.selected = id;
    this.toolbar.setFocused(!!id);
    void this.update(this.payload);
  }

  private runSearch(step: boolean, dir = 1): void {
    const q = this.toolbar.search.value;
    const visible = new Set(this.graph.nodes.map((n) => n.id));
    this.matches = this.payload ? searchNodes(this.payload, q).filter((id) => visible.has(id)) : [];
    if (!this.matches.length) this.matchIndex = -1;
    else if (step) this.matchIndex = (this.matchIndex + dir + this.matches.length) % this.matches.length;
    else this.matchIndex = Math.min(Math.max(this.matchIndex, 0), this.matches.length - 1);
    this.toolbar.setSearchCount(q.trim() ? (this.matches.length ? `${this.matchIndex + 1} of ${this.matches.length}` : 'no match') : '');
    if (step && this.matchIndex >= 0) {
      const id = this.matches[this.matchIndex];
      this.selected = id;
      this.panel.renderDetails(this.panelState());
      this.canvas.reveal(id, true);
    }
    this.applyClasses();
  }

  private async export(format: 'svg' | 'png'): Promise<void> {
    const layout = this.canvas.layout;
    if (!this.payload || !layout) return;
    const name = this.payload.name || 'topology';
    const svg = exportSvg(this.payload, this.graph, layout, this.canvas.svg);
    if (format === 'svg') {
      this.host.post({ type: 'export', format, name, data: svg });
      return;
    }
    try {
      this.host.post({ type: 'export', format, name, data: await svgToPng(svg) });
    } catch (e) {
      this.toolbar.setStatus(`PNG export failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

function start(): void {
  const root = document.getElementById('tl-app');
  if (!root) return;
  // The diagram's stylesheet is shared with exported SVGs; it is added under the page's nonce.
  const style = document.createElement('style');
  style.nonce = nonce;
  style.textContent = DIAGRAM_CSS + INTERACTIVE_CSS;
  document.head.append(style);
  const status = (text: string) => {
    const s = root.querySelector('.tl-status');
    if (s) s.textContent = text;
  };
  const host = createHost(root, status);
  new Preview(root, host);
}

start();

/** Resolves in a later task, so that the page can paint and answer input in between. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A worst-case wait in milliseconds as people read it: 850ms, 9s, 15.25s, 2m. */
function formatWait(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 120_000) return `${Number((ms / 1000).toFixed(2))}s`;
  return `${Number((ms / 60_000).toFixed(1))}m`;
}
