import { ChatConversation } from './chat-conversation.component.js';

export * from './chat-conversation.component.js';

ChatConversation.define('chat-conversation');

declare global {
  interface HTMLElementTagNameMap {
    'chat-conversation': ChatConversation;
  }
}
