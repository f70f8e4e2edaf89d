/**
 * The preview's toolbar: search, the style filters, focus, fit and zoom, exports, the lock, and the status
 * line. It holds no diagram state; it calls back into the preview and shows what it is told.
 */
import { EDGE_STYLES, type EdgeStyle } from '../../shared/diagram/model';
import { button, el } from './dom';

const STYLE_NAMES: Record<EdgeStyle, string> = { sync: 'Sync', async: 'Async', event: 'Events', data: 'Data' };

export interface ToolbarActions {
  /** The search text changed (`step` false), or Enter / Shift+Enter moved to the next or previous match. */
  search(step: boolean, dir: number): void;
  setHidden(style: EdgeStyle, hidden: boolean): void;
  toggleFocus(): void;
  fit(): void;
  zoomBy(factor: number): void;
  export(format: 'svg' | 'png'): void;
  toggleLock(): void;
  /** Opens or closes the side panel where it is a drawer (narrow panels); returns whether it is open. */
  toggleSide(): boolean;
}

export class Toolbar {
  readonly element: HTMLDivElement;
  readonly search: HTMLInputElement;
  private readonly searchCount: HTMLElement;
  private readonly focusButton: HTMLButtonElement;
  private readonly lockButton: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly sideButton: HTMLButtonElement;

  constructor(hidden: readonly EdgeStyle[], standalone: boolean, actions: ToolbarActions) {
    const toolbar = el('div', { class: 'tl-toolbar', role: 'toolbar', 'aria-label': 'Diagram tools' });
    this.search = el('input', { type: 'search', class: 'tl-search', placeholder: 'Search by name', 'aria-label': 'Search services, events and datastores by name' });
    this.searchCount = el('span', { class: 'tl-count', 'aria-live': 'polite' });
    const filters = el('fieldset', { class: 'tl-filters' });
    filters.append(el('legend', { class: 'tl-sr' }, 'Show'));
    for (const s of EDGE_STYLES) {
      const label = el('label', { class: `tl-filter tl-filter-${s}` });
      const box = el('input', { type: 'checkbox' });
      box.checked = !hidden.includes(s);
      box.addEventListener('change', () => actions.setHidden(s, !box.checked));
      label.append(box, document.createTextNode(` ${STYLE_NAMES[s]}`));
      filters.append(label);
    }
    this.focusButton = button('Focus', 'Show only the selected element and its neighbourhood (F)', () => actions.toggleFocus());
    this.lockButton = button('Lock', 'Keep this preview on its file instead of following the active editor', () => actions.toggleLock());
    this.lockButton.hidden = standalone;
    // Shown only in narrow panels (preview.css), where the side panel is a drawer.
    this.sideButton = button('Findings', 'Show or hide the findings and the details of the selection', () => this.sideButton.setAttribute('aria-expanded', String(actions.toggleSide())));
    this.sideButton.classList.add('tl-side-toggle');
    this.sideButton.setAttribute('aria-expanded', 'false');
    toolbar.append(
      this.search,
      this.searchCount,
      filters,
      this.focusButton,
      button('Fit', 'Fit the diagram to the window (0)', () => actions.fit()),
      button('+', 'Zoom in (+)', () => actions.zoomBy(1.25)),
      button('−', 'Zoom out (-)', () => actions.zoomBy(0.8)),
      button('SVG', 'Export as SVG', () => actions.export('svg')),
      button('PNG', 'Export as PNG', () => actions.export('png')),
      this.lockButton,
      this.sideButton,
    );
    this.status = el('span', { class: 'tl-status', role: 'status', 'aria-live': 'polite' });
    toolbar.append(this.status);
    this.element = toolbar;

    this.search.addEventListener('input', () => actions.search(false, 1));
    this.search.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        actions.search(true, e.shiftKey ? -1 : 1);
      } else if (e.key === 'Escape') {
        this.search.value = '';
        actions.search(false, 1);
      }
    });
  }

  setStatus(text: string): void {
    this.status.textContent = text;
  }

  setSearchCount(text: string): void {
    this.searchCount.textContent = text;
  }

  setLocked(locked: boolean): void {
    this.lockButton.textContent = locked ? 'Locked' : 'Lock';
    this.lockButton.setAttribute('aria-pressed', String(locked));
  }

  /** The drawer button's text: how many findings are open. */
  setFindingCount(active: number): void {
    this.sideButton.textContent = active ? `Findings (${active})` : 'Findings';
  }

  setFocused(focused: boolean): void {
    this.focusButton.textContent = focused ? 'Show all' : 'Focus';
    this.focusButton.setAttribute('aria-pressed', String(focused));
  }
}
