/**
 * One tenant's chat room: the protocol engine of the server.
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
 */
import type { HelloFrame, HistoryFrame, SendFrame, SubscribeFrame, TransferFrame, TypingFrame } from '../../../src/protocol/client-frames.js';
import {
  CLOSE,
  CUSTOMER_TOKEN_TTL_MS,
  DEFAULT_TRANSFER_TIMEOUT_MS,
  FRAMES_PER_MINUTE,
  HELLO_DEADLINE_MS,
  MAX_CONNECTIONS_PER_TENANT,
  MAX_CONNECTIONS_PER_USER,
  MAX_EMAIL,
  MAX_NAME,
  MAX_PHONE,
  MAX_RESUME_REPLAY,
  MAX_SEARCH_RESULTS,
  PROTOCOL_VERSION,
  RECENT_SWEEP_MS,
  RECENT_WINDOW_MS,
  SNAPSHOT_MESSAGES,
  WARNING_SWEEP_MS,
} from '../../../src/protocol/limits.js';
import type {
  AgentStatus,
  ChannelPermissions,
  DashboardStats,
  EventMeta,
  PublicChannel,
  ResumeStatus,
  SessionEventName,
  SessionSnapshot,
  WarningLevel,
} from '../../../src/protocol/index.js';
import { sessionStream } from '../../../src/protocol/index.js';
import type { Principal, TokenService } from '../auth.js';
import { AttachmentStore, attachmentInfo } from '../attachments.js';
import type { Clock } from '../clock.js';
import type { AgentAccess, BoardEventRow, MessageRow, SessionRow } from '../store.js';
import { agentAccess, readMode } from './access.js';
import { Connections } from './connections.js';
import type { FrameHandlers } from './dispatch.js';
import { Dispatcher } from './dispatch.js';
import type { Frame } from './connections.js';
import { RoomTimers } from './sweeps.js';
import { Subscriptions } from './subscriptions.js';
import { newRateState } from './rate-limit.js';
import type { After, ConnState, Connection, Mode, RoomContext, RoomLogger, StartChatInput } from './types.js';
import { Refusal, errorName, silentLogger } from './types.js';
import type { ListenAuditEntry } from '../listen-audit.js';
import { ListenAudit } from '../listen-audit.js';
import { computeStats } from '../stats.js';
import type { TenantStore } from '../store.js';

/** System events only agents see: they get no customer numbering and never reach a customer socket. */
const INTERNAL_EVENTS: ReadonlySet<SessionEventName> = new Set<SessionEventName>([
  'transfer-requested',
  'transferred',
  'transfer-declined',
  'transfer-cancelled',
  'transfer-expired',
  'requeued',
  'taken-over',
]);

/** Agents who may see a board event besides its channel's members. */
function boardAudience(event: BoardEventRow): string[] {
  if (event.audience !== null) return JSON.parse(event.audience) as string[];
  if (event.kind !== 'session') return [];
  // Rows written before migration 2: the handler only.
  const agentId = (JSON.parse(event.data) as { agentId?: string }).agentId;
  return agentId ? [agentId] : [];
}

/** Who may see a session on the board: its channel's members and these agents. */
interface Visibility {
  channelId: string;
  related: readonly string[];
}

export class ChatRoom {
  readonly store: TenantStore;
  /** Uploaded files of this tenant (`send` with `attachmentIds` claims them). */
  readonly attachments: AttachmentStore;
  private readonly conns: Connections;
  private readonly online = new Map<string, number>();
  /** Sweeps and transfer expiry on the room's clock. */
  private readonly timers: RoomTimers;
  /** Session subscriptions and the listen-in audit. */
  private readonly subs: Subscriptions;
  private readonly dispatcher: Dispatcher;
  /** Last availability told to customers, per channel. */
  private availability = new Map<string, boolean>();
  /** The listen-in audit (`listen_audit`). */
  private readonly audit: ListenAudit;

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
    },
  ) {
    this.store = deps.store;
    this.conns = new Connections(deps.log ?? silentLogger, (conn) => {
      this.closed(conn);
    });
    this.attachments = new AttachmentStore(deps.store.db, tenantId);
    this.audit = new ListenAudit(deps.store.db, tenantId);
    this.timers = new RoomTimers(deps.clock, this.log);
    const ctx: RoomContext = {
      tenantId,
      store: deps.store,
      clock: deps.clock,
      log: this.log,
      conns: this.conns,
      now: () => this.now(),
      tx: (fn) => this.tx(fn),
    };
    this.subs = new Subscriptions(ctx, this.audit);
    this.dispatcher = new Dispatcher(ctx, this.handlers(), (state) => {
      this.closed(state.conn);
    });
    this.start();
  }

  /** Frames waiting for the next group commit. */
  private inbox: [Connection, string | null][] = [];
  private drainScheduled = false;

  /**
   * Starts the room's timers: expiry of the transfers still pending in the database (a
   * restart; overdue ones expire at once) and the periodic sweeps.
   */
  private start(): void {
    // No one listens in a room that is just starting: rows left open (a crash) end now.
    this.store.db.transaction(() => this.audit.closeAllOpen(this.now(), 'restart'));
    for (const t of this.store.pendingTransfers()) this.scheduleTransferExpiry(t.id, t.transfer_expires_at);
    if (this.store.tenant()?.recent_swept_at === null) {
      this.store.db.transaction(() => {
        this.store.setRecentSweptAt(this.now());
      });
    }
    this.availability = this.computeAvailability();
    this.timers.every('recent', RECENT_SWEEP_MS, () => {
      this.recentSweep();
    });
    this.timers.every('warnings', WARNING_SWEEP_MS, () => {
      this.warningSweep();
    });
  }

  private get log(): RoomLogger {
    return this.deps.log ?? silentLogger;
  }

  private now(): number {
    return this.deps.clock.now();
  }

  /** Number of open connections (for health and tests). */
  get connectionCount(): number {
    return this.conns.size;
  }

  isOnline(agentId: string): boolean {
    return (this.online.get(agentId) ?? 0) > 0;
  }

  // ---- connection lifecycle -------------------------------------------------------------

  /**
   * Accepts an authenticated socket. Returns false (and closes it) when the principal does not
   * belong here or a connection cap is reached.
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
    if (this.conns.size >= MAX_CONNECTIONS_PER_TENANT) {
      this.conns.fail(conn, CLOSE.OVERLOADED, 'overloaded', 'too many connections', 5000);
      return false;
    }
    const mine = [...this.conns.values()].filter((c) => c.principal.role === principal.role && c.principal.subjectId === principal.subjectId);
    if (clientId) {
      // The same tab reconnected while its old socket still looks open: retire the old one.
      for (const old of mine.filter((c) => c.clientId === clientId)) {
        this.conns.fail(old.conn, CLOSE.SUPERSEDED, 'conflict', 'superseded by a newer connection');
        this.closed(old.conn);
      }
    }
    if (mine.filter((c) => !c.closed && c.clientId !== clientId).length >= MAX_CONNECTIONS_PER_USER) {
      this.conns.fail(conn, CLOSE.OVERLOADED, 'overloaded', 'too many connections for this user', 5000);
      return false;
    }
    const now = this.now();
    const state: ConnState = {
      conn,
      principal,
      clientId,
      access,
      hello: false,
      helloTimer: undefined,
      subs: new Map(),
      audits: new Map(),
      rate: newRateState(now, FRAMES_PER_MINUTE),
      closed: false,
    };
    state.helloTimer = this.deps.clock.setTimeout(() => {
      if (!state.hello && !state.closed) {
        this.conns.fail(conn, CLOSE.HELLO_TIMEOUT, 'invalid', 'no hello within the deadline');
        this.closed(conn);
      }
    }, HELLO_DEADLINE_MS);
    this.conns.add(state);
    return true;
  }

  /** The host reports that a socket closed (for any reason). */
  closed(conn: Connection): void {
    const state = this.conns.get(conn.id);
    if (!state) return;
    state.closed = true;
    this.deps.clock.clearTimeout(state.helloTimer);
    this.conns.remove(state);
    this.subs.endListens(state, 'disconnected');
    if (state.hello && state.principal.role === 'agent') {
      const n = (this.online.get(state.principal.subjectId) ?? 1) - 1;
      if (n <= 0) {
        this.online.delete(state.principal.subjectId);
        this.tx((after) => {
          this.agentChanged(state.principal.subjectId, after);
        });
      } else this.online.set(state.principal.subjectId, n);
    }
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

  /** Closes every socket and stops the timers (shutdown); clients reconnect and resume elsewhere or later. */
  shutdown(): void {
    this.timers.stop();
    for (const state of [...this.conns.values()]) {
      state.conn.close(CLOSE.GOING_AWAY, 'server shutting down');
      this.closed(state.conn);
    }
  }

  /** One incoming frame. Never throws: every failure becomes a `nack`, an `error` or a close. */
  receive(conn: Connection, raw: string | null): void {
    const defer = this.deps.defer;
    if (!defer) {
      this.process(conn, raw);
      return;
    }
    this.inbox.push([conn, raw]);
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    defer(() => {
      this.drain();
    });
  }

  /** Processes the queued frames in one transaction, then releases everything they produced. */
  private drain(): void {
    this.drainScheduled = false;
    const batch = this.inbox.splice(0);
    if (batch.length === 0) return;
    let held: (() => void)[];
    try {
      held = this.conns.hold(() => {
        this.store.db.transaction(() => {
          for (const [conn, raw] of batch) this.process(conn, raw);
        });
      });
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nothing of this batch was stored, so
      // nothing may be acknowledged. Drop the held replies and let the clients resend (same cmid).
      this.log.warn('batch.failed', { frames: batch.length, error: errorName(error) });
      for (const [conn] of batch) {
        conn.close(CLOSE.OVERLOADED, 'storage error; retry');
        this.closed(conn);
      }
      return;
    }
    for (const run of held) run();
  }

  private process(conn: Connection, raw: string | null): void {
    const state = this.conns.get(conn.id);
    if (!state || state.closed) return;
    this.dispatcher.process(state, raw);
  }

  // ---- HTTP-facing operations -------------------------------------------------------------

  /** Starts a customer chat: a queued session and the customer's access token. */
  async startChat(input: StartChatInput): Promise<{ sessionId: string; token: string; expiresAt: number }> {
    const channel = this.store.channel(input.channelId);
    if (!channel) throw new Refusal('not_found', 'unknown channel');
    const name = clean(input.name, MAX_NAME, 'name');
    const email = clean(input.email, MAX_EMAIL, 'email');
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new Refusal('invalid', 'email: not an e-mail address');
    const phone = clean(input.phone, MAX_PHONE, 'phone');
    if (phone && !/^[+()\d\s./-]{3,}$/.test(phone)) throw new Refusal('invalid', 'phone: not a phone number');
    const row = this.tx((after) => {
      const at = this.now();
      const session = this.store.createSession({ channelId: channel.id, name: name ?? '', email, phone, at });
      const welcome = channel.welcome_message;
      this.appendSystem(session.id, 'queued', welcome, at, after);
      this.sessionChanged(session.id, after);
      after.push(() => {
        this.queuePositions(channel.id);
      });
      return session;
    });
    const { token, expiresAt } = await this.deps.tokens.issueAccess(
      { tenantId: this.tenantId, role: 'customer', subjectId: row.id },
      CUSTOMER_TOKEN_TTL_MS,
    );
    this.log.info('chat.started', { channel: channel.id });
    return { sessionId: row.id, token, expiresAt };
  }

  /** The public channel list with availability (HTTP `GET /api/channels`). */
  publicChannels(): PublicChannel[] {
    const available = this.computeAvailability();
    return this.store.channels().map((c) => ({ id: c.id, name: c.name, available: available.get(c.id) ?? false }));
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
  boardSnapshot(agentId: string) {
    return this.store.boardSnapshot(agentId, this.now(), (id) => this.isOnline(id));
  }

  /**
   * Dashboard statistics on the room's clock (`stats` frame, `GET /api/stats`): for the channels
   * asked for that the agent belongs to (any permission), all of theirs when none are asked for;
   * other channels are left out silently. Definitions: docs/dashboard.md.
   */
  stats(agentId: string, channelIds?: readonly string[]): DashboardStats {
    const mine = this.store.agentChannelIds(agentId);
    const chosen = channelIds ? mine.filter((id) => channelIds.includes(id)) : mine;
    return computeStats({
      db: this.store.db,
      tenantId: this.tenantId,
      now: this.now(),
      timeZone: this.store.tenant()?.time_zone ?? 'UTC',
      channelIds: chosen,
      isOnline: (id) => this.isOnline(id),
    });
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

  /**
   * Sets an agent's permissions in a channel (all false: removes them from it) and applies the
   * change at once to their open consoles: `me` with the new permissions; every session
   * subscription no longer allowed (a listen without the listen permission, a chat they may no
   * longer read) is dropped and answered with `gone {stream, reason: 'revoked'}`, so nothing more
   * of it is delivered; a fresh board snapshot when they joined or left the channel; availability
   * is recomputed for customers.
   */
  setPermissions(agentId: string, channelId: string, perms: ChannelPermissions): void {
    if (!this.store.agent(agentId)) throw new Refusal('not_found', 'no such agent');
    if (!this.store.channel(channelId)) throw new Refusal('not_found', 'no such channel');
    const membershipChanged = this.tx((after) => {
      const r = this.store.setChannelPermissions(agentId, channelId, perms);
      this.agentChanged(agentId, after);
      return r.before !== r.after;
    });
    const fresh = this.store.access(agentId);
    if (!fresh) return;
    this.log.info('permissions.changed', { channel: channelId });
    for (const state of [...this.conns.values()]) {
      if (state.closed || state.access?.agent.id !== agentId) continue;
      state.access = fresh;
      if (!state.hello) continue;
      this.conns.send(state, { t: 'me', me: this.store.me(fresh) });
      for (const sessionId of this.subs.revoke(state)) {
        this.conns.send(state, { t: 'gone', stream: sessionStream(sessionId), reason: 'revoked' });
      }
      if (membershipChanged) {
        const head = this.store.boardHead();
        this.conns.send(state, { t: 'reset', stream: 'board', epoch: head.epoch, reason: 'permissions', snapshot: this.boardSnapshot(agentId) });
      }
    }
    this.checkAvailability();
  }

  /** The handler of each client frame type (the dispatcher checks hello, typing and the budget first). */
  private handlers(): FrameHandlers {
    const ok = (state: ConnState, rid: string, data?: unknown): void => {
      this.dispatcher.ok(state, rid, data);
    };
    return {
      hello: (state, frame) => {
        if (state.hello) this.conns.send(state, { t: 'nack', code: 'invalid', retryable: false, message: 'hello was already received' });
        else this.hello(state, frame);
      },
      ping: (state, frame) => {
        this.conns.send(state, { t: 'pong', n: frame.n });
      },
      typing: (state, frame) => {
        this.typing(state, frame);
      },
      send: (state, frame) => {
        this.sendMessage(state, frame);
      },
      accept: (state, frame) => {
        ok(state, frame.rid, this.answer(state, frame.sessionId));
      },
      next: (state, frame) => {
        ok(state, frame.rid, this.nextInQueue(state, frame.channelIds));
      },
      end: (state, frame) => {
        this.endSession(state, frame.sessionId);
        ok(state, frame.rid);
      },
      subscribe: (state, frame) => {
        this.subscribe(state, frame);
      },
      unsubscribe: (state, frame) => {
        this.subs.drop(state, frame.sessionId, 'unsubscribed');
        ok(state, frame.rid);
      },
      history: (state, frame) => {
        ok(state, frame.rid, this.history(state, frame));
      },
      read: (state, frame) => {
        this.read(state, frame.sessionId, frame.seq);
        ok(state, frame.rid);
      },
      presence: (state, frame) => {
        this.presence(state, frame.status);
        ok(state, frame.rid);
      },
      transfer: (state, frame) => {
        ok(state, frame.rid, this.transfer(state, frame));
      },
      'transfer-answer': (state, frame) => {
        ok(state, frame.rid, this.answerTransfer(state, frame.sessionId, frame.accept));
      },
      'transfer-cancel': (state, frame) => {
        this.cancelTransfer(state, frame.sessionId);
        ok(state, frame.rid, { sessionId: frame.sessionId });
      },
      takeover: (state, frame) => {
        ok(state, frame.rid, this.takeover(state, frame.sessionId));
      },
      stats: (state, frame) => {
        ok(state, frame.rid, this.stats(agentAccess(state).agent.id, frame.channelIds));
      },
      search: (state, frame) => {
        ok(state, frame.rid, this.search(state, frame.query));
      },
    };
  }

  // ---- hello and resume -------------------------------------------------------------------

  private hello(state: ConnState, frame: HelloFrame): void {
    this.deps.clock.clearTimeout(state.helloTimer);
    const resume: ResumeStatus[] = [];
    const follow: Frame[] = [];
    const view = state.principal.role;
    let me;
    if (state.access) {
      const agentId = state.access.agent.id;
      state.access = this.store.access(agentId) ?? state.access;
      me = this.store.me(state.access);
      const before = this.online.get(agentId) ?? 0;
      this.online.set(agentId, before + 1);
      // Committed before this connection counts as greeted, so it reaches this client through
      // the replay or snapshot below, never ahead of the welcome.
      if (before === 0) {
        this.tx((after) => {
          this.agentChanged(agentId, after);
        });
      }
      // Board stream.
      const head = this.store.boardHead();
      const pos = frame.resume?.board;
      const events = pos?.epoch === head.epoch && pos.seq <= head.seq ? this.store.boardEventsAfter(pos.seq, MAX_RESUME_REPLAY) : undefined;
      if (events) {
        resume.push({ stream: 'board', status: 'replay', epoch: head.epoch, toSeq: head.seq });
        for (const e of events) follow.push(this.boardFrame(state, e, head.epoch));
      } else {
        resume.push({ stream: 'board', status: 'reset', epoch: head.epoch });
        follow.push({ t: 'reset', stream: 'board', epoch: head.epoch, reason: pos ? 'replay unavailable' : 'initial', snapshot: this.boardSnapshot(agentId) });
      }
    } else {
      const session = this.store.session(state.principal.subjectId);
      me = { kind: 'customer' as const, tenantId: this.tenantId, sessionId: state.principal.subjectId, name: session?.customer_name ?? '' };
    }
    // Session streams the client already holds (customers: their own one, always).
    const positions = frame.resume?.sessions ?? [];
    const wanted = view === 'customer' ? [positions.find((p) => p.id === state.principal.subjectId) ?? { id: state.principal.subjectId }] : positions;
    for (const pos of wanted) {
      const session = this.store.session(pos.id);
      const mode = session ? readMode(this.store, state, session) : undefined;
      if (!session || !mode) {
        resume.push({ stream: sessionStream(pos.id), status: 'gone' });
        continue;
      }
      this.subs.set(state, session, mode);
      const r = this.resumeSession(state, session, 'epoch' in pos ? pos : undefined);
      resume.push(r.status);
      follow.push(...r.frames);
    }
    state.hello = true;
    this.conns.send(state, { t: 'welcome', v: PROTOCOL_VERSION, connId: state.conn.id, serverTime: this.now(), me, resume });
    for (const f of follow) this.conns.send(state, f);
    if (view === 'customer') {
      this.sendQueuePosition(state);
      this.sendAvailability(state);
    } else {
      this.sendDueWarnings(state);
    }
  }

  private resumeSession(
    state: ConnState,
    session: SessionRow,
    pos: { epoch: string; seq: number } | undefined,
  ): { status: ResumeStatus; frames: Frame[] } {
    const view = state.principal.role;
    const head = view === 'agent' ? session.head_seq : session.head_cseq;
    const stream = sessionStream(session.id);
    if (pos?.epoch === session.epoch && pos.seq <= head && head - pos.seq <= MAX_RESUME_REPLAY) {
      const { rows } = this.store.messages(session.id, view, { after: pos.seq, limit: MAX_RESUME_REPLAY });
      return {
        status: { stream, status: 'replay', epoch: session.epoch, toSeq: head },
        frames: rows.map((m) => this.messageFrame(m, view, session.epoch)),
      };
    }
    return {
      status: { stream, status: 'reset', epoch: session.epoch },
      frames: [{ t: 'reset', stream, epoch: session.epoch, reason: pos ? 'replay unavailable' : 'initial', snapshot: this.sessionSnapshot(session, view) }],
    };
  }

  private sessionSnapshot(session: SessionRow, view: 'agent' | 'customer'): SessionSnapshot {
    const { rows, hasMore } = this.store.messages(session.id, view, { limit: SNAPSHOT_MESSAGES });
    return {
      epoch: session.epoch,
      seq: view === 'agent' ? session.head_seq : session.head_cseq,
      ...(view === 'agent' ? { session: this.store.summary(session) } : { status: session.status }),
      messages: rows.map((m) => this.store.toWire(m, view)),
      hasMore,
    };
  }

  // ---- commands ---------------------------------------------------------------------------

  private sendMessage(state: ConnState, frame: SendFrame): void {
    const p = state.principal;
    const session = this.store.session(frame.sessionId);
    if (!session || !readMode(this.store, state, session)) throw new Refusal('forbidden', 'not allowed in this session');
    const senderKind = p.role;
    const existing = this.store.messageByCmid(senderKind, p.subjectId, frame.cmid);
    const fileIds = frame.attachmentIds ?? [];
    if (existing) {
      const sentIds = existing.attachments ? (JSON.parse(existing.attachments) as { id: string }[]).map((a) => a.id) : [];
      if (
        existing.session_id !== frame.sessionId ||
        existing.text !== frame.text ||
        existing.kind !== frame.kind ||
        sentIds.join(',') !== fileIds.join(',')
      ) {
        throw new Refusal('invalid', 'cmid was already used for a different message');
      }
      this.ack(state, existing, true);
      return;
    }
    if (fileIds.length > 0 && frame.kind !== 'text') throw new Refusal('invalid', 'attachments can only be sent in messages, not in notes');
    if (p.role === 'customer') {
      if (frame.kind !== 'text') throw new Refusal('forbidden', 'customers cannot write notes');
      if (session.status !== 'queued' && session.status !== 'active') throw new Refusal('session_closed', 'the chat has ended');
    } else {
      if (session.status !== 'active') throw new Refusal('session_closed', 'the chat is not active');
      if (session.agent_id !== p.subjectId) throw new Refusal('forbidden', 'only the handling agent can write in this chat');
    }
    const authorName = p.role === 'agent' ? (state.access?.agent.name ?? '') : session.customer_name;
    const files = fileIds.length > 0 ? this.attachments.claimable(fileIds, session.id, { kind: senderKind, id: p.subjectId }) : undefined;
    if (files && !files.ok) throw new Refusal(files.code, files.message);
    this.tx((after) => {
      const m = this.store.appendMessage({
        sessionId: session.id,
        cmid: frame.cmid,
        senderKind,
        senderId: p.subjectId,
        authorName,
        kind: frame.kind,
        text: frame.text,
        ...(files?.ok ? { attachments: files.rows.map(attachmentInfo) } : {}),
        at: this.now(),
      });
      if (files?.ok && !this.attachments.claim(fileIds, m.id)) throw new Refusal('conflict', 'an attachment was sent meanwhile');
      after.push(() => {
        this.ack(state, m, false);
      });
      after.push(() => {
        this.deliverMessage(m, session.epoch);
      });
      this.sessionChanged(session.id, after);
    });
  }

  private answer(state: ConnState, sessionId: string): { sessionId: string } {
    const access = agentAccess(state);
    const session = this.store.session(sessionId);
    if (!session || !access.channels.get(session.channel_id)?.respond) throw new Refusal('forbidden', 'you cannot answer chats in this channel');
    if (session.status !== 'queued') throw new Refusal('conflict', 'this chat was already answered or has ended');
    this.assign(access, session);
    return { sessionId };
  }

  private nextInQueue(state: ConnState, channelIds: readonly string[] | undefined): { sessionId: string } {
    const access = agentAccess(state);
    const mine = [...access.channels].filter(([, perm]) => perm.respond).map(([id]) => id);
    const channels = channelIds ? mine.filter((id) => channelIds.includes(id)) : mine;
    const session = this.store.oldestQueued(channels);
    if (!session) throw new Refusal('queue_empty', 'no chat is waiting in your channels');
    this.assign(access, session);
    return { sessionId: session.id };
  }

  /** Gives a queued session to an agent: capacity, status guard, joined event, board events. */
  private assign(access: AgentAccess, session: SessionRow): void {
    const agent = this.store.agent(access.agent.id) ?? access.agent;
    this.tx((after) => {
      if (this.store.activeChatCount(agent.id) >= agent.max_concurrent_chats) {
        throw new Refusal('at_capacity', `you already handle ${String(agent.max_concurrent_chats)} chats`);
      }
      const at = this.now();
      if (!this.store.assign(session.id, agent.id, at)) throw new Refusal('conflict', 'another agent answered this chat first');
      this.appendSystem(session.id, 'joined', `${agent.name} joined the chat`, at, after, agent.name);
      this.sessionChanged(session.id, after);
      this.agentChanged(agent.id, after);
      after.push(() => {
        this.queuePositions(session.channel_id);
        this.subs.revalidate(session.id);
      });
    });
  }

  private endSession(state: ConnState, sessionId: string): void {
    const p = state.principal;
    const session = this.store.session(sessionId);
    if (!session) throw new Refusal('forbidden', 'not allowed in this session');
    if (p.role === 'customer') {
      if (session.id !== p.subjectId) throw new Refusal('forbidden', 'not allowed in this session');
    } else {
      const perm = agentAccess(state).channels.get(session.channel_id);
      if (session.agent_id !== p.subjectId && !perm?.manager) throw new Refusal('forbidden', 'only the handling agent or a manager can end this chat');
    }
    if (session.status === 'ended' || session.status === 'missed') return; // idempotent
    const status = session.status === 'queued' ? 'missed' : 'ended';
    this.tx((after) => {
      const at = this.now();
      const before = this.visibilityOf(session);
      if (!this.store.finish(session.id, status, p.role, at)) throw new Refusal('conflict', 'the chat changed meanwhile; try again');
      const who = p.role === 'agent' ? (state.access?.agent.name ?? '') : session.customer_name;
      this.appendSystem(session.id, status === 'missed' ? 'left' : 'ended', status === 'missed' ? 'The customer left the queue' : 'The chat has ended', at, after, who);
      this.sessionChanged(session.id, after, before);
      // A pending transfer ends with the chat.
      after.push(() => {
        this.timers.cancel(transferKey(session.id));
        this.subs.revalidate(session.id);
      });
      if (session.agent_id) this.agentChanged(session.agent_id, after);
      if (session.status === 'queued') {
        after.push(() => {
          this.queuePositions(session.channel_id);
        });
      }
    });
  }

  // ---- transfers and takeover ------------------------------------------------------------

  /**
   * `transfer`: by the handling agent or a manager of the session's channel. To an agent: a
   * pending offer the target accepts or declines (one at a time). To a channel: at once, back
   * to that channel's queue.
   */
  private transfer(state: ConnState, frame: TransferFrame): { sessionId: string; expiresAt?: number } {
    const access = agentAccess(state);
    const session = this.store.session(frame.sessionId);
    if (!session || !readMode(this.store, state, session)) throw new Refusal('forbidden', 'not allowed in this session');
    if (session.agent_id !== access.agent.id && !access.channels.get(session.channel_id)?.manager) {
      throw new Refusal('forbidden', 'only the handling agent or a manager of this channel can transfer this chat');
    }
    if (session.status === 'ended' || session.status === 'missed') throw new Refusal('session_closed', 'the chat has ended');
    if (session.transfer_to !== null) {
      const to = this.store.agent(session.transfer_to)?.name ?? 'another agent';
      throw new Refusal('conflict', `the chat is already offered to ${to}; cancel that transfer first`);
    }
    const note = frame.note?.trim() ? frame.note.trim() : undefined;
    if ('agentId' in frame.to) return this.transferToAgent(access, session, frame.to.agentId, note);
    this.transferToChannel(access, session, frame.to.channelId, note);
    return { sessionId: session.id };
  }

  private transferToAgent(access: AgentAccess, session: SessionRow, targetId: string, note: string | undefined): { sessionId: string; expiresAt: number } {
    if (session.status !== 'active') {
      throw new Refusal('conflict', 'only an answered chat can be transferred to an agent; move a waiting chat to a channel instead');
    }
    if (targetId === access.agent.id) throw new Refusal('invalid', 'you cannot transfer a chat to yourself');
    const target = this.store.agent(targetId);
    if (!target) throw new Refusal('not_found', 'no such agent');
    if (targetId === session.agent_id) throw new Refusal('invalid', `${target.name} already handles this chat`);
    const channel = this.store.channel(session.channel_id);
    if (!this.store.access(targetId)?.channels.get(session.channel_id)?.respond) {
      throw new Refusal('forbidden', `${target.name} cannot answer chats in ${channel?.name ?? 'this channel'}`);
    }
    if (!this.isOnline(targetId)) throw new Refusal('forbidden', `${target.name} is offline: chats can only be transferred to agents who are online and Present`);
    if (target.status !== 'present') throw new Refusal('forbidden', `${target.name} is Away: chats can only be transferred to agents who are Present`);
    if (this.store.activeChatCount(targetId) >= target.max_concurrent_chats) {
      throw new Refusal('at_capacity', `${target.name} already handles ${String(target.max_concurrent_chats)} chats`);
    }
    const from = this.store.agent(access.agent.id) ?? access.agent;
    const at = this.now();
    const expiresAt = at + (this.store.tenant()?.transfer_timeout_ms ?? DEFAULT_TRANSFER_TIMEOUT_MS);
    this.tx((after) => {
      if (!this.store.setTransfer(session.id, { from: from.id, to: target.id, note, at, expiresAt })) {
        throw new Refusal('conflict', 'the chat changed meanwhile; try again');
      }
      this.appendSystem(session.id, 'transfer-requested', `${from.name} offered the chat to ${target.name}`, at, after, from.name, {
        fromAgentId: from.id,
        fromAgentName: from.name,
        toAgentId: target.id,
        toAgentName: target.name,
        ...(note !== undefined ? { note } : {}),
      });
      this.sessionChanged(session.id, after);
      after.push(() => {
        this.scheduleTransferExpiry(session.id, expiresAt);
      });
    });
    return { sessionId: session.id, expiresAt };
  }

  /** Back to the queue of a channel (the same or another one); the chat keeps its place by `createdAt`. */
  private transferToChannel(access: AgentAccess, session: SessionRow, channelId: string, note: string | undefined): void {
    const channel = this.store.channel(channelId);
    if (!channel) throw new Refusal('not_found', 'no such channel');
    if (session.status === 'queued' && channel.id === session.channel_id) throw new Refusal('invalid', 'the chat already waits in this queue');
    const from = this.store.agent(access.agent.id) ?? access.agent;
    const previous = session.agent_id;
    this.tx((after) => {
      const at = this.now();
      const before = this.visibilityOf(session);
      if (!this.store.requeue(session.id, channel.id, at)) throw new Refusal('conflict', 'the chat changed meanwhile; try again');
      if (previous) this.store.stopHandling(session.id, previous, at, 'requeued');
      this.appendSystem(session.id, 'requeued', `${from.name} moved the chat to the ${channel.name} queue`, at, after, from.name, {
        fromAgentId: from.id,
        fromAgentName: from.name,
        channelId: channel.id,
        channelName: channel.name,
        ...(note !== undefined ? { note } : {}),
      });
      // The customer learns they wait again (the channel's own welcome text).
      this.appendSystem(session.id, 'queued', channel.welcome_message, at, after);
      this.sessionChanged(session.id, after, before);
      if (previous) this.agentChanged(previous, after);
      after.push(() => {
        this.queuePositions(channel.id);
        if (session.status === 'queued' && session.channel_id !== channel.id) this.queuePositions(session.channel_id);
        this.subs.revalidate(session.id);
        for (const c of this.conns.values()) {
          if (c.hello && c.principal.role === 'customer' && c.principal.subjectId === session.id) this.sendAvailability(c);
        }
      });
    });
  }

  /** `transfer-answer`: only the target. Accepting hands the chat over atomically (capacity re-checked). */
  private answerTransfer(state: ConnState, sessionId: string, accept: boolean): { sessionId: string } {
    const access = agentAccess(state);
    const session = this.store.session(sessionId);
    if (!session || !readMode(this.store, state, session)) throw new Refusal('forbidden', 'not allowed in this session');
    if (session.transfer_to === null || session.transfer_expires_at === null) {
      throw new Refusal('conflict', 'no transfer is pending for this chat (it may have been cancelled or expired)');
    }
    if (session.transfer_to !== access.agent.id) throw new Refusal('forbidden', 'only the agent the chat is offered to can answer this transfer');
    if (session.transfer_expires_at <= this.now()) {
      this.expireTransfer(session.id, session.transfer_expires_at);
      throw new Refusal('conflict', 'the transfer has expired');
    }
    const me = this.store.agent(access.agent.id) ?? access.agent;
    if (!accept) {
      this.tx((after) => {
        const before = this.visibilityOf(session);
        if (!this.store.clearTransfer(session.id)) throw new Refusal('conflict', 'the transfer changed meanwhile');
        this.appendSystem(session.id, 'transfer-declined', `${me.name} declined the transfer`, this.now(), after, me.name, this.transferMeta(session));
        this.sessionChanged(session.id, after, before);
        after.push(() => {
          this.timers.cancel(transferKey(session.id));
          this.subs.revalidate(session.id);
        });
      });
      return { sessionId: session.id };
    }
    const previous = session.agent_id;
    if (!previous) throw new Refusal('conflict', 'the chat changed meanwhile');
    const prevName = this.store.agent(previous)?.name ?? '';
    this.tx((after) => {
      if (this.store.activeChatCount(me.id) >= me.max_concurrent_chats) {
        throw new Refusal('at_capacity', `you already handle ${String(me.max_concurrent_chats)} chats; end one first or decline`);
      }
      const at = this.now();
      if (!this.store.handOver(session.id, previous, me.id, at)) throw new Refusal('conflict', 'the chat changed meanwhile');
      this.store.stopHandling(session.id, previous, at, 'transferred');
      this.store.startHandling(session.id, me.id, at);
      this.appendSystem(session.id, 'transferred', `${prevName} transferred the chat to ${me.name}`, at, after, me.name, {
        fromAgentId: previous,
        fromAgentName: prevName,
        toAgentId: me.id,
        toAgentName: me.name,
        ...(session.transfer_note !== null ? { note: session.transfer_note } : {}),
      });
      this.appendSystem(session.id, 'joined', `${me.name} joined the chat`, at, after, me.name);
      this.sessionChanged(session.id, after);
      this.agentChanged(previous, after);
      this.agentChanged(me.id, after);
      after.push(() => {
        this.timers.cancel(transferKey(session.id));
        this.subs.revalidate(session.id);
      });
    });
    return { sessionId: session.id };
  }

  /** `transfer-cancel`: by whoever offered it, or a manager of the channel. */
  private cancelTransfer(state: ConnState, sessionId: string): void {
    const access = agentAccess(state);
    const session = this.store.session(sessionId);
    if (!session || !readMode(this.store, state, session)) throw new Refusal('forbidden', 'not allowed in this session');
    if (session.transfer_to === null) throw new Refusal('conflict', 'no transfer is pending for this chat');
    if (session.transfer_from !== access.agent.id && !access.channels.get(session.channel_id)?.manager) {
      throw new Refusal('forbidden', 'only the agent who offered the transfer or a manager can cancel it');
    }
    const me = this.store.agent(access.agent.id) ?? access.agent;
    this.tx((after) => {
      const before = this.visibilityOf(session);
      if (!this.store.clearTransfer(session.id)) throw new Refusal('conflict', 'the transfer changed meanwhile');
      const toName = this.store.agent(session.transfer_to ?? '')?.name ?? '';
      this.appendSystem(session.id, 'transfer-cancelled', `${me.name} cancelled the transfer to ${toName}`, this.now(), after, me.name, this.transferMeta(session));
      this.sessionChanged(session.id, after, before);
      after.push(() => {
        this.timers.cancel(transferKey(session.id));
        this.subs.revalidate(session.id);
      });
    });
  }

  /** `takeover`: a manager of the channel becomes the handler at once; the previous one can still read. */
  private takeover(state: ConnState, sessionId: string): { sessionId: string } {
    const access = agentAccess(state);
    const session = this.store.session(sessionId);
    if (!session || !readMode(this.store, state, session)) throw new Refusal('forbidden', 'not allowed in this session');
    if (!access.channels.get(session.channel_id)?.manager) throw new Refusal('forbidden', 'only a manager of this channel can take over a chat');
    if (session.status === 'ended' || session.status === 'missed') throw new Refusal('session_closed', 'the chat has ended');
    if (session.status === 'queued' || !session.agent_id) throw new Refusal('conflict', 'the chat is waiting in the queue: answer it instead');
    if (session.agent_id === access.agent.id) return { sessionId: session.id }; // already mine
    const me = this.store.agent(access.agent.id) ?? access.agent;
    const previous = session.agent_id;
    const prevName = this.store.agent(previous)?.name ?? '';
    this.tx((after) => {
      if (this.store.activeChatCount(me.id) >= me.max_concurrent_chats) {
        throw new Refusal('at_capacity', `you already handle ${String(me.max_concurrent_chats)} chats`);
      }
      const at = this.now();
      const before = this.visibilityOf(session);
      if (!this.store.handOver(session.id, previous, me.id, at)) throw new Refusal('conflict', 'the chat changed meanwhile; try again');
      this.store.stopHandling(session.id, previous, at, 'taken-over');
      this.store.startHandling(session.id, me.id, at);
      if (session.transfer_to !== null) {
        const toName = this.store.agent(session.transfer_to)?.name ?? '';
        this.appendSystem(session.id, 'transfer-cancelled', `The transfer to ${toName} was cancelled: ${me.name} took over the chat`, at, after, me.name, this.transferMeta(session));
      }
      this.appendSystem(session.id, 'taken-over', `${me.name} took over the chat from ${prevName}`, at, after, me.name, {
        fromAgentId: previous,
        fromAgentName: prevName,
        toAgentId: me.id,
        toAgentName: me.name,
      });
      this.appendSystem(session.id, 'joined', `${me.name} joined the chat`, at, after, me.name);
      this.sessionChanged(session.id, after, before);
      this.agentChanged(previous, after);
      this.agentChanged(me.id, after);
      after.push(() => {
        this.timers.cancel(transferKey(session.id));
        this.subs.revalidate(session.id);
      });
    });
    return { sessionId: session.id };
  }

  /** Details of a session's pending transfer, for the events that end it. */
  private transferMeta(session: SessionRow): EventMeta {
    const from = session.transfer_from ? this.store.agent(session.transfer_from) : undefined;
    const to = session.transfer_to ? this.store.agent(session.transfer_to) : undefined;
    return {
      ...(from ? { fromAgentId: from.id, fromAgentName: from.name } : {}),
      ...(to ? { toAgentId: to.id, toAgentName: to.name } : {}),
      ...(session.transfer_note !== null ? { note: session.transfer_note } : {}),
    };
  }

  /** Schedules the expiry of a pending transfer on the room's clock (overdue: expires now). */
  private scheduleTransferExpiry(sessionId: string, expiresAt: number): void {
    this.timers.cancel(transferKey(sessionId));
    if (this.timers.isStopped) return;
    const delay = expiresAt - this.now();
    if (delay <= 0) {
      this.expireTransfer(sessionId, expiresAt);
      return;
    }
    this.timers.once(transferKey(sessionId), delay, () => {
      this.expireTransfer(sessionId, expiresAt);
    });
  }

  /** The transfer offered until `expiresAt` expires (unless it was answered or replaced meanwhile). */
  private expireTransfer(sessionId: string, expiresAt: number): void {
    try {
      const session = this.store.session(sessionId);
      if (!session?.transfer_to || session.transfer_expires_at !== expiresAt) return;
      if (expiresAt > this.now()) {
        this.scheduleTransferExpiry(sessionId, expiresAt);
        return;
      }
      this.tx((after) => {
        const before = this.visibilityOf(session);
        if (!this.store.clearTransfer(session.id)) return;
        const toName = this.store.agent(session.transfer_to ?? '')?.name ?? '';
        this.appendSystem(session.id, 'transfer-expired', `The transfer to ${toName} expired without an answer`, this.now(), after, '', this.transferMeta(session));
        this.sessionChanged(session.id, after, before);
        after.push(() => {
          this.subs.revalidate(session.id);
        });
      });
    } catch (error) {
      this.log.warn('transfer.expiry_failed', { error: errorName(error) });
    }
  }

  private subscribe(state: ConnState, frame: SubscribeFrame): void {
    const session = this.store.session(frame.sessionId);
    const allowed = session ? readMode(this.store, state, session) : undefined;
    if (!session || !allowed) throw new Refusal('forbidden', 'not allowed in this session');
    // `listen` needs the listen permission, or read-only access of its own (a former handler,
    // the target of a pending transfer). `participant` is granted as asked, or as `listen`
    // when reading is all the caller may do.
    let mode: Mode = allowed;
    if (frame.mode === 'listen') {
      if (allowed !== 'listen' && !agentAccess(state).channels.get(session.channel_id)?.listen) {
        throw new Refusal('forbidden', 'you may not listen in this channel');
      }
      mode = 'listen';
    }
    this.subs.set(state, session, mode);
    const r = this.resumeSession(state, session, frame.after);
    this.dispatcher.ok(state, frame.rid, {
      status: r.status.status,
      epoch: session.epoch,
      mode,
      ...(r.status.toSeq !== undefined ? { toSeq: r.status.toSeq } : {}),
    });
    for (const f of r.frames) this.conns.send(state, f);
  }

  private history(state: ConnState, frame: HistoryFrame) {
    const session = this.store.session(frame.sessionId);
    if (!session || !readMode(this.store, state, session)) throw new Refusal('forbidden', 'not allowed in this session');
    const view = state.principal.role;
    const { rows, hasMore } = this.store.messages(session.id, view, { after: frame.afterSeq, before: frame.beforeSeq, limit: frame.limit });
    return { epoch: session.epoch, messages: rows.map((m) => this.store.toWire(m, view)), hasMore };
  }

  /**
   * Message text search for the session list (agents only): ids of the sessions on the caller's
   * board (the board's visibility and recent window) with a text or note containing the query,
   * case-insensitively, newest activity first, at most MAX_SEARCH_RESULTS. Never logs the query.
   */
  private search(state: ConnState, query: string): { sessionIds: string[] } {
    const access = agentAccess(state);
    return { sessionIds: this.store.searchSessions(access.agent.id, query.trim(), this.now(), MAX_SEARCH_RESULTS) };
  }

  private read(state: ConnState, sessionId: string, seq: number): void {
    const session = this.store.session(sessionId);
    if (!session || !readMode(this.store, state, session)) throw new Refusal('forbidden', 'not allowed in this session');
    if (state.principal.role === 'customer') {
      // Customer numbering in, agent numbering stored (`customerReadSeq`, "Seen" on the board).
      this.tx((after) => {
        if (this.store.markCustomerRead(session.id, Math.min(seq, session.head_cseq))) this.sessionChanged(session.id, after);
      });
      return;
    }
    if (session.agent_id !== state.principal.subjectId) return; // only the handling agent's reading counts
    this.tx((after) => {
      this.store.markAgentRead(session.id, Math.min(seq, session.head_seq));
      this.sessionChanged(session.id, after);
    });
  }

  private presence(state: ConnState, status: AgentStatus): void {
    const agentId = agentAccess(state).agent.id;
    this.tx((after) => {
      this.store.setAgentStatus(agentId, status);
      this.agentChanged(agentId, after);
    });
    // Back to Present: the wait warnings that are still due reach this agent's consoles.
    if (status === 'present') {
      for (const other of this.conns.values()) {
        if (other.hello && other.access?.agent.id === agentId) this.sendDueWarnings(other);
      }
    }
  }

  private typing(state: ConnState, frame: TypingFrame): void {
    const session = this.store.session(frame.sessionId);
    if (!session || (session.status !== 'queued' && session.status !== 'active')) return;
    const p = state.principal;
    const fromCustomer = p.role === 'customer';
    if (fromCustomer ? session.id !== p.subjectId : session.agent_id !== p.subjectId) return;
    const who = fromCustomer
      ? { kind: 'customer' as const, name: session.customer_name }
      : { kind: 'agent' as const, id: p.subjectId, name: state.access?.agent.name ?? '' };
    // The channel may switch the sneak peek off: then the draft never leaves the server.
    const preview = fromCustomer && frame.preview !== undefined && this.store.channel(session.channel_id)?.sneak_peek !== 0 ? frame.preview : undefined;
    for (const other of this.conns.values()) {
      if (other === state || !other.hello || !other.subs.has(session.id)) continue;
      const toCustomer = other.principal.role === 'customer';
      if (toCustomer === fromCustomer) continue;
      const out = toCustomer ? { kind: who.kind, name: who.name } : who;
      this.conns.send(other, {
        t: 'typing',
        sessionId: session.id,
        who: out,
        on: frame.on,
        // The draft preview ("sneak peek") goes to agents only.
        ...(!toCustomer && preview !== undefined ? { preview } : {}),
      });
    }
  }

  // ---- changes and delivery ---------------------------------------------------------------

  /** Runs `fn` in one transaction; the `after` callbacks run in order once it has committed. */
  private tx<T>(fn: (after: After[]) => T): T {
    const after: After[] = [];
    // Inside a batch this is a savepoint: a refused frame rolls back alone. The callbacks run
    // now either way (recipients are decided at this point of the stream); inside a batch the
    // frames they send are held until the batch has committed (see send()).
    const result = this.store.db.transaction(() => fn(after));
    for (const run of after) run();
    return result;
  }

  /**
   * Appends a system event to a session's stream. Transfer events are agent-only (`internal`,
   * with `meta`): no customer numbering, never delivered to customers.
   */
  private appendSystem(sessionId: string, event: SessionEventName, text: string, at: number, after: After[], authorName = '', meta?: EventMeta): void {
    const session = this.store.session(sessionId);
    if (!session) return;
    const m = this.store.appendMessage({
      sessionId,
      senderKind: 'system',
      authorName,
      kind: 'event',
      text,
      event,
      internal: INTERNAL_EVENTS.has(event),
      meta,
      at,
    });
    after.push(() => {
      this.deliverMessage(m, session.epoch);
    });
  }

  /** Who may see a session on the board now. */
  private visibilityOf(row: SessionRow): Visibility {
    return { channelId: row.channel_id, related: this.store.relatedAgents(row) };
  }

  /**
   * Appends the board upsert of a session. With `before` (its visibility before this change),
   * agents who could see it then and cannot now get a `session-remove` (everyone else a skip).
   */
  private sessionChanged(sessionId: string, after: After[], before?: Visibility): void {
    const row = this.store.session(sessionId);
    if (!row) return;
    const data = this.store.summary(row);
    const now = this.visibilityOf(row);
    const event = this.store.appendBoard('session', row.id, row.channel_id, data, this.now(), now.related);
    after.push(() => {
      this.deliverBoard(event);
    });
    if (!before) return;
    const losers = this.lostSight(before, now);
    if (losers.length === 0) return;
    const removal = this.store.appendBoard('session-remove', row.id, null, { id: row.id }, this.now(), losers);
    after.push(() => {
      this.deliverBoard(removal);
    });
  }

  /** Agents who could see a session with visibility `before` and cannot with `now`. */
  private lostSight(before: Visibility, now: Visibility): string[] {
    const candidates = new Set([...this.store.channelMembers(before.channelId), ...before.related]);
    const members = new Set(this.store.channelMembers(now.channelId));
    return [...candidates].filter((id) => !members.has(id) && !now.related.includes(id)).sort();
  }

  private agentChanged(agentId: string, after: After[]): void {
    const agent = this.store.agent(agentId);
    if (!agent) return;
    const data = this.store.agentInfo(agent, this.isOnline(agentId));
    const event = this.store.appendBoard('agent', agentId, null, data, this.now());
    after.push(() => {
      this.deliverBoard(event);
      this.checkAvailability();
    });
  }

  private deliverBoard(event: BoardEventRow): void {
    const { epoch } = this.store.boardHead();
    const audience = boardAudience(event);
    for (const state of this.conns.values()) {
      if (!state.hello || !state.access) continue;
      this.conns.send(state, this.boardFrame(state, event, epoch, audience));
    }
  }

  private boardFrame(state: ConnState, event: BoardEventRow, epoch: string, audience: readonly string[] = boardAudience(event)): Frame {
    const base = { t: 'event', stream: 'board', epoch, seq: event.seq };
    if (!this.boardVisible(state, event, audience)) return { ...base, kind: 'skip' };
    return { ...base, kind: event.kind, data: JSON.parse(event.data) as unknown };
  }

  /** Agent events: everyone. Session events: the channel's members and the event's audience. */
  private boardVisible(state: ConnState, event: BoardEventRow, audience: readonly string[]): boolean {
    if (event.kind === 'agent') return true;
    const access = state.access;
    if (!access) return false;
    if (event.channel_id !== null && access.channels.has(event.channel_id)) return true;
    return audience.includes(access.agent.id);
  }

  private deliverMessage(m: MessageRow, epoch: string): void {
    for (const state of this.conns.values()) {
      if (!state.hello || !state.subs.has(m.session_id)) continue;
      const view = state.principal.role;
      if (view === 'customer' && m.cseq === null) continue; // internal notes never reach customers
      this.conns.send(state, this.messageFrame(m, view, epoch));
    }
  }

  private messageFrame(m: MessageRow, view: 'agent' | 'customer', epoch: string): Frame {
    const wire = this.store.toWire(m, view);
    return { t: 'event', stream: sessionStream(m.session_id), epoch, seq: wire.seq, kind: 'message', data: wire };
  }

  private ack(state: ConnState, m: MessageRow, duplicate: boolean): void {
    const seq = state.principal.role === 'agent' ? m.seq : (m.cseq ?? 0);
    this.conns.send(state, { t: 'ack', cmid: m.cmid ?? '', sessionId: m.session_id, msgId: m.id, seq, at: m.at, duplicate });
  }

  /** Tells queued customers of a channel their place in the queue. */
  private queuePositions(channelId: string): void {
    const queued = this.store.queuedInChannel(channelId);
    const positions = new Map(queued.map((s, i) => [s.id, i + 1]));
    for (const state of this.conns.values()) {
      if (!state.hello || state.principal.role !== 'customer') continue;
      const sid = state.principal.subjectId;
      // Only this channel's customers: one queued elsewhere keeps its place (not "0").
      if (!positions.has(sid) && this.store.session(sid)?.channel_id !== channelId) continue;
      const position = positions.get(sid);
      this.conns.send(state, { t: 'queue', sessionId: sid, position: position ?? 0 });
    }
  }

  private sendQueuePosition(state: ConnState): void {
    const session = this.store.session(state.principal.subjectId);
    if (session?.status !== 'queued') return;
    const position = this.store.queuedInChannel(session.channel_id).findIndex((s) => s.id === session.id) + 1;
    this.conns.send(state, { t: 'queue', sessionId: session.id, position });
  }

  // ---- availability, wait warnings, recently completed --------------------------------------

  /** Per channel: some agent who may respond there is online and Present. */
  private computeAvailability(): Map<string, boolean> {
    const available = new Map(this.store.channels().map((c) => [c.id, false]));
    for (const r of this.store.channelAgents()) {
      if (r.can_respond === 1 && r.status === 'present' && this.isOnline(r.agent_id)) available.set(r.channel_id, true);
    }
    return available;
  }

  /** After a presence change: tells the customers of channels whose availability changed. */
  private checkAvailability(): void {
    const next = this.computeAvailability();
    const changed = new Set([...next].filter(([id, on]) => this.availability.get(id) !== on).map(([id]) => id));
    this.availability = next;
    if (changed.size === 0) return;
    for (const state of this.conns.values()) {
      if (!state.hello || state.principal.role !== 'customer') continue;
      const session = this.store.session(state.principal.subjectId);
      if (session && changed.has(session.channel_id)) this.sendAvailability(state, session);
    }
  }

  /** Tells a customer whether their channel has an available agent (while the chat is open). */
  private sendAvailability(state: ConnState, session = this.store.session(state.principal.subjectId)): void {
    if (!session || (session.status !== 'queued' && session.status !== 'active')) return;
    this.conns.send(state, { t: 'availability', sessionId: session.id, available: this.availability.get(session.channel_id) ?? false });
  }

  /** IDs of agents whose status is Present (the database is the truth; access rows can be stale). */
  private presentAgents(): Set<string> {
    return new Set(
      this.store
        .agents()
        .filter((a) => a.status === 'present')
        .map((a) => a.id),
    );
  }

  /** Whether a connection gets a warning of `level` for a chat in `channelId` (Present, permission). */
  private warns(state: ConnState, channelId: string, level: WarningLevel, present: ReadonlySet<string>): boolean {
    if (!state.hello || !state.access || !present.has(state.access.agent.id)) return false;
    const perm = state.access.channels.get(channelId);
    return level === 'agents' ? perm?.notifications === true : perm?.manager === true;
  }

  private warningFrame(session: SessionRow, level: WarningLevel): Frame {
    return { t: 'warning', sessionId: session.id, level, waitingSince: session.queued_at ?? session.created_at };
  }

  /**
   * Every few seconds: queued chats that waited longer than their channel's `warn_after_s`
   * (then `manager_warn_after_s`) are announced once per level, to the Present agents with the
   * Notifications permission (then the Present managers). 0 switches a level off.
   */
  private warningSweep(): void {
    const now = this.now();
    const due: { session: SessionRow; level: WarningLevel; rank: number }[] = [];
    for (const s of this.store.queuedForWarnings()) {
      const waited = now - (s.queued_at ?? s.created_at);
      if (s.warned_level < 1 && s.warn_after_s > 0 && waited >= s.warn_after_s * 1000) due.push({ session: s, level: 'agents', rank: 1 });
      if (s.warned_level < 2 && s.manager_warn_after_s > 0 && waited >= s.manager_warn_after_s * 1000) due.push({ session: s, level: 'managers', rank: 2 });
    }
    if (due.length === 0) return;
    this.store.db.transaction(() => {
      for (const d of due) this.store.setWarnedLevel(d.session.id, d.rank);
    });
    const present = this.presentAgents();
    for (const d of due) {
      const frame = this.warningFrame(d.session, d.level);
      for (const state of this.conns.values()) {
        if (this.warns(state, d.session.channel_id, d.level, present)) this.conns.send(state, frame);
      }
    }
  }

  /** The warnings already announced for chats still queued, for a console that (re)connects or becomes Present. */
  private sendDueWarnings(state: ConnState): void {
    const present = this.presentAgents();
    for (const s of this.store.queuedForWarnings()) {
      if (s.warned_level >= 1 && this.warns(state, s.channel_id, 'agents', present)) this.conns.send(state, this.warningFrame(s, 'agents'));
      if (s.warned_level >= 2 && this.warns(state, s.channel_id, 'managers', present)) this.conns.send(state, this.warningFrame(s, 'managers'));
    }
  }

  /**
   * Every minute: sessions whose `endedAt` left the recent window since the last sweep are
   * removed from the boards that show them (`session-remove`), as a fresh snapshot would.
   */
  private recentSweep(): void {
    const now = this.now();
    const last = this.store.tenant()?.recent_swept_at ?? now;
    const from = last - RECENT_WINDOW_MS;
    const to = now - RECENT_WINDOW_MS;
    if (to <= from) return;
    this.tx((after) => {
      for (const row of this.store.endedBetween(from, to)) {
        const event = this.store.appendBoard('session-remove', row.id, row.channel_id, { id: row.id }, now, this.store.relatedAgents(row));
        after.push(() => {
          this.deliverBoard(event);
        });
      }
      this.store.setRecentSweptAt(now);
    });
  }

  // ---- plumbing ---------------------------------------------------------------------------

}

/** Trims an optional text input; throws a clear `invalid` refusal when it is too long. */
function clean(value: string | undefined, max: number, field: string): string | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text.length > max) throw new Refusal('invalid', `${field}: at most ${String(max)} characters`);
  return text === '' ? undefined : text;
}

const transferKey = (sessionId: string): string => `transfer:${sessionId}`;
