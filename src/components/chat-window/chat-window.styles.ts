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
    flex-wrap: wrap;
    align-items: center;
    justify-content: flex-end;
    gap: var(--_space-xs) var(--_space-m);
    padding: var(--_space-xs) 0;
    min-width: 0;
  }
  .agent-name {
    font-weight: 600;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  /* ---- load: "2 of 4 chats" ----------------------------------------------------------------- */
  .load {
    display: inline-flex;
    align-items: center;
    gap: var(--_space-xs);
    color: var(--_muted);
    font-size: var(--_font-size-s);
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  .load[data-full] {
    color: var(--_warning);
    font-weight: 600;
  }
  .load svg {
    width: 14px;
    height: 14px;
    flex: none;
  }
  .load-reason {
    font-weight: 400;
  }

  /* ---- status: a segmented Present | Away radio group ---------------------------------------- */
  .presence {
    display: inline-flex;
    align-items: center;
    gap: var(--_space-s);
    font-size: var(--_font-size-s);
  }
  .presence-label {
    color: var(--_muted);
  }
  .segments {
    display: inline-flex;
    border: 1px solid var(--_border);
    border-radius: var(--_radius-s);
    background: var(--_surface);
    overflow: hidden;
  }
  .presence-option {
    position: relative;
    display: inline-flex;
    align-items: center;
    gap: var(--_space-xs);
    min-height: 32px;
    padding: 0 var(--_space-m);
    color: var(--_text);
    font-size: var(--_font-size);
    cursor: pointer;
    white-space: nowrap;
  }
  .presence-option + .presence-option {
    border-inline-start: 1px solid var(--_border);
  }
  /* The radio stays in the accessibility tree and takes focus; the label is what is seen. */
  .presence-option input {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    margin: 0;
    opacity: 0;
    cursor: pointer;
  }
  .presence-option:hover {
    background: var(--_surface-alt);
  }
  .presence-option:has(input:checked) {
    background: var(--_accent-soft);
    font-weight: 600;
    box-shadow: inset 0 -3px 0 var(--_accent);
  }
  .presence-option:has(input:focus-visible) {
    outline: 2px solid var(--_focus);
    outline-offset: -2px;
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
  .presence-note {
    flex-basis: 100%;
    margin: 0;
    padding-bottom: var(--_space-xs);
    color: var(--_warning);
    font-size: var(--_font-size-s);
    text-align: end;
  }
  .presence-error {
    flex-basis: 100%;
    padding-bottom: var(--_space-xs);
    color: var(--_danger);
    font-size: var(--_font-size-s);
    text-align: end;
  }

  /* ---- notification settings: a native <details> menu ---------------------------------------- */
  .settings {
    position: relative;
  }
  .settings-button {
    list-style: none;
    gap: var(--_space-xs);
    padding: 0 var(--_space-s);
  }
  .settings-button::-webkit-details-marker {
    display: none;
  }
  /* A caret says it opens a menu. */
  .settings-button::after {
    content: '';
    width: 0.4em;
    height: 0.4em;
    margin-inline-start: 2px;
    border-right: 1.5px solid currentColor;
    border-bottom: 1.5px solid currentColor;
    transform: translateY(-2px) rotate(45deg);
  }
  .settings[open] > .settings-button::after {
    transform: translateY(1px) rotate(-135deg);
  }
  .settings-button svg {
    width: 16px;
    height: 16px;
    flex: none;
  }
  .settings[open] > .settings-button {
    background: var(--_accent-soft);
    border-color: var(--_border);
  }
  .settings-panel {
    position: absolute;
    inset-inline-end: 0;
    top: calc(100% + var(--_space-xs));
    z-index: 10;
    width: min(20rem, 90vw);
    padding: var(--_space-m);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    box-shadow: 0 6px 24px rgb(0 0 0 / 16%);
    text-align: start;
  }
  .settings-heading {
    margin: 0 0 var(--_space-xs);
    font-weight: 600;
  }
  .check {
    display: flex;
    align-items: center;
    gap: var(--_space-s);
    min-height: 32px;
    cursor: pointer;
  }
  .check input {
    width: 18px;
    height: 18px;
    margin: 0;
    flex: none;
    accent-color: var(--_accent);
  }
  .check:has(input:disabled) {
    color: var(--_muted);
    cursor: not-allowed;
  }
  .hint {
    margin: 0 0 var(--_space-s);
    color: var(--_muted);
    font-size: var(--_font-size-s);
  }
  .check + .hint {
    margin-inline-start: calc(18px + var(--_space-s));
  }
  .hint[data-problem] {
    color: var(--_danger);
  }

  /* ---- wait warnings: a stack of non-modal alerts under the header --------------------------- */
  .offers {
    display: flex;
    flex-direction: column;
    gap: var(--_space-xs);
    flex: none;
    padding: var(--_space-s) var(--_space-m);
    border-bottom: 1px solid var(--_border);
    background: var(--_surface);
  }
  .offer,
  .auto-away {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-s) var(--_space-m);
    padding: var(--_space-s) var(--_space-m);
    border: 1px solid var(--_accent);
    border-inline-start-width: 4px;
    border-radius: var(--_radius-s);
    background: var(--_accent-soft);
  }
  .auto-away {
    border-color: var(--_warning);
    background: var(--_surface-alt);
  }
  .offer p,
  .auto-away p {
    margin: 0;
    flex: 1 1 14rem;
    min-width: 0;
  }
  .offer-title {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .offer-time {
    font-size: var(--_font-size-s);
  }
  .offer-actions {
    display: flex;
    gap: var(--_space-s);
  }
  .offer-error {
    color: var(--_danger);
    font-size: var(--_font-size-s);
  }
  .warnings {
    display: flex;
    flex-direction: column;
    gap: var(--_space-xs);
    max-height: var(--chat-window-warnings-max-height, 40%);
    flex: none;
    overflow: auto;
    padding: var(--_space-s) var(--_space-m);
    border-bottom: 1px solid var(--_border);
    background: var(--_surface);
  }
  .warnings-summary {
    display: flex;
    align-items: center;
    gap: var(--_space-s);
    padding: var(--_space-s) var(--_space-m);
    border: 1px solid var(--chat-window-warning-border, var(--_warning));
    border-inline-start-width: 4px;
    border-radius: var(--_radius-s);
    background: var(--chat-window-warning-background, #fff4e5);
    font-weight: 600;
    cursor: pointer;
  }
  .warnings-summary:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  .warnings-oldest {
    font-weight: 400;
  }
  .warnings-list {
    display: flex;
    flex-direction: column;
    gap: var(--_space-xs);
    margin-top: var(--_space-xs);
  }
  .warning {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-s) var(--_space-m);
    padding: var(--_space-s) var(--_space-m);
    border: 1px solid var(--chat-window-warning-border, var(--_warning));
    border-inline-start-width: 4px;
    border-radius: var(--_radius-s);
    background: var(--chat-window-warning-background, #fff4e5);
  }
  .warning[data-level='managers'] {
    border-color: var(--_danger);
  }
  .warning-icon {
    display: inline-flex;
    align-self: flex-start;
    padding-top: 2px;
    color: var(--_warning);
  }
  .warning[data-level='managers'] .warning-icon {
    color: var(--_danger);
  }
  .warning-icon svg {
    width: 18px;
    height: 18px;
  }
  .warning-text {
    flex: 1 1 14rem;
    min-width: 0;
  }
  .warning-text p {
    margin: 0;
  }
  .warning-title {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .warning-meta,
  .warning-reason {
    color: var(--_muted);
    font-size: var(--_font-size-s);
  }
  .warning-error {
    color: var(--_danger);
    font-size: var(--_font-size-s);
  }
  .warning-actions {
    display: flex;
    gap: var(--_space-s);
  }
  .warning-actions .btn[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.6;
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
    /* The bell alone (its name stays in the accessibility tree; the tooltip says it too). */
    .settings-label {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
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
