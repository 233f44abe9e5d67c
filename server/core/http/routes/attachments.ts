/**
 * `/api/attachments…`: uploads, signed download URLs and limits. The work is the host-independent
 * `AttachmentApi` (server/core/attachments.ts) over the host's file storage (a folder on the
 * Node host, R2 on Cloudflare); the downloads are served on the separate attachment origin.
 */
import type { Handler } from '../router.js';

/** `GET /api/attachments/limits` → size and type limits (public: the widget reads them before sign-in). */
export const limits: Handler<'public'> = (ctx) => {
  ctx.json(200, ctx.app.attachments.limits());
};

/** `GET /api/attachments/:id/url` → a short-lived signed URL on the attachment origin. */
export const signedUrl: Handler<'agent-or-customer'> = async (ctx) => {
  ctx.json(200, await ctx.app.attachments.signedUrl(ctx.params.id ?? '', ctx.principal));
};

/** `POST /api/attachments?sessionId=` (raw bytes, `X-File-Name`) → 201 {attachment}. */
export const upload: Handler<'agent-or-customer'> = async (ctx) => {
  ctx.respond(await ctx.app.attachments.upload(ctx.request, ctx.principal));
};

