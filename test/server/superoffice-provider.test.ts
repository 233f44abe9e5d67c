/**
 * The SuperOffice adapter (src/crm/superoffice/) against a local STAND-IN for SuperOffice's REST
 * API (server/node/superoffice-stand-in.ts: SuperOffice's documented paths and JSON shapes, not
 * SuperOffice itself). The chat side (who may read a chat, its transcript) is the in-memory
 * provider. Covers matching, creating persons and companies, a ticket with the transcript
 * (escaped), the chat stored as an appointment, the contact panel's lists, and errors: 401 →
 * one token refresh, a revoked consent → forbidden, 5xx and a dead server → a clear, retryable
 * error for the agent.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { createMemoryCrmProvider } from '../../src/crm/memory-provider.js';
import { createSuperOfficeCrmProvider, createSuperOfficeOAuth, escapeHtml, odataString, type SuperOfficeCrmProvider } from '../../src/crm/superoffice/index.js';
import { CrmError } from '../../src/crm/types.js';
import { STAND_IN_CLIENT, startSuperOfficeStandIn, type StandInData, type SuperOfficeStandIn } from '../../server/node/superoffice-stand-in.js';

const NOW = Date.UTC(2026, 11, 7, 10, 0, 0);
const HOSTILE = '<img src=x onerror="alert(1)"> & <script>steal()</script>';

function standInData(): StandInData {
  return {
    contacts: [
      { ContactId: 10, Name: 'Fjällvind Friluft AB', OrgNr: '556712-4410' },
      { ContactId: 11, Name: "O'Brien Outdoor Ltd", OrgNr: '' },
    ],
    persons: [
      { PersonId: 1, Firstname: 'Kim', Lastname: 'Andersson', Title: 'Store manager', Email: 'kim.andersson@example.com', Mobile: '+46 70 123 45 67', ContactId: 10 },
      { PersonId: 2, Firstname: 'Kim', Lastname: 'Anderson', Title: 'Buyer', Email: 'kim@tindra.example' },
      { PersonId: 3, Firstname: 'Maria', Lastname: 'Holm', Email: 'maria.holm@fjallvind.example', ContactId: 10 },
      { PersonId: 4, Firstname: 'Seán', Lastname: "O'Brien", Email: 'sean@obrien.example', ContactId: 11 },
    ],
    tickets: [{ TicketId: 500, Title: 'Delivery of order 7781', PersonId: 1, CreatedAt: '2026-12-01T09:00:00Z', BaseStatus: 'Active' }],
    sales: [
      { SaleId: 70, Heading: 'Winter collection 2027', Amount: 240000, Currency: 'SEK', Status: 'Open', Stage: '50% Negotiation', SaleDate: '2027-01-15T00:00:00Z', ContactId: 10 },
      { SaleId: 71, Heading: 'Tents 2026', Amount: 90000, Currency: 'SEK', Status: 'Sold', Stage: '100% Sold', SaleDate: '2026-03-01T00:00:00Z', ContactId: 10 },
    ],
    appointments: [{ AppointmentId: 90, Text: 'Follow-up call', Date: '2026-12-03T13:00:00Z', Type: 'Phone call', Associate: 'Anna Lindqvist', PersonId: 1, ContactId: 10 }],
  };
}

/** The chat side: chat s1 with Kim (a hostile line and an internal note), s2 not readable by this agent. */
function chatSide() {
  return createMemoryCrmProvider({
    now: () => NOW,
    data: {
      sessions: [
        {
          id: 's1',
          customer: { name: 'Kim Andersson', email: 'kim.andersson@example.com' },
          status: 'ended',
          startedAt: NOW - 600_000,
          endedAt: NOW - 60_000,
          messages: [
            { author: { kind: 'customer', name: 'Kim Andersson' }, kind: 'text', text: `Where is order 7781? ${HOSTILE}`, at: NOW - 590_000 },
            { author: { kind: 'agent', name: 'Erik Johansson' }, kind: 'note', text: 'VIP: check the warehouse first', at: NOW - 580_000 },
            { author: { kind: 'agent', name: 'Erik Johansson' }, kind: 'text', text: 'It left Umeå yesterday.', at: NOW - 570_000 },
          ],
        },
        { id: 's2', customer: { name: 'Someone Else' }, status: 'ended', startedAt: NOW - 900_000, endedAt: NOW - 800_000, readable: false },
      ],
    },
  });
}

describe('SuperOffice adapter against the local stand-in for SuperOffice’s REST API', () => {
  let standIn: SuperOfficeStandIn;
  let provider: SuperOfficeCrmProvider;

  before(async () => {
    standIn = await startSuperOfficeStandIn(standInData());
  });
  after(async () => {
    await standIn.close();
  });
  beforeEach(() => {
    standIn.requests.length = 0;
    provider = createSuperOfficeCrmProvider({
      webApiUrl: standIn.webApiUrl,
      auth: createSuperOfficeOAuth({ tokenUrl: standIn.tokenUrl, ...STAND_IN_CLIENT }),
      chat: chatSide(),
      now: () => NOW,
    });
  });

  it('matches a customer to persons: by e-mail (exact) and by a similar last name, best first', async () => {
    const matches = await provider.findMatches({ name: 'Kim Andersson', email: 'Kim.Andersson@example.com', phone: '070-123 45 67' });
    assert.deepEqual(
      matches.map((m) => [m.contact.id, m.contact.firstName, m.contact.lastName, m.reasons]),
      [
        ['1', 'Kim', 'Andersson', ['email', 'phone', 'name']],
        ['2', 'Kim', 'Anderson', ['name']],
      ],
    );
    assert.deepEqual(matches[0]?.contact.company, { id: '10', name: 'Fjällvind Friluft AB' });
    assert.equal(matches.at(0)?.contact.phone, '+46701234567');
    const filters = standIn.requests.filter((r) => r.path === 'Person').map((r) => r.query.$filter);
    assert.deepEqual(filters.sort(), ["email/emailAddress is 'kim.andersson@example.com'", "lastName begins 'Ande'"]);
    const select = standIn.requests[0]?.query.$select ?? '';
    assert.match(select, /^personId,firstName,lastName,title,email\/emailAddress/);
  });

  it('finds nobody for an unknown customer', async () => {
    assert.deepEqual(await provider.findMatches({ name: 'Zelda Q' }), []);
  });

  it('searches persons and companies; a quote in the query is escaped for OData', async () => {
    assert.equal(odataString("O'Brien"), "'O''Brien'");
    const people = await provider.search("O'Brien");
    assert.deepEqual(people.map((p) => `${p.firstName} ${p.lastName}`), ["Seán O'Brien"]);
    assert.ok(standIn.requests.some((r) => r.query.$filter === "fullName contains 'O''Brien'"));
    const companies = await provider.searchCompanies('fjäll');
    assert.deepEqual(companies, [{ id: '10', name: 'Fjällvind Friluft AB', orgNo: '556712-4410' }]);
  });

  it('reads a person with their company', async () => {
    const kim = await provider.getContact('1');
    assert.deepEqual(kim, {
      id: '1',
      firstName: 'Kim',
      lastName: 'Andersson',
      title: 'Store manager',
      email: 'kim.andersson@example.com',
      phone: '+46701234567',
      company: { id: '10', name: 'Fjällvind Friluft AB' },
    });
    await assert.rejects(provider.getContact('999'), (e: unknown) => e instanceof CrmError && e.code === 'not_found');
    await assert.rejects(provider.getContact('../Contact'), (e: unknown) => e instanceof CrmError && e.code === 'not_found');
  });

  it('creates a person at a new company (POST Contact, then POST Person with Contact.ContactId)', async () => {
    const created = await provider.createContact({
      firstName: 'Nora',
      lastName: 'Lindgren',
      email: 'nora@lindgren-design.example',
      phone: '+46 70 555 12 34',
      title: 'Owner',
      newCompany: { name: 'Lindgren Design AB', orgNo: '559123-4567' },
    });
    const posts = standIn.requests.filter((r) => r.method === 'POST').map((r) => r.path);
    assert.deepEqual(posts, ['Contact', 'Person']);
    const personBody = standIn.requests.find((r) => r.method === 'POST' && r.path === 'Person')?.body as Record<string, unknown>;
    assert.deepEqual(personBody.Emails, [{ Value: 'nora@lindgren-design.example' }]);
    assert.equal(created.firstName, 'Nora');
    assert.equal(created.company?.name, 'Lindgren Design AB');
    assert.deepEqual((await provider.getContact(created.id)).company, created.company);
  });

  it('refuses invalid input before calling SuperOffice, and a taken org. no. as a conflict', async () => {
    await assert.rejects(provider.createContact({ firstName: '', lastName: 'X', email: 'nope@' }), (e: unknown) => e instanceof CrmError && e.code === 'invalid' && 'firstName' in e.fields && 'email' in e.fields);
    assert.equal(standIn.requests.length, 0);
    await assert.rejects(provider.createCompany({ name: 'Copy AB', orgNo: '556712-4410' }), (e: unknown) => e instanceof CrmError && e.code === 'conflict' && e.fields.orgNo?.code === 'taken');
  });

  it('creates a ticket with the chat transcript: escaped HTML, no internal notes; listed for the chat and the person', async () => {
    const request = await provider.createRequest({ contactId: '1', sessionId: 's1', title: 'Order 7781 is late', description: 'Customer <b>waits</b>', attachTranscript: true });
    assert.equal(request.hasTranscript, true);
    assert.equal(request.status, 'open');
    const ticketBody = standIn.requests.find((r) => r.method === 'POST' && r.path === 'Ticket')?.body as Record<string, unknown>;
    assert.deepEqual(ticketBody, { Title: 'Order 7781 is late', Person: { PersonId: 1 }, Origin: 'Chat' });
    const message = standIn.ticketMessages.at(-1)!;
    assert.deepEqual(message.Ticket, { TicketId: Number(request.id) });
    assert.equal(message.Type, 'Html');
    const htmlBody = String(message.HtmlBody);
    assert.ok(htmlBody.includes(escapeHtml(HOSTILE)), 'the hostile text is escaped');
    assert.ok(!htmlBody.includes('<img') && !htmlBody.includes('<script') && !htmlBody.includes('<b>'), htmlBody);
    assert.ok(htmlBody.includes('Customer &#60;b&#62;waits&#60;/b&#62;'), htmlBody);
    assert.ok(!htmlBody.includes('VIP') && !String(message.Body).includes('VIP'), 'internal notes stay out');
    assert.match(String(message.Body), /\[\d\d:\d\d\] Erik Johansson: It left Umeå yesterday\./);
    assert.deepEqual((await provider.listSessionRequests('s1')).map((r) => r.id), [request.id]);
    assert.deepEqual((await provider.listRequests('1')).map((r) => r.title), ['Order 7781 is late', 'Delivery of order 7781']);
  });

  it('refuses a ticket from a chat the agent may not read (the chat server decides)', async () => {
    await assert.rejects(provider.createRequest({ contactId: '1', sessionId: 's2', title: 'Sneaky', attachTranscript: true }), (e: unknown) => e instanceof CrmError && e.code === 'forbidden');
    assert.ok(!standIn.requests.some((r) => r.method === 'POST'), 'nothing written to SuperOffice');
  });

  it('links the chat, stores it as a completed appointment, and lists it among the activities', async () => {
    await assert.rejects(provider.saveChatActivity('s1'), (e: unknown) => e instanceof CrmError && e.code === 'not_found');
    const link = await provider.linkSession('s1', '1');
    assert.deepEqual(link, { sessionId: 's1', contactId: '1', companyId: '10', linkedAt: NOW });
    assert.deepEqual(await provider.getSessionLink('s1'), link);
    assert.deepEqual((await provider.listChatSessions('1')).map((s) => [s.sessionId, s.status, s.readable]), [['s1', 'ended', true]]);
    const activity = await provider.saveChatActivity('s1');
    const body = standIn.requests.find((r) => r.method === 'POST' && r.path === 'Appointment')?.body as Record<string, unknown>;
    assert.equal(body.Title, 'Chat with Kim Andersson');
    assert.deepEqual(body.Person, { PersonId: 1 });
    assert.deepEqual(body.Contact, { ContactId: 10 });
    assert.equal(body.Completed, 'Completed');
    assert.equal(body.StartDate, new Date(NOW - 600_000).toISOString());
    assert.ok(String(body.Description).includes(HOSTILE), 'plain text, as the customer wrote it (SuperOffice shows descriptions as text)');
    assert.ok(!String(body.Description).includes('VIP'));
    const activities = await provider.listActivities('1');
    assert.deepEqual(activities.map((a) => [a.type, a.title]), [
      ['chat', 'Chat with Kim Andersson'],
      ['call', 'Follow-up call'],
    ]);
    assert.equal(activity.type, 'chat');
  });

  it('lists the sales of the person’s company with their stages', async () => {
    const sales = await provider.listSales('1');
    assert.deepEqual(sales.map((s) => [s.title, s.amount, s.currency, s.stage]), [
      ['Winter collection 2027', 240000, 'SEK', 'negotiation'],
      ['Tents 2026', 90000, 'SEK', 'won'],
    ]);
    assert.ok(standIn.requests.some((r) => r.path === 'Sale' && r.query.$filter === 'contactId eq 10'));
  });

  it('an expired token (401) is refreshed once and the call goes through', async () => {
    await provider.getContact('1');
    const before = standIn.tokensIssued();
    standIn.expireTokens();
    const kim = await provider.getContact('1');
    assert.equal(kim.lastName, 'Andersson');
    assert.equal(standIn.tokensIssued(), before + 1, 'one new token');
    const calls = standIn.requests.filter((r) => r.path === 'Person/1');
    assert.equal(calls.length, 3, 'first call, the refused one, the retry');
    assert.notEqual(calls[1]?.authorization, calls[2]?.authorization);
  });

  it('a revoked consent (the refresh token refused) is a clear forbidden', async () => {
    const other = await startSuperOfficeStandIn(standInData());
    try {
      const p = createSuperOfficeCrmProvider({ webApiUrl: other.webApiUrl, auth: createSuperOfficeOAuth({ tokenUrl: other.tokenUrl, ...STAND_IN_CLIENT }), chat: chatSide() });
      await p.getContact('1');
      other.revokeRefreshToken();
      await assert.rejects(p.getContact('1'), (e: unknown) => e instanceof CrmError && e.code === 'forbidden' && /refresh token|sign-in/i.test(e.message));
    } finally {
      await other.close();
    }
  });

  it('a 5xx from SuperOffice is an error the agent can act on, and retryable; the next call works', async () => {
    standIn.failNext(503);
    await assert.rejects(provider.listRequests('1'), (e: unknown) => e instanceof CrmError && e.code === 'unavailable' && e.retryable && e.message.includes('not answering (HTTP 503). Try again'));
    assert.equal((await provider.listRequests('1')).length >= 1, true);
  });

  it('a SuperOffice that cannot be reached is unavailable, not a crash', async () => {
    const gone = await startSuperOfficeStandIn(standInData());
    const p = createSuperOfficeCrmProvider({ webApiUrl: gone.webApiUrl, auth: { accessToken: () => Promise.resolve('t'), refresh: () => Promise.resolve('t') }, chat: chatSide() });
    await gone.close();
    await assert.rejects(p.search('kim'), (e: unknown) => e instanceof CrmError && e.code === 'unavailable' && e.message.includes('could not be reached'));
  });

  it('the OAuth client caches the token and refreshes it once for many waiting calls', async () => {
    const other = await startSuperOfficeStandIn(standInData());
    try {
      const auth = createSuperOfficeOAuth({ tokenUrl: other.tokenUrl, ...STAND_IN_CLIENT });
      const tokens = await Promise.all([auth.accessToken(), auth.accessToken(), auth.accessToken()]);
      assert.equal(new Set(tokens).size, 1);
      assert.equal(other.tokensIssued(), 1);
      await Promise.all([auth.refresh(), auth.refresh()]);
      assert.equal(other.tokensIssued(), 2);
      const wrong = createSuperOfficeOAuth({ tokenUrl: other.tokenUrl, ...STAND_IN_CLIENT, clientSecret: 'wrong' });
      await assert.rejects(wrong.accessToken(), (e: unknown) => e instanceof CrmError && e.code === 'forbidden');
    } finally {
      await other.close();
    }
  });
});
