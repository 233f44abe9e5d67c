/**
 * Fan-out: a message, its ack and its typing reach the chat's participants and nobody else.
 * Counted over real sockets: what an unrelated customer and unrelated agents receive while
 * another chat is busy. (Board events still reach every agent in this version, as `skip` where
 * the agent may not see the chat; issue 12 item 1 narrows them.)
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';

import type { ServerFrame, TestClient } from './helpers.js';
import { isBoardEvent, isTyping, openActiveChat, sessionEventOf, startServer } from './helpers.js';

let h: Awaited<ReturnType<typeof startServer>>;
beforeEach(async () => {
  h = await startServer();
});
afterEach(async () => {
  await h.close();
});

test('a busy chat writes nothing to the customer of another chat, and only board events to other agents', async () => {
  const a = await openActiveChat(h.api, { agentId: 'erik', channel: 'support', name: 'Ada Busy' });
  const b = await openActiveChat(h.api, { agentId: 'lars', channel: 'sales', name: 'Bo Quiet' });
  const sofia = await h.api.agent('sofia'); // a member of support, in no chat
  const everyone = [a.customer, a.agent, b.customer, b.agent, sofia];
  await Promise.all(everyone.map((c) => c.sync()));
  const marks = new Map(everyone.map((c) => [c, c.mark()]));
  const since = (c: TestClient): ServerFrame[] => c.frames.slice(marks.get(c)).filter((f) => f.t !== 'pong');

  const rounds = 4;
  for (let i = 0; i < rounds; i++) {
    await a.customer.sendOk(a.sessionId, `question ${String(i)}`);
    await a.agent.sendOk(a.sessionId, `answer ${String(i)}`);
  }
  a.customer.sendJson({ t: 'typing', sessionId: a.sessionId, on: true, preview: 'one more thing' });
  await a.agent.waitFor(isTyping, { from: marks.get(a.agent), label: 'typing at the handling agent' });
  await Promise.all(everyone.map((c) => c.sync()));

  // The participants got every message.
  assert.equal(a.customer.all(sessionEventOf(a.sessionId), marks.get(a.customer)).length, 2 * rounds);
  assert.equal(a.agent.all(sessionEventOf(a.sessionId), marks.get(a.agent)).length, 2 * rounds);

  // The other chat's customer: not one frame.
  assert.deepEqual(since(b.customer), [], 'the customer of another chat received frames of this one');
  // Other agents: no message, ack or typing; one board event per message (the chat's summary).
  for (const [agent, expected] of [
    [b.agent, 'skip'],
    [sofia, 'session'],
  ] as const) {
    const got = since(agent);
    assert.ok(
      got.every((f) => isBoardEvent(f) && f.kind === expected),
      `${agent.label} received more than ${expected} board events: ${JSON.stringify(got.filter((f) => !isBoardEvent(f) || f.kind !== expected)).slice(0, 300)}`,
    );
    assert.equal(got.length, 2 * rounds, `${agent.label}: board events`);
  }
});
