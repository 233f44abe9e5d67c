import { consume } from '@lit/context';
import type { PropertyValues } from 'lit';
import { html, nothing, svg } from 'lit';
import { property, state } from 'lit/decorators.js';

import { msg, str } from '../../i18n/localization.js';
import { ChatErrorEvent } from '../../events/chat-error-event.js';
import { ChatSessionSelectEvent } from '../../events/chat-session-select-event.js';
import { announce } from '../../internal/announcer.js';
import { ChatElement } from '../../internal/chat-element.js';
import { identityBadgeStyles } from '../../internal/identity-badge.js';
import { ResponseTicker, responseTimerStyles } from '../../internal/response-timer.js';
import { StoreController } from '../../internal/store-controller.js';
import { chatClientContext } from '../../state/context.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import { ChatError } from '../../state/types.js';
import type { SessionListContext, SessionListRows } from '../../state/agent-views.js';
import { agentViews } from '../../state/agent-views.js';
import { buttonStyles, hostStyles } from '../../styles/host.styles.js';
import type { ListView } from './list-view.js';
import { buildView, EMPTY_VIEW } from './list-view.js';
import { sessionListStyles } from './chat-session-list.styles.js';
import { SessionListbox } from './session-listbox.js';
import { matchText, SessionSearch } from './session-search.js';
import { SessionTagFilter } from './session-tag-filter.js';

/** How often relative times ("5 min") are refreshed. */
const AGE_REFRESH_MS = 30_000;


const icons = {
  queue: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M2 3h12v2H2zM2 7h12v2H2zM2 11h8v2H2z"/></svg>`,
  error: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13ZM7.2 4h1.6v5H7.2V4Zm.8 8a1 1 0 1 1 0-2 1 1 0 0 1 0 2Z"/></svg>`,
};

/**
 * @summary The left column of the Chats tab: chats with a transfer waiting for an answer, my
 * ongoing chats and the chats I completed in the last 8 hours (each group newest activity first),
 * a search field, the number of chats waiting in my channels and "Get next in queue".
 * @tag chat-session-list
 * @status experimental
 * @since 0.1
 *
 * @slot empty - Shown instead of the list when the agent has no chats to list.
 *
 * @csspart base - The whole element.
 * @csspart header - The header with the queue count and the Get next button.
 * @csspart queue-count - "3 in queue".
 * @csspart next-button - The "Get next in queue" button.
 * @csspart next-reason - Why Get next is unavailable (queue empty, at capacity, offline).
 * @csspart next-error - Why the last Get next failed.
 * @csspart search - The search field with its icon and clear button.
 * @csspart search-input - The search input (`type=search`).
 * @csspart search-clear - The button that clears the search.
 * @csspart tag-filter - The tag filter (label and select), shown while some chat has wrap-up tags (issue 18).
 * @csspart tag-filter-select - Its select: All tags, or one tag (only the chats with it are listed).
 * @csspart search-status - "3 chats match", "Searching message text…", or why message text was not searched.
 * @csspart no-match - "No chats match", shown instead of the list.
 * @csspart list-label - The visible label of the list ("My chats").
 * @csspart list - The listbox.
 * @csspart group - A group of rows (`role=group`); also `group--transfers`, `group--ongoing`, `group--completed`.
 * @csspart group-label - The heading of a group.
 * @csspart group-count - The number of rows in a group.
 * @csspart item - A row (`role=option`); also `item--selected`, `item--unread`, `item--transfer`, `item--completed`.
 * @csspart item--selected - The selected row.
 * @csspart item--unread - A row with unread customer messages.
 * @csspart item--transfer - A row with a transfer waiting for an answer (highlighted).
 * @csspart item--completed - A row of a completed chat.
 * @csspart name - The customer's name in a row.
 * @csspart identity - The customer's Verified or Unverified badge in a row.
 * @csspart identity--verified - The badge of a verified customer.
 * @csspart identity--unverified - The badge of a customer whose identity token did not verify.
 * @csspart channel - The channel name in a row.
 * @csspart marks - The line of a row with its priority and reply timer (issue 18), when it has either.
 * @csspart priority - A chat's priority marker (Urgent, High, Low; none for Normal); also `priority--urgent`, `priority--high`, `priority--low`.
 * @csspart sla - The reply timer: time left against the channel's response-time target; `sla--ok`, `sla--warning` (from 75 % of the target), `sla--breached` (overdue), each with its own icon and words.
 * @csspart transfer - The transfer line of a row ("Transfer to you from Anna").
 * @csspart flag - The state line of a row when no transfer waits (issue 18): `flag--help` (an agent asked for help), `flag--held` (on hold), `flag--returned` (came back to the queue, with the reason), `flag--tags` (the wrap-up tags).
 * @csspart preview - The last message line (speech bubble icon and text).
 * @csspart badge - The unread count.
 * @csspart time - The time of the last activity.
 * @csspart empty - The empty state.
 *
 * @cssproperty [--chat-session-list-background=var(--chat-color-surface)] - Background of the element.
 * @cssproperty [--chat-session-list-header-background=var(--chat-color-surface)] - Background of the header.
 * @cssproperty [--chat-session-list-header-padding=12px] - Padding of the header.
 * @cssproperty [--chat-session-list-item-padding=8px 12px] - Padding of a row.
 * @cssproperty [--chat-session-list-item-border-color=var(--chat-color-surface-alt)] - Line between rows.
 * @cssproperty [--chat-session-list-item-hover-background=var(--chat-color-surface-alt)] - Row under the pointer.
 * @cssproperty [--chat-session-list-item-selected-background=var(--chat-color-accent-soft)] - Selected row.
 * @cssproperty [--chat-session-list-item-selected-marker=var(--chat-color-accent)] - Bar at the start of the selected row.
 * @cssproperty [--chat-session-list-item-transfer-background=color-mix(in srgb, var(--chat-color-warning) 12%, var(--chat-color-surface))] - Row with a pending transfer.
 * @cssproperty [--chat-session-list-item-transfer-marker=var(--chat-color-warning)] - Bar at the start of a row with a pending transfer, and its icon.
 * @cssproperty [--chat-session-list-badge-background=var(--chat-color-accent)] - Unread badge background.
 * @cssproperty [--chat-session-list-badge-color=var(--chat-color-on-accent)] - Unread badge text.
 * @cssproperty [--chat-identity-verified-background=#e3f4ea] - Background of the customer's Verified badge.
 * @cssproperty [--chat-identity-verified-color=#14532d] - Text of the Verified badge.
 * @cssproperty [--chat-identity-unverified-background=#fff4e5] - Background of the Unverified badge.
 * @cssproperty [--chat-identity-unverified-color=#7a3e00] - Text of the Unverified badge.
 *
 * @cssstate empty - The agent has no chats to list.
 * @cssstate at-capacity - The agent handles as many chats as allowed.
 * @cssstate filtered - A search or a tag filter is applied.
 *
 * @fires {ChatSessionSelectEvent} chat-session-select - The user picks a row (click, arrow keys, Enter). Cancelable: `preventDefault()` keeps the current selection.
 * @fires {ChatErrorEvent} chat-error - "Get next in queue" failed (`detail.code`: `queue_empty`, `at_capacity`, `offline`, …).
 */
export class ChatSessionList extends ChatElement {
  static override styles = [hostStyles, buttonStyles, sessionListStyles, identityBadgeStyles, responseTimerStyles];
  /** Board events can arrive hundreds of times a second: one render per frame then. */
  protected static override renderOncePerFrame = true;

  /** Client to follow; provided by an enclosing chat-window or set directly. */
  @consume({ context: chatClientContext, subscribe: true })
  @property({ attribute: false })
  client?: ChatClient;

  /** My rows, grouped and sorted, and the queue and load counts (`agentViews(client).sessionList`). */
  private readonly rows = new StoreController<SessionListRows>(this);
  /** Who I am, live or not, channel names, the clock, the selection (`agentViews(client).listContext`). */
  private readonly context = new StoreController<SessionListContext>(this);
  /** The search field and what it filters. */
  private readonly search = new SessionSearch(this);
  /** The tag filter (wrap-up tags, issue 18). */
  private readonly tagFilter = new SessionTagFilter(this);
  /** The listbox: active row, keys, type-ahead, scrolling, virtualized groups. */
  private readonly listbox = new SessionListbox(this, {
    view: () => this.view,
    selectedId: () => this.selectedId,
    pick: (id) => {
      this.pick(id);
    },
    localized: (fn) => this.localized(fn),
  });

  /** Re-renders when a row's response timer changes state or minute (issue 18). */
  private readonly responseTicker = new ResponseTicker(
    this,
    () => this.view.groups.filter((g) => g.key !== 'completed').flatMap((g) => g.items),
    () => Date.now() + (this.context.value?.clockOffset ?? 0),
  );

  /** The store value last copied into `selectedId`, to tell store changes from code changes. */
  private syncedSelection: string | undefined;
  /** `selectedId` was set in code and still has to reach the client. */
  private selectionToPush = false;
  private ageTimer: ReturnType<typeof setInterval> | undefined;
  private lastCounts = '';
  /** The rows as last computed, and what they were computed from. */
  private view: ListView = EMPTY_VIEW;
  private viewInputs: readonly unknown[] = [];
  @state() private nextBusy = false;
  @state() private nextError = '';

  /**
   * Id of the selected session. Follows the client's `$selectedSessionId`; setting it (property or
   * attribute) selects that session without firing `chat-session-select`.
   */
  @property({ attribute: 'selected-id', reflect: true })
  selectedId?: string;

  override connectedCallback(): void {
    super.connectedCallback();
    this.ageTimer = setInterval(() => {
      this.requestUpdate();
    }, AGE_REFRESH_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.ageTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const client = this.client;
    const views = client && agentViews(client);
    this.rows.use(views?.sessionList);
    this.context.use(views?.listContext);

    // selected-id ⇄ $selectedSessionId: code changes go to the client, store changes come back.
    if (changed.has('selectedId') && this.selectedId !== this.syncedSelection) this.selectionToPush = true;
    if (this.selectionToPush && client) {
      this.selectionToPush = false;
      this.syncedSelection = this.selectedId;
      if (client.$selectedSessionId.get() !== this.selectedId) client.selectSession(this.selectedId);
    } else if (client && !this.selectionToPush) {
      const fromStore = this.context.value?.selected;
      if (fromStore !== this.syncedSelection || fromStore !== this.selectedId) {
        this.syncedSelection = fromStore;
        this.selectedId = fromStore;
      }
    }

    const inputs = [this.rows.value, this.search.appliedQuery, this.search.serverIds, this.tagFilter.tag];
    if (inputs.some((value, i) => value !== this.viewInputs[i])) {
      this.viewInputs = inputs;
      this.view = buildView(this.rows.value, this.search.appliedQuery, this.search.serverIds, this.tagFilter.tag);
    }
    const view = this.view;
    const counts = `${String(view.queued)}/${String(view.load)}`;
    if (counts !== this.lastCounts) {
      // The queue or my load changed: an earlier "Get next" error is out of date.
      this.lastCounts = counts;
      this.nextError = '';
    }
    this.setCustomState('empty', view.total === 0);
    this.setCustomState('at-capacity', this.atCapacity());
    this.setCustomState('filtered', this.search.appliedQuery !== '' || this.tagFilter.tag !== '');
  }

  protected override updated(): void {
    this.search.announce(this.view);
    this.tagFilter.announce(this.view);
  }

  private atCapacity(): boolean {
    const me = this.context.value?.me;
    return me !== undefined && this.view.load >= me.maxConcurrentChats;
  }

  /** Why "Get next in queue" cannot be used now, or '' when it can. */
  private nextBlockedReason(): string {
    const me = this.context.value?.me;
    if (this.context.value?.live !== true || !me) {
      return msg('Available when the connection is back.', { id: 'chat-session-list.next.offline' });
    }
    if (this.atCapacity()) {
      const max = me.maxConcurrentChats;
      return msg(str`Chat limit reached (${max}). End a chat to take the next.`, { id: 'chat-session-list.next.at-capacity' });
    }
    if (this.view.queued === 0) return msg('No chats are waiting.', { id: 'chat-session-list.next.empty' });
    return '';
  }

  private errorText(code: string): string {
    switch (code) {
      case 'queue_empty':
        return msg('Someone else took the last waiting chat. No chats are waiting now.', { id: 'chat-session-list.error.queue-empty' });
      case 'at_capacity':
        return msg('You already handle as many chats as you may. End one to take the next.', { id: 'chat-session-list.error.at-capacity' });
      case 'offline':
      case 'timeout':
        return msg('The server could not be reached. Try again when the connection is back.', { id: 'chat-session-list.error.offline' });
      case 'forbidden':
        return msg('You may not answer chats in these channels.', { id: 'chat-session-list.error.forbidden' });
      case 'rate_limited':
      case 'overloaded':
        return msg('The server is busy. Try again in a moment.', { id: 'chat-session-list.error.busy' });
      default:
        return msg('Could not get the next chat. Try again.', { id: 'chat-session-list.error.other' });
    }
  }

  /** "Get next in queue" from the keyboard (Alt+Shift+G in `chat-window`): as the button, or says why not. */
  getNext(): void {
    const blocked = this.nextBlockedReason();
    if (blocked !== '') announce(blocked);
    else void this.onNextClick();
  }

  private async onNextClick(): Promise<void> {
    const client = this.client;
    if (!client || this.nextBusy || this.nextBlockedReason() !== '') return;
    this.nextBusy = true;
    this.nextError = '';
    try {
      const sessionId = await client.next();
      client.selectSession(sessionId);
    } catch (error) {
      const code = error instanceof ChatError ? error.code : 'internal';
      const text = this.errorText(code);
      this.nextError = text;
      announce(text);
      this.dispatchEvent(new ChatErrorEvent({ code, message: text, recoverable: code !== 'forbidden' }));
    } finally {
      this.nextBusy = false;
    }
  }

  /**
   * Selects the chat `step` rows after (1) or before (-1) the selected one, in the list's order
   * (the first or last when none is selected): chat-window's next / previous chat keys. Unlike the
   * arrow keys, it opens that chat.
   */
  selectAdjacent(step: 1 | -1): void {
    const flat = this.view.flat;
    if (flat.length === 0) return;
    const index = this.selectedId !== undefined ? (this.view.places.get(this.selectedId)?.flatIndex ?? -1) : -1;
    const target = index < 0 ? (step === 1 ? 0 : flat.length - 1) : Math.min(flat.length - 1, Math.max(0, index + step));
    const id = flat[target]?.id;
    if (id === undefined) return;
    this.listbox.moveTo(id);
    this.pick(id);
  }

  /** The user picked a row: ask the page (cancelable), then select through the client. */
  private pick(id: string | undefined): void {
    if (id === undefined || id === this.selectedId) return;
    if (!this.dispatchEvent(new ChatSessionSelectEvent({ sessionId: id }))) return;
    if (this.client) this.client.selectSession(id);
    else this.selectedId = id;
  }

  // ---- rendering --------------------------------------------------------------------------

  /** For the search: ArrowDown in the field focuses the list. @internal */
  focusList(): void {
    this.listbox.focus();
  }

  /** For the search: how many rows are shown. @internal */
  rowCount(): number {
    return this.view.count;
  }

  override render() {
    const view = this.view;
    const queued = view.queued;
    const blocked = this.nextBlockedReason();
    const describedBy = [blocked ? 'next-reason' : '', this.nextError ? 'next-error' : ''].filter(Boolean).join(' ');
    let body;
    if (view.total === 0) {
      body = html`<div class="empty" part="empty">
        <slot name="empty"><p>${msg('You have no ongoing chats.', { id: 'chat-session-list.empty' })}</p></slot>
      </div>`;
    } else if (view.count === 0) {
      body =
        this.search.state === 'searching'
          ? nothing
          : html`<div class="empty no-match" part="no-match"><p>${matchText(0)}</p></div>`;
    } else {
      body = this.listbox.render({
        meId: this.context.value?.me?.id,
        channelNames: this.context.value?.channelNames ?? new Map<string, string>(),
        now: Date.now() + (this.context.value?.clockOffset ?? 0),
        selectedId: this.selectedId,
      });
    }
    return html`<div class="base" part="base">
      <div class="header" part="header">
        <span class="queue ${queued > 0 ? 'queue--waiting' : ''}" part="queue-count"
          >${icons.queue}${msg(str`${queued} in queue`, { id: 'chat-session-list.queue-count' })}</span
        >
        <button
          class="btn btn--primary next"
          part="next-button"
          type="button"
          aria-disabled=${blocked || this.nextBusy ? 'true' : 'false'}
          aria-describedby=${describedBy || nothing}
          @click=${this.onNextClick}
        >
          ${msg('Get next in queue', { id: 'chat-session-list.next' })}
        </button>
        ${blocked ? html`<p id="next-reason" class="reason" part="next-reason">${blocked}</p>` : nothing}
        ${this.nextError ? html`<p id="next-error" class="error" part="next-error">${icons.error}<span>${this.nextError}</span></p>` : nothing}
      </div>
      ${this.search.render()} ${this.tagFilter.render(this.rows.value)} ${this.search.renderStatus(view)}
      <div id="list-label" class="list-label" part="list-label">${msg('My chats', { id: 'chat-session-list.label' })}</div>
      ${body}
    </div>`;
  }
}
