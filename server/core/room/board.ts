/**
 * The board stream (directory side): one sequenced stream per tenant (`epoch`, `seq`) of
 * session summaries, session removals and agent records, filtered per connection (an event an
 * agent may not see arrives as `skip`, so everyone's `seq` stays gapless).
 *
 * Three kinds of change reach it, kept apart because they will travel differently (issue 12
 * item 1): {@link sessionChanged} (lifecycle: queued, answered, transferred, ended…),
 * {@link summaryChanged} (message-level fields: last message, who wrote last, unread, customer
 * read position) and {@link agentChanged} (presence and load). Each appends its event inside
 * the caller's transaction and delivers it after the commit.
 */
import { MAX_RESUME_REPLAY, RECENT_WINDOW_MS } from '../../../src/protocol/limits.js';
import type { BoardEvent, BoardSnapshot, ResumeStatus } from '../../../src/protocol/index.js';
import type { BoardEventRow, SessionRow } from '../store.js';
import type { ServerFrame } from '../../../src/protocol/server-frames.js';
import { once } from './connections.js';
import type { After, ConnState, RoomContext } from './types.js';

/** Who may see a session on the board: its channel's members and these agents. */
export interface Visibility {
  channelId: string;
  related: readonly string[];
}

/** Agents who may see a board event besides its channel's members. */
function boardAudience(event: BoardEventRow): string[] {
  if (event.audience !== null) return JSON.parse(event.audience) as string[];
  if (event.kind !== 'session') return [];
  // Rows written before migration 2: the handler only.
  const agentId = (JSON.parse(event.data) as { agentId?: string }).agentId;
  return agentId ? [agentId] : [];
}

/** `kind` and `data` of each board event that carries data. */
type BoardPayload = BoardEvent extends infer E ? (E extends { kind: infer K; data: infer D } ? { kind: K; data: D } : never) : never;

/**
 * A stored event's kind and data as they go on the wire. The rows are written by this server from
 * these very types (`TenantStore.appendBoard`), so the JSON is not validated again.
 */
function payload(event: BoardEventRow): BoardPayload {
  const data: unknown = JSON.parse(event.data);
  return { kind: event.kind, data } as BoardPayload;
}

export class Board {
  constructor(
    private readonly ctx: RoomContext,
    private readonly isOnline: (agentId: string) => boolean,
  ) {}

  /** The board as an agent sees it now (snapshot of a `reset`, HTTP snapshot endpoint). */
  snapshot(agentId: string): BoardSnapshot {
    return this.ctx.store.boardSnapshot(agentId, this.ctx.now(), this.isOnline);
  }

  /** A `reset` of the board for this agent's connection. */
  resetFrame(agentId: string, reason: string): ServerFrame {
    const head = this.ctx.store.boardHead();
    return { t: 'reset', stream: 'board', epoch: head.epoch, reason, snapshot: this.snapshot(agentId) };
  }

  /** `hello`: replay from the client's position when the log still has it, else a reset. */
  resume(state: ConnState, agentId: string, pos: { epoch: string; seq: number } | undefined): { status: ResumeStatus; frames: ServerFrame[] } {
    const head = this.ctx.store.boardHead();
    const events = pos?.epoch === head.epoch && pos.seq <= head.seq ? this.ctx.store.boardEventsAfter(pos.seq, MAX_RESUME_REPLAY) : undefined;
    if (events) {
      return {
        status: { stream: 'board', status: 'replay', epoch: head.epoch, toSeq: head.seq },
        frames: events.map((e) => this.frame(e, head.epoch, this.visible(state, e, boardAudience(e)))),
      };
    }
    return { status: { stream: 'board', status: 'reset', epoch: head.epoch }, frames: [this.resetFrame(agentId, pos ? 'replay unavailable' : 'initial')] };
  }

  /** Who may see a session on the board now. */
  visibilityOf(row: SessionRow): Visibility {
    return { channelId: row.channel_id, related: this.ctx.store.relatedAgents(row) };
  }

  /**
   * A session's lifecycle changed: appends its board upsert. With `before` (its visibility
   * before this change), agents who could see it then and cannot now get a `session-remove`
   * (everyone else a skip).
   */
  sessionChanged(sessionId: string, after: After[], before?: Visibility): void {
    const { store } = this.ctx;
    const row = store.session(sessionId);
    if (!row) return;
    const now = this.visibilityOf(row);
    this.append(store.appendBoard('session', row.id, row.channel_id, store.summary(row), this.ctx.now(), now.related), after);
    if (!before) return;
    const losers = this.lostSight(before, now);
    if (losers.length === 0) return;
    this.append(store.appendBoard('session-remove', row.id, null, { id: row.id }, this.ctx.now(), losers), after);
  }

  /**
   * A session's message-level fields changed (a message, a read position). Today the same
   * board upsert as a lifecycle change; the place where these become coalesced activity.
   */
  summaryChanged(sessionId: string, after: After[]): void {
    this.sessionChanged(sessionId, after);
  }

  /** An agent's record changed (presence, load, online): appends the `agent` event. */
  agentChanged(agentId: string, after: After[]): boolean {
    const agent = this.ctx.store.agent(agentId);
    if (!agent) return false;
    this.append(this.ctx.store.appendBoard('agent', agentId, null, this.ctx.store.agentInfo(agent, this.isOnline(agentId)), this.ctx.now()), after);
    return true;
  }

  /**
   * Every minute: sessions whose `endedAt` left the recent window since the last sweep are
   * removed from the boards that show them (`session-remove`), as a fresh snapshot would.
   */
  recentSweep(): void {
    const { store } = this.ctx;
    const now = this.ctx.now();
    const last = store.tenant()?.recent_swept_at ?? now;
    const from = last - RECENT_WINDOW_MS;
    const to = now - RECENT_WINDOW_MS;
    if (to <= from) return;
    this.ctx.tx((after) => {
      for (const row of store.endedBetween(from, to)) {
        this.append(store.appendBoard('session-remove', row.id, row.channel_id, { id: row.id }, now, store.relatedAgents(row)), after);
      }
      store.setRecentSweptAt(now);
    });
  }

  private append(event: BoardEventRow, after: After[]): void {
    after.push(() => {
      this.deliver(event);
    });
  }

  /** Agents who could see a session with visibility `before` and cannot with `now`. */
  private lostSight(before: Visibility, now: Visibility): string[] {
    const candidates = new Set([...this.ctx.store.channelMembers(before.channelId), ...before.related]);
    const members = new Set(this.ctx.store.channelMembers(now.channelId));
    return [...candidates].filter((id) => !members.has(id) && !now.related.includes(id)).sort();
  }

  /** To every greeted agent: the event where it may see it, else a `skip`; each serialised once. */
  private deliver(event: BoardEventRow): void {
    const { conns } = this.ctx;
    const { epoch } = this.ctx.store.boardHead();
    const audience = boardAudience(event);
    const shown = once(() => this.frame(event, epoch, true));
    const skipped = once(() => this.frame(event, epoch, false));
    for (const state of conns.agents()) {
      if (!state.access) continue;
      conns.sendText(state, this.visible(state, event, audience) ? shown() : skipped());
    }
  }

  private frame(event: BoardEventRow, epoch: string, visible: boolean): BoardEvent {
    const base = { t: 'event', stream: 'board', epoch, seq: event.seq } as const;
    return visible ? { ...base, ...payload(event) } : { ...base, kind: 'skip' };
  }

  /** Agent events: everyone. Session events: the channel's members and the event's audience. */
  private visible(state: ConnState, event: BoardEventRow, audience: readonly string[]): boolean {
    if (event.kind === 'agent') return true;
    const access = state.access;
    if (!access) return false;
    if (event.channel_id !== null && access.channels.has(event.channel_id)) return true;
    return audience.includes(access.agent.id);
  }
}
