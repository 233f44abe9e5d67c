/**
 * What the window's own controls ask of the elements inside it: the Alt+Shift shortcuts (a tab,
 * the next or previous chat, the composer, Get next in queue, Insert / End chat / Transfer), a
 * clicked desktop notification, an answered warning or accepted offer ("continue in that chat").
 * Each shows the Chats tab when it needs it and hands the request to the session list or the
 * conversation once they have rendered. After a selection moved the window from the Dashboard to
 * Chats, focus follows into the conversation's composer (else the Chats tab), so it is never left
 * in the hidden panel.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

import type { ChatConversation } from '../chat-conversation/chat-conversation.component.js';
import type { ConversationShortcut } from '../chat-conversation/conversation-keys.js';
import type { ChatSessionList } from '../chat-session-list/chat-session-list.component.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import type { WindowCommands } from './keyboard-map.js';
import type { ChatWindowTab, WindowTabs } from './window-tabs.js';

/** What the routing needs from the window. */
export interface WindowRoutingHost extends ReactiveControllerHost, HTMLElement {
  tab: ChatWindowTab;
  readonly client?: ChatClient | undefined;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export class WindowRouting implements ReactiveController, WindowCommands {
  /** Focus was in the Dashboard panel when a selection switched to Chats: move it along. */
  private moveFocus = false;

  constructor(
    private readonly host: WindowRoutingHost,
    private readonly tabs: WindowTabs,
  ) {
    host.addController(this);
  }

  private conversation(): ChatConversation | null {
    return this.host.renderRoot.querySelector<ChatConversation>('chat-conversation');
  }

  private sessionList(): ChatSessionList | null {
    return this.host.renderRoot.querySelector<ChatSessionList>('chat-session-list');
  }

  private focusIn(id: string): boolean {
    const active = this.host.shadowRoot?.activeElement;
    return active != null && active.closest(`#${id}`) !== null;
  }

  /** A selection switched the window to Chats: focus follows when it was in the Dashboard panel. */
  switchedToChats(): void {
    this.moveFocus = this.moveFocus || this.focusIn('panel-dashboard');
  }

  /** Shows a tab and focuses it. */
  showTab(tab: ChatWindowTab): void {
    this.tabs.select(tab, true);
  }

  /** The next (1) or previous (-1) chat of the list. */
  showAdjacentChat(step: 1 | -1): void {
    const list = this.sessionList();
    if (!list) return;
    this.host.tab = 'chats';
    list.selectAdjacent(step);
  }

  /** Shows the open chat and focuses its composer. */
  focusComposer(): void {
    this.host.tab = 'chats';
    void this.host.updateComplete.then(() => this.conversation()?.focusComposer());
  }

  /** "Get next in queue" of the chat list. */
  getNext(): void {
    this.host.tab = 'chats';
    void this.host.updateComplete.then(() => this.sessionList()?.getNext());
  }

  /** Insert, End chat or Transfer in the open chat. */
  conversationShortcut(kind: ConversationShortcut): void {
    this.host.tab = 'chats';
    void this.host.updateComplete.then(() => {
      const conversation = this.conversation();
      if (!conversation) return;
      void conversation.updateComplete.then(() => {
        conversation.runShortcut(kind);
      });
    });
  }

  /** A warning's chat was answered or an offer accepted: select it and continue there. */
  continueInChat(sessionId: string): void {
    this.moveFocus = true;
    this.host.client?.selectSession(sessionId);
  }

  /** Shows a chat (a desktop notification was clicked): select it and continue in the conversation. */
  showChat(sessionId: string): void {
    const client = this.host.client;
    if (!client) return;
    this.moveFocus = true;
    client.selectSession(sessionId);
    this.host.tab = 'chats';
    this.host.requestUpdate();
    this.host.scrollIntoView({ block: 'nearest' });
  }

  hostUpdated(): void {
    if (!this.moveFocus) return;
    this.moveFocus = false;
    // Answered on the dashboard: focus was in the panel that is now hidden. Continue in the
    // composer when it takes focus, else on the Chats tab, so focus is never lost.
    const conversation = this.conversation();
    this.tabs.element('chats')?.focus();
    if (conversation) {
      void customElements
        .whenDefined('chat-conversation')
        .then(() => conversation.updateComplete)
        .then(() => {
          if (this.host.tab === 'chats' && this.host.shadowRoot?.activeElement === this.tabs.element('chats')) conversation.focusComposer();
        });
    }
  }
}
