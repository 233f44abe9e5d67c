/**
 * Client faults from docs/reliability.md that need no real server: a flapping connection, two
 * consoles on one page, a skewed client clock, storage that refuses writes, and close followed
 * at once by reconnect.
 */
import { expect } from '@open-wc/testing';

import type { ChatClient, OutboxRecord, OutboxStorage } from '../../src/state/index.js';
import { createChatClient, memoryOutboxStorage } from '../../src/state/index.js';
import { until } from '../helpers/chat-server.js';
import { runningClock } from '../helpers/clock.js';
import type { FakeSocket } from '../helpers/fake-server.js';
import { boardReset, FakeServer, messageEvent, sessionReset, welcome } from '../helpers/fake-server.js';

const SID = 's1';

/** A scripted server with a real message log: acks sends, echoes them, replays and snapshots them. */
function scriptedServer(): FakeServer {
  const fake = new FakeServer();
  const logs = new Map<string, ReturnType<typeof messageEvent>['data'][]>();
  const seen = new Map<string, number>();
  const log = (id: string) => {
    let l = logs.get(id);
    if (!l) logs.set(id, (l = sessionReset(id, 4).snapshot.messages));
    return l;
  };
  fake.onFrame = (socket: FakeSocket, frame) => {
    if (frame.t === 'hello') {
      const positions = (frame.resume as { sessions?: { id: string; seq: number }[] } | undefined)?.sessions ?? [];
      socket.push(welcome([{ stream: 'board', status: 'reset', epoch: 'B1' }, ...positions.map((p) => ({ stream: `session:${p.id}`, status: 'replay', epoch: 'E1', toSeq: log(p.id).length }))]));
      socket.push(boardReset());
      for (const p of positions) {
        for (const m of log(p.id).filter((x) => x.seq > p.seq)) socket.push({ t: 'event', stream: `session:${p.id}`, epoch: 'E1', seq: m.seq, kind: 'message', data: m });
      }
    } else if (frame.t === 'subscribe') {
      const id = String(frame.sessionId);
      const l = log(id);
      socket.push({ t: 'ok', rid: frame.rid, data: { status: 'reset', epoch: 'E1' } });
      socket.push({ t: 'reset', stream: `session:${id}`, epoch: 'E1', reason: 'initial', snapshot: { epoch: 'E1', seq: l.length, messages: l.slice(-50), hasMore: l.length > 50 } });
    } else if (frame.t === 'send') {
      const cmid = String(frame.cmid);
      const id = String(frame.sessionId);
      const l = log(id);
      let seq = seen.get(cmid);
      const duplicate = seq !== undefined;
      if (seq === undefined) {
        seq = l.length + 1;
        seen.set(cmid, seq);
        l.push(messageEvent(id, seq, 'E1', { cmid, text: frame.text, author: { kind: 'agent', id: 'ann', name: 'Ann' } }).data);
      }
      socket.push({ t: 'ack', cmid, sessionId: id, msgId: `m${String(seq)}`, seq, at: 1, duplicate });
      const m = l[seq - 1];
      if (!duplicate && m) socket.push({ t: 'event', stream: `session:${id}`, epoch: 'E1', seq, kind: 'message', data: m });
    } else if (frame.t === 'ping') {
      socket.push({ t: 'pong', n: frame.n });
    }
  };
  return fake;
}

function client(fake: FakeServer, extra: Partial<Parameters<typeof createChatClient>[0]> = {}): ChatClient {
  return createChatClient({
    url: 'http://chat.test',
    tenant: 'demo',
    getToken: () => Promise.resolve('ticket'),
    WebSocket: fake.WebSocket,
    storage: memoryOutboxStorage(),
    outboxKey: 'agent:ann',
    autoConnect: false,
    socket: { minReconnectDelayMs: 10, maxReconnectDelayMs: 40 },
    ...extra,
  });
}

const texts = (c: ChatClient) => c.$messages.get()[SID]?.items.filter((m) => m.cmid).map((m) => m.text) ?? [];
const live = (c: ChatClient) => c.$connection.get().status === 'live';

describe('chat client under faults', function () {
  this.timeout(20_000);
  const clients: ChatClient[] = [];
  afterEach(() => {
    for (const c of clients.splice(0)) c.destroy();
  });

  async function open(c: ChatClient): Promise<ChatClient> {
    clients.push(c);
    c.connect();
    await until(() => live(c), 'live');
    c.openSession(SID);
    await until(() => c.$messages.get()[SID]?.ready === true, 'conversation ready');
    return c;
  }

  it('keeps every message exactly once while the connection flaps', async () => {
    const fake = scriptedServer();
    const c = await open(client(fake));
    const sent: string[] = [];
    // Drop the socket (and say offline/online) after every fourth of 20 messages, while the
    // earlier ones are still being sent or confirmed.
    const flap = () => {
      window.dispatchEvent(new Event('offline'));
      const s = fake.sockets.at(-1);
      if (s?.readyState === 1) s.serverClose(1006);
      window.dispatchEvent(new Event('online'));
    };
    for (let i = 0; i < 20; i++) {
      const text = `flap ${String(i)}`;
      sent.push(text);
      await c.send(SID, text);
      if (i % 4 === 3) {
        flap();
        // The next messages go while the client reconnects; the next drop once it is back.
        const during = `flap ${String(i)} while reconnecting`;
        sent.push(during);
        await c.send(SID, during);
        await until(() => live(c), 'live again after a drop');
      }
    }
    await until(() => live(c) && c.$outbox.get().length === 0, 'everything confirmed', 15_000);
    expect(texts(c)).to.deep.equal(sent);
    const sockets = fake.sockets.length;
    expect(sockets, 'reconnected several times').to.be.greaterThan(2);
    expect(sockets, 'attempts stay bounded').to.be.lessThan(200);
  });

  it('runs two consoles on one page independently', async () => {
    const a = await open(client(scriptedServer(), { outboxKey: 'agent:a' }));
    const fakeB = scriptedServer();
    const b = await open(client(fakeB, { outboxKey: 'agent:b' }));
    await a.send(SID, 'only in A');
    await until(() => texts(a).includes('only in A'), 'A confirmed');
    expect(texts(b)).to.deep.equal([]);
    a.selectSession(SID);
    expect(b.$selectedSessionId.get()).to.equal(undefined);
    fakeB.last.serverClose(1006);
    await until(() => b.$connection.get().status !== 'live', 'B down');
    expect(a.$connection.get().status).to.equal('live');
  });

  it('orders by sequence, not by a client clock that is an hour off', async () => {
    const fake = scriptedServer();
    const c = await open(client(fake, { now: () => Date.now() + 60 * 60 * 1000 }));
    await c.send(SID, 'first');
    await c.send(SID, 'second');
    await until(() => c.$outbox.get().length === 0, 'confirmed');
    fake.last.push(messageEvent(SID, 8, 'E1', { at: 1 })); // an ancient timestamp, a later seq
    fake.last.push(messageEvent(SID, 7, 'E1', { at: 9_999_999_999_999 }));
    const seqs = c.$messages.get()[SID]?.items.map((m) => m.seq) ?? [];
    expect(seqs).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(texts(c)).to.deep.equal(['first', 'second']);
  });

  it('keeps working in memory, and says so, when storage refuses writes (quota exceeded)', async () => {
    const full: OutboxStorage = {
      ...memoryOutboxStorage(),
      persistent: true,
      put: (_record: OutboxRecord) => Promise.reject(new DOMException('quota', 'QuotaExceededError')),
    };
    const c = await open(client(scriptedServer(), { storage: full }));
    expect(c.$outboxPersistent.get()).to.equal(true);
    await c.send(SID, 'still sent');
    expect(c.$outboxPersistent.get(), 'the UI can warn that pending messages would not survive a reload').to.equal(false);
    await until(() => texts(c).includes('still sent') && c.$outbox.get().length === 0, 'sent and confirmed');
  });

  it('has exactly one open socket after close() and an immediate reconnect()', async () => {
    const fake = scriptedServer();
    const clock = runningClock();
    try {
      const c = await open(client(fake));
      c.disconnect();
      c.reconnect();
      await until(() => live(c), 'live again');
      // A late second socket would come from a timer of the first attempt: run them all.
      await clock.tickAsync(60_000);
    } finally {
      clock.restore();
    }
    expect(fake.sockets.filter((s) => s.readyState === 1)).to.have.length(1);
  });
});
