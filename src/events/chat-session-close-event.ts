import { ChatEvent } from './chat-event.js';

export interface ChatSessionCloseDetail {
  /** The session whose view the user closes. */
  sessionId: string;
}

/**
 * Intent: the user closes a read-only view of a chat (after transferring it, listening in, or a
 * chat that has ended). Cancelable: call `preventDefault()` to keep it open; otherwise the
 * conversation clears the client's selection when it was showing the selected chat. Bubbles and
 * crosses shadow roots.
 */
export class ChatSessionCloseEvent extends ChatEvent<ChatSessionCloseDetail> {
  constructor(detail: ChatSessionCloseDetail) {
    super('chat-session-close', detail, true);
  }
}
