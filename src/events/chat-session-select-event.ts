export interface ChatSessionSelectDetail {
  /** The session the user picked. */
  sessionId: string;
}

/**
 * Intent: the user picked a session in a list (click or arrow keys). Cancelable: call
 * `preventDefault()` to keep the current selection. Bubbles and crosses shadow roots.
 */
export class ChatSessionSelectEvent extends Event {
  readonly detail: ChatSessionSelectDetail;
  constructor(detail: ChatSessionSelectDetail) {
    super('chat-session-select', { bubbles: true, composed: true, cancelable: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'chat-session-select': ChatSessionSelectEvent;
  }
}
