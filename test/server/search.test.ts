/**
 * `search {rid, query}` over real sockets: the message text search behind the session list's
 * search field. Ids of the sessions on the caller's board (the board's visibility rules and its
 * 8-hour recent window) having a text or note that contains the query, case-insensitively
 * (also for å ä ö), with `%` `_` `\` taken literally, newest activity first, at most 200;
 * never a session the caller may not see; agents only; validated like every frame.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';

import { MAX_SEARCH_QUERY, MAX_SEARCH_RESULTS, RECENT_WINDOW_MS } from '../../src/protocol/limits.js';
import { TenantStore } from '../../server/core/store/index.js';
import { isNack, openActiveChat, startServer, type Harness, type NackFrame, type TestClient } from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await startServer();
});
afterEach(async () => {
  await h.close();
});

const MINUTE = 60_000;

/** The ids a search answers with (fails on a nack). */
async function search(client: TestClient, query: string): Promise<string[]> {
  const data = (await client.ok({ t: 'search', query })) as { sessionIds: string[] };
  assert.ok(Array.isArray(data.sessionIds), 'sessionIds is an array');
  return data.sessionIds;
}

async function refused(client: TestClient, frame: Record<string, unknown> & { t: string }): Promise<NackFrame> {
  const answer = await client.command(frame);
  assert.ok(isNack(answer), `expected a nack, got ${JSON.stringify(answer)}`);
  return answer;
}

describe('search: matching', () => {
  test('finds chats by message text, case-insensitively, newest activity first; notes count, system texts do not', async () => {
    const a = await openActiveChat(h.api, { agentId: 'erik', name: 'Ada Andersson' });
    const b = await openActiveChat(h.api, { agentId: 'erik', name: 'Bo Berg', agent: a.agent });
    await a.customer.sendOk(a.sessionId, 'My ORDER 1234 has not arrived');
    await b.customer.sendOk(b.sessionId, 'Hello, a question about returns');
    await b.agent.sendOk(b.sessionId, 'Customer also asked about an order earlier', { kind: 'note' });
    h.clock.advance(1000);
    await b.customer.sendOk(b.sessionId, 'Thanks!');

    assert.deepEqual(await search(a.agent, 'order'), [b.sessionId, a.sessionId], 'newest activity first');
    assert.deepEqual(await search(a.agent, '  order 1234 '), [a.sessionId], 'trimmed, case-insensitive');
    assert.deepEqual(await search(a.agent, '1234 order'), [], 'a phrase, not words');
    assert.deepEqual(await search(a.agent, 'an order earlier'), [b.sessionId], 'internal notes are searched (agent view)');
    // Every chat starts with the channel's welcome text (a system event): not a match.
    assert.deepEqual(await search(a.agent, 'Welcome to Nordlys'), []);
    // The customer name is matched on the board, not here.
    assert.deepEqual(await search(a.agent, 'Andersson'), []);
  });

  test('% _ and \\ are literal characters, not wildcards', async () => {
    const a = await openActiveChat(h.api, { agentId: 'erik', name: 'Percent' });
    const b = await openActiveChat(h.api, { agentId: 'erik', name: 'Plain', agent: a.agent });
    await a.customer.sendOk(a.sessionId, 'Is the 50% discount_code valid? C:\\orders');
    await b.customer.sendOk(b.sessionId, 'Is the 50 discount code valid? C:/orders');
    assert.deepEqual(await search(a.agent, '%'), [a.sessionId]);
    assert.deepEqual(await search(a.agent, '_'), [a.sessionId]);
    assert.deepEqual(await search(a.agent, '50%'), [a.sessionId]);
    assert.deepEqual(await search(a.agent, 't_code'), [a.sessionId]);
    assert.deepEqual(await search(a.agent, 'C:\\'), [a.sessionId]);
    assert.deepEqual((await search(a.agent, 'discount')).sort(), [a.sessionId, b.sessionId].sort());
  });

  test('Swedish letters match in either case', async () => {
    const a = await openActiveChat(h.api, { agentId: 'erik', name: 'Kund' });
    await a.customer.sendOk(a.sessionId, 'Hej, det är Åsa Öberg från Västerås');
    for (const q of ['åsa', 'ÅSA', 'Åsa', 'öberg', 'ÖBERG', 'västerås', 'VÄSTERÅS']) {
      assert.deepEqual(await search(a.agent, q), [a.sessionId], q);
    }
    assert.deepEqual(await search(a.agent, 'Åke'), []);
  });

  test('answers at most 200 ids, newest activity first', async () => {
    const store = new TenantStore(h.server.db, 'demo');
    const base = h.clock.now() - 60 * MINUTE;
    const ids: string[] = [];
    h.server.db.transaction(() => {
      for (let i = 0; i < MAX_SEARCH_RESULTS + 5; i++) {
        const at = base + i * 1000;
        const s = store.createSession({ channelId: 'support', name: `Bulk ${String(i)}`, at });
        store.appendMessage({ sessionId: s.id, senderKind: 'customer', authorName: `Bulk ${String(i)}`, kind: 'text', text: `needle ${String(i)}`, at });
        ids.push(s.id);
      }
    });
    const sofia = await h.api.agent('sofia');
    const found = await search(sofia, 'NEEDLE');
    assert.equal(MAX_SEARCH_RESULTS, 200);
    assert.equal(found.length, MAX_SEARCH_RESULTS);
    assert.deepEqual(found, ids.slice(-MAX_SEARCH_RESULTS).reverse());
  });
});

describe('search: authorization (never a session the caller may not see)', () => {
  test('only sessions of my board: channel members see their channels, nobody sees other channels', async () => {
    const support = await openActiveChat(h.api, { agentId: 'erik', channel: 'support', name: 'Support Sam' });
    const sales = await openActiveChat(h.api, { agentId: 'erik', channel: 'sales', name: 'Sales Sid', agent: support.agent });
    await support.customer.sendOk(support.sessionId, 'secret-token in support');
    await sales.customer.sendOk(sales.sessionId, 'secret-token in sales');

    const [anna, sofia, lars] = await Promise.all([h.api.agent('anna'), h.api.agent('sofia'), h.api.agent('lars')]);
    assert.deepEqual((await search(support.agent, 'secret-token')).sort(), [support.sessionId, sales.sessionId].sort(), 'erik: both channels');
    assert.deepEqual((await search(anna, 'secret-token')).sort(), [support.sessionId, sales.sessionId].sort(), 'anna: both channels');
    assert.deepEqual(await search(sofia, 'secret-token'), [support.sessionId], 'sofia: support only');
    assert.deepEqual(await search(lars, 'secret-token'), [sales.sessionId], 'lars: sales only');
  });

  test('a chat moved to another channel leaves the search of those who lost sight of it', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik', channel: 'support', name: 'Mover' });
    await c.customer.sendOk(c.sessionId, 'where is parcel 77?');
    const sofia = await h.api.agent('sofia');
    assert.deepEqual(await search(sofia, 'parcel 77'), [c.sessionId]);
    await c.agent.ok({ t: 'transfer', sessionId: c.sessionId, to: { channelId: 'sales' } });
    assert.deepEqual(await search(sofia, 'parcel 77'), [], 'sofia (support only) may no longer see it');
    assert.deepEqual(await search(c.agent, 'parcel 77'), [c.sessionId], 'erik (sales member, former handler) still does');
  });

  test('ended chats are found within the 8-hour window (server clock) and not after it', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik', name: 'Ended Eva' });
    await c.customer.sendOk(c.sessionId, 'thanks for the refund');
    await c.agent.ok({ t: 'end', sessionId: c.sessionId });
    h.clock.advance(RECENT_WINDOW_MS - MINUTE);
    assert.deepEqual(await search(c.agent, 'refund'), [c.sessionId], 'at 7 h 59 min');
    h.clock.advance(2 * MINUTE);
    assert.deepEqual(await search(c.agent, 'refund'), [], 'at 8 h 1 min');
  });

  test('customers may not search', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik', name: 'Curious' });
    await c.customer.sendOk(c.sessionId, 'anything');
    const nack = await refused(c.customer, { t: 'search', query: 'anything' });
    assert.equal(nack.code, 'forbidden');
  });
});

describe('search: validation', () => {
  test('the query is 1 to 100 characters and not blank; unknown fields are refused', async () => {
    const erik = await h.api.agent('erik');
    for (const query of ['', '   ', 'x'.repeat(MAX_SEARCH_QUERY + 1)]) {
      const nack = await refused(erik, { t: 'search', query });
      assert.equal(nack.code, 'invalid', JSON.stringify(query));
    }
    assert.equal((await refused(erik, { t: 'search', query: 'a', sessionId: 'x' })).code, 'invalid');
    assert.equal((await refused(erik, { t: 'search', query: 42 })).code, 'invalid');
    assert.deepEqual(await search(erik, 'x'.repeat(MAX_SEARCH_QUERY)), []);
  });
});
