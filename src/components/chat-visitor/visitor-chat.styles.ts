import { css } from 'lit';

/** The widget's conversation: banners, messages, typing, the composer, End chat's confirmation and what follows the chat. */
export const visitorChatStyles = css`
  /* ---- conversation ---- */
  .chat {
    display: flex;
    flex-direction: column;
    flex: 1;
    min-height: 0;
  }
  .connection {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space-s);
    padding: 6px 12px 6px 16px;
    border-bottom: 1px solid #f3d9b1;
    background: var(--chat-visitor-warning-background, #fff4e5);
    color: var(--chat-visitor-warning-color, #6a3805);
    font-size: var(--_font-size-s);
  }
  .notice {
    margin: 0;
    padding: 8px 16px;
    border-bottom: 1px solid var(--_border);
    background: var(--_surface-alt);
    color: var(--_muted);
    font-size: var(--_font-size-s);
  }
  .messages {
    display: flex;
    flex-direction: column;
    flex: 1;
    min-height: 0;
    gap: 4px;
    margin: 0;
    padding: var(--_space-l);
    overflow-y: auto;
    overscroll-behavior: contain;
    list-style: none;
  }
  .messages:focus-visible {
    outline-offset: -3px;
  }
  .system {
    align-self: center;
    max-width: 90%;
    margin: 10px 0 6px;
    color: var(--_muted);
    font-size: var(--_font-size-s);
    text-align: center;
  }
  .system-time {
    white-space: nowrap;
  }
  .system-time::before {
    content: '· ';
  }
  .msg {
    display: flex;
    flex-direction: column;
    max-width: 85%;
  }
  .msg--first {
    margin-top: 10px;
  }
  .msg--customer {
    align-self: flex-end;
    align-items: flex-end;
  }
  .msg--agent {
    align-self: flex-start;
    align-items: flex-start;
  }
  .author {
    margin: 0 0 3px 2px;
    color: var(--_muted);
    font-size: 0.75rem;
    font-weight: 600;
  }
  .bot-badge {
    padding: 0 5px;
    border: 1px solid currentColor;
    border-radius: 999px;
    font-weight: 500;
  }
  .bubble {
    margin: 0;
    padding: 8px 12px;
    border-radius: 8px;
    overflow-wrap: anywhere;
    white-space: pre-wrap;
  }
  .bubble a {
    color: inherit;
    text-decoration: underline;
    text-underline-offset: 2px;
    overflow-wrap: anywhere;
  }
  .msg--agent .bubble {
    background: var(--chat-visitor-agent-bubble, var(--_surface-alt));
    color: var(--_text);
  }
  .msg--customer .bubble {
    background: var(--chat-visitor-customer-bubble, var(--_accent));
    color: var(--chat-visitor-customer-bubble-color, var(--_on-accent));
  }
  .msg--pending .bubble {
    outline: 1px dashed var(--_accent);
    outline-offset: -1px;
    background: var(--_accent-soft);
    color: var(--_text);
  }
  .msg--failed .bubble {
    outline: 1px solid var(--_danger);
    outline-offset: -1px;
    background: var(--_danger-soft);
    color: var(--_text);
  }
  .meta {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: flex-end;
    gap: 4px;
    margin: 3px 2px 0;
    color: var(--_muted);
    font-size: 0.75rem;
  }
  .msg--agent .meta {
    justify-content: flex-start;
  }
  .state {
    display: inline-flex;
    align-items: center;
    gap: 3px;
  }
  .state svg {
    width: 12px;
    height: 12px;
  }
  .msg--failed .meta {
    color: var(--_danger);
  }
  .reason {
    flex-basis: 100%;
    text-align: end;
  }
  .actions {
    display: flex;
    gap: 6px;
    margin-top: 4px;
  }
  .btn.small {
    min-height: 28px;
    padding: 0 10px;
    font-size: var(--_font-size-s);
  }
  .typing {
    display: flex;
    align-items: center;
    gap: 8px;
    margin: 0;
    padding: 0 var(--_space-l) var(--_space-s);
    color: var(--_muted);
    font-size: var(--_font-size-s);
  }
  /* The dots and their animation: typingDotsStyles (src/styles/typing.styles.ts). */
  .dots {
    padding: 6px 8px;
    border-radius: 8px;
    background: var(--_surface-alt);
    --_dot-size: 5px;
    --_dot-color: var(--_muted);
    --_dot-dim: 0.3;
  }

  /* ---- composer, confirmation, ended ---- */
  .composer {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-end;
    gap: 8px;
    flex: none;
    padding: 12px;
    border-top: 1px solid var(--_border);
    background: var(--_surface);
  }
  .input {
    flex: 1;
    min-width: 0;
    min-height: 42px;
    max-height: 140px;
    padding: 10px 12px;
    border: 1px solid var(--chat-color-border-strong, #8a94a3);
    border-radius: 8px;
    background: var(--_surface);
    color: var(--_text);
    font: inherit;
    line-height: 1.4;
    resize: none;
    field-sizing: content;
  }
  .input[aria-invalid='true'] {
    border-color: var(--_danger);
  }
  .send {
    width: 42px;
    height: 42px;
    background: var(--_accent);
    color: var(--_on-accent);
  }
  .send[aria-disabled='true'] {
    cursor: default;
    opacity: 0.55;
  }
  .send svg {
    width: 20px;
    height: 20px;
  }
  .counter {
    display: flex;
    align-items: center;
    gap: 4px;
    flex-basis: 100%;
    margin: 0;
    color: var(--_muted);
    font-size: 0.75rem;
    text-align: end;
    justify-content: flex-end;
  }
  .counter--over {
    color: var(--_danger);
    font-weight: 600;
  }
  .confirm,
  .ended {
    flex: none;
    padding: var(--_space-l);
    border-top: 1px solid var(--_border);
    background: var(--_surface-alt);
  }
  .ended {
    text-align: center;
  }
  .topic-description {
    display: block;
    color: var(--_muted);
    font-size: var(--_font-size-s);
  }
  .confirm-title,
  .ended-title {
    margin: 0;
    font-weight: 650;
  }
  .confirm-hint,
  .ended-hint {
    margin: 2px 0 12px;
    color: var(--_muted);
    font-size: var(--_font-size-s);
  }
  .confirm .form-error {
    margin-bottom: 12px;
  }
  .confirm-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  .confirm-actions .btn,
  .new-chat {
    min-height: 40px;
    border-radius: 8px;
    font-weight: 600;
  }
  .confirm-yes {
    background: var(--_danger);
    border-color: var(--_danger);
  }
`;
