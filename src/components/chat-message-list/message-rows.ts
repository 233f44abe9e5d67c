/**
 * The rows of chat-message-list: which messages a row shows (`MessageRow`, `PendingRow`, grouped
 * by author within five minutes), the words of system events and failures, and the rendering of
 * one row (author, time, text with safe links, files, "Seen", the state of a pending message with
 * Retry and Cancel). `RowRenderer` keeps what rows reuse between renders: the linkified text of
 * each message, formatted times and the signed URLs of files.
 */
import type { TemplateResult } from 'lit';
import { html, nothing, svg } from 'lit';

import { getFormatLocale, msg, str } from '../../i18n/localization.js';
import { formatTime, timeZoneName } from '../../i18n/common.js';
import { AttachmentUrls } from '../../internal/files.js';
import { linkify } from '../../internal/linkify.js';
import { isBotMessage } from '../../protocol/journey.js';
import type { ChatMessage } from '../../protocol/model.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import type { OutboxItem } from '../../state/types.js';
import { renderAttachments, renderPendingFiles } from './attachments.js';
import { renderMessageActions } from './message-actions.js';
import { renderQuote } from '../../internal/message-quote.js';

/** Messages of one author closer together than this are grouped (the name is shown once). */
const GROUP_MS = 5 * 60_000;

const icons = {
  clock: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.5"><circle cx="8" cy="8" r="6"/><path d="M8 4.5V8l2.5 1.5" stroke-linecap="round"/></svg>`,
  check: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"><path d="m3 8.5 3 3 7-7"/></svg>`,
  seen: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"><path d="m1.5 8.5 3 3 6.5-6.5M7.5 11.5 14 5"/></svg>`,
  error: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13ZM7.2 4h1.6v5H7.2V4Zm.8 8a1 1 0 1 1 0-2 1 1 0 0 1 0 2Z"/></svg>`,
  lock: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2h.5a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h.5Zm1.5 0h4V5a2 2 0 0 0-4 0v2Z"/></svg>`,
};

export interface MessageRow {
  type: 'message';
  key: string;
  message: ChatMessage;
  /** Same author as the row before, within GROUP_MS: the name is shown once. */
  cont: boolean;
  /** The "New messages" divider goes above this row. */
  divider: boolean;
  /** "Seen": the customer has read up to this agent message (the newest such one). */
  seen: boolean;
}
export interface PendingRow {
  type: 'pending';
  key: string;
  item: OutboxItem;
  cont: boolean;
}
export type Row = MessageRow | PendingRow;

export const messageKey = (m: ChatMessage) => (m.cmid !== undefined ? `c:${m.cmid}` : `m:${m.id}`);

export function sameGroup(a: ChatMessage | undefined, b: ChatMessage): boolean {
  if (!a || a.kind === 'event' || b.kind === 'event' || a.kind !== b.kind) return false;
  if (a.author.kind !== b.author.kind || (a.author.id ?? a.author.name) !== (b.author.id ?? b.author.name)) return false;
  return b.at - a.at < GROUP_MS;
}

/** The localized line for a system event (names as they were at the time). */
export function eventText(m: ChatMessage): string {
  const name = m.author.name;
  const meta = m.meta ?? {};
  const from = meta.fromAgentName ?? '';
  const to = meta.toAgentName ?? '';
  switch (m.event) {
    case 'queued':
      return m.text.trim() !== '' ? m.text : msg('The chat started.', { id: 'chat-message-list.event.queued' });
    case 'joined':
      return msg(str`${name} joined the chat`, { id: 'chat-message-list.event.joined' });
    case 'ended':
      return name.trim() !== '' ? msg(str`${name} ended the chat`, { id: 'chat-message-list.event.ended-by' }) : msg('The chat has ended', { id: 'chat-message-list.event.ended' });
    case 'left':
      return msg(str`${name} left the chat`, { id: 'chat-message-list.event.left' });
    case 'missed':
      return msg(str`${name} left before anyone answered`, { id: 'chat-message-list.event.missed' });
    case 'transfer-requested':
      if (from === '' || to === '') return m.text;
      return meta.note !== undefined && meta.note.trim() !== ''
        ? msg(str`${from} offered the chat to ${to}: “${meta.note}”`, { id: 'chat-message-list.event.transfer-requested-note' })
        : msg(str`${from} offered the chat to ${to}`, { id: 'chat-message-list.event.transfer-requested' });
    case 'transferred':
      if (from === '' || to === '') return m.text;
      return msg(str`${from} transferred the chat to ${to}`, { id: 'chat-message-list.event.transferred' });
    case 'transfer-declined':
      if (to === '') return m.text;
      return msg(str`${to} declined the transfer`, { id: 'chat-message-list.event.transfer-declined' });
    case 'transfer-cancelled':
      if (to === '') return m.text;
      if (meta.reason === 'agent-unavailable') {
        return msg(str`The transfer to ${to} was cancelled: ${to} is no longer available`, { id: 'chat-message-list.event.transfer-cancelled-unavailable' });
      }
      return name.trim() !== '' && name !== to
        ? msg(str`${name} cancelled the transfer to ${to}`, { id: 'chat-message-list.event.transfer-cancelled-by' })
        : msg(str`The transfer to ${to} was cancelled`, { id: 'chat-message-list.event.transfer-cancelled' });
    case 'transfer-expired':
      if (to === '') return m.text;
      return msg(str`The transfer to ${to} expired without an answer`, { id: 'chat-message-list.event.transfer-expired' });
    case 'requeued': {
      const who = from !== '' ? from : name;
      if (who === '' || meta.channelName === undefined) return m.text;
      if (meta.reason === 'agent-unavailable') {
        return msg(str`${who} is no longer available: the chat went back to the ${meta.channelName} queue`, { id: 'chat-message-list.event.requeued-unavailable' });
      }
      if (meta.note !== undefined && meta.note.trim() !== '') {
        return msg(str`${who} moved the chat to the ${meta.channelName} queue: “${meta.note}”`, { id: 'chat-message-list.event.requeued-note' });
      }
      return msg(str`${who} moved the chat to the ${meta.channelName} queue`, { id: 'chat-message-list.event.requeued' });
    }
    case 'help-requested':
      return meta.note !== undefined && meta.note.trim() !== ''
        ? msg(str`${name} asked for help: “${meta.note}”`, { id: 'chat-message-list.event.help-requested-note' })
        : msg(str`${name} asked for help`, { id: 'chat-message-list.event.help-requested' });
    case 'help-cleared':
      if (meta.help === 'joined') return msg(str`${from} joined to help`, { id: 'chat-message-list.event.help-joined' });
      if (meta.help === 'answered') return msg(str`${from} answered the request for help`, { id: 'chat-message-list.event.help-answered' });
      return msg(str`${from} no longer needs help`, { id: 'chat-message-list.event.help-lowered' });
    case 'held':
      return msg(str`${name} put the chat on hold`, { id: 'chat-message-list.event.held' });
    case 'resumed':
      return msg(str`${name} resumed the chat`, { id: 'chat-message-list.event.resumed' });
    case 'taken-over':
      if (from === '' || to === '') return m.text;
      return msg(str`${to} took over the chat from ${from}`, { id: 'chat-message-list.event.taken-over' });
    default:
      return m.text;
  }
}

function failReason(code: string | undefined): string {
  switch (code) {
    case 'session_closed':
      return msg('the chat has ended', { id: 'chat-message-list.fail.closed' });
    case 'forbidden':
      return msg('you cannot write in this chat', { id: 'chat-message-list.fail.forbidden' });
    case 'invalid':
      return msg('the server refused the message', { id: 'chat-message-list.fail.invalid' });
    case 'rate_limited':
    case 'overloaded':
      return msg('the server is busy', { id: 'chat-message-list.fail.busy' });
    default:
      return msg('something went wrong', { id: 'chat-message-list.fail.other' });
  }
}

/** What the rows need from the list. */
export interface RowHost extends HTMLElement {
  readonly client?: ChatClient | undefined;
  readonly sessionId?: string | undefined;
  readonly saveQuickReply: boolean;
  readonly quoteMessages: boolean;
  meId(): string | undefined;
  live(): boolean;
  /** Older messages can be loaded (room for the button above the first row). */
  hasMore(): boolean;
  retry(cmid: string): void;
  cancel(cmid: string): void;
}

export class RowRenderer {
  private readonly textCache = new WeakMap<ChatMessage, (string | TemplateResult)[]>();
  /** Per locale: each stamp's text, ISO date and tooltip (with the zone's name), made once. */
  private timeCache: { locale: string; times: Map<number, { text: string; iso: string; title: string }> } = { locale: '', times: new Map() };
  private fileUrls?: { client: ChatClient | undefined; urls: AttachmentUrls };

  constructor(private readonly host: RowHost) {}

  private time(at: number): TemplateResult {
    // Keyed by the Intl tag: the region decides the clock (en-US 9:05 AM, en-GB 09:05).
    const locale = getFormatLocale();
    if (this.timeCache.locale !== locale) this.timeCache = { locale, times: new Map() };
    let stamp = this.timeCache.times.get(at);
    if (stamp === undefined) {
      const text = formatTime(at);
      // The zone is named on each stamp (as its tooltip), like every time in the console.
      stamp = { text, iso: new Date(at).toISOString(), title: `${text} ${timeZoneName(at)}` };
      if (this.timeCache.times.size > 5000) this.timeCache.times.clear();
      this.timeCache.times.set(at, stamp);
    }
    return html`<time datetime=${stamp.iso} title=${stamp.title}>${stamp.text}</time>`;
  }

  /** Message text with safe links, computed once per message. */
  private body(m: ChatMessage): (string | TemplateResult)[] {
    let parts = this.textCache.get(m);
    if (!parts) {
      parts = linkify(m.text);
      this.textCache.set(m, parts);
    }
    return parts;
  }

  private noteLabel(whisper = false) {
    return html`<span class="note-label" part="note-label">${icons.lock}${whisper
      ? msg('Whisper — only agents see it', { id: 'chat-message-list.whisper' })
      : msg('Internal note — not visible to the customer', { id: 'chat-message-list.note' })}</span>`;
  }

  private divider() {
    return html`<div class="divider" part="divider"><span>${msg('New messages', { id: 'chat-message-list.divider' })}</span></div>`;
  }

  /** Extra room above the first row (for "Load earlier messages") and below the last. */
  private edge(pos: number, size: number): string {
    return `${pos === 1 && this.host.hasMore() ? 'row--first' : ''} ${pos === size ? 'row--last' : ''}`;
  }

  /** Signed URLs of the files shown, for the current client. */
  private files(): AttachmentUrls {
    const client = this.host.client;
    const cached = this.fileUrls;
    if (cached && cached.client === client) return cached.urls;
    const urls = new AttachmentUrls(client ? (id, options) => client.attachmentUrl(id, options) : undefined);
    this.fileUrls = { client, urls };
    return urls;
  }

  /** A confirmed message or system event. */
  message(row: MessageRow, pos: number, size: number) {
    const m = row.message;
    const time = this.time(m.at);
    const divider = row.divider ? this.divider() : nothing;
    if (m.kind === 'event') {
      const internal = m.internal === true;
      return html`<div
        role="listitem"
        aria-posinset=${pos}
        aria-setsize=${size}
        data-key=${row.key}
        class="row ${this.edge(pos, size)} event ${m.event === 'queued' ? 'event--welcome' : ''} ${internal ? 'event--internal' : ''} ${row.divider ? 'row--divider' : ''}"
        part=${internal ? 'message message--system message--internal' : 'message message--system'}
      >
        ${divider}
        <div class="event-line">
          ${internal ? html`${icons.lock}<span class="visually-hidden">${msg('Only agents see this:', { id: 'chat-message-list.internal' })}</span>` : nothing}<span class="event-text"
            >${eventText(m)}</span
          ><span aria-hidden="true">·</span>${time}
        </div>
      </div>`;
    }
    const me = this.host.meId();
    const author = m.author.kind === 'agent' && me !== undefined && m.author.id === me ? msg('You', { id: 'chat-message-list.you' }) : m.author.name;
    const side = m.kind === 'note' ? 'note' : m.author.kind === 'customer' ? 'customer' : 'agent';
    const whisper = m.kind === 'note' && m.meta?.whisper === true;
    // The channel's bot answered before the hand-off (chatbot first): marked as the bot's.
    const bot = isBotMessage(m);
    return html`<div
      role="listitem"
      aria-posinset=${pos}
      aria-setsize=${size}
      data-key=${row.key}
      class="row ${this.edge(pos, size)} msg msg--${side} ${row.cont && !row.divider ? 'msg--cont' : ''} ${row.divider ? 'row--divider' : ''}"
      part=${bot ? 'message message--agent message--bot' : `message message--${side}${whisper ? ' message--whisper' : ''}`}
    >
      ${divider}
      <div class="meta ${row.cont && !row.divider ? 'visually-hidden' : ''}" part="meta">${m.kind === 'note' ? this.noteLabel(whisper) : nothing}<span class="author">${author}</span>${bot
          ? html` <span class="bot-badge" part="bot-badge">${msg('Bot', { id: 'chat-message-list.bot' })}</span>`
          : nothing}${time}</div>
      ${renderQuote(m.quote, msg('In reply to', { id: 'chat-message-list.quote' }))}
      ${m.text !== '' || !m.attachments?.length ? html`<div class="bubble" part="bubble bubble--${side}${bot ? ' bubble--bot' : whisper ? ' bubble--whisper' : ''}" dir="auto">${this.body(m)}</div>` : nothing}
      ${renderAttachments(m.attachments, this.files())}${me !== undefined && (this.host.saveQuickReply || this.host.quoteMessages)
        ? renderMessageActions(this.host, this.host.sessionId, m, row.key, { save: this.host.saveQuickReply, quote: this.host.quoteMessages })
        : nothing}
      ${row.seen ? html`<div class="seen" part="seen">${icons.seen}<span>${msg('Seen', { id: 'chat-message-list.seen' })}</span></div>` : nothing}
    </div>`;
  }

  /** One of my messages not confirmed yet, with its state, Retry and Cancel. */
  pending(row: PendingRow, pos: number, size: number) {
    const item = row.item;
    const failed = item.state === 'failed';
    const live = this.host.live();
    const kind = item.kind === 'text' ? 'agent' : 'note';
    let stateText: string;
    if (failed) stateText = msg(str`Not sent: ${failReason(item.error?.code)}`, { id: 'chat-message-list.state.failed' });
    else if (item.state === 'sent') stateText = msg('Sent', { id: 'chat-message-list.state.sent' });
    else if (!live) stateText = msg('Waiting for the connection…', { id: 'chat-message-list.state.waiting' });
    else stateText = msg('Sending…', { id: 'chat-message-list.state.sending' });
    const whisper = item.kind === 'whisper';
    const parts = `message message--${kind}${whisper ? ' message--whisper' : ''} ${failed ? 'message--failed' : 'message--pending'}`;
    return html`<div
      role="listitem"
      aria-posinset=${pos}
      aria-setsize=${size}
      data-key=${row.key}
      class="row ${this.edge(pos, size)} msg msg--${kind} ${failed ? 'msg--failed' : 'msg--pending'} ${row.cont ? 'msg--cont' : ''}"
      part=${parts}
    >
      <div class="meta ${row.cont ? 'visually-hidden' : ''}" part="meta">${kind === 'note' ? this.noteLabel(whisper) : nothing}<span class="author">${msg('You', { id: 'chat-message-list.you' })}</span></div>
      ${item.text !== '' || !item.attachmentIds?.length ? html`<div class="bubble" part="bubble bubble--${kind}${whisper ? ' bubble--whisper' : ''}" dir="auto">${linkify(item.text)}</div>` : nothing}${renderPendingFiles(item.attachmentIds?.length ?? 0)}
      <div class="state ${failed ? 'state--failed' : ''}" part="message-state">
        <span class="state-text">${failed ? icons.error : item.state === 'sent' ? icons.check : icons.clock}<span>${stateText}</span></span>
        ${failed
          ? html`<button class="btn" part="retry" type="button" @click=${() => { this.host.retry(item.cmid); }}>${msg('Retry', { id: 'chat-message-list.retry' })}</button
              ><button class="btn btn--quiet" part="cancel" type="button" @click=${() => { this.host.cancel(item.cmid); }}>
                ${msg('Cancel', { id: 'chat-message-list.cancel' })}
              </button>`
          : nothing}
      </div>
    </div>`;
  }
}
