/**
 * A chat client in an exact state for element tests: a real `createChatClient` wired to the
 * scripted FakeServer, which answers like the reference server (welcome, board snapshot,
 * subscribe → session snapshot, ack for send, ok for commands) from the data given here.
 *
 *   const { client, fake } = await fixtureClient({ sessions: [session({ id: 's1' })], messages: { s1: [msg(1)] } });
 *   el.client = client;
 */
import type { ChatClient } from '../../src/state/index.js';
import { createChatClient, memoryOutboxStorage } from '../../src/state/index.js';
import { until } from './chat-server.js';
import type { FakeServer } from './fake-server.js';
import { AGENT_ME } from './fake-server.js';
import { fixtureServer, NOW, type FixtureOptions } from './fixture-server.js';

export * from './fixture-server.js';

export async function fixtureClient(options: FixtureOptions = {}): Promise<{ client: ChatClient; fake: FakeServer }> {
  // Each fixture is a fresh console: no wait warnings dismissed by an earlier test (sessionStorage).
  for (const key of Object.keys(sessionStorage)) if (key.startsWith('crm-chat:dismissed-warnings:')) sessionStorage.removeItem(key);
  const fake = fixtureServer(options);
  const me = options.me ?? AGENT_ME;
  const client = createChatClient({
    url: 'http://chat.test',
    tenant: 'demo',
    getToken: () => Promise.resolve('ticket'),
    WebSocket: fake.WebSocket,
    storage: memoryOutboxStorage(),
    outboxKey: me.kind === 'agent' ? `agent:${me.id}` : `customer:${me.sessionId}`,
    autoConnect: false,
    now: () => NOW,
    socket: { minReconnectDelayMs: 20, maxReconnectDelayMs: 50 },
  });
  if (options.live !== false) {
    client.connect();
    await until(() => client.$connection.get().status === 'live', 'fixture client live');
  }
  return { client, fake };
}
