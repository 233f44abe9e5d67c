/**
 * The board applies an event in time independent of its size: the same twelve changes applied
 * to boards of 100 and 10,000 sessions look at the same number of entries, notify the same
 * listeners the same number of times, rebuild nothing, and compare rows a number of times that
 * grows with the logarithm of the lists only (binary search). Work is counted, never timed
 * (timings: bench/board.bench.ts). The indexes are checked against a full recomputation.
 */
import { expect } from '@open-wc/testing';

import type { SessionSummary } from '../../src/protocol/index.js';
import type { Board } from '../../src/state/board.js';
import { boardOf, boardScript, observedBoard, T0 } from '../helpers/board-load.js';

/** What the indexes must hold, computed the slow way from every session. */
function expected(board: Board) {
  const all = [...board.sessions.values()];
  const tie = (a: SessionSummary, b: SessionSummary) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    queued: all.filter((s) => s.status === 'queued' && s.channelId === 'support').sort((a, b) => a.createdAt - b.createdAt || tie(a, b)),
    mine: all.filter((s) => s.status === 'active' && s.agentId === 'ann').sort((a, b) => b.lastActivityAt - a.lastActivityAt || tie(a, b)),
    incoming: all.filter((s) => s.status === 'active' && s.transfer?.toAgentId === 'ann'),
  };
}

function run(n: number) {
  const { board, work, heard, stop } = observedBoard(n);
  const start = { ...work, heard: heard() };
  const perEvent: { visited: number; heard: number }[] = [];
  for (const step of boardScript(n)) {
    const before = { visited: work.visited, heard: heard() };
    step(board);
    perEvent.push({ visited: work.visited - before.visited, heard: heard() - before.heard });
    const want = expected(board);
    expect(board.$queued.get().map((s) => s.id)).to.deep.equal(want.queued.map((s) => s.id));
    expect(board.$mine.get().map((s) => s.id)).to.deep.equal(want.mine.map((s) => s.id));
    expect(board.$incomingTransfers.get().map((s) => s.id)).to.deep.equal(want.incoming.map((s) => s.id));
    expect(board.$queuedCount.get()).to.equal(want.queued.length);
    expect(board.$mineCount.get()).to.equal(want.mine.length);
  }
  const result = {
    visited: work.visited - start.visited,
    compared: work.compared - start.compared,
    rebuilds: work.rebuilds - start.rebuilds,
    heard: heard() - start.heard,
    perEvent,
    myAgent: board.$myAgent.get()?.status,
  };
  stop();
  return result;
}

describe('board at scale', () => {
  it('applies the same changes to 100 and 10,000 sessions with the same work (entries, listeners), no rebuild, comparisons ~ log n', () => {
    const small = run(100);
    const large = run(10_000);
    expect(large.rebuilds, 'no index rebuilt by an event').to.equal(0);
    expect(small.rebuilds).to.equal(0);
    expect(large.visited, 'entries looked at').to.equal(small.visited);
    expect(large.perEvent).to.deep.equal(small.perEvent);
    expect(large.heard, 'listener notifications').to.equal(small.heard);
    // Binary searches over lists of 25 vs 2,500 rows: log2 grows 4.6 → 11.3.
    expect(large.compared, 'comparisons').to.be.at.most(small.compared * 3);
    expect(large.compared, 'nowhere near the board size').to.be.below(400);
    expect(large.myAgent).to.equal('present');
  });

  it('a change no index shows (another channel, another agent) notifies nobody', () => {
    const { board, heard, stop } = observedBoard(1000);
    const before = heard();
    const other = board.sessions.get('s000001');
    expect(other?.channelId).to.equal('sales');
    board.upsertSession({ ...other!, customer: { name: 'Someone else' } });
    board.patchSession('s000003', { unread: 5 });
    expect(heard() - before).to.equal(0);
    stop();
  });

  it('a snapshot in parts: each part updates the indexes once, and they match the whole board', () => {
    const { board, work, stop } = observedBoard(0);
    const all = boardOf(2_000);
    const rebuilds = work.rebuilds;
    board.resetBoard({ epoch: 'B2', seq: 7, serverTime: T0, sessions: all.slice(0, 500), agents: [], channels: [] });
    for (let i = 500; i < all.length; i += 500) board.resetBoardPart({ sessions: all.slice(i, i + 500) });
    // Five indexes are observed ($queued, $queuedCount, $mine, $mineCount, $incomingTransfers):
    // each is rebuilt once per part, not once per session.
    expect(work.rebuilds - rebuilds, 'rebuilds').to.equal(5 * 4);
    const want = expected(board);
    expect(board.sessions.size).to.equal(2_000);
    expect(board.$queued.get().map((s) => s.id)).to.deep.equal(want.queued.map((s) => s.id));
    expect(board.$mine.get().map((s) => s.id)).to.deep.equal(want.mine.map((s) => s.id));
    expect(board.$queuedCount.get()).to.equal(500);
    stop();
  });
});
