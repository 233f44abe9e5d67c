/**
 * What a room counts, for a host to read (a Prometheus `/metrics` endpoint, logs, the load
 * benchmark): plain counters, gauges kept up to date as things happen, and histograms with fixed
 * buckets. Nothing here allocates per event; reading is free. A host may give one
 * {@link RoomMetrics} to every room of a process (the counters then add up over tenants), or read
 * each room's own (`ChatRoom.metrics`).
 *
 * The shape is an interface: the `/metrics` endpoint (server/node) maps these fields to
 * Prometheus names, so fields are added, never renamed or re-typed. Counters only grow; gauges
 * (`inboxFrames`, `inboxBytes`, `connections`) are current values; a {@link Histogram} holds
 * per-bucket (not cumulative) counts in milliseconds over {@link LATENCY_BUCKETS_MS}.
 */

/** Bucket upper bounds in milliseconds (Prometheus-style `le`); the last bucket is everything above. */
export const LATENCY_BUCKETS_MS: readonly number[] = [0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000];

/** A histogram with fixed buckets: `counts[i]` observations ≤ `bounds[i]` (not cumulative); `counts[bounds.length]` above. */
export class Histogram {
  readonly counts: number[];
  count = 0;
  /** Sum of the observed values (ms). */
  sum = 0;
  max = 0;

  constructor(readonly bounds: readonly number[] = LATENCY_BUCKETS_MS) {
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }

  record(value: number): void {
    let i = 0;
    while (i < this.bounds.length && value > (this.bounds[i] ?? Infinity)) i += 1;
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.count += 1;
    this.sum += value;
    if (value > this.max) this.max = value;
  }

  /** The upper bound of the bucket holding the p-th percentile (0–100): an upper estimate. */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    const rank = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (const [i, n] of this.counts.entries()) {
      seen += n;
      if (seen >= rank) return i < this.bounds.length ? (this.bounds[i] ?? this.max) : this.max;
    }
    return this.max;
  }
}

/**
 * Why work was refused or a connection dropped, as the counters name them: the limit
 * (`connections_per_tenant`, `frames_per_minute`…), or the overload bound that was reached
 * (`inbox_frames`, `inbox_bytes`, `queue_time`, `connection_frames`, `shutting_down`), or
 * `slow_consumer`.
 */
export type RefusalReason = string;

export class RoomMetrics {
  /** Frames received from clients (every one, refused ones too). */
  framesIn = 0;
  /** Characters of those frames (UTF-16 units: bytes for ASCII). */
  bytesIn = 0;
  /** Frames written to sockets. */
  framesOut = 0;
  bytesOut = 0;
  /** Messages and notes stored (a duplicate `send` is not counted again). */
  messages = 0;
  /** `ack`s written (duplicates too). */
  acks = 0;
  /** A frame's arrival to the moment its `ack` is written (after the commit and the disk sync), ms. */
  readonly ackLatencyMs = new Histogram();
  /** Group commits: how many, the frames in them, and how long each took (the transaction; then the disk sync). */
  commits = 0;
  committedFrames = 0;
  readonly commitMs = new Histogram();
  readonly syncMs = new Histogram();
  /** How long a frame waited in the inbox before its batch started, ms. */
  readonly queueMs = new Histogram();
  /** Frames and characters waiting for the next group commit now (gauges). */
  inboxFrames = 0;
  inboxBytes = 0;
  /** Open connections now (gauge). */
  connections = 0;
  /** Refusals and drops by reason (see {@link RefusalReason}). */
  readonly refusals: Record<RefusalReason, number> = {};

  refused(reason: RefusalReason): void {
    this.refusals[reason] = (this.refusals[reason] ?? 0) + 1;
  }
}
