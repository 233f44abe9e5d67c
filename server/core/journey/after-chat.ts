/**
 * After the chat (the customer's post-chat form, with the customer's access token): a rating
 * 1–5 with an optional comment stored on the session, the transcript by e-mail, and the grace
 * period within which the customer may return to the chat. Each is allowed only when the
 * channel's post-chat settings offer it. Host-independent; the host sends the mail and reopens
 * the chat through the room.
 */
import type { ChannelLanguage, ChannelSettings } from '../../../src/protocol/channel-settings.js';
import { channelLanguage, customerText } from '../../../src/protocol/channel-settings.js';
import { MAX_EMAIL } from '../../../src/protocol/limits.js';
import { CrmStore } from '../crm-store.js';
import { ProvisioningError, throwIfAny } from '../provisioning/validate.js';
import type { SqlPort } from '../sql.js';
import { parseStored } from './settings.js';
import type { TranscriptMail } from './transcript.js';
import { transcriptMail } from './transcript.js';

/** Longest rating comment. */
export const MAX_RATING_COMMENT = 1000;
/** Transcript e-mails one chat may send (a customer mistyping the address once or twice). */
export const MAX_TRANSCRIPTS = 3;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface EndedSession {
  id: string;
  channel_id: string;
  status: string;
  agent_id: string | null;
  customer_name: string;
  created_at: number;
  ended_at: number | null;
  language: string | null;
  transcripts_sent: number;
  settings: string;
  channel_name: string;
}

function endedSession(db: SqlPort, tenantId: string, sessionId: string): EndedSession & { parsed: ChannelSettings } {
  const row = db.get<EndedSession>(
    `SELECT s.id, s.channel_id, s.status, s.agent_id, s.customer_name, s.created_at, s.ended_at, s.language, s.transcripts_sent, c.settings, c.name AS channel_name
     FROM sessions s JOIN channels c ON c.tenant_id = s.tenant_id AND c.id = s.channel_id
     WHERE s.tenant_id = ? AND s.id = ?`,
    [tenantId, sessionId],
  );
  if (!row) throw new ProvisioningError('not_found', 'no such chat');
  if (row.status !== 'ended' && row.status !== 'missed') throw new ProvisioningError('conflict', 'the chat has not ended');
  return { ...row, parsed: parseStored(row.settings) };
}

/** The customer rates the chat (again: the latest rating counts). Only a chat an agent answered. */
export function rateChat(db: SqlPort, tenantId: string, sessionId: string, body: { rating?: unknown; comment?: unknown }, now: number): { rating: number; comment: string } {
  const s = endedSession(db, tenantId, sessionId);
  if (!s.parsed.postChat.rating) throw new ProvisioningError('forbidden', 'this channel does not ask for ratings');
  if (s.status !== 'ended' || s.agent_id === null) throw new ProvisioningError('conflict', 'only a chat an agent answered can be rated');
  const errors: Record<string, string> = {};
  const rating = body.rating;
  if (typeof rating !== 'number' || !Number.isInteger(rating) || rating < 1 || rating > 5) errors.rating = 'a whole number from 1 to 5';
  const comment = body.comment ?? '';
  if (typeof comment !== 'string' || comment.length > MAX_RATING_COMMENT) errors.comment = `text, at most ${String(MAX_RATING_COMMENT)} characters`;
  throwIfAny(errors);
  const text = (comment as string).trim();
  db.run('UPDATE sessions SET rating = ?, rating_comment = ?, rated_at = ? WHERE tenant_id = ? AND id = ?', [rating as number, text === '' ? null : text, now, tenantId, sessionId]);
  return { rating: rating as number, comment: text };
}

/**
 * The transcript e-mail of an ended chat, in the chat's language, to `email` (checked); counts it
 * against {@link MAX_TRANSCRIPTS}. The caller sends it; on failure it calls `undo`.
 */
export function transcriptFor(
  db: SqlPort,
  tenantId: string,
  sessionId: string,
  body: { email?: unknown },
  tenantTimeZone: string,
): { to: string; mail: TranscriptMail; language: ChannelLanguage; undo: () => void } {
  const s = endedSession(db, tenantId, sessionId);
  if (!s.parsed.postChat.transcript) throw new ProvisioningError('forbidden', 'this channel does not send transcripts');
  const to = typeof body.email === 'string' ? body.email.trim() : '';
  if (to === '' || to.length > MAX_EMAIL || !EMAIL.test(to) || /[\r\n,;<>]/.test(to)) throw new ProvisioningError('invalid', 'email: not an e-mail address', { email: 'not an e-mail address' });
  if (s.transcripts_sent >= MAX_TRANSCRIPTS) throw new ProvisioningError('conflict', `the transcript was sent ${String(MAX_TRANSCRIPTS)} times already`);
  const language = channelLanguage(s.language) ?? s.parsed.language;
  const lines = db.all<{ sender_kind: string }>(
    "SELECT sender_kind FROM messages WHERE tenant_id = ? AND session_id = ? AND kind = 'text' AND internal = 0 ORDER BY seq LIMIT 5000",
    [tenantId, sessionId],
  );
  const text = new CrmStore(db, tenantId).transcriptLines(sessionId).map((l, i) => ({ ...l, fromCustomer: lines[i]?.sender_kind === 'customer' }));
  const mail = transcriptMail({
    language,
    channelName: customerText(s.parsed, language, 'name') ?? s.channel_name,
    customerName: s.customer_name,
    startedAt: s.created_at,
    timeZone: s.parsed.hours?.timeZone ?? tenantTimeZone,
    lines: text,
  });
  db.run('UPDATE sessions SET transcripts_sent = transcripts_sent + 1 WHERE tenant_id = ? AND id = ?', [tenantId, sessionId]);
  return {
    to,
    mail,
    language,
    undo: () => {
      db.run('UPDATE sessions SET transcripts_sent = MAX(0, transcripts_sent - 1) WHERE tenant_id = ? AND id = ?', [tenantId, sessionId]);
    },
  };
}

/** The grace period of the chat's channel for returning to it (ms); 0 when returns are off. */
export function returnGraceMs(db: SqlPort, tenantId: string, sessionId: string): number {
  const row = db.get<{ settings: string }>('SELECT c.settings FROM sessions s JOIN channels c ON c.tenant_id = s.tenant_id AND c.id = s.channel_id WHERE s.tenant_id = ? AND s.id = ?', [
    tenantId,
    sessionId,
  ]);
  if (!row) throw new ProvisioningError('not_found', 'no such chat');
  return parseStored(row.settings).postChat.returnMinutes * 60_000;
}
