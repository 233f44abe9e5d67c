/** The demo pages (`/demo/…`) and built bundles (`/dist/…`) from the static root, and `/` → `/demo/`. */
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
  ctx.res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
    'Referrer-Policy': 'no-referrer',
  });
  createReadStream(file).pipe(ctx.res);
};
