/**
 * Automatic assignment (directory side; issue 18): per channel `off` (agents pull: "Get next",
 * answer a chat), `round-robin` or `least-busy`. A waiting chat (highest priority first, then oldest) is offered to one agent who may
 * answer in the channel, is Present, online and under their capacity, and holds no other offer;
 * they accept (the chat is theirs, as `accept`) or decline (offered to the next) within the
 * channel's time, else they are set Away (`away_reason = 'auto'`) and the chat is offered to the
 * next. Round robin offers to the agent offered a chat of the channel longest ago; least busy to
 * the one with the fewest chats (then round robin).
 *
 * Fair under races: everything runs synchronously in one transaction per change, the offer is a
 * guarded update of the queued session (`offer_to IS NULL`), and the database holds at most one
 * pending offer per chat and per agent (unique indexes, migration 12). Pending offers survive a
 * restart (their expiry is rescheduled from the database; overdue ones expire at once).
 */
import type { AssignMode } from '../../../src/protocol/routing.js';
import { WARNING_SWEEP_MS } from '../../../src/protocol/limits.js';
import { assignmentOf } from '../provisioning/routing.js';
import type { SessionRow, TenantStore } from '../store/index.js';
import { QUEUE_ORDER } from '../store/index.js';
import { agentAccess } from './access.js';
import type { Directory } from './directory.js';
import type { RoomTimers } from './sweeps.js';
import type { After, ConnState, RoomContext } from './types.js';
import { errorName, Refusal } from './types.js';

const key = (sessionId: string): string => `offer:${sessionId}`;

/** How an offer ended (`assignment_offers.outcome`). */
export type OfferOutcome = 'accepted' | 'declined' | 'expired' | 'withdrawn';

interface Candidate {
  id: string;
  max_concurrent_chats: number;
  active: number;
  /** When this agent was last offered a chat of the channel (null: never). */
  last_offer: number | null;
  /** This agent's earlier offer of this chat expired or was withdrawn (they may get it again, after the others). */
  expired_before: number;
}

export class Assignment {
  private pumping = false;
  private readonly again = new Set<string>();

  constructor(
    private readonly ctx: RoomContext,
    private readonly dir: Directory,
    private readonly timers: RoomTimers,
  ) {}

  private get store(): TenantStore {
    return this.ctx.store;
  }

  /**
   * A room starts: the expiry of every pending offer is scheduled again (overdue ones expire now),
   * and a sweep offers waiting chats every few seconds (a channel switched to automatic assignment,
   * anything a change did not trigger) and withdraws the offers of channels switched back to
   * pulling (nobody is set Away for an offer of a channel that no longer assigns).
   */
  start(): void {
    const pending = this.store.db.all<{ id: string; offer_expires_at: number }>(
      'SELECT id, offer_expires_at FROM sessions WHERE tenant_id = ? AND offer_to IS NOT NULL',
      [this.ctx.tenantId],
    );
    for (const p of pending) this.schedule(p.id, p.offer_expires_at);
    this.timers.every('assignment', WARNING_SWEEP_MS, () => {
      this.withdrawWhereOff();
      for (const c of this.automaticChannels()) this.pump(c);
    });
  }

  /** Pending offers of channels now set to `off` (or deleted) are withdrawn; the chats wait for "Get next". */
  private withdrawWhereOff(): void {
    try {
      const stale = this.store.db.all<{ id: string }>(
        `SELECT s.id FROM sessions s JOIN channels c ON c.tenant_id = s.tenant_id AND c.id = s.channel_id
         WHERE s.tenant_id = ? AND s.offer_to IS NOT NULL AND (c.assign_mode = 'off' OR c.deleted_at IS NOT NULL)`,
        [this.ctx.tenantId],
      );
      if (stale.length === 0) return;
      this.ctx.tx((after) => {
        for (const s of stale) this.settle(s.id, 'withdrawn', after);
      });
    } catch (error) {
      this.ctx.log.warn('assignment.failed', { error: errorName(error) });
    }
  }

  /** The channel's mode and offer time (undefined: no such channel). */
  private settings(channelId: string): { mode: AssignMode; offerMs: number } | undefined {
    const row = this.store.db.get<{ assign_mode: string; offer_timeout_s: number }>(
      'SELECT assign_mode, offer_timeout_s FROM channels WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL',
      [this.ctx.tenantId, channelId],
    );
    if (!row) return undefined;
    const a = assignmentOf(row);
    return { mode: a.mode, offerMs: a.offerSeconds * 1000 };
  }

  private automaticChannels(): string[] {
    return this.store.db
      .all<{ id: string }>("SELECT id FROM channels WHERE tenant_id = ? AND deleted_at IS NULL AND assign_mode <> 'off'", [this.ctx.tenantId])
      .map((r) => r.id);
  }

  // ---- offering -----------------------------------------------------------------------------

  /**
   * Offers the channel's waiting chats without an offer in queue order (priority, then oldest), each to the next fitting
   * agent, until no chat or no agent is left. Re-entrant calls (an offer's own after-work) are
   * queued and run when the current one is done.
   */
  pump(channelId: string): void {
    this.again.add(channelId);
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let next = this.take(); next !== undefined; next = this.take()) this.fill(next);
    } catch (error) {
      this.ctx.log.warn('assignment.failed', { error: errorName(error) });
    } finally {
      this.pumping = false;
      this.again.clear();
    }
  }

  private take(): string | undefined {
    const first = this.again.values().next();
    if (first.done) return undefined;
    this.again.delete(first.value);
    return first.value;
  }

  private fill(channelId: string): void {
    const s = this.settings(channelId);
    if (!s || s.mode === 'off') return;
    const waiting = this.store.db.all<SessionRow>(
      `SELECT * FROM sessions WHERE tenant_id = ? AND channel_id = ? AND status = 'queued' AND offer_to IS NULL
       ORDER BY ${QUEUE_ORDER}`,
      [this.ctx.tenantId, channelId],
    );
    for (const session of waiting) {
      const agentId = this.pick(channelId, session.id, s.mode);
      if (agentId === undefined) continue; // everyone fitting declined this one: try the next chat
      this.offer(session, agentId, s.offerMs);
    }
  }

  /** The agent to offer a chat to, by the channel's mode; undefined when nobody fits. */
  private pick(channelId: string, sessionId: string, mode: AssignMode): string | undefined {
    const t = this.ctx.tenantId;
    const rows = this.store.db.all<Candidate>(
      `SELECT a.id, a.max_concurrent_chats,
         (SELECT COUNT(*) FROM sessions s WHERE s.tenant_id = a.tenant_id AND s.agent_id = a.id AND s.status = 'active' AND s.held_at IS NULL) AS active,
         (SELECT MAX(o.offered_at) FROM assignment_offers o WHERE o.tenant_id = a.tenant_id AND o.agent_id = a.id AND o.channel_id = ?) AS last_offer,
         EXISTS (SELECT 1 FROM assignment_offers o WHERE o.tenant_id = a.tenant_id AND o.agent_id = a.id AND o.session_id = ? AND o.outcome IN ('expired', 'withdrawn')) AS expired_before
       FROM agents a
       JOIN agent_channels ac ON ac.tenant_id = a.tenant_id AND ac.agent_id = a.id AND ac.channel_id = ? AND ac.can_respond = 1
       WHERE a.tenant_id = ? AND a.status = 'present' AND a.disabled_at IS NULL AND a.deleted_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM assignment_offers o WHERE o.tenant_id = a.tenant_id AND o.agent_id = a.id AND o.outcome IS NULL)
         AND NOT EXISTS (SELECT 1 FROM assignment_offers o WHERE o.tenant_id = a.tenant_id AND o.agent_id = a.id AND o.session_id = ?
                         AND o.outcome = 'declined')`,
      [channelId, sessionId, channelId, t, sessionId],
    );
    const fit = rows.filter((r) => r.active < r.max_concurrent_chats && this.dir.presence.isOnline(r.id));
    fit.sort(
      (a, b) =>
        a.expired_before - b.expired_before ||
        (mode === 'least-busy' ? a.active - b.active : 0) ||
        (a.last_offer ?? -1) - (b.last_offer ?? -1) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    return fit[0]?.id;
  }

  private offer(session: SessionRow, agentId: string, offerMs: number): void {
    const { db } = this.store;
    const t = this.ctx.tenantId;
    this.ctx.tx((after) => {
      const at = this.ctx.now();
      const expiresAt = at + offerMs;
      const ok =
        db.run(
          `UPDATE sessions SET offer_to = ?, offer_at = ?, offer_expires_at = ?
           WHERE tenant_id = ? AND id = ? AND status = 'queued' AND offer_to IS NULL`,
          [agentId, at, expiresAt, t, session.id],
        ).changes === 1;
      if (!ok) return;
      db.run(
        'INSERT INTO assignment_offers (tenant_id, session_id, channel_id, agent_id, offered_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
        [t, session.id, session.channel_id, agentId, at, expiresAt],
      );
      this.dir.board.sessionChanged(session.id, after);
      after.push(() => {
        this.schedule(session.id, expiresAt);
      });
    });
    this.ctx.log.info('assignment.offered', { channel: session.channel_id });
  }

  // ---- answers and endings ------------------------------------------------------------------

  /**
   * `offer-answer`: only the agent the chat is offered to, while the offer is pending. Accepting
   * answers the chat (capacity checked again; the offer ends `accepted`); declining offers it to
   * the next agent (never again to this one).
   */
  answer(state: ConnState, sessionId: string, accept: boolean): { sessionId: string } {
    const access = agentAccess(state);
    const me = access.agent.id;
    const session = this.store.session(sessionId);
    if (!session || (session.offer_to !== me && !access.channels.get(session.channel_id)?.respond)) {
      throw new Refusal('forbidden', 'not allowed in this session');
    }
    if (session.status !== 'queued' || !session.offer_to || session.offer_expires_at == null) {
      throw new Refusal('conflict', 'no offer is pending for this chat (it was answered, withdrawn or expired)');
    }
    if (session.offer_to !== me) throw new Refusal('forbidden', 'this chat is offered to another agent');
    if (session.offer_expires_at <= this.ctx.now()) {
      this.expire(session.id, session.offer_expires_at);
      throw new Refusal('conflict', 'the offer has expired');
    }
    if (accept) return this.dir.answer(state, sessionId);
    this.ctx.tx((after) => {
      this.settle(session.id, 'declined', after);
    });
    return { sessionId };
  }

  /**
   * Inside a transaction: the pending offer of a chat ends (`outcome`; when the chat was
   * answered, `accepted` if by the offered agent, else `withdrawn`). No-op without one. The
   * board shows the chat without the offer; after the commit the timer goes and the channel's
   * waiting chats are offered again.
   */
  settle(sessionId: string, outcome: OfferOutcome | { answeredBy: string }, after: After[]): void {
    const { db } = this.store;
    const t = this.ctx.tenantId;
    const row = db.get<{ offer_to: string | null; channel_id: string }>('SELECT offer_to, channel_id FROM sessions WHERE tenant_id = ? AND id = ?', [t, sessionId]);
    if (!row?.offer_to) return;
    const result = typeof outcome === 'string' ? outcome : outcome.answeredBy === row.offer_to ? 'accepted' : 'withdrawn';
    const at = this.ctx.now();
    db.run('UPDATE sessions SET offer_to = NULL, offer_at = NULL, offer_expires_at = NULL WHERE tenant_id = ? AND id = ?', [t, sessionId]);
    db.run('UPDATE assignment_offers SET outcome = ?, answered_at = ? WHERE tenant_id = ? AND session_id = ? AND outcome IS NULL', [result, at, t, sessionId]);
    this.dir.board.sessionChanged(sessionId, after);
    const channelId = row.channel_id;
    after.push(() => {
      this.timers.cancel(key(sessionId));
      this.pump(channelId);
    });
  }

  /**
   * An agent's record changed (status, online, load, permissions): an offer they hold and may no
   * longer take (Away, disabled, no longer answering in the channel) is withdrawn; when they fit,
   * the waiting chats of their automatic channels are offered.
   */
  agentUpdated(agentId: string): void {
    try {
      const { db } = this.store;
      const held = db.get<{ session_id: string; channel_id: string }>(
        'SELECT session_id, channel_id FROM assignment_offers WHERE tenant_id = ? AND agent_id = ? AND outcome IS NULL',
        [this.ctx.tenantId, agentId],
      );
      const access = this.store.access(agentId);
      if (held && (access?.agent.status !== 'present' || !access.channels.get(held.channel_id)?.respond)) {
        this.ctx.tx((after) => {
          this.settle(held.session_id, 'withdrawn', after);
        });
      }
      if (access?.agent.status !== 'present' || !this.dir.presence.isOnline(agentId)) return;
      for (const [channelId, p] of access.channels) if (p.respond) this.pump(channelId);
    } catch (error) {
      this.ctx.log.warn('assignment.failed', { error: errorName(error) });
    }
  }

  /** Schedules the expiry of a pending offer on the room's clock (overdue: expires now). */
  private schedule(sessionId: string, expiresAt: number): void {
    this.timers.until(key(sessionId), expiresAt, () => {
      this.expire(sessionId, expiresAt);
    });
  }

  /**
   * The offer made until `expiresAt` was not answered (unless it was answered or replaced
   * meanwhile): the agent is set Away (auto-away, when still Present) and the chat is offered to
   * the next agent. If the channel stopped assigning since (or is gone), the offer is withdrawn
   * instead and nobody is set Away.
   */
  private expire(sessionId: string, expiresAt: number): void {
    try {
      const session = this.store.session(sessionId);
      const agentId = session?.offer_to;
      if (!session || !agentId || session.offer_expires_at !== expiresAt) return;
      const mode = this.settings(session.channel_id)?.mode;
      const assigning = mode !== undefined && mode !== 'off';
      this.ctx.tx((after) => {
        if (!assigning) {
          this.settle(session.id, 'withdrawn', after);
          return;
        }
        this.settle(session.id, 'expired', after);
        const changed = this.store.db.run("UPDATE agents SET status = 'away', away_reason = 'auto' WHERE tenant_id = ? AND id = ? AND status = 'present'", [
          this.ctx.tenantId,
          agentId,
        ]).changes;
        if (changed > 0) this.dir.agentChanged(agentId, after);
      });
      if (assigning) this.ctx.log.info('assignment.auto_away', { channel: session.channel_id });
    } catch (error) {
      this.ctx.log.warn('assignment.expiry_failed', { error: errorName(error) });
    }
  }
}
