import { consume } from '@lit/context';
import { msg, str } from '@lit/localize';
import type { PropertyValues } from 'lit';
import { html, nothing, svg } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';

import { ChatErrorEvent } from '../../events/chat-error-event.js';
import { ChatSessionSelectEvent } from '../../events/chat-session-select-event.js';
import { customerName, formatAge } from '../../i18n/common.js';
import { announce } from '../../internal/announcer.js';
import { ChatElement } from '../../internal/chat-element.js';
import { StoreController } from '../../internal/store-controller.js';
import type { AgentMe, ChannelInfo, SessionSummary } from '../../protocol/model.js';
import { chatClientContext } from '../../state/context.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import type { ConnectionState } from '../../state/types.js';
import { ChatError } from '../../state/types.js';
import { buttonStyles, hostStyles } from '../../styles/host.styles.js';
import { sessionListStyles } from './chat-session-list.styles.js';

/** How often relative times ("5 min") are refreshed. */
const AGE_REFRESH_MS = 30_000;
/** Type-ahead: keys typed within this window form one search string. */
const TYPEAHEAD_MS = 600;

const icons = {
  customer: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M8 8a3 3 0 1 0 0-6 3 3 0 0 0 0 6Zm0 1.5c-2.7 0-5 1.4-5 3.2V14h10v-1.3c0-1.8-2.3-3.2-5-3.2Z"/></svg>`,
  agent: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"><path d="M6 4 2.5 7.5 6 11"/><path d="M2.5 7.5H10a3.5 3.5 0 0 1 3.5 3.5v1"/></svg>`,
  system: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13Zm.8 10H7.2V7h1.6v4.5ZM8 6a1 1 0 1 1 0-2 1 1 0 0 1 0 2Z"/></svg>`,
  queue: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M2 3h12v2H2zM2 7h12v2H2zM2 11h8v2H2z"/></svg>`,
  error: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13ZM7.2 4h1.6v5H7.2V4Zm.8 8a1 1 0 1 1 0-2 1 1 0 0 1 0 2Z"/></svg>`,
};

/**
 * @summary The left column of the Chats tab: the agent's ongoing chats (newest activity first),
 * the number of chats waiting in the agent's channels and a "Get next in queue" button.
 * @tag chat-session-list
 * @status experimental
 * @since 0.1
 *
 * @slot empty - Shown instead of the list when the agent has no ongoing chats.
 *
 * @csspart base - The whole element.
 * @csspart header - The header with the queue count and the Get next button.
 * @csspart queue-count - "3 in queue".
 * @csspart next-button - The "Get next in queue" button.
 * @csspart next-reason - Why Get next is unavailable (queue empty, at capacity, offline).
 * @csspart next-error - Why the last Get next failed.
 * @csspart list-label - The visible label of the list ("My chats").
 * @csspart list - The listbox.
 * @csspart item - A row (`role=option`); also `item--selected` and `item--unread`.
 * @csspart item--selected - The selected row.
 * @csspart item--unread - A row with unread customer messages.
 * @csspart name - The customer's name in a row.
 * @csspart channel - The channel name in a row.
 * @csspart preview - The last message line (icon and text).
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
 * @cssproperty [--chat-session-list-badge-background=var(--chat-color-accent)] - Unread badge background.
 * @cssproperty [--chat-session-list-badge-color=var(--chat-color-on-accent)] - Unread badge text.
 *
 * @cssstate empty - The agent has no ongoing chats.
 * @cssstate at-capacity - The agent handles as many chats as allowed.
 *
 * @fires {ChatSessionSelectEvent} chat-session-select - The user picks a row (click, arrow keys, Enter). Cancelable: `preventDefault()` keeps the current selection.
 * @fires {ChatErrorEvent} chat-error - "Get next in queue" failed (`detail.code`: `queue_empty`, `at_capacity`, `offline`, …).
 */
export class ChatSessionList extends ChatElement {
  static override styles = [hostStyles, buttonStyles, sessionListStyles];

  /** Client to follow; provided by an enclosing chat-window or set directly. */
  @consume({ context: chatClientContext, subscribe: true })
  @property({ attribute: false })
  client?: ChatClient;

  private readonly mine = new StoreController<SessionSummary[]>(this);
  private readonly queued = new StoreController<SessionSummary[]>(this);
  private readonly me = new StoreController<AgentMe | undefined>(this);
  private readonly channels = new StoreController<ChannelInfo[]>(this);
  private readonly connection = new StoreController<ConnectionState>(this);
  private readonly selection = new StoreController<string | undefined>(this);
  private readonly clockOffset = new StoreController<number>(this);

  /** The store value last copied into `selectedId`, to tell store changes from code changes. */
  private syncedSelection: string | undefined;
  /** `selectedId` was set in code and still has to reach the client. */
  private selectionToPush = false;
  private ageTimer: ReturnType<typeof setInterval> | undefined;
  private typeahead = '';
  private typeaheadTimer: ReturnType<typeof setTimeout> | undefined;
  private lastCounts = '';
  private scrolledTo: string | undefined;

  @query('.list') private readonly listbox?: HTMLElement | null;

  /** Row that has keyboard focus inside the listbox (aria-activedescendant). */
  @state() private activeId: string | undefined;
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
    clearTimeout(this.typeaheadTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const client = this.client;
    this.mine.use(client?.$mine);
    this.queued.use(client?.$queued);
    this.me.use(client?.$agentMe);
    this.channels.use(client?.$channels);
    this.connection.use(client?.$connection);
    this.selection.use(client?.$selectedSessionId);
    this.clockOffset.use(client?.$clockOffset);

    // selected-id ⇄ $selectedSessionId: code changes go to the client, store changes come back.
    if (changed.has('selectedId') && this.selectedId !== this.syncedSelection) this.selectionToPush = true;
    if (this.selectionToPush && client) {
      this.selectionToPush = false;
      this.syncedSelection = this.selectedId;
      if (client.$selectedSessionId.get() !== this.selectedId) client.selectSession(this.selectedId);
    } else if (client && !this.selectionToPush) {
      const fromStore = this.selection.value;
      if (fromStore !== this.syncedSelection || fromStore !== this.selectedId) {
        this.syncedSelection = fromStore;
        this.selectedId = fromStore;
      }
    }

    const mine = this.mine.value ?? [];
    if (this.activeId !== undefined && !mine.some((s) => s.id === this.activeId)) this.activeId = undefined;
    const counts = `${String(this.queued.value?.length ?? 0)}/${String(mine.length)}`;
    if (counts !== this.lastCounts) {
      // The queue or my load changed: an earlier "Get next" error is out of date.
      this.lastCounts = counts;
      this.nextError = '';
    }
    this.setCustomState('empty', mine.length === 0);
    this.setCustomState('at-capacity', this.atCapacity());
  }

  protected override updated(): void {
    if (this.activeId !== this.scrolledTo) {
      this.scrolledTo = this.activeId;
      if (this.activeId !== undefined) this.optionNode(this.activeId)?.scrollIntoView({ block: 'nearest' });
    }
  }

  private atCapacity(): boolean {
    const me = this.me.value;
    return me !== undefined && (this.mine.value?.length ?? 0) >= me.maxConcurrentChats;
  }

  /** Why "Get next in queue" cannot be used now, or '' when it can. */
  private nextBlockedReason(): string {
    if (this.connection.value?.status !== 'live' || !this.me.value) {
      return msg('Available when the connection is back.', { id: 'chat-session-list.next.offline' });
    }
    if (this.atCapacity()) {
      const max = this.me.value.maxConcurrentChats;
      return msg(str`Chat limit reached (${max}). End a chat to take the next.`, { id: 'chat-session-list.next.at-capacity' });
    }
    if ((this.queued.value?.length ?? 0) === 0) return msg('No chats are waiting.', { id: 'chat-session-list.next.empty' });
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

  private optionNode(id: string): HTMLElement | null | undefined {
    return this.renderRoot.querySelector<HTMLElement>(`[data-id="${CSS.escape(id)}"]`);
  }

  private onListFocus(): void {
    if (this.activeId !== undefined) return;
    const mine = this.mine.value ?? [];
    this.activeId = mine.some((s) => s.id === this.selectedId) ? this.selectedId : mine[0]?.id;
  }

  private onListClick(event: MouseEvent): void {
    const row = (event.target as Element).closest<HTMLElement>('[role="option"]');
    const id = row?.dataset.id;
    if (id === undefined) return;
    this.activeId = id;
    this.listbox?.focus({ preventScroll: true });
    this.pick(id);
  }

  private onListKeydown(event: KeyboardEvent): void {
    const mine = this.mine.value ?? [];
    if (mine.length === 0 || event.altKey || event.ctrlKey || event.metaKey) return;
    const index = mine.findIndex((s) => s.id === (this.activeId ?? this.selectedId));
    let target: number | undefined;
    switch (event.key) {
      case 'ArrowDown':
        target = index < 0 ? 0 : Math.min(mine.length - 1, index + 1);
        break;
      case 'ArrowUp':
        target = index < 0 ? 0 : Math.max(0, index - 1);
        break;
      case 'Home':
        target = 0;
        break;
      case 'End':
        target = mine.length - 1;
        break;
      case 'Enter':
      case ' ':
        event.preventDefault();
        if (index >= 0) this.pick(mine[index]?.id);
        return;
      default:
        if (event.key.length === 1 && event.key.trim() !== '') this.typeAhead(event.key, mine, index);
        return;
    }
    event.preventDefault();
    const id = mine[target]?.id;
    if (id === undefined) return;
    this.activeId = id;
    // Selection follows focus.
    this.pick(id);
  }

  private typeAhead(key: string, mine: SessionSummary[], index: number): void {
    clearTimeout(this.typeaheadTimer);
    this.typeahead += key.toLocaleLowerCase();
    this.typeaheadTimer = setTimeout(() => {
      this.typeahead = '';
    }, TYPEAHEAD_MS);
    const start = this.typeahead.length === 1 ? index + 1 : Math.max(0, index);
    for (let i = 0; i < mine.length; i += 1) {
      const s = mine[(start + i) % mine.length];
      if (s && customerName(s.customer).toLocaleLowerCase().startsWith(this.typeahead)) {
        this.activeId = s.id;
        this.pick(s.id);
        return;
      }
    }
  }

  /** The user picked a row: ask the page (cancelable), then select through the client. */
  private pick(id: string | undefined): void {
    if (id === undefined || id === this.selectedId) return;
    if (!this.dispatchEvent(new ChatSessionSelectEvent({ sessionId: id }))) return;
    if (this.client) this.client.selectSession(id);
    else this.selectedId = id;
  }

  private renderRow(s: SessionSummary, channelNames: Map<string, string>, now: number) {
    const selected = s.id === this.selectedId;
    const unread = s.unread > 0;
    const parts = `item${selected ? ' item--selected' : ''}${unread ? ' item--unread' : ''}`;
    const last = s.lastMessage;
    const at = s.lastActivityAt;
    const unreadCount = s.unread;
    return html`<div
      role="option"
      id=${`option-${s.id}`}
      data-id=${s.id}
      class="item ${unread ? 'item--unread' : ''} ${s.id === this.activeId ? 'active' : ''}"
      part=${parts}
      aria-selected=${selected ? 'true' : 'false'}
    >
      <span class="who"
        ><span class="name" part="name">${customerName(s.customer)}</span
        ><span class="channel" part="channel">${channelNames.get(s.channelId) ?? ''}</span></span
      >
      <span class="preview" part="preview">${last ? this.renderAuthor(last.from) : nothing}<span class="preview-text">${last?.text ?? ''}</span></span>
      ${unread
        ? html`<span class="badge" part="badge"
            ><span aria-hidden="true">${unreadCount}</span
            ><span class="visually-hidden">${msg(str`${unreadCount} unread`, { id: 'chat-session-list.unread' })}</span></span
          >`
        : nothing}
      <time class="time" part="time" datetime=${new Date(at).toISOString()}>${formatAge(at, now)}</time>
    </div>`;
  }

  private renderAuthor(from: 'customer' | 'agent' | 'system') {
    const label =
      from === 'customer'
        ? msg('Customer:', { id: 'chat-session-list.from.customer' })
        : from === 'agent'
          ? msg('Agent:', { id: 'chat-session-list.from.agent' })
          : msg('Event:', { id: 'chat-session-list.from.system' });
    return html`${icons[from]}<span class="visually-hidden">${label}</span> `;
  }

  override render() {
    const mine = this.mine.value ?? [];
    const queued = this.queued.value?.length ?? 0;
    const blocked = this.nextBlockedReason();
    const channelNames = new Map((this.channels.value ?? []).map((c) => [c.id, c.name]));
    const now = Date.now() + (this.clockOffset.value ?? 0);
    const describedBy = [blocked ? 'next-reason' : '', this.nextError ? 'next-error' : ''].filter(Boolean).join(' ');
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
      <div id="list-label" class="list-label" part="list-label">${msg('My chats', { id: 'chat-session-list.label' })}</div>
      ${mine.length === 0
        ? html`<div class="empty" part="empty">
            <slot name="empty"><p>${msg('You have no ongoing chats.', { id: 'chat-session-list.empty' })}</p></slot>
          </div>`
        : html`<div
            class="list"
            part="list"
            role="listbox"
            tabindex="0"
            aria-labelledby="list-label"
            aria-activedescendant=${this.activeId !== undefined ? `option-${this.activeId}` : nothing}
            @focus=${this.onListFocus}
            @click=${this.onListClick}
            @keydown=${this.onListKeydown}
          >
            ${repeat(
              mine,
              (s) => s.id,
              (s) => this.renderRow(s, channelNames, now),
            )}
          </div>`}
    </div>`;
  }
}
