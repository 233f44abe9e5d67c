import { ChatEvent } from './chat-event.js';

export interface ChatSessionStartDetail {
  /** Id of the chat session the customer just started. */
  sessionId: string;
}

/** Notification: the customer started a chat (the server created the session). Bubbles and crosses shadow roots. */
export class ChatSessionStartEvent extends ChatEvent<ChatSessionStartDetail> {
  constructor(detail: ChatSessionStartDetail) {
    super('chat-session-start', detail, false);
  }
}
