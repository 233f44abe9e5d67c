/**
 * The `/api/crm/` endpoints of the demo CRM, independent of the HTTP host: the host authenticates
 * the Bearer access token, parses the JSON body and hands over a {@link CrmHttpRequest}; this
 * module authorises (agents of the tenant only), validates, runs the query and answers with a
 * status and a JSON body. Errors are `{error: {code, message, fields?}}` with the codes of
 * `CrmError` (docs/crm-provider.md).
 */
import { formatTranscript } from '../../src/crm/transcript.js';
import { checkCompany, checkContact, checkRequest, CRM_LIMITS, type FieldErrors } from '../../src/crm/validate.js';
import type { CrmCustomer, CrmErrorCode } from '../../src/crm/types.js';
import type { Principal } from './auth.js';
import { randomId } from './auth.js';
import { CrmStore, type CrmSessionRow } from './crm-store.js';
import type { SqlPort } from './sql.js';
import { TenantStore } from './store/index.js';

export interface CrmHttpRequest {
  method: string;
  /** Path below the API root, e.g. `/api/crm/contacts/pe-0002`. */
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body of POST requests. */
  body?: Record<string, unknown> | undefined;
  /** Who is calling (from the verified access token). */
  principal: Principal;
  /** Server time. */
  now: number;
}

export interface CrmHttpResponse {
  status: number;
  body: unknown;
}

const STATUS: Record<CrmErrorCode, number> = { invalid: 400, forbidden: 403, not_found: 404, conflict: 409, unavailable: 503 };

class Fail extends Error {
  constructor(
    readonly code: CrmErrorCode,
    message: string,
    readonly fields?: FieldErrors,
  ) {
    super(message);
  }
}

const ID = /^[\w.:-]{1,64}$/;

function pathId(value: string | undefined, what: string): string {
  let id: string;
  try {
    id = decodeURIComponent(value ?? '');
  } catch {
    id = '';
  }
  if (!ID.test(id)) throw new Fail('not_found', `no such ${what}`);
  return id;
}

function invalid(errors: FieldErrors): never {
  const first = Object.values(errors)[0];
  throw new Fail('invalid', first ? first.message : 'invalid input', errors);
}

function optText(body: Record<string, unknown>, field: string, max: number): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') invalid({ [field]: { code: 'invalid', message: `${field}: must be text` } });
  if (value.length > max) invalid({ [field]: { code: 'too_long', message: `${field}: at most ${String(max)} characters` } });
  return value;
}

/**
 * `verified: {externalId, email?}` of a match request: the identity the chat server verified for
 * the chat (the console takes it from the session summary, which only the server sets).
 */
function verifiedOf(value: unknown): CrmCustomer['verified'] {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) invalid({ verified: { code: 'invalid', message: 'verified: {externalId, email?}' } });
  const v = value as Record<string, unknown>;
  const externalId = optText(v, 'externalId', 200);
  if (externalId === undefined || externalId === '') invalid({ 'verified.externalId': { code: 'required', message: 'verified.externalId: required' } });
  const email = optText(v, 'email', CRM_LIMITS.email);
  return { externalId, ...(email !== undefined ? { email } : {}) };
}

/** Base64 of bytes (Web-platform `btoa`, no Node APIs: the core runs on any host). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * Whether an agent may read a session: the rules of the chat room (docs/protocol.md §8
 * "Authorization per frame"): the handler; queued chats of channels they answer; any chat of
 * channels they manage or may listen to; the target of a pending transfer; everyone who handled it.
 */
export function agentMayRead(store: TenantStore, agentId: string, sessionId: string): boolean {
  const access = store.access(agentId);
  const session = store.session(sessionId);
  if (!access || !session) return false;
  if (session.agent_id === agentId) return true;
  const perm = access.channels.get(session.channel_id);
  if (perm?.manager || perm?.listen) return true;
  if (session.status === 'queued' && perm?.respond) return true;
  return session.transfer_to === agentId || store.handled(session.id, agentId);
}

/** Answers one `/api/crm/…` request. Never throws for bad input: every failure is an error answer. */
export function handleCrmRequest(db: SqlPort, req: CrmHttpRequest): CrmHttpResponse {
  try {
    return route(db, req);
  } catch (error) {
    if (error instanceof Fail) {
      return {
        status: STATUS[error.code],
        body: { error: { code: error.code, message: error.message, ...(error.fields && Object.keys(error.fields).length > 0 ? { fields: error.fields } : {}) } },
      };
    }
    throw error;
  }
}

function route(db: SqlPort, req: CrmHttpRequest): CrmHttpResponse {
  const p = req.principal;
  const chat = new TenantStore(db, p.tenantId);
  // Customers (and agents that no longer exist) get nothing from the CRM.
  if (p.role !== 'agent' || !chat.agent(p.subjectId)) throw new Fail('forbidden', 'the CRM is for agents only');
  const crm = new CrmStore(db, p.tenantId);
  const parts = req.path.replace(/^\/api\/crm\/?/, '').split('/');
  const [resource, rawId, sub] = parts;
  if (parts.length > 3) throw new Fail('not_found', 'no such endpoint');
  const get = req.method === 'GET';
  const post = req.method === 'POST';
  const body = req.body ?? {};
  const ok = (data: unknown, status = 200): CrmHttpResponse => ({ status, body: data });

  const readableSession = (id: string): CrmSessionRow => {
    const s = crm.session(id);
    // Unknown and unreadable chats look the same, so ids cannot be probed.
    if (!s || !agentMayRead(chat, p.subjectId, id)) throw new Fail('forbidden', 'not allowed for this chat');
    return s;
  };
  const contactOf = (id: string) => {
    const contact = crm.contact(id);
    if (!contact) throw new Fail('not_found', 'no such contact');
    return contact;
  };

  switch (resource) {
    case 'matches': {
      if (!post || rawId !== undefined) break;
      const name = optText(body, 'name', CRM_LIMITS.name) ?? '';
      const email = optText(body, 'email', CRM_LIMITS.email);
      const phone = optText(body, 'phone', CRM_LIMITS.phone);
      const customer: CrmCustomer = { name, email, phone, verified: verifiedOf(body.verified) };
      return ok({ matches: crm.matches(customer) });
    }
    case 'contacts': {
      if (rawId === undefined) {
        if (get) return ok({ contacts: crm.search(req.query.get('q') ?? '') });
        if (post) {
          const checked = checkContact(body);
          const value = checked.value;
          if (value.companyId !== undefined && !crm.company(value.companyId)) checked.errors.companyId = { code: 'unknown', message: 'Company: no such company' };
          if (value.newCompany?.orgNo !== undefined && crm.orgNoTaken(value.newCompany.orgNo)) {
            checked.errors['newCompany.orgNo'] = { code: 'taken', message: 'Org. no.: a company with this number exists' };
          }
          if (Object.keys(checked.errors).length > 0) invalid(checked.errors);
          const id = db.transaction(() => {
            let companyId = value.companyId;
            if (value.newCompany) {
              companyId = `co_${randomId(9)}`;
              crm.insertCompany({ id: companyId, ...value.newCompany, createdAt: req.now });
            }
            const personId = `pe_${randomId(9)}`;
            crm.insertPerson({ id: personId, companyId, firstName: value.firstName, lastName: value.lastName, title: value.title, email: value.email, phone: value.phone, createdAt: req.now });
            return personId;
          });
          return ok({ contact: contactOf(id) }, 201);
        }
        break;
      }
      if (!get) break;
      const id = pathId(rawId, 'contact');
      const contact = contactOf(id);
      switch (sub) {
        case undefined:
          return ok({ contact });
        case 'requests':
          return ok({ requests: crm.requests(id) });
        case 'sales':
          return ok({ sales: crm.sales(id, contact.company?.id) });
        case 'activities':
          return ok({ activities: crm.activities(id) });
        case 'chats':
          return ok({
            chats: crm.linkedSessions(id).map((s) => ({
              sessionId: s.id,
              status: s.status,
              startedAt: s.created_at,
              ...(s.ended_at !== null ? { endedAt: s.ended_at } : {}),
              channelName: chat.channel(s.channel_id)?.name,
              agentName: s.agent_id !== null ? chat.agent(s.agent_id)?.name : undefined,
              readable: agentMayRead(chat, p.subjectId, s.id),
            })),
          });
        default:
          break;
      }
      break;
    }
    case 'companies': {
      if (rawId === undefined) {
        if (get) return ok({ companies: crm.searchCompanies(req.query.get('q') ?? '') });
        if (post) {
          const checked = checkCompany(body);
          if (Object.keys(checked.errors).length > 0) invalid(checked.errors);
          const value = checked.value;
          if (value.orgNo !== undefined && crm.orgNoTaken(value.orgNo)) {
            throw new Fail('conflict', 'a company with this org. no. exists', { orgNo: { code: 'taken', message: 'Org. no.: a company with this number exists' } });
          }
          const id = `co_${randomId(9)}`;
          db.transaction(() => {
            crm.insertCompany({ id, ...value, createdAt: req.now });
          });
          return ok({ company: crm.company(id) }, 201);
        }
        break;
      }
      if (!get || sub !== undefined) break;
      const company = crm.company(pathId(rawId, 'company'));
      if (!company) throw new Fail('not_found', 'no such company');
      return ok({ company });
    }
    case 'requests': {
      if (get && rawId !== undefined && sub === undefined) {
        // One request, for the CRM's request page: with its description, and its chat transcript
        // only for agents who may read that chat.
        const found = crm.request(pathId(rawId, 'request'));
        if (!found) throw new Fail('not_found', 'no such request');
        const { transcript, ...request } = found;
        const mayReadChat = found.sessionId === undefined || agentMayRead(chat, p.subjectId, found.sessionId);
        return ok({ request: { ...request, ...(transcript !== undefined && mayReadChat ? { transcript } : {}) } });
      }
      if (!post || rawId !== undefined) break;
      const checked = checkRequest(body);
      const value = checked.value;
      const companyOfContact = value.contactId !== undefined ? crm.personCompany(value.contactId) : undefined;
      if (value.contactId !== undefined && companyOfContact === null) checked.errors.contactId = { code: 'unknown', message: 'Contact: no such contact' };
      if (Object.keys(checked.errors).length > 0) invalid(checked.errors);
      const session = value.sessionId !== undefined ? readableSession(value.sessionId) : undefined;
      // From a chat without a contact given: the contact the chat is linked to, if any.
      const personId = value.contactId ?? session?.crm_person_id ?? undefined;
      const companyId = value.contactId !== undefined ? (companyOfContact ?? undefined) : (session?.crm_company_id ?? undefined);
      const transcript = value.attachTranscript === true && session ? formatTranscript(session.customer_name, session.created_at, crm.transcriptLines(session.id)) : undefined;
      const id = `rq_${randomId(9)}`;
      db.transaction(() => {
        crm.insertRequest({
          id,
          number: crm.nextRequestNumber(),
          personId,
          companyId,
          title: value.title,
          description: value.description,
          status: 'open',
          sessionId: value.sessionId,
          category: value.category,
          priority: value.priority,
          transcript,
          createdBy: p.subjectId,
          createdAt: req.now,
        });
      });
      const created = crm.request(id);
      if (!created) throw new Fail('unavailable', 'the request was not stored');
      const { description: _description, transcript: _transcript, ...request } = created;
      return ok({ request }, 201);
    }
    case 'documents': {
      if (!get) break;
      if (rawId === undefined) {
        const contactId = req.query.get('contactId') ?? '';
        let personId: string | undefined;
        let companyId: string | undefined;
        if (contactId !== '') {
          const company = ID.test(contactId) ? crm.personCompany(contactId) : null;
          if (company === null) throw new Fail('not_found', 'no such contact');
          personId = contactId;
          companyId = company;
        }
        const q = req.query.get('q') ?? '';
        if (q.length > CRM_LIMITS.query) invalid({ q: { code: 'too_long', message: `q: at most ${String(CRM_LIMITS.query)} characters` } });
        return ok({ documents: crm.documents({ personId, companyId, query: q }) });
      }
      if (sub !== 'content') break;
      const found = crm.document(pathId(rawId, 'document'));
      if (!found) throw new Fail('not_found', 'no such document');
      const { content, ...document } = found;
      return ok({ document, content: toBase64(content) });
    }
    case 'sessions': {
      const sessionId = pathId(rawId, 'chat');
      if (sub === 'link' && get) return ok({ link: crm.sessionLink(readableSession(sessionId)) });
      if (sub === 'link' && post) {
        const s = readableSession(sessionId);
        const contactId = body.contactId;
        if (typeof contactId !== 'string' || !ID.test(contactId)) invalid({ contactId: { code: 'required', message: 'contactId: required' } });
        const companyId = crm.personCompany(contactId);
        if (companyId === null) throw new Fail('not_found', 'no such contact');
        const session = chat.session(s.id);
        const link = crm.link(
          s,
          contactId,
          companyId,
          p.subjectId,
          req.now,
          {
            agent: session?.agent_id ? chat.agent(session.agent_id)?.name : undefined,
            channel: session ? chat.channel(session.channel_id)?.name : undefined,
          },
          () => `ac_${randomId(9)}`,
        );
        return ok({ link });
      }
      if (sub === 'link' && req.method === 'DELETE') {
        crm.unlink(readableSession(sessionId));
        return ok({ link: null });
      }
      if (sub === 'transcript' && get) return ok({ transcript: crm.transcript(readableSession(sessionId)) });
      if (sub === 'requests' && get) return ok({ requests: crm.sessionRequests(readableSession(sessionId).id) });
      break;
    }
    default:
      break;
  }
  throw new Fail('not_found', `no route ${req.method} ${req.path}`);
}
