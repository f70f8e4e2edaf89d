/**
 * The few DOM helpers every part of the preview uses. Text always goes in through textContent, never as
 * markup, so a name from a topology cannot become an element.
 */
export const SVG_NS = 'http://www.w3.org/2000/svg';

/** The nonce the page's script was loaded with; styles and the fallback layout script are added under it. */
export const nonce = (document.currentScript as HTMLScriptElement | null)?.nonce ?? '';

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

export function button(text: string, title: string, run: () => void): HTMLButtonElement {
  const b = el('button', { type: 'button', title, 'aria-label': title }, text);
  b.addEventListener('click', run);
  return b;
}

/** The data-id of the element an event happened on, if it is part of the drawing. */
export function idAt(target: EventTarget | null): string | undefined {
  return (target instanceof Element ? target.closest('[data-id]') : null)?.getAttribute('data-id') ?? undefined;
}
