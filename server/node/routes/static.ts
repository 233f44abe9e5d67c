/**
 * The demo pages (`/demo/…`) and built bundles (`/dist/…`) from the static root, and `/` → `/demo/`.
 *
 * Demo pages are served under a strict Content Security Policy (no inline script or style, no
 * eval, Trusted Types required for script sinks), the policy docs/security.md asks integrators
 * to use. The bundles under `/dist/` are public code: any origin may load them as module scripts
 * (`Access-Control-Allow-Origin: *`, no credentials), so a company site can take the widget
 * straight from the chat server and its lazy chunks follow from the same base URL.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';

import type { Handler } from '../router.js';
import { HttpError } from '../router.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** The demo pages' policy: only this server and, for images, the attachment origin. */
export function demoContentSecurityPolicy(attachmentOrigin: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: blob: ${attachmentOrigin}`,
    `connect-src 'self' ${attachmentOrigin}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
    "require-trusted-types-for 'script'",
  ].join('; ');
}

export const home: Handler<'public'> = (ctx) => {
  ctx.res.writeHead(302, { Location: '/demo/' }).end();
};

export const staticFile: Handler<'public'> = (ctx) => {
  const root = ctx.app.options.staticRoot === undefined ? undefined : resolve(ctx.app.options.staticRoot);
  if (!root) throw new HttpError(404, 'not_found', 'not found');
  let rel: string;
  try {
    rel = normalize(decodeURIComponent(ctx.url.pathname));
  } catch {
    throw new HttpError(400, 'invalid', 'bad path');
  }
  if (!rel.startsWith('/demo/') && !rel.startsWith('/dist/') && rel !== '/demo') throw new HttpError(404, 'not_found', 'not found');
  let file = resolve(join(root, rel));
  if (!file.startsWith(root + sep)) throw new HttpError(404, 'not_found', 'not found');
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!existsSync(file) || !statSync(file).isFile()) throw new HttpError(404, 'not_found', 'not found');
  const type = extname(file);
  ctx.res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[type] ?? 'application/octet-stream',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
    'Referrer-Policy': 'no-referrer',
    ...(type === '.html' ? { 'Content-Security-Policy': demoContentSecurityPolicy(ctx.app.attachments.origin) } : {}),
    ...(rel.startsWith('/dist/') ? { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' } : {}),
  });
  createReadStream(file).pipe(ctx.res);
};
