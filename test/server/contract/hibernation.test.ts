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
 * - A pending transfer's expiry is a timer of the object: it is the object's alarm, so it fires
 *   after the object left memory, and after `wrangler dev` was killed and started again on the
 *   same folder with nobody connected.
 *
 * Read over the operator's route `GET /cloudflare/outbox/<tenant>` (`life`, `sockets`, `timers`).
 */
import assert from 'node:assert/strict';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { CLOSE } from '../../../src/protocol/limits.js';
import type { Wrangler } from '../../../bench/load/wrangler.js';
import { startWrangler, stopWrangler } from '../../../bench/load/wrangler.js';
import type { ServerFrame, SessionEvent } from '../helpers.js';
import { Api, assertBoardChain, closeAllClients, freePort, isWelcome, openActiveChat, sessionEventOf, tempDir } from '../helpers.js';
import { newOperatorKey } from './hosts.js';

interface ObjectState {
  pending: number;
  life: string;
  sockets: number;
  timers: number;
}

interface Copy {
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

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${String(ms)} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Nothing is sent to the server for `ms` (workerd evicts an object idle for about 10 s). */
const idle = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function transferTimeout(seconds: number): Promise<void> {
  const r = await api.request('PATCH', '/api/provisioning/tenants/demo', { ...auth(), json: { settings: { transferTimeoutSeconds: seconds } } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

const transferExpired =
  (sessionId: string) =>
  (f: ServerFrame): f is SessionEvent =>
    sessionEventOf(sessionId)(f) && f.data.event === 'transfer-expired';

test('an idle tenant object leaves memory with its sockets open; woken, it takes them back as they were, and its pending transfer expires by its alarm', async () => {
  await transferTimeout(45);
  const anna = await api.agent('anna', { clientId: 'anna-tab-hibernation' });
  const c = await openActiveChat(api, { agentId: 'erik' });
  await c.agent.ok({ t: 'transfer', sessionId: c.sessionId, to: { agentId: 'anna' } });
  const offeredAt = Date.now();
  await until(objectState, (s) => s.pending === 0, 'outbox drained');
  await Promise.all([anna.sync(), c.agent.sync(), c.customer.sync()]);
  const awake = await objectState();
  assert.equal(awake.sockets, 3, 'Erik, Anna and the customer');
  const clients = [c.agent, anna, c.customer];
  const marks = clients.map((client) => client.mark());

  // Nothing for 25 s: the object leaves memory (after ten idle seconds; an alarm set for a timer
  // cleared since, a hello deadline, may wake it once before), its sockets do not close.
  await idle(25_000);
  const woken = await objectState();
  assert.notEqual(woken.life, awake.life, 'the object left memory and was started again');
  assert.equal(woken.sockets, 3, 'its sockets stayed open');

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
  await idle(25_000);
  const again = await objectState();
  assert.notEqual(again.life, woken.life, 'evicted again');
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
  await until(objectState, (s) => s.pending === 0, 'outbox drained');
  // Nothing waits for the tenant object in the chat's object either (its reports would wake it).
  await until(() => copyOf(c.sessionId), (x) => x.reportsPending === 0, 'reports drained');
  await closeAllClients();
  if (w) await stopWrangler(w, 'SIGKILL');
  await start();
  // Nobody connects and nothing asks the tenant object: only its alarm can wake it. The expiry is
  // numbered in the chat's object (read there: that read does not touch the tenant object).
  const copy = await until(
    () => copyOf(c.sessionId),
    (x) => x.messages.some((m) => m.event === 'transfer-expired'),
    'transfer-expired numbered',
    40_000,
  );
  assert.equal(copy.messages.filter((m) => m.event === 'transfer-expired').length, 1, 'once');
});
