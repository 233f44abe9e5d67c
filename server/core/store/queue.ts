/**
 * The queue (`sessions` with status `queued`): its order, the next chat to answer, a channel's
 * queue, and the wait warnings due or already given.
 */
import type { SessionRow } from './sessions.js';
import { HandlingStore } from './handling.js';

/**
 * Queue order (issue 18): highest priority first, then oldest. Every query that orders waiting
 * chats uses it (get next, queue positions, automatic assignment).
 */
export const QUEUE_ORDER = "CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'low' THEN 3 ELSE 2 END, created_at, id";

/** The queue and its wait warnings (layer over {@link HandlingStore}). */
export class QueueStore extends HandlingStore {
  /** The next queued session in the given channels: highest priority, then oldest (no lock needed: callers run inside a transaction). */
  oldestQueued(channelIds: readonly string[], agentId?: string): SessionRow | undefined {
    if (channelIds.length === 0) return undefined;
    const marks = channelIds.map(() => '?').join(', ');
    return this.db.get<SessionRow>(
      `SELECT * FROM sessions WHERE tenant_id = ? AND status = 'queued' AND channel_id IN (${marks})
         AND (offer_to IS NULL OR offer_to = ?)
       ORDER BY ${QUEUE_ORDER} LIMIT 1`,
      [this.tenantId, ...channelIds, agentId ?? null],
    );
  }

  queuedInChannel(channelId: string): { id: string }[] {
    return this.db.all<{ id: string }>(
      `SELECT id FROM sessions WHERE tenant_id = ? AND status = 'queued' AND channel_id = ? ORDER BY ${QUEUE_ORDER}`,
      [this.tenantId, channelId],
    );
  }

  /** Queued sessions due (at `now`) for a wait warning at a level not announced yet, with their channel's settings. */
  queuedForWarnings(now: number): (SessionRow & { warn_after_s: number; manager_warn_after_s: number })[] {
    // Only those due at a level not yet warned: a sweep reads what it announces, not the whole queue.
    return this.db.all(
      `SELECT s.*, c.warn_after_s, c.manager_warn_after_s FROM sessions s
       JOIN channels c ON c.tenant_id = s.tenant_id AND c.id = s.channel_id
       WHERE s.tenant_id = ? AND s.status = 'queued'
         AND ((s.warned_level < 1 AND c.warn_after_s > 0 AND COALESCE(s.queued_at, s.created_at) <= ? - c.warn_after_s * 1000)
           OR (s.warned_level < 2 AND c.manager_warn_after_s > 0 AND COALESCE(s.queued_at, s.created_at) <= ? - c.manager_warn_after_s * 1000))
       ORDER BY s.created_at, s.id`,
      [this.tenantId, now, now],
    );
  }

  /** Queued sessions warned at some level already (a console that connects is told again), oldest first. */
  warnedQueued(): Pick<SessionRow, 'id' | 'channel_id' | 'created_at' | 'queued_at' | 'warned_level'>[] {
    return this.db.all(
      "SELECT id, channel_id, created_at, queued_at, warned_level FROM sessions WHERE tenant_id = ? AND status = 'queued' AND warned_level > 0 ORDER BY created_at, id",
      [this.tenantId],
    );
  }

  setWarnedLevel(sessionId: string, level: number): void {
    this.db.run('UPDATE sessions SET warned_level = MAX(warned_level, ?) WHERE tenant_id = ? AND id = ?', [level, this.tenantId, sessionId]);
  }
}
