import { css } from 'lit';

export const composerStyles = css`
  .base {
    display: flex;
    flex-direction: column;
    gap: var(--_space-xs);
    padding: var(--_space-s) var(--_space-m) var(--_space-s);
    background: var(--chat-composer-background, var(--_surface));
    border-top: 1px solid var(--_border);
  }
  .base--note {
    background: var(--chat-composer-note-background, var(--_note));
  }
  /* Reply / Note: a radio group shown as a segmented control */
  .modes {
    display: inline-flex;
    align-self: flex-start;
    padding: 2px;
    gap: 2px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface-alt);
  }
  .mode {
    position: relative;
    display: inline-flex;
    align-items: center;
    gap: var(--_space-xs);
    min-height: 28px;
    padding: 0 var(--_space-m);
    border-radius: var(--_radius-s);
    color: var(--_muted);
    font-size: var(--_font-size-s);
    font-weight: 600;
    cursor: pointer;
  }
  .mode input {
    position: absolute;
    inset: 0;
    margin: 0;
    opacity: 0;
    cursor: pointer;
  }
  .mode svg {
    width: 14px;
    height: 14px;
    flex: none;
  }
  .mode--selected {
    background: var(--_surface);
    color: var(--_text);
    box-shadow: 0 1px 2px rgb(0 0 0 / 0.12);
  }
  .mode--note.mode--selected {
    background: var(--chat-composer-note-background, var(--_note));
    color: var(--_warning);
    box-shadow: inset 0 0 0 1px var(--chat-conversation-note-border-color, #b98900);
  }
  .mode:has(input:focus-visible) {
    outline: 2px solid var(--_focus);
    outline-offset: 1px;
  }
  .mode:has(input:disabled) {
    cursor: not-allowed;
    opacity: 0.6;
  }
  .row {
    display: flex;
    align-items: flex-end;
    gap: var(--_space-s);
  }
  .input {
    flex: 1 1 auto;
    min-width: 0;
    min-height: 40px;
    max-height: var(--chat-composer-max-height, 10rem);
    field-sizing: content;
    resize: none;
    margin: 0;
    padding: 8px 10px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--chat-composer-input-background, var(--_surface));
    color: var(--_text);
    font: inherit;
    line-height: 1.4;
  }
  .input:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 0;
    border-color: var(--_focus);
  }
  .base--note .input {
    border-style: dashed;
    border-color: var(--chat-conversation-note-border-color, #b98900);
  }
  .input[aria-invalid='true'] {
    border-color: var(--_danger);
  }
  .input:disabled {
    background: var(--_surface-alt);
    color: var(--_muted);
    cursor: not-allowed;
  }
  .send {
    min-height: 40px;
  }
  .send svg {
    width: 16px;
    height: 16px;
  }
  .btn[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.55;
    filter: none;
  }
  .footer {
    display: flex;
    align-items: baseline;
    gap: var(--_space-m);
    min-height: 1.2em;
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }
  .hint,
  .reason {
    flex: 1 1 auto;
    margin: 0;
  }
  .reason {
    display: flex;
    align-items: center;
    gap: var(--_space-xs);
    color: var(--_text);
  }
  .reason svg {
    flex: none;
    width: 14px;
    height: 14px;
    color: var(--_muted);
  }
  .counter {
    margin-inline-start: auto;
    white-space: nowrap;
  }
  .counter--over {
    color: var(--_danger);
    font-weight: 600;
  }
  .error {
    margin: 0;
    color: var(--_danger);
    font-size: var(--_font-size-s);
  }
  /* Reply / Note on the left, the tools on the right */
  .top {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space-xs) var(--_space-m);
  }
  .tools {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 2px;
    margin-inline-start: auto;
  }
  .tool {
    min-height: 32px;
    padding: 0 var(--_space-s);
    color: var(--_muted);
    font-size: var(--_font-size-s);
    font-weight: 600;
  }
  .tool--icon {
    width: 32px;
    padding: 0;
  }
  .tool svg {
    width: 18px;
    height: 18px;
    flex: none;
  }
  .tool[aria-expanded='true'] {
    background: var(--_accent-soft);
    color: var(--_text);
  }
  .tool[aria-disabled='true'] {
    opacity: 0.5;
    cursor: not-allowed;
  }
  /* Files for the next message */
  .uploads {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 13rem), 1fr));
    gap: var(--_space-xs);
    max-height: 8.5rem;
    overflow-y: auto;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .upload {
    display: flex;
    align-items: center;
    gap: var(--_space-s);
    min-width: 0;
    min-height: 40px;
    padding: 2px 2px 2px var(--_space-s);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface-alt);
  }
  .upload--failed {
    border-color: var(--_danger);
    background: var(--_surface);
  }
  .upload .file-icon svg {
    width: 20px;
    height: 20px;
  }
  .upload-progress-row {
    display: flex;
    align-items: center;
    gap: var(--_space-xs);
    white-space: nowrap;
  }
  .upload-progress {
    flex: 1 1 auto;
    height: 6px;
    min-width: 4rem;
    accent-color: var(--_accent);
  }
  .upload-error {
    font-size: var(--_font-size-s);
    color: var(--_danger);
    font-weight: 600;
    white-space: normal;
  }
  .upload-remove {
    flex: none;
    min-width: 28px;
    min-height: 28px;
    padding: 0 var(--_space-xs);
    font-size: var(--_font-size-s);
  }
  .upload-remove svg {
    width: 14px;
    height: 14px;
  }
  .suggestions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-xs);
    margin: 0 0 var(--_space-xs);
  }
  .suggestions-label {
    color: var(--_muted);
    font-size: var(--_font-size-s);
  }
  .suggestion {
    min-height: 28px;
    max-width: 100%;
    padding: 0 var(--_space-s);
    border: 1px solid var(--_border);
    border-radius: 999px;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-size: var(--_font-size-s);
  }
`;
