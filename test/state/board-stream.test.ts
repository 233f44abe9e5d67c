/**
 * The client's side of the board stream (protocol v2), against a scripted server: events apply
 * by `prev` (a gap resumes from the last position, never advances over it), `activity` patches
 * the message-level fields of sessions on the board, `agents` replaces agents' records, and a
 * snapshot in parts is applied only when its last part has arrived (the connection is not live
 * before).
 */
import { expect } from '@open-wc/testing';

import type { SessionSummary } from '../../src/protocol/index.js';
import type { ChatClient } from '../../src/state/index.js';
import { createChatClient, memoryOutboxStorage } from '../../src/state/index.js';
import { until } from '../helpers/chat-server.js';
import type { FakeSocket } from '../helpers/fake-server.js';
import { boardReset, FakeServer, welcome } from '../helpers/fake-server.js';

const T0 = 1_700_000_000_000;

function summary(id: string, extra: Partial<SessionSummary> = {}): SessionSummary {
  return { id, channelId: 'support', status: 'queued', customer: { name: `Customer ${id}` }, createdAt: T0, lastActivityAt: T0, unread: 0, seq: 1, ...extra };
}

const agent = (id: string, status: 'present' | 'away' = 'present') => ({ id, name: id, status, online: true, channelIds: ['support'], activeChats: 0, maxConcurrentChats: 3 });

describe('board stream (prev, activity, agents, snapshots in parts)', () => {
  let fake: FakeServer;
  let client: ChatClient;
  /** What the script answers to hello: the default snapshot at seq 10 with s1 and s2. */
  let onHello: (socket: FakeSocket, frame: Record<string, unknown>) => void;

  beforeEach(() => {
    fake = new FakeServer();
    onHello = (socket) => {
      socket.push(welcome());
      socket.push(boardReset(10, [summary('s1'), summary('s2')]));
    };
    fake.onFrame = (socket, frame) => {
      if (frame.t === 'hello') onHello(socket, frame);
      else if (frame.t === 'ping') socket.push({ t: 'pong', n: frame.n });
    };
    client = createChatClient({
      url: 'http://chat.test',
      tenant: 'demo',
      getToken: () => Promise.resolve('ticket'),
      WebSocket: fake.WebSocket,
      storage: memoryOutboxStorage(),
      outboxKey: 'agent:ann',
      autoConnect: false,
      socket: { minReconnectDelayMs: 20, maxReconnectDelayMs: 50 },
    });
  });

  afterEach(() => {
    client.destroy();
  });

  const live = () => client.$connection.get().status === 'live';
  const ids = () => Object.keys(client.$sessions.get()).sort();
  const event = (seq: number, prev: number, data: SessionSummary | { id: string }, kind: 'session' | 'session-remove' = 'session') => ({
    t: 'event',
    stream: 'board',
    epoch: 'B1',
    seq,
    prev,
    kind,
    data,
  });

  it('applies an event whose prev is the position, whatever its seq; drops old ones', async () => {
    client.connect();
    await until(live, 'live');
    fake.last.push(event(14, 10, summary('s3'))); // 11–13 were for others
    fake.last.push(event(20, 14, summary('s1', { status: 'active' })));
    fake.last.push(event(14, 10, summary('s3', { status: 'ended' }))); // a repeat
    expect(ids()).to.deep.equal(['s1', 's2', 's3']);
    expect(client.$sessions.get().s1?.status).to.equal('active');
    expect(client.$sessions.get().s3?.status).to.equal('queued');
    fake.last.push(event(21, 20, { id: 's2' }, 'session-remove'));
    expect(ids()).to.deep.equal(['s1', 's3']);
  });

  it('a gap (prev not the position) resumes from the last position, never past the gap', async () => {
    client.connect();
    await until(live, 'live');
    fake.last.push(event(12, 10, summary('s3')));
    const hellos = () => fake.sockets.flatMap((s) => s.sent.filter((f) => f.t === 'hello'));
    onHello = (socket, frame) => {
      // The server replays what this connection may see after the position it resumes from.
      expect((frame.resume as { board?: unknown }).board).to.deep.equal({ epoch: 'B1', seq: 12 });
      socket.push(welcome([{ stream: 'board', status: 'replay', epoch: 'B1', toSeq: 15 }]));
      socket.push(event(15, 12, summary('s4')));
    };
    fake.last.push(event(17, 15, summary('s5'))); // 15 never arrived
    expect(ids(), 'nothing past the gap').to.deep.equal(['s1', 's2', 's3']);
    fake.last.push(event(18, 17, summary('s6'))); // more of the broken chain: ignored
    await until(() => hellos().length === 2, 'a new hello');
    await until(live, 'live again');
    expect(ids()).to.deep.equal(['s1', 's2', 's3', 's4']);
    expect(hellos().length, 'one resync, not one per stray event').to.equal(2);
  });

  it('activity patches sessions on the board (latest wins); others are ignored; agents frames replace records', async () => {
    client.connect();
    await until(live, 'live');
    fake.last.push({ t: 'activity', sessions: [{ id: 's1', lastActivityAt: T0 + 5, lastMessage: { from: 'customer', text: 'Hello?', at: T0 + 5 }, unread: 1, seq: 2, customerReadSeq: 0 }] });
    fake.last.push({ t: 'activity', sessions: [{ id: 's1', lastActivityAt: T0 + 9, lastMessage: { from: 'customer', text: 'Anyone?', at: T0 + 9 }, unread: 2, seq: 3 }, { id: 'nope', lastActivityAt: T0, unread: 4, seq: 9 }] });
    const s1 = client.$sessions.get().s1;
    expect(s1?.lastMessage?.text).to.equal('Anyone?');
    expect([s1?.unread, s1?.seq, s1?.lastActivityAt, s1?.status]).to.deep.equal([2, 3, T0 + 9, 'queued']);
    expect(ids(), 'activity never adds a session').to.deep.equal(['s1', 's2']);
    fake.last.push({ t: 'agents', agents: [agent('bob'), agent('ann', 'away')] });
    fake.last.push({ t: 'agents', agents: [agent('bob', 'away')] });
    expect(client.$agents.get().bob?.status).to.equal('away');
    expect(client.$agents.get().ann?.status).to.equal('away');
  });

  it("a session stream's snapshot never sets back what the board stream brought; its message-level fields apply when not older", async () => {
    client.connect();
    await until(live, 'live');
    const help = { at: T0 + 1, agentId: 'bob', agentName: 'Bob', note: 'Refund?' };
    fake.last.push(event(11, 10, summary('s1', { status: 'active', agentId: 'bob', help, seq: 2, lastActivityAt: T0 + 1 })));
    // A supervisor opens the chat: the board hears the request answered ...
    fake.last.push(event(12, 11, summary('s1', { status: 'active', agentId: 'bob', seq: 3, lastActivityAt: T0 + 2 })));
    const reset = (seq: number, session: SessionSummary) => ({
      t: 'reset',
      stream: 'session:s1',
      epoch: 'E1',
      reason: 'initial',
      snapshot: { epoch: 'E1', seq, session, messages: [], hasMore: false },
    });
    // ... then the stream's snapshot, made (elsewhere) before that: the flag must not come back.
    fake.last.push(reset(2, summary('s1', { status: 'active', agentId: 'bob', help, seq: 2, lastActivityAt: T0 + 1, unread: 5 })));
    await until(() => client.$messages.get().s1?.ready === true, 'snapshot applied');
    let s1 = client.$sessions.get().s1;
    expect(s1?.help, 'the board keeps the answered request').to.equal(undefined);
    expect([s1?.seq, s1?.unread], 'older message-level fields are not taken').to.deep.equal([3, 0]);
    // A newer snapshot brings its message-level fields, never its lifecycle ones.
    fake.last.push(reset(4, summary('s1', { status: 'ended', help, seq: 4, lastActivityAt: T0 + 3, unread: 1, lastMessage: { from: 'customer', text: 'Hi', at: T0 + 3 } })));
    await until(() => client.$sessions.get().s1?.seq === 4, 'message-level fields');
    s1 = client.$sessions.get().s1;
    expect([s1?.status, s1?.help, s1?.agentId, s1?.unread, s1?.lastMessage?.text]).to.deep.equal(['active', undefined, 'bob', 1, 'Hi']);
    // A session the board does not show yet is put on it.
    fake.last.push({ ...reset(1, summary('s9', { status: 'ended' })), stream: 'session:s9' });
    await until(() => client.$sessions.get().s9 !== undefined, 'added');
    expect(client.$sessions.get().s9?.status).to.equal('ended');
  });

  it('a snapshot in parts is applied when the last part arrives; the connection is not live before', async () => {
    let sendRest: (() => void) | undefined;
    onHello = (socket) => {
      socket.push(welcome());
      const snap = boardReset(30, [summary('p1'), summary('p2')]);
      socket.push({ ...snap, parts: 3, snapshot: { ...snap.snapshot, agents: [agent('ann')] } });
      socket.push({ t: 'reset-part', stream: 'board', epoch: 'B1', part: 2, parts: 3, sessions: [summary('p3'), summary('p4')] });
      sendRest = () => {
        socket.push({ t: 'reset-part', stream: 'board', epoch: 'B1', part: 3, parts: 3, sessions: [summary('p5')], agents: [agent('bob')] });
        socket.push(event(31, 30, summary('p6')));
      };
    };
    client.connect();
    await until(() => sendRest !== undefined, 'hello answered');
    expect(ids(), 'nothing applied before the last part').to.deep.equal([]);
    expect(client.$connection.get().status).to.equal('resuming');
    sendRest?.();
    await until(live, 'live');
    expect(ids()).to.deep.equal(['p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    expect(Object.keys(client.$agents.get()).sort()).to.deep.equal(['ann', 'bob']);
  });

  it('a part that does not continue the snapshot resyncs the board', async () => {
    let hellos = 0;
    onHello = (socket) => {
      hellos += 1;
      socket.push(welcome());
      if (hellos === 1) {
        socket.push({ ...boardReset(30, [summary('p1')]), parts: 3 });
        socket.push({ t: 'reset-part', stream: 'board', epoch: 'B1', part: 3, parts: 3, sessions: [summary('p3')] }); // part 2 is missing
      } else socket.push(boardReset(40, [summary('q1')]));
    };
    client.connect();
    await until(live, 'live after the resync');
    expect(hellos).to.equal(2);
    expect(ids()).to.deep.equal(['q1']);
  });
});
