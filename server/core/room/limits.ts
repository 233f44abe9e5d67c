/**
 * The limits an operator sets: server options (`ChatServerOptions.limits`, CLI flags and
 * environment variables of the Node host) over the defaults of `src/protocol/limits.ts`. A room
 * reads them through a function of its tenant ({@link LimitsFor}), so per-tenant values stored
 * with the tenant (provisioning) can be layered on top later without touching the room.
 */
import {
  CHAT_STARTS_PER_MINUTE,
  FRAMES_PER_MINUTE,
  MAX_CONNECTIONS_PER_TENANT,
  MAX_CONNECTIONS_PER_USER,
  TYPING_PER_SECOND,
} from '../../../src/protocol/limits.js';
import type { LimitName } from '../../../src/protocol/limits.js';

export interface RoomLimits {
  /** Open connections of the tenant, agents' consoles and customers' widgets together. */
  connectionsPerTenant: number;
  /** Open connections of one user: an agent, or the customer of one chat. */
  connectionsPerUser: number;
  /** Frames one connection may send per minute (a bucket of this size, refilled evenly); typing apart. */
  framesPerMinute: number;
  /** Typing frames per second and connection that are relayed; the rest are dropped. */
  typingPerSecond: number;
  /** Chats one client address may start per minute (`POST /api/chats`). */
  chatStartsPerMinute: number;
}

export const DEFAULT_LIMITS: Readonly<RoomLimits> = Object.freeze({
  connectionsPerTenant: MAX_CONNECTIONS_PER_TENANT,
  connectionsPerUser: MAX_CONNECTIONS_PER_USER,
  framesPerMinute: FRAMES_PER_MINUTE,
  typingPerSecond: TYPING_PER_SECOND,
  chatStartsPerMinute: CHAT_STARTS_PER_MINUTE,
});

/** The wire name of each limit (what a refusal names). */
export const LIMIT_NAME: Readonly<Record<keyof RoomLimits, LimitName>> = Object.freeze({
  connectionsPerTenant: 'connections_per_tenant',
  connectionsPerUser: 'connections_per_user',
  framesPerMinute: 'frames_per_minute',
  typingPerSecond: 'typing_per_second',
  chatStartsPerMinute: 'chat_starts_per_minute',
});

/** The limits of one tenant, as its room reads them (cheap: called per connection and frame). */
export type LimitsFor = (tenantId: string) => Readonly<RoomLimits>;

/**
 * `base` with `overrides` on top; throws a `RangeError` naming the option when a value is not a
 * whole number of at least 1.
 */
export function withLimits(base: Readonly<RoomLimits>, overrides: Partial<RoomLimits> = {}): Readonly<RoomLimits> {
  const out = { ...base };
  for (const key of Object.keys(LIMIT_NAME) as (keyof RoomLimits)[]) {
    const value = overrides[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`limit ${key}: ${String(value)} is not a whole number of at least 1`);
    out[key] = value;
  }
  return Object.freeze(out);
}

/**
 * The server's limits for every tenant, with a tenant's own values (when `perTenant` gives any)
 * layered on top. Per-tenant values are resolved once per tenant and cached until
 * `forget(tenantId)` (call it when a tenant's settings change).
 */
export function tenantLimits(server: Readonly<RoomLimits>, perTenant?: (tenantId: string) => Partial<RoomLimits> | undefined): LimitsFor & { forget(tenantId: string): void } {
  const cache = new Map<string, Readonly<RoomLimits>>();
  const limitsFor = (tenantId: string): Readonly<RoomLimits> => {
    if (!perTenant) return server;
    let limits = cache.get(tenantId);
    if (!limits) cache.set(tenantId, (limits = withLimits(server, perTenant(tenantId))));
    return limits;
  };
  return Object.assign(limitsFor, {
    forget: (tenantId: string) => {
      cache.delete(tenantId);
    },
  });
}
