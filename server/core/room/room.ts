/**
 * One tenant's chat room: the protocol engine of the server, and the composition root of the
 * modules of this folder (docs/architecture.md, "The room").
 *
 * A host (Node `ws`, or a Durable Object) authenticates the upgrade, then hands the room a
 * {@link Connection} and the {@link Principal} from the redeemed ticket. The room validates
 * every frame, authorizes it per session, commits changes in one SQL transaction, answers
 * (`ack`/`ok`/`nack`) and only then broadcasts the committed events, in commit order.
 *
 * Everything is synchronous between a frame's arrival and its broadcast, so on a
 * single-threaded host no other frame can interleave: "get next in queue" is atomic, and every
 * stream's events leave in `seq` order.
 *
 * Timers run on the injected clock and follow the same rule (one transaction, broadcasts
 * after the commit): transfer expiry (rescheduled from the database when the room starts), the
 * "recently completed" sweep and the wait-warning sweep.
 *
 * The way in of frames and the group commit, bounded under overload, are the inbox's (inbox.ts);
 * a socket's life the lifecycle's (lifecycle.ts). `shutdown` refuses new work, answers what still
 * waits `overloaded`, lets the committed batches' answers out and closes every socket with 1001.
 */
import type { HelloFrame } from '../../../src/protocol/client-frames.js';
import { CLOSE, CUSTOMER_TOKEN_TTL_MS, PROTOCOL_VERSION } from '../../../src/protocol/limits.js';
import type { BoardSnapshot, ChannelPermissions, DashboardStats, PublicChannel } from '../../../src/protocol/index.js';
import type { Principal, TokenService } from '../auth.js';
import { AttachmentStore } from '../attachments.js';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type { ListenAuditEntry } from '../listen-audit.js';
import { ListenAudit } from '../listen-audit.js';
import type { MessageRow, TenantStore } from '../store/index.js';
import { principalReadMode } from './access.js';
import { Admission } from './admission.js';
import { Connections } from './connections.js';
import { roomContext } from './context.js';
import { Conversation } from './conversation.js';
import { Directory } from './directory.js';
import { Dispatcher, frameHandlers } from './dispatch.js';
import { Inbox } from './inbox.js';
import { SocketLifecycle } from './lifecycle.js';
import type { RoomLimits } from './limits.js';
import { DEFAULT_LIMITS } from './limits.js';
import { RoomMetrics } from './metrics.js';
import type { ConnSnapshot } from './conversation-host.js';
import type { RemoteConversations, Reported } from './ports.js';
import { applyReported, remotePort, remoteWriter } from './remote.js';
import { Subscriptions } from './subscriptions.js';
import { RoomTimers } from './sweeps.js';
import type { ConnState, Connection, Inbound, Mode, RoomContext, RoomLogger, StartChatInput } from './types.js';
import { inboundBytes, Refusal, silentLogger } from './types.js';

/** What a socket of the room is made of, as plain data (a hibernated socket's attachment): the conversation's part and the board's position. */
export interface RoomConnSnapshot extends ConnSnapshot {
  /** An agent's board position: the `seq` of the last board event the socket received. */
  boardSeq?: number;
}

export class ChatRoom {
  readonly store: TenantStore;
  /** What the room counts (frames, messages, ack latency, commits, queue, refusals); see metrics.ts. */
  readonly metrics: RoomMetrics;
  /** The bounds of the inbox, shared by the rooms of a process. */
  readonly admission: Admission;
  /** Uploaded files of this tenant (`send` with `attachmentIds` claims them). */
  readonly attachments: AttachmentStore;
  private readonly log: RoomLogger;
  private readonly conns: Connections;
  /** Sweeps and transfer expiry on the room's clock. */
  private readonly timers: RoomTimers;
  private readonly subs: Subscriptions;
  private readonly conversation: Conversation;
  private readonly directory: Directory;
  private readonly dispatcher: Dispatcher;
  private readonly lifecycle: SocketLifecycle;
  private readonly inbox: Inbox;
  private readonly ctx: RoomContext;

  constructor(
    readonly tenantId: string,
    private readonly deps: {
      store: TenantStore;
      clock: Clock;
      tokens: TokenService;
      log?: RoomLogger;
      /**
       * Group commit: when given, frames are queued and processed together on the next `defer`
       * tick, in one SQL transaction, so a burst from many sockets costs one disk sync instead of
       * one each. Every reply and broadcast of the batch leaves only after that commit. The Node
       * host passes `setImmediate`. Without it, each frame commits on its own.
       */
      defer?: (fn: () => void) => void;
      /** The tenant's limits (read on every use, so they may change); default {@link DEFAULT_LIMITS}. */
      limits?: () => Readonly<RoomLimits>;
      /**
       * Real-time timers for coalescing `activity` and `agents` frames (default: the system's).
       * Not `clock`: a test or operator clock may be moved, while coalescing is about real time.
       */
      timers?: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
      /** Counters to add to (a host may share one object between its rooms); default the room's own. */
      metrics?: RoomMetrics;
      /** The bounds of the inbox under overload (shared by the rooms of a process); default {@link DEFAULT_OVERLOAD}. */
      admission?: Admission;
      /**
       * The streams are numbered elsewhere (the Cloudflare host's conversation objects): the
       * directory's stream writes and the frames that write a stream go there, and this room
       * keeps a copy fed by {@link ChatRoom.reported}. Default: this room numbers every stream.
       */
      remote?: RemoteConversations;
      /**
       * Sockets that stayed open while the room was out of memory (a hibernated Durable Object),
       * each with what {@link ChatRoom.snapshot} kept of it: taken back as they were.
       */
      restore?: readonly { conn: Connection; snapshot: RoomConnSnapshot }[];
      /**
       * Where each chat's stream is served besides this socket, named in the `welcome`: the path
       * (on the server's origin) of its own socket, `{id}` standing for the session id (the
       * Cloudflare host: the chat's object). Default: none, every stream on this socket.
       */
      streams?: { session: string };
    },
  ) {
    this.store = deps.store;
    this.log = deps.log ?? silentLogger;
    this.metrics = deps.metrics ?? new RoomMetrics();
    const admission = (this.admission = deps.admission ?? new Admission(undefined, this.metrics));
    this.conns = new Connections(
      this.log,
      (conn) => {
        this.closed(conn);
      },
      this.metrics,
    );
    this.attachments = new AttachmentStore(deps.store.db, tenantId);
    this.timers = new RoomTimers(deps.clock, this.log);
    const ctx: RoomContext = (this.ctx = roomContext({
      tenantId,
      store: deps.store,
      clock: deps.clock,
      log: this.log,
      conns: this.conns,
      limits: deps.limits ?? (() => DEFAULT_LIMITS),
      timers: deps.timers ?? systemClock,
      metrics: this.metrics,
      arrivedAt: () => this.inbox.arrivedAt,
    }));
    this.subs = new Subscriptions(ctx, new ListenAudit(deps.store.db, tenantId));
    this.conversation = new Conversation(ctx, this.subs, this.attachments);
    const remote = deps.remote;
    this.directory = new Directory(ctx, remote ? remotePort(remote, this.conversation) : this.conversation, this.timers);
    this.conversation.connect(this.directory);
    this.lifecycle = new SocketLifecycle(ctx, {
      perTenant: true,
      refused: () => {
        const reason = this.inbox.stopped ? 'shutting_down' : admission.busy();
        return reason ? { reason, retryAfterMs: admission.retryAfterMs() } : undefined;
      },
      ended: (state) => {
        this.subs.endListens(state, 'disconnected');
        this.directory.disconnected(state);
      },
    });
    const handlers = frameHandlers({
      hello: (state, frame) => {
        this.hello(state, frame);
      },
      conversation: this.conversation,
      directory: this.directory,
      send: (state, frame) => {
        this.conns.send(state, frame);
      },
      ok: (state, rid, data) => {
        this.dispatcher.ok(state, rid, data);
      },
      remote: remote ? remoteWriter(ctx, remote) : undefined,
    });
    const closed = (state: ConnState): void => {
      this.closed(state.conn);
    };
    this.dispatcher = new Dispatcher(ctx, handlers, closed);
    this.inbox = new Inbox({
      ctx,
      admission,
      dispatcher: this.dispatcher,
      defer: deps.defer,
      closed,
      rolledBack: () => {
        this.directory.board.forgetAll();
      },
    });
    // Sockets that stayed open while the room was out of memory (a hibernated Durable Object) are
    // taken back as they were. No one else listens in a room that is just starting: the other
    // listen-audit rows left open (a crash, an eviction) end now.
    this.subs.restarted(this.restore(deps.restore ?? []));
    this.directory.start();
  }

  /**
   * A socket's state as plain data, for a host that keeps it with the socket while the room is
   * out of memory (the Cloudflare host's hibernated sockets); undefined once it closed.
   */
  snapshot(conn: Connection): RoomConnSnapshot | undefined {
    const state = this.conns.get(conn.id);
    if (!state || state.closed) return undefined;
    return {
      principal: state.principal,
      clientId: state.clientId,
      hello: state.hello,
      subs: [...state.subs],
      audits: [...state.audits],
      rate: { ...state.rate },
      ...(state.boardSeq !== undefined ? { boardSeq: state.boardSeq } : {}),
    };
  }

  /**
   * Takes sockets back from their snapshots (the room starts again while they stayed open):
   * greeted ones with their subscriptions and board position and no new `welcome`, the agents
   * online again (availability recounted before the customers are indexed, so nobody hears a
   * change that did not happen), the others with a new hello deadline. A socket whose agent was
   * disabled or removed meanwhile closes with 4401, one whose chat is gone with 4403. Returns
   * the ids of the listen-audit rows these sockets keep open.
   */
  private restore(sockets: readonly { conn: Connection; snapshot: RoomConnSnapshot }[]): Set<string> {
    const kept = new Set<string>();
    const online: string[] = [];
    const customers: { state: ConnState; channelId: string }[] = [];
    for (const { conn, snapshot } of sockets) {
      const principal = snapshot.principal;
      const access = principal.role === 'agent' ? this.store.access(principal.subjectId) : undefined;
      const session = principal.role === 'customer' ? this.store.session(principal.subjectId) : undefined;
      if (principal.tenantId !== this.tenantId || (principal.role === 'agent' && !access)) {
        this.conns.fail(conn, CLOSE.UNAUTHENTICATED, 'unauthenticated', 'this agent was disabled or removed by an administrator');
        continue;
      }
      if (principal.role === 'customer' && !session) {
        this.conns.fail(conn, CLOSE.FORBIDDEN, 'forbidden', 'unknown session');
        continue;
      }
      const state: ConnState = {
        conn,
        principal,
        clientId: snapshot.clientId,
        access,
        hello: false,
        helloTimer: undefined,
        boardSeq: snapshot.boardSeq,
        subs: new Map(),
        audits: new Map(snapshot.audits),
        rate: { ...snapshot.rate },
        closed: false,
        queued: 0,
      };
      this.conns.add(state);
      this.metrics.connections += 1;
      for (const [, id] of snapshot.audits) kept.add(id);
      if (!snapshot.hello) {
        this.lifecycle.helloDeadline(state);
        continue;
      }
      for (const [sessionId, mode] of snapshot.subs) this.conns.setSub(state, sessionId, mode);
      if (access) {
        this.conns.greet(state);
        online.push(access.agent.id);
      } else if (session) customers.push({ state, channelId: session.channel_id });
    }
    for (const agentId of online) if (this.directory.presence.connected(agentId)) this.directory.presence.update(agentId);
    for (const { state, channelId } of customers) this.conns.greet(state, channelId);
    return kept;
  }

  private now(): number {
    return this.deps.clock.now();
  }

  /** Number of open connections (for health and tests). */
  get connectionCount(): number {
    return this.conns.size;
  }

  isOnline(agentId: string): boolean {
    return this.directory.presence.isOnline(agentId);
  }

  /**
   * (With {@link RemoteConversations}.) What a conversation numbered, reported to this room, in
   * one transaction; see {@link applyReported}.
   */
  reported(copy: () => readonly MessageRow[], calls: readonly Reported[]): readonly MessageRow[] {
    return applyReported(this.ctx, this.conversation, this.directory, copy, calls);
  }

  // ---- connection lifecycle -------------------------------------------------------------

  /**
   * Accepts an authenticated socket. Returns false (and closes it) when the principal does not
   * belong here or a connection cap is reached; see {@link SocketLifecycle.open}.
   */
  open(conn: Connection, principal: Principal, clientId?: string): boolean {
    return this.lifecycle.open(conn, principal, clientId) !== undefined;
  }

  /** The host reports that a socket closed (for any reason). */
  closed(conn: Connection): void {
    this.lifecycle.closed(conn);
  }

  /**
   * Provisioning disabled or deleted an agent (their auth sessions are revoked already): their
   * sockets close with 4401, the chats they handle go back to the queue, transfers offered to
   * them are cancelled, and every console's roster shows them gone (docs/provisioning.md § 9).
   */
  agentCutOff(agentId: string): void {
    for (const state of [...this.conns.ofAgent(agentId)]) {
      this.lifecycle.drop(state, CLOSE.UNAUTHENTICATED, 'unauthenticated', 'this agent was disabled or removed by an administrator');
    }
    this.directory.cutOff(agentId);
  }

  /** Provisioning (or a sign-in's token) changed an agent's display name; see {@link Directory.renamed}. */
  agentRenamed(agentId: string): void {
    this.directory.renamed(agentId);
  }

  /** Permission changes from provisioning, applied at once; see {@link Directory.applyPermissions}. */
  applyPermissions(changes: readonly { agentId: string; channelId: string; permissions: ChannelPermissions }[]): void {
    this.directory.applyPermissions(changes);
  }

  /** Closes every socket of an auth session (logout, revoked chat). */
  dropAuthSession(authSessionId: string): void {
    for (const state of [...this.conns.values()]) {
      if (state.principal.authSessionId === authSessionId) this.lifecycle.drop(state, CLOSE.UNAUTHENTICATED, 'unauthenticated', 'signed out');
    }
  }

  /**
   * Shutdown: refuses new work from now on (frames: `overloaded`, retryable; connections: 4429),
   * stops the timers, answers the frames still waiting in the inbox `overloaded` (their clients
   * send them again after reconnecting: nothing of them was stored), waits until the batches
   * already committed are on disk and their answers are out, then closes every socket with 1001
   * (clients reconnect and resume, here after a restart or elsewhere).
   */
  async shutdown(): Promise<void> {
    this.admission.stop();
    this.timers.stop();
    this.directory.stop();
    this.inbox.stop();
    await this.conns.settled();
    this.lifecycle.closeAll();
  }

  /** One incoming frame. Never throws: every failure becomes a `nack`, an `error` or a close. */
  receive(conn: Connection, raw: Inbound): void {
    const bytes = inboundBytes(raw);
    this.metrics.framesIn += 1;
    this.metrics.bytesIn += bytes;
    const state = this.conns.get(conn.id);
    if (!state || state.closed) return;
    this.inbox.receive(state, raw, bytes);
  }

  /**
   * `hello`: the directory's part (`me`, online, the board stream) and the conversations' part
   * (the session streams the client holds), then `welcome` with every stream's resume status,
   * the replays and resets, and what a fresh console needs to know now.
   */
  private hello(state: ConnState, frame: HelloFrame): void {
    if (!this.lifecycle.speaks(state, frame.v)) return;
    const directory = this.directory.greet(state, frame.resume?.board);
    const sessions = this.conversation.resume(state, frame.resume?.sessions ?? []);
    this.conns.greet(state, directory.channelId);
    const resume = [...directory.resume, ...sessions.resume];
    const streams = this.deps.streams ? { streams: this.deps.streams } : {};
    this.conns.send(state, { t: 'welcome', v: PROTOCOL_VERSION, connId: state.conn.id, serverTime: this.now(), me: directory.me, resume, ...streams });
    for (const text of directory.texts) this.conns.sendText(state, text);
    for (const f of sessions.frames) this.conns.send(state, f);
    this.directory.greeted(state);
  }

  // ---- HTTP-facing operations -------------------------------------------------------------

  /** Starts a customer chat: a queued session and the customer's access token. */
  async startChat(input: StartChatInput): Promise<{ sessionId: string; token: string; expiresAt: number }> {
    const row = this.directory.startChat(input);
    const { token, expiresAt } = await this.deps.tokens.issueAccess({ tenantId: this.tenantId, role: 'customer', subjectId: row.id }, CUSTOMER_TOKEN_TTL_MS);
    this.log.info('chat.started', { channel: row.channel_id });
    return { sessionId: row.id, token, expiresAt };
  }

  /** The public channel list with availability (HTTP `GET /api/channels`). */
  publicChannels(): PublicChannel[] {
    return this.directory.presence.publicChannels();
  }

  /** How a principal from an HTTP request may read a session; see {@link principalReadMode}. */
  accessMode(principal: Principal, sessionId: string): Mode | undefined {
    return principalReadMode(this.store, this.tenantId, principal, sessionId);
  }

  /** The board as an agent sees it now (HTTP snapshot endpoint). */
  boardSnapshot(agentId: string): BoardSnapshot {
    return this.directory.board.snapshot(agentId);
  }

  /** Dashboard statistics (`GET /api/stats`); see {@link Directory.stats}. */
  stats(agentId: string, channelIds?: readonly string[]): DashboardStats {
    return this.directory.stats(agentId, channelIds);
  }

  /** The listen-in audit for a supervisor (`GET /api/audit/listen`); see {@link Subscriptions.auditFor}. */
  listenAudit(agentId: string, filter: { sessionId?: string | undefined; from?: number | undefined; to?: number | undefined } = {}): ListenAuditEntry[] {
    return this.subs.auditFor(agentId, filter);
  }

  /**
   * Admin path (`POST /api/admin/permissions`): `managerId`, a manager of the channel, sets
   * another agent's (or their own) permissions there. See {@link setPermissions}.
   */
  setPermissionsBy(managerId: string, agentId: string, channelId: string, perms: ChannelPermissions): void {
    if (!this.store.access(managerId)?.channels.get(channelId)?.manager) {
      throw new Refusal('forbidden', 'only a manager of this channel can change permissions in it');
    }
    this.setPermissions(agentId, channelId, perms);
  }

  /** A customer returns to a chat that just ended (journey); see {@link Directory.reopen}. */
  reopenChat(sessionId: string, graceMs: number): 'queued' | 'active' {
    return this.directory.reopen(sessionId, graceMs);
  }

  /** Sets an agent's permissions in a channel and applies them at once; see {@link Directory.setPermissions}. */
  setPermissions(agentId: string, channelId: string, perms: ChannelPermissions): void {
    this.directory.setPermissions(agentId, channelId, perms);
  }
}
