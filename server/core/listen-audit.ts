/**
 * The listen-in audit (`listen_audit`, migration 3): one row per listen-mode subscription of an
 * agent to a session, opened when the subscription starts and closed when it stops, whatever
 * the reason. Written by the room inside its transactions; read by supervisors over HTTP.
 */
import { randomId } from './auth.js';
import type { SqlPort, SqlValue } from './sql.js';

/** Why the agent could listen: the channel's listen permission, having handled the chat, a pending transfer to them. */
export type ListenVia = 'permission' | 'handled' | 'transfer';

/** Why a listen stopped. */
export type ListenEnd = 'unsubscribed' | 'disconnected' | 'revoked' | 'lost-access' | 'answered' | 'restart';

/** One audit row as the HTTP API returns it. */
export interface ListenAuditEntry {
  id: string;
  agentId: string;
  agentName: string;
  sessionId: string;
  channelId: string;
  via: ListenVia;
  /** Server time the listen started. */
  from: number;
  /** Server time it stopped; null while it goes on. */
  to: number | null;
  endReason: ListenEnd | null;
}

interface AuditRow {
  id: string;
  agent_id: string;
  agent_name: string | null;
  session_id: string;
  channel_id: string;
  via: ListenVia;
  started_at: number;
  ended_at: number | null;
  end_reason: ListenEnd | null;
}

/** At most this many rows per query (newest first). */
export const MAX_AUDIT_ROWS = 1000;

export class ListenAudit {
  constructor(
    private readonly db: SqlPort,
    private readonly tenantId: string,
  ) {}

  /** Opens a row; returns its id (inside the caller's transaction). */
  open(input: { agentId: string; sessionId: string; channelId: string; via: ListenVia; at: number }): string {
    const id = `la_${randomId(12)}`;
    this.db.run(
      'INSERT INTO listen_audit (tenant_id, id, agent_id, session_id, channel_id, via, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [this.tenantId, id, input.agentId, input.sessionId, input.channelId, input.via, input.at],
    );
    return id;
  }

  /** Closes an open row (no-op when already closed). */
  close(id: string, at: number, reason: ListenEnd): void {
    this.db.run('UPDATE listen_audit SET ended_at = ?, end_reason = ? WHERE tenant_id = ? AND id = ? AND ended_at IS NULL', [
      at,
      reason,
      this.tenantId,
      id,
    ]);
  }

  /**
   * Closes every row still open but those in `kept` (a room starting has no listeners yet: rows
   * left open by a crash end at the restart, the first time the server can tell; a unit that takes
   * hibernated sockets back keeps theirs).
   */
  closeAllOpen(at: number, reason: ListenEnd, kept: ReadonlySet<string> = new Set()): void {
    if (kept.size === 0) {
      this.db.run('UPDATE listen_audit SET ended_at = ?, end_reason = ? WHERE tenant_id = ? AND ended_at IS NULL', [at, reason, this.tenantId]);
      return;
    }
    const open = this.db.all<{ id: string }>('SELECT id FROM listen_audit WHERE tenant_id = ? AND ended_at IS NULL', [this.tenantId]);
    for (const row of open) if (!kept.has(row.id)) this.close(row.id, at, reason);
  }

  /**
   * Rows of sessions in `channelIds` (when listened to, or now), optionally of one session, that overlap [from, to]
   * (started at or before `to`, and not ended before `from`); newest first.
   */
  list(filter: { channelIds: readonly string[]; sessionId?: string | undefined; from?: number | undefined; to?: number | undefined }): ListenAuditEntry[] {
    if (filter.channelIds.length === 0) return [];
    const marks = filter.channelIds.map(() => '?').join(', ');
    const params: SqlValue[] = [this.tenantId, ...filter.channelIds, ...filter.channelIds];
    let where = `la.tenant_id = ? AND (la.channel_id IN (${marks}) OR s.channel_id IN (${marks}))`;
    if (filter.sessionId !== undefined) {
      where += ' AND la.session_id = ?';
      params.push(filter.sessionId);
    }
    if (filter.to !== undefined) {
      where += ' AND la.started_at <= ?';
      params.push(filter.to);
    }
    if (filter.from !== undefined) {
      where += ' AND (la.ended_at IS NULL OR la.ended_at >= ?)';
      params.push(filter.from);
    }
    const rows = this.db.all<AuditRow>(
      `SELECT la.id, la.agent_id, a.name AS agent_name, la.session_id, la.channel_id, la.via, la.started_at, la.ended_at, la.end_reason
       FROM listen_audit la
       JOIN sessions s ON s.tenant_id = la.tenant_id AND s.id = la.session_id
       LEFT JOIN agents a ON a.tenant_id = la.tenant_id AND a.id = la.agent_id
       WHERE ${where}
       ORDER BY la.started_at DESC, la.id LIMIT ?`,
      [...params, MAX_AUDIT_ROWS],
    );
    return rows.map((r) => ({
      id: r.id,
      agentId: r.agent_id,
      agentName: r.agent_name ?? '',
      sessionId: r.session_id,
      channelId: r.channel_id,
      via: r.via,
      from: r.started_at,
      to: r.ended_at,
      endReason: r.end_reason,
    }));
  }
}
