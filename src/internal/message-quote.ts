/**
 * The quote above a reply (issue 18): who wrote the quoted message and the server's plain-text
 * excerpt of it, always rendered as text (never markup). Used by the transcript, the customer
 * widget and the composer (the quote that goes with the next message).
 */
import { css, html, nothing } from 'lit';

import type { MessageQuote } from '../protocol/model.js';

/**
 * The quote block. `lead` is the words a screen reader says first ("In reply to"); `extra` goes
 * after the text (the composer's Remove button).
 */
export function renderQuote(quote: Pick<MessageQuote, 'author' | 'excerpt'> | undefined, lead: string, extra: unknown = nothing) {
  if (!quote) return nothing;
  return html`<div class="quote" part="quote">
    <span class="quote-body"
      ><span class="visually-hidden">${lead} </span><span class="quote-author" part="quote-author">${quote.author.name}</span
      ><span class="quote-text" part="quote-text" dir="auto">${quote.excerpt}</span></span
    >${extra}
  </div>`;
}

export const quoteStyles = css`
  .quote {
    display: flex;
    align-items: flex-start;
    gap: var(--_space-s, 0.5rem);
    margin: 0 0 var(--_space-xs, 0.25rem);
    padding: var(--_space-xs, 0.25rem) var(--_space-s, 0.5rem);
    border-inline-start: 3px solid var(--_accent, currentColor);
    border-radius: var(--_radius-s, 4px);
    background: var(--_accent-soft, rgb(0 0 0 / 0.05));
    color: var(--_text, inherit);
    font-size: 0.875em;
    min-width: 0;
  }
  .quote-body {
    display: flex;
    flex-direction: column;
    min-width: 0;
    flex: 1;
  }
  .quote-author {
    font-weight: 600;
  }
  .quote-remove {
    flex: none;
    min-width: 28px;
    min-height: 28px;
    padding: 0;
  }
  .quote-remove svg {
    width: 14px;
    height: 14px;
  }
  .quote-text {
    overflow: hidden;
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 2;
    overflow-wrap: anywhere;
    white-space: normal;
  }
`;
