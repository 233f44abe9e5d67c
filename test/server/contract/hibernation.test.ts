/**
 * The tenant object's hibernation under `wrangler dev` (server/cloudflare/tenant.ts,
 * alarm-clock.ts; docs/scaling.md § 3). workerd evicts a Durable Object that had nothing to do
 * for about ten seconds, also while hibernatable sockets are open to it; nothing here fakes that.
 *
 * - An idle tenant object leaves memory while its agents' and customer's sockets stay open (its
 *   instance id, `life`, changes; its sockets stay counted). Woken, it takes every socket back
 *   from its attachment: no socket reconnects or gets a new `welcome`, every board event's `prev`
 *   follows the one before it, subscriptions deliver, and a tab's identity (its `_pk`) is known
 *   to the new instance (the same tab connecting again supersedes its old socket).
 * - The clients' heartbeat does not wake an object: every socket, on the tenant's object and on
 *   a chat's own object, sends the client's fixed `ping` every 2 s while they are idle and gets
 *   the fixed `pong` from the runtime (`setWebSocketAutoResponse`), and both objects still leave
 *   memory (were a ping an event, neither would ever be idle for ten seconds).
 * - A pending transfer's expiry is a timer of the object: it is the object's alarm, so it fires
 *   after the object left memory, and after `wrangler dev` was killed and started again on the
 *   same folder with nobody connected. A chat object's hello deadline is its alarm too.
 *
 * Read over the operator's routes `GET /cloudflare/outbox/<tenant>` (`life`, `sockets`, `timers`)
 * and `GET /cloudflare/conversations/<tenant>/<session>` (a chat object's `life`).
 */
import assert from 'node:assert/strict';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { CLOSE } from '../../../src/protocol/limits.js';
import { HEARTBEAT_PING } from '../../../src/protocol/heartbeat.js';
import type { Wrangler } from '../../../bench/load/wrangler.js';
import { startWrangler, stopWrangler } from '../../../bench/load/wrangler.js';
import type { ServerFrame, SessionEvent } from '../helpers.js';
import { Api, assertBoardChain, closeAllClients, freePort, isWelcome, newCmid, openActiveChat, readUntil, sessionEventOf, tempDir, TestClient } from '../helpers.js';
import { newOperatorKey } from './hosts.js';

interface ObjectState {
  pending: number;
  life: string;
  sockets: number;
  timers: number;
}

interface Copy {
  life: string;
  messages: { id: string; event: string | null }[];
  reportsPending: number;
}

let dir: string;
let port: number;
let w: Wrangler | undefined;
let api: Api;
const operatorKey = newOperatorKey();
const auth = () => ({ headers: { authorization: `Bearer ${operatorKey}` } });

async function start(): Promise<void> {
  const vars = { DEMO: '1', ATTACHMENT_ORIGIN: `http://localhost:${String(port)}`, CHAT_OPERATOR_KEY: operatorKey };
  w = await startWrangler({ port, persistTo: join(dir, 'state'), assets: join(dir, 'assets'), vars });
  api = new Api(`http://127.0.0.1:${String(port)}`);
}

before(async () => {
  dir = await tempDir('hibernation-cf-');
  await mkdir(join(dir, 'assets'), { recursive: true });
  port = await freePort();
  await start();
});

after(async () => {
  await closeAllClients();
  if (w) await stopWrangler(w, 'SIGTERM');
  await rm(dir, { recursive: true, force: true });
});

/** The tenant object's instance, sockets and pending timers (a read is an event: it wakes the object). */
async function objectState(): Promise<ObjectState> {
  const r = await api.request('GET', '/cloudflare/outbox/demo', auth());
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body as ObjectState;
}

/** The chat's own object: its messages and its reports not yet acknowledged by the tenant object. */
async function copyOf(sessionId: string): Promise<Copy> {
  const r = await api.request('GET', `/cloudflare/conversations/demo/${sessionId}`, auth());
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body as Copy;
}

/**
 * Lets `ms` pass with nothing sent to the objects but the clients' heartbeat: each socket sends
 * the client's fixed `ping` every 2 s and must get the fixed `pong` back (from the runtime, not
 * the object). A fixed wait, on purpose: it is the time workerd needs to evict an idle object
 * (about ten seconds after its last event, plus an alarm of a timer cleared since that may wake
 * it once), and there is no signal of the eviction to wait for instead: workerd logs nothing
 * when it evicts an object (no such message in its binary, 1.20260426), and any read of the
 * object (a request, an RPC, a frame) is an event that builds it again. So the test lets the
 * time pass, then reads the instance id (`life`) once.
 */
async function heartbeats(ms: number, clients: readonly TestClient[]): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    await Promise.all(
      clients.map(async (client) => {
        const from = client.mark();
        client.sendRaw(HEARTBEAT_PING);
        await client.waitFor((f): f is ServerFrame => f.t === 'pong' && f.n === 0, { from, label: `${client.label}: the heartbeat's pong` });
      }),
    );
    await new Promise((r) => setTimeout(r, Math.min(2000, Math.max(0, end - Date.now()))));
  }
}

/** A socket to a chat's own object (`/parties/conversation/demo/<session>`) with a ticket of its own; greeted unless `hello` is false. */
async function chatSocket(sessionId: string, token: string, label: string, hello = true): Promise<TestClient> {
  const ticket = await api.ticket(token);
  const client = await TestClient.open(`ws://127.0.0.1:${String(port)}/parties/conversation/demo/${sessionId}?_pk=${newCmid('tab')}&token=${ticket}`, { origin: api.origin, label });
  if (hello) await client.hello();
  return client;
}

async function transferTimeout(seconds: number): Promise<void> {
  const r = await api.request('PATCH', '/api/provisioning/tenants/demo', { ...auth(), json: { settings: { transferTimeoutSeconds: seconds } } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

const transferExpired =
  (sessionId: string) =>
  (f: ServerFrame): f is SessionEvent =>
    sessionEventOf(sessionId)(f) && f.data.event === 'transfer-expired';

test("an idle tenant object leaves memory with its sockets open, its clients' heartbeat answered without waking it; woken, it takes them back as they were, and its pending transfer expires by its alarm", async () => {
  await transferTimeout(45);
  const anna = await api.agent('anna', { clientId: 'anna-tab-hibernation' });
  const c = await openActiveChat(api, { agentId: 'erik' });
  await c.agent.ok({ t: 'transfer', sessionId: c.sessionId, to: { agentId: 'anna' } });
  const offeredAt = Date.now();
  await readUntil(objectState, (s) => s.pending === 0, 'outbox drained');
  await Promise.all([anna.sync(), c.agent.sync(), c.customer.sync()]);
  const awake = await objectState();
  assert.equal(awake.sockets, 3, 'Erik, Anna and the customer');
  // The customer on the chat's own object too: its heartbeat must not keep that object in memory.
  const own = await chatSocket(c.sessionId, c.chat.token, 'customer on the chat object');
  const chatAwake = await copyOf(c.sessionId);
  const clients = [c.agent, anna, c.customer];
  const marks = clients.map((client) => client.mark());

  // 25 s of heartbeats only: the object leaves memory (after ten idle seconds; an alarm set for a
  // timer cleared since, a hello deadline, may wake it once before), its sockets do not close.
  await heartbeats(25_000, [...clients, own]);
  const woken = await objectState();
  assert.notEqual(woken.life, awake.life, 'the object left memory and was started again, though its sockets pinged every 2 s');
  assert.equal(woken.sockets, 3, 'its sockets stayed open');
  assert.notEqual((await copyOf(c.sessionId)).life, chatAwake.life, "the chat's object left memory too, though its socket pinged every 2 s");
  assert.equal(own.closeInfo, undefined, "the socket on the chat's object stayed open");

  // The transfer's expiry was the object's alarm: it fires in whatever instance is there then.
  const expired = await c.agent.waitFor(transferExpired(c.sessionId), { from: marks[0], timeoutMs: 60_000 });
  assert.ok(Date.now() - offeredAt >= 44_000, 'not before its time');
  assert.equal(expired.data.event, 'transfer-expired');

  // The subscriptions were taken back: the customer's next message reaches Erik once.
  const sent = await c.customer.sendOk(c.sessionId, 'after the object woke');
  await c.agent.waitFor((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && f.data.id === sent.msgId);
  await Promise.all(clients.map((client) => client.sync()));
  assert.equal(c.agent.all((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && f.data.id === sent.msgId).length, 1, 'once');

  // No socket was closed or greeted again; the board chains go on without a gap.
  clients.forEach((client, i) => {
    assert.equal(client.closeInfo, undefined, `${client.label} stayed connected`);
    assert.equal(client.all(isWelcome, marks[i]).length, 0, `${client.label} got no new welcome`);
  });
  assertBoardChain(c.agent);
  assertBoardChain(anna);

  // Idle again, then the same tab connects again: the new instance knows the old socket's tab id.
  // Meanwhile a socket on the chat's object that never says hello: its deadline is that object's
  // alarm, and it closes the socket.
  const mute = await chatSocket(c.sessionId, c.chat.token, 'no hello on the chat object', false);
  await heartbeats(25_000, [...clients, own]);
  const again = await objectState();
  assert.notEqual(again.life, woken.life, 'evicted again');
  // Its error frame comes at once; the close handshake through wrangler dev's proxy can lag behind
  // an eviction, and the client ends it itself after ws's 30 s close timeout at the latest.
  assert.equal((await mute.waitClose(40_000)).code, CLOSE.HELLO_TIMEOUT, 'the hello deadline closed the silent socket');
  const annaAgain = await api.agent('anna', { clientId: 'anna-tab-hibernation' });
  assert.equal((await anna.waitClose()).code, CLOSE.SUPERSEDED, 'the old socket of the same tab is superseded');
  await annaAgain.sync();
  await closeAllClients();
});

test('a pending transfer expires by its alarm after wrangler dev was killed and started again on the same folder, with nobody connected', async () => {
  await transferTimeout(10);
  await api.agent('anna');
  const c = await openActiveChat(api, { agentId: 'erik' });
  await c.agent.ok({ t: 'transfer', sessionId: c.sessionId, to: { agentId: 'anna' } });
  await readUntil(objectState, (s) => s.pending === 0, 'outbox drained');
  // Nothing waits for the tenant object in the chat's object either (its reports would wake it).
  await readUntil(() => copyOf(c.sessionId), (x) => x.reportsPending === 0, 'reports drained');
  await closeAllClients();
  if (w) await stopWrangler(w, 'SIGKILL');
  await start();
  // Nobody connects and nothing asks the tenant object: only its alarm can wake it. The expiry is
  // numbered in the chat's object (read there: that read does not touch the tenant object).
  const copy = await readUntil(
    () => copyOf(c.sessionId),
    (x) => x.messages.some((m) => m.event === 'transfer-expired'),
    'transfer-expired numbered',
    40_000,
  );
  assert.equal(copy.messages.filter((m) => m.event === 'transfer-expired').length, 1, 'once');
});
