import { css } from 'lit';

export const conversationStyles = css`
  .base {
    display: flex;
    flex-direction: column;
    height: 100%;
    min-height: 0;
    background: var(--chat-conversation-background, var(--_surface-alt));
    color: var(--_text);
  }

  /* ---- header ----------------------------------------------------------------------------- */
  .header {
    /*
     * Its tool buttons show only their icons when it is narrow (below). The container is the
     * header, not .base: a container contains layout, so it would become the containing block of
     * the position: fixed message menus inside the transcript.
     */
    container: conversation-header / inline-size;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-xs) var(--_space-m);
    padding: var(--chat-conversation-header-padding, var(--_space-s) var(--_space-m));
    background: var(--chat-conversation-header-background, var(--_surface));
    border-bottom: 1px solid var(--_border);
  }
  .title {
    display: flex;
    flex-direction: column;
    flex: 1 1 12rem;
    min-width: 0;
  }
  .name {
    margin: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-size: var(--_font-size-l);
    font-weight: 600;
    line-height: 1.3;
  }
  .name:focus {
    outline: none;
  }
  .name:focus-visible {
    outline: 2px solid var(--_focus);
  }
  .facts {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0 var(--_space-s);
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }
  .priority-field {
    display: inline-flex;
    align-items: center;
    gap: var(--_space-xs);
  }
  .priority-field select {
    min-height: 24px;
    padding: 0 var(--_space-xs);
    border: 1px solid var(--_border);
    border-radius: var(--_radius-s);
    background: var(--_surface);
    color: var(--_text);
    font: inherit;
  }
  .tags {
    display: inline-flex;
    flex-wrap: wrap;
    gap: 2px var(--_space-xs);
    min-width: 0;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .tag {
    max-width: 12rem;
    padding: 0 var(--_space-s);
    overflow: hidden;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_surface-alt);
    color: var(--_text);
    line-height: 1.5;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .priority-error {
    color: var(--_danger);
  }
  .status {
    display: inline-flex;
    align-items: center;
    gap: 5px;
  }
  .status::before {
    content: '';
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: var(--_muted);
  }
  .status--active::before {
    background: var(--_success);
  }
  .status--queued::before {
    background: var(--_warning);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-s);
  }
  .actions .btn svg {
    flex: none;
    width: 16px;
    height: 16px;
  }
  .btn--tool {
    position: relative;
  }
  /* A pressed toggle (Cancel help request, Resume) is also marked by its border, not only its label. */
  .actions .btn[aria-pressed='true'] {
    border-color: var(--_accent);
    box-shadow: inset 0 0 0 1px var(--_accent);
  }
  /*
   * Narrow (the console at 1440 px and below, with the list and the contact beside it): the tool
   * buttons show their icons, their labels stay their accessible names and show as tooltips
   * (title), so title and buttons keep to one line. End chat keeps its text. The hidden label's
   * overflow is clip, not hidden: no scroll box sticking out of its button.
   */
  @container conversation-header (max-width: 66rem) {
    .actions {
      gap: var(--_space-xs);
    }
    .btn--tool {
      padding: 0 var(--_space-s);
    }
    .btn--tool .label {
      position: absolute;
      width: 1px;
      height: 1px;
      margin: -1px;
      overflow: clip;
      clip-path: inset(50%);
      white-space: nowrap;
    }
  }
  .listening {
    display: inline-flex;
    align-items: center;
    gap: 3px;
    color: var(--_text);
  }
  .listening svg {
    width: 14px;
    height: 14px;
  }
  .end-error {
    flex: 1 0 100%;
    margin: 0;
    color: var(--_danger);
    font-size: var(--_font-size-s);
  }
  .btn[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.6;
  }
  .btn--danger {
    border-color: currentColor;
  }

  /* ---- body -------------------------------------------------------------------------------- */
  chat-message-list {
    flex: 1 1 auto;
    min-height: 0;
  }
  .typing {
    display: flex;
    align-items: center;
    gap: var(--_space-xs);
    min-width: 0;
    min-height: 1.6em;
    margin: 0;
    padding: 0 var(--_space-m) 2px;
    font-size: var(--_font-size-s);
    color: var(--_muted);
    background: var(--chat-conversation-background, var(--_surface-alt));
  }
  .typing-text {
    flex: none;
  }
  /* The customer's draft ("sneak peek"): subtle, one line, never announced */
  .preview {
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-style: italic;
  }
  .preview::before {
    content: '“';
  }
  .preview::after {
    content: '”';
  }

  /* ---- transfer bars and the read-only notice ---------------------------------------------- */
  .bar,
  .notice {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-s) var(--_space-m);
    padding: var(--_space-s) var(--_space-m);
    font-size: var(--_font-size);
  }
  .bar > svg,
  .notice > svg {
    flex: none;
    width: 18px;
    height: 18px;
  }
  .bar {
    background: var(--chat-conversation-transfer-background, var(--_accent-soft));
    border-bottom: 1px solid var(--_accent);
  }
  .bar--pending > svg {
    color: var(--_accent);
  }
  .bar--offer {
    border-top: 2px solid var(--_accent);
    border-bottom: 1px solid var(--_border);
  }
  .bar--offer > svg {
    color: var(--_accent);
  }
  .bar-text {
    flex: 1 1 14rem;
    min-width: 0;
    margin: 0;
  }
  .bar-text p {
    margin: 0;
  }
  #offer-text {
    font-weight: 600;
  }
  .offer-note {
    margin-top: 2px;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    color: var(--_text);
  }
  .offer-note::before {
    content: '“';
  }
  .offer-note::after {
    content: '”';
  }
  /* Hold, help and a return to the queue (issue 18). */
  .bar--held > svg,
  .bar--returned > svg {
    color: var(--_muted);
  }
  .bar--help {
    background: var(--_note);
    border-bottom-color: var(--_warning);
  }
  .bar--help > svg {
    color: var(--_warning);
  }
  .care-error {
    padding: var(--_space-xs) var(--_space-m);
  }
  .bar-actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-s);
  }
  .notice {
    background: var(--_surface);
    border-top: 1px solid var(--_border);
  }
  .notice > svg {
    color: var(--_muted);
  }
  .notice-text {
    flex: 1 1 14rem;
    margin: 0;
  }

  /* The typing line's dots: typingDotsStyles (src/styles/typing.styles.ts), at their defaults. */

  /* ---- empty state ------------------------------------------------------------------------- */
  .empty {
    display: flex;
    flex: 1 1 auto;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: var(--_space-s);
    padding: var(--_space-l);
    color: var(--_muted);
    text-align: center;
  }
  .empty svg {
    width: 40px;
    height: 40px;
    opacity: 0.5;
  }
  .empty p {
    margin: 0;
    max-width: 28rem;
  }

  /* ---- dialogs ---------------------------------------------------------------------------- */
  dialog {
    width: min(26rem, calc(100vw - 2rem));
    max-height: calc(100vh - 2rem);
    padding: var(--_space-l);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
    box-shadow: 0 12px 32px rgb(0 0 0 / 0.2);
  }
  .transfer-dialog {
    width: min(30rem, calc(100vw - 2rem));
  }
  dialog::backdrop {
    background: rgb(15 23 42 / 0.35);
  }
  .choices {
    margin: 0 0 var(--_space-m);
    padding: 0;
    border: 0;
  }
  .choices legend {
    padding: 0 0 var(--_space-xs);
    font-weight: 600;
  }
  .choices-hint {
    margin: 0 0 var(--_space-xs);
    color: var(--_muted);
    font-size: var(--_font-size-s);
  }
  .choices-empty {
    margin: 0;
    color: var(--_muted);
    font-size: var(--_font-size-s);
  }
  .choice {
    display: flex;
    align-items: center;
    gap: var(--_space-s);
    min-height: 32px;
    padding: 2px var(--_space-s);
    border-radius: var(--_radius-s);
    cursor: pointer;
  }
  .choice:hover {
    background: var(--_surface-alt);
  }
  .choice input {
    flex: none;
    width: 16px;
    height: 16px;
    margin: 0;
    accent-color: var(--_accent);
  }
  .choice-name {
    flex: 1 1 auto;
    min-width: 0;
  }
  .choice-load {
    color: var(--_muted);
    font-size: var(--_font-size-s);
    white-space: nowrap;
  }
  .choice--disabled {
    cursor: not-allowed;
    color: var(--_muted);
  }
  .choice--disabled:hover {
    background: none;
  }
  .choice--disabled .choice-load {
    color: var(--_danger);
  }
  .note-label {
    display: block;
    margin: 0 0 var(--_space-xs);
    font-weight: 600;
  }
  #transfer-note,
  #requeue-reason,
  #help-note-input {
    display: block;
    width: 100%;
    min-height: 3.5em;
    margin: 0 0 var(--_space-m);
    padding: 6px 8px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius-s);
    background: var(--_surface);
    color: var(--_text);
    font: inherit;
    resize: vertical;
  }
  #help-note-input {
    margin-bottom: var(--_space-xs);
  }
  .help-hint {
    margin: 0 0 var(--_space-m);
    color: var(--_muted);
    font-size: var(--_font-size-s);
  }
  .transfer-error {
    margin: 0 0 var(--_space-m);
    color: var(--_danger);
  }
  .dialog-title {
    margin: 0 0 var(--_space-s);
    font-size: var(--_font-size-l);
  }
  .dialog-text {
    margin: 0 0 var(--_space-l);
    color: var(--_muted);
  }
  dialog .actions {
    justify-content: flex-end;
  }
  .btn--danger-solid {
    background: var(--_danger);
    border-color: var(--_danger);
    /* The accent's text colour: white on the light theme's dark red, dark on the dark theme's light red. */
    color: var(--_on-accent);
  }
  .btn--danger-solid:hover:not(:disabled) {
    background: var(--_danger);
    filter: brightness(0.92);
  }

  /* ---- requests from this chat, files dropped on the conversation --------------------------- */
  .requests {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 2px var(--_space-xs);
  }
  .requests svg {
    width: 14px;
    height: 14px;
  }
  .request-link {
    min-height: 24px;
    min-width: 24px;
    padding: 0 6px;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_surface-alt);
    color: var(--_accent);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  .request-link:hover {
    background: var(--_accent-soft);
  }
  .base {
    position: relative;
  }
  .drop-zone {
    position: absolute;
    inset: var(--_space-s);
    z-index: 2;
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: var(--_space-s);
    border: 3px dashed var(--_accent);
    border-radius: var(--_radius);
    /* The theme's own colours (light and dark): the transcript shows through a little. */
    background: color-mix(in srgb, var(--_accent-soft) 92%, transparent);
    color: var(--_text);
    font-size: var(--_font-size-l);
    font-weight: 600;
    pointer-events: none;
  }
  .drop-zone svg {
    width: 48px;
    height: 48px;
    color: var(--_accent);
  }
`;
