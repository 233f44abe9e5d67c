/**
 * The client's stream and outbox rules, against a scripted server: order and gaps (I5),
 * duplicates (I4), epochs, the outbox FIFO (I6), nack handling, close codes and the heartbeat.
 */
import { expect } from '@open-wc/testing';

import type { ChatClient } from '../../src/state/index.js';
import { HEARTBEAT_PING, HEARTBEAT_PONG } from '../../src/protocol/heartbeat.js';
import { createChatClient, memoryOutboxStorage } from '../../src/state/index.js';
import { until } from '../helpers/chat-server.js';
import { runningClock } from '../helpers/clock.js';
import type { FakeSocket } from '../helpers/fake-server.js';
import { boardReset, FakeServer, messageEvent, sessionReset, welcome } from '../helpers/fake-server.js';

describe('chat client stream and outbox rules', () => {
  let fake: FakeServer;
  let client: ChatClient;
  const SID = 's1';

  /** Default script: welcome + board snapshot, subscribe → snapshot at seq 4, ping → pong. */
  function script(socket: FakeSocket, frame: Record<string, unknown> & { t: string }) {
    if (frame.t === 'hello') {
      socket.push(welcome());
      socket.push(boardReset());
    } else if (frame.t === 'subscribe') {
      socket.push({ t: 'ok', rid: frame.rid, data: { status: 'reset', epoch: 'E1' } });
      socket.push(sessionReset(String(frame.sessionId), 4));
    } else if (frame.t === 'ping') {
      socket.push({ t: 'pong', n: frame.n });
    }
  }

  function makeClient(extra: Parameters<typeof createChatClient>[0]['socket'] = {}) {
    return createChatClient({
      url: 'http://chat.test',
      tenant: 'demo',
      getToken: () => Promise.resolve('ticket'),
      WebSocket: fake.WebSocket,
      storage: memoryOutboxStorage(),
      outboxKey: 'agent:ann',
      autoConnect: false,
      socket: { minReconnectDelayMs: 20, maxReconnectDelayMs: 50, ...extra },
    });
  }

  const seqs = () => client.$messages.get()[SID]?.items.map((m) => m.seq) ?? [];
  const live = () => client.$connection.get().status === 'live';

  async function openConversation() {
    client.connect();
    await until(live, 'live');
    client.openSession(SID);
    await until(() => client.$messages.get()[SID]?.ready === true, 'snapshot applied');
  }

  beforeEach(() => {
    fake = new FakeServer();
    fake.onFrame = script;
    client = makeClient();
  });

  afterEach(() => {
    client.destroy();
  });

  it('applies events that arrive 5, 7, 6 in the order 5, 6, 7', async () => {
    await openConversation();
    fake.last.push(messageEvent(SID, 5));
    fake.last.push(messageEvent(SID, 7));
    expect(seqs()).to.deep.equal([1, 2, 3, 4, 5]);
    fake.last.push(messageEvent(SID, 6));
    expect(seqs()).to.deep.equal([1, 2, 3, 4, 5, 6, 7]);
    expect(client.$messages.get()[SID]?.seq).to.equal(7);
  });

  it('never advances past a gap: asks for the missing range and applies it in order', async () => {
    await openConversation();
    const answers: (() => void)[] = [];
    fake.onFrame = (socket, frame) => {
      if (frame.t === 'history') {
        answers.push(() => {
          socket.push({ t: 'ok', rid: frame.rid, data: { epoch: 'E1', messages: [6, 7].map((n) => messageEvent(SID, n).data), hasMore: false } });
        });
      } else script(socket, frame);
    };
    fake.last.push(messageEvent(SID, 5));
    fake.last.push(messageEvent(SID, 8));
    await until(() => fake.sent('history').length === 1, 'history request');
    expect(fake.sent('history')[0]).to.include({ sessionId: SID, afterSeq: 5, limit: 2 });
    // Until the gap is filled, 8 is held back and the position stays at 5.
    expect(seqs()).to.deep.equal([1, 2, 3, 4, 5]);
    expect(client.$messages.get()[SID]?.seq).to.equal(5);
    answers[0]?.();
    await until(() => seqs().length === 8, 'gap filled');
    expect(seqs()).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(client.$messages.get()[SID]?.seq).to.equal(8);
  });

  it('drops duplicates and replayed overlap: one item per message', async () => {
    await openConversation();
    for (const n of [3, 4, 5, 5, 4, 6, 6]) fake.last.push(messageEvent(SID, n));
    expect(seqs()).to.deep.equal([1, 2, 3, 4, 5, 6]);
  });

  it('replaces its copy with a fresh snapshot when the epoch changes', async () => {
    await openConversation();
    fake.last.push(messageEvent(SID, 5, 'E2'));
    await until(() => fake.sent('subscribe').length === 2, 'fresh subscribe');
    expect(fake.sent('subscribe')[1]).to.not.have.property('after');
  });

  it('sends one message per session at a time, in outbox order (I6)', async () => {
    await openConversation();
    await client.send(SID, 'one');
    await client.send(SID, 'two');
    await client.send(SID, 'three');
    expect(fake.sent('send').map((f) => f.text)).to.deep.equal(['one']);
    const ack = (f: Record<string, unknown>, seq: number) => {
      fake.last.push({ t: 'ack', cmid: f.cmid, sessionId: SID, msgId: `m${String(seq)}`, seq, at: 1, duplicate: false });
    };
    ack(fake.sent('send')[0]!, 5);
    await until(() => fake.sent('send').length === 2, 'second sent after first ack');
    expect(fake.sent('send')[1]?.text).to.equal('two');
    ack(fake.sent('send')[1]!, 6);
    await until(() => fake.sent('send').length === 3, 'third sent');
    expect(fake.sent('send').map((f) => f.text)).to.deep.equal(['one', 'two', 'three']);
  });

  it('blocks a session behind a failed message until it is retried or cancelled', async () => {
    const clock = runningClock();
    try {
      await openConversation();
      await client.send(SID, 'bad');
      await client.send(SID, 'good');
      const first = fake.sent('send')[0]!;
      fake.last.push({ t: 'nack', cmid: first.cmid, code: 'invalid', retryable: false, message: 'too long' });
      await until(() => client.$outbox.get()[0]?.state === 'failed', 'failed');
      expect(client.$outbox.get()[0]?.error).to.deep.equal({ code: 'invalid', message: 'too long' });
      // Five seconds later (every timer due by then run), still only the failed one was sent.
      await clock.tickAsync(5_000);
    } finally {
      clock.restore();
    }
    const first = fake.sent('send')[0]!;
    expect(fake.sent('send')).to.have.length(1);
    // Retry sends the same cmid again.
    client.retry(String(first.cmid));
    await until(() => fake.sent('send').length === 2, 'retried');
    expect(fake.sent('send')[1]?.cmid).to.equal(first.cmid);
    fake.last.push({ t: 'nack', cmid: first.cmid, code: 'invalid', retryable: false, message: 'too long' });
    await until(() => client.$outbox.get()[0]?.state === 'failed', 'failed again');
    // Cancel releases the next message.
    client.cancel(String(first.cmid));
    await until(() => fake.sent('send').length === 3, 'next released');
    expect(fake.sent('send')[2]?.text).to.equal('good');
  });

  it('waits at least retryAfterMs after a rate-limit nack before resending', async () => {
    await openConversation();
    await client.send(SID, 'slow down');
    const first = fake.sent('send')[0]!;
    const t0 = performance.now();
    fake.last.push({ t: 'nack', cmid: first.cmid, code: 'rate_limited', retryable: true, retryAfterMs: 300, message: 'slow down' });
    await until(() => fake.sent('send').length === 2, 'resent');
    expect(performance.now() - t0).to.be.at.least(300);
    expect(fake.sent('send')[1]?.cmid).to.equal(first.cmid);
  });

  it('confirms a message by whichever comes first, the event with its cmid or the ack', async () => {
    await openConversation();
    await client.send(SID, 'echo first');
    const f = fake.sent('send')[0]!;
    fake.last.push(messageEvent(SID, 5, 'E1', { cmid: f.cmid, text: 'echo first', author: { kind: 'agent', id: 'ann', name: 'Ann' } }));
    expect(client.$outbox.get()).to.have.length(0);
    fake.last.push({ t: 'ack', cmid: f.cmid, sessionId: SID, msgId: 'm5', seq: 5, at: 1, duplicate: false });
    expect(seqs()).to.deep.equal([1, 2, 3, 4, 5]);
    expect(client.$outbox.get()).to.have.length(0);
  });

  it('holds messages back until the resume is complete', async () => {
    fake.onFrame = (socket, frame) => {
      if (frame.t === 'hello') {
        socket.push(welcome([{ stream: 'board', status: 'replay', epoch: 'B1', toSeq: 2 }]));
      } else script(socket, frame);
    };
    const clock = runningClock();
    try {
      client.connect();
      await until(() => client.$connection.get().status === 'resuming', 'resuming');
      // No board position yet: a replay cannot complete, so the client must not go live, not even
      // a minute later (every timer run).
      await clock.tickAsync(60_000);
    } finally {
      clock.restore();
    }
    expect(client.$connection.get().status).to.equal('resuming');
    expect(fake.sent('send')).to.have.length(0);
  });

  it('resends an unacknowledged message with the same cmid after reconnecting', async () => {
    await openConversation();
    await client.send(SID, 'in flight');
    const first = fake.sent('send')[0]!;
    const old = fake.last;
    old.serverClose(1006);
    await until(() => fake.sockets.length === 2 && live(), 'reconnected');
    await until(() => fake.sent('send').length === 1, 'resent on the new socket');
    expect(fake.sent('send')[0]?.cmid).to.equal(first.cmid);
    const hello = fake.sent('hello')[0] as unknown as { resume: { sessions: unknown[] } };
    expect(hello.resume.sessions).to.deep.equal([{ id: SID, epoch: 'E1', seq: 4 }]);
  });

  it('treats 4409 (superseded) and 4403 (forbidden) as final', async () => {
    const clock = runningClock();
    try {
      client.connect();
      await until(live, 'live');
      fake.last.serverClose(4409, 'superseded');
      await until(() => client.$connection.get().status === 'fatal', 'fatal');
      // No reconnect, not even after the longest back-off (every timer of the next minute run).
      await clock.tickAsync(60_000);
    } finally {
      clock.restore();
    }
    expect(fake.sockets).to.have.length(1);
  });

  it('waits the server-given delay after 4429 before reconnecting', async () => {
    client.connect();
    await until(live, 'live');
    const t0 = performance.now();
    fake.last.push({ t: 'error', code: 'overloaded', message: 'busy', retryAfterMs: 250 });
    fake.last.serverClose(4429, 'overloaded');
    expect(client.$connection.get().retryAt).to.be.a('number');
    await until(() => fake.sockets.length === 2, 'reconnected', 3000);
    expect(performance.now() - t0).to.be.at.least(250);
  });

  it('replaces a silent (half-open) socket when pings go unanswered', async () => {
    client.destroy();
    client = makeClient({ pingIntervalMs: 40, pongTimeoutMs: 40 });
    fake.onFrame = (socket, frame) => {
      if (frame.t !== 'ping') script(socket, frame);
    };
    client.connect();
    await until(live, 'live');
    await until(() => fake.sockets.length >= 2, 'replaced after the heartbeat timeout');
    await until(live, 'live again');
  });

  it("sends the heartbeat as the one fixed text a Durable Object's runtime answers without waking the object", async () => {
    client.destroy();
    client = makeClient({ pingIntervalMs: 20 });
    // The runtime's answer: the fixed pong, after the ping (not inside the client's send).
    fake.onFrame = (socket, frame) => {
      if (frame.t === 'ping') setTimeout(() => { socket.push(HEARTBEAT_PONG); }, 0);
      else script(socket, frame);
    };
    client.connect();
    await until(live, 'live');
    const socket = fake.sockets[0]!;
    const pings = () => socket.texts.filter((t) => (JSON.parse(t) as { t: string }).t === 'ping');
    await until(() => pings().length >= 3, 'three heartbeats');
    expect(pings()).to.deep.equal(pings().map(() => HEARTBEAT_PING));
    // The fixed answer keeps the socket alive like any pong.
    expect(fake.sockets.length).to.equal(1);
  });

  it('accepts a board snapshot far larger than the 64 KiB client frame limit', async () => {
    const sessions = Array.from({ length: 1000 }, (_, i) => ({
      id: `s${String(i)}`,
      channelId: 'support',
      status: 'queued',
      customer: { name: `Customer number ${String(i)}`, email: `customer${String(i)}@example.com` },
      createdAt: 1_700_000_000_000 + i,
      lastActivityAt: 1_700_000_000_000 + i,
      lastMessage: { from: 'customer', text: 'Hello, I have a question about my order and its delivery date.', at: 1_700_000_000_000 + i },
      unread: 1,
      seq: 2,
    }));
    fake.onFrame = (socket, frame) => {
      if (frame.t === 'hello') {
        socket.push(welcome());
        socket.push(boardReset(0, sessions));
      } else script(socket, frame);
    };
    client.connect();
    await until(live, 'live');
    expect(JSON.stringify(boardReset(0, sessions)).length).to.be.greaterThan(64 * 1024);
    expect(Object.keys(client.$sessions.get())).to.have.length(1000);
  });

  it('ignores unknown and malformed frames and keeps working', async () => {
    await openConversation();
    fake.last.push({ t: 'surprise', from: 'the future' });
    fake.last.push('not json');
    fake.last.push({ t: 'event', stream: `session:${SID}`, epoch: 'E1', seq: 'five', kind: 'message', data: {} });
    fake.last.push(messageEvent(SID, 5, 'E1', { text: '<img src=x onerror=alert(1)>', extra: 'ignored field' }));
    expect(seqs()).to.deep.equal([1, 2, 3, 4, 5]);
    expect(client.$messages.get()[SID]?.items.at(-1)?.text).to.equal('<img src=x onerror=alert(1)>');
    expect(client.$messages.get()[SID]?.items.at(-1)).to.not.have.property('extra');
    expect(client.stats.invalidFrames).to.equal(3);
  });
});
