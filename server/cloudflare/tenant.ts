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
 *
 * This file is the object itself: its life (database, room), its RPC and partyserver's hooks.
 * Its parts, by responsibility: the sockets and their attachments (tenant-sockets.ts), when it
 * sends (the outbox's flush and retry and the room's timers on the alarm: tenant-flush.ts), the
 * frames carried to the chats' objects (tenant-writes.ts), the chats' reports applied to its copy
 * (tenant-inbox.ts), and what its HTTP API adds to the core's routes (tenant-http.ts).
 */
import type { Connection as PartyConnection, ConnectionContext, WSMessage } from 'partyserver';
import { Server } from 'partyserver';

import { CLOSE } from '../../src/protocol/limits.js';
import { seedDemoCrm } from '../core/crm-seed.js';
import { bearerOf, errorResponse, HttpError, Router, serve } from '../core/http/router.js';
import { ROUTES } from '../core/http/routes/index.js';
import { seedDemoReplies } from '../core/replies-seed.js';
import type { ApiKeyPrincipal } from '../core/provisioning/index.js';
import type { Principal } from '../core/auth.js';
import { ChatRoom, isValidClientId, newConnectionId } from '../core/room/index.js';
import { systemClock } from '../core/clock.js';
import { seedDemo, seedDemoIdentity } from '../core/seed.js';
import type { SqlValue } from '../core/sql.js';
import { TenantStore } from '../core/store/index.js';
import type { Env } from './env.js';
import { originList } from './env.js';
import { operatorKey } from './operator-key.js';
import type { ObjectParts } from './parts.js';
import { foreignKey, httpRequest, objectApp, objectParts, workerLog } from './parts.js';
import { hasSchema } from './sql.js';
import { answerHeartbeat, conversationName, refusedSocket } from './conversation.js';
import type { ConversationReport } from './reports.js';
import type { OutboxCounts } from './outbox.js';
import { ConversationOutbox, outboxMode } from './outbox.js';
import { TenantFlush } from './tenant-flush.js';
import { changesTenant, externalIdTaken, isTenantCreation, makesApiKey } from './tenant-http.js';
import { applyReport } from './tenant-inbox.js';
import { TenantSockets } from './tenant-sockets.js';
import { StreamWrites } from './tenant-writes.js';

const router = new Router(ROUTES);

export class ChatTenant extends Server<Env> {
  static override options = { hibernate: true };

  /** This instance of the object (a new one after an eviction): the operator's read, and the tests'. */
  private readonly life = crypto.randomUUID();
  /** The outbox's flush and retry, and the room's timers on the object's alarm. */
  private readonly flush = new TenantFlush({
    setAlarm: (at) => {
      void this.ctx.storage.setAlarm(at);
    },
    tenantId: () => this.name,
    db: () => this.parts?.db,
    outbox: () => this.outbox,
    keepSockets: () => {
      if (this.chatRoom) this.sockets.keep(this.chatRoom);
    },
  });
  private readonly sockets = new TenantSockets();
  /** Frames of the tenant's sockets that write a chat's stream, carried to the chat's object. */
  private readonly writes = new StreamWrites({
    env: this.env,
    tenantId: () => this.name,
    db: () => this.parts?.db,
    drainOutbox: () => this.flush.drain(),
  });

  private parts: ObjectParts | undefined;
  private chatRoom: ChatRoom | undefined;
  /** What the room commits, on its way to the conversation objects (outbox.ts). */
  private outbox: ConversationOutbox | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    answerHeartbeat(ctx);
  }

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
    this.flush.soon();
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
    const back = this.sockets.takeBack(this.getConnections());
    // The room's own timers (transfer expiry, offers, sweeps, hello deadlines) are the object's
    // alarm; what they commit is flushed right after (the clock's `after`).
    this.chatRoom = new ChatRoom(tenantId, {
      store,
      clock: this.flush.clock,
      restore: back.restore,
      tokens: this.parts.tokens,
      log: workerLog,
      limits: () => limits(tenantId),
      // Each chat's stream is served by its object too (conversation.ts): the welcome says where.
      streams: { session: `/parties/conversation/${tenantId}/{id}` },
      // The chats' objects number the streams: the directory's writes are calls in the outbox.
      remote: {
        appendSystem: (sessionId, event, text, at, authorName, meta) => {
          outbox.record(tenantId, sessionId, { t: 'system', event, text, at, authorName, ...(meta ? { meta } : {}) });
        },
        append: (input) => {
          outbox.record(tenantId, input.sessionId, { t: 'append', input });
        },
        write: (state, frame, reply) => {
          this.writes.carry(state.principal, frame, reply);
        },
      },
    });
    back.resume(this.chatRoom, this.parts.tokens);
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
      const taken = await externalIdTaken(request.clone(), this.registry, this.name);
      if (taken) return taken;
    }
    const response = await serve(this.app(request, parts), router, httpRequest(request));
    // A request that changed chats (a start, an end) answers once their objects numbered it and
    // this copy has it back, so what the caller does next sees it.
    await this.flush.drain();
    if (changesTenant(request) && response.ok) this.index();
    if (makesApiKey(request) && response.status === 201) {
      const made = await response.clone().json<{ apiKey?: { id?: unknown } }>();
      if (typeof made.apiKey?.id === 'string') await this.registry.indexApiKey(made.apiKey.id, this.name);
    }
    // What the request changed for the sockets (board positions) is kept with them.
    this.flush.soon();
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

  /** A chat's object reports what it numbered (reports.ts), applied to this object's copy once (tenant-inbox.ts). */
  report(report: ConversationReport): void {
    const parts = this.open(false);
    const room = this.room(this.name);
    const outbox = this.outbox;
    if (!parts || !room || !outbox) throw new Error('unknown tenant');
    applyReport(parts.db, this.name, room, outbox, report);
    this.flush.soon();
  }

  // ---- sockets (tenant-sockets.ts) --------------------------------------------------------------

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
    const late = this.sockets.late(newConnectionId());
    const clientId = url.searchParams.get('_pk');
    if (!room.open(late.conn, principal, isValidClientId(clientId) ? clientId : undefined) || late.refused) return late.refusal();
    return this.sockets.accepting(request, late, () => super.fetch(request));
  }

  /** The socket the room took in `fetch`, now accepted (hibernatable): bound to it, with what the room sent meanwhile. */
  override onConnect(connection: PartyConnection, ctx: ConnectionContext): void {
    if (!this.sockets.connected(connection, ctx.request, this.chatRoom, this.parts?.tokens)) {
      connection.close(CLOSE.GOING_AWAY, 'server restarted; reconnect');
      return;
    }
    this.flush.soon();
  }

  override onMessage(connection: PartyConnection, message: WSMessage): void {
    // After hibernation the room starts again here, with this socket among those it takes back.
    if (!this.chatRoom && this.open(false)) this.room(this.name);
    this.flush.clock.run();
    const session = this.sockets.receiving(connection);
    if (!session) {
      connection.close(CLOSE.GOING_AWAY, 'server restarted; reconnect');
      return;
    }
    session.receive(typeof message === 'string' ? message : null);
    this.flush.soon();
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
    const session = this.sockets.gone(connection);
    if (!session) return;
    session.closed();
    this.flush.soon();
  }

  // ---- the alarm and the operator's reads -------------------------------------------------------

  /**
   * The alarm: the room's timers that are due, and the outbox's retry. An object that left memory
   * starts again here: the room takes its sockets back and schedules its timers anew from the
   * database (an overdue transfer or offer expires now).
   */
  override async onAlarm(): Promise<void> {
    if (!this.open(false)) return;
    this.room(this.name);
    this.flush.clock.alarm();
    await this.flush.flush();
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
    const object = { life: this.life, sockets: this.ctx.getWebSockets().length, timers: this.flush.clock.pending };
    if (!this.open(false) || !this.outbox) return { pending: 0, ...counts, ...object };
    return { pending: this.outbox.pending(), ...this.outbox.counts, ...object };
  }
}
