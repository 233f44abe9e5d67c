import { ChatEvent } from './chat-event.js';

export interface ChatSessionAnswerDetail {
  /** The waiting chat the agent wants to answer. */
  sessionId: string;
}

/**
 * Intent: the agent asked to answer a waiting chat (Answer button, Enter or double-click on a row
 * of the dashboard). Cancelable: call `preventDefault()` and the chat is not answered.
 * Bubbles and crosses shadow roots.
 */
export class ChatSessionAnswerEvent extends ChatEvent<ChatSessionAnswerDetail> {
  constructor(detail: ChatSessionAnswerDetail) {
    super('chat-session-answer', detail, true);
  }
}
