/**
 * Channel settings: what a channel's managers configure for the customer's journey (texts per
 * language, opening hours, the widget's look, the pre-chat, offline and post-chat forms), and the
 * public view of a channel the customer widget reads (`GET /api/channels?tenant=&lang=`).
 *
 * Shared by the server (validation, storage) and the browser (the `chat-channel-settings` element
 * and the widget). Every text here is shown as text, never as markup; colours, fonts and the logo
 * are checked so that no value can carry CSS or script.
 */
import * as v from 'valibot';

import { CRM_REQUEST_CATEGORIES } from '../crm/types.js';
import type { ChannelAssignment } from './routing.js';
import type { ChannelTargets } from './priority.js';
import { MAX_CHANNEL_TAGS, MAX_TAG } from './limits.js';
import type { PublicInvitation } from './invitations.js';
import { DEFAULT_INVITATIONS, InvitationSettings } from './invitations.js';

/** Languages a channel can speak to its customers in (those the widget is translated into). */
export const CHANNEL_LANGUAGES = ['en', 'sv', 'nb', 'da', 'de', 'fi'] as const;
export type ChannelLanguage = (typeof CHANNEL_LANGUAGES)[number];

/** The texts a customer reads, each stored per language. */
export const CUSTOMER_TEXT_KEYS = [
  'name',
  'description',
  'badge',
  'welcome',
  'header',
  'message',
  'queueMessage',
  'offlineHeader',
  'offlineMessage',
  'postChatHeader',
  'postChatMessage',
  'consent',
  'botName',
] as const;
export type CustomerTextKey = (typeof CUSTOMER_TEXT_KEYS)[number];

/** Longest text per key (characters). */
export const TEXT_LIMITS: Record<CustomerTextKey, number> = {
  name: 100,
  description: 500,
  badge: 40,
  welcome: 1000,
  header: 100,
  message: 1000,
  queueMessage: 300,
  offlineHeader: 100,
  offlineMessage: 1000,
  postChatHeader: 100,
  postChatMessage: 1000,
  consent: 1000,
  botName: 60,
};

const text = (key: CustomerTextKey) => v.optional(v.pipe(v.string(), v.maxLength(TEXT_LIMITS[key], `at most ${String(TEXT_LIMITS[key])} characters`)));

/** One language's texts; a missing or empty text falls back (see {@link customerText}). */
export const ChannelTexts = v.strictObject(Object.fromEntries(CUSTOMER_TEXT_KEYS.map((k) => [k, text(k)])) as Record<CustomerTextKey, ReturnType<typeof text>>);
export type ChannelTexts = Partial<Record<CustomerTextKey, string>>;

/** `HH:MM`, 00:00 to 24:00. */
export const ClockTime = v.pipe(v.string(), v.regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time HH:MM'));

/** Minutes since midnight of an `HH:MM`. */
export function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One weekday's hours (`null`: closed all day); an optional lunch break inside them. */
export const DayHours = v.nullable(
  v.pipe(
    v.strictObject({
      open: ClockTime,
      close: ClockTime,
      lunch: v.optional(v.nullable(v.strictObject({ from: ClockTime, to: ClockTime }))),
    }),
    v.check((d) => minutesOf(d.open) < minutesOf(d.close), 'opens before it closes'),
    v.check(
      (d) => !d.lunch || (minutesOf(d.open) < minutesOf(d.lunch.from) && minutesOf(d.lunch.from) < minutesOf(d.lunch.to) && minutesOf(d.lunch.to) < minutesOf(d.close)),
      'the lunch break lies inside the opening hours',
    ),
  ),
);
export type DayHours = v.InferOutput<typeof DayHours>;

/** True for an IANA time zone this runtime knows (`Europe/Stockholm`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const IsoDate = v.pipe(v.string(), v.isoDate('a date YYYY-MM-DD'));

/** Opening hours in the channel's time zone; customers see them in their own. */
export const OpeningHours = v.strictObject({
  timeZone: v.pipe(v.string(), v.check(isTimeZone, 'an IANA time zone such as Europe/Stockholm')),
  days: v.strictObject(Object.fromEntries(WEEKDAYS.map((d) => [d, DayHours])) as Record<Weekday, typeof DayHours>),
  /** Dates (in the channel's time zone) when the channel is closed all day: holidays. */
  closedDates: v.pipe(v.array(IsoDate), v.maxLength(400, 'at most 400 closed days')),
});
export type OpeningHours = v.InferOutput<typeof OpeningHours>;

export const WIDGET_THEMES = ['light', 'dark', 'auto'] as const;
export const WIDGET_FONTS = ['system', 'sans', 'serif', 'rounded', 'mono'] as const;

/** Longest logo URL. */
export const MAX_LOGO_URL = 500;

/** An `https:` URL (or `http://localhost` for development) without quotes, spaces or brackets. */
export function isSafeImageUrl(url: string): boolean {
  if (url === '') return true;
  if (url.length > MAX_LOGO_URL || /[\s"'()<>\\]/.test(url)) return false;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || (u.protocol === 'http:' && (u.hostname === 'localhost' || u.hostname === '127.0.0.1'));
  } catch {
    return false;
  }
}

/** The widget's look. */
export const WidgetLook = v.strictObject({
  theme: v.picklist(WIDGET_THEMES),
  /** Accent colour `#rrggbb`. */
  colour: v.pipe(v.string(), v.regex(/^#[0-9a-fA-F]{6}$/, 'a colour #rrggbb')),
  font: v.picklist(WIDGET_FONTS),
  /** Logo in the header ('' for none): an https URL. */
  logoUrl: v.pipe(v.string(), v.check(isSafeImageUrl, 'an https:// image URL')),
  /** Show the answering agent's photo (or initials) in the header once an agent joins. */
  agentPhoto: v.boolean(),
});
export type WidgetLook = v.InferOutput<typeof WidgetLook>;

export const FieldMode = v.picklist(['hidden', 'optional', 'required']);
export type FieldMode = v.InferOutput<typeof FieldMode>;

/** The form before the chat: which fields, consent, FAQ suggestions. */
export const PreChatSettings = v.strictObject({
  name: FieldMode,
  email: FieldMode,
  phone: FieldMode,
  company: FieldMode,
  /** The customer must tick the consent text (`texts.consent`) to start. */
  consent: v.boolean(),
  /** Offer the three published FAQs that best match the first message before the chat starts. */
  faqSuggestions: v.boolean(),
});
export type PreChatSettings = v.InferOutput<typeof PreChatSettings>;

export const REQUEST_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

/** The form when the channel is closed or nobody is Present. */
export const OfflineSettings = v.strictObject({
  /**
   * Also when open but no agent who may answer is Present (the default, as the product does);
   * off: the chat starts and waits in the queue until someone is back.
   */
  whenNobodyPresent: v.boolean(),
  /** The customer can leave a request (created in the CRM; they are shown its number). */
  request: v.boolean(),
  /** Request categories the customer picks from (none: no category field); the CRM's categories. */
  categories: v.pipe(v.array(v.picklist(CRM_REQUEST_CATEGORIES)), v.maxLength(CRM_REQUEST_CATEGORIES.length)),
  /** The customer picks a priority. */
  priority: v.boolean(),
  email: FieldMode,
  phone: FieldMode,
});
export type OfflineSettings = v.InferOutput<typeof OfflineSettings>;

/** Longest grace period for returning to an ended chat. */
export const MAX_RETURN_MINUTES = 60;

/** The form after the chat. */
export const PostChatSettings = v.strictObject({
  /** 1–5 rating with an optional comment. */
  rating: v.boolean(),
  /** The customer can have the transcript e-mailed. */
  transcript: v.boolean(),
  /** Minutes after the end within which the customer may return to the chat (0: never). */
  returnMinutes: v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(MAX_RETURN_MINUTES)),
});
export type PostChatSettings = v.InferOutput<typeof PostChatSettings>;

/** Bot answers and customer turns kept in one bot conversation before the hand-off. */
export const MAX_BOT_TURNS = 10;
/** Longest time a channel may give its bot to answer. */
export const MAX_BOT_TIMEOUT_MS = 30_000;
import { DEFAULT_LOOK_COLOUR } from './journey.js';

export { BOT_SENDER_ID, DEFAULT_LOOK_COLOUR, isBotMessage } from './journey.js';

/**
 * A bot's webhook: an `https:` URL (`http:` on localhost for development), or a path on this
 * chat server (the demo's bot: `/api/demo/bot`).
 */
export function isBotUrl(url: string): boolean {
  if (url === '') return true;
  if (url.length > MAX_LOGO_URL || /[\s"'<>\\]/.test(url)) return false;
  if (/^\/[\w/.-]*$/.test(url) && !url.startsWith('//')) return true;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || (u.protocol === 'http:' && (u.hostname === 'localhost' || u.hostname === '127.0.0.1'));
  } catch {
    return false;
  }
}

/** Chatbot first: a webhook that answers new chats before the queue (docs/customer-journey.md § Chatbot). */
export const BotSettings = v.pipe(
  v.strictObject({
    enabled: v.boolean(),
    url: v.pipe(v.string(), v.check(isBotUrl, 'an https:// URL (http://localhost for development) or a path on this server')),
    /** The key of the requests' HMAC-SHA256 signature (`X-Chat-Signature`). */
    secret: v.pipe(v.string(), v.maxLength(200, 'at most 200 characters')),
    /** The bot's answer must arrive within this long, else the chat goes to the queue. */
    timeoutMs: v.pipe(v.number(), v.safeInteger(), v.minValue(500, 'at least 500 ms'), v.maxValue(MAX_BOT_TIMEOUT_MS, 'at most 30000 ms')),
  }),
  v.check((b) => !b.enabled || (b.url !== '' && b.secret.length >= 16), 'an enabled bot needs its URL and a secret of at least 16 characters'),
);
export type BotSettings = v.InferOutput<typeof BotSettings>;

/**
 * Closing a chat (issue 18): whether agents write a closing comment (`off`, `optional`,
 * `required`), the tags they choose from (none: free tags), and whether at least one tag is
 * required. Checked by the server when an agent ends an answered chat.
 */
export const WrapUpSettings = v.strictObject({
  comment: v.picklist(['off', 'optional', 'required']),
  tags: v.pipe(
    v.array(v.pipe(v.string(), v.trim(), v.minLength(1, 'a tag is empty'), v.maxLength(MAX_TAG, `at most ${String(MAX_TAG)} characters`))),
    v.maxLength(MAX_CHANNEL_TAGS, `at most ${String(MAX_CHANNEL_TAGS)} tags`),
    v.check((tags) => new Set(tags).size === tags.length, 'a tag is listed twice'),
  ),
  tagsRequired: v.boolean(),
});
export type WrapUpSettings = v.InferOutput<typeof WrapUpSettings>;

const Texts = v.strictObject(Object.fromEntries(CHANNEL_LANGUAGES.map((l) => [l, v.optional(ChannelTexts)])) as Record<ChannelLanguage, v.OptionalSchema<typeof ChannelTexts, undefined>>);

/** Everything about the customer's journey in one channel. */
export const ChannelSettings = v.strictObject({
  /** The widget's language when the page does not choose one, and the first fallback of every text. */
  language: v.picklist(CHANNEL_LANGUAGES),
  texts: Texts,
  /** `null`: always open (only agents' presence decides). */
  hours: v.nullable(OpeningHours),
  look: WidgetLook,
  preChat: PreChatSettings,
  offline: OfflineSettings,
  postChat: PostChatSettings,
  bot: BotSettings,
  wrapUp: WrapUpSettings,
  /** Proactive invitations (src/protocol/invitations.ts). */
  invitations: InvitationSettings,
});
export type ChannelSettings = Omit<v.InferOutput<typeof ChannelSettings>, 'texts'> & { texts: Partial<Record<ChannelLanguage, ChannelTexts>> };

/** A change: each section given replaces that section (`texts`: each language given replaces that language). */
export const ChannelSettingsPatch = v.partial(ChannelSettings);
export type ChannelSettingsPatch = Partial<ChannelSettings>;

export const DEFAULT_CHANNEL_SETTINGS: ChannelSettings = {
  language: 'en',
  texts: {},
  hours: null,
  look: { theme: 'light', colour: DEFAULT_LOOK_COLOUR, font: 'system', logoUrl: '', agentPhoto: true },
  preChat: { name: 'optional', email: 'optional', phone: 'hidden', company: 'hidden', consent: false, faqSuggestions: false },
  offline: { whenNobodyPresent: true, request: false, categories: [], priority: false, email: 'required', phone: 'hidden' },
  postChat: { rating: true, transcript: false, returnMinutes: 10 },
  bot: { enabled: false, url: '', secret: '', timeoutMs: 5000 },
  wrapUp: { comment: 'optional', tags: [], tagsRequired: false },
  invitations: DEFAULT_INVITATIONS,
};

/** Stored settings (possibly from an older version, possibly partial) merged over the defaults. */
export function withDefaults(stored: unknown): ChannelSettings {
  const s = (typeof stored === 'object' && stored !== null ? stored : {}) as Partial<ChannelSettings>;
  const d = DEFAULT_CHANNEL_SETTINGS;
  return {
    language: s.language ?? d.language,
    texts: s.texts ?? {},
    hours: s.hours ?? null,
    look: { ...d.look, ...s.look },
    preChat: { ...d.preChat, ...s.preChat },
    offline: { ...d.offline, ...s.offline, categories: (s.offline?.categories ?? []).filter((c) => (CRM_REQUEST_CATEGORIES as readonly string[]).includes(c)) },
    postChat: { ...d.postChat, ...s.postChat },
    bot: { ...d.bot, ...s.bot },
    wrapUp: { ...d.wrapUp, ...s.wrapUp },
    invitations: { ...d.invitations, ...s.invitations, rules: Array.isArray(s.invitations?.rules) ? s.invitations.rules : [] },
  };
}

/** Field errors of a settings value: `{'hours.days.mon': 'opens before it closes'}`. */
export function settingsIssues(issues: readonly v.BaseIssue<unknown>[], prefix = 'settings'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const path = (issue.path ?? []).map((p) => String(p.key)).join('.');
    const key = path === '' ? prefix : `${prefix}.${path}`;
    out[key] ??= issue.message;
  }
  return out;
}

/**
 * A customer text in `lang`, falling back to the channel's own language, then English;
 * `undefined` when none of them has it (the widget shows its own default, in the customer's
 * language, and the channel's name is the agents' name).
 */
export function customerText(settings: Pick<ChannelSettings, 'language' | 'texts'>, lang: ChannelLanguage, key: CustomerTextKey): string | undefined {
  const order = [lang, settings.language, 'en' as const];
  for (const l of order) {
    const t = settings.texts[l]?.[key];
    if (t !== undefined && t.trim() !== '') return t;
  }
  return undefined;
}

/** A supported language for a tag (`sv-SE` → `sv`, `no`/`nn` → `nb`), or undefined. */
export function channelLanguage(tag: string | null | undefined): ChannelLanguage | undefined {
  const base = (tag ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  if (base === 'no' || base === 'nn') return 'nb';
  return (CHANNEL_LANGUAGES as readonly string[]).includes(base) ? (base as ChannelLanguage) : undefined;
}

/** An opening interval in server time (ms since the epoch). */
export interface OpenInterval {
  from: number;
  to: number;
}

/**
 * A channel as the customer widget sees it (`GET /api/channels?tenant=&lang=`): its texts in the
 * asked language (with fallback), whether it is open and staffed now, when it opens next, its
 * opening intervals of the coming week (the widget shows them in the customer's time zone), its
 * look and its forms.
 */
export interface PublicChannelView {
  id: string;
  /** In the asked language (fallback: the channel's name). */
  name: string;
  description?: string;
  badge?: string;
  /** The language the texts below are in when the asked one had none: the widget's default. */
  language: ChannelLanguage;
  /** Customer texts in the asked language (with fallback); keys without any text are absent. */
  texts: Partial<Record<CustomerTextKey, string>>;
  /** Some agent who may answer here is online and Present. */
  available: boolean;
  /** Within opening hours now (always true without hours). */
  open: boolean;
  /** Server time when it opens next (absent when open now or always open, or never again within a year). */
  opensAt?: number;
  /** The opening intervals of the next seven days (absent: always open). */
  hours?: OpenInterval[];
  /** The channel's time zone (absent: always open). */
  timeZone?: string;
  look: WidgetLook;
  preChat: PreChatSettings;
  offline: OfflineSettings;
  postChat: PostChatSettings;
  /** The channel's bot answers first (its name is `texts.botName`); absent: no bot. */
  bot?: true;
  /** Proactive invitations the widget may show now (only while open with an agent Present); absent: none. */
  invitations?: PublicInvitation[];
}

/** One turn of a bot conversation before the hand-off. */
export interface BotTurn {
  from: 'customer' | 'bot';
  text: string;
  at: number;
}

/**
 * `POST /api/bot/turn` answers with the conversation so far (signed by the server: the chat start
 * takes it back as the chat's bot part), and whether the bot hands the customer to the queue.
 */
export interface BotTurnResult {
  conversation: BotTurn[];
  proof: string;
  /** `asked`: the bot (or the customer) asked for a person; `gave-up`: too many turns; `unavailable`: the bot failed or timed out. */
  handoff?: 'asked' | 'gave-up' | 'unavailable';
}

/** An agent of the tenant as a channel's manager sees them in the settings. */
export interface ChannelAgentView {
  id: string;
  name: string;
  status: 'present' | 'away';
  /** How many chats the agent handles at once. */
  maxConcurrentChats: number;
  /** In this channel (all false: not a member). */
  permissions: { respond: boolean; notifications: boolean; listen: boolean; manager: boolean };
}

/** What the settings editor reads and writes (`GET/PUT /api/channels/:id/settings`). */
export interface ChannelSettingsView {
  id: string;
  /** The agents' name of the channel. */
  name: string;
  /** Unanswered for this long warns the channel's Present agents with Notifications (0: never). */
  warnAfterSeconds: number;
  /** … and then its Present managers (0: never). */
  managerWarnAfterSeconds: number;
  settings: ChannelSettings;
  /** Automatic assignment of the channel's chats (issue 18; routing.ts). */
  assignment: ChannelAssignment;
  /** Priority and response-time targets (issue 18; priority.ts); absent from a server without them. */
  targets?: ChannelTargets;
  /** Every agent of the tenant, members first. */
  agents: ChannelAgentView[];
}

/** A change through the editor: fields given change; `agents` only those listed. */
export interface ChannelSettingsUpdate {
  name?: string;
  warnAfterSeconds?: number;
  managerWarnAfterSeconds?: number;
  settings?: ChannelSettingsPatch;
  assignment?: Partial<ChannelAssignment>;
  targets?: Partial<ChannelTargets>;
  agents?: { id: string; permissions?: ChannelAgentView['permissions']; maxConcurrentChats?: number }[];
}
