import { consume } from '@lit/context';
import { provideResizeObserver } from '@lit-labs/virtualizer/polyfillLoaders/ResizeObserver.js';
import type { VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';
import { virtualize, virtualizerRef } from '@lit-labs/virtualizer/virtualize.js';
import type { PropertyValues } from 'lit';
import { html, nothing, svg } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';

import { msg, str } from '../../i18n/localization.js';
import { ChatElement } from '../../internal/chat-element.js';
import { StoreController } from '../../internal/store-controller.js';
import { chatClientContext } from '../../state/context.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import type { SessionMessages } from '../../state/types.js';
import type { MessageListView } from '../../state/agent-views.js';
import { agentViews } from '../../state/agent-views.js';
import { buttonStyles, hostStyles } from '../../styles/host.styles.js';
import { attachmentStyles } from './attachments.js';
import { ChatFlowLayout, ROW_ESTIMATE_PX } from './chat-flow-layout.js';
import { messageListStyles } from './chat-message-list.styles.js';
import { messageActionStyles } from './message-actions.js';
import { quoteStyles } from '../../internal/message-quote.js';
import type { Row } from './message-rows.js';
import { messageKey, RowRenderer } from './message-rows.js';
import { LoopSafeResizeObserver } from './loop-safe-resize-observer.js';
import { afterFirstFrame, tailRowCount } from './opening-tail.js';
import { TranscriptAnnouncer } from './transcript-announcer.js';
import { countNew, findDivider, indexOfKey, TranscriptRows } from './transcript-rows.js';
import { isCorrectingScroll, releaseStaleAnchor } from './virtualizer-internals.js';

/** Whether the virtualizer was given the loop-safe ResizeObserver (once per page, before the first list renders). */
let observerProvided = false;

/** Closer to the bottom than this (px) counts as "at the bottom": new messages scroll into view. */
const BOTTOM_SLACK_PX = 32;
/** Closer to the top than this (px) loads the previous page by itself. */
const TOP_LOAD_PX = 400;
/** A scroll this soon after wheel, touch, a scroll key or the scroll bar is the user's. */
const USER_SCROLL_MS = 400;
const SCROLL_KEYS = new Set(['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End', ' ']);
/** How often in a row the list may re-measure to bring the newest row back into view. */
const REPIN_BUDGET = 8;
/** Longest wait for the virtualizer to settle after older messages were put on top. */
const SETTLE_TIMEOUT_MS = 400;

/** Where the virtualizer holds a row (its `pin` option): that row's start or end at the edge of the view. */
interface PinOptions {
  index: number;
  block: 'start' | 'end';
}

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

  /** Follow the newest message (the user is at the bottom). */
  private stick = true;
  /** Where the virtualizer should hold a row on the next render (consumed by render()). */
  private pinRequest: PinOptions | null | undefined;
  /** What the previous render showed, to tell appends from prepends and session switches. */
  private shown: { sessionId: string | undefined; first: string | undefined; last: string | undefined; pending: number; ready: boolean } = {
    sessionId: undefined,
    first: undefined,
    last: undefined,
    pending: 0,
    ready: false,
  };
  /** The row being read when older messages were put on top, and its distance from the top. */
  private anchor: { key: string; offset: number } | undefined;
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
  private resizeObserver: ResizeObserver | undefined;
  private lastScrollTop = 0;
  /** Re-measurements allowed to get the newest row back into view (refilled by new content and user actions). */
  private repinBudget = REPIN_BUDGET;
  /** The last render asked the virtualizer to hold the newest row at the bottom. */
  private pinnedToEnd = false;
  /** How many rows the last render showed. */
  private rowCountShown = 0;
  /** Until when a scroll counts as the user's (after wheel, touch, scroll keys, scroll bar). */
  private userScrollUntil = 0;
  private pointerDown = false;
  /** Opened at the divider: look once the layout is done whether the newest message is in view too. */
  private checkBottomAfterOpen = false;
  /** Ignore "scrolled up" while this element moves the list itself. */
  private selfScrollUntil = 0;
  /**
   * While set, the list shows only its newest `rows` rows, held at the bottom by CSS, instead of
   * the virtualizer: a chat opens with its newest message in the first frame (see opening-tail.ts).
   */
  private tail: { rows: number } | undefined;
  /** Cancels the scheduled hand-over from the tail to the virtualizer. */
  private cancelHandover: (() => void) | undefined;
  /** The virtualizer takes over from the tail with this update (it needs its scroll height hint). */
  private handingOver = false;
  /** Height of the list when the resize observer last reported it (0: not known yet). */
  private listHeight = 0;

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
    if (!observerProvided) {
      // The virtualizer measures rows with this (see loop-safe-resize-observer.ts for why).
      provideResizeObserver(LoopSafeResizeObserver);
      observerProvided = true;
    }
    this.resizeObserver ??= new LoopSafeResizeObserver((entries) => {
      this.listHeight = entries.at(-1)?.contentRect.height ?? this.listHeight;
      // The composer grew or the window changed: stay at the newest message (the tail stays there by itself).
      if (this.stick && this.model.rows.length > 0 && !this.tail) this.pinToEnd();
    });
    // Moved in the page: observe again (firstUpdated only runs once).
    if (this.hasUpdated && this.list) this.resizeObserver.observe(this.list);
    if (this.hasUpdated && this.tail) this.scheduleHandover();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.cancelHandover?.();
    this.cancelHandover = undefined;
    this.resizeObserver?.disconnect();
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
    const tailRows = opened ? (this.opening.dividerKey === undefined && (items.length > 0 || this.model.pendingItems(items, this.view.value?.pending ?? []).length > 0) ? this.tailSize() : undefined) : this.tail?.rows;
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
      this.anchor = undefined;
      this.repinBudget = REPIN_BUDGET;
      const dividerIndex = indexOfKey(rows, this.opening.dividerKey);
      if (dividerIndex > 0) {
        this.stick = false;
        this.pinRequest = { index: dividerIndex, block: 'start' };
        this.checkBottomAfterOpen = true;
      } else {
        this.stick = true;
        this.pinRequest = rows.length > 0 ? { index: rows.length - 1, block: 'end' } : undefined;
      }
      this.showTail(this.stick && rows.length > 0 ? tailRows : undefined);
      if (!this.tail) this.sizeHint(rows.length);
    } else if (this.tail) {
      // The tail stays at the bottom by itself; the virtualizer, once it takes over, holds the newest row there.
      if (this.stick && rows.length > 0) this.pinRequest = { index: rows.length - 1, block: 'end' };
    } else if (first !== prev.first && last === prev.last && prev.first !== undefined && first !== undefined) {
      // Older messages were put on top: keep the row being read where it is.
      const anchor = this.readingAnchor();
      const index = anchor ? rows.findIndex((r) => r.key === anchor.key) : -1;
      if (anchor && index >= 0) {
        this.anchor = anchor;
        this.pinRequest = { index, block: 'start' };
      }
    } else if (last !== prev.last || pending > prev.pending) {
      const mineSent = pending > prev.pending || (newest?.author.kind === 'agent' && newest.author.id === this.view.value?.meId);
      if (this.stick || mineSent) {
        this.stick = true;
        this.unseen = 0;
        this.repinBudget = REPIN_BUDGET;
        this.pinRequest = { index: rows.length - 1, block: 'end' };
      } else if (last !== prev.last && prev.last !== undefined) {
        this.unseen += countNew(items, prev.last, this.view.value?.meId);
      }
    } else if (this.stick && rows.length > 0 && rows.length !== this.rowCountShown) {
      this.pinRequest = { index: rows.length - 1, block: 'end' };
    }
    this.shown = { sessionId: this.sessionId, first, last, pending, ready };
    this.scrolledUp = !this.stick;
    this.announcer.follow(this.sessionId, current, this.view.value?.meId);
    this.setCustomState('empty', rows.length === 0);
    this.setCustomState('scrolled-up', !this.stick);
    this.setCustomState('loading-older', current?.loadingOlder === true);
  }

  protected override firstUpdated(): void {
    const list = this.list;
    if (!list) return;
    if (!this.tail) this.sizeHint(this.model.rows.length);
    this.resizeObserver?.observe(list);
    // Capture: runs before the virtualizer's own scroll handler on the same element.
    list.addEventListener(
      'scroll',
      () => {
        releaseStaleAnchor(list);
      },
      { capture: true, passive: true },
    );
  }

  protected override updated(): void {
    this.rowCountShown = this.model.rows.length;
    if (this.tail) {
      if (!this.cancelHandover) this.scheduleHandover();
      return;
    }
    if (this.handingOver) {
      // The virtualizer was just created in place of the tail: its scroll height before its first layout.
      this.handingOver = false;
      this.sizeHint(this.model.rows.length);
    }
    if (this.anchor && this.pinRequest === undefined) void this.restoreAnchor();
    if (this.checkBottomAfterOpen) {
      this.checkBottomAfterOpen = false;
      void this.followIfAllShown();
    }
    if (this.pinnedToEnd) {
      this.pinnedToEnd = false;
      void this.settleAtEnd();
    }
  }

  /** Shows the opening tail of the newest `rows` rows, or (without) the virtualizer (see opening-tail.ts). */
  private showTail(rows: number | undefined): void {
    this.cancelHandover?.();
    this.cancelHandover = undefined;
    this.tail = rows !== undefined ? { rows } : undefined;
  }

  /**
   * How many of the newest rows fill the list: from its height when it was laid out before (the
   * resize observer reports it), else from one read of its height now (the only layout forced while
   * opening, before any row is rendered), else from the window's height.
   */
  private tailSize(): number {
    let height = this.listHeight;
    if (height <= 0 && this.isConnected) height = this.getBoundingClientRect().height;
    return tailRowCount(height);
  }

  /** Hands over from the tail to the virtualizer once the tail has been shown and the browser is idle. */
  private scheduleHandover(): void {
    this.cancelHandover?.();
    this.cancelHandover = afterFirstFrame(() => {
      this.cancelHandover = undefined;
      this.handOver();
    });
  }

  /**
   * Leaves the opening tail for the virtualizer (after the first frame, or when the user starts to
   * scroll). The virtualizer renders with its estimated heights in this task and measures its rows
   * in the next frame's resize observations, before that frame is painted; holding the newest row
   * at the bottom, it shows every row where the tail showed it.
   */
  private handOver(): void {
    if (!this.tail) return;
    this.showTail(undefined);
    this.handingOver = true;
    const n = this.model.rows.length;
    if (this.stick && n > 0) this.pinRequest = { index: n - 1, block: 'end' };
    this.requestUpdate();
  }

  /**
   * Gives the list its estimated scroll height before the virtualizer's first layout of a chat
   * (through the virtualizer's own sizer element, which it then keeps up to date). Without it the
   * first layout clamps "hold the newest row at the bottom" to the old height and shows the top,
   * and the newest message appears a few frames later.
   */
  private sizeHint(rows: number): void {
    const list = this.list;
    if (!list) return;
    let sizer = list.querySelector<HTMLElement>(':scope > [virtualizer-sizer]');
    if (!sizer) {
      sizer = document.createElement('div');
      sizer.setAttribute('virtualizer-sizer', '');
      Object.assign(sizer.style, { position: 'absolute', margin: '-2px 0 0 0', padding: '0', visibility: 'hidden', fontSize: '2px' });
      sizer.textContent = '\u00a0';
      list.append(sizer);
    }
    // More than the layout's first estimate is harmless (the virtualizer replaces it at once).
    sizer.style.transform = `translate(0px, ${String(Math.min(8_200_000, rows * ROW_ESTIMATE_PX * 2))}px)`;
  }

  private current(): SessionMessages | undefined {
    return this.view.value?.messages;
  }

  /** A row being read (near the top of the visible area), and how far its top is from the top of the list. */
  private readingAnchor(): { key: string; offset: number } | undefined {
    const list = this.list;
    if (!list) return undefined;
    const top = list.getBoundingClientRect().top;
    const bottom = list.getBoundingClientRect().bottom;
    // The visible row whose top is nearest the top edge: it moves least while the page settles.
    let best: { key: string; offset: number } | undefined;
    for (const child of list.children) {
      const key = (child as HTMLElement).dataset.key;
      if (key === undefined) continue;
      const box = child.getBoundingClientRect();
      if (box.bottom <= top + 1 || box.top >= bottom) continue;
      if (!best || Math.abs(box.top - top) < Math.abs(best.offset)) best = { key, offset: box.top - top };
    }
    return best;
  }

  /** After older messages were put on top and laid out: the anchor row goes back where it was. */
  private async restoreAnchor(): Promise<void> {
    const anchor = this.anchor;
    const list = this.list;
    if (!anchor || !list) return;
    const virtualizer = list[virtualizerRef];
    await Promise.race([virtualizer?.layoutComplete.catch(() => undefined), new Promise((r) => setTimeout(r, SETTLE_TIMEOUT_MS))]);
    if (this.anchor !== anchor) return;
    this.anchor = undefined;
    const row = [...list.children].find((c) => (c as HTMLElement).dataset.key === anchor.key);
    if (!row) return;
    const delta = row.getBoundingClientRect().top - list.getBoundingClientRect().top - anchor.offset;
    if (Math.abs(delta) >= 1) {
      this.selfScrollUntil = performance.now() + 100;
      list.scrollTop += delta;
    }
    this.lastScrollTop = list.scrollTop;
  }

  /**
   * Holds the newest row at the bottom. `relayout` also hands the virtualizer a fresh copy of the
   * rows, which makes it measure the list again: its "hold at the bottom" is limited by the scroll
   * height it measured last, which can be out of date right after row heights were corrected.
   */
  /**
   * Once the virtualizer has laid out after "hold the newest row at the bottom": if the list is
   * still not at the very bottom (its hold is limited by a scroll height measured a moment too
   * early), go there.
   */
  /**
   * Opened at the "new messages" divider: when the newest message is in view as well (everything
   * fits, or the divider is near the end) there is nothing to jump to, so the list follows the
   * newest message as if opened at the end (no "Jump to latest" button).
   */
  private async followIfAllShown(): Promise<void> {
    const list = this.list;
    if (!list) return;
    const sessionId = this.sessionId;
    const virtualizer = list[virtualizerRef];
    await Promise.race([virtualizer?.layoutComplete.catch(() => undefined), new Promise((r) => setTimeout(r, SETTLE_TIMEOUT_MS))]);
    if (this.stick || !list.isConnected || this.sessionId !== sessionId || this.userScrolling()) return;
    if (list.scrollHeight - list.scrollTop - list.clientHeight >= BOTTOM_SLACK_PX) return;
    this.stick = true;
    this.unseen = 0;
    this.scrolledUp = false;
    this.setCustomState('scrolled-up', false);
  }

  private async settleAtEnd(): Promise<void> {
    const list = this.list;
    if (!list) return;
    const virtualizer = list[virtualizerRef];
    await Promise.race([virtualizer?.layoutComplete.catch(() => undefined), new Promise((r) => setTimeout(r, SETTLE_TIMEOUT_MS))]);
    if (!this.stick || !list.isConnected || this.pinRequest !== undefined || this.userScrolling() || this.tail) return;
    const gap = list.scrollHeight - list.scrollTop - list.clientHeight;
    // Under 2 px is the rounding of fractional row positions to whole scroll offsets: moving
    // everything by a pixel for it would only be a visible twitch.
    if (gap < 2) return;
    this.selfScrollUntil = performance.now() + 100;
    list.scrollTop = list.scrollHeight;
    this.lastScrollTop = list.scrollTop;
  }

  private pinToEnd(relayout = false): void {
    const n = this.model.rows.length;
    if (n === 0) return;
    if (relayout) {
      if (this.repinBudget <= 0) return;
      this.repinBudget -= 1;
      this.model.relayout();
    }
    this.pinRequest = { index: n - 1, block: 'end' };
    this.requestUpdate();
  }

  private onScroll(): void {
    const s = this.list;
    if (!s) return;
    const top = s.scrollTop;
    const atBottom = s.scrollHeight - top - s.clientHeight < BOTTOM_SLACK_PX;
    // Only the user scrolling up lets go of the bottom; content growing underneath does not.
    if (atBottom) {
      this.stick = true;
      this.unseen = 0;
    } else if (top < this.lastScrollTop - 1 && (this.userScrolling() || (performance.now() > this.selfScrollUntil && !isCorrectingScroll(this.list)))) {
      this.stick = false;
      // The user's own scroll: the virtualizer must not pull the list back to the held row.
      if (this.userScrolling()) this.pinRequest = null;
      this.requestUpdate();
    }
    this.lastScrollTop = top;
    // Following the newest message but not at the bottom (heights were corrected underneath, or
    // the browser clamped the position): hold the newest row at the bottom again.
    if (this.stick && !atBottom && this.pinRequest === undefined && !this.userScrolling()) this.pinToEnd(true);
    this.scrolledUp = !this.stick;
    this.setCustomState('scrolled-up', !this.stick);
    // Near the top: the previous page comes by itself.
    const m = this.current();
    if (!this.stick && top < TOP_LOAD_PX && m?.ready === true && m.hasMore && !m.loadingOlder && this.olderError === '' && this.anchor === undefined) {
      void this.onLoadOlder();
    }
  }

  /** The user is scrolling (wheel, touch, scroll keys, the scroll bar) or just did. */
  private userScrolling(): boolean {
    return this.pointerDown || performance.now() < this.userScrollUntil;
  }

  private onUserScrollIntent(event: Event): void {
    if (event instanceof KeyboardEvent && !SCROLL_KEYS.has(event.key)) return;
    this.userScrollUntil = performance.now() + USER_SCROLL_MS;
    // The tail cannot scroll: the virtualizer takes over at once (not for keys meant for a button in a row).
    if (this.tail && (!(event instanceof KeyboardEvent) || event.target === this.list)) this.handOver();
  }

  private onPointerDown(): void {
    this.pointerDown = true;
    this.userScrollUntil = performance.now() + USER_SCROLL_MS;
  }

  private onPointerUp(): void {
    this.pointerDown = false;
    this.userScrollUntil = performance.now() + USER_SCROLL_MS;
  }

  /** The rows in view changed: while following the newest message, it must stay in view. */
  private onVisibilityChanged(event: Event): void {
    const last = (event as Event & { last?: number }).last;
    const n = this.model.rows.length;
    if (this.stick && n > 0 && typeof last === 'number' && last < n - 1 && this.pinRequest === undefined && !this.userScrolling()) this.pinToEnd(true);
  }

  private onJump(): void {
    this.repinBudget = REPIN_BUDGET;
    this.stick = true;
    this.unseen = 0;
    this.scrolledUp = false;
    this.selfScrollUntil = performance.now() + 200;
    this.pinToEnd();
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
    this.onJump();
  }

  override render() {
    const m = this.current();
    const rows = this.model.rows;
    const size = rows.length;
    const loading = m?.ready !== true && (m?.items.length ?? 0) === 0;
    const tail = this.tail;
    // The tail keeps the pin request for the virtualizer that takes over from it.
    const pin = tail ? undefined : this.pinRequest;
    if (!tail) this.pinRequest = undefined;
    this.pinnedToEnd = pin?.block === 'end';
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
        @scroll=${this.onScroll}
        @wheel=${this.onUserScrollIntent}
        @touchmove=${this.onUserScrollIntent}
        @keydown=${this.onUserScrollIntent}
        @pointerdown=${this.onPointerDown}
        @pointerup=${this.onPointerUp}
        @pointercancel=${this.onPointerUp}
        @visibilityChanged=${this.onVisibilityChanged}
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
        ? html`<button class="btn jump" part="jump new-messages" type="button" @click=${this.onJump}>
            ${icons.down}<span>${msg('Jump to latest', { id: 'chat-message-list.jump' })}</span>
            ${jumpCount > 0 ? html`<span class="jump-count" part="jump-count">${msg(str`${jumpCount} new`, { id: 'chat-message-list.jump-count' })}</span>` : nothing}
          </button>`
        : nothing}
    </div>`;
  }
}
