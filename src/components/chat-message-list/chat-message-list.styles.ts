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
  .scroller {
    flex: 1 1 auto;
    min-height: 0;
    overflow-y: auto;
    overflow-anchor: none;
    overscroll-behavior: contain;
    padding: var(--_space-s) var(--_space-m) var(--_space-m);
  }
  .older {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: var(--_space-xs);
    padding: var(--_space-xs) 0 var(--_space-s);
  }
  .older .btn {
    min-height: 28px;
    font-size: var(--_font-size-s);
  }
  .older-error {
    margin: 0;
    color: var(--_danger);
    font-size: var(--_font-size-s);
  }
  .loading {
    margin: var(--_space-l) 0;
    color: var(--_muted);
    text-align: center;
  }
  .list {
    display: flex;
    flex-direction: column;
    gap: 2px;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .list:focus-visible {
    outline-offset: 4px;
    border-radius: var(--_radius-s);
  }

  /* ---- one message ------------------------------------------------------------------------ */
  .msg {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    max-width: var(--chat-conversation-bubble-max-width, min(75%, 42rem));
    margin-top: var(--_space-s);
  }
  .msg--cont {
    margin-top: 0;
  }
  .msg--agent,
  .msg--note {
    align-self: flex-end;
    align-items: flex-end;
  }
  .meta {
    display: flex;
    gap: var(--_space-s);
    align-items: baseline;
    padding: 0 2px 2px;
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }
  .author {
    font-weight: 600;
    color: var(--_text);
  }
  .msg--cont .meta {
    /* Shown once per group; still read by screen readers. */
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .bubble {
    padding: 6px 10px;
    border-radius: var(--chat-conversation-bubble-radius, var(--_radius));
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    word-break: normal;
  }
  .msg--customer .bubble {
    background: var(--chat-conversation-customer-bubble-background, var(--_surface));
    color: var(--chat-conversation-customer-bubble-color, var(--_text));
    border: 1px solid var(--chat-conversation-customer-bubble-border-color, var(--_border));
    border-top-left-radius: var(--_radius-s);
  }
  .msg--agent .bubble {
    background: var(--chat-conversation-agent-bubble-background, var(--_accent));
    color: var(--chat-conversation-agent-bubble-color, var(--_on-accent));
    border: 1px solid var(--chat-conversation-agent-bubble-background, var(--_accent));
    border-top-right-radius: var(--_radius-s);
  }
  .msg--note .bubble {
    background: var(--chat-conversation-note-background, var(--_note));
    color: var(--_text);
    border: 1px dashed var(--chat-conversation-note-border-color, #b98900);
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
  }

  /* pending and failed (the agent's own, not confirmed yet) */
  .msg--pending .bubble {
    background: var(--_accent-soft);
    color: var(--_text);
    border: 1px dashed var(--_accent);
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
    align-self: stretch;
    display: flex;
    justify-content: center;
    gap: var(--_space-s);
    margin: var(--_space-s) 0 var(--_space-xs);
    padding: 0 var(--_space-l);
    color: var(--_muted);
    font-size: var(--_font-size-s);
    text-align: center;
  }
  .event-text {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .event--welcome .event-text {
    font-style: italic;
  }

  /* ---- jump to new messages ---------------------------------------------------------------- */
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
`;
