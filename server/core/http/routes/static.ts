/**
 * The demo pages (`/demo/…`) and built bundles (`/dist/…`) from the host's static files, and `/`:
 * the demo's pages with `--demo`, otherwise a short plain-text note of what this server offers
 * (the npm package ships no demo pages, and an operator opening the address should see it runs).
 *
 * Demo pages are served under a strict Content Security Policy (no inline script or style, no
 * eval, Trusted Types required for script sinks), the policy docs/security.md asks integrators
 * to use. The bundles under `/dist/` are public code: any origin may load them as module scripts
 * (`Access-Control-Allow-Origin: *`, no credentials), so a company site can take the widget
 * straight from the chat server and its lazy chunks follow from the same base URL. The host only
 * finds the bytes (Node: the static root; Cloudflare: the assets); these headers are the same on both.
 */
import type { Handler } from '../router.js';

/**
 * The demo pages' policy: only this server and, for images, the attachment origin; `connect`:
 * more origins the pages may call (the SuperOffice stand-in of `--demo-superoffice`).
 */
export function demoContentSecurityPolicy(attachmentOrigin: string, connect: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: blob: ${attachmentOrigin}`,
    `connect-src 'self' ${[attachmentOrigin, ...connect].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
    "require-trusted-types-for 'script'",
  ].join('; ');
}

/** What `/` says when the demo is off (plain text: nothing in it is markup). */
export const HOME_TEXT = `crm-chat-elements server: running.

  Widget and console bundles:  /dist/cdn/chat-visitor.js, /dist/cdn/chat.js
  Health and readiness:        /health, /ready
  WebSockets:                  /parties/chat/<tenant>

There is no page here: the console and the widget run in your CRM and on your website.
See docs/integration.md and docs/operations.md of crm-chat-elements.
`;

export const home: Handler<'public'> = (ctx) => {
  if (ctx.app.options.demo === true) {
    ctx.respond(new Response(null, { status: 302, headers: { Location: '/demo/' } }));
    return;
  }
  ctx.respond(new Response(ctx.method === 'HEAD' ? null : HOME_TEXT, { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' } }));
};

export const staticFile: Handler<'public'> = async (ctx) => {
  const found = await ctx.app.staticFile(ctx.request);
  // A 304 (the host's ETag matched) takes the same headers as the 200 it stands for.
  if (!found.ok && found.status !== 304) {
    ctx.respond(found);
    return;
  }
  const headers = new Headers(found.headers);
  headers.set('X-Content-Type-Options', 'nosniff');
  headers.set('Referrer-Policy', 'no-referrer');
  if ((headers.get('content-type') ?? '').startsWith('text/html')) {
    headers.set('Content-Security-Policy', demoContentSecurityPolicy(ctx.app.attachments.origin(), ctx.app.superOffice ? [ctx.app.superOffice.origin] : []));
  }
  // The bundles and the theme files are public code any origin may load.
  if (ctx.url.pathname.startsWith('/dist/') || ctx.url.pathname.startsWith('/themes/')) {
    headers.set('Access-Control-Allow-Origin', '*');
    headers.set('Cross-Origin-Resource-Policy', 'cross-origin');
  }
  ctx.respond(new Response(found.body, { status: found.status, headers }));
};
