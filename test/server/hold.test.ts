/**
 * Hold and return to queue (issue 18). Hold: the handling agent parks an active chat; it frees
 * their capacity (the roster's load and a new answer both count it out), the customer is told
 * (`held`, localised by the widget), and only the same agent resumes it (`resumed`), capacity
 * permitting. Return to queue: the handling agent (or a manager) sends the chat back to its
 * queue with a reason that is stored and shown to the next agent. Real sockets, real SQLite.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, test } from 'node:test';

import type { Harness } from './helpers.js';
import { agentRecord, boardRow as row, openActiveChat, refused, sessionEventNamed as eventOf, snapshotRow, startServer, tempDir } from './helpers.js';

describe('hold', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startServer();
  });

  afterEach(async () => {
    await h.close();
  });

  test('hold frees capacity and tells the customer; the same agent resumes it', async () => {
    // Lars handles at most 3 chats (Sales): fill them.
    const lars = await h.api.agent('lars');
    const chats = [];
    for (let i = 0; i < 3; i++) chats.push(await openActiveChat(h.api, { channel: 'sales', agent: lars, name: `Customer ${String(i)}` }));
    const [first] = chats;
    assert.ok(first);
    const waiting = await h.api.startChat('sales', 'Fourth Customer');
    refused(await lars.command({ t: 'accept', sessionId: waiting.sessionId }), 'at_capacity');

    let from = lars.mark();
    const customerFrom = first.customer.mark();
    const held = (await lars.ok({ t: 'hold', sessionId: first.sessionId, on: true })) as { heldAt: number };
    assert.ok(typeof held.heldAt === 'number');
    // The board row and the roster's load say so.
    await lars.waitFor(row(first.sessionId, (s) => s.heldAt === held.heldAt), { from });
    await lars.waitFor(agentRecord('lars', (a) => a.activeChats === 2), { from, label: 'load without the held chat' });
    // The customer is told (an event both sides see; the widget localises it by name).
    const told = await first.customer.waitFor(eventOf(first.sessionId, 'held'), { from: customerFrom });
    assert.notEqual(told.data.internal, true);
    // Holding again is a no-op with the same time.
    assert.deepEqual(await lars.ok({ t: 'hold', sessionId: first.sessionId, on: true }), { sessionId: first.sessionId, heldAt: held.heldAt });

    // The freed place takes the waiting chat; now resuming would exceed the capacity.
    await lars.ok({ t: 'accept', sessionId: waiting.sessionId });
    refused(await lars.command({ t: 'hold', sessionId: first.sessionId, on: false }), 'at_capacity');
    await lars.ok({ t: 'end', sessionId: waiting.sessionId });

    // Resumed: capacity counts it again, the customer is told.
    from = lars.mark();
    await lars.ok({ t: 'hold', sessionId: first.sessionId, on: false });
    await lars.waitFor(row(first.sessionId, (s) => s.heldAt === undefined), { from });
    await first.customer.waitFor(eventOf(first.sessionId, 'resumed'), { from: customerFrom });
    await lars.waitFor(agentRecord('lars', (a) => a.activeChats === 3), { from });
  });

  test('only the handling agent holds and resumes; a held chat survives a restart; takeover clears it', async () => {
    const dataDir = await tempDir();
    try {
      const first = await startServer({ dataDir, keepData: true });
      const c = await openActiveChat(first.api, { agentId: 'erik', channel: 'support' });
      const anna = await first.api.agent('anna'); // manager: may take over, not hold another's chat
      refused(await anna.command({ t: 'hold', sessionId: c.sessionId, on: true }), 'forbidden');
      refused(await c.customer.command({ t: 'hold', sessionId: c.sessionId, on: true }), 'forbidden');
      await c.agent.ok({ t: 'hold', sessionId: c.sessionId, on: true });
      refused(await anna.command({ t: 'hold', sessionId: c.sessionId, on: false }), 'forbidden');
      const queued = await first.api.startChat('support', 'Queued');
      refused(await c.agent.command({ t: 'hold', sessionId: queued.sessionId, on: true }), 'forbidden');
      await first.close();

      const second = await startServer({ dataDir, keepData: true, clock: first.clock });
      try {
        const erik = await second.api.agent('erik');
        assert.ok(snapshotRow(erik, c.sessionId)?.heldAt !== undefined, 'still held after the restart');
        const anna2 = await second.api.agent('anna');
        const from = anna2.mark();
        await anna2.ok({ t: 'takeover', sessionId: c.sessionId });
        const taken = await anna2.waitFor(row(c.sessionId, (s) => s.agentId === 'anna'), { from });
        assert.equal(taken.data.heldAt, undefined, 'a takeover ends the hold');
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('return to queue with a reason', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startServer();
  });

  afterEach(async () => {
    await h.close();
  });

  test('the reason is stored and shown to the next agent, on the waiting row and after answering', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik', channel: 'support' });
    const sofia = await h.api.agent('sofia');
    const from = sofia.mark();
    await c.agent.ok({ t: 'requeue', sessionId: c.sessionId, reason: 'Needs a Norwegian speaker <i>today</i>' });
    const back = await sofia.waitFor(row(c.sessionId, (s) => s.status === 'queued'), { from });
    assert.equal(back.data.returned?.reason, 'Needs a Norwegian speaker <i>today</i>');
    assert.equal(back.data.returned.agentName, 'Erik Johansson');
    assert.equal(back.data.agentId, undefined);
    // Agents see it in the stream too (the requeued event's note); the customer waits again.
    const event = await c.agent.waitFor(eventOf(c.sessionId, 'requeued'));
    assert.equal(event.data.meta?.note, 'Needs a Norwegian speaker <i>today</i>');
    await c.customer.waitFor(eventOf(c.sessionId, 'queued'), { from: 1 });

    // Sofia answers: the row still tells her why it came back.
    const mark = sofia.mark();
    await sofia.ok({ t: 'accept', sessionId: c.sessionId });
    const mine = await sofia.waitFor(row(c.sessionId, (s) => s.agentId === 'sofia'), { from: mark });
    assert.equal(mine.data.returned?.reason, 'Needs a Norwegian speaker <i>today</i>');
  });

  test('who may: the handling agent or a manager; a reason is required; not a queued or ended chat', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik', channel: 'support' });
    const sofia = await h.api.agent('sofia');
    const anna = await h.api.agent('anna');
    refused(await sofia.command({ t: 'requeue', sessionId: c.sessionId, reason: 'mine now' }), 'forbidden');
    refused(await c.customer.command({ t: 'requeue', sessionId: c.sessionId, reason: 'x' }), 'forbidden');
    refused(await c.agent.command({ t: 'requeue', sessionId: c.sessionId, reason: '   ' }), 'invalid');
    refused(await c.agent.command({ t: 'requeue', sessionId: c.sessionId }), 'invalid');
    refused(await c.agent.command({ t: 'requeue', sessionId: c.sessionId, reason: 'x'.repeat(501) }), 'invalid');
    await anna.ok({ t: 'requeue', sessionId: c.sessionId, reason: 'Erik is needed elsewhere' });
    refused(await anna.command({ t: 'requeue', sessionId: c.sessionId, reason: 'again' }), 'invalid');
    await anna.ok({ t: 'end', sessionId: c.sessionId });
    refused(await anna.command({ t: 'requeue', sessionId: c.sessionId, reason: 'too late' }), 'session_closed');
  });
});
