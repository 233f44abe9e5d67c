/**
 * `GET /metrics`: the Prometheus text exposition format (version 0.0.4), written by hand (a
 * few counters, gauges and histograms need no client library). Only with `--metrics-key`, for
 * callers that send it as `Authorization: Bearer KEY` (server/core/http/router.ts, auth
 * `metrics-key`).
 *
 * The host's own figures live here (HTTP requests, sign-in refusals, process and database);
 * each room's are read at scrape time.
 */
import { statSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

type Labels = Record<string, string>;

/** Cumulative histogram with fixed upper bounds, in seconds. */
export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private n = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = bounds.map(() => 0);
  }

  observe(seconds: number): void {
    this.sum += seconds;
    this.n += 1;
    for (let i = 0; i < this.bounds.length; i++) if (seconds <= (this.bounds[i] ?? Infinity)) this.counts[i] = (this.counts[i] ?? 0) + 1;
  }

  lines(name: string, labels: Labels = {}): string[] {
    const out = this.bounds.map((b, i) => `${name}_bucket${fmtLabels({ ...labels, le: String(b) })} ${String(this.counts[i] ?? 0)}`);
    out.push(`${name}_bucket${fmtLabels({ ...labels, le: '+Inf' })} ${String(this.n)}`);
    out.push(`${name}_sum${fmtLabels(labels)} ${String(this.sum)}`);
    out.push(`${name}_count${fmtLabels(labels)} ${String(this.n)}`);
    return out;
  }
}

function fmtLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
}

/** The figures the HTTP side counts as it goes. */
export class HostMetrics {
  /** Requests by method and status class (`2xx` …). */
  readonly requests = new Map<string, number>();
  readonly requestSeconds = new Histogram([0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]);
  /** Refused agent sign-ins, and those refused with 429 before checking. */
  signInRefused = 0;
  signInRateLimited = 0;
  readonly started = Date.now();
  private readonly loop = monitorEventLoopDelay({ resolution: 20 });

  constructor() {
    this.loop.enable();
  }

  request(method: string, status: number, seconds: number): void {
    const key = `${method}\n${String(Math.floor(status / 100))}xx`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    this.requestSeconds.observe(seconds);
  }

  stop(): void {
    this.loop.disable();
  }

  /** The exposition text; `rooms` gives each running room's figures. */
  render(parts: {
    rooms: readonly { tenant: string; connections: number }[];
    /** Chats waiting for an agent, per tenant and channel, and since when the oldest waits. */
    queues: readonly { tenant: string; channel: string; queued: number; oldestAt: number }[];
    now: number;
    databaseFile: string;
    extra?: readonly string[];
  }): string {
    const out: string[] = [];
    const metric = (name: string, type: 'counter' | 'gauge' | 'histogram', help: string, lines: string[]) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...lines);
    };
    metric('crm_chat_up_seconds', 'gauge', 'Seconds since the server started.', [`crm_chat_up_seconds ${String((Date.now() - this.started) / 1000)}`]);
    metric('crm_chat_rooms', 'gauge', 'Tenants whose room runs in this process.', [`crm_chat_rooms ${String(parts.rooms.length)}`]);
    metric('crm_chat_connections', 'gauge', 'Open WebSocket connections by tenant.', parts.rooms.map((r) => `crm_chat_connections${fmtLabels({ tenant: r.tenant })} ${String(r.connections)}`));
    metric('crm_chat_queued_chats', 'gauge', 'Chats waiting in a channel\'s queue (tenants whose room runs).', parts.queues.map((q) => `crm_chat_queued_chats${fmtLabels({ tenant: q.tenant, channel: q.channel })} ${String(q.queued)}`));
    metric(
      'crm_chat_queue_oldest_wait_seconds',
      'gauge',
      'How long the longest-waiting chat of a channel has waited.',
      parts.queues.map((q) => `crm_chat_queue_oldest_wait_seconds${fmtLabels({ tenant: q.tenant, channel: q.channel })} ${String(Math.max(0, (parts.now - q.oldestAt) / 1000))}`),
    );
    metric(
      'crm_chat_http_requests_total',
      'counter',
      'HTTP requests answered, by method and status class.',
      [...this.requests].map(([key, n]) => {
        const [method = '', status = ''] = key.split('\n');
        return `crm_chat_http_requests_total${fmtLabels({ method, status })} ${String(n)}`;
      }),
    );
    metric('crm_chat_http_request_duration_seconds', 'histogram', 'Time to answer an HTTP request.', this.requestSeconds.lines('crm_chat_http_request_duration_seconds'));
    metric('crm_chat_sign_in_refusals_total', 'counter', 'Agent sign-ins refused (bad token or settings), and refused with 429 (too many from one address).', [
      `crm_chat_sign_in_refusals_total${fmtLabels({ reason: 'token' })} ${String(this.signInRefused)}`,
      `crm_chat_sign_in_refusals_total${fmtLabels({ reason: 'rate_limited' })} ${String(this.signInRateLimited)}`,
    ]);
    const size = (f: string) => {
      try {
        return statSync(f).size;
      } catch {
        return 0;
      }
    };
    metric('crm_chat_database_bytes', 'gauge', 'Size of the SQLite database and its write-ahead log.', [
      `crm_chat_database_bytes${fmtLabels({ file: 'db' })} ${String(size(parts.databaseFile))}`,
      `crm_chat_database_bytes${fmtLabels({ file: 'wal' })} ${String(size(`${parts.databaseFile}-wal`))}`,
    ]);
    const mem = process.memoryUsage();
    metric('crm_chat_process_resident_memory_bytes', 'gauge', 'Resident memory of the process.', [`crm_chat_process_resident_memory_bytes ${String(mem.rss)}`]);
    metric('crm_chat_process_heap_used_bytes', 'gauge', 'V8 heap in use.', [`crm_chat_process_heap_used_bytes ${String(mem.heapUsed)}`]);
    metric('crm_chat_event_loop_delay_seconds', 'gauge', 'Event-loop delay since the last scrape (p50, p99, max).', [
      `crm_chat_event_loop_delay_seconds${fmtLabels({ quantile: '0.5' })} ${String(this.loop.percentile(50) / 1e9)}`,
      `crm_chat_event_loop_delay_seconds${fmtLabels({ quantile: '0.99' })} ${String(this.loop.percentile(99) / 1e9)}`,
      `crm_chat_event_loop_delay_seconds${fmtLabels({ quantile: '1' })} ${String(this.loop.max / 1e9)}`,
    ]);
    this.loop.reset();
    out.push(...(parts.extra ?? []));
    return `${out.join('\n')}\n`;
  }
}
