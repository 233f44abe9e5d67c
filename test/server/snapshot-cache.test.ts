/**
 * Issue 12 (Scenario B's setup): a console's board snapshot is joined from session summaries the
 * room serialised once and keeps until the session changes (room/board.ts), instead of being made
 * from every row again for each console that connects. Over a real socket and real SQLite: after
 * each kind of change (start, answer, messages both ways, reads, a transfer offer, help, hold, end,
 * a renamed agent) a fresh console's snapshot is exactly the one `GET /api/snapshot` makes from
 * the rows (no cache), sessions in the same order and the same roster.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';

import type { AgentInfo, SessionSummary } from '../../src/protocol/index.js';
import { isBoardReset, isResetPart, openActiveChat, startServer, type Harness, type TestClient } from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await startServer();
});
afterEach(async () => {
  await h.close();
});

interface Board {
  sessions: SessionSummary[];
  agents: AgentInfo[];
}

/** A fresh console's snapshot (all its parts), and the one made from the rows at that moment. */
async function bothSnapshots(agentId: string): Promise<{ live: Board; rows: Board }> {
  const agentConsole = await h.api.agent(agentId);
  const reset = await agentConsole.waitFor(isBoardReset, { label: `${agentId}: reset` });
  const rest = (reset.parts ?? 1) > 1 ? await agentConsole.waitForCount(isResetPart, (reset.parts ?? 1) - 1) : [];
  const live = {
    sessions: [...reset.snapshot.sessions, ...rest.flatMap((p) => p.sessions ?? [])],
    agents: [...reset.snapshot.agents, ...rest.flatMap((p) => p.agents ?? [])],
  };
  // While the console is open (its agent counts as online in both).
  const r = await h.api.request('GET', '/api/snapshot', { headers: { authorization: `Bearer ${await h.api.token(agentId)}` } });
  assert.equal(r.status, 200);
  const body = r.body as Board;
  await agentConsole.close();
  return { live, rows: { sessions: body.sessions, agents: body.agents } };
}

async function assertSame(label: string, agents: readonly string[] = ['erik', 'anna', 'lars']): Promise<void> {
  for (const agentId of agents) {
    const { live, rows } = await bothSnapshots(agentId);
    assert.deepEqual(live.sessions, rows.sessions, `${label}: ${agentId}'s sessions as the rows say`);
    assert.deepEqual(live.agents, rows.agents, `${label}: ${agentId}'s roster as the rows say`);
  }
}

const ok = (c: TestClient, frame: Record<string, unknown> & { t: string }) => c.ok(frame);

describe('board snapshots from kept summaries', () => {
  test('after every kind of change a console gets exactly the snapshot the rows make', async () => {
    const queued = await h.api.startChat('support', 'Queued Customer');
    await assertSame('queued');

    const a = await openActiveChat(h.api, { agentId: 'erik', name: 'Active Customer' });
    await assertSame('answered');

    await a.customer.sendOk(a.sessionId, 'hello from the customer');
    const ack = await a.agent.sendOk(a.sessionId, 'hello from Erik');
    await a.agent.sync();
    await assertSame('messages both ways');

    await ok(a.agent, { t: 'read', sessionId: a.sessionId, seq: ack.seq });
    await ok(a.customer, { t: 'read', sessionId: a.sessionId, seq: 2 });
    await assertSame('read positions');

    const anna = await h.api.agent('anna');
    await ok(a.agent, { t: 'transfer', sessionId: a.sessionId, to: { agentId: 'anna' }, note: 'over to you' });
    await assertSame('transfer offered');
    await ok(anna, { t: 'transfer-answer', sessionId: a.sessionId, accept: true });
    await assertSame('transfer accepted');

    const b = await openActiveChat(h.api, { agentId: 'erik', name: 'Held Customer' });
    await ok(b.agent, { t: 'help', sessionId: b.sessionId, on: true, note: 'a tricky one' });
    await assertSame('help asked for');
    await ok(b.agent, { t: 'hold', sessionId: b.sessionId, on: true });
    await assertSame('on hold');

    await ok(b.agent, { t: 'hold', sessionId: b.sessionId, on: false });
    await ok(b.agent, { t: 'end', sessionId: b.sessionId });
    await ok(b.agent, { t: 'accept', sessionId: queued.sessionId });
    await assertSame('ended, and the queued chat answered');

    // A renamed agent: every kept summary that names them is made again.
    const { key } = await h.server.provisioning.keys.create({ tenantId: 'demo', name: 'rename', createdBy: 'test' });
    const renamed = await h.api.request('PATCH', '/api/provisioning/tenants/demo/agents/erik', {
      headers: { authorization: `Bearer ${key}` },
      json: { name: 'Erik Renamed' },
    });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    const { live } = await bothSnapshots('anna');
    assert.ok(
      live.sessions.some((s) => s.id === b.sessionId && s.agentName === 'Erik Renamed'),
      'the ended chat shows its handler by the new name',
    );
    await assertSame('an agent renamed');
  });
});
