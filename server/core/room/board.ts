/**
 * The board stream (directory side): one sequenced log per tenant (`board_events`: `epoch`,
 * `seq`, and each event's stored audience) of session summaries and session removals, the
 * lifecycle of chats (queued, answered, transferred, requeued, taken over, ended or missed,
 * removed). Message-level fields travel apart (activity.ts), agents' presence and load too
 * (roster.ts).
 *
 * Each connection receives only the events it may see: a session event goes to the members of
 * its channel and to its audience (handler, transfer target, former handlers), found through the
 * connection indices, never by a scan of every connection. Each delivered event carries `prev`,
 * the `seq` of the previous board event delivered to that connection (`ConnState.boardSeq`), so
 * the client can prove its copy gapless without hearing of the rest. The event's payload is
 * serialised once per fan-out (it is stored as JSON text already); only `prev` is spliced in per
 * recipient.
 *
 * Resume replays the events visible to the agent after its position (the retained log is
 * scanned for them, up to {@link MAX_RESUME_REPLAY} visible ones); otherwise a snapshot is sent,
 * in parts of about {@link BOARD_PART_BYTES} (`reset`, then `reset-part` frames). A snapshot's
 * session summaries are serialised once per change of the session and kept (`Board.summaries`),
 * its roster in three queries: a console's snapshot costs a query of ids and a join of texts.
 */
import { BOARD_PART_BYTES, MAX_RESUME_REPLAY, RECENT_WINDOW_MS } from '../../../src/protocol/limits.js';
import type { BoardSnapshot, ResumeStatus } from '../../../src/protocol/index.js';
import type { BoardEventRow, SessionRow } from '../store/index.js';
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

/**
 * The text of a board event (`BoardEvent`) up to its `prev` value: the stored row's kind and
 * data (JSON written by this server from the very types of the frame, so not parsed again).
 * Complete it with `prev` and `}`.
 */
function eventHead(event: BoardEventRow, epoch: string): string {
  return `{"t":"event","stream":"board","epoch":${JSON.stringify(epoch)},"seq":${String(event.seq)},"kind":${JSON.stringify(event.kind)},"data":${event.data},"prev":`;
}

/** Bytes of a string in UTF-8 (what the socket sends). */
function utf8Length(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // 2 bytes below U+0800; 3 above (a surrogate pair: 2 + 2 for its two halves).
    if (c >= 0x80) n += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return n;
}

/** A record of a snapshot serialised beforehand, with its size in UTF-8 bytes. */
export interface SnapshotRecord {
  text: string;
  bytes: number;
}

/** A record serialised now (see {@link SnapshotRecord}). */
export function snapshotRecord(value: unknown): SnapshotRecord {
  const text = JSON.stringify(value);
  return { text, bytes: utf8Length(text) };
}

/**
 * A snapshot as one `reset` frame, or as a `reset` with the first part and `reset-part` frames
 * with the rest, each of about `partBytes` (sessions first, then agents). The records come
 * serialised (sessions from the board's cache): frames are joined as text.
 */
export function snapshotFrames(
  head: Pick<BoardSnapshot, 'epoch' | 'seq' | 'serverTime' | 'channels'>,
  sessions: readonly SnapshotRecord[],
  agents: readonly SnapshotRecord[],
  reason: string,
  partBytes = BOARD_PART_BYTES,
): string[] {
  interface Part {
    sessions: string[];
    agents: string[];
    size: number;
  }
  let part: Part = { sessions: [], agents: [], size: 0 };
  const parts: Part[] = [part];
  const add = (kind: 'sessions' | 'agents', record: SnapshotRecord): void => {
    const size = record.bytes + 1;
    if (part.size > 0 && part.size + size > partBytes) parts.push((part = { sessions: [], agents: [], size: 0 }));
    part[kind].push(record.text);
    part.size += size;
  };
  for (const s of sessions) add('sessions', s);
  for (const a of agents) add('agents', a);
  const epoch = JSON.stringify(head.epoch);
  const list = (items: string[]): string => `[${items.join(',')}]`;
  const [first, ...rest] = parts as [Part, ...Part[]];
  const n = parts.length;
  const texts = [
    `{"t":"reset","stream":"board","epoch":${epoch},"reason":${JSON.stringify(reason)}${n > 1 ? `,"parts":${String(n)}` : ''},"snapshot":{"epoch":${epoch},"seq":${String(head.seq)},"serverTime":${String(head.serverTime)},"channels":${JSON.stringify(head.channels)},"sessions":${list(first.sessions)},"agents":${list(first.agents)}}}`,
  ];
  rest.forEach((p, i) => {
    const fields = [...(p.sessions.length > 0 ? [`"sessions":${list(p.sessions)}`] : []), ...(p.agents.length > 0 ? [`"agents":${list(p.agents)}`] : [])];
    texts.push(`{"t":"reset-part","stream":"board","epoch":${epoch},"part":${String(i + 2)},"parts":${String(n)},${fields.join(',')}}`);
  });
  return texts;
}

/**
 * A session's summary as snapshots carry it, serialised once and kept until the session changes
 * (see {@link Board.forget}).
 */
interface CachedSummary extends SnapshotRecord {
  /** The agents the summary names, with the names it shows then: a renamed agent makes it stale. */
  names: readonly (readonly [string, string | undefined])[];
}

/** Entries kept at most; beyond, the cache starts over (sessions leave it with the recent sweep). */
const MAX_CACHED_SUMMARIES = 100_000;

/** The agents a session summary names (handler, transfer, offer, help, return). */
function namedAgents(row: SessionRow): string[] {
  const ids = [row.agent_id, row.transfer_from, row.transfer_to, row.offer_to, row.help_by, row.return_by];
  return ids.filter((id): id is string => typeof id === 'string' && id !== '');
}

export class Board {
  /**
   * Session id → its summary as the last snapshot serialised it. Every change of a summary goes
   * through {@link sessionChanged} (lifecycle) or {@link forget} (activity: the directory's
   * `activity` port), which drop the entry; a snapshot makes the missing ones again from the row.
   * So a console's `hello` costs a query of ids and a join of texts, not a summary per session:
   * a thousand consoles connecting to a board of thousands of chats no longer cost their product.
   */
  private readonly summaries = new Map<string, CachedSummary>();

  constructor(
    private readonly ctx: RoomContext,
    private readonly isOnline: (agentId: string) => boolean,
  ) {}

  /** The board as an agent sees it now (the HTTP snapshot endpoint: made from the rows, no cache). */
  snapshot(agentId: string): BoardSnapshot {
    return this.ctx.store.boardSnapshot(agentId, this.ctx.now(), this.isOnline);
  }

  /**
   * A fresh snapshot for an agent connection, as the frames of a `reset` (in parts when large);
   * the connection's board chain continues from the snapshot's position. The same sessions, in
   * the same order, as {@link snapshot}; their texts from the cache.
   */
  reset(state: ConnState, agentId: string, reason: string): string[] {
    const { store } = this.ctx;
    const head = store.boardHead();
    const now = this.ctx.now();
    const names = store.agentNames();
    const sessions: SnapshotRecord[] = [];
    for (const id of store.boardSessionIds(agentId, now)) {
      const record = this.summaryOf(id, names);
      if (record) sessions.push(record);
    }
    const agents = store.agentInfos(this.isOnline).map(snapshotRecord);
    state.boardSeq = head.seq;
    return snapshotFrames({ epoch: head.epoch, seq: head.seq, serverTime: now, channels: store.channels() }, sessions, agents, reason);
  }

  /** A session's summary changed (its activity, or anything else): its text is made again on next use. */
  forget(sessionId: string): void {
    this.summaries.delete(sessionId);
  }

  /** Anything may have changed (a batch whose commit failed): every text is made again. */
  forgetAll(): void {
    this.summaries.clear();
  }

  /** Cached summaries (tests, health). */
  get cachedSummaries(): number {
    return this.summaries.size;
  }

  private summaryOf(sessionId: string, names: ReadonlyMap<string, string>): SnapshotRecord | undefined {
    const hit = this.summaries.get(sessionId);
    if (hit?.names.every(([id, name]) => names.get(id) === name)) return hit;
    const { store } = this.ctx;
    const row = store.session(sessionId);
    if (!row) {
      this.summaries.delete(sessionId);
      return undefined;
    }
    const entry: CachedSummary = { ...snapshotRecord(store.summary(row)), names: namedAgents(row).map((id) => [id, names.get(id)] as const) };
    if (this.summaries.size >= MAX_CACHED_SUMMARIES) this.summaries.clear();
    this.summaries.set(sessionId, entry);
    return entry;
  }

  /**
   * `hello`: replays the events visible to this agent after the client's position when the log
   * still holds them all and they are at most {@link MAX_RESUME_REPLAY}; otherwise a reset. Sets
   * the connection's board position either way.
   */
  resume(state: ConnState, agentId: string, pos: { epoch: string; seq: number } | undefined): { status: ResumeStatus; texts: string[] } {
    const { store } = this.ctx;
    const head = store.boardHead();
    const channels = [...(state.access?.channels.keys() ?? [])];
    const events = pos?.epoch === head.epoch && pos.seq <= head.seq ? store.boardEventsFor(pos.seq, agentId, channels, MAX_RESUME_REPLAY) : undefined;
    if (pos && events) {
      let prev = pos.seq;
      const texts: string[] = [];
      for (const e of events) {
        if (!this.visible(state, e, boardAudience(e))) continue;
        texts.push(`${eventHead(e, head.epoch)}${String(prev)}}`);
        prev = e.seq;
      }
      state.boardSeq = prev;
      return { status: { stream: 'board', status: 'replay', epoch: head.epoch, toSeq: prev }, texts };
    }
    return { status: { stream: 'board', status: 'reset', epoch: head.epoch }, texts: this.reset(state, agentId, pos ? 'replay unavailable' : 'initial') };
  }

  /** Who may see a session on the board now. */
  visibilityOf(row: SessionRow): Visibility {
    return { channelId: row.channel_id, related: this.ctx.store.relatedAgents(row) };
  }

  /**
   * A session's lifecycle changed: appends its board upsert (the full summary at this moment).
   * With `before` (its visibility before this change), agents who could see it then and cannot
   * now get a `session-remove`; nobody else hears of that.
   */
  sessionChanged(sessionId: string, after: After[], before?: Visibility): void {
    const { store } = this.ctx;
    // Now, and again after the commit: what the transaction writes after this call (a system
    // event's stream head) is part of the summary too.
    this.forget(sessionId);
    after.push(() => {
      this.forget(sessionId);
    });
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
        this.forget(row.id);
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

  /**
   * To the connections that may see the event: the channel's members (index) and the event's
   * audience (by agent), each once, with its own `prev`.
   */
  private deliver(event: BoardEventRow): void {
    const { conns } = this.ctx;
    const head = eventHead(event, this.ctx.store.boardHead().epoch);
    const send = (state: ConnState): void => {
      if (!state.hello || state.closed || state.boardSeq === undefined) return;
      const prev = state.boardSeq;
      state.boardSeq = event.seq;
      conns.sendText(state, `${head}${String(prev)}}`);
    };
    const channelId = event.channel_id;
    if (channelId !== null) for (const state of conns.membersIn(channelId)) send(state);
    for (const agentId of boardAudience(event)) {
      for (const state of conns.ofAgent(agentId)) {
        if (channelId !== null && state.access?.channels.has(channelId)) continue; // a member: sent above
        send(state);
      }
    }
  }

  /** Session events: the channel's members and the event's audience. */
  private visible(state: ConnState, event: BoardEventRow, audience: readonly string[]): boolean {
    const access = state.access;
    if (!access) return false;
    if (event.channel_id !== null && access.channels.has(event.channel_id)) return true;
    return audience.includes(access.agent.id);
  }
}
