/**
 * Issue 13 item 3, the room's side: disabling an agent or removing a permission through the
 * provisioning API takes effect at once, over real sockets: the agent's sockets close (4401),
 * outstanding tickets are refused, the chats they handled go back to their queue (the customer
 * is told their place; the board of every agent of the channel shows it queued), transfers to and
 * from them are cancelled, history they may no longer read is refused, and the other agents'
 * consoles learn the change of membership (`agents` frames). The rule: docs/provisioning.md § 9.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';

import type { AgentView } from '../../server/core/provisioning/index.js';
import { CLOSE } from '../../src/protocol/limits.js';
import type { BoardEvent, Harness, ServerFrame, SessionEvent, StartedChat, TestClient } from './helpers.js';
import { agentRecord, isBoardEvent, isBoardReset, isError, isQueue, ROOT, serverArgs, sessionEventOf, startServer, tempDir } from './helpers.js';

let h: Harness;
let operatorKey: string;

before(async () => {
  h = await startServer();
  operatorKey = (await h.server.provisioning.keys.create({ tenantId: null, name: 'operator', createdBy: 'test' })).key;
});
after(async () => {
  await h.close();
});

async function ok<T>(key: string, method: string, path: string, json?: unknown, status = 200): Promise<T> {
  const r = await h.api.request(method, `/api/provisioning${path}`, { headers: { authorization: `Bearer ${key}` }, ...(json !== undefined ? { json } : {}) });
  assert.equal(r.status, status, `${method} ${path}: ${JSON.stringify(r.body)}`);
  return r.body as T;
}

/** A tenant with the channels support and sales and a tenant key; returns the key. */
async function newTenant(id: string): Promise<string> {
  await ok(operatorKey, 'POST', '/tenants', { id, name: `Tenant ${id}`, timeZone: 'Europe/Oslo' }, 201);
  const { key } = await ok<{ key: string }>(operatorKey, 'POST', `/tenants/${id}/api-keys`, { name: 'CRM sync' }, 201);
  await ok(key, 'PUT', `/tenants/${id}/channels/support`, { name: 'Support', welcomeMessage: 'Hello from support' }, 201);
  await ok(key, 'PUT', `/tenants/${id}/channels/sales`, { name: 'Sales' }, 201);
  return key;
}

async function agent(key: string, tenant: string, externalId: string, name: string, channels: Record<string, object>): Promise<AgentView> {
  return (await ok<{ agent: AgentView }>(key, 'PUT', `/tenants/${tenant}/agents/${externalId}`, { name, channels }, 201)).agent;
}

/** A chat of `channel` answered by `console`; returns the chat and the customer's widget. */
async function answered(tenant: string, channel: string, name: string, console: TestClient): Promise<{ chat: StartedChat; widget: TestClient }> {
  const chat = await h.api.startChat(channel, name, { tenant });
  const widget = await h.api.customer(chat, { tenant });
  await console.ok({ t: 'accept', sessionId: chat.sessionId });
  return { chat, widget };
}

const boardOf =
  (sessionId: string, cond: (e: Extract<BoardEvent, { kind: 'session' }>) => boolean) =>
  (f: ServerFrame): f is Extract<BoardEvent, { kind: 'session' }> =>
    isBoardEvent(f) && f.kind === 'session' && f.data.id === sessionId && cond(f);

const systemEvent =
  (sessionId: string, event: string) =>
  (f: ServerFrame): f is SessionEvent =>
    sessionEventOf(sessionId)(f) && f.data.kind === 'event' && f.data.event === event;

/** The system events of a session, as an agent reads them (`history`). */
async function events(client: TestClient, sessionId: string): Promise<{ event?: string; meta?: { reason?: string; fromAgentId?: string; toAgentId?: string } }[]> {
  const page = (await client.ok({ t: 'history', sessionId, afterSeq: 0, limit: 100 })) as { messages: { kind: string; event?: string; meta?: { reason?: string; fromAgentId?: string; toAgentId?: string } }[] };
  return page.messages.filter((m) => m.kind === 'event');
}

describe('disabling an agent (real sockets)', () => {
  test('sockets closed 4401, ticket refused; handled chats back to the queue, transfers to and from them cancelled; others see it at once', async () => {
    const key = await newTenant('off');
    const leaver = await agent(key, 'off', 'leaver', 'Lea Leaver', { support: {} });
    const stayer = await agent(key, 'off', 'stayer', 'Stig Stayer', { support: { manager: true } });
    const lea = await h.api.agent(leaver.id, { tenant: 'off' });
    const stig = await h.api.agent(stayer.id, { tenant: 'off' });
    const spareTicket = await h.api.ticket(await h.api.login(leaver.id, 'off'));

    // Lea handles A and B and has offered B to Stig; Stig handles C and has offered it to Lea.
    const a = await answered('off', 'support', 'Anna A', lea);
    const b = await answered('off', 'support', 'Bo B', lea);
    const c = await answered('off', 'support', 'Cia C', stig);
    await lea.ok({ t: 'transfer', sessionId: b.chat.sessionId, to: { agentId: stayer.id } });
    await stig.ok({ t: 'transfer', sessionId: c.chat.sessionId, to: { agentId: leaver.id } });

    const from = stig.mark();
    const fromA = a.widget.mark();
    await ok(key, 'POST', '/tenants/off/agents/leaver/disable');

    // Cut off: the socket closes with a reason; an outstanding ticket is refused.
    assert.equal((await lea.waitClose()).code, CLOSE.UNAUTHENTICATED);
    const why = lea.all(isError).at(-1);
    assert.equal(why?.code, 'unauthenticated');
    assert.match(why.message, /disabled/, 'the reason says so');
    const late = await h.api.open('off', spareTicket);
    assert.equal((await late.waitClose()).code, CLOSE.UNAUTHENTICATED, 'an outstanding ticket is refused');

    // A and B wait in the Support queue again (Stig's board), B's offer is gone with it.
    for (const chat of [a.chat, b.chat]) {
      const queued = await stig.waitFor(
        boardOf(chat.sessionId, (e) => e.data.status === 'queued' && e.data.agentId === undefined && e.data.transfer === undefined),
        { from, label: `${chat.sessionId} queued on the board` },
      );
      assert.equal(queued.data.channelId, 'support');
    }
    // C stays Stig's, without the offer to Lea; the event says why.
    await stig.waitFor(
      boardOf(c.chat.sessionId, (e) => e.data.status === 'active' && e.data.agentId === stayer.id && e.data.transfer === undefined),
      { from, label: 'C without its offer' },
    );
    await c.widget.sync();
    assert.equal(c.widget.all(systemEvent(c.chat.sessionId, 'transfer-cancelled')).length, 0, 'transfer events are agent-only');
    const cHistory = await events(stig, c.chat.sessionId);
    const cancelled = cHistory.find((m) => m.event === 'transfer-cancelled');
    assert.equal(cancelled?.meta?.reason, 'agent-unavailable', 'the agent-only event says why');
    assert.equal(cancelled.meta.toAgentId, leaver.id);

    // The customer of A learns that they wait again, and their place.
    const requeued = await a.widget.waitFor(systemEvent(a.chat.sessionId, 'queued'), { from: fromA, label: 'A: queued again' });
    assert.equal(requeued.data.kind === 'event' ? requeued.data.text : '', 'Hello from support');
    const place = await a.widget.waitFor(isQueue, { from: fromA, label: 'A: place in the queue' });
    assert.ok(place.position >= 1);

    // Every console's roster: Lea offline and in no channel.
    await stig.waitFor(
      agentRecord(leaver.id, (r) => !r.online && r.channelIds.length === 0),
      { from, label: 'Lea gone from the roster' },
    );

    // Stig (a manager) can answer A again; the history says what happened.
    await stig.ok({ t: 'accept', sessionId: a.chat.sessionId });
    const back = (await events(stig, a.chat.sessionId)).find((m) => m.event === 'requeued');
    assert.equal(back?.meta?.reason, 'agent-unavailable');
    assert.equal(back.meta.fromAgentId, leaver.id);
  });
});

describe('removing a permission (real sockets)', () => {
  test('chats of that channel go back to the queue, offers cancelled, its history refused; other consoles learn the membership at once', async () => {
    const key = await newTenant('perm');
    const mover = await agent(key, 'perm', 'mover', 'Mo Mover', { support: { manager: true }, sales: {} });
    const colleague = await agent(key, 'perm', 'colleague', 'Cal Colleague', { support: { manager: true }, sales: {} });
    const mo = await h.api.agent(mover.id, { tenant: 'perm' });
    const cal = await h.api.agent(colleague.id, { tenant: 'perm' });

    const mine = await answered('perm', 'support', 'Sam Support', mo);
    const sales = await answered('perm', 'sales', 'Sid Sales', mo);
    const theirs = await answered('perm', 'support', 'Tove Theirs', cal);
    await cal.ok({ t: 'transfer', sessionId: theirs.chat.sessionId, to: { agentId: mover.id } });
    // Before: Mo (a manager of Support) reads a chat Cal handles.
    await mo.ok({ t: 'history', sessionId: theirs.chat.sessionId, afterSeq: 0, limit: 10 });

    const from = cal.mark();
    const fromMo = mo.mark();
    await ok(key, 'DELETE', '/tenants/perm/agents/mover/channels/support');

    // Mo's Support chat waits again; the Sales chat stays Mo's; the offer to Mo is cancelled.
    await cal.waitFor(boardOf(mine.chat.sessionId, (e) => e.data.status === 'queued' && e.data.agentId === undefined), { from, label: 'Support chat queued' });
    await cal.waitFor(boardOf(theirs.chat.sessionId, (e) => e.data.agentId === colleague.id && e.data.transfer === undefined), { from, label: 'offer to Mo cancelled' });
    await mo.sync();
    assert.equal((await mo.command({ t: 'history', sessionId: sales.chat.sessionId, afterSeq: 0, limit: 10 })).t, 'ok', 'Sales is still Mo’s');
    // Cal's console learns Mo's membership at once.
    await cal.waitFor(
      agentRecord(mover.id, (r) => r.online && r.channelIds.join() === 'sales'),
      { from, label: 'Mo only in Sales on Cal’s roster' },
    );
    // Mo's own console: the new permissions and a board without Support.
    await mo.waitFor((f): f is ServerFrame => f.t === 'me' && f.me.kind === 'agent' && f.me.channels.every((ch) => ch.id !== 'support'), { from: fromMo, label: 'me without Support' });

    // History of Support that Mo may no longer read is refused (a chat Cal handles, a queued one).
    const refused = await mo.command({ t: 'history', sessionId: theirs.chat.sessionId, afterSeq: 0, limit: 10 });
    assert.equal(refused.t === 'nack' ? refused.code : refused.t, 'forbidden');
    const queuedChat = await h.api.startChat('support', 'Quentin Queued', { tenant: 'perm' });
    const refusedQueued = await mo.command({ t: 'history', sessionId: queuedChat.sessionId, afterSeq: 0, limit: 10 });
    assert.equal(refusedQueued.t === 'nack' ? refusedQueued.code : refusedQueued.t, 'forbidden');
    const answer = await mo.command({ t: 'accept', sessionId: mine.chat.sessionId });
    assert.equal(answer.t === 'nack' ? answer.code : answer.t, 'forbidden', 'cannot answer in Support any more');
  });

  test('an agent who is offline: their chats of the channel go back to the queue too, and the consoles online learn it', async () => {
    const key = await newTenant('away');
    const absent = await agent(key, 'away', 'absent', 'Ada Absent', { support: {} });
    const present = await agent(key, 'away', 'present', 'Per Present', { support: { manager: true } });
    const ada = await h.api.agent(absent.id, { tenant: 'away' });
    const per = await h.api.agent(present.id, { tenant: 'away' });
    const chat = await answered('away', 'support', 'Olle Open', ada);
    await ada.close();
    const from = per.mark();
    await per.waitFor(agentRecord(absent.id, (r) => !r.online), { label: 'Ada offline' });

    await ok(key, 'PUT', '/tenants/away/agents/absent/channels/support', { respond: false, notifications: true });
    await per.waitFor(boardOf(chat.chat.sessionId, (e) => e.data.status === 'queued'), { from, label: 'the chat queued again' });
    await per.waitFor(
      agentRecord(absent.id, (r) => r.channelIds.join() === 'support'),
      { from, label: 'Ada’s record after the change' },
    );
    // Per answers it now.
    await per.ok({ t: 'accept', sessionId: chat.chat.sessionId });
  });
});

describe('a change the room did not see (the CLI, server stopped)', () => {
  test('the room applies the rule when it starts: the chats of an agent disabled meanwhile wait in the queue again', async () => {
    const dataDir = await tempDir();
    try {
      const first = await startServer({ dataDir, keepData: true });
      let chatId: string;
      let colleagueId: string;
      try {
        const operator = (await first.server.provisioning.keys.create({ tenantId: null, name: 'operator', createdBy: 'test' })).key;
        const request = async <T>(key: string, method: string, path: string, json: unknown, status: number): Promise<T> => {
          const r = await first.api.request(method, `/api/provisioning${path}`, { headers: { authorization: `Bearer ${key}` }, json });
          assert.equal(r.status, status, `${method} ${path}: ${JSON.stringify(r.body)}`);
          return r.body as T;
        };
        await request(operator, 'POST', '/tenants', { id: 'boot', name: 'Boot', timeZone: 'Europe/Oslo' }, 201);
        const { key } = await request<{ key: string }>(operator, 'POST', '/tenants/boot/api-keys', { name: 'CRM' }, 201);
        await request(key, 'PUT', '/tenants/boot/channels/support', { name: 'Support' }, 201);
        const leaver = (await request<{ agent: AgentView }>(key, 'PUT', '/tenants/boot/agents/leaver', { name: 'Lea Leaver', channels: { support: {} } }, 201)).agent;
        colleagueId = (await request<{ agent: AgentView }>(key, 'PUT', '/tenants/boot/agents/stayer', { name: 'Stig Stayer', channels: { support: {} } }, 201)).agent.id;
        const chat = await first.api.startChat('support', 'Rita Restart', { tenant: 'boot' });
        chatId = chat.sessionId;
        const lea = await first.api.agent(leaver.id, { tenant: 'boot' });
        await lea.ok({ t: 'accept', sessionId: chatId });
      } finally {
        await first.close();
      }
      const cli = await new Promise<{ code: number; stderr: string }>((resolve) => {
        const env = { ...process.env };
        delete env.NODE_TEST_CONTEXT;
        delete env.NODE_OPTIONS;
        execFile(process.execPath, serverArgs(['admin', 'agent', 'disable', 'leaver', '--tenant', 'boot', '--data', dataDir]), { cwd: ROOT, env }, (error, _stdout, stderr) => {
          resolve({ code: error ? 1 : 0, stderr });
        });
      });
      assert.equal(cli.code, 0, cli.stderr);

      const second = await startServer({ dataDir });
      try {
        const stig = await second.api.agent(colleagueId, { tenant: 'boot' });
        const board = await stig.waitFor(isBoardReset, { label: 'board snapshot' });
        const row = board.snapshot.sessions.find((s) => s.id === chatId);
        assert.equal(row?.status, 'queued', 'back in the queue');
        assert.equal(row.agentId, undefined);
        assert.equal((await stig.command({ t: 'accept', sessionId: chatId })).t, 'ok', 'and can be answered');
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
