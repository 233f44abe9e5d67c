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
export class ChatContactLinkEvent extends Event {
  readonly detail: ChatContactLinkDetail;
  constructor(detail: ChatContactLinkDetail) {
    super('chat-contact-link', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'chat-contact-link': ChatContactLinkEvent;
  }
}
