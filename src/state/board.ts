/**
 * Board slice: the sessions, agents and channels an agent's console shows, from the board
 * stream (snapshot, then events), with the lists derived from them (chats waiting in my
 * channels, my chats, transfers offered to me).
 */
import type { ReadableAtom } from 'nanostores';
import { atom, computed, map } from 'nanostores';

import type { AgentInfo, BoardEvent, BoardSnapshot, ChannelInfo, Me, SessionSummary } from '../protocol/index.js';
import type { StreamHandler, StreamPosition } from './sequencer.js';
import { gapless } from './sequencer.js';

export interface BoardHooks {
  /** A session was put on the board, changed or removed (undefined). */
  changed(id: string, session: SessionSummary | undefined): void;
  /** The board cannot be continued: a fresh snapshot is needed (the server sends one on resume). */
  resync(): void;
}

export function createBoard($me: ReadableAtom<Me | undefined>, hooks: BoardHooks) {
  /** Sessions on the agent's board by id. */
  const $sessions = map<Record<string, SessionSummary>>({});
  /** Agents of the tenant (presence and load) by id. */
  const $agents = map<Record<string, AgentInfo>>({});
  /** Chat channels of the tenant. */
  const $channels = atom<ChannelInfo[]>([]);
  let position: StreamPosition | undefined;

  const $agentMe = computed($me, (me) => (me?.kind === 'agent' ? me : undefined));
  /** Channels where I may answer chats. */
  const $respondChannels = computed($agentMe, (me) => new Set(me?.channels.filter((c) => c.permissions.respond).map((c) => c.id) ?? []));
  /** Unanswered chats waiting in my channels (the Dashboard badge; the queue count). */
  const $queued = computed([$sessions, $respondChannels], (sessions, channels) =>
    Object.values(sessions)
      .filter((s) => s.status === 'queued' && channels.has(s.channelId))
      .sort((a, b) => a.createdAt - b.createdAt),
  );
  /** Chats I handle now (the Chats badge). */
  const $mine = computed([$sessions, $agentMe], (sessions, me) =>
    Object.values(sessions)
      .filter((s) => s.status === 'active' && me !== undefined && s.agentId === me.id)
      .sort((a, b) => b.lastActivityAt - a.lastActivityAt),
  );
  /** Chats offered to me by a pending transfer (Accept / Decline), oldest offer first. */
  const $incomingTransfers = computed([$sessions, $agentMe], (sessions, me) =>
    Object.values(sessions)
      .filter((s) => s.status === 'active' && me !== undefined && s.transfer?.toAgentId === me.id)
      .sort((a, b) => (a.transfer?.at ?? 0) - (b.transfer?.at ?? 0)),
  );

  /** The board stream's rules for the sequencer. */
  const stream: StreamHandler = {
    position: () => position,
    setPosition(seq) {
      if (position) position = { epoch: position.epoch, seq };
    },
    follows: gapless,
    resync() {
      position = undefined;
      hooks.resync();
    },
  };

  /** Puts a session on the board, or replaces it. */
  function upsertSession(session: SessionSummary): void {
    $sessions.setKey(session.id, session);
    hooks.changed(session.id, session);
  }

  /** Takes a session off the board. */
  function removeSession(id: string): void {
    $sessions.setKey(id, undefined);
    hooks.changed(id, undefined);
  }

  /** Applies one board event (in order: see the sequencer). */
  function apply(frame: BoardEvent): void {
    if (frame.kind === 'session') upsertSession(frame.data);
    else if (frame.kind === 'session-remove') removeSession(frame.data.id);
    else if (frame.kind === 'agent') $agents.setKey(frame.data.id, frame.data);
  }

  /** Replaces the board with a snapshot. */
  function reset(snap: BoardSnapshot): void {
    position = { epoch: snap.epoch, seq: snap.seq };
    $sessions.set(Object.fromEntries(snap.sessions.map((s) => [s.id, s])));
    $agents.set(Object.fromEntries(snap.agents.map((a) => [a.id, a])));
    $channels.set(snap.channels);
  }

  /** Forgets everything (sign-out). */
  function clear(): void {
    position = undefined;
    $sessions.set({});
    $agents.set({});
    $channels.set([]);
  }

  return {
    $sessions,
    $agents,
    $channels,
    $agentMe,
    $queued,
    $mine,
    $incomingTransfers,
    stream,
    position: () => position,
    get: (id: string): SessionSummary | undefined => $sessions.get()[id],
    upsertSession,
    removeSession,
    apply,
    reset,
    clear,
  };
}

export type Board = ReturnType<typeof createBoard>;
