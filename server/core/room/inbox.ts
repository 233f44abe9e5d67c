/**
 * A room's way in for frames, and its group commit (docs/architecture.md, "The room").
 *
 * Without a `defer`, each frame is processed at once in a transaction of its own. With one (the
 * Node host passes `setImmediate`), frames are queued and processed together on the next tick,
 * in one SQL transaction, so a burst from many sockets costs one disk sync instead of one each;
 * every reply and broadcast of the batch leaves only after that commit is on disk.
 *
 * Under overload (admission.ts) the inbox is bounded: frames above its bounds are refused at once
 * with a retryable `overloaded`, and a batch takes at most `batchFrames` frames or `batchMs`
 * before it commits, so the event loop keeps turning (sockets, timers, a SIGTERM). A connection
 * whose frame is refused stops being read until the next batch (`Connection.pause`), so a flood
 * waits in TCP buffers rather than costing a refusal per frame. Once the room stops, every frame
 * is refused so, and what still waits is answered the same way.
 */
import { CLOSE, MAX_ID } from '../../../src/protocol/limits.js';
import type { Admission, OverloadReason } from './admission.js';
import { overloadMessage } from './admission.js';
import type { Dispatcher } from './dispatch.js';
import type { ConnState, Inbound, RoomContext } from './types.js';
import { errorName } from './types.js';

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

export interface InboxDeps {
  readonly ctx: RoomContext;
  readonly admission: Admission;
  readonly dispatcher: Dispatcher;
  /** The group commit's tick (see the module's comment); undefined: each frame commits on its own. */
  readonly defer: ((fn: () => void) => void) | undefined;
  /** The room ends a connection (refused before its hello, or its batch could not be stored). */
  closed(state: ConnState): void;
  /** A batch was rolled back: what was made from its reads (snapshots) must be made again. */
  rolledBack(): void;
}

export class Inbox {
  /** Arrival time of the frame being processed (for the ack latency); undefined outside a frame. */
  arrivedAt: number | undefined;
  /** Frames waiting for the next group commit: `queue[head…]`, oldest first. */
  private queue: Queued[] = [];
  private head = 0;
  private drainScheduled = false;
  private stopping = false;
  /** Connections whose reads are paused since a frame of theirs was refused (see `Connection.pause`). */
  private readonly paused = new Set<ConnState>();

  constructor(private readonly deps: InboxDeps) {}

  /** Whether the room stops: every frame is refused from now on. */
  get stopped(): boolean {
    return this.stopping;
  }

  /** One frame of a connection: processed now, queued for the next batch, or refused. */
  receive(state: ConnState, raw: Inbound, bytes: number): void {
    const { defer, admission } = this.deps;
    if (!defer) {
      this.arrivedAt = performance.now();
      this.deps.dispatcher.process(state, raw);
      this.arrivedAt = undefined;
      return;
    }
    const refused = this.stopping ? 'shutting_down' : admission.refuse(bytes, state.queued);
    if (refused) {
      this.refuse(state, raw, refused);
      return;
    }
    const at = performance.now();
    state.queued += 1;
    this.queue.push({ state, raw, bytes, at });
    admission.added(this, bytes, at);
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    defer(() => {
      this.drain();
    });
  }

  /**
   * The room stops: every frame is refused from now on, and those still waiting are answered
   * `overloaded` (their clients send them again after reconnecting: nothing of them was stored).
   */
  stop(): void {
    this.stopping = true;
    this.take(this.queue.length - this.head, (e) => {
      this.refuse(e.state, e.raw, 'shutting_down');
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
    const { ctx, admission, dispatcher } = this.deps;
    ctx.metrics.refused(reason);
    if (state.closed) return;
    this.pause(state);
    const retryAfterMs = admission.retryAfterMs();
    const peek = peekFrame(raw);
    if (!state.hello || !peek) {
      ctx.conns.fail(state.conn, CLOSE.OVERLOADED, 'overloaded', overloadMessage(reason), retryAfterMs, 'server_capacity');
      this.deps.closed(state);
      return;
    }
    const ids = {
      ...(typeof peek.rid === 'string' && peek.rid.length <= MAX_ID ? { rid: peek.rid } : {}),
      ...(peek.t === 'send' && typeof peek.cmid === 'string' && peek.cmid.length <= MAX_ID ? { cmid: peek.cmid } : {}),
    };
    if (ids.rid === undefined && ids.cmid === undefined) {
      if (dispatcher.charge(state)) return;
      if (peek.t === 'ping' && typeof peek.n === 'number') ctx.conns.send(state, { t: 'pong', n: peek.n });
      return; // typing and the like: dropped
    }
    // Over its frame budget the client hears of that limit (`rate_limited`), as it would unloaded.
    if (dispatcher.rateLimited(state, ids)) return;
    ctx.conns.send(state, { t: 'nack', ...ids, code: 'overloaded', retryable: true, retryAfterMs, message: overloadMessage(reason), limit: 'server_capacity' });
  }

  /**
   * Stops reading a refused connection's frames until this room's next batch has run (or the
   * next turn, when none waits); never again once the room stops.
   */
  private pause(state: ConnState): void {
    if (!state.conn.pause || this.paused.has(state)) return;
    state.conn.pause();
    this.paused.add(state);
    if (this.stopping || this.drainScheduled) return;
    this.deps.defer?.(() => {
      if (!this.drainScheduled) this.resumePaused();
    });
  }

  /** The paused connections read again (each may send one more buffer's worth before the next batch). */
  private resumePaused(): void {
    if (this.stopping) return;
    for (const state of this.paused) if (!state.closed) state.conn.resume?.();
    this.paused.clear();
  }

  /** Removes the oldest `n` frames from the inbox (updating the counts), handing each to `each`. */
  private take(n: number, each: (e: Queued) => void): void {
    let bytes = 0;
    const end = this.head + n;
    for (let i = this.head; i < end; i += 1) {
      const e = this.queue[i];
      if (!e) continue;
      bytes += e.bytes;
      e.state.queued -= 1;
      each(e);
    }
    this.head = end;
    if (this.head >= this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.deps.admission.removed(this, n, bytes, this.queue[this.head]?.at);
  }

  /**
   * Processes the oldest queued frames in one transaction (at most `batchFrames`, and no longer
   * than `batchMs`), then releases everything they produced once the commit is on disk. What
   * remains waits for the next turn of the event loop.
   */
  private drain(): void {
    this.drainScheduled = false;
    const waiting = this.queue.length - this.head;
    if (waiting === 0) {
      this.resumePaused();
      return;
    }
    const { ctx, admission, dispatcher } = this.deps;
    const { metrics, conns } = ctx;
    const { batchFrames, batchMs } = admission.limits;
    const start = this.head;
    const started = performance.now();
    let taken = 0;
    const run = () => {
      while (taken < waiting && taken < batchFrames) {
        const e = this.queue[start + taken];
        taken += 1;
        if (!e) continue;
        metrics.queueMs.record(started - e.at);
        this.arrivedAt = e.at;
        if (!e.state.closed) dispatcher.process(e.state, e.raw);
        if (performance.now() - started >= batchMs) break;
      }
      this.arrivedAt = undefined;
    };
    const db = ctx.store.db;
    let durable: Promise<void> | undefined;
    let held: (() => void)[];
    try {
      held = conns.hold(() => {
        if (db.transactionDeferred) durable = db.transactionDeferred(run).durable;
        else db.transaction(run);
      });
    } catch (error) {
      this.arrivedAt = undefined;
      // The commit itself failed (disk full, I/O error): nothing of this batch was stored, so
      // nothing may be acknowledged. Drop the held replies and let the clients resend (same cmid).
      ctx.log.warn('batch.failed', { frames: taken, error: errorName(error) });
      // Snapshots made in the batch may have read what was then rolled back.
      this.deps.rolledBack();
      this.take(taken, (e) => {
        this.storageFailed(e.state);
      });
      this.scheduleDrain();
      return;
    }
    const ms = performance.now() - started;
    const batch = this.queue.slice(start, start + taken);
    this.take(taken, () => undefined);
    this.resumePaused();
    admission.measured(taken, ms);
    metrics.commits += 1;
    metrics.committedFrames += taken;
    metrics.commitMs.record(ms);
    const synced = performance.now();
    conns.release(
      held,
      durable?.then(() => {
        metrics.syncMs.record(performance.now() - synced);
      }),
      () => {
        ctx.log.warn('batch.sync_failed', { frames: taken });
        for (const e of batch) this.storageFailed(e.state);
      },
    );
    this.scheduleDrain();
  }

  /** More frames wait: another batch on the next turn of the event loop. */
  private scheduleDrain(): void {
    const defer = this.deps.defer;
    if (!defer || this.drainScheduled || this.queue.length === this.head) return;
    this.drainScheduled = true;
    defer(() => {
      this.drain();
    });
  }

  /** A batch of this connection could not be stored: it reconnects and resends (same cmids). */
  private storageFailed(state: ConnState): void {
    if (state.closed) return;
    state.conn.close(CLOSE.OVERLOADED, 'storage error; retry');
    this.deps.closed(state);
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
