import { ChatEvent } from './chat-event.js';

export interface ChatContactOpenDetail {
  /** The CRM contact the agent wants to see in the CRM. */
  contactId: string;
}

/**
 * Intent: the agent asked to open a contact in the CRM ("Open in CRM" in the contact panel). The
 * panel does not navigate by itself: the host listens, calls `preventDefault()` and shows its own
 * contact page. Cancelable; bubbles and crosses shadow roots.
 */
export class ChatContactOpenEvent extends ChatEvent<ChatContactOpenDetail> {
  constructor(detail: ChatContactOpenDetail) {
    super('chat-contact-open', detail, true);
  }
}
