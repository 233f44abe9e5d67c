/**
 * Signing in and out: the demo sign-in (a picker of the demo tenant's agents), connect tickets,
 * logout.
 */
import { AGENT_TOKEN_TTL_MS } from '../../../src/protocol/limits.js';
import type { Handler } from '../router.js';
import { HttpError, roomOf, str } from '../router.js';

/** `POST /api/demo/login {tenant, agentId}` → an agent access token (demo only: no password). */
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
