/**
 * Ask for help (issue 18), directory side: the handling agent raises a flag on an active chat;
 * the channel's supervisors (listen or manager permission) see it on their board (the session
 * summary's `help`, with the time it was raised) and can listen, whisper or take over. The flag
 * is stored on the session (migration 11), so it survives a restart, and it clears when:
 *
 * - the agent lowers it, or a supervisor lowers it (`help {on: false}`);
 * - a supervisor opens the chat (subscribes to its stream: listening, or a manager joining) or
 *   whispers to the agent in it;
 * - the chat ends or leaves the agent (takeover, transfer, back to the queue): the store clears
 *   it with the handler's other state (`HANDLER_STATE_RESET`), and the event of that change says
 *   why.
 *
 * Every change is one transaction with an agent-only event (`help-requested`, `help-cleared`)
 * and a board event; the customer never hears of it.
 */
import type { HelpFrame } from '../../../src/protocol/client-frames.js';
import type { EventMeta } from '../../../src/protocol/index.js';
import type { AgentAccess, SessionRow } from '../store/index.js';
import type { Directory } from './directory.js';
import type { ConversationPort } from './ports.js';
import { SessionAction } from './session-action.js';
import type { ConnState, RoomContext } from './types.js';
import { Refusal } from './types.js';

/** A supervisor of a channel: may listen in (and so whisper), or manages it (and so may take over). */
export function isSupervisor(access: AgentAccess | undefined, channelId: string): boolean {
  const perm = access?.channels.get(channelId);
  return perm !== undefined && (perm.listen || perm.manager);
}

export class Help extends SessionAction {
  constructor(
    ctx: RoomContext,
    dir: Directory,
    private readonly conversation: ConversationPort,
  ) {
    super(ctx, dir);
  }

  /** `help`: raise (the handling agent) or lower (the handling agent or a supervisor) the flag. */
  set(state: Pick<ConnState, 'access'>, frame: HelpFrame): { sessionId: string; at?: number } {
    const { access, session, mine } = this.target(
      state,
      frame.sessionId,
      (t) => t.mine || isSupervisor(t.access, t.session.channel_id),
      'only the handling agent or a supervisor of this channel can do this',
    );
    if (!frame.on) {
      this.clear(session, access, mine ? 'lowered' : 'answered');
      return { sessionId: session.id };
    }
    if (!mine) throw new Refusal('forbidden', 'only the handling agent can ask for help in this chat');
    if (session.status !== 'active') throw new Refusal('session_closed', 'the chat is not active');
    const note = frame.note?.trim() ? frame.note.trim() : null;
    const me = this.store.agent(access.agent.id) ?? access.agent;
    // Raised again: the note is replaced, the waiting time keeps counting from the first time.
    const at = typeof session.help_at === 'number' ? session.help_at : this.ctx.now();
    const sql = `UPDATE sessions SET help_at = ?, help_by = ?, help_note = ?
         WHERE tenant_id = ? AND id = ? AND status = 'active' AND agent_id = ?`;
    this.change(sql, [at, me.id, note, this.ctx.tenantId, session.id, me.id], (after) => {
      const meta: EventMeta = { fromAgentId: me.id, fromAgentName: me.name, ...(note !== null ? { note } : {}) };
      this.conversation.appendSystem(session.id, 'help-requested', `${me.name} asked for help`, this.ctx.now(), after, me.name, meta);
      this.dir.board.sessionChanged(session.id, after);
    });
    this.ctx.log.info('help.raised', { channel: session.channel_id });
    return { sessionId: session.id, at };
  }

  /**
   * A supervisor opened the chat (subscribed to its stream) or whispered in it while its agent
   * waits for help: the flag clears, and the agent sees who came. Called once the subscription
   * is allowed, before its snapshot is made (conversation.ts), so the supervisor's snapshot
   * already shows the request answered.
   */
  joined(sessionId: string, agentId: string): void {
    const session = this.store.session(sessionId);
    if (typeof session?.help_at !== 'number' || session.agent_id === agentId) return;
    const access = this.store.access(agentId);
    if (!access || !isSupervisor(access, session.channel_id)) return;
    this.clear(session, access, 'joined');
  }

  /** Lowers the flag (no flag: nothing happens), with the event that says who and how. */
  private clear(session: SessionRow, by: AgentAccess, how: NonNullable<EventMeta['help']>): void {
    const raisedAt = session.help_at;
    if (typeof raisedAt !== 'number') return;
    const who = this.store.agent(by.agent.id) ?? by.agent;
    const asker = session.help_by ? this.store.agent(session.help_by) : undefined;
    this.ctx.tx((after) => {
      const changed = this.store.db.run('UPDATE sessions SET help_at = NULL, help_by = NULL, help_note = NULL WHERE tenant_id = ? AND id = ? AND help_at = ?', [
        this.ctx.tenantId,
        session.id,
        raisedAt,
      ]).changes;
      if (changed !== 1) return; // lowered meanwhile
      const text = how === 'lowered' ? `${who.name} no longer needs help` : how === 'joined' ? `${who.name} joined to help` : `${who.name} answered the request for help`;
      this.conversation.appendSystem(session.id, 'help-cleared', text, this.ctx.now(), after, who.name, {
        fromAgentId: who.id,
        fromAgentName: who.name,
        ...(asker ? { toAgentId: asker.id, toAgentName: asker.name } : {}),
        help: how,
      });
      this.dir.board.sessionChanged(session.id, after);
    });
  }
}
