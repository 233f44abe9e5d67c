/**
 * Demo-only routes (a server started with `--demo`; otherwise 404). Two of them play the backends
 * of the sample pages, so that the demo signs in exactly as a real integration does:
 *
 * - `POST /api/demo/crm-token {agentId}`: "the CRM's backend" of the sample CRM page. It signs a
 *   short-lived JWT for the picked user with the demo tenant's sign-in secret; the page exchanges
 *   it at `POST /api/auth/jwt` like any CRM (docs/integration.md).
 * - `POST /api/demo/shop-identity {customerId}`: "the shop's backend" of the sample company site:
 *   a signed customer identity token for one of its demo accounts, given to `<chat-visitor>`.
 *
 * A real CRM or shop signs these on its own server with its own secret and never offers a route
 * that signs for anyone: these exist because the demo has no users to sign in.
 *
 * With `--demo-superoffice` (Node host) the server also plays the backend of a SuperOffice app for
 * the sample CRM page's `?crm=superoffice` mode, against the local SuperOffice stand-in (not
 * SuperOffice): `GET /api/demo/superoffice` says where the stand-in's WebAPI is, and `POST
 * /api/demo/superoffice/token {fresh?}` gives a signed-in agent of the demo tenant an access token
 * for it. The OAuth client (secret, refresh token) stays on the server, as SuperOffice asks.
 *
 * `GET /api/demo/agents` lists the demo tenant's agents for the picker. `POST /api/demo/login
 * {tenant, agentId}` signs any agent of any tenant in without a token: a helper for tests and the
 * load benchmark only (the demo page does not use it).
 */
import { SignJWT } from 'jose';

import { AGENT_TOKEN_TTL_MS } from '../../../../src/protocol/limits.js';
import { randomId } from '../../auth.js';
import { DEMO_SHOP_CUSTOMERS } from '../../seed.js';
import type { Handler } from '../router.js';
import { HttpError, roomOf, str } from '../router.js';

const DEMO_TENANT = 'demo';

/** `GET /api/demo/agents?tenant=` → the agents of the demo picker. */
export const demoAgents: Handler<'demo'> = (ctx) => {
  const r = roomOf(ctx.app, ctx.url.searchParams.get('tenant') ?? '');
  ctx.json(200, {
    agents: r.store.agents().map((a) => {
      const perms = [...(r.store.access(a.id)?.channels.values() ?? [])];
      return {
        id: a.id,
        name: a.name,
        supervisor: perms.some((p) => p.listen || p.manager),
        channels: perms.map((c) => c.name),
      };
    }),
  });
};

/** `POST /api/demo/crm-token {agentId}` → `{token}`: the demo CRM's backend signs a sign-in JWT (60 s). */
export const demoCrmToken: Handler<'demo'> = async (ctx) => {
  const body = await ctx.body();
  const agentId = str(body.agentId, 'agentId');
  const config = ctx.app.provisioning.signIn.config(DEMO_TENANT);
  if (config?.hs256Secret == null) throw new HttpError(404, 'not_found', 'the demo tenant has no sign-in secret');
  const agent = ctx.app.room(DEMO_TENANT)?.store.agent(agentId);
  if (!agent || (agent.deleted_at ?? null) !== null) throw new HttpError(404, 'not_found', 'unknown demo agent');
  const now = Math.floor(ctx.app.clock.now() / 1000);
  const token = await new SignJWT({ name: agent.name, ...(agent.email ? { email: agent.email } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(agent.external_id ?? agent.id)
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + 60)
    .setJti(randomId())
    .sign(new TextEncoder().encode(config.hs256Secret));
  ctx.json(200, { token });
};

/** `POST /api/demo/shop-identity {customerId}` → `{token, customer}`: the demo shop signs who its signed-in customer is (1 h). */
export const demoShopIdentity: Handler<'demo'> = async (ctx) => {
  const body = await ctx.body();
  const customerId = str(body.customerId, 'customerId');
  const customer = DEMO_SHOP_CUSTOMERS.find((c) => c.id === customerId);
  const secret = ctx.app.provisioning.signIn.customerSecret(DEMO_TENANT);
  if (!customer || secret === undefined) throw new HttpError(404, 'not_found', 'unknown demo shop customer');
  const now = Math.floor(ctx.app.clock.now() / 1000);
  const token = await new SignJWT({ name: customer.name, email: customer.email })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(customer.id)
    .setIssuedAt(now)
    .setExpirationTime(now + 60 * 60)
    .sign(new TextEncoder().encode(secret));
  ctx.json(200, { token, customer });
};

const standInOff = () => new HttpError(404, 'not_found', 'the SuperOffice stand-in is off (start the server with --demo --demo-superoffice; npm start does)');

/** `GET /api/demo/superoffice` → `{name, webApiUrl}` of the SuperOffice stand-in, or 404 when it is off. */
export const demoSuperOffice: Handler<'demo'> = (ctx) => {
  const so = ctx.app.superOffice;
  if (!so) throw standInOff();
  ctx.json(200, { name: so.name, webApiUrl: so.webApiUrl });
};

/** `POST /api/demo/superoffice/token {fresh?}` (a demo agent's Bearer token) → `{accessToken}` for the stand-in. */
export const demoSuperOfficeToken: Handler<'agent'> = async (ctx) => {
  const so = ctx.app.superOffice;
  if (ctx.app.options.demo !== true || !so) throw standInOff();
  if (ctx.principal.tenantId !== DEMO_TENANT) throw new HttpError(403, 'forbidden', 'only agents of the demo tenant');
  const body = await ctx.body();
  ctx.json(200, { accessToken: await so.accessToken(body.fresh === true) });
};

/** `POST /api/demo/login {tenant, agentId}` → an agent access token with no token at all: tests and benchmarks only. */
export const demoLogin: Handler<'demo'> = async (ctx) => {
  const body = await ctx.body();
  const tenantId = str(body.tenant, 'tenant');
  const agentId = str(body.agentId, 'agentId');
  const r = ctx.app.room(tenantId);
  const agent = r?.store.agent(agentId);
  if (!r || !agent || (agent.deleted_at ?? null) !== null) throw new HttpError(404, 'not_found', 'unknown tenant or agent');
  if (!r.store.access(agentId)) throw new HttpError(403, 'forbidden', 'this agent is disabled');
  const { token, expiresAt } = await ctx.app.tokens.issueAccess({ tenantId, role: 'agent', subjectId: agentId }, AGENT_TOKEN_TTL_MS);
  ctx.json(200, { token, expiresAt, agent: { id: agent.id, name: agent.name } });
};
