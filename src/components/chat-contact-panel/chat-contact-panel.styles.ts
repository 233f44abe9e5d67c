import { css } from 'lit';

export const contactPanelStyles = css`
  .base {
    display: flex;
    flex-direction: column;
    gap: var(--_space-m);
    padding: var(--chat-contact-panel-padding, var(--_space-m));
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .heading {
    margin: 0;
    font-size: var(--_font-size-l);
  }
  .subheading {
    margin: 0 0 var(--_space-s);
    font-size: var(--_font-size);
    font-weight: 600;
  }
  .minor {
    margin: var(--_space-s) 0 var(--_space-xs);
    font-size: var(--_font-size-s);
    font-weight: 600;
    color: var(--_muted);
    text-transform: uppercase;
    letter-spacing: 0.03em;
  }
  .subheading:focus,
  .card-name:focus {
    outline: none;
  }
  .subheading:focus-visible,
  .card-name:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  .meta {
    display: block;
    color: var(--_muted);
    font-size: var(--_font-size-s);
    /* A phone number is dir="ltr" but lines up with the lines around it (right-to-left pages). */
    text-align: match-parent;
  }
  .muted {
    color: var(--_muted);
  }
  .empty {
    margin: 0;
    color: var(--_muted);
  }
  .customer {
    display: flex;
    flex-direction: column;
    padding: var(--_space-s);
    border-radius: var(--_radius-s);
    background: var(--_surface-alt);
  }
  .customer .label {
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }
  .customer-name {
    font-weight: 600;
  }
  .list,
  .rows {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
  }
  .item {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    align-items: center;
    gap: 0 var(--_space-s);
    padding: var(--_space-s) 0;
    border-top: 1px solid var(--_border);
  }
  .item:first-child {
    border-top: 0;
  }
  .details {
    grid-column: 1 / -1;
    display: flex;
    flex-direction: column;
    min-width: 0;
  }
  .name {
    font-weight: 600;
  }
  .reasons {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-xs);
    margin-top: var(--_space-xs);
  }
  .reason {
    padding: 1px 6px;
    border-radius: 999px;
    background: var(--chat-contact-panel-reason-background, var(--_accent-soft));
    color: var(--_text);
    font-size: var(--_font-size-s);
  }
  .reason[data-reason='linked'] {
    font-weight: 600;
  }
  .actions {
    display: flex;
    align-items: center;
    gap: 2px;
    flex: none;
  }
  .current {
    font-size: var(--_font-size-s);
    color: var(--_success);
    font-weight: 600;
  }
  .star {
    min-width: 32px;
    padding: 0;
    font-size: 1.1em;
    color: var(--_muted);
  }
  .star[aria-pressed='true'] {
    color: var(--_warning);
  }
  .btn[aria-disabled='true'] {
    cursor: progress;
    opacity: 0.7;
  }
  .input {
    width: 100%;
    min-height: 32px;
    padding: var(--_space-xs) var(--_space-s);
    border: 1px solid var(--_border);
    border-radius: var(--_radius-s);
    background: var(--_surface);
    color: var(--_text);
    font: inherit;
  }
  .input[aria-invalid='true'] {
    border-color: var(--_danger);
    border-width: 2px;
  }
  .search .input {
    margin-bottom: var(--_space-xs);
  }
  .footer,
  .card-actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-s);
  }
  .card-actions .btn {
    padding: 0 var(--_space-s);
  }
  .error {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-s);
    margin: 0;
    padding: var(--_space-s);
    border: 1px solid var(--_danger);
    border-radius: var(--_radius-s);
    color: var(--_danger);
  }
  .error-text {
    flex: 1 1 10rem;
  }
  .error-icon {
    display: inline-grid;
    place-items: center;
    width: 1.25em;
    height: 1.25em;
    border-radius: 50%;
    background: var(--_danger);
    color: var(--_surface);
    font-weight: 700;
    font-size: var(--_font-size-s);
  }
  .skeleton {
    display: flex;
    flex-direction: column;
    gap: var(--_space-s);
  }
  .bone {
    display: block;
    height: 0.9em;
    border-radius: var(--_radius-s);
    background: var(--chat-contact-panel-skeleton-color, var(--_surface-alt));
    animation: pulse 1.2s ease-in-out infinite alternate;
  }
  .bone[data-n='1'] {
    width: 80%;
  }
  .bone[data-n='2'] {
    width: 60%;
  }
  @keyframes pulse {
    from {
      opacity: 1;
    }
    to {
      opacity: 0.45;
    }
  }
  .form {
    display: flex;
    flex-direction: column;
    gap: var(--_space-s);
  }
  .hint {
    margin: 0;
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 2px;
  }
  .field label,
  .fieldset legend {
    font-weight: 600;
    font-size: var(--_font-size-s);
  }
  .req {
    color: var(--_danger);
  }
  .field-error {
    margin: 0;
    color: var(--_danger);
    font-size: var(--_font-size-s);
  }
  .fieldset {
    margin: 0;
    padding: var(--_space-s);
    border: 1px solid var(--_border);
    border-radius: var(--_radius-s);
    display: flex;
    flex-direction: column;
    gap: var(--_space-s);
    min-width: 0;
  }
  .radios {
    display: flex;
    flex-direction: column;
    gap: 2px;
  }
  .radio {
    display: flex;
    align-items: center;
    gap: var(--_space-xs);
    min-height: 24px;
  }
  .radio input {
    width: 18px;
    height: 18px;
    margin: 0;
  }
  .picked {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space-xs);
  }
  .pick {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    width: 100%;
    height: auto;
    padding: var(--_space-xs) var(--_space-s);
    text-align: start;
    white-space: normal;
  }
  .duplicates {
    padding: var(--_space-s);
    border: 1px solid var(--_warning);
    border-radius: var(--_radius-s);
    background: var(--chat-contact-panel-warning-background, #fff4e5);
  }
  .duplicates-title {
    margin: 0 0 var(--_space-xs);
    font-weight: 600;
    color: var(--_warning);
  }
  .card {
    display: flex;
    flex-direction: column;
    gap: var(--_space-xs);
  }
  .card-head {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space-s);
  }
  .card-name {
    margin: 0;
    font-size: var(--_font-size-l);
  }
  .card .meta {
    margin: 0;
  }
  .facts {
    margin: var(--_space-xs) 0;
    display: flex;
    flex-direction: column;
    gap: var(--_space-xs);
  }
  .facts dt {
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }
  .facts dd {
    margin: 0;
  }
  /* A pointer target of at least 24 × 24 px (WCAG 2.5.8), without moving the text. */
  .facts .phone {
    display: inline-block;
    min-width: 24px;
    min-height: 24px;
    line-height: 24px;
    margin-block: -4px;
  }
  .line {
    display: block;
  }
  .section {
    border-top: 1px solid var(--_border);
  }
  .count {
    font-weight: 400;
  }
  .row {
    display: flex;
    flex-direction: column;
    padding: var(--_space-xs) 0;
  }
  .row-title {
    font-weight: 500;
  }
  .tag {
    color: var(--_text);
  }
  .transcript-button {
    align-self: flex-start;
    padding: 0 var(--_space-xs);
    color: var(--_accent);
    text-decoration: underline;
  }
  .dialog {
    width: min(36rem, calc(100vw - 2rem));
    max-height: min(40rem, calc(100vh - 2rem));
    padding: 0;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
    font-family: var(--_font);
    font-size: var(--_font-size);
  }
  .dialog::backdrop {
    background: rgb(0 0 0 / 40%);
  }
  .dialog-head {
    position: sticky;
    top: 0;
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space-s);
    padding: var(--_space-s) var(--_space-m);
    border-bottom: 1px solid var(--_border);
    background: var(--_surface);
  }
  .dialog-title {
    margin: 0;
    font-size: var(--_font-size-l);
  }
  .dialog-body {
    padding: var(--_space-m);
  }
  .transcript-list {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: var(--_space-s);
  }
  .message .text {
    display: block;
    white-space: pre-wrap;
  }
  .message[data-kind='note'] {
    padding: var(--_space-xs) var(--_space-s);
    background: var(--_note);
    border-radius: var(--_radius-s);
  }
  .message[data-kind='event'] .text {
    color: var(--_muted);
    font-style: italic;
  }
`;
