import { css } from 'lit';

export const sessionListStyles = css`
  .base {
    display: flex;
    flex-direction: column;
    height: 100%;
    min-height: 0;
    background: var(--chat-session-list-background, var(--_surface));
    color: var(--_text);
  }

  /* ---- header: queue count and "Get next in queue" ---------------------------------------- */
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-xs) var(--_space-s);
    padding: var(--chat-session-list-header-padding, var(--_space-m));
    border-bottom: 1px solid var(--_border);
    background: var(--chat-session-list-header-background, var(--_surface));
  }
  .queue {
    display: inline-flex;
    align-items: center;
    gap: var(--_space-xs);
    flex: 1 1 auto;
    min-width: 0;
    font-weight: 600;
    white-space: nowrap;
  }
  .queue svg {
    flex: none;
    width: 16px;
    height: 16px;
    color: var(--_muted);
  }
  .queue--waiting svg {
    color: var(--_warning);
  }
  .next {
    flex: none;
  }
  .btn[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.6;
    filter: none;
  }
  .reason,
  .error {
    flex: 1 0 100%;
    margin: 0;
    font-size: var(--_font-size-s);
  }
  .reason {
    color: var(--_muted);
  }
  .error {
    display: flex;
    gap: var(--_space-xs);
    align-items: flex-start;
    color: var(--_danger);
  }
  .error svg {
    flex: none;
    width: 16px;
    height: 16px;
    margin-top: 1px;
  }

  /* ---- search ---------------------------------------------------------------------------- */
  .search {
    position: relative;
    display: flex;
    align-items: center;
    margin: var(--_space-s) var(--_space-m) 0;
  }
  .search > svg {
    position: absolute;
    inset-inline-start: var(--_space-s);
    width: 16px;
    height: 16px;
    color: var(--_muted);
    pointer-events: none;
  }
  .search-input {
    flex: 1 1 auto;
    min-width: 0;
    min-height: 32px;
    padding: 0 36px 0 30px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius-s);
    background: var(--_surface);
    color: var(--_text);
    font: inherit;
  }
  .tag-filter {
    display: flex;
    align-items: center;
    gap: var(--_space-s);
    margin: var(--_space-s) var(--_space-m) 0;
    font-size: var(--_font-size-s);
  }
  .tag-filter label {
    color: var(--_muted);
    font-weight: 600;
  }
  .tag-filter select {
    flex: 1 1 auto;
    min-width: 0;
    min-height: 28px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius-s);
    background: var(--_surface);
    color: var(--_text);
    font: inherit;
  }
  .tag-filter select:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 0;
  }
  .search-input::placeholder {
    color: var(--_muted);
    opacity: 1;
  }
  .search-input::-webkit-search-cancel-button {
    display: none;
    appearance: none;
  }
  .search-input:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 0;
    border-color: var(--_focus);
  }
  .search-clear {
    position: absolute;
    inset-inline-end: 2px;
    min-width: 28px;
    min-height: 28px;
    padding: 0;
    color: var(--_muted);
  }
  .search-clear svg {
    width: 14px;
    height: 14px;
  }
  .search-status {
    margin: 0;
    padding: var(--_space-xs) var(--_space-m) 0;
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }

  /* ---- list ------------------------------------------------------------------------------ */
  .list-label {
    margin: 0;
    padding: var(--_space-s) var(--_space-m) var(--_space-xs);
    font-size: var(--_font-size-s);
    font-weight: 600;
    color: var(--_muted);
    text-transform: uppercase;
    letter-spacing: 0.04em;
  }
  .list {
    flex: 1 1 auto;
    min-height: 0;
    overflow-y: auto;
    overscroll-behavior: contain;
    padding: 0 0 var(--_space-s);
  }
  .list:focus-visible {
    /* The active row shows the focus ring (aria-activedescendant). */
    outline: none;
  }
  .item {
    position: relative;
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    grid-template-areas:
      'who time'
      'transfer transfer'
      'preview badge';
    column-gap: var(--_space-s);
    row-gap: 2px;
    padding: var(--chat-session-list-item-padding, var(--_space-s) var(--_space-m));
    border-bottom: 1px solid var(--chat-session-list-item-border-color, var(--_surface-alt));
    cursor: pointer;
    user-select: none;
  }
  .item--marks {
    grid-template-areas:
      'who time'
      'marks marks'
      'transfer transfer'
      'preview badge';
  }
  .marks {
    grid-area: marks;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-xs);
    min-width: 0;
  }
  .item:hover {
    background: var(--chat-session-list-item-hover-background, var(--_surface-alt));
  }
  .item[aria-selected='true'] {
    background: var(--chat-session-list-item-selected-background, var(--_accent-soft));
  }
  .item[aria-selected='true']::before {
    content: '';
    position: absolute;
    inset: 0 auto 0 0;
    width: 3px;
    background: var(--chat-session-list-item-selected-marker, var(--_accent));
  }
  .item--transfer {
    background: var(--chat-session-list-item-transfer-background, color-mix(in srgb, var(--_warning) 12%, var(--_surface)));
  }
  .item--transfer::before {
    content: '';
    position: absolute;
    inset: 0 auto 0 0;
    width: 3px;
    background: var(--chat-session-list-item-transfer-marker, var(--_warning));
  }
  .transfer {
    grid-area: transfer;
    display: flex;
    align-items: center;
    gap: var(--_space-xs);
    min-width: 0;
    font-size: var(--_font-size-s);
    font-weight: 600;
    color: var(--_text);
  }
  .transfer svg {
    flex: none;
    width: 14px;
    height: 14px;
    color: var(--chat-session-list-item-transfer-marker, var(--_warning));
  }
  .transfer-text {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .item.active {
    outline: 2px solid var(--_focus);
    outline-offset: -2px;
  }
  .list:not(:focus-visible) .item.active {
    outline: none;
  }
  .group-label {
    display: flex;
    align-items: center;
    gap: var(--_space-xs);
    padding: var(--_space-s) var(--_space-m) var(--_space-xs);
    border-bottom: 1px solid var(--_border);
    font-size: var(--_font-size-s);
    font-weight: 600;
    color: var(--_muted);
  }
  .group-count {
    min-width: 18px;
    padding: 0 5px;
    border-radius: 9px;
    background: var(--_surface-alt);
    font-size: 0.75rem;
    line-height: 18px;
    text-align: center;
  }
  .rows--virtual {
    /* A long group's window (row-window.ts): sized to all its rows, the rows in view placed in it. */
    position: relative;
    contain: size layout paint style;
  }
  .rows--virtual > .item {
    position: absolute;
    inset: 0 0 auto;
    contain: layout paint style;
  }
  .who {
    grid-area: who;
    display: flex;
    align-items: baseline;
    gap: var(--_space-s);
    min-width: 0;
  }
  .name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-weight: 500;
  }
  .item--unread .name {
    font-weight: 700;
  }
  .channel {
    flex: none;
    max-width: 45%;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }
  .time {
    grid-area: time;
    font-size: var(--_font-size-s);
    color: var(--_muted);
    white-space: nowrap;
    text-align: end;
  }
  .preview {
    grid-area: preview;
    display: flex;
    align-items: center;
    gap: var(--_space-xs);
    min-width: 0;
    color: var(--_muted);
    font-size: var(--_font-size-s);
  }
  .item--unread .preview {
    color: var(--_text);
  }
  .preview svg {
    flex: none;
    width: 14px;
    height: 14px;
  }
  .preview-text {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .badge {
    grid-area: badge;
    align-self: center;
    justify-self: end;
    min-width: 20px;
    height: 20px;
    padding: 0 6px;
    border-radius: 10px;
    background: var(--chat-session-list-badge-background, var(--_accent));
    color: var(--chat-session-list-badge-color, var(--_on-accent));
    font-size: 0.75rem;
    font-weight: 700;
    line-height: 20px;
    text-align: center;
  }

  /* ---- empty state ------------------------------------------------------------------------ */
  .empty {
    flex: 1 1 auto;
    padding: var(--_space-l) var(--_space-m);
    color: var(--_muted);
    text-align: center;
  }
  .empty p {
    margin: 0;
  }
`;
