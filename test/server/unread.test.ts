/**
 * Mark a chat unread (issue 18): the handling agent's `unread` frame puts the read position back
 * before the newest customer message, so the board shows 1 unread (the badge counts it) until the
 * agent reads again. Only the handling agent may; a chat without a customer message is refused.
 * Over real sockets, and through the client's `markUnread` against the same server.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';

import type { ReadableAtom } from 'nanostores';
import { WebSocket as WsSocket } from 'ws';

import { createChatClient, memoryOutboxStorage } from '../../src/state/index.js';
import type { Harness } from './helpers.js';
import { activityOf, openActiveChat, refused, startServer } from './helpers.js';

describe('mark a chat unread', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startServer();
  });

  afterEach(async () => {
    await h.close();
  });

  test('the handling agent marks a read chat unread; reading it clears it again', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik', channel: 'support' });
    const first = await c.customer.sendOk(c.sessionId, 'My order has not arrived.');
    const second = await c.customer.sendOk(c.sessionId, 'It is order 7781.');
    assert.ok(second.seq > first.seq);
    // Erik reads everything: unread 0.
    const head = await c.agent.waitFor(activityOf(c.sessionId, (a) => a.lastMessage?.text === 'It is order 7781.'));
    const seq = head.sessions.find((a) => a.id === c.sessionId)!.seq;
    let from = c.agent.mark();
    await c.agent.ok({ t: 'read', sessionId: c.sessionId, seq });
    await c.agent.waitFor(activityOf(c.sessionId, (a) => a.unread === 0), { from, label: 'read: 0 unread' });

    // Marked unread: the newest customer message counts again (1, not 2).
    from = c.agent.mark();
    await c.agent.ok({ t: 'unread', sessionId: c.sessionId });
    await c.agent.waitFor(activityOf(c.sessionId, (a) => a.unread === 1), { from, label: 'marked unread: 1' });

    // Reading again clears it: the read position may move forward again.
    from = c.agent.mark();
    await c.agent.ok({ t: 'read', sessionId: c.sessionId, seq });
    await c.agent.waitFor(activityOf(c.sessionId, (a) => a.unread === 0), { from, label: 'read again: 0' });
  });

  test('only the handling agent may, and only when the customer wrote something', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik', channel: 'support' });
    // Nothing from the customer yet (the chat was started without a first message).
    refused(await c.agent.command({ t: 'unread', sessionId: c.sessionId }), 'invalid');
    await c.customer.sendOk(c.sessionId, 'Hello?');
    const anna = await h.api.agent('anna'); // a supervisor of the channel, not the handler
    refused(await anna.command({ t: 'unread', sessionId: c.sessionId }), 'forbidden');
    const lars = await h.api.agent('lars'); // not in the channel
    refused(await lars.command({ t: 'unread', sessionId: c.sessionId }), 'forbidden');
    refused(await c.customer.command({ t: 'unread', sessionId: c.sessionId }), 'forbidden');
  });

  test("the client's markUnread: the board row shows it unread, and reading clears it", async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik', channel: 'support' });
    await c.customer.sendOk(c.sessionId, 'Are you there?');
    const origin = h.api.origin;
    class OriginSocket extends WsSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { origin });
      }
    }
    const token = await h.api.token('erik');
    const client = createChatClient({
      url: h.api.baseUrl,
      tenant: 'demo',
      getToken: () => h.api.ticket(token),
      WebSocket: OriginSocket,
      storage: memoryOutboxStorage(),
    });
    try {
      client.connect();
      await until(client.$sessions, (all) => all[c.sessionId]?.unread === 1, 'the row shows 1 unread');
      client.openSession(c.sessionId, 'participant');
      await until(client.$messages, (all) => all[c.sessionId]?.ready === true, 'messages loaded');
      client.markRead(c.sessionId);
      await until(client.$sessions, (all) => all[c.sessionId]?.unread === 0, 'read');
      await client.markUnread(c.sessionId);
      await until(client.$sessions, (all) => all[c.sessionId]?.unread === 1, 'marked unread');
      // Reading it again is sent anew (not skipped as already read).
      client.markRead(c.sessionId);
      await until(client.$sessions, (all) => all[c.sessionId]?.unread === 0, 'read again');
    } finally {
      client.destroy();
    }
  });
});

/** Resolves when `check()` holds for the store's value (on its own change events), else fails with `what`. */
function until<T>(store: ReadableAtom<T>, check: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let stop: () => void = () => undefined;
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for: ${what}`));
    }, timeoutMs);
    stop = store.subscribe((value) => {
      if (!check(value)) return;
      clearTimeout(timer);
      queueMicrotask(() => {
        stop();
      });
      resolve();
    });
  });
}
