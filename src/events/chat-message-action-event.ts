import type { ChatMessage } from '../protocol/model.js';
import { ChatEvent } from './chat-event.js';

export interface ChatMessageActionDetail {
  /**
   * What the agent chose in the message's menu. `save-quick-reply`: keep the text as a personal
   * quick reply. `quote`: quote the message in the next reply (or note).
   */
  action: 'save-quick-reply' | 'quote';
  sessionId: string;
  messageId: string;
  /** The message's text. */
  text: string;
  /** The message itself (author, kind, files). */
  message: ChatMessage;
}

/**
 * Intent: the agent chose an action in a message's menu in the transcript ("Save as quick reply",
 * "Quote in reply"). Inside chat-conversation, the quick-reply form opens with the text, or the
 * composer takes the quote; `preventDefault()` stops that (for a host that keeps replies
 * elsewhere). Cancelable; bubbles and crosses shadow roots.
 */
export class ChatMessageActionEvent extends ChatEvent<ChatMessageActionDetail> {
  constructor(detail: ChatMessageActionDetail) {
    super('chat-message-action', detail, true);
  }
}
