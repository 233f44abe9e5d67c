import { ChatEvent } from './chat-event.js';

export interface ChatMessageActionDetail {
  /** What the agent chose in the message's menu. `save-quick-reply`: keep the text as a personal quick reply. */
  action: 'save-quick-reply';
  sessionId: string;
  messageId: string;
  /** The message's text. */
  text: string;
}

/**
 * Intent: the agent chose an action in a message's menu in the transcript ("Save as quick reply").
 * Inside chat-conversation, the quick-reply form opens with the text; `preventDefault()` stops
 * that (for a host that keeps replies elsewhere). Cancelable; bubbles and crosses shadow roots.
 */
export class ChatMessageActionEvent extends ChatEvent<ChatMessageActionDetail> {
  constructor(detail: ChatMessageActionDetail) {
    super('chat-message-action', detail, true);
  }
}
