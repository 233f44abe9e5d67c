/**
 * The Worker's bindings (server/cloudflare/wrangler.jsonc) and its configuration (vars and
 * secrets; docs/scaling.md, "Deploying").
 */
import type { ChatConversation } from './conversation.js';
import type { ChatRegistry } from './registry.js';
import type { ChatTenant } from './tenant.js';

export interface Env {
  /** One object per tenant (`/parties/chat/<tenant>` reaches it; partysocket's party `chat`). */
  Chat: DurableObjectNamespace<ChatTenant>;
  /** One object per conversation (`<tenant>/<session id>`): numbers its stream; fed the directory's calls by the tenant's outbox. */
  Conversation: DurableObjectNamespace<ChatConversation>;
  /** One object per installation: the tenant index and every request no tenant owns. */
  Registry: DurableObjectNamespace<ChatRegistry>;
  /** Attachment bytes, `<tenant>/<attachment id>`. */
  FILES: R2Bucket;
  /** The demo pages and bundles (`/demo/…`, `/dist/…`). */
  ASSETS: Fetcher;
  /** `1`: the demo tenant is created on first use and the demo sign-in is on. */
  DEMO?: string;
  /** Origin of the attachment downloads: another host name of this Worker (e.g. `https://files.chat.example.com`). */
  ATTACHMENT_ORIGIN?: string;
  /** Where browsers reach the API (links to its own pages); default the request's origin. */
  PUBLIC_URL?: string;
  /** Extra origins allowed to call the API and open sockets, comma separated. */
  ALLOWED_ORIGINS?: string;
  /** Secret: signs access tokens and tickets (else one per object, kept in its `meta` table). */
  CHAT_TOKEN_SECRET?: string;
  /** Secret: the HMAC key of stored API keys (else one per object, kept in its `meta` table). */
  CHAT_API_KEY_PEPPER?: string;
  /** Secret: the operator key (`ccp_<10 hex>.<43 characters>`): creates and lists tenants, acts on every tenant. */
  CHAT_OPERATOR_KEY?: string;
  /** Largest attachment in bytes (default 10 MB). */
  CHAT_MAX_FILE_BYTES?: string;
  /** Tests only: `hold` or `keep` the conversation outbox (outbox.ts); default `deliver`. */
  CONVERSATION_OUTBOX?: string;
  /** Tests only: `hold` or `keep` the conversation objects' reports to the directory (reports.ts); default `deliver`. */
  CONVERSATION_REPORTS?: string;
  /** Tests only: `1` lets the operator make a conversation object forget its memory, as an eviction does (`POST /cloudflare/conversations/<tenant>/<session>/evict`). */
  CHAT_TEST_EVICT?: string;
  /** Secret: turns on `GET /metrics?tenant=<id>` for callers that send it as `Authorization: Bearer …` (at least 16 characters). */
  CHAT_METRICS_KEY?: string;
  /** Refused agent sign-ins one client address may make per minute on a tenant (default 30); then 429. */
  CHAT_SIGN_IN_FAILURES_PER_MINUTE?: string;
}

/** The origins named in a comma-separated variable. */
export function originList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter((o) => o !== '');
}

/** A positive whole number from a variable, or undefined. */
export function positiveInt(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
