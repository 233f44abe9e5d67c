import { consume } from '@lit/context';
import type { VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';
import { virtualize } from '@lit-labs/virtualizer/virtualize.js';
import type { PropertyValues } from 'lit';
import { html, nothing, svg } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';

import { msg, str } from '../../i18n/localization.js';
import { ChatElement } from '../../internal/chat-element.js';
import { warmLinkify } from '../../internal/linkify.js';
import { StoreController } from '../../internal/store-controller.js';
import { chatClientContext } from '../../state/context.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import type { SessionMessages } from '../../state/types.js';
import type { MessageListView } from '../../state/agent-views.js';
import { agentViews } from '../../state/agent-views.js';
import { buttonStyles, hostStyles } from '../../styles/host.styles.js';
import { attachmentStyles } from './attachments.js';
import { ChatFlowLayout } from './chat-flow-layout.js';
import { messageListStyles } from './chat-message-list.styles.js';
import { messageActionStyles } from './message-actions.js';
import { quoteStyles } from '../../internal/message-quote.js';
import type { Row } from './message-rows.js';
import { messageKey, RowRenderer } from './message-rows.js';
import { TranscriptAnnouncer } from './transcript-announcer.js';
import type { PinOptions } from './transcript-scroll.js';
import { REPIN_BUDGET, TranscriptScroll } from './transcript-scroll.js';
import { countNew, findDivider, indexOfKey, TranscriptRows } from './transcript-rows.js';

const icons = {
  down: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"><path d="M8 3v10M3.5 8.5 8 13l4.5-4.5"/></svg>`,
};

/**
 * @summary The transcript of one chat session, virtualized: confirmed messages in stream order,
 * then the agent's own pending and failed messages with their state. Pages older messages in
 * when scrolled near the top (or with "Load earlier messages") without moving what is being
 * read, marks the first unread message with a "New messages" divider, shows "Jump to latest"
 * while scrolled up, "Seen" under the newest agent message the customer has read, links in
 * messages (safely) and agent-only system events. Internal part of chat-conversation.
 * @tag chat-message-list
 * @status experimental
 * @since 0.1
 *
 * @csspart base - The whole element.
 * @csspart scroller - The scrolling list (the same element as `messages`).
 * @csspart load-older - The "Load earlier messages" button.
 * @csspart messages - The list of messages (`role=list`, virtualized: only the rows near the visible area are in the DOM; each has `aria-setsize` / `aria-posinset`).
 * @csspart message - One message; with `message--customer`, `message--agent`, `message--note`, `message--system`, `message--whisper`, `message--internal`, `message--pending`, `message--failed`.
 * @csspart message--customer - A message of the customer.
 * @csspart message--agent - A message of an agent (or of the channel's bot, with `message--bot`).
 * @csspart message--bot - A message the channel's bot wrote before it handed the chat to the queue.
 * @csspart bot-badge - The "Bot" mark beside a bot message's author.
 * @csspart message--note - An internal note (agents only).
 * @csspart message--whisper - A whisper: a supervisor's note to the handling agent (with `message--note`).
 * @csspart message--system - A system event (joined, ended, welcome text, transfers).
 * @csspart message--internal - An agent-only system event (transfers, takeover, moved to a queue).
 * @csspart message--pending - One of my messages not confirmed yet.
 * @csspart message--failed - One of my messages the server refused.
 * @csspart bubble - The text bubble of a message; with `bubble--customer`, `bubble--agent` or `bubble--note`, and `bubble--bot` or `bubble--whisper`.
 * @csspart bubble--customer - The bubble of a customer's message.
 * @csspart bubble--agent - The bubble of an agent's message (and of a bot message, with `bubble--bot`).
 * @csspart bubble--bot - The bubble of a message the channel's bot wrote (with `bubble--agent`).
 * @csspart bubble--note - The bubble of an internal note (and of a whisper, with `bubble--whisper`).
 * @csspart bubble--whisper - The bubble of a supervisor's whisper to the handling agent (with `bubble--note`).
 * @csspart link - A link in a message.
 * @csspart meta - Author and time of a message.
 * @csspart note-label - "Internal note — not visible to the customer".
 * @csspart divider - The "New messages" divider above the first unread message.
 * @csspart seen - "Seen" under the newest agent message the customer has read.
 * @csspart message-state - "Sending…" / "Not sent: …" under a pending message.
 * @csspart retry - Retry button of a failed message.
 * @csspart cancel - Cancel button of a failed message.
 * @csspart new-messages - The "Jump to latest" button (shown while scrolled up; also `jump`).
 * @csspart jump - The "Jump to latest" button.
 * @csspart jump-count - The number of new messages on the "Jump to latest" button.
 * @csspart no-messages - "No messages yet." in a chat without messages.
 * @csspart files - The files of a message (a list; see attachments.ts).
 * @csspart file - One file: icon, name with its extension, size, Download.
 * @csspart thumbnail - The fixed-size preview box of an image file.
 * @csspart file-name - A file's name (cut before the extension, which stays visible).
 * @csspart file-download - A file's Download button (asks the client for a signed link when pressed; the client reuses one it got less than 4 minutes ago).
 * @csspart message-actions - The "More actions" button beside a message (on hover and focus; with `quote-messages` or `save-quick-reply`).
 * @csspart message-menu - The menu it opens.
 * @csspart message-menu-item - One action in that menu ("Quote in reply", "Save as quick reply").
 * @csspart quote - The quoted message above a reply: its author and an excerpt.
 * @csspart quote-author - Who wrote the quoted message.
 * @csspart quote-text - The excerpt of the quoted message (plain text, two lines at most).
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
 * @cssproperty [--chat-conversation-divider-color=var(--chat-color-danger)] - The "New messages" divider.
 *
 * @cssstate empty - The session has no messages (yet).
 * @cssstate scrolled-up - The user scrolled away from the newest message.
 * @cssstate loading-older - An older page is being loaded.
 *
 * @fires {ChatMessageActionEvent} chat-message-action - The agent chose "Quote in reply" (`quote`, offered with `quote-messages`) or "Save as quick reply" (`save-quick-reply`, offered with `save-quick-reply`) in a message's menu. Cancelable.
 */
export class ChatMessageList extends ChatElement {
  static override styles = [hostStyles, buttonStyles, messageListStyles, attachmentStyles, messageActionStyles, quoteStyles];

  /** Client to follow; provided by an enclosing chat-window or set directly. */
  @consume({ context: chatClientContext, subscribe: true })
  @property({ attribute: false })
  client?: ChatClient;

  /** The shown chat's messages, pending messages, read receipt (`agentViews(client).messageList(id)`). */
  private readonly view = new StoreController<MessageListView>(this, undefined, undefined, { oncePerFrame: true });
  /** Renders the rows (and keeps what they reuse). */
  private readonly rowRenderer = new RowRenderer(this);
  /** Where the scroll position goes: following the newest message, the opening tail, older pages. */
  private readonly scrolling = new TranscriptScroll(this);

  /** What the previous render showed, to tell appends from prepends and session switches. */
  private shown: { sessionId: string | undefined; first: string | undefined; last: string | undefined; pending: number; ready: boolean } = {
    sessionId: undefined,
    first: undefined,
    last: undefined,
    pending: 0,
    ready: false,
  };
  /** Per opened session: unread count when it was opened, and the divider found for it. */
  private opening: { sessionId: string | undefined; unread: number; resolved: boolean; dividerKey: string | undefined } = {
    sessionId: undefined,
    unread: 0,
    resolved: false,
    dividerKey: undefined,
  };
  /** Speaks new customer messages and transfer news that concerns me. */
  private readonly announcer = new TranscriptAnnouncer();
  /** The rows shown, rebuilt only when what they depend on changed. */
  private readonly model = new TranscriptRows();
  @query('.list') private readonly list?: (HTMLElement & VirtualizerHostElement) | null;

  @state() private unseen = 0;
  @state() private olderError = '';
  @state() private scrolledUp = false;

  /** Session whose messages are shown. */
  @property({ attribute: 'session-id' })
  sessionId?: string;

  /** Accessible name of the list, e.g. "Messages with Kim". */
  @property()
  label = '';

  /**
   * Offers "Save as quick reply" in the menu of an agent's message. chat-conversation sets it while
   * its composer can take the reply: not in chats that show a notice instead (ended, handed over,
   * listening) nor while the composer is read-only.
   */
  @property({ type: Boolean, attribute: 'save-quick-reply' })
  saveQuickReply = false;

  /**
   * Offers "Quote in reply" in the menu of every message and note. chat-conversation sets it while
   * its composer can take the quote (as `save-quick-reply`).
   */
  @property({ type: Boolean, attribute: 'quote-messages' })
  quoteMessages = false;

  override connectedCallback(): void {
    super.connectedCallback();
    // Links' patterns compiled in idle time, not when the first chat opens.
    void warmLinkify();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.view.use(this.sessionId === undefined || !this.client ? undefined : agentViews(this.client).messageList(this.sessionId));
    if (changed.has('sessionId')) {
      this.olderError = '';
      this.unseen = 0;
    }
    const current = this.current();
    if (this.opening.sessionId !== this.sessionId) {
      // Read once, when the chat is opened: where the divider goes (later changes do not move it).
      const session = this.sessionId === undefined ? undefined : this.client?.$session(this.sessionId).get();
      const meId = this.view.value?.meId;
      const unread = session?.agentId !== undefined && session.agentId === meId ? session.unread : 0;
      this.opening = { sessionId: this.sessionId, unread, resolved: false, dividerKey: undefined };
    }
    if (!this.opening.resolved && current?.ready === true) {
      this.opening.resolved = true;
      this.opening.dividerKey = findDivider(current.items, this.opening.unread);
    }
    const items = current?.items ?? [];
    const ready = current?.ready === true;
    const prev = this.shown;
    const opened = prev.sessionId !== this.sessionId || (ready && !prev.ready);
    // Opening at the newest message (no divider): the tail first, the virtualizer after the first frame (opening-tail.ts).
    const tailRows = opened ? (this.opening.dividerKey === undefined && (items.length > 0 || this.model.pendingItems(items, this.view.value?.pending ?? []).length > 0) ? this.scrolling.tailSize() : undefined) : this.scrolling.tail?.rows;
    const rows = this.model.build(
      { items, mine: this.sessionId === undefined ? [] : (this.view.value?.pending ?? []), meId: this.view.value?.meId, readSeq: this.view.value?.readSeq ?? 0, divider: this.opening.dividerKey },
      tailRows,
    );
    // Decide before rendering how the scroll position follows this change.
    const first = items[0] ? messageKey(items[0]) : undefined;
    const newest = items.at(-1);
    const last = newest ? messageKey(newest) : undefined;
    const pending = rows.length - items.length;
    if (opened) {
      // Opened (or the first snapshot arrived): at the divider when there is one, else at the end.
      this.unseen = 0;
      this.scrolling.anchor = undefined;
      this.scrolling.repinBudget = REPIN_BUDGET;
      const dividerIndex = indexOfKey(rows, this.opening.dividerKey);
      if (dividerIndex > 0) {
        this.scrolling.stick = false;
        this.scrolling.pinRequest = { index: dividerIndex, block: 'start' };
        this.scrolling.checkBottomAfterOpen = true;
      } else {
        this.scrolling.stick = true;
        this.scrolling.pinRequest = rows.length > 0 ? { index: rows.length - 1, block: 'end' } : undefined;
      }
      this.scrolling.showTail(this.scrolling.stick && rows.length > 0 ? tailRows : undefined);
      if (!this.scrolling.tail) this.scrolling.sizeHint(rows.length);
    } else if (this.scrolling.tail) {
      // The tail stays at the bottom by itself; the virtualizer, once it takes over, holds the newest row there.
      if (this.scrolling.stick && rows.length > 0) this.scrolling.pinRequest = { index: rows.length - 1, block: 'end' };
    } else if (first !== prev.first && last === prev.last && prev.first !== undefined && first !== undefined) {
      // Older messages were put on top: keep the row being read where it is.
      const anchor = this.scrolling.readingAnchor();
      const index = anchor ? rows.findIndex((r) => r.key === anchor.key) : -1;
      if (anchor && index >= 0) {
        this.scrolling.anchor = anchor;
        this.scrolling.pinRequest = { index, block: 'start' };
      }
    } else if (last !== prev.last || pending > prev.pending) {
      const mineSent = pending > prev.pending || (newest?.author.kind === 'agent' && newest.author.id === this.view.value?.meId);
      if (this.scrolling.stick || mineSent) {
        this.scrolling.stick = true;
        this.unseen = 0;
        this.scrolling.repinBudget = REPIN_BUDGET;
        this.scrolling.pinRequest = { index: rows.length - 1, block: 'end' };
      } else if (last !== prev.last && prev.last !== undefined) {
        this.unseen += countNew(items, prev.last, this.view.value?.meId);
      }
    } else if (this.scrolling.stick && rows.length > 0 && rows.length !== this.scrolling.rowCountShown) {
      this.scrolling.pinRequest = { index: rows.length - 1, block: 'end' };
    }
    this.shown = { sessionId: this.sessionId, first, last, pending, ready };
    this.scrolledUp = !this.scrolling.stick;
    this.announcer.follow(this.sessionId, current, this.view.value?.meId);
    this.setCustomState('empty', rows.length === 0);
    this.setCustomState('scrolled-up', !this.scrolling.stick);
    this.setCustomState('loading-older', current?.loadingOlder === true);
  }

  private current(): SessionMessages | undefined {
    return this.view.value?.messages;
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
    // Rendered now (a change of the view may otherwise wait for the next frame).
    this.requestUpdate();
    await this.updateComplete;
    // The button is gone when there is nothing more: keep focus in the transcript.
    if (button && !button.isConnected && this.shadowRoot?.activeElement === null) this.list?.focus({ preventScroll: true });
  }

  private onRetry(cmid: string): void {
    this.client?.retry(cmid);
    this.list?.focus({ preventScroll: true });
  }

  private onCancel(cmid: string): void {
    this.client?.cancel(cmid);
    this.list?.focus({ preventScroll: true });
  }

  /** For the rows: my agent id. @internal */
  meId(): string | undefined {
    return this.view.value?.meId;
  }

  /** For the rows: the connection is live. @internal */
  live(): boolean {
    return this.view.value?.live === true;
  }

  /** For the rows: older messages can be loaded. @internal */
  hasMore(): boolean {
    return this.current()?.hasMore === true;
  }

  /** For the rows: Retry of a failed message. @internal */
  retry(cmid: string): void {
    this.onRetry(cmid);
  }

  /** For the rows: Cancel of a failed message. @internal */
  cancel(cmid: string): void {
    this.onCancel(cmid);
  }

  /** Moves keyboard focus to the transcript (e.g. from a "jump to messages" shortcut). */
  focusMessages(): void {
    this.list?.focus();
  }

  /** Scrolls to the newest message and follows new ones again. */
  scrollToNewest(): void {
    this.scrolling.jump();
  }

  /** For the scrolling: how many rows the list has. @internal */
  rowCount(): number {
    return this.model.rows.length;
  }

  /** For the scrolling: a fresh copy of the rows makes the virtualizer measure again. @internal */
  relayoutRows(): void {
    this.model.relayout();
  }

  /** For the scrolling: the newest message is in view. @internal */
  markSeen(): void {
    this.unseen = 0;
  }

  /** For the scrolling: scrolled away from the newest message, or back. @internal */
  showScrolledUp(up: boolean): void {
    this.scrolledUp = up;
    this.setCustomState('scrolled-up', up);
  }

  /** For the scrolling: near the top, the previous page comes by itself. @internal */
  nearTop(): void {
    const m = this.current();
    if (m?.ready === true && m.hasMore && !m.loadingOlder && this.olderError === '') void this.onLoadOlder();
  }

  override render() {
    const m = this.current();
    const rows = this.model.rows;
    const size = rows.length;
    const loading = m?.ready !== true && (m?.items.length ?? 0) === 0;
    const tail = this.scrolling.tail;
    const pin = this.scrolling.takePin();
    // `pin: null` lets go of the held row (the layout config's own way to unpin).
    const layout: { type: typeof ChatFlowLayout; pin?: PinOptions | null } = { type: ChatFlowLayout, ...(pin !== undefined ? { pin } : {}) };
    const renderRow = (r: Row, i: number) => (r.type === 'message' ? this.rowRenderer.message(r, i + 1, size) : this.rowRenderer.pending(r, i + 1, size));
    const tailFrom = tail ? Math.max(0, size - tail.rows) : 0;
    const jumpCount = this.unseen;
    return html`<div class="base" part="base">
      ${m?.hasMore
        ? html`<div class="older">
            <button class="btn" part="load-older" type="button" aria-disabled=${m.loadingOlder ? 'true' : 'false'} @click=${this.onLoadOlder}>
              ${m.loadingOlder ? msg('Loading…', { id: 'chat-message-list.loading-older' }) : msg('Load earlier messages', { id: 'chat-message-list.load-older' })}
            </button>
            ${this.olderError ? html`<p class="older-error">${this.olderError}</p>` : nothing}
          </div>`
        : nothing}
      ${loading ? html`<p class="placeholder">${msg('Loading messages…', { id: 'chat-message-list.loading' })}</p>` : nothing}
      ${!loading && size === 0 ? html`<p class="placeholder" part="no-messages">${msg('No messages yet.', { id: 'chat-message-list.no-messages' })}</p>` : nothing}
      <div
        class="list ${m?.hasMore ? 'list--more' : ''} ${tail ? 'list--tail' : ''}"
        part="messages scroller"
        role="list"
        tabindex="0"
        aria-label=${this.label || msg('Messages', { id: 'chat-message-list.label' })}
        aria-busy=${loading || m?.loadingOlder === true ? 'true' : 'false'}
        @scroll=${this.scrolling.onScroll}
        @wheel=${this.scrolling.onUserScrollIntent}
        @touchmove=${this.scrolling.onUserScrollIntent}
        @keydown=${this.scrolling.onUserScrollIntent}
        @pointerdown=${this.scrolling.onPointerDown}
        @pointerup=${this.scrolling.onPointerUp}
        @pointercancel=${this.scrolling.onPointerUp}
        @visibilityChanged=${this.scrolling.onVisibilityChanged}
      >
        ${tail
          ? // The newest rows in plain flow (a template of its own, so that the virtualizer starts afresh after it).
            html`${repeat(
              rows.slice(tailFrom),
              (r) => r.key,
              (r, i) => renderRow(r, tailFrom + i),
            )}`
          : virtualize<Row | undefined>({
              scroller: true,
              items: rows,
              // Right after rows went away, the virtualizer may still ask for one past the end once.
              keyFunction: (r, i) => r?.key ?? `gone:${String(i)}`,
              // Also rendered on scroll, outside this element's update: in its language.
              renderItem: (r, i) => (r === undefined ? html`<div class="row" aria-hidden="true"></div>` : this.localized(() => renderRow(r, i))),
              layout,
            })}
      </div>
      ${this.scrolledUp && size > 0
        ? html`<button class="btn jump" part="jump new-messages" type="button" @click=${this.scrollToNewest}>
            ${icons.down}<span>${msg('Jump to latest', { id: 'chat-message-list.jump' })}</span>
            ${jumpCount > 0 ? html`<span class="jump-count" part="jump-count">${msg(str`${jumpCount} new`, { id: 'chat-message-list.jump-count' })}</span>` : nothing}
          </button>`
        : nothing}
    </div>`;
  }
}
