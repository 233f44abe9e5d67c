import { ChatDashboard } from './chat-dashboard.component.js';

export * from './chat-dashboard.component.js';

ChatDashboard.define('chat-dashboard');

declare global {
  interface HTMLElementTagNameMap {
    'chat-dashboard': ChatDashboard;
  }
}
