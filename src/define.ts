/**
 * Side-effect entry: registers every custom element of the library under its default tag.
 * Also re-exports everything of the main entry, so the CDN bundle is one file.
 */
import './components/chat-channel-settings/chat-channel-settings.js';
import './components/chat-composer/chat-composer.js';
import './components/chat-contact-panel/chat-contact-panel.js';
import './components/chat-connection-status/chat-connection-status.js';
import './components/chat-conversation/chat-conversation.js';
import './components/chat-dashboard/chat-dashboard.js';
import './components/chat-message-list/chat-message-list.js';
import './components/chat-session-list/chat-session-list.js';
import './components/chat-visitor/chat-visitor.js';
import './components/chat-window/chat-window.js';

export * from './index.js';
