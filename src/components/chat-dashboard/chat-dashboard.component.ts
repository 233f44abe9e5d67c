import { consume } from '@lit/context';
import { msg, str } from '@lit/localize';
import type { PropertyValues } from 'lit';
import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';

import { ChatErrorEvent } from '../../events/chat-error-event.js';
import { ChatSessionAnswerEvent } from '../../events/chat-session-answer-event.js';
import { customerName, formatAge } from '../../i18n/common.js';
import { announce } from '../../internal/announcer.js';
import { ChatElement } from '../../internal/chat-element.js';
import { StoreController } from '../../internal/store-controller.js';
import type { ChannelInfo, SessionSummary } from '../../protocol/index.js';
import { chatClientContext } from '../../state/context.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import { ChatError } from '../../state/types.js';
import { buttonStyles, hostStyles } from '../../styles/host.styles.js';
import { dashboardStyles } from './chat-dashboard.styles.js';

/** How often the waiting times are refreshed. */
const TICK_MS = 15_000;
/** Longest preview of the last message kept in the DOM (the cell truncates visually anyway). */
const PREVIEW_CHARS = 160;

interface AnswerError {
  sessionId: string;
  text: string;
}

/**
 * @summary The Dashboard of the chat window: the chats waiting in my channels, each with its
 * customer, channel, live waiting time and last message, and an Answer button.
 * @tag chat-dashboard
 * @status experimental
 * @since 0.1
 *
 * @csspart base - The whole dashboard.
 * @csspart heading - The "Incoming chats" heading.
 * @csspart count - The number of waiting chats next to the heading.
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
 *
 * @cssproperty [--chat-dashboard-padding=16px] - Space around the dashboard.
 * @cssproperty [--chat-dashboard-row-hover-background=var(--chat-color-surface-alt)] - Background of a row under the pointer.
 * @cssproperty [--chat-dashboard-preview-width=28rem] - Widest the last-message preview gets.
 * @cssproperty [--chat-dashboard-error-background=#fdecea] - Background of the error message.
 *
 * @cssstate empty - No chat is waiting.
 * @cssstate answering - A chat is being answered.
 * @cssstate error - An error message is shown.
 *
 * @fires {ChatSessionAnswerEvent} chat-session-answer - Before a chat is answered (Answer button, Enter or double-click on a row). Cancelable.
 * @fires {ChatErrorEvent} chat-error - A chat could not be answered (for example `at_capacity`, or someone else answered it).
 */
export class ChatDashboard extends ChatElement {
  static override styles = [hostStyles, buttonStyles, dashboardStyles];

  private readonly queued = new StoreController<SessionSummary[]>(this);
  private readonly channels = new StoreController<ChannelInfo[]>(this);
  private readonly clockOffset = new StoreController<number>(this);
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
    // Waiting times are shown in minutes; refresh them now and then.
    this.tick = setInterval(() => {
      if ((this.queued.value?.length ?? 0) > 0) this.requestUpdate();
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
    }
    this.queued.use(this.client?.$queued);
    this.channels.use(this.client?.$channels);
    this.clockOffset.use(this.client?.$clockOffset);
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
    this.hadFocus = active !== null && (active.closest('tbody') !== null || active.classList.contains('empty'));
    this.setCustomState('empty', rows.length === 0);
    this.setCustomState('answering', this.answering !== undefined);
    this.setCustomState('error', this.error !== undefined);
  }

  protected override updated(): void {
    // The focused row left the queue (answered here or elsewhere): keep focus in the dashboard.
    if (this.hadFocus && !this.shadowRoot?.activeElement) {
      const target = this.activeId ? this.rowElement(this.activeId) : this.renderRoot.querySelector<HTMLElement>('.empty');
      target?.focus();
    }
    this.hadFocus = false;
  }

  private get rows(): SessionSummary[] {
    return this.queued.value ?? [];
  }

  private rowElement(id: string): HTMLElement | null {
    for (const row of this.renderRoot.querySelectorAll<HTMLElement>('tbody tr')) {
      if (row.dataset.id === id) return row;
    }
    return null;
  }

  private channelName(id: string): string {
    return this.channels.value?.find((c) => c.id === id)?.name ?? id;
  }

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
    switch (e.key) {
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

  private async answer(session: SessionSummary): Promise<void> {
    const client = this.client;
    if (!client || this.answering !== undefined) return;
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
      const text = this.errorText(code, message, name);
      this.error = { sessionId: session.id, text };
      announce(text, { assertive: true });
      this.dispatchEvent(new ChatErrorEvent({ code, message: text, recoverable: error instanceof ChatError ? error.retryable || code === 'at_capacity' : false }));
    } finally {
      if (this.client === client) this.answering = undefined;
    }
  }

  private renderRow(session: SessionSummary, index: number, now: number) {
    const name = customerName(session.customer);
    const busy = this.answering === session.id;
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
          aria-disabled=${busy ? 'true' : 'false'}
          aria-label=${busy ? msg(str`Answering ${name}…`, { id: 'chat-dashboard.answering-label' }) : msg(str`Answer ${name}`, { id: 'chat-dashboard.answer-label' })}
          @click=${() => void this.answer(session)}
        >
          ${busy ? msg('Answering…', { id: 'chat-dashboard.answering' }) : msg('Answer', { id: 'chat-dashboard.answer' })}
        </button>
      </td>
    </tr>`;
  }

  override render() {
    const rows = this.rows;
    const now = Date.now() + (this.clockOffset.value ?? 0);
    return html`<section part="base" class="base" aria-labelledby="incoming-heading">
      <h2 part="heading" class="heading" id="incoming-heading">
        ${msg('Incoming chats', { id: 'chat-dashboard.heading' })}
        <span part="count" class="count">${rows.length}</span>
      </h2>
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
              <tbody>
                ${repeat(
                  rows,
                  (s) => s.id,
                  (s, i) => this.renderRow(s, i, now),
                )}
              </tbody>
            </table>
          </div>`}
    </section>`;
  }
}
