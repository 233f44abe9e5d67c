/**
 * I2 with a real process: `node --import tsx server/node/main.ts` is stopped (SIGTERM, and
 * SIGKILL) and started again on the same data dir and port. Everything acked before the stop is
 * in every later replay and snapshot, with the same msgId and seq.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, afterEach, describe, test } from 'node:test';

import {
  Api,
  assertBoardChain,
  boardPosition,
  closeAllClients,
  freePort,
  isAck,
  sessionEventOf,
  sessionResetOf,
  spawnServer,
  stopAllProcesses,
  tempDir,
  type AckFrame,
  type SessionEvent,
  type TestClient,
} from './helpers.js';

const dirs: string[] = [];
afterEach(async () => {
  await closeAllClients();
  await stopAllProcesses();
});
after(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const ALARMING = /warn|error|fail|exception|unhandled|EADDRINUSE|SQLITE/i;

interface Acked {
  msgId: string;
  seq: number;
  text: string;
}

/** All session events a client received for a session, by seq. */
function eventsBySeq(client: TestClient, sessionId: string): Map<number, SessionEvent> {
  return new Map(client.all(sessionEventOf(sessionId)).map((e) => [e.seq, e]));
}

/** Agent console subscribed to a session with `after` position 0 → full replay. */
async function replayAll(client: TestClient, sessionId: string, epoch: string, head: number): Promise<Map<number, SessionEvent>> {
  const from = client.mark();
  const data = (await client.ok({ t: 'subscribe', sessionId, mode: 'participant', after: { epoch, seq: 0 } })) as { status: string; toSeq?: number };
  assert.equal(data.status, 'replay');
  assert.equal(data.toSeq, head);
  await client.waitFor((f): f is SessionEvent => sessionEventOf(sessionId)(f) && f.seq === head, { from });
  return new Map(client.all(sessionEventOf(sessionId), from).map((e) => [e.seq, e]));
}

describe('I2: acked messages survive a real restart', () => {
  test('SIGTERM: clean exit 0, restart on the same data reuses it, every ack is in replay and snapshot', async () => {
    const dataDir = await tempDir();
    dirs.push(dataDir);
    const port = await freePort();
    const first = await spawnServer({ port, dataDir });
    assert.match(first.stdout(), /created with the demo tenant/);
    const api = new Api(first.url);
    // Without CHAT_TEST_CLOCK=1 the test-only clock route does not exist.
    assert.equal((await api.request('POST', '/api/test/clock', { json: { advanceMs: 1000 } })).status, 404);
    assert.doesNotMatch(first.stdout(), /Test clock/);

    const chat = await api.startChat('support', 'Restart Rita');
    const customer = await api.customer(chat);
    const agent = await api.agent('erik');
    await agent.ok({ t: 'accept', sessionId: chat.sessionId });
    await agent.ok({ t: 'subscribe', sessionId: chat.sessionId, mode: 'participant' });
    const epoch = (await agent.waitFor(sessionResetOf(chat.sessionId))).epoch;

    const agentAcked: Acked[] = []; // agent numbering (all messages of both sides)
    const customerAcked: Acked[] = []; // customer numbering
    for (let i = 0; i < 5; i++) {
      const ct = `customer says ${String(i)}`;
      const c = await customer.sendOk(chat.sessionId, ct);
      customerAcked.push({ msgId: c.msgId, seq: c.seq, text: ct });
      const at = `agent answers ${String(i)}`;
      const a = await agent.sendOk(chat.sessionId, at);
      agentAcked.push({ msgId: a.msgId, seq: a.seq, text: at });
      customerAcked.push({ msgId: a.msgId, seq: -1, text: at }); // cseq learnt below
    }
    const note = await agent.sendOk(chat.sessionId, 'private note', { kind: 'note' });
    agentAcked.push({ msgId: note.msgId, seq: note.seq, text: 'private note' });
    // The agent numbering of the customer's messages, and the customer numbering of the agent's.
    const head = note.seq;
    await agent.waitFor((f): f is SessionEvent => sessionEventOf(chat.sessionId)(f) && f.seq === head);
    const agentView = eventsBySeq(agent, chat.sessionId);
    const customerView = eventsBySeq(customer, chat.sessionId);
    await customer.sync();
    for (const e of agentView.values()) {
      if (e.data.author.kind === 'customer') agentAcked.push({ msgId: e.data.id, seq: e.seq, text: e.data.text });
    }
    for (const item of customerAcked.filter((x) => x.seq === -1)) {
      const e = [...customerView.values()].find((x) => x.data.id === item.msgId);
      assert.ok(e, `the customer saw ${item.text}`);
      item.seq = e.seq;
    }
    const board = boardPosition(agent);
    // A chat that starts after that position: the board replay after the restart carries it.
    const waiting = await api.startChat('support', 'Waiting Through The Restart');
    const agentToken = await api.token('erik');

    // ---- stop with SIGTERM
    const closes = [agent.closed, customer.closed];
    const stopped = await first.stop('SIGTERM');
    assert.equal(stopped.signal, null);
    assert.equal(stopped.code, 0, `exit code; stderr: ${stopped.stderr}`);
    assert.equal(stopped.stderr, '', 'nothing on stderr');
    assert.match(stopped.stdout, /SIGTERM received/);
    assert.match(stopped.stdout, /Stopped cleanly\./);
    assert.doesNotMatch(stopped.stdout, ALARMING);
    for (const info of await Promise.all(closes)) {
      assert.ok([1001, 1006].includes(info.code), `clients see going-away, got ${String(info.code)}`);
    }

    // ---- start again on the same directory and port
    const second = await spawnServer({ port, dataDir });
    assert.match(second.stdout(), /\(reused\)/);
    assert.doesNotMatch(second.stdout(), /created with the demo tenant/);

    // Agent resumes the board (same epoch → replay) and the session from 0 (→ everything).
    const agent2 = await api.agent('erik', { resume: { board, sessions: [{ id: chat.sessionId, epoch, seq: 0 }] } });
    const statuses = agent2.welcome!.resume;
    assert.equal(statuses.find((s) => s.stream === 'board')?.status, 'replay', 'the board log survived');
    assert.deepEqual(statuses.find((s) => s.stream === `session:${chat.sessionId}`), {
      stream: `session:${chat.sessionId}`,
      status: 'replay',
      epoch,
      toSeq: head,
    });
    await agent2.waitFor((f): f is SessionEvent => sessionEventOf(chat.sessionId)(f) && f.seq === head);
    const replay = eventsBySeq(agent2, chat.sessionId);
    assert.deepEqual([...replay.keys()], Array.from({ length: head }, (_, i) => i + 1), 'gapless replay 1..head');
    for (const a of agentAcked) {
      const e = replay.get(a.seq);
      assert.equal(e?.data.id, a.msgId, `acked seq ${String(a.seq)} survives`);
      assert.equal(e.data.text, a.text);
    }
    const boardReplay = assertBoardChain(agent2, board.seq);
    assert.deepEqual(
      boardReplay.map((e) => e.seq).slice(0, 1),
      [board.seq + 1],
      'board replay starts right after the last seen seq',
    );
    assert.ok(boardReplay.some((e) => e.kind === 'session' && e.data.id === waiting.sessionId && e.data.status === 'queued'), 'the chat started before the restart');

    // A fresh snapshot (no position) has them too, with the same ids and seqs.
    const fresh = await api.agent('erik');
    await fresh.ok({ t: 'subscribe', sessionId: chat.sessionId, mode: 'participant' });
    const snap = await fresh.waitFor(sessionResetOf(chat.sessionId));
    assert.equal(snap.snapshot.seq, head);
    assert.equal(snap.snapshot.epoch, epoch);
    const snapBySeq = new Map(snap.snapshot.messages.map((m) => [m.seq, m.id]));
    for (const a of agentAcked) assert.equal(snapBySeq.get(a.seq), a.msgId);
    // And through a second replay path: subscribe with `after`.
    const viaSubscribe = await replayAll(await api.agent('anna'), chat.sessionId, epoch, head);
    for (const a of agentAcked) assert.equal(viaSubscribe.get(a.seq)?.data.id, a.msgId);

    // The customer's widget resumes with its own numbering, without the note.
    const customer2 = await api.customer(chat, { resume: { sessions: [{ id: chat.sessionId, epoch, seq: 0 }] } });
    const cHead = Math.max(...customerAcked.map((x) => x.seq));
    await customer2.waitFor((f): f is SessionEvent => sessionEventOf(chat.sessionId)(f) && f.seq === cHead);
    const cReplay = eventsBySeq(customer2, chat.sessionId);
    for (const c of customerAcked) assert.equal(cReplay.get(c.seq)?.data.id, c.msgId, `customer seq ${String(c.seq)}`);
    assert.ok(![...cReplay.values()].some((e) => e.data.kind === 'note'));

    // The access token (secret kept in the database) and the HTTP snapshot work after restart.
    const boardSnap = await api.request('GET', '/api/snapshot', { headers: { authorization: `Bearer ${agentToken}` } });
    assert.equal(boardSnap.status, 200);
    const summary = (boardSnap.body as { sessions: { id: string; seq: number; status: string }[] }).sessions.find((s) => s.id === chat.sessionId);
    assert.equal(summary?.seq, head);
    assert.equal(summary.status, 'active');

    // The stream continues gaplessly after the restart.
    const more = await agent2.sendOk(chat.sessionId, 'back after the restart');
    assert.equal(more.seq, head + 1);
    assert.equal(more.duplicate, false);

    const stoppedAgain = await second.stop('SIGTERM');
    assert.equal(stoppedAgain.code, 0);
    assert.equal(stoppedAgain.stderr, '');
  });

  test('SIGKILL mid-burst: every acked message survives; resending the outbox commits each cmid once', async () => {
    const dataDir = await tempDir();
    dirs.push(dataDir);
    const port = await freePort();
    const first = await spawnServer({ port, dataDir });
    const api = new Api(first.url);
    const chat = await api.startChat('sales', 'Killed Kim');
    const customer = await api.customer(chat);
    const agent = await api.agent('lars');
    await agent.ok({ t: 'accept', sessionId: chat.sessionId });

    // Pipeline 40 sends; kill -9 as soon as 15 acks are in, while the rest are in flight.
    const outbox: { cmid: string; text: string }[] = [];
    const from = customer.mark();
    for (let i = 0; i < 40; i++) {
      const text = `burst ${String(i)}`;
      outbox.push({ cmid: customer.post(chat.sessionId, text), text });
    }
    await customer.waitForCount(isAck, 15, { from });
    const killed = await first.stop('SIGKILL');
    assert.equal(killed.signal, 'SIGKILL');
    await customer.waitClose();
    const acked = new Map<string, AckFrame>(customer.all(isAck, from).map((a) => [a.cmid, a]));
    assert.ok(acked.size >= 15);

    const second = await spawnServer({ port, dataDir });
    assert.match(second.stdout(), /\(reused\)/);
    // Replay from 0 in customer numbering: every acked message with its msgId and seq.
    const widget = await api.customer(chat, { resume: { sessions: [{ id: chat.sessionId, epoch: 'unknown', seq: 0 }] } });
    const reset = await widget.waitFor(sessionResetOf(chat.sessionId));
    const stored = new Map(reset.snapshot.messages.map((m) => [m.id, m]));
    for (const [cmid, ack] of acked) {
      const m = stored.get(ack.msgId);
      assert.ok(m, `acked ${cmid} lost after SIGKILL`);
      assert.equal(m.seq, ack.seq);
      assert.equal(m.cmid, cmid);
    }
    // Gapless, each cmid at most once.
    const seqs = reset.snapshot.messages.map((m) => m.seq);
    assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
    const cmids = reset.snapshot.messages.flatMap((m) => (m.cmid ? [m.cmid] : []));
    assert.equal(new Set(cmids).size, cmids.length);

    // The outbox resends everything with the same cmids: acked ones come back as duplicates.
    const resendFrom = widget.mark();
    for (const item of outbox) widget.post(chat.sessionId, item.text, { cmid: item.cmid });
    const acks = await widget.waitForCount(isAck, outbox.length, { from: resendFrom });
    assert.deepEqual(
      acks.map((a) => a.cmid),
      outbox.map((o) => o.cmid),
      'committed in outbox order',
    );
    for (const a of acks) {
      const before = acked.get(a.cmid);
      if (before) {
        assert.equal(a.duplicate, true);
        assert.equal(a.msgId, before.msgId);
        assert.equal(a.seq, before.seq);
      }
    }
    for (let i = 1; i < acks.length; i++) assert.ok(acks[i]!.seq > acks[i - 1]!.seq);
    // Finally: one message per cmid, as the agent's board sees the session head.
    const lars = await api.agent('lars');
    await lars.ok({ t: 'subscribe', sessionId: chat.sessionId, mode: 'participant' });
    const agentSnap = await lars.waitFor(sessionResetOf(chat.sessionId));
    const texts = agentSnap.snapshot.messages.filter((m) => m.text.startsWith('burst ')).map((m) => m.text);
    assert.deepEqual(
      texts,
      outbox.map((o) => o.text),
    );
    const stopped = await second.stop('SIGTERM');
    assert.equal(stopped.code, 0);
  });

  test('a second server on a port in use fails with a clear message and exit code 1', async () => {
    const dataDir = await tempDir();
    dirs.push(dataDir);
    const port = await freePort();
    const first = await spawnServer({ port, dataDir });
    // Another data folder: on the same one the data-folder lock refuses first (data-folder.test.ts).
    const otherDir = await tempDir();
    dirs.push(otherDir);
    await assert.rejects(spawnServer({ port, dataDir: otherDir }), (error: Error) => {
      assert.match(error.message, /code 1/);
      assert.match(error.message, /already in use/);
      return true;
    });
    const health = await fetch(`${first.url}/health`);
    assert.equal(health.status, 200, 'the first server is unaffected');
    assert.equal((await first.stop('SIGTERM')).code, 0);
  });
});
