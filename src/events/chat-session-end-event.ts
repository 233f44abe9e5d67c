import { ChatEvent } from './chat-event.js';

export interface ChatSessionEndDetail {
  /** Id of the chat session that ended (by the agent, the customer or the server). */
  sessionId: string;
}

/** Notification: a chat session ended. Bubbles and crosses shadow roots. */
export class ChatSessionEndEvent extends ChatEvent<ChatSessionEndDetail> {
  constructor(detail: ChatSessionEndDetail) {
    super('chat-session-end', detail, false);
  }
}
