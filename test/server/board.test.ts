/**
 * The board over time and the customer's read position: the "recently completed" window (8 h)
 * swept on the room clock, the test-only clock route of the real process, `customerReadSeq`,
 * and migration 2 on a version-1 database.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, afterEach, beforeEach, describe, test } from 'node:test';

import { RECENT_WINDOW_MS } from '../../src/protocol/limits.js';
import type { SessionSummary } from '../../src/protocol/index.js';
import { OffsetClock } from '../../server/core/clock.js';
import { migrate, MIGRATIONS } from '../../server/core/migrations/index.js';
import { openSqlite } from '../../server/node/sqlite.js';
import {
  activityOf,
  Api,
  assertBoardChain,
  closeAllClients,
  freePort,
  isActivity,
  isBoardEvent,
  isBoardReset,
  openActiveChat,
  sessionEventOf,
  spawnServer,
  startServer,
  stopAllProcesses,
  tempDir,
  type BoardEvent,
  type Harness,
  type ServerFrame,
  type SessionEvent,
} from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await startServer();
});
afterEach(async () => {
  await h.close();
});

type SessionUpsert = Extract<BoardEvent, { kind: 'session' }>;
type SessionRemove = Extract<BoardEvent, { kind: 'session-remove' }>;

const boardSession =
  (sessionId: string, cond: (s: SessionSummary) => boolean = () => true) =>
  (f: ServerFrame): f is SessionUpsert =>
    isBoardEvent(f) && f.kind === 'session' && f.data.id === sessionId && cond(f.data);
const boardRemove =
  (sessionId: string) =>
  (f: ServerFrame): f is SessionRemove =>
    isBoardEvent(f) && f.kind === 'session-remove' && f.data.id === sessionId;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Session ids in a fresh board snapshot of an agent (HTTP). */
async function snapshotIds(api: Api, agentId: string): Promise<string[]> {
  const token = await api.token(agentId);
  const r = await api.request('GET', '/api/snapshot', { headers: { authorization: `Bearer ${token}` } });
  assert.equal(r.status, 200);
  return (r.body as { sessions: { id: string }[] }).sessions.map((s) => s.id);
}


describe('recently completed (8 h window)', () => {
  test('a chat ended 7 h 59 min ago is listed; at 8 h 1 min it is removed from live boards and fresh snapshots', async () => {
    assert.equal(RECENT_WINDOW_MS, 8 * HOUR);
    const c = await openActiveChat(h.api, { agentId: 'erik' });
    const anna = await h.api.agent('anna');
    const lars = await h.api.agent('lars'); // sales only: sees nothing of this support chat
    await c.agent.ok({ t: 'end', sessionId: c.sessionId });
    await anna.waitFor(boardSession(c.sessionId, (s) => s.status === 'ended'));
    const froms = { anna: anna.mark(), erik: c.agent.mark() };

    h.clock.advance(4 * HOUR);
    const second = await openActiveChat(h.api, { agentId: 'sofia', name: 'Later Liv' });
    await second.agent.ok({ t: 'end', sessionId: second.sessionId });

    h.clock.advance(3 * HOUR + 59 * MINUTE); // the first chat ended 7 h 59 min ago
    await Promise.all([anna.sync(), c.agent.sync()]);
    assert.ok(!anna.frames.slice(froms.anna).some(boardRemove(c.sessionId)), 'removed too early');
    assert.ok((await snapshotIds(h.api, 'anna')).includes(c.sessionId), 'in a fresh snapshot at 7 h 59 min');
    const early = await h.api.agent('erik');
    assert.ok(early.all(isBoardReset)[0]?.snapshot.sessions.some((s) => s.id === c.sessionId && s.status === 'ended'), 'early.all(isBoardReset)[0]?.snapshot.sessions.some((s) => s.id === c.sessionId && s.sta...');

    h.clock.advance(2 * MINUTE); // 8 h 1 min
    const removed = await anna.waitFor(boardRemove(c.sessionId), { from: froms.anna, label: 'session-remove on anna\'s board' });
    assert.deepEqual(removed.data, { id: c.sessionId });
    await c.agent.waitFor(boardRemove(c.sessionId), { from: froms.erik, label: 'session-remove on the handler\'s board' });
    await early.waitFor(boardRemove(c.sessionId));
    assert.ok(!(await snapshotIds(h.api, 'anna')).includes(c.sessionId), 'absent from a fresh snapshot');
    assert.ok(!(await snapshotIds(h.api, 'erik')).includes(c.sessionId), '!(await snapshotIds(h.api, "erik")).includes(c.sessionId)');
    const fresh = await h.api.agent('anna');
    assert.ok(!fresh.all(isBoardReset)[0]?.snapshot.sessions.some((s) => s.id === c.sessionId), '!fresh.all(isBoardReset)[0]?.snapshot.sessions.some((s) => s.id === c.sessionId)');
    // The later chat (ended 4 h 1 min ago) stays, everywhere.
    await anna.sync();
    assert.ok(!anna.frames.some(boardRemove(second.sessionId)), '!anna.frames.some(boardRemove(second.sessionId))');
    assert.ok((await snapshotIds(h.api, 'anna')).includes(second.sessionId), '(await snapshotIds(h.api, "anna")).includes(second.sessionId)');
    // Once only; agents who never saw the chat hear nothing of it, and every board chain holds.
    h.clock.advance(10 * MINUTE);
    await Promise.all([anna.sync(), lars.sync()]);
    assert.equal(anna.all(boardRemove(c.sessionId)).length, 1);
    assert.ok(!lars.frames.some(boardRemove(c.sessionId)), '!lars.frames.some(boardRemove(c.sessionId))');
    assert.ok(!lars.frames.some((f) => JSON.stringify(f).includes(c.sessionId)), 'lars (sales) heard nothing of the support chat');
    for (const client of [anna, lars, c.agent]) assertBoardChain(client);
  });

  test('a board that resumes by replay gets the removal as an event; the sweep position is kept in the database', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik' });
    await c.agent.ok({ t: 'end', sessionId: c.sessionId });
    const sweptAt = () => h.server.db.get<{ recent_swept_at: number | null }>("SELECT recent_swept_at FROM tenants WHERE id = 'demo'")?.recent_swept_at ?? null;
    const first = sweptAt();
    assert.ok(first !== null, 'the room records its start as the first sweep position');
    const anna = await h.api.agent('anna');
    const snap = anna.all(isBoardReset)[0]!.snapshot;
    assert.ok(snap.sessions.some((s) => s.id === c.sessionId), 'snap.sessions.some((s) => s.id === c.sessionId)');
    await anna.close();
    await c.agent.close();
    h.clock.advance(9 * HOUR); // swept while no board is connected
    assert.ok((sweptAt() ?? 0) >= first + 9 * HOUR, '(sweptAt() ?? 0) >= first + 9 * HOUR');
    const resumed = await h.api.agent('anna', { resume: { board: { epoch: snap.epoch, seq: snap.seq } } });
    assert.equal(resumed.welcome?.resume.find((r) => r.stream === 'board')?.status, 'replay');
    await resumed.waitFor(boardRemove(c.sessionId), { label: 'removal replayed' });
  });
});

describe('read state', () => {
  test('customer read (customer numbering) → customerReadSeq in agent numbering, as activity and in snapshots', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik' });
    await c.agent.sendOk(c.sessionId, 'first a note', { kind: 'note' });
    const hello = await c.agent.sendOk(c.sessionId, 'Hello, how can I help?');
    await c.agent.sendOk(c.sessionId, 'another note', { kind: 'note' });
    const seen = await c.customer.waitFor((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && f.data.id === hello.msgId);
    assert.notEqual(seen.seq, hello.seq, 'the two numberings differ here (notes)');
    const from = c.agent.mark();
    await c.customer.ok({ t: 'read', sessionId: c.sessionId, seq: seen.seq });
    // The handler's console learns it as activity (not a board event: only the lifecycle is).
    const upd = await c.agent.waitFor(activityOf(c.sessionId, (a) => a.customerReadSeq !== undefined && a.customerReadSeq > 0), { from });
    assert.equal(upd.sessions.find((a) => a.id === c.sessionId)?.customerReadSeq, hello.seq);
    assert.deepEqual(c.agent.all(boardSession(c.sessionId), from), []);
    // Reading the same or less again changes nothing: the next activity is the next message's.
    const quiet = c.agent.mark();
    await c.customer.ok({ t: 'read', sessionId: c.sessionId, seq: seen.seq });
    await c.customer.ok({ t: 'read', sessionId: c.sessionId, seq: 1 });
    await c.agent.sync();
    // Beyond the head: clamped to the last message the customer can see.
    const thanks = await c.customer.sendOk(c.sessionId, 'Thanks!');
    const next = await c.agent.waitFor(activityOf(c.sessionId, (a) => a.lastMessage?.text === 'Thanks!'), { from: quiet });
    assert.deepEqual(c.agent.all(isActivity, quiet), [next], 'no activity for reads that moved nothing');
    assert.equal(next.sessions[0]?.customerReadSeq, hello.seq);
    await c.agent.sendOk(c.sessionId, 'a third note', { kind: 'note' });
    await c.customer.ok({ t: 'read', sessionId: c.sessionId, seq: 9999 });
    const clamped = await c.agent.waitFor(activityOf(c.sessionId, (a) => (a.customerReadSeq ?? 0) > hello.seq));
    const thanksSeq = h.server.db.get<{ seq: number }>('SELECT seq FROM messages WHERE id = ?', [thanks.msgId])?.seq;
    assert.equal(clamped.sessions[0]?.customerReadSeq, thanksSeq);
    assert.ok((await snapshotFor(h.api, 'erik', c.sessionId))?.customerReadSeq === thanksSeq, '(await snapshotFor(h.api, "erik", c.sessionId))?.customerReadSeq === thanksSeq');
  });
});

async function snapshotFor(api: Api, agentId: string, sessionId: string): Promise<SessionSummary | undefined> {
  const token = await api.token(agentId);
  const r = await api.request('GET', '/api/snapshot', { headers: { authorization: `Bearer ${token}` } });
  return (r.body as { sessions: SessionSummary[] }).sessions.find((s) => s.id === sessionId);
}

describe('test clock', () => {
  test('POST /api/test/clock is 404 unless the server runs on a test clock; with one it moves server time', async () => {
    const off = await h.api.request('POST', '/api/test/clock', { json: { advanceMs: 1000 } });
    assert.equal(off.status, 404);
    await h.close();
    const testClock = new OffsetClock();
    h = await startServer({ testClock });
    const before = testClock.now();
    for (const bad of [{}, { advanceMs: -1 }, { advanceMs: 1.5 }, { advanceMs: '60' }, { advanceMs: 40 * 24 * HOUR }]) {
      const r = await h.api.request('POST', '/api/test/clock', { json: bad });
      assert.equal(r.status, 400, JSON.stringify(bad));
    }
    const r = await h.api.request('POST', '/api/test/clock', { json: { advanceMs: HOUR } });
    assert.equal(r.status, 200);
    const serverTime = (r.body as { serverTime: number }).serverTime;
    assert.ok(serverTime >= before + HOUR && serverTime < Date.now() + HOUR + 5000, 'serverTime >= before + HOUR && serverTime < Date.now() + HOUR + 5000');
    const erik = await h.api.agent('erik');
    assert.ok((erik.welcome?.serverTime ?? 0) >= before + HOUR, 'the room runs on the moved clock');
  });
});

describe('test clock in the real process (CHAT_TEST_CLOCK=1)', () => {
  const dirs: string[] = [];
  after(async () => {
    await closeAllClients();
    await stopAllProcesses();
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  test('end to end: moving server time 8 h 1 min removes an ended chat from a live board', async () => {
    const dataDir = await tempDir();
    dirs.push(dataDir);
    const proc = await spawnServer({ port: await freePort(), dataDir, env: { CHAT_TEST_CLOCK: '1' } });
    assert.match(proc.stdout(), /Test clock: on/);
    const api = new Api(proc.url);
    const c = await openActiveChat(api, { agentId: 'erik' });
    const anna = await api.agent('anna');
    await c.agent.ok({ t: 'end', sessionId: c.sessionId });
    await anna.waitFor(boardSession(c.sessionId, (s) => s.status === 'ended'));
    const moved = await api.request('POST', '/api/test/clock', { json: { advanceMs: 8 * HOUR + MINUTE } });
    assert.equal(moved.status, 200);
    await anna.waitFor(boardRemove(c.sessionId), { label: 'session-remove after moving the clock' });
    assert.ok(!(await snapshotIds(api, 'anna')).includes(c.sessionId), '!(await snapshotIds(api, "anna")).includes(c.sessionId)');
  });
});

describe('migration 2', () => {
  test('upgrades a version-1 database: handlers land in session_agents, queued_at = created_at, setting defaults', async () => {
    const dir = await tempDir();
    const db = openSqlite(join(dir, 'chat.db'), { synchronous: 'NORMAL' });
    try {
      assert.deepEqual(
        migrate(
          db,
          MIGRATIONS.filter((m) => m.version === 1),
        ),
        [1],
      );
      // Rows as a version-1 server wrote them (createTenant writes the current schema).
      db.run("INSERT INTO tenants (id, name, board_epoch, created_at) VALUES ('demo', 'Demo', 'e0', 1000)");
      db.run("INSERT INTO channels (tenant_id, id, name) VALUES ('demo', 'support', 'Support')");
      for (const agent of ['erik', 'sofia']) db.run("INSERT INTO agents (tenant_id, id, name) VALUES ('demo', ?, ?)", [agent, agent]);
      const insert = (id: string, status: string, agent: string | null, accepted: number | null, ended: number | null) => {
        db.run(
          `INSERT INTO sessions (tenant_id, id, channel_id, status, customer_name, agent_id, created_at, accepted_at, ended_at, last_activity_at, epoch)
           VALUES ('demo', ?, 'support', ?, 'Old', ?, 2000, ?, ?, 2000, 'e')`,
          [id, status, agent, accepted, ended],
        );
      };
      insert('s_active', 'active', 'erik', 3000, null);
      insert('s_ended', 'ended', 'sofia', 3500, 9000);
      insert('s_queued', 'queued', null, null, null);
      // Later migrations (3: listen audit, …) are not this test's subject.
      const upTo2 = MIGRATIONS.filter((m) => m.version <= 2);
      assert.deepEqual(migrate(db, upTo2), [2]);
      assert.deepEqual(migrate(db, upTo2), [], 'applied once');
      assert.deepEqual(db.all('SELECT session_id, agent_id, started_at, ended_at, ended_reason FROM session_agents ORDER BY session_id'), [
        { session_id: 's_active', agent_id: 'erik', started_at: 3000, ended_at: null, ended_reason: null },
        { session_id: 's_ended', agent_id: 'sofia', started_at: 3500, ended_at: 9000, ended_reason: 'ended' },
      ]);
      assert.deepEqual(db.all('SELECT id, queued_at, warned_level, transfer_to, customer_read_seq FROM sessions ORDER BY id'), [
        { id: 's_active', queued_at: 2000, warned_level: 0, transfer_to: null, customer_read_seq: 0 },
        { id: 's_ended', queued_at: 2000, warned_level: 0, transfer_to: null, customer_read_seq: 0 },
        { id: 's_queued', queued_at: 2000, warned_level: 0, transfer_to: null, customer_read_seq: 0 },
      ]);
      assert.deepEqual(db.get("SELECT warn_after_s, manager_warn_after_s, sneak_peek FROM channels WHERE id = 'support'"), {
        warn_after_s: 60,
        manager_warn_after_s: 180,
        sneak_peek: 1,
      });
      assert.deepEqual(db.get("SELECT transfer_timeout_ms, recent_swept_at FROM tenants WHERE id = 'demo'"), { transfer_timeout_ms: 120000, recent_swept_at: null });
    } finally {
      db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
