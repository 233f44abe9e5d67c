/**
 * Queue assignment over real sockets: the "get next" race, capacity, conflicts, customers who
 * leave the queue, queue positions, presence on every board (agents frames).
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';

import { createTenant } from '../../server/core/seed.js';
import {
  agentRecord,
  isBoardEvent,
  isNack,
  isOk,
  isQueue,
  sessionEventOf,
  startServer,
  type BoardEvent,
  type Harness,
  type NackFrame,
  type OkFrame,
  type QueueFrame,
  type SessionEvent,
  type TestClient,
} from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await startServer();
});
afterEach(async () => {
  await h.close();
});

function sessionRow(id: string): { status: string; agent_id: string | null } | undefined {
  return h.server.db.get('SELECT status, agent_id FROM sessions WHERE id = ?', [id]);
}

/** Waits until `agent`'s board shows `sessionId` (any status). */
function boardShows(agent: TestClient, sessionId: string, status = 'queued'): Promise<BoardEvent> {
  return agent.waitFor((f): f is BoardEvent => isBoardEvent(f) && f.kind === 'session' && f.data.id === sessionId && f.data.status === status, {
    label: `board: ${sessionId} ${status}`,
  });
}

describe('get next in queue', () => {
  test('2–4 agents race for one queued chat, 30 rounds: exactly one wins each, never two agents on one session', async () => {
    const ids = ['a1', 'a2', 'a3', 'a4'];
    createTenant(
      h.server.db,
      {
        id: 'race',
        name: 'Race Inc',
        channels: [{ id: 'q', name: 'Queue', welcomeMessage: 'Hi' }],
        agents: ids.map((id) => ({ id, name: `Agent ${id}`, email: `${id}@race.example`, maxConcurrentChats: 100, channels: { q: {} } })),
      },
      h.clock.now(),
    );
    const agents = await Promise.all(ids.map((id) => h.api.agent(id, { tenant: 'race' })));
    const winners = new Map<string, string>();
    const losses: string[] = [];
    for (let round = 0; round < 30; round++) {
      if (round > 0 && round % 15 === 0) h.clock.advance(61_000); // the chat-start limit is per minute
      const chat = await h.api.startChat('q', `Racer ${String(round)}`, { tenant: 'race' });
      const contenders = agents.slice(0, 2 + (round % 3));
      await Promise.all(contenders.map((a) => boardShows(a, chat.sessionId)));
      // Same instant: every frame is written before any answer can arrive.
      const rid = `race${String(round)}`;
      const froms = contenders.map((a) => a.mark());
      contenders.forEach((a, i) => {
        a.sendJson(i % 2 === 0 ? { t: 'next', rid } : { t: 'accept', rid, sessionId: chat.sessionId });
      });
      const answers = await Promise.all(
        contenders.map((a, i) => a.waitFor((f): f is OkFrame | NackFrame => (isOk(f) || isNack(f)) && f.rid === rid, { from: froms[i] })),
      );
      const oks = answers.filter(isOk);
      assert.equal(oks.length, 1, `round ${String(round)}: ${JSON.stringify(answers)}`);
      answers.forEach((answer, i) => {
        if (answer.t === 'ok') {
          assert.deepEqual(answer.data, { sessionId: chat.sessionId });
          winners.set(chat.sessionId, ids[i]!);
        } else {
          assert.ok(isNack(answer));
          // `next` finds the queue empty; `accept` of the taken chat is a conflict
          assert.equal(answer.code, i % 2 === 0 ? 'queue_empty' : 'conflict', `round ${String(round)}`);
          losses.push(answer.code);
        }
      });
      const row = sessionRow(chat.sessionId);
      assert.equal(row?.status, 'active');
      assert.equal(row.agent_id, winners.get(chat.sessionId));
    }
    assert.equal(winners.size, 30);
    assert.ok(losses.includes('queue_empty') && losses.includes('conflict'));
    // The stored truth: one agent and one "joined" event per session.
    const joined = h.server.db.all<{ session_id: string; n: number }>(
      "SELECT session_id, COUNT(*) AS n FROM messages WHERE tenant_id = 'race' AND event = 'joined' GROUP BY session_id",
    );
    assert.equal(joined.length, 30);
    assert.ok(joined.every((j) => j.n === 1));
    // Every agent's board ends with the same owner for every session.
    const token = await h.api.token('a1', 'race');
    const snap = (await h.api.request('GET', '/api/snapshot', { headers: { authorization: `Bearer ${token}` } })).body as {
      sessions: { id: string; agentId?: string; status: string }[];
    };
    for (const [sessionId, agentId] of winners) {
      const s = snap.sessions.find((x) => x.id === sessionId);
      assert.equal(s?.agentId, agentId);
      assert.equal(s.status, 'active');
    }
  });

  test('next takes the oldest queued chat of the agent\'s channels', async () => {
    const first = await h.api.startChat('sales', 'First');
    await h.api.startChat('support', 'Second');
    const third = await h.api.startChat('sales', 'Third');
    const lars = await h.api.agent('lars');
    assert.deepEqual(await lars.ok({ t: 'next' }), { sessionId: first.sessionId });
    assert.deepEqual(await lars.ok({ t: 'next' }), { sessionId: third.sessionId }, 'lars skips the support chat');
    const erik = await h.api.agent('erik');
    const none = await erik.command({ t: 'next', channelIds: ['sales'] });
    assert.ok(isNack(none) && none.code === 'queue_empty');
    const support = await erik.ok({ t: 'next', channelIds: ['support', 'not-mine'] });
    assert.equal((support as { sessionId: string }).sessionId.startsWith('s_'), true);
  });

  test('maxConcurrentChats: lars (3) gets nack at_capacity, the chat stays queued, ending one frees a slot', async () => {
    const chats = [];
    for (let i = 0; i < 5; i++) chats.push(await h.api.startChat('sales', `Buyer ${String(i)}`));
    const lars = await h.api.agent('lars');
    for (let i = 0; i < 3; i++) assert.deepEqual(await lars.ok({ t: 'next' }), { sessionId: chats[i]!.sessionId });
    const fourth = await lars.command({ t: 'next' });
    assert.ok(isNack(fourth), JSON.stringify(fourth));
    assert.equal(fourth.code, 'at_capacity');
    const accept = await lars.command({ t: 'accept', sessionId: chats[3]!.sessionId });
    assert.ok(isNack(accept) && accept.code === 'at_capacity');
    assert.equal(sessionRow(chats[3]!.sessionId)?.status, 'queued');
    assert.equal(h.server.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM sessions WHERE agent_id = 'lars' AND status = 'active'")?.n, 3);
    await lars.ok({ t: 'end', sessionId: chats[0]!.sessionId });
    assert.deepEqual(await lars.ok({ t: 'next' }), { sessionId: chats[3]!.sessionId });
    const again = await lars.command({ t: 'next' });
    assert.ok(isNack(again) && again.code === 'at_capacity');
    // Another agent can still take the last one.
    const erik = await h.api.agent('erik');
    assert.deepEqual(await erik.ok({ t: 'next', channelIds: ['sales'] }), { sessionId: chats[4]!.sessionId });
  });

  test('accepting a chat that is taken or over → nack conflict', async () => {
    const chat = await h.api.startChat('support', 'Taken');
    const erik = await h.api.agent('erik');
    const sofia = await h.api.agent('sofia');
    await erik.ok({ t: 'accept', sessionId: chat.sessionId });
    const late = await sofia.command({ t: 'accept', sessionId: chat.sessionId });
    assert.ok(isNack(late) && late.code === 'conflict');
    const twice = await erik.command({ t: 'accept', sessionId: chat.sessionId });
    assert.ok(isNack(twice) && twice.code === 'conflict');
    await erik.ok({ t: 'end', sessionId: chat.sessionId });
    const ended = await sofia.command({ t: 'accept', sessionId: chat.sessionId });
    assert.ok(isNack(ended) && ended.code === 'conflict');
    assert.equal(sessionRow(chat.sessionId)?.agent_id, 'erik');
    const unknown = await sofia.command({ t: 'accept', sessionId: 's_doesnotexist' });
    assert.ok(isNack(unknown) && unknown.code === 'forbidden');
  });

  test('a customer who ends the chat while queued → missed; nobody can take it; the customer cannot write', async () => {
    const chat = await h.api.startChat('support', 'Impatient');
    const customer = await h.api.customer(chat);
    const erik = await h.api.agent('erik');
    await customer.ok({ t: 'end', sessionId: chat.sessionId });
    assert.equal(sessionRow(chat.sessionId)?.status, 'missed');
    await boardShows(erik, chat.sessionId, 'missed');
    const left = await customer.waitFor((f): f is SessionEvent => sessionEventOf(chat.sessionId)(f) && f.data.event === 'left');
    assert.equal(left.data.kind, 'event');
    const next = await erik.command({ t: 'next' });
    assert.ok(isNack(next) && next.code === 'queue_empty');
    const accept = await erik.command({ t: 'accept', sessionId: chat.sessionId });
    assert.ok(isNack(accept) && accept.code === 'conflict');
    const send = await customer.send(chat.sessionId, 'wait, come back');
    assert.ok(isNack(send) && send.code === 'session_closed');
    // ending again is harmless
    await customer.ok({ t: 'end', sessionId: chat.sessionId });
    assert.equal(sessionRow(chat.sessionId)?.status, 'missed');
  });
});

describe('queue positions and presence', () => {
  /** The latest queue frame this customer received. */
  function lastPosition(c: TestClient): number | undefined {
    return c.all(isQueue).at(-1)?.position;
  }

  test('customers see positions 1, 2, 3 that move up when one is answered; other channels are not disturbed', async () => {
    const support = [];
    for (const name of ['Q1', 'Q2', 'Q3']) {
      const chat = await h.api.startChat('support', name);
      const widget = await h.api.customer(chat);
      support.push({ chat, widget });
    }
    const salesChat = await h.api.startChat('sales', 'Sales S1');
    const salesWidget = await h.api.customer(salesChat);
    await salesWidget.waitFor((f): f is QueueFrame => isQueue(f) && f.position === 1);
    for (const [i, { widget, chat }] of support.entries()) {
      const q = await widget.waitFor((f): f is QueueFrame => isQueue(f) && f.position === i + 1, { label: `position ${String(i + 1)}` });
      assert.equal(q.sessionId, chat.sessionId);
    }
    await Promise.all([...support.map((s) => s.widget.sync()), salesWidget.sync()]);
    assert.deepEqual(
      support.map((s) => lastPosition(s.widget)),
      [1, 2, 3],
    );
    const salesFramesBefore = salesWidget.all(isQueue).length;

    const erik = await h.api.agent('erik');
    await erik.ok({ t: 'next', channelIds: ['support'] });
    await support[2]!.widget.waitFor((f): f is QueueFrame => isQueue(f) && f.position === 2);
    await support[1]!.widget.waitFor((f): f is QueueFrame => isQueue(f) && f.position === 1);
    await Promise.all([...support.map((s) => s.widget.sync()), salesWidget.sync()]);
    assert.deepEqual(
      support.slice(1).map((s) => lastPosition(s.widget)),
      [1, 2],
    );
    assert.ok((lastPosition(support[0]!.widget) ?? 0) < 1, 'the answered customer is no longer in the queue');
    // A customer who leaves the queue moves the ones behind up.
    await support[1]!.widget.ok({ t: 'end', sessionId: support[1]!.chat.sessionId });
    await support[2]!.widget.waitFor((f): f is QueueFrame => isQueue(f) && f.position === 1);
    await salesWidget.sync();
    // The sales customer is still first in the sales queue and was told nothing else.
    assert.equal(lastPosition(salesWidget), 1);
    assert.deepEqual(
      salesWidget.all(isQueue).slice(salesFramesBefore),
      [],
      'support queue changes sent queue frames to a sales customer',
    );
    // Queue frames only ever name the customer's own session.
    for (const s of [...support, { chat: salesChat, widget: salesWidget }]) {
      assert.ok(s.widget.all(isQueue).every((q) => q.sessionId === s.chat.sessionId));
    }
  });

  test('presence updates the agent record on every board (agents frames); bad statuses are refused', async () => {
    const anna = await h.api.agent('anna');
    const lars = await h.api.agent('lars');
    const erik = await h.api.agent('erik');
    const froms = [anna.mark(), lars.mark()];
    await erik.ok({ t: 'presence', status: 'away' });
    for (const [i, viewer] of [anna, lars].entries()) {
      const frame = await viewer.waitFor(agentRecord('erik', (a) => a.status === 'away'), { from: froms[i] });
      const e = frame.agents.find((a) => a.id === 'erik')!;
      assert.equal(e.online, true);
      assert.deepEqual(e.channelIds.sort(), ['sales', 'support']);
    }
    // Not a board event: the board stream is for chats.
    assert.ok(!anna.frames.some((f) => isBoardEvent(f)), 'no board event for a presence change');
    assert.equal(h.server.db.get<{ status: string }>("SELECT status FROM agents WHERE tenant_id = 'demo' AND id = 'erik'")?.status, 'away');
    const token = await h.api.token('anna');
    const snap = (await h.api.request('GET', '/api/snapshot', { headers: { authorization: `Bearer ${token}` } })).body as {
      agents: { id: string; status: string; online: boolean }[];
    };
    assert.deepEqual(
      snap.agents.find((a) => a.id === 'erik'),
      { ...snap.agents.find((a) => a.id === 'erik'), status: 'away', online: true },
    );
    const bad = await erik.command({ t: 'presence', status: 'offline' });
    assert.ok(isNack(bad) && bad.code === 'invalid');
    await erik.ok({ t: 'presence', status: 'present' });
    await anna.waitFor(agentRecord('erik', (a) => a.status === 'present'));
    // Going offline (last socket closed) is a roster change too.
    await erik.close();
    await anna.waitFor(agentRecord('erik', (a) => !a.online));
    // a customer has no presence
    const chat = await h.api.startChat('support', 'No Presence');
    const customer = await h.api.customer(chat);
    const refused = await customer.command({ t: 'presence', status: 'away' });
    assert.ok(isNack(refused) && refused.code === 'forbidden');
  });
});
