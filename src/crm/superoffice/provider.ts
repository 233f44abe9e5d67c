/**
 * A {@link CrmProvider} over SuperOffice's public REST API (WebAPI v1; docs/superoffice.md cites
 * each endpoint): persons and companies (`/api/v1/Person`, `/api/v1/Contact`), requests
 * (`/api/v1/Ticket`, `/api/v1/TicketMessage`), sales (`/api/v1/Sale`) and activities
 * (`/api/v1/Appointment`). Lists and searches use the archive endpoints with OData `$select`,
 * `$filter`, `$orderBy` and `$top`; records are created with the entity endpoints.
 *
 * What SuperOffice does not hold comes from the chat server (`chat`, e.g. the reference server's
 * `createRestCrmProvider`): who may read a chat, its transcript, and documents. Links between chats
 * and SuperOffice persons are kept in `links` (a Map by default; pass a persistent one).
 *
 * Errors: a 401 refreshes the token once and retries; a second 401 or a 403 is `forbidden`; 404 is
 * `not_found`; 400 is `invalid`; 5xx, 429 and a network failure are `unavailable` with a message
 * an agent can act on. Nothing SuperOffice sends is treated as markup: the contact panel shows
 * text, and the transcript written into a ticket's HTML body is escaped.
 */
import { escapeHtml } from '../html.js';
import { rankMatches } from '../match.js';
import { normalizePhone } from '../phone.js';
import { formatTranscript } from '../transcript.js';
import type {
  CrmActivity,
  CrmCompany,
  CrmCompanyInput,
  CrmContact,
  CrmContactSummary,
  CrmCreateContactInput,
  CrmCustomer,
  CrmProvider,
  CrmRequest,
  CrmRequestInput,
  CrmSale,
  CrmSessionLink,
  CrmTranscript,
} from '../types.js';
import { CrmError } from '../types.js';
import { checkCompany, checkContact, checkRequest, isValid } from '../validate.js';
import type { SuperOfficeAuth } from './oauth.js';

export interface SuperOfficeCrmProviderOptions {
  /** The tenant's WebAPI base, e.g. `https://sod.superoffice.com/Cust12345` (the `webapi_url` claim without `/api/…`). */
  webApiUrl: string;
  /** Bearer tokens: {@link createSuperOfficeOAuth} on a server, or one that asks your backend. */
  auth: SuperOfficeAuth;
  /** The chat server's provider: who may read a chat, its transcript, and documents. */
  chat: CrmProvider;
  /** Links from chats to SuperOffice persons, by session id (default: kept in memory). */
  links?: Map<string, CrmSessionLink> | undefined;
  /** Sent as `SO-AppToken` (the app's client secret) when calling from a server, if the tenant requires it. */
  appToken?: string | undefined;
  fetch?: typeof fetch | undefined;
  now?: (() => number) | undefined;
}

/** The extra call this provider offers: the finished chat stored as a completed appointment. */
export interface SuperOfficeCrmProvider extends CrmProvider {
  /** Stores a linked chat's transcript on its contact as a completed appointment (activity). `not_found` when the chat is not linked. */
  saveChatActivity(sessionId: string, signal?: AbortSignal): Promise<CrmActivity>;
}

type Row = Record<string, unknown>;

const PERSON_COLUMNS = ['personId', 'firstName', 'lastName', 'title', 'email/emailAddress', 'searchPhone/formattedNumber', 'contactId', 'personContact/name'];

/** A string literal in an archive `$filter` (single quotes doubled). */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}


const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const opt = (v: unknown): string | undefined => (str(v).trim() === '' ? undefined : str(v).trim());
const id = (v: unknown): number => {
  const n = typeof v === 'number' ? v : Number.parseInt(str(v), 10);
  return Number.isSafeInteger(n) ? n : 0;
};
const time = (v: unknown): number => {
  const t = Date.parse(str(v));
  return Number.isFinite(t) ? t : 0;
};
const phone = (v: unknown): string | undefined => {
  const raw = opt(v);
  return raw === undefined ? undefined : (normalizePhone(raw) ?? undefined);
};
const numericId = (value: string, what: string): number => {
  if (!/^\d{1,10}$/.test(value)) throw new CrmError('not_found', `No ${what} ${value} in SuperOffice.`);
  return Number(value);
};

function personFromRow(row: Row): CrmContactSummary {
  const companyId = id(row.contactId);
  return {
    id: String(id(row.personId)),
    firstName: str(row.firstName),
    lastName: str(row.lastName),
    title: opt(row.title),
    email: opt(row['email/emailAddress']),
    phone: phone(row['searchPhone/formattedNumber']),
    company: companyId > 0 ? { id: String(companyId), name: str(row['personContact/name']) } : undefined,
  };
}

interface Element {
  Value?: unknown;
}
const first = (list: unknown): unknown => (Array.isArray(list) ? (list as Element[]).find((e) => opt(e.Value) !== undefined)?.Value : undefined);

function personFromEntity(e: Row): CrmContact {
  const contact = (e.Contact ?? null) as Row | null;
  const companyId = contact ? id(contact.ContactId) : 0;
  return {
    id: String(id(e.PersonId)),
    firstName: str(e.Firstname),
    lastName: str(e.Lastname),
    title: opt(e.Title),
    email: opt(first(e.Emails)),
    phone: phone(first(e.MobilePhones)) ?? phone(first(e.OfficePhones)),
    company: contact && companyId > 0 ? { id: String(companyId), name: str(contact.Name) } : undefined,
  };
}

function companyFromRow(row: Row): CrmCompany {
  return { id: String(id(row.contactId)), name: str(row.name), orgNo: opt(row.orgnr) };
}

/** SuperOffice's request status (`status`: Active, Closed, Postponed, Deleted) as ours. */
function requestStatus(v: unknown): CrmRequest['status'] {
  const s = str(v).toLowerCase();
  if (s.includes('closed') || s.includes('deleted')) return 'closed';
  if (s.includes('postponed')) return 'in-progress';
  return 'open';
}

function saleStage(status: unknown, stage: unknown): CrmSale['stage'] {
  const s = str(status).toLowerCase();
  if (s.includes('sold')) return 'won';
  if (s.includes('lost')) return 'lost';
  const g = str(stage).toLowerCase();
  if (g.includes('lead')) return 'lead';
  if (g.includes('negot')) return 'negotiation';
  return 'proposal';
}

function activityType(type: unknown, text: string): CrmActivity['type'] {
  const t = `${str(type)} ${text}`.toLowerCase();
  if (t.includes('chat')) return 'chat';
  if (t.includes('phone') || t.includes('call')) return 'call';
  if (t.includes('mail')) return 'email';
  if (t.includes('meeting')) return 'meeting';
  return 'task';
}

/** The lines of a transcript the customer saw (no notes, no agent-only events). */
function customerLines(t: CrmTranscript) {
  return t.messages.filter((m) => m.kind === 'text').map((m) => ({ author: m.author.name, text: m.text, at: m.at }));
}

/** The transcript as the HTML body of a ticket message: every text escaped, one paragraph per message. */
export function transcriptHtml(t: CrmTranscript, description?: string): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const hhmm = (at: number) => {
    const d = new Date(at);
    return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
  };
  const parts: string[] = [];
  if (description) parts.push(`<p>${escapeHtml(description).replace(/\r?\n/g, '<br>')}</p>`);
  parts.push(`<p><strong>${escapeHtml(`Chat with ${t.customerName || 'a visitor'}`)}</strong></p>`);
  for (const line of customerLines(t)) {
    parts.push(`<p>[${hhmm(line.at)} UTC] <strong>${escapeHtml(line.author || t.customerName)}</strong>: ${escapeHtml(line.text).replace(/\r?\n/g, '<br>')}</p>`);
  }
  return parts.join('\n');
}

export function createSuperOfficeCrmProvider(options: SuperOfficeCrmProviderOptions): SuperOfficeCrmProvider {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const now = options.now ?? Date.now;
  const base = options.webApiUrl.replace(/\/+$/, '');
  const chat = options.chat;
  const links = options.links ?? new Map<string, CrmSessionLink>();
  /** Tickets this provider created from each chat (SuperOffice has no field for the chat). */
  const sessionTickets = new Map<string, CrmRequest[]>();

  async function call<T>(method: string, path: string, init: { query?: Record<string, string>; body?: unknown; signal?: AbortSignal | undefined } = {}): Promise<T> {
    const url = new URL(`${base}/api/v1/${path}`);
    for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, v);
    const send = async (token: string): Promise<Response> => {
      const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${token}` };
      if (init.body !== undefined) headers['Content-Type'] = 'application/json';
      if (options.appToken) headers['SO-AppToken'] = options.appToken;
      try {
        return await doFetch(url, { method, headers, ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}), ...(init.signal ? { signal: init.signal } : {}) });
      } catch (error) {
        if (init.signal?.aborted) throw error;
        throw new CrmError('unavailable', 'SuperOffice could not be reached. Check the connection and try again.');
      }
    };
    let res = await send(await options.auth.accessToken(init.signal));
    if (res.status === 401) res = await send(await options.auth.refresh(init.signal));
    if (res.ok) return (await res.json()) as T;
    const detail = await res.text().catch(() => '');
    if (res.status === 401 || res.status === 403) throw new CrmError('forbidden', 'SuperOffice refused the request: the app is not allowed to do this for this tenant.');
    if (res.status === 404) throw new CrmError('not_found', 'SuperOffice has no such record.');
    if (res.status === 400) throw new CrmError('invalid', `SuperOffice refused the data${detail ? `: ${detail.slice(0, 200)}` : '.'}`);
    if (res.status === 429) throw new CrmError('unavailable', 'SuperOffice asks us to slow down (HTTP 429). Try again in a moment.');
    throw new CrmError('unavailable', `SuperOffice is not answering (HTTP ${String(res.status)}). Try again in a moment; the chat itself is not affected.`);
  }

  async function archive(entity: string, select: string[], filter: string, orderBy?: string, top = 50, signal?: AbortSignal): Promise<Row[]> {
    const query: Record<string, string> = { $select: select.join(','), $filter: filter, $top: String(top) };
    if (orderBy) query.$orderBy = orderBy;
    const answer = await call<{ value?: unknown }>('GET', entity, { query, signal });
    return Array.isArray(answer.value) ? (answer.value as Row[]) : [];
  }

  const persons = (filter: string, signal?: AbortSignal, top = 20) => archive('Person', PERSON_COLUMNS, filter, 'lastName asc', top, signal);

  async function getPerson(contactId: string, signal?: AbortSignal): Promise<Row> {
    return call<Row>('GET', `Person/${String(numericId(contactId, 'contact'))}`, { signal });
  }

  const invalid = (errors: Record<string, { code: string; message: string }>) =>
    new CrmError('invalid', 'Some fields are not valid.', errors as ConstructorParameters<typeof CrmError>[2]);

  async function createCompany(input: CrmCompanyInput, signal?: AbortSignal): Promise<CrmCompany> {
    const checked = checkCompany(input);
    if (!isValid(checked)) throw invalid(checked.errors);
    const c = checked.value;
    if (c.orgNo) {
      const taken = await archive('Contact', ['contactId', 'name', 'orgnr'], `orgnr is ${odataString(c.orgNo)}`, undefined, 1, signal);
      if (taken.length > 0) throw new CrmError('conflict', 'A company with this organisation number exists.', { orgNo: { code: 'taken', message: 'A company with this organisation number exists.' } });
    }
    const saved = await call<Row>('POST', 'Contact', {
      signal,
      body: {
        Name: c.name,
        OrgNr: c.orgNo ?? '',
        Phones: c.phone ? [{ Value: c.phone }] : [],
        Urls: c.domain ? [{ Value: c.domain }] : [],
      },
    });
    return { id: String(id(saved.ContactId)), name: str(saved.Name) || c.name, orgNo: opt(saved.OrgNr) ?? c.orgNo, phone: c.phone, domain: c.domain, address: c.address };
  }

  async function ticket(ticketId: number, signal?: AbortSignal): Promise<Row> {
    return call<Row>('GET', `Ticket/${String(ticketId)}`, { signal });
  }

  return {
    async findMatches(customer: CrmCustomer, signal) {
      const found = new Map<string, CrmContactSummary>();
      const queries: Promise<Row[]>[] = [];
      const emails = [customer.verified?.email, customer.email].filter((e): e is string => typeof e === 'string' && e.includes('@'));
      for (const email of new Set(emails.map((e) => e.trim().toLowerCase()))) queries.push(persons(`email/emailAddress is ${odataString(email)}`, signal));
      const last = customer.name.trim().split(/\s+/).at(-1) ?? '';
      // Names written a little differently (Andersson/Anderson) share their start.
      if (last.length >= 2) queries.push(persons(`lastName begins ${odataString(last.slice(0, Math.min(4, last.length)))}`, signal, 50));
      for (const rows of await Promise.all(queries)) for (const row of rows) found.set(String(id(row.personId)), personFromRow(row));
      return rankMatches(customer, [...found.values()].map((contact) => ({ contact })));
    },

    async search(query, signal) {
      const q = query.trim();
      if (q === '') return [];
      const [byName, byEmail] = await Promise.all([persons(`fullName contains ${odataString(q)}`, signal), persons(`email/emailAddress contains ${odataString(q)}`, signal)]);
      const out = new Map<string, CrmContactSummary>();
      for (const row of [...byName, ...byEmail]) out.set(String(id(row.personId)), personFromRow(row));
      return [...out.values()].slice(0, 20);
    },

    async searchCompanies(query, signal) {
      const q = query.trim();
      if (q === '') return [];
      const rows = await archive('Contact', ['contactId', 'name', 'orgnr'], `name contains ${odataString(q)}`, 'name asc', 20, signal);
      return rows.map(companyFromRow);
    },

    async getContact(contactId, signal) {
      return personFromEntity(await getPerson(contactId, signal));
    },

    async createContact(input: CrmCreateContactInput, signal) {
      const checked = checkContact(input);
      if (!isValid(checked)) throw invalid(checked.errors);
      const c = checked.value;
      let companyId = c.companyId;
      if (c.newCompany) companyId = (await createCompany(c.newCompany, signal)).id;
      const saved = await call<Row>('POST', 'Person', {
        signal,
        body: {
          Firstname: c.firstName,
          Lastname: c.lastName,
          Title: c.title ?? '',
          Emails: c.email ? [{ Value: c.email }] : [],
          MobilePhones: c.phone ? [{ Value: c.phone }] : [],
          Contact: companyId ? { ContactId: numericId(companyId, 'company') } : null,
        },
      });
      return personFromEntity(saved);
    },

    createCompany,

    async listRequests(contactId, signal) {
      const rows = await archive('Ticket', ['ticketId', 'title', 'status', 'createdAt'], `personId eq ${String(numericId(contactId, 'contact'))}`, 'createdAt desc', 50, signal);
      return rows.map((r) => ({ id: String(id(r.ticketId)), number: String(id(r.ticketId)), title: str(r.title), status: requestStatus(r.status), createdAt: time(r.createdAt), contactId }));
    },

    async listSales(contactId, signal) {
      const person = await getPerson(contactId, signal);
      const company = person.Contact ? id((person.Contact as Row).ContactId) : 0;
      const filter = company > 0 ? `contactId eq ${String(company)}` : `personId eq ${String(numericId(contactId, 'contact'))}`;
      const rows = await archive('Sale', ['saleId', 'heading', 'amount', 'currency', 'saleStatus', 'stage', 'date'], filter, 'date desc', 50, signal);
      return rows.map((r) => ({
        id: String(id(r.saleId)),
        title: str(r.heading),
        amount: Number(r.amount) || 0,
        currency: opt(r.currency) ?? 'SEK',
        stage: saleStage(r.saleStatus, r.stage),
        date: time(r.date),
      }));
    },

    async listActivities(contactId, signal) {
      const rows = await archive('Appointment', ['appointmentId', 'text', 'date', 'type', 'associateId'], `personId eq ${String(numericId(contactId, 'contact'))}`, 'date desc', 50, signal);
      return rows.map((r) => {
        const text = str(r.text);
        const title = text.split(/\r?\n/)[0] ?? '';
        return { id: String(id(r.appointmentId)), type: activityType(r.type, title), title, text: text === title ? undefined : text, at: time(r.date), ownerName: opt(r.associateId) };
      });
    },

    async listChatSessions(contactId, signal) {
      const mine = [...links.values()].filter((l) => l.contactId === contactId);
      const sessions = await Promise.all(
        mine.map(async (l) => {
          try {
            const t = await chat.getChatTranscript(l.sessionId, signal);
            return { sessionId: l.sessionId, status: t.endedAt === undefined ? ('active' as const) : ('ended' as const), startedAt: t.startedAt, endedAt: t.endedAt, readable: true };
          } catch (error) {
            if (error instanceof CrmError && error.code === 'forbidden') return { sessionId: l.sessionId, status: 'ended' as const, startedAt: l.linkedAt, readable: false };
            throw error;
          }
        }),
      );
      return sessions.sort((a, b) => b.startedAt - a.startedAt);
    },

    async createRequest(input: CrmRequestInput, signal) {
      const checked = checkRequest(input);
      if (!isValid(checked)) throw invalid(checked.errors);
      const r = checked.value;
      // The chat server decides who may read a chat: no transcript, no request from it.
      const transcript = r.sessionId && r.attachTranscript ? await chat.getChatTranscript(r.sessionId, signal) : undefined;
      const saved = await call<Row>('POST', 'Ticket', {
        signal,
        body: { Title: r.title, Person: r.contactId ? { PersonId: numericId(r.contactId, 'contact') } : null, Origin: 'Chat' },
      });
      const ticketId = id(saved.TicketId);
      if (transcript || r.description) {
        const lines = transcript ? customerLines(transcript) : [];
        const text = [r.description ?? '', transcript ? formatTranscript(transcript.customerName, transcript.startedAt, lines) : ''].filter((x) => x !== '').join('\n\n');
        await call<Row>('POST', 'TicketMessage', {
          signal,
          body: {
            Ticket: { TicketId: ticketId },
            Slevel: 'External',
            Type: 'Html',
            Author: transcript?.customerName ?? '',
            Body: text,
            HtmlBody: transcript ? transcriptHtml(transcript, r.description) : `<p>${escapeHtml(r.description ?? '').replace(/\r?\n/g, '<br>')}</p>`,
          },
        });
      }
      const request: CrmRequest = {
        id: String(ticketId),
        number: String(ticketId),
        title: str(saved.Title) || r.title,
        status: requestStatus(saved.BaseStatus),
        createdAt: time(saved.CreatedAt) || now(),
        sessionId: r.sessionId,
        contactId: r.contactId,
        category: r.category,
        priority: r.priority,
        hasTranscript: transcript !== undefined,
      };
      if (r.sessionId) sessionTickets.set(r.sessionId, [request, ...(sessionTickets.get(r.sessionId) ?? [])]);
      return request;
    },

    async listSessionRequests(sessionId, signal) {
      // The caller must be allowed to read the chat (the chat server says so).
      await chat.getChatTranscript(sessionId, signal);
      const known = sessionTickets.get(sessionId) ?? [];
      const fresh = await Promise.all(known.map(async (req) => ({ ...req, status: requestStatus((await ticket(Number(req.id), signal)).BaseStatus) })));
      return fresh;
    },

    listDocuments: (query, signal) => chat.listDocuments(query, signal),
    getDocument: (documentId, signal) => chat.getDocument(documentId, signal),
    async linkSession(sessionId, contactId, signal) {
      // The chat server says whether the caller may read the chat; SuperOffice whether the person exists.
      await chat.getChatTranscript(sessionId, signal);
      const person = await getPerson(contactId, signal);
      const company = person.Contact ? id((person.Contact as Row).ContactId) : 0;
      const link: CrmSessionLink = { sessionId, contactId: String(id(person.PersonId)), companyId: company > 0 ? String(company) : undefined, linkedAt: now() };
      links.set(sessionId, link);
      return link;
    },
    async getSessionLink(sessionId, signal) {
      await chat.getChatTranscript(sessionId, signal);
      return links.get(sessionId) ?? null;
    },
    getChatTranscript: (sessionId, signal) => chat.getChatTranscript(sessionId, signal),

    async saveChatActivity(sessionId, signal) {
      await chat.getChatTranscript(sessionId, signal);
      const link = links.get(sessionId);
      if (!link) throw new CrmError('not_found', 'The chat is not linked to a contact: link it first.');
      const [transcript, person] = await Promise.all([chat.getChatTranscript(sessionId, signal), getPerson(link.contactId, signal)]);
      const text = formatTranscript(transcript.customerName, transcript.startedAt, customerLines(transcript));
      const title = `Chat with ${transcript.customerName || 'a visitor'}`;
      const company = person.Contact ? id((person.Contact as Row).ContactId) : 0;
      const end = transcript.endedAt ?? now();
      const saved = await call<Row>('POST', 'Appointment', {
        signal,
        body: {
          Title: title,
          Description: text,
          StartDate: new Date(transcript.startedAt).toISOString(),
          EndDate: new Date(end).toISOString(),
          Type: 'inDiary',
          Completed: 'Completed',
          Person: { PersonId: numericId(link.contactId, 'contact') },
          Contact: company > 0 ? { ContactId: company } : null,
        },
      });
      return { id: String(id(saved.AppointmentId)), type: 'chat', title, text, at: transcript.startedAt, sessionId };
    },
  };
}
