/**
 * The HTTP API of both hosts: the route type, who may call a route (`auth`), matching, the
 * `/api/` prologue (origin allowlist, CORS, no-store), and the one error format
 * `{error: {code, message, fields?, limit?, reason?}}`.
 *
 * Every endpoint is one line of the table in `routes/index.ts`:
 *
 *   route({ method: 'POST', path: '/api/tickets', auth: 'agent-or-customer', handler: ticket })
 *
 * The router resolves `auth` before the handler runs, so a handler receives what its level
 * guarantees (an agent's principal, a verified API key) and never repeats the check.
 *
 * Host-independent: a host hands {@link serve} an {@link HttpRequest} (Node: from its
 * `IncomingMessage`; Cloudflare: from the Fetch `Request`) and writes the Fetch `Response` it
 * gets back. What differs between hosts is behind {@link App}.
 */
import type { LimitName } from '../../../src/protocol/limits.js';
import type { AttachmentApi } from '../attachment-service.js';
import type { Principal, TokenService } from '../auth.js';
import type { Clock } from '../clock.js';
import type { AgentSignIn } from '../identity/agent-sign-in.js';
import { SignInError } from '../identity/agent-sign-in.js';
import type { ApiKeyPrincipal, Provisioning } from '../provisioning/index.js';
import { ProvisioningError } from '../provisioning/index.js';
import type { ChatRoom, RoomLogger } from '../room/index.js';
import { Refusal } from '../room/index.js';
import type { SqlPort } from '../sql.js';
import type { Mailer } from '../journey/transcript.js';

/**
 * Who may call a route:
 * - `public`: anyone (customer widgets on company sites, probes).
 * - `demo`: anyone, and only when the server runs with `--demo` (else 404): the demo CRM's and demo
 *   shop's token signers, and the sign-in helper of tests and benchmarks.
 * - `test-only`: only when the server runs with a test clock (else 404).
 * - `agent-or-customer`: a valid access token (`Authorization: Bearer a.…`) of either role.
 * - `agent`: a valid agent access token (a customer's gets 403).
 * - `tenant-key`: a provisioning API key (`Authorization: Bearer ccp_…`) of the tenant named by
 *   the path's `:tenant`, or an operator key (any tenant); another tenant's key gets 403.
 * - `operator-key`: an operator (installation-wide) API key; a tenant key gets 403.
 * - `metrics-key`: the server's `--metrics-key` as `Authorization: Bearer …` (404 when none is set).
 */
export type Auth = 'public' | 'demo' | 'test-only' | 'agent-or-customer' | 'agent' | 'tenant-key' | 'operator-key' | 'metrics-key';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What each auth level hands to the handler. */
interface Granted {
  public: object;
  demo: object;
  'test-only': object;
  'agent-or-customer': { principal: Principal };
  agent: { principal: Principal };
  'tenant-key': { key: ApiKeyPrincipal; tenantId: string };
  'operator-key': { key: ApiKeyPrincipal };
  'metrics-key': object;
}

/** The server-wide parts a handler may use (each host builds one). */
export interface App {
  readonly options: AppOptions;
  /** The database the API reads: the installation's (Node) or the tenant object's (Cloudflare). */
  readonly db: SqlPort;
  readonly clock: Clock;
  readonly tokens: TokenService;
  readonly log: RoomLogger;
  readonly provisioning: Provisioning;
  /** Agent sign-in with a CRM-signed JWT (`POST /api/auth/jwt`). */
  readonly signIn: AgentSignIn;
  /** Uploads, signed download URLs and limits (the bytes live in the host's file storage). */
  readonly attachments: AttachmentApi;
  /** The room of a tenant, started on first use; undefined for an unknown tenant. */
  room(tenantId: string): ChatRoom | undefined;
  /** The rooms started so far. */
  readonly rooms: ReadonlyMap<string, ChatRoom>;
  /** Whether an `Origin` may call the API or open sockets (the server's own, configured, the tenant's). */
  originAllowed(origin: string | undefined, tenantId?: string): boolean;
  /** Counts a chat start in a tenant from a client address; false once over the tenant's per-minute budget. */
  allowStart(tenantId: string, address: string): boolean;
  /** Base URL of this server for links to its own pages (no trailing slash). */
  publicBase(): string;
  /**
   * The caller of a provisioning route: a stored API key of this database, or (a host's own
   * source) an operator key from its configuration. Undefined: unknown, revoked or expired.
   */
  apiKey(presented: string): Promise<ApiKeyPrincipal | undefined>;
  /** The demo pages and bundles (`/demo/…`, `/dist/…`): from the static root (Node) or the assets (Cloudflare). */
  staticFile(request: HttpRequest): Promise<Response> | Response;
  /** Whether a client address may try an agent sign-in (false once it had too many refused this minute); absent: no limit. */
  signInAllowed?(address: string): boolean;
  /** Counts a refused agent sign-in of a client address. */
  signInRefused?(address: string): void;
  /** `/ready`: whether this host can take traffic (absent: ready whenever it answers). */
  ready?(): { ready: boolean; reason?: string };
  /** `/metrics`: the Prometheus text of this host (absent: no metrics, 404). */
  metrics?(): string;
  /** Outgoing mail (transcripts), when configured (`--smtp-url`). */
  readonly mailer?: Mailer;
  /**
   * Demo only (`--demo --demo-superoffice`, Node host): the SuperOffice stand-in (local, not
   * SuperOffice) and the OAuth client this server holds for it, so the sample CRM page's adapter
   * gets access tokens from "its backend" (`/api/demo/superoffice…`) and never a refresh token.
   */
  readonly superOffice?: {
    readonly name: string;
    /** The WebAPI base the adapter calls (`{origin}/Cust12345`). */
    readonly webApiUrl: string;
    /** The stand-in's origin (the demo pages' `connect-src` allows it). */
    readonly origin: string;
    /** An access token; `fresh`: after the API answered 401. */
    accessToken(fresh: boolean): Promise<string>;
  };
}

/** The options the handlers read. */
export interface AppOptions {
  demo?: boolean | undefined;
  testClock?: (Clock & { advance(ms: number): void }) | undefined;
  /** The key `GET /metrics` needs (`--metrics-key`); unset: /metrics answers 404. */
  metricsKey?: string | undefined;
}

/** One HTTP request as a host hands it over. */
export interface HttpRequest {
  /** The request's id (`X-Request-Id`), when the host gives one: on its log lines. */
  readonly id?: string;
  readonly method: string;
  /** The request target (path and query; the origin is the host's own or a placeholder). */
  readonly url: URL;
  /** A request header by its lower-case name. */
  header(name: string): string | undefined;
  /** The client's address (per-address budgets). */
  readonly remoteAddress: string;
  /**
   * The body, chunk by chunk as it arrives; read it at most once. Stopping early leaves the rest
   * unread (the host discards it); a client that goes away makes the iteration throw {@link ClientGone}.
   */
  body(): AsyncIterable<Uint8Array>;
}

/** The client went away while its request body was being read: nobody is left to answer. */
export class ClientGone extends Error {
  override readonly name = 'ClientGone';
}

export interface Context {
  readonly app: App;
  readonly request: HttpRequest;
  readonly method: string;
  readonly url: URL;
  /** Decoded `:name` segments of the route's path. */
  readonly params: Readonly<Record<string, string>>;
  /** The JSON object body (415 without `Content-Type: application/json`, 413 over `limit` bytes). */
  body(limit?: number): Promise<Record<string, unknown>>;
  /** Answers with JSON. */
  json(status: number, body: unknown): void;
  /** Answers with a ready response (files, redirects). */
  respond(response: Response): void;
}

export type Handler<A extends Auth> = (ctx: Context & Granted[A]) => Promise<void> | void;

export interface Route<A extends Auth = Auth> {
  /** One method, or several (`['GET', 'HEAD']`). */
  method: Method | readonly Method[];
  /** `/api/tickets`, `/api/replies/:id`, `/api/crm/*` (`*` last: the rest of the path, maybe empty). */
  path: string;
  auth: A;
  handler: Handler<A>;
}

/** One line of the route table, typed so that the handler gets what `auth` grants. */
export function route<A extends Auth>(r: Route<A>): Route {
  return r as unknown as Route;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Per-field messages of a validation error (`{name: 'required text'}`). */
    readonly fields?: Readonly<Record<string, string>>,
    /** The limit a refusal is about (as in the socket's `error.limit`). */
    readonly limit?: LimitName,
    /** A stable, more precise reason than `code` (a refused sign-in: `token_expired`; a refused upload: `too_large`, …). */
    readonly reason?: string,
  ) {
    super(message);
  }
}

const STATUS_OF: Record<string, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
};

const CODE_OF_STATUS = { 401: 'unauthenticated', 403: 'forbidden', 503: 'unavailable' } as const;

/** Request bodies larger than this are refused with 413 unless a route reads a larger one. */
export const MAX_BODY_BYTES = 16 * 1024;

// ---- matching ----------------------------------------------------------------------------------

interface Compiled {
  route: Route;
  methods: readonly Method[];
  pattern: RegExp;
  names: string[];
}

function compile(r: Route): Compiled {
  const names: string[] = [];
  const parts = r.path.split('/').map((segment, i, all) => {
    if (segment === '*' && i === all.length - 1) return '(?<rest>.*)';
    if (segment.startsWith(':')) {
      names.push(segment.slice(1));
      return '([^/]+)';
    }
    return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  return { route: r, methods: typeof r.method === 'string' ? [r.method] : r.method, pattern: new RegExp(`^${parts.join('/')}$`), names };
}

/** The table, compiled once: `find(method, path)` returns the first route that matches both. */
export class Router {
  private readonly compiled: Compiled[];

  constructor(routes: readonly Route[]) {
    this.compiled = routes.map(compile);
  }

  find(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const c of this.compiled) {
      if (!c.methods.includes(method as Method)) continue;
      const m = c.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      for (const [i, name] of c.names.entries()) {
        try {
          params[name] = decodeURIComponent(m[i + 1] ?? '');
        } catch {
          return undefined;
        }
      }
      return { route: c.route, params };
    }
    return undefined;
  }

  /** Every route, for listings and tests. */
  get routes(): readonly Route[] {
    return this.compiled.map((c) => c.route);
  }
}

// ---- dispatch ----------------------------------------------------------------------------------

/** The error as the API answers it (refusals of the room and of provisioning keep their codes). */
export function asHttpError(error: unknown): HttpError {
  return error instanceof HttpError
    ? error
    : error instanceof Refusal
      ? new HttpError(STATUS_OF[error.code] ?? 400, error.code, error.message)
      : error instanceof ProvisioningError
        ? new HttpError(STATUS_OF[error.code] ?? 400, error.code, error.message, error.fields)
        : error instanceof SignInError
          ? new HttpError(error.status, CODE_OF_STATUS[error.status], error.message, undefined, undefined, error.reason)
          : new HttpError(500, 'internal', 'internal error');
}

/** A JSON answer with the API's headers. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'X-Content-Type-Options': 'nosniff', ...headers },
  });
}

/** The API's error answer `{error: {code, message, reason?, fields?, limit?}}`. */
export function errorResponse(e: HttpError, headers: Record<string, string> = {}): Response {
  const error = {
    code: e.code,
    message: e.message,
    ...(e.reason !== undefined ? { reason: e.reason } : {}),
    ...(e.fields ? { fields: e.fields } : {}),
    ...(e.limit !== undefined ? { limit: e.limit } : {}),
  };
  return jsonResponse(e.status, { error }, headers);
}

/**
 * Handles one HTTP request of the API; every failure becomes the JSON error answer. A client that
 * went away mid-body gets a 400 nobody reads, and no warning in the log.
 */
export async function serve(app: App, router: Router, request: HttpRequest): Promise<Response> {
  const extra: Record<string, string> = {};
  try {
    return withHeaders(await dispatch(app, router, request, extra), extra);
  } catch (error) {
    if (error instanceof ClientGone) return errorResponse(new HttpError(400, 'invalid', 'the client went away'), extra);
    const e = asHttpError(error);
    if (e.status === 500) app.log.warn('http.failed', { ...(request.id !== undefined ? { reqId: request.id } : {}), path: request.url.pathname, error: error instanceof Error ? error.name : 'unknown', message: error instanceof Error ? error.message.slice(0, 300) : String(error) });
    return errorResponse(e, extra);
  }
}

/** The response with the prologue's headers added (a copy: fetched responses are immutable). */
function withHeaders(response: Response, extra: Record<string, string>): Response {
  const names = Object.keys(extra);
  if (names.length === 0) return response;
  const copy = new Response(response.body, response);
  for (const name of names) copy.headers.set(name, extra[name] ?? '');
  return copy;
}

async function dispatch(app: App, router: Router, request: HttpRequest, extra: Record<string, string>): Promise<Response> {
  const { method, url } = request;
  const path = url.pathname;
  const api = path.startsWith('/api/');
  if (api) {
    const preflight = apiPrologue(app, request, extra);
    if (preflight) return preflight;
  }
  const found = router.find(method, path);
  if (!found) {
    if (api) throw new HttpError(404, 'not_found', `no route ${method} ${path}`);
    if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'invalid', 'method not allowed');
    throw new HttpError(404, 'not_found', 'not found');
  }
  let answer: Response | undefined;
  const ctx: Context = {
    app,
    request,
    method,
    url,
    params: found.params,
    body: (limit = MAX_BODY_BYTES) => readJson(request, limit),
    json: (status, body) => {
      answer = jsonResponse(status, body);
    },
    respond: (response) => {
      answer = response;
    },
  };
  const granted = await authorize(app, found.route.auth, ctx, `${method} ${path}`);
  await found.route.handler({ ...ctx, ...granted });
  if (!answer) throw new Error(`${method} ${path} did not answer`);
  return answer;
}

/**
 * `/api/…`: cross-origin callers (customer widgets on company sites, CRM pages) must be
 * allowlisted; answers CORS preflights (returned), and adds the CORS and no-store headers to
 * every other answer (`extra`).
 */
function apiPrologue(app: App, request: HttpRequest, extra: Record<string, string>): Response | undefined {
  const origin = request.header('origin');
  const tenantHint = request.url.searchParams.get('tenant') ?? undefined;
  if (origin !== undefined && !app.originAllowed(origin, tenantHint)) throw new HttpError(403, 'forbidden', 'origin not allowed');
  if (origin !== undefined) {
    extra['Access-Control-Allow-Origin'] = origin;
    extra.Vary = 'Origin';
    extra['Access-Control-Allow-Headers'] = 'Authorization, Content-Type, X-File-Name, X-Request-Id';
    extra['Access-Control-Expose-Headers'] = 'X-Request-Id';
    extra['Access-Control-Allow-Methods'] = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
    extra['Access-Control-Max-Age'] = '600';
  }
  extra['Cache-Control'] = 'no-store';
  return request.method === 'OPTIONS' ? new Response(null, { status: 204 }) : undefined;
}

/** The bearer credential of a request (`Authorization: Bearer …`), or ''. */
export function bearerOf(request: HttpRequest): string {
  const header = request.header('authorization') ?? '';
  return header.startsWith('Bearer ') ? header.slice(7).trim() : '';
}

async function authorize(app: App, auth: Auth, ctx: Context, route: string): Promise<object> {
  switch (auth) {
    case 'public':
      return {};
    case 'demo':
      if (!app.options.demo) throw new HttpError(404, 'not_found', 'demo routes are off (start the server with --demo)');
      return {};
    case 'test-only':
      if (!app.options.testClock) throw new HttpError(404, 'not_found', `no route ${route}`);
      return {};
    case 'agent-or-customer':
    case 'agent': {
      const token = bearerOf(ctx.request);
      const principal = token ? await app.tokens.verifyAccess(token) : undefined;
      if (!principal) throw new HttpError(401, 'unauthenticated', 'missing, expired or revoked access token');
      if (auth === 'agent' && principal.role !== 'agent') throw new HttpError(403, 'forbidden', 'agents only');
      return { principal };
    }
    case 'metrics-key': {
      const expected = app.options.metricsKey;
      if (expected === undefined || !app.metrics) throw new HttpError(404, 'not_found', 'metrics are off (start the server with --metrics-key)');
      if (!(await sameSecret(bearerOf(ctx.request), expected))) throw new HttpError(401, 'unauthenticated', 'missing or wrong metrics key (Authorization: Bearer <--metrics-key>)');
      return {};
    }
    case 'tenant-key':
    case 'operator-key': {
      const key = await app.apiKey(bearerOf(ctx.request));
      if (!key) throw new HttpError(401, 'unauthenticated', 'missing, unknown, revoked or expired API key (Authorization: Bearer ccp_…)');
      if (auth === 'operator-key') {
        if (key.tenantId !== null) throw new HttpError(403, 'forbidden', 'this needs an operator key: a tenant key manages its own tenant only');
        return { key };
      }
      const tenantId = ctx.params.tenant ?? '';
      if (key.tenantId !== null && key.tenantId !== tenantId) throw new HttpError(403, 'forbidden', 'this API key is for another tenant');
      return { key, tenantId };
    }
  }
}

// ---- small helpers -----------------------------------------------------------------------------

/** Whether two secrets are equal, in time that does not depend on where they differ (their SHA-256 are compared). */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const digest = async (text: string) => new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** The room of a tenant, or 404 `unknown tenant`. */
export function roomOf(app: App, tenantId: string): ChatRoom {
  const r = app.room(tenantId);
  if (!r) throw new HttpError(404, 'not_found', 'unknown tenant');
  return r;
}

/** The request target as a URL, or undefined when it cannot be parsed (never throws). */
export function parseRequestUrl(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? '/', 'http://host');
  } catch {
    return undefined;
  }
}

/** The whole body, refused with 413 past `limit` bytes. */
export async function readBytes(request: HttpRequest, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body()) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, 'invalid', `body larger than ${String(limit)} bytes`);
    chunks.push(chunk);
  }
  return concatBytes(chunks, size);
}

/** The chunks as one array (`size`: their total length). */
export function concatBytes(chunks: readonly Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return all;
}

export async function readJson(request: HttpRequest, limit = MAX_BODY_BYTES): Promise<Record<string, unknown>> {
  const type = request.header('content-type') ?? '';
  if (!type.startsWith('application/json')) throw new HttpError(415, 'invalid', 'send JSON (Content-Type: application/json)');
  const text = new TextDecoder().decode(await readBytes(request, limit));
  let data: unknown;
  try {
    data = JSON.parse(text, (key, value: unknown) => {
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') throw new HttpError(400, 'invalid', `forbidden key "${key}"`);
      return value;
    });
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, 'invalid', 'body is not valid JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new HttpError(400, 'invalid', 'body must be a JSON object');
  return data as Record<string, unknown>;
}

/** A required text field of a request (1–200 characters). */
export function str(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '' || value.length > 200) throw new HttpError(400, 'invalid', `${field}: required text`);
  return value;
}

/** An optional text field of a request. */
export function optStr(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new HttpError(400, 'invalid', `${field}: must be text`);
  return value;
}
