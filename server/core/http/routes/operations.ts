/** Operations: liveness, readiness and metrics (docs/operations.md § 7). */
import { jsonResponse, type Handler } from '../router.js';

/** `GET /health` (liveness: the process answers) → `{status: 'ok', connections, rooms}`. */
export const health: Handler<'public'> = (ctx) => {
  let connections = 0;
  for (const r of ctx.app.rooms.values()) connections += r.connectionCount;
  ctx.json(200, { status: 'ok', connections, rooms: ctx.app.rooms.size });
};

/**
 * `GET /ready` (readiness: send traffic here) → 200 `{status: 'ready'}` while the database answers
 * a query; 503 `{status: 'unavailable', reason}` when it does not or the server is shutting down.
 */
export const ready: Handler<'public'> = (ctx) => {
  const r = ctx.app.ready?.() ?? { ready: true };
  const headers = { 'Cache-Control': 'no-store' };
  ctx.respond(r.ready ? jsonResponse(200, { status: 'ready' }, headers) : jsonResponse(503, { status: 'unavailable', reason: r.reason ?? 'not ready' }, headers));
};

/** `GET /metrics` (auth `metrics-key`) → the Prometheus text format (the host's `App.metrics`). */
export const metrics: Handler<'metrics-key'> = (ctx) => {
  const body = ctx.app.metrics?.() ?? '';
  ctx.respond(new Response(body, { status: 200, headers: { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' } }));
};
