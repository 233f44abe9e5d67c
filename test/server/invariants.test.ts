/**
 * The protocol invariants (docs: protocol §9) over real sockets against an in-process server:
 * I1 idempotent send, I3 gapless seq with one mapping for every observer, I6 sender order,
 * I8 authorization (customers, channels, tenants, notes), I5 (server side) history gap fill,
 * and resume (replay of exactly what was missed, reset on a foreign epoch).
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';

import { MAX_RESUME_REPLAY, PROTOCOL_VERSION } from '../../src/protocol/limits.js';
import { createTenant } from '../../server/core/seed.js';
import {
  agentRecord,
  assertBoardChain,
  boardPosition,
  isAck,
  isAgents,
  isBoardEvent,
  isBoardReset,
  isNack,
  newCmid,
  openActiveChat,
  sessionEventOf,
  sessionResetOf,
  type BoardEvent,
  type Harness,
  type SessionEvent,
  type TestClient,
  startServer,
  where,
} from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await startServer();
});
afterEach(async () => {
  await h.close();
});

interface MessageRowLite {
  id: string;
  seq: number;
  cseq: number | null;
  cmid: string | null;
  kind: string;
  text: string;
}

function dbMessages(sessionId: string): MessageRowLite[] {
  return h.server.db.all<MessageRowLite>('SELECT id, seq, cseq, cmid, kind, text FROM messages WHERE session_id = ? ORDER BY seq', [sessionId]);
}

/** The session's messages as one client saw them: its snapshot, then the events after it. */
function sessionView(client: TestClient, sessionId: string): { snapshotSeq: number; events: SessionEvent[]; epoch: string } {
  const resets = client.all(sessionResetOf(sessionId));
  const last = resets.at(-1);
  if (!last) throw new Error(`no snapshot of ${sessionId}\n${client.describe()}`);
  const from = client.frames.lastIndexOf(last);
  return { snapshotSeq: last.snapshot.seq, epoch: last.epoch, events: client.all(sessionEventOf(sessionId), from) };
}

/** Asserts that seqs are consecutive from `after + 1`. */
function assertGapless(seqs: number[], after: number, what: string): void {
  const expected = seqs.map((_, i) => after + 1 + i);
  assert.deepEqual(seqs, expected, `${what}: seqs must be gapless and increasing after ${String(after)}`);
}

/** Waits until `client` saw the session's agent-numbered stream up to `seq`. */
function waitSeq(client: TestClient, sessionId: string, seq: number): Promise<SessionEvent> {
  return client.waitFor((f): f is SessionEvent => sessionEventOf(sessionId)(f) && f.seq >= seq, { label: `${sessionId} seq ${String(seq)}` });
}

describe('I1: one persisted message per cmid', () => {
  test('the same cmid sent 3 times: one message, identical msgId/seq, duplicate on the retries', async () => {
    const c = await openActiveChat(h.api);
    for (const [sender, label] of [
      [c.customer, 'customer'],
      [c.agent, 'agent'],
    ] as const) {
      const cmid = newCmid(label);
      const first = await sender.sendOk(c.sessionId, `hello from ${label}`, { cmid });
      const second = await sender.sendOk(c.sessionId, `hello from ${label}`, { cmid });
      const third = await sender.sendOk(c.sessionId, `hello from ${label}`, { cmid });
      assert.equal(first.duplicate, false);
      assert.equal(second.duplicate, true);
      assert.equal(third.duplicate, true);
      for (const retry of [second, third]) {
        assert.equal(retry.msgId, first.msgId);
        assert.equal(retry.seq, first.seq);
        assert.equal(retry.at, first.at);
      }
      const stored = dbMessages(c.sessionId).filter((m) => m.cmid === cmid);
      assert.equal(stored.length, 1, `${label}: one stored message`);
      assert.equal(stored[0]?.id, first.msgId);
    }
    // Each observer saw exactly one event per cmid (sync: a later message has arrived).
    const marker = await c.customer.sendOk(c.sessionId, 'marker');
    await waitSeq(c.agent, c.sessionId, dbMessages(c.sessionId).find((m) => m.id === marker.msgId)!.seq);
    await c.customer.sync();
    for (const observer of [c.agent, c.customer]) {
      const events = observer.all(sessionEventOf(c.sessionId));
      const ids = events.map((e) => e.data.id);
      assert.equal(new Set(ids).size, ids.length, `${observer.label} saw a message twice`);
    }
  });

  test('pipelined retries of one cmid (no waiting) still commit once', async () => {
    const c = await openActiveChat(h.api);
    const cmid = newCmid('pipe');
    const from = c.customer.mark();
    for (let i = 0; i < 3; i++) c.customer.post(c.sessionId, 'same body', { cmid });
    const acks = await c.customer.waitForCount(where(isAck, (a) => a.cmid === cmid), 3, { from });
    assert.deepEqual(
      acks.map((a) => a.duplicate),
      [false, true, true],
    );
    assert.equal(new Set(acks.map((a) => `${a.msgId}/${String(a.seq)}`)).size, 1);
    assert.equal(dbMessages(c.sessionId).filter((m) => m.cmid === cmid).length, 1);
  });

  test('the same cmid with a different body is refused and the first stays unchanged', async () => {
    const c = await openActiveChat(h.api);
    const cmid = newCmid();
    const first = await c.customer.sendOk(c.sessionId, 'original text', { cmid });
    const changed = await c.customer.send(c.sessionId, 'changed text', { cmid });
    assert.equal(changed.t, 'nack');
    assert.ok(isNack(changed));
    assert.equal(changed.code, 'invalid');
    assert.equal(changed.retryable, false);

    const agentCmid = newCmid();
    await c.agent.sendOk(c.sessionId, 'agent text', { cmid: agentCmid });
    const asNote = await c.agent.send(c.sessionId, 'agent text', { cmid: agentCmid, kind: 'note' });
    assert.ok(isNack(asNote) && asNote.code === 'invalid', 'same cmid, other kind');

    const stored = dbMessages(c.sessionId).filter((m) => m.cmid === cmid);
    assert.deepEqual(
      stored.map((m) => [m.id, m.text]),
      [[first.msgId, 'original text']],
    );
    assert.equal(dbMessages(c.sessionId).filter((m) => m.cmid === agentCmid && m.kind === 'text').length, 1);
    const history = (await c.agent.ok({ t: 'history', sessionId: c.sessionId, afterSeq: 0, limit: 100 })) as { messages: { text: string }[] };
    assert.ok(!history.messages.some((m) => m.text === 'changed text'));
    // and the original still answers as a duplicate
    const again = await c.customer.sendOk(c.sessionId, 'original text', { cmid });
    assert.equal(again.duplicate, true);
    assert.equal(again.msgId, first.msgId);
  });
});

describe('I3: gapless seq, one mapping for every observer', () => {
  test('handling agent and listening supervisor see the same seq→msgId mapping; the customer a gapless one without notes', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik', channel: 'support' });
    const anna = await h.api.agent('anna');
    const annaFrom = anna.mark();
    await anna.ok({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' });
    await anna.waitFor(sessionResetOf(c.sessionId), { from: annaFrom });

    // A burst from both sides at once, with notes among the agent's messages.
    const customerCmids: string[] = [];
    const agentCmids: string[] = [];
    for (let i = 0; i < 15; i++) {
      customerCmids.push(c.customer.post(c.sessionId, `customer ${String(i)}`));
      agentCmids.push(c.agent.post(c.sessionId, `agent ${String(i)}`, { kind: i % 5 === 4 ? 'note' : 'text' }));
    }
    await c.customer.waitForCount(where(isAck, (a) => customerCmids.includes(a.cmid)), 15);
    await c.agent.waitForCount(where(isAck, (a) => agentCmids.includes(a.cmid)), 15);
    const rows = dbMessages(c.sessionId);
    const head = rows.at(-1)!.seq;
    await waitSeq(c.agent, c.sessionId, head);
    await waitSeq(anna, c.sessionId, head);
    const headCseq = Math.max(...rows.map((r) => r.cseq ?? 0));
    await c.customer.waitFor((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && f.seq >= headCseq);

    const views = [sessionView(c.agent, c.sessionId), sessionView(anna, c.sessionId)];
    const mappings = views.map((view, i) => {
      assertGapless(
        view.events.map((e) => e.seq),
        view.snapshotSeq,
        i === 0 ? 'erik' : 'anna',
      );
      assert.equal(view.events.at(-1)?.seq, head);
      for (const e of view.events) assert.equal(e.data.seq, e.seq, 'event seq and message seq agree');
      return new Map(view.events.map((e) => [e.seq, e.data.id]));
    });
    // Same mapping on the overlap, and the same as stored.
    const stored = new Map(rows.map((r) => [r.seq, r.id]));
    for (const mapping of mappings) {
      for (const [seq, id] of mapping) assert.equal(id, stored.get(seq), `seq ${String(seq)}`);
    }
    assert.equal(mappings[1]!.size, 30, 'the listener saw the whole burst, notes included');

    // Customer: its own numbering, gapless, without notes, in the same order.
    const cv = sessionView(c.customer, c.sessionId);
    assertGapless(
      cv.events.map((e) => e.seq),
      cv.snapshotSeq,
      'customer',
    );
    assert.ok(!cv.events.some((e) => e.data.kind === 'note'));
    const customerIds = cv.events.map((e) => e.data.id);
    const expected = rows.filter((r) => r.kind !== 'note' && r.cseq !== null && r.cseq > cv.snapshotSeq).map((r) => r.id);
    assert.deepEqual(customerIds, expected);
    // Every ack agrees with what was stored.
    for (const [client, numbering] of [
      [c.agent, 'seq'],
      [c.customer, 'cseq'],
    ] as const) {
      for (const ack of client.all(isAck)) {
        const row = rows.find((r) => r.id === ack.msgId);
        assert.ok(row, `ack for an unknown message ${ack.msgId}`);
        assert.equal(ack.seq, row[numbering], `${client.label} ack numbering`);
      }
    }
  });

  test('board stream: each agent receives exactly the events it may see, chained by prev; the same event for the same seq', async () => {
    const agents = await Promise.all(['anna', 'erik', 'sofia', 'lars'].map((id) => h.api.agent(id)));
    const [anna, erik, sofia, lars] = agents as [TestClient, TestClient, TestClient, TestClient];
    const channelsOf = new Map([
      [anna, ['sales', 'support']],
      [erik, ['sales', 'support']],
      [sofia, ['support']],
      [lars, ['sales']],
    ]);
    // Board activity in both channels: chats started, answered, a message, presence, an end.
    const support = await h.api.startChat('support', 'Sam Support');
    const sales = await h.api.startChat('sales', 'Sally Sales');
    await sofia.ok({ t: 'accept', sessionId: support.sessionId });
    await lars.ok({ t: 'accept', sessionId: sales.sessionId });
    const supportCustomer = await h.api.customer(support);
    await supportCustomer.sendOk(support.sessionId, 'my tent leaks');
    await erik.ok({ t: 'presence', status: 'away' });
    await sofia.ok({ t: 'end', sessionId: support.sessionId });
    await Promise.all(agents.map((a) => a.sync()));

    interface LogRow {
      seq: number;
      channel_id: string | null;
      audience: string | null;
    }
    const log = h.server.db.all<LogRow>("SELECT seq, channel_id, audience FROM board_events WHERE tenant_id = 'demo' ORDER BY seq");
    const bySeq = new Map<number, string>();
    for (const a of agents) {
      const start = a.all(isBoardReset)[0]!.snapshot.seq;
      // I3/I5 per connection: every event's prev is the seq of the one before it (or the snapshot's).
      const events = assertBoardChain(a);
      // Exactly the events of its channels and those whose audience names it, none other.
      const agentId = a.label.replace('agent ', '');
      const visible = log
        .filter((r) => r.seq > start)
        .filter((r) => (r.channel_id !== null && channelsOf.get(a)!.includes(r.channel_id)) || (JSON.parse(r.audience ?? '[]') as string[]).includes(agentId))
        .map((r) => r.seq);
      assert.deepEqual(
        events.map((e) => e.seq),
        visible,
        `${a.label}: the events it may see, and only those`,
      );
      // One mapping of seq to content for every observer.
      for (const e of events) {
        const text = JSON.stringify({ kind: e.kind, data: e.data });
        const prior = bySeq.get(e.seq);
        if (prior !== undefined) assert.equal(text, prior, `seq ${String(e.seq)} differs between observers`);
        bySeq.set(e.seq, text);
      }
    }
    const mentions = (client: TestClient, sessionId: string) => assertBoardChain(client).filter((e) => e.kind === 'session' && e.data.id === sessionId);
    // lars (sales only) never receives an event of the support channel, sofia (support only) none of sales.
    assert.equal(mentions(lars, support.sessionId).length, 0);
    assert.equal(mentions(sofia, sales.sessionId).length, 0);
    assert.ok(mentions(lars, sales.sessionId).length > 0);
    assert.ok(mentions(sofia, support.sessionId).length > 0);
    for (const e of assertBoardChain(lars)) assert.ok(e.kind !== 'session' || e.data.channelId === 'sales', `lars got ${JSON.stringify(e)}`);
    for (const e of assertBoardChain(sofia)) assert.ok(e.kind !== 'session' || e.data.channelId === 'support', `sofia got ${JSON.stringify(e)}`);
    // A customer's message is not a board event: only the lifecycle is (queued, answered, ended).
    assert.deepEqual(
      mentions(anna, support.sessionId).map((e) => (e.kind === 'session' ? e.data.status : e.kind)),
      ['queued', 'active', 'ended'],
    );
    // Presence travels as agents frames, to everyone.
    for (const a of agents) await a.waitFor(agentRecord('erik', (r) => r.status === 'away'), { label: `${a.label}: erik away` });
    // Nothing of a support session leaks into lars's frames at all.
    assert.ok(!lars.frames.some((f) => JSON.stringify(f).includes(support.sessionId)));
  });

  test('board stream: prev chains stay gapless per connection across a resume, and continue live', async () => {
    const sofia = await h.api.agent('sofia', { clientId: 'sofia-tab' });
    const first = await h.api.startChat('support', 'Before Away');
    await sofia.waitFor(where(isBoardEvent, (e) => e.kind === 'session' && e.data.id === first.sessionId));
    const pos = boardPosition(sofia);
    assertBoardChain(sofia);
    await sofia.close();
    // Missed while away: events of her channel and of another one (which she may not see).
    for (let i = 0; i < 5; i++) await h.api.startChat('sales', `Missed Sales ${String(i)}`);
    const missed = await h.api.startChat('support', 'Missed Support');
    const anna = await h.api.agent('anna');
    await anna.ok({ t: 'accept', sessionId: missed.sessionId });
    const back = await h.api.agent('sofia', { clientId: 'sofia-tab', resume: { board: pos } });
    const status = back.welcome!.resume.find((r) => r.stream === 'board');
    const replay = assertBoardChain(back, pos.seq);
    // toSeq is where the replay ends: the last event she may see (not the tenant's head).
    assert.equal(status?.status, 'replay');
    assert.equal(status.toSeq, replay.at(-1)?.seq);
    assert.deepEqual(
      replay.map((e) => (e.kind === 'session' ? `${e.data.id}:${e.data.status}` : e.kind)),
      [`${missed.sessionId}:queued`, `${missed.sessionId}:active`],
    );
    assert.ok(replay[0]!.prev === pos.seq && replay[0]!.seq > pos.seq + 1, 'the chain starts at her position and passes over what she may not see');
    // Live events continue the same chain.
    const later = await h.api.startChat('support', 'Later Live');
    await back.waitFor(where(isBoardEvent, (e) => e.kind === 'session' && e.data.id === later.sessionId));
    const all = assertBoardChain(back, pos.seq);
    assert.equal(all.length, replay.length + 1);
    assert.equal(all.at(-1)!.prev, replay.at(-1)!.seq);
    // A resume from the newest position with nothing missed: an empty replay, toSeq = the position.
    const now = boardPosition(back);
    await back.close();
    const again = await h.api.agent('sofia', { clientId: 'sofia-tab', resume: { board: now } });
    assert.deepEqual(again.welcome!.resume.find((r) => r.stream === 'board'), { stream: 'board', status: 'replay', epoch: now.epoch, toSeq: now.seq });
    const more = await h.api.startChat('support', 'After Again');
    const live = await again.waitFor(where(isBoardEvent, (e) => e.kind === 'session' && e.data.id === more.sessionId));
    assert.equal(live.prev, now.seq);
  });
});

describe('I6: one sender pipelining 50 sends', () => {
  test('customer and agent: committed in send order, seqs increasing in send order', async () => {
    const c = await openActiveChat(h.api);
    for (const [sender, name] of [
      [c.customer, 'customer'],
      [c.agent, 'agent'],
    ] as const) {
      const from = sender.mark();
      const cmids: string[] = [];
      for (let i = 0; i < 50; i++) cmids.push(sender.post(c.sessionId, `${name} #${String(i)}`));
      const acks = await sender.waitForCount(where(isAck, (a) => cmids.includes(a.cmid)), 50, { from });
      assert.deepEqual(
        acks.map((a) => a.cmid),
        cmids,
        'acks in send order',
      );
      for (let i = 1; i < acks.length; i++) assert.ok(acks[i]!.seq > acks[i - 1]!.seq, `${name}: seq increases in send order`);
      const stored = dbMessages(c.sessionId).filter((m) => m.cmid !== null && cmids.includes(m.cmid));
      assert.deepEqual(
        stored.map((m) => m.cmid),
        cmids,
        'stored in send order',
      );
      assert.deepEqual(
        stored.map((m) => m.text),
        cmids.map((_, i) => `${name} #${String(i)}`),
      );
    }
    // The other side observed them in the same order.
    const head = dbMessages(c.sessionId).at(-1)!.seq;
    await waitSeq(c.agent, c.sessionId, head);
    const observed = c.agent
      .all(sessionEventOf(c.sessionId))
      .filter((e) => e.data.text.startsWith('customer #'))
      .map((e) => e.data.text);
    assert.deepEqual(
      observed,
      Array.from({ length: 50 }, (_, i) => `customer #${String(i)}`),
    );
  });
});

describe('I8: unauthorized connections never receive a session', () => {
  test('a customer of session A cannot subscribe, page, send, read, end or type into session B', async () => {
    const a = await openActiveChat(h.api, { name: 'Alice' });
    const b = await openActiveChat(h.api, { name: 'Bob', agentId: 'sofia' });
    const attacker = a.customer;
    const B = b.sessionId;
    for (const frame of [
      { t: 'subscribe', sessionId: B, mode: 'participant' },
      { t: 'subscribe', sessionId: B, mode: 'listen' },
      { t: 'history', sessionId: B, limit: 100 },
      { t: 'history', sessionId: B, afterSeq: 0, limit: 100 },
      { t: 'read', sessionId: B, seq: 1 },
      { t: 'end', sessionId: B },
      { t: 'accept', sessionId: B },
      { t: 'next' },
    ]) {
      const answer = await attacker.command(frame);
      assert.ok(isNack(answer), `${frame.t} was allowed`);
      assert.equal(answer.code, 'forbidden', `${frame.t}: ${answer.message}`);
    }
    const sent = await attacker.send(B, 'let me in');
    assert.ok(isNack(sent) && sent.code === 'forbidden');
    attacker.sendJson({ t: 'typing', sessionId: B, on: true, preview: 'sneaky' });
    // Activity in B afterwards.
    await b.customer.sendOk(B, 'secret of B');
    await b.agent.sendOk(B, 'reply in B');
    await b.agent.sendOk(B, 'note in B', { kind: 'note' });
    await b.agent.sync();
    await attacker.sync();
    assert.ok(!attacker.frames.some((f) => JSON.stringify(f).includes(B)), 'customer A received something of B');
    assert.ok(!attacker.frames.some((f) => JSON.stringify(f).includes('secret of B')));
    assert.ok(!b.agent.frames.some((f) => f.t === 'typing'), 'the forged typing frame was relayed');
    assert.equal(dbMessages(B).filter((m) => m.text === 'let me in').length, 0);
    assert.equal(h.server.db.get<{ status: string }>('SELECT status FROM sessions WHERE id = ?', [B])?.status, 'active');
  });

  test('lars (sales only) cannot subscribe to, page, answer or listen in a support session', async () => {
    const c = await openActiveChat(h.api, { channel: 'support', agentId: 'erik' });
    const queued = await h.api.startChat('support', 'Queued Quinn');
    const lars = await h.api.agent('lars');
    for (const sessionId of [c.sessionId, queued.sessionId]) {
      for (const frame of [
        { t: 'subscribe', sessionId, mode: 'participant' },
        { t: 'subscribe', sessionId, mode: 'listen' },
        { t: 'history', sessionId, limit: 10 },
        { t: 'accept', sessionId },
        { t: 'end', sessionId },
      ]) {
        const answer = await lars.command(frame);
        assert.ok(isNack(answer) && answer.code === 'forbidden', `lars ${frame.t} ${sessionId}: ${JSON.stringify(answer)}`);
      }
      const sent = await lars.send(sessionId, 'hi from lars');
      assert.ok(isNack(sent) && sent.code === 'forbidden');
    }
    // `next` never hands lars a support chat.
    const next = await lars.command({ t: 'next', channelIds: ['support'] });
    assert.ok(isNack(next) && next.code === 'queue_empty');
    assert.equal(h.server.db.get<{ status: string }>('SELECT status FROM sessions WHERE id = ?', [queued.sessionId])?.status, 'queued');
    // erik has no listen permission: no listening in on sofia's chat either.
    const sofiaChat = await openActiveChat(h.api, { agentId: 'sofia', name: 'Sven' });
    const erik = c.agent;
    const listen = await erik.command({ t: 'subscribe', sessionId: sofiaChat.sessionId, mode: 'listen' });
    assert.ok(isNack(listen) && listen.code === 'forbidden');
    const participate = await erik.command({ t: 'subscribe', sessionId: sofiaChat.sessionId, mode: 'participant' });
    assert.ok(isNack(participate) && participate.code === 'forbidden');
    // Nor in listen mode on chats he may otherwise read (a queued one of his channel, his own).
    for (const sessionId of [queued.sessionId, c.sessionId]) {
      const listenOwn = await erik.command({ t: 'subscribe', sessionId, mode: 'listen' });
      assert.ok(isNack(listenOwn) && listenOwn.code === 'forbidden', `listen without permission on ${sessionId}`);
    }
    await erik.ok({ t: 'subscribe', sessionId: queued.sessionId, mode: 'participant' });
    // anna, a listener, cannot write into it.
    const anna = await h.api.agent('anna');
    await anna.ok({ t: 'subscribe', sessionId: sofiaChat.sessionId, mode: 'listen' });
    const annaSend = await anna.send(sofiaChat.sessionId, 'listener writes');
    assert.ok(isNack(annaSend) && annaSend.code === 'forbidden');

    await c.customer.sendOk(c.sessionId, 'support secret');
    await sofiaChat.customer.sendOk(sofiaChat.sessionId, 'another secret');
    await lars.sync();
    assert.ok(!lars.frames.some((f) => f.t === 'event' && f.stream.startsWith('session:')), 'lars got a session event');
    assert.ok(!lars.frames.some((f) => JSON.stringify(f).includes('secret')));
    assert.ok(!erik.frames.some((f) => sessionEventOf(sofiaChat.sessionId)(f)));
  });

  test('an agent of another tenant cannot connect to demo, and demo ids are refused in its own tenant', async () => {
    createTenant(
      h.server.db,
      {
        id: 'acme',
        name: 'Acme',
        channels: [{ id: 'support', name: 'Support', welcomeMessage: 'Hi' }],
        // same agent id and channel id as in demo, on purpose
        agents: [{ id: 'anna', name: 'Acme Anna', email: 'anna@acme.example', maxConcurrentChats: 5, channels: { support: { listen: true, manager: true } } }],
      },
      h.clock.now(),
    );
    const demoChat = await openActiveChat(h.api, { agentId: 'erik' });
    const acmeToken = await h.api.login('anna', 'acme');

    // Its ticket opens no socket on tenant demo.
    const intruder = await h.api.open('demo', await h.api.ticket(acmeToken), { label: 'acme anna on demo' });
    intruder.sendJson({ t: 'hello', v: PROTOCOL_VERSION, resume: { sessions: [{ id: demoChat.sessionId, epoch: 'x', seq: 0 }] } });
    const closed = await intruder.waitClose();
    assert.equal(closed.code, 4403);
    assert.deepEqual(
      intruder.frames.map((f) => f.t),
      ['error'],
    );
    // A demo customer's ticket is no good on acme either.
    const customerOnAcme = await h.api.open('acme', await h.api.ticket(demoChat.chat.token));
    assert.equal((await customerOnAcme.waitClose()).code, 4403);

    // In its own tenant, demo session ids are refused (and the same-named agent gains nothing).
    const acmeAnna = await h.api.agent('anna', { tenant: 'acme', resume: { sessions: [{ id: demoChat.sessionId, epoch: demoChat.agentReset.epoch, seq: 0 }] } });
    assert.deepEqual(acmeAnna.welcome?.resume.find((r) => r.stream === `session:${demoChat.sessionId}`)?.status, 'gone');
    for (const frame of [
      { t: 'subscribe', sessionId: demoChat.sessionId, mode: 'listen' },
      { t: 'subscribe', sessionId: demoChat.sessionId, mode: 'participant' },
      { t: 'history', sessionId: demoChat.sessionId, limit: 10 },
      { t: 'accept', sessionId: demoChat.sessionId },
      { t: 'end', sessionId: demoChat.sessionId },
    ]) {
      const answer = await acmeAnna.command(frame);
      assert.ok(isNack(answer) && answer.code === 'forbidden', `${frame.t}: ${JSON.stringify(answer)}`);
    }
    const sent = await acmeAnna.send(demoChat.sessionId, 'cross-tenant');
    assert.ok(isNack(sent) && sent.code === 'forbidden');
    await demoChat.customer.sendOk(demoChat.sessionId, 'demo only');
    await acmeAnna.sync();
    // (the welcome only echoes the id it was asked about, as `gone`)
    assert.ok(!acmeAnna.frames.some((f) => f.t !== 'welcome' && JSON.stringify(f).includes(demoChat.sessionId)));
    const acmeBoard = acmeAnna.all(isBoardReset)[0]!;
    assert.equal(acmeBoard.snapshot.sessions.length, 0);
    assert.deepEqual(
      acmeBoard.snapshot.agents.map((a) => a.id),
      ['anna'],
    );
    // HTTP snapshot with the acme token: acme's board only.
    const snap = await h.api.request('GET', '/api/snapshot', { headers: { authorization: `Bearer ${acmeToken}` } });
    assert.equal(snap.status, 200);
    assert.ok(!JSON.stringify(snap.body).includes(demoChat.sessionId));
    assert.equal(dbMessages(demoChat.sessionId).filter((m) => m.text === 'cross-tenant').length, 0);
  });

  test('notes never reach the customer (live, history, snapshot, resume); the agent text does', async () => {
    const c = await openActiveChat(h.api);
    const before = c.customer.mark();
    await c.agent.sendOk(c.sessionId, 'INTERNAL: customer seems upset', { kind: 'note' });
    const text = await c.agent.sendOk(c.sessionId, 'Hello! How can I help?');
    const visible = await c.customer.waitFor((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && f.data.id === text.msgId, { from: before });
    await c.customer.sync();
    assert.equal(visible.data.text, 'Hello! How can I help?');
    assert.equal(visible.data.author.kind, 'agent');
    assert.equal(visible.data.author.id, undefined, 'customers do not see agent ids');
    assert.equal(visible.data.cmid, undefined, "customers do not see the agent's cmids");
    const noteLeaks = (client: TestClient) => client.frames.some((f) => JSON.stringify(f).includes('INTERNAL'));
    assert.ok(!noteLeaks(c.customer));
    // The customer's numbering skips nothing because of the note.
    const cv = sessionView(c.customer, c.sessionId);
    assertGapless(
      cv.events.map((e) => e.seq),
      cv.snapshotSeq,
      'customer',
    );
    // agent numbering includes the note
    const agentSeqs = sessionView(c.agent, c.sessionId);
    assert.ok(agentSeqs.events.some((e) => e.data.kind === 'note'));
    // history and a fresh widget (snapshot) and a resumed widget: no note either
    await c.customer.ok({ t: 'history', sessionId: c.sessionId, afterSeq: 0, limit: 100 });
    await c.customer.ok({ t: 'history', sessionId: c.sessionId, limit: 100 });
    const fresh = await h.api.customer(c.chat);
    await fresh.waitFor(sessionResetOf(c.sessionId));
    const resumed = await h.api.customer(c.chat, { resume: { sessions: [{ id: c.sessionId, epoch: cv.epoch, seq: 0 }] } });
    await resumed.waitFor((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && f.data.id === text.msgId);
    for (const client of [c.customer, fresh, resumed]) {
      await client.sync();
      assert.ok(!noteLeaks(client), `${client.label} saw the note`);
    }
    assert.ok(noteLeaks(c.agent));
  });
});

interface Page {
  epoch: string;
  messages: { id: string; seq: number }[];
  hasMore: boolean;
}

describe('I5 (server side): history fills exactly the gap', () => {
  test('history {afterSeq} returns exactly the missing range, in order, paged by limit', async () => {
    const c = await openActiveChat(h.api);
    for (let i = 0; i < 12; i++) await c.customer.sendOk(c.sessionId, `m${String(i)}`);
    await c.agent.sendOk(c.sessionId, 'note', { kind: 'note' });
    await c.agent.sendOk(c.sessionId, 'last');
    const rows = dbMessages(c.sessionId);
    const head = rows.at(-1)!.seq;
    const page = (await c.agent.ok({ t: 'history', sessionId: c.sessionId, afterSeq: 5, limit: 100 })) as Page;
    assert.deepEqual(
      page.messages.map((m) => m.seq),
      rows.filter((r) => r.seq > 5).map((r) => r.seq),
    );
    assert.deepEqual(
      page.messages.map((m) => m.id),
      rows.filter((r) => r.seq > 5).map((r) => r.id),
    );
    assert.equal(page.hasMore, false);
    assert.equal(page.epoch, c.agentReset.epoch);
    const limited = (await c.agent.ok({ t: 'history', sessionId: c.sessionId, afterSeq: 5, limit: 3 })) as Page;
    assert.deepEqual(
      limited.messages.map((m) => m.seq),
      [6, 7, 8],
    );
    assert.equal(limited.hasMore, true);
    const gap = (await c.agent.ok({ t: 'history', sessionId: c.sessionId, afterSeq: 6, beforeSeq: 10, limit: 100 })) as Page;
    assert.deepEqual(
      gap.messages.map((m) => m.seq),
      [7, 8, 9],
    );
    const older = (await c.agent.ok({ t: 'history', sessionId: c.sessionId, beforeSeq: 4, limit: 100 })) as Page;
    assert.deepEqual(
      older.messages.map((m) => m.seq),
      [1, 2, 3],
    );
    const none = (await c.agent.ok({ t: 'history', sessionId: c.sessionId, afterSeq: head, limit: 100 })) as Page;
    assert.deepEqual(none.messages, []);
    // customer numbering: no notes, gapless cseq
    const cpage = (await c.customer.ok({ t: 'history', sessionId: c.sessionId, afterSeq: 2, limit: 100 })) as Page;
    const expected = rows.filter((r) => r.cseq !== null && r.cseq > 2).map((r) => [r.cseq, r.id]);
    assert.deepEqual(
      cpage.messages.map((m) => [m.seq, m.id]),
      expected,
    );
  });
});

describe('resume', () => {
  test('board: hello.resume.board {epoch, seq} replays exactly the missed events', async () => {
    const watcher = await h.api.agent('anna');
    const erik = await h.api.agent('erik', { clientId: 'erik-tab-1' });
    const pos = boardPosition(erik);
    await erik.close();
    // Missed while away: chats started and answered, presence (not a board event).
    const chat1 = await h.api.startChat('support', 'Missed One');
    await h.api.startChat('sales', 'Missed Two');
    await watcher.ok({ t: 'accept', sessionId: chat1.sessionId });
    await watcher.ok({ t: 'presence', status: 'away' });
    const headBefore = h.server.room('demo')!.store.boardHead().seq;
    assert.equal(headBefore, pos.seq + 3);

    const back = await h.api.agent('erik', { clientId: 'erik-tab-1', resume: { board: pos } });
    const head = h.server.room('demo')!.store.boardHead();
    const status = back.welcome!.resume.find((r) => r.stream === 'board');
    assert.deepEqual(status, { stream: 'board', status: 'replay', epoch: pos.epoch, toSeq: head.seq });
    await back.waitFor((f): f is BoardEvent => isBoardEvent(f) && f.seq === head.seq);
    await back.sync();
    // erik sees both channels: every event since his position, chained from it.
    const replay = assertBoardChain(back, pos.seq);
    assertGapless(
      replay.map((e) => e.seq),
      pos.seq,
      'replay',
    );
    assert.equal(replay.at(-1)?.seq, head.seq);
    assert.equal(back.all(isBoardReset).length, 0, 'no reset when the replay is possible');
    // The replay equals what the continuously connected supervisor saw live (its own prev aside).
    await watcher.waitFor((f): f is BoardEvent => isBoardEvent(f) && f.seq === head.seq);
    const live = new Map(watcher.all(isBoardEvent).map((e) => [e.seq, e]));
    for (const e of replay) assert.deepEqual({ ...e, prev: 0 }, { ...live.get(e.seq), prev: 0 }, `seq ${String(e.seq)}`);
    // Welcome comes first, then the replay, nothing interleaved before it; then the current
    // roster (presence changed meanwhile: anna is Away) and the activity of his view.
    assert.equal(back.frames[0]?.t, 'welcome');
    assert.ok(back.frames.slice(1, 1 + replay.length).every((f) => isBoardEvent(f)));
    const roster = back.frames.slice(1 + replay.length).find(isAgents);
    assert.ok(roster?.agents.some((a) => a.id === 'anna' && a.status === 'away'), 'the current roster follows the replay');
    assert.deepEqual(roster?.agents.map((a) => a.id).sort(), ['anna', 'erik', 'lars', 'sofia']);
  });

  test('board: a wrong epoch (or a position beyond the head) gets a reset with a snapshot', async () => {
    const chat = await h.api.startChat('support', 'Snap Shot');
    const first = await h.api.agent('erik');
    const pos = boardPosition(first);
    for (const resume of [{ epoch: 'not-the-epoch', seq: pos.seq }, { epoch: pos.epoch, seq: pos.seq + 1000 }]) {
      const again = await h.api.agent('erik', { resume: { board: resume } });
      const head = h.server.room('demo')!.store.boardHead();
      assert.deepEqual(again.welcome!.resume.find((r) => r.stream === 'board'), { stream: 'board', status: 'reset', epoch: head.epoch });
      const reset = await again.waitFor(isBoardReset);
      assert.equal(reset.epoch, head.epoch);
      assert.equal(reset.snapshot.epoch, head.epoch);
      assert.equal(reset.snapshot.seq, head.seq);
      assert.ok(reset.snapshot.sessions.some((s) => s.id === chat.sessionId));
      assert.ok(reset.snapshot.agents.some((a) => a.id === 'erik' && a.online));
      await again.sync();
      assert.ok(!again.frames.some((f) => isBoardEvent(f) && f.seq <= reset.snapshot.seq), 'no stale events before the snapshot position');
    }
  });

  test('a gap larger than the replay cap (MAX_RESUME_REPLAY) gets a reset with a snapshot, not a replay', async () => {
    const c = await openActiveChat(h.api);
    const view = sessionView(c.customer, c.sessionId);
    const pos = { id: c.sessionId, epoch: view.epoch, seq: Math.max(view.snapshotSeq, ...view.events.map((e) => e.seq)) };
    await c.customer.close();
    // Written straight into the store: 120 frames a minute per socket would make this slow.
    const room = h.server.room('demo');
    assert.ok(room, 'demo room');
    room.store.db.transaction(() => {
      for (let i = 0; i <= MAX_RESUME_REPLAY; i++) {
        room.store.appendMessage({ sessionId: c.sessionId, senderKind: 'system', authorName: '', kind: 'text', text: `bulk ${String(i)}`, at: Date.now() });
      }
    });
    const back = await h.api.customer(c.chat, { resume: { sessions: [pos] } });
    assert.equal(back.welcome!.resume.find((r) => r.stream === `session:${c.sessionId}`)?.status, 'reset', 'beyond the cap: reset');
    const reset = await back.waitFor(sessionResetOf(c.sessionId));
    assert.equal(reset.snapshot.seq, pos.seq + MAX_RESUME_REPLAY + 1);
    assert.equal(reset.snapshot.hasMore, true);
    assert.equal(reset.snapshot.messages.at(-1)?.text, `bulk ${String(MAX_RESUME_REPLAY)}`);
    await back.sync();
    assert.equal(back.all(sessionEventOf(c.sessionId)).length, 0, 'no partial replay');
  });

  test("customer: resuming its session after a gap replays the missed messages (never notes); a wrong epoch resets", async () => {
    const c = await openActiveChat(h.api);
    await c.customer.sendOk(c.sessionId, 'before the gap');
    const view = sessionView(c.customer, c.sessionId);
    const pos = { id: c.sessionId, epoch: view.epoch, seq: Math.max(view.snapshotSeq, ...view.events.map((e) => e.seq)) };
    await c.customer.close();
    const missed = [];
    missed.push(await c.agent.sendOk(c.sessionId, 'while you were away 1'));
    await c.agent.sendOk(c.sessionId, 'note while away', { kind: 'note' });
    missed.push(await c.agent.sendOk(c.sessionId, 'while you were away 2'));
    missed.push(await c.agent.sendOk(c.sessionId, 'while you were away 3'));

    const back = await h.api.customer(c.chat, { resume: { sessions: [pos] } });
    const status = back.welcome!.resume.find((r) => r.stream === `session:${c.sessionId}`);
    assert.equal(status?.status, 'replay');
    assert.equal(status.toSeq, pos.seq + 3);
    await back.waitFor((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && f.seq === pos.seq + 3);
    await back.sync();
    const replay = back.all(sessionEventOf(c.sessionId));
    assert.deepEqual(
      replay.map((e) => e.seq),
      [pos.seq + 1, pos.seq + 2, pos.seq + 3],
    );
    assert.deepEqual(
      replay.map((e) => e.data.id),
      missed.map((a) => a.msgId),
    );
    assert.equal(back.all(sessionResetOf(c.sessionId)).length, 0);

    const wrong = await h.api.customer(c.chat, { resume: { sessions: [{ ...pos, epoch: 'bogus' }] } });
    assert.equal(wrong.welcome!.resume[0]?.status, 'reset');
    const reset = await wrong.waitFor(sessionResetOf(c.sessionId));
    assert.equal(reset.snapshot.epoch, view.epoch);
    assert.equal(reset.snapshot.seq, pos.seq + 3);
    assert.deepEqual(
      reset.snapshot.messages.slice(-3).map((m) => m.id),
      missed.map((a) => a.msgId),
    );
    assert.ok(!reset.snapshot.messages.some((m) => m.kind === 'note'));
  });

  test('agent: hello.resume.sessions replays a session stream (notes included); another session id is gone', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik' });
    const other = await openActiveChat(h.api, { agentId: 'sofia', name: 'Not Yours' });
    const view = sessionView(c.agent, c.sessionId);
    const pos = { id: c.sessionId, epoch: view.epoch, seq: Math.max(view.snapshotSeq, ...view.events.map((e) => e.seq)) };
    await c.agent.close();
    const a1 = await c.customer.sendOk(c.sessionId, 'are you there?');
    const erik2 = await h.api.agent('erik', { resume: { sessions: [pos, { id: other.sessionId, epoch: other.agentReset.epoch, seq: 0 }] } });
    const rows = dbMessages(c.sessionId).filter((r) => r.seq > pos.seq);
    assert.ok(rows.some((r) => r.id === a1.msgId));
    await erik2.waitFor((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && f.seq === rows.at(-1)!.seq);
    await erik2.sync();
    assert.deepEqual(
      erik2.all(sessionEventOf(c.sessionId)).map((e) => [e.seq, e.data.id]),
      rows.map((r) => [r.seq, r.id]),
    );
    assert.equal(erik2.welcome!.resume.find((r) => r.stream === `session:${other.sessionId}`)?.status, 'gone');
    assert.equal(erik2.all(sessionEventOf(other.sessionId)).length + erik2.all(sessionResetOf(other.sessionId)).length, 0);
    // live events keep flowing on the resumed subscription
    const live = await c.customer.sendOk(c.sessionId, 'live again');
    await erik2.waitFor((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && f.data.id === live.msgId);
  });
});
