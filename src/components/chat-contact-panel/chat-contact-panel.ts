import { ChatContactPanel } from './chat-contact-panel.component.js';

export * from './chat-contact-panel.component.js';

ChatContactPanel.define('chat-contact-panel');

declare global {
  interface HTMLElementTagNameMap {
    'chat-contact-panel': ChatContactPanel;
  }
}
