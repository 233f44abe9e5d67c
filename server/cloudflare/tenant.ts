/**
 * `ChatTenant`: one Durable Object per tenant, the tenant's **directory**: its `ChatRoom` (the
 * core, unchanged) over the object's SQLite storage, its sockets (`/parties/chat/<tenant>`,
 * through partyserver), its HTTP API (the core's route table, called over RPC by the Worker), and
 * the downloads of its attachments (R2).
 *
 * It numbers no chat's stream: each chat's `ChatConversation` does (conversation.ts). The room
 * runs with {@link RemoteConversations}: its lifecycle events and a chat's bot part are calls in
 * the outbox to the chat's object (outbox.ts), and `send`, `read` and `unread` on this object's
 * sockets are carried to the chat's object (after the outbox, so they follow the directory's
 * calls), which answers them. What a conversation numbered comes back as its report (`report`,
 * reports.ts), kept here as the room's copy (each message and call once) and delivered to the
 * subscribers on this object's sockets.
 *
 * An object whose database was never set up is an unknown tenant: it answers without writing
 * anything (no storage for names nobody created). The database is set up by the operator's
 * `POST /api/provisioning/tenants`, or for the demo tenant on first use when `DEMO=1`.
 *
 * Its sockets hibernate (partyserver's `hibernate: true`, the Durable Object WebSocket
 * Hibernation API): after every event each socket's state as the room has it (principal,
 * greeting, subscriptions, board position, listen-audit rows, frame budget: `ChatRoom.snapshot`)
 * is kept in the socket's attachment (`connection.setState`), so the object may leave memory
 * while its sockets stay open; the next event (a frame, a request, a report, the alarm) starts
 * the room again with those sockets taken back as they were. The room's timers are the object's
 * alarm (alarm-clock.ts), so they wake an object that left memory.
 */
import type { Connection as PartyConnection, ConnectionContext, WSMessage } from 'partyserver';
import { Server } from 'partyserver';

import { CLOSE, RECENT_WINDOW_MS } from '../../src/protocol/limits.js';
import { seedDemoCrm } from '../core/crm-seed.js';
import { asHttpError, bearerOf, errorResponse, HttpError, Router, serve } from '../core/http/router.js';
import { conflict } from '../core/provisioning/validate.js';
import { ROUTES } from '../core/http/routes/index.js';
import { seedDemoReplies } from '../core/replies-seed.js';
import type { ApiKeyPrincipal } from '../core/provisioning/index.js';
import type { Principal } from '../core/auth.js';
import type { Reported, StreamWrite } from '../core/room/ports.js';
import type { Connection, RoomConnSnapshot } from '../core/room/index.js';
import { ChatRoom, isValidClientId, newConnectionId } from '../core/room/index.js';
import { systemClock } from '../core/clock.js';
import { seedDemo, seedDemoIdentity } from '../core/seed.js';
import type { SqlPort, SqlValue } from '../core/sql.js';
import { SocketSession } from '../core/socket-session.js';
import type { MessageRow } from '../core/store/index.js';
import { TenantStore } from '../core/store/index.js';
import type { Env } from './env.js';
import { originList } from './env.js';
import { operatorKey } from './operator-key.js';
import type { ObjectParts } from './parts.js';
import { foreignKey, httpRequest, objectApp, objectParts, workerLog } from './parts.js';
import { hasSchema } from './sql.js';
import type { Row } from './conversation.js';
import { connectionOf, conversationName, refusedSocket } from './conversation.js';
import type { ConversationReport } from './reports.js';
import { STREAM_COLUMNS } from './reports.js';
import type { OutboxCounts } from './outbox.js';
import { ConversationOutbox, outboxMode } from './outbox.js';
import { AlarmClock } from './alarm-clock.js';

/** When the alarm looks at the outbox again while rows wait (a crash before a flush, a conversation object not reached). */
const OUTBOX_RETRY_MS = 1000;

const router = new Router(ROUTES);

/** The operator's tenant creation (the one request that sets an object's database up). */
const isTenantCreation = (request: Request): boolean => request.method === 'POST' && new URL(request.url).pathname === '/api/provisioning/tenants';
/** Requests after which the tenant's row may have changed (the registry's index follows). */
const changesTenant = (request: Request): boolean => isTenantCreation(request) || (request.method === 'PATCH' && /^\/api\/provisioning\/tenants\/[^/]+$/.test(new URL(request.url).pathname));

/** The creation or rotation of an API key (the registry's key index follows). */
const makesApiKey = (request: Request): boolean => request.method === 'POST' && /^\/api\/provisioning\/tenants\/[^/]+\/api-keys(\/[^/]+\/rotate)?$/.test(new URL(request.url).pathname);

/** What a tenant socket keeps in its attachment while the object is out of memory. */
interface Attachment {
  /** The room's id of the connection (the `connId` of its `welcome`). */
  id: string;
  /** Undefined: not yet taken by the room (its ticket not yet redeemed), or its state too large for an attachment. */
  snapshot: RoomConnSnapshot | undefined;
}

/** Sessions that keep a periodic sweep worth waking the object for (alarm-clock.ts). */
const SWEEP_WORK: Record<string, string> = {
  'sweep:warnings': "SELECT 1 AS x FROM sessions WHERE tenant_id = ? AND status = 'queued' LIMIT 1",
  'sweep:assignment': "SELECT 1 AS x FROM sessions WHERE tenant_id = ? AND status = 'queued' LIMIT 1",
  'sweep:recent': "SELECT 1 AS x FROM sessions WHERE tenant_id = ? AND status IN ('ended', 'missed') AND ended_at >= ? LIMIT 1",
};

export class ChatTenant extends Server<Env> {
  static override options = { hibernate: true };

  /** This instance of the object (a new one after an eviction): the operator's read, and the tests'. */
  private readonly life = crypto.randomUUID();
  /** The room's timers and the outbox's retry, woken by the object's alarm. */
  private readonly clock = new AlarmClock({
    setAlarm: (at) => {
      void this.ctx.storage.setAlarm(at);
    },
    wanted: (label) => {
      const sql = SWEEP_WORK[label];
      const db = this.parts?.db;
      if (!db) return false;
      if (sql === undefined) return true;
      return db.get(sql, label === 'sweep:recent' ? [this.name, Date.now() - RECENT_WINDOW_MS] : [this.name]) !== undefined;
    },
    after: () => {
      this.flushSoon();
    },
    failed: (label, error) => {
      workerLog.warn('timer.failed', { timer: label ?? 'timer', error: error instanceof Error ? error.name : 'unknown' });
    },
  });
  /** The outbox's retry on the clock, while rows wait. */
  private retry: unknown;
  /** Sockets the room took in `fetch`, until partyserver accepted them (`onConnect`), by their upgrade request. */
  private readonly accepting = new Map<Request, LateConnection>();
  /** The attachment each socket has now (only a change is written). */
  private readonly kept = new Map<PartyConnection, string>();
  /** Sockets that sent or were sent a frame since their state was last kept (only theirs can have changed). */
  private readonly touched = new Set<PartyConnection>();

  private parts: ObjectParts | undefined;
  private chatRoom: ChatRoom | undefined;
  private readonly sockets = new Map<PartyConnection, SocketSession>();
  /** What the room commits, on its way to the conversation objects (outbox.ts). */
  private outbox: ConversationOutbox | undefined;
  private flushQueued = false;
  /** The writes carried to each chat's object, in the order they came (one chain per chat). */
  private readonly writes = new Map<string, Promise<void>>();

  /** The registry (tenant index; requests of unknown tenants). */
  private get registry() {
    return this.env.Registry.get(this.env.Registry.idFromName('installation'));
  }

  /**
   * The object's parts once its database exists; `create` sets it up. The demo tenant is created
   * (with its reply library and CRM) on first use when the Worker runs with `DEMO=1`.
   */
  private open(create: boolean): ObjectParts | undefined {
    if (this.parts) return this.parts;
    const demo = this.env.DEMO === '1' && this.name === 'demo';
    if (!create && !demo && !hasSchema(this.ctx.storage)) return undefined;
    const parts = objectParts(this.env, this.ctx.storage, (tenantId) => this.room(tenantId));
    this.parts = parts;
    // Before anything is seeded or committed: every commit from now on reaches the conversation objects.
    this.outbox = new ConversationOutbox(
      parts.db,
      (tenantId, sessionId, batch) => {
        const ns = this.env.Conversation;
        return ns.get(ns.idFromName(conversationName(tenantId, sessionId))).apply(batch);
      },
      outboxMode(this.env.CONVERSATION_OUTBOX),
    );
    // Housekeeping when the object wakes: expired tickets, auth sessions and sign-in replay records.
    parts.tokens.prune();
    parts.signIn.prune();
    if (demo) {
      const now = systemClock.now();
      const created = seedDemo(parts.db, now);
      seedDemoReplies(parts.db, 'demo', now);
      seedDemoCrm(parts.db, 'demo', now);
      seedDemoIdentity(parts.db, now);
      if (created) this.index();
    }
    // What a previous life of this object committed and did not get acknowledged goes out now.
    this.flushSoon();
    return parts;
  }

  /** This tenant's room, started on first use once the tenant exists; undefined for any other tenant. */
  private room(tenantId: string): ChatRoom | undefined {
    if (tenantId !== this.name || !this.parts) return undefined;
    if (this.chatRoom) return this.chatRoom;
    const store = new TenantStore(this.parts.db, tenantId);
    if (!store.tenant()) return undefined;
    const limits = this.parts.limits;
    const outbox = this.outbox;
    if (!outbox) return undefined;
    // Sockets that stayed open while the object was out of memory: taken back from their attachments.
    const restore: { conn: ReturnType<typeof connectionOf>; snapshot: RoomConnSnapshot }[] = [];
    const resumed: [PartyConnection, ReturnType<typeof connectionOf>][] = [];
    for (const connection of this.getConnections()) {
      if (this.sockets.has(connection)) continue;
      const kept = connection.state as Attachment | null;
      if (!kept?.snapshot) {
        connection.close(CLOSE.GOING_AWAY, 'server restarted; reconnect');
        continue;
      }
      const conn = this.tracked(connection, kept.id);
      restore.push({ conn, snapshot: kept.snapshot });
      resumed.push([connection, conn]);
      this.kept.set(connection, JSON.stringify(kept));
    }
    // The room's own timers (transfer expiry, offers, sweeps, hello deadlines) are the object's
    // alarm; what they commit is flushed right after (the clock's `after`).
    this.chatRoom = new ChatRoom(tenantId, {
      store,
      clock: this.clock,
      restore,
      tokens: this.parts.tokens,
      log: workerLog,
      limits: () => limits(tenantId),
      // The chats' objects number the streams: the directory's writes are calls in the outbox.
      remote: {
        appendSystem: (sessionId, event, text, at, authorName, meta) => {
          outbox.record(tenantId, sessionId, { t: 'system', event, text, at, authorName, ...(meta ? { meta } : {}) });
        },
        append: (input) => {
          outbox.record(tenantId, input.sessionId, { t: 'append', input });
        },
        write: (state, frame, reply) => {
          this.carry(state.principal, frame, reply);
        },
      },
    });
    for (const [connection, conn] of resumed) this.sockets.set(connection, SocketSession.resumed(conn, this.parts.tokens, this.chatRoom));
    return this.chatRoom;
  }

  /** Tells the registry this tenant's row as it is now (create, update, demo seed). */
  private index(): void {
    const row = this.parts?.db.get<Record<string, SqlValue>>('SELECT * FROM tenants WHERE id = ?', [this.name]);
    if (row) this.ctx.waitUntil(this.registry.indexTenant(row));
  }

  private app(request: Request, parts: ObjectParts) {
    const rooms = new Map<string, ChatRoom>();
    const room = this.room(this.name);
    if (room) rooms.set(this.name, room);
    return objectApp(this.env, parts, request, {
      foreignKey: (presented) => foreignKey(this.env, presented, this.name),
      room: (tenantId) => this.room(tenantId),
      rooms,
    });
  }

  // ---- RPC from the Worker -------------------------------------------------------------------

  /** One request of the HTTP API for this tenant (the Worker chose this object by the request's tenant). */
  async api(request: Request): Promise<Response> {
    const creating = isTenantCreation(request) && operatorKey(this.env.CHAT_OPERATOR_KEY, bearerOf(httpRequest(request))) !== undefined;
    const parts = this.open(creating);
    // No such tenant here: the registry answers as for any unknown tenant.
    if (!parts) return this.registry.api(request);
    if (changesTenant(request)) {
      const taken = await this.externalIdTaken(request.clone());
      if (taken) return taken;
    }
    const response = await serve(this.app(request, parts), router, httpRequest(request));
    // A request that changed chats (a start, an end) answers once their objects numbered it and
    // this copy has it back, so what the caller does next sees it.
    if ((this.outbox?.pending() ?? 0) > 0) await this.flushOutbox();
    if (changesTenant(request) && response.ok) this.index();
    if (makesApiKey(request) && response.status === 201) {
      const made = await response.clone().json<{ apiKey?: { id?: unknown } }>();
      if (typeof made.apiKey?.id === 'string') await this.registry.indexApiKey(made.apiKey.id, this.name);
    }
    // What the request changed for the sockets (board positions) is kept with them.
    this.flushSoon();
    return response;
  }

  /** An API key of this tenant (for another tenant's object that was shown it). */
  verifyApiKey(presented: string): Promise<ApiKeyPrincipal | undefined> {
    return this.open(false)?.provisioning.keys.verify(presented) ?? Promise.resolve(undefined);
  }

  /** Redeems a connect ticket for a socket of one of this tenant's conversation objects (single use, as on this object's own socket). */
  redeemTicket(ticket: string): Promise<Principal | undefined> {
    return this.open(false)?.tokens.redeemTicket(ticket) ?? Promise.resolve(undefined);
  }

  /** A download from the attachment origin (`/a/<this tenant>/<id>?exp=&sig=`). */
  async download(request: Request): Promise<Response> {
    const parts = this.open(false);
    if (!parts) return this.registry.download(request);
    return parts.attachments.download(httpRequest(request), (tenantId) => this.room(tenantId)?.attachments);
  }

  /** A conflict when the body's `externalId` belongs to another tenant (the registry knows them all). */
  private async externalIdTaken(request: Request): Promise<Response | undefined> {
    let externalId: unknown;
    try {
      externalId = (await request.json<{ externalId?: unknown } | null>())?.externalId;
    } catch {
      return undefined; // the route answers the bad body
    }
    if (typeof externalId !== 'string') return undefined;
    const owner = await this.registry.externalIdOwner(externalId);
    if (owner === undefined || owner === this.name) return undefined;
    return errorResponse(asHttpError(conflict('externalId', `another tenant ("${owner}") has this external id`)));
  }

  // ---- sockets ------------------------------------------------------------------------------

  /** The socket route: `Origin` is checked before the upgrade, as on the Node host. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') return errorResponse(new HttpError(404, 'not_found', 'not found'));
    const parts = this.open(false);
    const origin = request.headers.get('Origin') ?? undefined;
    const self = new URL(request.url).origin;
    if (!parts) {
      // An unknown tenant: the server's own and configured origins, then the same answer as Node's.
      if (origin === undefined || (origin !== self && !originList(this.env.ALLOWED_ORIGINS).includes(origin))) return new Response(null, { status: 403 });
      return refusedSocket(CLOSE.FORBIDDEN, 'forbidden', 'unknown tenant');
    }
    if (!this.app(request, parts).originAllowed(origin, this.name)) {
      workerLog.info('ws.refused', { reason: 'origin' });
      return new Response(null, { status: 403 });
    }
    // The ticket and the room decide before the socket is accepted: a refusal (its `error` frame
    // and close code) goes out on a plain socket, since a close of a hibernatable socket not yet
    // handed to the client is lost under `wrangler dev`.
    const url = new URL(request.url);
    const ticket = url.searchParams.get('token') ?? '';
    const principal = ticket ? await parts.tokens.redeemTicket(ticket) : undefined;
    if (!principal) return refusedSocket(CLOSE.UNAUTHENTICATED, 'unauthenticated', 'missing, expired or used ticket');
    // Sockets kept open through hibernation are taken back first (the room's connection caps count them).
    const room = this.room(this.name);
    if (!room) return refusedSocket(CLOSE.FORBIDDEN, 'forbidden', 'unknown tenant');
    const late = lateConnection(newConnectionId(), (connection) => this.touched.add(connection));
    const clientId = url.searchParams.get('_pk');
    if (!room.open(late.conn, principal, isValidClientId(clientId) ? clientId : undefined) || late.refused) return late.refusal();
    this.accepting.set(request, late);
    try {
      return await super.fetch(request);
    } finally {
      this.accepting.delete(request);
    }
  }

  /** The socket the room took in `fetch`, now accepted (hibernatable): bound to it, with what the room sent meanwhile. */
  override onConnect(connection: PartyConnection, ctx: ConnectionContext): void {
    const late = this.accepting.get(ctx.request);
    const room = this.chatRoom;
    const parts = this.parts;
    if (!late || !room || !parts) {
      connection.close(CLOSE.GOING_AWAY, 'server restarted; reconnect');
      return;
    }
    this.sockets.set(connection, SocketSession.resumed(late.conn, parts.tokens, room));
    late.bind(connection);
    this.touched.add(connection);
    this.flushSoon();
  }

  override onMessage(connection: PartyConnection, message: WSMessage): void {
    // After hibernation the room starts again here, with this socket among those it takes back.
    if (!this.chatRoom && this.open(false)) this.room(this.name);
    this.clock.run();
    const session = this.sockets.get(connection);
    if (!session) {
      connection.close(CLOSE.GOING_AWAY, 'server restarted; reconnect');
      return;
    }
    this.touched.add(connection);
    session.receive(typeof message === 'string' ? message : null);
    this.flushSoon();
  }

  override onClose(connection: PartyConnection): void {
    this.gone(connection);
  }

  override onError(connection: PartyConnection): void {
    this.gone(connection);
  }

  private gone(connection: PartyConnection): void {
    // After hibernation: the room starts again with the sockets still open (this one is not).
    if (!this.chatRoom && this.open(false)) this.room(this.name);
    this.kept.delete(connection);
    this.touched.delete(connection);
    const session = this.sockets.get(connection);
    if (!session) return;
    this.sockets.delete(connection);
    session.closed();
    this.flushSoon();
  }

  /**
   * Keeps each socket's state with the socket (hibernation): what the room would need to take it
   * back, written only when it changed. A state too large for an attachment (2 KiB) is not kept:
   * such a socket is closed with 1001 when the room starts again, and its client resumes.
   */
  private keepSockets(): void {
    const room = this.chatRoom;
    if (!room) return;
    for (const connection of this.touched) {
      const conn = this.sockets.get(connection)?.connection;
      if (!conn) continue;
      const snapshot = room.snapshot(conn);
      if (!snapshot) continue;
      const text = JSON.stringify({ id: conn.id, snapshot } satisfies Attachment);
      if (this.kept.get(connection) === text) continue;
      this.kept.set(connection, text);
      try {
        connection.setState({ id: conn.id, snapshot } satisfies Attachment);
      } catch {
        try {
          connection.setState({ id: conn.id, snapshot: undefined } satisfies Attachment);
        } catch {
          // closed meanwhile
        }
      }
    }
    this.touched.clear();
  }

  /**
   * The room's view of a socket: every frame sent to it or received from it marks it, since
   * whatever changes a socket's state (its greeting, subscriptions, board position, frame budget)
   * sends it a frame or came from it.
   */
  private tracked(connection: PartyConnection, id: string): ReturnType<typeof connectionOf> {
    const conn = connectionOf(connection, id);
    return {
      ...conn,
      send: (data) => {
        this.touched.add(connection);
        conn.send(data);
      },
    };
  }

  // ---- the chats' streams, numbered in their objects ------------------------------------------

  /**
   * Carries a frame that writes a chat's stream to the chat's object and hands its answer back:
   * in the order the frames came per chat, each after the outbox (the chat's object has the
   * directory's calls and rows first: a `joined` is numbered before the agent's first message).
   * A send with files takes their rows along (uploads are stored here).
   */
  private carry(principal: Principal, frame: StreamWrite, reply: (texts: readonly string[]) => void): void {
    const sessionId = frame.sessionId;
    const refuse = (code: string, message: string, retryable: boolean) => {
      const ids = frame.t === 'send' ? { cmid: frame.cmid } : { rid: frame.rid };
      reply([JSON.stringify({ t: 'nack', ...ids, code, retryable, ...(retryable ? { retryAfterMs: 1000 } : {}), message })]);
    };
    const db = this.parts?.db;
    if (!db?.get('SELECT 1 AS x FROM sessions WHERE tenant_id = ? AND id = ?', [this.name, sessionId])) {
      refuse('forbidden', 'not allowed in this session', false);
      return;
    }
    const files = frame.t === 'send' ? (frame.attachmentIds ?? []) : [];
    const next = (this.writes.get(sessionId) ?? Promise.resolve()).then(async () => {
      try {
        if ((this.outbox?.pending() ?? 0) > 0) await this.flushOutbox();
        const attachments = files.length > 0 ? attachmentRows(db, this.name, sessionId, files) : [];
        const ns = this.env.Conversation;
        reply(await ns.get(ns.idFromName(conversationName(this.name, sessionId))).write(principal, JSON.stringify(frame), attachments));
      } catch (error) {
        workerLog.warn('write.failed', { error: error instanceof Error ? error.message : String(error) });
        refuse('internal', 'internal error; retry later', true);
      }
    });
    this.writes.set(sessionId, next);
    void next.finally(() => {
      if (this.writes.get(sessionId) === next) this.writes.delete(sessionId);
    });
  }

  /**
   * A chat's object reports what it numbered (reports.ts): its messages and stream columns into
   * this object's copy, each message once, and its calls (activity, `opened`) applied once (the
   * last row id applied is kept per chat), all in one transaction; the new messages go to the
   * subscribers of this object's sockets.
   */
  report(report: ConversationReport): void {
    const parts = this.open(false);
    const room = this.room(this.name);
    const outbox = this.outbox;
    if (!parts || !room || !outbox) throw new Error('unknown tenant');
    const db = parts.db;
    const sessionId = String(report.stream.id ?? '');
    db.exec(INBOX);
    const applied = db.get<{ last_id: number }>('SELECT last_id FROM conversation_inbox WHERE session_id = ?', [sessionId])?.last_id ?? 0;
    if (report.upTo <= applied && report.messages.length === 0) return;
    const calls = report.calls
      .filter((c) => c.id > applied)
      .map(({ call }): Reported => (call.t === 'activity' ? { kind: 'activity', sessionId, change: call.change } : { kind: 'opened', sessionId, agentId: call.agentId }));
    // The directory's summary follows every message, a lifecycle event's too (its `seq`): one touch, coalesced.
    const at = report.messages.at(-1)?.at;
    if (typeof at === 'number' && !calls.some((c) => c.kind === 'activity')) calls.push({ kind: 'activity', sessionId, change: { kind: 'message', from: 'agent', at } });
    room.reported(
      () =>
        outbox.copying(() => {
          const added = copyMessages(db, report.messages);
          copyStream(db, this.name, sessionId, report.stream);
          db.run('INSERT INTO conversation_inbox (session_id, last_id) VALUES (?, ?) ON CONFLICT (session_id) DO UPDATE SET last_id = MAX(last_id, excluded.last_id)', [sessionId, report.upTo]);
          return added;
        }),
      calls,
    );
    this.flushSoon();
  }

  // ---- the outbox to the conversation objects ----------------------------------------------

  /**
   * Sends what the room committed, once the current event is done (many frames, one flush). Every
   * event that may commit ends here (a frame, a close, a request, a report, a timer of the room),
   * so no alarm has to look every second. While rows wait, the alarm is set in the same event as
   * their commit: a crash before the flush leaves it to send them.
   */
  private flushSoon(): void {
    if (!this.outbox) return;
    this.retryWhilePending();
    if (this.flushQueued) return;
    this.flushQueued = true;
    setTimeout(() => {
      this.flushQueued = false;
      // Sweeps that did not wake the object run at its next event.
      this.clock.run();
      this.keepSockets();
      void this.flushOutbox();
    }, 0);
  }

  /** While rows wait, a retry on the clock (the alarm), set in the event that committed them: a crash before the flush leaves it. */
  private retryWhilePending(): void {
    if (this.retry !== undefined || (this.outbox?.pending() ?? 0) === 0) return;
    this.retry = this.clock.setTimeout(
      () => {
        this.retry = undefined;
        void this.flushOutbox();
      },
      OUTBOX_RETRY_MS,
      'outbox',
    );
  }

  private async flushOutbox(): Promise<void> {
    try {
      await this.outbox?.flush();
      if ((this.outbox?.pending() ?? 0) === 0) {
        this.clock.clearTimeout(this.retry);
        this.retry = undefined;
      }
    } catch (error) {
      // The rows stay; the retry tries again (also after this object was evicted: the alarm).
      workerLog.warn('outbox.retry', { error: error instanceof Error ? error.message : String(error) });
    }
    this.retryWhilePending();
  }

  /**
   * The alarm: the room's timers that are due, and the outbox's retry. An object that left memory
   * starts again here: the room takes its sockets back and schedules its timers anew from the
   * database (an overdue transfer or offer expires now).
   */
  override async onAlarm(): Promise<void> {
    if (!this.open(false)) return;
    this.room(this.name);
    this.clock.alarm();
    await this.flushOutbox();
  }

  /** Every session of this tenant with its message ids in seq order, as this object has them (to compare with the conversation objects). */
  conversationIndex(): { id: string; messages: string[] }[] {
    const db = this.open(false)?.db;
    if (!db) return [];
    const index = new Map<string, string[]>();
    for (const s of db.all<{ id: string }>('SELECT id FROM sessions WHERE tenant_id = ? ORDER BY created_at, id', [this.name])) index.set(s.id, []);
    for (const m of db.all<{ session_id: string; id: string }>('SELECT session_id, id FROM messages WHERE tenant_id = ? ORDER BY session_id, seq', [this.name])) index.get(m.session_id)?.push(m.id);
    return [...index].map(([id, messages]) => ({ id, messages }));
  }

  /** The rows of the outbox not yet acknowledged, and what it sent since this object started (the operator's read, and the tests'). */
  outboxPending(): { pending: number; life: string; sockets: number; timers: number } & OutboxCounts {
    const counts = { rounds: 0, batches: 0, calls: 0, failed: 0 };
    const object = { life: this.life, sockets: this.ctx.getWebSockets().length, timers: this.clock.pending };
    if (!this.open(false) || !this.outbox) return { pending: 0, ...counts, ...object };
    return { pending: this.outbox.pending(), ...this.outbox.counts, ...object };
  }
}

/** Per chat, the last row of its object's outbox applied here (reports.ts): a report sent again is a no-op. */
const INBOX = 'CREATE TABLE IF NOT EXISTS conversation_inbox (session_id TEXT PRIMARY KEY, last_id INTEGER NOT NULL)';

const COLUMN = /^[a-z_][a-z0-9_]{0,63}$/;

/** Messages of a report into the copy, each once; the ones new here, in seq order (their files are claimed by them here too). */
function copyMessages(db: SqlPort, messages: readonly Row[]): MessageRow[] {
  const added: MessageRow[] = [];
  for (const m of messages) {
    const columns = Object.keys(m);
    if (!columns.every((c) => COLUMN.test(c))) throw new Error('bad row');
    const { changes } = db.run(`INSERT INTO messages (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`, columns.map((c) => m[c] ?? null));
    if (changes !== 1) continue;
    const row = m as unknown as MessageRow;
    for (const file of row.attachments ? (JSON.parse(row.attachments) as { id: string }[]) : []) {
      db.run('UPDATE attachments SET message_id = ? WHERE tenant_id = ? AND id = ? AND message_id IS NULL', [row.id, row.tenant_id, file.id]);
    }
    added.push(row);
  }
  return added;
}

/** The stream columns of a session's row as its conversation has them (never backwards). */
function copyStream(db: SqlPort, tenantId: string, sessionId: string, stream: Row): void {
  const set = STREAM_COLUMNS.map((c) => (c === 'last_activity_at' ? 'last_activity_at = MAX(last_activity_at, ?)' : `${c} = ?`));
  db.run(`UPDATE sessions SET ${set.join(', ')} WHERE tenant_id = ? AND id = ? AND head_seq <= ?`, [...STREAM_COLUMNS.map((c) => stream[c] ?? null), tenantId, sessionId, stream.head_seq ?? 0]);
}

/** The rows of files uploaded to a chat, for its object to claim with the message (uploads are stored in the tenant's object). */
function attachmentRows(db: SqlPort, tenantId: string, sessionId: string, ids: readonly string[]): Row[] {
  return db.all<Row>(`SELECT * FROM attachments WHERE tenant_id = ? AND session_id = ? AND id IN (${ids.map(() => '?').join(', ')})`, [tenantId, sessionId, ...ids]);
}

/** A socket the room takes before it is accepted: what the room sends it waits, and a refusal is answered on a plain socket. */
interface LateConnection {
  readonly conn: Connection;
  /** The close the room asked for before the socket was accepted. */
  readonly refused: { code: number; reason: string } | undefined;
  /** The socket accepted: what waited is sent now, and everything after goes straight to it. */
  bind(connection: PartyConnection): void;
  /** The refusal on a plain socket: the frames the room sent, then its close. */
  refusal(): Response;
}

function lateConnection(id: string, touched: (connection: PartyConnection) => void): LateConnection {
  const early: string[] = [];
  let refused: { code: number; reason: string } | undefined;
  let target: Connection | undefined;
  let socket: PartyConnection | undefined;
  return {
    conn: {
      id,
      send: (data) => {
        if (target && socket) {
          touched(socket);
          target.send(data);
        } else early.push(data);
      },
      close: (code, reason) => {
        if (target) target.close(code, reason);
        else refused ??= { code, reason };
      },
      bufferedAmount: () => 0,
    },
    get refused() {
      return refused;
    },
    bind(connection) {
      socket = connection;
      target = connectionOf(connection, id);
      connection.setState({ id, snapshot: undefined } satisfies Attachment);
      for (const text of early.splice(0)) target.send(text);
      if (refused) target.close(refused.code, refused.reason);
    },
    refusal() {
      const pair = new WebSocketPair();
      const server = pair[1];
      server.accept();
      for (const text of early) server.send(text);
      server.close(refused?.code ?? CLOSE.FORBIDDEN, refused?.reason ?? 'forbidden');
      return new Response(null, { status: 101, webSocket: pair[0] });
    },
  };
}
