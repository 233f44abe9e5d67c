/**
 * The client's transfer commands, wait warnings and the visitor's availability, against a
 * scripted server: the frames sent, the answers resolved, and how the stores follow.
 */
import { expect } from '@open-wc/testing';

import type { ChatClient } from '../../src/state/index.js';
import { ChatError, createChatClient, memoryOutboxStorage } from '../../src/state/index.js';
import { until } from '../helpers/chat-server.js';
import type { FakeSocket } from '../helpers/fake-server.js';
import { boardReset, FakeServer, messageEvent, welcome } from '../helpers/fake-server.js';

type Frame = Record<string, unknown> & { t: string };

function summary(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    channelId: 'support',
    status: 'queued',
    customer: { name: `Customer ${id}` },
    createdAt: 1_700_000_000_000,
    lastActivityAt: 1_700_000_000_000,
    unread: 0,
    seq: 1,
    ...extra,
  };
}

describe('chat client: transfers, warnings, availability', () => {
  let fake: FakeServer;
  let client: ChatClient;
  let boardSeq = 0;
  /** Answers to commands, by frame type: the test decides what the server says. */
  let answer: (socket: FakeSocket, frame: Frame) => void;

  function makeClient(outboxKey = 'agent:ann') {
    return createChatClient({
      url: 'http://chat.test',
      tenant: 'demo',
      getToken: () => Promise.resolve('ticket'),
      WebSocket: fake.WebSocket,
      storage: memoryOutboxStorage(),
      outboxKey,
      autoConnect: false,
      socket: { minReconnectDelayMs: 20, maxReconnectDelayMs: 50 },
    });
  }

  const board = (kind: string, data?: object) => {
    boardSeq += 1;
    fake.last.push({ t: 'event', stream: 'board', epoch: 'B1', seq: boardSeq, prev: boardSeq - 1, kind, ...(data ? { data } : {}) });
  };

  beforeEach(() => {
    // Dismissed warnings are kept in sessionStorage: every test starts without any.
    sessionStorage.clear();
    fake = new FakeServer();
    boardSeq = 2;
    answer = (socket, frame) => {
      socket.push({ t: 'ok', rid: frame.rid, data: { sessionId: frame.sessionId } });
    };
    fake.onFrame = (socket, frame) => {
      if (frame.t === 'hello') {
        socket.push(welcome());
        socket.push(boardReset(2, [summary('s1', { createdAt: 1_700_000_000_000 }), summary('s2', { createdAt: 1_700_000_001_000 })]));
      } else if (frame.t === 'ping') {
        socket.push({ t: 'pong', n: frame.n });
      } else if ('rid' in frame) {
        answer(socket, frame);
      }
    };
    client = makeClient();
  });

  afterEach(() => {
    client.destroy();
  });

  async function live() {
    client.connect();
    await until(() => client.$connection.get().status === 'live', 'live');
  }

  const warnings = () => client.$warnings.get().map((w) => `${w.sessionId}:${w.level}`);

  it('collects wait warnings, keeps the higher level, dismisses them and clears them once answered', async () => {
    await live();
    fake.last.push({ t: 'warning', sessionId: 's2', level: 'agents', waitingSince: 1_700_000_001_000 });
    fake.last.push({ t: 'warning', sessionId: 's1', level: 'agents', waitingSince: 1_700_000_000_000 });
    expect(warnings()).to.deep.equal(['s1:agents', 's2:agents'], 'oldest wait first');
    expect(client.$warnings.get()[0]).to.deep.equal({ sessionId: 's1', level: 'agents', waitingSince: 1_700_000_000_000 });
    fake.last.push({ t: 'warning', sessionId: 's1', level: 'managers', waitingSince: 1_700_000_000_000 });
    fake.last.push({ t: 'warning', sessionId: 's1', level: 'agents', waitingSince: 1_700_000_000_000 });
    expect(warnings()).to.deep.equal(['s1:managers', 's2:agents'], 'the higher level stays');

    client.dismissWarning('s2');
    expect(warnings()).to.deep.equal(['s1:managers']);
    fake.last.push({ t: 'warning', sessionId: 's2', level: 'agents', waitingSince: 1_700_000_001_000 }); // e.g. after a reconnect
    expect(warnings()).to.deep.equal(['s1:managers'], 'a dismissed level does not come back');
    fake.last.push({ t: 'warning', sessionId: 's2', level: 'managers', waitingSince: 1_700_000_001_000 });
    expect(warnings()).to.deep.equal(['s1:managers', 's2:managers'], 'a higher level does');

    // Answered: the warning goes, and a late one for it is ignored.
    board('session', summary('s1', { status: 'active', agentId: 'bob', agentName: 'Bob' }));
    expect(warnings()).to.deep.equal(['s2:managers']);
    fake.last.push({ t: 'warning', sessionId: 's1', level: 'managers', waitingSince: 1_700_000_000_000 });
    expect(warnings()).to.deep.equal(['s2:managers']);
    // Gone from the board: cleared too.
    board('session-remove', { id: 's2' });
    expect(warnings()).to.deep.equal([]);
    // Back in a queue later: it may warn (and be dismissed) again.
    board('session', summary('s1', { status: 'queued' }));
    fake.last.push({ t: 'warning', sessionId: 's1', level: 'agents', waitingSince: 1_700_000_009_000 });
    expect(warnings()).to.deep.equal(['s1:agents']);
    client.dismissWarning('s1');
    client.dismissWarning('nope');
    expect(warnings()).to.deep.equal([]);
  });

  it('a dismissed warning stays dismissed after a reload of the page (this tab), until a higher level; signing out forgets', async () => {
    await live();
    fake.last.push({ t: 'warning', sessionId: 's2', level: 'agents', waitingSince: 1_700_000_001_000 });
    client.dismissWarning('s2');
    expect(warnings()).to.deep.equal([]);
    client.destroy();

    // "Reloaded": a new client of the same agent in this tab; the server warns again on connect.
    client = makeClient();
    await live();
    fake.last.push({ t: 'warning', sessionId: 's2', level: 'agents', waitingSince: 1_700_000_001_000 });
    expect(warnings()).to.deep.equal([], 'still dismissed');
    fake.last.push({ t: 'warning', sessionId: 's2', level: 'managers', waitingSince: 1_700_000_001_000 });
    expect(warnings()).to.deep.equal(['s2:managers'], 'a higher level shows');

    // Another agent in this tab has dismissed nothing.
    const other = makeClient('agent:bob');
    other.connect();
    await until(() => other.$connection.get().status === 'live', 'bob live');
    fake.last.push({ t: 'warning', sessionId: 's2', level: 'agents', waitingSince: 1_700_000_001_000 });
    expect(other.$warnings.get().map((w) => w.sessionId)).to.deep.equal(['s2']);
    other.destroy();

    answer = (socket, frame) => {
      socket.push({ t: 'ok', rid: frame.rid });
    };
    client.dismissWarning('s2');
    await client.logout().catch(() => undefined);
    expect([...Array(sessionStorage.length).keys()].map((i) => sessionStorage.key(i)).filter((k) => k?.startsWith('crm-chat:dismissed-warnings:'))).to.deep.equal([]);
  });

  it('sends transfer, answer, cancel and takeover commands and resolves with the server\'s answer', async () => {
    await live();
    answer = (socket, frame) => {
      if (frame.t === 'transfer' && 'agentId' in (frame.to as object)) {
        socket.push({ t: 'ok', rid: frame.rid, data: { sessionId: frame.sessionId, expiresAt: 1_700_000_120_000 } });
      } else if (frame.t === 'takeover') {
        socket.push({ t: 'nack', rid: frame.rid, code: 'forbidden', retryable: false, message: 'only a manager of this channel can take over a chat' });
      } else {
        socket.push({ t: 'ok', rid: frame.rid, data: { sessionId: frame.sessionId } });
      }
    };
    const offered = await client.transfer('s1', { agentId: 'bob' }, 'VIP customer');
    expect(offered).to.deep.equal({ sessionId: 's1', expiresAt: 1_700_000_120_000 });
    expect(await client.transfer('s2', { channelId: 'sales' }, '   ')).to.deep.equal({ sessionId: 's2' });
    await client.answerTransfer('s1', false);
    await client.cancelTransfer('s1');
    let error: unknown;
    try {
      await client.takeover('s1');
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ChatError);
    expect((error as ChatError).code).to.equal('forbidden');
    const sent = fake.last.sent.filter((f) => ['transfer', 'transfer-answer', 'transfer-cancel', 'takeover'].includes(f.t)).map(({ rid: _rid, ...f }) => f);
    expect(sent).to.deep.equal([
      { t: 'transfer', sessionId: 's1', to: { agentId: 'bob' }, note: 'VIP customer' },
      { t: 'transfer', sessionId: 's2', to: { channelId: 'sales' } },
      { t: 'transfer-answer', sessionId: 's1', accept: false },
      { t: 'transfer-cancel', sessionId: 's1' },
      { t: 'takeover', sessionId: 's1' },
    ]);
  });

  it('lists chats offered to me in $incomingTransfers, with the offer on the session summary', async () => {
    await live();
    const transfer = { fromAgentId: 'bob', fromAgentName: 'Bob', toAgentId: 'ann', toAgentName: 'Ann Agent', note: 'Refund', at: 5, expiresAt: 120_005 };
    board('session', summary('s1', { status: 'active', agentId: 'bob', agentName: 'Bob', transfer }));
    board('session', summary('s2', { status: 'active', agentId: 'bob', agentName: 'Bob', transfer: { ...transfer, toAgentId: 'carl', toAgentName: 'Carl' } }));
    expect(client.$incomingTransfers.get().map((s) => s.id)).to.deep.equal(['s1']);
    expect(client.$sessions.get().s1?.transfer).to.deep.equal(transfer);
    // Accepted: I handle it now; nothing is offered any more.
    board('session', summary('s1', { status: 'active', agentId: 'ann', agentName: 'Ann Agent' }));
    expect(client.$incomingTransfers.get()).to.deep.equal([]);
    expect(client.$mine.get().map((s) => s.id)).to.deep.equal(['s1']);
  });

  it('customer: $visitor follows availability, the agent who joined and a move back to the queue', async () => {
    client.destroy();
    const SID = 's9';
    fake.onFrame = (socket, frame) => {
      if (frame.t === 'hello') {
        socket.push({
          t: 'welcome',
          v: 2,
          connId: 'c9',
          serverTime: Date.now(),
          me: { kind: 'customer', tenantId: 'demo', sessionId: SID, name: 'Kim' },
          resume: [{ stream: `session:${SID}`, status: 'reset', epoch: 'E1' }],
        });
        socket.push({
          t: 'reset',
          stream: `session:${SID}`,
          epoch: 'E1',
          reason: 'initial',
          snapshot: { epoch: 'E1', seq: 1, status: 'queued', messages: [], hasMore: false },
        });
        socket.push({ t: 'queue', sessionId: SID, position: 1 });
        socket.push({ t: 'availability', sessionId: SID, available: false });
      }
    };
    client = makeClient(`customer:${SID}`);
    await live();
    expect(client.$visitor.get()).to.deep.equal({ sessionId: SID, status: 'queued', position: 1, available: false });
    fake.last.push({ t: 'availability', sessionId: 'other', available: true });
    expect(client.$visitor.get()?.available).to.equal(false, 'only its own session');
    fake.last.push({ t: 'availability', sessionId: SID, available: true });
    const joined = { kind: 'event', event: 'joined', author: { kind: 'system', name: 'Bob' }, text: 'Bob joined the chat' };
    fake.last.push(messageEvent(SID, 2, 'E1', joined));
    expect(client.$visitor.get()).to.deep.equal({ sessionId: SID, status: 'active', agentName: 'Bob', available: true });
    // Moved to another channel's queue: waiting again, no agent.
    const queued = { kind: 'event', event: 'queued', author: { kind: 'system', name: '' }, text: 'Welcome to Sales!' };
    fake.last.push(messageEvent(SID, 3, 'E1', queued));
    fake.last.push({ t: 'queue', sessionId: SID, position: 2 });
    expect(client.$visitor.get()).to.deep.equal({ sessionId: SID, status: 'queued', position: 2, available: true });
    fake.last.push(messageEvent(SID, 4, 'E1', { ...joined, author: { kind: 'system', name: 'Lars' }, text: 'Lars joined the chat' }));
    expect(client.$visitor.get()).to.deep.equal({ sessionId: SID, status: 'active', agentName: 'Lars', available: true });
  });
});
