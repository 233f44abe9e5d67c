import { ChatEvent } from './chat-event.js';

export interface ChatContactLinkDetail {
  /** The chat that was linked. */
  sessionId: string;
  /** The CRM contact it is linked to now. */
  contactId: string;
}

/**
 * Notification: the agent linked a chat to a CRM contact (an existing one, or one they just
 * created) in the contact panel, and the CRM accepted the link. Bubbles and crosses shadow roots.
 */
export class ChatContactLinkEvent extends ChatEvent<ChatContactLinkDetail> {
  constructor(detail: ChatContactLinkDetail) {
    super('chat-contact-link', detail, false);
  }
}
