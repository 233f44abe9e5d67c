/**
 * The panels above the composer (Insert, emoji, CRM documents): in the top layer, placed by
 * `anchorPanel` (src/internal/floating.ts) through custom properties, with their shared styles.
 */
import { css } from 'lit';

/** The panels above the composer (Insert, emoji, CRM documents): top layer, placed by `anchorPanel`. */
export const popoverStyles = css`
  .popover {
    position: fixed;
    inset: auto;
    left: var(--_pop-left, 8px);
    top: var(--_pop-top, 8px);
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
