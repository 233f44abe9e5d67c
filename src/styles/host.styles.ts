/**
 * Styles every chat element lists first: box model, `hidden`, focus ring, reduced motion,
 * and the private aliases of the public design tokens.
 *
 * Public tokens (`--chat-*`) are read on the inner `.base` element through private aliases
 * (`--_*`) with built-in fallbacks, never declared on `:host`, so a value the page sets on
 * `:root` or on the element always wins. See docs/theming.md.
 */
import { css } from 'lit';

export const hostStyles = css`
  :host {
    display: block;
  }
  :host([hidden]) {
    display: none !important;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  [hidden] {
    display: none !important;
  }
  .base {
    --_font: var(--chat-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif);
    --_font-size: var(--chat-font-size, 0.875rem);
    --_font-size-s: var(--chat-font-size-small, 0.8125rem);
    --_font-size-l: var(--chat-font-size-large, 1rem);
    --_text: var(--chat-color-text, #1b2431);
    --_muted: var(--chat-color-text-muted, #556070);
    --_surface: var(--chat-color-surface, #ffffff);
    --_surface-alt: var(--chat-color-surface-alt, #f3f5f8);
    --_border: var(--chat-color-border, #d3d9e1);
    --_accent: var(--chat-color-accent, #1d5fbf);
    --_on-accent: var(--chat-color-on-accent, #ffffff);
    --_accent-soft: var(--chat-color-accent-soft, #e6eefa);
    --_danger: var(--chat-color-danger, #b42318);
    --_success: var(--chat-color-success, #067647);
    --_warning: var(--chat-color-warning, #9a4505);
    --_note: var(--chat-color-note, #fff6d6);
    --_radius: var(--chat-radius, 8px);
    --_radius-s: var(--chat-radius-small, 4px);
    --_space-xs: var(--chat-space-xs, 4px);
    --_space-s: var(--chat-space-s, 8px);
    --_space-m: var(--chat-space-m, 12px);
    --_space-l: var(--chat-space-l, 16px);
    --_focus: var(--chat-focus-ring-color, #1d5fbf);
    font-family: var(--_font);
    font-size: var(--_font-size);
    color: var(--_text);
    line-height: 1.4;
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }
  button {
    font: inherit;
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation-duration: 0.01ms !important;
      animation-iteration-count: 1 !important;
      transition-duration: 0.01ms !important;
      scroll-behavior: auto !important;
    }
  }
`;

/** Buttons in the library's look; components add `class="btn"` (+ `btn--primary`, `btn--quiet`). */
export const buttonStyles = css`
  .btn {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: var(--_space-xs);
    min-height: 32px;
    min-width: 32px;
    padding: 0 var(--_space-m);
    border: 1px solid var(--_border);
    border-radius: var(--_radius-s);
    background: var(--_surface);
    color: var(--_text);
    cursor: pointer;
    font-size: var(--_font-size);
    line-height: 1.2;
    white-space: nowrap;
  }
  .btn:hover:not(:disabled) {
    background: var(--_surface-alt);
  }
  .btn--primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }
  .btn--primary:hover:not(:disabled) {
    background: var(--_accent);
    filter: brightness(0.92);
  }
  .btn--danger {
    color: var(--_danger);
  }
  .btn--quiet {
    border-color: transparent;
    background: transparent;
  }
  .btn:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
`;
