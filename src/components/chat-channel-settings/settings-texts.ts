/** Labels of chat-channel-settings that name a setting (ids start with `chat-channel-settings.`). */
import { msg } from '../../i18n/localization.js';

import type { CustomerTextKey, FieldMode } from '../../protocol/channel-settings.js';
import type { AssignMode } from '../../protocol/routing.js';

/** How a channel assigns its chats (issue 18). */
export function assignModeLabel(mode: AssignMode): string {
  switch (mode) {
    case 'off':
      return msg('Off: agents take chats themselves', { id: 'chat-channel-settings.assign.off' });
    case 'round-robin':
      return msg('Round robin', { id: 'chat-channel-settings.assign.round-robin' });
    case 'least-busy':
      return msg('Least busy agent', { id: 'chat-channel-settings.assign.least-busy' });
  }
}

export function textLabel(key: CustomerTextKey): string {
  switch (key) {
    case 'name':
      return msg('Channel name', { id: 'chat-channel-settings.text.name' });
    case 'description':
      return msg('Description', { id: 'chat-channel-settings.text.description' });
    case 'badge':
      return msg('Launcher badge', { id: 'chat-channel-settings.text.badge' });
    case 'welcome':
      return msg('Welcome message', { id: 'chat-channel-settings.text.welcome' });
    case 'header':
      return msg('Widget header', { id: 'chat-channel-settings.text.header' });
    case 'message':
      return msg('Widget message', { id: 'chat-channel-settings.text.message' });
    case 'queueMessage':
      return msg('Queue message ({position}, {wait})', { id: 'chat-channel-settings.text.queue' });
    case 'offlineHeader':
      return msg('Offline form header', { id: 'chat-channel-settings.text.offline-header' });
    case 'offlineMessage':
      return msg('Offline form message', { id: 'chat-channel-settings.text.offline-message' });
    case 'postChatHeader':
      return msg('After-chat header', { id: 'chat-channel-settings.text.post-header' });
    case 'postChatMessage':
      return msg('After-chat message', { id: 'chat-channel-settings.text.post-message' });
    case 'consent':
      return msg('Consent text', { id: 'chat-channel-settings.text.consent' });
    case 'botName':
      return msg('Bot name', { id: 'chat-channel-settings.text.bot-name' });
  }
}

export function modeLabel(mode: FieldMode): string {
  switch (mode) {
    case 'hidden':
      return msg('Not asked', { id: 'chat-channel-settings.mode.hidden' });
    case 'optional':
      return msg('Optional', { id: 'chat-channel-settings.mode.optional' });
    case 'required':
      return msg('Required', { id: 'chat-channel-settings.mode.required' });
  }
}

export type FormField = 'name' | 'email' | 'phone' | 'company';

export function fieldLabel(field: FormField): string {
  switch (field) {
    case 'name':
      return msg('Name', { id: 'chat-channel-settings.field.name' });
    case 'email':
      return msg('E-mail', { id: 'chat-channel-settings.field.email' });
    case 'phone':
      return msg('Phone', { id: 'chat-channel-settings.field.phone' });
    case 'company':
      return msg('Company', { id: 'chat-channel-settings.field.company' });
  }
}

export function themeLabel(theme: 'light' | 'dark' | 'auto'): string {
  switch (theme) {
    case 'light':
      return msg('Light', { id: 'chat-channel-settings.theme.light' });
    case 'dark':
      return msg('Dark', { id: 'chat-channel-settings.theme.dark' });
    case 'auto':
      return msg('As the visitor’s device', { id: 'chat-channel-settings.theme.auto' });
  }
}

export function fontLabel(font: 'system' | 'sans' | 'serif' | 'rounded' | 'mono'): string {
  switch (font) {
    case 'system':
      return msg('System', { id: 'chat-channel-settings.font.system' });
    case 'sans':
      return msg('Sans-serif', { id: 'chat-channel-settings.font.sans' });
    case 'serif':
      return msg('Serif', { id: 'chat-channel-settings.font.serif' });
    case 'rounded':
      return msg('Rounded', { id: 'chat-channel-settings.font.rounded' });
    case 'mono':
      return msg('Monospace', { id: 'chat-channel-settings.font.mono' });
  }
}
