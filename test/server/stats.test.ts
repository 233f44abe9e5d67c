/**
 * Dashboard statistics (server/core/stats.ts, `stats` frame, `GET /api/stats`) against a
 * scripted day of the demo tenant (Europe/Stockholm) on an injected clock that only moves when
 * the script moves it, so every number is exact:
 *
 *   Saturday 24 October 2026, 23:40 local: a chat starts and is answered before midnight but
 *   ends after it; another starts at 23:50 and is answered after midnight.
 *   Sunday 25 October 2026 is the end of daylight saving time: 03:00 CEST → 02:00 CET, so the
 *   local day lasts 25 hours and the hour 02:00–03:00 happens twice (both count in bucket 2).
 *   A chat is missed, one is moved to another channel's queue and answered again, two wait.
 *
 * Every statistic is asserted for all channels, each channel, a plain agent (whose foreign
 * channel is silently left out), over HTTP, and again after the next local midnight.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { DashboardStats } from '../../src/protocol/index.js';
import { localDay, localHour, startOfLocalDate } from '../../server/core/stats.js';
import type { Harness, StartedChat, TestClient } from './helpers.js';
import { isNack, sessionResetOf, startServer, TestClock } from './helpers.js';

/** A clock that stands still until the script moves it (timers fire on the way, in order). */
class ScriptClock extends TestClock {
  constructor(private at: number) {
    super();
  }

  override now(): number {
    return this.at;
  }

  /** Moves to a later server time and runs the timers that became due. */
  to(at: number): void {
    assert.ok(at >= this.at, `the script moves forward only (${new Date(at).toISOString()})`);
    const ms = at - this.at;
    this.at = at;
    this.advance(ms);
  }
}

const Z = (iso: string): number => Date.parse(iso);
const MIN = 60_000;
const ZONE = 'Europe/Stockholm';

/** 24 zeros with the given hour buckets set. */
function hours(set: Record<number, number>): number[] {
  return Array.from({ length: 24 }, (_, h) => set[h] ?? 0);
}

describe('time zone helpers', () => {
  test('local midnight and day length across daylight saving changes', () => {
    // Autumn: 25 hours, the day starts at 22:00 UTC (CEST) and ends at 23:00 UTC (CET).
    assert.deepEqual(localDay(Z('2026-10-25T10:00:00Z'), ZONE), { start: Z('2026-10-24T22:00:00Z'), end: Z('2026-10-25T23:00:00Z') });
    // Spring: 23 hours.
    assert.deepEqual(localDay(Z('2026-03-29T12:00:00Z'), ZONE), { start: Z('2026-03-28T23:00:00Z'), end: Z('2026-03-29T22:00:00Z') });
    // An ordinary day, and one second before midnight still belongs to the day before.
    assert.deepEqual(localDay(Z('2026-06-10T21:59:59Z'), ZONE), { start: Z('2026-06-09T22:00:00Z'), end: Z('2026-06-10T22:00:00Z') });
    assert.deepEqual(localDay(Z('2026-06-10T22:00:00Z'), ZONE).start, Z('2026-06-10T22:00:00Z'));
    // A zone whose clocks jump at midnight: the day starts at 01:00 local (America/Santiago).
    const santiago = startOfLocalDate(2026, 9, 6, 'America/Santiago');
    assert.equal(localHour(santiago, 'America/Santiago'), 1);
    assert.equal(localHour(santiago - 1000, 'America/Santiago'), 23);
  });

  test('local hours follow the wall clock: 02:00 twice in autumn, never in spring', () => {
    assert.equal(localHour(Z('2026-10-25T00:30:00Z'), ZONE), 2); // 02:30 CEST
    assert.equal(localHour(Z('2026-10-25T01:30:00Z'), ZONE), 2); // 02:30 CET
    assert.equal(localHour(Z('2026-03-29T00:59:59Z'), ZONE), 1);
    assert.equal(localHour(Z('2026-03-29T01:00:00Z'), ZONE), 3);
  });
});

describe('statistics over a scripted day', { timeout: 120_000 }, () => {
  let h: Harness;
  let clock: ScriptClock;
  let erik: TestClient;
  let sofia: TestClient;
  let lars: TestClient;
  const chats: Record<string, StartedChat> = {};

  const at = (iso: string): void => {
    clock.to(Z(iso));
  };

  /** A customer starts a chat in a channel at the clock's time; their widget connects. */
  async function start(key: string, channel: string, name: string): Promise<TestClient> {
    const chat = await h.api.startChat(channel, name);
    chats[key] = chat;
    const customer = await h.api.customer(chat);
    await customer.waitFor(sessionResetOf(chat.sessionId), { label: `${key} customer snapshot` });
    return customer;
  }

  const id = (key: string): string => {
    const chat = chats[key];
    assert.ok(chat, `chat ${key} was started`);
    return chat.sessionId;
  };

  async function statsOf(client: TestClient, channelIds?: string[]): Promise<DashboardStats> {
    return (await client.ok({ t: 'stats', ...(channelIds ? { channelIds } : {}) })) as DashboardStats;
  }

  before(async () => {
    clock = new ScriptClock(Z('2026-10-24T21:30:00Z'));
    h = await startServer({ clock });
    erik = await h.api.agent('erik');
    sofia = await h.api.agent('sofia');
    lars = await h.api.agent('lars');
  });

  after(async () => {
    await h.close();
  });

  test('the day is played: every statistic before midnight, after midnight, at 11:00 and the next day', async () => {
    // ---- Saturday evening (CEST) ----
    at('2026-10-24T21:40:00Z'); // 23:40: A starts in Support
    const a = await start('A', 'support', 'Astrid');
    at('2026-10-24T21:41:00Z');
    await a.sendOk(id('A'), 'My order has not arrived');
    at('2026-10-24T21:45:00Z'); // answered after 5 min
    await erik.ok({ t: 'accept', sessionId: id('A') });
    at('2026-10-24T21:47:00Z'); // first response 6 min after the customer's first message
    await erik.sendOk(id('A'), 'Let me check that for you');
    at('2026-10-24T21:50:00Z'); // 23:50: B starts in Sales
    const b = await start('B', 'sales', 'Bo');
    at('2026-10-24T21:52:00Z');
    await b.sendOk(id('B'), 'Do you ship to Norway?');

    at('2026-10-24T21:55:00Z'); // 23:55 local, still Saturday
    const evening = await statsOf(erik);
    assert.deepEqual(evening, {
      serverTime: Z('2026-10-24T21:55:00Z'),
      timeZone: ZONE,
      dayStart: Z('2026-10-23T22:00:00Z'),
      dayEnd: Z('2026-10-24T22:00:00Z'),
      channelIds: ['sales', 'support'],
      waiting: 1,
      longestWaitMs: 5 * MIN,
      oldestWaitingSince: Z('2026-10-24T21:50:00Z'),
      ongoing: 1,
      agentsOnline: 3,
      agentsPresent: 3,
      agentsAway: 0,
      completedToday: 0,
      missedToday: 0,
      answeredToday: 1,
      averageWaitMs: 5 * MIN,
      averageDurationMs: null,
      firstResponsesToday: 1,
      averageFirstResponseMs: 6 * MIN,
      chatsToday: 2,
      chatsPerHour: hours({ 23: 2 }),
      ratings: null,
    } satisfies DashboardStats);

    // ---- across midnight ----
    at('2026-10-24T22:10:00Z'); // 00:10 Sunday: B answered after 20 min
    await erik.ok({ t: 'accept', sessionId: id('B') });
    at('2026-10-24T22:12:00Z'); // first response 20 min after B's first message
    await erik.sendOk(id('B'), 'Yes, we do');
    at('2026-10-24T22:20:00Z'); // 00:20: A ends, 35 min after it was answered
    await erik.ok({ t: 'end', sessionId: id('A') });

    at('2026-10-24T22:30:00Z'); // 00:30 Sunday: a new, 25-hour day
    const night = await statsOf(erik);
    assert.deepEqual(night, {
      ...evening,
      serverTime: Z('2026-10-24T22:30:00Z'),
      dayStart: Z('2026-10-24T22:00:00Z'),
      dayEnd: Z('2026-10-25T23:00:00Z'),
      waiting: 0,
      longestWaitMs: 0,
      oldestWaitingSince: null,
      ongoing: 1,
      completedToday: 1,
      averageDurationMs: 35 * MIN,
      answeredToday: 1,
      averageWaitMs: 20 * MIN,
      firstResponsesToday: 1,
      averageFirstResponseMs: 20 * MIN,
      chatsToday: 0,
      chatsPerHour: hours({}),
    } satisfies DashboardStats);
    assert.equal(night.dayEnd - night.dayStart, 25 * 60 * MIN);

    at('2026-10-24T23:00:00Z'); // 01:00: B ends, 50 min after it was answered
    await erik.ok({ t: 'end', sessionId: id('B') });

    // ---- the hour that happens twice ----
    at('2026-10-25T00:30:00Z'); // 02:30 CEST: C starts in Sales …
    const c = await start('C', 'sales', 'Cecilia');
    at('2026-10-25T00:40:00Z'); // … and leaves the queue: missed
    await c.ok({ t: 'end', sessionId: id('C') });
    at('2026-10-25T01:30:00Z'); // 02:30 CET: D starts in Support
    const d = await start('D', 'support', 'Dag');
    at('2026-10-25T01:31:00Z');
    await d.sendOk(id('D'), 'Hello?');
    at('2026-10-25T01:33:00Z'); // answered after 3 min
    await sofia.ok({ t: 'accept', sessionId: id('D') });
    at('2026-10-25T01:35:00Z'); // first response 4 min after the first message
    await sofia.sendOk(id('D'), 'Hi Dag');
    at('2026-10-25T02:05:00Z'); // ends, 32 min after it was answered
    await sofia.ok({ t: 'end', sessionId: id('D') });

    // ---- the morning: a chat moved to another queue and answered again ----
    at('2026-10-25T07:00:00Z'); // 08:00 CET: E starts in Support (the customer writes nothing)
    await start('E', 'support', 'Elin');
    at('2026-10-25T07:01:00Z'); // answered after 1 min
    await erik.ok({ t: 'accept', sessionId: id('E') });
    at('2026-10-25T07:03:00Z'); // first response 3 min after the chat started
    await erik.sendOk(id('E'), 'Good morning Elin');
    at('2026-10-25T07:10:00Z'); // moved to the Sales queue
    await erik.ok({ t: 'transfer', sessionId: id('E'), to: { channelId: 'sales' } });
    at('2026-10-25T07:16:00Z'); // answered again after 6 min
    await lars.ok({ t: 'accept', sessionId: id('E') });
    at('2026-10-25T09:00:00Z'); // 10:00: F waits in Sales
    await start('F', 'sales', 'Frida');
    at('2026-10-25T09:30:00Z'); // 10:30: G waits in Support
    await start('G', 'support', 'Gustav');
    at('2026-10-25T09:45:00Z');
    await lars.ok({ t: 'presence', status: 'away' });

    at('2026-10-25T10:00:00Z'); // 11:00 CET
    await h.api.login('anna'); // a fresh token on the script's clock
    const anna = await h.api.agent('anna');
    const base = {
      serverTime: Z('2026-10-25T10:00:00Z'),
      timeZone: ZONE,
      dayStart: Z('2026-10-24T22:00:00Z'),
      dayEnd: Z('2026-10-25T23:00:00Z'),
      ratings: null,
    };
    const all: DashboardStats = {
      ...base,
      channelIds: ['sales', 'support'],
      waiting: 2,
      longestWaitMs: 60 * MIN,
      oldestWaitingSince: Z('2026-10-25T09:00:00Z'),
      ongoing: 1,
      agentsOnline: 4,
      agentsPresent: 3,
      agentsAway: 1,
      completedToday: 3,
      missedToday: 1,
      // B 20, D 3, E 1 and (after the move) 6 minutes
      answeredToday: 4,
      averageWaitMs: 7.5 * MIN,
      // A 35, B 50, D 32 minutes
      averageDurationMs: 39 * MIN,
      // B 20, D 4, E 3 minutes (A's first response was yesterday)
      firstResponsesToday: 3,
      averageFirstResponseMs: 9 * MIN,
      chatsToday: 5,
      chatsPerHour: hours({ 2: 2, 8: 1, 10: 2 }),
    };
    assert.deepEqual(await statsOf(anna), all);
    assert.deepEqual(await statsOf(anna, ['sales', 'support']), all);

    const support: DashboardStats = {
      ...base,
      channelIds: ['support'],
      waiting: 1,
      longestWaitMs: 30 * MIN,
      oldestWaitingSince: Z('2026-10-25T09:30:00Z'),
      ongoing: 0,
      agentsOnline: 3,
      agentsPresent: 3,
      agentsAway: 0,
      completedToday: 2,
      missedToday: 0,
      answeredToday: 1,
      averageWaitMs: 3 * MIN,
      averageDurationMs: 33.5 * MIN,
      firstResponsesToday: 1,
      averageFirstResponseMs: 4 * MIN,
      chatsToday: 2,
      chatsPerHour: hours({ 2: 1, 10: 1 }),
    };
    assert.deepEqual(await statsOf(anna, ['support']), support);

    // E counts in Sales, the channel it is in now.
    const sales: DashboardStats = {
      ...base,
      channelIds: ['sales'],
      waiting: 1,
      longestWaitMs: 60 * MIN,
      oldestWaitingSince: Z('2026-10-25T09:00:00Z'),
      ongoing: 1,
      agentsOnline: 3,
      agentsPresent: 2,
      agentsAway: 1,
      completedToday: 1,
      missedToday: 1,
      answeredToday: 3,
      averageWaitMs: 9 * MIN,
      averageDurationMs: 50 * MIN,
      firstResponsesToday: 2,
      averageFirstResponseMs: 11.5 * MIN,
      chatsToday: 3,
      chatsPerHour: hours({ 2: 1, 8: 1, 10: 1 }),
    };
    assert.deepEqual(await statsOf(anna, ['sales']), sales);

    // Plain agents: only their own channels, others silently left out.
    assert.deepEqual(await statsOf(sofia, ['sales', 'support']), support, 'sofia (support only) does not get sales');
    assert.deepEqual(await statsOf(sofia, ['sales']), { ...support, ...emptyCounts(), channelIds: [] }, 'nothing of a foreign channel');
    assert.deepEqual(await statsOf(lars), sales, 'lars (sales only): his channels by default');

    // The same over HTTP.
    const token = await h.api.token('anna');
    const http = await h.api.request('GET', '/api/stats?channels=support', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(http.status, 200);
    assert.deepEqual(http.body, support);
    const httpAll = await h.api.request('GET', '/api/stats', { headers: { authorization: `Bearer ${token}` } });
    assert.deepEqual(httpAll.body, all);
    assert.equal((await h.api.request('GET', '/api/stats')).status, 401);

    // ---- the next local midnight (Monday 00:30 CET) ----
    at('2026-10-25T23:30:00Z');
    const monday = await statsOf(anna);
    assert.deepEqual(monday, {
      ...all,
      serverTime: Z('2026-10-25T23:30:00Z'),
      dayStart: Z('2026-10-25T23:00:00Z'),
      dayEnd: Z('2026-10-26T23:00:00Z'),
      longestWaitMs: Z('2026-10-25T23:30:00Z') - Z('2026-10-25T09:00:00Z'),
      completedToday: 0,
      missedToday: 0,
      answeredToday: 0,
      averageWaitMs: null,
      averageDurationMs: null,
      firstResponsesToday: 0,
      averageFirstResponseMs: null,
      chatsToday: 0,
      chatsPerHour: hours({}),
    } satisfies DashboardStats);
  });

  test('customers cannot ask for statistics; unknown fields are refused', async () => {
    const chat = await h.api.startChat('support', 'Curious');
    const customer = await h.api.customer(chat);
    const r = await customer.command({ t: 'stats' });
    assert.ok(isNack(r) && r.code === 'forbidden');
    const bad = await erik.command({ t: 'stats', channelIds: 'sales' });
    assert.ok(isNack(bad) && bad.code === 'invalid');
    const customerHttp = await h.api.request('GET', '/api/stats', { headers: { authorization: `Bearer ${chat.token}` } });
    assert.equal(customerHttp.status, 403);
  });
});

/** The counts of a selection with no channel at all. */
function emptyCounts(): Partial<DashboardStats> {
  return {
    waiting: 0,
    longestWaitMs: 0,
    oldestWaitingSince: null,
    ongoing: 0,
    agentsOnline: 0,
    agentsPresent: 0,
    agentsAway: 0,
    completedToday: 0,
    missedToday: 0,
    answeredToday: 0,
    averageWaitMs: null,
    averageDurationMs: null,
    firstResponsesToday: 0,
    averageFirstResponseMs: null,
    chatsToday: 0,
    chatsPerHour: hours({}),
  };
}
