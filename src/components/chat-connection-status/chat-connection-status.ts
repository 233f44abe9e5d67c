import { ChatConnectionStatus } from './chat-connection-status.component.js';

export * from './chat-connection-status.component.js';

ChatConnectionStatus.define('chat-connection-status');

declare global {
  interface HTMLElementTagNameMap {
    'chat-connection-status': ChatConnectionStatus;
  }
}
