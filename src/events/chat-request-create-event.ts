import { ChatEvent } from './chat-event.js';

export interface ChatRequestCreateDetail {
  sessionId: string;
  /** The CRM request's id. */
  requestId: string;
  /** Its human-readable number, e.g. `1042`. */
  number: string;
  /** The contact it was filed on, if the chat was linked to one. */
  contactId?: string | undefined;
}

/**
 * Notification: the agent created a CRM request from the chat ("Create request" in the
 * conversation header); the composer now holds a message with its number for the agent to send.
 * Bubbles and crosses shadow roots.
 */
export class ChatRequestCreateEvent extends ChatEvent<ChatRequestCreateDetail> {
  constructor(detail: ChatRequestCreateDetail) {
    super('chat-request-create', detail, false);
  }
}
