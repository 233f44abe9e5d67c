/**
 * The Cloudflare host's conversation objects (server/cloudflare/conversation.ts, outbox.ts,
 * reports.ts) under `wrangler dev`: each chat's own Durable Object numbers its stream, and the
 * tenant's object (the directory) keeps a copy fed by the objects' reports. Every message reaches
 * the directory's copy exactly once, in seq order, also when a report is not sent before a crash
 * (`CONVERSATION_REPORTS=hold`, then SIGKILL) or is sent but not forgotten (`keep`, then
 * SIGKILL): restarted on the same folder, the object's alarm reports what is missing and the
 * directory ignores what it already has. The directory's own calls (lifecycle events) sent again and again
 * (`CONVERSATION_OUTBOX=keep`) are numbered once.
 *
 * Read over the operator's routes of this host (`/cloudflare/conversations/…`, `/cloudflare/outbox/…`).
 */
import assert from 'node:assert/strict';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import type { Wrangler } from '../../../bench/load/wrangler.js';
import { startWrangler, stopWrangler } from '../../../bench/load/wrangler.js';
import type { AckFrame, ServerFrame, SessionEvent } from '../helpers.js';
import { Api, closeAllClients, freePort, isNack, newCmid, openActiveChat, readUntil, sessionEventOf, sessionResetOf, tempDir, TestClient } from '../helpers.js';
import { newOperatorKey } from './hosts.js';

interface Copy {
  session: { id: string; head_seq: number; status: string } | null;
  messages: { seq: number; id: string; text: string; session_id: string; event: string | null }[];
  reportsPending: number;
}

let dir: string;
let port: number;
const operatorKey = newOperatorKey();
let w: Wrangler | undefined;
let api: Api;

type Mode = 'deliver' | 'hold' | 'keep';

async function start(modes: { outbox?: Mode; reports?: Mode } = {}): Promise<void> {
  const vars = {
    DEMO: '1',
    ATTACHMENT_ORIGIN: `http://localhost:${String(port)}`,
    CHAT_OPERATOR_KEY: operatorKey,
    CONVERSATION_OUTBOX: modes.outbox ?? 'deliver',
    CONVERSATION_REPORTS: modes.reports ?? 'deliver',
    CHAT_TEST_EVICT: '1',
  };
  w = await startWrangler({ port, persistTo: join(dir, 'state'), assets: join(dir, 'assets'), vars });
  api = new Api(`http://127.0.0.1:${String(port)}`);
}

async function crash(): Promise<void> {
  await closeAllClients();
  if (w) await stopWrangler(w, 'SIGKILL');
  w = undefined;
}

const auth = () => ({ headers: { authorization: `Bearer ${operatorKey}` } });

/** The chat's own object (a read is an event there: it also sends what waits for the directory). */
async function copyOf(sessionId: string): Promise<Copy> {
  const r = await api.request('GET', `/cloudflare/conversations/demo/${sessionId}`, auth());
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body as Copy;
}

/** The directory's copy of a chat: its message ids in seq order. */
async function directoryOf(sessionId: string): Promise<string[]> {
  const r = await api.request('GET', '/cloudflare/conversations/demo', auth());
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return (r.body as { sessions: { id: string; messages: string[] }[] }).sessions.find((s) => s.id === sessionId)?.messages ?? [];
}

async function pending(): Promise<number> {
  const r = await api.request('GET', '/cloudflare/outbox/demo', auth());
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return (r.body as { pending: number }).pending;
}

/** A customer's chat in the demo tenant with `n` acked messages, and the ids of its stream as the customer got it on the tenant's socket (snapshot, then events). */
async function chatWith(n: number, label: string): Promise<{ sessionId: string; acked: AckFrame[]; seen: string[] }> {
  const chat = await api.startChat('support', `Outbox ${label}`);
  const customer = await api.customer(chat);
  const reset = await customer.waitFor(sessionResetOf(chat.sessionId));
  const acked: AckFrame[] = [];
  for (let i = 0; i < n; i++) acked.push(await customer.sendOk(chat.sessionId, `${label} ${String(i)}`));
  await customer.sync();
  const seen = [...reset.snapshot.messages.map((m) => m.id), ...customer.all(sessionEventOf(chat.sessionId)).map((e) => e.data.id)];
  return { sessionId: chat.sessionId, acked, seen };
}

/** The chat's object holds exactly the acked messages, each once, numbered 1, 2, 3… in order, and the session's row. */
function assertExactlyOnce(copy: Copy, sessionId: string, acked: AckFrame[]): void {
  const ids = copy.messages.map((m) => m.id);
  assert.equal(new Set(ids).size, ids.length, 'no message twice');
  for (const a of acked) assert.equal(ids.filter((id) => id === a.msgId).length, 1, `acked ${a.msgId} once`);
  assert.deepEqual(
    copy.messages.map((m) => m.seq),
    ids.map((_, i) => i + 1),
    'numbered without a gap',
  );
  assert.ok(copy.messages.every((m) => m.session_id === sessionId), 'only this chat');
  assert.equal(copy.session?.id, sessionId);
  assert.equal(copy.session.head_seq, ids.length, 'the session row as of the last message');
}

before(async () => {
  dir = await tempDir('cf-outbox-');
  await mkdir(join(dir, 'assets'), { recursive: true });
  port = await freePort();
});

after(async () => {
  await crash();
  await rm(dir, { recursive: true, force: true });
});

test('conversation objects: each chat numbered in its own object, every message once in the directory\'s copy, across crashes on either side of a report', async () => {
  // Reported as it goes: three chats, three objects, the directory's copy the same stream.
  await start();
  const live = [await chatWith(4, 'a'), await chatWith(2, 'b'), await chatWith(3, 'c')];
  await readUntil(pending, (n) => n === 0, 'outbox drained');
  for (const c of live) {
    const copy = await copyOf(c.sessionId);
    assertExactlyOnce(copy, c.sessionId, c.acked);
    assert.equal(copy.reportsPending, 0);
    const ids = copy.messages.map((m) => m.id);
    assert.deepEqual(await directoryOf(c.sessionId), ids, "the directory's copy");
    // The same stream the customer was sent on the tenant's socket (no agent-only events in this chat).
    assert.deepEqual(c.seen, ids);
  }
  await crash();

  // The chat's object numbers and acknowledges, and dies before reporting: the directory has
  // the chat's start (its own call, numbered there) but none of the customer's messages.
  await start({ reports: 'hold' });
  const held = await chatWith(5, 'held');
  const numbered = await copyOf(held.sessionId);
  assertExactlyOnce(numbered, held.sessionId, held.acked);
  assert.ok(numbered.reportsPending > 0, 'reports wait in the object');
  assert.deepEqual(await directoryOf(held.sessionId), [], 'nothing reported');
  await crash();

  // It reports and dies before forgetting what it reported: the copy complete, the rows still there.
  await start({ reports: 'keep' });
  const ids = numbered.messages.map((m) => m.id);
  // Nothing touches the chat's object: its alarm (set while the reports waited) sends them.
  await readUntil(
    () => directoryOf(held.sessionId),
    (copy) => copy.length === ids.length,
    'reported after the restart, by the alarm',
  );
  assert.ok((await copyOf(held.sessionId)).reportsPending > 0, 'rows kept');
  await crash();

  // Restarted normally: the kept rows are reported again, applied as a no-op, and the outbox empties.
  await start();
  await readUntil(() => copyOf(held.sessionId), (copy) => copy.reportsPending === 0, 'reports drained after the second restart');
  assert.deepEqual(await directoryOf(held.sessionId), ids, 'each message once, in order');
  for (const c of live) assert.deepEqual(await directoryOf(c.sessionId), (await copyOf(c.sessionId)).messages.map((m) => m.id));
  await crash();

  // The directory's calls sent again on every flush (it never forgets them): each numbered once.
  await start({ outbox: 'keep' });
  const again = await openActiveChat(api, { agentId: 'erik' });
  const reply = await again.agent.sendOk(again.sessionId, 'numbered once');
  await again.agent.ok({ t: 'end', sessionId: again.sessionId });
  await again.customer.waitFor((f): f is SessionEvent => sessionEventOf(again.sessionId)(f) && f.data.event === 'ended');
  await readUntil(() => copyOf(again.sessionId), (copy) => copy.messages.some((m) => m.event === 'ended'), 'ended numbered');
  assert.ok((await pending()) > 0, 'the calls are kept');
  // A request of the tenant's API answers after a flush: every call is sent again.
  assert.equal((await api.request('GET', '/api/channels?tenant=demo')).status, 200);
  const copy = await copyOf(again.sessionId);
  assertExactlyOnce(copy, again.sessionId, [reply]);
  assert.deepEqual(
    copy.messages.map((m) => m.event ?? m.text),
    ['queued', 'joined', 'numbered once', 'ended'],
  );
  assert.deepEqual(await directoryOf(again.sessionId), copy.messages.map((m) => m.id));
  await crash();

  // The operator's routes want the operator key.
  await start();
  assert.equal((await api.request('GET', `/cloudflare/outbox/demo`)).status, 401);
});

const isGone = (f: ServerFrame): f is Extract<ServerFrame, { t: 'gone' }> => f.t === 'gone';

/** A socket to a chat's own object (`/parties/conversation/<tenant>/<session>`), with a ticket of its own, greeted. */
async function chatSocket(sessionId: string, token: string, label: string): Promise<TestClient> {
  const ticket = await api.ticket(token);
  const client = await TestClient.open(`ws://127.0.0.1:${String(port)}/parties/conversation/demo/${sessionId}?_pk=${newCmid('tab')}&token=${ticket}`, { origin: api.origin, label });
  await client.hello();
  return client;
}

test("a chat's own socket: the conversation object serves the live stream (core's hello, subscriptions, typing, access), every message once in seq order", async () => {
  if (!w) await start();
  const c = await openActiveChat(api, { agentId: 'erik' });
  await readUntil(pending, (n) => n === 0, 'outbox drained');

  // The customer's own stream, from the chat's object; one ticket per socket.
  const customer = await chatSocket(c.sessionId, c.chat.token, 'customer on the chat object');
  assert.equal(customer.welcome?.resume[0]?.status, 'reset');
  const snapshot = await customer.waitFor(sessionResetOf(c.sessionId));
  const used = await api.ticket(c.chat.token);
  const again = await TestClient.open(`ws://127.0.0.1:${String(port)}/parties/conversation/demo/${c.sessionId}?_pk=${newCmid('tab')}&token=${used}`, { origin: api.origin });
  await again.hello();
  const replayed = await TestClient.open(`ws://127.0.0.1:${String(port)}/parties/conversation/demo/${c.sessionId}?_pk=${newCmid('tab')}&token=${used}`, { origin: api.origin });
  assert.equal((await replayed.waitClose()).code, 4401, 'a ticket opens one socket once');
  await again.close();

  // Erik asks for help; a supervisor opens the chat on its object: that answers the request (the
  // object reports `opened` to the directory), and Erik sees who came. An agent of another
  // channel may not read the chat.
  await c.agent.ok({ t: 'help', sessionId: c.sessionId, on: true });
  const helpFrom = c.agent.mark();
  const annaToken = await api.token('anna', 'demo');
  const anna = await chatSocket(c.sessionId, annaToken, 'anna on the chat object');
  assert.equal((await anna.command({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' })).t, 'ok');
  const cleared = await c.agent.waitFor((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && f.data.event === 'help-cleared', { from: helpFrom });
  assert.equal(cleared.data.author.name, 'Anna Lindqvist');
  const sofia = await chatSocket(c.sessionId, await api.token('sofia', 'demo'), 'sofia on the chat object');
  const refused = await sofia.command({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' });
  assert.ok(isNack(refused) && refused.code === 'forbidden', 'a member of the channel without the listen permission');
  const larsTicket = await api.ticket(await api.token('lars', 'demo'));
  const lars = await TestClient.open(`ws://127.0.0.1:${String(port)}/parties/conversation/demo/${c.sessionId}?_pk=${newCmid('tab')}&token=${larsTicket}`, { origin: api.origin });
  assert.equal((await lars.waitClose()).code, 4403, 'an agent of another channel is not let in');

  // Written on the tenant's socket (carried to the chat's object, which numbers it), delivered here once, in seq order.
  const from = customer.mark();
  const acked: AckFrame[] = [];
  for (const text of ['one', 'two', 'three']) acked.push(await c.agent.sendOk(c.sessionId, text));
  await customer.waitForCount(sessionEventOf(c.sessionId), 3, { from });
  await readUntil(pending, (n) => n === 0, 'outbox drained');
  await customer.sync();
  const events = customer.all(sessionEventOf(c.sessionId), from);
  assert.deepEqual(
    events.map((e) => e.data.id),
    acked.map((a) => a.msgId),
  );
  const seqs = events.map((e) => e.seq);
  assert.deepEqual(
    seqs,
    [1, 2, 3].map((i) => snapshot.snapshot.seq + i),
    'gapless after the snapshot, in the customer numbering',
  );

  // Typing between the sockets of this object; writing here is numbered here: acknowledged, then
  // reported to the directory, whose socket delivers it to Erik, and kept in its copy.
  const typingFrom = anna.mark();
  customer.sendJson({ t: 'typing', sessionId: c.sessionId, on: true });
  await anna.waitFor((f): f is ServerFrame => f.t === 'typing', { from: typingFrom });
  const here = await customer.sendOk(c.sessionId, 'on the chat object');
  assert.equal(here.seq, snapshot.snapshot.seq + 4, 'next in the customer numbering');
  assert.equal((await c.agent.waitFor((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && f.data.id === here.msgId)).data.text, 'on the chat object');
  await readUntil(() => directoryOf(c.sessionId), (ids) => ids.includes(here.msgId), "in the directory's copy");
  const duplicate = await customer.sendOk(c.sessionId, 'on the chat object', { cmid: here.cmid });
  assert.equal(duplicate.duplicate, true);
  assert.equal(duplicate.msgId, here.msgId);

  // The object leaves memory (an eviction; its sockets hibernate and stay open): the next batch
  // takes them back from their attachments, with their subscriptions, and delivers once.
  const evicted = await api.request('POST', `/cloudflare/conversations/demo/${c.sessionId}/evict`, auth());
  assert.deepEqual(evicted.body, { sockets: 3 }, 'the customer, Anna and Sofia stayed connected');
  const wakeFrom = customer.mark();
  const annaWake = anna.mark();
  const woken = await c.agent.sendOk(c.sessionId, 'after the eviction');
  assert.equal((await customer.waitFor(sessionEventOf(c.sessionId), { from: wakeFrom })).data.id, woken.msgId);
  assert.equal((await anna.waitFor(sessionEventOf(c.sessionId), { from: annaWake })).data.id, woken.msgId);
  await customer.sync();
  assert.equal(customer.all(sessionEventOf(c.sessionId), wakeFrom).length, 1, 'once');
  const history = (await customer.ok({ t: 'history', sessionId: c.sessionId, limit: 2 })) as { messages: { id: string }[] };
  assert.deepEqual(
    history.messages.map((m) => m.id).at(-1),
    woken.msgId,
  );

  // The manager takes Anna's listen permission away: her subscription here ends (the outbox carries the permissions).
  const goneFrom = anna.mark();
  const perms = { respond: true, notifications: true, listen: false, manager: true };
  const r = await api.request('POST', '/api/admin/permissions', { headers: { authorization: `Bearer ${annaToken}` }, json: { agentId: 'anna', channelId: 'support', permissions: perms } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(await anna.waitFor(isGone, { from: goneFrom }), { t: 'gone', stream: `session:${c.sessionId}`, reason: 'revoked' });
  const afterFrom = customer.mark();
  await c.agent.sendOk(c.sessionId, 'after');
  await customer.waitFor(sessionEventOf(c.sessionId), { from: afterFrom });
  await anna.sync();
  assert.equal(anna.all(sessionEventOf(c.sessionId), goneFrom).length, 0, 'nothing after the revocation');

  // The chat moves to Sales: the object gets Sales's members, so Lars (Sales only) is let in now.
  await c.agent.ok({ t: 'transfer', sessionId: c.sessionId, to: { channelId: 'sales' } });
  await readUntil(pending, (n) => n === 0, 'outbox drained after the move');
  const larsNow = await chatSocket(c.sessionId, await api.token('lars', 'demo'), 'lars after the move');
  assert.equal((await larsNow.command({ t: 'subscribe', sessionId: c.sessionId, mode: 'participant' })).t, 'ok', 'a member of the channel the chat is queued in');
  await closeAllClients();
});

test("the room's own timers: an offer that expires is numbered in the chat's object and reaches the tenant's socket, with no other event", async () => {
  if (!w) await start();
  const r = await api.request('PATCH', '/api/provisioning/tenants/demo', { ...auth(), json: { settings: { transferTimeoutSeconds: 10 } } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  await api.agent('anna');
  const c = await openActiveChat(api, { agentId: 'erik' });
  const from = c.agent.mark();
  await c.agent.ok({ t: 'transfer', sessionId: c.sessionId, to: { agentId: 'anna' } });
  // Nobody answers: the tenant's room expires the offer on its own timer, which flushes its outbox.
  const expired = await c.agent.waitFor((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && f.data.event === 'transfer-expired', { from, timeoutMs: 30_000 });
  const copy = await copyOf(c.sessionId);
  assert.equal(copy.messages.at(-1)?.id, expired.data.id, "numbered in the chat's object");
  await closeAllClients();
});
