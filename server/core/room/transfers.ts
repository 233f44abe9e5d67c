/**
 * Transfers and takeover (directory side): offering a chat to another agent (accept, decline,
 * cancel, expiry on the room's clock), moving it back to a channel's queue, and a manager
 * taking it over. Every change of handler is one transaction with its system events, board
 * events and `session_agents` rows; readers are revalidated after the commit.
 */
import type { TransferFrame } from '../../../src/protocol/client-frames.js';
import { DEFAULT_TRANSFER_TIMEOUT_MS } from '../../../src/protocol/limits.js';
import type { EventMeta } from '../../../src/protocol/index.js';
import type { AgentAccess, AgentRow, SessionRow, TenantStore } from '../store/index.js';
import { agentAccess, readMode } from './access.js';
import type { Directory } from './directory.js';
import type { ConversationPort } from './ports.js';
import type { RoomTimers } from './sweeps.js';
import type { Visibility } from './board.js';
import type { After, ConnState, RoomContext } from './types.js';
import { errorName, Refusal } from './types.js';

const key = (sessionId: string): string => `transfer:${sessionId}`;

export class Transfers {
  constructor(
    private readonly ctx: RoomContext,
    private readonly dir: Directory,
    private readonly conversation: ConversationPort,
    private readonly timers: RoomTimers,
  ) {}

  private get store(): TenantStore {
    return this.ctx.store;
  }

  /** Schedules the expiry of every offer still pending in the database (a room starts). */
  start(): void {
    for (const t of this.store.pendingTransfers()) this.schedule(t.id, t.transfer_expires_at);
  }

  /** A pending offer ends with the chat (or any change of handler): its timer goes. */
  cancelTimer(sessionId: string): void {
    this.timers.cancel(key(sessionId));
  }

  /**
   * `transfer`: by the handling agent or a manager of the session's channel. To an agent: a
   * pending offer the target accepts or declines (one at a time). To a channel: at once, back
   * to that channel's queue.
   */
  transfer(state: ConnState, frame: TransferFrame): { sessionId: string; expiresAt?: number } {
    const access = agentAccess(state);
    const session = this.store.session(frame.sessionId);
    if (!session || !readMode(this.store, state, session)) throw new Refusal('forbidden', 'not allowed in this session');
    if (session.agent_id !== access.agent.id && !access.channels.get(session.channel_id)?.manager) {
      throw new Refusal('forbidden', 'only the handling agent or a manager of this channel can transfer this chat');
    }
    if (session.status === 'ended' || session.status === 'missed') throw new Refusal('session_closed', 'the chat has ended');
    if (session.transfer_to !== null) {
      const to = this.store.agent(session.transfer_to)?.name ?? 'another agent';
      throw new Refusal('conflict', `the chat is already offered to ${to}; cancel that transfer first`);
    }
    const note = frame.note?.trim() ? frame.note.trim() : undefined;
    if ('agentId' in frame.to) return this.toAgent(access, session, frame.to.agentId, note);
    this.toChannel(access, session, frame.to.channelId, note);
    return { sessionId: session.id };
  }

  private toAgent(access: AgentAccess, session: SessionRow, targetId: string, note: string | undefined): { sessionId: string; expiresAt: number } {
    if (session.status !== 'active') {
      throw new Refusal('conflict', 'only an answered chat can be transferred to an agent; move a waiting chat to a channel instead');
    }
    if (targetId === access.agent.id) throw new Refusal('invalid', 'you cannot transfer a chat to yourself');
    const target = this.store.agent(targetId);
    if (!target) throw new Refusal('not_found', 'no such agent');
    if (targetId === session.agent_id) throw new Refusal('invalid', `${target.name} already handles this chat`);
    const channel = this.store.channel(session.channel_id);
    if (!this.store.access(targetId)?.channels.get(session.channel_id)?.respond) {
      throw new Refusal('forbidden', `${target.name} cannot answer chats in ${channel?.name ?? 'this channel'}`);
    }
    if (!this.dir.presence.isOnline(targetId)) throw new Refusal('forbidden', `${target.name} is offline: chats can only be transferred to agents who are online and Present`);
    if (target.status !== 'present') throw new Refusal('forbidden', `${target.name} is Away: chats can only be transferred to agents who are Present`);
    if (this.store.activeChatCount(targetId) >= target.max_concurrent_chats) {
      throw new Refusal('at_capacity', `${target.name} already handles ${String(target.max_concurrent_chats)} chats`);
    }
    const from = this.store.agent(access.agent.id) ?? access.agent;
    const at = this.ctx.now();
    const expiresAt = at + (this.store.tenant()?.transfer_timeout_ms ?? DEFAULT_TRANSFER_TIMEOUT_MS);
    this.ctx.tx((after) => {
      if (!this.store.setTransfer(session.id, { from: from.id, to: target.id, note, at, expiresAt })) {
        throw new Refusal('conflict', 'the chat changed meanwhile; try again');
      }
      this.conversation.appendSystem(session.id, 'transfer-requested', `${from.name} offered the chat to ${target.name}`, at, after, from.name, {
        fromAgentId: from.id,
        fromAgentName: from.name,
        toAgentId: target.id,
        toAgentName: target.name,
        ...(note !== undefined ? { note } : {}),
      });
      this.dir.board.sessionChanged(session.id, after);
      after.push(() => {
        this.schedule(session.id, expiresAt);
      });
    });
    return { sessionId: session.id, expiresAt };
  }

  /**
   * Back to the queue of a channel (the same or another one); the chat keeps its place by
   * `createdAt`. `within` writes more in the same transaction (hold.ts: the reason of a return).
   */
  toChannel(access: AgentAccess, session: SessionRow, channelId: string, note: string | undefined, within?: (at: number) => void): void {
    const channel = this.store.channel(channelId);
    if (!channel) throw new Refusal('not_found', 'no such channel');
    if (session.status === 'queued' && channel.id === session.channel_id) throw new Refusal('invalid', 'the chat already waits in this queue');
    const from = this.store.agent(access.agent.id) ?? access.agent;
    const previous = session.agent_id;
    this.ctx.tx((after) => {
      const at = this.ctx.now();
      const before = this.dir.board.visibilityOf(session);
      if (!this.store.requeue(session.id, channel.id, at)) throw new Refusal('conflict', 'the chat changed meanwhile; try again');
      if (previous) this.store.stopHandling(session.id, previous, at, 'requeued');
      within?.(at);
      this.dir.assignment.settle(session.id, 'withdrawn', after);
      this.conversation.appendSystem(session.id, 'requeued', `${from.name} moved the chat to the ${channel.name} queue`, at, after, from.name, {
        fromAgentId: from.id,
        fromAgentName: from.name,
        channelId: channel.id,
        channelName: channel.name,
        ...(note !== undefined ? { note } : {}),
      });
      // The customer learns they wait again (the channel's own welcome text).
      this.conversation.appendSystem(session.id, 'queued', channel.welcome_message, at, after);
      this.dir.board.sessionChanged(session.id, after, before);
      if (previous) this.dir.agentChanged(previous, after);
      after.push(() => {
        this.dir.queuePositions(channel.id);
        if (session.status === 'queued' && session.channel_id !== channel.id) this.dir.queuePositions(session.channel_id);
        this.conversation.revalidate(session.id);
        this.ctx.conns.moveCustomer(session.id, channel.id);
        this.dir.presence.sendToCustomer(session.id);
      });
    });
  }

  /** `transfer-answer`: only the target. Accepting hands the chat over atomically (capacity re-checked). */
  answer(state: ConnState, sessionId: string, accept: boolean): { sessionId: string } {
    const access = agentAccess(state);
    const session = this.store.session(sessionId);
    if (!session || !readMode(this.store, state, session)) throw new Refusal('forbidden', 'not allowed in this session');
    if (session.transfer_to === null || session.transfer_expires_at === null) {
      throw new Refusal('conflict', 'no transfer is pending for this chat (it may have been cancelled or expired)');
    }
    if (session.transfer_to !== access.agent.id) throw new Refusal('forbidden', 'only the agent the chat is offered to can answer this transfer');
    if (session.transfer_expires_at <= this.ctx.now()) {
      this.expire(session.id, session.transfer_expires_at);
      throw new Refusal('conflict', 'the transfer has expired');
    }
    const me = this.store.agent(access.agent.id) ?? access.agent;
    if (!accept) {
      this.ctx.tx((after) => {
        const before = this.dir.board.visibilityOf(session);
        if (!this.store.clearTransfer(session.id)) throw new Refusal('conflict', 'the transfer changed meanwhile');
        this.conversation.appendSystem(session.id, 'transfer-declined', `${me.name} declined the transfer`, this.ctx.now(), after, me.name, this.meta(session));
        this.dir.board.sessionChanged(session.id, after, before);
        after.push(() => {
          this.cancelTimer(session.id);
          this.conversation.revalidate(session.id);
        });
      });
      return { sessionId: session.id };
    }
    const previous = session.agent_id;
    if (!previous) throw new Refusal('conflict', 'the chat changed meanwhile');
    const prevName = this.store.agent(previous)?.name ?? '';
    this.ctx.tx((after) => {
      this.handOver({ session, from: previous, to: me, reason: 'transferred', hint: 'end one first or decline', conflict: 'the chat changed meanwhile', after }, (at) => {
        this.conversation.appendSystem(session.id, 'transferred', `${prevName} transferred the chat to ${me.name}`, at, after, me.name, {
          fromAgentId: previous,
          fromAgentName: prevName,
          toAgentId: me.id,
          toAgentName: me.name,
          ...(session.transfer_note !== null ? { note: session.transfer_note } : {}),
        });
      });
    });
    return { sessionId: session.id };
  }

  /** `transfer-cancel`: by whoever offered it, or a manager of the channel. */
  cancel(state: ConnState, sessionId: string): void {
    const access = agentAccess(state);
    const session = this.store.session(sessionId);
    if (!session || !readMode(this.store, state, session)) throw new Refusal('forbidden', 'not allowed in this session');
    if (session.transfer_to === null) throw new Refusal('conflict', 'no transfer is pending for this chat');
    if (session.transfer_from !== access.agent.id && !access.channels.get(session.channel_id)?.manager) {
      throw new Refusal('forbidden', 'only the agent who offered the transfer or a manager can cancel it');
    }
    const me = this.store.agent(access.agent.id) ?? access.agent;
    this.ctx.tx((after) => {
      const before = this.dir.board.visibilityOf(session);
      if (!this.store.clearTransfer(session.id)) throw new Refusal('conflict', 'the transfer changed meanwhile');
      const toName = this.store.agent(session.transfer_to ?? '')?.name ?? '';
      this.conversation.appendSystem(session.id, 'transfer-cancelled', `${me.name} cancelled the transfer to ${toName}`, this.ctx.now(), after, me.name, this.meta(session));
      this.dir.board.sessionChanged(session.id, after, before);
      after.push(() => {
        this.cancelTimer(session.id);
        this.conversation.revalidate(session.id);
      });
    });
  }

  /** `takeover`: a manager of the channel becomes the handler at once; the previous one can still read. */
  takeover(state: ConnState, sessionId: string): { sessionId: string } {
    const access = agentAccess(state);
    const session = this.store.session(sessionId);
    if (!session || !readMode(this.store, state, session)) throw new Refusal('forbidden', 'not allowed in this session');
    if (!access.channels.get(session.channel_id)?.manager) throw new Refusal('forbidden', 'only a manager of this channel can take over a chat');
    if (session.status === 'ended' || session.status === 'missed') throw new Refusal('session_closed', 'the chat has ended');
    if (session.status === 'queued' || !session.agent_id) throw new Refusal('conflict', 'the chat is waiting in the queue: answer it instead');
    if (session.agent_id === access.agent.id) return { sessionId: session.id }; // already mine
    const me = this.store.agent(access.agent.id) ?? access.agent;
    const previous = session.agent_id;
    const prevName = this.store.agent(previous)?.name ?? '';
    this.ctx.tx((after) => {
      const before = this.dir.board.visibilityOf(session);
      this.handOver({ session, from: previous, to: me, reason: 'taken-over', conflict: 'the chat changed meanwhile; try again', before, after }, (at) => {
        if (session.transfer_to !== null) {
          const toName = this.store.agent(session.transfer_to)?.name ?? '';
          this.conversation.appendSystem(session.id, 'transfer-cancelled', `The transfer to ${toName} was cancelled: ${me.name} took over the chat`, at, after, me.name, this.meta(session));
        }
        this.conversation.appendSystem(session.id, 'taken-over', `${me.name} took over the chat from ${prevName}`, at, after, me.name, {
          fromAgentId: previous,
          fromAgentName: prevName,
          toAgentId: me.id,
          toAgentName: me.name,
        });
      });
    });
    return { sessionId: session.id };
  }

  /**
   * Inside a transaction: `to` becomes the handler instead of `from` (capacity checked again, a
   * guard on `from`: `conflict` when the chat changed meanwhile), the handling history, the
   * events of the change (`events`), `joined`, the board and both agents' records.
   */
  private handOver(
    o: { session: SessionRow; from: string; to: AgentRow; reason: 'transferred' | 'taken-over'; hint?: string; conflict: string; before?: Visibility; after: After[] },
    events: (at: number) => void,
  ): void {
    const { session, from, to, after } = o;
    if (this.store.activeChatCount(to.id) >= to.max_concurrent_chats) {
      throw new Refusal('at_capacity', `you already handle ${String(to.max_concurrent_chats)} chats${o.hint ? `; ${o.hint}` : ''}`);
    }
    const at = this.ctx.now();
    if (!this.store.handOver(session.id, from, to.id, at)) throw new Refusal('conflict', o.conflict);
    this.store.stopHandling(session.id, from, at, o.reason);
    this.store.startHandling(session.id, to.id, at);
    events(at);
    this.conversation.appendSystem(session.id, 'joined', `${to.name} joined the chat`, at, after, to.name);
    this.dir.board.sessionChanged(session.id, after, o.before);
    this.dir.agentChanged(from, after);
    this.dir.agentChanged(to.id, after);
    after.push(() => {
      this.cancelTimer(session.id);
      this.conversation.revalidate(session.id);
    });
  }

  /**
   * An agent can no longer work in some chats (disabled, deleted, or no longer allowed to answer
   * in their channel): the chats among `sessions` that they handle go back to their channel's
   * queue (keeping their place by `createdAt`; a transfer they had offered ends with it), and
   * transfers offered to them are cancelled. One transaction; the events carry `reason:
   * 'agent-unavailable'`. Returns the number of chats changed.
   */
  release(agentId: string, sessions: readonly SessionRow[]): number {
    const agent = this.store.agent(agentId);
    if (!agent || sessions.length === 0) return 0;
    const requeued = new Set<string>();
    let changed = 0;
    this.ctx.tx((after) => {
      const at = this.ctx.now();
      for (const s of sessions) {
        const session = this.store.session(s.id);
        if (!session) continue;
        const before = this.dir.board.visibilityOf(session);
        if (session.status === 'active' && session.agent_id === agentId) {
          const channel = this.store.channel(session.channel_id);
          if (!channel || !this.store.requeue(session.id, session.channel_id, at)) continue;
          if (session.transfer_to !== null) {
            this.conversation.appendSystem(session.id, 'transfer-cancelled', `The transfer was cancelled: ${agent.name} is no longer available`, at, after, '', this.meta(session));
          }
          this.store.stopHandling(session.id, agentId, at, 'requeued');
          this.conversation.appendSystem(session.id, 'requeued', `${agent.name} is no longer available: the chat went back to the ${channel.name} queue`, at, after, '', {
            fromAgentId: agent.id,
            fromAgentName: agent.name,
            channelId: channel.id,
            channelName: channel.name,
            reason: 'agent-unavailable',
          });
          this.conversation.appendSystem(session.id, 'queued', channel.welcome_message, at, after);
          requeued.add(session.channel_id);
          after.push(() => {
            this.dir.presence.sendToCustomer(session.id);
          });
        } else if (session.transfer_to === agentId) {
          if (!this.store.clearTransfer(session.id)) continue;
          this.conversation.appendSystem(session.id, 'transfer-cancelled', `The transfer to ${agent.name} was cancelled: ${agent.name} is no longer available`, at, after, '', {
            ...this.meta(session),
            reason: 'agent-unavailable',
          });
        } else {
          continue;
        }
        changed += 1;
        this.dir.board.sessionChanged(session.id, after, before);
        if (session.agent_id !== null && session.agent_id !== agentId) this.dir.agentChanged(session.agent_id, after);
        after.push(() => {
          this.cancelTimer(session.id);
          this.conversation.revalidate(session.id);
        });
      }
      this.dir.agentChanged(agentId, after);
      after.push(() => {
        for (const channelId of requeued) this.dir.queuePositions(channelId);
      });
    });
    if (changed > 0) this.ctx.log.info('agent.released', { chats: changed });
    return changed;
  }

  /** Details of a session's pending transfer, for the events that end it. */
  private meta(session: SessionRow): EventMeta {
    const from = session.transfer_from ? this.store.agent(session.transfer_from) : undefined;
    const to = session.transfer_to ? this.store.agent(session.transfer_to) : undefined;
    return {
      ...(from ? { fromAgentId: from.id, fromAgentName: from.name } : {}),
      ...(to ? { toAgentId: to.id, toAgentName: to.name } : {}),
      ...(session.transfer_note !== null ? { note: session.transfer_note } : {}),
    };
  }

  /** Schedules the expiry of a pending transfer on the room's clock (overdue: expires now). */
  private schedule(sessionId: string, expiresAt: number): void {
    this.timers.until(key(sessionId), expiresAt, () => {
      this.expire(sessionId, expiresAt);
    });
  }

  /** The transfer offered until `expiresAt` expires (unless it was answered or replaced meanwhile). */
  private expire(sessionId: string, expiresAt: number): void {
    try {
      const session = this.store.session(sessionId);
      if (!session?.transfer_to || session.transfer_expires_at !== expiresAt) return;
      this.ctx.tx((after) => {
        const before = this.dir.board.visibilityOf(session);
        if (!this.store.clearTransfer(session.id)) return;
        const toName = this.store.agent(session.transfer_to ?? '')?.name ?? '';
        this.conversation.appendSystem(session.id, 'transfer-expired', `The transfer to ${toName} expired without an answer`, this.ctx.now(), after, '', this.meta(session));
        this.dir.board.sessionChanged(session.id, after, before);
        after.push(() => {
          this.conversation.revalidate(session.id);
        });
      });
    } catch (error) {
      this.ctx.log.warn('transfer.expiry_failed', { error: errorName(error) });
    }
  }
}
