/**
 * The Prometheus text exposition format (version 0.0.4), written by hand (a few counters, gauges
 * and histograms need no client library), and the mapping of a room's {@link RoomMetrics} to
 * metric names. Both hosts' `GET /metrics` use it (server/node/metrics.ts adds the process and
 * the HTTP side; the Cloudflare tenant object answers with its room's figures), so the names are
 * the same wherever the server runs. docs/operations.md § 7 lists every metric.
 */
import { LIMIT_NAME, type ChatRoom, type Histogram, type RoomMetrics } from './room/index.js';
import type { SqlPort } from './sql.js';

export type Labels = Readonly<Record<string, string>>;
type MetricType = 'counter' | 'gauge' | 'histogram';

/** `{a="x",b="y"}` with the format's escapes; empty for no labels. */
export function formatLabels(labels: Labels = {}): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
}

/**
 * Refusal reasons that exist even before one happened (so a rate() has a series to start from):
 * the room's limits that refuse work (typing over its limit is dropped silently, not refused),
 * the overload bounds (a new connection refused by one of them is closed 4429 `server_capacity`
 * and counted under the bound), a socket dropped as a slow consumer, and the HTTP side's limits.
 */
export const REFUSAL_REASONS: readonly string[] = [
  LIMIT_NAME.connectionsPerTenant,
  LIMIT_NAME.connectionsPerUser,
  LIMIT_NAME.framesPerMinute,
  LIMIT_NAME.chatStartsPerMinute,
  'sign_in_failures_per_minute',
  'inbox_frames',
  'inbox_bytes',
  'connection_frames',
  'queue_time',
  'shutting_down',
  'slow_consumer',
];

/** Collects metric families and prints them. */
export class Exposition {
  private readonly out: string[] = [];

  /** One family: `samples` are label sets with their values. */
  metric(name: string, type: Exclude<MetricType, 'histogram'>, help: string, samples: readonly (readonly [Labels, number])[]): this {
    this.out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) this.out.push(`${name}${formatLabels(labels)} ${String(value)}`);
    return this;
  }

  /** One value without labels. */
  single(name: string, type: Exclude<MetricType, 'histogram'>, help: string, value: number): this {
    return this.metric(name, type, help, [[{}, value]]);
  }

  /** A {@link Histogram} of milliseconds as a histogram in seconds (cumulative buckets, `+Inf`, sum, count). */
  histogram(name: string, help: string, h: Histogram): this {
    this.out.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`);
    let seen = 0;
    h.bounds.forEach((bound, i) => {
      seen += h.counts[i] ?? 0;
      this.out.push(`${name}_bucket${formatLabels({ le: String(bound / 1000) })} ${String(seen)}`);
    });
    this.out.push(`${name}_bucket${formatLabels({ le: '+Inf' })} ${String(h.count)}`, `${name}_sum ${String(h.sum / 1000)}`, `${name}_count ${String(h.count)}`);
    return this;
  }

  text(): string {
    return `${this.out.join('\n')}\n`;
  }
}

/**
 * A room's figures (or every room's, added up): frames and bytes in and out, messages (their
 * rate is messages/s), acks and the ack latency, group commits and their time, the inbox (the
 * queue of frames waiting for a commit: now and how long frames waited), and refusals by reason.
 * `refusals` are added to the room's own (the HTTP side's: chat starts, sign-ins).
 */
export function roomMetrics(x: Exposition, m: RoomMetrics, refusals: Readonly<Record<string, number>> = {}): Exposition {
  const counts: Record<string, number> = Object.fromEntries(REFUSAL_REASONS.map((r) => [r, 0]));
  for (const source of [m.refusals, refusals]) for (const [reason, n] of Object.entries(source)) counts[reason] = (counts[reason] ?? 0) + n;
  return x
    .metric('crm_chat_frames_total', 'counter', 'WebSocket frames received from clients (refused ones too) and sent to them.', [
      [{ direction: 'in' }, m.framesIn],
      [{ direction: 'out' }, m.framesOut],
    ])
    .metric('crm_chat_frame_bytes_total', 'counter', 'Characters of those frames (UTF-16 units: bytes for ASCII).', [
      [{ direction: 'in' }, m.bytesIn],
      [{ direction: 'out' }, m.bytesOut],
    ])
    .single('crm_chat_messages_total', 'counter', 'Messages and notes stored (a repeated send is not counted again); rate() gives messages per second.', m.messages)
    .single('crm_chat_acks_total', 'counter', 'Acks sent (repeats too).', m.acks)
    .histogram('crm_chat_ack_latency_seconds', 'From a frame\'s arrival to its ack (after the commit and the disk sync).', m.ackLatencyMs)
    .single('crm_chat_commits_total', 'counter', 'Group commits (one transaction for a batch of frames).', m.commits)
    .single('crm_chat_committed_frames_total', 'counter', 'Frames processed in group commits.', m.committedFrames)
    .histogram('crm_chat_commit_duration_seconds', 'Time of one group commit\'s transaction.', m.commitMs)
    .histogram('crm_chat_sync_duration_seconds', 'Time of the disk sync after a group commit.', m.syncMs)
    .single('crm_chat_inbox_frames', 'gauge', 'Frames waiting for the next group commit now (the queue of work).', m.inboxFrames)
    .single('crm_chat_inbox_bytes', 'gauge', 'Characters of the frames waiting now.', m.inboxBytes)
    .histogram('crm_chat_inbox_wait_seconds', 'How long a frame waited in the inbox before its batch started.', m.queueMs)
    .metric(
      'crm_chat_refusals_total',
      'counter',
      'Work refused and sockets dropped, by reason: a limit (connections_per_user, frames_per_minute, chat_starts_per_minute, sign_in_failures_per_minute …) or an overload bound (inbox_frames, queue_time, connection_frames …; new connections refused by one are closed 4429 server_capacity).',
      Object.entries(counts).map(([reason, n]) => [{ reason }, n] as const),
    );
}

/**
 * The rooms that run in this process or object: how many, their open sockets, and the chats
 * waiting in each channel's queue (from the database, at scrape time) with the oldest one's wait.
 */
export function runningRooms(x: Exposition, db: SqlPort, rooms: ReadonlyMap<string, ChatRoom>, now: number): Exposition {
  const running = [...rooms].map(([tenant, r]) => ({ tenant, connections: r.connectionCount }));
  const queues = running.flatMap(({ tenant }) =>
    db
      .all<{ channel_id: string; n: number; oldest: number }>("SELECT channel_id, count(*) AS n, min(created_at) AS oldest FROM sessions WHERE tenant_id = ? AND status = 'queued' GROUP BY channel_id", [tenant])
      .map((r) => ({ tenant, channel: r.channel_id, queued: r.n, oldestAt: r.oldest })),
  );
  return x
    .single('crm_chat_rooms', 'gauge', 'Tenants whose room runs here.', running.length)
    .metric('crm_chat_connections', 'gauge', 'Open WebSocket connections by tenant.', running.map((r) => [{ tenant: r.tenant }, r.connections] as const))
    .metric('crm_chat_queued_chats', 'gauge', "Chats waiting in a channel's queue (tenants whose room runs).", queues.map((q) => [{ tenant: q.tenant, channel: q.channel }, q.queued] as const))
    .metric(
      'crm_chat_queue_oldest_wait_seconds',
      'gauge',
      'How long the longest-waiting chat of a channel has waited.',
      queues.map((q) => [{ tenant: q.tenant, channel: q.channel }, Math.max(0, (now - q.oldestAt) / 1000)] as const),
    );
}

/** What the HTTP side of a host counts: refusals by reason (chat starts, sign-ins) and sign-ins refused for their token. */
export class HttpRefusals {
  /** Agent sign-ins refused for their token or the tenant's settings. */
  signIn = 0;
  /** Requests refused by a limit (`chat_starts_per_minute`, `sign_in_failures_per_minute`). */
  readonly byReason: Record<string, number> = {};

  refused(reason: string): void {
    this.byReason[reason] = (this.byReason[reason] ?? 0) + 1;
  }

  lines(x: Exposition): Exposition {
    return x.single('crm_chat_sign_in_refusals_total', 'counter', 'Agent sign-ins refused for their token or settings (429s are in crm_chat_refusals_total).', this.signIn);
  }
}
