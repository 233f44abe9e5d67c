export interface ChatSessionAnswerDetail {
  /** The waiting chat the agent wants to answer. */
  sessionId: string;
}

/**
 * Intent: the agent asked to answer a waiting chat (Answer button, Enter or double-click on a row
 * of the dashboard). Cancelable: call `preventDefault()` and the chat is not answered.
 * Bubbles and crosses shadow roots.
 */
export class ChatSessionAnswerEvent extends Event {
  readonly detail: ChatSessionAnswerDetail;
  constructor(detail: ChatSessionAnswerDetail) {
    super('chat-session-answer', { bubbles: true, composed: true, cancelable: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'chat-session-answer': ChatSessionAnswerEvent;
  }
}
