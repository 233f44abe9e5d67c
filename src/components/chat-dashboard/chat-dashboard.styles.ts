import { css } from 'lit';

export const dashboardStyles = css`
  .base {
    display: flex;
    flex-direction: column;
    gap: var(--_space-m);
    padding: var(--chat-dashboard-padding, var(--_space-l));
    background: var(--_surface);
    min-height: 100%;
  }
  .heading {
    display: flex;
    align-items: baseline;
    gap: var(--_space-s);
    margin: 0;
    font-size: var(--_font-size-l);
    font-weight: 600;
  }
  .count {
    color: var(--_muted);
    font-weight: 400;
    font-size: var(--_font-size);
  }
  .error {
    display: flex;
    align-items: flex-start;
    gap: var(--_space-s);
    padding: var(--_space-s) var(--_space-m);
    border: 1px solid var(--_danger);
    border-left-width: 4px;
    border-radius: var(--_radius-s);
    background: var(--chat-dashboard-error-background, #fdecea);
    color: var(--_danger);
  }
  .error-text {
    flex: 1;
    align-self: center;
  }
  .error-icon {
    flex: none;
    font-weight: 700;
    align-self: center;
  }
  .dismiss {
    min-height: 24px;
    min-width: 24px;
    padding: 0 var(--_space-xs);
    color: inherit;
  }
  .empty {
    margin: 0;
    padding: var(--_space-l);
    border: 1px dashed var(--_border);
    border-radius: var(--_radius);
    color: var(--_muted);
    text-align: center;
  }
  .table-wrap {
    overflow-x: auto;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  table {
    width: 100%;
    border-collapse: collapse;
    table-layout: auto;
  }
  th {
    text-align: start;
    font-weight: 600;
    font-size: var(--_font-size-s);
    color: var(--_muted);
    background: var(--_surface-alt);
    padding: var(--_space-s) var(--_space-m);
    border-bottom: 1px solid var(--_border);
    white-space: nowrap;
  }
  td {
    padding: var(--_space-s) var(--_space-m);
    border-bottom: 1px solid var(--_border);
    vertical-align: middle;
  }
  tbody tr:last-child td {
    border-bottom: none;
  }
  tbody tr {
    cursor: default;
    outline: none;
  }
  tbody tr:hover {
    background: var(--chat-dashboard-row-hover-background, var(--_surface-alt));
  }
  tbody tr:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: -2px;
  }
  .customer {
    display: flex;
    flex-direction: column;
    min-width: 8rem;
  }
  .name {
    font-weight: 600;
  }
  .email {
    color: var(--_muted);
    font-size: var(--_font-size-s);
  }
  .waiting {
    white-space: nowrap;
    font-variant-numeric: tabular-nums;
  }
  .preview-text {
    display: block;
    max-width: var(--chat-dashboard-preview-width, 28rem);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    color: var(--_muted);
  }
  .muted {
    font-style: italic;
  }
  .action {
    text-align: end;
    width: 1%;
  }
`;
