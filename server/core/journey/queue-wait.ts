/**
 * The expected wait a queued customer is shown, from the channel's recent waiting times: the
 * average wait (entering the queue → an agent joining) of the channel's last 20 answered chats of
 * the past 24 hours, times the rounds of answers ahead of this customer (their position divided
 * by the agents who may answer now, rounded up). No recent answers: no estimate.
 */
import type { SqlPort } from '../sql.js';

const WINDOW_MS = 24 * 60 * 60 * 1000;
const SAMPLES = 20;

/** Average wait of the channel's recent answers (ms), or undefined without any. */
export function recentAverageWaitMs(db: SqlPort, tenantId: string, channelId: string, now: number): number | undefined {
  const row = db.get<{ avg: number | null }>(
    `SELECT AVG(accepted_at - queued_at) AS avg FROM (
       SELECT accepted_at, queued_at FROM sessions
       WHERE tenant_id = ? AND channel_id = ? AND accepted_at IS NOT NULL AND queued_at IS NOT NULL AND accepted_at >= ? AND accepted_at >= queued_at
       ORDER BY accepted_at DESC LIMIT ${String(SAMPLES)})`,
    [tenantId, channelId, now - WINDOW_MS],
  );
  return row?.avg === null || row?.avg === undefined ? undefined : Math.round(row.avg);
}

/** The expected wait at `position` (1 = next) with `agents` who may answer now. */
export function expectedWaitMs(averageMs: number | undefined, position: number, agents: number): number | undefined {
  if (averageMs === undefined || position < 1) return undefined;
  return averageMs * Math.ceil(position / Math.max(1, agents));
}
