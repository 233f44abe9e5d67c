/**
 * Listen-in: only with the channel's `listen` permission (forged frames are refused), silent for
 * the listened-to agent and the customer, audited (`listen_audit`, `GET /api/audit/listen`), and
 * stopped at once when the permission is revoked (`POST /api/admin/permissions`): the server
 * drops the subscription, says `gone {reason: 'revoked'}`, and the client drops its copy.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';

import { WebSocket as WsSocket } from 'ws';

import type { ListenAuditEntry } from '../../server/core/listen-audit.js';
import { openSqlite } from '../../server/node/sqlite.js';
import type { ServerFrame } from './helpers.js';
import type { ChatClient } from '../../src/state/index.js';
import { createChatClient, memoryOutboxStorage } from '../../src/state/index.js';
import type { Harness, SessionEvent, TestClock } from './helpers.js';
import { agentRecord, isBoardEvent, isBoardReset, openActiveChat, refused, sessionEventOf, sessionResetOf, startServer } from './helpers.js';

const MIN = 60_000;
const ALL = { respond: true, notifications: true, listen: true, manager: true };
const PLAIN = { respond: true, notifications: true, listen: false, manager: false };
const NONE = { respond: false, notifications: false, listen: false, manager: false };

const isGone = (f: ServerFrame): f is Extract<ServerFrame, { t: 'gone' }> => f.t === 'gone';
const isMe = (f: ServerFrame): f is Extract<ServerFrame, { t: 'me' }> => f.t === 'me';
const messageWith = (sessionId: string, text: string) => (f: ServerFrame): f is SessionEvent => sessionEventOf(sessionId)(f) && f.data.text === text;

/** Resolves when `check()` holds (polling), else fails with `what`. */
async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('listen-in', () => {
  let h: Harness;
  let clock: TestClock;

  beforeEach(async () => {
    h = await startServer();
    clock = h.clock;
  });

  afterEach(async () => {
    await h.close();
  });

  const auth = async (agentId: string) => ({ authorization: `Bearer ${await h.api.token(agentId)}` });

  async function audit(agentId: string, query = ''): Promise<{ status: number; entries: ListenAuditEntry[] }> {
    const r = await h.api.request('GET', `/api/audit/listen${query}`, { headers: await auth(agentId) });
    return { status: r.status, entries: (r.body as { entries?: ListenAuditEntry[] }).entries ?? [] };
  }

  async function setPermissions(by: string, agentId: string, channelId: string, permissions: object) {
    return h.api.request('POST', '/api/admin/permissions', { headers: await auth(by), json: { agentId, channelId, permissions } });
  }

  test('only the listen permission allows listening: forged listen frames are refused with nack forbidden', async () => {
    const c = await openActiveChat(h.api, { agentId: 'sofia', channel: 'support' });
    const lars = await h.api.agent('lars'); // sales only
    const erik = await h.api.agent('erik'); // support, no listen
    refused(await lars.command({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' }), 'forbidden');
    refused(await erik.command({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' }), 'forbidden');
    refused(await erik.command({ t: 'subscribe', sessionId: c.sessionId, mode: 'participant' }), 'forbidden');
    // The handling agent herself has no listen permission either: no listen mode on her own chat.
    refused(await c.agent.command({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' }), 'forbidden');
    // Nothing of the session reached them, and nothing was audited.
    for (const client of [lars, erik]) assert.equal(client.all(sessionEventOf(c.sessionId)).length + client.all(sessionResetOf(c.sessionId)).length, 0);
    assert.deepEqual((await audit('anna')).entries, []);
    // A customer cannot listen to another chat.
    const other = await h.api.startChat('support', 'Other');
    const otherCustomer = await h.api.customer(other);
    refused(await otherCustomer.command({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' }), 'forbidden');
  });

  test('listening is silent for the agent and the customer, live for the listener, and read-only', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik', channel: 'support' });
    const anna = await h.api.agent('anna');
    // The roster is coalesced (a busy machine may publish it late): let it tell Erik of his chat
    // and of Anna coming online before anything is counted.
    await c.agent.waitFor(agentRecord('erik', (a) => a.activeChats === 1), { label: 'roster: Erik handles the chat' });
    await c.agent.waitFor(agentRecord('anna', (a) => a.online), { label: 'roster: Anna online' });
    await c.agent.sync();
    await c.customer.sync();
    const board = h.server.room('demo')!.store.boardHead();
    const erikFrom = c.agent.mark();
    const customerFrom = c.customer.mark();

    const sub = (await anna.ok({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' })) as { mode: string };
    assert.equal(sub.mode, 'listen');
    await anna.waitFor(sessionResetOf(c.sessionId));
    await anna.command({ t: 'read', sessionId: c.sessionId, seq: 1 });
    anna.sendJson({ t: 'typing', sessionId: c.sessionId, on: true });
    refused(await anna.send(c.sessionId, 'a listener writes'), 'forbidden');
    await anna.sync();

    // Neither the agent nor the customer got anything because of it: no event, no board change.
    await c.agent.sync();
    await c.customer.sync();
    assert.deepEqual(c.agent.frames.slice(erikFrom).filter((f) => f.t !== 'pong'), [], 'the agent was not notified');
    assert.deepEqual(c.customer.frames.slice(customerFrom).filter((f) => f.t !== 'pong'), [], 'the customer was not notified');
    assert.deepEqual(h.server.room('demo')!.store.boardHead(), board, 'no board event');

    // The listener sees every message live, notes included; the customer never sees notes.
    await c.customer.sendOk(c.sessionId, 'Where is my parcel?');
    await anna.waitFor(messageWith(c.sessionId, 'Where is my parcel?'));
    await c.agent.sendOk(c.sessionId, 'On its way!');
    await anna.waitFor(messageWith(c.sessionId, 'On its way!'));
    await c.agent.sendOk(c.sessionId, 'VIP customer', { kind: 'note' });
    await anna.waitFor(messageWith(c.sessionId, 'VIP customer'));
    await c.customer.sync();
    assert.equal(c.customer.all(messageWith(c.sessionId, 'VIP customer')).length, 0);
  });

  test('every listen is audited with from and to, readable by supervisors of the channel only', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik', channel: 'support' });
    const anna = await h.api.agent('anna');
    const t0 = clock.now();
    await anna.ok({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' });
    // Subscribing again (a resync) keeps the same listen.
    await anna.ok({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' });
    let rows = (await audit('anna', `?sessionId=${c.sessionId}`)).entries;
    assert.equal(rows.length, 1);
    assert.deepEqual(
      { ...rows[0], id: '' },
      { id: '', agentId: 'anna', agentName: 'Anna Lindqvist', sessionId: c.sessionId, channelId: 'support', via: 'permission', from: rows[0]!.from, to: null, endReason: null },
    );
    assert.ok(rows[0]!.from >= t0 && rows[0]!.from <= clock.now());

    clock.advance(5 * MIN);
    await anna.ok({ t: 'unsubscribe', sessionId: c.sessionId });
    rows = (await audit('anna', `?sessionId=${c.sessionId}`)).entries;
    assert.equal(rows[0]!.endReason, 'unsubscribed');
    assert.ok(rows[0]!.to !== null && rows[0]!.to - rows[0]!.from >= 5 * MIN && rows[0]!.to - rows[0]!.from < 6 * MIN, 'to − from is the listening time');
    const first = rows[0]!;

    // A second listen ends when the console closes.
    clock.advance(10 * MIN);
    await anna.ok({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' });
    clock.advance(2 * MIN);
    await anna.close();
    await until(() => h.server.room('demo')!.connectionCount === 2, 'anna disconnected');
    rows = (await audit('anna', `?sessionId=${c.sessionId}`)).entries;
    assert.deepEqual(
      rows.map((r) => r.endReason),
      ['disconnected', 'unsubscribed'],
      'newest first',
    );

    // A listener who takes over the chat no longer listens.
    const anna2 = await h.api.agent('anna');
    await anna2.ok({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' });
    await anna2.ok({ t: 'takeover', sessionId: c.sessionId });
    rows = (await audit('anna', `?sessionId=${c.sessionId}`)).entries;
    assert.equal(rows[0]!.endReason, 'answered');
    // The former handler (erik) now reads it read-only: that is audited too (via: handled).
    const erik2 = await h.api.agent('erik');
    await erik2.ok({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' });
    rows = (await audit('anna', `?sessionId=${c.sessionId}`)).entries;
    assert.equal(rows[0]!.agentId, 'erik');
    assert.equal(rows[0]!.via, 'handled');

    // from / to select the rows that overlap the window.
    const window = (await audit('anna', `?sessionId=${c.sessionId}&from=${String(first.from)}&to=${String(first.to)}`)).entries;
    assert.deepEqual(
      window.map((r) => r.id),
      [first.id],
    );
    assert.equal((await audit('anna', `?from=${String(clock.now() + MIN)}`)).entries.filter((r) => r.to !== null).length, 0);

    // Plain agents may not read the audit; nor a session outside the supervisor's channels; nor anyone unauthenticated.
    assert.equal((await audit('erik')).status, 403);
    assert.equal((await audit('lars', `?sessionId=${c.sessionId}`)).status, 403);
    assert.equal((await audit('anna', '?sessionId=s_nonexistent')).status, 403);
    assert.equal((await audit('anna', '?from=yesterday')).status, 400);
    assert.equal((await h.api.request('GET', '/api/audit/listen')).status, 401);
    // A supervisor of another channel only.
    await setPermissions('anna', 'lars', 'sales', { ...PLAIN, listen: true });
    assert.equal((await audit('lars')).status, 200);
    assert.deepEqual((await audit('lars')).entries, [], 'the support chat is not in his channels');
    assert.equal((await audit('lars', `?sessionId=${c.sessionId}`)).status, 403);
  });

  test('listens left open by a crash end when the room starts again', async () => {
    const first = await startServer({ keepData: true });
    const c = await openActiveChat(first.api, { agentId: 'erik' });
    const anna = await first.api.agent('anna');
    await anna.ok({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' });
    await first.close(); // a clean stop ends the listen ('disconnected') …
    // … a crash would have left the row open: make it so.
    const db = openSqlite(join(first.dataDir, 'chat.db'));
    assert.equal(db.run("UPDATE listen_audit SET ended_at = NULL, end_reason = NULL WHERE end_reason = 'disconnected'").changes, 1);
    db.close();
    const again = await startServer({ dataDir: first.dataDir });
    try {
      assert.ok(again.server.room('demo'));
      const rows = again.server.db.all<{ ended_at: number | null; end_reason: string | null }>('SELECT ended_at, end_reason FROM listen_audit');
      assert.deepEqual(
        rows.map((r) => r.end_reason),
        ['restart'],
      );
      assert.ok(rows[0]!.ended_at !== null);
    } finally {
      await again.close();
      await rm(first.dataDir, { recursive: true, force: true });
    }
  });

  test('revoking the listen permission mid-listen stops the stream at once', async () => {
    const c = await openActiveChat(h.api, { agentId: 'sofia', channel: 'support' });
    const erik = await h.api.agent('erik');
    // Only a manager of the channel may change permissions in it.
    assert.equal((await setPermissions('erik', 'erik', 'support', ALL)).status, 403);
    assert.equal((await setPermissions('sofia', 'erik', 'support', ALL)).status, 403);
    assert.equal((await setPermissions('anna', 'nobody', 'support', PLAIN)).status, 404);
    assert.equal((await setPermissions('anna', 'erik', 'nowhere', PLAIN)).status, 403, 'not a manager of an unknown channel');
    assert.equal((await setPermissions('anna', 'erik', 'support', { respond: true })).status, 400);
    assert.equal((await h.api.request('POST', '/api/admin/permissions', { headers: { authorization: `Bearer ${c.chat.token}` }, json: {} })).status, 403);

    // Anna (manager of support) lets erik listen: his console learns it at once.
    let from = erik.mark();
    assert.equal((await setPermissions('anna', 'erik', 'support', { ...PLAIN, listen: true })).status, 200);
    const granted = await erik.waitFor(isMe, { from });
    assert.equal(granted.me.kind === 'agent' && granted.me.channels.find((ch) => ch.id === 'support')?.permissions.listen, true);
    await erik.ok({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' });
    await erik.waitFor(sessionResetOf(c.sessionId));
    await c.customer.sendOk(c.sessionId, 'before the revocation');
    await erik.waitFor(messageWith(c.sessionId, 'before the revocation'));

    // Revoked: `me` and `gone` arrive before anything else; nothing of the session follows.
    from = erik.mark();
    assert.equal((await setPermissions('anna', 'erik', 'support', PLAIN)).status, 200);
    const gone = await erik.waitFor(isGone, { from });
    assert.deepEqual(gone, { t: 'gone', stream: `session:${c.sessionId}`, reason: 'revoked' });
    const me = await erik.waitFor(isMe, { from });
    assert.equal(me.me.kind === 'agent' && me.me.channels.find((ch) => ch.id === 'support')?.permissions.listen, false);
    await c.customer.sendOk(c.sessionId, 'after the revocation');
    await c.agent.sendOk(c.sessionId, 'agent after the revocation');
    await c.agent.waitFor(messageWith(c.sessionId, 'after the revocation'));
    await erik.sync();
    assert.equal(erik.all(sessionEventOf(c.sessionId), from).length, 0, 'no event after the revocation');
    refused(await erik.command({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' }), 'forbidden');
    refused(await erik.command({ t: 'history', sessionId: c.sessionId, limit: 10 }), 'forbidden');
    const rows = (await audit('anna', `?sessionId=${c.sessionId}`)).entries;
    assert.deepEqual(
      rows.map((r) => [r.agentId, r.endReason]),
      [['erik', 'revoked']],
    );
    // The agent and the customer saw none of this.
    assert.equal(c.customer.all(isMe).length + c.agent.all(isMe).length + c.agent.all(isGone).length, 0);
  });

  test('leaving or joining a channel replaces the board at once', async () => {
    const support = await openActiveChat(h.api, { agentId: 'sofia', channel: 'support' });
    const lars = await h.api.agent('lars');
    const sales = await h.api.startChat('sales', 'Sally');
    await lars.waitFor((f): f is ServerFrame => isBoardEvent(f) && f.kind === 'session' && f.data.id === sales.sessionId);
    let from = lars.mark();
    assert.equal((await setPermissions('anna', 'lars', 'sales', NONE)).status, 200);
    let reset = await lars.waitFor(isBoardReset, { from });
    assert.deepEqual(reset.snapshot.sessions.map((s) => s.id), [], 'no sales chat any more');
    const me = (await lars.waitFor(isMe, { from })).me;
    assert.ok(me.kind === 'agent');
    assert.deepEqual(me.channels, [], 'he is in no channel now');
    from = lars.mark();
    assert.equal((await setPermissions('anna', 'lars', 'support', PLAIN)).status, 200);
    reset = await lars.waitFor(isBoardReset, { from });
    assert.deepEqual(reset.snapshot.sessions.map((s) => s.id), [support.sessionId]);
    // He may answer in support now, and the board follows new events there.
    const next = await h.api.startChat('support', 'Nils');
    await lars.waitFor((f): f is ServerFrame => isBoardEvent(f) && f.kind === 'session' && f.data.id === next.sessionId, { from });
    await lars.ok({ t: 'accept', sessionId: next.sessionId });
  });

  test('the client drops its copy when the server revokes the listen', async () => {
    const c = await openActiveChat(h.api, { agentId: 'sofia', channel: 'support' });
    assert.equal((await setPermissions('anna', 'erik', 'support', { ...PLAIN, listen: true })).status, 200);
    const origin = h.api.origin;
    class OriginSocket extends WsSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { origin });
      }
    }
    const token = await h.api.token('erik');
    const client: ChatClient = createChatClient({
      url: h.api.baseUrl,
      tenant: 'demo',
      getToken: () => h.api.ticket(token),
      WebSocket: OriginSocket,
      storage: memoryOutboxStorage(),
      autoConnect: false,
      socket: { minReconnectDelayMs: 50, maxReconnectDelayMs: 300 },
    });
    try {
      client.connect();
      await until(() => client.$connection.get().status === 'live', 'client live');
      assert.equal(client.$agentMe.get()?.channels.find((ch) => ch.id === 'support')?.permissions.listen, true);
      client.openSession(c.sessionId, 'listen');
      await until(() => client.$messages.get()[c.sessionId]?.ready === true, 'listening');
      await c.customer.sendOk(c.sessionId, 'seen by the listener');
      await until(() => client.$messages.get()[c.sessionId]?.items.some((m) => m.text === 'seen by the listener') === true, 'live message');

      assert.equal((await setPermissions('anna', 'erik', 'support', PLAIN)).status, 200);
      await until(() => client.$messages.get()[c.sessionId] === undefined, 'the copy is dropped');
      await until(() => client.$agentMe.get()?.channels.find((ch) => ch.id === 'support')?.permissions.listen === false, 'permissions updated');
      await c.customer.sendOk(c.sessionId, 'not for the former listener');
      await c.agent.waitFor(messageWith(c.sessionId, 'not for the former listener'));
      // A round trip on the former listener's socket: the answer comes after anything the server
      // sent it before, so a leaked message would have arrived by now.
      await client.searchSessions('round trip');
      assert.equal(client.$messages.get()[c.sessionId], undefined, 'nothing arrives afterwards');
      assert.equal(client.$connection.get().status, 'live');
      assert.equal(client.stats.invalidFrames, 0);
    } finally {
      client.destroy();
    }
  });
});
