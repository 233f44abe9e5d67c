import type { ChatChannelSettingsSavedEvent } from './chat-channel-settings-saved-event.js';
import type { ChatContactLinkEvent } from './chat-contact-link-event.js';
import type { ChatContactOpenEvent } from './chat-contact-open-event.js';
import type { ChatErrorEvent } from './chat-error-event.js';
import type { ChatMessageActionEvent } from './chat-message-action-event.js';
import type { ChatMessageSendEvent } from './chat-message-send-event.js';
import type { ChatRequestCreateEvent } from './chat-request-create-event.js';
import type { ChatRequestOpenEvent } from './chat-request-open-event.js';
import type { ChatSessionAnswerEvent } from './chat-session-answer-event.js';
import type { ChatSessionCloseEvent } from './chat-session-close-event.js';
import type { ChatSessionEndEvent } from './chat-session-end-event.js';
import type { ChatSessionSelectEvent } from './chat-session-select-event.js';
import type { ChatSessionStartEvent } from './chat-session-start-event.js';

export * from './chat-event.js';
export * from './chat-error-event.js';
export * from './chat-session-select-event.js';
export * from './chat-message-send-event.js';
export * from './chat-session-end-event.js';
export * from './chat-session-answer-event.js';
export * from './chat-session-start-event.js';
export * from './chat-contact-link-event.js';
export * from './chat-contact-open-event.js';
export * from './chat-session-close-event.js';
export * from './chat-message-action-event.js';
export * from './chat-request-create-event.js';
export * from './chat-request-open-event.js';
export * from './chat-channel-settings-saved-event.js';

declare global {
  interface GlobalEventHandlersEventMap {
    'chat-channel-settings-saved': ChatChannelSettingsSavedEvent;
    'chat-contact-link': ChatContactLinkEvent;
    'chat-contact-open': ChatContactOpenEvent;
    'chat-error': ChatErrorEvent;
    'chat-message-action': ChatMessageActionEvent;
    'chat-message-send': ChatMessageSendEvent;
    'chat-request-create': ChatRequestCreateEvent;
    'chat-request-open': ChatRequestOpenEvent;
    'chat-session-answer': ChatSessionAnswerEvent;
    'chat-session-close': ChatSessionCloseEvent;
    'chat-session-end': ChatSessionEndEvent;
    'chat-session-select': ChatSessionSelectEvent;
    'chat-session-start': ChatSessionStartEvent;
  }
}
