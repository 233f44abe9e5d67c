/**
 * Styles of lazily loaded parts of an element (the composer's Insert and emoji pickers, the
 * conversation's request dialog): their code and CSS arrive on first use and are rendered inside
 * the element's own shadow root, so their ARIA relationships stay within one root. This adds
 * their CSS to that root once, after the element's static styles.
 */
import type { CSSResult, ReactiveElement } from 'lit';
import { css, supportsAdoptingStyleSheets } from 'lit';

const adopted = new WeakMap<ShadowRoot, Set<CSSResult>>();

/** Adds `styles` to the element's shadow root (once per root). */
export function adoptLazyStyles(host: ReactiveElement, styles: readonly CSSResult[]): void {
  const root = host.renderRoot;
  if (!(root instanceof ShadowRoot)) return;
  let done = adopted.get(root);
  if (!done) {
    done = new Set();
    adopted.set(root, done);
  }
  const missing = styles.filter((s) => !done.has(s));
  if (missing.length === 0) return;
  for (const s of missing) done.add(s);
  if (supportsAdoptingStyleSheets) {
    const sheets = missing.map((s) => s.styleSheet).filter((s): s is CSSStyleSheet => s !== undefined);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, ...sheets];
    return;
  }
  const nonce = (globalThis as { litNonce?: string }).litNonce;
  for (const s of missing) {
    const el = document.createElement('style');
    if (nonce !== undefined) el.setAttribute('nonce', nonce);
    el.textContent = s.cssText;
    root.append(el);
  }
}

/**
 * Places a top-layer panel just above `anchor` (the composer), as wide as it (at most `maxWidth`),
 * through custom properties on the panel (no style attribute strings).
 */
export function placeAbove(panel: HTMLElement, anchor: Element, maxWidth: number): void {
  const r = anchor.getBoundingClientRect();
  const width = Math.min(r.width, maxWidth, window.innerWidth - 16);
  const left = Math.max(8, Math.min(r.left, window.innerWidth - width - 8));
  panel.style.setProperty('--_pop-left', `${String(Math.round(left))}px`);
  panel.style.setProperty('--_pop-bottom', `${String(Math.round(Math.max(8, window.innerHeight - r.top + 4)))}px`);
  panel.style.setProperty('--_pop-width', `${String(Math.round(width))}px`);
  panel.style.setProperty('--_pop-max-height', `${String(Math.round(Math.max(200, r.top - 12)))}px`);
}

/** The panels above the composer (Insert, emoji, CRM documents): top layer, placed by {@link placeAbove}. */
export const popoverStyles = css`
  .popover {
    position: fixed;
    inset: auto;
    left: var(--_pop-left, 8px);
    bottom: var(--_pop-bottom, 8px);
    width: var(--_pop-width, min(40rem, calc(100vw - 16px)));
    max-height: min(var(--_pop-max-height, 30rem), 34rem);
    margin: 0;
    padding: var(--_space-m);
    overflow: auto;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
    box-shadow: 0 8px 28px rgb(0 0 0 / 0.2);
    font: inherit;
  }
  .picker-search {
    width: 100%;
    min-height: 32px;
    padding: 4px 8px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius-s);
    font: inherit;
    color: inherit;
    background: var(--_surface);
  }
  .picker-empty {
    margin: var(--_space-s) 0;
    color: var(--_muted);
  }
  .picker-keys {
    margin: var(--_space-s) 0 0;
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }
`;
