/**
 * The chat side of the API: the chat start of the customer widget (its channel list is journey.ts), and
 * the console's HTTP reads (board snapshot, statistics, listen-in audit) and a manager's
 * permission change.
 */
import { verifyCustomerToken } from '../../identity/customer-identity.js';
import { readSettings } from '../../journey/settings.js';
import { checkConversation } from '../../journey/bot.js';
import { checkPreChat } from '../../journey/start.js';
import type { Handler } from '../router.js';
import { HttpError, optStr, roomOf, str } from '../router.js';

/**
 * `POST /api/chats {tenant, channelId, name?, email?, phone?, company?, consent?, lang?, identityToken?, bot?}` → a queued chat and
 * the customer's access token. `identityToken`: the website's signed token for its signed-in
 * customer (server/core/identity/customer-identity.ts). Verified, its name and e-mail are the
 * customer's (a name typed in the form wins for display) and the session is marked verified;
 * otherwise the chat starts all the same, marked unverified, with only what the customer typed.
 * The answer says which (`identity: 'verified' | 'unverified'`, absent without a token).
 * `bot`: the signed conversation of `POST /api/bot/turn`; it becomes the chat's first messages.
 */
export const startChat: Handler<'public'> = async (ctx) => {
  const body = await ctx.body();
  const tenantId = str(body.tenant, 'tenant');
  const r = roomOf(ctx.app, tenantId);
  if (!ctx.app.allowStart(r.tenantId, ctx.request.remoteAddress)) {
    throw new HttpError(429, 'rate_limited', 'chat_starts_per_minute: too many chats started; wait a minute', undefined, 'chat_starts_per_minute');
  }
  const rawToken = optStr(body.identityToken, 'identityToken');
  const identity =
    rawToken === undefined || rawToken === ''
      ? undefined
      : await verifyCustomerToken(rawToken, ctx.app.provisioning.signIn.customerSecret(tenantId), ctx.app.clock.now());
  const verified = identity?.status === 'verified' ? identity : undefined;
  const channelId = str(body.channelId, 'channelId');
  // The channel's pre-chat form: required fields, consent, the widget's language (journey/start.ts).
  const settings = readSettings(ctx.app.db, r.tenantId, channelId);
  const journey = settings ? checkPreChat(settings, body, ctx.app.clock.now(), { name: verified?.name, email: verified?.email }) : undefined;
  // Chatbot first: the conversation the bot had with the customer, as this server signed it (journey/bot.ts).
  const botPart = body.bot === undefined ? undefined : await checkConversation(ctx.app.db, r.tenantId, channelId, body.bot);
  if (body.bot !== undefined && !botPart) throw new HttpError(400, 'invalid', 'bot: not a conversation this server signed for this channel');
  const typedName = optStr(body.name, 'name');
  const started = await r.startChat({
    channelId,
    name: typedName !== undefined && typedName.trim() !== '' ? typedName : verified?.name,
    email: verified?.email ?? optStr(body.email, 'email'),
    phone: optStr(body.phone, 'phone'),
    identity,
    journey,
    botPart,
  });
  if (identity) ctx.app.log.info('chat.identity', { status: identity.status, ...(identity.reason ? { reason: identity.reason } : {}) });
  ctx.json(201, { ...started, ...(identity ? { identity: identity.status } : {}) });
};

/** `GET /api/snapshot` → the agent's board (customers get theirs over the socket). */
export const snapshot: Handler<'agent-or-customer'> = (ctx) => {
  const r = roomOf(ctx.app, ctx.principal.tenantId);
  if (ctx.principal.role !== 'agent') throw new HttpError(403, 'forbidden', 'customers receive their snapshot over the socket');
  ctx.json(200, r.boardSnapshot(ctx.principal.subjectId));
};

/** `GET /api/stats?channels=a,b` → dashboard statistics (docs/dashboard.md). */
export const stats: Handler<'agent'> = (ctx) => {
  const r = roomOf(ctx.app, ctx.principal.tenantId);
  const channels = ctx.url.searchParams.get('channels');
  const ids = channels === null || channels === '' ? undefined : channels.split(',').map((c) => c.trim()).filter((c) => c !== '');
  if (ids && (ids.length > 100 || ids.some((c) => c.length > 64))) throw new HttpError(400, 'invalid', 'channels: at most 100 ids');
  ctx.json(200, r.stats(ctx.principal.subjectId, ids));
};

/** `GET /api/audit/listen?sessionId=&from=&to=` → the listen-in audit (supervisors of the channel). */
export const listenAudit: Handler<'agent'> = (ctx) => {
  const r = roomOf(ctx.app, ctx.principal.tenantId);
  const query = ctx.url.searchParams;
  const sessionId = query.get('sessionId') ?? undefined;
  if (sessionId !== undefined && (sessionId === '' || sessionId.length > 64)) throw new HttpError(400, 'invalid', 'sessionId: an id');
  const time = (name: string): number | undefined => {
    const raw = query.get(name);
    if (raw === null || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < 0) throw new HttpError(400, 'invalid', `${name}: milliseconds since the epoch`);
    return n;
  };
  ctx.json(200, { entries: r.listenAudit(ctx.principal.subjectId, { sessionId, from: time('from'), to: time('to') }) });
};

/** `POST /api/admin/permissions {agentId, channelId, permissions}`: a channel's manager sets an agent's permissions there. */
export const managerSetsPermissions: Handler<'agent'> = async (ctx) => {
  const r = roomOf(ctx.app, ctx.principal.tenantId);
  const body = await ctx.body();
  const p = body.permissions;
  if (typeof p !== 'object' || p === null || Array.isArray(p)) throw new HttpError(400, 'invalid', 'permissions: {respond, notifications, listen, manager}');
  const flags = p as Record<string, unknown>;
  const flag = (name: string): boolean => {
    const value = flags[name];
    if (typeof value !== 'boolean') throw new HttpError(400, 'invalid', `permissions.${name}: true or false`);
    return value;
  };
  const perms = { respond: flag('respond'), notifications: flag('notifications'), listen: flag('listen'), manager: flag('manager') };
  r.setPermissionsBy(ctx.principal.subjectId, str(body.agentId, 'agentId'), str(body.channelId, 'channelId'), perms);
  ctx.json(200, { ok: true });
};
