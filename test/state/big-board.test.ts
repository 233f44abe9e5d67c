/**
 * Boards of any size with the real client and the real server: a board of 6,000 sessions (a
 * second server process whose demo tenant has them: test/helpers/big-board-server.ts) arrives in
 * parts and reaches the client complete before the connection goes live; the board keeps up
 * with what happens after it.
 */
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';

import type { ChatClient } from '../../src/state/index.js';
import type { ServerInfo } from '../helpers/chat-server.js';
import { loginAgent, startChat, testClient, until } from '../helpers/chat-server.js';

const SESSIONS = 6000;

describe('a board of 6,000 sessions with the real client', function () {
  this.timeout(180_000);
  let server: ServerInfo;
  let client: ChatClient | undefined;

  before(async function () {
    this.timeout(180_000);
    // The server starts 6,000 chats before it answers with its url (it says {} until then).
    const deadline = performance.now() + 150_000;
    for (;;) {
      const info = await executeServerCommand<Partial<ServerInfo>, { sessions: number }>('big-board-server', { sessions: SESSIONS });
      if (info.url !== undefined) {
        server = { url: info.url };
        break;
      }
      // The command itself waits for readiness (up to 10 s), so asking again at once is no busy loop.
      if (performance.now() > deadline) throw new Error('the big-board server did not become ready');
    }
  });

  afterEach(() => {
    client?.destroy();
    client = undefined;
  });

  it('arrives complete before the connection is live, and keeps up afterwards', async () => {
    // Anna belongs to both channels: every session is on her board.
    const c = (client = testClient(server, await loginAgent(server, 'anna')));
    let sizeWhenLive = -1;
    const stop = c.$connection.listen((state) => {
      if (state.status === 'live' && sizeWhenLive < 0) sizeWhenLive = Object.keys(c.$sessions.get()).length;
    });
    c.connect();
    await until(() => c.$connection.get().status === 'live', 'live', 60_000);
    stop();
    expect(sizeWhenLive, 'the whole board is there the moment the stream is live').to.equal(SESSIONS);
    const sessions = Object.values(c.$sessions.get());
    expect(new Set(sessions.map((s) => s.customer.name)).size).to.equal(SESSIONS);
    expect(sessions.filter((s) => s.channelId === 'support').length).to.equal(SESSIONS / 2);
    expect(c.$queued.get().length, 'all of them wait in her channels').to.equal(SESSIONS);
    expect(Object.keys(c.$agents.get()).sort()).to.deep.equal(['anna', 'erik', 'lars', 'sofia']);

    // Live events continue the board from the snapshot's position.
    const next = await startChat(server, 'sales', 'Customer after the snapshot');
    await until(() => c.$sessions.get()[next.sessionId] !== undefined, 'the new chat on the board');
    expect(Object.keys(c.$sessions.get()).length).to.equal(SESSIONS + 1);
    expect(c.$queued.get().at(-1)?.id).to.equal(next.sessionId);
  });
});
