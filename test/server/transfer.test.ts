/**
 * Transfers and takeover over real sockets: offers to a colleague (accept, decline, cancel,
 * expiry on the room clock, restart-safe timers), moves back to a channel queue, a manager's
 * takeover, read-only access of former handlers (session_agents), board visibility and
 * agent-only events that never reach a customer socket.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, test } from 'node:test';

import type { SessionSummary } from '../../src/protocol/index.js';
import { createTenant } from '../../server/core/seed.js';
import { TenantStore } from '../../server/core/store/index.js';
import { assertBoardChain, isBoardEvent, isBoardReset, isQueue, openActiveChat, refused, sessionEventOf, sessionResetOf, startServer, tempDir, TestClock, type ActiveChat, type BoardEvent, type Harness, type QueueFrame, type ServerFrame, type SessionEvent, type TestClient } from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await startServer();
});
afterEach(async () => {
  await h.close();
});

type SessionUpsert = Extract<BoardEvent, { kind: 'session' }>;
type SessionRemove = Extract<BoardEvent, { kind: 'session-remove' }>;

const INTERNAL_EVENTS = ['transfer-requested', 'transferred', 'transfer-declined', 'transfer-cancelled', 'transfer-expired', 'requeued', 'taken-over'];

/** A board upsert of `sessionId` whose summary satisfies `cond`. */
const boardSession =
  (sessionId: string, cond: (s: SessionSummary) => boolean = () => true) =>
  (f: ServerFrame): f is SessionUpsert =>
    isBoardEvent(f) && f.kind === 'session' && f.data.id === sessionId && cond(f.data);

const boardRemove =
  (sessionId: string) =>
  (f: ServerFrame): f is SessionRemove =>
    isBoardEvent(f) && f.kind === 'session-remove' && f.data.id === sessionId;

/** A message event of `sessionId` carrying the system event `name`. */
const eventNamed =
  (sessionId: string, name: string) =>
  (f: ServerFrame): f is SessionEvent =>
    sessionEventOf(sessionId)(f) && f.data.event === name;

function row(id: string) {
  return h.server.db.get<{
    status: string;
    agent_id: string | null;
    channel_id: string;
    transfer_to: string | null;
    transfer_from: string | null;
    transfer_at: number | null;
    transfer_expires_at: number | null;
    head_cseq: number;
  }>('SELECT * FROM sessions WHERE id = ?', [id]);
}

function history(sessionId: string) {
  return new TenantStore(h.server.db, 'demo').handlingHistory(sessionId);
}

const offer = (client: TestClient, sessionId: string, to: Record<string, string>, note?: string) =>
  client.command({ t: 'transfer', sessionId, to, ...(note !== undefined ? { note } : {}) });

/**
 * Everything a customer socket received for its session: no agent-only event (not even a
 * gap in its numbering), and the numbering is 1..head_cseq without holes.
 */
async function assertCustomerSawNoInternals(c: ActiveChat): Promise<void> {
  await c.customer.sync();
  const raw = JSON.stringify(c.customer.frames) + JSON.stringify(c.customer.malformed);
  for (const name of INTERNAL_EVENTS) assert.ok(!raw.includes(`"${name}"`), `customer received ${name}`);
  assert.ok(!raw.includes('"internal"') && !raw.includes('"meta"'), 'customer received internal fields');
  const seqs = new Set<number>();
  for (const reset of c.customer.all(sessionResetOf(c.sessionId))) for (const m of reset.snapshot.messages) seqs.add(m.seq);
  for (const e of c.customer.all(sessionEventOf(c.sessionId))) seqs.add(e.seq);
  const head = row(c.sessionId)?.head_cseq ?? -1;
  assert.deepEqual(
    [...seqs].sort((a, b) => a - b),
    Array.from({ length: head }, (_, i) => i + 1),
    'customer numbering is gapless up to head_cseq',
  );
}

describe('transfer to an agent', () => {
  test('offer, accept: the chat changes hands atomically, the customer sees "joined", the sender keeps read-only access', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik' });
    const sofia = await h.api.agent('sofia');
    const customerFrom = c.customer.mark();
    await c.customer.sendOk(c.sessionId, 'I would like a refund');

    const answer = (await c.agent.ok({ t: 'transfer', sessionId: c.sessionId, to: { agentId: 'sofia' }, note: '  Refund, order 1234  ' })) as {
      sessionId: string;
      expiresAt: number;
    };
    const pending = row(c.sessionId);
    assert.equal(pending?.transfer_to, 'sofia');
    assert.equal(pending.transfer_from, 'erik');
    assert.equal(pending.status, 'active');
    assert.equal(pending.agent_id, 'erik', 'the sender keeps the chat while the offer is pending');
    assert.equal(answer.expiresAt, (pending.transfer_at ?? 0) + 120_000, 'default transfer_timeout_ms');

    // Sofia's board shows the offer; so does Erik's.
    const offered = await sofia.waitFor(boardSession(c.sessionId, (s) => s.transfer !== undefined), { label: 'offer on sofia\'s board' });
    assert.deepEqual(offered.data.transfer, {
      fromAgentId: 'erik',
      fromAgentName: 'Erik Johansson',
      toAgentId: 'sofia',
      toAgentName: 'Sofia Berg',
      note: 'Refund, order 1234',
      at: pending.transfer_at,
      expiresAt: answer.expiresAt,
    });
    assert.equal(offered.data.agentId, 'erik');
    await c.agent.waitFor(boardSession(c.sessionId, (s) => s.transfer?.toAgentId === 'sofia'));
    const requested = await c.agent.waitFor(eventNamed(c.sessionId, 'transfer-requested'));
    assert.equal(requested.data.internal, true);
    assert.equal(requested.data.meta?.toAgentName, 'Sofia Berg');
    assert.equal(requested.data.meta.note, 'Refund, order 1234');

    // Before answering, the target may read (not write) the conversation.
    const sub = (await sofia.ok({ t: 'subscribe', sessionId: c.sessionId, mode: 'participant' })) as { mode: string };
    assert.equal(sub.mode, 'listen');
    const reset = await sofia.waitFor(sessionResetOf(c.sessionId));
    assert.ok(reset.snapshot.messages.some((m) => m.text === 'I would like a refund'), 'reset.snapshot.messages.some((m) => m.text === "I would like a refund")');
    refused(await sofia.send(c.sessionId, 'too early'), 'forbidden');

    const sofiaFrom = sofia.mark();
    assert.deepEqual(await sofia.ok({ t: 'transfer-answer', sessionId: c.sessionId, accept: true }), { sessionId: c.sessionId });
    const done = row(c.sessionId);
    assert.equal(done?.agent_id, 'sofia');
    assert.equal(done.transfer_to, null);
    assert.equal(done.status, 'active');

    // The customer sees Sofia join; agents also see who transferred to whom.
    const joined = await c.customer.waitFor(eventNamed(c.sessionId, 'joined'), { from: customerFrom });
    assert.equal(joined.data.author.name, 'Sofia Berg');
    const transferred = await sofia.waitFor(eventNamed(c.sessionId, 'transferred'), { from: sofiaFrom });
    assert.equal(transferred.data.internal, true);
    assert.deepEqual(transferred.data.meta, {
      fromAgentId: 'erik',
      fromAgentName: 'Erik Johansson',
      toAgentId: 'sofia',
      toAgentName: 'Sofia Berg',
      note: 'Refund, order 1234',
    });
    await c.agent.waitFor(eventNamed(c.sessionId, 'transferred'));
    const erikBoard = await c.agent.waitFor(boardSession(c.sessionId, (s) => s.agentId === 'sofia'));
    assert.equal(erikBoard.data.transfer, undefined);
    assert.equal(erikBoard.data.agentName, 'Sofia Berg');

    // Sofia writes; Erik (still subscribed) reads it but can no longer write.
    const ack = await sofia.sendOk(c.sessionId, 'Hi, Sofia here');
    await c.agent.waitFor((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && f.data.id === ack.msgId, { label: 'erik reads on' });
    refused(await c.agent.send(c.sessionId, 'still me?'), 'forbidden');
    refused(await c.agent.command({ t: 'end', sessionId: c.sessionId }), 'forbidden');
    const resub = (await c.agent.ok({ t: 'subscribe', sessionId: c.sessionId, mode: 'participant' })) as { mode: string };
    assert.equal(resub.mode, 'listen', 'a former handler is granted read-only access');
    assert.equal(((await c.agent.ok({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' })) as { mode: string }).mode, 'listen');

    // Who handled it, and when.
    const handled = history(c.sessionId);
    assert.deepEqual(
      handled.map((r) => [r.agent_id, r.ended_reason]),
      [
        ['erik', 'transferred'],
        ['sofia', null],
      ],
    );
    assert.equal(handled[0]?.ended_at, handled[1]?.started_at);

    // After the chat ended, Erik can still read the transcript (history, snapshot).
    await sofia.ok({ t: 'end', sessionId: c.sessionId });
    const page = (await c.agent.ok({ t: 'history', sessionId: c.sessionId, limit: 100 })) as { messages: { text: string }[] };
    assert.ok(page.messages.some((m) => m.text === 'Hi, Sofia here'), 'page.messages.some((m) => m.text === "Hi, Sofia here")');
    const fresh = await h.api.agent('erik');
    await fresh.ok({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' });
    assert.ok((await fresh.waitFor(sessionResetOf(c.sessionId))).snapshot.messages.some((m) => m.event === 'transferred'), '(await fresh.waitFor(sessionResetOf(c.sessionId))).snapshot.messages.some((m) => m.even...');
    assert.ok(fresh.all(isBoardReset)[0]?.snapshot.sessions.some((s) => s.id === c.sessionId && s.status === 'ended'), 'fresh.all(isBoardReset)[0]?.snapshot.sessions.some((s) => s.id === c.sessionId && s.sta...');
    assert.deepEqual(
      history(c.sessionId).map((r) => r.ended_reason),
      ['transferred', 'ended'],
    );
    await assertCustomerSawNoInternals(c);
  });

  test('refusals: offline, Away, no respond permission, unknown, self, at capacity, not the handler, a second offer, answers by others', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik' });
    refused(await offer(c.agent, c.sessionId, { agentId: 'sofia' }), 'forbidden', /Sofia Berg is offline/);
    const sofia = await h.api.agent('sofia');
    await sofia.ok({ t: 'presence', status: 'away' });
    refused(await offer(c.agent, c.sessionId, { agentId: 'sofia' }), 'forbidden', /Sofia Berg is Away: chats can only be transferred to agents who are Present/);
    await sofia.ok({ t: 'presence', status: 'present' });
    const lars = await h.api.agent('lars');
    refused(await offer(c.agent, c.sessionId, { agentId: 'lars' }), 'forbidden', /Lars Nilsson cannot answer chats in Support/);
    refused(await offer(c.agent, c.sessionId, { agentId: 'nobody' }), 'not_found');
    refused(await offer(c.agent, c.sessionId, { agentId: 'erik' }), 'invalid', /yourself/);
    // Only the handler or a manager may offer it; sofia and lars cannot even see it.
    refused(await offer(sofia, c.sessionId, { agentId: 'anna' }), 'forbidden');
    refused(await offer(lars, c.sessionId, { agentId: 'sofia' }), 'forbidden');
    // Sofia at capacity (4 chats).
    const hers: string[] = [];
    for (let i = 0; i < 4; i++) {
      await h.api.startChat('support', `Busy ${String(i)}`);
      hers.push(((await sofia.ok({ t: 'next', channelIds: ['support'] })) as { sessionId: string }).sessionId);
    }
    refused(await offer(c.agent, c.sessionId, { agentId: 'sofia' }), 'at_capacity', /Sofia Berg already handles 4 chats/);
    await sofia.ok({ t: 'end', sessionId: hers[0]! });
    await c.agent.ok({ t: 'transfer', sessionId: c.sessionId, to: { agentId: 'sofia' } });
    // One pending transfer at a time, to an agent or a channel.
    const anna = await h.api.agent('anna');
    refused(await offer(c.agent, c.sessionId, { agentId: 'anna' }), 'conflict', /already offered to Sofia Berg/);
    refused(await offer(anna, c.sessionId, { channelId: 'sales' }), 'conflict');
    // Only the target answers (a manager neither).
    refused(await c.agent.command({ t: 'transfer-answer', sessionId: c.sessionId, accept: true }), 'forbidden', /only the agent the chat is offered to/);
    refused(await anna.command({ t: 'transfer-answer', sessionId: c.sessionId, accept: true }), 'forbidden');
    refused(await lars.command({ t: 'transfer-answer', sessionId: c.sessionId, accept: true }), 'forbidden');
    refused(await c.customer.command({ t: 'transfer-answer', sessionId: c.sessionId, accept: true }), 'forbidden');
    refused(await c.customer.command({ t: 'transfer', sessionId: c.sessionId, to: { agentId: 'sofia' } }), 'forbidden');
    // The target (who may read it now) neither cancels nor passes it on.
    refused(await sofia.command({ t: 'transfer-cancel', sessionId: c.sessionId }), 'forbidden', /offered the transfer or a manager/);
    refused(await offer(sofia, c.sessionId, { agentId: 'anna' }), 'forbidden', /handling agent or a manager/);
    assert.equal(row(c.sessionId)?.transfer_to, 'sofia');
    assert.equal(row(c.sessionId)?.agent_id, 'erik');
    // Ending the chat ends the offer; an ended chat cannot be transferred.
    await c.agent.ok({ t: 'end', sessionId: c.sessionId });
    assert.equal(row(c.sessionId)?.transfer_to, null);
    // (sofia may no longer read it at all: forbidden, as for any session one cannot see)
    refused(await sofia.command({ t: 'transfer-answer', sessionId: c.sessionId, accept: true }), 'forbidden');
    refused(await offer(c.agent, c.sessionId, { agentId: 'anna' }), 'session_closed');
    // A waiting chat goes to another queue, not to an agent.
    const queued = await h.api.startChat('support', 'Waiting Wanda');
    refused(await offer(anna, queued.sessionId, { agentId: 'sofia' }), 'conflict', /answered chat/);
  });

  test('decline: the offer is gone, the sender writes on, the target\'s read access (and subscription) ends', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik' });
    const sofia = await h.api.agent('sofia');
    await c.agent.ok({ t: 'transfer', sessionId: c.sessionId, to: { agentId: 'sofia' } });
    await sofia.ok({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' });
    await sofia.waitFor(sessionResetOf(c.sessionId));
    await sofia.ok({ t: 'transfer-answer', sessionId: c.sessionId, accept: false });
    const declined = await c.agent.waitFor(eventNamed(c.sessionId, 'transfer-declined'));
    assert.equal(declined.data.internal, true);
    assert.equal(declined.data.author.name, 'Sofia Berg');
    await c.agent.waitFor(boardSession(c.sessionId, (s) => s.transfer === undefined && s.agentId === 'erik'));
    assert.equal(row(c.sessionId)?.transfer_to, null);
    assert.equal(row(c.sessionId)?.agent_id, 'erik');
    await c.agent.sendOk(c.sessionId, 'I am still here');
    // Sofia is no longer subscribed: nothing of the chat reaches her.
    const from = sofia.mark();
    await c.customer.sendOk(c.sessionId, 'private detail after the decline');
    await c.agent.waitFor((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && f.data.text === 'private detail after the decline');
    await sofia.sync();
    assert.deepEqual(sofia.all(sessionEventOf(c.sessionId), from), []);
    refused(await sofia.command({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' }), 'forbidden');
    refused(await sofia.command({ t: 'transfer-answer', sessionId: c.sessionId, accept: true }), 'forbidden');
    refused(await c.agent.command({ t: 'transfer-answer', sessionId: c.sessionId, accept: true }), 'conflict', /no transfer is pending/);
    assert.deepEqual(
      history(c.sessionId).map((r) => r.agent_id),
      ['erik'],
    );
    await assertCustomerSawNoInternals(c);
  });

  test('cancel: by the sender, or by a manager; nothing pending → conflict', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik' });
    const sofia = await h.api.agent('sofia');
    const anna = await h.api.agent('anna');
    refused(await c.agent.command({ t: 'transfer-cancel', sessionId: c.sessionId }), 'conflict');
    await c.agent.ok({ t: 'transfer', sessionId: c.sessionId, to: { agentId: 'sofia' } });
    await c.agent.ok({ t: 'transfer-cancel', sessionId: c.sessionId });
    const cancelled = await c.agent.waitFor(eventNamed(c.sessionId, 'transfer-cancelled'));
    assert.equal(cancelled.data.internal, true);
    assert.equal(cancelled.data.meta?.toAgentId, 'sofia');
    await sofia.waitFor(boardSession(c.sessionId, (s) => s.transfer === undefined && s.agentId === 'erik'));
    refused(await sofia.command({ t: 'transfer-answer', sessionId: c.sessionId, accept: true }), 'forbidden');
    // Again, cancelled by a manager of the channel this time.
    await c.agent.ok({ t: 'transfer', sessionId: c.sessionId, to: { agentId: 'sofia' } });
    const from = c.agent.mark();
    await anna.ok({ t: 'transfer-cancel', sessionId: c.sessionId });
    const byManager = await c.agent.waitFor(eventNamed(c.sessionId, 'transfer-cancelled'), { from });
    assert.equal(byManager.data.author.name, 'Anna Lindqvist');
    assert.equal(row(c.sessionId)?.transfer_to, null);
    assert.equal(row(c.sessionId)?.agent_id, 'erik');
    await assertCustomerSawNoInternals(c);
  });

  test('expiry: after the tenant\'s transfer_timeout_ms on the room clock; answering later → conflict', async () => {
    h.server.db.run("UPDATE tenants SET transfer_timeout_ms = 30000 WHERE id = 'demo'");
    const c = await openActiveChat(h.api, { agentId: 'erik' });
    const sofia = await h.api.agent('sofia');
    const answer = (await c.agent.ok({ t: 'transfer', sessionId: c.sessionId, to: { agentId: 'sofia' } })) as { expiresAt: number };
    assert.equal(answer.expiresAt, (row(c.sessionId)?.transfer_at ?? 0) + 30_000);
    h.clock.advance(29_000);
    await c.agent.sync();
    assert.equal(row(c.sessionId)?.transfer_to, 'sofia', 'still pending before the timeout');
    assert.ok(!c.agent.frames.some(eventNamed(c.sessionId, 'transfer-expired')), '!c.agent.frames.some(eventNamed(c.sessionId, "transfer-expired"))');
    h.clock.advance(1_000);
    const expired = await c.agent.waitFor(eventNamed(c.sessionId, 'transfer-expired'));
    assert.equal(expired.data.internal, true);
    assert.equal(expired.data.meta?.toAgentName, 'Sofia Berg');
    await sofia.waitFor(boardSession(c.sessionId, (s) => s.transfer === undefined));
    assert.equal(row(c.sessionId)?.transfer_to, null);
    assert.equal(row(c.sessionId)?.agent_id, 'erik');
    refused(await sofia.command({ t: 'transfer-answer', sessionId: c.sessionId, accept: true }), 'forbidden');
    // A cancelled offer's timer does not expire a later one.
    await c.agent.ok({ t: 'transfer', sessionId: c.sessionId, to: { agentId: 'sofia' } });
    await c.agent.ok({ t: 'transfer-cancel', sessionId: c.sessionId });
    h.clock.advance(20_000);
    await c.agent.ok({ t: 'transfer', sessionId: c.sessionId, to: { agentId: 'sofia' } });
    h.clock.advance(15_000);
    await c.agent.sync();
    assert.equal(row(c.sessionId)?.transfer_to, 'sofia', 'the second offer lives its own 30 s');
    await sofia.ok({ t: 'transfer-answer', sessionId: c.sessionId, accept: true });
    assert.equal(row(c.sessionId)?.agent_id, 'sofia');
    h.clock.advance(60_000);
    await c.agent.sync();
    assert.equal(h.server.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM messages WHERE event = 'transfer-expired'")?.n, 1);
    await assertCustomerSawNoInternals(c);
  });

  test('accept re-checks capacity: at capacity → at_capacity and the offer stays pending', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik' });
    const sofia = await h.api.agent('sofia');
    const hers: string[] = [];
    for (let i = 0; i < 3; i++) {
      await h.api.startChat('support', `Busy ${String(i)}`);
      hers.push(((await sofia.ok({ t: 'next', channelIds: ['support'] })) as { sessionId: string }).sessionId);
    }
    await c.agent.ok({ t: 'transfer', sessionId: c.sessionId, to: { agentId: 'sofia' } });
    await h.api.startChat('support', 'One more');
    await sofia.ok({ t: 'next', channelIds: ['support'] });
    refused(await sofia.command({ t: 'transfer-answer', sessionId: c.sessionId, accept: true }), 'at_capacity');
    assert.equal(row(c.sessionId)?.agent_id, 'erik');
    assert.equal(row(c.sessionId)?.transfer_to, 'sofia');
    await sofia.ok({ t: 'end', sessionId: hers[0]! });
    await sofia.ok({ t: 'transfer-answer', sessionId: c.sessionId, accept: true });
    assert.equal(row(c.sessionId)?.agent_id, 'sofia');
  });
});

describe('transfer timers survive a restart', () => {
  test('a pending offer expires after a restart: scheduled on room start, or at once when overdue', async () => {
    await h.close();
    const dataDir = await tempDir();
    try {
      let run = await startServer({ dataDir, keepData: true });
      h = run;
      const c = await openActiveChat(run.api, { agentId: 'erik' });
      await run.api.agent('sofia');
      await c.agent.ok({ t: 'transfer', sessionId: c.sessionId, to: { agentId: 'sofia' } });
      await run.close();

      // Restart: the room schedules the offer's expiry from the database.
      run = await startServer({ dataDir, keepData: true });
      h = run;
      const erik = await run.api.agent('erik');
      await erik.ok({ t: 'subscribe', sessionId: c.sessionId, mode: 'participant' });
      run.clock.advance(110_000);
      await erik.sync();
      assert.equal(row(c.sessionId)?.transfer_to, 'sofia');
      run.clock.advance(10_000);
      const expired = await erik.waitFor(eventNamed(c.sessionId, 'transfer-expired'));
      assert.equal(expired.data.internal, true);
      assert.equal(row(c.sessionId)?.transfer_to, null);
      await erik.waitFor(boardSession(c.sessionId, (s) => s.transfer === undefined));

      // Offer again, stop, and start only after it is overdue: it expires when the room starts.
      await run.api.agent('sofia');
      await erik.ok({ t: 'transfer', sessionId: c.sessionId, to: { agentId: 'sofia' } });
      await run.close();
      const late = new TestClock();
      late.advance(250_000); // past the offer's expiry (made at +120 s on the previous clock)
      run = await startServer({ dataDir, keepData: true, clock: late });
      h = run;
      const again = await run.api.agent('erik');
      assert.equal(row(c.sessionId)?.transfer_to, null);
      assert.ok(again.all(isBoardReset)[0]?.snapshot.sessions.some((s) => s.id === c.sessionId && s.transfer === undefined), 'again.all(isBoardReset)[0]?.snapshot.sessions.some((s) => s.id === c.sessionId && s.tra...');
      assert.equal(h.server.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM messages WHERE event = 'transfer-expired'")?.n, 2);
    } finally {
      await h.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('transfer to a channel', () => {
  test('back to the queue at once: agent cleared, ordered by the original createdAt, agent-only event, the customer waits again', async () => {
    const c = await openActiveChat(h.api, { agentId: 'sofia' }); // support; sofia is in support only
    h.clock.advance(1000);
    const later = await h.api.startChat('sales', 'Later Lena');
    const laterWidget = await h.api.customer(later);
    await laterWidget.waitFor((f): f is QueueFrame => isQueue(f) && f.position === 1);
    const lars = await h.api.agent('lars'); // sales only
    const erik = await h.api.agent('erik'); // sales and support
    const customerFrom = c.customer.mark();
    const sofiaFrom = c.agent.mark();

    await c.agent.ok({ t: 'transfer', sessionId: c.sessionId, to: { channelId: 'sales' }, note: 'About a purchase' });
    const moved = row(c.sessionId);
    assert.equal(moved?.status, 'queued');
    assert.equal(moved.channel_id, 'sales');
    assert.equal(moved.agent_id, null);
    assert.equal(moved.transfer_to, null);

    // Agents: the internal event with where it went and the note.
    const requeued = await c.agent.waitFor(eventNamed(c.sessionId, 'requeued'), { from: sofiaFrom });
    assert.equal(requeued.data.internal, true);
    assert.deepEqual(requeued.data.meta, { fromAgentId: 'sofia', fromAgentName: 'Sofia Berg', channelId: 'sales', channelName: 'Sales', note: 'About a purchase' });
    // The customer: waits again, first in the sales queue (created before "Later Lena").
    const queuedAgain = await c.customer.waitFor(eventNamed(c.sessionId, 'queued'), { from: customerFrom });
    assert.equal(queuedAgain.data.text, 'Welcome to Nordlys Sales! An agent will be with you shortly.');
    await c.customer.waitFor((f): f is QueueFrame => isQueue(f) && f.position === 1, { from: customerFrom });
    await laterWidget.waitFor((f): f is QueueFrame => isQueue(f) && f.position === 2);

    // Boards: sales members see it queued; sofia still sees it (she handled it); nobody else in support.
    await lars.waitFor(boardSession(c.sessionId, (s) => s.status === 'queued' && s.channelId === 'sales' && s.agentId === undefined));
    await erik.waitFor(boardSession(c.sessionId, (s) => s.status === 'queued'));
    await c.agent.waitFor(boardSession(c.sessionId, (s) => s.status === 'queued'), { from: sofiaFrom });
    assert.ok(!c.agent.frames.slice(sofiaFrom).some(boardRemove(c.sessionId)), '!c.agent.frames.slice(sofiaFrom).some(boardRemove(c.sessionId))');
    // Sofia: read-only now (a former handler), nothing more.
    refused(await c.agent.send(c.sessionId, 'still mine?'), 'session_closed', /not active/);
    assert.equal(((await c.agent.ok({ t: 'subscribe', sessionId: c.sessionId, mode: 'participant' })) as { mode: string }).mode, 'listen');
    refused(await c.agent.command({ t: 'transfer', sessionId: c.sessionId, to: { channelId: 'support' } }), 'forbidden');
    assert.deepEqual(
      history(c.sessionId).map((r) => [r.agent_id, r.ended_reason]),
      [['sofia', 'requeued']],
    );

    // Get next in sales takes it first, by the original createdAt.
    assert.deepEqual(await lars.ok({ t: 'next' }), { sessionId: c.sessionId });
    const joined = await c.customer.waitFor(eventNamed(c.sessionId, 'joined'), { from: customerFrom });
    assert.equal(joined.data.author.name, 'Lars Nilsson');
    // Sofia keeps reading, never writing.
    const ack = await lars.sendOk(c.sessionId, 'Lars from sales here');
    await c.agent.waitFor((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && f.data.id === ack.msgId);
    refused(await c.agent.send(c.sessionId, 'me again'), 'forbidden');
    await assertCustomerSawNoInternals(c);
    refused(await lars.command({ t: 'transfer', sessionId: c.sessionId, to: { channelId: 'nowhere' } }), 'not_found');
  });

  test('agents who can no longer see a moved chat get session-remove; a fresh snapshot agrees', async () => {
    createTenant(
      h.server.db,
      {
        id: 'moves',
        name: 'Moves AB',
        channels: [
          { id: 'a', name: 'A', welcomeMessage: 'Welcome to A' },
          { id: 'b', name: 'B', welcomeMessage: 'Welcome to B' },
        ],
        agents: [
          { id: 'x', name: 'Xena', email: 'x@moves.example', maxConcurrentChats: 3, channels: { a: {} } },
          { id: 'z', name: 'Zed', email: 'z@moves.example', maxConcurrentChats: 3, channels: { a: {} } },
          { id: 'y', name: 'Yusuf', email: 'y@moves.example', maxConcurrentChats: 3, channels: { b: {} } },
        ],
      },
      h.clock.now(),
    );
    const chat = await h.api.startChat('a', 'Mover', { tenant: 'moves' });
    const x = await h.api.agent('x', { tenant: 'moves' });
    const z = await h.api.agent('z', { tenant: 'moves' });
    const y = await h.api.agent('y', { tenant: 'moves' });
    await x.ok({ t: 'accept', sessionId: chat.sessionId });
    await z.waitFor(boardSession(chat.sessionId, (s) => s.status === 'active'));
    const froms = [x.mark(), y.mark(), z.mark()] as const;
    await x.ok({ t: 'transfer', sessionId: chat.sessionId, to: { channelId: 'b' } });
    // z (A only, never handled it) loses sight: a removal; y (B) gets it; x keeps it (former handler).
    await z.waitFor(boardRemove(chat.sessionId), { from: froms[2] });
    await y.waitFor(boardSession(chat.sessionId, (s) => s.channelId === 'b' && s.status === 'queued'), { from: froms[1] });
    await x.waitFor(boardSession(chat.sessionId, (s) => s.channelId === 'b'), { from: froms[0] });
    await Promise.all([x.sync(), y.sync()]);
    assert.ok(!x.frames.slice(froms[0]).some(boardRemove(chat.sessionId)), '!x.frames.slice(froms[0]).some(boardRemove(chat.sessionId))');
    assert.ok(!y.frames.slice(froms[1]).some(boardRemove(chat.sessionId)), '!y.frames.slice(froms[1]).some(boardRemove(chat.sessionId))');
    // Fresh snapshots say the same.
    const snapshotOf = async (agentId: string) => {
      const token = await h.api.token(agentId, 'moves');
      const body = (await h.api.request('GET', '/api/snapshot', { headers: { authorization: `Bearer ${token}` } })).body as { sessions: { id: string }[] };
      return body.sessions.some((s) => s.id === chat.sessionId);
    };
    assert.deepEqual([await snapshotOf('x'), await snapshotOf('y'), await snapshotOf('z')], [true, true, false]);
    // Every board chain holds (removals included); y (B only) heard nothing of the chat while it
    // was in A, and z nothing after the removal.
    for (const client of [x, y, z]) assertBoardChain(client);
    assert.ok(!y.frames.slice(0, froms[1]).some((f) => JSON.stringify(f).includes(chat.sessionId)), 'y saw the chat before it came to B');
    await y.ok({ t: 'accept', sessionId: chat.sessionId });
    await x.waitFor(boardSession(chat.sessionId, (s) => s.status === 'active' && s.agentId === 'y'));
    await z.sync();
    const removal = z.frames.findIndex(boardRemove(chat.sessionId));
    assert.ok(!z.frames.slice(removal + 1).some((f) => JSON.stringify(f).includes(chat.sessionId)), 'z heard of the chat after losing sight of it');
  });
});

describe('takeover', () => {
  test('a manager takes over at once: the customer sees "joined", the previous handler drops to read-only; a pending offer is cancelled', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik' });
    const sofia = await h.api.agent('sofia');
    const anna = await h.api.agent('anna');
    refused(await sofia.command({ t: 'takeover', sessionId: c.sessionId }), 'forbidden');
    await c.agent.ok({ t: 'transfer', sessionId: c.sessionId, to: { agentId: 'sofia' } });
    // The target may read it now, but taking over needs the manager permission.
    refused(await sofia.command({ t: 'takeover', sessionId: c.sessionId }), 'forbidden', /only a manager/);
    const customerFrom = c.customer.mark();
    const erikFrom = c.agent.mark();
    assert.deepEqual(await anna.ok({ t: 'takeover', sessionId: c.sessionId }), { sessionId: c.sessionId });
    const r = row(c.sessionId);
    assert.equal(r?.agent_id, 'anna');
    assert.equal(r.transfer_to, null);
    const joined = await c.customer.waitFor(eventNamed(c.sessionId, 'joined'), { from: customerFrom });
    assert.equal(joined.data.author.name, 'Anna Lindqvist');
    await c.agent.waitFor(eventNamed(c.sessionId, 'transfer-cancelled'), { from: erikFrom });
    const taken = await c.agent.waitFor(eventNamed(c.sessionId, 'taken-over'), { from: erikFrom });
    assert.equal(taken.data.internal, true);
    assert.deepEqual(taken.data.meta, { fromAgentId: 'erik', fromAgentName: 'Erik Johansson', toAgentId: 'anna', toAgentName: 'Anna Lindqvist' });
    await sofia.waitFor(boardSession(c.sessionId, (s) => s.agentId === 'anna' && s.transfer === undefined));
    refused(await sofia.command({ t: 'transfer-answer', sessionId: c.sessionId, accept: true }), 'forbidden');
    // Erik reads on, cannot write; Anna writes.
    refused(await c.agent.send(c.sessionId, 'mine!'), 'forbidden');
    const ack = await anna.sendOk(c.sessionId, 'Anna here, I will help you');
    await c.agent.waitFor((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && f.data.id === ack.msgId);
    assert.deepEqual(
      history(c.sessionId).map((x) => [x.agent_id, x.ended_reason]),
      [
        ['erik', 'taken-over'],
        ['anna', null],
      ],
    );
    // Idempotent for the new handler; the board shows the loads.
    assert.deepEqual(await anna.ok({ t: 'takeover', sessionId: c.sessionId }), { sessionId: c.sessionId });
    await assertCustomerSawNoInternals(c);
  });

  test('capacity, queued and ended chats', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik' });
    const anna = await h.api.agent('anna');
    h.server.db.run("UPDATE agents SET max_concurrent_chats = 0 WHERE tenant_id = 'demo' AND id = 'anna'");
    refused(await anna.command({ t: 'takeover', sessionId: c.sessionId }), 'at_capacity');
    assert.equal(row(c.sessionId)?.agent_id, 'erik');
    h.server.db.run("UPDATE agents SET max_concurrent_chats = 5 WHERE tenant_id = 'demo' AND id = 'anna'");
    const queued = await h.api.startChat('support', 'In the queue');
    refused(await anna.command({ t: 'takeover', sessionId: queued.sessionId }), 'conflict', /answer it instead/);
    await c.agent.ok({ t: 'end', sessionId: c.sessionId });
    refused(await anna.command({ t: 'takeover', sessionId: c.sessionId }), 'session_closed');
    const lars = await h.api.agent('lars');
    refused(await lars.command({ t: 'takeover', sessionId: queued.sessionId }), 'forbidden');
  });
});

describe('agent-only events', () => {
  test('a customer socket never receives any of them, and its numbering stays gapless; they are stored without cseq', async () => {
    h.server.db.run("UPDATE tenants SET transfer_timeout_ms = 10000 WHERE id = 'demo'");
    const c = await openActiveChat(h.api, { agentId: 'erik' });
    const sofia = await h.api.agent('sofia');
    const anna = await h.api.agent('anna');
    const to = { agentId: 'sofia' };
    await c.customer.sendOk(c.sessionId, 'one');
    await c.agent.ok({ t: 'transfer', sessionId: c.sessionId, to });
    await sofia.ok({ t: 'transfer-answer', sessionId: c.sessionId, accept: false });
    await c.agent.ok({ t: 'transfer', sessionId: c.sessionId, to });
    await c.agent.ok({ t: 'transfer-cancel', sessionId: c.sessionId });
    await c.agent.ok({ t: 'transfer', sessionId: c.sessionId, to });
    h.clock.advance(10_000);
    await c.agent.waitFor(eventNamed(c.sessionId, 'transfer-expired'));
    await c.customer.sendOk(c.sessionId, 'two');
    await c.agent.ok({ t: 'transfer', sessionId: c.sessionId, to });
    await sofia.ok({ t: 'transfer-answer', sessionId: c.sessionId, accept: true });
    await anna.ok({ t: 'takeover', sessionId: c.sessionId });
    await anna.ok({ t: 'transfer', sessionId: c.sessionId, to: { channelId: 'sales' } });
    await c.customer.sendOk(c.sessionId, 'three');

    const stored = h.server.db.all<{ event: string | null; cseq: number | null; internal: number }>(
      'SELECT event, cseq, internal FROM messages WHERE session_id = ? ORDER BY seq',
      [c.sessionId],
    );
    const internal = stored.filter((m) => m.internal === 1);
    assert.deepEqual(
      [...new Set(internal.map((m) => m.event))].sort(),
      [...INTERNAL_EVENTS].sort(),
      'every agent-only event kind happened',
    );
    assert.ok(internal.every((m) => m.cseq === null), 'internal.every((m) => m.cseq === null)');
    // Agents saw all of them, in their own gapless numbering.
    await c.agent.waitFor((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && f.data.text === 'three');
    const agentSeqs = c.agent.all(sessionEventOf(c.sessionId)).map((e) => e.seq);
    const first = c.agentReset.snapshot.seq;
    assert.deepEqual(
      agentSeqs,
      Array.from({ length: agentSeqs.length }, (_, i) => first + i + 1),
    );
    await c.customer.waitFor((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && f.data.text === 'three');
    await assertCustomerSawNoInternals(c);
    // …and a fresh customer snapshot or history has none either.
    const again = await h.api.customer(c.chat);
    const snap = await again.waitFor(sessionResetOf(c.sessionId));
    assert.ok(snap.snapshot.messages.every((m) => !m.internal && !INTERNAL_EVENTS.includes(m.event ?? '')), 'snap.snapshot.messages.every((m) => !m.internal && !INTERNAL_EVENTS.includes(m.event ??...');
    const page = (await again.ok({ t: 'history', sessionId: c.sessionId, afterSeq: 0, limit: 100 })) as { messages: { seq: number; event?: string }[] };
    assert.ok(page.messages.every((m) => !INTERNAL_EVENTS.includes(m.event ?? '')), 'page.messages.every((m) => !INTERNAL_EVENTS.includes(m.event ?? ""))');
    assert.deepEqual(
      page.messages.map((m) => m.seq),
      Array.from({ length: page.messages.length }, (_, i) => i + 1),
    );
  });
});

describe('transfer frames', () => {
  test('malformed transfer frames are refused with invalid, naming the field', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik' });
    for (const frame of [
      { t: 'transfer', sessionId: c.sessionId, to: {} },
      { t: 'transfer', sessionId: c.sessionId, to: { agentId: 'sofia', channelId: 'sales' } },
      { t: 'transfer', sessionId: c.sessionId, to: 'sofia' },
      { t: 'transfer', sessionId: c.sessionId, to: { agentId: 'sofia' }, note: 'x'.repeat(501) },
      { t: 'transfer-answer', sessionId: c.sessionId, accept: 'yes' },
      { t: 'transfer-cancel', sessionId: c.sessionId, to: { agentId: 'sofia' } },
      { t: 'takeover', sessionId: c.sessionId, agentId: 'anna' },
    ]) {
      refused(await c.agent.command(frame), 'invalid');
    }
    assert.equal(row(c.sessionId)?.transfer_to, null);
  });
});
