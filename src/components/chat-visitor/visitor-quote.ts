/**
 * The customer's quote of a message in the next one (issue 18), loaded with the client core (a
 * widget whose chat never starts does not download it): the quote above the text area with
 * Remove, its announcements, and the styles of the messages' Quote buttons. The reply goes as a
 * reference (`quote.messageId`); the server checks it and makes the quote both sides see.
 */
import { css, html, nothing, svg } from 'lit';

import { msg } from '../../i18n/localization.js';
import { announce } from '../../internal/announcer.js';
import { adoptLazyStyles } from '../../internal/lazy-styles.js';
import { renderQuote } from '../../internal/message-quote.js';
import type { ChatMessage } from '../../protocol/model.js';

const closeIcon = svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round"><path d="m4 4 8 8M12 4l-8 8"/></svg>`;

export interface QuoteHost {
  readonly root: ShadowRoot;
  update(): void;
  focusInput(): void;
  /** The words for who wrote a message: "You", the agent's name. */
  authorOf(message: ChatMessage): string;
}

export class VisitorQuote {
  /** The message the next one quotes. */
  message: ChatMessage | undefined;

  constructor(private readonly host: QuoteHost) {
    adoptLazyStyles({ renderRoot: host.root }, [quoteStyles]);
  }

  /** Quotes `message` in the next message; focus goes to the text area. */
  set(message: ChatMessage): void {
    this.message = message;
    this.host.update();
    announce(msg('Quote added to your message.', { id: 'chat-visitor.quote.added' }));
    this.host.focusInput();
  }

  /** The quote's message id for the message being sent, and forgets it. */
  take(): ChatMessage | undefined {
    const m = this.message;
    this.message = undefined;
    this.host.update();
    return m;
  }

  private readonly onRemove = (): void => {
    this.message = undefined;
    this.host.update();
    announce(msg('Quote removed.', { id: 'chat-visitor.quote.removed' }));
    this.host.focusInput();
  };

  /** The quote above the text area, with Remove (an excerpt like the server's; the server makes the one sent). */
  render() {
    const q = this.message;
    if (!q) return nothing;
    const flat = q.text.replace(/\s+/g, ' ').trim();
    const excerpt = flat !== '' ? flat : (q.attachments ?? []).map((a) => a.name).join(', ');
    const remove = msg('Remove the quote', { id: 'chat-visitor.quote.remove' });
    return html`<div class="composer-quote" part="composer-quote">
      ${renderQuote(
        { author: { kind: q.author.kind, name: this.host.authorOf(q) }, excerpt },
        msg('Replying to', { id: 'chat-visitor.quote.lead' }),
        html`<button class="btn small quote-remove" part="quote-remove" type="button" aria-label=${remove} title=${remove} @click=${this.onRemove}>${closeIcon}</button>`,
      )}
    </div>`;
  }
}

const quoteStyles = css`
  /* Quote in a message's meta line … */
  .quote-action {
    min-height: 24px;
    min-width: 24px;
    padding: 0 4px;
    border: 0;
    border-radius: 4px;
    background: none;
    color: var(--_text);
    font: inherit;
    font-weight: 600;
    text-decoration: underline;
    text-underline-offset: 2px;
    cursor: pointer;
  }
  .quote-action:hover {
    background: var(--_surface-alt);
  }
  .quote-action:focus-visible {
    outline: 2px solid var(--_focus, var(--_accent));
    outline-offset: 1px;
  }
  /* … and the quote above the text area, the whole width of the composer. */
  .composer-quote {
    flex: 1 1 100%;
    min-width: 0;
  }
  .composer-quote .quote {
    margin: 0;
  }
`;
