export interface ChatMessageSendDetail {
  /** The session the message goes to. */
  sessionId: string;
  /** The text as typed. */
  text: string;
  /** `note` for an internal note (agents only; never shown to the customer); a reply otherwise. */
  kind?: 'text' | 'note';
}

/**
 * Intent: the user sends a message (Enter or the Send button). Cancelable: call
 * `preventDefault()` to stop it; the text stays in the composer. Bubbles and crosses shadow roots.
 */
export class ChatMessageSendEvent extends Event {
  readonly detail: ChatMessageSendDetail;
  constructor(detail: ChatMessageSendDetail) {
    super('chat-message-send', { bubbles: true, composed: true, cancelable: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'chat-message-send': ChatMessageSendEvent;
  }
}
