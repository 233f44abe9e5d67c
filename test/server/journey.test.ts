/**
 * The customer's journey against the real server, SQLite, sockets and a real SMTP server
 * (smtp-server on a free port, parsed with mailparser): the pre-chat form per channel (required
 * fields, consent, the widget's language and its welcome text), FAQ suggestions, the offline
 * request created in the CRM with its number, the expected wait from recent waiting times and
 * leaving the queue, the rating stored and averaged in the statistics per agent and channel, the
 * transcript e-mail in the customer's language as text and escaped HTML, and returning to a chat
 * that just ended (same agent when Present, else the queue; not after the grace period).
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';

import { simpleParser } from 'mailparser';
import type { ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

import type { DashboardStats } from '../../src/protocol/stats.js';
import type { Harness, HttpResult, ServerFrame, SessionEvent, TestClient } from './helpers.js';
import { isQueue, sessionEventOf, sessionResetOf, startServer } from './helpers.js';

const HOSTILE = `<img src=x onerror="alert(1)"> & <b>bold</b>`;
const MINUTE = 60_000;

let h: Harness;
let tenantKey: string;
let smtp: SMTPServer;
const mails: ParsedMail[] = [];
const mailWaiters: (() => void)[] = [];

function prov(method: string, path: string, json?: unknown): Promise<HttpResult> {
  return h.api.request(method, `/api/provisioning/tenants/demo${path}`, { headers: { authorization: `Bearer ${tenantKey}` }, ...(json !== undefined ? { json } : {}) });
}
async function settings(channel: string, s: unknown): Promise<void> {
  const r = await prov('PATCH', `/channels/${channel}`, { settings: s });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}
const asCustomer = (token: string, path: string, json: unknown) => h.api.request('POST', path, { headers: { authorization: `Bearer ${token}` }, json });
const start = (json: Record<string, unknown>) => h.api.request('POST', '/api/chats', { json: { tenant: 'demo', ...json } });
const fields = (r: HttpResult) => (r.body as { error: { code: string; fields?: Record<string, string> } }).error;

function nextMail(): Promise<ParsedMail> {
  const have = mails.shift();
  if (have) return Promise.resolve(have);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error('no e-mail arrived'));
    }, 10_000);
    mailWaiters.push(() => {
      clearTimeout(timer);
      resolve(mails.shift()!);
    });
  });
}

before(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, done) {
      simpleParser(stream).then(
        (mail) => {
          mails.push(mail);
          mailWaiters.shift()?.();
          done();
        },
        (error: unknown) => {
          done(error as Error);
        },
      );
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  h = await startServer({ mail: { url: `smtp://127.0.0.1:${String(port)}`, from: 'Nordlys chat <chat@nordlys.example>' } });
  tenantKey = (await h.server.provisioning.keys.create({ tenantId: 'demo', name: 'journey', createdBy: 'test' })).key;
});
after(async () => {
  await h.close();
  await new Promise<void>((resolve) => { smtp.close(resolve); });
});

/** A chat in `channel` that `agent` answered (customer and agent sockets open). */
async function answered(channel: string, agentId: string, json: Record<string, unknown> = {}): Promise<{ sessionId: string; token: string; customer: TestClient; agent: TestClient }> {
  const r = await start({ channelId: channel, name: 'Ada', ...json });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const chat = r.body as { sessionId: string; token: string };
  const customer = await h.api.customer(chat);
  const agent = await h.api.agent(agentId);
  await agent.ok({ t: 'accept', sessionId: chat.sessionId });
  return { ...chat, customer, agent };
}

describe('before the chat', () => {
  test('the pre-chat form: required fields and consent per channel, the language, the welcome text in it', async () => {
    await settings('support', {
      texts: { en: { welcome: 'Welcome to support!' }, sv: { welcome: `Välkommen! ${HOSTILE}` } },
      preChat: { name: 'required', email: 'required', phone: 'optional', company: 'optional', consent: true, faqSuggestions: true },
    });
    const missing = await start({ channelId: 'support' });
    assert.equal(missing.status, 400);
    assert.deepEqual(Object.keys(fields(missing).fields ?? {}).sort(), ['consent', 'email', 'name']);
    const badEmail = await start({ channelId: 'support', name: 'Kim', email: 'kim@', consent: true });
    assert.equal(badEmail.status, 400, 'the e-mail syntax is checked');
    const ok = await start({ channelId: 'support', name: 'Kim', email: 'kim@example.com', company: 'Fjällvind AB', consent: true, lang: 'sv-SE' });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    const chat = ok.body as { sessionId: string; token: string };
    const customer = await h.api.customer(chat);
    const reset = await customer.waitFor(sessionResetOf(chat.sessionId));
    assert.equal(reset.snapshot.messages[0]?.text, `Välkommen! ${HOSTILE}`, 'the Swedish welcome text, stored as it was written');
    const row = h.server.db.get<{ language: string; customer_company: string; consent_at: number | null }>('SELECT language, customer_company, consent_at FROM sessions WHERE id = ?', [chat.sessionId]);
    assert.equal(row?.language, 'sv');
    assert.equal(row.customer_company, 'Fjällvind AB');
    assert.ok(row.consent_at !== null);
    // Agents see the company and the consent with the chat (the board's summary).
    const login = await h.api.request('POST', '/api/demo/login', { json: { tenant: 'demo', agentId: 'anna' } });
    const board = await h.api.request('GET', '/api/snapshot', { headers: { authorization: `Bearer ${(login.body as { token: string }).token}` } });
    const summary = (board.body as { sessions: { id: string; customer: { company?: string; consentAt?: number } }[] }).sessions.find((x) => x.id === chat.sessionId);
    assert.deepEqual([summary?.customer.company, summary?.customer.consentAt], ['Fjällvind AB', row.consent_at]);
    await customer.ok({ t: 'end', sessionId: chat.sessionId });
    await settings('support', { preChat: { name: 'optional', email: 'optional', phone: 'hidden', company: 'hidden', consent: false, faqSuggestions: true } });
  });

  test('FAQ suggestions: the three best published FAQs for the first message, in the widget language', async () => {
    const ask = async (q: string, lang: string, channelId = 'support') => {
      const r = await h.api.request('GET', `/api/faq-suggestions?tenant=demo&channelId=${channelId}&lang=${lang}&q=${encodeURIComponent(q)}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return (r.body as { suggestions: { title: string; url: string }[] }).suggestions;
    };
    await settings('support', { preChat: { name: 'optional', email: 'optional', phone: 'hidden', company: 'hidden', consent: false, faqSuggestions: true } });
    const en = await ask('How can I return the jacket I ordered?', 'en');
    assert.ok(en.length >= 1 && en.length <= 3, JSON.stringify(en));
    assert.equal(en[0]?.title, 'How do I return an item?');
    assert.match(en[0].url, /^http:\/\/[\w.]+:\d+\/demo\/faq\/returns\.html$/, "an absolute URL of the FAQ page");
    const sv = await ask('Hur returnerar jag jackan?', 'sv');
    assert.equal(sv[0]?.title, 'Hur returnerar jag en vara?');
    assert.deepEqual(await ask('hello', 'en'), [], 'nothing matches: no suggestions');
    assert.deepEqual(await ask('return', 'en', 'sales'), [], 'the channel does not offer suggestions');
  });

  test('the offline request: checked per channel, created in the CRM, answered with its number', async () => {
    const send = (json: Record<string, unknown>) => h.api.request('POST', '/api/offline-requests', { json: { tenant: 'demo', channelId: 'sales', ...json } });
    assert.equal((await send({ email: 'kim@example.com', message: 'Hello' })).status, 403, 'the channel takes no requests');
    await settings('sales', { offline: { whenNobodyPresent: false, request: true, categories: ['order', 'return'], priority: true, email: 'required', phone: 'optional' } });
    const bad = await send({ email: 'nope', category: 'invoice', priority: 'now', phone: 'x', message: '' });
    assert.equal(bad.status, 400);
    assert.deepEqual(Object.keys(fields(bad).fields ?? {}).sort(), ['category', 'email', 'message', 'phone', 'priority']);
    const ok = await send({ name: HOSTILE, email: 'kim@example.com', category: 'return', priority: 'high', message: `Where is my refund?\n${HOSTILE}` });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    const number = (ok.body as { number: string }).number;
    assert.match(number, /^\d+$/);
    const row = h.server.db.get<{ title: string; description: string; category: string; priority: string; status: string }>(
      "SELECT title, description, category, priority, status FROM crm_requests WHERE tenant_id = 'demo' AND number = ?",
      [Number(number)],
    );
    assert.equal(row?.title, 'Where is my refund?');
    assert.ok(row.description.includes(HOSTILE), 'the text is kept as written');
    assert.deepEqual([row.category, row.priority, row.status], ['return', 'high', 'open']);
  });
});

describe('in the queue', () => {
  test('the expected wait comes from recent waiting times; leaving the queue moves the others up', async () => {
    // Two answered chats that waited 2 and 4 minutes: the average is 3 minutes.
    for (const waitMs of [2 * MINUTE, 4 * MINUTE]) {
      const r = (await start({ channelId: 'sales', name: 'Waiting Wanda' })).body as { sessionId: string; token: string };
      h.clock.advance(waitMs);
      const lars = await h.api.agent('lars');
      await lars.ok({ t: 'accept', sessionId: r.sessionId });
      await lars.ok({ t: 'end', sessionId: r.sessionId });
      await lars.ok({ t: 'presence', status: 'away' });
    }
    const first = (await start({ channelId: 'sales', name: 'First' })).body as { sessionId: string; token: string };
    const second = (await start({ channelId: 'sales', name: 'Second' })).body as { sessionId: string; token: string };
    const one = await h.api.customer(first);
    const two = await h.api.customer(second);
    const q1 = await one.waitFor(isQueue);
    const q2 = await two.waitFor(isQueue);
    assert.equal(q1.position, 1);
    assert.equal(q2.position, 2);
    // No agent Present: one round per place. (The test clock runs on real time too: a few ms more.)
    const about = (ms: number | undefined, expected: number) => {
      assert.ok(ms !== undefined && ms >= expected && ms < expected + 10_000, `${String(ms)} ≈ ${String(expected)}`);
    };
    about(q1.expectedWaitMs, 3 * MINUTE);
    about(q2.expectedWaitMs, 6 * MINUTE);
    const from = two.mark();
    await one.ok({ t: 'end', sessionId: first.sessionId });
    const moved = await two.waitFor((f: ServerFrame): f is Extract<ServerFrame, { t: 'queue' }> => isQueue(f) && f.position === 1, { from });
    about(moved.expectedWaitMs, 3 * MINUTE);
    const status = h.server.db.get<{ status: string }>('SELECT status FROM sessions WHERE id = ?', [first.sessionId]);
    assert.equal(status?.status, 'missed', 'leaving the queue');
    await two.ok({ t: 'end', sessionId: second.sessionId });
  });
});

describe('after the chat', () => {
  test('a rating is stored once the chat ended and averaged per agent and channel in the statistics', async () => {
    await settings('support', { postChat: { rating: true, transcript: true, returnMinutes: 10 } });
    const a = await answered('support', 'sofia');
    assert.equal((await asCustomer(a.token, '/api/chats/feedback', { rating: 5 })).status, 409, 'not before the end');
    await a.agent.ok({ t: 'end', sessionId: a.sessionId });
    const bad = await asCustomer(a.token, '/api/chats/feedback', { rating: 6, comment: 7 });
    assert.equal(bad.status, 400);
    assert.deepEqual(Object.keys(fields(bad).fields ?? {}).sort(), ['comment', 'rating']);
    const ok = await asCustomer(a.token, '/api/chats/feedback', { rating: 4, comment: HOSTILE });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const b = await answered('support', 'erik');
    await b.customer.ok({ t: 'end', sessionId: b.sessionId });
    assert.equal((await asCustomer(b.token, '/api/chats/feedback', { rating: 2 })).status, 200);
    const row = h.server.db.get<{ rating: number; rating_comment: string }>('SELECT rating, rating_comment FROM sessions WHERE id = ?', [a.sessionId]);
    assert.deepEqual(row, { rating: 4, rating_comment: HOSTILE });
    const anna = await h.api.agent('anna');
    const stats = (await anna.ok({ t: 'stats', channelIds: ['support'] })) as DashboardStats;
    assert.equal(stats.ratings?.count, 2);
    assert.equal(stats.ratings.average, 3);
    assert.deepEqual(stats.ratings.perAgent, { erik: { average: 2, count: 1 }, sofia: { average: 4, count: 1 } });
    assert.deepEqual(stats.ratings.perChannel, { support: { average: 3, count: 2 } });
    // An agent's token cannot rate.
    assert.equal((await h.api.request('POST', '/api/chats/feedback', { headers: { authorization: `Bearer ${await h.api.token('anna')}` }, json: { rating: 1 } })).status, 403);
  });

  test('the transcript arrives over SMTP in the customer’s language, as text and escaped HTML', async () => {
    await settings('support', { texts: { sv: { name: 'Kundtjänst' } } });
    const a = await answered('support', 'sofia', { lang: 'sv' });
    await a.customer.sendOk(a.sessionId, `Hej! ${HOSTILE}`);
    await a.agent.ok({ t: 'subscribe', sessionId: a.sessionId, mode: 'participant' });
    await a.agent.sendOk(a.sessionId, 'Hej Ada, hur kan jag hjälpa till?');
    await a.agent.ok({ t: 'end', sessionId: a.sessionId });
    assert.equal((await asCustomer(a.token, '/api/chats/transcript', { email: 'ada@example.com\r\nBcc: x@evil.example' })).status, 400, 'no header injection');
    const sent = await asCustomer(a.token, '/api/chats/transcript', { email: 'ada@example.com' });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    const mail = await nextMail();
    assert.equal(mail.subject, 'Din chatt med Kundtjänst');
    assert.deepEqual(
      (Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((t) => t?.value.map((x) => x.address)),
      ['ada@example.com'],
    );
    const text = mail.text ?? '';
    assert.ok(text.includes(`Du: Hej! ${HOSTILE}`), text);
    assert.ok(text.includes('Sofia Berg: Hej Ada, hur kan jag hjälpa till?'), text);
    assert.ok(text.includes('Här är utskriften av din chatt med Kundtjänst'), text);
    const html = typeof mail.html === 'string' ? mail.html : '';
    assert.ok(html.includes('Hej! &#60;img src=x onerror=&#34;alert(1)&#34;&#62; &#38; &#60;b&#62;bold&#60;/b&#62;'), html);
    assert.ok(!html.includes('<img') && !html.includes('<b>bold'), 'nothing the customer wrote is markup');
    assert.match(html, /<html lang="sv">/);
  });

  test('returning to a chat that just ended: the same agent when Present, else the queue; not after the grace period', async () => {
    const a = await answered('support', 'sofia');
    await a.agent.ok({ t: 'end', sessionId: a.sessionId });
    h.clock.advance(2 * MINUTE);
    const from = a.customer.mark();
    const back = await asCustomer(a.token, '/api/chats/return', {});
    assert.equal(back.status, 200, JSON.stringify(back.body));
    assert.deepEqual(back.body, { status: 'active' });
    const joined = await a.customer.waitFor((f): f is SessionEvent => sessionEventOf(a.sessionId)(f) && f.data.event === 'joined', { from });
    assert.equal(joined.data.author.name, 'Sofia Berg');
    // The same chat, going on: the customer writes, the agent reads.
    await a.customer.sendOk(a.sessionId, 'One more question');
    await a.agent.ok({ t: 'end', sessionId: a.sessionId });
    // Sofia is Away now: back to the queue.
    await a.agent.ok({ t: 'presence', status: 'away' });
    const queued = await asCustomer(a.token, '/api/chats/return', {});
    assert.deepEqual(queued.body, { status: 'queued' });
    assert.equal(h.server.db.get<{ status: string }>('SELECT status FROM sessions WHERE id = ?', [a.sessionId])?.status, 'queued');
    await a.customer.ok({ t: 'end', sessionId: a.sessionId });
    // After the grace period (10 minutes): refused.
    h.clock.advance(11 * MINUTE);
    const late = await asCustomer(a.token, '/api/chats/return', {});
    assert.equal(late.status, 409, JSON.stringify(late.body));
    await a.agent.ok({ t: 'presence', status: 'present' });
  });
});
