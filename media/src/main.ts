/**
 * The preview: draws the graph the language server sends, as a map where smells show, and turns clicks
 * into "reveal the source" messages. It never sees YAML. Names reach the page only as text: the drawing is
 * escaped SVG parsed as XML, and everything else is set with textContent.
 */
import './preview.css';
import type { GraphEdge, GraphFinding, GraphNode, GraphPayload } from '../../shared/protocol';
import { reversedEdges, toElkGraph, type Box, type DiagramLayout } from '../../shared/diagram/layout';
import { EDGE_STYLES, searchNodes, visibleGraph, type DiagramGraph, type EdgeStyle } from '../../shared/diagram/model';
import { markOf, sortedFindings } from '../../shared/diagram/smells';
import { DIAGRAM_CSS, INTERACTIVE_CSS, THEME_VARS } from '../../shared/diagram/style';
import { orderBadgesSvg, renderSvg } from '../../shared/diagram/svg';
import type { HostMessage, PreviewState, Viewport } from '../../shared/diagram/messages';
import { createHost, type Host } from './host';
import { Layouter } from './layouter';
import { centreOn, fitBox, isVisible, keepAt, unionBox, zoomAbout } from './viewport';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Below this zoom, edge labels without reserved room and kind tags are hidden. */
const FAR_ZOOM = 0.45;
/** How long a pan or zoom rests before the drawing is repainted at its new zoom. */
const COMMIT_MS = 150;
const STYLE_NAMES: Record<EdgeStyle, string> = { sync: 'Sync', async: 'Async', event: 'Events', data: 'Data' };

const nonce = (document.currentScript as HTMLScriptElement | null)?.nonce ?? '';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

class Preview {
  private payload: GraphPayload | null = null;
  private graph: DiagramGraph = { nodes: [], edges: [] };
  private layout: DiagramLayout | undefined;
  private view: { hidden: EdgeStyle[]; focus?: string };
  private viewport: Viewport | undefined;
  private selected: string | undefined;
  private cursorId: string | undefined;
  private activeFinding: string | undefined;
  private matches: string[] = [];
  private matchIndex = -1;
  private locked = false;
  private svg: SVGSVGElement | undefined;
  private viewportGroup: SVGGElement | undefined;
  /** The viewport the drawing itself is transformed by; live changes are a layer transform on top. */
  private committed: Viewport | undefined;
  private commitTimer: ReturnType<typeof setTimeout> | undefined;
  private elements = new Map<string, Element>();
  private nodesById = new Map<string, GraphNode>();
  private edgesById = new Map<string, GraphEdge>();
  private findingsById = new Map<string, GraphFinding>();
  private renderToken = 0;
  private pendingUpdate: GraphPayload | null | undefined;
  private busy = false;

  private readonly canvas: HTMLDivElement;
  private readonly tooltip: HTMLDivElement;
  private readonly status: HTMLElement;
  private readonly findingsList: HTMLUListElement;
  private readonly findingsTitle: HTMLElement;
  private readonly details: HTMLElement;
  private readonly search: HTMLInputElement;
  private readonly searchCount: HTMLElement;
  private readonly focusButton: HTMLButtonElement;
  private readonly lockButton: HTMLButtonElement;
  private readonly filterBoxes = new Map<EdgeStyle, HTMLInputElement>();
  private readonly layouter: Layouter;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: Host,
  ) {
    const state = host.getState();
    this.view = { hidden: [...(state?.hidden ?? [])], focus: state?.focus };
    this.viewport = state?.viewport;
    this.selected = state?.selected;
    this.locked = !!state?.locked;

    const toolbar = el('div', { class: 'tl-toolbar', role: 'toolbar', 'aria-label': 'Diagram tools' });
    this.search = el('input', { type: 'search', class: 'tl-search', placeholder: 'Search by name', 'aria-label': 'Search services, events and datastores by name' });
    this.searchCount = el('span', { class: 'tl-count', 'aria-live': 'polite' });
    const filters = el('fieldset', { class: 'tl-filters' });
    filters.append(el('legend', { class: 'tl-sr' }, 'Show'));
    for (const s of EDGE_STYLES) {
      const label = el('label', { class: `tl-filter tl-filter-${s}` });
      const box = el('input', { type: 'checkbox' });
      box.checked = !this.view.hidden.includes(s);
      box.addEventListener('change', () => this.setHidden(s, !box.checked));
      this.filterBoxes.set(s, box);
      label.append(box, document.createTextNode(` ${STYLE_NAMES[s]}`));
      filters.append(label);
    }
    this.focusButton = this.button('Focus', 'Show only the selected element and its neighbourhood (F)', () => this.toggleFocus());
    this.lockButton = this.button('Lock', 'Keep this preview on its file instead of following the active editor', () => host.post({ type: 'toggleLock' }));
    this.lockButton.hidden = host.standalone;
    toolbar.append(
      this.search,
      this.searchCount,
      filters,
      this.focusButton,
      this.button('Fit', 'Fit the diagram to the window (0)', () => this.fit()),
      this.button('+', 'Zoom in (+)', () => this.zoomBy(1.25)),
      this.button('−', 'Zoom out (-)', () => this.zoomBy(0.8)),
      this.button('SVG', 'Export as SVG', () => void this.export('svg')),
      this.button('PNG', 'Export as PNG', () => void this.export('png')),
      this.lockButton,
    );
    this.status = el('span', { class: 'tl-status', role: 'status', 'aria-live': 'polite' });
    toolbar.append(this.status);

    const main = el('div', { class: 'tl-main' });
    this.canvas = el('div', { class: 'tl-canvas', tabindex: '0', role: 'application', 'aria-label': 'Topology diagram. Tab moves between elements, Enter shows the source, arrow keys pan, plus and minus zoom, 0 fits.' });
    this.tooltip = el('div', { class: 'tl-tooltip', role: 'tooltip', hidden: '' });
    this.canvas.append(this.tooltip);
    const side = el('aside', { class: 'tl-side', 'aria-label': 'Details and findings' });
    this.details = el('section', { class: 'tl-details', 'aria-live': 'polite' });
    this.findingsTitle = el('h2', {}, 'Findings');
    this.findingsList = el('ul', { class: 'tl-findings' });
    side.append(this.details, this.findingsTitle, this.findingsList);
    main.append(this.canvas, side);
    root.append(toolbar, main);
    this.updateLock();

    this.layouter = new Layouter(() => host.workerSource(), nonce);
    this.wireCanvas();
    this.search.addEventListener('input', () => this.runSearch(false));
    this.search.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        this.runSearch(true, e.shiftKey ? -1 : 1);
      } else if (e.key === 'Escape') {
        this.search.value = '';
        this.runSearch(false);
      }
    });
    new ResizeObserver(() => this.applyViewport()).observe(this.canvas);
    host.listen((m) => this.onMessage(m));
    host.post({ type: 'ready' });
  }

  private button(text: string, title: string, run: () => void): HTMLButtonElement {
    const b = el('button', { type: 'button', title, 'aria-label': title }, text);
    b.addEventListener('click', run);
    return b;
  }

  private onMessage(m: HostMessage): void {
    switch (m.type) {
      case 'graph':
        if (m.locked !== undefined) this.locked = m.locked;
        this.updateLock();
        void this.update(m.payload);
        break;
      case 'highlight':
        this.cursorId = m.id;
        this.applyClasses();
        if (m.id) this.reveal(m.id, false);
        break;
      case 'locked':
        this.locked = m.locked;
        this.updateLock();
        this.saveState();
        break;
      case 'command':
        if (m.command === 'fit') this.fit();
        else void this.export(m.command === 'exportSvg' ? 'svg' : 'png');
        break;
    }
  }

  private updateLock(): void {
    this.lockButton.textContent = this.locked ? 'Locked' : 'Lock';
    this.lockButton.setAttribute('aria-pressed', String(this.locked));
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
    if (!this.layout) this.setStatus(`Laying out ${graph.nodes.length} elements…`);
    let result;
    try {
      result = await this.layouter.layout(toElkGraph(graph), [...reversedEdges(graph)]);
    } catch (e) {
      this.setStatus(`Layout failed: ${e instanceof Error ? e.message : String(e)}`);
      this.host.post({ type: 'error', message: String(e) });
      return;
    }
    if (token !== this.renderToken) return;
    // Remember where an anchor element sits on screen, to put it back there in the new drawing.
    const anchor = firstForDocument ? undefined : this.anchor();
    this.graph = graph;
    this.layout = result.layout;
    this.mount(renderSvg(payload, graph, result.layout, { interactive: true, padding: 0 }));
    if (anchor && this.viewport && result.layout.nodes[anchor.id]) {
      const b = result.layout.nodes[anchor.id];
      this.viewport = keepAt(this.viewport, b.x + b.width / 2, b.y + b.height / 2, anchor.sx, anchor.sy);
    } else if (!this.viewport || (firstForDocument && !this.restoredViewport())) {
      this.viewport = this.fitViewport();
    }
    this.restoring = false;
    this.applyViewport();
    this.applyClasses();
    this.renderFindings();
    this.renderDetails();
    if (this.search.value) this.runSearch(false);
    this.setStatus(`${graph.nodes.length} elements, ${graph.edges.length} connections${this.view.focus ? ` around ${this.label(this.view.focus)}` : ''}`);
    this.saveState();
    // Reported after the browser has painted the new drawing.
    requestAnimationFrame(() =>
      setTimeout(() => {
        if (token !== this.renderToken) return;
        this.host.post({ type: 'rendered', version: payload.version, nodes: graph.nodes.length, edges: graph.edges.length, layoutMs: Math.round(result.ms), totalMs: Math.round(performance.now() - t0), worker: result.worker });
      }, 0),
    );
  }

  /** True once: a viewport restored from saved state is kept for the first drawing after a reload. */
  private restoring = true;
  private restoredViewport(): boolean {
    return this.restoring && !!this.host.getState()?.viewport;
  }

  private clear(message: string): void {
    this.svg?.remove();
    this.svg = undefined;
    this.layout = undefined;
    this.elements.clear();
    this.findingsList.replaceChildren();
    this.details.replaceChildren();
    this.findingsTitle.textContent = 'Findings';
    this.setStatus(message);
  }

  private setStatus(text: string): void {
    this.status.textContent = text;
  }

  private label(id: string): string {
    return this.nodesById.get(id)?.label ?? id;
  }

  /** The selected or highlighted node, else the node nearest the middle of the screen, with its screen position. */
  private anchor(): { id: string; sx: number; sy: number } | undefined {
    const v = this.viewport;
    const layout = this.layout;
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
    const cx = this.canvas.clientWidth / 2;
    const cy = this.canvas.clientHeight / 2;
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

  /** Parses the drawing as XML (a name that slipped through escaping would break the parse, not run). */
  private mount(svgText: string): void {
    const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
    const parsed = doc.documentElement;
    if (parsed.nodeName !== 'svg' || doc.getElementsByTagName('parsererror').length) throw new Error('the drawing did not parse');
    // Adopted, not cloned: a deep copy of a large drawing doubled the time to show it.
    const svg = document.adoptNode(parsed) as unknown as SVGSVGElement;
    svg.removeAttribute('width');
    svg.removeAttribute('height');
    svg.removeAttribute('viewBox');
    svg.setAttribute('class', 'tl-diagram tl-interactive');
    const content = svg.querySelector('.tl-content')!;
    const g = document.createElementNS(SVG_NS, 'g');
    g.setAttribute('class', 'tl-viewport');
    svg.insertBefore(g, content);
    g.append(content);
    this.svg?.remove();
    this.canvas.prepend(svg);
    this.svg = svg;
    this.viewportGroup = g;
    this.elements.clear();
    for (const e of svg.querySelectorAll('[data-id]')) this.elements.set(e.getAttribute('data-id')!, e);
  }

  private fitViewport(): Viewport {
    const l = this.layout!;
    return fitBox({ x: 0, y: 0, width: l.width, height: l.height }, this.canvas.clientWidth || 800, this.canvas.clientHeight || 600);
  }

  fit(): void {
    if (!this.layout) return;
    this.viewport = this.fitViewport();
    this.applyViewport();
    this.saveState();
  }

  private zoomBy(f: number): void {
    if (!this.viewport) return;
    this.viewport = zoomAbout(this.viewport, f, this.canvas.clientWidth / 2, this.canvas.clientHeight / 2);
    this.applyViewport(true);
  }

  /**
   * Shows the viewport. A live change (dragging, the wheel, keys) only moves and scales the drawing's
   * composited layer, which costs no repaint; the drawing itself is transformed (and repainted sharp at the
   * new zoom) once the change has rested for COMMIT_MS. Without this, each frame of a pan repainted every
   * element: a third of a second per frame for 200 services in software rendering.
   */
  private applyViewport(live = false): void {
    const v = this.viewport;
    if (!v || !this.viewportGroup || !this.svg) return;
    this.canvas.dataset.viewport = `${v.x.toFixed(2)} ${v.y.toFixed(2)} ${v.k.toFixed(4)}`;
    clearTimeout(this.commitTimer);
    const c = this.committed;
    if (live && c) {
      const s = v.k / c.k;
      this.svg.style.transform = `translate(${(v.x - s * c.x).toFixed(2)}px, ${(v.y - s * c.y).toFixed(2)}px) scale(${s.toFixed(5)})`;
      this.commitTimer = setTimeout(() => this.applyViewport(false), COMMIT_MS);
      return;
    }
    const w = this.canvas.clientWidth;
    const h = this.canvas.clientHeight;
    // The drawing's box reaches one canvas beyond each side, so a pan shows what is already painted there.
    Object.assign(this.svg.style, { left: `${-w}px`, top: `${-h}px`, width: `${3 * w}px`, height: `${3 * h}px`, transformOrigin: `${w}px ${h}px`, transform: '' });
    this.viewportGroup.setAttribute('transform', `translate(${(v.x + w).toFixed(2)} ${(v.y + h).toFixed(2)}) scale(${v.k.toFixed(4)})`);
    this.svg.classList.toggle('tl-far', v.k < FAR_ZOOM);
    this.committed = v;
    this.saveState();
  }

  private saveState(): void {
    const s: PreviewState = { ...(this.host.getState() ?? {}), uri: this.payload?.uri ?? this.host.getState()?.uri, locked: this.locked, viewport: this.viewport, selected: this.selected, hidden: this.view.hidden, focus: this.view.focus };
    this.host.setState(s);
  }

  private wireCanvas(): void {
    let drag: { x: number; y: number; v: Viewport; moved: boolean; id: number } | undefined;
    this.canvas.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || !this.viewport) return;
      drag = { x: e.clientX, y: e.clientY, v: this.viewport, moved: false, id: e.pointerId };
    });
    this.canvas.addEventListener('pointermove', (e) => {
      if (drag && drag.id === e.pointerId) {
        const dx = e.clientX - drag.x;
        const dy = e.clientY - drag.y;
        if (!drag.moved && Math.hypot(dx, dy) > 4) {
          drag.moved = true;
          this.canvas.setPointerCapture(e.pointerId);
          this.canvas.classList.add('tl-panning');
        }
        if (drag.moved) {
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
      this.canvas.classList.remove('tl-panning');
      if (!wasDrag) this.click(e);
    };
    this.canvas.addEventListener('pointerup', end);
    this.canvas.addEventListener('pointercancel', () => {
      drag = undefined;
      this.canvas.classList.remove('tl-panning');
    });
    this.canvas.addEventListener('pointerleave', () => this.hideTooltip());
    this.canvas.addEventListener(
      'wheel',
      (e) => {
        if (!this.viewport) return;
        e.preventDefault();
        const r = this.canvas.getBoundingClientRect();
        // Pinch gestures and ctrl+wheel zoom faster than a plain wheel.
        const f = Math.exp(-e.deltaY * (e.ctrlKey ? 0.01 : 0.0015));
        this.viewport = zoomAbout(this.viewport, f, e.clientX - r.left, e.clientY - r.top);
        this.applyViewport(true);
      },
      { passive: false },
    );
    this.canvas.addEventListener('dblclick', (e) => {
      const id = this.idAt(e.target);
      if (id && this.nodesById.has(id)) this.setFocus(id);
    });
    this.canvas.addEventListener('focusin', (e) => {
      const id = this.idAt(e.target);
      if (id && id !== this.selected) this.select(id, false);
    });
    this.canvas.addEventListener('keydown', (e) => this.key(e));
  }

  private idAt(target: EventTarget | null): string | undefined {
    return (target instanceof Element ? target.closest('[data-id]') : null)?.getAttribute('data-id') ?? undefined;
  }

  private click(e: PointerEvent): void {
    const id = this.idAt(e.target);
    if (id) this.select(id, true);
    else if (this.selected || this.activeFinding) {
      this.selected = undefined;
      this.activeFinding = undefined;
      this.applyClasses();
      this.renderDetails();
      this.renderFindings();
      this.saveState();
    }
  }

  private key(e: KeyboardEvent): void {
    if (!this.viewport) return;
    const step = 60;
    const pan = (dx: number, dy: number) => {
      this.viewport = { ...this.viewport!, x: this.viewport!.x + dx, y: this.viewport!.y + dy };
      this.applyViewport(true);
    };
    const id = this.idAt(e.target);
    switch (e.key) {
      case 'Enter':
      case ' ':
        if (id) {
          e.preventDefault();
          this.select(id, true);
        }
        return;
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
      case 'f':
      case 'F':
        this.toggleFocus();
        break;
      case 'ArrowLeft':
        pan(step, 0);
        break;
      case 'ArrowRight':
        pan(-step, 0);
        break;
      case 'ArrowUp':
        pan(0, step);
        break;
      case 'ArrowDown':
        pan(0, -step);
        break;
      case 'Escape':
        this.activeFinding = undefined;
        this.applyClasses();
        this.renderFindings();
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  /** Selects an element; with `toSource`, asks the host to reveal and select its source. */
  private select(id: string, toSource: boolean): void {
    this.selected = id;
    this.applyClasses();
    this.renderDetails();
    this.saveState();
    if (toSource) this.revealSource(id);
  }

  private revealSource(id: string): void {
    const x = this.nodesById.get(id) ?? this.edgesById.get(id) ?? this.findingsById.get(id);
    if (x) this.host.post({ type: 'reveal', id, uri: x.uri, range: x.range });
  }

  /** Brings an element into view if it is off screen (keeping the zoom), or always with `force`. */
  private reveal(id: string, force: boolean): void {
    const b = this.boxOf(id);
    if (!b || !this.viewport) return;
    const w = this.canvas.clientWidth;
    const h = this.canvas.clientHeight;
    if (!force && isVisible(this.viewport, b, w, h)) return;
    this.viewport = centreOn(this.viewport, b.x + b.width / 2, b.y + b.height / 2, w, h);
    this.applyViewport();
    this.saveState();
  }

  private boxOf(id: string): Box | undefined {
    const l = this.layout;
    if (!l) return undefined;
    if (l.nodes[id]) return l.nodes[id];
    const e = l.edges[id];
    if (!e) return undefined;
    return unionBox(e.points.map((p) => ({ x: p.x, y: p.y, width: 0, height: 0 })));
  }

  /** Sets every state class (selected, highlighted, search match, dimmed) from the current state. */
  private applyClasses(): void {
    if (!this.svg) return;
    for (const e of this.svg.querySelectorAll('.tl-selected, .tl-hl, .tl-match')) e.classList.remove('tl-selected', 'tl-hl', 'tl-match');
    const overlay = this.svg.querySelector('.tl-overlay');
    overlay?.replaceChildren();
    if (this.selected) this.elements.get(this.selected)?.classList.add('tl-selected');
    if (this.cursorId) this.elements.get(this.cursorId)?.classList.add('tl-hl');
    const f = this.activeFinding ? this.findingsById.get(this.activeFinding) : undefined;
    if (f) {
      for (const id of f.elements) this.elements.get(id)?.classList.add('tl-hl');
      const mark = markOf(f.rule);
      if (overlay && this.layout && f.elements.length > 1 && (mark === 'chain' || mark === 'cycle')) {
        const doc = new DOMParser().parseFromString(`<g xmlns="${SVG_NS}">${orderBadgesSvg(this.layout, f.elements)}</g>`, 'image/svg+xml');
        overlay.append(...[...doc.documentElement.childNodes].map((c) => document.importNode(c, true)));
      }
    }
    for (const id of this.matches) this.elements.get(id)?.classList.add('tl-match');
    this.svg.classList.toggle('tl-dimmed', !!f || this.matches.length > 0);
  }

  private renderFindings(): void {
    const p = this.payload;
    if (!p) return;
    const list = sortedFindings(p.findings);
    const active = list.filter((f) => !f.accepted).length;
    this.findingsTitle.textContent = `Findings (${active}${list.length > active ? `, ${list.length - active} accepted` : ''})`;
    const items = list.map((f) => {
      const li = el('li', { class: `tl-finding tl-sev-${f.accepted ? 'accepted' : f.severity}` });
      const b = el('button', { type: 'button', class: 'tl-finding-main', 'aria-pressed': String(this.activeFinding === f.id), 'data-finding': f.id });
      b.append(el('span', { class: 'tl-sev' }, f.accepted ? 'accepted' : f.severity), el('span', { class: 'tl-msg' }, f.message), el('span', { class: 'tl-rule' }, f.rule));
      b.addEventListener('click', () => this.showFinding(f.id));
      const go = el('button', { type: 'button', class: 'tl-go', title: 'Go to the finding in the editor', 'aria-label': `Go to the source of: ${f.message}` }, '↗');
      go.addEventListener('click', () => this.revealSource(f.id));
      li.append(b, go);
      return li;
    });
    this.findingsList.replaceChildren(...items);
    if (!items.length) this.findingsList.append(el('li', { class: 'tl-empty' }, 'No findings.'));
  }

  /** Highlights a finding's elements (numbered in order for chains and cycles) and brings them into view. */
  private showFinding(id: string): void {
    this.activeFinding = this.activeFinding === id ? undefined : id;
    this.applyClasses();
    this.renderFindings();
    const f = this.activeFinding ? this.findingsById.get(this.activeFinding) : undefined;
    if (!f || !this.viewport) return;
    const box = unionBox(f.elements.map((e) => this.boxOf(e)).filter((b): b is Box => !!b));
    if (box && !isVisible(this.viewport, box, this.canvas.clientWidth, this.canvas.clientHeight)) {
      const fitted = fitBox(box, this.canvas.clientWidth, this.canvas.clientHeight, 60, Math.max(this.viewport.k, 0.6));
      this.viewport = fitted.k < this.viewport.k ? fitted : centreOn(this.viewport, box.x + box.width / 2, box.y + box.height / 2, this.canvas.clientWidth, this.canvas.clientHeight);
      this.applyViewport();
      this.saveState();
    }
  }

  /** The selected element: what it is, its findings, and its connections as buttons (keyboard access to edges). */
  private renderDetails(): void {
    const id = this.selected;
    const node = id ? this.nodesById.get(id) : undefined;
    const edge = id ? this.edgesById.get(id) : undefined;
    if (!node && !edge) {
      this.details.replaceChildren(el('p', { class: 'tl-hint' }, 'Click an element to see its source; double-click to focus on it.'));
      return;
    }
    const parts: HTMLElement[] = [];
    if (node) {
      parts.push(el('h2', {}, node.label));
      parts.push(el('p', { class: 'tl-kind' }, `${node.kind}${node.variant && node.variant !== node.kind ? ` · ${node.variant}` : ''}${node.external ? ' · external' : ''}`));
      if (node.description) parts.push(el('p', {}, node.description));
      const links = this.graph.edges.filter((e) => e.from === node.id || e.to === node.id);
      if (links.length) {
        const ul = el('ul', { class: 'tl-links', 'aria-label': 'Connections' });
        for (const e of links) {
          const other = e.from === node.id ? e.to : e.from;
          const b = el('button', { type: 'button' }, `${e.from === node.id ? '→' : '←'} ${this.label(other)} (${e.kind}${e.label ? `, ${e.label}` : ''})`);
          b.addEventListener('click', () => {
            this.select(e.id, true);
            this.reveal(e.id, false);
          });
          const li = el('li');
          li.append(b);
          ul.append(li);
        }
        parts.push(ul);
      }
    } else if (edge) {
      parts.push(el('h2', {}, `${this.label(edge.from)} → ${this.label(edge.to)}`));
      parts.push(el('p', { class: 'tl-kind' }, `${edge.kind}${edge.label ? ` · ${edge.label}` : ''}${edge.kind === 'uses' ? (edge.owner ? ' · owner' : ' · not the owner') : ''}`));
    }
    const findings = (node ?? edge)!.findings.map((f) => this.findingsById.get(f)).filter((f): f is GraphFinding => !!f);
    if (findings.length) {
      const ul = el('ul', { class: 'tl-element-findings' });
      for (const f of findings) ul.append(el('li', { class: `tl-sev-${f.accepted ? 'accepted' : f.severity}` }, `${f.accepted ? 'accepted' : f.severity}: ${f.message}`));
      parts.push(ul);
    }
    this.details.replaceChildren(...parts);
  }

  private hover(e: PointerEvent): void {
    const id = this.idAt(e.target);
    if (!id) return this.hideTooltip();
    const x = this.nodesById.get(id) ?? this.edgesById.get(id);
    if (!x) return this.hideTooltip();
    const lines: string[] = ['label' in x ? x.label : `${this.label(x.from)} → ${this.label(x.to)}${x.label ? ` (${x.label})` : ''}`];
    for (const fid of x.findings) {
      const f = this.findingsById.get(fid);
      if (f) lines.push(`${f.accepted ? 'accepted' : f.severity}: ${f.message}`);
    }
    this.tooltip.replaceChildren(...lines.map((l, i) => el(i ? 'div' : 'strong', {}, l)));
    this.tooltip.hidden = false;
    const r = this.canvas.getBoundingClientRect();
    const left = Math.min(e.clientX - r.left + 14, r.width - this.tooltip.offsetWidth - 4);
    const top = Math.min(e.clientY - r.top + 14, r.height - this.tooltip.offsetHeight - 4);
    this.tooltip.style.transform = `translate(${Math.max(0, left)}px, ${Math.max(0, top)}px)`;
  }

  private hideTooltip(): void {
    this.tooltip.hidden = true;
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
      else this.setStatus('Select an element to focus on it.');
    }
  }

  private setFocus(id: string | undefined): void {
    this.view.focus = id;
    if (id) this.selected = id;
    this.focusButton.textContent = id ? 'Show all' : 'Focus';
    this.focusButton.setAttribute('aria-pressed', String(!!id));
    void this.update(this.payload);
  }

  private runSearch(step: boolean, dir = 1): void {
    const q = this.search.value;
    const visible = new Set(this.graph.nodes.map((n) => n.id));
    this.matches = this.payload ? searchNodes(this.payload, q).filter((id) => visible.has(id)) : [];
    if (!this.matches.length) this.matchIndex = -1;
    else if (step) this.matchIndex = (this.matchIndex + dir + this.matches.length) % this.matches.length;
    else this.matchIndex = Math.min(Math.max(this.matchIndex, 0), this.matches.length - 1);
    this.searchCount.textContent = q.trim() ? (this.matches.length ? `${this.matchIndex + 1} of ${this.matches.length}` : 'no match') : '';
    if (step && this.matchIndex >= 0) {
      const id = this.matches[this.matchIndex];
      this.selected = id;
      this.renderDetails();
      this.reveal(id, true);
    }
    this.applyClasses();
  }

  /** The drawing as a file of its own, in the colours of the current theme. */
  private exportSvg(): string {
    const theme: Record<string, string> = {};
    if (this.svg) {
      const cs = getComputedStyle(this.svg);
      for (const k of Object.keys(THEME_VARS)) {
        const v = cs.getPropertyValue(k).trim();
        if (v) theme[k] = v;
      }
    }
    return renderSvg(this.payload!, this.graph, this.layout!, { standalone: true, theme });
  }

  private async export(format: 'svg' | 'png'): Promise<void> {
    if (!this.payload || !this.layout) return;
    const name = this.payload.name || 'topology';
    const svg = this.exportSvg();
    if (format === 'svg') {
      this.host.post({ type: 'export', format, name, data: svg });
      return;
    }
    try {
      this.host.post({ type: 'export', format, name, data: await svgToPng(svg) });
    } catch (e) {
      this.setStatus(`PNG export failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/** Draws an SVG into a canvas (at up to twice its size, within the browser's canvas limits) and encodes a PNG. */
async function svgToPng(svg: string): Promise<string> {
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

