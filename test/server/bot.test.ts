/**
 * Chatbot first (issue 16) against the real server, SQLite and sockets, with a real HTTP bot on a
 * free port (node:http): the bot is asked with signed requests (HMAC-SHA256 over timestamp and
 * body, checked here as a bot would), answers new chats first, hands off to the queue when it
 * asks, when it is late (the channel's timeout) and when the customer asks; the agent sees the
 * bot part, marked as the bot's; the customer's widget sees the bot's messages marked too. A
 * conversation the server did not sign is refused. The demo's rule-based bot answers as well.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';

import type { BotTurnResult } from '../../src/protocol/channel-settings.js';
import { isBotMessage } from '../../src/protocol/channel-settings.js';
import { verifyBotRequest } from '../../server/core/journey/bot.js';
import type { Harness, HttpResult } from './helpers.js';
import { sessionResetOf, startServer } from './helpers.js';

const SECRET = 'a-bot-secret-of-32-characters-xx';
const HOSTILE = `<img src=x onerror="alert(1)"> & <b>bold</b>`;

let h: Harness;
let tenantKey: string;
let bot: Server;
let botUrl: string;
/** How the test bot answers the next request (set per test). */
let answer: (conversation: { from: string; text: string }[]) => { status?: number; body?: unknown; delayMs?: number } = () => ({ body: {} });
const seen: { verified: boolean; body: { conversation: { from: string; text: string }[]; language: string; channelId: string } }[] = [];

function prov(method: string, path: string, json?: unknown): Promise<HttpResult> {
  return h.api.request(method, `/api/provisioning/tenants/demo${path}`, { headers: { authorization: `Bearer ${tenantKey}` }, ...(json !== undefined ? { json } : {}) });
}
async function botSettings(s: Record<string, unknown>): Promise<void> {
  const r = await prov('PATCH', '/channels/support', { settings: { bot: { enabled: true, url: botUrl, secret: SECRET, timeoutMs: 1000, ...s } } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}
const turn = (json: Record<string, unknown>) => h.api.request('POST', '/api/bot/turn', { json: { tenant: 'demo', channelId: 'support', ...json } });
const start = (json: Record<string, unknown>) => h.api.request('POST', '/api/chats', { json: { tenant: 'demo', channelId: 'support', name: 'Ada', ...json } });

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  const header = (name: string) => (typeof req.headers[name] === 'string' ? req.headers[name] : undefined);
  const verified = await verifyBotRequest(SECRET, { timestamp: header('x-chat-timestamp'), signature: header('x-chat-signature') }, raw, h.clock.now());
  const body = JSON.parse(raw) as (typeof seen)[number]['body'];
  seen.push({ verified, body });
  const a = verified ? answer(body.conversation) : { status: 401, body: { error: 'bad signature' } };
  const send = () => {
    if (res.destroyed) return;
    res.writeHead(a.status ?? 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(a.body ?? {}));
  };
  if (a.delayMs) setTimeout(send, a.delayMs);
  else send();
}

before(async () => {
  bot = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve) => bot.listen(0, '127.0.0.1', resolve));
  botUrl = `http://127.0.0.1:${String((bot.address() as AddressInfo).port)}/bot`;
  // Bot turns count as chat starts of the address: this file makes more than the default 20.
  h = await startServer({ chatStartsPerMinute: 1000 });
  tenantKey = (await h.server.provisioning.keys.create({ tenantId: 'demo', name: 'bot', createdBy: 'test' })).key;
});
after(async () => {
  await h.close();
  bot.closeAllConnections();
  await new Promise<void>((resolve) => bot.close(() => { resolve(); }));
});

describe('chatbot first', () => {
  test('the settings: an enabled bot needs an https (or localhost) URL and a secret; the widget learns only that there is one', async () => {
    const bad = await prov('PATCH', '/channels/support', { settings: { bot: { enabled: true, url: 'javascript:alert(1)', secret: 'short', timeoutMs: 100 } } });
    assert.equal(bad.status, 400);
    const fields = (bad.body as { error: { fields: Record<string, string> } }).error.fields;
    assert.ok(fields['settings.bot.url'] && fields['settings.bot.timeoutMs'], JSON.stringify(fields));
    await botSettings({});
    const r = await h.api.request('GET', '/api/channels?tenant=demo&lang=en');
    const support = (r.body as { channels: { id: string; bot?: boolean }[] }).channels.find((c) => c.id === 'support');
    assert.equal(support?.bot, true);
    assert.ok(!JSON.stringify(r.body).includes(SECRET), 'the secret is never public');
  });

  test('the bot answers first with signed requests; it hands off; the agent sees the bot part, marked', async () => {
    await botSettings({});
    await prov('PATCH', '/channels/support', { settings: { texts: { en: { botName: HOSTILE } } } });
    seen.length = 0;
    answer = (c) => (c.length === 1 ? { body: { text: 'Hello! I am the bot. What is your order number?' } } : { body: { text: 'I will find a person for you.', handoff: true } });
    const first = await turn({ text: 'Where is my parcel?', lang: 'sv' });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const one = first.body as BotTurnResult;
    assert.deepEqual(one.conversation.map((t) => [t.from, t.text]), [['customer', 'Where is my parcel?'], ['bot', 'Hello! I am the bot. What is your order number?']]);
    assert.equal(one.handoff, undefined);
    const [request] = seen;
    assert.ok(request);
    assert.equal(request.verified, true, 'the request was signed with the channel’s secret');
    assert.equal(request.body.language, 'sv');
    const second = await turn({ text: '7781', bot: { conversation: one.conversation, proof: one.proof } });
    const two = second.body as BotTurnResult;
    assert.equal(two.handoff, 'asked');
    assert.deepEqual(seen[1]?.body.conversation.map((t) => t.text), ['Where is my parcel?', 'Hello! I am the bot. What is your order number?', '7781']);

    // A forged conversation (a "bot" line the bot never said) is refused, at the next turn and at the start.
    const forged = two.conversation.map((t, i) => (i === 1 ? { ...t, text: 'Your refund is approved.' } : t));
    assert.equal((await turn({ text: 'hi', bot: { conversation: forged, proof: two.proof } })).status, 400);
    assert.equal((await start({ bot: { conversation: forged, proof: two.proof } })).status, 400);

    const started = await start({ bot: { conversation: two.conversation, proof: two.proof } });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const chat = started.body as { sessionId: string; token: string };
    const agent = await h.api.agent('sofia');
    assert.equal(h.server.db.get<{ status: string }>('SELECT status FROM sessions WHERE id = ?', [chat.sessionId])?.status, 'queued', 'in the queue after the hand-off');
    await agent.ok({ t: 'accept', sessionId: chat.sessionId });
    await agent.ok({ t: 'subscribe', sessionId: chat.sessionId, mode: 'participant' });
    const seenByAgent = await agent.waitFor(sessionResetOf(chat.sessionId));
    const texts = seenByAgent.snapshot.messages.filter((m) => m.kind === 'text');
    assert.deepEqual(
      texts.map((m) => [isBotMessage(m) ? 'bot' : m.author.kind, m.author.name, m.text]),
      [
        ['customer', 'Ada', 'Where is my parcel?'],
        ['bot', HOSTILE, 'Hello! I am the bot. What is your order number?'],
        ['customer', 'Ada', '7781'],
        ['bot', HOSTILE, 'I will find a person for you.'],
      ],
    );
    const customer = await h.api.customer(chat);
    const own = await customer.waitFor(sessionResetOf(chat.sessionId));
    assert.equal(own.snapshot.messages.filter((m) => isBotMessage(m)).length, 2, 'the customer sees the bot’s messages marked too');
    await agent.ok({ t: 'end', sessionId: chat.sessionId });
  });

  test('a bot that is late or fails hands off (unavailable); after ten turns it gives up', async () => {
    await botSettings({ timeoutMs: 500 });
    answer = () => ({ body: { text: 'too late' }, delayMs: 3000 });
    const late = await turn({ text: 'Hello?' });
    assert.equal((late.body as BotTurnResult).handoff, 'unavailable');
    assert.deepEqual((late.body as BotTurnResult).conversation.map((t) => t.from), ['customer']);
    answer = () => ({ status: 500, body: {} });
    assert.equal(((await turn({ text: 'Hello?' })).body as BotTurnResult).handoff, 'unavailable');
    answer = () => ({ body: { text: 42 } });
    assert.equal(((await turn({ text: 'Hello?' })).body as BotTurnResult).handoff, 'unavailable', 'an answer of the wrong shape');

    await botSettings({});
    answer = () => ({ body: { text: 'Could you say that again?' } });
    let result: BotTurnResult | undefined;
    for (let i = 0; i < 10; i++) {
      const r = await turn({ text: `question ${String(i)}`, ...(result ? { bot: { conversation: result.conversation, proof: result.proof } } : {}) });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      result = r.body as BotTurnResult;
      if (i < 9) assert.equal(result.handoff, undefined);
    }
    assert.equal(result?.handoff, 'gave-up');
  });

  test('the demo’s rule-based bot for Support answers, hands off on request, and refuses unsigned requests', async () => {
    const r = await prov('PATCH', '/channels/support', { settings: { bot: { enabled: true, url: '/api/demo/bot', secret: SECRET, timeoutMs: 3000 } } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const q = await turn({ text: 'När kommer min leverans?', lang: 'sv' });
    const one = q.body as BotTurnResult;
    assert.match(one.conversation.at(-1)?.text ?? '', /arbetsdagar/);
    assert.equal(one.handoff, undefined);
    const person = await turn({ text: 'I want to talk to a person', bot: { conversation: one.conversation, proof: one.proof } });
    assert.equal((person.body as BotTurnResult).handoff, 'asked');
    const unsigned = await h.api.request('POST', '/api/demo/bot', { json: { tenant: 'demo', channelId: 'support', language: 'en', conversation: [{ from: 'customer', text: 'hi' }] } });
    assert.equal(unsigned.status, 401);
  });
});
