import { consume } from '@lit/context';
import type { PropertyValues } from 'lit';
import { html, nothing, svg } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';

import { msg, str } from '../../i18n/localization.js';
import { ChatErrorEvent } from '../../events/chat-error-event.js';
import { ChatSessionSelectEvent } from '../../events/chat-session-select-event.js';
import { customerName } from '../../i18n/common.js';
import { announce } from '../../internal/announcer.js';
import { ChatElement } from '../../internal/chat-element.js';
import { identityBadgeStyles } from '../../internal/identity-badge.js';
import { StoreController } from '../../internal/store-controller.js';
import type { SessionSummary } from '../../protocol/model.js';
import { chatClientContext } from '../../state/context.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import { ChatError } from '../../state/types.js';
import type { SessionListContext, SessionListRows } from '../../state/agent-views.js';
import { agentViews } from '../../state/agent-views.js';
import { buttonStyles, hostStyles } from '../../styles/host.styles.js';
import type { ListView, SessionGroup } from './chat-session-list.groups.js';
import { buildView, EMPTY_VIEW } from './chat-session-list.groups.js';
import { sessionListStyles } from './chat-session-list.styles.js';
import type * as VirtualizerModule from './chat-session-list.virtualizer.js';
import type { RowContext } from './session-row.js';
import { groupLabel, renderRow } from './session-row.js';
import { matchText, SessionSearch } from './session-search.js';

/** How often relative times ("5 min") are refreshed. */
const AGE_REFRESH_MS = 30_000;
/** Type-ahead: keys typed within this window form one search string. */
const TYPEAHEAD_MS = 500;
/** A group with more rows than this is virtualized (the virtualizer is loaded on demand). */
const VIRTUALIZE_AFTER = 50;
/** Rows moved by PageUp / PageDown. */
const PAGE_ROWS = 10;
/** Estimates made to reach a virtualized row that is not rendered (each one frame apart). */
const MAX_SCROLL_TRIES = 12;

type Virtualizer = typeof VirtualizerModule;
/** The virtualizer chunk once loaded; `false` when loading failed (then long groups render plainly). */
let virtualizer: Virtualizer | false | undefined;
let virtualizerLoading: Promise<unknown> | undefined;

/** Loads the virtualizer chunk once per page. */
function loadVirtualizer(): Promise<unknown> {
  virtualizerLoading ??= import('./chat-session-list.virtualizer.js').then(
    (m) => {
      virtualizer = m;
    },
    () => {
      virtualizer = false;
    },
  );
  return virtualizerLoading;
}


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
 * @csspart transfer - The transfer line of a row ("Transfer to you from Anna").
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
 * @cssstate filtered - A search is applied.
 *
 * @fires {ChatSessionSelectEvent} chat-session-select - The user picks a row (click, arrow keys, Enter). Cancelable: `preventDefault()` keeps the current selection.
 * @fires {ChatErrorEvent} chat-error - "Get next in queue" failed (`detail.code`: `queue_empty`, `at_capacity`, `offline`, …).
 */
export class ChatSessionList extends ChatElement {
  static override styles = [hostStyles, buttonStyles, sessionListStyles, identityBadgeStyles];
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

  /** The store value last copied into `selectedId`, to tell store changes from code changes. */
  private syncedSelection: string | undefined;
  /** `selectedId` was set in code and still has to reach the client. */
  private selectionToPush = false;
  private ageTimer: ReturnType<typeof setInterval> | undefined;
  private typeahead = '';
  private typeaheadTimer: ReturnType<typeof setTimeout> | undefined;
  private lastCounts = '';
  /** The rows as last computed, and what they were computed from. */
  private view: ListView = EMPTY_VIEW;
  private viewInputs: readonly unknown[] = [];
  /** Bring the active row into view after the next render (keyboard moves, focus). */
  private scrollPending = false;
  /** A pointer is pressing the list: the click decides the active row, not the focus. */
  private pointerDown = false;
  /** A virtualized row being scrolled to; aligned once the virtualizer renders it. */
  private scrollTarget: { id: string; tries: number } | undefined;
  private followFrame = 0;
  /** Virtualized row containers whose virtualizer has measured the real DOM. */
  private readonly attachedHosts = new WeakSet<Element>();

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
    cancelAnimationFrame(this.followFrame);
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

    const inputs = [this.rows.value, this.search.appliedQuery, this.search.serverIds];
    if (inputs.some((value, i) => value !== this.viewInputs[i])) {
      this.viewInputs = inputs;
      this.view = buildView(this.rows.value, this.search.appliedQuery, this.search.serverIds);
    }
    const view = this.view;
    if (this.activeId !== undefined && !view.has(this.activeId)) this.activeId = undefined;
    if (virtualizer === undefined && view.groups.some((g) => g.items.length > VIRTUALIZE_AFTER)) {
      void loadVirtualizer().then(() => {
        this.requestUpdate();
      });
    }

    const counts = `${String(view.queued)}/${String(view.mine)}`;
    if (counts !== this.lastCounts) {
      // The queue or my load changed: an earlier "Get next" error is out of date.
      this.lastCounts = counts;
      this.nextError = '';
    }
    this.setCustomState('empty', view.total === 0);
    this.setCustomState('at-capacity', this.atCapacity());
    this.setCustomState('filtered', this.search.appliedQuery !== '');
  }

  protected override updated(): void {
    this.attachVirtualizers();
    if (this.scrollPending) {
      this.scrollPending = false;
      this.scrollActiveIntoView();
    }
    this.syncActiveDescendant();
    this.search.announce(this.view);
  }

  private atCapacity(): boolean {
    const me = this.context.value?.me;
    return me !== undefined && this.view.mine >= me.maxConcurrentChats;
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

  // ---- listbox ----------------------------------------------------------------------------

  private optionNode(id: string): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`[role="option"][data-id="${CSS.escape(id)}"]`);
  }

  /** aria-activedescendant names the active row only while that row is in the DOM. */
  private syncActiveDescendant(): void {
    const listbox = this.listbox;
    if (!listbox) return;
    const node = this.activeId !== undefined ? this.optionNode(this.activeId) : null;
    if (node) {
      if (listbox.getAttribute('aria-activedescendant') !== node.id) listbox.setAttribute('aria-activedescendant', node.id);
    } else if (listbox.hasAttribute('aria-activedescendant')) {
      listbox.removeAttribute('aria-activedescendant');
    }
  }

  /**
   * Scrolls the listbox (never the page) so the active row is in view. A virtualized row that is
   * not rendered is scrolled to by estimate (from a rendered row and the virtualizer's average row
   * height); once the virtualizer renders it (`rangeChanged`) it is aligned exactly. The
   * virtualizer's own `element(i).scrollIntoView()` misplaces rows when the scroller is an
   * ancestor of its container, as here.
   */
  private scrollActiveIntoView(): void {
    const id = this.activeId;
    const listbox = this.listbox;
    const previous = this.scrollTarget;
    const tries = previous !== undefined && previous.id === id ? previous.tries : 0;
    this.scrollTarget = undefined;
    if (id === undefined || !listbox) return;
    const place = this.view.places.get(id);
    const node = this.optionNode(id);
    if (node) {
      // The first row of a group brings its heading along.
      const top = place?.index === 0 ? node.closest('[role=group]') : node;
      this.scrollIntoList(listbox, top ?? node, node);
      return;
    }
    const host = place ? this.renderRoot.querySelector<HTMLElement>(`.group--${place.group} .rows--virtual`) : null;
    const size = place ? this.view.groups.find((g) => g.key === place.group)?.items.length : undefined;
    if (!place || !host || !size || tries >= MAX_SCROLL_TRIES) return;
    const origin = listbox.getBoundingClientRect().top - listbox.scrollTop;
    const anchor = host.querySelector<HTMLElement>('[role=option]');
    const anchorIndex = anchor ? Number(anchor.getAttribute('aria-posinset')) - 1 : 0;
    const anchorBox = (anchor ?? host).getBoundingClientRect();
    const rowSize = anchor ? anchorBox.height : anchorBox.height / size;
    const rowTop = anchorBox.top - origin + (place.index - anchorIndex) * rowSize;
    listbox.scrollTop = rowTop < listbox.scrollTop ? rowTop : rowTop + rowSize - listbox.clientHeight;
    this.scrollTarget = { id, tries: tries + 1 };
    // Follow up when the virtualizer renders the range (rangeChanged) or, failing that, next frame.
    cancelAnimationFrame(this.followFrame);
    this.followFrame = requestAnimationFrame(() => {
      this.followScrollTarget();
    });
  }

  /** Aligns the row being scrolled to once rendered, or estimates again. */
  private followScrollTarget(): void {
    const target = this.scrollTarget;
    if (!target) return;
    if (target.id !== this.activeId) {
      this.scrollTarget = undefined;
      return;
    }
    this.scrollActiveIntoView();
    this.syncActiveDescendant();
  }

  /** Scrolls the listbox by the least amount that shows `first` … `last`. */
  private scrollIntoList(listbox: HTMLElement, first: Element, last: Element): void {
    const box = listbox.getBoundingClientRect();
    const top = box.top + listbox.clientTop;
    const bottom = top + listbox.clientHeight;
    const from = first.getBoundingClientRect().top;
    const to = last.getBoundingClientRect().bottom;
    if (from < top) listbox.scrollTop -= top - from;
    else if (to > bottom) listbox.scrollTop += Math.min(to - bottom, from - top);
  }

  /** Hands new virtualized row containers, now in the document, to the virtualizer chunk. */
  private attachVirtualizers(): void {
    if (!virtualizer) return;
    for (const host of this.renderRoot.querySelectorAll<VirtualizerModule.VirtualizerHostElement>('.rows--virtual')) {
      if (this.attachedHosts.has(host) || !host.isConnected) continue;
      if (virtualizer.attach(host)) this.attachedHosts.add(host);
    }
  }

  private onRangeChanged(): void {
    // The virtualizer's directive renders the new range in its own listener of this event.
    queueMicrotask(() => {
      this.followScrollTarget();
      this.syncActiveDescendant();
    });
  }

  private onListWheel(): void {
    // The user scrolls: stop steering the list towards the active row.
    this.scrollTarget = undefined;
  }

  private onListPointerDown(): void {
    // Focus follows in this task (mousedown's default action); the flag only covers that focus.
    this.pointerDown = true;
    setTimeout(() => {
      this.pointerDown = false;
    }, 0);
  }

  private onListFocus(): void {
    if (this.pointerDown) return; // the click picks the row
    if (this.activeId !== undefined) {
      this.scrollPending = true;
      this.requestUpdate();
      return;
    }
    const { flat, places } = this.view;
    this.activeId = this.selectedId !== undefined && places.has(this.selectedId) ? this.selectedId : flat[0]?.id;
    this.scrollPending = true;
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
    const flat = this.view.flat;
    if (flat.length === 0 || event.altKey || event.ctrlKey || event.metaKey) return;
    const current = this.activeId ?? this.selectedId;
    const index = current !== undefined ? (this.view.places.get(current)?.flatIndex ?? -1) : -1;
    const last = flat.length - 1;
    let target: number | undefined;
    switch (event.key) {
      case 'ArrowDown':
        target = index < 0 ? 0 : Math.min(last, index + 1);
        break;
      case 'ArrowUp':
        target = index < 0 ? 0 : Math.max(0, index - 1);
        break;
      case 'PageDown':
        target = Math.min(last, Math.max(0, index) + PAGE_ROWS);
        break;
      case 'PageUp':
        target = Math.max(0, index - PAGE_ROWS);
        break;
      case 'Home':
        target = 0;
        break;
      case 'End':
        target = last;
        break;
      case 'Enter':
        event.preventDefault();
        if (index >= 0) this.pick(flat[index]?.id);
        return;
      case ' ':
        event.preventDefault();
        if (this.typeahead !== '') this.typeAhead(' ', index);
        else if (index >= 0) this.pick(flat[index]?.id);
        return;
      default:
        if (event.key.length === 1 && event.key.trim() !== '') this.typeAhead(event.key, index);
        return;
    }
    event.preventDefault();
    const id = flat[target]?.id;
    if (id === undefined) return;
    this.moveTo(id);
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
    this.moveTo(id);
    this.pick(id);
  }

  /**
   * Makes a row active and brings it into view. It does not open the chat: arrowing through the
   * list must not open every chat on the way (nor take the composer's draft away); Enter, Space
   * or a click does.
   */
  private moveTo(id: string): void {
    this.activeId = id;
    this.scrollPending = true;
    this.requestUpdate();
  }

  /** Type-ahead: the next row whose customer name starts with the letters typed within 500 ms. */
  private typeAhead(key: string, index: number): void {
    clearTimeout(this.typeaheadTimer);
    this.typeahead += key.toLocaleLowerCase();
    this.typeaheadTimer = setTimeout(() => {
      this.typeahead = '';
    }, TYPEAHEAD_MS);
    const flat = this.view.flat;
    // A single letter moves on from the active row; more letters refine from it.
    const start = this.typeahead.length === 1 ? index + 1 : Math.max(0, index);
    for (let i = 0; i < flat.length; i += 1) {
      const s = flat[(start + i) % flat.length];
      if (s && customerName(s.customer).toLocaleLowerCase().startsWith(this.typeahead)) {
        this.moveTo(s.id);
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

  // ---- rendering --------------------------------------------------------------------------

  private renderGroup(group: SessionGroup, ctx: RowContext) {
    const labelId = `group-label-${group.key}`;
    const size = group.items.length;
    const long = size > VIRTUALIZE_AFTER;
    const v = long ? virtualizer : undefined;
    // The virtualizer also renders rows on scroll, outside this element's update: in its language.
    const row = (s: SessionSummary, i: number) => this.localized(() => renderRow(s, i, size, ctx));
    let rows;
    if (v) {
      rows = html`<div class="rows rows--virtual" @rangeChanged=${this.onRangeChanged}>
        ${v.virtualize<SessionSummary>({ items: group.items as SessionSummary[], keyFunction: (s) => s.id, renderItem: row, layout: v.layout })}
      </div>`;
    } else {
      // A long group waits for the virtualizer (its heading shows meanwhile); if the chunk cannot
      // be loaded, it renders every row.
      rows = long && virtualizer === undefined ? nothing : html`<div class="rows">${repeat(group.items, (s) => s.id, row)}</div>`;
    }
    return html`<div role="group" class="group group--${group.key}" part="group group--${group.key}" aria-labelledby=${labelId}>
      <div role="presentation" id=${labelId} class="group-label" part="group-label">
        <span>${groupLabel(group.key)}</span> <span class="group-count" part="group-count">${size}</span>
      </div>
      ${rows}
    </div>`;
  }

  /** For the search: ArrowDown in the field focuses the list. @internal */
  focusList(): void {
    this.listbox?.focus();
  }

  /** For the search: how many rows are shown. @internal */
  rowCount(): number {
    return this.view.count;
  }

  override render() {
    const view = this.view;
    const queued = view.queued;
    const blocked = this.nextBlockedReason();
    const ctx: RowContext = {
      meId: this.context.value?.me?.id,
      channelNames: this.context.value?.channelNames ?? new Map<string, string>(),
      now: Date.now() + (this.context.value?.clockOffset ?? 0),
      selectedId: this.selectedId,
      activeId: this.activeId,
    };
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
      body = html`<div
        class="list"
        part="list"
        role="listbox"
        tabindex="0"
        aria-labelledby="list-label"
        @pointerdown=${this.onListPointerDown}
        @wheel=${this.onListWheel}
        @focus=${this.onListFocus}
        @click=${this.onListClick}
        @keydown=${this.onListKeydown}
      >
        ${view.groups.map((g) => this.renderGroup(g, ctx))}
      </div>`;
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
      ${this.search.render()} ${this.search.renderStatus(view)}
      <div id="list-label" class="list-label" part="list-label">${msg('My chats', { id: 'chat-session-list.label' })}</div>
      ${body}
    </div>`;
  }
}
