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

describe('requests from a chat', () => {
  it('attaches the transcript the customer saw (no internal notes), takes the linked contact, and lists the chat\'s requests', async () => {
    const chat = await startChat('support', { name: 'Kim Andersson', email: 'kim.andersson@example.com' });
    const agent = await h.api.agent('sofia');
    await agent.ok({ t: 'accept', sessionId: chat.sessionId });
    const customer = await h.api.customer(chat);
    await customer.sendOk(chat.sessionId, 'My tent pole snapped on the first night.');
    await agent.sendOk(chat.sessionId, 'Internal: check stock of poles', { kind: 'note' });
    await agent.sendOk(chat.sessionId, 'Sorry to hear that! I will register a request.');
    const token = await h.api.token('sofia');
    const made = await call(token, 'POST', '/api/crm/requests', {
      sessionId: chat.sessionId,
      title: 'Tent pole snapped',
      description: 'Send a new pole.',
      category: 'complaint',
      priority: 'high',
      attachTranscript: true,
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const request = (made.body as { request: { id: string; number: string; contactId?: string; hasTranscript: boolean; category: string; priority: string } }).request;
    assert.equal(request.contactId, undefined, 'the chat is not linked yet');
    assert.equal(request.hasTranscript, true);
    assert.deepEqual([request.category, request.priority], ['complaint', 'high']);
    const row = h.server.db.get<{ transcript: string; description: string; created_by: string; person_id: string | null }>(
      "SELECT transcript, description, created_by, person_id FROM crm_requests WHERE tenant_id = 'demo' AND id = ?",
      [request.id],
    );
    assert.ok(row);
    assert.equal(row.description, 'Send a new pole.');
    assert.equal(row.created_by, 'sofia');
    assert.equal(row.person_id, null);
    assert.match(row.transcript, /^Chat with Kim Andersson, \d{4}-\d\d-\d\d \d\d:\d\d UTC\n/);
    assert.match(row.transcript, /\n\[\d\d:\d\d\] Kim Andersson: My tent pole snapped on the first night\./);
    assert.match(row.transcript, /\n\[\d\d:\d\d\] Sofia Berg: Sorry to hear that! I will register a request\./);
    assert.doesNotMatch(row.transcript, /Internal: check stock/, 'notes are never in the transcript');

    await call(token, 'POST', `/api/crm/sessions/${chat.sessionId}/link`, { contactId: 'pe-0002' });
    const second = await call(token, 'POST', '/api/crm/requests', { sessionId: chat.sessionId, title: 'Replacement pole' });
    assert.equal((second.body as { request: { contactId?: string } }).request.contactId, 'pe-0002');
    const companyRow = h.server.db.get<{ company_id: string }>("SELECT company_id FROM crm_requests WHERE tenant_id = 'demo' AND id = ?", [
      (second.body as { request: { id: string } }).request.id,
    ]);
    assert.equal(companyRow?.company_id, 'co-0001', 'filed on the contact\'s company too');
    const list = await call(token, 'GET', `/api/crm/sessions/${chat.sessionId}/requests`);
    assert.equal(list.status, 200);
    assert.deepEqual(
      (list.body as { requests: { title: string }[] }).requests.map((r) => r.title),
      ['Replacement pole', 'Tent pole snapped'],
    );
  });

  it('GET /api/crm/requests/<id>: the request with its description; the transcript only for agents who may read the chat', async () => {
    const chat = await startChat('sales', { name: 'Lea Berg' });
    const lars = await h.api.agent('lars');
    await lars.ok({ t: 'accept', sessionId: chat.sessionId });
    const customer = await h.api.customer(chat);
    await customer.sendOk(chat.sessionId, 'I would like an offer for 40 jackets.');
    const larsToken = await h.api.token('lars');
    const made = await call(larsToken, 'POST', '/api/crm/requests', { sessionId: chat.sessionId, title: 'Offer: 40 jackets', description: 'Logo on the back.', attachTranscript: true });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const id = (made.body as { request: { id: string; number: string } }).request.id;
    const got = await call(larsToken, 'GET', `/api/crm/requests/${id}`);
    assert.equal(got.status, 200);
    const request = (got.body as { request: Record<string, unknown> }).request;
    assert.equal(request.title, 'Offer: 40 jackets');
    assert.equal(request.description, 'Logo on the back.');
    assert.equal(request.sessionId, chat.sessionId);
    assert.equal(request.hasTranscript, true);
    assert.match(String(request.transcript), /Lea Berg: I would like an offer for 40 jackets\./);
    // Sofia (Support) may not read this Sales chat: the request, but not the transcript.
    const sofia = await call(await h.api.token('sofia'), 'GET', `/api/crm/requests/${id}`);
    assert.equal(sofia.status, 200);
    assert.equal((sofia.body as { request: Record<string, unknown> }).request.title, 'Offer: 40 jackets');
    assert.equal((sofia.body as { request: Record<string, unknown> }).request.transcript, undefined);
    // Unknown ids, path tricks, customers.
    assert.equal((await call(larsToken, 'GET', '/api/crm/requests/rq_nope')).status, 404);
    assert.equal((await call(larsToken, 'GET', '/api/crm/requests/..%2Fcontacts')).status, 404);
    assert.equal((await call(chat.token, 'GET', `/api/crm/requests/${id}`)).status, 403);
  });

  it('refuses chats the agent may not read (403 for requests and the list), and customers', async () => {
    const sales = await startChat('sales', { name: 'Someone in Sales' });
    const sofia = await h.api.token('sofia');
    assert.equal((await call(sofia, 'POST', '/api/crm/requests', { sessionId: sales.sessionId, title: 'x' })).status, 403);
    assert.equal((await call(sofia, 'GET', `/api/crm/sessions/${sales.sessionId}/requests`)).status, 403);
    assert.equal((await call(sales.token, 'GET', `/api/crm/sessions/${sales.sessionId}/requests`)).status, 403);
    assert.equal((await call(sales.token, 'GET', '/api/crm/documents')).status, 403);
    const bad = await call(sofia, 'POST', '/api/crm/requests', { title: 'Floating', attachTranscript: true, priority: 'asap' });
    assert.equal(bad.status, 400);
    assert.deepEqual(Object.keys((bad.body as { error: { fields: object } }).error.fields).sort(), ['attachTranscript', 'contactId', 'priority']);
  });
});

describe('documents', () => {
  /** Checks that a PDF's cross-reference table points at its objects (so readers open it without repairs). */
  function assertValidPdf(bytes: Uint8Array): void {
    const text = new TextDecoder('latin1').decode(bytes);
    assert.ok(text.startsWith('%PDF-1.4\n'));
    assert.ok(text.endsWith('%%EOF\n'));
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1]);
    assert.ok(text.slice(startxref).startsWith('xref\n0 6\n'), 'startxref points at the xref table');
    const entries = text.slice(startxref).split('\n').slice(3, 8);
    entries.forEach((entry, i) => {
      assert.equal(entry.length, 19, 'xref entries are 20 bytes with their line end');
      const offset = Number(entry.slice(0, 10));
      assert.ok(text.slice(offset).startsWith(`${String(i + 1)} 0 obj\n`), `object ${String(i + 1)} at ${String(offset)}`);
    });
    const length = Number(/\/Length (\d+) >>\nstream\n/.exec(text)?.[1]);
    const start = text.indexOf('stream\n') + 'stream\n'.length;
    assert.equal(text.slice(start + length, start + length + '\nendstream'.length), '\nendstream', 'stream length is exact');
  }

  it('the demo CRM has small valid PDFs: Kim\'s own first, then Fjällvind\'s, then everybody\'s', async () => {
    const token = await h.api.token('sofia');
    const r = await call(token, 'GET', '/api/crm/documents?contactId=pe-0002');
    assert.equal(r.status, 200);
    const docs = (r.body as { documents: { id: string; name: string; type: string; size: number; contactId?: string; companyId?: string }[] }).documents;
    assert.equal(docs[0]?.name, 'Order confirmation NO-7781.pdf');
    assert.equal(docs[1]?.name, 'Fjällvind – framework agreement 2026.pdf');
    assert.ok(docs.some((d) => d.name === 'Price list 2026.pdf'));
    assert.ok(docs.every((d) => d.type === 'application/pdf' && d.size > 300 && d.size < 2000));
    const maria = (await call(token, 'GET', '/api/crm/documents?contactId=pe-0001')).body as { documents: { name: string }[] };
    assert.ok(!maria.documents.some((d) => d.name === 'Order confirmation NO-7781.pdf'), "Kim's own document is not offered for Maria");
    assert.ok(maria.documents.some((d) => d.name === 'Fjällvind – framework agreement 2026.pdf'), 'but her company\'s is');
    const searched = (await call(token, 'GET', `/api/crm/documents?q=${encodeURIComponent('fjallvind AGREEMENT')}`)).body as { documents: { name: string }[] };
    assert.deepEqual(
      searched.documents.map((d) => d.name),
      ['Fjällvind – framework agreement 2026.pdf'],
    );
    for (const d of docs.slice(0, 3)) {
      const content = await call(token, 'GET', `/api/crm/documents/${d.id}/content`);
      assert.equal(content.status, 200);
      const body = content.body as { document: { name: string; size: number }; content: string };
      assert.equal(body.document.name, d.name);
      const bytes = Uint8Array.from(atob(body.content), (c) => c.charCodeAt(0));
      assert.equal(bytes.byteLength, d.size);
      assertValidPdf(bytes);
    }
    assert.equal((await call(token, 'GET', '/api/crm/documents/doc-nope/content')).status, 404);
    assert.equal((await call(token, 'GET', '/api/crm/documents?contactId=pe-9999')).status, 404);
  });

  it('the same bytes on every start (deterministic demo data)', async () => {
    const { tinyPdf } = await import('../../server/core/crm-documents.js');
    const a = tinyPdf('Prislista – Åre', ['Rad (1) med \\ och ö']);
    assert.deepEqual(a, tinyPdf('Prislista – Åre', ['Rad (1) med \\ och ö']));
    assertValidPdf(a);
    assert.match(new TextDecoder('latin1').decode(a), /\(Prislista \\226 \\305re\) Tj/);
  });
});

describe('migration 6 keeps the requests of an existing database', () => {
  it('rebuilds crm_requests with an optional contact, default category and priority', async () => {
    const { openSqlite } = await import('../../server/node/sqlite.js');
    const { MIGRATIONS, migrate } = await import('../../server/core/migrations/index.js');
    const db = openSqlite(':memory:');
    try {
      migrate(db, MIGRATIONS.filter((m) => m.version <= 5));
      db.run("INSERT INTO crm_persons (tenant_id, id, first_name, last_name, name_key, search_text, created_at) VALUES ('t', 'p1', 'A', 'B', 'a b', 'a b', 0)");
      db.run("INSERT INTO crm_requests (tenant_id, id, number, person_id, title, status, created_at) VALUES ('t', 'r1', 1001, 'p1', 'Old', 'open', 5)");
      assert.deepEqual(migrate(db, MIGRATIONS.filter((m) => m.version <= 6)), [6]);
      const row = db.get<{ person_id: string; category: string; priority: string; transcript: null }>("SELECT person_id, category, priority, transcript FROM crm_requests WHERE id = 'r1'");
      assert.deepEqual({ ...row }, { person_id: 'p1', category: 'other', priority: 'normal', transcript: null });
      db.run("INSERT INTO crm_requests (tenant_id, id, number, title, status, session_id, created_at) VALUES ('t', 'r2', 1002, 'From a chat', 'open', 's1', 6)");
      assert.equal(db.get<{ n: number }>('SELECT COUNT(*) AS n FROM crm_requests')?.n, 2);
    } finally {
      db.close();
    }
  });
});
