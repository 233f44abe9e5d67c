import { ChatVisitor } from './chat-visitor.component.js';

export * from './chat-visitor.component.js';
export * from '../../events/chat-error-event.js';
export * from '../../events/chat-session-start-event.js';
export * from '../../events/chat-session-end-event.js';
/** Switches every chat element on the page to a language (`en`, `sv`); the customer widget's bundle exports it for hosts. */
export { setChatLocale } from '../../i18n/localization.js';

ChatVisitor.define('chat-visitor');

declare global {
  interface HTMLElementTagNameMap {
    'chat-visitor': ChatVisitor;
  }
}
