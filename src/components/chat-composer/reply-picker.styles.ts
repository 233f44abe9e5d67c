/**
 * The Insert picker's styles (with the shared form styles), added to the composer's shadow root
 * on first use: tabs and filters, the list and its preview, the manage view and the quick-reply form.
 */
import { css } from 'lit';

import { formStyles } from '../../styles/form.styles.js';

/** The picker's styles, adopted by the composer's shadow root when the picker loads (composer-tools.ts). */
export const pickerStyles = [
  formStyles,
  css`
  .picker:not(:popover-open) {
    display: none;
  }
  .picker-tabs {
    display: flex;
    gap: 2px;
    border-bottom: 1px solid var(--_border);
    margin-bottom: var(--_space-s);
  }
  .picker-tab {
    min-height: 32px;
    padding: 0 var(--_space-m);
    border: 0;
    border-bottom: 3px solid transparent;
    background: none;
    color: var(--_muted);
    font-weight: 600;
    cursor: pointer;
  }
  .picker-tab[aria-selected='true'] {
    color: var(--_text);
    border-bottom-color: var(--_accent);
  }
  .picker-filters {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-s) var(--_space-m);
    margin: var(--_space-s) 0;
    font-size: var(--_font-size-s);
  }
  .picker-field {
    display: inline-flex;
    align-items: center;
    gap: var(--_space-xs);
  }
  .picker-field select {
    min-height: 28px;
    font: inherit;
    max-width: 12rem;
  }
  .segs {
    display: inline-flex;
    border: 1px solid var(--_border);
    border-radius: var(--_radius-s);
    overflow: hidden;
  }
  .seg {
    position: relative;
    display: inline-flex;
    align-items: center;
    min-height: 28px;
    padding: 0 var(--_space-s);
    cursor: pointer;
  }
  .seg + .seg {
    border-inline-start: 1px solid var(--_border);
  }
  .seg input {
    position: absolute;
    inset: 0;
    margin: 0;
    opacity: 0;
    cursor: pointer;
  }
  .seg--on {
    background: var(--_accent-soft);
    font-weight: 600;
  }
  .seg:has(input:focus-visible) {
    outline: 2px solid var(--_focus);
    outline-offset: -2px;
  }
  .picker-body {
    display: grid;
    grid-template-columns: minmax(0, 1fr) minmax(0, 1.2fr);
    gap: var(--_space-m);
    min-height: 8rem;
  }
  .picker-list {
    max-height: 16rem;
    overflow: auto;
    border: 1px solid var(--_border);
    border-radius: var(--_radius-s);
  }
  .picker-list:empty {
    display: none;
  }
  .option {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    gap: 0 var(--_space-s);
    min-height: 32px;
    padding: 4px 8px;
    cursor: pointer;
    border-inline-start: 3px solid transparent;
  }
  .option--active {
    background: var(--_accent-soft);
    border-inline-start-color: var(--_accent);
  }
  .option-title {
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .option-star {
    color: var(--_warning);
  }
  .option-star svg,
  .star svg {
    width: 14px;
    height: 14px;
  }
  .option-meta {
    grid-column: 1 / -1;
    display: flex;
    gap: var(--_space-s);
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }
  .option-shortcut {
    font-family: ui-monospace, monospace;
  }
  .preview {
    padding: var(--_space-s);
    border-radius: var(--_radius-s);
    background: var(--_surface-alt);
    min-width: 0;
  }
  .preview--empty {
    visibility: hidden;
  }
  .preview-head {
    display: flex;
    align-items: center;
    gap: var(--_space-s);
  }
  .preview-title {
    flex: 1 1 auto;
    margin: 0;
    font-size: var(--_font-size);
  }
  .star {
    min-height: 28px;
    padding: 0 var(--_space-s);
    color: var(--_muted);
  }
  .star--on {
    color: var(--_warning);
  }
  .preview-facts {
    display: flex;
    gap: var(--_space-s);
    margin: 2px 0 var(--_space-s);
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }
  .preview-text {
    margin: 0 0 var(--_space-s);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .preview-note {
    margin: 0 0 var(--_space-s);
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }
  .picker-footer,
  .form-actions {
    display: flex;
    justify-content: flex-end;
    gap: var(--_space-s);
    margin-top: var(--_space-s);
    padding-top: var(--_space-s);
    border-top: 1px solid var(--_border);
  }
  .manage-head {
    display: flex;
    align-items: center;
    justify-content: space-between;
  }
  .manage-title {
    margin: 0 0 var(--_space-s);
    font-size: var(--_font-size-l);
  }
  .manage-hint {
    margin: 2px 0 0;
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }
  .manage-notice {
    margin: var(--_space-s) 0;
    font-weight: 600;
  }
  .manage-list {
    list-style: none;
    margin: var(--_space-s) 0 0;
    padding: 0;
  }
  .manage-row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-s);
    padding: var(--_space-xs) 0;
    border-bottom: 1px solid var(--_border);
  }
  .manage-name {
    display: flex;
    flex-direction: column;
    flex: 1 1 12rem;
    min-width: 0;
  }
  .confirm {
    display: inline-flex;
    align-items: center;
    gap: var(--_space-s);
  }
  .confirm-text {
    font-weight: 600;
  }
  .reply-form {
    display: flex;
    flex-direction: column;
    gap: var(--_space-s);
  }
  @media (max-width: 560px) {
    .picker-body {
      grid-template-columns: 1fr;
    }
  }
`,
];
