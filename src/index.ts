/**
 * crm-chat-elements: classes, types and the client factory. Importing this module registers no
 * custom elements; import `crm-chat-elements/define.js` (or one component's module) for that.
 */
export * from './protocol/index.js';
// Channel settings (the customer's journey): apart from the protocol barrel, so that the customer
// widget's chat core does not carry their schemas.
export * from './protocol/channel-settings.js';
export * from './state/index.js';
export * from './events/index.js';
export * from './crm/index.js';
export { CHAT_LOCALES, type ChatLocale, getChatLocale, setChatLocale } from './i18n/localization.js';

export { ChatChannelSettings } from './components/chat-channel-settings/chat-channel-settings.component.js';
export { ChatComposer } from './components/chat-composer/chat-composer.component.js';
export { ChatContactPanel, clearContactPanelStorage } from './components/chat-contact-panel/chat-contact-panel.component.js';
export { ChatConnectionStatus } from './components/chat-connection-status/chat-connection-status.component.js';
export { ChatConversation } from './components/chat-conversation/chat-conversation.component.js';
export { ChatDashboard } from './components/chat-dashboard/chat-dashboard.component.js';
export { ChatMessageList } from './components/chat-message-list/chat-message-list.component.js';
export { ChatSessionList } from './components/chat-session-list/chat-session-list.component.js';
export { ChatVisitor } from './components/chat-visitor/chat-visitor.component.js';
export { ChatWindow, type ChatWindowTab } from './components/chat-window/chat-window.component.js';
