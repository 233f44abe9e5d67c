/**
 * Priority and response-time targets (issue 18), directory side.
 *
 * - **Priority.** A new chat gets the priority of the first of its channel's rules on the
 *   pre-chat fields that matches, else the channel's default (`sessions.priority_by`: `rule`,
 *   `channel`). The handling agent, or a manager of the channel, changes it with a `priority`
 *   frame (`priority_by`: their id). Waiting chats are answered highest priority first, then
 *   oldest (`QUEUE_ORDER` in store/queue.ts: get next, queue positions, automatic assignment).
 * - **Targets.** Per channel, the first answer is due `first_response_s` after the chat started,
 *   each next answer `next_response_s` after the customer's message it answers (0: no target).
 *   The wait is tracked on the session (`waiting_since`, `response_due_at`): it starts with the
 *   chat, and again with a customer's message when nobody waits yet; a message of the handling
 *   agent that the customer sees (not a note or whisper) ends it and stores the answer in
 *   `response_times` (waited, and the target of that wait) for the statistics. The due time is
 *   fixed when the wait starts: a later change of the channel's target applies to the next wait.
 *
 * The board carries both (`SessionSummary.priority`, `.response`); the response also travels in
 * `activity`, since messages move it.
 */
import type { PriorityFrame } from '../../../src/protocol/client-frames.js';
import type { ChannelTargets, ChatPriority, RuleInput } from '../../../src/protocol/priority.js';
import { DEFAULT_TARGETS, initialPriority } from '../../../src/protocol/priority.js';
import { targetsOf } from '../provisioning/routing.js';
import { handlerOrManager, SessionAction } from './session-action.js';
import type { ConnState } from './types.js';
import { Refusal } from './types.js';

export class Priorities extends SessionAction {
  /** The channel's priority settings and targets (defaults for an unknown channel). */
  targets(channelId: string): ChannelTargets {
    const row = this.store.db.get<{ default_priority: string; priority_rules: string; first_response_s: number; next_response_s: number }>(
      'SELECT default_priority, priority_rules, first_response_s, next_response_s FROM channels WHERE tenant_id = ? AND id = ?',
      [this.ctx.tenantId, channelId],
    );
    return row ? targetsOf(row) : DEFAULT_TARGETS;
  }

  /** A chat starts at `at`: its priority (rules, else the default) and when its first answer is due. */
  atStart(channelId: string, input: RuleInput, at: number): { priority: { value: ChatPriority; by: string }; firstResponseDue: number | undefined } {
    const t = this.targets(channelId);
    const p = initialPriority(t, input);
    return { priority: { value: p.priority, by: p.by }, firstResponseDue: t.firstResponseSeconds > 0 ? at + t.firstResponseSeconds * 1000 : undefined };
  }

  /**
   * `priority`: the handling agent of an active chat, or a manager of its channel while it is
   * queued or active. Unchanged: nothing happens. A waiting chat's new place in the queue reaches
   * its channel's waiting customers, and automatic assignment offers in the new order.
   */
  set(state: ConnState, frame: PriorityFrame): { sessionId: string; priority: ChatPriority } {
    const { access, session } = this.target(state, frame.sessionId, handlerOrManager, 'only the handling agent or a manager of this channel can set the priority');
    if (session.status !== 'queued' && session.status !== 'active') throw new Refusal('session_closed', 'the chat has ended');
    const result = { sessionId: session.id, priority: frame.priority };
    if (session.priority === frame.priority) return result;
    const sql = "UPDATE sessions SET priority = ?, priority_by = ?, priority_at = ? WHERE tenant_id = ? AND id = ? AND status IN ('queued', 'active')";
    this.change(sql, [frame.priority, access.agent.id, this.ctx.now(), this.ctx.tenantId, session.id], (after) => {
      this.dir.board.sessionChanged(session.id, after);
      if (session.status === 'queued') {
        after.push(() => {
          this.dir.queuePositions(session.channel_id);
        });
      }
    });
    this.ctx.log.info('priority.set', { channel: session.channel_id });
    return result;
  }

  /**
   * Inside the transaction of a message the customer sees: the customer's starts a wait when none
   * runs (due after the channel's first or next target); the handling agent's ends the wait and
   * records the answer.
   */
  message(sessionId: string, from: 'customer' | 'agent', at: number): void {
    const { db } = this.store;
    const t = this.ctx.tenantId;
    const row = this.store.session(sessionId);
    if (!row || (row.status !== 'queued' && row.status !== 'active')) return;
    const since = row.waiting_since;
    const answered = typeof row.first_response_at === 'number';
    if (from === 'customer') {
      if (typeof since === 'number') return; // the earlier unanswered message is the one the target counts from
      const targets = this.targets(row.channel_id);
      const seconds = answered ? targets.nextResponseSeconds : targets.firstResponseSeconds;
      db.run('UPDATE sessions SET waiting_since = ?, response_due_at = ? WHERE tenant_id = ? AND id = ?', [at, seconds > 0 ? at + seconds * 1000 : null, t, sessionId]);
      return;
    }
    if (typeof since !== 'number') return;
    const targetMs = typeof row.response_due_at === 'number' ? row.response_due_at - since : 0;
    db.run('INSERT INTO response_times (tenant_id, session_id, channel_id, kind, waited_ms, target_ms, at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      t,
      sessionId,
      row.channel_id,
      answered ? 'next' : 'first',
      Math.max(0, at - since),
      targetMs,
      at,
    ]);
    db.run('UPDATE sessions SET waiting_since = NULL, response_due_at = NULL, first_response_at = COALESCE(first_response_at, ?) WHERE tenant_id = ? AND id = ?', [
      at,
      t,
      sessionId,
    ]);
  }
}
