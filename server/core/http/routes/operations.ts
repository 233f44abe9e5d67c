/** Operations: liveness. */
import type { Handler } from '../router.js';

/** `GET /health` → `{status: 'ok', connections, rooms}`. */
export const health: Handler<'public'> = (ctx) => {
  let connections = 0;
  for (const r of ctx.app.rooms.values()) connections += r.connectionCount;
  ctx.json(200, { status: 'ok', connections, rooms: ctx.app.rooms.size });
};
