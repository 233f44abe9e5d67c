/**
 * Priority and reply targets in the client's board (issue 18), against a scripted server: the
 * waiting chats (`$queued`) are in the server's queue order (priority, then age) and move when a
 * chat's priority changes; `activity` carries the awaited reply (`response`), and an entry
 * without it clears it (the reply was given).
 */
import { expect } from '@open-wc/testing';

import type { SessionSummary } from '../../src/protocol/index.js';
import type { ChatClient } from '../../src/state/index.js';
import { createChatClient, memoryOutboxStorage } from '../../src/state/index.js';
import { until } from '../helpers/chat-server.js';
import { boardReset, FakeServer, welcome } from '../helpers/fake-server.js';

const T0 = 1_700_000_000_000;

function queued(id: string, createdAt: number, extra: Partial<SessionSummary> = {}): SessionSummary {
  return { id, channelId: 'support', status: 'queued', customer: { name: `Customer ${id}` }, createdAt, lastActivityAt: createdAt, unread: 0, seq: 1, ...extra };
}

describe('board: priority and reply targets', () => {
  let fake: FakeServer;
  let client: ChatClient;
  let unfollow: () => void;

  beforeEach(async () => {
    fake = new FakeServer();
    fake.onFrame = (socket, frame) => {
      if (frame.t === 'hello') {
        socket.push(welcome());
        socket.push(
          boardReset(10, [
            queued('old', T0),
            queued('low', T0 - 5000, { priority: 'low' }),
            queued('urgent', T0 + 3000, { priority: 'urgent' }),
            queued('new', T0 + 2000, { response: { kind: 'first', since: T0 + 2000, due: T0 + 62_000 } }),
          ]),
        );
      } else if (frame.t === 'ping') socket.push({ t: 'pong', n: frame.n });
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
    // Views follow the board while observed, as an element would.
    unfollow = client.$queued.subscribe(() => undefined);
    client.connect();
    await until(() => client.$connection.get().status === 'live', 'live');
  });

  afterEach(() => {
    unfollow();
    client.destroy();
  });

  const row = (id: string) => client.$sessions.get()[id];

  const order = () => client.$queued.get().map((s) => s.id);

  it('orders waiting chats by priority, then age; a changed priority moves the chat', async () => {
    expect(order()).to.deep.equal(['urgent', 'old', 'new', 'low']);
    fake.last.push({ t: 'event', stream: 'board', epoch: 'B1', seq: 11, prev: 10, kind: 'session', data: queued('low', T0 - 5000, { priority: 'high' }) });
    await until(() => order()[0] === 'low' || order()[1] === 'low', 'moved');
    expect(order()).to.deep.equal(['urgent', 'low', 'old', 'new']);
  });

  it('activity sets the awaited reply and clears it when an entry comes without one', async () => {
    const response = { kind: 'next' as const, since: T0 + 9000, due: T0 + 39_000 };
    fake.last.push({ t: 'activity', sessions: [{ id: 'old', lastActivityAt: T0 + 9000, unread: 1, seq: 2, response }] });
    await until(() => row('old')?.response !== undefined, 'response set');
    expect(row('old')?.response).to.deep.equal(response);
    fake.last.push({ t: 'activity', sessions: [{ id: 'old', lastActivityAt: T0 + 12_000, unread: 0, seq: 3 }, { id: 'new', lastActivityAt: T0 + 12_000, unread: 0, seq: 2 }] });
    await until(() => row('old')?.seq === 3, 'patched');
    expect(row('old')?.response).to.equal(undefined);
    expect(row('new')?.response).to.equal(undefined);
    expect(Object.keys(row('old') ?? {})).to.not.include('response');
  });
});
