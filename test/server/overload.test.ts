/**
 * Issue 12 item 4: bounded under overload. Above its bounds the server refuses work with a clear,
 * retryable `overloaded` (a `nack` for a send or a command, 4429 naming `server_capacity` for a
 * new connection) instead of queuing it; SIGTERM during overload stops it promptly with every
 * acknowledged message on disk; afterwards the outbox (one message in flight per session, the
 * same cmid until acknowledged, `retryAfterMs` honoured) delivers everything exactly once, in
 * order.
 *
 * The real process runs with a tiny inbox (`CHAT_INBOX_FRAMES`), so a few clients overload it.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, afterEach, describe, test } from 'node:test';

import type { Connection } from '../../server/core/room/index.js';
import { CLOSE, HELLO_DEADLINE_MS, PROTOCOL_VERSION } from '../../src/protocol/limits.js';
import {
  Api,
  answerTo,
  closeAllClients,
  DEFAULT_TIMEOUT_MS,
  freePort,
  isNack,
  spawnServer,
  startServer,
  stopAllProcesses,
  tempDir,
  withTimeout,
  type AckFrame,
  type NackFrame,
  type ServerFrame,
  type StartedChat,
  type TestClient,
} from './helpers.js';
import { assertOverloadNack, connect, history, Outbox } from './outbox.js';

const dirs: string[] = [];
afterEach(async () => {
  await closeAllClients();
  await stopAllProcesses();
});
after(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Limits that make a handful of clients an overload, and nothing else limiting. */
const TIGHT = { CHAT_INBOX_FRAMES: '8', CHAT_CONNECTION_FRAMES: '1000', CHAT_FRAMES_PER_MINUTE: '1000000', CHAT_STARTS_PER_MINUTE: '10000' };
const ROOMY = { CHAT_FRAMES_PER_MINUTE: '1000000', CHAT_STARTS_PER_MINUTE: '10000' };

/**
 * A client that floods: pipelines bursts of sends (never waiting for one answer before the next
 * send) until its socket closes. After `UNIQUE` messages it
 * goes round again with the same cmids (a client resending what it has no answer for), so the
 * flood goes on through the SIGTERM while the messages to check stay few. Records every answer.
 */
const UNIQUE = 500;
class Flood {
  /** Distinct messages sent (cmids `flora-0` …). */
  sent = 0;
  /** Frames sent, repeats included. */
  frames = 0;
  refused = 0;
  readonly acks = new Map<string, AckFrame>();
  readonly texts = new Map<string, string>();
  /** Resolves once the flood has had at least one send acknowledged and one refused. */
  readonly refusedAndAcked: Promise<void>;
  private seen: () => void = () => undefined;

  constructor(
    readonly chat: StartedChat,
    readonly client: TestClient,
  ) {
    this.refusedAndAcked = new Promise<void>((resolve) => (this.seen = resolve));
  }

  private cmid(i: number): string {
    return `flora-msg-${String(i)}`;
  }

  async run(): Promise<void> {
    const client = this.client;
    let scanned = 0;
    const read = (): void => {
      for (; scanned < client.frames.length; scanned += 1) {
        const f = client.frames[scanned]!;
        if (f.t === 'ack' && f.cmid.startsWith('flora-')) {
          const first = this.acks.get(f.cmid);
          if (first && first.msgId !== f.msgId) throw new Error(`${f.cmid} stored twice: ${first.msgId} and ${f.msgId}`);
          this.acks.set(f.cmid, first ?? f);
        }
        if (f.t === 'nack' && f.cmid?.startsWith('flora-')) {
          assertOverloadNack(f);
          this.refused += 1;
        }
      }
      if (this.acks.size > 0 && this.refused > 0) this.seen();
    };
    // Bursts of 100 (far above the inbox's 8): the next burst once as many answers have come.
    while (client.isOpen) {
      const from = client.mark();
      for (let k = 0; k < 100; k += 1) {
        const i = this.frames % UNIQUE;
        const cmid = this.cmid(i);
        const text = `flora ${String(i)}`;
        this.texts.set(cmid, text);
        client.post(this.chat.sessionId, text, { cmid });
        this.frames += 1;
        this.sent = Math.min(UNIQUE, this.frames);
      }
      try {
        await client.waitForCount((f): f is AckFrame | NackFrame => (f.t === 'ack' || f.t === 'nack') && (f.cmid?.startsWith('flora-') ?? false), 100, { from, timeoutMs: 20_000 });
      } catch (error) {
        if (client.closeInfo) break; // shut down: the rest is sent again later
        throw error;
      }
      read();
    }
    read();
  }

  /** Sends every cmid again (50 at a time, a refusal retried after its `retryAfterMs`) until each is acknowledged. */
  async resendAll(client: TestClient): Promise<Map<string, AckFrame>> {
    const acks = new Map<string, AckFrame>();
    const one = async (i: number): Promise<void> => {
      const cmid = this.cmid(i);
      for (;;) {
        const answer = await client.send(this.chat.sessionId, this.texts.get(cmid)!, { cmid });
        if (answer.t === 'ack') {
          acks.set(cmid, answer);
          return;
        }
        assertOverloadNack(answer);
        await new Promise((resolve) => setTimeout(resolve, (answer.retryAfterMs ?? 1000) * (1 + Math.random() * 0.3)));
      }
    };
    for (let i = 0; i < this.sent; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, this.sent - i) }, (_, k) => one(i + k)));
    }
    return acks;
  }
}

describe('overload (real process)', () => {
  test('refuses above its bounds with a retryable overloaded; SIGTERM mid-overload keeps every ack; the outbox then delivers each message once, in order', async (t) => {
    const dataDir = await tempDir();
    dirs.push(dataDir);
    const port = await freePort();
    const first = await spawnServer({ port, dataDir, env: TIGHT });
    const api = new Api(first.url);

    // ---- a client that pipelines 200 sends at once is refused above the inbox's 8 frames
    const flooder = await api.customer(await api.startChat('support', 'Flood Fred'));
    const floodSession = flooder.welcome!.me.kind === 'customer' ? flooder.welcome!.me.sessionId : '';
    const from = flooder.mark();
    const cmids = Array.from({ length: 200 }, (_, i) => flooder.post(floodSession, `flood ${String(i)}`));
    flooder.sendJson({ t: 'ping', n: 4242 });
    const answers = await Promise.all(cmids.map((cmid) => flooder.waitFor(answerTo(cmid), { from, label: `answer to ${cmid}` })));
    await flooder.waitFor((f): f is ServerFrame => f.t === 'pong' && f.n === 4242, { from, label: 'pong while overloaded' });
    const refused = answers.filter(isNack);
    assert.ok(refused.length > 0, 'some sends were refused');
    assert.ok(answers.length - refused.length > 0, 'some were stored');
    for (const n of refused) assertOverloadNack(n);
    t.diagnostic(`flood: ${String(answers.length - refused.length)} stored, ${String(refused.length)} refused with retryAfterMs ${String(refused[0]?.retryAfterMs)}`);
    await flooder.close();

    // ---- 20 customers with an outbox of 30 messages each, all at once; SIGTERM in the middle
    const chats = await Promise.all(Array.from({ length: 20 }, (_, i) => api.startChat('support', `Outbox ${String(i)}`)));
    const boxes = chats.map((chat) => new Outbox(chat, 30));
    const connected = await Promise.all(chats.map((chat) => connect(api, chat)));
    const customers = connected.map((c) => c.client);
    t.diagnostic(`20 customers connected at once: ${String(connected.reduce((n, c) => n + c.refused, 0))} connections turned away (4429) and retried`);
    const total = boxes.length * 30;
    const third = new Promise<void>((resolve) => {
      for (const box of boxes) {
        box.onAck = () => {
          if (boxes.reduce((n, b) => n + b.next, 0) >= total / 3) resolve();
        };
      }
    });
    // A flood beside them: a client that pipelines sends without waiting, through the SIGTERM.
    const floodChat = await api.startChat('support', 'Flood Flora');
    const flood = new Flood(floodChat, (await connect(api, floodChat)).client);
    const flooding = flood.run();
    const running = boxes.map((box, i) => box.run(customers[i]!));
    await withTimeout(Promise.all([third, flood.refusedAndAcked]), 30_000, () => 'a third of the messages acknowledged, the flood refused and acknowledged');
    const stopped = await first.stop('SIGTERM');
    await Promise.all([...running, flooding]);
    // Exit code 0 and "Stopped cleanly": the shutdown finished by itself, not by the watchdog
    // (CHAT_SHUTDOWN_TIMEOUT_MS exits 1 with "Shutdown took longer"), so within the timeout.
    assert.equal(stopped.code, 0, `a clean exit within the shutdown deadline; stderr: ${stopped.stderr}`);
    assert.match(stopped.stdout, /Stopped cleanly\./);
    for (const c of customers) {
      const info = await c.waitClose();
      assert.ok([CLOSE.GOING_AWAY, 1006].includes(info.code), `going away, got ${String(info.code)}`);
    }
    const ackedBefore = boxes.flatMap((b) => b.items.filter((i) => i.ack !== undefined));
    t.diagnostic(`before SIGTERM: ${String(ackedBefore.length)} of ${String(total)} acknowledged, ${String(boxes.reduce((n, b) => n + b.refusals, 0))} refusals`);
    t.diagnostic(`flood through SIGTERM: ${String(flood.frames)} frames of ${String(flood.sent)} messages sent, ${String(flood.acks.size)} acknowledged, ${String(flood.refused)} refused overloaded`);

    // ---- after a restart (normal limits): everything acknowledged is on disk, as acknowledged
    const second = await spawnServer({ port, dataDir, env: ROOMY });
    const widgets = await Promise.all(chats.map(async (chat) => (await connect(api, chat)).client));
    for (const [i, box] of boxes.entries()) {
      const stored = new Map((await history(widgets[i]!, box.chat.sessionId)).map((m) => [m.id, m]));
      for (const item of box.items) {
        if (!item.ack) continue;
        const m = stored.get(item.ack.msgId);
        assert.ok(m, `acknowledged ${item.cmid} is on disk`);
        assert.equal(m.seq, item.ack.seq);
        assert.equal(m.text, item.text);
      }
    }

    // ---- the flood: every acknowledged send is on disk as acknowledged; sending all of them again
    // (acknowledged or not, same cmids) stores the missing ones and doubles none
    const floodWidget = (await connect(api, floodChat)).client;
    const floodStored = new Map((await history(floodWidget, floodChat.sessionId)).map((m) => [m.id, m]));
    for (const [cmid, ack] of flood.acks) {
      const m = floodStored.get(ack.msgId);
      assert.ok(m, `acknowledged ${cmid} is on disk`);
      assert.equal(m.text, flood.texts.get(cmid));
    }
    const resent = await flood.resendAll(floodWidget);
    for (const [cmid, ack] of flood.acks) assert.equal(resent.get(cmid)?.msgId, ack.msgId, `${cmid} acknowledged again as the same message`);
    const floodTexts = (await history(floodWidget, floodChat.sessionId)).map((m) => m.text).filter((text) => text.startsWith('flora '));
    assert.equal(floodTexts.length, flood.sent, 'every flood message stored exactly once');
    assert.equal(new Set(floodTexts).size, flood.sent, 'none twice');

    // ---- the outboxes send the rest (the one in flight again, with its cmid): each stored once, in order
    await Promise.all(boxes.map((box, i) => box.run(widgets[i]!)));
    for (const [i, box] of boxes.entries()) {
      assert.ok(box.done, `outbox ${String(i)} emptied`);
      const texts = (await history(widgets[i]!, box.chat.sessionId)).filter((m) => m.text.startsWith('overload ')).map((m) => m.text);
      assert.deepEqual(
        texts,
        box.items.map((item) => item.text),
        `session ${String(i)}: every message once, in outbox order`,
      );
    }
    assert.equal((await second.stop('SIGTERM')).code, 0);
  });
});


describe('overload memory (in process, real sockets)', () => {
  test('what waits stays within the inbox bounds however much is offered; every send is answered; nothing is kept after', async (t) => {
    const overload = { inboxFrames: 300, inboxBytes: 256 * 1024 };
    const h = await startServer({ overload, limits: { framesPerMinute: 1_000_000, chatStartsPerMinute: 10_000 } });
    try {
      const metrics = h.server.metrics;
      let maxFrames = 0;
      let maxBytes = 0;
      const sample = (): void => {
        maxFrames = Math.max(maxFrames, metrics.inboxFrames);
        maxBytes = Math.max(maxBytes, metrics.inboxBytes);
      };
      const chats = await Promise.all(Array.from({ length: 8 }, (_, i) => h.api.startChat('support', `Memory ${String(i)}`)));
      const clients = await Promise.all(chats.map((chat) => h.api.customer(chat)));
      // The gauges are read whenever a frame reaches a client (server and clients share this event loop).
      for (const c of clients) c.ws.on('message', sample);
      const text = 'x'.repeat(3900);
      const perClient = 800;
      const answers = clients.map(async (c, i) => {
        const sessionId = chats[i]!.sessionId;
        const prefix = `memory-${String(i)}-`;
        const from = c.mark();
        let sent = 0;
        while (sent < perClient) {
          // As fast as the socket takes them (the sender's own buffer under 1 MiB).
          while (sent < perClient && c.ws.bufferedAmount < 1024 * 1024) {
            c.post(sessionId, text, { cmid: `${prefix}${String(sent)}` });
            sent += 1;
          }
          await new Promise((resolve) => setImmediate(resolve));
          sample();
        }
        return c.waitForCount((f): f is AckFrame | NackFrame => (f.t === 'ack' || f.t === 'nack') && (f.cmid?.startsWith(prefix) ?? false), perClient, { from, timeoutMs: 60_000 });
      });
      const all = (await Promise.all(answers)).flat();
      const refused = all.filter(isNack);
      for (const n of refused) assertOverloadNack(n);
      const offered = clients.length * perClient * text.length;
      t.diagnostic(
        `offered ${(offered / 2 ** 20).toFixed(0)} MiB in ${String(all.length)} sends: ${String(all.length - refused.length)} stored, ${String(refused.length)} refused; most waiting at once ${String(maxFrames)} frames, ${(maxBytes / 1024).toFixed(0)} KiB`,
      );
      assert.equal(all.length, clients.length * perClient, 'every send answered');
      assert.ok(refused.length > 0, 'the flood was above the bounds');
      assert.ok(maxFrames > 0, 'frames did wait (the gauges were seen moving)');
      assert.ok(maxFrames <= overload.inboxFrames, `at most ${String(overload.inboxFrames)} frames waited (${String(maxFrames)})`);
      assert.ok(maxBytes <= overload.inboxBytes, `at most ${String(overload.inboxBytes)} characters waited (${String(maxBytes)})`);
      assert.equal(metrics.inboxFrames, 0, 'nothing kept after the flood');
      assert.equal(metrics.inboxBytes, 0);
      const stored = h.server.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM messages WHERE cmid LIKE 'memory-%'")?.n;
      assert.equal(stored, all.length - refused.length, 'exactly the acknowledged sends are stored');
    } finally {
      await h.close();
    }
  });
});

/** A connection the test drives by hand (the room's side of a socket), recording what it is sent. */
function fakeConnection(id: string) {
  const sent: string[] = [];
  const closes: { code: number; reason: string }[] = [];
  const waiters: { text: string; resolve: () => void }[] = [];
  const conn: Connection = {
    id,
    send: (data) => {
      sent.push(data);
      for (const w of waiters.filter((x) => data.includes(x.text))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    },
    close: (code, reason) => {
      closes.push({ code, reason });
    },
    bufferedAmount: () => 0,
  };
  /** Resolves once a frame containing `text` was sent (or had been). */
  const waitFor = (text: string): Promise<void> =>
    withTimeout(
      sent.some((s) => s.includes(text)) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ text, resolve })),
      DEFAULT_TIMEOUT_MS,
      () => `${id}: no frame with ${text}`,
    );
  return { conn, sent, closes, waitFor };
}

describe('overload (in process)', () => {
  test('a hello that arrived in time but waits in the inbox is answered, not refused by the hello deadline', async () => {
    const h = await startServer();
    try {
      const room = h.server.room('demo');
      assert.ok(room);
      const principal = { tenantId: 'demo', role: 'agent' as const, subjectId: 'anna', authSessionId: 'hello-backlog-test' };
      const waiting = fakeConnection('c_hello_waiting');
      const silent = fakeConnection('c_hello_silent');
      assert.ok(room.open(waiting.conn, principal));
      assert.ok(room.open(silent.conn, { ...principal, subjectId: 'erik' }));
      room.receive(waiting.conn, JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION })); // waits for the next tick (the group commit)
      // The deadline passes while the server has not taken its inbox yet (its own backlog).
      h.clock.advance(HELLO_DEADLINE_MS);
      assert.deepEqual(waiting.closes, [], 'the client sent its hello in time: not closed');
      assert.equal(silent.closes[0]?.code, CLOSE.HELLO_TIMEOUT, 'a client that sent nothing is closed');
      await waiting.waitFor('"t":"welcome"');
      h.clock.advance(HELLO_DEADLINE_MS * 3);
      assert.deepEqual(waiting.closes, [], 'greeted: no deadline any more');
    } finally {
      await h.close();
    }
  });

  test('a new connection while the inbox is full is refused with 4429 naming server_capacity, and so is every one while shutting down', async () => {
    const h = await startServer({ overload: { inboxFrames: 1 } });
    try {
      const room = h.server.room('demo');
      assert.ok(room);
      const principal = { tenantId: 'demo', role: 'agent' as const, subjectId: 'anna', authSessionId: 'overload-test' };
      const a = fakeConnection('c_overload_a');
      assert.ok(room.open(a.conn, principal));
      room.receive(a.conn, JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION })); // waits for the next tick: the inbox is full
      const b = fakeConnection('c_overload_b');
      assert.equal(room.open(b.conn, { ...principal, subjectId: 'erik' }), false, 'refused');
      assert.equal(b.closes[0]?.code, CLOSE.OVERLOADED);
      const error = JSON.parse(b.sent[0] ?? '{}') as { t: string; code: string; limit: string; retryAfterMs: number };
      assert.equal(error.t, 'error');
      assert.equal(error.code, 'overloaded');
      assert.equal(error.limit, 'server_capacity');
      assert.ok(error.retryAfterMs >= 1);
      assert.equal(h.server.metrics.refusals.inbox_frames, 1, 'counted by reason');

      await a.waitFor('"t":"welcome"');
      await room.shutdown();
      assert.equal(a.closes.at(-1)?.code, CLOSE.GOING_AWAY, 'open sockets: going away');
      const c = fakeConnection('c_overload_c');
      assert.equal(room.open(c.conn, { ...principal, subjectId: 'lars' }), false, 'no new connections while shutting down');
      assert.equal(c.closes[0]?.code, CLOSE.OVERLOADED);
    } finally {
      await h.close();
    }
  });

  test('refused frames count against the frame budget: over it the answer is rate_limited, far over it the socket closes', async () => {
    const h = await startServer({ overload: { inboxFrames: 1 }, limits: { framesPerMinute: 10 } });
    try {
      const room = h.server.room('demo');
      assert.ok(room);
      const chat = await h.api.startChat('support', 'Budget Berit');
      const c = fakeConnection('c_overload_budget');
      assert.ok(room.open(c.conn, { tenantId: 'demo', role: 'customer', subjectId: chat.sessionId, authSessionId: 'x' }));
      room.receive(c.conn, JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION }));
      await c.waitFor('"t":"welcome"');
      // One frame fills the inbox; the rest arrive before it is processed and are refused.
      for (let i = 0; i < 100; i += 1) room.receive(c.conn, JSON.stringify({ t: 'send', cmid: `budget-${String(i).padStart(4, '0')}`, sessionId: chat.sessionId, kind: 'text', text: 'x' }));
      const answers = c.sent.map((s) => JSON.parse(s) as { t: string; code?: string; limit?: string }).filter((f) => f.t === 'nack');
      const codes = answers.map((n) => n.code);
      assert.ok(codes.includes('overloaded'), 'within the budget: overloaded');
      assert.ok(codes.includes('rate_limited'), 'over the budget: rate_limited');
      assert.ok(codes.indexOf('overloaded') < codes.indexOf('rate_limited'), 'in that order');
      assert.equal(answers.find((n) => n.code === 'rate_limited')?.limit, 'frames_per_minute');
      assert.equal(c.closes.at(-1)?.code, CLOSE.OVERLOADED, 'far over the budget: closed 4429');
    } finally {
      await h.close();
    }
  });

  test('a refused connection is not read until the next batch has run; at shutdown it is not read again', async () => {
    const h = await startServer({ overload: { inboxFrames: 2 }, limits: { framesPerMinute: 1_000_000 } });
    try {
      const room = h.server.room('demo');
      assert.ok(room);
      const chat = await h.api.startChat('support', 'Paused Paula');
      const c = fakeConnection('c_overload_pause');
      const reads: string[] = [];
      c.conn.pause = () => reads.push('pause');
      c.conn.resume = () => reads.push('resume');
      assert.ok(room.open(c.conn, { tenantId: 'demo', role: 'customer', subjectId: chat.sessionId, authSessionId: 'x' }));
      room.receive(c.conn, JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION }));
      await c.waitFor('"t":"welcome"');
      const send = (i: number): void => {
        room.receive(c.conn, JSON.stringify({ t: 'send', cmid: `pause-${String(i).padStart(4, '0')}`, sessionId: chat.sessionId, kind: 'text', text: `m${String(i)}` }));
      };
      // Two fill the inbox; the third and fourth, read in the same turn, are refused: one pause.
      for (let i = 0; i < 4; i += 1) send(i);
      assert.deepEqual(reads, ['pause'], 'paused once, when its first frame was refused');
      await c.waitFor('"t":"ack","cmid":"pause-0001"');
      assert.deepEqual(reads, ['pause', 'resume'], 'read again once the batch has run');
      // Shutting down: refused and paused, never resumed.
      const stopping = room.shutdown();
      send(4);
      await stopping;
      assert.deepEqual(reads, ['pause', 'resume', 'pause']);
    } finally {
      await h.close();
    }
  });

  test('frames waiting in the inbox at shutdown are answered overloaded (retryable), never stored', async () => {
    const h = await startServer();
    try {
      const room = h.server.room('demo');
      assert.ok(room);
      const chat = await h.api.startChat('support', 'Pending Pia');
      const c = fakeConnection('c_overload_pending');
      assert.ok(room.open(c.conn, { tenantId: 'demo', role: 'customer', subjectId: chat.sessionId, authSessionId: 'x' }));
      room.receive(c.conn, JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION }));
      await c.waitFor('"t":"welcome"');
      room.receive(c.conn, JSON.stringify({ t: 'send', cmid: 'pending-1', sessionId: chat.sessionId, kind: 'text', text: 'never stored' }));
      await room.shutdown();
      const nack = c.sent.map((s) => JSON.parse(s) as { t: string; cmid?: string; code?: string; retryable?: boolean }).find((f) => f.t === 'nack' && f.cmid === 'pending-1');
      assert.equal(nack?.code, 'overloaded');
      assert.equal(nack.retryable, true);
      assert.equal(h.server.db.get('SELECT 1 AS x FROM messages WHERE cmid = ?', ['pending-1']), undefined, 'not stored');
    } finally {
      await h.close();
    }
  });
});
