/**
 * Supervisor whisper (issue 18): a supervisor listening in writes to the handling agent only. The
 * server stores it as a note marked `meta.whisper` (no customer numbering), so the customer never
 * receives it: not live, not in history, not after a restart. Only a supervisor of the channel
 * (listen or manager permission) who is not the handling agent may whisper.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, test } from 'node:test';

import type { ChatMessage } from '../../src/protocol/index.js';
import type { Harness, ServerFrame, SessionEvent } from './helpers.js';
import { openActiveChat, refused, sessionEventOf, sessionResetOf, startServer, tempDir } from './helpers.js';

const messageWith = (sessionId: string, text: string) => (f: ServerFrame): f is SessionEvent =>
  sessionEventOf(sessionId)(f) && f.data.text === text;

describe('supervisor whisper', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startServer();
  });

  afterEach(async () => {
    await h.close();
  });

  test('a listening supervisor whispers: the agent gets a marked note, the customer nothing', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik', channel: 'support' });
    const anna = await h.api.agent('anna'); // listen + manager in Support
    await anna.ok({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' });
    await anna.waitFor(sessionResetOf(c.sessionId));
    const customerFrom = c.customer.mark();

    const ack = await anna.sendOk(c.sessionId, 'Offer the <b>refund</b>', { kind: 'whisper' });
    assert.equal(ack.t, 'ack');

    // The handling agent gets it as a note marked as a whisper, from Anna, to him.
    const got = await c.agent.waitFor(messageWith(c.sessionId, 'Offer the <b>refund</b>'));
    const m = got.data;
    assert.equal(m.kind, 'note');
    assert.equal(m.author.kind, 'agent');
    assert.equal(m.author.id, 'anna');
    assert.deepEqual(m.meta, { whisper: true, toAgentId: 'erik', toAgentName: 'Erik Johansson' });
    // The whisperer sees her own whisper in the stream too.
    await anna.waitFor(messageWith(c.sessionId, 'Offer the <b>refund</b>'));

    // The customer: nothing live, nothing in history, and the next reply is numbered without a gap.
    await c.agent.sendOk(c.sessionId, 'We can refund it.');
    await c.customer.waitFor(messageWith(c.sessionId, 'We can refund it.'), { from: customerFrom });
    assert.equal(c.customer.all(messageWith(c.sessionId, 'Offer the <b>refund</b>')).length, 0);
    const history = (await c.customer.ok({ t: 'history', sessionId: c.sessionId, limit: 100 })) as { messages: ChatMessage[] };
    assert.ok(!history.messages.some((x) => x.text.includes('refund</b>')), 'not in the customer history');
    const seqs = history.messages.map((x) => x.seq);
    assert.deepEqual(seqs, seqs.map((_, i) => seqs[0]! + i), 'customer numbering has no gap');

    // The agent's history keeps the mark.
    const agentHistory = (await c.agent.ok({ t: 'history', sessionId: c.sessionId, limit: 100 })) as { messages: ChatMessage[] };
    const stored = agentHistory.messages.find((x) => x.text === 'Offer the <b>refund</b>');
    assert.equal(stored?.meta?.whisper, true);
  });

  test('only a supervisor who is not the handling agent may whisper, and only in an active chat', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik', channel: 'support' });
    const sofia = await h.api.agent('sofia');
    const lars = await h.api.agent('lars'); // Sales only
    const anna = await h.api.agent('anna');
    // The handling agent writes notes, not whispers.
    refused(await c.agent.send(c.sessionId, 'to myself', { kind: 'whisper' }), 'invalid');
    // No permission in the channel (a forged frame).
    refused(await lars.send(c.sessionId, 'psst', { kind: 'whisper' }), 'forbidden');
    // Support without listen or manager (the demo's Sofia): reading along is not enough.
    refused(await sofia.send(c.sessionId, 'psst', { kind: 'whisper' }), 'forbidden');
    // A customer cannot whisper (nor write notes).
    refused(await c.customer.send(c.sessionId, 'psst', { kind: 'whisper' }), 'forbidden');
    // A queued chat has nobody to whisper to.
    const queued = await h.api.startChat('support', 'Queued Customer');
    refused(await anna.send(queued.sessionId, 'psst', { kind: 'whisper' }), 'session_closed');
    // Nor has an ended one.
    await c.agent.ok({ t: 'end', sessionId: c.sessionId });
    refused(await anna.send(c.sessionId, 'too late', { kind: 'whisper' }), 'session_closed');
  });

  test('a whisper is idempotent by cmid and survives a restart; a note with its cmid is refused', async () => {
    const dataDir = await tempDir();
    try {
      const first = await startServer({ dataDir, keepData: true });
      const c = await openActiveChat(first.api, { agentId: 'erik', channel: 'support' });
      const anna = await first.api.agent('anna');
      const a1 = await anna.sendOk(c.sessionId, 'Ask for the order number', { kind: 'whisper', cmid: 'whisper-0001' });
      const a2 = await anna.sendOk(c.sessionId, 'Ask for the order number', { kind: 'whisper', cmid: 'whisper-0001' });
      assert.equal(a2.msgId, a1.msgId, 'the resend is the same message');
      assert.equal(a2.duplicate, true);
      refused(await anna.send(c.sessionId, 'Ask for the order number', { kind: 'note', cmid: 'whisper-0001' }), 'invalid');
      await first.close();

      const second = await startServer({ dataDir, keepData: true, clock: first.clock });
      try {
        const erik = await second.api.agent('erik');
        const history = (await erik.ok({ t: 'history', sessionId: c.sessionId, limit: 100 })) as { messages: ChatMessage[] };
        const whispers = history.messages.filter((x) => x.meta?.whisper === true);
        assert.equal(whispers.length, 1, 'stored once');
        const [w] = whispers;
        assert.ok(w);
        assert.equal(w.text, 'Ask for the order number');
        assert.equal(w.meta?.toAgentId, 'erik');
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
