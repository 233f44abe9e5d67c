import { consume } from '@lit/context';
import { msg, str } from '@lit/localize';
import { html, nothing, svg } from 'lit';
import { property, query, state } from 'lit/decorators.js';

import { ChatErrorEvent } from '../../events/chat-error-event.js';
import { ChatSessionEndEvent } from '../../events/chat-session-end-event.js';
import { customerName } from '../../i18n/common.js';
import { announce } from '../../internal/announcer.js';
import { ChatElement } from '../../internal/chat-element.js';
import { StoreController } from '../../internal/store-controller.js';
import type { AgentMe, ChannelInfo, SessionStatus, SessionSummary } from '../../protocol/model.js';
import { chatClientContext } from '../../state/context.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import type { ConnectionState, SessionMessages, TypingState } from '../../state/types.js';
import { ChatError } from '../../state/types.js';
import { buttonStyles, hostStyles } from '../../styles/host.styles.js';
import { ChatComposer } from '../chat-composer/chat-composer.component.js';
import { ChatMessageList } from '../chat-message-list/chat-message-list.component.js';
import { conversationStyles } from './chat-conversation.styles.js';

const chatIcon = svg`<svg viewBox="0 0 48 48" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linejoin="round"><path d="M8 10h32v22H20l-8 7v-7H8z"/><path d="M15 18h18M15 24h12" stroke-linecap="round"/></svg>`;

/** Read mode for a session: participant where the agent may write or manages, else listen. */
function modeFor(session: SessionSummary | undefined, me: AgentMe | undefined): 'participant' | 'listen' {
  if (!session || !me || session.agentId === me.id) return 'participant';
  const perm = me.channels.find((c) => c.id === session.channelId)?.permissions;
  if (perm?.manager || (session.status === 'queued' && perm?.respond)) return 'participant';
  return perm?.listen ? 'listen' : 'participant';
}

/**
 * @summary The middle column of the Chats tab: one chat session with its header (customer,
 * channel, status, End chat), the transcript, the customer's typing indicator and the composer.
 * @tag chat-conversation
 * @status experimental
 * @since 0.1
 * @dependency chat-message-list
 * @dependency chat-composer
 *
 * @slot empty - Shown when no session is selected.
 *
 * @csspart base - The whole element.
 * @csspart header - The header bar.
 * @csspart title - The customer's name.
 * @csspart channel - The channel name.
 * @csspart status - The session status as text (In queue, Active, Ended, Missed).
 * @csspart end-button - The "End chat" button.
 * @csspart end-error - Why ending the chat failed.
 * @csspart transcript - The chat-message-list element.
 * @csspart messages - The list of messages (forwarded from chat-message-list).
 * @csspart message - One message; also `message--customer`, `message--agent`, `message--note`, `message--system`, `message--pending`, `message--failed` (forwarded).
 * @csspart message--customer - A customer message (forwarded).
 * @csspart message--agent - An agent message (forwarded).
 * @csspart message--note - An internal note (forwarded).
 * @csspart message--system - A system event (forwarded).
 * @csspart message--pending - One of my messages not confirmed yet (forwarded).
 * @csspart message--failed - One of my messages the server refused (forwarded).
 * @csspart bubble - The text of a message (forwarded).
 * @csspart retry - Retry button of a failed message (forwarded).
 * @csspart cancel - Cancel button of a failed message (forwarded).
 * @csspart new-messages - The "New messages" button (forwarded).
 * @csspart load-older - The "Load earlier messages" button (forwarded).
 * @csspart no-messages - "No messages yet." (forwarded).
 * @csspart meta - Author and time of a message (forwarded).
 * @csspart message-state - "Sending…" / "Not sent: …" under a pending message (forwarded).
 * @csspart hint - The keyboard hint under the text area (forwarded).
 * @csspart composer-error - Why the last send failed (forwarded).
 * @csspart typing - "Kim is typing…".
 * @csspart composer - The chat-composer element.
 * @csspart input - The text area (forwarded).
 * @csspart send - The Send button (forwarded).
 * @csspart counter - The character counter (forwarded).
 * @csspart reason - Why writing or sending is not possible (forwarded).
 * @csspart dialog - The End chat confirmation dialog.
 * @csspart dialog-confirm - The confirming "End chat" button in the dialog.
 * @csspart dialog-cancel - The Cancel button in the dialog.
 * @csspart empty - The empty state.
 *
 * @cssproperty [--chat-conversation-background=var(--chat-color-surface-alt)] - Background behind the messages.
 * @cssproperty [--chat-conversation-header-background=var(--chat-color-surface)] - Background of the header.
 * @cssproperty [--chat-conversation-header-padding=8px 12px] - Padding of the header.
 * @cssproperty [--chat-conversation-bubble-radius=8px] - Corner radius of bubbles.
 * @cssproperty [--chat-conversation-bubble-max-width=min(75%, 42rem)] - Widest bubble.
 * @cssproperty [--chat-conversation-customer-bubble-background=var(--chat-color-surface)] - Customer bubbles.
 * @cssproperty [--chat-conversation-customer-bubble-color=var(--chat-color-text)] - Text of customer bubbles.
 * @cssproperty [--chat-conversation-customer-bubble-border-color=var(--chat-color-border)] - Border of customer bubbles.
 * @cssproperty [--chat-conversation-agent-bubble-background=var(--chat-color-accent)] - Agent bubbles.
 * @cssproperty [--chat-conversation-agent-bubble-color=var(--chat-color-on-accent)] - Text of agent bubbles.
 * @cssproperty [--chat-conversation-note-background=var(--chat-color-note)] - Internal notes.
 * @cssproperty [--chat-conversation-note-border-color=#b98900] - Border of internal notes.
 * @cssproperty [--chat-composer-background=var(--chat-color-surface)] - Background of the composer.
 * @cssproperty [--chat-composer-max-height=10rem] - Tallest the text area grows.
 *
 * @cssstate empty - No session is shown.
 * @cssstate readonly - The shown chat cannot be written in (queued, ended, someone else's).
 *
 * @fires {ChatSessionEndEvent} chat-session-end - The agent ended the chat here (confirmed "End chat" and the server agreed).
 * @fires {ChatMessageSendEvent} chat-message-send - Before a message is sent (from the composer). Cancelable.
 * @fires {ChatErrorEvent} chat-error - Ending the chat or sending failed.
 */
export class ChatConversation extends ChatElement {
  static override styles = [hostStyles, buttonStyles, conversationStyles];

  static override dependencies = {
    'chat-message-list': ChatMessageList,
    'chat-composer': ChatComposer,
  };

  /** Client to follow; provided by an enclosing chat-window or set directly. */
  @consume({ context: chatClientContext, subscribe: true })
  @property({ attribute: false })
  client?: ChatClient;

  private readonly sessions = new StoreController<Record<string, SessionSummary>>(this);
  private readonly messages = new StoreController<Record<string, SessionMessages>>(this);
  private readonly selection = new StoreController<string | undefined>(this);
  private readonly me = new StoreController<AgentMe | undefined>(this);
  private readonly channels = new StoreController<ChannelInfo[]>(this);
  private readonly connection = new StoreController<ConnectionState>(this);
  private readonly typingStore = new StoreController<Record<string, TypingState | undefined>>(this);

  /** The session this element opened on its client (closed again when another is shown). */
  private opened: { client: ChatClient; sessionId: string } | undefined;
  private endHadFocus = false;
  private lastShownId: string | undefined;
  private readonly onVisibility = () => {
    this.requestUpdate();
  };

  @query('dialog') private readonly dialog?: HTMLDialogElement | null;
  @query('.end') private readonly endButton?: HTMLButtonElement | null;
  @query('.name') private readonly heading?: HTMLElement | null;

  @state() private ending = false;
  @state() private endError = '';

  /** Session to show. When not set, the element follows the client's selected session. */
  @property({ attribute: 'session-id', reflect: true })
  sessionId?: string;

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.onVisibility);
    // Re-opened after a move in the DOM: follow the session again.
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.follow(undefined);
  }

  protected override willUpdate(): void {
    const client = this.client;
    this.sessions.use(client?.$sessions);
    this.messages.use(client?.$messages);
    this.selection.use(client?.$selectedSessionId);
    this.me.use(client?.$agentMe);
    this.channels.use(client?.$channels);
    this.connection.use(client?.$connection);
    this.typingStore.use(client?.$typing);
    const id = this.shownId();
    if (id !== this.lastShownId) {
      // Another chat: an error about the previous one no longer applies.
      this.lastShownId = id;
      this.endError = '';
    }
    if (this.isConnected) this.follow(id);
    this.endHadFocus = this.endButton !== null && this.endButton !== undefined && this.shadowRoot?.activeElement === this.endButton;
    this.setCustomState('empty', id === undefined);
    this.setCustomState('readonly', id !== undefined && this.readonlyReason() !== '');
  }

  protected override updated(): void {
    // The End button goes away once the chat has ended: keep focus in the header, not on <body>.
    if (this.endHadFocus && !this.endButton) this.heading?.focus();
    this.endHadFocus = false;
    this.markReadIfSeen();
  }

  /** The shown session: the `session-id` attribute, else the client's selection. */
  private shownId(): string | undefined {
    return this.sessionId ?? this.selection.value;
  }

  private session(): SessionSummary | undefined {
    const id = this.shownId();
    return id === undefined ? undefined : this.sessions.value?.[id];
  }

  /** Opens `id` on the client and closes what this element opened before. */
  private follow(id: string | undefined): void {
    const client = this.client;
    const prev = this.opened;
    if (prev?.client === client && prev?.sessionId === id) return;
    if (prev) prev.client.closeSession(prev.sessionId);
    this.opened = undefined;
    if (!client || id === undefined) return;
    client.openSession(id, modeFor(client.$sessions.get()[id], client.$agentMe.get()));
    this.opened = { client, sessionId: id };
  }

  private isMine(session: SessionSummary | undefined): boolean {
    const me = this.me.value;
    return session !== undefined && me !== undefined && session.agentId === me.id;
  }

  /** Marks the shown chat read when the agent can see it and new messages came in. */
  private markReadIfSeen(): void {
    const client = this.client;
    const id = this.shownId();
    if (!client || id === undefined || !this.isConnected || document.visibilityState !== 'visible') return;
    if (!this.isMine(this.session())) return;
    if (typeof this.checkVisibility === 'function' && !this.checkVisibility()) return;
    if (this.messages.value?.[id]?.ready !== true) return;
    client.markRead(id);
  }

  /** Why the agent cannot write in the shown chat, or '' when they can. */
  private readonlyReason(): string {
    const session = this.session();
    if (!session) return this.client ? msg('You cannot write in this chat.', { id: 'chat-conversation.readonly.unknown' }) : '';
    switch (session.status) {
      case 'queued':
        return msg('This chat is waiting in the queue. Take it from the queue to answer.', { id: 'chat-conversation.readonly.queued' });
      case 'ended':
        return msg('This chat has ended.', { id: 'chat-conversation.readonly.ended' });
      case 'missed':
        return msg('The customer left before anyone answered.', { id: 'chat-conversation.readonly.missed' });
      default:
        break;
    }
    if (!this.isMine(session)) {
      const agent = session.agentName ?? msg('Another agent', { id: 'chat-conversation.another-agent' });
      return msg(str`${agent} handles this chat. You can read along.`, { id: 'chat-conversation.readonly.other-agent' });
    }
    return '';
  }

  private statusText(status: SessionStatus): string {
    switch (status) {
      case 'queued':
        return msg('In queue', { id: 'chat-conversation.status.queued' });
      case 'active':
        return msg('Active', { id: 'chat-conversation.status.active' });
      case 'ended':
        return msg('Ended', { id: 'chat-conversation.status.ended' });
      case 'missed':
        return msg('Missed', { id: 'chat-conversation.status.missed' });
    }
  }

  /** Name of the customer: from the board, else from the transcript. */
  private customer(): string {
    const session = this.session();
    if (session) return customerName(session.customer);
    const id = this.shownId();
    const fromTranscript = id === undefined ? undefined : this.messages.value?.[id]?.items.find((m) => m.author.kind === 'customer')?.author;
    return customerName(fromTranscript);
  }

  private onEndClick(): void {
    if (this.ending || !this.dialog) return;
    this.endError = '';
    this.dialog.returnValue = '';
    this.dialog.showModal();
  }

  private onDialogClose(): void {
    if (this.dialog?.returnValue !== 'confirm') {
      this.endButton?.focus();
      return;
    }
    void this.endChat();
  }

  private onCancelClick(): void {
    this.dialog?.close('cancel');
  }

  private onConfirmClick(): void {
    this.dialog?.close('confirm');
  }

  private async endChat(): Promise<void> {
    const client = this.client;
    const id = this.shownId();
    if (this.dialog) this.dialog.returnValue = '';
    if (!client || id === undefined) return;
    this.ending = true;
    this.endButton?.focus();
    try {
      await client.end(id);
      this.dispatchEvent(new ChatSessionEndEvent({ sessionId: id }));
    } catch (error) {
      const code = error instanceof ChatError ? error.code : 'internal';
      const text =
        code === 'offline' || code === 'timeout'
          ? msg('The chat could not be ended: the server could not be reached. Try again.', { id: 'chat-conversation.end-error.offline' })
          : msg('The chat could not be ended. Try again.', { id: 'chat-conversation.end-error.other' });
      this.endError = text;
      announce(text, { assertive: true });
      this.dispatchEvent(new ChatErrorEvent({ code, message: text, recoverable: true }));
    } finally {
      this.ending = false;
    }
  }

  /** Moves keyboard focus to the composer's text area. */
  focusComposer(): void {
    this.renderRoot.querySelector('chat-composer')?.focus();
  }

  /** Moves keyboard focus to the transcript. */
  focusMessages(): void {
    this.renderRoot.querySelector('chat-message-list')?.focusMessages();
  }

  private renderTyping(id: string) {
    const t = this.typingStore.value?.[id];
    if (t?.who.kind !== 'customer') return html`<p class="typing" part="typing"></p>`;
    const name = t.who.name.trim() !== '' ? t.who.name : this.customer();
    return html`<p class="typing" part="typing">
      <span class="dots" aria-hidden="true"><span></span><span></span><span></span></span>${msg(str`${name} is typing…`, { id: 'chat-conversation.typing' })}
    </p>`;
  }

  override render() {
    const id = this.shownId();
    if (id === undefined) {
      return html`<div class="base" part="base">
        <div class="empty" part="empty">
          <slot name="empty">${chatIcon}<p>${msg('Select a chat on the left or get the next one from the queue.', { id: 'chat-conversation.empty' })}</p></slot>
        </div>
      </div>`;
    }
    const session = this.session();
    const name = this.customer();
    const channel = session ? this.channels.value?.find((c) => c.id === session.channelId)?.name : undefined;
    const canEnd = session?.status === 'active' && this.isMine(session);
    const readonly = this.readonlyReason();
    const live = this.connection.value?.status === 'live';
    const offline = readonly === '' && !live ? msg('Not connected. You can send when the connection is back.', { id: 'chat-conversation.offline' }) : '';
    return html`<div class="base" part="base">
      <div class="header" part="header">
        <div class="title">
          <h2 class="name" part="title" tabindex="-1">${name}</h2>
          <div class="facts">
            ${channel !== undefined ? html`<span part="channel">${channel}</span>` : nothing}
            ${session ? html`<span class="status status--${session.status}" part="status">${this.statusText(session.status)}</span>` : nothing}
          </div>
        </div>
        ${canEnd
          ? html`<button class="btn btn--danger end" part="end-button" type="button" aria-haspopup="dialog" aria-disabled=${this.ending ? 'true' : 'false'} @click=${this.onEndClick}>
              ${this.ending ? msg('Ending…', { id: 'chat-conversation.ending' }) : msg('End chat', { id: 'chat-conversation.end' })}
            </button>`
          : nothing}
        ${this.endError ? html`<p class="end-error" part="end-error">${this.endError}</p>` : nothing}
      </div>
      <chat-message-list
        part="transcript"
        exportparts="messages, message, message--customer, message--agent, message--note, message--system, message--pending, message--failed, bubble, meta, message-state, retry, cancel, new-messages, load-older, no-messages"
        .client=${this.client}
        .sessionId=${id}
        .label=${msg(str`Messages with ${name}`, { id: 'chat-conversation.messages-label' })}
      ></chat-message-list>
      ${this.renderTyping(id)}
      <chat-composer
        part="composer"
        exportparts="input, send, counter, reason, hint, error: composer-error"
        .client=${this.client}
        .sessionId=${id}
        .label=${msg(str`Message to ${name}`, { id: 'chat-conversation.input-label' })}
        .disabledReason=${readonly}
        .sendBlockedReason=${offline}
      ></chat-composer>
      <dialog part="dialog" aria-labelledby="end-title" aria-describedby="end-text" @close=${this.onDialogClose}>
        <h2 id="end-title" class="dialog-title">${msg(str`End the chat with ${name}?`, { id: 'chat-conversation.dialog.title' })}</h2>
        <p id="end-text" class="dialog-text">
          ${msg('The customer is told that the chat has ended. Nobody can write in it afterwards.', { id: 'chat-conversation.dialog.text' })}
        </p>
        <div class="actions">
          <button class="btn" part="dialog-cancel" type="button" @click=${this.onCancelClick}>${msg('Cancel', { id: 'chat-conversation.dialog.cancel' })}</button>
          <button class="btn btn--danger-solid" part="dialog-confirm" type="button" @click=${this.onConfirmClick}>
            ${msg('End chat', { id: 'chat-conversation.dialog.confirm' })}
          </button>
        </div>
      </dialog>
    </div>`;
  }
}
