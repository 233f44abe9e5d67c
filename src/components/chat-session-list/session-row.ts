/**
 * One row of chat-session-list (a chat: customer, channel, a transfer waiting, the last message
 * with who wrote it, unread count, age) and the groups' headings, as plain render functions.
 */
import { html, nothing, svg } from 'lit';

import { msg, str } from '../../i18n/localization.js';
import { customerName, formatAge } from '../../i18n/common.js';
import { identityBadge } from '../../internal/identity-badge.js';
import { priorityMarker, responseTimer } from '../../internal/response-timer.js';
import type { SessionSummary } from '../../protocol/model.js';
import type { GroupKey } from '../../state/session-groups.js';
import { transferDirection } from '../../state/session-groups.js';

/** What every row of one render needs. */
export interface RowContext {
  meId: string | undefined;
  channelNames: ReadonlyMap<string, string>;
  now: number;
  /** The selected chat (`aria-selected`). */
  selectedId: string | undefined;
  /** The row with keyboard focus (`aria-activedescendant`). */
  activeId: string | undefined;
}

const icons = {
  /** Speech bubble, outlined, tail on the left: the customer wrote last. */
  customer: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.4" stroke-linejoin="round"><path d="M2.5 3h11v7.5H7.2L4.2 13v-2.5H2.5Z"/></svg>`,
  /** Speech bubble, filled, tail on the right: an agent wrote last. */
  agent: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M2 2.5h12v8.2h-1.8V13.5L8.9 10.7H2Z"/></svg>`,
  system: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13Zm.8 10H7.2V7h1.6v4.5ZM8 6a1 1 0 1 1 0-2 1 1 0 0 1 0 2Z"/></svg>`,
  /** Exclamation mark in a triangle: a transfer waits for an answer. */
  transfer: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M8 1.3c.4 0 .8.2 1 .6l6 10.8c.4.8-.1 1.7-1 1.7H2c-.9 0-1.4-.9-1-1.7L7 1.9c.2-.4.6-.6 1-.6Zm-.8 4.2v4.2h1.6V5.5H7.2ZM8 10.6a.95.95 0 1 0 0 1.9.95.95 0 0 0 0-1.9Z"/></svg>`,
};

/** Whether a row has its line of marks: priority (not normal) or the timer of an awaited answer (issue 18). */
function hasMarks(s: SessionSummary, completed: boolean): boolean {
  return !completed && ((s.priority !== undefined && s.priority !== 'normal') || s.response !== undefined);
}

/** The text of a row's state line when no transfer waits ('' for none). */
function flagText(s: SessionSummary): string {
  return s.help
    ? msg(str`${s.help.agentName} asked for help`, { id: 'chat-session-list.flag.help' })
    : s.heldAt !== undefined
      ? msg('On hold', { id: 'chat-session-list.flag.held' })
      : s.returned && s.status !== 'ended' && s.status !== 'missed'
        ? msg(str`Returned to the queue: ${s.returned.reason}`, { id: 'chat-session-list.flag.returned' })
        : s.tags && s.tags.length > 0
          ? msg(str`Tags: ${s.tags.join(', ')}`, { id: 'chat-session-list.flag.tags' })
          : '';
}

/**
 * A row's shape: which of its optional lines it shows (marks; a transfer or state line) and
 * whether it has an unread badge. Rows of one shape have one height (the long groups place rows
 * by it, row-window.ts).
 */
export function rowShape(s: SessionSummary, meId: string | undefined): string {
  const completed = s.status === 'ended' || s.status === 'missed';
  const line = (transferDirection(s, meId) !== undefined && s.transfer !== undefined) || s.help !== undefined || s.heldAt !== undefined || (s.returned !== undefined && !completed) || (s.tags?.length ?? 0) > 0;
  return `${hasMarks(s, completed) ? 'm' : ''}${line ? 'l' : ''}${s.unread > 0 ? 'u' : ''}`;
}

/** One row; `place` positions it in a long group's window (row-window.ts). */
export function renderRow(s: SessionSummary, index: number, size: number, ctx: RowContext, place?: string) {
  const selected = s.id === ctx.selectedId;
  const unread = s.unread > 0;
  const direction = transferDirection(s, ctx.meId);
  const completed = s.status === 'ended' || s.status === 'missed';
  // Priority (not normal) and the timer of an awaited answer (issue 18): a line of their own.
  const marks = hasMarks(s, completed);
  const parts = ['item', selected ? 'item--selected' : '', unread ? 'item--unread' : '', direction ? 'item--transfer' : '', completed ? 'item--completed' : '']
    .filter(Boolean)
    .join(' ');
  const classes = [
    'item',
    unread ? 'item--unread' : '',
    direction ? 'item--transfer' : '',
    completed ? 'item--completed' : '',
    marks ? 'item--marks' : '',
    s.id === ctx.activeId ? 'active' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const last = s.lastMessage;
  const at = s.lastActivityAt;
  const unreadCount = s.unread;
  return html`<div
    role="option"
    id=${`option-${s.id}`}
    data-id=${s.id}
    data-shape=${place === undefined ? nothing : rowShape(s, ctx.meId)}
    style=${place ?? nothing}
    class=${classes}
    part=${parts}
    aria-selected=${selected ? 'true' : 'false'}
    aria-setsize=${size}
    aria-posinset=${index + 1}
  >
    <span class="who"
      ><span class="name" part="name" dir="auto">${customerName(s.customer)}</span>${identityBadge(s.identity)}<span class="channel" part="channel">${ctx.channelNames.get(s.channelId) ?? ''}</span></span
    >
    ${marks ? html`<span class="marks" part="marks">${priorityMarker(s.priority)}${responseTimer(s.response, ctx.now)}</span>` : nothing}
    ${direction && s.transfer ? renderTransfer(direction, s.transfer.fromAgentName, s.transfer.toAgentName) : renderFlag(s)}
    <span class="preview" part="preview">${last ? renderAuthor(last.from) : nothing}<span class="preview-text" dir="auto">${last?.text ?? ''}</span></span>
    ${unread
      ? html`<span class="badge" part="badge"
          ><span aria-hidden="true">${unreadCount}</span
          ><span class="visually-hidden">${msg(str`${unreadCount} unread`, { id: 'chat-session-list.unread' })}</span></span
        >`
      : nothing}
    <time class="time" part="time" datetime=${new Date(at).toISOString()}>${formatAge(at, ctx.now)}</time>
  </div>`;
}

function renderTransfer(direction: 'to-me' | 'from-me', fromName: string, toName: string) {
  const text =
    direction === 'to-me'
      ? msg(str`Transfer to you from ${fromName}`, { id: 'chat-session-list.transfer.to-me' })
      : msg(str`Waiting for ${toName} to accept`, { id: 'chat-session-list.transfer.from-me' });
  return html`<span class="transfer" part="transfer">${icons.transfer}<span class="transfer-text">${text}</span></span>`;
}

/**
 * The chat's state from issue 18 in the transfer's place (a transfer goes first): a request for
 * help, on hold, or why it came back to the queue; and its wrap-up tags. Text only.
 */
function renderFlag(s: SessionSummary) {
  const text = flagText(s);
  if (text === '') return nothing;
  const kind = s.help ? 'help' : s.heldAt !== undefined ? 'held' : s.returned ? 'returned' : 'tags';
  return html`<span class=${`transfer flag flag--${kind}`} part=${`flag flag--${kind}`}>${s.help ? icons.transfer : nothing}<span class="transfer-text" dir="auto">${text}</span></span>`;
}

function renderAuthor(from: 'customer' | 'agent' | 'system') {
  const label =
    from === 'customer'
      ? msg('Customer:', { id: 'chat-session-list.from.customer' })
      : from === 'agent'
        ? msg('Agent:', { id: 'chat-session-list.from.agent' })
        : msg('Event:', { id: 'chat-session-list.from.system' });
  return html`${icons[from]}<span class="visually-hidden">${label}</span> `;
}

export function groupLabel(key: GroupKey): string {
  switch (key) {
    case 'transfers':
      return msg('Transfers awaiting acceptance', { id: 'chat-session-list.group.transfers' });
    case 'ongoing':
      return msg('Ongoing', { id: 'chat-session-list.group.ongoing' });
    case 'completed':
      return msg('Completed in the last 8 hours', { id: 'chat-session-list.group.completed' });
  }
}
