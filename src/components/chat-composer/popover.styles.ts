/**
 * The panels above the composer (Insert, emoji, CRM documents): placed in the top layer just above
 * the composer, with their shared styles.
 */
import { css } from 'lit';

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
