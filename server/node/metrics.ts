/**
 * `GET /metrics` of the Node host: the Prometheus text (server/core/prometheus.ts writes the
 * format and the rooms' figures). Only with `--metrics-key`, for callers that send it as
 * `Authorization: Bearer KEY` (server/core/http/router.ts, auth `metrics-key`).
 *
 * The host's own figures live here (HTTP requests, sign-in refusals, process and database); the
 * rooms' (frames, messages, ack latency, commits, inbox, refusals) come from the process's one
 * {@link RoomMetrics}, and the chats waiting per channel from the database, at scrape time.
 */
import { statSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

import { Exposition, HttpRefusals, roomMetrics, runningRooms } from '../core/prometheus.js';
import { Histogram, type ChatRoom, type RoomMetrics } from '../core/room/index.js';
import type { SqlPort } from '../core/sql.js';

/** The figures the HTTP side counts as it goes. */
export class HostMetrics {
  /** Requests by method and status class (`2xx` …). */
  readonly requests = new Map<string, number>();
  /** Time to answer a request, ms. */
  readonly requestMs = new Histogram([1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000]);
  /** Refusals of the HTTP side (chat starts, sign-ins). */
  readonly refusals = new HttpRefusals();
  readonly started = Date.now();
  private readonly loop = monitorEventLoopDelay({ resolution: 20 });

  constructor() {
    this.loop.enable();
  }

  request(method: string, status: number, seconds: number): void {
    const key = `${method}\n${String(Math.floor(status / 100))}xx`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    this.requestMs.record(seconds * 1000);
  }

  stop(): void {
    this.loop.disable();
  }

  /** The exposition text. */
  render(parts: {
    /** The rooms that run. */
    rooms: ReadonlyMap<string, ChatRoom>;
    /** What every room counts, added up. */
    room: RoomMetrics;
    /** The database (chats waiting per channel) and its file. */
    db: SqlPort;
    databaseFile: string;
    now: number;
  }): string {
    const size = (f: string) => {
      try {
        return statSync(f).size;
      } catch {
        return 0;
      }
    };
    const mem = process.memoryUsage();
    const x = new Exposition().single('crm_chat_up_seconds', 'gauge', 'Seconds since the server started.', (Date.now() - this.started) / 1000);
    runningRooms(x, parts.db, parts.rooms, parts.now);
    roomMetrics(x, parts.room, this.refusals.byReason)
      .metric(
        'crm_chat_http_requests_total',
        'counter',
        'HTTP requests answered, by method and status class.',
        [...this.requests].map(([key, n]) => {
          const [method = '', status = ''] = key.split('\n');
          return [{ method, status }, n] as const;
        }),
      )
      .histogram('crm_chat_http_request_duration_seconds', 'Time to answer an HTTP request.', this.requestMs);
    this.refusals
      .lines(x)
      .metric('crm_chat_database_bytes', 'gauge', 'Size of the SQLite database and its write-ahead log.', [
        [{ file: 'db' }, size(parts.databaseFile)],
        [{ file: 'wal' }, size(`${parts.databaseFile}-wal`)],
      ])
      .single('crm_chat_process_resident_memory_bytes', 'gauge', 'Resident memory of the process.', mem.rss)
      .single('crm_chat_process_heap_used_bytes', 'gauge', 'V8 heap in use.', mem.heapUsed)
      .metric('crm_chat_event_loop_delay_seconds', 'gauge', 'Event-loop delay since the last scrape (p50, p99, max).', [
        [{ quantile: '0.5' }, this.loop.percentile(50) / 1e9],
        [{ quantile: '0.99' }, this.loop.percentile(99) / 1e9],
        [{ quantile: '1' }, this.loop.max / 1e9],
      ]);
    this.loop.reset();
    return x.text();
  }
}
