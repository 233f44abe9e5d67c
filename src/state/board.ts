/**
 * Board slice: the sessions, agents and channels an agent's console shows, from the board
 * stream (snapshot, then events), with the indexes derived from them.
 *
 * Sessions and agents are keyed collections (`keyed.ts`): an upsert, patch or removal is O(1)
 * and notifies only the stores that follow that entry and the indexes whose rows it changes.
 * The indexes (`$queued`, `$mine`, `$incomingTransfers`, their counts) keep up one change at a
 * time (`sorted-view.ts`) and are rebuilt only on a snapshot or when who I am changes.
 *
 * The actions are the board's vocabulary, whatever the wire says: `upsertSession`,
 * `patchSession` (message-level fields of a session already on the board: latest value wins),
 * `removeSession`, `upsertAgents`, and `resetBoard` / `resetBoardPart` (a snapshot, which may
 * come in several parts).
 *
 * The wire (protocol v2): board events carry `prev`, the `seq` of the previous board event this
 * connection received, and apply only when it is the board's position (`follows`); `activity`
 * frames patch message-level fields, `agents` frames upsert agents; a snapshot in parts
 * (`reset` with `parts`, then `reset-part` frames) is assembled ({@link beginSnapshot},
 * {@link addSnapshotPart}) and applied only when every part is there.
 */
import type { ReadableAtom } from 'nanostores';
import { atom, computed } from 'nanostores';

import type {
  AgentInfo,
  AgentMe,
  BoardEvent,
  BoardSnapshot,
  ChannelInfo,
  Me,
  ResetPartFrame,
  SessionActivity as ActivityEntry,
  SessionSummary,
} from '../protocol/index.js';
import { priorityRank } from '../protocol/priority.js';
import type { WorkCounter } from './keyed.js';
import { keyed, newWorkCounter } from './keyed.js';
import type { EventPlace, StreamHandler, StreamPosition } from './sequencer.js';
import type { ViewSpec } from './sorted-view.js';
import { countView, sortedView } from './sorted-view.js';

/** Session fields that change with every message: they may arrive apart from the board's sequence. */
export type SessionActivity = Partial<Pick<SessionSummary, 'lastMessage' | 'lastActivityAt' | 'unread' | 'seq' | 'customerReadSeq'>>;

/** The board's numbering: each event names the one before it that this connection received. */
export const byPrev = (event: EventPlace): number => event.prev ?? event.seq - 1;

/** Ties broken by id, so that every order is total. */
export const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export interface BoardHooks {
  /** The board cannot be continued here: resume it anew (a new hello; the server replays or resets). */
  resync(): void;
}

export function createBoard($me: ReadableAtom<Me | undefined>, hooks: BoardHooks, work: WorkCounter = newWorkCounter()) {
  const sessions = keyed<SessionSummary>((s) => s.id);
  const agents = keyed<AgentInfo>((a) => a.id);
  /** Chat channels of the tenant. */
  const $channels = atom<ChannelInfo[]>([]);
  let position: StreamPosition | undefined;
  /** A snapshot whose parts are still arriving (not applied yet). */
  let pending: { snap: BoardSnapshot; parts: number; rest: ResetPartFrame[] } | undefined;
  /** A resync is under way: nothing more of this connection's board stream is applied. */
  let resyncing = false;

  const $agentMe = computed($me, (me): AgentMe | undefined => (me?.kind === 'agent' ? me : undefined));
  /** My id (changes only when I do). */
  const $meId = computed($agentMe, (me) => me?.id);
  /** Channels where I may answer chats, as a key that changes only when they do. */
  const $respondKey = computed($agentMe, (me) =>
    (me?.channels.filter((c) => c.permissions.respond).map((c) => c.id) ?? []).sort().join('\n'),
  );

  const spec = <R>(make: (meId: string | undefined) => ViewSpec<SessionSummary, R>) => computed($meId, make);

  /** Unanswered chats waiting in my channels (the Dashboard's rows; the queue count): highest priority, then oldest, as the server answers them. */
  const $queuedSpec = computed($respondKey, (key): ViewSpec<SessionSummary, SessionSummary> => {
    const channels = new Set(key === '' ? [] : key.split('\n'));
    return {
      select: (s) => (s.status === 'queued' && channels.has(s.channelId) ? s : undefined),
      order: (a, b) => priorityRank(a.priority) - priorityRank(b.priority) || a.createdAt - b.createdAt || byId(a, b),
    };
  });
  const $queued = sortedView(sessions, $queuedSpec, work);
  const $queuedCount = countView(
    sessions,
    computed($queuedSpec, (q) => (s: SessionSummary) => q.select(s) !== undefined),
    work,
  );

  const mineTest = (meId: string | undefined) => (s: SessionSummary) => s.status === 'active' && meId !== undefined && s.agentId === meId;
  /** Chats I handle now (the Chats badge), newest activity first. */
  const $mine = sortedView(
    sessions,
    spec((meId) => {
      const test = mineTest(meId);
      return { select: (s) => (test(s) ? s : undefined), order: (a, b) => b.lastActivityAt - a.lastActivityAt || byId(a, b) };
    }),
    work,
  );
  /** How many chats I handle now (the Chats badge; with those on hold). */
  const $mineCount = countView(sessions, computed($meId, mineTest), work);
  /**
   * My load: the chats I handle that count against my limit (`maxConcurrentChats`). A chat on
   * hold does not (issue 18, docs/protocol.md § 8.8): holding one frees a place, as the server counts.
   */
  const $loadCount = countView(
    sessions,
    computed($meId, (meId) => {
      const test = mineTest(meId);
      return (s: SessionSummary) => test(s) && s.heldAt === undefined;
    }),
    work,
  );

  /** Chats offered to me by a pending transfer (Accept / Decline), oldest offer first. */
  const $incomingTransfers = sortedView(
    sessions,
    spec((meId) => ({
      select: (s) => (s.status === 'active' && meId !== undefined && s.transfer?.toAgentId === meId ? s : undefined),
      order: (a, b) => (a.transfer?.at ?? 0) - (b.transfer?.at ?? 0) || byId(a, b),
    })),
    work,
  );

  /** Waiting chats offered to me by automatic assignment (Accept / Decline before it expires), oldest offer first. */
  const $incomingOffers = sortedView(
    sessions,
    spec((meId) => ({
      select: (s) => (s.status === 'queued' && meId !== undefined && s.offer?.agentId === meId ? s : undefined),
      order: (a, b) => (a.offer?.at ?? 0) - (b.offer?.at ?? 0) || byId(a, b),
    })),
    work,
  );

  /** My own agent record (presence and load as others see them), kept up as agents change. */
  const $myAgent = atom<AgentInfo | undefined>(undefined);
  const syncMyAgent = () => {
    const id = $meId.get();
    $myAgent.set(id === undefined ? undefined : agents.get(id));
  };
  $meId.listen(syncMyAgent);
  agents.watch({
    change(id, next) {
      if (id === $meId.get()) $myAgent.set(next);
    },
    reset: syncMyAgent,
  });

  /** The board stream's rules for the sequencer: numbered by `prev`, no range to fetch (a gap resyncs). */
  const stream: StreamHandler = {
    position: () => (resyncing ? undefined : position),
    setPosition(seq) {
      if (position) position = { epoch: position.epoch, seq };
    },
    follows: byPrev,
    resync() {
      // The position stays: the next hello resumes from it, and the server replays what this
      // connection may see after it (or sends a snapshot when it cannot, e.g. another epoch).
      pending = undefined;
      resyncing = true;
      hooks.resync();
    },
  };

  /** The connection went down: the next one's stream continues from the position. */
  function down(): void {
    resyncing = false;
    pending = undefined;
  }

  /** Puts a session on the board, or replaces it: O(1). */
  function upsertSession(session: SessionSummary): void {
    work.visited += 1;
    sessions.set(session.id, session);
  }

  /** Changes message-level fields of a session on the board (ignored when it is not on the board). */
  function patchSession(id: string, fields: SessionActivity): void {
    work.visited += 1;
    const current = sessions.get(id);
    if (!current) return;
    // `response` is message-level too: absent from the entry means no answer is awaited any more.
    const { response: _was, ...rest } = current;
    sessions.set(id, { ...rest, ...fields });
  }

  /**
   * The summary a session stream's snapshot carries (as it was when that snapshot was made). The
   * board stream is the ordered record of a session's lifecycle, so a session the board shows
   * keeps its lifecycle fields from there (help, hold, transfer, status, …): a snapshot made
   * before a change that the board stream already brought must not set it back (issue 18: a
   * supervisor opening a chat answers its request for help, and her own Dashboard must show the
   * request gone). Only the message-level fields are taken from it, and only when not older.
   * A session the board does not show yet is put on it.
   */
  function sessionFromStream(session: SessionSummary): void {
    const current = sessions.get(session.id);
    if (!current) {
      upsertSession(session);
      return;
    }
    if (session.seq < current.seq || session.lastActivityAt < current.lastActivityAt) return;
    const { lastActivityAt, lastMessage, unread, seq, customerReadSeq, response } = session;
    patchSession(session.id, {
      lastActivityAt,
      unread,
      seq,
      ...(lastMessage ? { lastMessage } : {}),
      ...(customerReadSeq !== undefined ? { customerReadSeq } : {}),
      ...(response ? { response } : {}),
    });
  }

  /** Takes a session off the board. */
  function removeSession(id: string): void {
    work.visited += 1;
    sessions.set(id, undefined);
  }

  /** Puts agents on the board, or replaces them (presence and load). */
  function upsertAgents(list: readonly AgentInfo[]): void {
    agents.setMany(list);
  }

  /** An `activity` frame: the message-level fields of sessions on the board (others are ignored). */
  function applyActivity(entries: readonly ActivityEntry[]): void {
    for (const { id, lastMessage, customerReadSeq, ...rest } of entries) {
      patchSession(id, { ...rest, ...(lastMessage ? { lastMessage } : {}), ...(customerReadSeq !== undefined ? { customerReadSeq } : {}) });
    }
  }

  /** Applies one board event (in order: see the sequencer). */
  function apply(frame: BoardEvent): void {
    if (frame.kind === 'session') upsertSession(frame.data);
    else removeSession(frame.data.id);
  }

  /**
   * A `reset` of the board: applied at once when it is whole (true); with `parts` > 1 it waits
   * for its `reset-part` frames (false), and the board has no position meanwhile (an event cannot
   * apply to a board that is being replaced).
   */
  function beginSnapshot(snap: BoardSnapshot, parts = 1): boolean {
    if (parts <= 1) {
      pending = undefined;
      resetBoard(snap);
      return true;
    }
    position = undefined;
    pending = { snap, parts, rest: [] };
    return false;
  }

  /**
   * A `reset-part`: `applied` when it completes the snapshot (the board is replaced now, in one
   * go), `waiting` for more, `invalid` when it does not continue the snapshot being assembled (the
   * board must resync).
   */
  function addSnapshotPart(part: ResetPartFrame): 'applied' | 'waiting' | 'invalid' {
    const p = pending;
    if (p?.snap.epoch !== part.epoch || part.parts !== p.parts || part.part !== p.rest.length + 2) {
      pending = undefined;
      return 'invalid';
    }
    p.rest.push(part);
    if (p.rest.length + 1 < p.parts) return 'waiting';
    pending = undefined;
    resetBoard(p.snap);
    for (const r of p.rest) resetBoardPart(r);
    return 'applied';
  }

  /**
   * Replaces the board with a snapshot. A snapshot sent in parts starts with this; the parts
   * after it go through `resetBoardPart`.
   */
  function resetBoard(snap: BoardSnapshot): void {
    position = { epoch: snap.epoch, seq: snap.seq };
    sessions.setMany(snap.sessions, true);
    agents.setMany(snap.agents, true);
    $channels.set(snap.channels);
  }

  /** A further part of a snapshot: more sessions and agents (each part's views are updated once). */
  function resetBoardPart(part: { sessions?: readonly SessionSummary[]; agents?: readonly AgentInfo[] }): void {
    if (part.sessions) sessions.setMany(part.sessions);
    if (part.agents) agents.setMany(part.agents);
  }

  /**
   * The board kept on this device, shown before the first welcome (a reload while offline). It
   * has no position: the next hello asks for a snapshot, which replaces it.
   */
  function restore(saved: { sessions: readonly SessionSummary[]; agents: readonly AgentInfo[]; channels: ChannelInfo[] }): void {
    position = undefined;
    sessions.setMany(saved.sessions, true);
    agents.setMany(saved.agents, true);
    $channels.set(saved.channels);
  }

  /** Forgets everything (sign-out). */
  function clear(): void {
    position = undefined;
    pending = undefined;
    resyncing = false;
    sessions.clear();
    agents.clear();
    $channels.set([]);
  }

  return {
    sessions,
    agents,
    /** Sessions on the agent's board by id: the whole board as a record, built when read (O(n)). */
    $sessions: sessions.$all,
    /** Agents of the tenant (presence and load) by id, built when read. */
    $agents: agents.$all,
    $channels,
    $agentMe,
    $meId,
    $myAgent,
    $queued,
    $queuedCount,
    $mine,
    $mineCount,
    $loadCount,
    $incomingTransfers,
    $incomingOffers,
    stream,
    work,
    position: () => position,
    get: (id: string): SessionSummary | undefined => sessions.get(id),
    upsertSession,
    sessionFromStream,
    patchSession,
    removeSession,
    upsertAgents,
    applyActivity,
    apply,
    beginSnapshot,
    addSnapshotPart,
    down,
    resetBoard,
    resetBoardPart,
    restore,
    clear,
  };
}

export type Board = ReturnType<typeof createBoard>;
