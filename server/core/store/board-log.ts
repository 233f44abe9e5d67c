/**
 * The tenant's row and its board log (`tenants`, `board_events`): the head of the board stream,
 * appending to it and reading it back for a resume. The bottom layer of `TenantStore`
 * (index.ts): it holds the SQL port and the tenant every query is scoped by.
 */
import { BOARD_LOG_RETENTION } from '../../../src/protocol/limits.js';
import type { SqlPort } from '../sql.js';

export interface BoardEventRow {
  seq: number;
  /** (Logs written by protocol version 1 also hold `agent` rows: never read again.) */
  kind: 'session' | 'session-remove';
  channel_id: string | null;
  subject_id: string;
  data: string;
  at: number;
  /**
   * JSON array of agent ids who may see the event besides the members of `channel_id`
   * (handler, transfer target, former handlers); NULL on rows older than migration 2.
   */
  audience: string | null;
}

/** The tenant row and the board log; every layer above reads through {@link db} for {@link tenantId}. */
export class BoardLogStore {
  constructor(
    readonly db: SqlPort,
    readonly tenantId: string,
  ) {}

  tenant():
    | {
        id: string;
        name: string;
        time_zone: string;
        board_epoch: string;
        board_seq: number;
        allowed_origins: string;
        transfer_timeout_ms: number;
        recent_swept_at: number | null;
      }
    | undefined {
    return this.db.get(
      'SELECT id, name, time_zone, board_epoch, board_seq, allowed_origins, transfer_timeout_ms, recent_swept_at FROM tenants WHERE id = ?',
      [this.tenantId],
    );
  }

  setRecentSweptAt(at: number): void {
    this.db.run('UPDATE tenants SET recent_swept_at = ? WHERE id = ?', [at, this.tenantId]);
  }

  boardHead(): { epoch: string; seq: number } {
    const t = this.tenant();
    if (!t) throw new Error(`unknown tenant ${this.tenantId}`);
    return { epoch: t.board_epoch, seq: t.board_seq };
  }

  /** Appends one event to the board log (inside the caller's transaction). */
  appendBoard(
    kind: BoardEventRow['kind'],
    subjectId: string,
    channelId: string | null,
    data: unknown,
    at: number,
    audience: readonly string[] | null = null,
  ): BoardEventRow {
    this.db.run('UPDATE tenants SET board_seq = board_seq + 1 WHERE id = ?', [this.tenantId]);
    const { seq } = this.boardHead();
    const row: BoardEventRow = {
      seq,
      kind,
      channel_id: channelId,
      subject_id: subjectId,
      data: JSON.stringify(data),
      at,
      audience: audience ? JSON.stringify(audience) : null,
    };
    this.db.run('INSERT INTO board_events (tenant_id, seq, kind, channel_id, subject_id, data, at, audience) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      this.tenantId,
      row.seq,
      row.kind,
      row.channel_id,
      row.subject_id,
      row.data,
      row.at,
      row.audience,
    ]);
    if (seq % 500 === 0) {
      this.db.run('DELETE FROM board_events WHERE tenant_id = ? AND seq <= ?', [this.tenantId, seq - BOARD_LOG_RETENTION]);
    }
    return row;
  }

  /**
   * The board events after `afterSeq` that an agent may see (their channels' events and those
   * whose audience names them), in order: the replay of a resume. Undefined when the log no longer
   * holds every event after `afterSeq` (pruned) or when there are more than `limit` of them.
   * Rows before migration 2 (no stored audience) are returned too, for the caller's own check.
   */
  boardEventsFor(afterSeq: number, agentId: string, channelIds: readonly string[], limit: number): BoardEventRow[] | undefined {
    const head = this.boardHead().seq;
    if (afterSeq >= head) return [];
    const kept = this.db.get('SELECT 1 AS x FROM board_events WHERE tenant_id = ? AND seq = ?', [this.tenantId, afterSeq + 1]);
    if (!kept) return undefined;
    const inChannels = channelIds.length > 0 ? `channel_id IN (${channelIds.map(() => '?').join(', ')}) OR ` : '';
    const rows = this.db.all<BoardEventRow>(
      `SELECT seq, kind, channel_id, subject_id, data, at, audience FROM board_events
       WHERE tenant_id = ? AND seq > ? AND kind IN ('session', 'session-remove')
         AND (${inChannels}audience IS NULL OR instr(audience, ?) > 0)
       ORDER BY seq LIMIT ?`,
      [this.tenantId, afterSeq, ...channelIds, JSON.stringify(agentId), limit + 1],
    );
    return rows.length > limit ? undefined : rows;
  }
}
