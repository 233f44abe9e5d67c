/**
 * Automatic assignment (issue 18) over real sockets: per channel off / round robin / least busy,
 * only to Present, online agents under their capacity; an offer not accepted in time sets the agent
 * Away (auto-away) and goes to the next; declining goes to the next. Fair under races: the
 * exactly-one-winner test of "get next" extended to offers (offer-answer vs accept vs next), never
 * two pending offers for one chat, and a restart in the middle of an offer. Time is the TestClock's.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';

import type { SessionSummary } from '../../src/protocol/index.js';
import { DEFAULT_OFFER_SECONDS } from '../../src/protocol/routing.js';
import { createTenant } from '../../server/core/seed.js';
import type { BoardEvent, Harness, NackFrame, OkFrame, ServerFrame } from './helpers.js';
import { agentRecord, isBoardEvent, isBoardReset, isNack, isOk, refused, startServer } from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await startServer();
});
afterEach(async () => {
  await h.close();
});

const OFFER_MS = DEFAULT_OFFER_SECONDS * 1000;

/** A tenant `t` with one channel `q` in `mode` and agents with the given capacities (all Present). */
function tenant(mode: 'off' | 'round-robin' | 'least-busy', agents: Record<string, number>, id = 'rr'): void {
  createTenant(
    h.server.db,
    {
      id,
      name: 'Routing AB',
      channels: [{ id: 'q', name: 'Queue', welcomeMessage: 'Hi' }],
      agents: Object.entries(agents).map(([a, max]) => ({ id: a, name: `Agent ${a}`, email: `${a}@routing.example`, maxConcurrentChats: max, channels: { q: {} } })),
    },
    h.clock.now(),
  );
  h.server.db.run("UPDATE channels SET assign_mode = ? WHERE tenant_id = ? AND id = 'q'", [mode, id]);
}

/** A board upsert of a session (its summary). */
type SessionUpsert = BoardEvent & { kind: 'session'; data: SessionSummary };
const isUpsert = (f: ServerFrame): f is SessionUpsert => isBoardEvent(f) && f.kind === 'session';

const offerOf = (sessionId: string, agentId?: string) => (f: ServerFrame): f is SessionUpsert =>
  isUpsert(f) && f.data.id === sessionId && f.data.status === 'queued' && (agentId === undefined ? f.data.offer !== undefined : f.data.offer?.agentId === agentId);

function pending(tenantId = 'rr'): { session_id: string; agent_id: string }[] {
  return h.server.db.all('SELECT session_id, agent_id FROM assignment_offers WHERE tenant_id = ? AND outcome IS NULL ORDER BY session_id', [tenantId]);
}

function offeredTo(sessionId: string): string | null {
  return h.server.db.get<{ offer_to: string | null }>('SELECT offer_to FROM sessions WHERE id = ?', [sessionId])?.offer_to ?? null;
}

function statusOf(agentId: string, tenantId = 'rr'): { status: string; away_reason: string | null } | undefined {
  return h.server.db.get('SELECT status, away_reason FROM agents WHERE tenant_id = ? AND id = ?', [tenantId, agentId]);
}

async function chat(name: string, tenantId = 'rr'): Promise<string> {
  return (await h.api.startChat('q', name, { tenant: tenantId })).sessionId;
}

describe('automatic assignment', () => {
  test('off (the default): chats wait for "Get next", nobody is offered anything', async () => {
    tenant('off', { a1: 3 });
    const a1 = await h.api.agent('a1', { tenant: 'rr' });
    const s = await chat('Pull');
    await a1.sync();
    assert.equal(offeredTo(s), null);
    assert.deepEqual(await a1.ok({ t: 'next' }), { sessionId: s });
  });

  test('round robin: each Present agent gets one offer in turn; the offer is on every board; accepting answers it', async () => {
    tenant('round-robin', { a1: 3, a2: 3, a3: 3 });
    const agents = await Promise.all(['a1', 'a2', 'a3'].map((id) => h.api.agent(id, { tenant: 'rr' })));
    const first = await chat('One');
    const offer1 = await agents[0]!.waitFor(offerOf(first));
    const firstTo = offer1.data.offer!.agentId;
    assert.equal(offer1.data.offer!.expiresAt - offer1.data.offer!.at, OFFER_MS);
    assert.ok(offer1.data.offer!.agentName.startsWith('Agent '));
    const second = await chat('Two');
    const third = await chat('Three');
    const to2 = (await agents[1]!.waitFor(offerOf(second))).data.offer!.agentId;
    const to3 = (await agents[2]!.waitFor(offerOf(third))).data.offer!.agentId;
    assert.deepEqual(new Set([firstTo, to2, to3]).size, 3, 'three chats, three different agents');
    assert.equal(pending().length, 3);
    // A fourth waits: every agent holds an offer already.
    const fourth = await chat('Four');
    await agents[0]!.sync();
    assert.equal(offeredTo(fourth), null);
    // The agent of the first accepts: it is theirs; the fourth is offered to them next (the others hold offers).
    const owner = agents.find((_, i) => ['a1', 'a2', 'a3'][i] === firstTo)!;
    assert.deepEqual(await owner.ok({ t: 'offer-answer', sessionId: first, accept: true }), { sessionId: first });
    assert.equal(h.server.db.get<{ status: string; agent_id: string }>('SELECT status, agent_id FROM sessions WHERE id = ?', [first])?.agent_id, firstTo);
    await owner.waitFor(offerOf(fourth, firstTo));
    const outcome = h.server.db.get<{ outcome: string }>('SELECT outcome FROM assignment_offers WHERE session_id = ?', [first]);
    assert.equal(outcome?.outcome, 'accepted');
  });

  test('round robin goes on with the agent offered a chat longest ago', async () => {
    tenant('round-robin', { a1: 5, a2: 5 });
    const a1 = await h.api.agent('a1', { tenant: 'rr' });
    const a2 = await h.api.agent('a2', { tenant: 'rr' });
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      const s = await chat(`C${String(i)}`);
      const to = (await a1.waitFor(offerOf(s))).data.offer!.agentId;
      order.push(to);
      h.clock.advance(1000); // offers of this round are older than the next one's
      await (to === 'a1' ? a1 : a2).ok({ t: 'offer-answer', sessionId: s, accept: true });
    }
    assert.deepEqual(order, ['a1', 'a2', 'a1', 'a2']);
  });

  test('least busy: the agent with the fewest chats; only Present, online agents under their capacity', async () => {
    tenant('off', { busy: 4, free: 4, away: 4, full: 1, gone: 4 });
    const busy = await h.api.agent('busy', { tenant: 'rr' });
    const free = await h.api.agent('free', { tenant: 'rr' });
    const away = await h.api.agent('away', { tenant: 'rr' });
    const full = await h.api.agent('full', { tenant: 'rr' });
    await away.ok({ t: 'presence', status: 'away' });
    // Pull mode first: busy takes two, full takes one (its maximum), free one.
    for (const [who, n] of [[busy, 2], [full, 1], [free, 1]] as const) {
      for (let i = 0; i < n; i++) {
        await chat('Earlier');
        await who.ok({ t: 'next' });
      }
    }
    h.server.db.run("UPDATE channels SET assign_mode = 'least-busy' WHERE tenant_id = 'rr'");
    const s = await chat('Least busy');
    await free.waitFor(offerOf(s, 'free'));
    // Not to away (Away), full (at capacity), gone (offline) nor busy (2 chats).
    await free.ok({ t: 'offer-answer', sessionId: s, accept: true });
    // Now free and busy both have 2: the next goes to the one offered longest ago (busy: never).
    const s2 = await chat('Tie');
    await busy.waitFor(offerOf(s2, 'busy'));
    // Nobody else fits: a third chat waits without an offer until Away comes back.
    const s3 = await chat('Waits');
    await free.waitFor(offerOf(s3, 'free'));
    const s4 = await chat('Waits longer');
    await free.sync();
    assert.equal(offeredTo(s4), null);
    const from = away.mark();
    await away.ok({ t: 'presence', status: 'present' });
    await away.waitFor(offerOf(s4, 'away'), { from });
  });

  test('declining offers the chat to the next agent, never again to the one who declined', async () => {
    tenant('round-robin', { a1: 3, a2: 3 });
    const a1 = await h.api.agent('a1', { tenant: 'rr' });
    const a2 = await h.api.agent('a2', { tenant: 'rr' });
    const s = await chat('Decline me');
    await a1.waitFor(offerOf(s, 'a1'));
    let from = a2.mark();
    await a1.ok({ t: 'offer-answer', sessionId: s, accept: false });
    await a2.waitFor(offerOf(s, 'a2'), { from });
    assert.equal(statusOf('a1')?.status, 'present', 'declining is not auto-away');
    from = a1.mark();
    await a2.ok({ t: 'offer-answer', sessionId: s, accept: false });
    // Both declined: it waits for someone to pull it; its board row shows no offer.
    await a1.waitFor((f): f is SessionUpsert => isUpsert(f) && f.data.id === s && f.data.offer === undefined, { from });
    assert.equal(offeredTo(s), null);
    assert.deepEqual(await a1.ok({ t: 'next' }), { sessionId: s });
  });

  test('not accepted in time: the agent is set Away (auto-away, on every roster) and the chat goes to the next', async () => {
    tenant('round-robin', { a1: 3, a2: 3 });
    const a1 = await h.api.agent('a1', { tenant: 'rr' });
    const a2 = await h.api.agent('a2', { tenant: 'rr' });
    const s = await chat('Slow');
    await a2.waitFor(offerOf(s, 'a1'));
    const from = a2.mark();
    h.clock.advance(OFFER_MS / 2);
    await a2.sync();
    assert.equal(offeredTo(s), 'a1', 'not yet');
    h.clock.advance(OFFER_MS / 2);
    await a2.waitFor(offerOf(s, 'a2'), { from });
    assert.deepEqual(statusOf('a1'), { status: 'away', away_reason: 'auto' });
    await a2.waitFor(agentRecord('a1', (a) => a.status === 'away' && a.awayReason === 'auto'), { from, label: 'a1 auto-away on the roster' });
    // Too late: a1 can no longer answer it.
    refused(await a1.command({ t: 'offer-answer', sessionId: s, accept: true }), 'forbidden');
    // Back to Present clears the reason.
    await a1.ok({ t: 'presence', status: 'present' });
    assert.deepEqual(statusOf('a1'), { status: 'present', away_reason: null });
    const rows = h.server.db.all<{ agent_id: string; outcome: string | null }>('SELECT agent_id, outcome FROM assignment_offers WHERE session_id = ? ORDER BY offered_at, rowid', [s]);
    assert.deepEqual(rows, [
      { agent_id: 'a1', outcome: 'expired' },
      { agent_id: 'a2', outcome: null },
    ]);
  });

  test('going Away withdraws the offer at once; it goes to the next', async () => {
    tenant('round-robin', { a1: 3, a2: 3 });
    const a1 = await h.api.agent('a1', { tenant: 'rr' });
    const a2 = await h.api.agent('a2', { tenant: 'rr' });
    const s = await chat('Withdrawn');
    await a2.waitFor(offerOf(s, 'a1'));
    const from = a2.mark();
    await a1.ok({ t: 'presence', status: 'away' });
    await a2.waitFor(offerOf(s, 'a2'), { from });
    assert.equal(statusOf('a1')?.away_reason, null, 'Away by choice has no reason');
  });

  test('switched back to off: the pending offer is withdrawn at the next sweep; nobody is set Away', async () => {
    tenant('round-robin', { a1: 3, a2: 3 });
    const a1 = await h.api.agent('a1', { tenant: 'rr' });
    const a2 = await h.api.agent('a2', { tenant: 'rr' });
    const s = await chat('Switched off');
    await a2.waitFor(offerOf(s, 'a1'));
    h.server.db.run("UPDATE channels SET assign_mode = 'off' WHERE tenant_id = 'rr' AND id = 'q'");
    const from = a2.mark();
    h.clock.advance(5000); // one sweep of room time
    await a2.waitFor((f): f is SessionUpsert => isUpsert(f) && f.data.id === s && f.data.status === 'queued' && f.data.offer === undefined, { from, label: 'offer withdrawn on the board' });
    assert.equal(offeredTo(s), null);
    h.clock.advance(OFFER_MS); // long past the offer's time
    await a1.sync();
    await a2.sync();
    assert.deepEqual(statusOf('a1'), { status: 'present', away_reason: null });
    assert.deepEqual(statusOf('a2'), { status: 'present', away_reason: null });
    assert.deepEqual(pending(), []);
    assert.equal(h.server.db.get<{ outcome: string }>('SELECT outcome FROM assignment_offers WHERE session_id = ?', [s])?.outcome, 'withdrawn');
  });

  test('an offer that runs out after its channel stopped assigning is withdrawn, not an auto-away', async () => {
    tenant('round-robin', { a1: 3 });
    const a1 = await h.api.agent('a1', { tenant: 'rr' });
    const s = await chat('Expired off');
    await a1.waitFor(offerOf(s, 'a1'));
    h.server.db.run("UPDATE channels SET assign_mode = 'off' WHERE tenant_id = 'rr' AND id = 'q'");
    // The expiry comes first (the whole offer time at once, before a sweep ran on its own).
    h.clock.advance(OFFER_MS);
    await a1.sync();
    assert.equal(offeredTo(s), null);
    assert.deepEqual(statusOf('a1'), { status: 'present', away_reason: null });
    assert.equal(h.server.db.get<{ outcome: string }>('SELECT outcome FROM assignment_offers WHERE session_id = ?', [s])?.outcome, 'withdrawn');
  });

  test('only the offered agent answers an offer; other agents, customers and stale offers are refused', async () => {
    tenant('round-robin', { a1: 3, a2: 3 });
    createTenant(h.server.db, { id: 'other', name: 'Other', channels: [{ id: 'x', name: 'X', welcomeMessage: 'Hi' }], agents: [{ id: 'o1', name: 'O', email: 'o@x.example', maxConcurrentChats: 2, channels: { x: {} } }] }, h.clock.now());
    const a1 = await h.api.agent('a1', { tenant: 'rr' });
    const a2 = await h.api.agent('a2', { tenant: 'rr' });
    const started = await h.api.startChat('q', 'Asker', { tenant: 'rr' });
    await a2.waitFor(offerOf(started.sessionId, 'a1'));
    refused(await a2.command({ t: 'offer-answer', sessionId: started.sessionId, accept: true }), 'forbidden');
    const customer = await h.api.customer(started, { tenant: 'rr' });
    refused(await customer.command({ t: 'offer-answer', sessionId: started.sessionId, accept: true }), 'forbidden');
    const o1 = await h.api.agent('o1', { tenant: 'other' });
    refused(await o1.command({ t: 'offer-answer', sessionId: started.sessionId, accept: true }), 'forbidden');
    refused(await o1.command({ t: 'offer-answer', sessionId: 's_nonexistent1', accept: true }), 'forbidden');
    await a1.ok({ t: 'offer-answer', sessionId: started.sessionId, accept: true });
    refused(await a1.command({ t: 'offer-answer', sessionId: started.sessionId, accept: true }), 'conflict');
  });

  test('a manager sets the mode in the channel settings editor; invalid values are refused by field; the queue is offered', async () => {
    const token = await h.api.token('anna'); // manager of sales and support in the demo
    const put = (json: unknown) => h.api.request('PUT', '/api/channels/sales/settings', { headers: { authorization: `Bearer ${token}` }, json });
    const bad = await put({ assignment: { mode: 'random', offerSeconds: 5 } });
    assert.equal(bad.status, 400);
    const fields = (bad.body as { error: { fields: Record<string, string> } }).error.fields;
    assert.match(fields['assignment.mode']!, /round-robin/);
    assert.match(fields['assignment.offerSeconds']!, /10 to 600/);
    const lars = await h.api.agent('lars'); // sales only, Present
    const waiting = await h.api.startChat('sales', 'Before the change');
    await lars.sync();
    assert.equal(offeredTo(waiting.sessionId), null);
    const good = await put({ assignment: { mode: 'least-busy', offerSeconds: 45 } });
    assert.equal(good.status, 200, JSON.stringify(good.body));
    assert.deepEqual((good.body as { assignment: unknown }).assignment, { mode: 'least-busy', offerSeconds: 45 });
    // The sweep (every 5 s of room time) offers what already waits.
    const from = lars.mark();
    h.clock.advance(5000);
    const offered = await lars.waitFor(offerOf(waiting.sessionId), { from });
    assert.equal(offered.data.offer!.expiresAt - offered.data.offer!.at, 45_000);
    // Not a manager: refused.
    const erik = await h.api.token('erik');
    const denied = await h.api.request('PUT', '/api/channels/sales/settings', { headers: { authorization: `Bearer ${erik}` }, json: { assignment: { mode: 'off' } } });
    assert.equal(denied.status, 403);
  });
});

describe('automatic assignment under races', () => {
  test('offer-answer vs accept vs next on one offered chat, 30 rounds: exactly one winner, never two offers for one chat', async () => {
    const ids = ['a1', 'a2', 'a3', 'a4'];
    tenant('round-robin', Object.fromEntries(ids.map((id) => [id, 100])));
    const agents = await Promise.all(ids.map((id) => h.api.agent(id, { tenant: 'rr' })));
    const byId = new Map(ids.map((id, i) => [id, agents[i]!]));
    for (let round = 0; round < 30; round++) {
      if (round > 0 && round % 15 === 0) {
        // The chat-start limit is per minute: move on (no offer is pending between rounds).
        assert.equal(pending().length, 0);
        h.clock.advance(61_000);
      }
      const s = await chat(`Racer ${String(round)}`);
      const offer = await agents[0]!.waitFor(offerOf(s));
      const target = offer.data.offer!.agentId;
      const others = ids.filter((id) => id !== target);
      // Same instant: the offered agent accepts, one other answers the chat, one asks for next.
      const rid = `race${String(round)}`;
      const contenders: [string, Record<string, unknown>][] = [
        [target, { t: 'offer-answer', rid, sessionId: s, accept: true }],
        [others[round % 3]!, { t: 'accept', rid, sessionId: s }],
        [others[(round + 1) % 3]!, { t: 'next', rid }],
      ];
      if (round % 2 === 1) contenders.reverse();
      const froms = contenders.map(([id]) => byId.get(id)!.mark());
      for (const [id, frame] of contenders) byId.get(id)!.sendJson(frame);
      const answers = await Promise.all(
        contenders.map(([id], i) => byId.get(id)!.waitFor((f): f is OkFrame | NackFrame => (isOk(f) || isNack(f)) && f.rid === rid, { from: froms[i] })),
      );
      const winners = answers.filter((a) => isOk(a) && (a.data as { sessionId: string }).sessionId === s);
      assert.equal(winners.length, 1, `round ${String(round)}: ${JSON.stringify(answers)}`);
      for (const a of answers) if (isNack(a)) assert.ok(['conflict', 'queue_empty'].includes(a.code), JSON.stringify(a));
      // `next` never takes a chat offered to someone else.
      const nextAnswer = answers[contenders.findIndex(([, f]) => f.t === 'next')]!;
      if (isOk(nextAnswer)) assert.notEqual((nextAnswer.data as { sessionId: string }).sessionId, s, 'next took an offered chat');
      const row = h.server.db.get<{ status: string; agent_id: string; offer_to: string | null }>('SELECT status, agent_id, offer_to FROM sessions WHERE id = ?', [s]);
      assert.equal(row?.status, 'active');
      assert.equal(row.offer_to, null);
      assert.equal(pending().length, 0, 'no offer left pending');
    }
    // The stored truth: one `joined` per chat, at most one pending offer per chat at any time (unique index).
    const joined = h.server.db.all<{ n: number }>("SELECT COUNT(*) AS n FROM messages WHERE tenant_id = 'rr' AND event = 'joined' GROUP BY session_id");
    assert.equal(joined.length, 30);
    assert.ok(joined.every((j) => j.n === 1));
    assert.throws(() => {
      h.server.db.run("INSERT INTO assignment_offers (tenant_id, session_id, channel_id, agent_id, offered_at, expires_at) VALUES ('rr', 'sX', 'q', 'a1', 1, 2)");
      h.server.db.run("INSERT INTO assignment_offers (tenant_id, session_id, channel_id, agent_id, offered_at, expires_at) VALUES ('rr', 'sX', 'q', 'a2', 1, 2)");
    }, /UNIQUE/);
  });

  test('a burst of chats and agents: every pending offer is for a different chat and a different agent', async () => {
    const ids = ['b1', 'b2', 'b3', 'b4', 'b5'];
    tenant('least-busy', Object.fromEntries(ids.map((id) => [id, 2])), 'burst');
    const agents = await Promise.all(ids.map((id) => h.api.agent(id, { tenant: 'burst' })));
    const sessions = await Promise.all(Array.from({ length: 8 }, (_, i) => chat(`Burst ${String(i)}`, 'burst')));
    await agents[0]!.waitFor(
      (() => {
        let n = 0;
        return (f: ServerFrame): f is SessionUpsert => isUpsert(f) && f.data.offer !== undefined && ++n >= 5;
      })(),
    );
    const p = pending('burst');
    assert.equal(p.length, 5, 'one offer per agent, five agents');
    assert.equal(new Set(p.map((o) => o.session_id)).size, 5);
    assert.equal(new Set(p.map((o) => o.agent_id)).size, 5);
    // The oldest five chats are the ones offered.
    const oldest = h.server.db.all<{ id: string }>("SELECT id FROM sessions WHERE tenant_id = 'burst' ORDER BY created_at, id LIMIT 5").map((r) => r.id);
    assert.deepEqual(new Set(p.map((o) => o.session_id)), new Set(oldest));
    assert.equal(sessions.length, 8);
  });
});

describe('automatic assignment across a restart', () => {
  test('an offer pending at a restart is still there: the agent accepts it after reconnecting', async () => {
    tenant('round-robin', { a1: 3 });
    const a1 = await h.api.agent('a1', { tenant: 'rr' });
    const s = await chat('Restart');
    await a1.waitFor(offerOf(s, 'a1'));
    const { dataDir, clock } = h;
    await h.server.close();
    h = await startServer({ dataDir, clock, keepData: false });
    const again = await h.api.agent('a1', { tenant: 'rr' });
    const snapshot = (await h.api.request('GET', '/api/snapshot', { headers: { authorization: `Bearer ${await h.api.token('a1', 'rr')}` } })).body as {
      sessions: { id: string; offer?: { agentId: string } }[];
    };
    assert.equal(snapshot.sessions.find((x) => x.id === s)?.offer?.agentId, 'a1');
    assert.deepEqual(await again.ok({ t: 'offer-answer', sessionId: s, accept: true }), { sessionId: s });
  });

  test('an offer that runs out while the server is down expires at start: auto-away, offered to the next', async () => {
    tenant('round-robin', { a1: 3, a2: 3 });
    const a1 = await h.api.agent('a1', { tenant: 'rr' });
    const s = await chat('Overdue');
    await a1.waitFor(offerOf(s, 'a1'));
    const { dataDir, clock } = h;
    await h.server.close();
    clock.advance(OFFER_MS + 1);
    h = await startServer({ dataDir, clock, keepData: false });
    // The tenant's room starts with its first connection: the overdue offer expires then.
    const a2 = await h.api.agent('a2', { tenant: 'rr' });
    await a2.sync();
    assert.deepEqual(statusOf('a1'), { status: 'away', away_reason: 'auto' });
    assert.equal(offeredTo(s), 'a2');
    // a2 came online in its own hello: its board snapshot already shows the offer.
    const reset = a2.all(isBoardReset).at(-1);
    assert.equal(reset?.snapshot.sessions.find((x) => x.id === s)?.offer?.agentId, 'a2');
    assert.equal(h.server.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM assignment_offers WHERE session_id = ? AND outcome IS NULL', [s])?.n, 1);
  });
});
