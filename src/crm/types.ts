/**
 * The CRM behind the contact panel: records, inputs, errors and the {@link CrmProvider} interface a
 * host implements (or takes from `createRestCrmProvider` / `createMemoryCrmProvider`).
 * See docs/crm-provider.md.
 */

/** The customer of a chat as the chat knows them (what they typed in the widget). */
export interface CrmCustomer {
  name: string;
  email?: string | undefined;
  phone?: string | undefined;
  /**
   * Who the company's website says the customer is, verified by the chat server (a signed
   * identity token; `SessionSummary.identity` with `verified: true`). Providers match it first:
   * a contact with this e-mail, or linked to an earlier chat of the same `externalId`. Never set
   * from claims that did not verify.
   */
  verified?: { externalId: string; email?: string | undefined } | undefined;
}

export interface CrmAddress {
  street: string;
  postalCode: string;
  city: string;
  /** ISO 3166-1 alpha-2, e.g. `SE`. */
  country: string;
}

/** A company as other records refer to it. */
export interface CrmCompanyRef {
  id: string;
  name: string;
}

/** A company (organisation) in the CRM. */
export interface CrmCompany extends CrmCompanyRef {
  /** Organisation number as registered, e.g. `556712-4410`. */
  orgNo?: string | undefined;
  /** E.164, e.g. `+46901234550`. */
  phone?: string | undefined;
  /** Web/e-mail domain, e.g. `fjallvind.example`. */
  domain?: string | undefined;
  address?: CrmAddress | undefined;
}

/** A contact (person) as search results and matches show it. */
export interface CrmContactSummary {
  id: string;
  firstName: string;
  lastName: string;
  title?: string | undefined;
  email?: string | undefined;
  /** E.164, e.g. `+46701234567`. */
  phone?: string | undefined;
  company?: CrmCompanyRef | undefined;
}

/** A contact with everything the contact card shows. */
export interface CrmContact extends CrmContactSummary {
  /** The contact's postal address: their own, else their company's. */
  address?: CrmAddress | undefined;
}

/**
 * Why a contact may be the customer of a chat, strongest first. `verified`: the contact has the
 * customer's verified e-mail, or was linked to an earlier chat of the same verified customer.
 */
export type CrmMatchReason = 'verified' | 'linked' | 'email' | 'phone' | 'name';

export interface CrmMatch {
  contact: CrmContactSummary;
  /** Every reason that applies, strongest first (`verified`: see {@link CrmMatchReason}; `linked`: the contact was linked to an earlier chat of this customer). */
  reasons: CrmMatchReason[];
  /** Higher is a better match (the list is sorted by it); only comparable within one answer. */
  score: number;
}

export type CrmRequestStatus = 'open' | 'in-progress' | 'closed';

/**
 * Categories of a request, the default list (docs/crm-provider.md): the request dialog offers
 * these, the reference server accepts these. Labels are the interface's (localized) business.
 */
export const CRM_REQUEST_CATEGORIES = ['question', 'order', 'delivery', 'return', 'complaint', 'technical', 'other'] as const;
export type CrmRequestCategory = (typeof CRM_REQUEST_CATEGORIES)[number];

/** Priorities of a request, lowest first; `normal` is the default. */
export const CRM_REQUEST_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type CrmRequestPriority = (typeof CRM_REQUEST_PRIORITIES)[number];

/** A request (ticket). */
export interface CrmRequest {
  id: string;
  /** Human-readable number, e.g. `1042`. */
  number: string;
  title: string;
  status: CrmRequestStatus;
  createdAt: number;
  /** The chat it was created from. */
  sessionId?: string | undefined;
  /** The contact it belongs to (none for a request from a chat with an unknown customer). */
  contactId?: string | undefined;
  category?: CrmRequestCategory | undefined;
  priority?: CrmRequestPriority | undefined;
  /** Whether the chat's transcript is attached (see {@link CrmRequestInput.attachTranscript}). */
  hasTranscript?: boolean | undefined;
}

/** A document stored in the CRM (a file on a contact or company, or one for everybody). */
export interface CrmDocument {
  id: string;
  /** File name with its extension, e.g. `Price list 2026.pdf`. */
  name: string;
  /** MIME type, e.g. `application/pdf`. */
  type: string;
  /** Bytes. */
  size: number;
  updatedAt: number;
  /** The contact it is filed on, if any. */
  contactId?: string | undefined;
  /** The company it is filed on, if any. */
  companyId?: string | undefined;
}

/** Filters of {@link CrmProvider.listDocuments}. */
export interface CrmDocumentQuery {
  /** The contact's documents first, then their company's, then the ones filed on nobody. Without it: every document. */
  contactId?: string | undefined;
  /** Words the file name must contain (accent- and case-insensitive). */
  query?: string | undefined;
}

/** A document's content, ready to upload as a file. */
export interface CrmDocumentContent {
  name: string;
  type: string;
  blob: Blob;
}

export type CrmSaleStage = 'lead' | 'proposal' | 'negotiation' | 'won' | 'lost';

/** A sale (opportunity). */
export interface CrmSale {
  id: string;
  title: string;
  /** Amount in whole currency units (e.g. 240000 for 240 000 SEK). */
  amount: number;
  /** ISO 4217, e.g. `SEK`. */
  currency: string;
  stage: CrmSaleStage;
  /** Expected or actual closing date (ms since the epoch). */
  date: number;
}

export type CrmActivityType = 'chat' | 'call' | 'meeting' | 'email' | 'task';

/** An activity (diary entry): a call, a meeting, an e-mail, a finished chat… */
export interface CrmActivity {
  id: string;
  type: CrmActivityType;
  title: string;
  text?: string | undefined;
  at: number;
  /** Who did it (agent or CRM user name). */
  ownerName?: string | undefined;
  /** Chat activities: the session whose transcript this is. */
  sessionId?: string | undefined;
}

/** An earlier chat of a contact. */
export interface CrmChatSession {
  sessionId: string;
  status: 'queued' | 'active' | 'ended' | 'missed';
  startedAt: number;
  endedAt?: number | undefined;
  channelName?: string | undefined;
  agentName?: string | undefined;
  /** Whether the caller may read its transcript (`getChatTranscript`). */
  readable: boolean;
}

export interface CrmTranscriptMessage {
  author: { kind: 'customer' | 'agent' | 'system'; name: string };
  kind: 'text' | 'note' | 'event';
  text: string;
  at: number;
}

export interface CrmTranscript {
  sessionId: string;
  customerName: string;
  startedAt: number;
  endedAt?: number | undefined;
  messages: CrmTranscriptMessage[];
}

/** The contact a chat is linked to. */
export interface CrmSessionLink {
  sessionId: string;
  contactId: string;
  companyId?: string | undefined;
  linkedAt: number;
}

/** A new person. */
export interface CrmPersonInput {
  firstName: string;
  lastName: string;
  email?: string | undefined;
  phone?: string | undefined;
  title?: string | undefined;
}

/** A new company. */
export interface CrmCompanyInput {
  name: string;
  orgNo?: string | undefined;
  phone?: string | undefined;
  domain?: string | undefined;
  address?: CrmAddress | undefined;
}

/** A new contact: a person at an existing company (`companyId`), at a new one (`newCompany`), or at none. */
export type CrmCreateContactInput = CrmPersonInput &
  ({ companyId: string; newCompany?: undefined } | { newCompany: CrmCompanyInput; companyId?: undefined } | { companyId?: undefined; newCompany?: undefined });

/** A new request (ticket) for a contact, or from a chat (at least one of `contactId` and `sessionId`). */
export interface CrmRequestInput {
  contactId?: string | undefined;
  title: string;
  description?: string | undefined;
  sessionId?: string | undefined;
  /** Default `other` on the reference server when left out. */
  category?: CrmRequestCategory | undefined;
  /** Default `normal`. */
  priority?: CrmRequestPriority | undefined;
  /**
   * Attach the chat's transcript (needs `sessionId`): the provider builds it on its side from the
   * chat (messages the customer saw, no internal notes) and stores it with the request.
   */
  attachTranscript?: boolean | undefined;
}

export type CrmErrorCode = 'not_found' | 'invalid' | 'conflict' | 'forbidden' | 'unavailable';

/** Why one input field was refused. `code` is for the interface; `message` is English. */
export interface CrmFieldError {
  code: 'required' | 'too_long' | 'email' | 'phone' | 'org_no' | 'taken' | 'unknown' | 'invalid';
  message: string;
}

/**
 * A failed CRM call. `invalid` carries `fields` (by field name, `newCompany.name` for nested
 * ones); `unavailable` is retryable (network, server down, rate limits).
 */
export class CrmError extends Error {
  readonly code: CrmErrorCode;
  readonly fields: Readonly<Record<string, CrmFieldError>>;
  constructor(code: CrmErrorCode, message: string, fields: Record<string, CrmFieldError> = {}) {
    super(message);
    this.name = 'CrmError';
    this.code = code;
    this.fields = fields;
  }

  /** Whether trying the same call again later may succeed. */
  get retryable(): boolean {
    return this.code === 'unavailable';
  }
}

/** What the composer knows when it asks a CRM for reply suggestions (issue 18). */
export interface CrmReplyContext {
  sessionId: string;
  channelId?: string | undefined;
  /** What the customer wrote since the agent last answered: their newest messages and what they are typing now. */
  text: string;
  /** The console's language (BCP 47), e.g. `sv-SE`. */
  locale: string;
}

/** A reply a CRM suggests (issue 18). Shown and inserted as plain text, never as markup. */
export interface CrmReplySuggestion {
  id: string;
  /** Shown on the suggestion (at most 100 characters are shown). */
  title: string;
  /** Put into the composer for the agent to edit and send (at most 4,000 characters). */
  text: string;
}

/**
 * Everything the contact panel and the conversation (requests, documents) need from a CRM. Every method is asynchronous, takes an
 * `AbortSignal` (an aborted call rejects with the signal's reason, a `DOMException` named
 * `AbortError`) and fails with {@link CrmError}.
 */
export interface CrmProvider {
  /**
   * Contacts that may be the customer of a chat, best first: the contact linked to an earlier chat
   * of the same customer (same e-mail or phone), the same e-mail (case-insensitive), the same phone
   * (compared as E.164), a similar name (accent-insensitive token similarity).
   */
  findMatches(customer: CrmCustomer, signal?: AbortSignal): Promise<CrmMatch[]>;
  /** Contacts whose name, e-mail, phone or company contains the query (at most 20). */
  search(query: string, signal?: AbortSignal): Promise<CrmContactSummary[]>;
  /** Companies whose name, org. no. or domain contains the query (at most 20). */
  searchCompanies(query: string, signal?: AbortSignal): Promise<CrmCompany[]>;
  getContact(id: string, signal?: AbortSignal): Promise<CrmContact>;
  /** Creates a person (and a new company when `newCompany` is given). `invalid` with field errors. */
  createContact(input: CrmCreateContactInput, signal?: AbortSignal): Promise<CrmContact>;
  /** Creates a company. `conflict` (field `orgNo`) when the org. no. is taken. */
  createCompany(input: CrmCompanyInput, signal?: AbortSignal): Promise<CrmCompany>;
  /** Requests of a contact, newest first. */
  listRequests(contactId: string, signal?: AbortSignal): Promise<CrmRequest[]>;
  /** Sales of the contact's company (or the contact), newest first. */
  listSales(contactId: string, signal?: AbortSignal): Promise<CrmSale[]>;
  /** Activities of a contact, newest first (finished chats are `chat` activities). */
  listActivities(contactId: string, signal?: AbortSignal): Promise<CrmActivity[]>;
  /** Chats linked to a contact, newest first, each saying whether the caller may read it. */
  listChatSessions(contactId: string, signal?: AbortSignal): Promise<CrmChatSession[]>;
  /** Creates a request for a contact or from a chat. `invalid` with field errors; `forbidden` for a chat the caller may not read. */
  createRequest(input: CrmRequestInput, signal?: AbortSignal): Promise<CrmRequest>;
  /** Requests created from a chat, newest first. `forbidden` when the caller may not read the chat. */
  listSessionRequests(sessionId: string, signal?: AbortSignal): Promise<CrmRequest[]>;
  /** Documents to send in a chat (at most 50): a contact's first, then their company's, then everybody's. */
  listDocuments(query: CrmDocumentQuery, signal?: AbortSignal): Promise<CrmDocument[]>;
  /** A document's content. `not_found` for unknown ids. */
  getDocument(id: string, signal?: AbortSignal): Promise<CrmDocumentContent>;
  /** Links a chat to a contact (replacing an earlier link). `forbidden` for chats the caller may not read. */
  linkSession(sessionId: string, contactId: string, signal?: AbortSignal): Promise<CrmSessionLink>;
  /** Takes a chat's link away (Undo of an automatic link). Optional: without it there is no Undo. */
  unlinkSession?(sessionId: string, signal?: AbortSignal): Promise<void>;
  /** The contact a chat is linked to, or null. */
  getSessionLink(sessionId: string, signal?: AbortSignal): Promise<CrmSessionLink | null>;
  /** The transcript of a chat, read-only. `forbidden` when the caller may not read it. */
  getChatTranscript(sessionId: string, signal?: AbortSignal): Promise<CrmTranscript>;
  /**
   * Optional (issue 18): replies the CRM suggests while the customer writes, best first (at most 5
   * are used), merged after the reply library's own matches in the composer. Called again (the
   * earlier call aborted) when the customer writes more; a failure shows nothing and is not retried.
   */
  suggestReplies?(context: CrmReplyContext, signal?: AbortSignal): Promise<CrmReplySuggestion[]>;
}
