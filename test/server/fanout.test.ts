/**
 * Fan-out proportional to who needs it (docs/protocol.md § 4.1, the delivery rule): counted over
 * real sockets, what one message costs and who receives it.
 *
 * - A customer's message in an active chat: an `ack` to the sender, the message event to the
 *   session's subscribers, and (coalesced) `activity` to the handling agent. Nothing to anyone
 *   else: not to agents of other channels, not to idle members of the same channel, not to the
 *   customer of another chat. The count is the same with 1 and with 50 unrelated agents online.
 * - A queued chat's message also reaches its channel's members, as `activity` only.
 * - A burst of 50 messages gives the handler a few `activity` frames, the last one with the last
 *   message (coalescing: at most one frame per window).
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';

import { COALESCE_WINDOW_MS } from '../../src/protocol/limits.js';
import type { ServerFrame, TestClient } from './helpers.js';
import { activityOf, agentRecord, isAck, isActivity, isTyping, openActiveChat, provisionAgents, sessionEventOf, startServer } from './helpers.js';

let h: Awaited<ReturnType<typeof startServer>>;
beforeEach(async () => {
  h = await startServer();
});
afterEach(async () => {
  await h.close();
});

/** Frames of a client since a mark, without the `pong`s of sync. */
const since = (c: TestClient, from: number): ServerFrame[] => c.frames.slice(from).filter((f) => f.t !== 'pong');
/** `{frame type: count}` of a client since a mark. */
function counts(c: TestClient, from: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of since(c, from)) out[f.t] = (out[f.t] ?? 0) + 1;
  return out;
}

test('a customer message costs the same frames with 1 and with 50 agents online in other channels', async () => {
  const chat = await openActiveChat(h.api, { agentId: 'erik', channel: 'support', name: 'Ada Busy' });
  const quiet = await openActiveChat(h.api, { agentId: 'lars', channel: 'sales', name: 'Bo Quiet' });
  const sofia = await h.api.agent('sofia'); // a member of support, in no chat
  const billing = await provisionAgents(h, { channel: 'billing', count: 50 });
  const unrelated: TestClient[] = [await h.api.agent(billing[0]!)];

  async function oneMessage(text: string): Promise<{ perClient: Map<TestClient, Record<string, number>>; total: number }> {
    const everyone = [chat.customer, chat.agent, quiet.customer, quiet.agent, sofia, ...unrelated];
    // The roster has told every console of the last agent who came online (agents frames are
    // coalesced: nothing of the connections is left to arrive during the count).
    const newest = billing[unrelated.length - 1]!;
    await Promise.all([chat.agent, quiet.agent, sofia, ...unrelated].map((c) => c.waitFor(agentRecord(newest, (a) => a.online), { label: `${c.label}: ${newest} online` })));
    await Promise.all(everyone.map((c) => c.sync()));
    const marks = new Map(everyone.map((c) => [c, c.mark()]));
    await chat.customer.sendOk(chat.sessionId, text);
    // The handler's activity (coalesced) is the last thing this message causes.
    await chat.agent.waitFor(activityOf(chat.sessionId, (a) => a.lastMessage?.text === text), { from: marks.get(chat.agent), label: 'activity at the handler' });
    await Promise.all(everyone.map((c) => c.sync()));
    const perClient = new Map(everyone.map((c) => [c, counts(c, marks.get(c)!)]));
    let total = 0;
    for (const c of perClient.values()) for (const n of Object.values(c)) total += n;
    return { perClient, total };
  }

  const one = await oneMessage('with one unrelated agent online');
  unrelated.push(...(await Promise.all(billing.slice(1).map((id) => h.api.agent(id)))));
  assert.equal(unrelated.length, 50);
  const fifty = await oneMessage('with fifty unrelated agents online');

  for (const run of [one, fifty]) {
    assert.deepEqual(run.perClient.get(chat.customer), { ack: 1, event: 1 }, 'the sender: its ack and its message event');
    assert.deepEqual(run.perClient.get(chat.agent), { event: 1, activity: 1 }, 'the handler: the message event and one activity');
    for (const [c, n] of run.perClient) {
      if (c === chat.customer || c === chat.agent) continue;
      assert.deepEqual(n, {}, `${c.label} received frames of a chat it is not in`);
    }
  }
  assert.equal(fifty.total, one.total, 'the work of a message does not grow with unrelated agents');
  assert.equal(one.total, 4);

  // Typing reaches the other side of the chat only.
  const marks = new Map([chat.agent, sofia, ...unrelated].map((c) => [c, c.mark()]));
  chat.customer.sendJson({ t: 'typing', sessionId: chat.sessionId, on: true, preview: 'one more thing' });
  await chat.agent.waitFor(isTyping, { from: marks.get(chat.agent), label: 'typing at the handling agent' });
  await Promise.all([sofia, ...unrelated].map((c) => c.sync()));
  for (const c of [sofia, ...unrelated]) assert.deepEqual(since(c, marks.get(c)!), [], `${c.label} got typing`);
});

test('a queued chat\'s messages reach the members of its channel as activity, nobody else', async () => {
  const chat = await h.api.startChat('support', 'Waiting Wanda');
  const customer = await h.api.customer(chat);
  const sofia = await h.api.agent('sofia');
  const anna = await h.api.agent('anna');
  const lars = await h.api.agent('lars');
  // Every console knows the roster's last change (lars online): no agents frame is due any more.
  await Promise.all([sofia, anna, lars].map((c) => c.waitFor(agentRecord('lars', (a) => a.online))));
  const marks = new Map([sofia, anna, lars].map((c) => [c, c.mark()]));
  await customer.sendOk(chat.sessionId, 'Is anyone there?');
  for (const member of [sofia, anna]) {
    const a = await member.waitFor(activityOf(chat.sessionId, (x) => x.lastMessage?.text === 'Is anyone there?'), { from: marks.get(member) });
    assert.equal(a.sessions.find((x) => x.id === chat.sessionId)?.lastMessage?.from, 'customer');
  }
  await Promise.all([sofia, anna, lars].map((c) => c.sync()));
  for (const member of [sofia, anna]) assert.deepEqual(counts(member, marks.get(member)!), { activity: 1 }, `${member.label}: activity only, no board event`);
  assert.deepEqual(since(lars, marks.get(lars)!), [], 'lars (sales) heard nothing of a support chat');
});

test('a burst of 50 messages gives the handler a few activity frames; the last carries the last message', async () => {
  const chat = await openActiveChat(h.api, { agentId: 'erik', name: 'Burst Bo' });
  await chat.agent.sync();
  const from = chat.agent.mark();
  const started = performance.now();
  const cmids: string[] = [];
  for (let i = 0; i < 50; i++) cmids.push(chat.customer.post(chat.sessionId, `burst ${String(i)}`));
  const acks = await chat.customer.waitForCount((f): f is Extract<ServerFrame, { t: 'ack' }> => isAck(f) && cmids.includes(f.cmid), 50);
  const acked = performance.now();
  await chat.agent.waitFor(activityOf(chat.sessionId, (a) => a.lastMessage?.text === 'burst 49'), { from, label: 'activity with the last message' });
  await chat.agent.sync();
  const frames = chat.agent.all(isActivity, from);
  assert.equal(acks.length, 50);
  assert.equal(chat.agent.all(sessionEventOf(chat.sessionId), from).length, 50, 'every message event still arrives');
  // At most one flush per window while the burst lasts, plus the one at its start.
  const bound = 2 + Math.floor((acked - started) / COALESCE_WINDOW_MS);
  assert.ok(frames.length >= 1 && frames.length <= bound, `${String(frames.length)} activity frames for a burst of ${String(Math.round(acked - started))} ms (at most ${String(bound)})`);
  assert.ok(frames.length <= 10, `a few, not one per message: ${String(frames.length)}`);
  const last = frames.at(-1)!.sessions.find((a) => a.id === chat.sessionId);
  assert.equal(last?.lastMessage?.text, 'burst 49');
  assert.equal(last.unread, 50);
});
