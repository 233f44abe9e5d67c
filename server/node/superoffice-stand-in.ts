/**
 * A STAND-IN for SuperOffice CRM Online, for tests and the offline demo: NOT SuperOffice. A small
 * Node HTTP server that implements the parts of SuperOffice's public REST API the adapter uses,
 * with the paths and JSON shapes of SuperOffice's reference documentation (docs/superoffice.md
 * lists them with their sources). Used by test/server/superoffice-provider.test.ts and, with
 * `--demo --demo-superoffice` (`npm start`), by the demo server, whose sample CRM page can put the
 * adapter behind its console (`/demo/?crm=superoffice`; test/e2e/superoffice.test.ts).
 *
 *   POST /login/common/oauth/tokens            grant_type=refresh_token → { token_type, access_token, expires_in }
 *   GET  /{tenant}/api/v1/Person|Contact|Ticket|Sale|Appointment   archive lists: $select, $filter, $orderBy, $top
 *   GET  /{tenant}/api/v1/Person/{id}  Ticket/{id}                  entities
 *   POST /{tenant}/api/v1/Person  Contact  Ticket  TicketMessage  Appointment
 *
 * `$filter` understands one clause: `column is|begins|contains 'text'` or `column eq number`
 * (the operators SuperOffice documents for strings and ints). Bearer tokens are checked; tests
 * can expire them (`expireTokens`), revoke the refresh token, or make the API fail (`failNext`).
 *
 * Not SuperOffice either: it answers CORS for any origin (the demo page calls it from the
 * browser), and `GET /stand-in/state` shows everything it holds, ticket messages included (for
 * the tests' checks; SuperOffice has no such call).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const STAND_IN_TENANT = 'Cust12345';
export const STAND_IN_CLIENT = { clientId: 'stand-in-client', clientSecret: 'stand-in-secret', refreshToken: 'stand-in-refresh' };

type Row = Record<string, unknown>;

/** A JSON value as text (strings and numbers as they are; anything else empty). */
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

export interface StandInPerson {
  PersonId: number;
  Firstname: string;
  Lastname: string;
  Title?: string;
  Email?: string;
  Mobile?: string;
  ContactId?: number;
}
export interface StandInData {
  contacts: { ContactId: number; Name: string; OrgNr?: string }[];
  persons: StandInPerson[];
  tickets: { TicketId: number; Title: string; PersonId?: number; CreatedAt: string; BaseStatus: string }[];
  sales: { SaleId: number; Heading: string; Amount: number; Currency: string; Status: string; Stage: string; SaleDate: string; ContactId?: number; PersonId?: number }[];
  appointments: { AppointmentId: number; Text: string; Date: string; Type: string; Associate: string; PersonId?: number; ContactId?: number }[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization: string;
}

export interface SuperOfficeStandIn {
  /** Origin, e.g. `http://127.0.0.1:4567`. */
  origin: string;
  /** The WebAPI base for the provider: `{origin}/Cust12345`. */
  webApiUrl: string;
  tokenUrl: string;
  data: StandInData;
  ticketMessages: Row[];
  requests: RecordedRequest[];
  /** How many tokens the token endpoint issued. */
  tokensIssued(): number;
  /** Every issued access token stops working (as when they expire): the next call gets 401. */
  expireTokens(): void;
  /** The tenant revokes the app's consent: the refresh token is refused. */
  revokeRefreshToken(): void;
  /** The next `n` API calls answer `status` (e.g. 503). */
  failNext(status: number, n?: number): void;
  close(): Promise<void>;
}

const FULL_NAME = (p: StandInPerson) => `${p.Firstname} ${p.Lastname}`;

function personRow(p: StandInPerson, data: StandInData): Row {
  const company = data.contacts.find((c) => c.ContactId === p.ContactId);
  return {
    personId: p.PersonId,
    firstName: p.Firstname,
    lastName: p.Lastname,
    fullName: FULL_NAME(p),
    title: p.Title ?? '',
    'email/emailAddress': p.Email ?? '',
    'searchPhone/formattedNumber': p.Mobile ?? '',
    contactId: p.ContactId ?? 0,
    'personContact/name': company?.Name ?? '',
  };
}

function personEntity(p: StandInPerson, data: StandInData): Row {
  const company = data.contacts.find((c) => c.ContactId === p.ContactId);
  return {
    PersonId: p.PersonId,
    Firstname: p.Firstname,
    Lastname: p.Lastname,
    FullName: FULL_NAME(p),
    Title: p.Title ?? '',
    Emails: p.Email ? [{ Value: p.Email, StrippedValue: p.Email, Description: '' }] : [],
    MobilePhones: p.Mobile ? [{ Value: p.Mobile, StrippedValue: p.Mobile.replace(/\D/g, ''), Description: '' }] : [],
    OfficePhones: [],
    Contact: company ? { ContactId: company.ContactId, Name: company.Name, OrgNr: company.OrgNr ?? '' } : null,
    _Links: { Self: `/api/v1/Person/${String(p.PersonId)}` },
  };
}

/** One `$filter` clause against a row. */
function matches(row: Row, filter: string | undefined): boolean {
  if (!filter) return true;
  const m = /^\s*([\w/]+)\s+(is|begins|contains|eq)\s+(?:'((?:[^']|'')*)'|(-?\d+))\s*$/.exec(filter);
  if (!m) throw new Error(`the stand-in does not understand $filter=${filter}`);
  const [, column = '', op, literal, num] = m;
  const value = row[column];
  if (op === 'eq') return Number(value) === Number(num);
  const wanted = (literal ?? '').replace(/''/g, "'").toLowerCase();
  const have = text(value).toLowerCase();
  if (op === 'is') return have === wanted;
  if (op === 'begins') return have.startsWith(wanted);
  return have.includes(wanted);
}

function archive(rows: Row[], entity: string, primary: string, query: Record<string, string>): Row {
  const select = (query.$select ?? '').split(',').filter((c) => c !== '');
  let out = rows.filter((r) => matches(r, query.$filter));
  const order = /^([\w/]+)(?:\s+(asc|desc))?$/.exec(query.$orderBy ?? '');
  if (order) {
    const [, col = '', dir] = order;
    out = [...out].sort((a, b) => String(a[col]).localeCompare(String(b[col])) * (dir === 'desc' ? -1 : 1));
  }
  out = out.slice(0, Number(query.$top ?? '50'));
  return {
    'odata.metadata': 'https://www.example.com/api/v1/archive$metadata',
    'odata.nextLink': '',
    value: out.map((r) => ({ PrimaryKey: r[primary], EntityName: entity, ...Object.fromEntries((select.length > 0 ? select : Object.keys(r)).map((c) => [c, r[c] ?? null])) })),
  };
}

/** The name the demo shows wherever the stand-in stands for SuperOffice. */
export const STAND_IN_NAME = 'SuperOffice stand-in (local, not SuperOffice)';

/**
 * The demo's SuperOffice records (made up): two companies with their people, requests, a sale
 * and an earlier appointment, dated relative to `now`.
 */
export function demoStandInData(now = Date.now()): StandInData {
  const day = 24 * 60 * 60 * 1000;
  const at = (daysAgo: number) => new Date(now - daysAgo * day).toISOString();
  return {
    contacts: [
      { ContactId: 21, Name: 'Nordkust Marin AB', OrgNr: '556801-2234' },
      { ContactId: 22, Name: 'Hagberg & Ström Bygg AB', OrgNr: '556455-7781' },
    ],
    persons: [
      { PersonId: 101, Firstname: 'Sara', Lastname: 'Lindgren', Title: 'Purchasing manager', Email: 'sara.lindgren@nordkust.example', Mobile: '+46 70 321 44 10', ContactId: 21 },
      { PersonId: 102, Firstname: 'Johan', Lastname: 'Lindqvist', Title: 'Service technician', Email: 'johan.lindqvist@nordkust.example', ContactId: 21 },
      { PersonId: 103, Firstname: 'Leila', Lastname: 'Hagberg', Title: 'CEO', Email: 'leila@hagberg-strom.example', Mobile: '+46 73 900 12 12', ContactId: 22 },
    ],
    tickets: [
      { TicketId: 501, Title: 'Engine service before the season', PersonId: 101, CreatedAt: at(12), BaseStatus: 'Closed' },
      { TicketId: 502, Title: 'Spare propeller on back order', PersonId: 101, CreatedAt: at(3), BaseStatus: 'Active' },
    ],
    sales: [{ SaleId: 701, Heading: 'Mooring equipment 2027', Amount: 86500, Currency: 'SEK', Status: 'Open', Stage: 'Proposal', SaleDate: at(20), ContactId: 21, PersonId: 101 }],
    appointments: [{ AppointmentId: 801, Text: 'Phone call about delivery dates', Date: at(5), Type: 'Phone', Associate: 'Anna Lindqvist', PersonId: 101, ContactId: 21 }],
  };
}

export async function startSuperOfficeStandIn(data: StandInData, listen: { host?: string; port?: number } = {}): Promise<SuperOfficeStandIn> {
  const valid = new Set<string>();
  let issued = 0;
  let refreshRevoked = false;
  let failures: { status: number; left: number } | undefined;
  const ticketMessages: Row[] = [];
  const requests: RecordedRequest[] = [];
  let nextId = 1000;

  // CORS for any origin (bearer tokens, no cookies): the demo page calls the stand-in from the browser.
  const CORS = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, POST',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept, SO-AppToken',
    'Access-Control-Max-Age': '600',
  };
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...CORS });
    res.end(JSON.stringify(body));
  };

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const raw = await readBody(req);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS).end();
      return;
    }
    if (req.method === 'GET' && url.pathname === '/stand-in/state') {
      // Not SuperOffice: what the stand-in holds, for the tests' checks.
      send(res, 200, { name: STAND_IN_NAME, ...data, ticketMessages });
      return;
    }
    if (req.method === 'POST' && url.pathname === '/login/common/oauth/tokens') {
      const form = new URLSearchParams(raw);
      const ok =
        form.get('grant_type') === 'refresh_token' &&
        form.get('client_id') === STAND_IN_CLIENT.clientId &&
        form.get('client_secret') === STAND_IN_CLIENT.clientSecret &&
        form.get('refresh_token') === STAND_IN_CLIENT.refreshToken &&
        !refreshRevoked;
      if (!ok) {
        send(res, 400, { error: 'invalid_grant', error_description: 'The refresh token is not valid.' });
        return;
      }
      issued += 1;
      const token = `8A:${STAND_IN_TENANT}.stand-in-${String(issued)}`;
      valid.add(token);
      send(res, 200, { token_type: 'Bearer', access_token: token, expires_in: 3600, id_token: 'stand-in-id-token' });
      return;
    }
    const prefix = `/${STAND_IN_TENANT}/api/v1/`;
    if (!url.pathname.startsWith(prefix)) {
      send(res, 404, { Error: 'Not found' });
      return;
    }
    const path = url.pathname.slice(prefix.length);
    const query = Object.fromEntries(url.searchParams);
    const body = raw === '' ? undefined : (JSON.parse(raw) as Row);
    const authorization = req.headers.authorization ?? '';
    requests.push({ method: req.method ?? 'GET', path, query, body, authorization });
    if (!authorization.startsWith('Bearer ') || !valid.has(authorization.slice(7))) {
      send(res, 401, { Error: 'Unauthorized', ErrorType: 'Unauthorized' });
      return;
    }
    if (failures && failures.left > 0) {
      failures.left -= 1;
      send(res, failures.status, { Error: 'The service is unavailable', ErrorType: 'ServiceUnavailable' });
      return;
    }
    const [entity = '', idPart] = path.split('/');
    if (req.method === 'GET' && idPart === undefined) {
      if (entity === 'Person') { send(res, 200, archive(data.persons.map((p) => personRow(p, data)), 'person', 'personId', query)); return; }
      if (entity === 'Contact') { send(res, 200, archive(data.contacts.map((c) => ({ contactId: c.ContactId, name: c.Name, orgnr: c.OrgNr ?? '' })), 'contact', 'contactId', query)); return; }
      if (entity === 'Ticket')
        { send(res, 200, archive(data.tickets.map((t) => ({ ticketId: t.TicketId, title: t.Title, status: t.BaseStatus, createdAt: t.CreatedAt, personId: t.PersonId ?? 0 })), 'ticket', 'ticketId', query)); return; }
      if (entity === 'Sale')
        { send(
          res,
          200,
          archive(
            data.sales.map((s) => ({ saleId: s.SaleId, heading: s.Heading, amount: s.Amount, currency: s.Currency, saleStatus: s.Status, stage: s.Stage, date: s.SaleDate, contactId: s.ContactId ?? 0, personId: s.PersonId ?? 0 })),
            'sale',
            'saleId',
            query,
          ),
        ); return; }
      if (entity === 'Appointment')
        { send(
          res,
          200,
          archive(
            data.appointments.map((a) => ({ appointmentId: a.AppointmentId, text: a.Text, date: a.Date, type: a.Type, associateId: a.Associate, personId: a.PersonId ?? 0, contactId: a.ContactId ?? 0 })),
            'appointment',
            'appointmentId',
            query,
          ),
        ); return; }
    }
    if (req.method === 'GET' && entity === 'Person') {
      const p = data.persons.find((x) => String(x.PersonId) === idPart);
      if (p) send(res, 200, personEntity(p, data));
      else send(res, 404, { Error: 'Person not found' });
      return;
    }
    if (req.method === 'GET' && entity === 'Ticket') {
      const t = data.tickets.find((x) => String(x.TicketId) === idPart);
      if (t) send(res, 200, { TicketId: t.TicketId, Title: t.Title, BaseStatus: t.BaseStatus, CreatedAt: t.CreatedAt, Person: t.PersonId ? { PersonId: t.PersonId } : null });
      else send(res, 404, { Error: 'Ticket not found' });
      return;
    }
    if (req.method === 'POST' && body) {
      const created = new Date().toISOString();
      if (entity === 'Contact') {
        if (typeof body.Name !== 'string' || body.Name === '') { send(res, 400, { Error: 'Name is required' }); return; }
        const c = { ContactId: (nextId += 1), Name: body.Name, OrgNr: typeof body.OrgNr === 'string' ? body.OrgNr : '' };
        data.contacts.push(c);
        send(res, 200, { ...c, Phones: body.Phones ?? [], Urls: body.Urls ?? [] }); return;
      }
      if (entity === 'Person') {
        const contact = body.Contact as Row | null;
        const emails = (body.Emails ?? []) as Row[];
        const mobiles = (body.MobilePhones ?? []) as Row[];
        const p: StandInPerson = {
          PersonId: (nextId += 1),
          Firstname: text(body.Firstname),
          Lastname: text(body.Lastname),
          Title: text(body.Title),
          ...(emails[0] ? { Email: String(emails[0].Value) } : {}),
          ...(mobiles[0] ? { Mobile: String(mobiles[0].Value) } : {}),
          ...(contact && typeof contact.ContactId === 'number' ? { ContactId: contact.ContactId } : {}),
        };
        if (p.ContactId !== undefined && !data.contacts.some((c) => c.ContactId === p.ContactId)) { send(res, 400, { Error: 'Unknown contact' }); return; }
        data.persons.push(p);
        send(res, 200, personEntity(p, data)); return;
      }
      if (entity === 'Ticket') {
        const person = body.Person as Row | null;
        const t = { TicketId: (nextId += 1), Title: text(body.Title), CreatedAt: created, BaseStatus: 'Active', ...(person && typeof person.PersonId === 'number' ? { PersonId: person.PersonId } : {}) };
        data.tickets.push(t);
        send(res, 200, { ...t, Person: person, Origin: body.Origin ?? '' }); return;
      }
      if (entity === 'TicketMessage') {
        const m = { EjMessageId: (nextId += 1), CreatedAt: created, ...body };
        ticketMessages.push(m);
        send(res, 200, m); return;
      }
      if (entity === 'Appointment') {
        const person = body.Person as Row | null;
        const contact = body.Contact as Row | null;
        const a = {
          AppointmentId: (nextId += 1),
          Text: `${text(body.Title)}\n${text(body.Description)}`,
          Date: text(body.StartDate) || created,
          Type: 'Chat',
          Associate: 'Stand-in user',
          ...(person && typeof person.PersonId === 'number' ? { PersonId: person.PersonId } : {}),
          ...(contact && typeof contact.ContactId === 'number' ? { ContactId: contact.ContactId } : {}),
        };
        data.appointments.push(a);
        send(res, 200, { ...body, AppointmentId: a.AppointmentId }); return;
      }
    }
    send(res, 404, { Error: `The stand-in has no ${req.method ?? ''} ${path}` });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      send(res, 500, { Error: String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port ?? 0, listen.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const host = listen.host === undefined || listen.host === '0.0.0.0' || listen.host === '::' ? '127.0.0.1' : listen.host;
  const origin = `http://${host}:${String((server.address() as AddressInfo).port)}`;
  return {
    origin,
    webApiUrl: `${origin}/${STAND_IN_TENANT}`,
    tokenUrl: `${origin}/login/common/oauth/tokens`,
    data,
    ticketMessages,
    requests,
    tokensIssued: () => issued,
    expireTokens: () => {
      valid.clear();
    },
    revokeRefreshToken: () => {
      refreshRevoked = true;
      valid.clear();
    },
    failNext: (status, n = 1) => {
      failures = { status, left: n };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
