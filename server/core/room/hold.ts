/**
 * Hold and return to queue (issue 18), directory side.
 *
 * - **Hold** (`hold {on: true}`): the handling agent parks an active chat. It stays theirs
 *   (`sessions.held_at`, migration 11) but no longer counts against their capacity (the store's
 *   `activeChatCount` leaves held chats out), so they can answer another one. The customer is told
 *   (`held`, an event both sides see; the widget says it in the customer's language). Only the same
 *   agent resumes it (`hold {on: false}`), capacity permitting (`at_capacity` otherwise); the
 *   customer is told again (`resumed`). A takeover, a transfer, a return to the queue or the end
 *   clears the hold with the handler's other state.
 * - **Return to queue** (`requeue {reason}`): the handling agent (or a manager of the channel)
 *   sends the chat back to its channel's queue with a reason. The reason is stored on the session
 *   (`return_reason`, `return_by`, `return_at`) and travels in its summary (`returned`), so the
 *   next agent sees it on the waiting row and in the chat after answering; agents also see it in
 *   the `requeued` event (`meta.note`). The move itself is {@link Transfers.toChannel}'s.
 */
import type { HoldFrame, RequeueFrame } from '../../../src/protocol/client-frames.js';
import type { Directory } from './directory.js';
import type { ConversationPort } from './ports.js';
import { handlerOrManager, SessionAction } from './session-action.js';
import type { ConnState, RoomContext } from './types.js';
import { Refusal } from './types.js';

export class Hold extends SessionAction {
  constructor(
    ctx: RoomContext,
    dir: Directory,
    private readonly conversation: ConversationPort,
  ) {
    super(ctx, dir);
  }

  /** `hold`: puts the caller's active chat on hold (`on`) or resumes it. Idempotent. */
  set(state: ConnState, frame: HoldFrame): { sessionId: string; heldAt?: number } {
    const { access, session } = this.target(
      state,
      frame.sessionId,
      (t) => t.mine,
      frame.on ? 'only the handling agent can put this chat on hold' : 'only the agent who put the chat on hold can resume it',
    );
    if (session.status !== 'active') throw new Refusal('session_closed', 'the chat is not active');
    const held = typeof session.held_at === 'number';
    if (frame.on === held) return { sessionId: session.id, ...(held ? { heldAt: session.held_at ?? undefined } : {}) };
    const me = this.store.agent(access.agent.id) ?? access.agent;
    if (!frame.on && this.store.activeChatCount(me.id) >= me.max_concurrent_chats) {
      throw new Refusal('at_capacity', `you already handle ${String(me.max_concurrent_chats)} chats; end one or put one on hold first`);
    }
    const at = this.ctx.now();
    const sql = `UPDATE sessions SET held_at = ?, last_activity_at = ? WHERE tenant_id = ? AND id = ? AND status = 'active' AND agent_id = ? AND held_at IS ${frame.on ? '' : 'NOT '}NULL`;
    this.change(sql, [frame.on ? at : null, at, this.ctx.tenantId, session.id, me.id], (after) => {
      if (frame.on) this.conversation.appendSystem(session.id, 'held', `${me.name} put the chat on hold`, at, after, me.name);
      else this.conversation.appendSystem(session.id, 'resumed', `${me.name} is back in the chat`, at, after, me.name);
      this.dir.board.sessionChanged(session.id, after);
      // Load changed: the roster and availability follow.
      this.dir.agentChanged(me.id, after);
    });
    return { sessionId: session.id, ...(frame.on ? { heldAt: at } : {}) };
  }

  /** `requeue`: back to the chat's own queue, with a reason for the next agent. */
  requeue(state: ConnState, frame: RequeueFrame): { sessionId: string } {
    const { access, session } = this.target(state, frame.sessionId, handlerOrManager, 'only the handling agent or a manager of this channel can return this chat to the queue');
    if (session.status === 'ended' || session.status === 'missed') throw new Refusal('session_closed', 'the chat has ended');
    if (session.status !== 'active') throw new Refusal('invalid', 'the chat already waits in the queue');
    const reason = frame.reason.trim();
    const by = access.agent.id;
    this.dir.transfers.toChannel(access, session, session.channel_id, reason, (at) => {
      this.store.db.run('UPDATE sessions SET return_reason = ?, return_by = ?, return_at = ? WHERE tenant_id = ? AND id = ?', [
        reason,
        by,
        at,
        this.ctx.tenantId,
        session.id,
      ]);
    });
    return { sessionId: session.id };
  }
}
