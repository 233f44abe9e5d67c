import { css } from 'lit';

export const messageListStyles = css`
  .base {
    position: relative;
    display: flex;
    flex-direction: column;
    height: 100%;
    min-height: 0;
    background: var(--chat-conversation-background, var(--_surface-alt));
  }
  /* The virtualizer makes .list the scroller (overflow, position, contain are set inline). */
  .list {
    flex: 1 1 auto;
    min-height: 0;
    overflow-anchor: none;
    overscroll-behavior: contain;
    /* The scrollbar appearing must not change the rows' width (and so their measured heights). */
    scrollbar-gutter: stable;
    margin: 0;
    padding: 0;
  }
  .list:focus-visible {
    outline-offset: -2px;
  }
  /*
   * The opening tail (see opening-tail.ts): the newest rows in plain flow, the last one at the
   * bottom when they overflow (the oldest are cut off at the top) and all at the top when they do
   * not (the auto margin takes the free space), as the virtualizer places them. Same box as the
   * virtualizer gives the list (its inline styles, overridden here when it ran before).
   */
  .list--tail {
    display: flex !important;
    flex-direction: column;
    justify-content: flex-end;
    overflow: hidden !important;
    position: relative;
    contain: size layout;
    min-height: 150px;
  }
  .list--tail > .row {
    /* Positioned like the virtualizer's rows: the containing block of what a row positions itself. */
    position: relative;
    flex: none;
  }
  .list--tail > .row--last {
    margin-bottom: auto;
  }
  /* The virtualizer's scroll height from the chat shown before: no scroll range, so back at the top. */
  .list--tail > [virtualizer-sizer] {
    display: none;
  }
  .older {
    position: absolute;
    z-index: 1;
    top: var(--_space-s);
    left: 50%;
    transform: translateX(-50%);
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: var(--_space-xs);
  }
  .older .btn {
    min-height: 28px;
    font-size: var(--_font-size-s);
    border-radius: 14px;
    box-shadow: 0 1px 4px rgb(0 0 0 / 0.12);
  }
  .older-error {
    margin: 0;
    padding: 2px var(--_space-s);
    border-radius: var(--_radius-s);
    background: var(--_surface);
    color: var(--_danger);
    font-size: var(--_font-size-s);
  }
  .placeholder {
    position: absolute;
    inset: var(--_space-l) var(--_space-m) auto;
    margin: 0;
    color: var(--_muted);
    text-align: center;
    pointer-events: none;
  }

  /* ---- one row (the virtualizer positions rows absolutely; spacing is padding, not margin) -- */
  .row {
    width: 100%;
    padding: var(--_space-s) var(--_space-m) 0;
  }
  .row--first {
    padding-top: 48px;
  }
  .row--last {
    padding-bottom: var(--_space-m);
  }
  .msg {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
  }
  .msg > .meta,
  .msg > .bubble,
  .msg > .state,
  .msg > .seen {
    max-width: var(--chat-conversation-bubble-max-width, min(75%, 42rem));
  }
  .msg--cont {
    padding-top: 2px;
  }
  .msg--agent,
  .msg--note {
    align-items: flex-end;
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    gap: 0 var(--_space-s);
    align-items: baseline;
    padding: 0 2px 2px;
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }
  .author {
    font-weight: 600;
    color: var(--_text);
  }
  .bot-badge {
    padding: 0 5px;
    border: 1px solid currentColor;
    border-radius: 999px;
    font-size: 0.85em;
  }
  /* A continued message's meta is shown once per group (class visually-hidden); still read by screen readers. */
  .meta.visually-hidden {
    padding: 0;
  }
  .bubble {
    padding: 6px 10px;
    border-radius: var(--chat-conversation-bubble-radius, var(--_radius));
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    word-break: normal;
  }
  .bubble a {
    color: inherit;
    text-decoration: underline;
    text-underline-offset: 2px;
  }
  .bubble a:focus-visible {
    outline-offset: 1px;
  }
  .msg--customer .bubble {
    background: var(--chat-conversation-customer-bubble-background, var(--_surface));
    color: var(--chat-conversation-customer-bubble-color, var(--_text));
    border: 1px solid var(--chat-conversation-customer-bubble-border-color, var(--_border));
    border-start-start-radius: var(--_radius-s);
  }
  .msg--customer .bubble a {
    color: var(--_accent);
  }
  .msg--agent .bubble {
    background: var(--chat-conversation-agent-bubble-background, var(--_accent));
    color: var(--chat-conversation-agent-bubble-color, var(--_on-accent));
    border: 1px solid var(--chat-conversation-agent-bubble-background, var(--_accent));
    border-start-end-radius: var(--_radius-s);
  }
  .msg--note .bubble {
    background: var(--chat-conversation-note-background, var(--_note));
    color: var(--_text);
    border: 1px dashed var(--chat-conversation-note-border-color, #b98900);
    border-start-end-radius: var(--_radius-s);
  }
  .note-label {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    font-weight: 600;
    color: var(--_warning);
  }
  .note-label svg {
    width: 12px;
    height: 12px;
    flex: none;
  }

  /* "Seen" under the newest agent message the customer has read */
  .seen {
    display: inline-flex;
    align-items: center;
    gap: 3px;
    padding: 2px 2px 0;
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }
  .seen svg {
    width: 14px;
    height: 14px;
  }

  /* "New messages" divider above the first unread message */
  .divider {
    align-self: stretch;
    display: flex;
    align-items: center;
    gap: var(--_space-s);
    margin: 0 0 var(--_space-s);
    color: var(--chat-conversation-divider-color, var(--_danger));
    font-size: var(--_font-size-s);
    font-weight: 600;
  }
  .divider::before,
  .divider::after {
    content: '';
    flex: 1 1 auto;
    height: 1px;
    background: currentColor;
  }

  /* pending and failed (the agent's own, not confirmed yet) */
  .msg--pending .bubble {
    background: var(--_accent-soft);
    color: var(--_text);
    border: 1px dashed var(--_accent);
  }
  .msg--note.msg--pending .bubble {
    background: var(--chat-conversation-note-background, var(--_note));
    border-color: var(--chat-conversation-note-border-color, #b98900);
  }
  .msg--failed .bubble {
    background: var(--_surface);
    color: var(--_text);
    border: 1px solid var(--_danger);
  }
  .state {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: flex-end;
    gap: var(--_space-xs);
    padding: 2px 2px 0;
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }
  .state-text {
    display: inline-flex;
    align-items: flex-start;
    gap: var(--_space-xs);
  }
  .state svg {
    width: 14px;
    height: 14px;
    margin-top: 2px;
    flex: none;
  }
  .state--failed {
    color: var(--_danger);
  }
  .state .btn {
    min-height: 24px;
    min-width: 24px;
    padding: 0 var(--_space-s);
    font-size: var(--_font-size-s);
  }

  /* system events */
  .event {
    display: flex;
    flex-direction: column;
    align-items: stretch;
    color: var(--_muted);
    font-size: var(--_font-size-s);
    text-align: center;
  }
  .event-line {
    display: flex;
    justify-content: center;
    align-items: baseline;
    gap: var(--_space-s);
    padding: 0 var(--_space-l);
  }
  .event-text {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .event--welcome .event-text {
    font-style: italic;
  }
  .event--internal .event-line {
    align-self: center;
    align-items: center;
    gap: var(--_space-xs);
    padding: 2px var(--_space-s);
    border-radius: var(--_radius-s);
    background: var(--chat-conversation-note-background, var(--_note));
    color: var(--_text);
  }
  .event--internal svg {
    width: 12px;
    height: 12px;
    flex: none;
    color: var(--_warning);
  }

  /* ---- jump to the newest message ----------------------------------------------------------- */
  .jump {
    position: absolute;
    left: 50%;
    bottom: var(--_space-m);
    transform: translateX(-50%);
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.18);
    border-radius: 16px;
  }
  .jump svg {
    width: 14px;
    height: 14px;
  }
  .jump-count {
    margin-inline-start: 2px;
    padding: 0 6px;
    border-radius: 9px;
    background: var(--_accent);
    color: var(--_on-accent);
    font-size: var(--_font-size-s);
    font-weight: 600;
    line-height: 18px;
  }
`;
