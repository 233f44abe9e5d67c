/**
 * The composition root of the conversation half alone (docs/architecture.md, "The room";
 * docs/scaling.md § 6): the core's {@link Conversation} with its subscriptions, listen audit and
 * connections over one store, serving session streams only. `ChatRoom` (room.ts) composes both
 * halves over one store for the Node host and the tenant object; a host that runs each
 * conversation as its own unit (the Cloudflare host's conversation objects) runs this instead,
 * over that unit's own SQLite:
 *
 * - sockets: `open`, `receive`, `closed`, as a room's; the first frame is `hello`, answered with a
 *   `welcome` that carries the session streams this unit holds (replay or reset, as the room
 *   does) and nothing of the board;
 * - frames: `send` (ack, `cmid` idempotency, numbering), `typing`, `read`, `unread`, `history`,
 *   `subscribe`, `unsubscribe`, `ping`; every directory frame is refused with `invalid` naming the
 *   directory's socket, so a client on the wrong socket hears why;
 * - the directory's calls ({@link ConversationPort}: `appendSystem`, `revalidate`, `revoke`) through
 *   {@link port}, applied in {@link apply}'s transaction;
 * - what the conversation tells the directory goes to the {@link DirectoryPort} the host gives
 *   (on the Cloudflare host an outbox row to the tenant's directory).
 *
 * Access decisions (access.ts) read the session row, the agents and their channel permissions
 * from the store: a host that runs this apart from the directory keeps those rows current there.
 * Each frame commits on its own (no group commit): a conversation's frames are few.
 */
import type { ClientFrame, HelloFrame } from '../../../src/protocol/client-frames.js';
import { CLIENT_FRAME_TYPES } from '../../../src/protocol/client-frames.js';
import { CLOSE, PROTOCOL_VERSION } from '../../../src/protocol/limits.js';
import type { Me } from '../../../src/protocol/index.js';
import type { ServerFrame } from '../../../src/protocol/server-frames.js';
import type { Principal } from '../auth.js';
import { AttachmentStore } from '../attachments.js';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { ListenAudit } from '../listen-audit.js';
import type { TenantStore } from '../store/index.js';
import { Connections } from './connections.js';
import { roomContext } from './context.js';
import { Conversation } from './conversation.js';
import type { FrameHandlers } from './dispatch.js';
import { conversationHandlers, Dispatcher } from './dispatch.js';
import { SocketLifecycle } from './lifecycle.js';
import type { RoomLimits } from './limits.js';
import { DEFAULT_LIMITS } from './limits.js';
import { RoomMetrics } from './metrics.js';
import type { ConversationPort, DirectoryPort } from './ports.js';
import type { RateState } from './rate-limit.js';
import { newRateState } from './rate-limit.js';
import { Subscriptions } from './subscriptions.js';
import type { After, ConnState, Connection, Inbound, Mode, RoomContext, RoomLogger } from './types.js';
import { inboundBytes, Refusal, silentLogger } from './types.js';

export interface ConversationHostDeps {
  store: TenantStore;
  clock: Clock;
  /** Where the conversation reports activity (a coalesced summary on the directory's side). */
  directory: DirectoryPort;
  log?: RoomLogger;
  limits?: () => Readonly<RoomLimits>;
  timers?: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  metrics?: RoomMetrics;
  /**
   * Sockets that stayed open while the unit was out of memory (a hibernated Durable Object),
   * each with what {@link ConversationHost.snapshot} kept of it: taken back as they were, and
   * their open listen-audit rows stay open (every other open row ends: `restart`).
   */
  restore?: readonly { conn: Connection; snapshot: ConnSnapshot }[];
}

/** What a socket's state is made of, as plain data (a hibernated socket's attachment). */
export interface ConnSnapshot {
  principal: Principal;
  clientId: string | undefined;
  hello: boolean;
  subs: [string, Mode][];
  audits: [string, string][];
  rate: RateState;
}

export class ConversationHost {
  readonly metrics: RoomMetrics;
  private readonly conns: Connections;
  private readonly subs: Subscriptions;
  private readonly conversation: Conversation;
  private readonly dispatcher: Dispatcher;
  private readonly lifecycle: SocketLifecycle;
  private readonly ctx: RoomContext;
  private arrivedAt: number | undefined;

  constructor(
    readonly tenantId: string,
    private readonly deps: ConversationHostDeps,
  ) {
    const log = deps.log ?? silentLogger;
    this.metrics = deps.metrics ?? new RoomMetrics();
    this.conns = new Connections(
      log,
      (conn) => {
        this.closed(conn);
      },
      this.metrics,
    );
    const ctx: RoomContext = (this.ctx = roomContext({
      tenantId,
      store: deps.store,
      clock: deps.clock,
      log,
      conns: this.conns,
      limits: deps.limits ?? (() => DEFAULT_LIMITS),
      timers: deps.timers ?? systemClock,
      metrics: this.metrics,
      arrivedAt: () => this.arrivedAt,
    }));
    this.subs = new Subscriptions(ctx, new ListenAudit(deps.store.db, tenantId));
    this.lifecycle = new SocketLifecycle(ctx, {
      perTenant: false,
      ended: (state) => {
        this.subs.endListens(state, 'disconnected');
      },
    });
    this.conversation = new Conversation(ctx, this.subs, new AttachmentStore(deps.store.db, tenantId));
    this.conversation.connect(deps.directory);
    this.dispatcher = new Dispatcher(ctx, this.handlers(), (state) => {
      this.closed(state.conn);
    });
    // Nobody listens in a unit that is just starting: rows left open (a crash, an eviction) end
    // now, except those of the sockets it takes back.
    const kept = new Set<string>();
    for (const { conn, snapshot } of deps.restore ?? []) {
      this.take(conn, snapshot);
      for (const [, id] of snapshot.audits) kept.add(id);
    }
    this.subs.restarted(kept);
  }

  /** A socket's state as plain data (for the host to keep with the socket while out of memory). */
  snapshot(conn: Connection): ConnSnapshot | undefined {
    const state = this.conns.get(conn.id);
    if (!state || state.closed) return undefined;
    return { principal: state.principal, clientId: state.clientId, hello: state.hello, subs: [...state.subs], audits: [...state.audits], rate: { ...state.rate } };
  }

  /** Takes a socket back from its snapshot (access read again: a removed agent's socket closes). */
  private take(conn: Connection, snapshot: ConnSnapshot): void {
    const { store } = this.deps;
    const access = snapshot.principal.role === 'agent' ? store.access(snapshot.principal.subjectId) : undefined;
    if (snapshot.principal.role === 'agent' && !access) {
      this.conns.fail(conn, CLOSE.UNAUTHENTICATED, 'unauthenticated', 'this agent was disabled or removed by an administrator');
      return;
    }
    const state = this.lifecycle.add(conn, snapshot.principal, snapshot.clientId, access, { ...snapshot.rate });
    for (const [sessionId, id] of snapshot.audits) state.audits.set(sessionId, id);
    if (!snapshot.hello) {
      this.lifecycle.helloDeadline(state); // taken back before its hello: the deadline starts again
      return;
    }
    const customerSession = access ? undefined : store.session(snapshot.principal.subjectId);
    this.conns.greet(state, customerSession?.channel_id);
    for (const [sessionId, mode] of snapshot.subs) this.conns.setSub(state, sessionId, mode);
  }

  /** The directory's calls into this conversation; run them inside {@link apply}. */
  get port(): ConversationPort {
    return this.conversation;
  }

  /**
   * A frame that writes this unit's stream (`send`, `read`, `unread`) sent on another unit's
   * socket (the directory's, which carries it here): processed as on a greeted socket of
   * `principal` that follows nothing, so the message reaches this unit's subscribers and not
   * the writer; returns the writer's answer (`ack`, `ok` or `nack`) as texts.
   */
  write(principal: Principal, raw: string): string[] {
    const out: string[] = [];
    const t = (JSON.parse(raw) as { t?: unknown }).t;
    const conn: Connection = {
      id: 'write',
      send: (data) => {
        out.push(data);
      },
      close: () => undefined,
      bufferedAmount: () => 0,
    };
    const access = principal.role === 'agent' ? this.deps.store.access(principal.subjectId) : undefined;
    if (principal.tenantId !== this.tenantId || (principal.role === 'agent' && !access) || (t !== 'send' && t !== 'read' && t !== 'unread')) {
      const ids = JSON.parse(raw) as { rid?: unknown; cmid?: unknown };
      return [
        JSON.stringify({
          t: 'nack',
          ...(typeof ids.rid === 'string' ? { rid: ids.rid } : {}),
          ...(typeof ids.cmid === 'string' ? { cmid: ids.cmid } : {}),
          code: 'forbidden',
          retryable: false,
          message: 'not allowed in this session',
        }),
      ];
    }
    const state: ConnState = {
      conn,
      principal,
      clientId: undefined,
      access,
      hello: true,
      helloTimer: undefined,
      boardSeq: undefined,
      subs: new Map(),
      audits: new Map(),
      rate: newRateState(this.ctx.now(), this.ctx.limits().framesPerMinute),
      closed: false,
      queued: 0,
    };
    this.arrivedAt = performance.now();
    this.dispatcher.process(state, raw);
    this.arrivedAt = undefined;
    return out;
  }

  /**
   * The agents' rows or permissions in the store changed: each agent connection reads its access
   * again (a disabled or removed agent's sockets close with 4401), subscriptions no longer allowed
   * end with `gone` (revoked), and each session's readers are checked again.
   */
  accessChanged(): void {
    const { store } = this.deps;
    for (const state of [...this.conns.values()]) {
      if (state.principal.role !== 'agent' || state.closed) continue;
      const access = store.access(state.principal.subjectId);
      if (!access) {
        this.lifecycle.drop(state, CLOSE.UNAUTHENTICATED, 'unauthenticated', 'this agent was disabled or removed by an administrator');
        continue;
      }
      state.access = access;
    }
    const agents = new Set([...this.conns.values()].filter((s) => s.access).map((s) => s.principal.subjectId));
    this.ctx.tx(() => {
      for (const agentId of agents) this.conversation.revoke(agentId);
      const sessions = new Set([...this.conns.values()].flatMap((s) => [...s.subs.keys()]));
      for (const id of sessions) this.conversation.revalidate(id);
    });
  }

  /** Number of open connections. */
  get connectionCount(): number {
    return this.conns.size;
  }

  /**
   * Runs the directory's calls in one transaction (`fn` gets the list of work to do after the
   * commit, as {@link ConversationPort.appendSystem} wants it); deliveries leave after the commit.
   */
  apply<T>(fn: (port: ConversationPort, after: After[]) => T): T {
    return this.ctx.tx((after) => fn(this.conversation, after));
  }

  /**
   * Accepts an authenticated socket: an agent of this tenant, or the customer of a session this
   * unit holds. False (and the socket closed) otherwise, or over the per-user connection cap.
   */
  open(conn: Connection, principal: Principal, clientId?: string): boolean {
    return this.lifecycle.open(conn, principal, clientId) !== undefined;
  }

  /** One incoming frame; never throws. */
  receive(conn: Connection, raw: Inbound): void {
    this.metrics.framesIn += 1;
    this.metrics.bytesIn += inboundBytes(raw);
    const state = this.conns.get(conn.id);
    if (!state || state.closed) return;
    this.arrivedAt = performance.now();
    this.dispatcher.process(state, raw);
    this.arrivedAt = undefined;
  }

  /** The host reports that a socket closed. */
  closed(conn: Connection): void {
    this.lifecycle.closed(conn);
  }

  /** Closes every socket (the unit is going away); clients reconnect and resume. */
  shutdown(): void {
    this.lifecycle.closeAll();
  }

  /** `hello`: the session streams the client holds here, then `welcome` and their replays or resets. */
  private hello(state: ConnState, frame: HelloFrame): void {
    if (!this.lifecycle.speaks(state, frame.v)) return;
    const sessions = this.conversation.resume(state, frame.resume?.sessions ?? []);
    const customerSession = state.access ? undefined : this.deps.store.session(state.principal.subjectId);
    this.conns.greet(state, customerSession?.channel_id);
    this.conns.send(state, { t: 'welcome', v: PROTOCOL_VERSION, connId: state.conn.id, serverTime: this.ctx.now(), me: this.me(state), resume: sessions.resume });
    for (const f of sessions.frames) this.conns.send(state, f);
  }

  private me(state: ConnState): Me {
    if (state.access) return this.deps.store.me(state.access);
    const session = this.deps.store.session(state.principal.subjectId);
    return { kind: 'customer', tenantId: this.tenantId, sessionId: state.principal.subjectId, name: session?.customer_name ?? '' };
  }

  /** The frame table: the conversation's frames as the room handles them, the directory's refused. */
  private handlers(): FrameHandlers {
    const send = (state: ConnState, frame: ServerFrame): void => {
      this.conns.send(state, frame);
    };
    const ok = (state: ConnState, rid: string, data?: unknown): void => {
      this.dispatcher.ok(state, rid, data);
    };
    const own = conversationHandlers({
      hello: (state, frame) => {
        this.hello(state, frame);
      },
      conversation: this.conversation,
      send,
      ok,
    });
    const elsewhere = (_state: ConnState, frame: ClientFrame): never => {
      throw new Refusal('invalid', `"${frame.t}" is served by the directory's socket, not by a conversation's`);
    };
    const table: Record<string, unknown> = {};
    for (const t of CLIENT_FRAME_TYPES) table[t] = elsewhere;
    return { ...table, ...own } as FrameHandlers;
  }
}
