/**
 * Who handles a session and how it changes hands (the directory's lifecycle columns of `sessions`
 * and the history in `session_agents`): answer, end, return, hand over, requeue, transfers, the
 * agents bound to a session and the bindings no longer allowed.
 */
import type { SessionRow } from './sessions.js';
import { SessionStore } from './sessions.js';

/** Why an agent stopped handling a session (`session_agents.ended_reason`). */
export type HandlingEnd = 'ended' | 'transferred' | 'taken-over' | 'requeued';

/**
 * Columns of what belongs to the handling agent's time with a chat (migration 11: the request for
 * help, the hold): cleared whenever the chat ends or changes hands ({@link HandlingStore.finish},
 * {@link HandlingStore.handOver}, {@link HandlingStore.requeue}).
 */
const HANDLER_STATE_RESET = 'help_at = NULL, help_by = NULL, help_note = NULL, held_at = NULL';

/** Handling: lifecycle moves, transfers and the handling history (layer over {@link SessionStore}). */
export class HandlingStore extends SessionStore {
  /** Moves a queued session to active for `agentId`. False when someone else was first. */
  assign(sessionId: string, agentId: string, at: number): boolean {
    const ok =
      this.db.run(
        `UPDATE sessions SET status = 'active', agent_id = ?, accepted_at = ?, last_activity_at = ?
         WHERE tenant_id = ? AND id = ? AND status = 'queued'`,
        [agentId, at, at, this.tenantId, sessionId],
      ).changes === 1;
    if (ok) this.startHandling(sessionId, agentId, at);
    return ok;
  }

  /**
   * A customer returns to an ended session (journey): back to `agentId` (active) or to the queue
   * (no agent). The earlier end stays in the transcript; `returned_at` records the return.
   */
  reopen(sessionId: string, agentId: string | undefined, at: number): boolean {
    const ok =
      this.db.run(
        `UPDATE sessions SET status = ?, agent_id = ?, accepted_at = CASE WHEN ? IS NULL THEN NULL ELSE ? END, queued_at = ?, warned_level = 0,
           ended_at = NULL, ended_by = NULL, last_activity_at = ?, returned_at = ?
         WHERE tenant_id = ? AND id = ? AND status IN ('ended', 'missed')`,
        [agentId ? 'active' : 'queued', agentId ?? null, agentId ?? null, at, at, at, at, this.tenantId, sessionId],
      ).changes === 1;
    if (ok && agentId) this.startHandling(sessionId, agentId, at);
    return ok;
  }

  /** Ends a session (a pending transfer goes with it; the handler's record is closed). */
  finish(sessionId: string, status: 'ended' | 'missed', by: string, at: number): boolean {
    const ok =
      this.db.run(
        `UPDATE sessions SET status = ?, ended_at = ?, ended_by = ?, last_activity_at = ?, transfer_to = NULL, transfer_from = NULL,
           transfer_note = NULL, transfer_at = NULL, transfer_expires_at = NULL, ${HANDLER_STATE_RESET}
         WHERE tenant_id = ? AND id = ? AND status IN ('queued', 'active')`,
        [status, at, by, at, this.tenantId, sessionId],
      ).changes === 1;
    if (ok) {
      this.db.run('UPDATE session_agents SET ended_at = ?, ended_reason = ? WHERE tenant_id = ? AND session_id = ? AND ended_at IS NULL', [
        at,
        'ended',
        this.tenantId,
        sessionId,
      ]);
    }
    return ok;
  }

  /** Gives an active session to another agent (transfer accepted, takeover); clears any transfer. */
  handOver(sessionId: string, fromAgentId: string, toAgentId: string, at: number): boolean {
    return (
      this.db.run(
        `UPDATE sessions SET agent_id = ?, last_activity_at = ?, transfer_to = NULL, transfer_from = NULL, transfer_note = NULL,
           transfer_at = NULL, transfer_expires_at = NULL, ${HANDLER_STATE_RESET}
         WHERE tenant_id = ? AND id = ? AND status = 'active' AND agent_id = ?`,
        [toAgentId, at, this.tenantId, sessionId, fromAgentId],
      ).changes === 1
    );
  }

  /** Puts a queued or active session (back) into a channel's queue; it keeps its place by `created_at`. */
  requeue(sessionId: string, channelId: string, at: number): boolean {
    return (
      this.db.run(
        `UPDATE sessions SET status = 'queued', channel_id = ?, agent_id = NULL, accepted_at = NULL, queued_at = ?, warned_level = 0,
           last_activity_at = ?, transfer_to = NULL, transfer_from = NULL, transfer_note = NULL, transfer_at = NULL, transfer_expires_at = NULL,
           ${HANDLER_STATE_RESET}
         WHERE tenant_id = ? AND id = ? AND status IN ('queued', 'active')`,
        [channelId, at, at, this.tenantId, sessionId],
      ).changes === 1
    );
  }

  /** Offers an active session to another agent; false when a transfer is already pending. */
  setTransfer(sessionId: string, t: { from: string; to: string; note: string | undefined; at: number; expiresAt: number }): boolean {
    return (
      this.db.run(
        `UPDATE sessions SET transfer_to = ?, transfer_from = ?, transfer_note = ?, transfer_at = ?, transfer_expires_at = ?
         WHERE tenant_id = ? AND id = ? AND status = 'active' AND transfer_to IS NULL`,
        [t.to, t.from, t.note ?? null, t.at, t.expiresAt, this.tenantId, sessionId],
      ).changes === 1
    );
  }

  /** Clears the pending transfer; false when there was none. */
  clearTransfer(sessionId: string): boolean {
    return (
      this.db.run(
        `UPDATE sessions SET transfer_to = NULL, transfer_from = NULL, transfer_note = NULL, transfer_at = NULL, transfer_expires_at = NULL
         WHERE tenant_id = ? AND id = ? AND transfer_to IS NOT NULL`,
        [this.tenantId, sessionId],
      ).changes === 1
    );
  }

  /** Sessions with a pending transfer (to schedule their expiry after a restart). */
  pendingTransfers(): { id: string; transfer_expires_at: number }[] {
    return this.db.all('SELECT id, transfer_expires_at FROM sessions WHERE tenant_id = ? AND transfer_to IS NOT NULL', [this.tenantId]);
  }

  /**
   * Sessions an agent is bound to in the directory: active ones they handle, and those with a
   * transfer offered to them (what goes back or is cancelled when they can no longer work).
   */
  boundTo(agentId: string): SessionRow[] {
    return this.db.all<SessionRow>(
      "SELECT * FROM sessions WHERE tenant_id = ? AND ((status = 'active' AND agent_id = ?) OR transfer_to = ?) ORDER BY created_at, id",
      [this.tenantId, agentId, agentId],
    );
  }

  /**
   * Agents bound to a session (handling it, or offered it) who may not work there any more:
   * disabled or deleted, or neither `respond` nor `manager` in its channel. Pairs of agent and
   * session; normally none (the room releases them at once), but a change written while no room
   * ran (the CLI) is found here when the room starts.
   */
  unfitBindings(): { agent_id: string; session_id: string }[] {
    return this.db.all(
      `SELECT a.id AS agent_id, s.id AS session_id FROM sessions s
       JOIN agents a ON a.tenant_id = s.tenant_id AND ((s.status = 'active' AND a.id = s.agent_id) OR a.id = s.transfer_to)
       LEFT JOIN agent_channels ac ON ac.tenant_id = s.tenant_id AND ac.agent_id = a.id AND ac.channel_id = s.channel_id
       WHERE s.tenant_id = ? AND (a.disabled_at IS NOT NULL OR a.deleted_at IS NOT NULL OR ac.agent_id IS NULL OR (ac.can_respond = 0 AND ac.manager = 0))`,
      [this.tenantId],
    );
  }

  /**
   * Agents who may see a session besides its channel's members: the handler, the target of a
   * pending transfer and everyone who handled it before (sorted, without duplicates).
   */
  relatedAgents(row: SessionRow): string[] {
    const ids = new Set(this.formerHandlers(row.id));
    if (row.agent_id) ids.add(row.agent_id);
    if (row.transfer_to) ids.add(row.transfer_to);
    return [...ids].sort();
  }

  /** Agents who ever handled the session (including the current handler). */
  formerHandlers(sessionId: string): string[] {
    return this.db
      .all<{ agent_id: string }>('SELECT DISTINCT agent_id FROM session_agents WHERE tenant_id = ? AND session_id = ?', [this.tenantId, sessionId])
      .map((r) => r.agent_id);
  }

  /** True when the agent handled this session at some time (now or before). */
  handled(sessionId: string, agentId: string): boolean {
    return (
      this.db.get('SELECT 1 AS x FROM session_agents WHERE tenant_id = ? AND session_id = ? AND agent_id = ? LIMIT 1', [this.tenantId, sessionId, agentId]) !==
      undefined
    );
  }

  /** Records that `agentId` starts handling the session now. */
  startHandling(sessionId: string, agentId: string, at: number): void {
    this.db.run(
      `INSERT INTO session_agents (tenant_id, session_id, agent_id, started_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (tenant_id, session_id, agent_id, started_at) DO UPDATE SET ended_at = NULL, ended_reason = NULL`,
      [this.tenantId, sessionId, agentId, at],
    );
  }

  /** Closes the open handling record of `agentId` (if any). */
  stopHandling(sessionId: string, agentId: string, at: number, reason: HandlingEnd): void {
    this.db.run(
      'UPDATE session_agents SET ended_at = ?, ended_reason = ? WHERE tenant_id = ? AND session_id = ? AND agent_id = ? AND ended_at IS NULL',
      [at, reason, this.tenantId, sessionId, agentId],
    );
  }

  /** The handling history of a session, oldest first. */
  handlingHistory(sessionId: string): { agent_id: string; started_at: number; ended_at: number | null; ended_reason: HandlingEnd | null }[] {
    return this.db.all(
      'SELECT agent_id, started_at, ended_at, ended_reason FROM session_agents WHERE tenant_id = ? AND session_id = ? ORDER BY started_at, agent_id',
      [this.tenantId, sessionId],
    );
  }
}
