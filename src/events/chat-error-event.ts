import { ChatEvent } from './chat-event.js';

export interface ChatErrorDetail {
  /** Protocol error code (`forbidden`, `at_capacity`, …) or `offline` / `timeout`. */
  code: string;
  /** Human-readable, already localized where the element shows it. */
  message: string;
  /** True when trying again later may succeed. */
  recoverable: boolean;
}

/** Notification: something the user asked for failed. Bubbles and crosses shadow roots. */
export class ChatErrorEvent extends ChatEvent<ChatErrorDetail> {
  constructor(detail: ChatErrorDetail) {
    super('chat-error', detail, false);
  }
}
