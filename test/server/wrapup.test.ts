/**
 * Close with a wrap-up (issue 18): per channel a closing comment (off, optional, required), the
 * tags agents choose from and whether one is required, stored with the channel's settings (the
 * managers' editor, `PUT /api/channels/<id>/settings`); the chat's tags and comment stored on the
 * session, on its summary and counted in the statistics; and a close that does not tell the
 * customer (spam). Real HTTP, real sockets, real SQLite.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';

import type { ChannelSettingsView } from '../../src/protocol/channel-settings.js';
import type { ChatMessage, DashboardStats } from '../../src/protocol/index.js';
import type { Harness, SessionEvent } from './helpers.js';
import { boardRow as row, openActiveChat, refused, sessionEventOf, startServer } from './helpers.js';

describe('close with a wrap-up', () => {
  let h: Harness;

  async function setWrapUp(wrapUp: unknown): Promise<ChannelSettingsView> {
    const token = await h.api.token('anna'); // manager of Support
    const r = await h.api.request('PUT', '/api/channels/support/settings', { headers: { authorization: `Bearer ${token}` }, json: { settings: { wrapUp } } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body as ChannelSettingsView;
  }

  beforeEach(async () => {
    h = await startServer();
  });

  afterEach(async () => {
    await h.close();
  });

  test('the channel requires a comment and a tag: ending without them is refused, with them it ends', async () => {
    const view = await setWrapUp({ comment: 'required', tags: ['Refund', 'Delivery', 'Spam'], tagsRequired: true });
    assert.deepEqual(view.settings.wrapUp, { comment: 'required', tags: ['Refund', 'Delivery', 'Spam'], tagsRequired: true });
    const c = await openActiveChat(h.api, { agentId: 'erik', channel: 'support' });
    refused(await c.agent.command({ t: 'end', sessionId: c.sessionId }), 'invalid', /closing comment/);
    refused(await c.agent.command({ t: 'end', sessionId: c.sessionId, wrapUp: { comment: 'Refunded 7781' } }), 'invalid', /tag/);
    refused(await c.agent.command({ t: 'end', sessionId: c.sessionId, wrapUp: { comment: 'x', tags: ['Made up'] } }), 'invalid', /not a tag of this channel/);

    // Tags set during the chat count at the end; the comment comes with the end.
    const anna = await h.api.agent('anna');
    let from = anna.mark();
    assert.deepEqual(await c.agent.ok({ t: 'wrapup', sessionId: c.sessionId, tags: ['Refund', ' Refund '] }), { sessionId: c.sessionId, tags: ['Refund'] });
    await anna.waitFor(row(c.sessionId, (s) => s.tags?.join() === 'Refund'), { from });
    from = anna.mark();
    await c.agent.ok({ t: 'end', sessionId: c.sessionId, wrapUp: { comment: '  Refunded order 7781 <b>today</b> ' } });
    const ended = await anna.waitFor(row(c.sessionId, (s) => s.status === 'ended'), { from });
    assert.deepEqual(ended.data.tags, ['Refund']);
    assert.equal(ended.data.closingComment, 'Refunded order 7781 <b>today</b>');
    // The customer was told as always.
    await c.customer.waitFor((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && f.data.event === 'ended');

    // After the end the handler may still correct the tags; a colleague may not.
    const sofia = await h.api.agent('sofia');
    refused(await sofia.command({ t: 'wrapup', sessionId: c.sessionId, tags: ['Spam'] }), 'forbidden');
    await c.agent.ok({ t: 'wrapup', sessionId: c.sessionId, tags: ['Refund', 'Delivery'] });

    // A customer leaving is never held up by the wrap-up.
    const d = await openActiveChat(h.api, { agentId: 'erik', channel: 'support', agent: c.agent });
    await d.customer.ok({ t: 'end', sessionId: d.sessionId });
    refused(await d.customer.command({ t: 'end', sessionId: d.sessionId, notify: false }), 'forbidden');

    // The statistics count today's ended chats per tag.
    const stats = (await c.agent.ok({ t: 'stats', channelIds: ['support'] })) as DashboardStats;
    assert.deepEqual(stats.tagsToday, [
      { tag: 'Delivery', count: 1 },
      { tag: 'Refund', count: 1 },
    ]);
  });

  test("the channel's agents read its requirements (GET /api/channels/<id>/wrap-up); others are refused", async () => {
    const read = async (agentId: string, channel: string) => h.api.request('GET', `/api/channels/${channel}/wrap-up`, { headers: { authorization: `Bearer ${await h.api.token(agentId)}` } });
    assert.deepEqual((await read('sofia', 'support')).body, { comment: 'optional', tags: [], tagsRequired: false }, 'the defaults');
    await setWrapUp({ comment: 'required', tags: ['Refund', 'Spam'], tagsRequired: true });
    const sofia = await read('sofia', 'support'); // an agent of Support without the manager permission
    assert.equal(sofia.status, 200);
    assert.deepEqual(sofia.body, { comment: 'required', tags: ['Refund', 'Spam'], tagsRequired: true });
    for (const [agent, channel] of [['lars', 'support'], ['sofia', 'sales'], ['sofia', 'nope']] as const) {
      const r = await read(agent, channel);
      assert.equal(r.status, 403, `${agent} ${channel}: ${JSON.stringify(r.body)}`);
    }
  });

  test('without requirements an agent ends as before; free tags when the channel lists none', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik', channel: 'support' });
    await c.agent.ok({ t: 'wrapup', sessionId: c.sessionId, tags: ['VIP'], comment: 'Called back' });
    await c.agent.ok({ t: 'end', sessionId: c.sessionId });
    const history = (await c.agent.ok({ t: 'subscribe', sessionId: c.sessionId, mode: 'participant' })) as { status: string };
    assert.ok(history.status);
    const queued = await h.api.startChat('support', 'Waiting');
    refused(await c.agent.command({ t: 'wrapup', sessionId: queued.sessionId, tags: ['x'] }), 'forbidden');
    const anna = await h.api.agent('anna');
    refused(await anna.command({ t: 'wrapup', sessionId: queued.sessionId, tags: ['x'] }), 'invalid');
    refused(await c.agent.command({ t: 'wrapup', sessionId: c.sessionId, tags: Array.from({ length: 11 }, (_, i) => `t${String(i)}`) }), 'invalid');
  });

  test('close without notifying the customer (spam): the customer gets nothing, agents see it marked', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik', channel: 'support' });
    const anna = await h.api.agent('anna');
    const customerFrom = c.customer.mark();
    const from = anna.mark();
    await c.agent.ok({ t: 'end', sessionId: c.sessionId, notify: false, wrapUp: { tags: ['Spam'] } });
    const ended = await anna.waitFor(row(c.sessionId, (s) => s.status === 'ended'), { from });
    assert.equal(ended.data.closedSilently, true);
    const event = await c.agent.waitFor((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && f.data.event === 'ended');
    assert.equal(event.data.internal, true);
    assert.equal(event.data.meta?.silent, true);
    // The customer: no end event live or in history; writing is refused as the chat is closed.
    refused(await c.customer.send(c.sessionId, 'hello?'), 'session_closed');
    assert.equal(c.customer.all((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && f.data.event === 'ended', customerFrom).length, 0);
    const history = (await c.customer.ok({ t: 'history', sessionId: c.sessionId, limit: 100 })) as { messages: ChatMessage[] };
    assert.ok(!history.messages.some((m) => m.event === 'ended'));
  });
});
