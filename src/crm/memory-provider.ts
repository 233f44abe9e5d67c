/**
 * An in-memory {@link CrmProvider}: the same behaviour as the reference server's CRM (matching,
 * validation, links, a "Chat" activity when a linked chat ends) over plain arrays. For tests, demos
 * and hosts' prototypes; nothing is persisted.
 */
import { contactMatchesQuery, emailKey, foldText, phoneKey, rankMatches } from './match.js';
import { requestSuggestions } from './reply-suggestions.js';
import { formatTranscript } from './transcript.js';
import { checkCompany, checkContact, checkRequest, CRM_LIMITS } from './validate.js';
import type {
  CrmActivity,
  CrmDocument,
  CrmDocumentContent,
  CrmDocumentQuery,
  CrmChatSession,
  CrmCompany,
  CrmCompanyInput,
  CrmContact,
  CrmContactSummary,
  CrmCreateContactInput,
  CrmCustomer,
  CrmMatch,
  CrmProvider,
  CrmReplyContext,
  CrmReplySuggestion,
  CrmRequest,
  CrmRequestInput,
  CrmSale,
  CrmSessionLink,
  CrmTranscript,
  CrmTranscriptMessage,
} from './types.js';
import { CrmError } from './types.js';

/** A contact as the memory provider stores it (`companyId` instead of the company record). */
export interface MemoryCrmContact extends Omit<CrmContact, 'company'> {
  companyId?: string | undefined;
}

/** A chat the memory provider knows (the host's chat server would know it). */
export interface MemoryCrmSession {
  id: string;
  customer: CrmCustomer;
  status: CrmChatSession['status'];
  startedAt: number;
  endedAt?: number | undefined;
  agentName?: string | undefined;
  channelName?: string | undefined;
  /** Whether the agent using this provider may read it (default true). */
  readable?: boolean | undefined;
  messages?: CrmTranscriptMessage[] | undefined;
  /** The linked contact. */
  contactId?: string | undefined;
  linkedAt?: number | undefined;
}

/** A request as the memory provider stores it (with what the list answers leave out). */
export type MemoryCrmRequest = CrmRequest & { description?: string | undefined; transcript?: string | undefined };

/** A document as the memory provider stores it: its metadata and its bytes. */
export type MemoryCrmDocument = CrmDocument & { content: Uint8Array };

export interface MemoryCrmData {
  companies?: CrmCompany[];
  contacts?: MemoryCrmContact[];
  requests?: MemoryCrmRequest[];
  documents?: MemoryCrmDocument[];
  sales?: (CrmSale & { companyId?: string | undefined; contactId?: string | undefined })[];
  activities?: (CrmActivity & { contactId?: string | undefined; companyId?: string | undefined })[];
  sessions?: MemoryCrmSession[];
}

export interface MemoryCrmProviderOptions {
  /** Records to start with (copied). */
  data?: MemoryCrmData;
  /** Delay of every call, in ms (0: answers on the next microtask). */
  latencyMs?: number;
  /** Clock for new records (tests). */
  now?: () => number;
}

function aborted(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new DOMException('The operation was aborted.', 'AbortError');
}

export class MemoryCrmProvider implements CrmProvider {
  readonly companies: CrmCompany[];
  readonly contacts: MemoryCrmContact[];
  readonly requests: MemoryCrmRequest[];
  readonly documents: MemoryCrmDocument[];
  readonly sales: (CrmSale & { companyId?: string | undefined; contactId?: string | undefined })[];
  readonly activities: (CrmActivity & { contactId?: string | undefined; companyId?: string | undefined })[];
  readonly sessions: Map<string, MemoryCrmSession>;
  private readonly latencyMs: number;
  private readonly now: () => number;
  private counter = 0;

  constructor(options: MemoryCrmProviderOptions = {}) {
    const data = structuredClone(options.data ?? {});
    this.companies = data.companies ?? [];
    this.contacts = data.contacts ?? [];
    this.requests = data.requests ?? [];
    this.documents = data.documents ?? [];
    this.sales = data.sales ?? [];
    this.activities = data.activities ?? [];
    this.sessions = new Map((data.sessions ?? []).map((s) => [s.id, s]));
    this.latencyMs = options.latencyMs ?? 0;
    this.now = options.now ?? (() => Date.now());
  }

  // ---- host-side helpers (not part of CrmProvider) -----------------------------------------

  /** Makes a chat known (as the chat server would); returns its id. */
  addSession(session: MemoryCrmSession): string {
    this.sessions.set(session.id, structuredClone(session));
    return session.id;
  }

  /** Ends a chat; when it is linked, records a "Chat" activity on the contact and its company. */
  endSession(sessionId: string, at = this.now()): void {
    const s = this.sessions.get(sessionId);
    if (!s || s.status === 'ended' || s.status === 'missed') return;
    s.status = 'ended';
    s.endedAt = at;
    if (s.contactId) this.recordChat(s);
  }

  // ---- CrmProvider ---------------------------------------------------------------------------

  async findMatches(customer: CrmCustomer, signal?: AbortSignal): Promise<CrmMatch[]> {
    await this.tick(signal);
    const email = emailKey(customer.email);
    const phone = phoneKey(customer.phone);
    const linked = new Set<string>();
    if (email !== undefined || phone !== undefined) {
      for (const s of this.sessions.values()) {
        if (!s.contactId) continue;
        if ((email !== undefined && emailKey(s.customer.email) === email) || (phone !== undefined && phoneKey(s.customer.phone) === phone)) linked.add(s.contactId);
      }
    }
    // Contacts linked to an earlier chat of the same verified customer.
    const verifiedId = customer.verified?.externalId;
    const verifiedLinks = new Set<string>();
    if (verifiedId !== undefined) {
      for (const s of this.sessions.values()) if (s.contactId && s.customer.verified?.externalId === verifiedId) verifiedLinks.add(s.contactId);
    }
    return structuredClone(
      rankMatches(
        customer,
        this.contacts.map((c) => ({ contact: this.summary(c), linked: linked.has(c.id), verifiedLink: verifiedLinks.has(c.id) })),
      ),
    );
  }

  async search(query: string, signal?: AbortSignal): Promise<CrmContactSummary[]> {
    await this.tick(signal);
    const q = query.trim().slice(0, CRM_LIMITS.query);
    if (q === '') return [];
    return structuredClone(
      this.contacts
        .map((c) => this.summary(c))
        .filter((c) => contactMatchesQuery(c, q))
        .sort((a, b) => a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName))
        .slice(0, 20),
    );
  }

  async searchCompanies(query: string, signal?: AbortSignal): Promise<CrmCompany[]> {
    await this.tick(signal);
    const words = foldText(query.trim().slice(0, CRM_LIMITS.query)).split(/\s+/).filter(Boolean);
    if (words.length === 0) return [];
    return structuredClone(
      this.companies
        .filter((c) => {
          const hay = foldText(`${c.name} ${c.orgNo ?? ''} ${c.domain ?? ''} ${c.address?.city ?? ''}`);
          return words.every((w) => hay.includes(w));
        })
        .sort((a, b) => a.name.localeCompare(b.name))
        .slice(0, 20),
    );
  }

  async getContact(id: string, signal?: AbortSignal): Promise<CrmContact> {
    await this.tick(signal);
    return structuredClone(this.full(this.contact(id)));
  }

  async createContact(input: CrmCreateContactInput, signal?: AbortSignal): Promise<CrmContact> {
    await this.tick(signal);
    const checked = checkContact(input);
    const value = checked.value;
    if (value.companyId !== undefined && !this.companies.some((c) => c.id === value.companyId)) {
      checked.errors.companyId = { code: 'unknown', message: 'Company: no such company' };
    }
    if (value.newCompany?.orgNo !== undefined && this.orgNoTaken(value.newCompany.orgNo)) {
      checked.errors['newCompany.orgNo'] = { code: 'taken', message: 'Org. no.: a company with this number exists' };
    }
    if (Object.keys(checked.errors).length > 0) throw new CrmError('invalid', 'The contact has errors', checked.errors);
    let companyId = value.companyId;
    if (value.newCompany) companyId = this.insertCompany(value.newCompany).id;
    const contact: MemoryCrmContact = {
      id: this.newId('pe'),
      firstName: value.firstName,
      lastName: value.lastName,
      title: value.title,
      email: value.email,
      phone: value.phone,
      companyId,
    };
    this.contacts.push(contact);
    return structuredClone(this.full(contact));
  }

  async createCompany(input: CrmCompanyInput, signal?: AbortSignal): Promise<CrmCompany> {
    await this.tick(signal);
    const checked = checkCompany(input);
    if (Object.keys(checked.errors).length > 0) throw new CrmError('invalid', 'The company has errors', checked.errors);
    if (checked.value.orgNo !== undefined && this.orgNoTaken(checked.value.orgNo)) {
      throw new CrmError('conflict', 'A company with this org. no. exists', { orgNo: { code: 'taken', message: 'Org. no.: a company with this number exists' } });
    }
    return structuredClone(this.insertCompany(checked.value));
  }

  async listRequests(contactId: string, signal?: AbortSignal): Promise<CrmRequest[]> {
    await this.tick(signal);
    this.contact(contactId);
    return [...this.requests]
      .reverse()
      .filter((r) => r.contactId === contactId)
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((r) => this.requestOut(r));
  }

  async listSessionRequests(sessionId: string, signal?: AbortSignal): Promise<CrmRequest[]> {
    await this.tick(signal);
    if (this.sessions.get(sessionId)?.readable === false) throw new CrmError('forbidden', 'Not allowed for this chat');
    // Newest first; of those created at the same time, the later one first.
    return [...this.requests]
      .reverse()
      .filter((r) => r.sessionId === sessionId)
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((r) => this.requestOut(r));
  }

  async listDocuments(query: CrmDocumentQuery, signal?: AbortSignal): Promise<CrmDocument[]> {
    await this.tick(signal);
    const words = foldText((query.query ?? '').trim().slice(0, CRM_LIMITS.query)).split(/\s+/).filter(Boolean);
    const contact = query.contactId !== undefined ? this.contacts.find((c) => c.id === query.contactId) : undefined;
    const rank = (d: MemoryCrmDocument): number => {
      if (query.contactId === undefined) return 0;
      if (d.contactId !== undefined) return d.contactId === query.contactId ? 0 : -1;
      if (d.companyId !== undefined) return contact?.companyId !== undefined && d.companyId === contact.companyId ? 1 : -1;
      return 2;
    };
    return this.documents
      .filter((d) => rank(d) >= 0 && words.every((w) => foldText(d.name).includes(w)))
      .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name))
      .slice(0, 50)
      .map(({ content: _content, ...d }) => structuredClone(d));
  }

  async getDocument(id: string, signal?: AbortSignal): Promise<CrmDocumentContent> {
    await this.tick(signal);
    const d = this.documents.find((x) => x.id === id);
    if (!d) throw new CrmError('not_found', 'No such document');
    return { name: d.name, type: d.type, blob: new Blob([d.content.slice()], { type: d.type }) };
  }

  async listSales(contactId: string, signal?: AbortSignal): Promise<CrmSale[]> {
    await this.tick(signal);
    const c = this.contact(contactId);
    return structuredClone(
      this.sales.filter((s) => s.contactId === contactId || (c.companyId !== undefined && s.companyId === c.companyId)).sort((a, b) => b.date - a.date),
    ).map(({ contactId: _c, companyId: _co, ...s }) => s);
  }

  async listActivities(contactId: string, signal?: AbortSignal): Promise<CrmActivity[]> {
    await this.tick(signal);
    this.contact(contactId);
    return structuredClone(this.activities.filter((a) => a.contactId === contactId).sort((a, b) => b.at - a.at)).map(
      ({ contactId: _c, companyId: _co, ...a }) => a,
    );
  }

  async listChatSessions(contactId: string, signal?: AbortSignal): Promise<CrmChatSession[]> {
    await this.tick(signal);
    this.contact(contactId);
    return [...this.sessions.values()]
      .filter((s) => s.contactId === contactId)
      .sort((a, b) => b.startedAt - a.startedAt)
      .map((s) => ({
        sessionId: s.id,
        status: s.status,
        startedAt: s.startedAt,
        endedAt: s.endedAt,
        channelName: s.channelName,
        agentName: s.agentName,
        readable: s.readable !== false,
      }));
  }

  async createRequest(input: CrmRequestInput, signal?: AbortSignal): Promise<CrmRequest> {
    await this.tick(signal);
    const checked = checkRequest(input);
    const value = checked.value;
    if (value.contactId !== undefined && !this.contacts.some((c) => c.id === value.contactId)) checked.errors.contactId = { code: 'unknown', message: 'Contact: no such contact' };
    const session = value.sessionId !== undefined ? this.sessions.get(value.sessionId) : undefined;
    if (session?.readable === false) throw new CrmError('forbidden', 'Not allowed for this chat');
    if (Object.keys(checked.errors).length > 0) throw new CrmError('invalid', 'The request has errors', checked.errors);
    const transcript =
      value.attachTranscript === true && session
        ? formatTranscript(
            session.customer.name,
            session.startedAt,
            (session.messages ?? []).filter((m) => m.kind === 'text').map((m) => ({ author: m.author.name, text: m.text, at: m.at })),
          )
        : undefined;
    const request: MemoryCrmRequest = {
      id: this.newId('rq'),
      number: String(1000 + this.requests.length + 1),
      title: value.title,
      status: 'open',
      createdAt: this.now(),
      sessionId: value.sessionId,
      contactId: value.contactId ?? session?.contactId,
      category: value.category ?? 'other',
      priority: value.priority ?? 'normal',
      hasTranscript: transcript !== undefined,
      description: value.description,
      transcript,
    };
    this.requests.push(request);
    return this.requestOut(request);
  }

  async linkSession(sessionId: string, contactId: string, signal?: AbortSignal): Promise<CrmSessionLink> {
    await this.tick(signal);
    const s = this.sessions.get(sessionId);
    if (!s || s.readable === false) throw new CrmError('forbidden', 'Not allowed for this chat');
    const contact = this.contact(contactId);
    s.contactId = contact.id;
    s.linkedAt = this.now();
    if (s.status === 'ended') this.recordChat(s);
    return { sessionId, contactId: contact.id, companyId: contact.companyId, linkedAt: s.linkedAt };
  }

  async unlinkSession(sessionId: string, signal?: AbortSignal): Promise<void> {
    await this.tick(signal);
    const s = this.sessions.get(sessionId);
    if (!s || s.readable === false) throw new CrmError('forbidden', 'Not allowed for this chat');
    s.contactId = undefined;
    s.linkedAt = undefined;
  }

  /** Replies from the requests while the customer writes (issue 18; reply-suggestions.ts), as the REST provider. */
  suggestReplies(context: CrmReplyContext, signal?: AbortSignal): Promise<CrmReplySuggestion[]> {
    return requestSuggestions(this, context, signal);
  }

  async getSessionLink(sessionId: string, signal?: AbortSignal): Promise<CrmSessionLink | null> {
    await this.tick(signal);
    const s = this.sessions.get(sessionId);
    if (!s || s.readable === false) throw new CrmError('forbidden', 'Not allowed for this chat');
    if (!s.contactId) return null;
    const companyId = this.contacts.find((c) => c.id === s.contactId)?.companyId;
    return { sessionId, contactId: s.contactId, companyId, linkedAt: s.linkedAt ?? s.startedAt };
  }

  async getChatTranscript(sessionId: string, signal?: AbortSignal): Promise<CrmTranscript> {
    await this.tick(signal);
    const s = this.sessions.get(sessionId);
    if (!s || s.readable === false) throw new CrmError('forbidden', 'Not allowed for this chat');
    return structuredClone({ sessionId, customerName: s.customer.name, startedAt: s.startedAt, endedAt: s.endedAt, messages: s.messages ?? [] });
  }

  // ---- internals -----------------------------------------------------------------------------

  private async tick(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) throw aborted(signal);
    if (this.latencyMs > 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, this.latencyMs);
        const onAbort = () => {
          clearTimeout(timer);
          reject(aborted(signal));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    } else {
      await Promise.resolve();
    }
    if (signal?.aborted) throw aborted(signal);
  }

  /** A stored request as the interface answers it (without description and transcript). */
  private requestOut(r: MemoryCrmRequest): CrmRequest {
    const { description: _d, transcript: _t, ...out } = r;
    return structuredClone(out);
  }

  private newId(prefix: string): string {
    this.counter += 1;
    return `${prefix}-m${String(this.counter)}`;
  }

  private contact(id: string): MemoryCrmContact {
    const c = this.contacts.find((x) => x.id === id);
    if (!c) throw new CrmError('not_found', 'No such contact');
    return c;
  }

  private summary(c: MemoryCrmContact): CrmContactSummary {
    const company = c.companyId ? this.companies.find((x) => x.id === c.companyId) : undefined;
    return {
      id: c.id,
      firstName: c.firstName,
      lastName: c.lastName,
      title: c.title,
      email: c.email,
      phone: c.phone,
      company: company ? { id: company.id, name: company.name } : undefined,
    };
  }

  private full(c: MemoryCrmContact): CrmContact {
    const company = c.companyId ? this.companies.find((x) => x.id === c.companyId) : undefined;
    return { ...this.summary(c), address: c.address ?? company?.address };
  }

  private orgNoTaken(orgNo: string): boolean {
    const key = orgNo.replace(/[\s-]/g, '');
    return this.companies.some((c) => c.orgNo?.replace(/[\s-]/g, '') === key);
  }

  private insertCompany(input: CrmCompanyInput): CrmCompany {
    const company: CrmCompany = { id: this.newId('co'), ...input };
    this.companies.push(company);
    return company;
  }

  private recordChat(s: MemoryCrmSession): void {
    const contact = this.contacts.find((c) => c.id === s.contactId);
    if (!contact) return;
    const existing = this.activities.find((a) => a.type === 'chat' && a.sessionId === s.id);
    if (existing) {
      existing.contactId = contact.id;
      existing.companyId = contact.companyId;
      return;
    }
    this.activities.push({
      id: this.newId('ac'),
      type: 'chat',
      title: 'Chat',
      text: `Chat with ${s.customer.name || 'a visitor'}${s.channelName ? ` (${s.channelName})` : ''}`,
      at: s.endedAt ?? this.now(),
      ownerName: s.agentName,
      sessionId: s.id,
      contactId: contact.id,
      companyId: contact.companyId,
    });
  }
}

/** An in-memory CRM provider (see {@link MemoryCrmProvider}). */
export function createMemoryCrmProvider(options: MemoryCrmProviderOptions = {}): MemoryCrmProvider {
  return new MemoryCrmProvider(options);
}
