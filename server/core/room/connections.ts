/**
 * The connection registry: every open socket of a room with its state, and the one way out to
 * them. `send` serialises a frame and writes it; inside a group commit (see `hold`) everything
 * written waits until the batch's transaction has committed, so an ack never precedes its data
 * on disk. A socket that stops reading (more than {@link SLOW_CONSUMER_BYTES} unsent) is closed.
 */
import { CLOSE } from '../../../src/protocol/limits.js';
import type { ErrorCode, ErrorFrame, ServerFrame } from '../../../src/protocol/index.js';
import type { ConnState, Connection, Mode, RoomLogger } from './types.js';


export const SLOW_CONSUMER_BYTES = 4 * 1024 * 1024;

const NONE: ReadonlySet<ConnState> = new Set();

const userKey = (role: 'agent' | 'customer', subjectId: string): string => `${role}:${subjectId}`;

export class Connections {
  private readonly all = new Map<string, ConnState>();
  /** Index: session id → connections subscribed to it. */
  private readonly bySession = new Map<string, Set<ConnState>>();
  /** Index: `agent:<id>` / `customer:<session id>` → that user's connections. */
  private readonly byUser = new Map<string, Set<ConnState>>();
  /** While a batch runs: writes held until its transaction has committed. */
  private held: (() => void)[] | undefined;

  constructor(
    private readonly log: RoomLogger,
    /** Called when the registry itself drops a connection (slow consumer). */
    private readonly dropped: (conn: Connection) => void,
  ) {}

  get size(): number {
    return this.all.size;
  }

  get(id: string): ConnState | undefined {
    return this.all.get(id);
  }

  values(): IterableIterator<ConnState> {
    return this.all.values();
  }

  add(state: ConnState): void {
    this.all.set(state.conn.id, state);
    this.index(this.byUser, userKey(state.principal.role, state.principal.subjectId), state);
  }

  remove(state: ConnState): void {
    this.all.delete(state.conn.id);
    this.unindex(this.byUser, userKey(state.principal.role, state.principal.subjectId), state);
    for (const sessionId of state.subs.keys()) this.unindex(this.bySession, sessionId, state);
  }

  /** Records (or changes the mode of) a session subscription of a connection. */
  setSub(state: ConnState, sessionId: string, mode: Mode): void {
    state.subs.set(sessionId, mode);
    if (!state.closed) this.index(this.bySession, sessionId, state);
  }

  dropSub(state: ConnState, sessionId: string): void {
    state.subs.delete(sessionId);
    this.unindex(this.bySession, sessionId, state);
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

  private index<K>(map: Map<K, Set<ConnState>>, key: K, state: ConnState): void {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(state);
  }

  private unindex<K>(map: Map<K, Set<ConnState>>, key: K, state: ConnState): void {
    const set = map.get(key);
    if (!set) return;
    set.delete(state);
    if (set.size === 0) map.delete(key);
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

  send(state: ConnState, frame: ServerFrame): void {
    if (state.closed) return;
    const data = JSON.stringify(frame);
    if (this.held) {
      // Replies wait for the batch's commit: an ack must never precede its data on disk.
      this.held.push(() => {
        this.write(state, data);
      });
      return;
    }
    this.write(state, data);
  }

  private write(state: ConnState, data: string): void {
    if (state.conn.bufferedAmount() > SLOW_CONSUMER_BYTES) {
      this.fail(state.conn, CLOSE.OVERLOADED, 'overloaded', 'connection too slow; reconnect', 1000);
      this.dropped(state.conn);
      return;
    }
    state.conn.send(data);
  }

  /** Tells a socket why (an `error` frame) and closes it. */
  fail(conn: Connection, code: number, errorCode: ErrorCode, message: string, retryAfterMs?: number): void {
    if (this.held) {
      this.held.push(() => {
        this.fail(conn, code, errorCode, message, retryAfterMs);
      });
      return;
    }
    try {
      const frame: ErrorFrame = { t: 'error', code: errorCode, message, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
      conn.send(JSON.stringify(frame));
    } catch {
      // the socket may already be gone
    }
    conn.close(code, message.slice(0, 100));
    this.log.info('conn.closed', { code, reason: errorCode });
  }
}
