import { css } from 'lit';

/** The widget's frame: its position, the launcher, the panel, the header and the start form (the conversation: visitor-chat.styles.ts). */

export const visitorStyles = css`
  .base {
    --_offset: var(--chat-visitor-offset, 20px);
    --_launcher: var(--chat-visitor-launcher-size, 56px);
    --_panel-radius: var(--chat-visitor-radius, 14px);
    --_danger-soft: var(--chat-color-danger-soft, #fdecea);
    position: fixed;
    /* Bottom right, or bottom left on a right-to-left page. */
    inset-inline-end: var(--_offset);
    bottom: var(--_offset);
    z-index: var(--chat-visitor-z-index, 2147483000);
    display: flex;
    flex-direction: column-reverse;
    align-items: flex-end;
    gap: 12px;
    max-width: calc(100vw - 2 * var(--_offset));
  }

  svg {
    flex: none;
  }

  /* ---- launcher ---- */
  .launcher {
    position: relative;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 10px;
    height: var(--_launcher);
    min-width: var(--_launcher);
    padding: 0 22px 0 18px;
    border: 0;
    border-radius: calc(var(--_launcher) / 2);
    background: var(--chat-visitor-launcher-background, var(--_accent));
    color: var(--chat-visitor-launcher-color, var(--_on-accent));
    box-shadow:
      0 8px 24px rgb(16 24 40 / 0.2),
      0 2px 6px rgb(16 24 40 / 0.12);
    font-size: var(--_font-size-l);
    font-weight: 600;
    letter-spacing: 0.01em;
    cursor: pointer;
    transition:
      transform 0.15s ease,
      box-shadow 0.15s ease;
  }
  .launcher:hover {
    transform: translateY(-1px);
    box-shadow:
      0 10px 28px rgb(16 24 40 / 0.24),
      0 3px 8px rgb(16 24 40 / 0.14);
  }
  .launcher svg {
    width: 24px;
    height: 24px;
  }
  .launcher[aria-expanded='true'] {
    width: var(--_launcher);
    padding: 0;
  }
  .badge {
    position: absolute;
    top: -4px;
    inset-inline-end: -4px;
    min-width: 22px;
    height: 22px;
    padding: 0 6px;
    border: 2px solid var(--_surface);
    border-radius: 11px;
    background: var(--_danger);
    color: #fff;
    font-size: 0.75rem;
    font-weight: 700;
    line-height: 18px;
    text-align: center;
  }

  /* ---- panel ---- */
  .panel {
    display: flex;
    flex-direction: column;
    width: min(var(--chat-visitor-panel-width, 380px), calc(100vw - 2 * var(--_offset)));
    height: min(var(--chat-visitor-panel-height, 620px), calc(100vh - var(--_launcher) - 3 * var(--_offset)));
    height: min(var(--chat-visitor-panel-height, 620px), calc(100dvh - var(--_launcher) - 3 * var(--_offset)));
    overflow: hidden;
    border: 1px solid var(--_border);
    border-radius: var(--_panel-radius);
    background: var(--_surface);
    box-shadow:
      0 16px 48px rgb(16 24 40 / 0.18),
      0 4px 12px rgb(16 24 40 / 0.08);
  }

  /* ---- header ---- */
  .header {
    display: flex;
    align-items: center;
    gap: var(--_space-m);
    flex: none;
    padding: 14px 12px 14px 16px;
    background: var(--chat-visitor-header-background, var(--_accent));
    color: var(--chat-visitor-header-color, var(--_on-accent));
  }
  .header :focus-visible {
    outline-color: currentColor;
  }
  .avatar {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    flex: none;
    width: 40px;
    height: 40px;
    border-radius: 50%;
    /* A ring in the text's colour, not a darker fill: the initials keep the header's contrast in
       both themes (a dark fill under the dark theme's dark text was 3.8:1). */
    box-shadow: inset 0 0 0 2px color-mix(in srgb, currentColor 55%, transparent);
    font-weight: 700;
    letter-spacing: 0.02em;
  }
  .avatar .logo {
    width: 100%;
    height: 100%;
    border-radius: 50%;
    object-fit: cover;
    background: var(--_surface);
  }
  .avatar svg {
    width: 22px;
    height: 22px;
  }
  .heading {
    flex: 1;
    min-width: 0;
  }
  .title {
    margin: 0;
    overflow: hidden;
    font-size: var(--_font-size-l);
    font-weight: 650;
    line-height: 1.3;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .status {
    margin: 2px 0 0;
    font-size: var(--_font-size-s);
    opacity: 0.92;
  }
  .header-btn {
    min-height: 32px;
    border-color: rgb(255 255 255 / 0.55);
    background: transparent;
    color: inherit;
    font-size: var(--_font-size-s);
  }
  .header-btn:hover:not(:disabled) {
    background: rgb(255 255 255 / 0.14);
  }
  /* Round buttons (the others set what differs). */
  .icon-btn,
  .send,
  .attach,
  .download {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    flex: none;
    width: 36px;
    height: 36px;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: transparent;
    color: inherit;
    cursor: pointer;
  }
  .icon-btn:hover {
    background: rgb(255 255 255 / 0.14);
  }
  .icon-btn svg {
    width: 22px;
    height: 22px;
  }

  /* ---- pre-chat form ---- */
  .form {
    display: flex;
    flex-direction: column;
    gap: var(--_space-l);
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    padding: var(--_space-l) 20px 20px;
  }
  .intro {
    margin: 0;
    color: var(--_muted);
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 6px;
    min-width: 0;
    margin: 0;
    padding: 0;
    border: 0;
  }
  .label {
    padding: 0;
    font-weight: 600;
  }
  .optional {
    color: var(--_muted);
    font-weight: 400;
  }
  .control {
    width: 100%;
    min-height: 40px;
    padding: 8px 12px;
    border: 1px solid var(--chat-color-border-strong, #8a94a3);
    border-radius: 6px;
    background: var(--_surface);
    color: var(--_text);
    font: inherit;
  }
  textarea.control {
    resize: vertical;
  }
  .control[aria-invalid='true'] {
    border-color: var(--_danger);
    box-shadow: inset 0 0 0 1px var(--_danger);
  }
  .hint {
    margin: 0;
    color: var(--_muted);
    font-size: var(--_font-size-s);
  }
  .field-error,
  .form-error {
    display: flex;
    align-items: flex-start;
    gap: 6px;
    margin: 0;
    color: var(--_danger);
    font-size: var(--_font-size-s);
    font-weight: 500;
  }
  .form-error {
    padding: 10px 12px;
    border-radius: 6px;
    background: var(--_danger-soft);
  }
  .field-error svg,
  .form-error svg,
  .note svg,
  .counter svg {
    width: 16px;
    height: 16px;
    margin-top: 1px;
  }
  .options {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  .option {
    display: inline-flex;
    flex: 1 1 120px;
    align-items: center;
    gap: 8px;
    min-height: 44px;
    padding: 8px 12px;
    border: 1px solid var(--_border);
    border-radius: 8px;
    cursor: pointer;
  }
  .option:has(input:checked) {
    border-color: var(--_accent);
    background: var(--_accent-soft);
    box-shadow: inset 0 0 0 1px var(--_accent);
  }
  .option input {
    width: 18px;
    height: 18px;
    margin: 0;
    accent-color: var(--_accent);
  }
  .note {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 8px;
    margin: 0;
    color: var(--_muted);
  }
  .note--error {
    color: var(--_danger);
  }
  .start {
    min-height: 44px;
    margin-top: 4px;
    border-radius: 8px;
    font-weight: 600;
  }
  .btn[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.75;
  }
  .spinner {
    width: 16px;
    height: 16px;
    border: 2px solid currentColor;
    border-right-color: transparent;
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }

  /* ---- a proactive invitation (the channel's rule), above the form ---- */
  .invitation {
    display: flex;
    align-items: flex-start;
    gap: 8px;
    margin: 12px 16px 0;
    padding: 10px 12px;
    border-radius: 10px;
    background: var(--chat-color-accent-soft, #e8f0fe);
    color: var(--_text);
  }
  .invitation-text {
    flex: 1;
    margin: 0;
    white-space: pre-line;
    overflow-wrap: anywhere;
  }

  /* A channel's dark theme (data-look-theme, set by visitor-look.ts; auto follows the customer's system, live).
     In the first file, so the panel never shows light before the journey's module loads. */
  .base[data-look-theme='dark'] {
    color-scheme: dark;
    --chat-color-accent: #4c8dec;
    --chat-color-on-accent: #0b1220;
    --chat-focus-ring-color: #8ab4f8;
    --chat-color-text: #e6e9ee;
    --chat-color-text-muted: #a7b0bd;
    --chat-color-surface: #161b22;
    --chat-color-surface-alt: #1f2630;
    --chat-color-border: #3a4452;
    --chat-color-accent-soft: #1e2f4a;
    --chat-color-danger: #ff8a80;
    --chat-color-success: #6fd39a;
    --chat-color-warning: #ffb870;
  }
  /* Until the channel's look is known (its list loads once), the launcher is not shown: it
     appears in the channel's colour rather than changing colour (at most a few seconds). */
  .base[data-look-pending] .launcher {
    visibility: hidden;
  }

  /* ---- phones: the open panel takes the whole screen ---- */
  @media (max-width: 480px) {
    .base.open {
      inset: 0;
      max-width: none;
    }
    .base.open .launcher {
      display: none;
    }
    .base.open .panel {
      width: 100%;
      height: 100%;
      border: 0;
      border-radius: 0;
    }
    .launcher-text {
      font-size: var(--_font-size);
    }
  }
  @media (max-width: 360px) {
    .header {
      gap: var(--_space-s);
      padding-inline-start: 12px;
    }
    .avatar {
      display: none;
    }
  }
`;
