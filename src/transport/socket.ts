/**
 * The socket of one chat client: partysocket with our policies. The only module that imports
 * partysocket; everything above it sees validated frames and a few callbacks.
 *
 * Policies (docs/protocol.md §Transport):
 * - starts closed; `open()` connects; every (re)connect fetches a fresh single-use ticket
 *   through the async `query` provider;
 * - partysocket's own send buffer is off (`maxEnqueuedMessages: 0`): the outbox owns unsent
 *   messages, and frames are only sent on an open socket;
 * - close codes: 4401 → one more attempt with a fresh ticket, a second 4401 in a row →
 *   `auth-required`; 4400 / 4403 / 4409 → final; 4429 → reconnect after the server's
 *   `retryAfterMs` plus jitter; anything else → reconnect with backoff;
 * - backoff: the delay grows ×1.6 from `minReconnectDelayMs` per failed attempt, with jitter (half
 *   of it random), capped at `maxReconnectDelayMs` (4 s) while the page is visible and at
 *   `hiddenMaxReconnectDelayMs` (30 s) while it is hidden; `retryNow()` (the browser is online
 *   again, the tab is shown or focused) cuts a pending wait short. The timing is ours, not
 *   partysocket's: its own retries are off, so nothing waits behind a long timer;
 * - heartbeat: `ping` every 20 s while open, always the same text (`HEARTBEAT_PING`, so that a
 *   Durable Object's runtime answers it without waking the object); no frame within 10 s of a
 *   ping → the socket is presumed dead (half-open) and replaced;
 * - a ticket provider that refuses the credentials (an error with `status` 401/403 or `code`
 *   `unauthenticated`) stops reconnecting (`auth-required`); other failures (network, server
 *   down) are retried with exponential backoff and jitter, so a restart never needs a reload and
 *   an outage never becomes a request storm.
 */
import PartySocket from 'partysocket';
import * as v from 'valibot';

import { CLOSE, MAX_SERVER_FRAME_BYTES, PING_INTERVAL_MS, PONG_TIMEOUT_MS } from '../protocol/limits.js';
import type { ServerFrame } from '../protocol/server-frames.js';
import { SERVER_FRAME_TYPES, ServerFrame as ServerFrameSchema } from '../protocol/server-frames.js';
import { decodeFrame } from '../protocol/codec.js';

/** What the server said in its last `error` frame (`limit`: the limit a refusal is about). */
export interface ServerError {
  code: string;
  message: string;
  limit?: string;
}

export type SocketDown =
  /** Reconnecting on its own; `retryAt` is when the next attempt starts (if known); `error`: why, when the server said. */
  | { kind: 'retrying'; code: number; retryAt?: number; error?: ServerError }
  /** Credentials rejected twice or the ticket provider keeps failing: the host must sign in again. */
  | { kind: 'auth-required'; message: string }
  /** The server refused this client for good (bad frame, forbidden, superseded). */
  | { kind: 'fatal'; code: number; message: string }
  /** Closed on purpose by `close()`. */
  | { kind: 'closed' };

export interface SocketCallbacks {
  /** The socket opened (the client must send `hello` now). */
  opened(): void;
  /** A validated frame arrived. */
  frame(frame: ServerFrame): void;
  /** The socket went down; tells whether and how it comes back. */
  down(state: SocketDown): void;
  /** Ticket fetch in progress (connecting). */
  connecting(attempt: number): void;
  /** A frame failed validation; counted and dropped. */
  invalid?(message: string): void;
}

export interface SocketOptions {
  /** Server base URL, e.g. `https://chat.example.com`. */
  url: string;
  tenant: string;
  /** Returns a fresh single-use connect ticket. */
  getToken: () => Promise<string>;
  /** Stable id of this tab's connection across reconnects (partysocket `id`). */
  clientId: string;
  WebSocket?: unknown;
  now?: () => number;
  /** Reconnect timing (see the backoff above), mainly for tests. */
  minReconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
  hiddenMaxReconnectDelayMs?: number;
  /** Failed attempts in a row before giving up (`retrying` stops; default: never). */
  maxRetries?: number;
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
}

export interface ChatSocket {
  open(): void;
  close(): void;
  /** Drops the current socket and connects again now (user "Retry", heartbeat failure). */
  reconnect(): void;
  /** Waiting to reconnect: try now instead (online again, tab shown or focused). */
  retryNow(): void;
  /** Sends a frame on an open socket; false when the socket is not open (nothing is buffered). */
  send(frame: object): boolean;
  readonly isOpen: boolean;
}

/**
 * True for errors that mean "these credentials are refused" (HTTP 401/403 from the host's ticket
 * endpoint, or an error with `code: 'unauthenticated' | 'forbidden'`), as opposed to network or
 * server failures, which are retried.
 */
export function isAuthError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { status?: unknown; code?: unknown };
  return e.status === 401 || e.status === 403 || e.code === 'unauthenticated' || e.code === 'forbidden';
}

export function createSocket(options: SocketOptions, on: SocketCallbacks): ChatSocket {
  const now = options.now ?? (() => Date.now());
  const base = new URL(options.url);
  let unauthorizedInRow = 0;
  let retryAfterMs: number | undefined;
  let lastError: ServerError | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;
  let deadTimer: ReturnType<typeof setTimeout> | undefined;
  let delayedReconnect: ReturnType<typeof setTimeout> | undefined;
  /** Failed attempts since the socket was last up for a while. */
  let failures = 0;
  let openedAt: number | undefined;
  /** True while we drop the socket ourselves and partysocket connects at once. */
  let manual = false;
  let attempts = 0;
  let stopped = true;
  /** True while `close()` runs, so only a deliberate close reports `closed`. */
  let closing = false;

  const socket = new PartySocket({
    host: base.host,
    protocol: base.protocol === 'https:' ? 'wss' : 'ws',
    party: 'chat',
    room: options.tenant,
    id: options.clientId,
    startClosed: true,
    maxEnqueuedMessages: 0,
    // partysocket connects at once when told to (`reconnect()`), never on its own: the waits
    // between attempts are scheduled below, where they can be cut short.
    maxRetries: 0,
    connectionTimeout: 10_000,
    ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
    query: async () => {
      attempts += 1;
      on.connecting(attempts);
      try {
        return { token: await options.getToken() };
      } catch (error) {
        if (isAuthError(error)) {
          // The host's credentials are no longer accepted: stop, and ask for a new sign-in.
          queueMicrotask(() => {
            if (stopped) return;
            stopped = true;
            stopTimers();
            socket.close();
            on.down({ kind: 'auth-required', message: 'the connection ticket was refused' });
          });
        }
        // Anything else (server or network down) is retried by partysocket with backoff.
        throw error instanceof Error ? error : new Error('ticket request failed');
      }
    },
    shouldReconnectOnClose: (event) => {
      const code = event.code;
      if (code === CLOSE.UNAUTHENTICATED) {
        unauthorizedInRow += 1;
        return unauthorizedInRow < 2;
      }
      if (code === CLOSE.BAD_FRAME || code === CLOSE.FORBIDDEN || code === CLOSE.SUPERSEDED) return false;
      if (code === CLOSE.OVERLOADED) return false; // reconnects after the server's delay, below
      return true;
    },
  });

  /** The wait before the next attempt after `failures` failed ones: grows, jittered, capped. */
  const nextDelay = (): number => {
    const hidden = typeof document !== 'undefined' && document.visibilityState === 'hidden';
    const min = options.minReconnectDelayMs ?? 1000;
    const visibleCap = options.maxReconnectDelayMs ?? 4000;
    const cap = hidden ? Math.max(visibleCap, options.hiddenMaxReconnectDelayMs ?? 30_000) : visibleCap;
    const grown = Math.min(cap, min * 1.6 ** Math.max(0, failures - 1));
    return grown / 2 + Math.random() * (grown / 2);
  };

  /** Connects now: partysocket drops what it has and opens a new socket (one attempt). */
  const connectNow = (code?: number, reason?: string): void => {
    clearTimeout(delayedReconnect);
    delayedReconnect = undefined;
    manual = true;
    try {
      socket.reconnect(code, reason);
    } finally {
      manual = false;
    }
  };

  /** Schedules the next attempt (once: a failure may report both `error` and `close`). */
  const retryLater = (wait: number): number | undefined => {
    if (stopped) return undefined;
    if (delayedReconnect !== undefined) return undefined;
    failures += 1;
    if (failures > (options.maxRetries ?? Infinity)) return undefined;
    delayedReconnect = setTimeout(() => {
      delayedReconnect = undefined;
      if (!stopped) connectNow();
    }, wait);
    return now() + wait;
  };

  const stopTimers = () => {
    clearInterval(pingTimer);
    clearTimeout(deadTimer);
    pingTimer = undefined;
    deadTimer = undefined;
  };

  const alive = () => {
    clearTimeout(deadTimer);
    deadTimer = undefined;
  };

  socket.addEventListener('open', () => {
    openedAt = now();
    retryAfterMs = undefined;
    lastError = undefined;
    stopTimers();
    pingTimer = setInterval(() => {
      if (deadTimer !== undefined) return;
      // Always this text, `HEARTBEAT_PING` (protocol/heartbeat.ts; written out here: an import
      // of it cost the console more brotli bytes).
      socket.send('{"t":"ping","n":0}');
      deadTimer = setTimeout(() => {
        // Half-open socket: nothing came back. Replace it.
        deadTimer = undefined;
        connectNow(4000, 'heartbeat timeout');
      }, options.pongTimeoutMs ?? PONG_TIMEOUT_MS);
    }, options.pingIntervalMs ?? PING_INTERVAL_MS);
    on.opened();
  });

  socket.addEventListener('message', (event: MessageEvent) => {
    alive();
    if (typeof event.data !== 'string') {
      on.invalid?.('binary frame');
      return;
    }
    const decoded = decodeFrame(event.data, ServerFrameSchema, SERVER_FRAME_TYPES, MAX_SERVER_FRAME_BYTES);
    if (!decoded.ok) {
      // Unknown frame types are ignored (a newer server); malformed known ones are dropped.
      on.invalid?.(decoded.message);
      return;
    }
    const frame = decoded.frame;
    if (frame.t === 'welcome') unauthorizedInRow = 0;
    if (frame.t === 'error') {
      lastError = { code: frame.code, message: frame.message, ...(frame.limit !== undefined ? { limit: frame.limit } : {}) };
      retryAfterMs = frame.retryAfterMs;
    }
    on.frame(frame);
  });

  socket.addEventListener('close', (event) => {
    stopTimers();
    // Up for a while: the next failure starts the backoff again.
    if (openedAt !== undefined && now() - openedAt >= 5000) failures = 0;
    openedAt = undefined;
    if (stopped) {
      if (closing) on.down({ kind: 'closed' });
      closing = false;
      return;
    }
    const code = event.code;
    if (code === CLOSE.UNAUTHENTICATED && unauthorizedInRow >= 2) {
      stopped = true;
      on.down({ kind: 'auth-required', message: lastError?.message ?? 'authentication failed' });
      return;
    }
    if (code === CLOSE.BAD_FRAME || code === CLOSE.FORBIDDEN || code === CLOSE.SUPERSEDED) {
      stopped = true;
      on.down({ kind: 'fatal', code, message: lastError?.message ?? `closed by the server (${String(code)})` });
      return;
    }
    if (code === CLOSE.OVERLOADED) {
      const wait = (retryAfterMs ?? 5000) * (1 + Math.random() * 0.5);
      clearTimeout(delayedReconnect);
      delayedReconnect = undefined;
      const retryAt = retryLater(wait);
      // The server said why (a limit, overload): kept for the user until the next attempt.
      on.down({ kind: 'retrying', code, ...(retryAt !== undefined ? { retryAt } : {}), ...(lastError ? { error: lastError } : {}) });
      return;
    }
    // Dropped by us (heartbeat, reconnect()): partysocket is connecting again already.
    const retryAt = manual ? undefined : retryLater(nextDelay());
    if (!manual && retryAt === undefined && delayedReconnect === undefined) {
      // Gave up after maxRetries failed attempts.
      stopped = true;
      on.down({ kind: 'fatal', code, message: 'could not reconnect' });
      return;
    }
    on.down({ kind: 'retrying', code, ...(retryAt !== undefined ? { retryAt } : {}) });
  });

  // Connection errors (refused, DNS, timeout, a failed ticket request) surface as 'error', most
  // with a 'close' before it; one retry is scheduled either way.
  socket.addEventListener('error', () => {
    if (stopped || manual || socket.readyState === socket.OPEN || delayedReconnect !== undefined) return;
    const retryAt = retryLater(nextDelay());
    if (retryAt !== undefined) on.down({ kind: 'retrying', code: 1006, retryAt });
  });

  return {
    open() {
      if (!stopped) return;
      stopped = false;
      unauthorizedInRow = 0;
      failures = 0;
      connectNow();
    },
    close() {
      stopped = true;
      closing = true;
      clearTimeout(delayedReconnect);
      stopTimers();
      socket.close(1000, 'closed by client');
      closing = false;
    },
    reconnect() {
      stopped = false;
      unauthorizedInRow = 0;
      stopTimers();
      connectNow(4000, 'reconnect');
    },
    retryNow() {
      if (stopped || delayedReconnect === undefined) return;
      connectNow();
    },
    send(frame: object) {
      if (socket.readyState !== socket.OPEN) return false;
      return socket.send(JSON.stringify(frame));
    },
    get isOpen() {
      return socket.readyState === socket.OPEN;
    },
  };
}

/** Validates a value against a schema without throwing (re-exported for the client). */
export const is = v.is;
