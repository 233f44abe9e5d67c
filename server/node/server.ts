/**
 * The Node host: the HTTP API, static demo files and WebSockets on one port, over one SQLite file.
 *
 *   ../core/http/     the HTTP API of both hosts: routes/index.ts, every endpoint, one line each,
 *                     with who may call it (router.ts: matching, auth levels, the /api/ prologue,
 *                     the error format); http.ts adapts Node's request and response to it
 *   sockets.ts        the WebSocket route /parties/chat/<tenant> and its heartbeat
 *   attachments.ts    the attachment files and the separate attachment origin
 *
 * This file opens the database, starts the rooms on demand, wires the parts together, listens,
 * and closes everything in order.
 */
import type { MailerOptions } from './mailer.js';
import { createMailer } from './mailer.js';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';

import { TokenService } from '../core/auth.js';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import { MinuteBudget, SignInFailures } from '../core/budget.js';
import { migrate } from '../core/migrations/index.js';
import { ApiKeys } from '../core/provisioning/api-keys.js';
import { Provisioning } from '../core/provisioning/index.js';
import type { OverloadLimits, RoomLimits, RoomLogger } from '../core/room/index.js';
import { Admission, ChatRoom, DEFAULT_LIMITS, LIMIT_NAME, RoomMetrics, storedLimits, tenantLimits, withLimits, withOverload } from '../core/room/index.js';
import { seedDemo, seedDemoIdentity, seedDemoTargets } from '../core/seed.js';
import { AgentSignIn } from '../core/identity/agent-sign-in.js';
import { seedDemoReplies } from '../core/replies-seed.js';
import { seedDemoCrm } from '../core/crm-seed.js';
import { TenantStore } from '../core/store/index.js';
import type { SqliteDatabase } from './sqlite.js';
import { openSqlite } from './sqlite.js';
import { lockDataDir } from './data-lock.js';
import type { AttachmentHost } from './attachments.js';
import { startAttachmentHost } from './attachments.js';
import type { Logger } from 'pino';
import type { App } from '../core/http/router.js';
import { errorResponse, HttpError, Router, serve } from '../core/http/router.js';
import { ROUTES } from '../core/http/routes/index.js';
import { serveNode, staticFileFrom } from './http.js';
import type { ServerLogger } from './log.js';
import { fromRoomLogger, serverLogger, silentServerLogger } from './log.js';
import { HostMetrics } from './metrics.js';
import { clientAddress, trustList } from './client-address.js';
import type { ForkEdge } from './edges.js';
import type { Sockets } from './sockets.js';
import { attachSockets } from './sockets.js';
import { createSuperOfficeOAuth } from '../../src/crm/superoffice/oauth.js';
import type { SuperOfficeStandIn } from './superoffice-stand-in.js';
import { demoStandInData, STAND_IN_CLIENT, STAND_IN_NAME, startSuperOfficeStandIn } from './superoffice-stand-in.js';

export interface ChatServerOptions {
  /** Port to listen on; 0 picks a free one. */
  port?: number;
  host?: string;
  /** Directory of the SQLite file (`chat.db`). */
  dataDir: string;
  /** Seed the demo tenant and enable the demo login endpoints. */
  demo?: boolean;
  /** With `demo`: response-time targets and priority rules on the demo's Support channel (seed.ts `seedDemoTargets`). */
  demoTargets?: boolean;
  /**
   * With `demo`: start the SuperOffice stand-in (superoffice-stand-in.ts: local, NOT SuperOffice)
   * on a free port of `host`, with made-up records; this server then plays the backend that holds
   * its OAuth client (`/api/demo/superoffice…`), so the sample CRM page can run the adapter.
   */
  demoSuperOffice?: boolean;
  /** Extra origins allowed to open sockets and call the API (the server's own origin always is). */
  allowedOrigins?: string[];
  /** Directory served at `/` (demo pages under /demo, bundles under /dist). */
  staticRoot?: string;
  clock?: Clock;
  /**
   * TEST ONLY: a clock that `POST /api/test/clock {advanceMs}` moves forward (used as the
   * server's clock). Without it that route answers 404.
   */
  testClock?: Clock & { advance(ms: number): void };
  /** Where the room and the host log `event`s (plain info/warn); `logger` wins when both are given. */
  log?: RoomLogger;
  /** A pino logger: the structured JSON log, with the access log (one `http` line per request). */
  logger?: Logger;
  /** Turns on `GET /metrics` for callers that send this key as `Authorization: Bearer …`. */
  metricsKey?: string;
  /**
   * Reverse proxies whose `X-Forwarded-For` is believed (addresses, CIDR ranges, `loopback`,
   * `private`): the client address of rate limits and the access log (client-address.ts).
   */
  trustProxy?: readonly string[];
  /** Refused agent sign-ins (`POST /api/auth/jwt`) one client address may make per minute (default 30). */
  signInFailuresPerMinute?: number;
  synchronous?: 'FULL' | 'NORMAL';
  /** Largest attachment in bytes (default `MAX_FILE_BYTES`, 10 MB). */
  maxFileBytes?: number;
  /**
   * Public origin of the attachment listener, e.g. `https://files.example.com` behind a proxy
   * (default: the listener's own address). Downloads are served only there, sandboxed.
   */
  attachmentOrigin?: string;
  /** Port of the attachment listener (default 0: a free port; signed URLs live 5 minutes). */
  attachmentPort?: number;
  /** Public base URL of this server, for links to its own pages (FAQ paths); default its address. */
  publicUrl?: string;
  /**
   * Limits of every tenant (connections per tenant and per user, frames per minute, typing per
   * second, chat starts per minute); unset ones keep their defaults (docs/protocol.md § 9.1).
   */
  limits?: Partial<RoomLimits>;
  /** Chats one client address may start per minute in a tenant (default 20); same as `limits.chatStartsPerMinute`. */
  chatStartsPerMinute?: number;
  /**
   * The server's bounds under overload (the inbox of the group commit, all tenants together);
   * unset ones keep their defaults (`DEFAULT_OVERLOAD`, docs/protocol.md § 9.2).
   */
  overload?: Partial<OverloadLimits>;
  /** Outgoing mail (the transcript e-mail after a chat); without it no transcript is offered. */
  mail?: MailerOptions;
  /**
   * Edge processes that own the WebSockets (handshake, framing, heartbeat, decoding and
   * validation), one per spare core; this process keeps the rooms and the database. 0 (default):
   * every socket in this process. docs/architecture.md, "Processes of the Node host".
   */
  edgeWorkers?: number;
  /** How edge processes are started (default Node's `fork`; tests make a start fail with it). */
  edgeFork?: ForkEdge;
}

export interface ChatServer {
  readonly url: string;
  readonly port: number;
  readonly db: SqliteDatabase;
  readonly tokens: TokenService;
  /** Tenants, channels, agents and API keys (the code behind /api/provisioning and the admin CLI). */
  readonly provisioning: Provisioning;
  /** Whether the demo tenant was created by this start (false when the data was reused). */
  readonly seeded: boolean;
  /** With `demoSuperOffice`: the SuperOffice stand-in (local, not SuperOffice) the demo page's adapter talks to. */
  readonly superOfficeStandIn?: { readonly name: string; readonly webApiUrl: string };
  /** The attachment origin (download URLs point here) and its housekeeping. */
  readonly attachments: AttachmentHost;
  /** What every room of this server counts, added up (frames, messages, ack latency, commits, queue, refusals). */
  readonly metrics: RoomMetrics;
  room(tenantId: string): ChatRoom | undefined;
  /** Pids of the edge processes running now (empty without `edgeWorkers`). */
  edgePids(): number[];
  close(): Promise<void>;
}

export async function startChatServer(options: ChatServerOptions): Promise<ChatServer> {
  // The server's limits (checked before anything starts), with each tenant's own values
  // (`tenants.settings.limits`, set through provisioning) on top.
  const serverLimits = withLimits(DEFAULT_LIMITS, { ...options.limits, ...(options.chatStartsPerMinute !== undefined ? { chatStartsPerMinute: options.chatStartsPerMinute } : {}) });
  const overload = withOverload(options.overload);
  const clock = options.testClock ?? options.clock ?? systemClock;
  const log: ServerLogger = options.logger ? serverLogger(options.logger) : options.log ? fromRoomLogger(options.log) : silentServerLogger;
  // One server per data folder (data-lock.ts): refused at once with who holds it.
  const lock = lockDataDir(resolve(options.dataDir));
  let db: SqliteDatabase;
  try {
    db = openSqlite(join(options.dataDir, 'chat.db'), { synchronous: options.synchronous ?? 'FULL' });
  } catch (error) {
    lock.release();
    throw error;
  }
  try {
    migrate(db); // refuses a database of a newer server (SchemaTooNew)
  } catch (error) {
    db.close();
    lock.release();
    throw error;
  }
  const limitsFor = tenantLimits(serverLimits, (tenantId) => storedLimits(db.get<{ settings: string }>('SELECT settings FROM tenants WHERE id = ?', [tenantId])?.settings));
  const seeded = options.demo ? seedDemo(db, clock.now()) : false;
  if (options.demo) seedDemoReplies(db, 'demo', clock.now()); // once per data directory (reply library)
  if (options.demo) seedDemoCrm(db, 'demo', clock.now()); // once per data directory (the demo CRM)
  if (options.demo) seedDemoIdentity(db, clock.now()); // once per data directory (sign-in and shop secrets)
  if (options.demo && options.demoTargets === true) seedDemoTargets(db); // Support's reply targets and priority rules (npm start)
  const secret = process.env.CHAT_TOKEN_SECRET ?? TokenService.loadSecret(db);
  const tokens = new TokenService(db, () => clock.now(), secret);
  tokens.prune();
  const rooms = new Map<string, ChatRoom>();
  // One event loop, one capacity: every room counts into the same metrics and shares the bounds.
  const metrics = new RoomMetrics();
  const admission = new Admission(overload, metrics);

  const room = (tenantId: string): ChatRoom | undefined => {
    let r = rooms.get(tenantId);
    if (r) return r;
    const store = new TenantStore(db, tenantId);
    if (!store.tenant()) return undefined;
    r = new ChatRoom(tenantId, {
      store,
      clock,
      tokens,
      log,
      defer: (fn) => setImmediate(fn),
      limits: () => limitsFor(tenantId),
      timers: systemClock,
      metrics,
      admission,
    });
    rooms.set(tenantId, r);
    return r;
  };

  let selfOrigins: string[] = [];
  const originAllowed = (origin: string | undefined, tenantId?: string): boolean => {
    if (origin === undefined) return false;
    if (selfOrigins.includes(origin) || (options.allowedOrigins ?? []).includes(origin)) return true;
    if (tenantId) {
      const t = new TenantStore(db, tenantId).tenant();
      if (t && (JSON.parse(t.allowed_origins) as string[]).includes(origin)) return true;
    }
    return false;
  };

  // Start-chat requests per tenant, client address and minute (a customer widget needs one).
  // The HTTP side's figures (requests, refusals) for /metrics; the rooms count into `metrics`.
  const hostMetrics = new HostMetrics();
  const starts = new MinuteBudget(() => clock.now());
  const allowStart = (tenantId: string, addr: string): boolean => {
    if (starts.allow(`${tenantId}\n${addr}`, limitsFor(tenantId).chatStartsPerMinute)) return true;
    hostMetrics.refusals.refused(LIMIT_NAME.chatStartsPerMinute);
    return false;
  };
  // Refused agent sign-ins per client address and minute: past the limit, sign-in answers 429.
  const signInFailures = new SignInFailures(() => clock.now(), options.signInFailuresPerMinute);
  const clientAddressOf = clientAddress(options.trustProxy && options.trustProxy.length > 0 ? trustList(options.trustProxy) : undefined);

  let attachments: AttachmentHost;
  try {
    attachments = await startAttachmentHost({
      db,
      dataDir: options.dataDir,
      clock,
      secret,
      room,
      log,
      host: options.host ?? '127.0.0.1',
      ...(options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}),
      ...(options.attachmentPort !== undefined ? { port: options.attachmentPort } : {}),
      ...(options.attachmentOrigin !== undefined ? { origin: options.attachmentOrigin } : {}),
    });
  } catch (error) {
    db.close();
    lock.release();
    throw error;
  }

  // The demo's SuperOffice stand-in, and this server as the backend that holds its OAuth client.
  let standIn: SuperOfficeStandIn | undefined;
  if (options.demo && options.demoSuperOffice === true) {
    try {
      standIn = await startSuperOfficeStandIn(demoStandInData(clock.now()), { host: options.host ?? '127.0.0.1' });
    } catch (error) {
      await attachments.close();
      db.close();
      lock.release();
      throw error;
    }
  }
  const superOfficeAuth = standIn ? createSuperOfficeOAuth({ tokenUrl: standIn.tokenUrl, ...STAND_IN_CLIENT }) : undefined;

  const provisioning = new Provisioning(db, {
    now: () => clock.now(),
    pepper: process.env.CHAT_API_KEY_PEPPER ?? ApiKeys.loadPepper(db),
    // Only a room that runs has open consoles to tell; otherwise the database is enough.
    runningRoom: (tenantId) => rooms.get(tenantId),
    // A tenant's limits changed: the next connection and frame read them.
    settingsChanged: (tenantId) => {
      limitsFor.forget(tenantId);
    },
  });

  const signIn = new AgentSignIn({ db, now: () => clock.now(), tokens, provisioning, log });
  signIn.prune();

  let url = '';
  let closing: Promise<void> | undefined;
  const app: App = {
    options: { demo: options.demo, testClock: options.testClock, metricsKey: options.metricsKey },
    db,
    clock,
    tokens,
    log,
    provisioning,
    signIn,
    attachments: attachments.service,
    room,
    rooms,
    originAllowed,
    allowStart,
    publicBase: () => (options.publicUrl ?? url).replace(/\/+$/, ''),
    apiKey: (presented) => provisioning.keys.verify(presented),
    staticFile: staticFileFrom(options.staticRoot),
    signInAllowed: (address) => {
      if (signInFailures.allowed(address)) return true;
      hostMetrics.refusals.refused('sign_in_failures_per_minute');
      return false;
    },
    signInRefused: (address) => {
      hostMetrics.refusals.signIn += 1;
      signInFailures.failed(address);
    },
    ready: () => {
      if (closing) return { ready: false, reason: 'shutting down' };
      try {
        db.get('SELECT 1 AS one');
        return { ready: true };
      } catch (error) {
        return { ready: false, reason: `database: ${(error as Error).message}` };
      }
    },
    metrics: () => hostMetrics.render({ rooms, room: metrics, db, databaseFile: db.file, now: clock.now() }),
    ...(options.mail ? { mailer: createMailer(options.mail) } : {}),
    ...(standIn && superOfficeAuth
      ? { superOffice: { name: STAND_IN_NAME, webApiUrl: standIn.webApiUrl, origin: standIn.origin, accessToken: (fresh: boolean) => (fresh ? superOfficeAuth.refresh() : superOfficeAuth.accessToken()) } }
      : {}),
  };
  const router = new Router(ROUTES);
  const http: Server = createServer((req, res) => {
    serveNode(req, res, (request) => serve(app, router, request), (status) => errorResponse(status === 400 ? new HttpError(400, 'invalid', 'bad request target') : new HttpError(500, 'internal', 'internal error')), { log, metrics: hostMetrics, clientAddress: clientAddressOf });
  });
  let sockets: Sockets;
  try {
    sockets = await attachSockets(http, app, options.edgeWorkers ?? 0, {
      ...(options.edgeFork ? { fork: options.edgeFork } : {}),
      // Frames an edge refused itself count with the rooms' refusals (`edge_backlog`).
      shed: (count) => {
        metrics.refusals.edge_backlog = (metrics.refusals.edge_backlog ?? 0) + count;
      },
    });
  } catch (error) {
    hostMetrics.stop();
    await attachments.close();
    await standIn?.close();
    db.close();
    lock.release();
    throw error;
  }

  const housekeeping = setInterval(() => {
    tokens.prune();
    signIn.prune();
  }, 10 * 60_000);
  housekeeping.unref();

  try {
    await new Promise<void>((resolveListen, rejectListen) => {
      http.once('error', rejectListen);
      http.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        http.off('error', rejectListen);
        resolveListen();
      });
    });
  } catch (error) {
    clearInterval(housekeeping);
    app.mailer?.close();
    await sockets.close();
    await attachments.close();
    await standIn?.close();
    db.close();
    lock.release();
    throw error;
  }
  const port = (http.address() as AddressInfo).port;
  selfOrigins = [`http://localhost:${String(port)}`, `http://127.0.0.1:${String(port)}`];
  const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : 'localhost';
  url = `http://${host === '127.0.0.1' ? 'localhost' : host}:${String(port)}`;

  return {
    url,
    port,
    db,
    tokens,
    provisioning,
    seeded,
    ...(standIn ? { superOfficeStandIn: { name: STAND_IN_NAME, webApiUrl: standIn.webApiUrl } } : {}),
    attachments,
    metrics,
    room,
    edgePids: () => sockets.edges?.pids() ?? [],
    close() {
      closing ??= (async () => {
        clearInterval(housekeeping);
        hostMetrics.stop();
        // New work is refused from now; what waits is answered `overloaded`; the batches already
        // committed reach the disk and their answers go out; then every socket is closed (1001).
        admission.stop();
        await Promise.all([...rooms.values()].map((r) => r.shutdown()));
        await db.synced();
        const httpClosed = new Promise<void>((done) => {
          http.close(() => {
            done();
          });
        });
        http.closeAllConnections();
        await sockets.close();
        // Node's server counts the sockets handed to edge processes until each edge confirms they
        // are closed, and an edge that has exited (killed earlier, or just stopped) never does:
        // with edges, their exit is the end (the listening socket is closed already).
        if (!sockets.edges) await httpClosed;
        await attachments.close();
        await standIn?.close();
        app.mailer?.close();
        db.close();
        lock.release();
      })();
      return closing;
    },
  };
}
