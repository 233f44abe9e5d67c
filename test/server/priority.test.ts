/**
 * Priority and response-time targets (issue 18) over real sockets, the real server and SQLite:
 * a chat's priority from its channel's default or a rule on the pre-chat fields, set by the
 * handling agent or a manager (`priority` frame, permission-checked); waiting chats answered
 * highest priority first (get next, queue positions); per-channel targets for the first and every
 * next answer, the due time on the board rows and in `activity`, and the share of answers within
 * target in the statistics. Time moves on the TestClock, never by waiting.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';

import type { DashboardStats } from '../../src/protocol/index.js';
import type { Harness, ServerFrame } from './helpers.js';
import { migrate, MIGRATIONS } from '../../server/core/migrations/index.js';
import { DEMO_TARGETS } from '../../server/core/seed.js';
import { openSqlite } from '../../server/node/sqlite.js';
import { activityOf, boardRow as row, isQueue, openActiveChat, refused, snapshotRow, startServer, tempDir } from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await startServer();
});
afterEach(async () => {
  await h.close();
});

/** Anna (manager of Sales and Support in the demo) changes a channel through the settings editor. */
async function putSettings(channel: string, json: unknown): Promise<{ status: number; body: unknown }> {
  const token = await h.api.token('anna');
  return h.api.request('PUT', `/api/channels/${channel}/settings`, { headers: { authorization: `Bearer ${token}` }, json });
}

async function targets(channel: string, value: Record<string, unknown>): Promise<void> {
  const r = await putSettings(channel, { targets: value });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

function responseRows(sessionId: string): { kind: string; waited_ms: number; target_ms: number }[] {
  return h.server.db.all('SELECT kind, waited_ms, target_ms FROM response_times WHERE session_id = ? ORDER BY at, rowid', [sessionId]);
}

describe('priority', () => {
  test('from the channel default, or the first matching rule on the pre-chat fields; on the board rows', async () => {
    await targets('support', {
      defaultPriority: 'low',
      rules: [
        { field: 'email', match: 'ends-with', value: '@bigcorp.example', priority: 'urgent' },
        { field: 'name', match: 'contains', value: 'VIP', priority: 'high' },
        { field: 'email', match: 'present', value: '', priority: 'normal' },
      ],
    });
    const plain = await h.api.startChat('support', 'Plain Customer');
    const big = await h.api.startChat('support', 'Vip Person', { email: 'Ola@BigCorp.example' });
    const vip = await h.api.startChat('support', 'A vip guest');
    const mailed = await h.api.startChat('support', 'Mailed', { email: 'm@example.com' });
    const sales = await h.api.startChat('sales', 'Sales Customer');
    const erik = await h.api.agent('erik');
    assert.equal(snapshotRow(erik, plain.sessionId)?.priority, 'low');
    assert.equal(snapshotRow(erik, big.sessionId)?.priority, 'urgent', 'the first matching rule wins, case-insensitively');
    assert.equal(snapshotRow(erik, vip.sessionId)?.priority, 'high');
    assert.equal(snapshotRow(erik, mailed.sessionId)?.priority, undefined, 'normal is left out of the row');
    assert.equal(snapshotRow(erik, sales.sessionId)?.priority, undefined, "another channel's rules do not apply");
    const by = h.server.db.all<{ id: string; priority_by: string }>('SELECT id, priority_by FROM sessions WHERE id IN (?, ?)', [plain.sessionId, big.sessionId]);
    assert.deepEqual(Object.fromEntries(by.map((r) => [r.id, r.priority_by])), { [plain.sessionId]: 'channel', [big.sessionId]: 'rule' });
  });

  test('waiting chats are answered highest priority first, then oldest: get next and queue positions', async () => {
    await targets('support', { rules: [{ field: 'name', match: 'contains', value: 'urgent', priority: 'urgent' }] });
    const first = await h.api.startChat('support', 'First in line');
    const second = await h.api.startChat('support', 'Second');
    const urgent = await h.api.startChat('support', 'Urgent case');
    const secondWidget = await h.api.customer(second);
    const place = await secondWidget.waitFor(isQueue);
    assert.equal(place.position, 3, 'the urgent chat goes ahead of it');
    const sofia = await h.api.agent('sofia');
    assert.deepEqual(await sofia.ok({ t: 'next' }), { sessionId: urgent.sessionId });
    assert.deepEqual(await sofia.ok({ t: 'next' }), { sessionId: first.sessionId });
    // A manager raises the last one's priority: it would go first; its customer hears the new place.
    const third = await h.api.startChat('support', 'Third');
    const anna = await h.api.agent('anna');
    const from = secondWidget.mark();
    await anna.ok({ t: 'priority', sessionId: third.sessionId, priority: 'high' });
    await secondWidget.waitFor((f): f is Extract<ServerFrame, { t: 'queue' }> => isQueue(f) && f.position === 2, { from, label: 'moved back one place' });
    assert.deepEqual(await sofia.ok({ t: 'next' }), { sessionId: third.sessionId });
  });

  test('the priority frame: the handling agent or a manager; on every board; refused to others', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik', channel: 'support' });
    const anna = await h.api.agent('anna');
    const sofia = await h.api.agent('sofia'); // responds in Support, neither handler nor manager
    assert.deepEqual(await c.agent.ok({ t: 'priority', sessionId: c.sessionId, priority: 'urgent' }), { sessionId: c.sessionId, priority: 'urgent' });
    await anna.waitFor(row(c.sessionId, (s) => s.priority === 'urgent'));
    await sofia.waitFor(row(c.sessionId, (s) => s.priority === 'urgent'));
    assert.equal(h.server.db.get<{ priority_by: string }>('SELECT priority_by FROM sessions WHERE id = ?', [c.sessionId])?.priority_by, 'erik');
    refused(await sofia.command({ t: 'priority', sessionId: c.sessionId, priority: 'low' }), 'forbidden');
    refused(await c.customer.command({ t: 'priority', sessionId: c.sessionId, priority: 'low' }), 'forbidden');
    refused(await sofia.command({ t: 'priority', sessionId: 's_nonexistent1', priority: 'low' }), 'forbidden');
    refused(await c.agent.command({ t: 'priority', sessionId: c.sessionId, priority: 'asap' }), 'invalid');
    // The manager of the channel may; the same value again changes nothing (no board event).
    await anna.ok({ t: 'priority', sessionId: c.sessionId, priority: 'low' });
    await c.agent.waitFor(row(c.sessionId, (s) => s.priority === 'low'));
    const mark = c.agent.mark();
    await anna.ok({ t: 'priority', sessionId: c.sessionId, priority: 'low' });
    await c.agent.sync();
    assert.equal(c.agent.frames.slice(mark).filter(row(c.sessionId, () => true)).length, 0);
    // Lars is in Sales only: not even a member here.
    const lars = await h.api.agent('lars');
    refused(await lars.command({ t: 'priority', sessionId: c.sessionId, priority: 'high' }), 'forbidden');
    await c.agent.ok({ t: 'end', sessionId: c.sessionId });
    refused(await c.agent.command({ t: 'priority', sessionId: c.sessionId, priority: 'high' }), 'session_closed');
    // A queued chat: only a manager (nobody handles it yet).
    const waiting = await h.api.startChat('support', 'Waiting');
    refused(await sofia.command({ t: 'priority', sessionId: waiting.sessionId, priority: 'high' }), 'forbidden');
    await anna.ok({ t: 'priority', sessionId: waiting.sessionId, priority: 'high' });
  });

  test('targets are checked by field; only managers change them', async () => {
    const bad = await putSettings('support', {
      targets: { defaultPriority: 'asap', firstResponseSeconds: -1, nextResponseSeconds: 90_000, rules: [{ field: 'shoe', match: 'equals', value: '', priority: 'high' }, 'x'] },
    });
    assert.equal(bad.status, 400);
    const fields = (bad.body as { error: { fields: Record<string, string> } }).error.fields;
    assert.match(fields['targets.defaultPriority']!, /urgent/);
    assert.match(fields['targets.firstResponseSeconds']!, /0 to 86400/);
    assert.match(fields['targets.nextResponseSeconds']!, /0 to 86400/);
    assert.match(fields['targets.rules[0].field']!, /email/);
    assert.ok(fields['targets.rules[0].value']);
    assert.ok(fields['targets.rules[1]']);
    const good = await putSettings('support', { targets: { firstResponseSeconds: 60, nextResponseSeconds: 120 } });
    assert.equal(good.status, 200);
    assert.deepEqual((good.body as { targets: unknown }).targets, { defaultPriority: 'normal', rules: [], firstResponseSeconds: 60, nextResponseSeconds: 120 });
    const erik = await h.api.token('erik');
    const denied = await h.api.request('PUT', '/api/channels/support/settings', { headers: { authorization: `Bearer ${erik}` }, json: { targets: { firstResponseSeconds: 1 } } });
    assert.equal(denied.status, 403);
  });
});

describe('response-time targets', () => {
  test('first and next answers: the due time on the rows, cleared by an answer, the share within target in the statistics', async () => {
    await targets('support', { firstResponseSeconds: 60, nextResponseSeconds: 30 });
    const started = h.clock.now();
    const c = await openActiveChat(h.api, { agentId: 'erik', channel: 'support' });
    const first = snapshotRow(await h.api.agent('anna'), c.sessionId)?.response;
    assert.ok(first);
    assert.equal(first.kind, 'first');
    assert.ok(first.since >= started && first.since <= h.clock.now());
    assert.equal(first.due - first.since, 60_000);

    // Notes and whispers answer nothing.
    await c.agent.sendOk(c.sessionId, 'Looking it up', { kind: 'note' });
    assert.equal(responseRows(c.sessionId).length, 0);

    // The first answer 20 s in: within target; the row's response goes (activity).
    h.clock.advance(20_000);
    let from = c.agent.mark();
    await c.agent.sendOk(c.sessionId, 'Hello! How can I help?');
    await c.agent.waitFor(activityOf(c.sessionId, (a) => a.response === undefined && a.lastMessage?.from === 'agent'), { from });
    const [firstAnswer, ...none] = responseRows(c.sessionId);
    assert.equal(none.length, 0);
    assert.ok(firstAnswer);
    assert.equal(firstAnswer.kind, 'first');
    assert.equal(firstAnswer.target_ms, 60_000);
    // The test clock is real time plus what the test added: 20 s and the moments the steps took.
    assert.ok(firstAnswer.waited_ms >= 20_000 && firstAnswer.waited_ms < 30_000, String(firstAnswer.waited_ms));

    // The customer writes twice: the next answer is due 30 s after the first of the two.
    from = c.agent.mark();
    const asked = h.clock.now();
    await c.customer.sendOk(c.sessionId, 'My order is late');
    h.clock.advance(5_000);
    await c.customer.sendOk(c.sessionId, 'Order 1234');
    const waiting = await c.agent.waitFor(activityOf(c.sessionId, (a) => a.response?.kind === 'next' && a.lastMessage?.text === 'Order 1234'), { from });
    const response = waiting.sessions.find((a) => a.id === c.sessionId)?.response;
    assert.ok(response && response.since >= asked && response.since < asked + 5_000);
    assert.equal(response.due - response.since, 30_000);

    // Answered late (40 s): outside the target.
    h.clock.advance(35_000);
    await c.agent.sendOk(c.sessionId, 'It ships today');
    assert.deepEqual(
      responseRows(c.sessionId).map((r) => [r.kind, r.waited_ms > r.target_ms]),
      [
        ['first', false],
        ['next', true],
      ],
    );
    const stats = (await c.agent.ok({ t: 'stats', channelIds: ['support'] })) as DashboardStats;
    assert.deepEqual(stats.responseTargetsToday, { first: { answered: 1, within: 1 }, next: { answered: 1, within: 0 } });
    const sales = (await c.agent.ok({ t: 'stats', channelIds: ['sales'] })) as DashboardStats;
    assert.equal(sales.responseTargetsToday, undefined, 'no answer against a target in Sales');
  });

  test('without a target there is no due time; a changed target applies to the next wait; an ended chat has none', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik', channel: 'support' });
    assert.equal(snapshotRow(await h.api.agent('anna'), c.sessionId)?.response, undefined);
    await c.agent.sendOk(c.sessionId, 'Hi');
    assert.deepEqual(
      responseRows(c.sessionId).map((r) => [r.kind, r.target_ms]),
      [['first', 0]],
      'answers are stored without a target too (0), and left out of the share',
    );
    await targets('support', { nextResponseSeconds: 45 });
    const from = c.agent.mark();
    await c.customer.sendOk(c.sessionId, 'Hello?');
    const a = await c.agent.waitFor(activityOf(c.sessionId, (x) => x.response !== undefined), { from });
    const r = a.sessions.find((x) => x.id === c.sessionId)?.response;
    assert.equal(r && r.due - r.since, 45_000);
    const ended = c.agent.mark();
    await c.agent.ok({ t: 'end', sessionId: c.sessionId });
    const last = await c.agent.waitFor(row(c.sessionId, (s) => s.status === 'ended'), { from: ended });
    assert.equal(last.data.response, undefined);
  });

  test('the due time and priority are stored on the session, and the snapshot carries them', async () => {
    await targets('sales', { firstResponseSeconds: 90, defaultPriority: 'high' });
    const chat = await h.api.startChat('sales', 'Across a restart');
    const before = snapshotRow(await h.api.agent('lars'), chat.sessionId);
    assert.ok(before);
    assert.equal(before.priority, 'high');
    const stored = h.server.db.get<{ waiting_since: number; response_due_at: number }>('SELECT waiting_since, response_due_at FROM sessions WHERE id = ?', [chat.sessionId]);
    assert.ok(stored);
    assert.equal(stored.response_due_at - stored.waiting_since, 90_000);
    assert.deepEqual(before.response, { kind: 'first', since: stored.waiting_since, due: stored.response_due_at });
  });
});

describe('the demo (npm start: --demo --demo-targets)', () => {
  test("Support gets reply targets and priority rules once; the rows carry them; the tests' demo has none", async () => {
    const none = await h.api.startChat('support', 'No Target', { email: 'n@example.com' });
    const plain = snapshotRow(await h.api.agent('anna'), none.sessionId);
    assert.equal(plain?.response, undefined, 'no targets without --demo-targets');
    assert.equal(plain?.priority, undefined);

    const dataDir = await tempDir();
    let demo: Harness | undefined;
    try {
      demo = await startServer({ dataDir, keepData: true, demoTargets: true });
      const rows = demo.server.db.all<{ first_response_s: number; next_response_s: number; priority_rules: string }>(
        "SELECT first_response_s, next_response_s, priority_rules FROM channels WHERE tenant_id = 'demo' ORDER BY id",
      );
      assert.deepEqual(
        rows.map((r) => [r.first_response_s, r.next_response_s, JSON.parse(r.priority_rules) as unknown]),
        [
          [0, 0, []],
          [DEMO_TARGETS.firstResponseSeconds, DEMO_TARGETS.nextResponseSeconds, DEMO_TARGETS.rules],
        ],
        'Support (not Sales) has them',
      );
      const shopper = await demo.api.startChat('support', 'Kim Andersson', { email: 'kim.andersson@example.com' });
      const urgent = await demo.api.startChat('support', 'Urgent: Ola');
      const erik = await demo.api.agent('erik');
      const kim = snapshotRow(erik, shopper.sessionId);
      assert.equal(kim?.priority, 'high', "the demo shop's customers come first");
      assert.equal(kim.response?.kind, 'first');
      assert.equal(kim.response.due - kim.response.since, DEMO_TARGETS.firstResponseSeconds * 1000);
      assert.equal(snapshotRow(erik, urgent.sessionId)?.priority, 'urgent');

      // A manager's own choice is kept over a restart with the option.
      const anna = await demo.api.token('anna');
      const put = await demo.api.request('PUT', '/api/channels/support/settings', { headers: { authorization: `Bearer ${anna}` }, json: { targets: { firstResponseSeconds: 300 } } });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      await demo.close();
      demo = await startServer({ dataDir, keepData: true, demoTargets: true });
      assert.equal(demo.server.db.get<{ s: number }>("SELECT first_response_s AS s FROM channels WHERE tenant_id = 'demo' AND id = 'support'")?.s, 300);
    } finally {
      await demo?.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('migration 14', () => {
  test('open chats of an older database: the answered keep their first answer, the others wait since they started', async () => {
    const dir = await tempDir();
    const db = openSqlite(join(dir, 'chat.db'), { synchronous: 'NORMAL' });
    try {
      migrate(
        db,
        MIGRATIONS.filter((m) => m.version <= 13),
      );
      db.run("INSERT INTO tenants (id, name, board_epoch, created_at) VALUES ('t', 'T', 'e0', 1000)");
      db.run("INSERT INTO channels (tenant_id, id, name) VALUES ('t', 'c', 'C')");
      const insert = (id: string, status: string) => {
        db.run(
          `INSERT INTO sessions (tenant_id, id, channel_id, status, customer_name, created_at, last_activity_at, epoch) VALUES ('t', ?, 'c', ?, 'Old', 2000, 2000, 'e')`,
          [id, status],
        );
      };
      insert('s_waiting', 'queued');
      insert('s_answered', 'active');
      insert('s_ended', 'ended');
      db.run(
        `INSERT INTO messages (tenant_id, session_id, seq, cseq, id, sender_kind, sender_id, author_name, kind, text, at)
         VALUES ('t', 's_answered', 1, 1, 'm1', 'agent', 'erik', 'Erik', 'text', 'Hi', 2500)`,
      );
      assert.deepEqual(migrate(db), [14]);
      assert.deepEqual(db.all('SELECT id, priority, waiting_since, response_due_at, first_response_at FROM sessions ORDER BY id'), [
        { id: 's_answered', priority: 'normal', waiting_since: null, response_due_at: null, first_response_at: 2500 },
        { id: 's_ended', priority: 'normal', waiting_since: null, response_due_at: null, first_response_at: null },
        { id: 's_waiting', priority: 'normal', waiting_since: 2000, response_due_at: null, first_response_at: null },
      ]);
    } finally {
      db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
