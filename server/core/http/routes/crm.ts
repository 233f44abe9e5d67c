/**
 * `/api/crm/…`: the demo CRM. The host-independent handler (server/core/crm-api.ts) routes,
 * validates and answers; this reads the body and passes the verified agent.
 */
import { handleCrmRequest } from '../../crm-api.js';
import type { Handler } from '../router.js';

export const crm: Handler<'agent'> = async (ctx) => {
  const method = ctx.method;
  const body = method === 'POST' ? await ctx.body() : undefined;
  const answer = handleCrmRequest(ctx.app.db, { method, path: ctx.url.pathname, query: ctx.url.searchParams, body, principal: ctx.principal, now: ctx.app.clock.now() });
  ctx.json(answer.status, answer.body);
};
