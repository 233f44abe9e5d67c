import { ChatSessionList } from './chat-session-list.component.js';

export * from './chat-session-list.component.js';

ChatSessionList.define('chat-session-list');

declare global {
  interface HTMLElementTagNameMap {
    'chat-session-list': ChatSessionList;
  }
}
