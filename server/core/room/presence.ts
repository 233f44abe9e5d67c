/**
 * Presence and availability (directory side): which agents are online (a greeted console), and
 * per channel whether some agent who may respond there is online and Present. Customers learn
 * their channel's availability after `welcome` and whenever it changes.
 */
import type { PublicChannel } from '../../../src/protocol/index.js';
import type { ConnState, RoomContext } from './types.js';

export class Presence {
  /** Greeted connections per agent. */
  private readonly online = new Map<string, number>();
  /** Last availability told to customers, per channel. */
  private availability = new Map<string, boolean>();

  constructor(private readonly ctx: RoomContext) {}

  isOnline(agentId: string): boolean {
    return (this.online.get(agentId) ?? 0) > 0;
  }

  /** One more console of this agent; true when it was offline before. */
  connected(agentId: string): boolean {
    const before = this.online.get(agentId) ?? 0;
    this.online.set(agentId, before + 1);
    return before === 0;
  }

  /** One console fewer; true when the agent is now offline. */
  disconnected(agentId: string): boolean {
    const n = (this.online.get(agentId) ?? 1) - 1;
    if (n > 0) {
      this.online.set(agentId, n);
      return false;
    }
    this.online.delete(agentId);
    return true;
  }

  /** Takes the room's starting point (no customer is told). */
  start(): void {
    this.availability = this.compute();
  }

  /** The public channel list with availability (HTTP `GET /api/channels`). */
  publicChannels(): PublicChannel[] {
    const available = this.compute();
    return this.ctx.store.channels().map((c) => ({ id: c.id, name: c.name, available: available.get(c.id) ?? false }));
  }

  /** After a presence change: tells the customers of channels whose availability changed. */
  check(): void {
    const next = this.compute();
    const changed = new Set([...next].filter(([id, on]) => this.availability.get(id) !== on).map(([id]) => id));
    this.availability = next;
    for (const channelId of changed) {
      for (const state of this.ctx.conns.customersIn(channelId)) this.send(state);
    }
  }

  /** Tells a customer whether their channel has an available agent (while the chat is open). */
  send(state: ConnState, session = this.ctx.store.session(state.principal.subjectId)): void {
    if (!session || (session.status !== 'queued' && session.status !== 'active')) return;
    this.ctx.conns.send(state, { t: 'availability', sessionId: session.id, available: this.availability.get(session.channel_id) ?? false });
  }

  /** Tells the customer of a session (all their tabs) its channel's availability. */
  sendToCustomer(sessionId: string): void {
    for (const state of this.ctx.conns.ofCustomer(sessionId)) {
      if (state.hello) this.send(state);
    }
  }

  /** Per channel: some agent who may respond there is online and Present. */
  private compute(): Map<string, boolean> {
    const available = new Map(this.ctx.store.channels().map((c) => [c.id, false]));
    for (const r of this.ctx.store.channelAgents()) {
      if (r.can_respond === 1 && r.status === 'present' && this.isOnline(r.agent_id)) available.set(r.channel_id, true);
    }
    return available;
  }
}
