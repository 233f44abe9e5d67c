export interface ChatSessionStartDetail {
  /** Id of the chat session the customer just started. */
  sessionId: string;
}

/** Notification: the customer started a chat (the server created the session). Bubbles and crosses shadow roots. */
export class ChatSessionStartEvent extends Event {
  readonly detail: ChatSessionStartDetail;
  constructor(detail: ChatSessionStartDetail) {
    super('chat-session-start', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'chat-session-start': ChatSessionStartEvent;
  }
}
