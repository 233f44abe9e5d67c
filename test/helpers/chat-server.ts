/**
 * Browser-side helpers for tests against the real reference server started by the
 * web-test-runner plugin (test/helpers/wtr-chat-server.mjs).
 */
import { executeServerCommand } from '@web/test-runner-commands';

import type { ChatClient, ChatClientOptions } from '../../src/state/index.js';
import { createChatClient, memoryOutboxStorage } from '../../src/state/index.js';

export interface ServerInfo {
  url: string;
}

export function chatServer(): Promise<ServerInfo> {
  return executeServerCommand<ServerInfo, undefined>('chat-server');
}

export function restartChatServer(downMs = 200): Promise<ServerInfo> {
  return executeServerCommand<ServerInfo, { downMs: number }>('chat-server-restart', { downMs });
}

async function post<T>(url: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url}: HTTP ${String(res.status)} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Demo login: an agent access token. */
export async function loginAgent(server: ServerInfo, agentId: string): Promise<string> {
  const r = await post<{ token: string }>(`${server.url}/api/demo/login`, { tenant: 'demo', agentId });
  return r.token;
}

/** A customer starts a chat: session id and the customer's access token. */
export function startChat(server: ServerInfo, channelId: string, name: string): Promise<{ sessionId: string; token: string }> {
  return post(`${server.url}/api/chats`, { tenant: 'demo', channelId, name });
}

/** A ticket provider for an access token. */
export function ticketsFor(server: ServerInfo, token: string): () => Promise<string> {
  return async () => (await post<{ ticket: string }>(`${server.url}/api/tickets`, {}, token)).ticket;
}

/** A client for tests: memory outbox unless given, fast reconnects, explicit connect. */
export function testClient(server: ServerInfo, token: string, extra: Partial<ChatClientOptions> = {}) {
  return createChatClient({
    url: server.url,
    tenant: 'demo',
    getToken: ticketsFor(server, token),
    storage: memoryOutboxStorage(),
    autoConnect: false,
    socket: { minReconnectDelayMs: 50, maxReconnectDelayMs: 300 },
    ...extra,
  });
}

/** Resolves when `check()` is true; rejects with `what` after `timeout` ms. Polls on animation frames. */
export async function until(check: () => boolean, what: string, timeout = 8000): Promise<void> {
  const end = performance.now() + timeout;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * The demo's channels show the offline form while no agent is Present (the default). Tests of the
 * chat itself, run with no agent online, turn that off for Sales and Support through the Manager
 * API (as Anna, their manager) so that a chat starts and waits. Resolves with the undo.
 */
export async function letChatsWaitWithoutAgents(server: ServerInfo): Promise<() => Promise<void>> {
  const anna = await loginAgent(server, 'anna');
  const settings = async (channel: string, method: 'GET' | 'PUT', body?: unknown) => {
    const res = await fetch(`${server.url}/api/channels/${channel}/settings`, {
      method,
      headers: { Authorization: `Bearer ${anna}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw new Error(`channel settings ${channel}: HTTP ${String(res.status)} ${await res.text()}`);
    return (await res.json()) as { settings: { offline: Record<string, unknown> } };
  };
  const before = new Map<string, Record<string, unknown>>();
  for (const channel of ['sales', 'support']) {
    const { offline } = (await settings(channel, 'GET')).settings;
    before.set(channel, offline);
    await settings(channel, 'PUT', { settings: { offline: { ...offline, whenNobodyPresent: false } } });
  }
  return async () => {
    for (const [channel, offline] of before) await settings(channel, 'PUT', { settings: { offline } });
  };
}

/**
 * The clients a suite makes and what ends its chats, cleaned up after each test: `track` a client
 * to have it destroyed, push onto `ends` what ends a chat (run first, failures ignored).
 */
export function trackClients(): { track(client: ChatClient): ChatClient; ends: (() => Promise<unknown>)[] } {
  const clients: ChatClient[] = [];
  const ends: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const end of ends.splice(0)) await end().catch(() => undefined);
    for (const c of clients.splice(0)) c.destroy();
  });
  return {
    track(client) {
      clients.push(client);
      return client;
    },
    ends,
  };
}
