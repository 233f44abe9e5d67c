/**
 * `/api/replies…`: the reply library. The host-independent handler (server/core/replies.ts)
 * routes, validates and answers; this reads the body and makes stored FAQ paths absolute.
 */
import { handleRepliesRequest, ReplyStore } from '../../replies.js';
import type { Handler } from '../router.js';

export const replies: Handler<'agent'> = async (ctx) => {
  const method = ctx.method;
  const body = (method === 'POST' || method === 'PATCH') && ctx.request.header('content-type') !== undefined ? await ctx.body() : undefined;
  const base = ctx.app.publicBase();
  const result = handleRepliesRequest(new ReplyStore(ctx.app.db, ctx.principal.tenantId), {
    method,
    path: ctx.url.pathname.slice('/api/replies'.length),
    query: ctx.url.searchParams,
    body,
    principal: ctx.principal,
    now: ctx.app.clock.now(),
    resolveUrl: (u) => (u.startsWith('/') ? `${base}${u}` : u),
  });
  ctx.json(result.status, result.body);
};
