/**
 * A socket's life in a composition root (`ChatRoom` for a tenant, `ConversationHost` for a
 * conversation alone): who may open one (a principal of this tenant known here), a newer socket
 * of the same tab retiring the old one, the connection caps, the connection's state, the deadline
 * of its `hello` and the protocol version it speaks, and its end (for any reason: the host saw
 * it close, the room closed it, the server stops).
 */
import { CLOSE, HELLO_DEADLINE_MS, PROTOCOL_VERSION } from '../../../src/protocol/limits.js';
import type { Principal } from '../auth.js';
import type { OverloadReason } from './admission.js';
import { overloadMessage } from './admission.js';
import type { RateState } from './rate-limit.js';
import { newRateState } from './rate-limit.js';
import type { ConnState, Connection, RoomContext } from './types.js';

export interface LifecycleRules {
  /**
   * Why every new socket is refused now, checked before the caps (a room that stops, or a
   * process over its inbox bounds), with the hint of when to retry; undefined: admitted.
   */
  refused?: () => { reason: OverloadReason; retryAfterMs: number } | undefined;
  /** Whether the tenant's `connectionsPerTenant` applies (a tenant's room; not a conversation's unit). */
  perTenant: boolean;
  /** The composition's own work when a socket ends (its listen-in rows, the agent's presence). */
  ended(state: ConnState): void;
}

export class SocketLifecycle {
  constructor(
    private readonly ctx: RoomContext,
    private readonly rules: LifecycleRules,
  ) {}

  /**
   * Accepts an authenticated socket: its state, registered, with the `hello` deadline running.
   * Undefined (and the socket closed) when the principal does not belong here or a connection
   * cap is reached (the `error` frame and the close reason name the limit). A newer socket of the
   * same tab first retires the old one, so a reconnect is never refused for the connection it
   * replaces.
   */
  open(conn: Connection, principal: Principal, clientId?: string): ConnState | undefined {
    const { conns, store, metrics } = this.ctx;
    if (principal.tenantId !== this.ctx.tenantId) {
      conns.fail(conn, CLOSE.FORBIDDEN, 'forbidden', 'token is for another tenant');
      return undefined;
    }
    const access = principal.role === 'agent' ? store.access(principal.subjectId) : undefined;
    if (principal.role === 'agent' ? !access : !store.session(principal.subjectId)) {
      conns.fail(conn, CLOSE.FORBIDDEN, 'forbidden', principal.role === 'agent' ? 'unknown agent' : 'unknown session');
      return undefined;
    }
    const busy = this.rules.refused?.();
    if (busy) {
      metrics.refused(busy.reason);
      conns.fail(conn, CLOSE.OVERLOADED, 'overloaded', overloadMessage(busy.reason), busy.retryAfterMs, 'server_capacity');
      return undefined;
    }
    const limits = this.ctx.limits();
    const mine = [...conns.ofUser(principal.role, principal.subjectId)];
    if (clientId) {
      // The same tab reconnected while its old socket still looks open: retire the old one.
      for (const old of mine.filter((c) => c.clientId === clientId)) {
        conns.fail(old.conn, CLOSE.SUPERSEDED, 'conflict', 'superseded by a newer connection');
        this.closed(old.conn);
      }
    }
    if (this.rules.perTenant && conns.size >= limits.connectionsPerTenant) {
      metrics.refused('connections_per_tenant');
      conns.fail(conn, CLOSE.OVERLOADED, 'overloaded', 'connections_per_tenant: too many connections for this organisation', 5000, 'connections_per_tenant');
      return undefined;
    }
    if (mine.filter((c) => !c.closed && c.clientId !== clientId).length >= limits.connectionsPerUser) {
      metrics.refused('connections_per_user');
      conns.fail(conn, CLOSE.OVERLOADED, 'overloaded', 'connections_per_user: too many connections for this user', 5000, 'connections_per_user');
      return undefined;
    }
    const state = this.add(conn, principal, clientId, access, newRateState(this.ctx.now(), limits.framesPerMinute));
    this.helloDeadline(state);
    return state;
  }

  /** A connection's state (a new socket, or one taken back after hibernation), registered. */
  add(conn: Connection, principal: Principal, clientId: string | undefined, access: ConnState['access'], rate: RateState): ConnState {
    const state: ConnState = { conn, principal, clientId, access, hello: false, helloTimer: undefined, boardSeq: undefined, subs: new Map(), audits: new Map(), rate, closed: false, queued: 0 };
    this.ctx.conns.add(state);
    this.ctx.metrics.connections += 1;
    return state;
  }

  /**
   * Starts the `hello` deadline. The deadline is the client's: frames it sent in time that still
   * wait in the inbox (the server's own backlog) are answered when their turn comes, so the
   * deadline starts again.
   */
  helloDeadline(state: ConnState): void {
    const { clock } = this.ctx;
    const deadline = (): void => {
      if (state.hello || state.closed) return;
      if (state.queued > 0) {
        state.helloTimer = clock.setTimeout(deadline, HELLO_DEADLINE_MS, 'hello');
        return;
      }
      this.ctx.conns.fail(state.conn, CLOSE.HELLO_TIMEOUT, 'invalid', 'no hello within the deadline');
      this.closed(state.conn);
    };
    state.helloTimer = clock.setTimeout(deadline, HELLO_DEADLINE_MS, 'hello');
  }

  /**
   * A `hello` arrived: its deadline stops. False (and the socket closed) when the client speaks
   * another protocol version, with what to do about it.
   */
  speaks(state: ConnState, v: number): boolean {
    this.ctx.clock.clearTimeout(state.helloTimer);
    if (v === PROTOCOL_VERSION) return true;
    const message =
      v < PROTOCOL_VERSION
        ? `protocol version ${String(v)} is no longer supported: update the console (reload the page)`
        : `protocol version ${String(v)} is not supported by this server (it speaks version ${String(PROTOCOL_VERSION)})`;
    this.ctx.conns.fail(state.conn, CLOSE.BAD_FRAME, 'invalid', message);
    this.closed(state.conn);
    return false;
  }

  /** The socket ended (for any reason): its state goes, and with it what the composition kept for it. */
  closed(conn: Connection): void {
    const { conns, metrics, clock } = this.ctx;
    const state = conns.get(conn.id);
    if (!state) return;
    state.closed = true;
    metrics.connections -= 1;
    clock.clearTimeout(state.helloTimer);
    conns.remove(state);
    this.rules.ended(state);
  }

  /** Closes the socket with a reason the client reads (an `error` frame first) and ends it here. */
  drop(state: ConnState, code: number, errorCode: 'unauthenticated', message: string): void {
    this.ctx.conns.fail(state.conn, code, errorCode, message);
    this.closed(state.conn);
  }

  /** Closes every socket with 1001 (the server or unit goes away; clients reconnect and resume). */
  closeAll(): void {
    for (const state of [...this.ctx.conns.values()]) {
      state.conn.close(CLOSE.GOING_AWAY, 'server shutting down');
      this.closed(state.conn);
    }
  }
}
