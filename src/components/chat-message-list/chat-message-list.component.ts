import { consume } from '@lit/context';
import { msg, str } from '@lit/localize';
import type { PropertyValues } from 'lit';
import { html, nothing, svg } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';

import { formatTime } from '../../i18n/common.js';
import { announce } from '../../internal/announcer.js';
import { ChatElement } from '../../internal/chat-element.js';
import { StoreController } from '../../internal/store-controller.js';
import type { AgentMe, ChatMessage } from '../../protocol/model.js';
import { chatClientContext } from '../../state/context.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import type { ConnectionState, OutboxItem, SessionMessages } from '../../state/types.js';
import { buttonStyles, hostStyles } from '../../styles/host.styles.js';
import { messageListStyles } from './chat-message-list.styles.js';

/** Closer to the bottom than this (px) counts as "at the bottom": new messages scroll into view. */
const BOTTOM_SLACK_PX = 32;
/** Messages of one author within this time are grouped (the name is shown once). */
const GROUP_MS = 5 * 60_000;
/** Longest text read out for one new message. */
const ANNOUNCE_CHARS = 300;

const icons = {
  down: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"><path d="M8 3v10M3.5 8.5 8 13l4.5-4.5"/></svg>`,
  clock: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.5"><circle cx="8" cy="8" r="6"/><path d="M8 4.5V8l2.5 1.5" stroke-linecap="round"/></svg>`,
  check: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"><path d="m3 8.5 3 3 7-7"/></svg>`,
  error: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13ZM7.2 4h1.6v5H7.2V4Zm.8 8a1 1 0 1 1 0-2 1 1 0 0 1 0 2Z"/></svg>`,
  lock: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2h.5a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h.5Zm1.5 0h4V5a2 2 0 0 0-4 0v2Z"/></svg>`,
};

type Row = { type: 'message'; key: string; message: ChatMessage; cont: boolean } | { type: 'pending'; key: string; item: OutboxItem; cont: boolean };

const messageKey = (m: ChatMessage) => (m.cmid !== undefined ? `c:${m.cmid}` : `m:${m.id}`);

function sameGroup(a: ChatMessage | undefined, b: ChatMessage): boolean {
  if (!a || a.kind === 'event' || b.kind === 'event' || a.kind !== b.kind) return false;
  if (a.author.kind !== b.author.kind || (a.author.id ?? a.author.name) !== (b.author.id ?? b.author.name)) return false;
  return b.at - a.at < GROUP_MS;
}

/**
 * @summary The transcript of one chat session: confirmed messages in stream order, then the
 * agent's own pending and failed messages with their state, "Load earlier messages", and a
 * "New messages" button while scrolled up. Internal part of chat-conversation.
 * @tag chat-message-list
 * @status experimental
 * @since 0.1
 *
 * @csspart base - The whole element.
 * @csspart scroller - The scrolling area.
 * @csspart load-older - The "Load earlier messages" button.
 * @csspart messages - The list of messages (`role=list`).
 * @csspart message - One message; with `message--customer`, `message--agent`, `message--note`, `message--system`, `message--pending`, `message--failed`.
 * @csspart message--customer - A message of the customer.
 * @csspart message--agent - A message of an agent.
 * @csspart message--note - An internal note (agents only).
 * @csspart message--system - A system event (joined, ended, welcome text).
 * @csspart message--pending - One of my messages not confirmed yet.
 * @csspart message--failed - One of my messages the server refused.
 * @csspart bubble - The text of a message.
 * @csspart meta - Author and time of a message.
 * @csspart message-state - "Sending…" / "Not sent: …" under a pending message.
 * @csspart retry - Retry button of a failed message.
 * @csspart cancel - Cancel button of a failed message.
 * @csspart new-messages - The "New messages" button.
 * @csspart no-messages - "No messages yet." in a chat without messages.
 *
 * @cssproperty [--chat-conversation-background=var(--chat-color-surface-alt)] - Background behind the messages.
 * @cssproperty [--chat-conversation-bubble-radius=8px] - Corner radius of bubbles.
 * @cssproperty [--chat-conversation-bubble-max-width=min(75%, 42rem)] - Widest bubble.
 * @cssproperty [--chat-conversation-customer-bubble-background=var(--chat-color-surface)] - Customer bubbles.
 * @cssproperty [--chat-conversation-customer-bubble-color=var(--chat-color-text)] - Text of customer bubbles.
 * @cssproperty [--chat-conversation-customer-bubble-border-color=var(--chat-color-border)] - Border of customer bubbles.
 * @cssproperty [--chat-conversation-agent-bubble-background=var(--chat-color-accent)] - Agent bubbles.
 * @cssproperty [--chat-conversation-agent-bubble-color=var(--chat-color-on-accent)] - Text of agent bubbles.
 * @cssproperty [--chat-conversation-note-background=var(--chat-color-note)] - Internal notes.
 * @cssproperty [--chat-conversation-note-border-color=#b98900] - Border of internal notes.
 *
 * @cssstate empty - The session has no messages (yet).
 * @cssstate scrolled-up - The user scrolled away from the newest message.
 */
export class ChatMessageList extends ChatElement {
  static override styles = [hostStyles, buttonStyles, messageListStyles];

  /** Client to follow; provided by an enclosing chat-window or set directly. */
  @consume({ context: chatClientContext, subscribe: true })
  @property({ attribute: false })
  client?: ChatClient;

  private readonly messages = new StoreController<Record<string, SessionMessages>>(this);
  private readonly outbox = new StoreController<OutboxItem[]>(this);
  private readonly me = new StoreController<AgentMe | undefined>(this);
  private readonly connection = new StoreController<ConnectionState>(this);

  /** Stick to the newest message (the user is at the bottom). */
  private stick = true;
  /** What the previous render showed, to tell appends from prepends and session switches. */
  private shown: {
    sessionId: string | undefined;
    first: string | undefined;
    last: string | undefined;
    pending: number;
    scroll: 'end' | 'anchor' | 'none';
    scrollHeight: number;
    scrollTop: number;
  } = { sessionId: undefined, first: undefined, last: undefined, pending: 0, scroll: 'none', scrollHeight: 0, scrollTop: 0 };
  /** Newest `seq` already considered for announcements, per shown session. */
  private announced: { sessionId?: string; epoch?: string; seq: number } = { seq: 0 };
  private cmidCache: { items?: readonly ChatMessage[]; cmids: Set<string> } = { cmids: new Set() };
  private resizeObserver: ResizeObserver | undefined;
  private lastScrollTop = 0;

  @query('.scroller') private readonly scroller?: HTMLElement | null;
  @query('.list') private readonly list?: HTMLElement | null;

  @state() private unseen = 0;
  @state() private olderError = '';

  /** Session whose messages are shown. */
  @property({ attribute: 'session-id' })
  sessionId?: string;

  /** Accessible name of the list, e.g. "Messages with Kim". */
  @property()
  label = '';

  override connectedCallback(): void {
    super.connectedCallback();
    this.resizeObserver ??= new ResizeObserver(() => {
      if (this.stick) this.scrollToEnd();
    });
    // Moved in the page: observe again (firstUpdated only runs once).
    if (this.hasUpdated) this.observeSizes();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.messages.use(this.client?.$messages);
    this.outbox.use(this.client?.$outbox);
    this.me.use(this.client?.$agentMe);
    this.connection.use(this.client?.$connection);
    if (changed.has('sessionId')) {
      this.olderError = '';
      this.unseen = 0;
    }
    // Decide before rendering how the scroll position follows this change.
    const items = this.current()?.items ?? [];
    const first = items[0] ? messageKey(items[0]) : undefined;
    const newest = items.at(-1);
    const last = newest ? messageKey(newest) : undefined;
    const pending = this.pendingItems().length;
    const prev = this.shown;
    const scroller = this.scroller;
    let scroll: 'end' | 'anchor' | 'none' = this.stick ? 'end' : 'none';
    if (prev.sessionId !== this.sessionId) {
      this.stick = true;
      scroll = 'end';
    } else if (first !== prev.first && last === prev.last && prev.first !== undefined && !this.stick) {
      // Older messages are put on top: keep what the user was looking at in place.
      scroll = 'anchor';
    } else if (last !== prev.last || pending > prev.pending) {
      const mineSent = pending > prev.pending || (newest?.author.kind === 'agent' && newest.author.id === this.me.value?.id);
      if (this.stick || mineSent) {
        this.stick = true;
        scroll = 'end';
      } else if (last !== prev.last && prev.last !== undefined) {
        this.unseen += 1;
      }
    }
    this.shown = {
      sessionId: this.sessionId,
      first,
      last,
      pending,
      scroll,
      // The scroll geometry before the DOM changes, for anchoring after "load earlier".
      scrollHeight: scroller?.scrollHeight ?? 0,
      scrollTop: scroller?.scrollTop ?? 0,
    };
    this.announceNew();
    this.setCustomState('empty', items.length === 0 && pending === 0);
  }

  protected override firstUpdated(): void {
    this.observeSizes();
  }

  protected override updated(): void {
    const scroller = this.scroller;
    if (scroller && this.shown.scroll === 'anchor') {
      scroller.scrollTop = this.shown.scrollTop + (scroller.scrollHeight - this.shown.scrollHeight);
      this.lastScrollTop = scroller.scrollTop;
    } else if (this.shown.scroll === 'end') this.scrollToEnd();
    this.setCustomState('scrolled-up', !this.stick);
  }

  /** The scroller changes size with the composer, the list with its content: stay at the bottom. */
  private observeSizes(): void {
    if (this.scroller) this.resizeObserver?.observe(this.scroller);
    if (this.list) this.resizeObserver?.observe(this.list);
  }

  private current(): SessionMessages | undefined {
    return this.sessionId === undefined ? undefined : this.messages.value?.[this.sessionId];
  }

  private pendingItems(): OutboxItem[] {
    const id = this.sessionId;
    if (id === undefined) return [];
    const items = this.current()?.items;
    if (this.cmidCache.items !== items) {
      const cmids = new Set<string>();
      for (const m of items ?? []) if (m.cmid !== undefined) cmids.add(m.cmid);
      this.cmidCache = { cmids, ...(items ? { items } : {}) };
    }
    const cmids = this.cmidCache.cmids;
    return (this.outbox.value ?? []).filter((i) => i.sessionId === id && !cmids.has(i.cmid));
  }

  /** Speaks new customer messages once (not the first snapshot, not older pages). */
  private announceNew(): void {
    const m = this.current();
    if (!m?.ready) return;
    const a = this.announced;
    const last = m.items.at(-1)?.seq ?? 0;
    if (a.sessionId !== this.sessionId || a.epoch !== m.epoch) {
      this.announced = { seq: last, ...(this.sessionId !== undefined ? { sessionId: this.sessionId } : {}), ...(m.epoch !== undefined ? { epoch: m.epoch } : {}) };
      return;
    }
    if (last <= a.seq) return;
    const fresh: ChatMessage[] = [];
    for (let i = m.items.length - 1; i >= 0; i -= 1) {
      const item = m.items[i];
      if (!item || item.seq <= a.seq) break;
      fresh.push(item);
    }
    a.seq = last;
    for (const item of fresh.reverse()) {
      if (item.author.kind !== 'customer') continue;
      if (item.kind === 'text') {
        const text = item.text.length > ANNOUNCE_CHARS ? `${item.text.slice(0, ANNOUNCE_CHARS)}…` : item.text;
        announce(`${item.author.name}: ${text}`);
      } else if (item.kind === 'event') {
        announce(this.eventText(item));
      }
    }
  }

  private scrollToEnd(): void {
    const scroller = this.scroller;
    if (!scroller) return;
    scroller.scrollTop = scroller.scrollHeight;
    this.lastScrollTop = scroller.scrollTop;
  }

  private onScroll(): void {
    const s = this.scroller;
    if (!s) return;
    const top = s.scrollTop;
    const atBottom = s.scrollHeight - top - s.clientHeight < BOTTOM_SLACK_PX;
    // Only the user scrolling up lets go of the bottom; content growing underneath does not.
    if (atBottom) this.stick = true;
    else if (top < this.lastScrollTop - 1) this.stick = false;
    this.lastScrollTop = top;
    if (atBottom) this.unseen = 0;
    this.setCustomState('scrolled-up', !this.stick);
  }

  private onJump(): void {
    this.stick = true;
    this.unseen = 0;
    this.scrollToEnd();
    this.list?.focus({ preventScroll: true });
  }

  private async onLoadOlder(): Promise<void> {
    const client = this.client;
    const id = this.sessionId;
    if (!client || id === undefined) return;
    this.olderError = '';
    const button = this.renderRoot.querySelector('.older .btn');
    try {
      await client.loadOlder(id);
    } catch {
      this.olderError = msg('Earlier messages could not be loaded. Try again.', { id: 'chat-message-list.older-error' });
      return;
    }
    await this.updateComplete;
    // The button is gone when there is nothing more: keep focus in the transcript.
    if (button && !button.isConnected) this.list?.focus({ preventScroll: true });
  }

  private onRetry(cmid: string): void {
    this.client?.retry(cmid);
    this.list?.focus({ preventScroll: true });
  }

  private onCancel(cmid: string): void {
    this.client?.cancel(cmid);
    this.list?.focus({ preventScroll: true });
  }

  private eventText(m: ChatMessage): string {
    const name = m.author.name;
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
      default:
        return m.text;
    }
  }

  private failReason(code: string | undefined): string {
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

  /** Moves keyboard focus to the transcript (e.g. from a "jump to messages" shortcut). */
  focusMessages(): void {
    this.list?.focus();
  }

  /** Scrolls to the newest message and follows new ones again. */
  scrollToNewest(): void {
    this.onJump();
  }

  private renderMessage(m: ChatMessage, cont: boolean) {
    const time = html`<time datetime=${new Date(m.at).toISOString()}>${formatTime(m.at)}</time>`;
    if (m.kind === 'event') {
      return html`<div role="listitem" class="event ${m.event === 'queued' ? 'event--welcome' : ''}" part="message message--system">
        <span class="event-text">${this.eventText(m)}</span><span aria-hidden="true">·</span>${time}
      </div>`;
    }
    const me = this.me.value;
    const author = m.author.kind === 'agent' && me !== undefined && m.author.id === me.id ? msg('You', { id: 'chat-message-list.you' }) : m.author.name;
    if (m.kind === 'note') {
      return html`<div role="listitem" class="msg msg--note ${cont ? 'msg--cont' : ''}" part="message message--note">
        <div class="meta" part="meta">
          <span class="note-label">${icons.lock}${msg('Internal note', { id: 'chat-message-list.note' })}</span><span class="author">${author}</span>${time}
        </div>
        <div class="bubble" part="bubble">${m.text}</div>
      </div>`;
    }
    const side = m.author.kind === 'customer' ? 'customer' : 'agent';
    return html`<div role="listitem" class="msg msg--${side} ${cont ? 'msg--cont' : ''}" part="message message--${side}">
      <div class="meta" part="meta"><span class="author">${author}</span>${time}</div>
      <div class="bubble" part="bubble">${m.text}</div>
    </div>`;
  }

  private renderPending(item: OutboxItem, cont: boolean) {
    const failed = item.state === 'failed';
    const live = this.connection.value?.status === 'live';
    const kind = item.kind === 'note' ? 'note' : 'agent';
    let stateText: string;
    if (failed) stateText = msg(str`Not sent: ${this.failReason(item.error?.code)}`, { id: 'chat-message-list.state.failed' });
    else if (item.state === 'sent') stateText = msg('Sent', { id: 'chat-message-list.state.sent' });
    else if (!live) stateText = msg('Waiting for the connection…', { id: 'chat-message-list.state.waiting' });
    else stateText = msg('Sending…', { id: 'chat-message-list.state.sending' });
    const parts = `message message--${kind} ${failed ? 'message--failed' : 'message--pending'}`;
    return html`<div role="listitem" class="msg msg--${kind} ${failed ? 'msg--failed' : 'msg--pending'} ${cont ? 'msg--cont' : ''}" part=${parts}>
      <div class="meta" part="meta">
        ${kind === 'note' ? html`<span class="note-label">${icons.lock}${msg('Internal note', { id: 'chat-message-list.note' })}</span>` : nothing}<span class="author"
          >${msg('You', { id: 'chat-message-list.you' })}</span
        >
      </div>
      <div class="bubble" part="bubble">${item.text}</div>
      <div class="state ${failed ? 'state--failed' : ''}" part="message-state">
        <span class="state-text">${failed ? icons.error : item.state === 'sent' ? icons.check : icons.clock}<span>${stateText}</span></span>
        ${failed
          ? html`<button class="btn" part="retry" type="button" @click=${() => { this.onRetry(item.cmid); }}>${msg('Retry', { id: 'chat-message-list.retry' })}</button
              ><button class="btn btn--quiet" part="cancel" type="button" @click=${() => { this.onCancel(item.cmid); }}>
                ${msg('Cancel', { id: 'chat-message-list.cancel' })}
              </button>`
          : nothing}
      </div>
    </div>`;
  }

  override render() {
    const m = this.current();
    const items = m?.items ?? [];
    const pending = this.pendingItems();
    const rows: Row[] = [];
    let prev: ChatMessage | undefined;
    for (const message of items) {
      rows.push({ type: 'message', key: messageKey(message), message, cont: sameGroup(prev, message) });
      prev = message;
    }
    let prevPending = prev?.author.kind === 'agent' && prev.author.id === this.me.value?.id && prev.kind === 'text';
    for (const item of pending) {
      rows.push({ type: 'pending', key: `c:${item.cmid}`, item, cont: prevPending && item.kind === 'text' });
      prevPending = item.kind === 'text';
    }
    const loading = m?.ready !== true && items.length === 0;
    return html`<div class="base" part="base">
      <div class="scroller" part="scroller" @scroll=${this.onScroll}>
        ${m?.hasMore
          ? html`<div class="older">
              <button class="btn" part="load-older" type="button" aria-disabled=${m.loadingOlder ? 'true' : 'false'} @click=${this.onLoadOlder}>
                ${m.loadingOlder ? msg('Loading…', { id: 'chat-message-list.loading-older' }) : msg('Load earlier messages', { id: 'chat-message-list.load-older' })}
              </button>
              ${this.olderError ? html`<p class="older-error">${this.olderError}</p>` : nothing}
            </div>`
          : nothing}
        ${loading ? html`<p class="loading">${msg('Loading messages…', { id: 'chat-message-list.loading' })}</p>` : nothing}
        ${!loading && rows.length === 0 ? html`<p class="loading" part="no-messages">${msg('No messages yet.', { id: 'chat-message-list.no-messages' })}</p>` : nothing}
        <div class="list" part="messages" role="list" tabindex="0" aria-label=${this.label || msg('Messages', { id: 'chat-message-list.label' })} aria-busy=${loading ? 'true' : 'false'}>
          ${repeat(
            rows,
            (r) => r.key,
            (r) => (r.type === 'message' ? this.renderMessage(r.message, r.cont) : this.renderPending(r.item, r.cont)),
          )}
        </div>
      </div>
      ${this.unseen > 0
        ? html`<button class="btn jump" part="new-messages" type="button" @click=${this.onJump}>
            ${icons.down}${msg('New messages', { id: 'chat-message-list.new-messages' })}
          </button>`
        : nothing}
    </div>`;
  }
}
