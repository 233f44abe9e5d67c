/**
 * The customer's journey over HTTP (server/core/journey/): the public channel list in the
 * widget's language, FAQ suggestions and the offline request before a chat, the post-chat form
 * (rating, transcript e-mail, returning to the chat) with the customer's token, and the channel
 * settings editor of a channel's managers.
 */
import { channelLanguage, MAX_BOT_TURNS } from '../../../../src/protocol/channel-settings.js';
import { MAX_MESSAGE_TEXT } from '../../../../src/protocol/limits.js';
import { botTurn, checkConversation } from '../../journey/bot.js';
import { rateChat, returnGraceMs, transcriptFor } from '../../journey/after-chat.js';
import { ChannelSettingsEditor } from '../../journey/editor.js';
import { faqSuggestions } from '../../journey/faq.js';
import { checkOfflineRequest, createOfflineRequest } from '../../journey/offline.js';
import { publicChannels, readSettings } from '../../journey/settings.js';
import type { Handler } from '../router.js';
import { HttpError, roomOf, str } from '../router.js';

/** `GET /api/channels?tenant=&lang=` → the channels with availability, opening state, texts in `lang` (fallback), look and forms. */
export const channels: Handler<'public'> = (ctx) => {
  const r = roomOf(ctx.app, ctx.url.searchParams.get('tenant') ?? '');
  const lang = channelLanguage(ctx.url.searchParams.get('lang'));
  const list = publicChannels(ctx.app.db, r.tenantId, r.publicChannels(), lang, ctx.app.clock.now());
  // No mail server configured: no transcript to offer.
  ctx.json(200, { channels: ctx.app.mailer ? list : list.map((c) => ({ ...c, postChat: { ...c.postChat, transcript: false } })) });
};

/** `GET /api/faq-suggestions?tenant=&channelId=&lang=&q=` → the three published FAQs that best match `q`. */
export const faq: Handler<'public'> = (ctx) => {
  const query = ctx.url.searchParams;
  const r = roomOf(ctx.app, query.get('tenant') ?? '');
  const channelId = str(query.get('channelId') ?? undefined, 'channelId');
  const settings = readSettings(ctx.app.db, r.tenantId, channelId);
  if (!settings) throw new HttpError(404, 'not_found', 'no such channel');
  const q = (query.get('q') ?? '').slice(0, 2000);
  const base = ctx.app.publicBase();
  const found = settings.preChat.faqSuggestions ? faqSuggestions(ctx.app.db, r.tenantId, channelId, channelLanguage(query.get('lang')) ?? settings.language, q) : [];
  ctx.json(200, { suggestions: found.map((f) => ({ ...f, url: f.url.startsWith('/') ? `${base}${f.url}` : f.url })) });
};

/**
 * `POST /api/offline-requests {tenant, channelId, name?, email?, phone?, category?, priority?, message}`
 * → `201 {number}`: a request in the reference CRM, when the channel's offline form takes them.
 * Counted against the chat starts of the client's address.
 */
export const offlineRequest: Handler<'public'> = async (ctx) => {
  const body = await ctx.body();
  const r = roomOf(ctx.app, str(body.tenant, 'tenant'));
  const channelId = str(body.channelId, 'channelId');
  const settings = readSettings(ctx.app.db, r.tenantId, channelId);
  if (!settings) throw new HttpError(404, 'not_found', 'no such channel');
  if (!ctx.app.allowStart(r.tenantId, ctx.request.remoteAddress)) {
    throw new HttpError(429, 'rate_limited', 'chat_starts_per_minute: too many requests; wait a minute', undefined, 'chat_starts_per_minute');
  }
  const form = checkOfflineRequest(settings, body);
  const name = ctx.app.db.get<{ name: string }>('SELECT name FROM channels WHERE tenant_id = ? AND id = ?', [r.tenantId, channelId])?.name ?? channelId;
  const created = createOfflineRequest(ctx.app.db, r.tenantId, name, form, ctx.app.clock.now());
  ctx.app.log.info('journey.offline-request', { channel: channelId });
  ctx.json(201, { number: created.number });
};

/** The customer's own session (customer tokens only). */
function customerSession(ctx: Parameters<Handler<'agent-or-customer'>>[0]): { tenantId: string; sessionId: string } {
  if (ctx.principal.role !== 'customer') throw new HttpError(403, 'forbidden', 'only the customer of a chat uses the post-chat form');
  return { tenantId: ctx.principal.tenantId, sessionId: ctx.principal.subjectId };
}

/** `POST /api/chats/feedback {rating, comment?}` → the rating stored on the customer's ended chat. */
export const feedback: Handler<'agent-or-customer'> = async (ctx) => {
  const { tenantId, sessionId } = customerSession(ctx);
  ctx.json(200, rateChat(ctx.app.db, tenantId, sessionId, await ctx.body(), ctx.app.clock.now()));
};

/** `POST /api/chats/transcript {email}` → the transcript e-mailed in the chat's language (202 once handed to the mail server). */
export const transcript: Handler<'agent-or-customer'> = async (ctx) => {
  const { tenantId, sessionId } = customerSession(ctx);
  const mailer = ctx.app.mailer;
  if (!mailer) throw new HttpError(503, 'unavailable', 'this server sends no e-mail');
  const timeZone = ctx.app.db.get<{ time_zone: string }>('SELECT time_zone FROM tenants WHERE id = ?', [tenantId])?.time_zone ?? 'UTC';
  const t = transcriptFor(ctx.app.db, tenantId, sessionId, await ctx.body(), timeZone);
  try {
    await mailer.send(t.to, t.mail);
  } catch (error) {
    t.undo();
    ctx.app.log.warn('journey.transcript-failed', { error: error instanceof Error ? error.message : String(error) });
    throw new HttpError(502, 'unavailable', 'the mail server did not take the e-mail; try again later');
  }
  ctx.app.log.info('journey.transcript-sent', { language: t.language });
  ctx.json(202, { ok: true });
};

/** `POST /api/chats/return` → `{status: 'active' | 'queued'}`: the customer's ended chat again, within the channel's grace period. */
export const returnToChat: Handler<'agent-or-customer'> = (ctx) => {
  const { tenantId, sessionId } = customerSession(ctx);
  const grace = returnGraceMs(ctx.app.db, tenantId, sessionId);
  if (grace === 0) throw new HttpError(403, 'forbidden', 'this channel does not let customers return to a chat');
  ctx.json(200, { status: roomOf(ctx.app, tenantId).reopenChat(sessionId, grace) });
};

const editor = (ctx: Parameters<Handler<'agent'>>[0]) => new ChannelSettingsEditor(ctx.app.db, ctx.app.provisioning, () => ctx.app.clock.now());

/** `GET /api/channels/:channel/settings` → the editor's view (managers of the channel). */
export const getSettings: Handler<'agent'> = (ctx) => {
  ctx.json(200, editor(ctx).view(ctx.principal.tenantId, ctx.principal.subjectId, ctx.params.channel ?? ''));
};

/**
 * `GET /api/channels/:channel/wrap-up` → the channel's wrap-up requirements (`WrapUpSettings`:
 * closing comment off/optional/required, the tags to choose from, a tag required), for every agent
 * of the channel (any permission): the console's End chat dialog asks for what the channel needs.
 * Anyone else (and an unknown channel) 403, so channels cannot be probed.
 */
export const wrapUpSettings: Handler<'agent'> = (ctx) => {
  const r = roomOf(ctx.app, ctx.principal.tenantId);
  const channelId = ctx.params.channel ?? '';
  const settings = r.store.access(ctx.principal.subjectId)?.channels.has(channelId) === true ? readSettings(ctx.app.db, r.tenantId, channelId) : undefined;
  if (!settings) throw new HttpError(403, 'forbidden', 'only agents of this channel can read its wrap-up settings');
  ctx.json(200, settings.wrapUp);
};

/** `PUT /api/channels/:channel/settings {name?, warnAfterSeconds?, managerWarnAfterSeconds?, settings?, agents?}`. */
export const putSettings: Handler<'agent'> = async (ctx) => {
  const body = await ctx.body(256 * 1024);
  ctx.json(200, editor(ctx).update(ctx.principal.tenantId, ctx.principal.subjectId, ctx.params.channel ?? '', body));
};

/**
 * `POST /api/bot/turn {tenant, channelId, lang?, text, bot?: {conversation, proof}}` → the bot's
 * answer appended to the signed conversation, and whether it hands the customer to the queue
 * (journey/bot.ts). Counted against the chat starts of the client's address.
 */
export const botTurnHandler: Handler<'public'> = async (ctx) => {
  const body = await ctx.body();
  const r = roomOf(ctx.app, str(body.tenant, 'tenant'));
  const channelId = str(body.channelId, 'channelId');
  const settings = readSettings(ctx.app.db, r.tenantId, channelId);
  if (!settings) throw new HttpError(404, 'not_found', 'no such channel');
  if (!settings.bot.enabled || settings.bot.url === '') throw new HttpError(409, 'conflict', 'this channel has no bot');
  const text = str(body.text, 'text').trim();
  if (text === '' || text.length > MAX_MESSAGE_TEXT) throw new HttpError(400, 'invalid', `text: 1 to ${String(MAX_MESSAGE_TEXT)} characters`);
  const before = body.bot === undefined ? [] : await checkConversation(ctx.app.db, r.tenantId, channelId, body.bot);
  if (!before) throw new HttpError(400, 'invalid', 'bot: not a conversation this server signed for this channel');
  if (before.filter((t) => t.from === 'customer').length >= MAX_BOT_TURNS) throw new HttpError(409, 'conflict', 'the bot conversation is over: start the chat');
  if (!ctx.app.allowStart(r.tenantId, ctx.request.remoteAddress)) {
    throw new HttpError(429, 'rate_limited', 'chat_starts_per_minute: too many requests; wait a minute', undefined, 'chat_starts_per_minute');
  }
  const language = channelLanguage(typeof body.lang === 'string' ? body.lang : undefined) ?? settings.language;
  const now = ctx.app.clock.now();
  const result = await botTurn(ctx.app.db, { tenantId: r.tenantId, channelId, language, bot: settings.bot, base: ctx.app.publicBase(), now }, before, text);
  if (result.handoff) ctx.app.log.info('bot.handoff', { channel: channelId, reason: result.handoff });
  ctx.json(200, result);
};
