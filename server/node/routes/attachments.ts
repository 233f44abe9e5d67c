/**
 * `/api/attachments…`: uploads, signed download URLs and limits, answered by the attachment host
 * (server/node/attachments.ts), which also runs the separate download origin.
 */
import type { Handler } from '../router.js';

/** `GET /api/attachments/limits` → size and type limits (public: the widget reads them before sign-in). */
export const limits: Handler<'public'> = (ctx) => {
  ctx.app.attachments.limits(ctx.res);
};

/** `GET /api/attachments/:id/url` → a short-lived signed URL on the attachment origin. */
export const signedUrl: Handler<'agent-or-customer'> = (ctx) => ctx.app.attachments.signedUrl(ctx.res, ctx.params.id ?? '', ctx.principal);

/** `POST /api/attachments?sessionId=` (raw bytes, `X-File-Name`) → 201 {attachment}. */
export const upload: Handler<'agent-or-customer'> = (ctx) => ctx.app.attachments.upload(ctx.req, ctx.res, ctx.url, ctx.principal);
