import { css } from 'lit';

export const dashboardStyles = css`
  .base {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-start;
    gap: var(--_space-l);
    padding: var(--chat-dashboard-padding, var(--_space-l));
    background: var(--_surface);
    min-height: 100%;
  }
  .main {
    flex: 999 1 30rem;
    min-width: 0;
    display: flex;
    flex-direction: column;
    gap: var(--_space-l);
    container-type: inline-size;
  }
  section {
    display: flex;
    flex-direction: column;
    gap: var(--_space-s);
    min-width: 0;
  }
  .heading,
  .section-heading {
    display: flex;
    align-items: baseline;
    gap: var(--_space-s);
    margin: 0;
    font-size: var(--_font-size-l);
    font-weight: 600;
  }
  .heading:focus {
    outline: none;
  }
  .heading:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  .count {
    color: var(--_muted);
    font-weight: 400;
    font-size: var(--_font-size);
  }

  /* Channel filter */
  .filter {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-xs) var(--_space-m);
    margin: 0;
    padding: var(--_space-s) var(--_space-m);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .filter legend {
    padding: 0 var(--_space-xs);
    font-weight: 600;
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }
  .filter-option {
    display: inline-flex;
    align-items: center;
    gap: var(--_space-xs);
    min-height: 24px;
    cursor: pointer;
  }
  .filter-option input {
    width: 16px;
    height: 16px;
    margin: 0;
    accent-color: var(--_accent);
  }

  /* Statistics */
  .stats-meta {
    margin: 0;
    color: var(--_muted);
    font-size: var(--_font-size-s);
  }
  .stats-meta--failed {
    color: var(--_danger);
  }
  .stats-body {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: var(--_space-s);
    align-items: start;
  }
  @container (min-width: 60rem) {
    .stats-body {
      grid-template-columns: minmax(0, 1fr) minmax(22rem, 28rem);
    }
  }
  .cards {
    display: grid;
    align-content: start;
    grid-template-columns: repeat(auto-fill, minmax(var(--chat-dashboard-card-min-width, 8.5rem), 1fr));
    gap: var(--_space-s);
    margin: 0;
  }
  .card {
    display: flex;
    flex-direction: column;
    gap: 2px;
    padding: var(--_space-s) var(--_space-m);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface-alt);
  }
  .card dt,
  .card dd {
    margin: 0;
  }
  .card-label {
    color: var(--_muted);
    font-size: var(--_font-size-s);
  }
  .card-value {
    /* The number first (the label stays first in the DOM: dt before dd). */
    order: -1;
    font-size: 1.25rem;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
    line-height: 1.25;
  }
  .card-note {
    color: var(--_muted);
    font-size: var(--_font-size-s);
  }
  .card--tags {
    grid-column: span 2;
  }
  .card-tags ul {
    display: flex;
    flex-wrap: wrap;
    gap: 2px var(--_space-s);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .card-tags li {
    display: inline-flex;
    align-items: baseline;
    gap: 4px;
    padding: 0 6px;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_surface);
  }
  .card-tags .tag-number {
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  .card-tags .tag-more {
    border: 0;
    background: none;
    color: var(--_muted);
  }

  /* Chart */
  .chart-section {
    display: flex;
    flex-direction: column;
    gap: var(--_space-xs);
    padding: var(--_space-s) var(--_space-m) var(--_space-m);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .chart-head {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space-s);
  }
  .chart-heading {
    margin: 0;
    font-size: var(--_font-size);
    font-weight: 600;
  }
  .chart-zone {
    font-weight: 400;
    color: var(--_muted);
    font-size: var(--_font-size-s);
  }
  .chart-toggle {
    min-height: 28px;
    color: var(--_accent);
    text-decoration: underline;
  }
  .chart {
    display: block;
    width: 100%;
    max-width: 30rem;
    height: auto;
  }
  .chart .bar {
    fill: var(--chat-dashboard-bar-color, var(--_accent));
  }
  .chart .grid {
    stroke: var(--_border);
    stroke-width: 1;
  }
  .chart .axis {
    fill: var(--_muted);
    font-size: 10px;
    font-family: var(--_font);
  }
  .ratings {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-l);
    padding: var(--_space-s) var(--_space-m) var(--_space-m);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .chart-table {
    border-collapse: collapse;
    width: auto;
    min-width: 14rem;
    font-variant-numeric: tabular-nums;
  }
  .chart-table caption {
    text-align: start;
    font-weight: 600;
    padding-bottom: var(--_space-xs);
  }
  .chart-table th,
  .chart-table td {
    padding: 2px var(--_space-m);
    border-bottom: 1px solid var(--_border);
    text-align: start;
    font-weight: 400;
    background: none;
    color: var(--_text);
    font-size: var(--_font-size);
  }
  .chart-table thead th {
    font-weight: 600;
    color: var(--_muted);
    font-size: var(--_font-size-s);
  }
  .chart-table td,
  .chart-table thead th:last-child {
    text-align: end;
  }
  .chart-table tbody tr:last-child th {
    border-bottom: none;
  }

  /* Incoming and ongoing chats */
  .error {
    display: flex;
    align-items: flex-start;
    gap: var(--_space-s);
    padding: var(--_space-s) var(--_space-m);
    border: 1px solid var(--_danger);
    border-inline-start-width: 4px;
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
  .capacity,
  .hidden-waiting,
  .listen-ended {
    margin: 0;
    padding: var(--_space-s) var(--_space-m);
    border-inline-start: 4px solid var(--_warning);
    border-radius: var(--_radius-s);
    background: var(--_surface-alt);
    color: var(--_text);
  }
  .hidden-waiting {
    border-inline-start-color: var(--_accent);
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-s);
  }
  .link {
    min-height: 24px;
    padding: 0 var(--_space-xs);
    color: var(--_accent);
    text-decoration: underline;
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
  tbody.incoming tr,
  table.ongoing tbody tr {
    cursor: default;
    outline: none;
  }
  tbody.incoming tr:hover,
  table.ongoing tbody tr:hover {
    background: var(--chat-dashboard-row-hover-background, var(--_surface-alt));
  }
  tbody.incoming tr:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: -2px;
  }
  table.ongoing tbody tr[part~='ongoing-row--listening'] {
    background: var(--_accent-soft);
  }
  .customer {
    display: flex;
    flex-direction: column;
    min-width: 8rem;
  }
  .customer .priority {
    align-self: flex-start;
    margin-top: 2px;
  }
  .waiting .sla {
    margin-inline-start: var(--_space-xs);
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
  .ear {
    font-size: 0.75em;
  }

  /* Help requested (issue 18) */
  .help-section .table-wrap {
    border-color: var(--_warning);
    border-width: 2px;
  }
  .count--help {
    color: var(--_warning);
    font-weight: 600;
  }
  .asker {
    display: block;
  }
  .help-note {
    display: block;
    max-width: var(--chat-dashboard-preview-width, 28rem);
    color: var(--_muted);
    font-size: var(--_font-size-s);
    overflow-wrap: anywhere;
  }
  .help-actions {
    white-space: nowrap;
  }
  .help-actions .btn + .btn {
    margin-inline-start: var(--_space-xs);
  }
  .returned {
    display: block;
    max-width: var(--chat-dashboard-preview-width, 28rem);
    font-size: var(--_font-size-s);
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .help-error {
    margin: 0;
    color: var(--_danger);
  }

  /* Listen-in panel */
  .listen {
    flex: 1 1 22rem;
    max-width: 100%;
    width: var(--chat-dashboard-listen-width, 26rem);
    height: var(--chat-dashboard-listen-height, 36rem);
    /* The visible height of the box the dashboard scrolls in (see ScrollportHeight), else the viewport's. */
    max-height: calc(var(--_scrollport-height, 100vh) - 2 * var(--_space-l));
    position: sticky;
    top: var(--_space-l);
    display: flex;
    flex-direction: column;
    border: 2px solid var(--_warning);
    border-radius: var(--_radius);
    overflow: hidden;
    background: var(--_surface);
  }
  .listen-head {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space-s);
    padding: var(--_space-s) var(--_space-m);
    border-bottom: 1px solid var(--_border);
  }
  .listen-heading {
    margin: 0;
    font-size: var(--_font-size-l);
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .listen-heading:focus {
    outline: none;
  }
  .listen-heading:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  .listen-notice {
    display: flex;
    align-items: center;
    gap: var(--_space-s);
    margin: 0;
    padding: var(--_space-s) var(--_space-m);
    background: var(--chat-dashboard-listen-background, #fff8e1);
    color: var(--_text);
    font-weight: 600;
    border-bottom: 1px solid var(--_border);
  }
  .listen-icon {
    color: var(--_warning);
  }
  .listen-conversation {
    flex: 1;
    min-height: 0;
  }
`;
