/**
 * Boards of any size and one fixed script of board changes, for the board's scale test
 * (test/state/board-scale.test.ts) and its benchmark (bench/board.bench.ts). Imports nothing of
 * the test runner.
 *
 * A board of `n` sessions: a quarter each waiting in my channel, waiting in a channel where I may
 * not answer, active and mine, active and another agent's. Every index of the board (chats
 * waiting for me, my chats, offers to me) then grows with `n`, the worst case for keeping them.
 */
import { atom } from 'nanostores';

import type { AgentInfo, AgentMe, SessionSummary } from '../../src/protocol/index.js';
import type { Board } from '../../src/state/board.js';
import { createBoard } from '../../src/state/board.js';
import type { WorkCounter } from '../../src/state/keyed.js';
import { newWorkCounter } from '../../src/state/keyed.js';

export const T0 = Date.UTC(2026, 10, 25, 8, 0, 0);

export const BOARD_ME: AgentMe = {
  kind: 'agent',
  id: 'ann',
  tenantId: 'demo',
  name: 'Ann Agent',
  status: 'present',
  maxConcurrentChats: 100_000,
  manageQuickReplies: false,
  channels: [
    { id: 'support', name: 'Support', permissions: { respond: true, notifications: true, listen: true, manager: false } },
    { id: 'sales', name: 'Sales', permissions: { respond: false, notifications: false, listen: true, manager: false } },
  ],
};

export function boardSession(i: number): SessionSummary {
  const id = `s${String(i).padStart(6, '0')}`;
  const at = T0 + i * 1000;
  const base: SessionSummary = {
    id,
    channelId: 'support',
    status: 'queued',
    customer: { name: `Customer ${String(i)}` },
    createdAt: at,
    lastActivityAt: at,
    lastMessage: { from: 'customer', text: `Hello ${String(i)}`, at },
    unread: 1,
    seq: 3,
  };
  switch (i % 4) {
    case 0:
      return base;
    case 1:
      return { ...base, channelId: 'sales' };
    case 2:
      return { ...base, status: 'active', agentId: 'ann', agentName: 'Ann Agent', acceptedAt: at };
    default:
      return { ...base, status: 'active', agentId: 'erik', agentName: 'Erik Johansson', acceptedAt: at };
  }
}

export const boardOf = (n: number): SessionSummary[] => Array.from({ length: n }, (_, i) => boardSession(i));

const agent = (id: string, status: AgentInfo['status']): AgentInfo => ({
  id,
  name: id,
  status,
  online: true,
  channelIds: ['support'],
  activeChats: 1,
  maxConcurrentChats: 5,
});

/**
 * The same twelve changes for every board size: a new chat waits in my channel, I answer it, its
 * customer and I write, another agent's customer writes, a chat in a channel I cannot answer
 * changes, another agent offers me a chat and I take it, chats end and leave the board, and two
 * agents change their presence. Ids are from the start of the board, which every size has.
 */
export function boardScript(n: number): ((board: Board) => void)[] {
  const fresh = boardSession(n + 1_000_000);
  const id = (i: number) => boardSession(i).id;
  const at = (k: number) => T0 + 10_000_000 + k;
  return [
    (b) => {
      b.upsertSession({ ...fresh, status: 'queued', channelId: 'support' });
    },
    (b) => {
      b.upsertSession({ ...fresh, status: 'active', agentId: 'ann', agentName: 'Ann Agent', acceptedAt: at(1) });
    },
    (b) => {
      b.patchSession(fresh.id, { lastMessage: { from: 'customer', text: 'Where is my parcel?', at: at(2) }, lastActivityAt: at(2), unread: 1, seq: 4 });
    },
    (b) => {
      b.patchSession(id(2), { lastMessage: { from: 'agent', text: 'It is on its way.', at: at(3) }, lastActivityAt: at(3), unread: 0, seq: 4 });
    },
    (b) => {
      b.patchSession(id(3), { lastMessage: { from: 'customer', text: 'Thanks', at: at(4) }, lastActivityAt: at(4), unread: 2, seq: 4 });
    },
    (b) => {
      b.upsertSession({ ...boardSession(1), customer: { name: 'Renamed customer' } });
    },
    (b) => {
      const s = boardSession(7);
      b.upsertSession({
        ...s,
        transfer: { fromAgentId: 'erik', fromAgentName: 'Erik Johansson', toAgentId: 'ann', toAgentName: 'Ann Agent', at: at(5), expiresAt: at(5) + 120_000 },
      });
    },
    (b) => {
      b.upsertSession({ ...boardSession(7), agentId: 'ann', agentName: 'Ann Agent', lastActivityAt: at(6) });
    },
    (b) => {
      b.upsertSession({ ...boardSession(6), status: 'ended', endedAt: at(7) });
    },
    (b) => {
      b.removeSession(id(11));
    },
    (b) => {
      b.upsertAgents([agent('erik', 'away')]);
    },
    (b) => {
      b.upsertAgents([agent('ann', 'present')]);
    },
  ];
}

/** A board of `n` sessions with the stores an agent's console follows observed; counts what they hear. */
export function observedBoard(n: number): { board: Board; work: WorkCounter; heard: () => number; stop: () => void } {
  const $me = atom<AgentMe | undefined>(BOARD_ME);
  const work = newWorkCounter();
  const board = createBoard($me, { resync: () => undefined }, work);
  board.resetBoard({ epoch: 'B1', seq: 0, serverTime: T0, sessions: boardOf(n), agents: [agent('erik', 'present')], channels: [] });
  let heard = 0;
  const count = () => {
    heard += 1;
  };
  const stops = [
    board.$queued.listen(count),
    board.$queuedCount.listen(count),
    board.$mine.listen(count),
    board.$mineCount.listen(count),
    board.$incomingTransfers.listen(count),
    board.$myAgent.listen(count),
    board.sessions.item(boardSession(2).id).listen(count),
  ];
  return {
    board,
    work,
    heard: () => heard,
    stop: () => {
      for (const stop of stops) stop();
    },
  };
}
