import { ChatMessageList } from './chat-message-list.component.js';

export * from './chat-message-list.component.js';

ChatMessageList.define('chat-message-list');

declare global {
  interface HTMLElementTagNameMap {
    'chat-message-list': ChatMessageList;
  }
}
