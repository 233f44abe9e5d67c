/**
 * The conversation half alone (server/core/room/conversation-host.ts), as the Cloudflare host's
 * conversation objects run it: real SQLite on disk (better-sqlite3), real WebSockets (`ws` on a
 * free port), no directory in the process. The socket server here stands in for the host's
 * upgrade (it takes the principal from the URL instead of redeeming a ticket); everything after
 * the upgrade is the core's.
 *
 * Send, ack and `cmid` idempotency, numbering per view, typing, read positions, subscriptions,
 * replay after a reconnect, the directory's calls through the port (exactly once into the
 * stream), activity reported to the directory's port once per change, a write carried from the
 * directory's socket (`write`: numbered here, answered for the writer, delivered to this unit's
 * subscribers only), and the directory's frames refused with a reason.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';

import { WebSocketServer } from 'ws';

import type { Role } from '../../server/core/auth.js';
import { systemClock } from '../../server/core/clock.js';
import { migrate } from '../../server/core/migrations/index.js';
import { ConversationHost } from '../../server/core/room/conversation-host.js';
import type { Activity } from '../../server/core/room/ports.js';
import type { Connection } from '../../server/core/room/index.js';
import { newConnectionId } from '../../server/core/room/index.js';
import { seedDemo } from '../../server/core/seed.js';
import type { SqlPort } from '../../server/core/sql.js';
import { TenantStore } from '../../server/core/store/index.js';
import { openSqlite } from '../../server/node/sqlite.js';
import type { AckFrame } from './helpers.js';
import { closeAllClients, isNack, isTyping, newCmid, sessionEventOf, sessionResetOf, tempDir, TestClient } from './helpers.js';

let dir: string;
let db: SqlPort & { close(): void };
let store: TenantStore;
let host: ConversationHost;
let wss: WebSocketServer;
let base: string;
let sessionId: string;
const activity: { sessionId: string; change: Activity }[] = [];
/** What the conversation told the directory's `opened` (a supervisor opened a chat they do not handle). */
const opened_: { sessionId: string; agentId: string }[] = [];
/** The connections the socket server made, by the client's `_pk`. */
const opened = new Map<string, Connection>();

function newHost(restore?: ConstructorParameters<typeof ConversationHost>[1]['restore']): ConversationHost {
  return new ConversationHost('demo', {
    store,
    clock: systemClock,
    directory: {
      activity: (id, change) => {
        activity.push({ sessionId: id, change });
      },
      opened: (id, agentId) => {
        opened_.push({ sessionId: id, agentId });
      },
    },
    ...(restore ? { restore } : {}),
  });
}

before(async () => {
  dir = await tempDir('conversation-host-');
  db = openSqlite(join(dir, 'chat.db'));
  migrate(db);
  seedDemo(db, Date.now());
  store = new TenantStore(db, 'demo');
  host = newHost();
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  wss.on('connection', (ws, request) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const [role, subjectId] = (url.searchParams.get('as') ?? '').split(':') as [Role, string];
    const conn = {
      id: newConnectionId(),
      send: (data: string) => {
        ws.send(data);
      },
      close: (code: number, reason: string) => {
        ws.close(code, reason);
      },
      bufferedAmount: () => ws.bufferedAmount,
    };
    opened.set(url.searchParams.get('_pk') ?? '', conn);
    ws.on('message', (data, binary) => {
      host.receive(conn, binary ? null : Buffer.from(data as Buffer).toString('utf8'));
    });
    ws.on('close', () => {
      host.closed(conn);
    });
    host.open(conn, { tenantId: 'demo', role, subjectId, authSessionId: 'test' }, url.searchParams.get('_pk') ?? undefined);
  });
  await new Promise<void>((resolve) => {
    wss.once('listening', resolve);
  });
  base = `ws://127.0.0.1:${String((wss.address() as AddressInfo).port)}/`;
});

after(async () => {
  await closeAllClients();
  host.shutdown();
  await new Promise<void>((resolve) => {
    wss.close(() => {
      resolve();
    });
  });
  db.close();
  await rm(dir, { recursive: true, force: true });
});

/** A new chat of the demo tenant's support channel, handled by Anna: the directory's rows, as it would push them. */
beforeEach(() => {
  const at = Date.now();
  sessionId = db.transaction(() => {
    const row = store.createSession({ channelId: 'support', name: 'Kim', at });
    store.assign(row.id, 'anna', at);
    store.startHandling(row.id, 'anna', at);
    return row.id;
  });
  host.apply((port, later) => {
    port.appendSystem(sessionId, 'joined', 'Anna joined', at, later, 'Anna');
  });
  activity.length = 0;
});

/** Subscribes an agent's socket to a session and waits for its snapshot. */
async function follow(client: TestClient, id: string) {
  const from = client.mark();
  const answer = await client.command({ t: 'subscribe', sessionId: id, mode: 'participant' });
  assert.equal(answer.t, 'ok', JSON.stringify(answer));
  return client.waitFor(sessionResetOf(id), { from });
}

const as = (who: string, pk = newCmid('tab')) => TestClient.open(`${base}?as=${who}&_pk=${pk}`, { label: who });

test('send, ack and cmid idempotency: one message per cmid, numbered per view, delivered once', async () => {
  const customer = await as(`customer:${sessionId}`);
  const welcome = await customer.hello();
  assert.equal(welcome.me.kind, 'customer');
  assert.deepEqual(
    welcome.resume.map((r) => r.status),
    ['reset'],
  );
  const agent = await as('agent:anna');
  await agent.hello();
  await follow(agent, sessionId);

  const from = agent.mark();
  const cmid = newCmid();
  const first = await customer.sendOk(sessionId, 'Hello there', { cmid });
  const again = await customer.sendOk(sessionId, 'Hello there', { cmid });
  assert.equal(again.duplicate, true);
  assert.equal(again.msgId, first.msgId);
  assert.equal(again.seq, first.seq);
  const changed = await customer.send(sessionId, 'Something else', { cmid });
  assert.ok(isNack(changed) && changed.code === 'invalid');

  await agent.sync();
  const events = agent.all(sessionEventOf(sessionId), from);
  assert.deepEqual(
    events.map((e) => e.data.text),
    ['Hello there'],
  );
  // The customer numbers its stream without the agents' internal events; the agent's seq is the session's head.
  assert.equal(events[0]?.seq, store.session(sessionId)?.head_seq);
  assert.equal(first.seq, store.session(sessionId)?.head_cseq);
  assert.deepEqual(
    activity.map((a) => a.change.kind + ':' + a.change.from),
    ['message:customer'],
  );
  await customer.close();
  await agent.close();
});

test('typing and read positions: relayed to the other side only, read moves the stored position', async () => {
  const customer = await as(`customer:${sessionId}`);
  await customer.hello();
  const agent = await as('agent:anna');
  await agent.hello();
  await follow(agent, sessionId);
  const ack = await agent.sendOk(sessionId, 'How can I help?');
  await customer.waitFor(sessionEventOf(sessionId));

  const typingFrom = agent.mark();
  customer.sendJson({ t: 'typing', sessionId, on: true, preview: 'I wo' });
  const typing = await agent.waitFor(isTyping, { from: typingFrom });
  assert.equal(typing.who.kind, 'customer');
  await customer.sync();
  assert.equal(customer.all(isTyping).length, 0, 'nobody hears their own typing');

  const customerSeq = store.session(sessionId)?.head_cseq ?? 0;
  await customer.ok({ t: 'read', sessionId, seq: customerSeq });
  assert.equal(store.session(sessionId)?.customer_read_seq, ack.seq);
  assert.deepEqual(
    activity.map((a) => a.change.kind + ':' + a.change.from),
    ['message:agent', 'read:customer'],
  );
  await customer.close();
  await agent.close();
});

test('resume after reconnect: the missed events are replayed, gapless, nothing twice', async () => {
  const agent = await as('agent:anna');
  await agent.hello();
  const reset = await follow(agent, sessionId);
  const position = { id: sessionId, epoch: reset.epoch, seq: reset.snapshot.seq };
  await agent.close();

  const customer = await as(`customer:${sessionId}`);
  await customer.hello();
  const acks: AckFrame[] = [];
  for (const text of ['one', 'two', 'three']) acks.push(await customer.sendOk(sessionId, text));

  const again = await as('agent:anna');
  const welcome = await again.hello({ sessions: [position] });
  assert.equal(welcome.resume[0]?.status, 'replay');
  await again.sync();
  const replayed = again.all(sessionEventOf(sessionId));
  assert.deepEqual(
    replayed.map((e) => e.data.text),
    ['one', 'two', 'three'],
  );
  assert.deepEqual(
    replayed.map((e) => e.seq),
    [position.seq + 1, position.seq + 2, position.seq + 3],
  );
  await customer.close();
  await again.close();
});

test("the directory's calls: appendSystem once into the stream, revalidate ends a subscription that lost access", async () => {
  // A chat still queued in Support: Erik (a member who may answer) may read it.
  const at = Date.now();
  const queued = db.transaction(() => store.createSession({ channelId: 'support', name: 'Ola', at }).id);
  const erik = await as('agent:erik');
  await erik.hello();
  assert.equal((await erik.command({ t: 'subscribe', sessionId: queued, mode: 'participant' })).t, 'ok');
  const anna = await as('agent:anna');
  await anna.hello();
  await follow(anna, queued);

  // The directory answers it for Anna: its rows, then its calls (in one transaction, as an outbox row is applied).
  const annaFrom = anna.mark();
  const erikFrom = erik.mark();
  host.apply((port, later) => {
    store.assign(queued, 'anna', at);
    store.startHandling(queued, 'anna', at);
    port.appendSystem(queued, 'joined', 'Anna joined', at, later, 'Anna');
    port.revalidate(queued);
  });
  const joined = await anna.waitFor(sessionEventOf(queued), { from: annaFrom });
  assert.equal(joined.data.event, 'joined');
  await erik.sync();
  assert.equal(erik.all(sessionEventOf(queued), erikFrom).length, 0, 'Erik lost access in the same commit: the event is not his');

  const next = anna.mark();
  await anna.sendOk(queued, 'Hi Ola');
  await anna.waitFor(sessionEventOf(queued), { from: next });
  await erik.sync();
  assert.equal(erik.all(sessionEventOf(queued), erikFrom).length, 0, 'nor anything after it');
  const events = db.all<{ event: string | null }>("SELECT event FROM messages WHERE tenant_id = 'demo' AND session_id = ? ORDER BY seq", [queued]);
  assert.deepEqual(
    events.map((e) => e.event),
    ['joined', null],
  );
  await anna.close();
  await erik.close();
});

test("a write carried from the directory's socket: numbered here, the writer answered, the subscribers here sent it", async () => {
  const agent = await as('agent:anna');
  await agent.hello();
  await follow(agent, sessionId);
  const from = agent.mark();
  const customer = { tenantId: 'demo', role: 'customer' as const, subjectId: sessionId, authSessionId: 'test' };
  const cmid = newCmid();
  const frame = JSON.stringify({ t: 'send', cmid, sessionId, kind: 'text', text: 'Carried here' });
  const [answer, ...rest] = host.write(customer, frame).map((t) => JSON.parse(t) as AckFrame);
  assert.equal(rest.length, 0, 'one answer, for the writer');
  assert.equal(answer?.t, 'ack');
  assert.equal(answer.duplicate, false);
  assert.equal(answer.seq, store.session(sessionId)?.head_cseq, 'in the customer numbering');
  const event = await agent.waitFor(sessionEventOf(sessionId), { from });
  assert.equal(event.data.id, answer.msgId);
  // The same cmid again: the same message, no second one.
  const again = JSON.parse(host.write(customer, frame)[0] ?? '{}') as AckFrame;
  assert.equal(again.duplicate, true);
  assert.equal(again.msgId, answer.msgId);
  // The handler's read, then a frame no directory carries, then a stranger's write: refused.
  const read = JSON.parse(host.write({ ...customer, role: 'agent', subjectId: 'anna' }, JSON.stringify({ t: 'read', rid: 'r1', sessionId, seq: event.seq }))[0] ?? '{}') as { t: string; rid: string };
  assert.deepEqual(read, { t: 'ok', rid: 'r1' });
  assert.equal(store.session(sessionId)?.agent_read_seq, event.seq);
  const other = JSON.parse(host.write(customer, JSON.stringify({ t: 'subscribe', rid: 'r2', sessionId, mode: 'participant' }))[0] ?? '{}') as { t: string; code: string };
  assert.deepEqual([other.t, other.code], ['nack', 'forbidden']);
  const lars = JSON.parse(host.write({ ...customer, role: 'agent', subjectId: 'lars' }, JSON.stringify({ t: 'send', cmid: newCmid(), sessionId, kind: 'text', text: 'Not mine' }))[0] ?? '{}') as { t: string; code: string };
  assert.deepEqual([lars.t, lars.code], ['nack', 'forbidden']);
  await agent.sync();
  assert.equal(agent.all(sessionEventOf(sessionId), from).length, 1, 'delivered once');
  assert.deepEqual(
    activity.map((a) => a.change.kind + ':' + a.change.from),
    ['message:customer', 'read:agent'],
  );
  await agent.close();
});

test("the directory's frames are refused on a conversation's socket, with the reason", async () => {
  const agent = await as('agent:anna');
  await agent.hello();
  const answer = await agent.command({ t: 'next' });
  assert.ok(isNack(answer));
  assert.equal(answer.code, 'invalid');
  assert.match(answer.message, /directory/);
  const stranger = await as('customer:s_nobody');
  assert.equal((await stranger.waitClose()).code, 4403);
  await agent.close();
});

test('hibernation: a new host takes a socket back from its snapshot, subscriptions and open listen-audit rows as they were', async () => {
  // Erik handles the chat; Anna (listen permission) listens: an open audit row.
  const at = Date.now();
  const chat = db.transaction(() => {
    const row = store.createSession({ channelId: 'support', name: 'Lea', at });
    store.assign(row.id, 'erik', at);
    store.startHandling(row.id, 'erik', at);
    return row.id;
  });
  const pk = newCmid('tab');
  const anna = await as('agent:anna', pk);
  await anna.hello();
  assert.equal((await anna.command({ t: 'subscribe', sessionId: chat, mode: 'listen' })).t, 'ok');
  assert.deepEqual(opened_.at(-1), { sessionId: chat, agentId: 'anna' }, 'opening a chat one does not handle is told to the directory');
  const openRow = () => db.get<{ id: string; ended_at: number | null }>("SELECT id, ended_at FROM listen_audit WHERE tenant_id = 'demo' AND session_id = ? AND agent_id = 'anna'", [chat]);
  assert.equal(openRow()?.ended_at, null);
  // A listen of a socket that is not taken back: its row ends with the restart.
  const stray = db.transaction(() => {
    db.run("INSERT INTO listen_audit (tenant_id, id, agent_id, session_id, channel_id, via, started_at) VALUES ('demo', 'la_stray', 'sofia', ?, 'support', 'permission', ?)", [chat, at]);
    return 'la_stray';
  });

  // The unit leaves memory; its socket stays open. A new host over the same store takes it back.
  const conn = opened.get(pk);
  assert.ok(conn);
  const snapshot = host.snapshot(conn);
  assert.ok(snapshot);
  assert.deepEqual(snapshot.subs, [[chat, 'listen']]);
  host = newHost([{ conn, snapshot }]);
  assert.equal(host.connectionCount, 1);
  assert.equal(openRow()?.ended_at, null, 'the listen goes on: its row stays open');
  assert.notEqual(db.get<{ ended_at: number | null }>("SELECT ended_at FROM listen_audit WHERE tenant_id = 'demo' AND id = ?", [stray])?.ended_at, null);

  // Without a new hello, the socket gets the stream and its frames are answered.
  const from = anna.mark();
  host.apply((port, later) => {
    port.appendSystem(chat, 'ended', 'The chat ended', Date.now(), later);
  });
  assert.equal((await anna.waitFor(sessionEventOf(chat), { from })).data.event, 'ended');
  assert.equal((await anna.command({ t: 'unsubscribe', sessionId: chat })).t, 'ok');
  assert.equal(db.get<{ end_reason: string | null }>('SELECT end_reason FROM listen_audit WHERE id = ?', [openRow()?.id ?? ''])?.end_reason, 'unsubscribed');
  await anna.close();
});
