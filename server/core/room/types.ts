/**
 * Shapes shared by the room's modules: the host's socket, the per-connection state, refusals,
 * and the work queued behind a transaction.
 */
import * as v from 'valibot';

import type { ClientFrame } from '../../../src/protocol/client-frames.js';
import type { DecodeResult } from '../../../src/protocol/codec.js';
import type { ErrorCode } from '../../../src/protocol/index.js';
import type { Principal } from '../auth.js';
import { randomId } from '../auth.js';
import type { Clock } from '../clock.js';
import type { SessionIdentity } from '../identity/customer-identity.js';
import type { BotTurn } from '../../../src/protocol/channel-settings.js';
import type { StartJourney } from '../journey/start.js';
import type { AgentAccess, TenantStore } from '../store/index.js';
import type { Connections } from './connections.js';
import type { RoomLimits } from './limits.js';
import type { RoomMetrics } from './metrics.js';
import type { RateState } from './rate-limit.js';

/** A live socket as the room sees it. Hosts adapt their socket type to this. */
export interface Connection {
  readonly id: string;
  send(data: string): void;
  close(code: number, reason: string): void;
  /** Bytes queued for sending and not yet written (backpressure). */
  bufferedAmount(): number;
  /**
   * Optional: hold this socket's writes until `uncork` (calls nest), so that the frames of one
   * batch leave in one system call. The Node host passes the TCP socket's `cork`/`uncork`.
   */
  cork?(): void;
  uncork?(): void;
  /**
   * Optional: stop reading this socket's frames until `resume`. The inbox pauses a socket whose
   * frame it refused, until its next batch: what the client sends meanwhile waits in the
   * kernel's buffers (TCP back-pressure) instead of being read and refused frame by frame, so a
   * flood costs the loop a bounded amount per turn (and a SIGTERM is heard). The Node host
   * passes the WebSocket's `pause`/`resume`.
   */
  pause?(): void;
  resume?(): void;
}

/**
 * A frame as a host hands it to the room: its text (`null`: a binary frame), or already decoded
 * by another process (the Node host's edge processes parse and validate frames off the room's
 * thread; `bytes` is the length of the text they decoded, for the inbox bounds).
 */
export type Inbound = string | null | Predecoded;
export interface Predecoded {
  readonly decoded: DecodeResult<ClientFrame>;
  readonly bytes: number;
}

/** The size of an inbound frame for the inbox bounds (UTF-16 units of its text). */
export const inboundBytes = (raw: Inbound): number => (raw === null ? 0 : typeof raw === 'string' ? raw.length : raw.bytes);

/** Where the room reports what happened; never receives message bodies, tokens or personal data. */
export interface RoomLogger {
  info(event: string, fields?: Record<string, string | number | boolean>): void;
  warn(event: string, fields?: Record<string, string | number | boolean>): void;
}

export const silentLogger: RoomLogger = { info: () => undefined, warn: () => undefined };

/** How a connection follows a session: `participant` (may act) or `listen` (read-only). */
export type Mode = 'participant' | 'listen';

/** What the room keeps in memory per open socket. */
export interface ConnState {
  readonly conn: Connection;
  readonly principal: Principal;
  /** Client-chosen id that stays the same across reconnects of one tab (partysocket `_pk`). */
  readonly clientId: string | undefined;
  access: AgentAccess | undefined;
  hello: boolean;
  helloTimer: unknown;
  /**
   * Agents: the `seq` of the last board event this connection received (or the position its
   * board resumed from / its snapshot's `seq`): the `prev` of the next one. Undefined until the
   * board stream of this connection is set up in `hello`.
   */
  boardSeq: number | undefined;
  /** Session subscriptions; changed only through the connection registry (it keeps an index). */
  readonly subs: Map<string, Mode>;
  /** Open `listen_audit` rows of this connection's listen-mode subscriptions, by session id. */
  readonly audits: Map<string, string>;
  /** Frame budget and typing allowance (rate-limit.ts). */
  readonly rate: RateState;
  closed: boolean;
  /** Frames of this connection waiting in the room's inbox (admission.ts bounds them). */
  queued: number;
}

/** Reply helpers raise this to answer a command with a `nack`. */
export class Refusal extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryable = false,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** Work queued inside a transaction and carried out after it commits. */
export type After = () => void;

/** The name of an error for logs (never its message: it may carry personal data). */
export const errorName = (error: unknown): string => (error instanceof Error ? error.name : 'unknown');

export interface StartChatInput {
  channelId: string;
  name?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  /** The identity the website's token gave (verified or not), recorded on the session. */
  identity?: SessionIdentity | undefined;
  /** The pre-chat form's language, company and consent (server/core/journey/start.ts). */
  journey?: StartJourney | undefined;
  /** What the channel's bot and the customer said before the hand-off (journey/bot.ts). */
  botPart?: readonly BotTurn[] | undefined;
}

export const newConnectionId = (): string => `c_${randomId(9)}`;
export const isValidClientId = (id: string | null): id is string => id !== null && v.is(v.pipe(v.string(), v.regex(/^[\w-]{8,64}$/)), id);

/** What every module of a room shares: the tenant's store, the clock, the log, the sockets. */
export interface RoomContext {
  readonly tenantId: string;
  readonly store: TenantStore;
  readonly clock: Clock;
  readonly log: RoomLogger;
  readonly conns: Connections;
  /**
   * The host's real-time scheduler for coalescing (`activity`, `agents`): not the room's clock,
   * whose time may be moved by tests and operators; only its timers are used.
   */
  readonly timers: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  /** The tenant's limits now (server options, later with per-tenant values on top). */
  limits(): Readonly<RoomLimits>;
  now(): number;
  /** The room's counters (metrics.ts). */
  readonly metrics: RoomMetrics;
  /** When the frame being processed arrived (`performance.now()`), for the ack latency; undefined outside a frame. */
  arrivedAt(): number | undefined;
  /**
   * Runs `fn` in one transaction; the `after` callbacks run in order once it has committed.
   * Inside a group commit this is a savepoint: a refused frame rolls back alone, and the frames
   * the callbacks send are held until the batch has committed.
   */
  tx<T>(fn: (after: After[]) => T): T;
}
