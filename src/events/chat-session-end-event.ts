export interface ChatSessionEndDetail {
  /** Id of the chat session that ended (by the agent, the customer or the server). */
  sessionId: string;
}

/** Notification: a chat session ended. Bubbles and crosses shadow roots. */
export class ChatSessionEndEvent extends Event {
  readonly detail: ChatSessionEndDetail;
  constructor(detail: ChatSessionEndDetail) {
    super('chat-session-end', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'chat-session-end': ChatSessionEndEvent;
  }
}
