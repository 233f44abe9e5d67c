import { ChatEvent } from './chat-event.js';

export interface ChatSessionSelectDetail {
  /** The session the user picked. */
  sessionId: string;
}

/**
 * Intent: the user picked a session in a list (click or arrow keys). Cancelable: call
 * `preventDefault()` to keep the current selection. Bubbles and crosses shadow roots.
 */
export class ChatSessionSelectEvent extends ChatEvent<ChatSessionSelectDetail> {
  constructor(detail: ChatSessionSelectDetail) {
    super('chat-session-select', detail, true);
  }
}
