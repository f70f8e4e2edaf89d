/**
 * The side panel: the selected element's details (what it is, its findings, its connections as buttons,
 * which are the keyboard's way to an edge) and the list of every finding, each of which highlights its
 * elements in the drawing or jumps to its source.
 */
import type { GraphEdge, GraphFinding, GraphNode, GraphPayload } from '../../shared/protocol';
import type { DiagramGraph } from '../../shared/diagram/model';
import { sortedFindings } from '../../shared/diagram/smells';
import { el } from './dom';

export interface FindingsPanelActions {
  /** Highlights a finding's elements (or stops highlighting it). */
  showFinding(id: string): void;
  /** Asks the host to reveal an element's or a finding's source. */
  revealSource(id: string): void;
  /** Selects a connection, reveals its source and brings it into view. */
  openEdge(id: string): void;
  /** True while the user pans or zooms the drawing: the list waits, so that no frame of it carries a slice. */
  held(): boolean;
}

/** What the panel reads of the preview's state. */
export interface PanelState {
  readonly payload: GraphPayload | null;
  readonly graph: DiagramGraph;
  readonly nodesById: ReadonlyMap<string, GraphNode>;
  readonly edgesById: ReadonlyMap<string, GraphEdge>;
  readonly findingsById: ReadonlyMap<string, GraphFinding>;
  readonly selected: string | undefined;
  readonly activeFinding: string | undefined;
}

/**
 * Findings are put in the list this many at a time, one slice per frame: 651 findings of a 1,000-service
 * system (3,900 elements) in one go were a long task of their own (issue 11). Each finding is about ten
 * layout objects (a grid of spans in a button): 150 of them took 50 ms of layout on the shared machine, and
 * slices a task apart landed two or three in one frame, beside a slice of the drawing.
 */
const SLICE = 50;
/** How long a slice waits, and looks again, while the drawing is panned or zoomed. */
const HOLD_MS = 100;

export class FindingsPanel {
  readonly element: HTMLElement;
  private readonly details: HTMLElement;
  private readonly findingsTitle: HTMLElement;
  private readonly findingsList: HTMLUListElement;
  /** Counts renderings, so that the slices of an older one stop when a newer one starts. */
  private renderToken = 0;

  constructor(private readonly actions: FindingsPanelActions) {
    this.element = el('aside', { class: 'tl-side', 'aria-label': 'Details and findings' });
    this.details = el('section', { class: 'tl-details', 'aria-live': 'polite' });
    this.findingsTitle = el('h2', {}, 'Findings');
    this.findingsList = el('ul', { class: 'tl-findings' });
    this.element.append(this.details, this.findingsTitle, this.findingsList);
  }

  clear(): void {
    this.renderToken++;
    this.findingsList.replaceChildren();
    this.details.replaceChildren();
    this.findingsTitle.textContent = 'Findings';
  }

  renderFindings(s: PanelState): void {
    const p = s.payload;
    if (!p) return;
    const list = sortedFindings(p.findings);
    const active = list.filter((f) => !f.accepted).length;
    this.findingsTitle.textContent = `Findings (${active}${list.length > active ? `, ${list.length - active} accepted` : ''})`;
    const item = (f: GraphFinding) => {
      const li = el('li', { class: `tl-finding tl-sev-${f.accepted ? 'accepted' : f.severity}` });
      const b = el('button', { type: 'button', class: 'tl-finding-main', 'aria-pressed': String(s.activeFinding === f.id), 'data-finding': f.id });
      b.append(el('span', { class: 'tl-sev' }, f.accepted ? 'accepted' : f.severity), el('span', { class: 'tl-msg' }, f.message), el('span', { class: 'tl-rule' }, f.rule));
      b.addEventListener('click', () => this.actions.showFinding(f.id));
      const go = el('button', { type: 'button', class: 'tl-go', title: 'Go to the finding in the editor', 'aria-label': `Go to the source of: ${f.message}` }, '↗');
      go.addEventListener('click', () => this.actions.revealSource(f.id));
      li.append(b, go);
      return li;
    };
    const token = ++this.renderToken;
    this.findingsList.replaceChildren(...list.slice(0, SLICE).map(item));
    if (!list.length) this.findingsList.append(el('li', { class: 'tl-empty' }, 'No findings.'));
    // The next slice waits for a frame (and for a pan or zoom to end), so that each is laid out on its own.
    const next = (from: number) => requestAnimationFrame(() => setTimeout(() => more(from), 0));
    const more = (from: number) => {
      if (token !== this.renderToken || from >= list.length) return;
      if (this.actions.held()) {
        setTimeout(() => more(from), HOLD_MS);
        return;
      }
      this.findingsList.append(...list.slice(from, from + SLICE).map(item));
      next(from + SLICE);
    };
    next(SLICE);
  }

  /** The selected element: what it is, its findings, and its connections as buttons. */
  renderDetails(s: PanelState): void {
    const id = s.selected;
    const node = id ? s.nodesById.get(id) : undefined;
    const edge = id ? s.edgesById.get(id) : undefined;
    const label = (x: string) => s.nodesById.get(x)?.label ?? x;
    if (!node && !edge) {
      this.details.replaceChildren(el('p', { class: 'tl-hint' }, 'Click an element to see its source; double-click to focus on it.'));
      return;
    }
    const parts: HTMLElement[] = [];
    if (node) {
      parts.push(el('h2', {}, node.label));
      parts.push(el('p', { class: 'tl-kind' }, `${node.kind}${node.variant && node.variant !== node.kind ? ` · ${node.variant}` : ''}${node.external ? ' · external' : ''}`));
      if (node.description) parts.push(el('p', {}, node.description));
      const links = s.graph.edges.filter((e) => e.from === node.id || e.to === node.id);
      if (links.length) {
        const ul = el('ul', { class: 'tl-links', 'aria-label': 'Connections' });
        for (const e of links) {
          const other = e.from === node.id ? e.to : e.from;
          const b = el('button', { type: 'button' }, `${e.from === node.id ? '→' : '←'} ${label(other)} (${e.kind}${e.label ? `, ${e.label}` : ''})`);
          b.addEventListener('click', () => this.actions.openEdge(e.id));
          const li = el('li');
          li.append(b);
          ul.append(li);
        }
        parts.push(ul);
      }
    } else if (edge) {
      parts.push(el('h2', {}, `${label(edge.from)} → ${label(edge.to)}`));
      parts.push(el('p', { class: 'tl-kind' }, `${edge.kind}${edge.label ? ` · ${edge.label}` : ''}${edge.kind === 'uses' ? (edge.owner ? ' · owner' : ' · not the owner') : ''}`));
    }
    const findings = (node ?? edge)!.findings.map((f) => s.findingsById.get(f)).filter((f): f is GraphFinding => !!f);
    if (findings.length) {
      const ul = el('ul', { class: 'tl-element-findings' });
      for (const f of findings) ul.append(el('li', { class: `tl-sev-${f.accepted ? 'accepted' : f.severity}` }, `${f.accepted ? 'accepted' : f.severity}: ${f.message}`));
      parts.push(ul);
    }
    this.details.replaceChildren(...parts);
  }
}
