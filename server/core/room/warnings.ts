/**
 * Wait warnings (directory side): queued chats that waited longer than their channel allows
 * are announced once per level — `agents` after `warn_after_s` to the Present agents with the
 * Notifications permission, `managers` after `manager_warn_after_s` to the Present managers —
 * and again to a console that (re)connects or becomes Present while they are still due.
 */
import type { WarningLevel } from '../../../src/protocol/index.js';
import type { SessionRow } from '../store/index.js';
import type { ServerFrame } from '../../../src/protocol/server-frames.js';
import { once } from './connections.js';
import type { ConnState, RoomContext } from './types.js';

export class Warnings {
  constructor(private readonly ctx: RoomContext) {}

  /** Every few seconds (0 switches a level off). */
  sweep(): void {
    const { store } = this.ctx;
    const now = this.ctx.now();
    const due: { session: SessionRow; level: WarningLevel; rank: number }[] = [];
    for (const s of store.queuedForWarnings(now)) {
      const waited = now - (s.queued_at ?? s.created_at);
      if (s.warned_level < 1 && s.warn_after_s > 0 && waited >= s.warn_after_s * 1000) due.push({ session: s, level: 'agents', rank: 1 });
      if (s.warned_level < 2 && s.manager_warn_after_s > 0 && waited >= s.manager_warn_after_s * 1000) due.push({ session: s, level: 'managers', rank: 2 });
    }
    if (due.length === 0) return;
    store.db.transaction(() => {
      for (const d of due) store.setWarnedLevel(d.session.id, d.rank);
    });
    const present = this.presentAgents();
    const members = new Map<string, string[]>();
    const membersOf = (channelId: string): string[] => {
      let list = members.get(channelId);
      if (!list) members.set(channelId, (list = store.channelMembers(channelId)));
      return list;
    };
    for (const d of due) {
      const text = once(() => warningFrame(d.session, d.level));
      // The channel's members who are online (the permission is checked per console below).
      for (const agentId of membersOf(d.session.channel_id)) {
        if (!present.has(agentId)) continue;
        for (const state of this.ctx.conns.ofAgent(agentId)) {
          if (this.warns(state, d.session.channel_id, d.level, present)) this.ctx.conns.sendText(state, text());
        }
      }
    }
  }

  /**
   * The warnings already announced for chats still queued, to one console: only the warned ones
   * are read, and only this console's agent is looked up (a console that connects costs the
   * warnings it gets, not the size of the queue or of the tenant).
   */
  sendDue(state: ConnState): void {
    const agentId = state.access?.agent.id;
    const agent = agentId === undefined ? undefined : this.ctx.store.agent(agentId);
    // As presentAgents(): the database is the truth, and only agents who can work count.
    if (agent?.status !== 'present' || (agent.disabled_at ?? null) !== null || (agent.deleted_at ?? null) !== null) return;
    const present = new Set([agent.id]);
    for (const s of this.ctx.store.warnedQueued()) {
      if (s.warned_level >= 1 && this.warns(state, s.channel_id, 'agents', present)) this.ctx.conns.send(state, warningFrame(s, 'agents'));
      if (s.warned_level >= 2 && this.warns(state, s.channel_id, 'managers', present)) this.ctx.conns.send(state, warningFrame(s, 'managers'));
    }
  }

  /** The warnings still due, to every console of an agent (back to Present). */
  sendDueToAgent(agentId: string): void {
    for (const state of this.ctx.conns.ofAgent(agentId)) {
      if (state.hello) this.sendDue(state);
    }
  }

  /** IDs of agents whose status is Present (the database is the truth; access rows can be stale). */
  private presentAgents(): Set<string> {
    return new Set(
      this.ctx.store
        .agents()
        .filter((a) => a.status === 'present')
        .map((a) => a.id),
    );
  }

  /** Whether a connection gets a warning of `level` for a chat in `channelId` (Present, permission). */
  private warns(state: ConnState, channelId: string, level: WarningLevel, present: ReadonlySet<string>): boolean {
    if (!state.hello || !state.access || !present.has(state.access.agent.id)) return false;
    const perm = state.access.channels.get(channelId);
    return level === 'agents' ? perm?.notifications === true : perm?.manager === true;
  }
}

function warningFrame(session: Pick<SessionRow, 'id' | 'created_at' | 'queued_at'>, level: WarningLevel): ServerFrame {
  return { t: 'warning', sessionId: session.id, level, waitingSince: session.queued_at ?? session.created_at };
}
