/**
 * Reply suggestions from a CRM's requests (issue 18): the `suggestReplies` of the library's own
 * providers (the REST provider over the reference server's demo CRM, and the in-memory one), so
 * the demo shows the CRM's suggestions next to the reply library's. Plain data: what the composer
 * inserts is text the agent edits before sending.
 *
 * - The customer names a request by its number ("1042", "#1042"): that request, with its status.
 * - Else, when they ask about a request, an order, a case or its status: the newest open request
 *   of the chat and of the contact it is linked to.
 * - Otherwise nothing (no call to the CRM). At most two; Swedish for a Swedish console, else English.
 */
import type { CrmProvider, CrmReplyContext, CrmReplySuggestion, CrmRequest, CrmRequestStatus } from './types.js';

type RequestReader = Pick<CrmProvider, 'getSessionLink' | 'listRequests' | 'listSessionRequests'>;

/** Words of a customer asking about a request or an order (English and Swedish, any ending). */
const ASKS = /(?<![\p{L}\p{N}])(?:order|request|case|ticket|status|delivery|ärende|beställning|leverans|reklamation)/iu;
/** A request number as customers write it. */
const NUMBER = /(?:^|[^\p{L}\p{N}])#?(\d{3,9})(?![\p{L}\p{N}])/gu;

const STATUS: Record<'en' | 'sv', Record<CrmRequestStatus, string>> = {
  en: { open: 'is open: we will get back to you shortly', 'in-progress': 'is being worked on', closed: 'is closed' },
  sv: { open: 'är registrerat: vi återkommer inom kort', 'in-progress': 'är under arbete', closed: 'är avslutat' },
};

function suggestion(r: CrmRequest, lang: 'en' | 'sv'): CrmReplySuggestion {
  return lang === 'sv'
    ? { id: `request-${r.id}`, title: `Ärende ${r.number}: ${r.title}`, text: `Ditt ärende ${r.number} (”${r.title}”) ${STATUS.sv[r.status]}.` }
    : { id: `request-${r.id}`, title: `Request ${r.number}: ${r.title}`, text: `Your request ${r.number} (“${r.title}”) ${STATUS.en[r.status]}.` };
}

export async function requestSuggestions(crm: RequestReader, context: CrmReplyContext, signal?: AbortSignal): Promise<CrmReplySuggestion[]> {
  const numbers = new Set([...context.text.matchAll(NUMBER)].map((m) => m[1] ?? ''));
  const asks = ASKS.test(context.text);
  if (numbers.size === 0 && !asks) return [];
  const [link, ofChat] = await Promise.all([crm.getSessionLink(context.sessionId, signal), crm.listSessionRequests(context.sessionId, signal)]);
  const ofContact = link ? await crm.listRequests(link.contactId, signal) : [];
  // The chat's requests and the contact's, once each, newest first.
  const byId = new Map<string, CrmRequest>();
  for (const r of [...ofChat, ...ofContact]) if (!byId.has(r.id)) byId.set(r.id, r);
  const all = [...byId.values()].sort((a, b) => b.createdAt - a.createdAt);
  const named = all.filter((r) => numbers.has(r.number));
  const picks = named.length > 0 ? named : asks ? all.filter((r) => r.status !== 'closed').slice(0, 1) : [];
  const lang = context.locale.toLowerCase().startsWith('sv') ? 'sv' : 'en';
  return picks.slice(0, 2).map((r) => suggestion(r, lang));
}
