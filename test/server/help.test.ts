/**
 * Ask for help (issue 18): the handling agent raises a flag on an active chat; the channel's
 * supervisors (listen or manager permission) see it on their board with the time it was raised,
 * and it clears when handled: a supervisor opens the chat or takes it over, the agent (or a
 * supervisor) lowers it, or the chat ends. Server-enforced, stored (migration 11), survives a
 * restart; the customer never hears of it. Over real sockets against the real server and SQLite.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, test } from 'node:test';

import type { ChatMessage, SessionSummary } from '../../src/protocol/index.js';
import type { Harness, SessionEvent } from './helpers.js';
import { boardRow as row, openActiveChat, refused, sessionEventNamed as eventOf, sessionEventOf, sessionResetOf, snapshotRow, startServer, tempDir } from './helpers.js';

describe('ask for help', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startServer();
  });

  afterEach(async () => {
    await h.close();
  });

  test('the agent raises a flag: supervisors see it with its time; a supervisor listening in clears it', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik', channel: 'support' });
    const anna = await h.api.agent('anna'); // listen + manager in Support
    const customerFrom = c.customer.mark();
    h.clock.advance(1000);
    const before = h.clock.now();
    const answer = (await c.agent.ok({ t: 'help', sessionId: c.sessionId, on: true, note: 'Wants a refund <b>now</b>' })) as { at: number };
    const raisedAt = answer.at;
    assert.ok(raisedAt >= before && raisedAt <= h.clock.now(), 'raised at the server time of the frame');

    // Anna's board: the row carries the request (who, when, the note as text).
    const raised = await anna.waitFor(row(c.sessionId, (s) => s.help !== undefined));
    assert.deepEqual(raised.data.help, { at: raisedAt, agentId: 'erik', agentName: 'Erik Johansson', note: 'Wants a refund <b>now</b>' });
    // The agent's own stream shows the agent-only event.
    const event = await c.agent.waitFor(eventOf(c.sessionId, 'help-requested'));
    assert.equal(event.data.internal, true);
    assert.equal(event.data.meta?.note, 'Wants a refund <b>now</b>');

    // Raising again replaces the note but keeps the waiting time.
    h.clock.advance(5000);
    await c.agent.ok({ t: 'help', sessionId: c.sessionId, on: true, note: 'Still waiting' });
    const again = await anna.waitFor(row(c.sessionId, (s) => s.help?.note === 'Still waiting'));
    assert.equal(again.data.help?.at, raisedAt);

    // Anna listens in: the request is answered, the row loses its flag, Erik sees who came.
    const from = anna.mark();
    await anna.ok({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' });
    await anna.waitFor(row(c.sessionId, (s) => s.help === undefined), { from, label: 'flag cleared' });
    const cleared = await c.agent.waitFor(eventOf(c.sessionId, 'help-cleared'));
    assert.equal(cleared.data.meta?.help, 'joined');
    assert.equal(cleared.data.meta.fromAgentId, 'anna');
    assert.equal(cleared.data.internal, true);

    // The customer heard nothing of it: not live, not in history.
    await c.agent.sendOk(c.sessionId, 'Let me check.');
    await c.customer.waitFor((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && f.data.text === 'Let me check.', { from: customerFrom });
    const history = (await c.customer.ok({ t: 'history', sessionId: c.sessionId, limit: 100 })) as { messages: ChatMessage[] };
    assert.ok(!history.messages.some((m) => m.event === 'help-requested' || m.event === 'help-cleared'));
    assert.equal(c.customer.all((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && String(f.data.event).startsWith('help')).length, 0);
  });

  test("handled by listening in or by a whisper: the supervisor's own board and every other supervisor's lose the request", async () => {
    // A second supervisor of Support (listen, not manager), provisioned like a CRM would.
    const { key } = await h.server.provisioning.keys.create({ tenantId: 'demo', name: 'test supervisors', createdBy: 'test' });
    const put = await h.api.request('PUT', '/api/provisioning/tenants/demo/agents', {
      headers: { authorization: `Bearer ${key}` },
      json: { agents: [{ externalId: 'maja', name: 'Maja Ek', channels: { support: { respond: true, notifications: true, listen: true, manager: false } } }] },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const majaId = (put.body as { agents: { id: string }[] }).agents[0]?.id ?? '';
    const c = await openActiveChat(h.api, { agentId: 'erik', channel: 'support' });
    const anna = await h.api.agent('anna');
    const maja = await h.api.agent(majaId);
    /** The summary of the chat a console holds after applying what it got since `from`, in order. */
    const held = (client: typeof anna, from: number): SessionSummary | undefined => {
      let last: SessionSummary | undefined;
      for (const f of client.frames.slice(from)) {
        if (row(c.sessionId, () => true)(f)) last = f.data;
        else if (sessionResetOf(c.sessionId)(f) && f.snapshot.session) last = f.snapshot.session;
      }
      return last;
    };

    // 1. Anna listens in: the answer's snapshot already shows the request answered (and the
    //    event that says so), so nothing she receives sets her row back to "help requested".
    await c.agent.ok({ t: 'help', sessionId: c.sessionId, on: true, note: 'Refund over my limit' });
    await anna.waitFor(row(c.sessionId, (s) => s.help !== undefined));
    await maja.waitFor(row(c.sessionId, (s) => s.help !== undefined));
    let annaFrom = anna.mark();
    let majaFrom = maja.mark();
    await anna.ok({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' });
    const reset = await anna.waitFor(sessionResetOf(c.sessionId), { from: annaFrom });
    assert.equal(reset.snapshot.session?.help, undefined, "the subscriber's snapshot carries the cleared summary");
    assert.ok(
      reset.snapshot.messages.some((m) => m.event === 'help-cleared'),
      'the snapshot holds the event that answered it',
    );
    await anna.sync();
    assert.equal(held(anna, annaFrom)?.help, undefined, "anna's board ends without the request");
    await maja.waitFor(row(c.sessionId, (s) => s.help === undefined), { from: majaFrom, label: "maja's row cleared" });
    assert.equal(held(maja, majaFrom)?.help, undefined);

    // 2. Asked again while Anna still listens: her whisper answers it (she opened nothing new).
    await c.agent.ok({ t: 'help', sessionId: c.sessionId, on: true });
    await anna.waitFor(row(c.sessionId, (s) => s.help !== undefined), { from: annaFrom });
    await maja.waitFor(row(c.sessionId, (s) => s.help !== undefined), { from: majaFrom });
    annaFrom = anna.mark();
    majaFrom = maja.mark();
    const erikFrom = c.agent.mark();
    await anna.sendOk(c.sessionId, 'Offer the voucher first.', { kind: 'whisper' });
    await anna.waitFor(row(c.sessionId, (s) => s.help === undefined), { from: annaFrom, label: "anna's row cleared by her whisper" });
    await maja.waitFor(row(c.sessionId, (s) => s.help === undefined), { from: majaFrom, label: "maja's row cleared by anna's whisper" });
    const cleared = await c.agent.waitFor(eventOf(c.sessionId, 'help-cleared'), { from: erikFrom });
    assert.equal(cleared.data.meta?.fromAgentId, 'anna');
    await c.agent.waitFor(row(c.sessionId, (s) => s.help === undefined), { from: erikFrom });

    // 3. A whisper with no request waiting changes nothing on the board.
    const quietFrom = maja.mark();
    await anna.sendOk(c.sessionId, 'Well done.', { kind: 'whisper' });
    await maja.sync();
    assert.equal(maja.all(row(c.sessionId, () => true), quietFrom).length, 0, 'no board event for a plain whisper');
  });

  test('only the handling agent raises; the agent or a supervisor lowers; others are refused', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik', channel: 'support' });
    const anna = await h.api.agent('anna');
    const sofia = await h.api.agent('sofia'); // Support, respond only: not a supervisor
    const lars = await h.api.agent('lars'); // Sales only
    refused(await anna.command({ t: 'help', sessionId: c.sessionId, on: true }), 'forbidden');
    refused(await sofia.command({ t: 'help', sessionId: c.sessionId, on: true }), 'forbidden');
    refused(await lars.command({ t: 'help', sessionId: c.sessionId, on: true }), 'forbidden');
    refused(await c.customer.command({ t: 'help', sessionId: c.sessionId, on: true }), 'forbidden');
    refused(await c.agent.command({ t: 'help', sessionId: 'nope', on: true }), 'forbidden');
    refused(await c.agent.command({ t: 'help', sessionId: c.sessionId, on: true, note: 'x'.repeat(301) }), 'invalid');

    // Lowering: the agent (a no-op without a flag), not a colleague without supervision.
    await c.agent.ok({ t: 'help', sessionId: c.sessionId, on: false });
    await c.agent.ok({ t: 'help', sessionId: c.sessionId, on: true });
    refused(await sofia.command({ t: 'help', sessionId: c.sessionId, on: false }), 'forbidden');
    let from = anna.mark();
    await c.agent.ok({ t: 'help', sessionId: c.sessionId, on: false });
    await anna.waitFor(row(c.sessionId, (s) => s.help === undefined), { from });
    const lowered = await c.agent.waitFor(eventOf(c.sessionId, 'help-cleared'));
    assert.equal(lowered.data.meta?.help, 'lowered');

    // A supervisor may lower it without opening the chat (answered elsewhere).
    await c.agent.ok({ t: 'help', sessionId: c.sessionId, on: true });
    from = c.agent.mark();
    await anna.ok({ t: 'help', sessionId: c.sessionId, on: false });
    const answered = await c.agent.waitFor(eventOf(c.sessionId, 'help-cleared'), { from });
    assert.equal(answered.data.meta?.help, 'answered');

    // A queued chat has no agent to help; an ended one neither.
    const queued = await h.api.startChat('support', 'Queued Customer');
    refused(await c.agent.command({ t: 'help', sessionId: queued.sessionId, on: true }), 'forbidden');
    await c.agent.ok({ t: 'end', sessionId: c.sessionId });
    refused(await c.agent.command({ t: 'help', sessionId: c.sessionId, on: true }), 'session_closed');
  });

  test('the flag clears when a supervisor takes over, and when the chat ends', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik', channel: 'support' });
    const anna = await h.api.agent('anna');
    await c.agent.ok({ t: 'help', sessionId: c.sessionId, on: true });
    await anna.waitFor(row(c.sessionId, (s) => s.help !== undefined));
    let from = anna.mark();
    await anna.ok({ t: 'takeover', sessionId: c.sessionId });
    const taken = await anna.waitFor(row(c.sessionId, (s) => s.agentId === 'anna'), { from });
    assert.equal(taken.data.help, undefined);

    const d = await openActiveChat(h.api, { agentId: 'erik', channel: 'support', agent: c.agent });
    await d.agent.ok({ t: 'help', sessionId: d.sessionId, on: true });
    await anna.waitFor(row(d.sessionId, (s) => s.help !== undefined));
    from = anna.mark();
    await d.customer.ok({ t: 'end', sessionId: d.sessionId });
    const ended = await anna.waitFor(row(d.sessionId, (s) => s.status === 'ended'), { from });
    assert.equal(ended.data.help, undefined);
  });

  test('a raised flag survives a restart and is still cleared by a supervisor joining', async () => {
    const dataDir = await tempDir();
    try {
      const first = await startServer({ dataDir, keepData: true });
      const c = await openActiveChat(first.api, { agentId: 'erik', channel: 'support' });
      await c.agent.ok({ t: 'help', sessionId: c.sessionId, on: true, note: 'Legal question' });
      const at = first.clock.now();
      await first.close();

      const second = await startServer({ dataDir, keepData: true, clock: first.clock });
      try {
        const anna = await second.api.agent('anna');
        const help = snapshotRow(anna, c.sessionId)?.help;
        assert.ok(help, 'the flag is in the board snapshot after the restart');
        assert.equal(help.note, 'Legal question');
        assert.ok(help.at <= at);
        const from = anna.mark();
        await anna.ok({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' });
        await anna.waitFor(sessionResetOf(c.sessionId));
        await anna.waitFor(row(c.sessionId, (s) => s.help === undefined), { from });
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
