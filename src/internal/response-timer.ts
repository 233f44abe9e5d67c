/**
 * A chat's priority marker and its response timer (issue 18), as the session list's rows and the
 * dashboard's waiting rows show them; each element adds {@link responseTimerStyles}.
 *
 * - **Priority**: a marker for `urgent`, `high` and `low` (nothing for `normal`): an icon and the
 *   word, never colour alone.
 * - **Timer**: the answer the customer waits for against the channel's target
 *   (`SessionSummary.response`, server times): time left while in time, a warning from 75 % of
 *   the target, "overdue" after it. Each state has its own icon, word and colour; the full
 *   sentence (which answer, how long) is the accessible text.
 *
 * {@link ResponseTicker} re-renders its element exactly when a shown timer's state or minute
 * changes (no polling while nothing is due).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { css, html, nothing, svg } from 'lit';

import { formatUnit } from '../i18n/format.js';
import { msg, str } from '../i18n/localization.js';
import type { ChatPriority } from '../protocol/priority.js';
import { nextResponseChange, responseState } from '../protocol/priority.js';
import type { ResponseDue } from '../protocol/model.js';
import { pillStyles } from '../styles/pill.styles.js';

const MINUTE = 60_000;

const icons = {
  /** Clock: in time. */
  ok: svg`<svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"><circle cx="8" cy="8" r="6.2"/><path d="M8 4.6V8l2.4 1.6"/></svg>`,
  /** Hourglass: the target is near. */
  warning: svg`<svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" fill="currentColor"><path d="M3.5 1.5h9v1.6c0 2-1.4 3.4-2.9 4.9 1.5 1.5 2.9 2.9 2.9 4.9v1.6h-9v-1.6c0-2 1.4-3.4 2.9-4.9C4.9 6.5 3.5 5.1 3.5 3.1Zm1.7 1.6c0 1.2.9 2.2 2.8 4 1.9-1.8 2.8-2.8 2.8-4Z"/></svg>`,
  /** Exclamation in a circle: overdue. */
  breached: svg`<svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" fill="currentColor"><path d="M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1Zm-.9 3.2v5h1.8v-5Zm0 6.4v1.8h1.8v-1.8Z"/></svg>`,
  /** Arrow up: a raised priority; down: lowered. */
  up: svg`<svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" fill="currentColor"><path d="M8 2 13.5 8H10v6H6V8H2.5Z"/></svg>`,
  down: svg`<svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" fill="currentColor"><path d="M8 14 2.5 8H6V2h4v6h3.5Z"/></svg>`,
};

/** The name of a priority, as a select and the marker show it. */
export function priorityLabel(p: ChatPriority): string {
  switch (p) {
    case 'urgent':
      return msg('Urgent', { id: 'priority.urgent' });
    case 'high':
      return msg('High', { id: 'priority.high' });
    case 'normal':
      return msg('Normal', { id: 'priority.normal' });
    case 'low':
      return msg('Low', { id: 'priority.low' });
  }
}

/** The marker of a chat's priority; nothing for `normal` (or none). */
export function priorityMarker(priority: ChatPriority | undefined) {
  if (priority === undefined || priority === 'normal') return nothing;
  const label = msg(str`Priority: ${priorityLabel(priority)}`, { id: 'priority.marker' });
  return html`<span class="pill priority priority--${priority}" part="priority priority--${priority}" title=${label}
    >${priority === 'low' ? icons.down : icons.up}<span class="visually-hidden">${label}</span
    ><span aria-hidden="true">${priorityLabel(priority)}</span></span
  >`;
}

/** Whole minutes, at least one: "1 min", "12 min", "90 min" (short units of the language). */
const minutes = (n: number): string => formatUnit(Math.max(1, n), 'minute');

/** The timer of an awaited answer at `now` (server time); nothing when none is awaited. */
export function responseTimer(response: ResponseDue | undefined, now: number) {
  if (!response) return nothing;
  const state = responseState(response, now);
  const first = response.kind === 'first';
  let shown: string;
  let full: string;
  if (state === 'breached') {
    const late = Math.floor((now - response.due) / MINUTE);
    shown = late < 1 ? msg('Overdue', { id: 'response.overdue' }) : msg(str`${minutes(late)} overdue`, { id: 'response.overdue-by' });
    full = first
      ? msg(str`First reply overdue (target passed ${minutes(late)} ago)`, { id: 'response.first.breached' })
      : msg(str`Reply overdue (target passed ${minutes(late)} ago)`, { id: 'response.next.breached' });
  } else {
    const left = minutes(Math.ceil((response.due - now) / MINUTE));
    shown = msg(str`${left} left`, { id: 'response.left' });
    full =
      state === 'warning'
        ? first
          ? msg(str`First reply due soon: ${left} left`, { id: 'response.first.warning' })
          : msg(str`Reply due soon: ${left} left`, { id: 'response.next.warning' })
        : first
          ? msg(str`First reply due in ${left}`, { id: 'response.first.ok' })
          : msg(str`Reply due in ${left}`, { id: 'response.next.ok' });
  }
  return html`<span class="pill sla sla--${state}" part="sla sla--${state}" data-state=${state} title=${full}
    >${icons[state]}<span class="visually-hidden">${full}</span><span aria-hidden="true">${shown}</span></span
  >`;
}

/** When a timer's shown text or state changes next after `now` (undefined: none shown). */
function nextChange(response: ResponseDue | undefined, now: number): number | undefined {
  if (!response) return undefined;
  // The minute shown changes each whole minute before and after the due time.
  const toDue = response.due - now;
  const minuteStep = toDue > 0 ? now + (toDue % MINUTE || MINUTE) : now + (MINUTE - (-toDue % MINUTE));
  const state = nextResponseChange(response, now);
  return state === undefined ? minuteStep : Math.min(state, minuteStep);
}

/**
 * Re-renders the host when the next shown timer changes (its state at 75 % and at the due time,
 * or its minute). `rows()` are the rows shown; `now()` the server's time.
 */
export class ResponseTicker implements ReactiveController {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private dueAt: number | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly rows: () => Iterable<{ response?: ResponseDue | undefined }>,
    private readonly now: () => number,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    const now = this.now();
    let next: number | undefined;
    for (const r of this.rows()) {
      const at = nextChange(r.response, now);
      if (at !== undefined && (next === undefined || at < next)) next = at;
    }
    if (next === this.dueAt) return;
    this.stop();
    this.dueAt = next;
    if (next === undefined) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.dueAt = undefined;
        this.host.requestUpdate();
      },
      Math.max(0, next - now),
    );
  }

  hostDisconnected(): void {
    this.stop();
    this.dueAt = undefined;
  }

  private stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

export const responseTimerStyles = [
  pillStyles,
  css`
    .priority--urgent {
      background: var(--_danger);
      color: var(--_on-accent);
    }
    .priority--high {
      border: 1px solid var(--_warning);
      color: var(--_warning);
    }
    .priority--low {
      border: 1px solid var(--_border);
      color: var(--_muted);
    }
    .sla--ok {
      color: var(--_muted);
    }
    .sla--warning {
      border: 1px solid var(--_warning);
      color: var(--_warning);
    }
    .sla--breached {
      background: var(--_danger);
      color: var(--_on-accent);
    }
    @media (forced-colors: active) {
      .priority,
      .sla--warning,
      .sla--breached {
        border: 1px solid CanvasText;
      }
    }
  `,
];
