import { css } from 'lit';

export const windowStyles = css`
  .base {
    container: chat-window / inline-size;
    display: flex;
    flex-direction: column;
    height: 100%;
    min-height: var(--chat-window-min-height, 24rem);
    background: var(--_surface);
    border: var(--chat-window-border, 1px solid var(--_border));
    border-radius: var(--chat-window-radius, var(--_radius));
    overflow: hidden;
  }

  /* ---- header: tabs on the left, the agent and the status on the right ------------------- */
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space-s) var(--_space-l);
    padding: 0 var(--_space-m);
    background: var(--chat-window-header-background, var(--_surface-alt));
    border-bottom: 1px solid var(--_border);
  }
  .tablist {
    display: flex;
    align-self: stretch;
    gap: var(--_space-xs);
  }
  .tab {
    position: relative;
    display: inline-flex;
    align-items: center;
    gap: var(--_space-s);
    min-height: 44px;
    padding: 0 var(--_space-m);
    border: none;
    border-bottom: 3px solid transparent;
    background: transparent;
    color: var(--_muted);
    font-weight: 600;
    cursor: pointer;
  }
  .tab:hover {
    color: var(--_text);
  }
  .tab[aria-selected='true'] {
    color: var(--_text);
    border-bottom-color: var(--chat-window-tab-indicator-color, var(--_accent));
  }
  .tab:focus-visible {
    outline-offset: -4px;
  }
  .badge {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    min-width: 1.5em;
    height: 1.5em;
    padding: 0 0.4em;
    border-radius: 999px;
    background: var(--chat-window-badge-background, var(--_accent));
    color: var(--chat-window-badge-color, var(--_on-accent));
    font-size: var(--_font-size-s);
    font-variant-numeric: tabular-nums;
    line-height: 1;
  }
  .agent {
    display: flex;
    align-items: center;
    gap: var(--_space-s);
    padding: var(--_space-xs) 0;
    min-width: 0;
  }
  .agent-name {
    font-weight: 600;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .presence {
    display: inline-flex;
    align-items: center;
    gap: var(--_space-xs);
    color: var(--_muted);
    font-size: var(--_font-size-s);
  }
  .presence select {
    min-height: 32px;
    padding: 0 var(--_space-s);
    border: 1px solid var(--_border);
    border-radius: var(--_radius-s);
    background: var(--_surface);
    color: var(--_text);
    font: inherit;
    font-size: var(--_font-size);
  }
  .dot {
    width: 10px;
    height: 10px;
    border-radius: 50%;
    background: var(--_muted);
    flex: none;
  }
  .dot[data-status='present'] {
    background: var(--_success);
  }
  .dot[data-status='away'] {
    background: var(--_warning);
  }
  .presence-error {
    flex-basis: 100%;
    padding-bottom: var(--_space-xs);
    color: var(--_danger);
    font-size: var(--_font-size-s);
    text-align: end;
  }

  /* ---- panels --------------------------------------------------------------------------------- */
  .panel {
    flex: 1;
    min-height: 0;
    overflow: auto;
  }
  .panel:focus-visible {
    outline-offset: -2px;
  }
  .panel--chats {
    overflow: hidden;
  }
  .chats {
    display: grid;
    height: 100%;
    grid-template-columns: var(--chat-window-list-width, 20rem) minmax(0, 1fr) var(--chat-window-contact-width, 17rem);
    grid-template-rows: minmax(0, 1fr);
    grid-template-areas: 'list conversation contact';
  }
  .column {
    min-width: 0;
    min-height: 0;
    overflow: auto;
  }
  .list {
    grid-area: list;
    border-inline-end: 1px solid var(--_border);
  }
  .conversation {
    grid-area: conversation;
    display: flex;
    flex-direction: column;
    overflow: hidden;
  }
  .conversation > * {
    flex: 1;
    min-height: 0;
  }
  .contact {
    grid-area: contact;
    border-inline-start: 1px solid var(--_border);
    background: var(--chat-window-contact-background, var(--_surface));
  }
  .bar {
    grid-area: bar;
    display: none;
    gap: var(--_space-s);
    padding: var(--_space-xs) var(--_space-s);
    border-bottom: 1px solid var(--_border);
    background: var(--_surface-alt);
  }
  .toggle {
    min-height: 32px;
  }
  .toggle::after {
    content: '';
    width: 0.45em;
    height: 0.45em;
    border-right: 2px solid currentColor;
    border-bottom: 2px solid currentColor;
    transform: rotate(45deg) translate(-2px, -2px);
    margin-inline-start: var(--_space-xs);
  }
  .toggle[aria-expanded='true']::after {
    transform: rotate(-135deg) translate(-2px, -2px);
  }
  .toggle--list {
    display: none;
  }

  /* ---- the default customer panel ------------------------------------------------------------- */
  .customer {
    padding: var(--_space-l);
  }
  .customer h2 {
    margin: 0 0 var(--_space-m);
    font-size: var(--_font-size-l);
  }
  .customer dl {
    margin: 0;
  }
  /* Label above value: long e-mail addresses get the whole column width. */
  .customer dt {
    color: var(--_muted);
    font-size: var(--_font-size-s);
  }
  .customer dd {
    margin: 0 0 var(--_space-m);
    overflow-wrap: anywhere;
  }
  .customer .none {
    color: var(--_muted);
    font-style: italic;
  }
  .customer p {
    margin: 0;
    color: var(--_muted);
  }

  /* ---- medium: list and conversation side by side, the customer panel folds away ------------ */
  @container chat-window (max-width: 1000px) {
    .chats {
      grid-template-columns: var(--chat-window-list-width, 17rem) minmax(0, 1fr);
      grid-template-rows: auto minmax(0, 1fr) auto;
      grid-template-areas:
        'list bar'
        'list conversation'
        'list contact';
    }
    .bar {
      display: flex;
    }
    .contact {
      border-inline-start: none;
      border-top: 1px solid var(--_border);
      overflow: visible;
    }
    .contact[data-collapsed] {
      display: none;
    }
    /* The panel spans the conversation's width here: compact, fields side by side. */
    .customer {
      padding: var(--_space-s) var(--_space-m);
    }
    .customer h2 {
      margin-bottom: var(--_space-xs);
      font-size: var(--_font-size);
    }
    .customer dl {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr));
      gap: 0 var(--_space-l);
    }
    .customer dd {
      margin-bottom: var(--_space-s);
    }
  }

  /* ---- narrow: one column; the list folds away too ------------------------------------------- */
  @container chat-window (max-width: 640px) {
    .header {
      padding: 0 var(--_space-s);
    }
    .tab {
      padding: 0 var(--_space-s);
    }
    .chats {
      /* Taller than the window when needed: the panel scrolls instead of squeezing the list. */
      height: auto;
      min-height: 100%;
      grid-template-columns: minmax(0, 1fr);
      grid-template-rows: auto auto minmax(22rem, 1fr) auto;
      grid-template-areas:
        'bar'
        'list'
        'conversation'
        'contact';
    }
    .panel--chats {
      overflow: auto;
    }
    .list {
      border-inline-end: none;
      border-bottom: 1px solid var(--_border);
      max-height: 15rem;
    }
    .list[data-collapsed] {
      display: none;
    }
    .toggle--list {
      display: inline-flex;
    }
  }
`;
