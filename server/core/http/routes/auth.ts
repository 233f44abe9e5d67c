/**
 * Signing in and out: an agent's sign-in with a JWT the host CRM signed (docs/integration.md),
 * connect tickets, logout. (The demo's sign-in helpers are in demo.ts.)
 */
import { SignInError } from '../../identity/agent-sign-in.js';
import type { Handler } from '../router.js';
import { HttpError } from '../router.js';

/**
 * `POST /api/auth/jwt {tenant, token}` (the tenant may also be `?tenant=`, which browsers on the
 * tenant's own origin need for the origin check) → `{token, expiresAt, agent, created}`: the CRM's
 * JWT exchanged for the chat server's agent access token. Refusals carry a stable `reason`
 * (server/core/identity/agent-sign-in.ts). A client address with too many refused sign-ins this
 * minute (Node: default 30, `--sign-in-failures-per-minute`) gets 429 `sign_in_failures_per_minute`
 * until the minute ends; behind a proxy, `--trust-proxy` makes that the caller's address.
 */
export const jwtSignIn: Handler<'public'> = async (ctx) => {
  const address = ctx.request.remoteAddress;
  if (ctx.app.signInAllowed?.(address) === false) {
    throw new HttpError(429, 'rate_limited', 'too many refused sign-ins from this address; wait a minute', undefined, undefined, 'sign_in_failures_per_minute');
  }
  const body = await ctx.body();
  const fromQuery = ctx.url.searchParams.get('tenant');
  const fromBody = body.tenant;
  if (fromBody !== undefined && typeof fromBody !== 'string') throw new HttpError(400, 'invalid', 'tenant: the tenant id');
  if (fromQuery !== null && fromBody !== undefined && fromQuery !== fromBody) throw new HttpError(400, 'invalid', 'tenant: ?tenant= and the body name different tenants');
  const tenantId = fromBody ?? fromQuery ?? '';
  if (!/^[\w-]{1,64}$/.test(tenantId)) throw new HttpError(400, 'invalid', 'tenant: required, the tenant id');
  const token = body.token;
  if (typeof token !== 'string' || token === '') throw new HttpError(400, 'invalid', 'token: required, the JWT your CRM signed');
  for (const key of Object.keys(body)) {
    if (key !== 'tenant' && key !== 'token') throw new HttpError(400, 'invalid', `${key}: unknown field (allowed: tenant, token)`);
  }
  try {
    ctx.json(200, await ctx.app.signIn.exchange(tenantId, token));
  } catch (error) {
    if (error instanceof SignInError) ctx.app.signInRefused?.(address);
    throw error;
  }
};

/** `POST /api/tickets` → a single-use connect ticket for the caller's access token. */
export const ticket: Handler<'agent-or-customer'> = async (ctx) => {
  ctx.json(200, await ctx.app.tokens.issueTicket(ctx.principal));
};

/** `POST /api/logout`: ends the auth session and closes its sockets. */
export const logout: Handler<'agent-or-customer'> = (ctx) => {
  ctx.app.tokens.revoke(ctx.principal.authSessionId);
  ctx.app.room(ctx.principal.tenantId)?.dropAuthSession(ctx.principal.authSessionId);
  ctx.json(200, { ok: true });
};
