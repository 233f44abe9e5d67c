/**
 * The demo CRM of one tenant over the SQL port: companies, persons (contacts), requests, sales,
 * activities and the link from chat sessions to a contact (migration "crm"). Every query is
 * scoped by tenant and parameterised. Matching and validation rules are shared with the browser
 * library (src/crm/), so the REST provider and the in-memory provider behave alike.
 */
import { contactMatchesQuery, emailKey, foldText, nameTokens, phoneKey, rankMatches } from '../../src/crm/match.js';
import type {
  CrmActivity,
  CrmActivityType,
  CrmAddress,
  CrmChatSession,
  CrmCompany,
  CrmContact,
  CrmContactSummary,
  CrmCustomer,
  CrmDocument,
  CrmMatch,
  CrmRequest,
  CrmRequestCategory,
  CrmRequestPriority,
  CrmRequestStatus,
  CrmSale,
  CrmSaleStage,
  CrmSessionLink,
  CrmTranscript,
} from '../../src/crm/types.js';
import type { TranscriptLine } from '../../src/crm/transcript.js';
import { CRM_LIMITS } from '../../src/crm/validate.js';
import type { SqlPort, SqlValue } from './sql.js';

interface CompanyRow {
  id: string;
  name: string;
  org_no: string | null;
  phone: string | null;
  domain: string | null;
  street: string | null;
  postal_code: string | null;
  city: string | null;
  country: string | null;
}

interface PersonRow {
  id: string;
  company_id: string | null;
  first_name: string;
  last_name: string;
  title: string | null;
  email: string | null;
  phone: string | null;
  street: string | null;
  postal_code: string | null;
  city: string | null;
  country: string | null;
  company_name: string | null;
  c_street: string | null;
  c_postal_code: string | null;
  c_city: string | null;
  c_country: string | null;
}

/** The session columns the CRM reads. */
export interface CrmSessionRow {
  id: string;
  channel_id: string;
  status: CrmChatSession['status'];
  customer_name: string;
  customer_email: string | null;
  customer_phone: string | null;
  agent_id: string | null;
  created_at: number;
  ended_at: number | null;
  crm_person_id: string | null;
  crm_company_id: string | null;
  crm_linked_at: number | null;
}

const PERSON_SELECT = `SELECT p.id, p.company_id, p.first_name, p.last_name, p.title, p.email, p.phone, p.street, p.postal_code, p.city, p.country,
    c.name AS company_name, c.street AS c_street, c.postal_code AS c_postal_code, c.city AS c_city, c.country AS c_country
  FROM crm_persons p LEFT JOIN crm_companies c ON c.tenant_id = p.tenant_id AND c.id = p.company_id`;

const opt = (value: string | null): string | undefined => value ?? undefined;

interface RequestRow {
  id: string;
  number: number;
  title: string;
  status: CrmRequestStatus;
  created_at: number;
  session_id: string | null;
  person_id: string | null;
  category: CrmRequestCategory;
  priority: CrmRequestPriority;
  has_transcript: number;
}

const REQUEST_SELECT =
  'SELECT id, number, title, status, created_at, session_id, person_id, category, priority, transcript IS NOT NULL AS has_transcript FROM crm_requests';

interface DocumentRow {
  id: string;
  name: string;
  type: string;
  size: number;
  person_id: string | null;
  company_id: string | null;
  updated_at: number;
}

function address(street: string | null, postalCode: string | null, city: string | null, country: string | null): CrmAddress | undefined {
  if (street === null && postalCode === null && city === null) return undefined;
  return { street: street ?? '', postalCode: postalCode ?? '', city: city ?? '', country: country ?? '' };
}

/** `%word%` for LIKE with `\` as the escape character. */
function likeContains(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Org. no. as compared for uniqueness: letters and digits only, upper case. */
export function orgNoKey(orgNo: string): string {
  return orgNo.replace(/[^\dA-Za-z]/g, '').toUpperCase();
}

export class CrmStore {
  constructor(
    readonly db: SqlPort,
    readonly tenantId: string,
  ) {}

  hasCompanies(): boolean {
    return this.db.get('SELECT 1 AS x FROM crm_companies WHERE tenant_id = ? LIMIT 1', [this.tenantId]) !== undefined;
  }

  counts(): { companies: number; persons: number; requests: number; sales: number; activities: number } {
    const n = (table: string) => this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE tenant_id = ?`, [this.tenantId])?.n ?? 0;
    return { companies: n('crm_companies'), persons: n('crm_persons'), requests: n('crm_requests'), sales: n('crm_sales'), activities: n('crm_activities') };
  }

  // ---- writes ---------------------------------------------------------------------------------

  insertCompany(c: { id: string; name: string; orgNo?: string | undefined; phone?: string | undefined; domain?: string | undefined; address?: CrmAddress | undefined; createdAt: number }): void {
    this.db.run(
      `INSERT INTO crm_companies (tenant_id, id, name, org_no, org_no_key, phone, domain, street, postal_code, city, country, search_text, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        this.tenantId,
        c.id,
        c.name,
        c.orgNo ?? null,
        c.orgNo !== undefined ? orgNoKey(c.orgNo) : null,
        c.phone ?? null,
        c.domain ?? null,
        c.address?.street ?? null,
        c.address?.postalCode ?? null,
        c.address?.city ?? null,
        c.address?.country ?? null,
        foldText(`${c.name} ${c.orgNo ?? ''} ${c.orgNo !== undefined ? orgNoKey(c.orgNo) : ''} ${c.domain ?? ''} ${c.address?.city ?? ''}`),
        c.createdAt,
      ],
    );
  }

  insertPerson(p: {
    id: string;
    companyId?: string | undefined;
    firstName: string;
    lastName: string;
    title?: string | undefined;
    email?: string | undefined;
    phone?: string | undefined;
    address?: CrmAddress | undefined;
    createdAt: number;
  }): void {
    const companyName = p.companyId ? (this.db.get<{ name: string }>('SELECT name FROM crm_companies WHERE tenant_id = ? AND id = ?', [this.tenantId, p.companyId])?.name ?? '') : '';
    this.db.run(
      `INSERT INTO crm_persons (tenant_id, id, company_id, first_name, last_name, title, email, email_key, phone, street, postal_code, city, country,
         name_key, search_text, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        this.tenantId,
        p.id,
        p.companyId ?? null,
        p.firstName,
        p.lastName,
        p.title ?? null,
        p.email ?? null,
        emailKey(p.email) ?? null,
        p.phone ?? null,
        p.address?.street ?? null,
        p.address?.postalCode ?? null,
        p.address?.city ?? null,
        p.address?.country ?? null,
        nameTokens(`${p.firstName} ${p.lastName}`).join(' '),
        `${foldText([p.firstName, p.lastName, p.email ?? '', p.title ?? '', companyName].join(' '))} ${(p.phone ?? '').replace(/\D/g, '')}`,
        p.createdAt,
      ],
    );
  }

  insertRequest(r: {
    id: string;
    number: number;
    personId?: string | undefined;
    companyId?: string | undefined;
    title: string;
    description?: string | undefined;
    status: CrmRequestStatus;
    sessionId?: string | undefined;
    category?: CrmRequestCategory | undefined;
    priority?: CrmRequestPriority | undefined;
    transcript?: string | undefined;
    createdBy?: string | undefined;
    createdAt: number;
  }): void {
    this.db.run(
      `INSERT INTO crm_requests (tenant_id, id, number, person_id, company_id, title, description, status, session_id, category, priority, transcript, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        this.tenantId,
        r.id,
        r.number,
        r.personId ?? null,
        r.companyId ?? null,
        r.title,
        r.description ?? null,
        r.status,
        r.sessionId ?? null,
        r.category ?? 'other',
        r.priority ?? 'normal',
        r.transcript ?? null,
        r.createdBy ?? null,
        r.createdAt,
      ],
    );
  }

  insertDocument(d: { id: string; name: string; type: string; content: Uint8Array; personId?: string | undefined; companyId?: string | undefined; updatedAt: number }): void {
    this.db.run(
      `INSERT INTO crm_documents (tenant_id, id, name, type, size, person_id, company_id, content, name_key, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [this.tenantId, d.id, d.name, d.type, d.content.byteLength, d.personId ?? null, d.companyId ?? null, d.content, foldText(d.name), d.updatedAt],
    );
  }

  insertSale(s: { id: string; personId?: string | undefined; companyId?: string | undefined; title: string; amount: number; currency: string; stage: CrmSaleStage; date: number }): void {
    this.db.run(
      'INSERT INTO crm_sales (tenant_id, id, person_id, company_id, title, amount, currency, stage, date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [this.tenantId, s.id, s.personId ?? null, s.companyId ?? null, s.title, s.amount, s.currency, s.stage, s.date],
    );
  }

  insertActivity(a: { id: string; personId?: string | undefined; companyId?: string | undefined; type: CrmActivityType; title: string; text?: string | undefined; at: number; ownerName?: string | undefined; sessionId?: string | undefined }): void {
    this.db.run(
      `INSERT INTO crm_activities (tenant_id, id, person_id, company_id, type, title, text, at, owner_name, session_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [this.tenantId, a.id, a.personId ?? null, a.companyId ?? null, a.type, a.title, a.text ?? null, a.at, a.ownerName ?? null, a.sessionId ?? null],
    );
  }

  nextRequestNumber(): number {
    return (this.db.get<{ n: number | null }>('SELECT MAX(number) AS n FROM crm_requests WHERE tenant_id = ?', [this.tenantId])?.n ?? 1000) + 1;
  }

  orgNoTaken(orgNo: string): boolean {
    return this.db.get('SELECT 1 AS x FROM crm_companies WHERE tenant_id = ? AND org_no_key = ?', [this.tenantId, orgNoKey(orgNo)]) !== undefined;
  }

  // ---- reads ----------------------------------------------------------------------------------

  company(id: string): CrmCompany | undefined {
    const row = this.db.get<CompanyRow>('SELECT * FROM crm_companies WHERE tenant_id = ? AND id = ?', [this.tenantId, id]);
    return row ? this.toCompany(row) : undefined;
  }

  contact(id: string): CrmContact | undefined {
    const row = this.db.get<PersonRow>(`${PERSON_SELECT} WHERE p.tenant_id = ? AND p.id = ?`, [this.tenantId, id]);
    return row ? this.toContact(row) : undefined;
  }

  /** The company a person belongs to (id), or undefined; `null` when the person does not exist. */
  personCompany(id: string): string | undefined | null {
    const row = this.db.get<{ company_id: string | null }>('SELECT company_id FROM crm_persons WHERE tenant_id = ? AND id = ?', [this.tenantId, id]);
    return row ? (row.company_id ?? undefined) : null;
  }

  private persons(where: string, params: readonly SqlValue[], limit = 1000): CrmContactSummary[] {
    return this.db.all<PersonRow>(`${PERSON_SELECT} WHERE p.tenant_id = ? AND (${where}) LIMIT ?`, [this.tenantId, ...params, limit]).map((r) => this.toSummary(r));
  }

  /** Matches for a chat's customer (see `CrmProvider.findMatches`). */
  matches(customer: CrmCustomer): CrmMatch[] {
    const email = emailKey(customer.email);
    const phone = phoneKey(customer.phone);
    const linked = new Set<string>();
    if (email !== undefined || phone !== undefined) {
      const rows = this.db.all<{ crm_person_id: string }>(
        `SELECT DISTINCT crm_person_id FROM sessions
         WHERE tenant_id = ? AND crm_person_id IS NOT NULL AND (lower(customer_email) = ? OR crm_customer_phone = ?)`,
        [this.tenantId, email ?? null, phone ?? null],
      );
      for (const r of rows) linked.add(r.crm_person_id);
    }
    // Contacts linked to an earlier chat of the same verified customer, and the verified e-mail.
    const verifiedId = customer.verified?.externalId;
    const verifiedEmail = emailKey(customer.verified?.email);
    const verifiedLinks = new Set<string>();
    if (verifiedId !== undefined) {
      const rows = this.db.all<{ crm_person_id: string }>(
        `SELECT DISTINCT crm_person_id FROM sessions
         WHERE tenant_id = ? AND identity_status = 'verified' AND identity_external_id = ? AND crm_person_id IS NOT NULL`,
        [this.tenantId, verifiedId],
      );
      for (const r of rows) verifiedLinks.add(r.crm_person_id);
    }
    const clauses: string[] = [];
    const params: SqlValue[] = [];
    const ids = new Set([...verifiedLinks, ...linked]);
    if (ids.size > 0) {
      clauses.push(`p.id IN (${[...ids].map(() => '?').join(', ')})`);
      params.push(...ids);
    }
    for (const key of new Set([verifiedEmail, email])) {
      if (key === undefined) continue;
      clauses.push('p.email_key = ?');
      params.push(key);
    }
    if (phone !== undefined) {
      clauses.push('p.phone = ?');
      params.push(phone);
    }
    // Similar names share the first letters of a word with the customer's name.
    for (const token of nameTokens(customer.name).slice(0, 5)) {
      const prefix = token.slice(0, 2).replace(/[\\%_]/g, (c) => `\\${c}`);
      clauses.push("p.name_key LIKE ? ESCAPE '\\' OR p.name_key LIKE ? ESCAPE '\\'");
      params.push(`${prefix}%`, `% ${prefix}%`);
    }
    if (clauses.length === 0) return [];
    const candidates = this.persons(clauses.join(' OR '), params, 5000);
    return rankMatches(
      customer,
      candidates.map((contact) => ({ contact, linked: linked.has(contact.id), verifiedLink: verifiedLinks.has(contact.id) })),
    );
  }

  /** Contacts containing every word of the query (see `CrmProvider.search`). */
  search(query: string): CrmContactSummary[] {
    const q = query.trim().slice(0, CRM_LIMITS.query);
    const words = nameTokens(q).slice(0, 6);
    if (words.length === 0) return [];
    const phone = phoneKey(q);
    const where = words.map(() => "p.search_text LIKE ? ESCAPE '\\'").join(' AND ');
    const params: SqlValue[] = words.map(likeContains);
    const clause = phone !== undefined ? `(${where}) OR p.phone = ?` : where;
    if (phone !== undefined) params.push(phone);
    return this.persons(clause, params, 2000)
      .filter((c) => contactMatchesQuery(c, q))
      .sort((a, b) => a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName))
      .slice(0, 20);
  }

  /** Companies containing every word of the query (name, org. no., domain, city). */
  searchCompanies(query: string): CrmCompany[] {
    const words = foldText(query.trim().slice(0, CRM_LIMITS.query)).split(/\s+/).filter(Boolean).slice(0, 6);
    if (words.length === 0) return [];
    const rows = this.db.all<CompanyRow>(
      `SELECT * FROM crm_companies WHERE tenant_id = ? AND ${words.map(() => "search_text LIKE ? ESCAPE '\\'").join(' AND ')} LIMIT 2000`,
      [this.tenantId, ...words.map(likeContains)],
    );
    return rows
      .map((r) => this.toCompany(r))
      .sort((a, b) => a.name.localeCompare(b.name))
      .slice(0, 20);
  }

  requests(personId: string): CrmRequest[] {
    return this.db
      .all<RequestRow>(`${REQUEST_SELECT} WHERE tenant_id = ? AND person_id = ? ORDER BY created_at DESC, number DESC LIMIT 100`, [this.tenantId, personId])
      .map((r) => this.toRequest(r));
  }

  /** Requests created from a chat, newest first. */
  sessionRequests(sessionId: string): CrmRequest[] {
    return this.db
      .all<RequestRow>(`${REQUEST_SELECT} WHERE tenant_id = ? AND session_id = ? ORDER BY created_at DESC, number DESC LIMIT 100`, [this.tenantId, sessionId])
      .map((r) => this.toRequest(r));
  }

  request(id: string): (CrmRequest & { description?: string | undefined; transcript?: string | undefined }) | undefined {
    const row = this.db.get<RequestRow & { description: string | null; transcript: string | null }>(
      `SELECT id, number, title, status, created_at, session_id, person_id, category, priority, transcript IS NOT NULL AS has_transcript, description, transcript
       FROM crm_requests WHERE tenant_id = ? AND id = ?`,
      [this.tenantId, id],
    );
    return row ? { ...this.toRequest(row), description: opt(row.description), transcript: opt(row.transcript) } : undefined;
  }

  /** The messages of a chat the customer saw (text messages, with their files), oldest first, for a request's transcript. */
  transcriptLines(sessionId: string): TranscriptLine[] {
    return this.db
      .all<{ author_name: string; text: string; at: number; attachments: string | null }>(
        "SELECT author_name, text, at, attachments FROM messages WHERE tenant_id = ? AND session_id = ? AND kind = 'text' AND internal = 0 ORDER BY seq LIMIT 5000",
        [this.tenantId, sessionId],
      )
      .map((r) => {
        let files: string[] | undefined;
        if (r.attachments !== null) {
          try {
            const list = JSON.parse(r.attachments) as unknown;
            if (Array.isArray(list)) files = list.map((a) => (a as { name?: unknown }).name).filter((n): n is string => typeof n === 'string');
          } catch {
            files = undefined;
          }
        }
        return { author: r.author_name, text: r.text, at: r.at, files };
      });
  }

  hasDocuments(): boolean {
    return this.db.get('SELECT 1 AS x FROM crm_documents WHERE tenant_id = ? LIMIT 1', [this.tenantId]) !== undefined;
  }

  /**
   * Documents whose name contains every word: with a person, theirs first, then their company's,
   * then those filed on nobody (other people's and companies' are left out); at most 50.
   */
  documents(filter: { personId?: string | undefined; companyId?: string | undefined; query?: string | undefined }): CrmDocument[] {
    const words = foldText((filter.query ?? '').trim().slice(0, CRM_LIMITS.query)).split(/\s+/).filter(Boolean).slice(0, 6);
    const where = ['tenant_id = ?'];
    const params: SqlValue[] = [this.tenantId];
    for (const w of words) {
      where.push("name_key LIKE ? ESCAPE '\\'");
      params.push(likeContains(w));
    }
    let order = 'name';
    if (filter.personId !== undefined) {
      where.push('(person_id = ? OR (person_id IS NULL AND (company_id IS NULL OR company_id = ?)))');
      params.push(filter.personId, filter.companyId ?? null);
      order = 'CASE WHEN person_id IS NOT NULL THEN 0 WHEN company_id IS NOT NULL THEN 1 ELSE 2 END, name';
    }
    return this.db
      .all<DocumentRow>(`SELECT id, name, type, size, person_id, company_id, updated_at FROM crm_documents WHERE ${where.join(' AND ')} ORDER BY ${order}, id LIMIT 50`, params)
      .map((r) => ({ id: r.id, name: r.name, type: r.type, size: r.size, updatedAt: r.updated_at, contactId: opt(r.person_id), companyId: opt(r.company_id) }));
  }

  /** One document with its bytes. */
  document(id: string): (CrmDocument & { content: Uint8Array }) | undefined {
    const r = this.db.get<DocumentRow & { content: Uint8Array }>(
      'SELECT id, name, type, size, person_id, company_id, updated_at, content FROM crm_documents WHERE tenant_id = ? AND id = ?',
      [this.tenantId, id],
    );
    return r ? { id: r.id, name: r.name, type: r.type, size: r.size, updatedAt: r.updated_at, contactId: opt(r.person_id), companyId: opt(r.company_id), content: r.content } : undefined;
  }

  /** Sales of the person's company (or of the person when they have none). */
  sales(personId: string, companyId: string | undefined): CrmSale[] {
    return this.db
      .all<{ id: string; title: string; amount: number; currency: string; stage: CrmSaleStage; date: number }>(
        `SELECT id, title, amount, currency, stage, date FROM crm_sales
         WHERE tenant_id = ? AND (person_id = ? OR (company_id IS NOT NULL AND company_id = ?)) ORDER BY date DESC, id DESC LIMIT 100`,
        [this.tenantId, personId, companyId ?? null],
      )
      .map((r) => ({ id: r.id, title: r.title, amount: r.amount, currency: r.currency, stage: r.stage, date: r.date }));
  }

  activities(personId: string): CrmActivity[] {
    return this.db
      .all<{ id: string; type: CrmActivityType; title: string; text: string | null; at: number; owner_name: string | null; session_id: string | null }>(
        'SELECT id, type, title, text, at, owner_name, session_id FROM crm_activities WHERE tenant_id = ? AND person_id = ? ORDER BY at DESC, id DESC LIMIT 100',
        [this.tenantId, personId],
      )
      .map((r) => ({ id: r.id, type: r.type, title: r.title, text: opt(r.text), at: r.at, ownerName: opt(r.owner_name), sessionId: opt(r.session_id) }));
  }

  /** Activities recorded on a company (all of its contacts, and the company itself). */
  companyActivities(companyId: string): CrmActivity[] {
    return this.db
      .all<{ id: string; type: CrmActivityType; title: string; text: string | null; at: number; owner_name: string | null; session_id: string | null }>(
        'SELECT id, type, title, text, at, owner_name, session_id FROM crm_activities WHERE tenant_id = ? AND company_id = ? ORDER BY at DESC, id DESC LIMIT 100',
        [this.tenantId, companyId],
      )
      .map((r) => ({ id: r.id, type: r.type, title: r.title, text: opt(r.text), at: r.at, ownerName: opt(r.owner_name), sessionId: opt(r.session_id) }));
  }

  /** Chats linked to a person, newest first. */
  linkedSessions(personId: string): CrmSessionRow[] {
    return this.db.all<CrmSessionRow>(
      `SELECT id, channel_id, status, customer_name, customer_email, customer_phone, agent_id, created_at, ended_at, crm_person_id, crm_company_id, crm_linked_at
       FROM sessions WHERE tenant_id = ? AND crm_person_id = ? ORDER BY created_at DESC, id DESC LIMIT 50`,
      [this.tenantId, personId],
    );
  }

  session(id: string): CrmSessionRow | undefined {
    return this.db.get<CrmSessionRow>(
      `SELECT id, channel_id, status, customer_name, customer_email, customer_phone, agent_id, created_at, ended_at, crm_person_id, crm_company_id, crm_linked_at
       FROM sessions WHERE tenant_id = ? AND id = ?`,
      [this.tenantId, id],
    );
  }

  sessionLink(s: CrmSessionRow): CrmSessionLink | null {
    if (s.crm_person_id === null) return null;
    return { sessionId: s.id, contactId: s.crm_person_id, companyId: opt(s.crm_company_id), linkedAt: s.crm_linked_at ?? s.created_at };
  }

  /**
   * Links a chat to a person (replacing an earlier link). A chat that has already ended gets its
   * "Chat" activity now (or the existing one moves to the new contact); for chats still running the
   * database trigger of the CRM migration records it when they end.
   */
  link(s: CrmSessionRow, personId: string, companyId: string | undefined, agentId: string, now: number, names: { agent?: string | undefined; channel?: string | undefined }, newId: () => string): CrmSessionLink {
    this.db.transaction(() => {
      this.db.run(
        `UPDATE sessions SET crm_person_id = ?, crm_company_id = ?, crm_linked_at = ?, crm_linked_by = ?, crm_customer_phone = ?
         WHERE tenant_id = ? AND id = ?`,
        [personId, companyId ?? null, now, agentId, phoneKey(s.customer_phone) ?? null, this.tenantId, s.id],
      );
      if (s.status !== 'ended') return;
      const moved = this.db.run("UPDATE crm_activities SET person_id = ?, company_id = ? WHERE tenant_id = ? AND session_id = ? AND type = 'chat'", [
        personId,
        companyId ?? null,
        this.tenantId,
        s.id,
      ]);
      if (moved.changes > 0) return;
      const who = s.customer_name.trim() === '' ? 'a visitor' : s.customer_name;
      this.insertActivity({
        id: newId(),
        personId,
        companyId,
        type: 'chat',
        title: 'Chat',
        text: `Chat with ${who}${names.channel !== undefined ? ` (${names.channel})` : ''}`,
        at: s.ended_at ?? now,
        ownerName: names.agent,
        sessionId: s.id,
      });
    });
    return { sessionId: s.id, contactId: personId, companyId, linkedAt: now };
  }

  /** Takes a chat's link away (Undo of a link); an ended chat's "Chat" activity goes with it. */
  unlink(s: CrmSessionRow): void {
    this.db.transaction(() => {
      this.db.run('UPDATE sessions SET crm_person_id = NULL, crm_company_id = NULL, crm_linked_at = NULL, crm_linked_by = NULL WHERE tenant_id = ? AND id = ?', [this.tenantId, s.id]);
      this.db.run("DELETE FROM crm_activities WHERE tenant_id = ? AND session_id = ? AND type = 'chat'", [this.tenantId, s.id]);
    });
  }

  /** The whole transcript of a chat as agents see it (notes and agent-only events included). */
  transcript(s: CrmSessionRow): CrmTranscript {
    const rows = this.db.all<{ sender_kind: 'customer' | 'agent' | 'system'; author_name: string; kind: 'text' | 'note' | 'event'; text: string; at: number }>(
      'SELECT sender_kind, author_name, kind, text, at FROM messages WHERE tenant_id = ? AND session_id = ? ORDER BY seq LIMIT 5000',
      [this.tenantId, s.id],
    );
    return {
      sessionId: s.id,
      customerName: s.customer_name,
      startedAt: s.created_at,
      endedAt: s.ended_at ?? undefined,
      messages: rows.map((r) => ({ author: { kind: r.sender_kind, name: r.author_name }, kind: r.kind, text: r.text, at: r.at })),
    };
  }

  // ---- mapping --------------------------------------------------------------------------------

  private toRequest(r: RequestRow): CrmRequest {
    return {
      id: r.id,
      number: String(r.number),
      title: r.title,
      status: r.status,
      createdAt: r.created_at,
      sessionId: opt(r.session_id),
      contactId: opt(r.person_id),
      category: r.category,
      priority: r.priority,
      hasTranscript: r.has_transcript === 1,
    };
  }

  private toCompany(r: CompanyRow): CrmCompany {
    return {
      id: r.id,
      name: r.name,
      orgNo: opt(r.org_no),
      phone: opt(r.phone),
      domain: opt(r.domain),
      address: address(r.street, r.postal_code, r.city, r.country),
    };
  }

  private toSummary(r: PersonRow): CrmContactSummary {
    return {
      id: r.id,
      firstName: r.first_name,
      lastName: r.last_name,
      title: opt(r.title),
      email: opt(r.email),
      phone: opt(r.phone),
      company: r.company_id !== null && r.company_name !== null ? { id: r.company_id, name: r.company_name } : undefined,
    };
  }

  private toContact(r: PersonRow): CrmContact {
    return {
      ...this.toSummary(r),
      address: address(r.street, r.postal_code, r.city, r.country) ?? address(r.c_street, r.c_postal_code, r.c_city, r.c_country),
    };
  }
}
