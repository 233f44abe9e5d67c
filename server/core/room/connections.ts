/**
 * The connection registry: every open socket of a room with its state, the indices that let a
 * delivery touch only the connections that need it, and the one way out to them.
 *
 * Indices: by session subscription (session id → connections), by user (an agent's consoles, a
 * customer's widgets of one session), greeted agents (the roster's audience), greeted agents by
 * the channels they belong to (the board's and the queue's audience), and greeted customers by
 * the channel of their session (availability).
 *
 * Sending: `send` serialises a frame and writes it; a fan-out serialises each distinct frame
 * once ({@link once}) and writes the same text to every recipient (`sendText`). Inside a group
 * commit (see `hold`) everything written waits until the batch's transaction has committed, and
 * when the host syncs the disk after the commit (`release`), until that sync is done: an ack
 * never precedes its data on disk. Writes made while a batch waits for its sync wait behind it,
 * so nothing overtakes an earlier answer. A socket that stops reading (more than
 * {@link SLOW_CONSUMER_BYTES} unsent) is closed.
 */
import { CLOSE } from '../../../src/protocol/limits.js';
import type { ErrorCode, ErrorFrame, LimitName, ServerFrame } from '../../../src/protocol/index.js';
import type { RoomMetrics } from './metrics.js';
import type { ConnState, Connection, Mode, RoomLogger } from './types.js';

export const SLOW_CONSUMER_BYTES = 4 * 1024 * 1024;

const NONE: ReadonlySet<ConnState> = new Set();

const userKey = (role: 'agent' | 'customer', subjectId: string): string => `${role}:${subjectId}`;

/** The JSON text of a frame, made on first use: a fan-out serialises each distinct frame once. */
export function once(frame: () => ServerFrame): () => string {
  let text: string | undefined;
  return () => (text ??= JSON.stringify(frame()));
}

export class Connections {
  private readonly all = new Map<string, ConnState>();
  /** Session id → connections subscribed to it. */
  private readonly bySession = new Map<string, Set<ConnState>>();
  /** `agent:<id>` / `customer:<session id>` → that user's connections. */
  private readonly byUser = new Map<string, Set<ConnState>>();
  /** Greeted agent connections. */
  private readonly greetedAgents = new Set<ConnState>();
  /** Channel id → greeted agent connections whose agent belongs to it (any permission). */
  private readonly agentsByChannel = new Map<string, Set<ConnState>>();
  /** The channels each greeted agent connection is indexed under. */
  private readonly agentChannels = new Map<ConnState, readonly string[]>();
  /** Channel id → greeted customer connections whose session is in it. */
  private readonly customersByChannel = new Map<string, Set<ConnState>>();
  /** The channel each greeted customer connection is indexed under. */
  private readonly customerChannel = new Map<ConnState, string>();
  /** While a batch runs: writes held until its transaction has committed. */
  private held: (() => void)[] | undefined;
  /** Sockets corked while released writes run ({@link writeAll}). */
  private corked: Set<Connection> | undefined;
  /** Batches committed but not yet on disk, oldest first, with the writes waiting for each. */
  private readonly syncing: { writes: (() => void)[]; done: boolean; failed: boolean }[] = [];
  /** Called when nothing waits for a sync any more. */
  private settledWaiters: (() => void)[] = [];

  constructor(
    private readonly log: RoomLogger,
    /** Called when the registry itself drops a connection (slow consumer). */
    private readonly dropped: (conn: Connection) => void,
    private readonly metrics?: RoomMetrics,
  ) {}

  get size(): number {
    return this.all.size;
  }

  get(id: string): ConnState | undefined {
    return this.all.get(id);
  }

  /** Every open connection (shutdown, logout). */
  values(): IterableIterator<ConnState> {
    return this.all.values();
  }

  add(state: ConnState): void {
    this.all.set(state.conn.id, state);
    index(this.byUser, userKey(state.principal.role, state.principal.subjectId), state);
  }

  /**
   * The connection said hello: it counts as greeted from now on (an agent joins the board's
   * audience; a customer is indexed under the channel of their session).
   */
  greet(state: ConnState, customerChannelId?: string): void {
    state.hello = true;
    if (state.principal.role === 'agent') {
      this.greetedAgents.add(state);
      this.indexAgent(state);
    } else if (customerChannelId !== undefined) this.indexCustomer(state, customerChannelId);
  }

  /** An agent connection's permissions changed (`state.access`): it follows in the channel index. */
  reindexAgent(state: ConnState): void {
    if (!this.greetedAgents.has(state)) return;
    this.unindexAgent(state);
    this.indexAgent(state);
  }

  remove(state: ConnState): void {
    this.all.delete(state.conn.id);
    unindex(this.byUser, userKey(state.principal.role, state.principal.subjectId), state);
    for (const sessionId of state.subs.keys()) unindex(this.bySession, sessionId, state);
    this.greetedAgents.delete(state);
    this.unindexAgent(state);
    this.unindexCustomer(state);
  }

  /** Records (or changes the mode of) a session subscription of a connection. */
  setSub(state: ConnState, sessionId: string, mode: Mode): void {
    state.subs.set(sessionId, mode);
    if (!state.closed) index(this.bySession, sessionId, state);
  }

  dropSub(state: ConnState, sessionId: string): void {
    state.subs.delete(sessionId);
    unindex(this.bySession, sessionId, state);
  }

  /** Open connections of one user (an agent, or the customer of a session). */
  ofUser(role: 'agent' | 'customer', subjectId: string): ReadonlySet<ConnState> {
    return this.byUser.get(userKey(role, subjectId)) ?? NONE;
  }

  ofAgent(agentId: string): ReadonlySet<ConnState> {
    return this.ofUser('agent', agentId);
  }

  /** The customer's connections of a session (their tabs of the widget). */
  ofCustomer(sessionId: string): ReadonlySet<ConnState> {
    return this.ofUser('customer', sessionId);
  }

  /** Open connections subscribed to a session (greeted or still in their hello). */
  subscribers(sessionId: string): ReadonlySet<ConnState> {
    return this.bySession.get(sessionId) ?? NONE;
  }

  /** Greeted agent connections. */
  agents(): ReadonlySet<ConnState> {
    return this.greetedAgents;
  }

  /** Greeted agent connections of the agents who belong to a channel (any permission). */
  membersIn(channelId: string): ReadonlySet<ConnState> {
    return this.agentsByChannel.get(channelId) ?? NONE;
  }

  /** Greeted customer connections whose session is in a channel. */
  customersIn(channelId: string): ReadonlySet<ConnState> {
    return this.customersByChannel.get(channelId) ?? NONE;
  }

  /** A session moved to another channel: its customer's connections follow in the index. */
  moveCustomer(sessionId: string, channelId: string): void {
    for (const state of this.ofCustomer(sessionId)) {
      if (!this.customerChannel.has(state)) continue;
      this.unindexCustomer(state);
      this.indexCustomer(state, channelId);
    }
  }

  /**
   * Runs `fn` (a batch of frames in one transaction) with every write held; returns the held
   * writes for the caller to release after the commit, or to drop when the commit failed.
   */
  hold(fn: () => void): (() => void)[] {
    const held: (() => void)[] = [];
    this.held = held;
    try {
      fn();
    } finally {
      this.held = undefined;
    }
    return held;
  }

  /**
   * Releases a batch's held writes once `durable` has resolved (its commit is on disk), after
   * every earlier batch's; without `durable` (the commit was durable when it returned) as soon as
   * the earlier ones are out. When the sync fails, the writes are dropped and `failed` runs.
   */
  release(held: (() => void)[], durable: Promise<void> | undefined, failed: () => void): void {
    if (!durable) {
      if (this.syncing.length === 0) this.writeAll([held]);
      else this.syncing.push({ writes: held, done: true, failed: false });
      return;
    }
    const entry = { writes: held, done: false, failed: false };
    this.syncing.push(entry);
    durable.then(
      () => {
        entry.done = true;
        this.flushSynced();
      },
      () => {
        entry.done = true;
        entry.failed = true;
        failed();
        this.flushSynced();
      },
    );
  }

  /** Resolves when no batch waits for its sync (shutdown: every committed answer is out). */
  settled(): Promise<void> {
    if (this.syncing.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  private flushSynced(): void {
    const ready: (() => void)[][] = [];
    while (this.syncing[0]?.done) {
      const entry = this.syncing.shift();
      if (entry && !entry.failed) ready.push(entry.writes);
    }
    if (ready.length > 0) this.writeAll(ready);
    if (this.syncing.length === 0) for (const resolve of this.settledWaiters.splice(0)) resolve();
  }

  /**
   * Runs released writes with every socket they touch corked, then uncorks them: a connection
   * that gets several frames from the batches released together (an ack and an event, several
   * events) gets them in one system call instead of one each.
   */
  private writeAll(lists: readonly (readonly (() => void)[])[]): void {
    const corked = new Set<Connection>();
    this.corked = corked;
    try {
      for (const writes of lists) for (const w of writes) w();
    } finally {
      this.corked = undefined;
      for (const conn of corked) conn.uncork?.();
    }
  }

  /** Holds a write while a batch runs, or queues it behind the batches waiting for their sync; false: write now. */
  private defer(write: () => void): boolean {
    if (this.held) {
      this.held.push(write);
      return true;
    }
    const last = this.syncing.at(-1);
    if (!last) return false;
    last.writes.push(write);
    return true;
  }

  /** `written` runs once the frame has been handed to the socket (metrics: the ack's latency). */
  send(state: ConnState, frame: ServerFrame, written?: () => void): void {
    if (state.closed) return;
    this.sendText(state, JSON.stringify(frame), written);
  }

  /** Writes a frame serialised beforehand (see {@link once}). */
  sendText(state: ConnState, data: string, written?: () => void): void {
    if (state.closed) return;
    // Replies wait for the batch's commit (and its sync): an ack must never precede its data on disk.
    const write = () => {
      this.write(state, data);
      written?.();
    };
    if (!this.defer(write)) write();
  }

  /**
   * Tells a socket why (an `error` frame; `limit` names the limit a refusal is about) and closes
   * it with `code` and the message as the reason.
   */
  fail(conn: Connection, code: number, errorCode: ErrorCode, message: string, retryAfterMs?: number, limit?: LimitName): void {
    const later = () => {
      this.fail(conn, code, errorCode, message, retryAfterMs, limit);
    };
    if (this.defer(later)) return;
    try {
      const frame: ErrorFrame = {
        t: 'error',
        code: errorCode,
        message,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        ...(limit !== undefined ? { limit } : {}),
      };
      conn.send(JSON.stringify(frame));
    } catch {
      // the socket may already be gone
    }
    conn.close(code, message.slice(0, 100));
    this.log.info('conn.closed', { code, reason: errorCode, ...(limit !== undefined ? { limit } : {}) });
  }

  private write(state: ConnState, data: string): void {
    if (state.conn.bufferedAmount() > SLOW_CONSUMER_BYTES) {
      this.metrics?.refused('slow_consumer');
      this.fail(state.conn, CLOSE.OVERLOADED, 'overloaded', 'connection too slow; reconnect', 1000);
      this.dropped(state.conn);
      return;
    }
    if (this.metrics) {
      this.metrics.framesOut += 1;
      this.metrics.bytesOut += data.length;
    }
    const conn = state.conn;
    if (this.corked && conn.cork && !this.corked.has(conn)) {
      conn.cork();
      this.corked.add(conn);
    }
    conn.send(data);
  }

  private indexAgent(state: ConnState): void {
    const channels = [...(state.access?.channels.keys() ?? [])];
    this.agentChannels.set(state, channels);
    for (const channelId of channels) index(this.agentsByChannel, channelId, state);
  }

  private unindexAgent(state: ConnState): void {
    const channels = this.agentChannels.get(state);
    if (channels === undefined) return;
    this.agentChannels.delete(state);
    for (const channelId of channels) unindex(this.agentsByChannel, channelId, state);
  }

  private indexCustomer(state: ConnState, channelId: string): void {
    this.customerChannel.set(state, channelId);
    index(this.customersByChannel, channelId, state);
  }

  private unindexCustomer(state: ConnState): void {
    const channelId = this.customerChannel.get(state);
    if (channelId === undefined) return;
    this.customerChannel.delete(state);
    unindex(this.customersByChannel, channelId, state);
  }
}

function index<K>(map: Map<K, Set<ConnState>>, key: K, state: ConnState): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(state);
}

function unindex<K>(map: Map<K, Set<ConnState>>, key: K, state: ConnState): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(state);
  if (set.size === 0) map.delete(key);
}
