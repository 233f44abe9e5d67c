import { consume } from '@lit/context';
import type { PropertyValues } from 'lit';
import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';

import { msg, str } from '../../i18n/localization.js';
import { ChatErrorEvent } from '../../events/chat-error-event.js';
import { ChatSessionAnswerEvent } from '../../events/chat-session-answer-event.js';
import { customerName, formatAge } from '../../i18n/common.js';
import { announce } from '../../internal/announcer.js';
import { ChatElement } from '../../internal/chat-element.js';
import { StoreController } from '../../internal/store-controller.js';
import { priorityMarker, ResponseTicker, responseTimer, responseTimerStyles } from '../../internal/response-timer.js';
import { logicalKey } from '../../internal/keys.js';
import type { AgentMe, SessionSummary } from '../../protocol/index.js';
import { chatClientContext } from '../../state/context.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import { ChatError } from '../../state/types.js';
import type { DashboardView } from '../../state/agent-views.js';
import { agentViews } from '../../state/agent-views.js';
import { buttonStyles, hostStyles } from '../../styles/host.styles.js';
import { dashboardStyles } from './chat-dashboard.styles.js';
import { ChannelFilter } from './dashboard-filter.js';
import { HelpList } from './dashboard-help.js';
import { ListenPanel } from './dashboard-listen.js';
import { answerErrorText, renderOngoing } from './dashboard-ongoing.js';
import { DashboardStatsController } from './dashboard-stats.js';

/** How often the waiting times and durations are refreshed. */
const TICK_MS = 15_000;
/** Longest preview of the last message kept in the DOM (the cell truncates visually anyway). */
const PREVIEW_CHARS = 160;

interface AnswerError {
  sessionId: string;
  text: string;
}

/**
 * @summary The Dashboard of the chat window: statistics for all or selected channels (cards and
 * a chart of chats per hour today), the requests for help of the channels I supervise (Listen,
 * Whisper, Take over), the chats waiting in my channels with an Answer button, and the ongoing
 * chats, which supervisors can listen to without anyone being notified.
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
 * @csspart card - One statistic (also `card--waiting`, `card--longest-wait`, `card--ongoing`, `card--agents`, `card--completed`, `card--missed`, `card--avg-wait`, `card--avg-duration`, `card--avg-response`, `card--rating`, `card--first-target`, `card--next-target`: the share of today's replies within the response-time targets, `card--tags`: today's ended chats per wrap-up tag).
 * @csspart card-label - The name of a statistic.
 * @csspart card-value - The value of a statistic.
 * @csspart card-note - The small text under a value.
 * @csspart card-tags - The tags card's list: today's ended chats per wrap-up tag, most used first (issue 18; shown when some chat ended today has a tag).
 * @csspart tag-count - One tag with its number of chats in that list.
 * @csspart chart-section - The section with the chart of chats per hour.
 * @csspart chart - The SVG chart of chats per hour today.
 * @csspart chart-bar - One bar of the chart.
 * @csspart chart-toggle - The "Show as table" button.
 * @csspart chart-table - The table alternative of the chart.
 * @csspart help - The "Help requested" section (issue 18): chats whose agent asked for help, shown to the supervisors of their channels (listen or manager permission).
 * @csspart help-heading - Its heading.
 * @csspart help-count - The number of requests next to it.
 * @csspart help-table - The table of requests.
 * @csspart help-row - One request: customer, who asked (and their note), channel, waiting time (counted live), actions.
 * @csspart help-note - The note of a request.
 * @csspart help-listen - Listen (opens the listen-in panel; the request clears as the supervisor joins).
 * @csspart help-whisper - Whisper (the listen-in panel, with focus in its whisper box).
 * @csspart help-takeover - Take over (managers of the channel).
 * @csspart help-handled - Handled: lowers the request without joining.
 * @csspart help-error - Why an action on a request failed.
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
 * @csspart waiting - The waiting time cell (with the reply timer when the channel has a response-time target).
 * @csspart priority - A waiting chat's priority marker (Urgent, High, Low; none for Normal); also `priority--urgent`, `priority--high`, `priority--low`.
 * @csspart sla - The reply timer of a waiting chat: time left against the channel's target; `sla--ok`, `sla--warning` (from 75 % of the target), `sla--breached` (overdue), each with its own icon and words.
 * @csspart preview - The last message cell.
 * @csspart answer - The Answer button of a row.
 * @csspart returned - Who returned a waiting chat to the queue and why (issue 18), under its last message.
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
 * @fires {ChatErrorEvent} chat-error - A chat could not be answered (for example `at_capacity`, or someone else answered it), or a request for help could not be taken over or marked as handled.
 */
export class ChatDashboard extends ChatElement {
  static override styles = [hostStyles, buttonStyles, dashboardStyles, responseTimerStyles];

  // chat-conversation (the listen view) is loaded on demand: see loadConversationElements().

  /** Waiting and ongoing rows, who I am, live, my load (`agentViews(client).dashboard`). */
  private readonly view = new StoreController<DashboardView>(this);
  /** The channel filter (remembered). */
  private readonly filter = new ChannelFilter(this);
  /** The listen-in panel. */
  private readonly listen = new ListenPanel(this);
  /** "Help requested": chats whose agent asked the supervisors for help (issue 18). */
  private readonly help = new HelpList(this, this.listen);
  /** The statistics: cards and chart. */
  private readonly statistics = new DashboardStatsController(this);
  /** Re-renders when a waiting row's response timer changes state or minute (issue 18). */
  private readonly responseTicker = new ResponseTicker(
    this,
    () => this.rows,
    () => this.serverNow(),
  );
  private tick: ReturnType<typeof setInterval> | undefined;
  /** Focus was inside the grid before the update (a row may disappear while focused). */
  private hadFocus = false;
  /** Index of the active row, kept so the next row takes over when the active one leaves. */
  private activeIndex = 0;

  /** The row that takes part in the Tab sequence (roving tabindex). */
  @state() private activeId: string | undefined;
  @state() private answering: string | undefined;
  @state() private error: AnswerError | undefined;

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
      this.listen.reset();
      this.help.reset();
    }
    const client = this.client;
    const views = client && agentViews(client);
    this.view.use(views?.dashboard);
    this.statistics.follow();
    this.filter.load();
    this.listen.follow(views);
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
    this.setCustomState('filtered', this.filter.selection !== 'all');
    this.setCustomState('listening', this.listen.id !== undefined);
    this.statistics.maybeLoad();
  }

  protected override updated(): void {
    // The focused row left the queue (answered here or elsewhere): keep focus in the dashboard.
    if (this.hadFocus && !this.shadowRoot?.activeElement) {
      const target = this.activeId ? this.rowElement(this.activeId) : this.renderRoot.querySelector<HTMLElement>('.empty');
      target?.focus();
    }
    this.hadFocus = false;
  }

  // ---- derived data -----------------------------------------------------------------------

  private get rows(): readonly SessionSummary[] {
    return this.filter.filter(this.view.value?.queued ?? []);
  }

  private get ongoingRows(): readonly SessionSummary[] {
    return this.filter.filter(this.view.value?.ongoing ?? []);
  }

  private get atCapacity(): boolean {
    const me = this.me();
    return me !== undefined && (this.view.value?.load ?? 0) >= me.maxConcurrentChats;
  }

  /** For the controllers: who I am. @internal */
  me(): AgentMe | undefined {
    return this.view.value?.me;
  }

  /** For the statistics: the connection is live. @internal */
  live(): boolean {
    return this.view.value?.live === true;
  }

  /** For the statistics: the channel filter. @internal */
  filterSelection(): 'all' | readonly string[] {
    return this.filter.selection;
  }

  /** For the statistics: the channel filter as a key ('*' for all). @internal */
  filterKey(): string {
    return this.filter.key;
  }

  /** For the statistics: the channels to ask for (undefined: all of mine). @internal */
  selectedChannels(): string[] | undefined {
    return this.filter.selection === 'all' ? undefined : [...this.filter.shown];
  }

  /** For the statistics: the channels shown. @internal */
  filterChannels(): Set<string> {
    return this.filter.shown;
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
    return this.view.value?.channelNames.get(id) ?? this.filter.channels.find((c) => c.id === id)?.name ?? id;
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

  private showAnswerError(session: SessionSummary, code: string, message: string, recoverable: boolean): void {
    const text = answerErrorText(code, message, customerName(session.customer));
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

  // ---- rendering -----------------------------------------------------------------------------

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
          ${priorityMarker(session.priority)}
        </span>
      </td>
      <td part="channel">${this.channelName(session.channelId)}</td>
      <td part="waiting" class="waiting">${formatAge(session.createdAt, now)}${session.response ? html` ${responseTimer(session.response, now)}` : nothing}</td>
      <td part="preview">
        <span class="preview-text"
          >${last ? preview : html`<span class="muted">${msg('No message yet', { id: 'chat-dashboard.no-message' })}</span>`}</span
        >
        ${session.returned
          ? html`<span part="returned" class="returned" dir="auto"
              >${msg(str`Returned by ${session.returned.agentName}: ${session.returned.reason}`, { id: 'chat-dashboard.returned' })}</span
            >`
          : nothing}
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
    const hidden = this.filter.selection === 'all' ? 0 : (this.view.value?.queued.length ?? 0) - rows.length;
    const me = this.me();
    return html`<section class="incoming-section" aria-labelledby="incoming-heading">
      <h2 part="heading" class="heading" id="incoming-heading">
        ${msg('Incoming chats', { id: 'chat-dashboard.heading' })}
        <span part="count" class="count">${rows.length}</span>
      </h2>
      ${this.atCapacity && me && rows.length > 0
        ? html`<p part="capacity" class="capacity" id="capacity">
            ${msg(str`You are handling ${this.view.value?.load ?? 0} of ${me.maxConcurrentChats} chats, your maximum. End a chat before you answer another one.`, {
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
                this.filter.set('all');
              }}
            >
              ${msg('Show all channels', { id: 'chat-dashboard.show-all' })}
            </button>
          </p>`
        : nothing}
    </section>`;
  }

  override render() {
    const now = this.serverNow();
    return html`<div part="base" class=${this.listen.id !== undefined ? 'base base--listening' : 'base'}>
      <div part="main" class="main">
        ${this.filter.render()} ${this.statistics.render()}
        ${this.listen.ended ? html`<p part="listen-ended" class="listen-ended">${this.listen.ended}</p>` : nothing}
        ${this.help.render(this.ongoingRows, now, (id) => this.channelName(id))} ${this.renderIncoming(now)}
        ${renderOngoing({ rows: this.ongoingRows, me: this.me(), now, listen: this.listen, channelName: (id) => this.channelName(id) })}
      </div>
      ${this.listen.render()}
    </div>`;
  }
}
