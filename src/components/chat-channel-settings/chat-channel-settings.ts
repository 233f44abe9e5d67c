import { ChatChannelSettings } from './chat-channel-settings.component.js';

export * from './chat-channel-settings.component.js';

ChatChannelSettings.define('chat-channel-settings');

declare global {
  interface HTMLElementTagNameMap {
    'chat-channel-settings': ChatChannelSettings;
  }
}
