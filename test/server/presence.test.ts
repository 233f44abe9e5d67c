/**
 * Presence at work: channel availability (HTTP and the customer's `availability` frame), wait
 * warnings swept on the room clock (levels, Present only, once per level), and the channel's
 * sneak-peek setting.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';

import {
  isAvailability,
  isTyping,
  isWarning,
  openActiveChat,
  startServer,
  type AvailabilityFrame,
  type Harness,
  type TestClient,
  type WarningFrame,
} from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await startServer();
});
afterEach(async () => {
  await h.close();
});

const SECOND = 1000;

async function channels(): Promise<Record<string, boolean>> {
  const r = await h.api.request('GET', '/api/channels?tenant=demo');
  assert.equal(r.status, 200);
  const list = (r.body as { channels: { id: string; name: string; available: boolean }[] }).channels;
  return Object.fromEntries(list.map((c) => [c.id, c.available]));
}

/** The last availability a customer was told (after a round trip). */
async function lastAvailability(customer: TestClient): Promise<boolean | undefined> {
  await customer.sync();
  return customer.all(isAvailability).at(-1)?.available;
}

describe('availability', () => {
  test('GET /api/channels: available when an agent who may respond there is online and Present', async () => {
    assert.deepEqual(await channels(), { sales: false, support: false });
    const lars = await h.api.agent('lars'); // sales
    assert.deepEqual(await channels(), { sales: true, support: false });
    const sofia = await h.api.agent('sofia'); // support
    assert.deepEqual(await channels(), { sales: true, support: true });
    await sofia.ok({ t: 'presence', status: 'away' });
    assert.deepEqual(await channels(), { sales: true, support: false }, 'Away agents do not make a channel available');
    await sofia.ok({ t: 'presence', status: 'present' });
    await lars.close();
    await h.api.agent('sofia'); // a second console changes nothing
    assert.deepEqual(await channels(), { sales: false, support: true });
    // The public list keeps its shape (with the channel settings beside it: channel-settings.test.ts).
    const r = await h.api.request('GET', '/api/channels?tenant=demo');
    assert.deepEqual(
      (r.body as { channels: { id: string; name: string; available: boolean }[] }).channels.map(({ id, name, available }) => ({ id, name, available })),
      [
        { id: 'sales', name: 'Sales', available: false },
        { id: 'support', name: 'Support', available: true },
      ],
    );
  });

  test('customers in a chat are told when their channel\'s availability changes (and only then)', async () => {
    const chat = await h.api.startChat('support', 'Avail Ava');
    const widget = await h.api.customer(chat);
    const first = await widget.waitFor(isAvailability);
    assert.deepEqual(first, { t: 'availability', sessionId: chat.sessionId, available: false });
    const salesChat = await h.api.startChat('sales', 'Sales Sam');
    const salesWidget = await h.api.customer(salesChat);
    await salesWidget.waitFor(isAvailability);

    const sofia = await h.api.agent('sofia');
    await widget.waitFor((f): f is AvailabilityFrame => isAvailability(f) && f.available);
    await sofia.ok({ t: 'presence', status: 'away' });
    assert.equal(await lastAvailability(widget), false);
    const count = widget.all(isAvailability).length;
    await sofia.ok({ t: 'presence', status: 'away' }); // no change, no frame
    await h.api.agent('lars'); // another channel, no frame
    assert.equal(await lastAvailability(widget), false);
    assert.equal(widget.all(isAvailability).length, count);
    await sofia.ok({ t: 'presence', status: 'present' });
    assert.equal(await lastAvailability(widget), true);
    const beforeClose = widget.mark();
    await sofia.close();
    await widget.waitFor((f): f is AvailabilityFrame => isAvailability(f) && !f.available, { from: beforeClose });
    assert.equal(await lastAvailability(widget), false);
    // The sales customer heard only about sales.
    assert.ok(salesWidget.all(isAvailability).every((f) => f.sessionId === salesChat.sessionId), 'salesWidget.all(isAvailability).every((f) => f.sessionId === salesChat.sessionId)');
    assert.equal(await lastAvailability(salesWidget), true);
  });

  test('Away agents can still answer; a chat moved to another channel learns that channel\'s availability', async () => {
    const c = await openActiveChat(h.api, { agentId: 'sofia' });
    await h.api.agent('lars');
    assert.equal(await lastAvailability(c.customer), true);
    await c.agent.ok({ t: 'presence', status: 'away' });
    assert.equal(await lastAvailability(c.customer), false);
    const queued = await h.api.startChat('support', 'Still Answered');
    assert.deepEqual(await c.agent.ok({ t: 'accept', sessionId: queued.sessionId }), { sessionId: queued.sessionId });
    await h.api.startChat('support', 'Next One');
    assert.ok(((await c.agent.ok({ t: 'next' })) as { sessionId: string }).sessionId.startsWith('s_'), '((await c.agent.ok({ t: "next" })) as { sessionId: string }).sessionId.startsWith("s_")');
    const from = c.customer.mark();
    await c.agent.ok({ t: 'transfer', sessionId: c.sessionId, to: { channelId: 'sales' } });
    const told = await c.customer.waitFor(isAvailability, { from });
    assert.equal(told.available, true, 'sales has lars, Present');
  });
});

describe('wait warnings', () => {
  /** Warnings a client received for a session, as [level, …]. */
  async function levels(client: TestClient, sessionId: string): Promise<string[]> {
    await client.sync();
    return client.all((f): f is WarningFrame => isWarning(f) && f.sessionId === sessionId).map((w) => w.level);
  }

  test('after warn_after_s to Present agents with Notifications, after manager_warn_after_s to Present managers; once per level', async () => {
    // support: erik (Away), sofia (Notifications off), anna (manager), plus a second present notified agent.
    h.server.db.run("UPDATE agent_channels SET notifications = 0 WHERE tenant_id = 'demo' AND agent_id = 'sofia'");
    const chat = await h.api.startChat('support', 'Waiting Walter');
    const createdAt = h.server.db.get<{ created_at: number }>('SELECT created_at FROM sessions WHERE id = ?', [chat.sessionId])!.created_at;
    const erik = await h.api.agent('erik');
    await erik.ok({ t: 'presence', status: 'away' });
    const sofia = await h.api.agent('sofia');
    const anna = await h.api.agent('anna');
    const lars = await h.api.agent('lars');
    const customer = await h.api.customer(chat);

    h.clock.advance(55 * SECOND);
    assert.deepEqual(await levels(anna, chat.sessionId), [], 'not before 60 s');
    h.clock.advance(6 * SECOND);
    const warning = await anna.waitFor(isWarning);
    assert.deepEqual(warning, { t: 'warning', sessionId: chat.sessionId, level: 'agents', waitingSince: createdAt });
    assert.deepEqual(await levels(erik, chat.sessionId), [], 'Away agents get no warnings');
    assert.deepEqual(await levels(sofia, chat.sessionId), [], 'no Notifications permission');
    assert.deepEqual(await levels(lars, chat.sessionId), [], 'another channel');
    await customer.sync();
    assert.ok(!customer.frames.some(isWarning), '!customer.frames.some(isWarning)');

    h.clock.advance(60 * SECOND);
    assert.deepEqual(await levels(anna, chat.sessionId), ['agents'], 'once per level');
    h.clock.advance(60 * SECOND); // 181 s
    await anna.waitFor((f): f is WarningFrame => isWarning(f) && f.level === 'managers');
    assert.deepEqual(await levels(anna, chat.sessionId), ['agents', 'managers']);
    assert.deepEqual(await levels(sofia, chat.sessionId), []);
    h.clock.advance(5 * 60 * SECOND);
    assert.deepEqual(await levels(anna, chat.sessionId), ['agents', 'managers']);

    // Becoming Present (or connecting) brings the warnings that are still due.
    await erik.ok({ t: 'presence', status: 'present' });
    assert.deepEqual(await levels(erik, chat.sessionId), ['agents']);
    const annaAgain = await h.api.agent('anna');
    assert.deepEqual(await levels(annaAgain, chat.sessionId), ['agents', 'managers']);
    // Once answered, nothing more (not on reconnect either).
    await sofia.ok({ t: 'accept', sessionId: chat.sessionId });
    h.clock.advance(5 * 60 * SECOND);
    const later = await h.api.agent('erik');
    assert.deepEqual(await levels(later, chat.sessionId), []);
    assert.deepEqual(await levels(erik, chat.sessionId), ['agents']);
  });

  test('per-channel thresholds, 0 switches a level off, and a chat moved back to a queue waits anew', async () => {
    h.server.db.run("UPDATE channels SET warn_after_s = 10, manager_warn_after_s = 0 WHERE tenant_id = 'demo' AND id = 'sales'");
    const lars = await h.api.agent('lars');
    const anna = await h.api.agent('anna');
    const chat = await h.api.startChat('sales', 'Quick Quinn');
    h.clock.advance(11 * SECOND);
    await lars.waitFor((f): f is WarningFrame => isWarning(f) && f.sessionId === chat.sessionId && f.level === 'agents');
    h.clock.advance(10 * 60 * SECOND);
    assert.deepEqual(await levels(anna, chat.sessionId), ['agents'], 'no managers level in sales');

    // An answered chat moved back to a queue: warnings start again from that moment.
    await lars.ok({ t: 'accept', sessionId: chat.sessionId });
    h.clock.advance(60 * SECOND);
    const from = anna.mark();
    await lars.ok({ t: 'transfer', sessionId: chat.sessionId, to: { channelId: 'sales' } });
    const requeuedAt = h.server.db.get<{ queued_at: number }>('SELECT queued_at FROM sessions WHERE id = ?', [chat.sessionId])!.queued_at;
    h.clock.advance(5 * SECOND);
    await anna.sync();
    assert.deepEqual(anna.all(isWarning, from), []);
    h.clock.advance(6 * SECOND);
    const again = await anna.waitFor(isWarning, { from });
    assert.equal(again.waitingSince, requeuedAt);
  });
});

describe('sneak peek', () => {
  test('the customer\'s draft reaches agents unless the channel switches the sneak peek off', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik' });
    let from = c.agent.mark();
    c.customer.sendJson({ t: 'typing', sessionId: c.sessionId, on: true, preview: 'my order numb' });
    const shown = await c.agent.waitFor(isTyping, { from });
    assert.equal(shown.preview, 'my order numb');
    h.server.db.run("UPDATE channels SET sneak_peek = 0 WHERE tenant_id = 'demo' AND id = 'support'");
    h.clock.advance(SECOND); // a fresh typing budget
    from = c.agent.mark();
    c.customer.sendJson({ t: 'typing', sessionId: c.sessionId, on: true, preview: 'my secret draft' });
    const hidden = await c.agent.waitFor(isTyping, { from });
    assert.equal(hidden.on, true);
    assert.equal(hidden.preview, undefined);
    await c.agent.sync();
    assert.ok(!JSON.stringify(c.agent.frames).includes('my secret draft'), '!JSON.stringify(c.agent.frames).includes("my secret draft")');
  });
});
