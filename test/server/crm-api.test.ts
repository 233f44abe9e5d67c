/**
 * The demo CRM's HTTP API (`/api/crm/`): who may call it (agents of the token's tenant only), which
 * chats an agent may link or read, the "Chat" activity when a linked chat ends, recognising the
 * customer on the next chat, input validation and hostile input.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { createRestCrmProvider } from '../../src/crm/rest-provider.js';
import type { CrmActivity, CrmChatSession, CrmContact, CrmContactSummary, CrmMatch } from '../../src/crm/types.js';
import { CrmError } from '../../src/crm/types.js';
import { createTenant } from '../../server/core/seed.js';
import { type Harness, startServer } from './helpers.js';

let h: Harness;

before(async () => {
  h = await startServer();
  createTenant(
    h.server.db,
    {
      id: 'acme',
      name: 'Acme',
      channels: [{ id: 'help', name: 'Help', welcomeMessage: 'Hi' }],
      agents: [{ id: 'wile', name: 'Wile E.', email: 'wile@acme.example', maxConcurrentChats: 5, channels: { help: { manager: true, listen: true } } }],
    },
    Date.now(),
  );
});

after(async () => {
  await h.close();
});

/** An authorised call; resolves with status and JSON body. */
async function call(token: string | undefined, method: 'GET' | 'POST', path: string, json?: unknown) {
  return h.api.request(method, path, {
    ...(json !== undefined ? { json } : {}),
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

async function startChat(channelId: string, customer: { name: string; email?: string; phone?: string }) {
  const r = await h.api.request('POST', '/api/chats', { json: { tenant: 'demo', channelId, ...customer } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body as { sessionId: string; token: string };
}

const errorCode = (body: unknown) => (body as { error?: { code?: string } }).error?.code;

describe('who may call the CRM', () => {
  it('without a token: 401', async () => {
    const r = await call(undefined, 'GET', '/api/crm/contacts?q=kim');
    assert.equal(r.status, 401);
  });

  it('a customer token: 403 on every endpoint', async () => {
    const chat = await startChat('support', { name: 'Curious Customer' });
    const paths: ['GET' | 'POST', string, unknown?][] = [
      ['GET', '/api/crm/contacts?q=kim'],
      ['GET', '/api/crm/contacts/pe-0002'],
      ['GET', '/api/crm/contacts/pe-0002/activities'],
      ['GET', '/api/crm/companies?q=fj'],
      ['POST', '/api/crm/matches', { name: 'Kim Andersson' }],
      ['POST', '/api/crm/contacts', { firstName: 'A', lastName: 'B' }],
      ['GET', `/api/crm/sessions/${chat.sessionId}/link`],
      ['POST', `/api/crm/sessions/${chat.sessionId}/link`, { contactId: 'pe-0002' }],
      ['GET', `/api/crm/sessions/${chat.sessionId}/transcript`],
    ];
    for (const [method, path, body] of paths) {
      const r = await call(chat.token, method, path, body);
      assert.equal(r.status, 403, `${method} ${path}`);
      assert.equal(errorCode(r.body), 'forbidden');
    }
  });

  it('a revoked agent token: 401', async () => {
    // A login of its own (not the Api's cached one, which later tests use).
    const login = await h.api.request('POST', '/api/demo/login', { json: { tenant: 'demo', agentId: 'erik' } });
    const token = (login.body as { token: string }).token;
    assert.equal((await call(token, 'GET', '/api/crm/contacts?q=kim')).status, 200);
    await call(token, 'POST', '/api/logout');
    const r = await call(token, 'GET', '/api/crm/contacts?q=kim');
    assert.equal(r.status, 401);
  });

  it('another tenant sees none of the demo CRM, and the demo none of it', async () => {
    const wile = await h.api.token('wile', 'acme');
    const search = await call(wile, 'GET', '/api/crm/contacts?q=andersson');
    assert.equal(search.status, 200);
    assert.deepEqual((search.body as { contacts: unknown[] }).contacts, []);
    assert.equal((await call(wile, 'GET', '/api/crm/contacts/pe-0002')).status, 404);
    assert.equal((await call(wile, 'GET', '/api/crm/companies?q=fjallvind')).status, 200);
    assert.deepEqual(((await call(wile, 'GET', '/api/crm/companies?q=fjallvind')).body as { companies: unknown[] }).companies, []);
    const matches = await call(wile, 'POST', '/api/crm/matches', { name: 'Kim Andersson', email: 'kim.andersson@example.com' });
    assert.deepEqual((matches.body as { matches: unknown[] }).matches, []);
    // A demo chat, seen from acme: forbidden (indistinguishable from an unknown id).
    const chat = await startChat('support', { name: 'Demo Customer' });
    assert.equal((await call(wile, 'POST', `/api/crm/sessions/${chat.sessionId}/link`, { contactId: 'pe-0002' })).status, 403);
    // Acme's own contact stays in acme.
    const created = await call(wile, 'POST', '/api/crm/contacts', { firstName: 'Road', lastName: 'Runner', email: 'road@acme.example' });
    assert.equal(created.status, 201);
    const id = (created.body as { contact: CrmContact }).contact.id;
    const erik = await h.api.token('erik');
    assert.equal((await call(erik, 'GET', `/api/crm/contacts/${id}`)).status, 404);
    assert.deepEqual(((await call(erik, 'GET', '/api/crm/contacts?q=runner')).body as { contacts: unknown[] }).contacts, []);
  });
});

describe('linking chats', () => {
  it('only chats the agent may read: Sofia (Support) cannot link or read a Sales chat; Lars (Sales) and Anna (manager) can', async () => {
    const chat = await startChat('sales', { name: 'Kim Andersson', email: 'kim.andersson@example.com' });
    const sofia = await h.api.token('sofia');
    for (const [method, sub] of [
      ['POST', 'link'],
      ['GET', 'link'],
      ['GET', 'transcript'],
    ] as const) {
      const r = await call(sofia, method, `/api/crm/sessions/${chat.sessionId}/${sub}`, method === 'POST' ? { contactId: 'pe-0002' } : undefined);
      assert.equal(r.status, 403, `${method} ${sub}`);
    }
    const lars = await h.api.token('lars');
    assert.equal((await call(lars, 'POST', `/api/crm/sessions/${chat.sessionId}/link`, { contactId: 'pe-0002' })).status, 200);
    const anna = await h.api.token('anna');
    const link = await call(anna, 'GET', `/api/crm/sessions/${chat.sessionId}/link`);
    assert.equal((link.body as { link: { contactId: string } }).link.contactId, 'pe-0002');
    // Sofia sees the chat in Kim's list, but may not open it.
    const chats = (await call(sofia, 'GET', '/api/crm/contacts/pe-0002/chats')).body as { chats: CrmChatSession[] };
    assert.equal(chats.chats.find((c) => c.sessionId === chat.sessionId)?.readable, false);
    // Unknown ids look the same as foreign ones.
    assert.equal((await call(sofia, 'POST', '/api/crm/sessions/s_nope/link', { contactId: 'pe-0002' })).status, 403);
  });

  it('a former handler may still link the chat after it ended', async () => {
    const chat = await startChat('support', { name: 'Jonas Ek' });
    const erik = await h.api.agent('erik');
    await erik.ok({ t: 'accept', sessionId: chat.sessionId });
    await erik.ok({ t: 'end', sessionId: chat.sessionId });
    const token = await h.api.token('erik');
    const r = await call(token, 'POST', `/api/crm/sessions/${chat.sessionId}/link`, { contactId: 'pe-0003' });
    assert.equal(r.status, 200);
    const activities = ((await call(token, 'GET', '/api/crm/contacts/pe-0003/activities')).body as { activities: CrmActivity[] }).activities;
    assert.ok(activities.some((a) => a.sessionId === chat.sessionId && a.type === 'chat'));
  });

  it('refuses a missing or unknown contact', async () => {
    const chat = await startChat('support', { name: 'Nobody' });
    const token = await h.api.token('sofia');
    const missing = await call(token, 'POST', `/api/crm/sessions/${chat.sessionId}/link`, {});
    assert.equal(missing.status, 400);
    assert.equal((missing.body as { error: { fields: Record<string, { code: string }> } }).error.fields.contactId?.code, 'required');
    assert.equal((await call(token, 'POST', `/api/crm/sessions/${chat.sessionId}/link`, { contactId: 'pe-9999' })).status, 404);
  });
});

describe('a linked chat that ends becomes a "Chat" activity on the contact and the company', () => {
  it('ended by the agent: the activity names the customer and channel and refers to the transcript', async () => {
    const chat = await startChat('support', { name: 'Kim Andersson', email: 'kim.andersson@example.com', phone: '070-123 45 67' });
    const agent = await h.api.agent('sofia');
    await agent.ok({ t: 'accept', sessionId: chat.sessionId });
    await agent.sendOk(chat.sessionId, 'Hi Kim! Order 7781 ships today.');
    const token = await h.api.token('sofia');
    const linked = await call(token, 'POST', `/api/crm/sessions/${chat.sessionId}/link`, { contactId: 'pe-0002' });
    assert.equal(linked.status, 200);
    assert.deepEqual((linked.body as { link: { contactId: string; companyId: string } }).link.companyId, 'co-0001');
    const before = ((await call(token, 'GET', '/api/crm/contacts/pe-0002/activities')).body as { activities: CrmActivity[] }).activities;
    assert.ok(!before.some((a) => a.sessionId === chat.sessionId), 'no activity while the chat runs');

    await agent.ok({ t: 'end', sessionId: chat.sessionId });
    const activities = ((await call(token, 'GET', '/api/crm/contacts/pe-0002/activities')).body as { activities: CrmActivity[] }).activities;
    const activity = activities.find((a) => a.sessionId === chat.sessionId);
    assert.ok(activity, 'no Chat activity');
    assert.equal(activity.type, 'chat');
    assert.equal(activity.title, 'Chat');
    assert.equal(activity.text, 'Chat with Kim Andersson (Support)');
    assert.equal(activity.ownerName, 'Sofia Berg');
    assert.equal(activities[0]?.id, activity.id, 'newest first');
    // On the company too.
    const row = h.server.db.get<{ company_id: string; person_id: string }>("SELECT company_id, person_id FROM crm_activities WHERE tenant_id = 'demo' AND session_id = ?", [
      chat.sessionId,
    ]);
    assert.deepEqual(row, { company_id: 'co-0001', person_id: 'pe-0002' });
    // The transcript reference opens the chat for those who may read it.
    const transcript = await call(token, 'GET', `/api/crm/sessions/${chat.sessionId}/transcript`);
    assert.equal(transcript.status, 200);
    const texts = (transcript.body as { transcript: { messages: { text: string }[] } }).transcript.messages.map((m) => m.text);
    assert.ok(texts.includes('Hi Kim! Order 7781 ships today.'));
  });

  it('ended by the customer: the same', async () => {
    const chat = await startChat('support', { name: 'Maria Holm' });
    const agent = await h.api.agent('sofia');
    await agent.ok({ t: 'accept', sessionId: chat.sessionId });
    const token = await h.api.token('sofia');
    await call(token, 'POST', `/api/crm/sessions/${chat.sessionId}/link`, { contactId: 'pe-0001' });
    const customer = await h.api.customer(chat);
    await customer.ok({ t: 'end', sessionId: chat.sessionId });
    const activities = ((await call(token, 'GET', '/api/crm/contacts/pe-0001/activities')).body as { activities: CrmActivity[] }).activities;
    assert.equal(activities.filter((a) => a.sessionId === chat.sessionId).length, 1);
  });

  it('a chat the customer left while it was queued (missed) records nothing', async () => {
    const chat = await startChat('support', { name: 'Jonas Ek' });
    const token = await h.api.token('sofia');
    await call(token, 'POST', `/api/crm/sessions/${chat.sessionId}/link`, { contactId: 'pe-0003' });
    const customer = await h.api.customer(chat);
    await customer.ok({ t: 'end', sessionId: chat.sessionId });
    const activities = ((await call(token, 'GET', '/api/crm/contacts/pe-0003/activities')).body as { activities: CrmActivity[] }).activities;
    assert.ok(!activities.some((a) => a.sessionId === chat.sessionId));
  });
});

describe('recognising the customer on the next chat', () => {
  it('the same phone (written differently) ranks the contact linked before first, "linked"', async () => {
    const first = await startChat('support', { name: 'K', phone: '+46 73 555 12 12' });
    const token = await h.api.token('sofia');
    // Someone whose data says nothing about this customer: only the earlier link can tell.
    await call(token, 'POST', `/api/crm/sessions/${first.sessionId}/link`, { contactId: 'pe-0500' });
    const r = await call(token, 'POST', '/api/crm/matches', { name: 'Kim', phone: '073-555 12 12' });
    const matches = (r.body as { matches: CrmMatch[] }).matches;
    assert.equal(matches[0]?.contact.id, 'pe-0500');
    assert.deepEqual(matches[0].reasons, ['linked']);
  });

  it('the demo customer is found by e-mail and name', async () => {
    const token = await h.api.token('erik');
    const r = await call(token, 'POST', '/api/crm/matches', { name: 'Kim Andersson', email: 'Kim.Andersson@example.com' });
    const matches = (r.body as { matches: CrmMatch[] }).matches;
    assert.equal(matches[0]?.contact.id, 'pe-0002');
    assert.ok(matches[0].reasons.includes('email'));
  });
});

describe('input', () => {
  it('validates with field errors, and says which content type it needs', async () => {
    const token = await h.api.token('erik');
    const r = await call(token, 'POST', '/api/crm/contacts', { firstName: '', lastName: 'B', email: 'x', newCompany: { name: 'N', orgNo: '556712-4410' } });
    assert.equal(r.status, 400);
    const fields = (r.body as { error: { fields: Record<string, { code: string; message: string }> } }).error.fields;
    assert.equal(fields.firstName?.code, 'required');
    assert.equal(fields.email?.code, 'email');
    assert.equal(fields['newCompany.orgNo']?.code, 'taken');
    assert.match(fields.email.message, /E-mail/);
    const text = await h.api.request('POST', '/api/crm/contacts', { body: 'firstName=A', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' } });
    assert.equal(text.status, 415);
    const proto = await h.api.request('POST', '/api/crm/contacts', { body: '{"__proto__": {"x": 1}}', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
    assert.equal(proto.status, 400);
    assert.equal((await call(token, 'GET', '/api/crm/nothing')).status, 404);
    assert.equal((await call(token, 'GET', '/api/crm/contacts/pe-0002/secrets')).status, 404);
    assert.equal((await call(token, 'GET', '/api/crm/contacts/%E0%A4%A')).status, 404);
    assert.equal((await call(token, 'POST', '/api/crm/matches', { name: 42 })).status, 400);
  });

  it('treats SQL and LIKE syntax in searches as text', async () => {
    const token = await h.api.token('erik');
    for (const q of ["' OR 1=1 --", '%', '_', '\\', '"; DROP TABLE crm_persons; --', 'x'.repeat(5000)]) {
      const r = await call(token, 'GET', `/api/crm/contacts?q=${encodeURIComponent(q)}`);
      assert.equal(r.status, 200, q);
      assert.deepEqual((r.body as { contacts: unknown[] }).contacts, [], q);
      const c = await call(token, 'GET', `/api/crm/companies?q=${encodeURIComponent(q)}`);
      assert.deepEqual((c.body as { companies: unknown[] }).companies, [], q);
    }
    assert.equal(h.server.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM crm_persons WHERE tenant_id = 'demo'")?.n, 1000 + 0);
  });

  it('stores hostile text as it is (the panel renders it as text)', async () => {
    const token = await h.api.token('erik');
    const payload = '"><img src=x onerror=window.__pwned=1>';
    const r = await call(token, 'POST', '/api/crm/contacts', { firstName: payload, lastName: payload, title: payload, newCompany: { name: payload } });
    assert.equal(r.status, 201);
    const contact = (r.body as { contact: CrmContact }).contact;
    assert.equal(contact.firstName, payload);
    assert.equal(contact.company?.name, payload);
    const found = ((await call(token, 'GET', `/api/crm/contacts?q=${encodeURIComponent('img src')}`)).body as { contacts: CrmContactSummary[] }).contacts;
    assert.ok(found.some((c) => c.id === contact.id));
  });
});

describe('the REST provider reports failures as CrmError', () => {
  it('forbidden for a customer token, unavailable when the server cannot be reached', async () => {
    const chat = await startChat('support', { name: 'Someone' });
    const asCustomer = createRestCrmProvider({ url: h.api.baseUrl, getAccessToken: () => chat.token });
    await assert.rejects(asCustomer.search('kim'), (e: unknown) => e instanceof CrmError && e.code === 'forbidden');
    const nowhere = createRestCrmProvider({ url: 'http://127.0.0.1:1', getAccessToken: () => 'x' });
    await assert.rejects(nowhere.search('kim'), (e: unknown) => e instanceof CrmError && e.code === 'unavailable' && e.retryable);
    const failingToken = createRestCrmProvider({ url: h.api.baseUrl, getAccessToken: () => Promise.reject(Object.assign(new Error('signed out'), { status: 401 })) });
    await assert.rejects(failingToken.search('kim'), (e: unknown) => e instanceof CrmError && e.code === 'forbidden');
    const garbled = createRestCrmProvider({
      url: 'http://crm.test',
      getAccessToken: () => 't',
      fetch: () => Promise.resolve(new Response(JSON.stringify({ contacts: [{ id: 1 }] }), { status: 200 })),
    });
    await assert.rejects(garbled.search('kim'), (e: unknown) => e instanceof CrmError && e.code === 'unavailable');
  });

  it('aborts a request in flight', async () => {
    const token = await h.api.token('erik');
    const provider = createRestCrmProvider({ url: h.api.baseUrl, getAccessToken: () => token });
    const controller = new AbortController();
    const pending = provider.search('andersson', controller.signal);
    controller.abort();
    await assert.rejects(pending, (e: unknown) => e instanceof Error && e.name === 'AbortError');
  });
});
