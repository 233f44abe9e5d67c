/**
 * Admission under overload: how much work may wait for the group commit, and what is refused
 * above it. One {@link Admission} per process (the event loop is the capacity), shared by every
 * room, so the bounds hold for all tenants together.
 *
 * Frames wait in a room's inbox between their arrival and the batch that processes them. The
 * inbox is bounded in frames and bytes, per connection, and in time: a frame is refused when the
 * oldest waiting frame has waited longer than `queueMs`, or when the work already waiting
 * (frames × the measured cost of a frame) would take longer than that. A refused frame costs a
 * parse and a short answer: `nack overloaded` (retryable, with `retryAfterMs`) for a `send` or a
 * command, a `pong` for a `ping` (so heartbeats never fail because of load), nothing for
 * `typing`; a connection that is not greeted yet is closed with 4429 naming `server_capacity`.
 * docs/protocol.md § 9.2 and docs/reliability.md (fault scenarios).
 */
import type { RoomMetrics } from './metrics.js';

export interface OverloadLimits {
  /** Frames waiting for the group commit, all rooms together. */
  inboxFrames: number;
  /** Characters of those frames (UTF-16 units), all rooms together. */
  inboxBytes: number;
  /** Frames of one connection waiting. */
  connectionFrames: number;
  /** Longest a frame may wait: above it (measured or estimated) new work is refused, once {@link TIME_BOUND_MIN_FRAMES} wait. */
  queueMs: number;
  /** Frames processed in one transaction at most; the rest wait for the next turn of the event loop. */
  batchFrames: number;
  /** Time one batch may take before it commits and lets the event loop turn (sockets, timers, signals). */
  batchMs: number;
}

export const DEFAULT_OVERLOAD: Readonly<OverloadLimits> = Object.freeze({
  inboxFrames: 20_000,
  inboxBytes: 32 * 1024 * 1024,
  connectionFrames: 200,
  queueMs: 200,
  batchFrames: 2_000,
  batchMs: 25,
});

/** Option names of the limits (server options, CLI flags `--inbox-frames` …, the docs). */
export const OVERLOAD_OPTION: Readonly<Record<keyof OverloadLimits, string>> = Object.freeze({
  inboxFrames: 'inbox-frames',
  inboxBytes: 'inbox-bytes',
  connectionFrames: 'connection-frames',
  queueMs: 'queue-ms',
  batchFrames: 'batch-frames',
  batchMs: 'batch-ms',
});

/** `DEFAULT_OVERLOAD` with `overrides` on top; a `RangeError` names a value that is not a whole number ≥ 1. */
export function withOverload(overrides: Partial<OverloadLimits> = {}): Readonly<OverloadLimits> {
  const out = { ...DEFAULT_OVERLOAD };
  for (const key of Object.keys(DEFAULT_OVERLOAD) as (keyof OverloadLimits)[]) {
    const value = overrides[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`--${OVERLOAD_OPTION[key]}: ${String(value)} is not a whole number of at least 1`);
    out[key] = value;
  }
  return Object.freeze(out);
}

/**
 * Which bound refused a frame (the counters' reason, the nack's message). `edge_backlog`: an edge
 * process of the Node host refused it because the primary has not yet taken what the edge sent
 * before (its window, server/node/edge-worker.ts).
 */
export type OverloadReason = 'shutting_down' | 'inbox_frames' | 'inbox_bytes' | 'connection_frames' | 'queue_time' | 'edge_backlog';

/** The message of an `overloaded` refusal (nack or error), naming the bound. */
export function overloadMessage(reason: OverloadReason): string {
  return reason === 'shutting_down' ? 'shutting_down: the server is restarting; retry in a moment' : `server_capacity (${reason}): the server is busy; retry in a moment`;
}

/** How long a refused client should wait for work that has waited `waitMs`: about twice that, within 0.25–10 s. */
export function retryAfterFor(waitMs: number): number {
  return Math.round(Math.min(10_000, Math.max(250, 2 * waitMs)));
}

/** Per-frame cost estimate: start value and weight of each batch's measurement (moving average). */
const INITIAL_COST_MS = 0.05;
const COST_WEIGHT = 0.1;
/**
 * The time bound applies only to a backlog: with fewer frames waiting, a long wait is a stall of
 * the process (a garbage collection, a machine busy with other work), not more work offered than
 * the server can do, and refusing the few frames would not shorten it.
 */
export const TIME_BOUND_MIN_FRAMES = 256;

export class Admission {
  /** Frames and characters waiting, all rooms. */
  frames = 0;
  bytes = 0;
  /** Milliseconds of processing per frame, a moving average over batches. */
  private costMs = INITIAL_COST_MS;
  /** Arrival times of the oldest waiting frame of each room (the oldest of them is the queue's age). */
  private readonly oldest = new Map<object, number>();
  private stopping = false;

  constructor(
    readonly limits: Readonly<OverloadLimits> = DEFAULT_OVERLOAD,
    private readonly metrics?: RoomMetrics,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Refuse everything from now on (shutdown). */
  stop(): void {
    this.stopping = true;
  }

  get stopped(): boolean {
    return this.stopping;
  }

  /** Work waiting now, in milliseconds: the oldest frame's age, or the estimate of the queue, whichever is larger. */
  waitMs(): number {
    let oldest = Infinity;
    for (const at of this.oldest.values()) oldest = Math.min(oldest, at);
    const age = oldest === Infinity ? 0 : this.now() - oldest;
    return Math.max(age, this.frames * this.costMs);
  }

  /** Why a frame of `bytes` characters from a connection with `queued` frames waiting must be refused now; undefined: admit it. */
  refuse(bytes: number, queued: number): OverloadReason | undefined {
    if (this.stopping) return 'shutting_down';
    const l = this.limits;
    if (this.frames >= l.inboxFrames) return 'inbox_frames';
    if (this.bytes + bytes > l.inboxBytes) return 'inbox_bytes';
    if (queued >= l.connectionFrames) return 'connection_frames';
    if (this.frames >= TIME_BOUND_MIN_FRAMES && this.waitMs() > l.queueMs) return 'queue_time';
    return undefined;
  }

  /** Whether a new connection should be turned away now (the same rules, for a frame of nothing). */
  busy(): OverloadReason | undefined {
    if (this.stopping) return 'shutting_down';
    if (this.frames >= this.limits.inboxFrames) return 'inbox_frames';
    if (this.frames >= TIME_BOUND_MIN_FRAMES && this.waitMs() > this.limits.queueMs) return 'queue_time';
    return undefined;
  }

  /** How long a refused client should wait: about twice the work waiting, within 0.25–10 s. */
  retryAfterMs(): number {
    if (this.stopping) return 2000;
    return retryAfterFor(this.waitMs());
  }

  added(room: object, bytes: number, at: number): void {
    this.frames += 1;
    this.bytes += bytes;
    if (!this.oldest.has(room)) this.oldest.set(room, at);
    this.gauges();
  }

  /** Frames left a room's inbox; `oldestLeft` is the arrival of its oldest remaining one (undefined: empty). */
  removed(room: object, frames: number, bytes: number, oldestLeft: number | undefined): void {
    this.frames -= frames;
    this.bytes -= bytes;
    if (oldestLeft === undefined) this.oldest.delete(room);
    else this.oldest.set(room, oldestLeft);
    this.gauges();
  }

  /** A batch of `frames` took `ms` to process: the cost estimate moves towards it. */
  measured(frames: number, ms: number): void {
    if (frames <= 0) return;
    this.costMs += COST_WEIGHT * (ms / frames - this.costMs);
  }

  private gauges(): void {
    if (!this.metrics) return;
    this.metrics.inboxFrames = this.frames;
    this.metrics.inboxBytes = this.bytes;
  }
}
