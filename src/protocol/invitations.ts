/**
 * Proactive invitations (issue 18): per-channel rules on the customer's page that open the widget
 * with a message: a URL pattern, a time on the page, returning visitors only. Stored with the
 * channel settings (`settings.invitations`), checked by the server (this schema), and given to the
 * widget in the public channel list only while the channel is open and an agent is Present,
 * each rule with its message in the asked language (fallback: the channel's language, then
 * English). The customer can dismiss an invitation; the widget then asks no more that day.
 *
 * Shared by the server and the browser; messages are shown as text, never as markup.
 */
import * as v from 'valibot';

import { isUrlPattern } from './invitation-pattern.js';

/** Most rules a channel may have. */
export const MAX_INVITATION_RULES = 10;
/** Longest wait on the page a rule may ask for (seconds). */
export const MAX_SECONDS_ON_PAGE = 3600;
/** Longest invitation message (characters). */
export const MAX_INVITATION_MESSAGE = 300;
export { isUrlPattern, matchesUrlPattern, MAX_URL_PATTERN } from './invitation-pattern.js';

const LANGUAGES = ['en', 'sv', 'nb', 'da', 'de', 'fi'] as const;
type Language = (typeof LANGUAGES)[number];

const Message = v.pipe(v.string(), v.trim(), v.minLength(1, 'a message'), v.maxLength(MAX_INVITATION_MESSAGE, `at most ${String(MAX_INVITATION_MESSAGE)} characters`));

/** One rule: where, after how long, for whom, and what the widget says. */
export const InvitationRule = v.strictObject({
  /** Stable id (letters, digits, `-`), unique in the channel. */
  id: v.pipe(v.string(), v.regex(/^[a-z0-9-]{1,40}$/, 'letters a–z, digits and -, at most 40')),
  enabled: v.boolean(),
  urlPattern: v.pipe(v.string(), v.check(isUrlPattern, 'a path such as /pricing or /products/* (empty: every page)')),
  secondsOnPage: v.pipe(v.number(), v.safeInteger(), v.minValue(0, 'at least 0'), v.maxValue(MAX_SECONDS_ON_PAGE, `at most ${String(MAX_SECONDS_ON_PAGE)} seconds`)),
  /** Only customers who visited the site before (an earlier visit on this browser). */
  returningOnly: v.boolean(),
  /** The message per language; at least one. */
  message: v.pipe(
    v.strictObject(Object.fromEntries(LANGUAGES.map((l) => [l, v.optional(Message)])) as Record<Language, v.OptionalSchema<typeof Message, undefined>>),
    v.check((m) => Object.values(m).some((t) => typeof t === 'string' && t !== ''), 'a message in at least one language'),
  ),
});
export type InvitationRule = Omit<v.InferOutput<typeof InvitationRule>, 'message'> & { message: Partial<Record<Language, string>> };

/** A channel's invitations. */
export const InvitationSettings = v.pipe(
  v.strictObject({
    enabled: v.boolean(),
    rules: v.pipe(v.array(InvitationRule), v.maxLength(MAX_INVITATION_RULES, `at most ${String(MAX_INVITATION_RULES)} rules`)),
  }),
  v.check((s) => new Set(s.rules.map((r) => r.id)).size === s.rules.length, 'each rule needs its own id'),
);
export interface InvitationSettings {
  enabled: boolean;
  rules: InvitationRule[];
}

export const DEFAULT_INVITATIONS: InvitationSettings = { enabled: false, rules: [] };

/** A rule as the widget gets it: its message in one language. */
export interface PublicInvitation {
  id: string;
  urlPattern: string;
  secondsOnPage: number;
  returningOnly: boolean;
  message: string;
}

/**
 * The rules the widget may act on now: none unless invitations are on, the channel is open and an
 * agent is Present; enabled rules only, each with its message in `lang` (fallback: `channelLang`,
 * then English, then any; a rule with none is left out).
 */
export function publicInvitations(settings: InvitationSettings, lang: Language, channelLang: Language, openAndStaffed: boolean): PublicInvitation[] {
  if (!settings.enabled || !openAndStaffed) return [];
  const out: PublicInvitation[] = [];
  for (const r of settings.rules) {
    if (!r.enabled) continue;
    const message = r.message[lang] ?? r.message[channelLang] ?? r.message.en ?? Object.values(r.message).find((t) => t !== '');
    if (message) out.push({ id: r.id, urlPattern: r.urlPattern, secondsOnPage: r.secondsOnPage, returningOnly: r.returningOnly, message });
  }
  return out;
}
