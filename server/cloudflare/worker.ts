/**
 * The Cloudflare host's Worker: the same routes and frames as the Node host, so the elements
 * connect to either with only a different URL. It does no work of its own; it picks the object
 * that owns a request and hands it over:
 *
 *   /parties/chat/<tenant>          WebSocket → the tenant's `ChatTenant` (partyserver)
 *   /parties/conversation/<tenant>/<session>   WebSocket → that chat's `ChatConversation` (its stream)
 *   /api/…  of a tenant             → `ChatTenant.api()`: the tenant named by the route (`:tenant`
 *                                      of provisioning), the access token's tenant (agent and
 *                                      customer routes), `?tenant=` or the JSON body's `tenant`
 *                                      (public and demo routes), the body's `id` (tenant creation)
 *   /metrics?tenant=<id>            → that tenant's `ChatTenant.api()`: its room's figures
 *   everything else                 → `ChatRegistry.api()` (tenant index, unknown tenants,
 *                                      `/health`, the demo pages, unknown routes)
 *   ATTACHMENT_ORIGIN  /a/<tenant>/… → `ChatTenant.download()` (R2), nothing else
 *   /cloudflare/…  (operator key)    → this host's own reads: a conversation object's copy of its
 *                                      chat, a tenant's sessions, its outbox (operatorRead)
 *
 * Both objects answer with the core's route table (server/core/http/), so who may call what and
 * every error answer are those of the Node host. Static files (`/demo/…`, `/dist/…`) go through
 * the route table too (`run_worker_first`): the assets binding finds the bytes, the core's static
 * route adds the Content Security Policy and CORS headers of the Node host.
 */
import { claimedTenant } from '../core/auth.js';
import { plainAnswer, TENANT_ID } from '../core/attachment-service.js';
import { bearerOf, Router } from '../core/http/router.js';
import { ROUTES } from '../core/http/routes/index.js';
import { DEMO_TENANT } from '../core/seed.js';
import { socketTenant } from '../core/socket-session.js';
import type { Env } from './env.js';
import { conversationName, conversationSocket } from './conversation.js';
import { operatorKey } from './operator-key.js';
import { httpRequest } from './parts.js';

export { ChatConversation } from './conversation.js';
export { ChatRegistry } from './registry.js';
export { ChatTenant } from './tenant.js';

const router = new Router(ROUTES);

/** JSON bodies are read here only to find their tenant; larger ones go on unread (the API refuses them). */
const PEEK_BYTES = 64 * 1024;

const tenantStub = (env: Env, tenant: string) => env.Chat.get(env.Chat.idFromName(tenant));
const registryStub = (env: Env) => env.Registry.get(env.Registry.idFromName('installation'));

/** A field of a JSON body as text, or undefined. */
function fieldOf(body: string, field: string): string | undefined {
  try {
    const value: unknown = (JSON.parse(body) as Record<string, unknown> | null)?.[field];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The tenant that owns an API request (undefined: the registry), and the request to hand over (its body read at most once). */
async function ownerOf(request: Request, url: URL): Promise<{ tenant: string | undefined; request: Request }> {
  const found = router.find(request.method, url.pathname);
  if (!found) return { tenant: undefined, request };
  const { route, params } = found;
  let tenant: string | undefined;
  let field: string | undefined;
  switch (route.auth) {
    case 'tenant-key':
      tenant = params.tenant;
      break;
    case 'agent':
    case 'agent-or-customer':
      tenant = claimedTenant(bearerOf(httpRequest(request)));
      break;
    case 'operator-key':
      if (request.method === 'POST') field = 'id';
      break;
    case 'metrics-key':
      tenant = url.searchParams.get('tenant') ?? undefined;
      break;
    case 'public':
    case 'demo':
    case 'test-only':
      tenant = url.searchParams.get('tenant') ?? undefined;
      if (tenant === undefined && request.method === 'POST') field = 'tenant';
      break;
  }
  // The demo's helpers (sign-in picker, the sample CRM's and shop's token signers) act on the demo tenant.
  const fallback = route.auth === 'demo' ? DEMO_TENANT.id : undefined;
  if (field !== undefined && request.body !== null && (request.headers.get('content-type') ?? '').startsWith('application/json')) {
    const body = await request.arrayBuffer();
    if (body.byteLength <= PEEK_BYTES) tenant = fieldOf(new TextDecoder().decode(body), field);
    request = new Request(request, { body });
  }
  tenant ??= fallback;
  return { tenant: tenant !== undefined && TENANT_ID.test(tenant) ? tenant : undefined, request };
}

const SESSION_ID = /^[\w-]{1,64}$/;

/**
 * This host's own reads, for the operator (the `CHAT_OPERATOR_KEY` secret) and the tests:
 * `GET /cloudflare/conversations/<tenant>/<session>` (the conversation object's session row,
 * messages and reports not yet acknowledged by the directory; the read also sends those), `GET /cloudflare/conversations/<tenant>` (the tenant object's sessions with their
 * message ids, to compare) and `GET /cloudflare/outbox/<tenant>` (rows the tenant's object has not
 * yet had acknowledged). With `CHAT_TEST_EVICT=1` (tests only), `POST
 * /cloudflare/conversations/<tenant>/<session>/evict` makes that object forget its memory as an
 * eviction does. Undefined: not such a path.
 */
async function operatorRead(request: Request, url: URL, env: Env): Promise<Response | undefined> {
  const evict = /^\/cloudflare\/conversations\/([^/]+)\/([^/]+)\/evict$/.exec(url.pathname);
  if (evict && env.CHAT_TEST_EVICT === '1' && request.method === 'POST' && operatorKey(env.CHAT_OPERATOR_KEY, bearerOf(httpRequest(request)))) {
    const [, tenant = '', session = ''] = evict;
    if (!TENANT_ID.test(tenant) || !SESSION_ID.test(session)) return plainAnswer(404, 'not found');
    return Response.json(await env.Conversation.get(env.Conversation.idFromName(conversationName(tenant, session))).evict());
  }
  const m = /^\/cloudflare\/(?:conversations\/([^/]+)(?:\/([^/]+))?|outbox\/([^/]+))$/.exec(url.pathname);
  if (!m) return undefined;
  if (request.method !== 'GET') return plainAnswer(405, 'method not allowed');
  if (!operatorKey(env.CHAT_OPERATOR_KEY, bearerOf(httpRequest(request)))) return plainAnswer(401, 'the operator key is required');
  const tenant = m[1] ?? m[3] ?? '';
  if (!TENANT_ID.test(tenant) || (m[2] !== undefined && !SESSION_ID.test(m[2]))) return plainAnswer(404, 'not found');
  if (m[2] !== undefined) return Response.json(await env.Conversation.get(env.Conversation.idFromName(conversationName(tenant, m[2]))).copy());
  if (m[3] !== undefined) return Response.json(await tenantStub(env, tenant).outboxPending());
  return Response.json({ sessions: await tenantStub(env, tenant).conversationIndex() });
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    // The attachment origin serves the bytes of attachments and nothing else.
    if (env.ATTACHMENT_ORIGIN !== undefined && url.origin === new URL(env.ATTACHMENT_ORIGIN).origin) {
      const tenant = /^\/a\/([^/]+)\//.exec(url.pathname)?.[1];
      if (tenant !== undefined && TENANT_ID.test(tenant)) return tenantStub(env, tenant).download(request);
      if (request.method !== 'GET' && request.method !== 'HEAD') return plainAnswer(405, 'method not allowed');
      return plainAnswer(404, 'not found');
    }
    const read = await operatorRead(request, url, env);
    if (read) return read;
    const chat = conversationSocket(url.pathname);
    if (chat !== undefined && request.headers.get('Upgrade')?.toLowerCase() === 'websocket') {
      return env.Conversation.get(env.Conversation.idFromName(conversationName(chat.tenantId, chat.sessionId))).fetch(request);
    }
    const socketOf = socketTenant(url.pathname);
    if (socketOf !== undefined && request.headers.get('Upgrade')?.toLowerCase() === 'websocket') return tenantStub(env, socketOf).fetch(request);
    const owner = await ownerOf(request, url);
    if (owner.tenant !== undefined) return tenantStub(env, owner.tenant).api(owner.request);
    return registryStub(env).api(owner.request);
  },
} satisfies ExportedHandler<Env>;
