/**
 * The limits an operator sets: server options (`ChatServerOptions.limits`, CLI flags and
 * environment variables of the Node host) over the defaults of `src/protocol/limits.ts`. A room
 * reads them through a function of its tenant ({@link LimitsFor}), with the values stored with
 * the tenant (provisioning: `tenants.settings.limits`) layered on top ({@link tenantLimits}).
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

/** How long a tenant's own limits are cached when nothing says they changed (another process: the CLI). */
export const TENANT_LIMITS_TTL_MS = 10_000;

/**
 * The limits a tenant's stored settings set (`tenants.settings.limits`, written by provisioning):
 * the known keys with whole numbers of at least 1; anything else is left out (the server's value
 * applies).
 */
export function storedLimits(settingsJson: string | null | undefined): Partial<RoomLimits> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(settingsJson ?? '{}');
  } catch {
    return {};
  }
  const limits = typeof parsed === 'object' && parsed !== null ? (parsed as { limits?: unknown }).limits : undefined;
  if (typeof limits !== 'object' || limits === null) return {};
  const out: Partial<RoomLimits> = {};
  for (const key of Object.keys(LIMIT_NAME) as (keyof RoomLimits)[]) {
    const value = (limits as Record<string, unknown>)[key];
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1) out[key] = value;
  }
  return out;
}

/**
 * The server's limits for every tenant, with a tenant's own values (when `perTenant` gives any)
 * layered on top. Per-tenant values are read once per tenant and cached until `forget(tenantId)`
 * (provisioning calls it when it changes a tenant's settings, so the change applies to the next
 * connection and frame at once) or for at most `ttlMs` (changes written by another process, such
 * as the CLI).
 */
export function tenantLimits(
  server: Readonly<RoomLimits>,
  perTenant?: (tenantId: string) => Partial<RoomLimits> | undefined,
  options: { ttlMs?: number; now?: () => number } = {},
): LimitsFor & { forget(tenantId: string): void } {
  const ttlMs = options.ttlMs ?? TENANT_LIMITS_TTL_MS;
  const now = options.now ?? (() => performance.now());
  const cache = new Map<string, { limits: Readonly<RoomLimits>; until: number }>();
  const limitsFor = (tenantId: string): Readonly<RoomLimits> => {
    if (!perTenant) return server;
    const t = now();
    const hit = cache.get(tenantId);
    if (hit && hit.until > t) return hit.limits;
    const limits = withLimits(server, perTenant(tenantId));
    cache.set(tenantId, { limits, until: t + ttlMs });
    return limits;
  };
  return Object.assign(limitsFor, {
    forget: (tenantId: string) => {
      cache.delete(tenantId);
    },
  });
}
