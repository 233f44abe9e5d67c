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
 * Under overload (admission.ts) the inbox of the group commit is bounded: frames above its
 * bounds are refused at once with a retryable `overloaded`, and a batch takes at most
 * `batchFrames` frames or `batchMs` before it commits, so the event loop keeps turning (sockets,
 * timers, a SIGTERM). `shutdown` refuses new work, answers what still waits `overloaded`, lets the
 * committed batches' answers out and closes every socket with 1001.
 */
import type { HelloFrame } from '../../../src/protocol/client-frames.js';
import {
  CLOSE,
  CUSTOMER_TOKEN_TTL_MS,
  HELLO_DEADLINE_MS,
  MAX_ID,
  PROTOCOL_VERSION,
} from '../../../src/protocol/limits.js';
import type { BoardSnapshot, ChannelPermissions, DashboardStats, PublicChannel } from '../../../src/protocol/index.js';
import type { Principal, TokenService } from '../auth.js';
import { AttachmentStore } from '../attachments.js';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type { ListenAuditEntry } from '../listen-audit.js';
import { ListenAudit } from '../listen-audit.js';
import type { AgentAccess, MessageRow, TenantStore } from '../store/index.js';
import { readMode } from './access.js';
import type { OverloadReason } from './admission.js';
import { Admission, overloadMessage } from './admission.js';
import { Connections } from './connections.js';
import { Conversation } from './conversation.js';
import { Directory } from './directory.js';
import { Dispatcher, frameHandlers } from './dispatch.js';
import type { RoomLimits } from './limits.js';
import { DEFAULT_LIMITS } from './limits.js';
import { RoomMetrics } from './metrics.js';
import type { ConversationPort, RemoteConversations, Reported } from './ports.js';
import { newRateState } from './rate-limit.js';
import { Subscriptions } from './subscriptions.js';
import { RoomTimers } from './sweeps.js';
import type { After, ConnState, Connection, Inbound, Mode, RoomContext, RoomLogger, StartChatInput } from './types.js';
import { errorName, inboundBytes, Refusal, silentLogger } from './types.js';

/** A frame waiting for the group commit: its connection, its text, its size and when it arrived (`performance.now()`). */
interface Queued {
  state: ConnState;
  raw: Inbound;
  bytes: number;
  at: number;
}

/** The most `{"t":…, "rid":…, "cmid":…}` a refused frame is read for (its answer). */
interface Peek {
  t?: unknown;
  rid?: unknown;
  cmid?: unknown;
  n?: unknown;
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
  /** The listen-in audit (`listen_audit`). */
  private readonly audit: ListenAudit;
  private readonly subs: Subscriptions;
  private readonly conversation: Conversation;
  private readonly directory: Directory;
  private readonly dispatcher: Dispatcher;
  private readonly ctx: RoomContext;
  /** Frames waiting for the next group commit: `inbox[inboxHead…]`, oldest first. */
  private inbox: Queued[] = [];
  private inboxHead = 0;
  private drainScheduled = false;
  /** Arrival time of the frame being processed (for the ack latency). */
  private arrivedAt: number | undefined;
  private stopping = false;

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
    },
  ) {
    this.store = deps.store;
    this.log = deps.log ?? silentLogger;
    this.metrics = deps.metrics ?? new RoomMetrics();
    this.admission = deps.admission ?? new Admission(undefined, this.metrics);
    this.conns = new Connections(
      this.log,
      (conn) => {
        this.closed(conn);
      },
      this.metrics,
    );
    this.attachments = new AttachmentStore(deps.store.db, tenantId);
    this.audit = new ListenAudit(deps.store.db, tenantId);
    this.timers = new RoomTimers(deps.clock, this.log);
    const ctx: RoomContext = (this.ctx = {
      tenantId,
      store: deps.store,
      clock: deps.clock,
      log: this.log,
      conns: this.conns,
      limits: deps.limits ?? (() => DEFAULT_LIMITS),
      timers: deps.timers ?? systemClock,
      now: () => deps.clock.now(),
      metrics: this.metrics,
      arrivedAt: () => this.arrivedAt,
      tx: <T>(fn: (after: After[]) => T): T => {
        const after: After[] = [];
        // Inside a batch this is a savepoint: a refused frame rolls back alone. The callbacks run
        // now either way (recipients are decided at this point of the stream); inside a batch the
        // frames they send are held until the batch has committed (Connections.hold).
        const result = deps.store.db.transaction(() => fn(after));
        for (const run of after) run();
        return result;
      },
    });
    this.subs = new Subscriptions(ctx, this.audit);
    this.conversation = new Conversation(ctx, this.subs, this.attachments);
    const remote = deps.remote;
    // With remote conversations the directory's stream writes become the host's calls; who may
    // read a stream is still decided for this room's own sockets here.
    const port: ConversationPort = remote
      ? {
          appendSystem: (sessionId, event, text, at, _after, authorName = '', meta) => {
            remote.appendSystem(sessionId, event, text, at, authorName, meta);
          },
          append: (input) => {
            remote.append(input);
          },
          revalidate: (sessionId) => {
            this.conversation.revalidate(sessionId);
          },
          revoke: (agentId) => {
            this.conversation.revoke(agentId);
          },
        }
      : this.conversation;
    this.directory = new Directory(ctx, port, this.timers);
    this.conversation.connect(this.directory);
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
      remote: remote
        ? (state, frame) => {
            const arrived = this.arrivedAt;
            remote.write(state, frame, (texts) => {
              for (const text of texts) this.conns.sendText(state, text, this.counted(text, arrived));
            });
          }
        : undefined,
    });
    this.dispatcher = new Dispatcher(ctx, handlers, (state) => {
      this.closed(state.conn);
    });
    // No one listens in a room that is just starting: rows left open (a crash) end now.
    this.store.db.transaction(() => this.audit.closeAllOpen(this.now(), 'restart'));
    this.directory.start();
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
   * one transaction: `copy` stores the room's copy (messages, the session's stream columns) and
   * returns the messages new to it, which go to this room's subscribers after the commit; the
   * reported activity reaches the directory as the conversation's own call would, then each
   * `opened` (a supervisor opened the chat: it answers a request for help).
   */
  reported(copy: () => readonly MessageRow[], calls: readonly Reported[]): readonly MessageRow[] {
    const added = this.ctx.tx((after) => {
      const rows = copy();
      for (const m of rows) {
        const epoch = this.store.session(m.session_id)?.epoch;
        if (epoch !== undefined) {
          after.push(() => {
            this.conversation.deliverMessage(m, epoch);
          });
        }
      }
      for (const call of calls) if (call.kind === 'activity') this.directory.activity(call.sessionId, call.change, after);
      return rows;
    });
    for (const call of calls) if (call.kind === 'opened') this.directory.opened(call.sessionId, call.agentId);
    return added;
  }

  /** An answer from a remote conversation counted as the room counts its own: a new message, an ack and its latency. */
  private counted(text: string, arrived: number | undefined): (() => void) | undefined {
    const frame = JSON.parse(text) as { t?: unknown; duplicate?: unknown };
    if (frame.t !== 'ack') return undefined;
    if (frame.duplicate === false) this.metrics.messages += 1;
    return () => {
      this.metrics.acks += 1;
      if (arrived !== undefined) this.metrics.ackLatencyMs.record(performance.now() - arrived);
    };
  }

  // ---- connection lifecycle -------------------------------------------------------------

  /**
   * Accepts an authenticated socket. Returns false (and closes it) when the principal does not
   * belong here or a connection cap is reached (the `error` frame and the close reason name the
   * limit). A newer socket of the same tab first retires the old one, so a reconnect is never
   * refused for the connection it replaces.
   */
  open(conn: Connection, principal: Principal, clientId?: string): boolean {
    if (principal.tenantId !== this.tenantId) {
      this.conns.fail(conn, CLOSE.FORBIDDEN, 'forbidden', 'token is for another tenant');
      return false;
    }
    let access: AgentAccess | undefined;
    if (principal.role === 'agent') {
      access = this.store.access(principal.subjectId);
      if (!access) {
        this.conns.fail(conn, CLOSE.FORBIDDEN, 'forbidden', 'unknown agent');
        return false;
      }
    } else if (!this.store.session(principal.subjectId)) {
      this.conns.fail(conn, CLOSE.FORBIDDEN, 'forbidden', 'unknown session');
      return false;
    }
    const busy = this.stopping ? 'shutting_down' : this.admission.busy();
    if (busy) {
      this.metrics.refused(busy);
      this.conns.fail(conn, CLOSE.OVERLOADED, 'overloaded', overloadMessage(busy), this.admission.retryAfterMs(), 'server_capacity');
      return false;
    }
    const limits = this.ctx.limits();
    const mine = [...this.conns.ofUser(principal.role, principal.subjectId)];
    if (clientId) {
      // The same tab reconnected while its old socket still looks open: retire the old one.
      for (const old of mine.filter((c) => c.clientId === clientId)) {
        this.conns.fail(old.conn, CLOSE.SUPERSEDED, 'conflict', 'superseded by a newer connection');
        this.closed(old.conn);
      }
    }
    if (this.conns.size >= limits.connectionsPerTenant) {
      this.metrics.refused('connections_per_tenant');
      this.conns.fail(conn, CLOSE.OVERLOADED, 'overloaded', 'connections_per_tenant: too many connections for this organisation', 5000, 'connections_per_tenant');
      return false;
    }
    if (mine.filter((c) => !c.closed && c.clientId !== clientId).length >= limits.connectionsPerUser) {
      this.metrics.refused('connections_per_user');
      this.conns.fail(conn, CLOSE.OVERLOADED, 'overloaded', 'connections_per_user: too many connections for this user', 5000, 'connections_per_user');
      return false;
    }
    const state: ConnState = {
      conn,
      principal,
      clientId,
      access,
      hello: false,
      helloTimer: undefined,
      boardSeq: undefined,
      subs: new Map(),
      audits: new Map(),
      rate: newRateState(this.now(), limits.framesPerMinute),
      closed: false,
      queued: 0,
    };
    // The deadline is the client's: frames it sent in time that still wait in the inbox (the
    // server's own backlog) are answered when their turn comes, so the deadline starts again.
    const deadline = (): void => {
      if (state.hello || state.closed) return;
      if (state.queued > 0) {
        state.helloTimer = this.deps.clock.setTimeout(deadline, HELLO_DEADLINE_MS);
        return;
      }
      this.conns.fail(conn, CLOSE.HELLO_TIMEOUT, 'invalid', 'no hello within the deadline');
      this.closed(conn);
    };
    state.helloTimer = this.deps.clock.setTimeout(deadline, HELLO_DEADLINE_MS);
    this.conns.add(state);
    this.metrics.connections += 1;
    return true;
  }

  /** The host reports that a socket closed (for any reason). */
  closed(conn: Connection): void {
    const state = this.conns.get(conn.id);
    if (!state) return;
    state.closed = true;
    this.metrics.connections -= 1;
    this.deps.clock.clearTimeout(state.helloTimer);
    this.conns.remove(state);
    this.subs.endListens(state, 'disconnected');
    this.directory.disconnected(state);
  }

  /**
   * Provisioning disabled or deleted an agent (their auth sessions are revoked already): their
   * sockets close with 4401, the chats they handle go back to the queue, transfers offered to
   * them are cancelled, and every console's roster shows them gone (docs/provisioning.md § 9).
   */
  agentCutOff(agentId: string): void {
    for (const state of [...this.conns.ofAgent(agentId)]) {
      this.conns.fail(state.conn, CLOSE.UNAUTHENTICATED, 'unauthenticated', 'this agent was disabled or removed by an administrator');
      this.closed(state.conn);
    }
    this.directory.cutOff(agentId);
  }

  /** Permission changes from provisioning, applied at once; see {@link Directory.applyPermissions}. */
  applyPermissions(changes: readonly { agentId: string; channelId: string; permissions: ChannelPermissions }[]): void {
    this.directory.applyPermissions(changes);
  }

  /** Closes every socket of an auth session (logout, revoked chat). */
  dropAuthSession(authSessionId: string): void {
    for (const state of [...this.conns.values()]) {
      if (state.principal.authSessionId === authSessionId) {
        this.conns.fail(state.conn, CLOSE.UNAUTHENTICATED, 'unauthenticated', 'signed out');
        this.closed(state.conn);
      }
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
    this.stopping = true;
    this.admission.stop();
    this.timers.stop();
    this.directory.stop();
    this.takeInbox(this.inbox.length - this.inboxHead, (e) => {
      this.refuse(e.state, e.raw, 'shutting_down');
    });
    await this.conns.settled();
    for (const state of [...this.conns.values()]) {
      state.conn.close(CLOSE.GOING_AWAY, 'server shutting down');
      this.closed(state.conn);
    }
  }

  /** One incoming frame. Never throws: every failure becomes a `nack`, an `error` or a close. */
  receive(conn: Connection, raw: Inbound): void {
    const bytes = inboundBytes(raw);
    this.metrics.framesIn += 1;
    this.metrics.bytesIn += bytes;
    const defer = this.deps.defer;
    if (!defer) {
      this.process(conn, raw);
      return;
    }
    const state = this.conns.get(conn.id);
    if (!state || state.closed) return;
    const refused = this.stopping ? 'shutting_down' : this.admission.refuse(bytes, state.queued);
    if (refused) {
      this.refuse(state, raw, refused);
      return;
    }
    const at = performance.now();
    state.queued += 1;
    this.inbox.push({ state, raw, bytes, at });
    this.admission.added(this, bytes, at);
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    defer(() => {
      this.drain();
    });
  }

  /**
   * Answers a frame that is not admitted, as cheaply as possible: a `send` or a command gets
   * `nack overloaded` (retryable, with `retryAfterMs`), a `ping` its `pong`, `typing` nothing; a
   * connection that has not said hello yet (or a frame that is not JSON) is closed with 4429.
   * Every refused frame counts against the connection's frame budget: over it the answer is
   * `nack rate_limited` instead, and far over it the connection is closed (4429).
   */
  private refuse(state: ConnState, raw: Inbound, reason: OverloadReason): void {
    this.metrics.refused(reason);
    if (state.closed) return;
    const retryAfterMs = this.admission.retryAfterMs();
    const peek = peekFrame(raw);
    if (!state.hello || !peek) {
      this.conns.fail(state.conn, CLOSE.OVERLOADED, 'overloaded', overloadMessage(reason), retryAfterMs, 'server_capacity');
      this.closed(state.conn);
      return;
    }
    const ids = {
      ...(typeof peek.rid === 'string' && peek.rid.length <= MAX_ID ? { rid: peek.rid } : {}),
      ...(peek.t === 'send' && typeof peek.cmid === 'string' && peek.cmid.length <= MAX_ID ? { cmid: peek.cmid } : {}),
    };
    if (ids.rid === undefined && ids.cmid === undefined) {
      if (this.dispatcher.charge(state)) return;
      if (peek.t === 'ping' && typeof peek.n === 'number') this.conns.send(state, { t: 'pong', n: peek.n });
      return; // typing and the like: dropped
    }
    // Over its frame budget the client hears of that limit (`rate_limited`), as it would unloaded.
    if (this.dispatcher.rateLimited(state, ids)) return;
    this.conns.send(state, { t: 'nack', ...ids, code: 'overloaded', retryable: true, retryAfterMs, message: overloadMessage(reason), limit: 'server_capacity' });
  }

  /** Removes the oldest `n` frames from the inbox (updating the counts), handing each to `each`. */
  private takeInbox(n: number, each: (e: Queued) => void): void {
    let bytes = 0;
    const end = this.inboxHead + n;
    for (let i = this.inboxHead; i < end; i += 1) {
      const e = this.inbox[i];
      if (!e) continue;
      bytes += e.bytes;
      e.state.queued -= 1;
      each(e);
    }
    this.inboxHead = end;
    if (this.inboxHead >= this.inbox.length) {
      this.inbox = [];
      this.inboxHead = 0;
    } else if (this.inboxHead > 4096 && this.inboxHead * 2 > this.inbox.length) {
      this.inbox = this.inbox.slice(this.inboxHead);
      this.inboxHead = 0;
    }
    this.admission.removed(this, n, bytes, this.inbox[this.inboxHead]?.at);
  }

  /**
   * Processes the oldest queued frames in one transaction (at most `batchFrames`, and no longer
   * than `batchMs`), then releases everything they produced once the commit is on disk. What
   * remains waits for the next turn of the event loop.
   */
  private drain(): void {
    this.drainScheduled = false;
    const waiting = this.inbox.length - this.inboxHead;
    if (waiting === 0) return;
    const { batchFrames, batchMs } = this.admission.limits;
    const start = this.inboxHead;
    const started = performance.now();
    let taken = 0;
    const run = () => {
      while (taken < waiting && taken < batchFrames) {
        const e = this.inbox[start + taken];
        taken += 1;
        if (!e) continue;
        this.metrics.queueMs.record(started - e.at);
        this.arrivedAt = e.at;
        if (!e.state.closed) this.dispatcher.process(e.state, e.raw);
        if (performance.now() - started >= batchMs) break;
      }
      this.arrivedAt = undefined;
    };
    const db = this.store.db;
    let durable: Promise<void> | undefined;
    let held: (() => void)[];
    try {
      held = this.conns.hold(() => {
        if (db.transactionDeferred) durable = db.transactionDeferred(run).durable;
        else db.transaction(run);
      });
    } catch (error) {
      this.arrivedAt = undefined;
      // The commit itself failed (disk full, I/O error): nothing of this batch was stored, so
      // nothing may be acknowledged. Drop the held replies and let the clients resend (same cmid).
      this.log.warn('batch.failed', { frames: taken, error: errorName(error) });
      // Snapshots made in the batch may have read what was then rolled back.
      this.directory.board.forgetAll();
      this.takeInbox(taken, (e) => {
        this.storageFailed(e.state);
      });
      this.scheduleDrain();
      return;
    }
    const ms = performance.now() - started;
    const batch = this.inbox.slice(start, start + taken);
    this.takeInbox(taken, () => undefined);
    this.admission.measured(taken, ms);
    this.metrics.commits += 1;
    this.metrics.committedFrames += taken;
    this.metrics.commitMs.record(ms);
    const synced = performance.now();
    this.conns.release(
      held,
      durable?.then(() => {
        this.metrics.syncMs.record(performance.now() - synced);
      }),
      () => {
        this.log.warn('batch.sync_failed', { frames: taken });
        for (const e of batch) this.storageFailed(e.state);
      },
    );
    this.scheduleDrain();
  }

  /** More frames wait: another batch on the next turn of the event loop. */
  private scheduleDrain(): void {
    const defer = this.deps.defer;
    if (!defer || this.drainScheduled || this.inbox.length === this.inboxHead) return;
    this.drainScheduled = true;
    defer(() => {
      this.drain();
    });
  }

  /** A batch of this connection could not be stored: it reconnects and resends (same cmids). */
  private storageFailed(state: ConnState): void {
    if (state.closed) return;
    state.conn.close(CLOSE.OVERLOADED, 'storage error; retry');
    this.closed(state.conn);
  }

  private process(conn: Connection, raw: Inbound): void {
    const state = this.conns.get(conn.id);
    if (!state || state.closed) return;
    this.arrivedAt = performance.now();
    this.dispatcher.process(state, raw);
    this.arrivedAt = undefined;
  }

  /**
   * `hello`: the directory's part (`me`, online, the board stream) and the conversations' part
   * (the session streams the client holds), then `welcome` with every stream's resume status,
   * the replays and resets, and what a fresh console needs to know now.
   */
  private hello(state: ConnState, frame: HelloFrame): void {
    this.deps.clock.clearTimeout(state.helloTimer);
    if (frame.v !== PROTOCOL_VERSION) {
      const message =
        frame.v < PROTOCOL_VERSION
          ? `protocol version ${String(frame.v)} is no longer supported: update the console (reload the page)`
          : `protocol version ${String(frame.v)} is not supported by this server (it speaks version ${String(PROTOCOL_VERSION)})`;
      this.conns.fail(state.conn, CLOSE.BAD_FRAME, 'invalid', message);
      this.closed(state.conn);
      return;
    }
    const directory = this.directory.greet(state, frame.resume?.board);
    const sessions = this.conversation.resume(state, frame.resume?.sessions ?? []);
    this.conns.greet(state, directory.channelId);
    const resume = [...directory.resume, ...sessions.resume];
    this.conns.send(state, { t: 'welcome', v: PROTOCOL_VERSION, connId: state.conn.id, serverTime: this.now(), me: directory.me, resume });
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

  /**
   * How a principal from an HTTP request may read a session (the socket's rules, without a
   * connection): `participant`, `listen`, or undefined when not at all (other tenant, unknown
   * session or agent). Attachment uploads and downloads use it.
   */
  accessMode(principal: Principal, sessionId: string): Mode | undefined {
    if (principal.tenantId !== this.tenantId) return undefined;
    const session = this.store.session(sessionId);
    if (!session) return undefined;
    const access = principal.role === 'agent' ? this.store.access(principal.subjectId) : undefined;
    if (principal.role === 'agent' && !access) return undefined;
    return readMode(this.store, { principal, access }, session);
  }

  /** The board as an agent sees it now (HTTP snapshot endpoint). */
  boardSnapshot(agentId: string): BoardSnapshot {
    return this.directory.board.snapshot(agentId);
  }

  /** Dashboard statistics (`GET /api/stats`); see {@link Directory.stats}. */
  stats(agentId: string, channelIds?: readonly string[]): DashboardStats {
    return this.directory.stats(agentId, channelIds);
  }

  /**
   * The listen-in audit for a supervisor (`GET /api/audit/listen`): rows of sessions in the
   * channels where `agentId` has `manager` or `listen`. Others, and a session outside those
   * channels (or unknown), are refused with `forbidden`.
   */
  listenAudit(agentId: string, filter: { sessionId?: string | undefined; from?: number | undefined; to?: number | undefined } = {}): ListenAuditEntry[] {
    const access = this.store.access(agentId);
    const supervised = [...(access?.channels ?? [])].filter(([, p]) => p.manager || p.listen).map(([id]) => id);
    if (supervised.length === 0) throw new Refusal('forbidden', 'only supervisors (manager or listen permission) can read the listen audit');
    if (filter.sessionId !== undefined) {
      const session = this.store.session(filter.sessionId);
      if (!session || !supervised.includes(session.channel_id)) throw new Refusal('forbidden', 'not allowed for this session');
    }
    return this.audit.list({ channelIds: supervised, ...filter });
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

/** The ids of a frame to be refused (undefined: not a JSON object, nothing to answer). */
function peekFrame(raw: Inbound): Peek | undefined {
  if (raw === null) return undefined;
  if (typeof raw !== 'string') {
    const d = raw.decoded;
    if (d.ok) return d.frame;
    return d.reason === 'schema' || d.reason === 'unknown_type' ? { t: d.t, rid: d.rid, cmid: d.cmid } : undefined;
  }
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}
