/**
 * Boards of any size (issue 12 item 6) over a real socket: a snapshot of 6,000 sessions arrives
 * complete, as a `reset` and `reset-part` frames each well under the socket's 1 MiB cut-off;
 * events after it chain from its position. And the board's resume: the replay scans the
 * retained log past 500 events the agent may not see, while more than 500 it may see are sent
 * as a snapshot instead.
 *
 * The sessions are started through the server's own path (`ChatRoom.startChat`, as
 * `POST /api/chats` does), on a database with `synchronous = NORMAL`: this is about the board's
 * size, not durability (restart.test.ts covers that).
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';

import { MAX_RESUME_REPLAY, MAX_SOCKET_PAYLOAD_BYTES } from '../../src/protocol/limits.js';
import type { ServerFrame } from './helpers.js';
import { assertBoardChain, boardPosition, isBoardEvent, isBoardReset, isResetPart, startServer, type Harness, where } from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await startServer({ synchronous: 'NORMAL' });
});
afterEach(async () => {
  await h.close();
});

async function startChats(count: number, channel: (i: number) => string): Promise<string[]> {
  const room = h.server.room('demo');
  assert.ok(room, 'demo room');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await room.startChat({ channelId: channel(i), name: `Customer ${String(i)}` })).sessionId);
  return ids;
}

const bytes = (f: ServerFrame): number => Buffer.byteLength(JSON.stringify(f));

describe('a board of 6,000 sessions', () => {
  test('reaches an agent complete, in parts well under 1 MiB each; live events chain from the snapshot', async () => {
    const ids = await startChats(6000, (i) => (i % 2 === 0 ? 'support' : 'sales'));
    const sales = ids.filter((_, i) => i % 2 === 1);
    for (const [agentId, expected] of [
      ['anna', ids],
      ['lars', sales],
    ] as const) {
      const agent = await h.api.agent(agentId);
      const reset = await agent.waitFor(isBoardReset, { label: 'reset' });
      const parts = reset.parts ?? 1;
      assert.ok(parts > 1, `${agentId}: the snapshot comes in parts (${String(parts)})`);
      const rest = await agent.waitForCount(isResetPart, parts - 1, { timeoutMs: 20_000 });
      await agent.sync();
      assert.equal(agent.all(isResetPart).length, parts - 1, 'no more parts than announced');
      assert.deepEqual(
        rest.map((p) => [p.part, p.parts, p.epoch]),
        Array.from({ length: parts - 1 }, (_, i) => [i + 2, parts, reset.epoch]),
        'parts 2… in order, of one snapshot',
      );
      for (const f of [reset, ...rest]) assert.ok(bytes(f) < MAX_SOCKET_PAYLOAD_BYTES / 2, `a part of ${String(bytes(f))} bytes`);
      const sessions = [...reset.snapshot.sessions, ...rest.flatMap((p) => p.sessions ?? [])];
      assert.equal(new Set(sessions.map((s) => s.id)).size, sessions.length, 'no session twice');
      assert.deepEqual(sessions.map((s) => s.id).sort(), [...expected].sort(), `${agentId}: every session of the board, and only those`);
      assert.deepEqual(
        [...reset.snapshot.agents, ...rest.flatMap((p) => p.agents ?? [])].map((a) => a.id).sort(),
        ['anna', 'erik', 'lars', 'sofia'],
      );
      // The chain continues from the snapshot's position.
      const [next] = await startChats(1, () => 'sales');
      ids.push(next!);
      sales.push(next!);
      const live = await agent.waitFor(where(isBoardEvent, (e) => e.kind === 'session' && e.data.id === next));
      assert.equal(live.prev, reset.snapshot.seq);
      assertBoardChain(agent);
      await agent.close();
    }
  });
});

describe('board resume', () => {
  test('scans past more than 500 events of other channels for the few an agent may see', async () => {
    const lars = await h.api.agent('lars', { clientId: 'lars-tab' }); // sales only
    const pos = boardPosition(lars);
    await lars.close();
    await startChats(MAX_RESUME_REPLAY + 100, () => 'support');
    const [sale] = await startChats(1, () => 'sales');
    const back = await h.api.agent('lars', { clientId: 'lars-tab', resume: { board: pos } });
    const status = back.welcome?.resume.find((r) => r.stream === 'board');
    assert.equal(status?.status, 'replay');
    const replay = await back.waitFor(where(isBoardEvent, (e) => e.kind === 'session' && e.data.id === sale));
    assert.equal(replay.prev, pos.seq);
    assert.equal(replay.seq, pos.seq + MAX_RESUME_REPLAY + 101);
    assert.equal(status.toSeq, replay.seq);
    await back.sync();
    assert.deepEqual(
      assertBoardChain(back, pos.seq).map((e) => e.seq),
      [replay.seq],
      'exactly the one event lars may see',
    );
  });

  test('more than 500 events the agent may see: a snapshot instead of a replay', async () => {
    const sofia = await h.api.agent('sofia', { clientId: 'sofia-tab' }); // support only
    const pos = boardPosition(sofia);
    await sofia.close();
    const ids = await startChats(MAX_RESUME_REPLAY + 1, () => 'support');
    const back = await h.api.agent('sofia', { clientId: 'sofia-tab', resume: { board: pos } });
    assert.equal(back.welcome?.resume.find((r) => r.stream === 'board')?.status, 'reset');
    const reset = await back.waitFor(isBoardReset);
    await back.sync();
    const rest = back.all(isResetPart);
    assert.equal(rest.length, (reset.parts ?? 1) - 1);
    const sessions = [...reset.snapshot.sessions, ...rest.flatMap((p) => p.sessions ?? [])].map((s) => s.id);
    for (const id of ids) assert.ok(sessions.includes(id), 'the snapshot has every chat');
    assert.ok(!back.frames.some(isBoardEvent), 'no replayed events');
  });
});
