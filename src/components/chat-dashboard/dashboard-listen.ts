/**
 * Listening in from the dashboard: the panel with a read-only chat-conversation (loaded on
 * demand) beside the lists. Listening starts from an ongoing chat's Listen button (or a double
 * click on its row), stops with "Stop listening", the conversation's Close, or by itself when the
 * permission goes (the server has dropped the stream; then the dashboard says why). Focus moves
 * into the panel when it opens and back to the Listen button when it closes.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { html, nothing } from 'lit';

import { customerName } from '../../i18n/common.js';
import { msg, str } from '../../i18n/localization.js';
import { announce } from '../../internal/announcer.js';
import { loadConversationElements } from '../../internal/lazy-elements.js';
import { ScrollportHeight } from '../../internal/scrollport-height.js';
import { StoreController } from '../../internal/store-controller.js';
import type { AgentMe, SessionSummary } from '../../protocol/index.js';
import type { AgentViews } from '../../state/agent-views.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import type { ChatConversation } from '../chat-conversation/chat-conversation.component.js';

export interface ListenPanelHost extends ReactiveControllerHost, HTMLElement {
  readonly client?: ChatClient | undefined;
  me(): AgentMe | undefined;
}

export class ListenPanel implements ReactiveController {
  /** The chat listened to, while the panel is open (`agentViews(client).sessionState(id)`). */
  private readonly listened: StoreController<SessionSummary | undefined>;
  /** The session listened to in the panel. */
  private listening: string | undefined;
  /** Why listening stopped on its own ('' when it did not). */
  private endedText = '';
  /** Move focus after the next render: into the panel (its heading or its whisper box), or back to a Listen button. */
  private focusAfter: { kind: 'panel' } | { kind: 'whisper' } | { kind: 'listen-button'; sessionId: string } | undefined;

  constructor(private readonly host: ListenPanelHost & { readonly renderRoot: HTMLElement | DocumentFragment }) {
    host.addController(this);
    this.listened = new StoreController<SessionSummary | undefined>(host);
    // The panel fits the visible part of the box the dashboard scrolls in.
    new ScrollportHeight(host, () => host.renderRoot.querySelector<HTMLElement>('.listen'));
  }

  /** The session listened to, if any. */
  get id(): string | undefined {
    return this.listening;
  }

  /** Why listening stopped on its own ('' when it did not). */
  get ended(): string {
    return this.endedText;
  }

  /** Another client: nothing is listened to. */
  reset(): void {
    this.listening = undefined;
    this.endedText = '';
  }

  /** Whether I may listen to a session: the channel's listen permission, and not my own chat. */
  canListen(session: SessionSummary | undefined): boolean {
    const me = this.host.me();
    if (!session || !me || session.agentId === me.id) return false;
    return me.channels.find((c) => c.id === session.channelId)?.permissions.listen === true;
  }

  /** Before an update: follows the chat listened to; listening stops by itself when the permission goes. */
  follow(views: AgentViews | undefined): void {
    this.listened.use(this.listening === undefined ? undefined : views?.sessionState(this.listening));
    const id = this.listening;
    if (id === undefined || !this.host.client || !this.host.me()) return;
    const session = this.listened.value;
    if (session === undefined || this.canListen(session)) return;
    this.listening = undefined;
    this.endedText = msg('Listening stopped: you may no longer listen in this channel.', { id: 'chat-dashboard.listen.revoked' });
    announce(this.endedText, { assertive: true });
  }

  hostUpdated(): void {
    const focus = this.focusAfter;
    this.focusAfter = undefined;
    const root = this.host.renderRoot;
    if (focus?.kind === 'panel') root.querySelector<HTMLElement>('.listen-heading')?.focus();
    else if (focus?.kind === 'whisper') void this.focusWhisper();
    else if (focus?.kind === 'listen-button') {
      const button = [...root.querySelectorAll<HTMLElement>('[part~="listen-button"]')].find((b) => b.dataset.id === focus.sessionId);
      (button ?? root.querySelector<HTMLElement>('#ongoing-heading'))?.focus();
    }
  }

  /**
   * Listens to a chat (from "Help requested"): opens the panel, or keeps it on this chat when it
   * shows it already; `whisper` puts focus in its whisper box instead of on its heading.
   */
  open(session: SessionSummary, focus: 'panel' | 'whisper'): void {
    if (this.listening !== session.id) {
      if (!this.canListen(session)) return;
      void loadConversationElements();
      this.listening = session.id;
      this.endedText = '';
      announce(msg(str`Listening to the chat with ${customerName(session.customer)}.`, { id: 'chat-dashboard.listen.started' }));
    }
    this.focusAfter = focus === 'whisper' ? { kind: 'whisper' } : { kind: 'panel' };
    this.host.requestUpdate();
  }

  /** Focus in the panel's whisper box, once the conversation element is defined and has rendered it. */
  private async focusWhisper(): Promise<void> {
    await customElements.whenDefined('chat-conversation');
    const conversation = this.host.renderRoot.querySelector<ChatConversation>('.listen chat-conversation');
    if (!conversation) return;
    // Its whisper box shows once it knows the chat (from the board, so within a few renders).
    for (let frame = 0; frame < 30 && !conversation.renderRoot.querySelector('chat-composer'); frame += 1) {
      await conversation.updateComplete;
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    conversation.focusComposer();
  }

  toggle(session: SessionSummary): void {
    if (this.listening === session.id) {
      this.stop();
      return;
    }
    if (!this.canListen(session)) return;
    void loadConversationElements();
    this.listening = session.id;
    this.endedText = '';
    this.focusAfter = { kind: 'panel' };
    this.host.requestUpdate();
    announce(msg(str`Listening to the chat with ${customerName(session.customer)}.`, { id: 'chat-dashboard.listen.started' }));
  }

  private readonly stop = (): void => {
    const id = this.listening;
    if (id === undefined) return;
    this.listening = undefined;
    this.focusAfter = { kind: 'listen-button', sessionId: id };
    this.host.requestUpdate();
    announce(msg('Stopped listening.', { id: 'chat-dashboard.listen.stopped' }));
  };

  /** "Close" inside the listen view stops listening (and leaves the console's selection alone). */
  private readonly onListenClose = (e: Event): void => {
    e.preventDefault();
    this.stop();
  };

  /** A double click on an ongoing chat's row listens to it. */
  onRowDblclick(e: MouseEvent, session: SessionSummary): void {
    if ((e.target as Element).closest('button')) return;
    if (this.canListen(session) && this.listening !== session.id) this.toggle(session);
  }

  render() {
    const id = this.listening;
    if (id === undefined) return nothing;
    const name = customerName(this.listened.value?.customer);
    return html`<aside part="listen" class="listen" aria-labelledby="listen-heading">
      <div class="listen-head">
        <h2 part="listen-heading" class="listen-heading" id="listen-heading" tabindex="-1">
          ${msg(str`Listening to ${name}`, { id: 'chat-dashboard.listen.heading' })}
        </h2>
        <button part="listen-stop" class="btn" type="button" @click=${this.stop}>${msg('Stop listening', { id: 'chat-dashboard.listen.stop' })}</button>
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
        .client=${this.host.client}
        @chat-session-close=${this.onListenClose}
      ></chat-conversation>
    </aside>`;
  }
}
