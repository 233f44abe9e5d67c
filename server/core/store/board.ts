/**
 * What an agent's board lists (their channels' sessions, those they handle, handled or are
 * offered, within the recent window), message search over the same sessions, the snapshot, the
 * sessions whose activity a console shows, and those that left the recent window.
 */
import type { BoardSnapshot } from '../../../src/protocol/index.js';
import { RECENT_WINDOW_MS } from '../../../src/protocol/limits.js';
import type { SqlValue } from '../sql.js';
import { QueueStore } from './queue.js';
import type { SessionRow } from './sessions.js';

/** What an agent's board lists (params: {@link BoardStore.boardParams}); search keeps its WHERE in step. */
const BOARD_SESSIONS = `FROM sessions s
       WHERE s.tenant_id = ?
         AND (s.agent_id = ? OR s.transfer_to = ?
              OR s.channel_id IN (SELECT channel_id FROM agent_channels WHERE tenant_id = ? AND agent_id = ?)
              OR EXISTS (SELECT 1 FROM session_agents sa WHERE sa.tenant_id = s.tenant_id AND sa.session_id = s.id AND sa.agent_id = ?))
         AND (s.status IN ('queued', 'active') OR s.ended_at >= ?)
       ORDER BY s.last_activity_at DESC, s.id`;

/** Board queries (layer over {@link QueueStore}). */
export class BoardStore extends QueueStore {
  /**
   * Sessions an agent's board shows: those of their channels, those they handle, handled before
   * or are offered by a pending transfer; queued and active ones, and those that ended within
   * the recent window.
   */
  boardSessions(agentId: string, now: number): SessionRow[] {
    return this.db.all<SessionRow>(`SELECT s.* ${BOARD_SESSIONS}`, this.boardParams(agentId, now));
  }

  /** The ids of {@link boardSessions}, in its order (the room's snapshot serialises from its own cache). */
  boardSessionIds(agentId: string, now: number): string[] {
    return this.db.all<{ id: string }>(`SELECT s.id ${BOARD_SESSIONS}`, this.boardParams(agentId, now)).map((r) => r.id);
  }

  private boardParams(agentId: string, now: number): SqlValue[] {
    return [this.tenantId, agentId, agentId, this.tenantId, agentId, agentId, now - RECENT_WINDOW_MS];
  }

  /**
   * Message text search (`search` frame): ids of the sessions {@link boardSessions} would list
   * for the agent (the same visibility and recent window; keep the two WHERE clauses in step)
   * that have a text or note containing `query`. `LIKE` with `%` `_` `\` escaped; SQLite folds
   * case for ASCII only, so the lower-case, upper-case and capitalised forms of the query are
   * tried too (Swedish å ä ö). Newest activity first, at most `limit`.
   */
  searchSessions(agentId: string, query: string, now: number, limit: number): string[] {
    const escaped = query.replace(/[\\%_]/g, (c) => `\\${c}`);
    const forms = new Set([escaped, escaped.toLowerCase(), escaped.toUpperCase(), escaped.charAt(0).toUpperCase() + escaped.slice(1).toLowerCase()]);
    const patterns = [...forms].map((f) => `%${f}%`);
    const likes = patterns.map(() => "m.text LIKE ? ESCAPE '\\'").join(' OR ');
    return this.db
      .all<{ id: string }>(
        `SELECT s.id FROM sessions s
         WHERE s.tenant_id = ?
           AND (s.agent_id = ? OR s.transfer_to = ?
                OR s.channel_id IN (SELECT channel_id FROM agent_channels WHERE tenant_id = ? AND agent_id = ?)
                OR EXISTS (SELECT 1 FROM session_agents sa WHERE sa.tenant_id = s.tenant_id AND sa.session_id = s.id AND sa.agent_id = ?))
           AND (s.status IN ('queued', 'active') OR s.ended_at >= ?)
           AND EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = s.tenant_id AND m.session_id = s.id
                       AND m.kind IN ('text', 'note') AND (${likes}))
         ORDER BY s.last_activity_at DESC, s.id
         LIMIT ?`,
        [this.tenantId, agentId, agentId, this.tenantId, agentId, agentId, now - RECENT_WINDOW_MS, ...patterns, limit],
      )
      .map((r) => r.id);
  }

  boardSnapshot(agentId: string, now: number, online: (agentId: string) => boolean): BoardSnapshot {
    const head = this.boardHead();
    return {
      epoch: head.epoch,
      seq: head.seq,
      serverTime: now,
      sessions: this.boardSessions(agentId, now).map((r) => this.summary(r)),
      agents: this.agentInfos(online),
      channels: this.channels(),
    };
  }

  /**
   * Sessions a board shows whose summary names the agent (handler, transfer, offer, help, return):
   * open, or ended within the recent window. What a change of the agent's name changes.
   */
  naming(agentId: string, now: number): string[] {
    return this.db
      .all<{ id: string }>(
        `SELECT id FROM sessions WHERE tenant_id = ?
           AND (agent_id = ? OR transfer_from = ? OR transfer_to = ? OR offer_to = ? OR help_by = ? OR return_by = ?)
           AND (status IN ('queued', 'active') OR ended_at >= ?)
         ORDER BY created_at, id`,
        [this.tenantId, agentId, agentId, agentId, agentId, agentId, agentId, now - RECENT_WINDOW_MS],
      )
      .map((r) => r.id);
  }

  /**
   * Sessions whose activity a console shows without following them: queued in the given channels,
   * or active and handled by the agent (what a board resumed by replay is sent fresh).
   */
  activityView(agentId: string, channelIds: readonly string[]): SessionRow[] {
    const inChannels = channelIds.length > 0 ? `(status = 'queued' AND channel_id IN (${channelIds.map(() => '?').join(', ')})) OR ` : '';
    return this.db.all<SessionRow>(`SELECT * FROM sessions WHERE tenant_id = ? AND (${inChannels}(status = 'active' AND agent_id = ?)) ORDER BY created_at, id`, [
      this.tenantId,
      ...channelIds,
      agentId,
    ]);
  }

  /** Sessions whose `ended_at` lies in [from, to): they left the recent window between two sweeps. */
  endedBetween(from: number, to: number): SessionRow[] {
    return this.db.all<SessionRow>(
      "SELECT * FROM sessions WHERE tenant_id = ? AND status IN ('ended', 'missed') AND ended_at >= ? AND ended_at < ? ORDER BY ended_at, id",
      [this.tenantId, from, to],
    );
  }
}
