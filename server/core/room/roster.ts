/**
 * The roster (directory side): every agent's presence and load (`AgentInfo`: status, online,
 * channels, active chats, capacity) as other consoles show it, in the Dashboard, the transfer
 * dialog and the console's own status. Changes travel as unsequenced, coalesced `agents` frames
 * (the changed records; latest value wins), one serialisation per flush for every greeted agent
 * connection of the tenant. The board snapshot lists every agent; a console that resumed its
 * board by replay gets the whole list ({@link current}).
 *
 * Every agent of the tenant sees every agent: the transfer dialog offers agents of the chat's
 * channel (whose member list the console does not hold per agent), the Dashboard shows its
 * channels' agents, and a handler who is no longer a member of the chat's channel still needs
 * names. A flush writes one frame per agent console, at most one per window.
 */
import { COALESCE_WINDOW_MS, RECORDS_PER_FRAME } from '../../../src/protocol/limits.js';
import type { AgentInfo } from '../../../src/protocol/index.js';
import { Coalescer } from './coalescer.js';
import type { RoomContext } from './types.js';

/** `agents` frames (`AgentsFrame`) of at most {@link RECORDS_PER_FRAME} records each. */
function frameTexts(agents: readonly AgentInfo[]): string[] {
  const texts: string[] = [];
  for (let i = 0; i < agents.length; i += RECORDS_PER_FRAME) {
    texts.push(JSON.stringify({ t: 'agents', agents: agents.slice(i, i + RECORDS_PER_FRAME) }));
  }
  return texts;
}

export class Roster extends Coalescer<string> {
  constructor(
    private readonly ctx: RoomContext,
    private readonly isOnline: (agentId: string) => boolean,
  ) {
    super('agents', ctx.timers, COALESCE_WINDOW_MS, ctx.log);
  }

  /** The whole roster now, as `agents` frames (a board resumed by replay). */
  current(): string[] {
    return frameTexts(this.ctx.store.agentInfos(this.isOnline));
  }

  /** One flush: the changed records, to every agent console. */
  protected publish(ids: ReadonlySet<string>): void {
    const { store, conns } = this.ctx;
    const records: AgentInfo[] = [];
    for (const id of ids) {
      const agent = store.agent(id);
      if (!agent) continue;
      // A disabled or deleted agent: offline and in no channel (no transfer offers them, no
      // Dashboard lists them); the next snapshot leaves them out.
      if ((agent.disabled_at ?? null) !== null || (agent.deleted_at ?? null) !== null) records.push({ ...store.agentInfo(agent, false), channelIds: [] });
      else records.push(store.agentInfo(agent, this.isOnline(id)));
    }
    if (records.length === 0) return;
    const texts = frameTexts(records);
    for (const state of conns.agents()) {
      if (state.closed || !state.access) continue;
      for (const text of texts) conns.sendText(state, text);
    }
  }
}
