/**
 * The pre-chat form at chat start (`POST /api/chats`): the channel decides which of name, e-mail,
 * phone and company are asked and which are required, and whether the consent text must be
 * accepted; the widget's language is kept on the session (its welcome text, the transcript e-mail).
 */
import type { ChannelLanguage, ChannelSettings } from '../../../src/protocol/channel-settings.js';
import { channelLanguage, customerText } from '../../../src/protocol/channel-settings.js';
import { MAX_NAME } from '../../../src/protocol/limits.js';
import type { SqlPort } from '../sql.js';
import { throwIfAny } from '../provisioning/validate.js';

/** What the journey adds to a session at its start. */
export interface StartJourney {
  language: ChannelLanguage;
  company?: string | undefined;
  /** When the customer accepted the consent text (server time). */
  consentAt?: number | undefined;
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/**
 * Checks the form against the channel's pre-chat settings (required fields, consent) and returns
 * the journey's part. A verified identity (the website's token) counts as name and e-mail given.
 * Formats of e-mail and phone are the room's checks.
 */
export function checkPreChat(
  settings: ChannelSettings,
  body: { name?: unknown; email?: unknown; phone?: unknown; company?: unknown; consent?: unknown; lang?: unknown },
  now: number,
  verified: { name?: string | undefined; email?: string | undefined } = {},
): StartJourney {
  const form = settings.preChat;
  const errors: Record<string, string> = {};
  const given = { name: text(body.name) || (verified.name ?? ''), email: text(body.email) || (verified.email ?? ''), phone: text(body.phone), company: text(body.company) };
  for (const field of ['name', 'email', 'phone', 'company'] as const) {
    if (form[field] === 'required' && given[field] === '') errors[field] = 'required';
  }
  if (given.company.length > MAX_NAME) errors.company = `at most ${String(MAX_NAME)} characters`;
  if (form.consent && body.consent !== true) errors.consent = 'the consent text must be accepted';
  throwIfAny(errors);
  return {
    language: channelLanguage(typeof body.lang === 'string' ? body.lang : undefined) ?? settings.language,
    ...(form.company !== 'hidden' && given.company !== '' ? { company: given.company } : {}),
    ...(form.consent ? { consentAt: now } : {}),
  };
}

/** The welcome text of a chat in its language (fallback: the channel's own welcome message). */
export function welcomeText(settings: ChannelSettings, language: ChannelLanguage | undefined, fallback: string): string {
  return (language && customerText(settings, language, 'welcome')) ?? fallback;
}

/** Records the journey's part on a new session (in the start's transaction). */
export function recordStart(db: SqlPort, tenantId: string, sessionId: string, journey: StartJourney): void {
  db.run('UPDATE sessions SET language = ?, customer_company = ?, consent_at = ? WHERE tenant_id = ? AND id = ?', [
    journey.language,
    journey.company ?? null,
    journey.consentAt ?? null,
    tenantId,
    sessionId,
  ]);
}
