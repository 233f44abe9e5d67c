import { ChatEvent } from './chat-event.js';

export interface ChatRequestOpenDetail {
  /** The CRM request the agent wants to see in the CRM. */
  requestId: string;
  number: string;
  sessionId: string;
}

/**
 * Intent: the agent asked to open a request linked to the chat (its number in the conversation
 * header). The conversation does not navigate by itself: the host listens, calls
 * `preventDefault()` and shows its own request page. Cancelable; bubbles and crosses shadow roots.
 */
export class ChatRequestOpenEvent extends ChatEvent<ChatRequestOpenDetail> {
  constructor(detail: ChatRequestOpenDetail) {
    super('chat-request-open', detail, true);
  }
}
