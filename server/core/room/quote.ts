/**
 * Quoting a message in a reply (issue 18): the server checks the reference a `send` carries and
 * makes the quote itself, from the stored message, so a client can never put words (or markup) in
 * someone else's mouth.
 *
 * Rules: the quoted message is in the same chat; it is a message or a note (not a system event);
 * and everyone who will see the reply may see it: a reply the customer sees (`text`) quotes only
 * what the customer sees (no notes, no whispers, no agent-only events). A note or whisper may quote
 * any message of the chat. Refusals: `not_found` (no such message in this chat), `forbidden`
 * (a note or whisper quoted to the customer), `invalid` (a system event).
 */
import { MAX_QUOTE_EXCERPT } from '../../../src/protocol/limits.js';
import type { AttachmentInfo, AuthorKind } from '../../../src/protocol/model.js';
import type { MessageRow } from '../store/index.js';
import { Refusal } from './types.js';

/** The quote as stored with the reply (`messages.quote`, JSON): both numberings, for both views. */
export interface StoredQuote {
  id: string;
  seq: number;
  /** The customer's numbering; null when the quoted message is agent-only (a note quoted in a note). */
  cseq: number | null;
  kind: AuthorKind;
  name: string;
  excerpt: string;
  at: number;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * A plain-text excerpt of a message: white space collapsed, at most {@link MAX_QUOTE_EXCERPT}
 * characters, cut at a word with "…"; a message of files only shows their names.
 */
export function quoteExcerpt(text: string, attachments?: readonly Pick<AttachmentInfo, 'name'>[]): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const source = flat !== '' ? flat : (attachments ?? []).map((a) => a.name).join(', ');
  // Cut between graphemes, so that an emoji (or a letter with its accents) stays whole.
  const chars = Array.from(graphemes.segment(source), (s) => s.segment);
  if (chars.length <= MAX_QUOTE_EXCERPT) return source;
  const cut = chars.slice(0, MAX_QUOTE_EXCERPT - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > MAX_QUOTE_EXCERPT / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * Checks a `send`'s quote of `quoted` (the stored row of the id it names, or undefined) for a reply
 * of `kind` in chat `sessionId`, and makes the quote to store. Throws a {@link Refusal}.
 */
export function checkQuote(quoted: MessageRow | undefined, sessionId: string, kind: 'text' | 'note' | 'whisper'): StoredQuote {
  if (quoted?.session_id !== sessionId) throw new Refusal('not_found', 'the quoted message is not in this chat');
  if (quoted.kind === 'event') throw new Refusal('invalid', 'a system event cannot be quoted');
  const seenByCustomer = quoted.kind === 'text' && quoted.internal !== 1 && quoted.cseq !== null;
  if (kind === 'text' && !seenByCustomer) throw new Refusal('forbidden', 'an internal note or whisper cannot be quoted to the customer');
  const files = quoted.attachments ? (JSON.parse(quoted.attachments) as AttachmentInfo[]) : undefined;
  return {
    id: quoted.id,
    seq: quoted.seq,
    cseq: seenByCustomer ? quoted.cseq : null,
    kind: quoted.sender_kind,
    name: quoted.author_name,
    excerpt: quoteExcerpt(quoted.text, files),
    at: quoted.at,
  };
}

/** The id of the message a stored reply quotes, or null (for the idempotency check of a repeated `send`). */
export function quotedId(row: MessageRow): string | null {
  return row.quote ? (JSON.parse(row.quote) as StoredQuote).id : null;
}
