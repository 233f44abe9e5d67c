import { ChatEvent } from './chat-event.js';

export interface ChatMessageSendDetail {
  /** The session the message goes to. */
  sessionId: string;
  /** The text as typed. */
  text: string;
  /** `note`: an internal note (agents only); `whisper`: a supervisor's note to the handling agent; a reply otherwise. */
  kind?: 'text' | 'note' | 'whisper';
}

/**
 * Intent: the user sends a message (Enter or the Send button). Cancelable: call
 * `preventDefault()` to stop it; the text stays in the composer. Bubbles and crosses shadow roots.
 */
export class ChatMessageSendEvent extends ChatEvent<ChatMessageSendDetail> {
  constructor(detail: ChatMessageSendDetail) {
    super('chat-message-send', detail, true);
  }
}
