/**
 * Presence and availability (directory side): which agents are online (a greeted console), and
 * per channel whether some agent who may respond there is online and Present. Customers learn
 * their channel's availability after `welcome` and whenever it changes.
 *
 * Availability is kept incrementally: per channel, the number of agents who may respond there
 * and are online and Present. An agent's change (online, offline, Present/Away, permissions)
 * touches only that agent's channels; customers of a channel are told only when its count moves
 * between zero and not zero.
 */
import type { PublicChannel } from '../../../src/protocol/index.js';
import type { ConnState, RoomContext } from './types.js';

export class Presence {
  /** Greeted connections per agent. */
  private readonly online = new Map<string, number>();
  /** The channels each agent counts in now (may respond, online, Present). */
  private readonly counted = new Map<string, ReadonlySet<string>>();
  /** Per channel: agents who may respond there and are online and Present. */
  private readonly available = new Map<string, number>();

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

  /** Whether a channel has an agent who may respond, online and Present. */
  isAvailable(channelId: string): boolean {
    return (this.available.get(channelId) ?? 0) > 0;
  }

  /** How many agents who may respond in a channel are online and Present. */
  availableCount(channelId: string): number {
    return this.available.get(channelId) ?? 0;
  }

  /** The public channel list with availability (HTTP `GET /api/channels`). */
  publicChannels(): PublicChannel[] {
    return this.ctx.store.channels().map((c) => ({ id: c.id, name: c.name, available: this.isAvailable(c.id) }));
  }

  /**
   * An agent's presence, status or permissions changed: recounts that agent's channels and
   * tells the customers of each channel whose availability changed.
   */
  update(agentId: string): void {
    const before = this.counted.get(agentId) ?? new Set<string>();
    const now = this.countedChannels(agentId);
    if (now.size === 0) this.counted.delete(agentId);
    else this.counted.set(agentId, now);
    const changed: string[] = [];
    for (const channelId of before) {
      if (now.has(channelId)) continue;
      const n = (this.available.get(channelId) ?? 1) - 1;
      if (n > 0) this.available.set(channelId, n);
      else {
        this.available.delete(channelId);
        changed.push(channelId);
      }
    }
    for (const channelId of now) {
      if (before.has(channelId)) continue;
      const n = (this.available.get(channelId) ?? 0) + 1;
      this.available.set(channelId, n);
      if (n === 1) changed.push(channelId);
    }
    for (const channelId of changed) {
      for (const state of this.ctx.conns.customersIn(channelId)) this.send(state);
    }
  }

  /** Tells a customer whether their channel has an available agent (while the chat is open). */
  send(state: ConnState, session = this.ctx.store.session(state.principal.subjectId)): void {
    if (!session || (session.status !== 'queued' && session.status !== 'active')) return;
    this.ctx.conns.send(state, { t: 'availability', sessionId: session.id, available: this.isAvailable(session.channel_id) });
  }

  /** Tells the customer of a session (all their tabs) its channel's availability. */
  sendToCustomer(sessionId: string): void {
    for (const state of this.ctx.conns.ofCustomer(sessionId)) {
      if (state.hello) this.send(state);
    }
  }

  /** The channels where an agent counts now: may respond, online and Present (else none). */
  private countedChannels(agentId: string): ReadonlySet<string> {
    if (!this.isOnline(agentId)) return new Set();
    const access = this.ctx.store.access(agentId);
    if (access?.agent.status !== 'present') return new Set();
    return new Set([...access.channels].filter(([, p]) => p.respond).map(([id]) => id));
  }
}
