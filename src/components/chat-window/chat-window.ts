import { ChatWindow } from './chat-window.component.js';

export * from './chat-window.component.js';

ChatWindow.define('chat-window');

declare global {
  interface HTMLElementTagNameMap {
    'chat-window': ChatWindow;
  }
}
