/**
 * The reference {@link CrmProvider}: plain `fetch` against the `/api/crm/` endpoints of the
 * reference server (docs/crm-provider.md), authorised with the agent's access token
 * (`Authorization: Bearer …`). Answers are checked against schemas (lenient about unknown fields,
 * strict about types), so nothing malformed reaches the contact panel.
 */
import * as v from 'valibot';

import type { CrmErrorCode, CrmFieldError, CrmProvider } from './types.js';
import { requestSuggestions } from './reply-suggestions.js';
import { CRM_REQUEST_CATEGORIES, CRM_REQUEST_PRIORITIES, CrmError } from './types.js';

export interface RestCrmProviderOptions {
  /** Base URL of the server, e.g. `https://chat.example.com` (the API is under `/api/crm/`). */
  url: string;
  /** The agent's access token (called before every request; never stored by the provider). */
  getAccessToken: () => string | Promise<string>;
  /** `fetch` to use (tests, Node); the global one by default. */
  fetch?: typeof fetch;
}

const Str = v.string();
const Opt = v.optional(v.string());
const Time = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

const CompanyRef = v.object({ id: Str, name: Str });
const Address = v.object({ street: Str, postalCode: Str, city: Str, country: Str });
const Company = v.object({ id: Str, name: Str, orgNo: Opt, phone: Opt, domain: Opt, address: v.optional(Address) });
const summaryEntries = {
  id: Str,
  firstName: Str,
  lastName: Str,
  title: Opt,
  email: Opt,
  phone: Opt,
  company: v.optional(CompanyRef),
};
const ContactSummary = v.object(summaryEntries);
const Contact = v.object({ ...summaryEntries, address: v.optional(Address) });
const Match = v.object({
  contact: ContactSummary,
  reasons: v.array(v.picklist(['verified', 'linked', 'email', 'phone', 'name'])),
  score: v.number(),
});
const Request = v.object({
  id: Str,
  number: Str,
  title: Str,
  status: v.picklist(['open', 'in-progress', 'closed']),
  createdAt: Time,
  sessionId: Opt,
  contactId: Opt,
  category: v.optional(v.picklist(CRM_REQUEST_CATEGORIES)),
  priority: v.optional(v.picklist(CRM_REQUEST_PRIORITIES)),
  hasTranscript: v.optional(v.boolean()),
});
const Document = v.object({
  id: Str,
  name: Str,
  type: Str,
  size: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  updatedAt: Time,
  contactId: Opt,
  companyId: Opt,
});
const DocumentContent = v.object({ document: Document, content: v.pipe(v.string(), v.base64()) });
const Sale = v.object({
  id: Str,
  title: Str,
  amount: v.number(),
  currency: Str,
  stage: v.picklist(['lead', 'proposal', 'negotiation', 'won', 'lost']),
  date: Time,
});
const Activity = v.object({
  id: Str,
  type: v.picklist(['chat', 'call', 'meeting', 'email', 'task']),
  title: Str,
  text: Opt,
  at: Time,
  ownerName: Opt,
  sessionId: Opt,
});
const ChatSession = v.object({
  sessionId: Str,
  status: v.picklist(['queued', 'active', 'ended', 'missed']),
  startedAt: Time,
  endedAt: v.optional(Time),
  channelName: Opt,
  agentName: Opt,
  readable: v.boolean(),
});
const Link = v.object({ sessionId: Str, contactId: Str, companyId: Opt, linkedAt: Time });
const Transcript = v.object({
  sessionId: Str,
  customerName: Str,
  startedAt: Time,
  endedAt: v.optional(Time),
  messages: v.array(
    v.object({
      author: v.object({ kind: v.picklist(['customer', 'agent', 'system']), name: Str }),
      kind: v.picklist(['text', 'note', 'event']),
      text: Str,
      at: Time,
    }),
  ),
});
const ErrorBody = v.object({
  error: v.object({
    code: Str,
    message: Str,
    fields: v.optional(v.record(v.string(), v.object({ code: Str, message: Str }))),
  }),
});

const CODES: readonly CrmErrorCode[] = ['not_found', 'invalid', 'conflict', 'forbidden', 'unavailable'];
const FIELD_CODES: readonly CrmFieldError['code'][] = ['required', 'too_long', 'email', 'phone', 'org_no', 'taken', 'unknown', 'invalid'];

function codeOf(status: number, code: string | undefined): CrmErrorCode {
  if (code && (CODES as readonly string[]).includes(code)) return code as CrmErrorCode;
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 401 || status === 403) return 'forbidden';
  if (status === 400 || status === 413 || status === 415 || status === 422) return 'invalid';
  return 'unavailable';
}

/** Bytes of a base64 text (checked by the schema before). */
function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

export function createRestCrmProvider(options: RestCrmProviderOptions): CrmProvider {
  const base = `${options.url.replace(/\/+$/, '')}/api/crm`;
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function call<S extends v.GenericSchema>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    schema: S,
    signal: AbortSignal | undefined,
    body?: unknown,
  ): Promise<v.InferOutput<S>> {
    if (signal?.aborted) throw abortReason(signal);
    let token: string;
    try {
      token = await options.getAccessToken();
    } catch (error) {
      const status = (error as { status?: unknown } | null)?.status;
      throw new CrmError(status === 401 || status === 403 ? 'forbidden' : 'unavailable', 'No access token for the CRM');
    }
    if (signal?.aborted) throw abortReason(signal);
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method,
        headers,
        cache: 'no-store',
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      throw new CrmError('unavailable', `The CRM could not be reached (${error instanceof Error ? error.name : 'network error'})`);
    }
    let data: unknown;
    try {
      data = await res.json();
    } catch {
      if (signal?.aborted) throw abortReason(signal);
      data = undefined;
    }
    if (!res.ok) {
      const parsed = v.safeParse(ErrorBody, data);
      const err = parsed.success ? parsed.output.error : undefined;
      const fields: Record<string, CrmFieldError> = {};
      for (const [name, f] of Object.entries(err?.fields ?? {})) {
        fields[name] = { code: (FIELD_CODES as readonly string[]).includes(f.code) ? (f.code as CrmFieldError['code']) : 'unknown', message: f.message };
      }
      throw new CrmError(codeOf(res.status, err?.code), err?.message ?? `HTTP ${String(res.status)}`, fields);
    }
    const parsed = v.safeParse(schema, data);
    if (!parsed.success) throw new CrmError('unavailable', 'The CRM sent an answer this version does not understand');
    return parsed.output;
  }

  const id = (value: string) => encodeURIComponent(value);

  const provider: CrmProvider = {
    async findMatches(customer, signal) {
      const r = await call('POST', '/matches', v.object({ matches: v.array(Match) }), signal, {
        name: customer.name,
        ...(customer.email ? { email: customer.email } : {}),
        ...(customer.phone ? { phone: customer.phone } : {}),
        ...(customer.verified ? { verified: { externalId: customer.verified.externalId, ...(customer.verified.email ? { email: customer.verified.email } : {}) } } : {}),
      });
      return r.matches;
    },
    async search(query, signal) {
      const r = await call('GET', `/contacts?q=${encodeURIComponent(query)}`, v.object({ contacts: v.array(ContactSummary) }), signal);
      return r.contacts;
    },
    async searchCompanies(query, signal) {
      const r = await call('GET', `/companies?q=${encodeURIComponent(query)}`, v.object({ companies: v.array(Company) }), signal);
      return r.companies;
    },
    async getContact(contactId, signal) {
      return (await call('GET', `/contacts/${id(contactId)}`, v.object({ contact: Contact }), signal)).contact;
    },
    async createContact(input, signal) {
      return (await call('POST', '/contacts', v.object({ contact: Contact }), signal, input)).contact;
    },
    async createCompany(input, signal) {
      return (await call('POST', '/companies', v.object({ company: Company }), signal, input)).company;
    },
    async listRequests(contactId, signal) {
      return (await call('GET', `/contacts/${id(contactId)}/requests`, v.object({ requests: v.array(Request) }), signal)).requests;
    },
    async listSales(contactId, signal) {
      return (await call('GET', `/contacts/${id(contactId)}/sales`, v.object({ sales: v.array(Sale) }), signal)).sales;
    },
    async listActivities(contactId, signal) {
      return (await call('GET', `/contacts/${id(contactId)}/activities`, v.object({ activities: v.array(Activity) }), signal)).activities;
    },
    async listChatSessions(contactId, signal) {
      return (await call('GET', `/contacts/${id(contactId)}/chats`, v.object({ chats: v.array(ChatSession) }), signal)).chats;
    },
    async createRequest(input, signal) {
      return (await call('POST', '/requests', v.object({ request: Request }), signal, input)).request;
    },
    async listSessionRequests(sessionId, signal) {
      return (await call('GET', `/sessions/${id(sessionId)}/requests`, v.object({ requests: v.array(Request) }), signal)).requests;
    },
    async listDocuments(query, signal) {
      const params = new URLSearchParams();
      if (query.contactId !== undefined && query.contactId !== '') params.set('contactId', query.contactId);
      if (query.query !== undefined && query.query.trim() !== '') params.set('q', query.query);
      const qs = params.toString();
      return (await call('GET', `/documents${qs ? `?${qs}` : ''}`, v.object({ documents: v.array(Document) }), signal)).documents;
    },
    async getDocument(documentId, signal) {
      const r = await call('GET', `/documents/${id(documentId)}/content`, DocumentContent, signal);
      return { name: r.document.name, type: r.document.type, blob: new Blob([fromBase64(r.content)], { type: r.document.type }) };
    },
    async linkSession(sessionId, contactId, signal) {
      return (await call('POST', `/sessions/${id(sessionId)}/link`, v.object({ link: Link }), signal, { contactId })).link;
    },
    async unlinkSession(sessionId, signal) {
      await call('DELETE', `/sessions/${id(sessionId)}/link`, v.object({ link: v.null() }), signal);
    },
    async getSessionLink(sessionId, signal) {
      return (await call('GET', `/sessions/${id(sessionId)}/link`, v.object({ link: v.nullable(Link) }), signal)).link;
    },
    async getChatTranscript(sessionId, signal) {
      return (await call('GET', `/sessions/${id(sessionId)}/transcript`, v.object({ transcript: Transcript }), signal)).transcript;
    },
    /** Replies from the CRM's requests while the customer writes (issue 18; reply-suggestions.ts). */
    suggestReplies(context, signal) {
      return requestSuggestions(provider, context, signal);
    },
  };
  return provider;
}
