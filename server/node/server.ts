/**
 * The Node host: HTTP API, static demo files and WebSockets on one port, over one SQLite file.
 *
 * Routes (WebSocket path shaped like partyserver's, so the same client works on Cloudflare):
 *   GET  /parties/chat/<tenant>?_pk=<tab id>&token=<ticket>   WebSocket upgrade
 *   GET  /health                                               liveness and counts
 *   POST /api/demo/login    {tenant, agentId}                  agent access token (demo only)
 *   GET  /api/demo/agents?tenant=                              agents for the demo picker (demo only)
 *   POST /api/tickets       (Bearer access token)              single-use connect ticket
 *   POST /api/logout        (Bearer access token)              ends the auth session, closes its sockets
 *   GET  /api/channels?tenant=                                 public channel list for the customer widget
 *   POST /api/chats         {tenant, channelId, name?, email?, phone?}   customer starts a chat
 *   GET  /api/snapshot      (Bearer access token)              board (agent) or session (customer) snapshot
 *   GET  /api/stats?channels=a,b      (Bearer agent)              dashboard statistics (docs/dashboard.md)
 *   GET  /api/audit/listen?sessionId=&from=&to=  (Bearer agent)   listen-in audit (supervisors of the channel)
 *   POST /api/admin/permissions {agentId, channelId, permissions}  (Bearer agent)   a channel's manager sets an agent's permissions there
 *   GET|POST /api/crm/...   (Bearer agent)                     demo CRM: contacts, companies, matches, chat links, requests, documents (docs/crm-provider.md)
 *   GET  /api/replies?channelId=&q=&kind=&language=   (Bearer agent)   reply library: shared + own (server/core/replies.ts)
 *   POST /api/replies, PATCH|DELETE /api/replies/<id>, POST /api/replies/<id>/favourite {on}, POST /api/replies/<id>/used
 *   POST /api/attachments?sessionId=  (Bearer agent or customer; raw bytes, X-File-Name)   upload (server/node/attachments.ts)
 *   GET  /api/attachments/<id>/url    (Bearer)                 short-lived signed URL on the attachment origin
 *   GET  /api/attachments/limits                               size and type limits
 *   POST /api/test/clock    {advanceMs}                        moves server time (TEST ONLY: `testClock` option / CHAT_TEST_CLOCK=1; else 404)
 *   GET  /demo/*, /dist/*                                      demo pages and built bundles
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { extname, join, normalize, resolve, sep } from 'node:path';

import type { WebSocket } from 'ws';
import { WebSocketServer } from 'ws';

import { AGENT_TOKEN_TTL_MS, CLOSE, MAX_SOCKET_PAYLOAD_BYTES } from '../../src/protocol/limits.js';
import type { Principal } from '../core/auth.js';
import { TokenService } from '../core/auth.js';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import { migrate } from '../core/migrations.js';
import type { Connection, RoomLogger } from '../core/room.js';
import { ChatRoom, isValidClientId, newConnectionId, Refusal, silentLogger } from '../core/room.js';
import { seedDemo } from '../core/seed.js';
import { handleRepliesRequest, ReplyStore } from '../core/replies.js';
import { seedDemoReplies } from '../core/replies-seed.js';
import { handleCrmRequest } from '../core/crm-api.js';
import { seedDemoCrm } from '../core/crm-seed.js';
import { TenantStore } from '../core/store.js';
import type { SqliteDatabase } from './sqlite.js';
import { openSqlite } from './sqlite.js';
import type { AttachmentHost } from './attachments.js';
import { startAttachmentHost } from './attachments.js';

export interface ChatServerOptions {
  /** Port to listen on; 0 picks a free one. */
  port?: number;
  host?: string;
  /** Directory of the SQLite file (`chat.db`). */
  dataDir: string;
  /** Seed the demo tenant and enable the demo login endpoints. */
  demo?: boolean;
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
  log?: RoomLogger;
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
  /** Chats one client address may start per minute (default 20: a customer widget needs one). */
  chatStartsPerMinute?: number;
}

export interface ChatServer {
  readonly url: string;
  readonly port: number;
  readonly db: SqliteDatabase;
  readonly tokens: TokenService;
  /** Whether the demo tenant was created by this start (false when the data was reused). */
  readonly seeded: boolean;
  /** The attachment origin (download URLs point here) and its housekeeping. */
  readonly attachments: AttachmentHost;
  room(tenantId: string): ChatRoom | undefined;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024;
const HEARTBEAT_MS = 30_000;
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

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const STATUS_OF: Record<string, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
};

export async function startChatServer(options: ChatServerOptions): Promise<ChatServer> {
  const clock = options.testClock ?? options.clock ?? systemClock;
  const log = options.log ?? silentLogger;
  const db = openSqlite(join(options.dataDir, 'chat.db'), { synchronous: options.synchronous ?? 'FULL' });
  migrate(db);
  const seeded = options.demo ? seedDemo(db, clock.now()) : false;
  if (options.demo) seedDemoReplies(db, 'demo', clock.now()); // once per data directory (reply library)
  if (options.demo) seedDemoCrm(db, 'demo', clock.now()); // once per data directory (the demo CRM)
  const tokens = new TokenService(db, () => clock.now(), process.env.CHAT_TOKEN_SECRET ?? TokenService.loadSecret(db));
  tokens.prune();
  const rooms = new Map<string, ChatRoom>();
  const staticRoot = options.staticRoot ? resolve(options.staticRoot) : undefined;

  const room = (tenantId: string): ChatRoom | undefined => {
    let r = rooms.get(tenantId);
    if (r) return r;
    const store = new TenantStore(db, tenantId);
    if (!store.tenant()) return undefined;
    r = new ChatRoom(tenantId, { store, clock, tokens, log, defer: (fn) => setImmediate(fn) });
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

  // Start-chat requests per client address and minute (a customer widget needs one).
  const startBuckets = new Map<string, { n: number; minute: number }>();
  const allowStart = (addr: string): boolean => {
    const minute = Math.floor(clock.now() / 60_000);
    const b = startBuckets.get(addr);
    if (b?.minute !== minute) {
      if (startBuckets.size > 10_000) startBuckets.clear();
      startBuckets.set(addr, { n: 1, minute });
      return true;
    }
    b.n += 1;
    return b.n <= (options.chatStartsPerMinute ?? 20);
  };

  const bearer = async (req: IncomingMessage): Promise<Principal> => {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    const principal = token ? await tokens.verifyAccess(token) : undefined;
    if (!principal) throw new HttpError(401, 'unauthenticated', 'missing, expired or revoked access token');
    return principal;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = parseRequestUrl(req.url);
    if (!url) throw new HttpError(400, 'invalid', 'bad request target');
    const origin = req.headers.origin;
    const path = url.pathname;
    if (path.startsWith('/api/')) {
      // Cross-origin callers (customer widgets on company sites, CRM pages) must be allowlisted.
      const tenantHint = url.searchParams.get('tenant') ?? undefined;
      if (origin !== undefined && !originAllowed(origin, tenantHint)) {
        throw new HttpError(403, 'forbidden', 'origin not allowed');
      }
      if (origin !== undefined) {
        res.setHeader('Access-Control-Allow-Origin', origin);
        res.setHeader('Vary', 'Origin');
        res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-File-Name');
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PATCH, DELETE, OPTIONS');
        res.setHeader('Access-Control-Max-Age', '600');
      }
      res.setHeader('Cache-Control', 'no-store');
      if (req.method === 'OPTIONS') {
        res.writeHead(204).end();
        return;
      }
      await api(req, res, url);
      return;
    }
    if (path === '/health') {
      let connections = 0;
      for (const r of rooms.values()) connections += r.connectionCount;
      json(res, 200, { status: 'ok', connections, rooms: rooms.size });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'invalid', 'method not allowed');
    if (path === '/') {
      res.writeHead(302, { Location: '/demo/' }).end();
      return;
    }
    serveStatic(res, path);
  };

  /** `/api/replies…`: the reply library (server/core/replies.ts answers; this reads the body). */
  const replies = async (req: IncomingMessage, res: ServerResponse, target: URL): Promise<void> => {
    const principal = await bearer(req);
    const method = req.method ?? 'GET';
    const body = (method === 'POST' || method === 'PATCH') && req.headers['content-type'] !== undefined ? await readJson(req) : undefined;
    const base = (options.publicUrl ?? url).replace(/\/+$/, '');
    const result = handleRepliesRequest(new ReplyStore(db, principal.tenantId), {
      method,
      path: target.pathname.slice('/api/replies'.length),
      query: target.searchParams,
      body,
      principal,
      now: clock.now(),
      resolveUrl: (u) => (u.startsWith('/') ? `${base}${u}` : u),
    });
    json(res, result.status, result.body);
  };

  const api = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    if (url.pathname === '/api/replies' || url.pathname.startsWith('/api/replies/')) {
      await replies(req, res, url);
      return;
    }
    if (url.pathname === '/api/attachments' || url.pathname.startsWith('/api/attachments/')) {
      await attachments.handleApi(req, res, url, () => bearer(req));
      return;
    }
    if (url.pathname.startsWith('/api/crm/')) {
      // The demo CRM (server/core/crm-api.ts): agents of the token's tenant only.
      const principal = await bearer(req);
      const body = req.method === 'POST' ? await readJson(req) : undefined;
      const answer = handleCrmRequest(db, { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body, principal, now: clock.now() });
      json(res, answer.status, answer.body);
      return;
    }
    switch (route) {
      case 'POST /api/demo/login': {
        if (!options.demo) throw new HttpError(404, 'not_found', 'demo logins are disabled');
        const body = await readJson(req);
        const tenantId = str(body.tenant, 'tenant');
        const agentId = str(body.agentId, 'agentId');
        const r = room(tenantId);
        const agent = r?.store.agent(agentId);
        if (!r || !agent) throw new HttpError(404, 'not_found', 'unknown tenant or agent');
        const { token, expiresAt } = await tokens.issueAccess({ tenantId, role: 'agent', subjectId: agentId }, AGENT_TOKEN_TTL_MS);
        json(res, 200, { token, expiresAt, agent: { id: agent.id, name: agent.name } });
        return;
      }
      case 'GET /api/demo/agents': {
        if (!options.demo) throw new HttpError(404, 'not_found', 'demo logins are disabled');
        const r = room(url.searchParams.get('tenant') ?? '');
        if (!r) throw new HttpError(404, 'not_found', 'unknown tenant');
        json(res, 200, {
          agents: r.store.agents().map((a) => {
            const access = r.store.access(a.id);
            const perms = [...(access?.channels.values() ?? [])];
            return {
              id: a.id,
              name: a.name,
              supervisor: perms.some((p) => p.listen || p.manager),
              channels: [...(access?.channels.values() ?? [])].map((c) => c.name),
            };
          }),
        });
        return;
      }
      case 'POST /api/tickets': {
        const principal = await bearer(req);
        json(res, 200, await tokens.issueTicket(principal));
        return;
      }
      case 'POST /api/logout': {
        const principal = await bearer(req);
        tokens.revoke(principal.authSessionId);
        room(principal.tenantId)?.dropAuthSession(principal.authSessionId);
        json(res, 200, { ok: true });
        return;
      }
      case 'GET /api/channels': {
        const r = room(url.searchParams.get('tenant') ?? '');
        if (!r) throw new HttpError(404, 'not_found', 'unknown tenant');
        json(res, 200, { channels: r.publicChannels() });
        return;
      }
      case 'POST /api/chats': {
        if (!allowStart(req.socket.remoteAddress ?? '?')) throw new HttpError(429, 'rate_limited', 'too many chats started; wait a minute');
        const body = await readJson(req);
        const r = room(str(body.tenant, 'tenant'));
        if (!r) throw new HttpError(404, 'not_found', 'unknown tenant');
        const started = await r.startChat({
          channelId: str(body.channelId, 'channelId'),
          name: optStr(body.name, 'name'),
          email: optStr(body.email, 'email'),
          phone: optStr(body.phone, 'phone'),
        });
        json(res, 201, started);
        return;
      }
      case 'GET /api/snapshot': {
        const principal = await bearer(req);
        const r = room(principal.tenantId);
        if (!r) throw new HttpError(404, 'not_found', 'unknown tenant');
        if (principal.role === 'agent') json(res, 200, r.boardSnapshot(principal.subjectId));
        else throw new HttpError(403, 'forbidden', 'customers receive their snapshot over the socket');
        return;
      }
      case 'GET /api/stats': {
        const principal = await bearer(req);
        if (principal.role !== 'agent') throw new HttpError(403, 'forbidden', 'agents only');
        const r = room(principal.tenantId);
        if (!r) throw new HttpError(404, 'not_found', 'unknown tenant');
        const channels = url.searchParams.get('channels');
        const ids = channels === null || channels === '' ? undefined : channels.split(',').map((c) => c.trim()).filter((c) => c !== '');
        if (ids && (ids.length > 100 || ids.some((c) => c.length > 64))) throw new HttpError(400, 'invalid', 'channels: at most 100 ids');
        json(res, 200, r.stats(principal.subjectId, ids));
        return;
      }
      case 'GET /api/audit/listen': {
        const principal = await bearer(req);
        if (principal.role !== 'agent') throw new HttpError(403, 'forbidden', 'agents only');
        const r = room(principal.tenantId);
        if (!r) throw new HttpError(404, 'not_found', 'unknown tenant');
        const sessionId = url.searchParams.get('sessionId') ?? undefined;
        if (sessionId !== undefined && (sessionId === '' || sessionId.length > 64)) throw new HttpError(400, 'invalid', 'sessionId: an id');
        const time = (name: string): number | undefined => {
          const raw = url.searchParams.get(name);
          if (raw === null || raw === '') return undefined;
          const n = Number(raw);
          if (!Number.isSafeInteger(n) || n < 0) throw new HttpError(400, 'invalid', `${name}: milliseconds since the epoch`);
          return n;
        };
        json(res, 200, { entries: r.listenAudit(principal.subjectId, { sessionId, from: time('from'), to: time('to') }) });
        return;
      }
      case 'POST /api/admin/permissions': {
        const principal = await bearer(req);
        if (principal.role !== 'agent') throw new HttpError(403, 'forbidden', 'agents only');
        const r = room(principal.tenantId);
        if (!r) throw new HttpError(404, 'not_found', 'unknown tenant');
        const body = await readJson(req);
        const p = body.permissions;
        if (typeof p !== 'object' || p === null || Array.isArray(p)) throw new HttpError(400, 'invalid', 'permissions: {respond, notifications, listen, manager}');
        const flags = p as Record<string, unknown>;
        const flag = (name: string): boolean => {
          const value = flags[name];
          if (typeof value !== 'boolean') throw new HttpError(400, 'invalid', `permissions.${name}: true or false`);
          return value;
        };
        const perms = { respond: flag('respond'), notifications: flag('notifications'), listen: flag('listen'), manager: flag('manager') };
        const agentId = str(body.agentId, 'agentId');
        const channelId = str(body.channelId, 'channelId');
        r.setPermissionsBy(principal.subjectId, agentId, channelId, perms);
        json(res, 200, { ok: true });
        return;
      }
      case 'POST /api/test/clock': {
        // Test-only: moves server time for end-to-end tests. Absent unless explicitly enabled.
        const testClock = options.testClock;
        if (!testClock) throw new HttpError(404, 'not_found', `no route ${route}`);
        const body = await readJson(req);
        const ms = body.advanceMs;
        if (typeof ms !== 'number' || !Number.isSafeInteger(ms) || ms < 0 || ms > 31 * 24 * 60 * 60 * 1000) {
          throw new HttpError(400, 'invalid', 'advanceMs: a whole number of milliseconds from 0 to 31 days');
        }
        testClock.advance(ms);
        json(res, 200, { serverTime: testClock.now() });
        return;
      }
      default:
        throw new HttpError(404, 'not_found', `no route ${route}`);
    }
  };

  const serveStatic = (res: ServerResponse, path: string): void => {
    if (!staticRoot) throw new HttpError(404, 'not_found', 'not found');
    let rel: string;
    try {
      rel = normalize(decodeURIComponent(path));
    } catch {
      throw new HttpError(400, 'invalid', 'bad path');
    }
    if (!rel.startsWith('/demo/') && !rel.startsWith('/dist/') && rel !== '/demo') throw new HttpError(404, 'not_found', 'not found');
    let file = resolve(join(staticRoot, rel));
    if (!file.startsWith(staticRoot + sep)) throw new HttpError(404, 'not_found', 'not found');
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file) || !statSync(file).isFile()) throw new HttpError(404, 'not_found', 'not found');
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
      'Referrer-Policy': 'no-referrer',
    });
    createReadStream(file).pipe(res);
  };

  const http: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const e =
        error instanceof HttpError
          ? error
          : error instanceof Refusal
            ? new HttpError(STATUS_OF[error.code] ?? 400, error.code, error.message)
            : new HttpError(500, 'internal', 'internal error');
      if (e.status === 500) log.warn('http.failed', { path: (req.url ?? '').split('?')[0] ?? '', error: error instanceof Error ? error.name : 'unknown' });
      if (!res.headersSent) json(res, e.status, { error: { code: e.code, message: e.message } });
      else res.end();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_SOCKET_PAYLOAD_BYTES, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const reject = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${String(status)} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    // A request target that is not a valid URL path (e.g. `//[`) must not throw here: an
    // exception in this listener is uncaught and would stop the whole process.
    const url = parseRequestUrl(req.url);
    if (!url) {
      reject(400, 'Bad Request');
      return;
    }
    const match = /^\/parties\/chat\/([\w-]{1,64})$/.exec(url.pathname);
    if (!match?.[1]) {
      reject(404, 'Not Found');
      return;
    }
    const tenantId = match[1];
    if (!originAllowed(req.headers.origin, tenantId)) {
      log.info('ws.refused', { reason: 'origin' });
      reject(403, 'Forbidden');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      void accept(ws, tenantId, url);
    });
  });

  const accept = async (ws: WebSocket, tenantId: string, url: URL): Promise<void> => {
    const id = newConnectionId();
    const conn: Connection = {
      id,
      send: (data) => {
        if (ws.readyState === ws.OPEN) ws.send(data);
      },
      close: (code, reason) => {
        ws.close(code, reason);
      },
      bufferedAmount: () => ws.bufferedAmount,
    };
    // Frames that arrive while the ticket is being checked wait here, in order.
    const early: (string | null)[] = [];
    const link: { room?: ChatRoom } = {};
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? null : Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8');
      if (link.room) link.room.receive(conn, text);
      else early.push(text);
    });
    ws.on('close', () => {
      link.room?.closed(conn);
    });
    ws.on('error', () => undefined);
    ws.on('pong', () => alive.set(ws, true));
    alive.set(ws, true);

    const r = room(tenantId);
    if (!r) {
      sendError(ws, 'forbidden', 'unknown tenant');
      ws.close(CLOSE.FORBIDDEN, 'unknown tenant');
      return;
    }
    const ticket = url.searchParams.get('token') ?? '';
    const principal = ticket ? await tokens.redeemTicket(ticket) : undefined;
    if (ws.readyState !== ws.OPEN) return;
    if (!principal) {
      sendError(ws, 'unauthenticated', 'missing, expired or used ticket');
      ws.close(CLOSE.UNAUTHENTICATED, 'unauthenticated');
      return;
    }
    const clientId = url.searchParams.get('_pk');
    if (!r.open(conn, principal, isValidClientId(clientId) ? clientId : undefined)) return;
    link.room = r;
    for (const text of early.splice(0)) r.receive(conn, text);
  };

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  const housekeeping = setInterval(() => {
    tokens.prune();
  }, 10 * 60_000);
  housekeeping.unref();

  let attachments: AttachmentHost;
  try {
    attachments = await startAttachmentHost({
      db,
      dataDir: options.dataDir,
      clock,
      secret: process.env.CHAT_TOKEN_SECRET ?? TokenService.loadSecret(db),
      room,
      log,
      host: options.host ?? '127.0.0.1',
      ...(options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}),
      ...(options.attachmentPort !== undefined ? { port: options.attachmentPort } : {}),
      ...(options.attachmentOrigin !== undefined ? { origin: options.attachmentOrigin } : {}),
    });
  } catch (error) {
    db.close();
    throw error;
  }
  try {
    await new Promise<void>((resolveListen, rejectListen) => {
      http.once('error', rejectListen);
      http.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        http.off('error', rejectListen);
        resolveListen();
      });
    });
  } catch (error) {
    await attachments.close();
    throw error;
  }
  const port = (http.address() as AddressInfo).port;
  selfOrigins = [`http://localhost:${String(port)}`, `http://127.0.0.1:${String(port)}`];
  const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : 'localhost';
  const url = `http://${host === '127.0.0.1' ? 'localhost' : host}:${String(port)}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    db,
    tokens,
    seeded,
    attachments,
    room,
    close() {
      closing ??= (async () => {
        clearInterval(heartbeat);
        clearInterval(housekeeping);
        for (const r of rooms.values()) r.shutdown();
        for (const ws of wss.clients) ws.terminate();
        await new Promise<void>((done) => {
          wss.close(() => {
            done();
          });
        });
        http.closeAllConnections();
        await new Promise<void>((done) => {
          http.close(() => {
            done();
          });
        });
        await attachments.close();
        db.close();
      })();
      return closing;
    },
  };
}

/** The request target as a URL, or undefined when it cannot be parsed (never throws). */
function parseRequestUrl(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? '/', 'http://host');
  } catch {
    return undefined;
  }
}

function sendError(ws: WebSocket, code: string, message: string): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ t: 'error', code, message }));
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/json')) throw new HttpError(415, 'invalid', 'send JSON (Content-Type: application/json)');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'invalid', `body larger than ${String(MAX_BODY_BYTES)} bytes`);
    chunks.push(buf);
  }
  let data: unknown;
  try {
    data = JSON.parse(Buffer.concat(chunks).toString('utf8'), (key, value: unknown) => {
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') throw new HttpError(400, 'invalid', `forbidden key "${key}"`);
      return value;
    });
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, 'invalid', 'body is not valid JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new HttpError(400, 'invalid', 'body must be a JSON object');
  return data as Record<string, unknown>;
}

function str(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '' || value.length > 200) throw new HttpError(400, 'invalid', `${field}: required text`);
  return value;
}

function optStr(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new HttpError(400, 'invalid', `${field}: must be text`);
  return value;
}
