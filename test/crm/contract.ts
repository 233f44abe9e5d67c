/**
 * The CrmProvider contract: one suite (node:test) that every provider must pass, so the reference
 * REST provider, the in-memory provider and a host's own provider behave the same for the contact
 * panel. Run it with a harness that gives the provider and a way to make chats:
 *
 *   crmProviderContract('my provider', async () => ({ provider, newChat, endChat, foreignChat, close }));
 *
 * The suite creates its own records (unusual names and `.contract.example` e-mails), so it runs
 * against an empty CRM and against one full of other data alike. Tests run in order and share
 * what earlier ones created.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { CrmCompany, CrmContact, CrmCustomer, CrmProvider, CrmRequest } from '../../src/crm/types.js';
import { CrmError } from '../../src/crm/types.js';

export interface ContractHarness {
  provider: CrmProvider;
  /** A chat with this customer that the provider's user may read; resolves with its id. */
  newChat(customer: CrmCustomer): Promise<string>;
  /** Ends a chat the way the agent would (a linked chat becomes a "Chat" activity). */
  endChat(sessionId: string): Promise<void>;
  /** A chat that exists but the provider's user may not read. */
  foreignChat(): Promise<string>;
  /** Files a document in the CRM (the interface has no way to create one); resolves with its id. */
  addDocument(document: { name: string; type: string; bytes: Uint8Array; contactId?: string; companyId?: string }): Promise<string>;
  close(): Promise<void>;
}

/** Awaits a call that must fail with a CrmError of `code`; returns the error. */
export async function rejectsWith(promise: Promise<unknown>, code: CrmError['code']): Promise<CrmError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof CrmError, `expected a CrmError, got ${String(error)}`);
    assert.equal(error.code, code, `expected code ${code}, got ${error.code}: ${error.message}`);
    return error;
  }
  assert.fail(`expected the call to fail with ${code}`);
}

export function crmProviderContract(name: string, setup: () => Promise<ContractHarness>): void {
  describe(`CrmProvider contract: ${name}`, () => {
    let h: ContractHarness;
    let p: CrmProvider;
    const tag = Math.random().toString(36).slice(2, 8);
    const email = (local: string) => `${local}.${tag}@contract.example`;
    const digits = (n: number) => Array.from({ length: n }, () => String(Math.floor(Math.random() * 10))).join('');
    let company: CrmCompany;
    let zoe: CrmContact;
    let ulf: CrmContact;

    before(async () => {
      h = await setup();
      p = h.provider;
    });
    after(async () => {
      await h.close();
    });

    describe('companies', () => {
      it('creates a company and finds it by name and by org. no.', async () => {
        company = await p.createCompany({ name: `Quistvik Kajak ${tag} AB`, orgNo: `559${digits(3)}-${digits(4)}`, phone: '090-12 34 56' });
        assert.ok(company.id);
        assert.equal(company.name, `Quistvik Kajak ${tag} AB`);
        assert.equal(company.phone, '+4690123456');
        const byName = await p.searchCompanies(`quistvik ${tag}`);
        assert.deepEqual(
          byName.map((c) => c.id),
          [company.id],
        );
        const byOrg = await p.searchCompanies(company.orgNo ?? '');
        assert.ok(byOrg.some((c) => c.id === company.id));
        assert.deepEqual(await p.searchCompanies('   '), []);
      });

      it('refuses a second company with the same org. no. (conflict on orgNo)', async () => {
        const error = await rejectsWith(p.createCompany({ name: 'Copy AB', orgNo: company.orgNo ?? '' }), 'conflict');
        assert.equal(error.fields.orgNo?.code, 'taken');
      });

      it('refuses an invalid company with field errors', async () => {
        const error = await rejectsWith(p.createCompany({ name: '  ', orgNo: '12', phone: 'call me' }), 'invalid');
        assert.deepEqual(Object.keys(error.fields).sort(), ['name', 'orgNo', 'phone']);
        assert.equal(error.fields.name?.code, 'required');
        assert.equal(error.fields.orgNo?.code, 'org_no');
        assert.equal(error.fields.phone?.code, 'phone');
      });
    });

    describe('contacts', () => {
      it('creates a contact at an existing company (phone stored as E.164, address from the company)', async () => {
        zoe = await p.createContact({
          firstName: 'Zoë',
          lastName: 'Östlund-Quist',
          email: email('Zoe.Ostlund'),
          phone: '070-987 65 43',
          title: 'Paddling guide',
          companyId: company.id,
        });
        assert.ok(zoe.id);
        assert.equal(zoe.phone, '+46709876543');
        assert.deepEqual(zoe.company, { id: company.id, name: company.name });
        assert.equal(zoe.title, 'Paddling guide');
        assert.deepEqual(await p.getContact(zoe.id), zoe);
      });

      it('creates a contact together with a new company', async () => {
        ulf = await p.createContact({
          firstName: 'Ulf',
          lastName: 'Quarnström',
          email: email('ulf.quarnstrom'),
          newCompany: { name: `Quarnström Fiske ${tag}`, orgNo: `556${digits(3)}-${digits(4)}` },
        });
        assert.ok(ulf.company);
        assert.equal(ulf.company.name, `Quarnström Fiske ${tag}`);
        const found = await p.searchCompanies(`Quarnström Fiske ${tag}`);
        assert.deepEqual(
          found.map((c) => c.id),
          [ulf.company.id],
        );
      });

      it('refuses an invalid contact with field errors', async () => {
        const error = await rejectsWith(p.createContact({ firstName: '', lastName: 'X', email: 'not-an-address', phone: '12' }), 'invalid');
        assert.equal(error.fields.firstName?.code, 'required');
        assert.equal(error.fields.email?.code, 'email');
        assert.equal(error.fields.phone?.code, 'phone');
        assert.equal(error.fields.lastName, undefined);
        const nested = await rejectsWith(p.createContact({ firstName: 'A', lastName: 'B', newCompany: { name: '' } }), 'invalid');
        assert.equal(nested.fields['newCompany.name']?.code, 'required');
        const unknown = await rejectsWith(p.createContact({ firstName: 'A', lastName: 'B', companyId: 'co-does-not-exist' }), 'invalid');
        assert.equal(unknown.fields.companyId?.code, 'unknown');
      });

      it('answers not_found for an unknown contact', async () => {
        await rejectsWith(p.getContact('pe-does-not-exist'), 'not_found');
        await rejectsWith(p.listRequests('pe-does-not-exist'), 'not_found');
      });

      it('searches accent-insensitively, by any word order, e-mail and phone', async () => {
        const ids = async (q: string) => (await p.search(q)).map((c) => c.id);
        assert.ok((await ids('zoe ostlund')).includes(zoe.id), 'folded name');
        assert.ok((await ids('Östlund-Quist Zoë')).includes(zoe.id), 'word order');
        assert.ok((await ids(email('zoe.ostlund'))).includes(zoe.id), 'e-mail');
        assert.ok((await ids('+46 70 987 65 43')).includes(zoe.id), 'phone in another format');
        assert.ok((await ids(`quistvik kajak ${tag}`)).includes(zoe.id), 'company name');
        assert.deepEqual(await ids(''), []);
        assert.ok((await p.search('a')).length <= 20, 'at most 20 results');
      });
    });

    describe('matching', () => {
      it('matches the same e-mail case-insensitively, best first', async () => {
        const matches = await p.findMatches({ name: 'Someone Else', email: email('ZOE.OSTLUND').toUpperCase() });
        assert.equal(matches[0]?.contact.id, zoe.id);
        assert.deepEqual(matches[0].reasons, ['email']);
      });

      it('matches the same phone written differently', async () => {
        const matches = await p.findMatches({ name: 'Z', phone: '+46 (0)70-987 65 43' });
        const m = matches.find((x) => x.contact.id === zoe.id);
        assert.ok(m, 'no phone match');
        assert.ok(m.reasons.includes('phone'));
      });

      it('matches a similar name (accents, a typo) and ranks stronger reasons first', async () => {
        const matches = await p.findMatches({ name: 'Zoe Ostlund Qvist' });
        const m = matches.find((x) => x.contact.id === zoe.id);
        assert.ok(m, 'no name match');
        assert.deepEqual(m.reasons, ['name']);
        const both = await p.findMatches({ name: 'Zoe Ostlund-Quist', email: email('zoe.ostlund') });
        assert.equal(both[0]?.contact.id, zoe.id);
        assert.deepEqual(both[0].reasons, ['email', 'name']);
        for (let i = 1; i < both.length; i++) assert.ok((both[i - 1]?.score ?? 0) >= (both[i]?.score ?? 0), 'sorted by score');
      });

      it('matches the verified e-mail first ("verified"), above the e-mail the customer typed', async () => {
        const matches = await p.findMatches({ name: 'Ulf', email: email('zoe.ostlund'), verified: { externalId: `shop-${tag}`, email: email('ulf.quarnstrom') } });
        assert.equal(matches[0]?.contact.id, ulf.id);
        assert.deepEqual(matches[0].reasons.slice(0, 1), ['verified']);
        assert.equal(matches[1]?.contact.id, zoe.id, 'the typed e-mail still matches, after the verified identity');
        assert.ok(!matches[1].reasons.includes('verified'));
      });

      it('finds nothing for an unrelated customer', async () => {
        assert.deepEqual(await p.findMatches({ name: 'Xyzzy Plugh', email: email('nobody') }), []);
        assert.deepEqual(await p.findMatches({ name: '' }), []);
      });
    });

    describe('chats', () => {
      let chat: string;

      it('links a chat to a contact and reads the link back', async () => {
        chat = await h.newChat({ name: 'Zoe Östlund', email: email('zoe.private') });
        assert.equal(await p.getSessionLink(chat), null);
        const link = await p.linkSession(chat, zoe.id);
        assert.equal(link.sessionId, chat);
        assert.equal(link.contactId, zoe.id);
        assert.equal(link.companyId, company.id);
        const again = await p.getSessionLink(chat);
        assert.equal(again?.contactId, zoe.id);
        const chats = await p.listChatSessions(zoe.id);
        const listed = chats.find((c) => c.sessionId === chat);
        assert.ok(listed, 'the linked chat is listed');
        assert.equal(listed.readable, true);
      });

      it('recognises the customer on the next chat: the contact linked before comes first ("linked")', async () => {
        const matches = await p.findMatches({ name: 'Z. Ö.', email: email('ZOE.PRIVATE') });
        assert.equal(matches[0]?.contact.id, zoe.id);
        assert.equal(matches[0].reasons[0], 'linked');
      });

      it('recognises a verified customer by their id on the next chat, whatever they type ("verified")', async () => {
        const first = await h.newChat({ name: 'Zoe Östlund', verified: { externalId: `shop-z-${tag}` } });
        await p.linkSession(first, zoe.id);
        const matches = await p.findMatches({ name: 'Somebody', verified: { externalId: `shop-z-${tag}` } });
        assert.equal(matches[0]?.contact.id, zoe.id);
        assert.deepEqual(matches[0].reasons, ['verified']);
        assert.deepEqual(await p.findMatches({ name: 'Somebody', email: email('nobody') }), [], 'without the verified id nothing matches');
      });

      it('relinks a chat to another contact', async () => {
        const link = await p.linkSession(chat, ulf.id);
        assert.equal(link.contactId, ulf.id);
        assert.equal((await p.getSessionLink(chat))?.contactId, ulf.id);
        await p.linkSession(chat, zoe.id);
      });

      it('records a "Chat" activity with the transcript reference when a linked chat ends', async () => {
        await h.endChat(chat);
        const activities = await p.listActivities(zoe.id);
        const activity = activities.find((a) => a.sessionId === chat);
        assert.ok(activity, 'no chat activity');
        assert.equal(activity.type, 'chat');
        assert.equal(activity.title, 'Chat');
        const transcript = await p.getChatTranscript(chat);
        assert.equal(transcript.sessionId, chat);
        assert.ok(Array.isArray(transcript.messages));
      });

      it('links an ended chat: the activity follows the link', async () => {
        const ended = await h.newChat({ name: 'Ulf Quarnström', email: email('ulf.private') });
        await h.endChat(ended);
        await p.linkSession(ended, ulf.id);
        assert.ok((await p.listActivities(ulf.id)).some((a) => a.sessionId === ended && a.type === 'chat'));
        await p.linkSession(ended, zoe.id);
        assert.ok(!(await p.listActivities(ulf.id)).some((a) => a.sessionId === ended), 'moved away from Ulf');
        assert.equal((await p.listActivities(zoe.id)).filter((a) => a.sessionId === ended).length, 1, 'exactly one activity');
      });

      it('refuses chats the user may not read (forbidden) and unknown contacts (not_found)', async () => {
        const foreign = await h.foreignChat();
        await rejectsWith(p.linkSession(foreign, zoe.id), 'forbidden');
        await rejectsWith(p.getSessionLink(foreign), 'forbidden');
        await rejectsWith(p.getChatTranscript(foreign), 'forbidden');
        await rejectsWith(p.linkSession('s_does_not_exist', zoe.id), 'forbidden');
        const mine = await h.newChat({ name: 'Nobody' });
        await rejectsWith(p.linkSession(mine, 'pe-does-not-exist'), 'not_found');
      });
    });

    describe('requests, sales, activities', () => {
      it('creates a request and lists it newest first', async () => {
        const request = await p.createRequest({ contactId: zoe.id, title: 'Broken paddle', description: 'The blade cracked.' });
        assert.equal(request.title, 'Broken paddle');
        assert.equal(request.status, 'open');
        assert.ok(request.number);
        const list = await p.listRequests(zoe.id);
        assert.equal(list[0]?.id, request.id);
      });

      it('refuses an invalid request', async () => {
        const error = await rejectsWith(p.createRequest({ contactId: zoe.id, title: '' }), 'invalid');
        assert.equal(error.fields.title?.code, 'required');
      });

      it('lists sales and activities as arrays, newest first', async () => {
        const sales = await p.listSales(zoe.id);
        assert.ok(Array.isArray(sales));
        const activities = await p.listActivities(zoe.id);
        for (let i = 1; i < activities.length; i++) assert.ok((activities[i - 1]?.at ?? 0) >= (activities[i]?.at ?? 0));
      });
    });

    describe('requests from chats', () => {
      let chat: string;
      let first: CrmRequest;

      it('creates a request from a chat whose customer is not linked: no contact, category and priority kept, transcript attached', async () => {
        chat = await h.newChat({ name: 'Quinn Unlinked', email: email('quinn') });
        first = await p.createRequest({ sessionId: chat, title: 'Tent pole snapped', category: 'complaint', priority: 'high', attachTranscript: true });
        assert.equal(first.title, 'Tent pole snapped');
        assert.equal(first.sessionId, chat);
        assert.equal(first.contactId, undefined);
        assert.equal(first.category, 'complaint');
        assert.equal(first.priority, 'high');
        assert.equal(first.hasTranscript, true);
        assert.equal(first.status, 'open');
        assert.ok(first.number);
      });

      it('takes the contact the chat is linked to, and lists the chat\'s requests newest first', async () => {
        await p.linkSession(chat, zoe.id);
        const second = await p.createRequest({ sessionId: chat, title: 'Replacement pole' });
        assert.equal(second.contactId, zoe.id);
        assert.equal(second.category, 'other', 'default category');
        assert.equal(second.priority, 'normal', 'default priority');
        assert.equal(second.hasTranscript, false);
        assert.notEqual(second.number, first.number);
        const list = await p.listSessionRequests(chat);
        assert.deepEqual(
          list.map((r) => r.id),
          [second.id, first.id],
        );
        assert.ok((await p.listRequests(zoe.id)).some((r) => r.id === second.id), "on the contact's list too");
        assert.deepEqual(await p.listSessionRequests(await h.newChat({ name: 'Nobody Yet' })), []);
      });

      it('suggests replies from the requests (issue 18): one the customer names by number, else the newest open one when they ask', async () => {
        const suggest = p.suggestReplies?.bind(p);
        assert.ok(suggest, 'the library providers implement suggestReplies');
        const [second] = await p.listSessionRequests(chat);
        assert.ok(second);
        // Named by number: that request, with its title and status, as text.
        const named = await suggest({ sessionId: chat, channelId: 'support', text: `Any news on #${first.number}?`, locale: 'en-GB' });
        assert.deepEqual(named, [
          { id: `request-${first.id}`, title: `Request ${first.number}: Tent pole snapped`, text: `Your request ${first.number} (“Tent pole snapped”) is open: we will get back to you shortly.` },
        ]);
        // Asked about "my order" without a number: the newest open request of the chat and its contact, in Swedish for sv.
        const asked = await suggest({ sessionId: chat, text: 'Hur går det med min beställning?', locale: 'sv-SE' });
        assert.deepEqual(asked, [{ id: `request-${second.id}`, title: `Ärende ${second.number}: Replacement pole`, text: `Ditt ärende ${second.number} (”Replacement pole”) är registrerat: vi återkommer inom kort.` }]);
        // Nothing about requests: no suggestion.
        assert.deepEqual(await suggest({ sessionId: chat, text: 'Thanks, bye!', locale: 'en' }), []);
        // A chat the user may not read: refused like its other reads.
        await rejectsWith(suggest({ sessionId: await h.foreignChat(), text: 'order 123', locale: 'en' }), 'forbidden');
      });

      it('refuses a request with neither contact nor chat, and unknown categories or priorities', async () => {
        const none = await rejectsWith(p.createRequest({ title: 'Floating' }), 'invalid');
        assert.equal(none.fields.contactId?.code, 'required');
        const odd = await rejectsWith(p.createRequest({ sessionId: chat, title: 'Odd', category: 'gossip' as never, priority: 'whenever' as never }), 'invalid');
        assert.deepEqual(Object.keys(odd.fields).sort(), ['category', 'priority']);
      });

      it('refuses requests from, and the request list of, a chat the user may not read', async () => {
        const foreign = await h.foreignChat();
        await rejectsWith(p.createRequest({ sessionId: foreign, title: 'Not mine' }), 'forbidden');
        await rejectsWith(p.listSessionRequests(foreign), 'forbidden');
      });
    });

    describe('documents', () => {
      const pdf = (label: string) => new TextEncoder().encode(`%PDF-1.4\n% ${label}\n%%EOF\n`);
      let mine: string;
      let companyDoc: string;
      let general: string;
      let others: string;

      it('lists a contact\'s documents first, then their company\'s, then everybody\'s, never other contacts\'', async () => {
        mine = await h.addDocument({ name: `Offert Zoë ${tag}.pdf`, type: 'application/pdf', bytes: pdf('zoe'), contactId: zoe.id, companyId: company.id });
        companyDoc = await h.addDocument({ name: `Avtal Quistvik ${tag}.pdf`, type: 'application/pdf', bytes: pdf('company'), companyId: company.id });
        general = await h.addDocument({ name: `Allmänna villkor ${tag}.pdf`, type: 'application/pdf', bytes: pdf('general') });
        others = await h.addDocument({ name: `Ulfs faktura ${tag}.pdf`, type: 'application/pdf', bytes: pdf('ulf'), contactId: ulf.id });
        const list = await p.listDocuments({ contactId: zoe.id });
        const ids = list.map((d) => d.id);
        assert.ok(ids.includes(mine) && ids.includes(companyDoc) && ids.includes(general), JSON.stringify(ids));
        assert.ok(!ids.includes(others), "another contact's document is not offered");
        assert.ok(ids.indexOf(mine) < ids.indexOf(companyDoc) && ids.indexOf(companyDoc) < ids.indexOf(general), 'contact, company, everybody');
        assert.ok(list.length <= 50);
        const doc = list.find((d) => d.id === mine);
        assert.ok(doc);
        assert.equal(doc.name, `Offert Zoë ${tag}.pdf`);
        assert.equal(doc.type, 'application/pdf');
        assert.equal(doc.size, pdf('zoe').byteLength);
      });

      it('searches file names (accent- and case-insensitive)', async () => {
        const found = await p.listDocuments({ contactId: zoe.id, query: `OFFERT zoe ${tag}` });
        assert.deepEqual(
          found.map((d) => d.id),
          [mine],
        );
        const all = await p.listDocuments({ query: tag });
        assert.ok(all.some((d) => d.id === others), 'without a contact: every document');
      });

      it('gets a document\'s exact bytes, name and type; unknown ids are not found', async () => {
        const content = await p.getDocument(mine);
        assert.equal(content.name, `Offert Zoë ${tag}.pdf`);
        assert.equal(content.type, 'application/pdf');
        assert.deepEqual(new Uint8Array(await content.blob.arrayBuffer()), pdf('zoe'));
        await rejectsWith(p.getDocument('doc-does-not-exist'), 'not_found');
      });
    });

    describe('abort', () => {
      it('rejects with an AbortError when the signal is already aborted', async () => {
        const controller = new AbortController();
        controller.abort();
        await assert.rejects(p.search('zoe', controller.signal), (e: unknown) => e instanceof Error && e.name === 'AbortError');
        await assert.rejects(p.findMatches({ name: 'Zoe' }, controller.signal), (e: unknown) => e instanceof Error && e.name === 'AbortError');
      });
    });
  });
}
