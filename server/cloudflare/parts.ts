/**
 * What every object of this host is made of: its SQLite database with the core's migrations,
 * tokens, provisioning, attachments, and the core's HTTP {@link App} over them. The tenant object
 * (tenant.ts) adds its room; the registry (registry.ts) has none.
 */
import { AttachmentService } from '../core/attachment-service.js';
import { TokenService } from '../core/auth.js';
import { MinuteBudget, SignInFailures } from '../core/budget.js';
import { AgentSignIn } from '../core/identity/agent-sign-in.js';
import { systemClock } from '../core/clock.js';
import type { App, HttpRequest } from '../core/http/router.js';
import { ClientGone } from '../core/http/router.js';
import { migrate } from '../core/migrations/index.js';
import { Exposition, HttpRefusals, roomMetrics, runningRooms } from '../core/prometheus.js';
import { ApiKeys } from '../core/provisioning/api-keys.js';
import type { ApiKeyPrincipal, RunningRoom } from '../core/provisioning/index.js';
import { Provisioning } from '../core/provisioning/index.js';
import type { ChatRoom, LimitsFor, RoomLogger } from '../core/room/index.js';
import { DEFAULT_LIMITS, LIMIT_NAME, RoomMetrics, storedLimits, tenantLimits } from '../core/room/index.js';
import type { SqlPort } from '../core/sql.js';
import { TenantStore } from '../core/store/index.js';
import { r2Blobs } from './blobs.js';
import type { Env } from './env.js';
import { originList, positiveInt } from './env.js';
import { operatorKey } from './operator-key.js';
import { durableSql } from './sql.js';

/** Warnings to the Worker's log (`wrangler tail`, the `wrangler dev` terminal); never message bodies or tokens. */
export const workerLog: RoomLogger = {
  info: () => undefined,
  warn: (event, fields) => {
    console.warn(JSON.stringify({ event, ...fields }));
  },
};

export interface ObjectParts {
  readonly db: SqlPort;
  readonly tokens: TokenService;
  readonly provisioning: Provisioning;
  /** Agent sign-in with the CRM's JWT (the tenant's sign-in settings are in its database). */
  readonly signIn: AgentSignIn;
  readonly attachments: AttachmentService;
  readonly starts: MinuteBudget;
  /** Refused agent sign-ins per client address (this object's: a tenant's, or the registry's). */
  readonly signInFailures: SignInFailures;
  /** What the HTTP side refused, for `/metrics`. */
  readonly refusals: HttpRefusals;
  /** The tenant's limits: the defaults with the tenant's own values (`settings.limits`) on top. */
  readonly limits: LimitsFor;
}

/** The database (migrated) and the services over it. `room` is the object's room, if it has one. */
export function objectParts(env: Env, storage: DurableObjectStorage, room: (tenantId: string) => ChatRoom | undefined): ObjectParts {
  const db = durableSql(storage);
  migrate(db);
  const now = () => systemClock.now();
  const secret = env.CHAT_TOKEN_SECRET ?? TokenService.loadSecret(db);
  const running = (tenantId: string): RunningRoom | undefined => room(tenantId);
  const tokens = new TokenService(db, now, secret);
  const limits = tenantLimits(DEFAULT_LIMITS, (tenantId) => storedLimits(db.get<{ settings: string }>('SELECT settings FROM tenants WHERE id = ?', [tenantId])?.settings));
  const provisioning = new Provisioning(db, {
    now,
    pepper: env.CHAT_API_KEY_PEPPER ?? ApiKeys.loadPepper(db),
    runningRoom: running,
    settingsChanged: (tenantId) => {
      limits.forget(tenantId);
    },
  });
  return {
    db,
    tokens,
    provisioning,
    signIn: new AgentSignIn({ db, now, tokens, provisioning, log: workerLog }),
    attachments: new AttachmentService({
      clock: systemClock,
      secret,
      log: workerLog,
      blobs: r2Blobs(env.FILES),
      room,
      origin: () => (env.ATTACHMENT_ORIGIN ?? '').replace(/\/+$/, ''),
      maxFileBytes: positiveInt(env.CHAT_MAX_FILE_BYTES),
    }),
    starts: new MinuteBudget(now),
    signInFailures: new SignInFailures(now, positiveInt(env.CHAT_SIGN_IN_FAILURES_PER_MINUTE)),
    refusals: new HttpRefusals(),
    limits,
  };
}

/**
 * The core's App for one request: the request's own origin is this server's (the Worker is
 * reached under the names it is routed on), plus `ALLOWED_ORIGINS` and the tenant's allowed
 * origins.
 */
export function objectApp(
  env: Env,
  parts: ObjectParts,
  request: Request,
  own: {
    /** A key this object does not store (another object's), if the host can tell. */
    foreignKey?(presented: string): Promise<ApiKeyPrincipal | undefined>;
    room(tenantId: string): ChatRoom | undefined;
    rooms: ReadonlyMap<string, ChatRoom>;
  },
): App {
  const self = new URL(request.url).origin;
  const allowed = originList(env.ALLOWED_ORIGINS);
  return {
    // As on Node, a metrics key has at least 16 characters; a shorter one leaves /metrics off.
    options: { demo: env.DEMO === '1', metricsKey: (env.CHAT_METRICS_KEY ?? '').length >= 16 ? env.CHAT_METRICS_KEY : undefined },
    db: parts.db,
    clock: systemClock,
    tokens: parts.tokens,
    log: workerLog,
    provisioning: parts.provisioning,
    signIn: parts.signIn,
    attachments: parts.attachments,
    room: (tenantId) => own.room(tenantId),
    rooms: own.rooms,
    originAllowed: (origin, tenantId) => {
      if (origin === undefined) return false;
      if (origin === self || allowed.includes(origin)) return true;
      if (tenantId === undefined || !own.room(tenantId)) return false;
      const t = new TenantStore(parts.db, tenantId).tenant();
      return t !== undefined && (JSON.parse(t.allowed_origins) as string[]).includes(origin);
    },
    allowStart: (tenantId, address) => {
      if (parts.starts.allow(`${tenantId}\n${address}`, parts.limits(tenantId).chatStartsPerMinute)) return true;
      parts.refusals.refused(LIMIT_NAME.chatStartsPerMinute);
      return false;
    },
    signInAllowed: (address) => {
      if (parts.signInFailures.allowed(address)) return true;
      parts.refusals.refused('sign_in_failures_per_minute');
      return false;
    },
    signInRefused: (address) => {
      parts.refusals.signIn += 1;
      parts.signInFailures.failed(address);
    },
    // `GET /metrics?tenant=<id>` (the Worker routes it to the tenant's object): that tenant's room,
    // under the Node host's names; without a tenant the registry answers with no room.
    metrics: () => {
      const x = runningRooms(new Exposition(), parts.db, own.rooms, systemClock.now());
      const room = [...own.rooms.values()][0];
      return parts.refusals.lines(roomMetrics(x, room?.metrics ?? new RoomMetrics(), parts.refusals.byReason)).text();
    },
    publicBase: () => (env.PUBLIC_URL ?? self).replace(/\/+$/, ''),
    apiKey: async (presented) =>
      operatorKey(env.CHAT_OPERATOR_KEY, presented) ?? (await parts.provisioning.keys.verify(presented)) ?? (await own.foreignKey?.(presented)),
    // The Worker's static assets find the file; the core's route adds the same headers as on Node.
    staticFile: (r) => env.ASSETS.fetch(new Request(r.url.href, { method: r.method })),
  };
}

const KEY_ID = /^ccp_([0-9a-f]{10})\./;

/**
 * A key the asking object does not store: another tenant's (the registry's key index knows
 * whose) is that tenant's principal, so the route refuses it with 403 as the Node host does.
 */
export async function foreignKey(env: Env, presented: string, self?: string): Promise<ApiKeyPrincipal | undefined> {
  const id = KEY_ID.exec(presented)?.[1];
  if (id === undefined) return undefined;
  const owner = await env.Registry.get(env.Registry.idFromName('installation')).apiKeyOwner(id);
  if (owner === undefined || owner === self) return undefined;
  return env.Chat.get(env.Chat.idFromName(owner)).verifyApiKey(presented);
}

/** The core's view of a Fetch request (the client's address from `CF-Connecting-IP`). */
export function httpRequest(request: Request): HttpRequest {
  const url = new URL(request.url);
  return {
    method: request.method,
    url,
    header: (name) => request.headers.get(name) ?? undefined,
    remoteAddress: request.headers.get('cf-connecting-ip') ?? '?',
    body: () => chunks(request.body),
  };
}

async function* chunks(body: ReadableStream<Uint8Array> | null): AsyncIterable<Uint8Array> {
  if (!body) return;
  const reader = body.getReader();
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch {
        throw new ClientGone('the client went away during the request');
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    reader.releaseLock();
  }
}
