/**
 * The quote that goes with the next message (issue 18), per chat: shown above the text area with
 * its author and an excerpt, and a Remove button; sent as a reference (`quote.messageId`), the
 * server makes the quote. A note or whisper may quote anything of the chat; a reply to the customer
 * may not quote a note (the server refuses it too), so the composer says so before sending.
 */
import type { ReactiveControllerHost } from 'lit';
import { html, svg } from 'lit';

import { msg } from '../../i18n/localization.js';
import { announce } from '../../internal/announcer.js';
import { renderQuote } from '../../internal/message-quote.js';
import type { ChatMessage } from '../../protocol/model.js';
import type { ComposerKind } from './composer-texts.js';

const closeIcon = svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round"><path d="m4 4 8 8M12 4l-8 8"/></svg>`;

export interface ComposerQuoteHost extends ReactiveControllerHost {
  readonly sessionId?: string | undefined;
  focusInput(): void;
}

/** The excerpt the composer shows (the server makes the one that is sent, by the same rule). */
function excerpt(m: ChatMessage): string {
  const flat = m.text.replace(/\s+/g, ' ').trim();
  return flat !== '' ? flat : (m.attachments ?? []).map((a) => a.name).join(', ');
}

export class ComposerQuote {
  private readonly quotes = new Map<string, ChatMessage>();

  constructor(private readonly host: ComposerQuoteHost) {}

  /** The quote of the shown chat. */
  current(): ChatMessage | undefined {
    const id = this.host.sessionId;
    return id === undefined ? undefined : this.quotes.get(id);
  }

  /** Quotes `message` in the next message of its chat; focus goes to the text area. */
  set(message: ChatMessage): void {
    this.quotes.set(message.sessionId, message);
    this.host.requestUpdate();
    this.host.focusInput();
    announce(msg('Quote added to your reply.', { id: 'chat-composer.quote.added' }));
  }

  /** Removes the quote of chat `sessionId` (after sending, or by Remove). */
  clear(sessionId: string, sent = false): void {
    if (!this.quotes.delete(sessionId)) return;
    this.host.requestUpdate();
    if (!sent) announce(msg('Quote removed.', { id: 'chat-composer.quote.removed' }));
  }

  /** Why the quote cannot go with a message of `kind`, or ''. */
  blockedReason(kind: ComposerKind): string {
    const q = this.current();
    if (kind === 'text' && q?.kind === 'note') {
      return msg('A note cannot be quoted to the customer. Write a note, or remove the quote.', { id: 'chat-composer.quote.note-in-reply' });
    }
    return '';
  }

  private readonly onRemove = (): void => {
    const id = this.host.sessionId;
    if (id !== undefined) this.clear(id);
    this.host.focusInput();
  };

  render() {
    const q = this.current();
    if (!q) return undefined;
    const remove = msg('Remove the quote', { id: 'chat-composer.quote.remove' });
    return renderQuote(
      { author: q.author, excerpt: excerpt(q) },
      msg('Replying to', { id: 'chat-composer.quote.lead' }),
      html`<button class="btn btn--quiet quote-remove" part="quote-remove" type="button" aria-label=${remove} title=${remove} @click=${this.onRemove}>
        ${closeIcon}
      </button>`,
    );
  }
}
