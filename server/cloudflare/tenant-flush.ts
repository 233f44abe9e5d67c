/**
 * When the tenant object sends (tenant.ts): its outbox to the conversation objects after every
 * event, the outbox's retry while rows wait, and the room's timers, all on the object's one alarm
 * (alarm-clock.ts) so that they wake an object that left memory.
 *
 * Every event that may commit ends in {@link TenantFlush.soon} (a frame, a close, a request, a
 * report, a timer of the room), so no alarm has to look every second. While rows wait, the alarm
 * is set in the same event as their commit: a crash before the flush leaves it to send them.
 */
import { RECENT_WINDOW_MS } from '../../src/protocol/limits.js';
import type { SqlPort } from '../core/sql.js';
import { AlarmClock } from './alarm-clock.js';
import type { ConversationOutbox } from './outbox.js';
import { workerLog } from './parts.js';

/** When the alarm looks at the outbox again while rows wait (a crash before a flush, a conversation object not reached). */
const OUTBOX_RETRY_MS = 1000;

/** Sessions that keep a periodic sweep worth waking the object for (alarm-clock.ts). */
const SWEEP_WORK: Record<string, string> = {
  'sweep:warnings': "SELECT 1 AS x FROM sessions WHERE tenant_id = ? AND status = 'queued' LIMIT 1",
  'sweep:assignment': "SELECT 1 AS x FROM sessions WHERE tenant_id = ? AND status = 'queued' LIMIT 1",
  'sweep:recent': "SELECT 1 AS x FROM sessions WHERE tenant_id = ? AND status IN ('ended', 'missed') AND ended_at >= ? LIMIT 1",
};

export interface TenantFlushDeps {
  /** Sets the object's alarm. */
  setAlarm(at: number): void;
  /** The tenant (the object's name). */
  tenantId(): string;
  /** The object's database, once it has one. */
  db(): SqlPort | undefined;
  /** The outbox to the conversation objects, once the object has a database. */
  outbox(): ConversationOutbox | undefined;
  /** Keeps the sockets' state with them (hibernation), once the current event is done. */
  keepSockets(): void;
}

export class TenantFlush {
  /** The room's timers and the outbox's retry, woken by the object's alarm. */
  readonly clock: AlarmClock;
  /** The outbox's retry on the clock, while rows wait. */
  private retry: unknown;
  private queued = false;

  constructor(private readonly deps: TenantFlushDeps) {
    this.clock = new AlarmClock({
      setAlarm: (at) => {
        deps.setAlarm(at);
      },
      wanted: (label) => {
        const sql = SWEEP_WORK[label];
        const db = deps.db();
        if (!db) return false;
        if (sql === undefined) return true;
        const tenantId = deps.tenantId();
        return db.get(sql, label === 'sweep:recent' ? [tenantId, Date.now() - RECENT_WINDOW_MS] : [tenantId]) !== undefined;
      },
      after: () => {
        this.soon();
      },
      failed: (label, error) => {
        workerLog.warn('timer.failed', { timer: label ?? 'timer', error: error instanceof Error ? error.name : 'unknown' });
      },
    });
  }

  /** Sends what the room committed, once the current event is done (many frames, one flush). */
  soon(): void {
    if (!this.deps.outbox()) return;
    this.retryWhilePending();
    if (this.queued) return;
    this.queued = true;
    setTimeout(() => {
      this.queued = false;
      // Sweeps that did not wake the object run at its next event.
      this.clock.run();
      this.deps.keepSockets();
      void this.flush();
    }, 0);
  }

  /** Sends what waits in the outbox now, if anything does (before a write is carried, before a request that changed chats answers). */
  async drain(): Promise<void> {
    if ((this.deps.outbox()?.pending() ?? 0) > 0) await this.flush();
  }

  /** Sends the outbox; rows not acknowledged stay, and the retry tries again (also after this object was evicted: the alarm). */
  async flush(): Promise<void> {
    const outbox = this.deps.outbox();
    try {
      await outbox?.flush();
      if ((outbox?.pending() ?? 0) === 0) {
        this.clock.clearTimeout(this.retry);
        this.retry = undefined;
      }
    } catch (error) {
      workerLog.warn('outbox.retry', { error: error instanceof Error ? error.message : String(error) });
    }
    this.retryWhilePending();
  }

  /** While rows wait, a retry on the clock (the alarm), set in the event that committed them: a crash before the flush leaves it. */
  private retryWhilePending(): void {
    if (this.retry !== undefined || (this.deps.outbox()?.pending() ?? 0) === 0) return;
    this.retry = this.clock.setTimeout(
      () => {
        this.retry = undefined;
        void this.flush();
      },
      OUTBOX_RETRY_MS,
      'outbox',
    );
  }
}
