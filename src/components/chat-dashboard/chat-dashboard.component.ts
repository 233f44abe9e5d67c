import { consume } from '@lit/context';
import type { PropertyValues } from 'lit';
import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';

import { msg, str } from '../../i18n/localization.js';
import { ChatErrorEvent } from '../../events/chat-error-event.js';
import { ChatSessionAnswerEvent } from '../../events/chat-session-answer-event.js';
import { customerName, formatAge } from '../../i18n/common.js';
import { announce } from '../../internal/announcer.js';
import { ChatElement } from '../../internal/chat-element.js';
import { loadConversationElements } from '../../internal/lazy-elements.js';
import { StoreController } from '../../internal/store-controller.js';
import { logicalKey } from '../../internal/keys.js';
import type { AgentMe, SessionSummary } from '../../protocol/index.js';
import { chatClientContext } from '../../state/context.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import { ChatError } from '../../state/types.js';
import type { DashboardView } from '../../state/agent-views.js';
import { agentViews } from '../../state/agent-views.js';
import { ScrollportHeight } from '../../internal/scrollport-height.js';
import { buttonStyles, hostStyles } from '../../styles/host.styles.js';
import { dashboardStyles } from './chat-dashboard.styles.js';
import { DashboardStatsController, formatDuration } from './dashboard-stats.js';

/** How often the waiting times and durations are refreshed. */
const TICK_MS = 15_000;
/** Longest preview of the last message kept in the DOM (the cell truncates visually anyway). */
const PREVIEW_CHARS = 160;
/** Where the channel filter is remembered (per server, tenant and agent). */
const FILTER_KEY = 'crm-chat.dashboard.channels';

interface AnswerError {
  sessionId: string;
  text: string;
}

/** The channels the dashboard shows: all of mine, or some of them. */
type Selection = 'all' | readonly string[];

/**
 * @summary The Dashboard of the chat window: statistics for all or selected channels (cards and
 * a chart of chats per hour today), the chats waiting in my channels with an Answer button, and
 * the ongoing chats, which supervisors can listen to without anyone being notified.
 * @tag chat-dashboard
 * @status experimental
 * @since 0.1
 * @dependency chat-conversation
 *
 * @csspart base - The whole dashboard.
 * @csspart main - The column with the filter, statistics and lists.
 * @csspart filter - The channel filter (a fieldset of checkboxes).
 * @csspart filter-option - One checkbox with its label in the filter.
 * @csspart stats - The statistics section.
 * @csspart stats-heading - The "Statistics" heading.
 * @csspart stats-meta - The scope and "Updated 10:42" line (or why the statistics are not current).
 * @csspart cards - The list of statistics cards.
 * @csspart ratings - Today's customer ratings per agent and per channel (tables).
 * @csspart ratings-table - One of them (`ratings-table--agent`, `ratings-table--channel`).
 * @csspart card - One statistic (also `card--waiting`, `card--longest-wait`, `card--ongoing`, `card--agents`, `card--completed`, `card--missed`, `card--avg-wait`, `card--avg-duration`, `card--avg-response`, `card--rating`).
 * @csspart card-label - The name of a statistic.
 * @csspart card-value - The value of a statistic.
 * @csspart card-note - The small text under a value.
 * @csspart chart-section - The section with the chart of chats per hour.
 * @csspart chart - The SVG chart of chats per hour today.
 * @csspart chart-bar - One bar of the chart.
 * @csspart chart-toggle - The "Show as table" button.
 * @csspart chart-table - The table alternative of the chart.
 * @csspart heading - The "Incoming chats" heading.
 * @csspart count - The number of waiting chats next to the heading.
 * @csspart capacity - Why I cannot answer more chats now (at my maximum).
 * @csspart hidden-waiting - How many chats wait in channels the filter hides.
 * @csspart error - The message shown when a chat could not be answered.
 * @csspart error-dismiss - The button that hides the error message.
 * @csspart empty - The text shown when no chat is waiting.
 * @csspart table - The table (grid) of waiting chats.
 * @csspart row - One waiting chat (also `row--answering` while it is being answered).
 * @csspart row--answering - The row of the chat being answered.
 * @csspart customer - The customer cell (name and e-mail).
 * @csspart channel - The channel cell.
 * @csspart waiting - The waiting time cell.
 * @csspart preview - The last message cell.
 * @csspart answer - The Answer button of a row.
 * @csspart ongoing-heading - The "Ongoing chats" heading.
 * @csspart ongoing-count - The number of ongoing chats next to the heading.
 * @csspart ongoing-empty - The text shown when no chat is ongoing.
 * @csspart ongoing-table - The table of ongoing chats.
 * @csspart ongoing-row - One ongoing chat (also `ongoing-row--listening` for the one listened to).
 * @csspart agent - The agent cell of an ongoing chat.
 * @csspart duration - The duration cell of an ongoing chat.
 * @csspart listen-button - The Listen button of an ongoing chat.
 * @csspart listen - The listen-in panel.
 * @csspart listen-heading - "Listening to …" in the panel.
 * @csspart listen-notice - "Listening — the agent and the customer are not notified."
 * @csspart listen-stop - The "Stop listening" button.
 * @csspart listen-conversation - The read-only chat-conversation in the panel.
 * @csspart listen-ended - Why listening stopped (for example the permission was removed).
 *
 * @cssproperty [--chat-dashboard-padding=16px] - Space around the dashboard.
 * @cssproperty [--chat-dashboard-row-hover-background=var(--chat-color-surface-alt)] - Background of a row under the pointer.
 * @cssproperty [--chat-dashboard-preview-width=28rem] - Widest the last-message preview gets.
 * @cssproperty [--chat-dashboard-error-background=#fdecea] - Background of the error message.
 * @cssproperty [--chat-dashboard-card-min-width=8.5rem] - Narrowest a statistics card gets.
 * @cssproperty [--chat-dashboard-bar-color=var(--chat-color-accent)] - Bars of the chart.
 * @cssproperty [--chat-dashboard-listen-width=26rem] - Width of the listen-in panel beside the lists.
 * @cssproperty [--chat-dashboard-listen-height=36rem] - Height of the listen-in panel.
 * @cssproperty [--chat-dashboard-listen-background=#fff8e1] - Background of the listening notice.
 *
 * @cssstate empty - No chat is waiting (in the selected channels).
 * @cssstate answering - A chat is being answered.
 * @cssstate error - An error message is shown.
 * @cssstate filtered - The dashboard shows some of my channels, not all.
 * @cssstate listening - The listen-in panel is open.
 *
 * @fires {ChatSessionAnswerEvent} chat-session-answer - Before a chat is answered (Answer button, Enter or double-click on a row). Cancelable.
 * @fires {ChatErrorEvent} chat-error - A chat could not be answered (for example `at_capacity`, or someone else answered it).
 */
export class ChatDashboard extends ChatElement {
  static override styles = [hostStyles, buttonStyles, dashboardStyles];

  // chat-conversation (the listen view) is loaded on demand: see loadConversationElements().

  /** Waiting and ongoing rows, who I am, live, my load (`agentViews(client).dashboard`). */
  private readonly view = new StoreController<DashboardView>(this);
  /** The chat listened to, while the listen panel is open (`agentViews(client).sessionState(id)`). */
  private readonly listened = new StoreController<SessionSummary | undefined>(this);
  /** The statistics: cards and chart. */
  private readonly statistics = new DashboardStatsController(this);
  private tick: ReturnType<typeof setInterval> | undefined;
  /** The storage key the selection was loaded from. */
  private selectionKey: string | undefined;
  /** Focus was inside the grid before the update (a row may disappear while focused). */
  private hadFocus = false;
  /** Index of the active row, kept so the next row takes over when the active one leaves. */
  private activeIndex = 0;
  /** Move focus after the next render: into the listen panel, or back to a Listen button. */
  private focusAfter: { kind: 'panel' } | { kind: 'listen-button'; sessionId: string } | undefined;

  /** The row that takes part in the Tab sequence (roving tabindex). */
  @state() private activeId: string | undefined;
  @state() private answering: string | undefined;
  @state() private error: AnswerError | undefined;
  @state() private selection: Selection = 'all';
  /** The session listened to in the panel. */
  @state() private listening: string | undefined;
  /** Why listening stopped on its own ('' when it did not). */
  @state() private listenEnded = '';

  /** The listen-in panel fits the visible part of the box the dashboard scrolls in. */
  private readonly scrollport = new ScrollportHeight(this, () => this.renderRoot.querySelector<HTMLElement>('.listen'));

  /** Client to follow; provided by an enclosing chat-window or set directly. */
  @consume({ context: chatClientContext, subscribe: true })
  @property({ attribute: false })
  client?: ChatClient;

  override connectedCallback(): void {
    super.connectedCallback();
    // Waiting times and durations are shown in minutes; refresh them now and then.
    this.tick = setInterval(() => {
      if (this.rows.length > 0 || this.ongoingRows.length > 0 || (this.statistics.stats?.waiting ?? 0) > 0) this.requestUpdate();
    }, TICK_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.tick);
    this.tick = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('client')) {
      this.error = undefined;
      this.answering = undefined;
      this.statistics.reset();
      this.listening = undefined;
      this.listenEnded = '';
    }
    const client = this.client;
    const views = client && agentViews(client);
    this.view.use(views?.dashboard);
    this.listened.use(this.listening === undefined ? undefined : views?.sessionState(this.listening));
    this.statistics.follow();
    this.loadSelection();
    this.checkListening();
    const rows = this.rows;
    if (rows.length === 0) {
      this.activeId = undefined;
      this.activeIndex = 0;
    } else if (!rows.some((r) => r.id === this.activeId)) {
      this.activeIndex = Math.min(this.activeIndex, rows.length - 1);
      this.activeId = rows[this.activeIndex]?.id;
    } else {
      this.activeIndex = rows.findIndex((r) => r.id === this.activeId);
    }
    const active = this.shadowRoot?.activeElement ?? null;
    this.hadFocus = active !== null && (active.closest('tbody.incoming') !== null || active.classList.contains('empty'));
    this.setCustomState('empty', rows.length === 0);
    this.setCustomState('answering', this.answering !== undefined);
    this.setCustomState('error', this.error !== undefined);
    this.setCustomState('filtered', this.selection !== 'all');
    this.setCustomState('listening', this.listening !== undefined);
    this.statistics.maybeLoad();
  }

  protected override updated(): void {
    // The focused row left the queue (answered here or elsewhere): keep focus in the dashboard.
    if (this.hadFocus && !this.shadowRoot?.activeElement) {
      const target = this.activeId ? this.rowElement(this.activeId) : this.renderRoot.querySelector<HTMLElement>('.empty');
      target?.focus();
    }
    this.hadFocus = false;
    const focus = this.focusAfter;
    this.focusAfter = undefined;
    if (focus?.kind === 'panel') this.renderRoot.querySelector<HTMLElement>('.listen-heading')?.focus();
    else if (focus?.kind === 'listen-button') {
      const button = [...this.renderRoot.querySelectorAll<HTMLElement>('[part~="listen-button"]')].find((b) => b.dataset.id === focus.sessionId);
      (button ?? this.renderRoot.querySelector<HTMLElement>('#ongoing-heading'))?.focus();
    }
  }

  // ---- derived data -----------------------------------------------------------------------

  /** My channels (from the server's `welcome.me`). */
  private get myChannels(): { id: string; name: string; listen: boolean }[] {
    return (this.me()?.channels ?? []).map((c) => ({ id: c.id, name: c.name, listen: c.permissions.listen }));
  }

  /** The ids of the channels shown. */
  private get shownChannels(): Set<string> {
    const mine = this.myChannels.map((c) => c.id);
    if (this.selection === 'all') return new Set(mine);
    const chosen = this.selection;
    return new Set(mine.filter((id) => chosen.includes(id)));
  }

  private get rows(): readonly SessionSummary[] {
    const shown = this.shownChannels;
    const all = this.view.value?.queued ?? [];
    return this.selection === 'all' ? all : all.filter((s) => shown.has(s.channelId));
  }

  private get ongoingRows(): readonly SessionSummary[] {
    const shown = this.shownChannels;
    const all = this.view.value?.ongoing ?? [];
    return this.selection === 'all' ? all : all.filter((s) => shown.has(s.channelId));
  }

  private get atCapacity(): boolean {
    const me = this.me();
    return me !== undefined && (this.view.value?.mine ?? 0) >= me.maxConcurrentChats;
  }

  /** Whether I may listen to a session: the channel's listen permission, and not my own chat. */
  private canListen(session: SessionSummary | undefined): boolean {
    const me = this.me();
    if (!session || !me || session.agentId === me.id) return false;
    return me.channels.find((c) => c.id === session.channelId)?.permissions.listen === true;
  }

  private me(): AgentMe | undefined {
    return this.view.value?.me;
  }

  /** For the statistics: the connection is live. @internal */
  live(): boolean {
    return this.view.value?.live === true;
  }

  /** For the statistics: the channel filter. @internal */
  filterSelection(): 'all' | readonly string[] {
    return this.selection;
  }

  /** For the statistics: the channel filter as a key ('*' for all). @internal */
  filterKey(): string {
    return this.selection === 'all' ? '*' : this.selection.join(',');
  }

  /** For the statistics: the channels to ask for (undefined: all of mine). @internal */
  selectedChannels(): string[] | undefined {
    return this.selection === 'all' ? undefined : [...this.shownChannels];
  }

  /** For the statistics: the channels shown. @internal */
  filterChannels(): Set<string> {
    return this.shownChannels;
  }

  /** For the statistics: a channel's name. @internal */
  channelLabel(id: string): string {
    return this.channelName(id);
  }

  /** For the statistics: the server's clock. @internal */
  serverTime(): number {
    return this.serverNow();
  }

  private serverNow(): number {
    return Date.now() + (this.view.value?.clockOffset ?? 0);
  }

  private rowElement(id: string): HTMLElement | null {
    for (const row of this.renderRoot.querySelectorAll<HTMLElement>('tbody.incoming tr')) {
      if (row.dataset.id === id) return row;
    }
    return null;
  }

  private channelName(id: string): string {
    return this.view.value?.channelNames.get(id) ?? this.myChannels.find((c) => c.id === id)?.name ?? id;
  }

  // ---- channel filter ---------------------------------------------------------------------

  private storageKey(): string | undefined {
    const client = this.client;
    const me = this.me();
    if (!client || !me) return undefined;
    return `${FILTER_KEY}|${client.options.url}|${client.options.tenant}|${me.id}`;
  }

  /** Loads the remembered selection once per client and agent. */
  private loadSelection(): void {
    const key = this.storageKey();
    if (key === this.selectionKey) return;
    this.selectionKey = key;
    let selection: Selection = 'all';
    if (key) {
      try {
        const raw = localStorage.getItem(key);
        const parsed: unknown = raw === null ? null : JSON.parse(raw);
        if (Array.isArray(parsed)) {
          const mine = new Set(this.myChannels.map((c) => c.id));
          const ids = parsed.filter((x): x is string => typeof x === 'string' && mine.has(x));
          if (ids.length > 0 && ids.length < mine.size) selection = ids;
        }
      } catch {
        // Storage unavailable or garbage: show all channels.
      }
    }
    this.selection = selection;
  }

  private setSelection(next: Selection): void {
    const mine = this.myChannels.map((c) => c.id);
    const normalised: Selection = next === 'all' || next.length === 0 || mine.every((id) => next.includes(id)) ? 'all' : mine.filter((id) => next.includes(id));
    this.selection = normalised;
    const key = this.storageKey();
    if (key) {
      try {
        if (normalised === 'all') localStorage.removeItem(key);
        else localStorage.setItem(key, JSON.stringify(normalised));
      } catch {
        // Not remembered (private mode, quota): the choice still applies now.
      }
    }
  }

  private onFilterAll(e: Event): void {
    // "All" is left by choosing channels; unchecking it keeps it (the render restores the box).
    if ((e.target as HTMLInputElement).checked) this.setSelection('all');
    else this.requestUpdate();
  }

  private onFilterChannel(e: Event, id: string): void {
    const checked = (e.target as HTMLInputElement).checked;
    const current = this.selection === 'all' ? [] : [...this.selection];
    if (this.selection === 'all') {
      // From "all", a click picks that one channel.
      this.setSelection(checked ? [id] : this.myChannels.map((c) => c.id).filter((x) => x !== id));
      return;
    }
    this.setSelection(checked ? [...current, id] : current.filter((x) => x !== id));
  }

  // ---- incoming chats ------------------------------------------------------------------------

  private focusRow(index: number): void {
    const rows = this.rows;
    const row = rows[Math.max(0, Math.min(index, rows.length - 1))];
    if (!row) return;
    this.activeId = row.id;
    this.activeIndex = rows.indexOf(row);
    void this.updateComplete.then(() => this.rowElement(row.id)?.focus());
  }

  private onRowKeydown(e: KeyboardEvent, session: SessionSummary, index: number): void {
    const onRow = e.target === e.currentTarget;
    switch (logicalKey(e, this)) {
      case 'ArrowDown':
        this.focusRow(index + 1);
        break;
      case 'ArrowUp':
        this.focusRow(index - 1);
        break;
      case 'Home':
        this.focusRow(0);
        break;
      case 'End':
        this.focusRow(this.rows.length - 1);
        break;
      case 'ArrowRight':
        if (!onRow) return;
        (e.currentTarget as HTMLElement).querySelector<HTMLElement>('button')?.focus();
        break;
      case 'ArrowLeft':
        if (onRow) return;
        (e.currentTarget as HTMLElement).focus();
        break;
      case 'Enter':
        if (!onRow) return; // the button handles its own Enter
        void this.answer(session);
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  private onRowFocus(session: SessionSummary, index: number): void {
    this.activeId = session.id;
    this.activeIndex = index;
  }

  private onRowDblclick(e: MouseEvent, session: SessionSummary): void {
    if ((e.target as Element).closest('button')) return; // the button's own clicks answer already
    void this.answer(session);
  }

  private dismissError(): void {
    this.error = undefined;
    const target = this.activeId ? this.rowElement(this.activeId) : this.renderRoot.querySelector<HTMLElement>('.empty');
    target?.focus();
  }

  private errorText(code: string, message: string, name: string): string {
    switch (code) {
      case 'at_capacity':
        return msg('You are handling as many chats as you can. End a chat before you answer another one.', { id: 'chat-dashboard.error.capacity' });
      case 'conflict':
      case 'queue_empty':
      case 'not_found':
      case 'forbidden':
      case 'session_closed':
        return msg(str`Someone else answered the chat with ${name}, or it has ended.`, { id: 'chat-dashboard.error.taken' });
      case 'offline':
      case 'timeout':
        return msg('The chat could not be answered: no connection to the server. Try again when the connection is back.', { id: 'chat-dashboard.error.offline' });
      default:
        return msg(str`The chat could not be answered: ${message}`, { id: 'chat-dashboard.error.other' });
    }
  }

  private showAnswerError(session: SessionSummary, code: string, message: string, recoverable: boolean): void {
    const text = this.errorText(code, message, customerName(session.customer));
    this.error = { sessionId: session.id, text };
    announce(text, { assertive: true });
    this.dispatchEvent(new ChatErrorEvent({ code, message: text, recoverable }));
  }

  private async answer(session: SessionSummary): Promise<void> {
    const client = this.client;
    if (!client || this.answering !== undefined) return;
    if (this.atCapacity) {
      // Known before asking the server: say why instead of sending a command bound to fail.
      this.showAnswerError(session, 'at_capacity', 'at capacity', true);
      return;
    }
    if (!this.dispatchEvent(new ChatSessionAnswerEvent({ sessionId: session.id }))) return;
    const name = customerName(session.customer);
    this.answering = session.id;
    this.error = undefined;
    try {
      await client.accept(session.id);
      if (this.client !== client) return;
      client.selectSession(session.id);
      announce(msg(str`You answered the chat with ${name}.`, { id: 'chat-dashboard.answered' }));
    } catch (error) {
      if (this.client !== client) return;
      const code = error instanceof ChatError ? error.code : 'internal';
      const message = error instanceof Error ? error.message : String(error);
      this.showAnswerError(session, code, message, error instanceof ChatError ? error.retryable || code === 'at_capacity' : false);
    } finally {
      if (this.client === client) this.answering = undefined;
    }
  }

  // ---- listening ---------------------------------------------------------------------------

  /** Listening stops by itself when the permission goes (the server has dropped the stream). */
  private checkListening(): void {
    const id = this.listening;
    if (id === undefined || !this.client) return;
    const session = this.listened.value;
    const me = this.me();
    if (!me) return;
    const permitted = session === undefined || this.canListen(session);
    if (permitted) return;
    this.listening = undefined;
    this.listenEnded = msg('Listening stopped: you may no longer listen in this channel.', { id: 'chat-dashboard.listen.revoked' });
    announce(this.listenEnded, { assertive: true });
  }

  private toggleListen(session: SessionSummary): void {
    if (this.listening === session.id) {
      this.stopListening();
      return;
    }
    if (!this.canListen(session)) return;
    void loadConversationElements();
    this.listening = session.id;
    this.listenEnded = '';
    this.focusAfter = { kind: 'panel' };
    announce(msg(str`Listening to the chat with ${customerName(session.customer)}.`, { id: 'chat-dashboard.listen.started' }));
  }

  private stopListening(): void {
    const id = this.listening;
    if (id === undefined) return;
    this.listening = undefined;
    this.focusAfter = { kind: 'listen-button', sessionId: id };
    announce(msg('Stopped listening.', { id: 'chat-dashboard.listen.stopped' }));
  }

  /** "Close" inside the listen view stops listening (and leaves the console's selection alone). */
  private onListenClose(e: Event): void {
    e.preventDefault();
    this.stopListening();
  }

  private onOngoingDblclick(e: MouseEvent, session: SessionSummary): void {
    if ((e.target as Element).closest('button')) return;
    if (this.canListen(session) && this.listening !== session.id) this.toggleListen(session);
  }

  // ---- rendering -----------------------------------------------------------------------------

  private renderFilter() {
    const channels = this.myChannels;
    if (channels.length < 2) return nothing;
    const shown = this.shownChannels;
    const all = this.selection === 'all';
    return html`<fieldset part="filter" class="filter">
      <legend>${msg('Channels', { id: 'chat-dashboard.filter.legend' })}</legend>
      <label part="filter-option" class="filter-option">
        <input type="checkbox" .checked=${live(all)} @change=${this.onFilterAll} />
        <span>${msg('All channels', { id: 'chat-dashboard.filter.all' })}</span>
      </label>
      ${channels.map(
        (c) =>
          html`<label part="filter-option" class="filter-option">
            <input
              type="checkbox"
              .checked=${live(!all && shown.has(c.id))}
              @change=${(e: Event) => {
                this.onFilterChannel(e, c.id);
              }}
            />
            <span>${c.name}</span>
          </label>`,
      )}
    </fieldset>`;
  }

  private renderRow(session: SessionSummary, index: number, now: number) {
    const name = customerName(session.customer);
    const busy = this.answering === session.id;
    const full = this.atCapacity;
    const last = session.lastMessage;
    const preview = last ? (last.text.length > PREVIEW_CHARS ? `${last.text.slice(0, PREVIEW_CHARS)}…` : last.text) : '';
    return html`<tr
      part=${busy ? 'row row--answering' : 'row'}
      data-id=${session.id}
      tabindex=${session.id === this.activeId ? '0' : '-1'}
      aria-busy=${busy ? 'true' : 'false'}
      @keydown=${(e: KeyboardEvent) => {
        this.onRowKeydown(e, session, index);
      }}
      @focusin=${() => {
        this.onRowFocus(session, index);
      }}
      @dblclick=${(e: MouseEvent) => {
        this.onRowDblclick(e, session);
      }}
    >
      <td part="customer">
        <span class="customer">
          <span class="name">${name}</span>
          ${session.customer.email ? html`<span class="email">${session.customer.email}</span>` : nothing}
        </span>
      </td>
      <td part="channel">${this.channelName(session.channelId)}</td>
      <td part="waiting" class="waiting">${formatAge(session.createdAt, now)}</td>
      <td part="preview">
        <span class="preview-text"
          >${last ? preview : html`<span class="muted">${msg('No message yet', { id: 'chat-dashboard.no-message' })}</span>`}</span
        >
      </td>
      <td class="action">
        <button
          part="answer"
          class="btn btn--primary"
          type="button"
          tabindex="-1"
          aria-disabled=${busy || full ? 'true' : 'false'}
          aria-describedby=${full ? 'capacity' : nothing}
          aria-label=${busy ? msg(str`Answering ${name}…`, { id: 'chat-dashboard.answering-label' }) : msg(str`Answer ${name}`, { id: 'chat-dashboard.answer-label' })}
          @click=${() => void this.answer(session)}
        >
          ${busy ? msg('Answering…', { id: 'chat-dashboard.answering' }) : msg('Answer', { id: 'chat-dashboard.answer' })}
        </button>
      </td>
    </tr>`;
  }

  private renderIncoming(now: number) {
    const rows = this.rows;
    const hidden = this.selection === 'all' ? 0 : (this.view.value?.queued.length ?? 0) - rows.length;
    const me = this.me();
    return html`<section class="incoming-section" aria-labelledby="incoming-heading">
      <h2 part="heading" class="heading" id="incoming-heading">
        ${msg('Incoming chats', { id: 'chat-dashboard.heading' })}
        <span part="count" class="count">${rows.length}</span>
      </h2>
      ${this.atCapacity && me && rows.length > 0
        ? html`<p part="capacity" class="capacity" id="capacity">
            ${msg(str`You are handling ${this.view.value?.mine ?? 0} of ${me.maxConcurrentChats} chats, your maximum. End a chat before you answer another one.`, {
              id: 'chat-dashboard.capacity',
            })}
          </p>`
        : nothing}
      ${this.error
        ? html`<div part="error" class="error">
            <span class="error-icon" aria-hidden="true">!</span>
            <span class="error-text">${this.error.text}</span>
            <button
              part="error-dismiss"
              class="btn btn--quiet dismiss"
              type="button"
              aria-label=${msg('Dismiss the message', { id: 'chat-dashboard.dismiss' })}
              title=${msg('Dismiss the message', { id: 'chat-dashboard.dismiss' })}
              @click=${this.dismissError}
            >
              <span aria-hidden="true">×</span>
            </button>
          </div>`
        : nothing}
      ${rows.length === 0
        ? html`<p part="empty" class="empty" tabindex="-1">${msg('No chats are waiting. New chats show up here.', { id: 'chat-dashboard.empty' })}</p>`
        : html`<div class="table-wrap">
            <table part="table" role="grid" aria-labelledby="incoming-heading">
              <thead>
                <tr>
                  <th scope="col">${msg('Customer', { id: 'chat-dashboard.col.customer' })}</th>
                  <th scope="col">${msg('Channel', { id: 'chat-dashboard.col.channel' })}</th>
                  <th scope="col">${msg('Waiting', { id: 'chat-dashboard.col.waiting' })}</th>
                  <th scope="col">${msg('Last message', { id: 'chat-dashboard.col.preview' })}</th>
                  <th scope="col"><span class="visually-hidden">${msg('Answer', { id: 'chat-dashboard.answer' })}</span></th>
                </tr>
              </thead>
              <tbody class="incoming">
                ${repeat(
                  rows,
                  (s) => s.id,
                  (s, i) => this.renderRow(s, i, now),
                )}
              </tbody>
            </table>
          </div>`}
      ${hidden > 0
        ? html`<p part="hidden-waiting" class="hidden-waiting">
            ${msg(str`${hidden} more waiting in other channels.`, { id: 'chat-dashboard.hidden-waiting' })}
            <button
              class="btn btn--quiet link"
              type="button"
              @click=${() => {
                this.setSelection('all');
              }}
            >
              ${msg('Show all channels', { id: 'chat-dashboard.show-all' })}
            </button>
          </p>`
        : nothing}
    </section>`;
  }

  private renderOngoing(now: number) {
    const rows = this.ongoingRows;
    const me = this.me();
    const anyListen = rows.some((s) => this.canListen(s));
    return html`<section class="ongoing-section" aria-labelledby="ongoing-heading">
      <h2 part="ongoing-heading" class="heading" id="ongoing-heading" tabindex="-1">
        ${msg('Ongoing chats', { id: 'chat-dashboard.ongoing.heading' })}
        <span part="ongoing-count" class="count">${rows.length}</span>
      </h2>
      ${rows.length === 0
        ? html`<p part="ongoing-empty" class="empty">${msg('No chats are ongoing.', { id: 'chat-dashboard.ongoing.empty' })}</p>`
        : html`<div class="table-wrap">
            <table part="ongoing-table" class="ongoing" aria-labelledby="ongoing-heading">
              <thead>
                <tr>
                  <th scope="col">${msg('Customer', { id: 'chat-dashboard.col.customer' })}</th>
                  <th scope="col">${msg('Agent', { id: 'chat-dashboard.col.agent' })}</th>
                  <th scope="col">${msg('Channel', { id: 'chat-dashboard.col.channel' })}</th>
                  <th scope="col">${msg('Duration', { id: 'chat-dashboard.col.duration' })}</th>
                  ${anyListen ? html`<th scope="col"><span class="visually-hidden">${msg('Listen', { id: 'chat-dashboard.listen' })}</span></th>` : nothing}
                </tr>
              </thead>
              <tbody>
                ${repeat(
                  rows,
                  (s) => s.id,
                  (s) => {
                    const name = customerName(s.customer);
                    const listening = this.listening === s.id;
                    const mine = me !== undefined && s.agentId === me.id;
                    return html`<tr
                      part=${listening ? 'ongoing-row ongoing-row--listening' : 'ongoing-row'}
                      data-id=${s.id}
                      @dblclick=${(e: MouseEvent) => {
                        this.onOngoingDblclick(e, s);
                      }}
                    >
                      <td part="customer"><span class="name">${name}</span></td>
                      <td part="agent">${mine ? msg('You', { id: 'chat-dashboard.you' }) : (s.agentName ?? '')}</td>
                      <td part="channel">${this.channelName(s.channelId)}</td>
                      <td part="duration" class="waiting">${formatDuration(now - (s.acceptedAt ?? s.createdAt), false)}</td>
                      ${anyListen
                        ? html`<td class="action">
                            ${this.canListen(s)
                              ? html`<button
                                  part="listen-button"
                                  class=${listening ? 'btn btn--primary' : 'btn'}
                                  type="button"
                                  data-id=${s.id}
                                  aria-pressed=${listening ? 'true' : 'false'}
                                  aria-label=${msg(str`Listen to the chat with ${name}`, { id: 'chat-dashboard.listen-label' })}
                                  @click=${() => {
                                    this.toggleListen(s);
                                  }}
                                >
                                  <span class="ear" aria-hidden="true">◉</span>${msg('Listen', { id: 'chat-dashboard.listen' })}
                                </button>`
                              : nothing}
                          </td>`
                        : nothing}
                    </tr>`;
                  },
                )}
              </tbody>
            </table>
          </div>`}
    </section>`;
  }

  private renderListen() {
    const id = this.listening;
    if (id === undefined) return nothing;
    const session = this.listened.value;
    const name = customerName(session?.customer);
    return html`<aside part="listen" class="listen" aria-labelledby="listen-heading">
      <div class="listen-head">
        <h2 part="listen-heading" class="listen-heading" id="listen-heading" tabindex="-1">
          ${msg(str`Listening to ${name}`, { id: 'chat-dashboard.listen.heading' })}
        </h2>
        <button part="listen-stop" class="btn" type="button" @click=${this.stopListening}>${msg('Stop listening', { id: 'chat-dashboard.listen.stop' })}</button>
      </div>
      <p part="listen-notice" class="listen-notice">
        <span class="listen-icon" aria-hidden="true">◉</span>
        <span>${msg('Listening — the agent and the customer are not notified.', { id: 'chat-dashboard.listen.notice' })}</span>
      </p>
      <chat-conversation
        part="listen-conversation"
        class="listen-conversation"
        mode="listen"
        session-id=${id}
        .client=${this.client}
        @chat-session-close=${this.onListenClose}
      ></chat-conversation>
    </aside>`;
  }

  override render() {
    const now = this.serverNow();
    return html`<div part="base" class=${this.listening !== undefined ? 'base base--listening' : 'base'}>
      <div part="main" class="main">
        ${this.renderFilter()} ${this.statistics.render()}
        ${this.listenEnded ? html`<p part="listen-ended" class="listen-ended">${this.listenEnded}</p>` : nothing} ${this.renderIncoming(now)}
        ${this.renderOngoing(now)}
      </div>
      ${this.renderListen()}
    </div>`;
  }
}
