import { css } from 'lit';

export const channelSettingsStyles = css`
  :host {
    display: block;
    max-width: var(--chat-channel-settings-max-width, 60rem);
  }
  .base {
    background: var(--_surface);
    padding: var(--_space-l);
    border-radius: var(--_radius);
  }
  form {
    display: grid;
    gap: var(--_space-l);
  }
  fieldset {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: var(--_space-m) var(--_space-l) var(--_space-l);
    margin: 0;
    display: grid;
    gap: var(--_space-m);
    min-width: 0;
  }
  fieldset.inner {
    border: 0;
    padding: 0;
  }
  fieldset.inner legend {
    font-size: var(--_font-size);
    padding: 0;
  }
  legend {
    font-weight: 600;
    font-size: var(--_font-size-l);
    padding: 0 var(--_space-xs);
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr));
    gap: var(--_space-m);
  }
  label.field {
    display: grid;
    gap: var(--_space-xs);
  }
  label.check {
    display: flex;
    gap: var(--_space-s);
    align-items: center;
  }
  .hint {
    color: var(--_muted);
    font-size: var(--_font-size-s);
    margin: 0;
  }
  input:not([type='checkbox']):not([type='color']),
  select,
  textarea {
    font: inherit;
    color: inherit;
    background: var(--_surface);
    border: 1px solid var(--chat-color-border-strong, #8a94a3);
    border-radius: var(--_radius-s);
    padding: var(--_space-xs) var(--_space-s);
    min-width: 0;
  }
  textarea {
    min-height: 3.5rem;
    resize: vertical;
  }
  [aria-invalid='true'] {
    outline: 2px solid var(--_danger);
    outline-offset: 1px;
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: start;
    padding: var(--_space-xs) var(--_space-s);
    border-bottom: 1px solid var(--_border);
    vertical-align: middle;
  }
  th {
    font-weight: 600;
    font-size: var(--_font-size-s);
  }
  td input[type='time'] {
    width: 7.5rem;
  }
  td input[type='number'] {
    width: 5rem;
  }
  .table-wrap {
    overflow-x: auto;
  }
  .actions {
    display: flex;
    gap: var(--_space-m);
    align-items: center;
    position: sticky;
    bottom: 0;
    z-index: 1;
    background: var(--_surface);
    border-top: 1px solid var(--_border);
    padding: var(--_space-s) 0;
  }
  .status {
    margin: 0;
  }
  .status[data-kind='error'],
  .errors {
    color: var(--_danger);
  }
  .errors {
    background: var(--chat-color-danger-soft, #fdecea);
    border-radius: var(--_radius-s);
    padding: var(--_space-s) var(--_space-m);
  }
  .errors ul {
    margin: var(--_space-xs) 0 0;
    padding-inline-start: var(--_space-l);
  }
  .errors button {
    font: inherit;
    color: inherit;
    background: none;
    border: 0;
    padding: 0;
    text-decoration: underline;
    cursor: pointer;
  }
  .status[data-kind='saved'] {
    color: var(--_success);
  }
`;
