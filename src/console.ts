/**
 * The agent console's CDN entry (`dist/cdn/chat.js`): registers `<chat-window>` and every element
 * it shows (dashboard, session list, conversation, composer, message list, connection status),
 * and exports what a host page needs to wire it up.
 *
 * Kept lean on purpose: the contact panel's code loads when a `crmProvider` is first used, and
 * the customer widget has its own bundle (`dist/cdn/chat-visitor.js`). `define.ts` (npm) still
 * registers everything for hosts that bundle themselves.
 */
import './components/chat-window/chat-window.js';

export { ChatError, createChatClient } from './state/index.js';
export type { ChatClient, ChatClientOptions } from './state/index.js';
export { CHAT_LOCALES, getChatLocale, setChatLocale } from './i18n/localization.js';
export { createRestCrmProvider } from './crm/rest-provider.js';
export { clearContactPanelStorage } from './components/chat-contact-panel/contact-lists.js';

/** Registers `<chat-contact-panel>` for use outside `<chat-window>` (loads its code). */
export async function defineContactPanel(): Promise<void> {
  await import('./components/chat-contact-panel/chat-contact-panel.js');
}

/** Registers `<chat-channel-settings>` (a channel's settings for its managers; loads its code). */
export async function defineChannelSettings(): Promise<void> {
  await import('./components/chat-channel-settings/chat-channel-settings.js');
}
