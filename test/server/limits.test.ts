/**
 * Limits as configuration (issue 12 item 5): connections per tenant and per user, frames per
 * minute, typing per second and chat starts per minute are server options (`limits`, CLI flags,
 * environment variables). A refusal names the limit: the `error`/`nack` frame's `limit`, the close
 * reason, the HTTP error body.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, afterEach, describe, test } from 'node:test';

import { FRAMES_PER_MINUTE, RATE_LIMIT_CLOSE_AFTER } from '../../src/protocol/limits.js';
import type { AckFrame, Harness, NackFrame, TestClient } from './helpers.js';
import { Api, freePort, isAck, isError, isNack, isTyping, openActiveChat, spawnServer, startServer, stopAllProcesses, tempDir } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});
after(async () => {
  await stopAllProcesses();
});

/** Opens a socket and waits for the server to refuse it; returns the close and the error frame. */
async function refused(socket: Promise<TestClient>) {
  const c = await socket;
  const closed = await c.waitClose();
  return { closed, error: c.all(isError)[0] };
}

describe('connections', () => {
  test('the tenant cap refuses the next socket with 4429 naming connections_per_tenant; a freed place is taken again', async () => {
    h = await startServer({ limits: { connectionsPerTenant: 3 } });
    const { api } = h;
    const sockets = [await api.agent('anna'), await api.agent('erik'), await api.agent('sofia')];
    const { closed, error } = await refused(api.open('demo', await api.ticket(await api.token('lars')), { label: 'fourth' }));
    assert.equal(closed.code, 4429);
    assert.match(closed.reason, /connections_per_tenant/);
    assert.equal(error?.code, 'overloaded');
    assert.equal(error.limit, 'connections_per_tenant');
    assert.ok((error.retryAfterMs ?? 0) > 0, 'retryable');
    await Promise.all(sockets.map((s) => s.sync()));

    await sockets[2]!.close();
    const lars = await api.agent('lars');
    await lars.sync();
    assert.ok(lars.isOpen, 'the freed place is taken');
  });

  test('at the tenant cap, a tab that reconnects replaces its own old socket instead of being refused', async () => {
    h = await startServer({ limits: { connectionsPerTenant: 2 } });
    const { api } = h;
    await api.agent('anna');
    const tab = await api.agent('erik', { clientId: 'tab-erik-0001' });
    const again = await api.agent('erik', { clientId: 'tab-erik-0001' });
    assert.equal((await tab.waitClose()).code, 4409, 'the old socket of the tab is superseded');
    await again.sync();
    assert.ok(again.isOpen);
  });

  test('the per-user cap names connections_per_user', async () => {
    h = await startServer({ limits: { connectionsPerUser: 2 } });
    const { api } = h;
    const tabs = [await api.agent('lars'), await api.agent('lars')];
    const { closed, error } = await refused(api.open('demo', await api.ticket(await api.token('lars')), { label: 'third tab' }));
    assert.equal(closed.code, 4429);
    assert.match(closed.reason, /connections_per_user/);
    assert.equal(error?.limit, 'connections_per_user');
    await Promise.all(tabs.map((t) => t.sync()));
    // Another user is not affected.
    await (await api.agent('anna')).sync();
  });
});

describe('frames', () => {
  test('framesPerMinute is respected: the bucket, nacks naming frames_per_minute, the close when far over, a refill', async () => {
    const perMinute = 30;
    h = await startServer({ limits: { framesPerMinute: perMinute } });
    const chat = await openActiveChat(h.api, { agentId: 'erik' });
    // A fresh socket: its bucket is full.
    const c = await h.api.agent('erik');
    await c.ok({ t: 'subscribe', sessionId: chat.sessionId, mode: 'participant' }); // 1 frame
    const from = c.mark();
    for (let i = 0; i < perMinute + 10; i++) c.post(chat.sessionId, `burst ${String(i)}`);
    await c.waitForCount((f): f is AckFrame | NackFrame => isAck(f) || isNack(f), perMinute + 10, { from, label: 'every send answered' });
    const acks = c.all(isAck, from);
    const limited = c.all(isNack, from).filter((n) => n.code === 'rate_limited');
    // The subscribe took one frame; real time refills 0.5 frames a second meanwhile.
    assert.ok(acks.length >= perMinute - 1 && acks.length <= perMinute + 1, `acks: ${String(acks.length)}`);
    assert.equal(acks.length + limited.length, perMinute + 10);
    for (const n of limited) {
      assert.equal(n.limit, 'frames_per_minute');
      assert.equal(n.retryAfterMs, 60_000 / perMinute);
    }

    // A minute later the bucket is full again.
    h.clock.advance(60_000);
    await c.sendOk(chat.sessionId, 'after a minute');

    // Far over: closed with 4429, the reason and the error frame name the limit.
    for (let i = 0; i < perMinute + RATE_LIMIT_CLOSE_AFTER + 5; i++) c.sendJson({ t: 'ping', n: i });
    const closed = await c.waitClose();
    assert.equal(closed.code, 4429);
    assert.match(closed.reason, /frames_per_minute/);
    assert.equal(c.all(isError).at(-1)?.limit, 'frames_per_minute');
    // The chat goes on for the others.
    await chat.customer.sendOk(chat.sessionId, 'still here?');
  });

  test(`the default (${String(FRAMES_PER_MINUTE)} a minute) lets a busy console send 200 frames at once`, async () => {
    h = await startServer();
    const chat = await openActiveChat(h.api, { agentId: 'erik' });
    const from = chat.agent.mark();
    for (let i = 0; i < 100; i++) chat.agent.post(chat.sessionId, `reply ${String(i)}`);
    for (let i = 0; i < 100; i++) chat.agent.sendJson({ t: 'read', rid: `read-${String(i)}`, sessionId: chat.sessionId, seq: 1 });
    await chat.agent.waitForCount(isAck, 100, { from, label: '100 acks' });
    await chat.agent.sync();
    assert.deepEqual(
      chat.agent.all(isNack, from).map((n) => n.code),
      [],
      'nothing was refused',
    );
  });

  test('typingPerSecond is respected', async () => {
    h = await startServer({ limits: { typingPerSecond: 1 } });
    const chat = await openActiveChat(h.api, { agentId: 'erik' });
    const from = chat.agent.mark();
    for (let i = 0; i < 20; i++) chat.customer.sendJson({ t: 'typing', sessionId: chat.sessionId, on: true });
    await chat.customer.sync();
    await chat.agent.sync();
    const relayed = chat.agent.all(isTyping, from).length;
    // One a second: the burst may straddle one second boundary.
    assert.ok(relayed >= 1 && relayed <= 2, `relayed ${String(relayed)} of 20`);
  });
});

test('chat starts: limits.chatStartsPerMinute, and the 429 body names chat_starts_per_minute', async () => {
  h = await startServer({ limits: { chatStartsPerMinute: 1 } });
  h.clock.advance(60_000 - (h.clock.now() % 60_000) + 10); // the start of a minute
  const start = () => h!.api.request('POST', '/api/chats', { json: { tenant: 'demo', channelId: 'support', name: 'Once Olga' } });
  assert.equal((await start()).status, 201);
  const second = await start();
  assert.equal(second.status, 429);
  assert.deepEqual((second.body as { error: { code: string; limit: string } }).error.limit, 'chat_starts_per_minute');
});

test('an invalid limit option is refused at start', async () => {
  await assert.rejects(startServer({ limits: { framesPerMinute: 0 } }), /framesPerMinute/);
});

describe('per tenant (provisioning: tenants.settings.limits)', () => {
  /** An operator key, as `crm-chat-server admin key create --operator` makes it. */
  async function operatorKey(harness: Harness): Promise<string> {
    return (await harness.server.provisioning.keys.create({ tenantId: null, name: 'ops', createdBy: 'test' })).key;
  }
  const patchLimits = (harness: Harness, key: string, limits: Record<string, number | null>) =>
    harness.api.request('PATCH', '/api/provisioning/tenants/demo', { headers: { authorization: `Bearer ${key}` }, json: { settings: { limits } } });

  test('a tenant\'s own values replace the server\'s for it, from the next connection on; null gives the server\'s back', async () => {
    h = await startServer({ limits: { connectionsPerTenant: 10, connectionsPerUser: 5 } });
    const key = await operatorKey(h);
    const { api } = h;
    const first = await api.agent('anna');
    const changed = await patchLimits(h, key, { connectionsPerTenant: 2, connectionsPerUser: 1 });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.deepEqual((changed.body as { tenant: { settings: { limits: unknown } } }).tenant.settings.limits, { connectionsPerTenant: 2, connectionsPerUser: 1 });
    // At once: anna has one socket already (the tenant's per-user cap is 1 now) …
    const perUser = await refused(api.open('demo', await api.ticket(await api.token('anna')), { label: 'second anna' }));
    assert.equal(perUser.error?.limit, 'connections_per_user');
    // … and the tenant holds at most two.
    const second = await api.agent('erik');
    const perTenant = await refused(api.open('demo', await api.ticket(await api.token('sofia')), { label: 'third socket' }));
    assert.equal(perTenant.error?.limit, 'connections_per_tenant');
    await Promise.all([first.sync(), second.sync()]);
    // Removed again: the server's values apply.
    assert.equal((await patchLimits(h, key, { connectionsPerTenant: null, connectionsPerUser: null })).status, 200);
    const more = [await api.agent('sofia'), await api.agent('anna')];
    await Promise.all(more.map((c) => c.sync()));
  });

  test('frames per minute and chat starts per minute per tenant', async () => {
    h = await startServer({ limits: { chatStartsPerMinute: 100 } });
    const key = await operatorKey(h);
    assert.equal((await patchLimits(h, key, { framesPerMinute: 3, chatStartsPerMinute: 1 })).status, 200);
    h.clock.advance(60_000 - (h.clock.now() % 60_000) + 10); // the start of a minute
    const start = () => h!.api.request('POST', '/api/chats', { json: { tenant: 'demo', channelId: 'support', name: 'Tenant Tove' } });
    assert.equal((await start()).status, 201);
    assert.equal(((await start()).body as { error: { limit: string } }).error.limit, 'chat_starts_per_minute');
    const c = await h.api.agent('erik');
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await c.command({ t: 'presence', status: 'present' }));
    assert.deepEqual(
      answers.map((a) => (isNack(a) ? a.limit : a.t)),
      ['ok', 'ok', 'ok', 'frames_per_minute'],
    );
  });

  test('values outside the rules are refused by the API, naming the field', async () => {
    h = await startServer();
    const key = await operatorKey(h);
    const r = await patchLimits(h, key, { typingPerSecond: 0 });
    assert.equal(r.status, 400);
    assert.match(JSON.stringify(r.body), /settings\.limits\.typingPerSecond/);
  });
});

describe('the Node host (main.ts)', () => {
  test('limits come from environment variables, and a bad value stops the start with a clear message', async () => {
    const dataDir = await tempDir();
    try {
      const proc = await spawnServer({ port: await freePort(), dataDir, env: { CHAT_CONNECTIONS_PER_TENANT: '1' } });
      const api = new Api(proc.url);
      const first = await api.agent('anna');
      const { closed, error } = await refused(api.open('demo', await api.ticket(await api.token('erik'))));
      assert.equal(closed.code, 4429);
      assert.equal(error?.limit, 'connections_per_tenant');
      await first.sync();
      await api.closeClients();
      await proc.stop();
      await assert.rejects(spawnServer({ port: await freePort(), dataDir, env: { CHAT_FRAMES_PER_MINUTE: 'lots' } }), /Invalid --frames-per-minute "lots": use a whole number of at least 1\./);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
