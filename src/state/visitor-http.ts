/**
 * The customer widget's HTTP side in the state layer: the public channel list, starting a chat,
 * connect tickets, and the saved session of the tab (sessionStorage). Kept free of the client core
 * (create-chat-client.ts and its slices) so that the widget's first chunk stays small; the socket
 * client is loaded when a chat starts. The agent console's HTTP calls are agent-tools.ts.
 */

import type { PublicChannelView } from '../protocol/channel-settings.js';

/** A chat topic the customer can pick, with its journey settings in the widget's language when the server gives them. */
export type VisitorChannel = Pick<PublicChannelView, 'id' | 'name'> & Partial<Omit<PublicChannelView, 'id' | 'name'>>;

/** The customer's credentials for one chat: its session id and access token. */
export interface VisitorSession {
  sessionId: string;
  token: string;
}

/** A failed HTTP call: `status` is the HTTP status (0 when the server was not reached). */
export class VisitorApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'VisitorApiError';
  }
}

/** `https://chat.example.com/` → `https://chat.example.com`; empty → the page's origin. */
export function normalizeServerUrl(url: string | null | undefined): string {
  const raw = (url ?? '').trim();
  const base = raw === '' ? location.origin : raw;
  return base.replace(/\/+$/, '');
}

async function request<T>(url: string, init: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new VisitorApiError(0, 'offline', 'the chat server could not be reached');
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    const code = typeof error?.code === 'string' ? error.code : 'internal';
    const message = typeof error?.message === 'string' ? error.message : `HTTP ${String(res.status)}`;
    throw new VisitorApiError(res.status, code, message);
  }
  return body as T;
}

/** The tenant's public chat channels, their texts in `lang` (with the server's fallback). */
export async function fetchChannels(server: string, tenant: string, lang?: string): Promise<VisitorChannel[]> {
  const q = `tenant=${encodeURIComponent(tenant)}${lang ? `&lang=${encodeURIComponent(lang)}` : ''}`;
  const body = await request<{ channels?: unknown }>(`${server}/api/channels?${q}`, { method: 'GET' });
  if (!Array.isArray(body.channels)) return [];
  return body.channels.filter(
    (c): c is VisitorChannel => typeof c === 'object' && c !== null && typeof (c as VisitorChannel).id === 'string' && typeof (c as VisitorChannel).name === 'string',
  );
}

/** Starts a chat; resolves with the new session's id and the customer's access token. */
export async function startChat(
  server: string,
  input: { tenant: string; channelId: string; name?: string; email?: string; identityToken?: string } & Record<string, unknown>,
): Promise<VisitorSession> {
  const body = await request<{ sessionId?: unknown; token?: unknown }>(`${server}/api/chats`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  if (typeof body.sessionId !== 'string' || typeof body.token !== 'string') {
    throw new VisitorApiError(500, 'internal', 'unexpected answer from the chat server');
  }
  return { sessionId: body.sessionId, token: body.token };
}

/**
 * A ticket provider for the client core: a fresh single-use ticket per (re)connect. A refused
 * token (401/403) rejects with an error carrying `status`, which stops the client
 * (`auth-required`); anything else is a plain error and is retried with backoff.
 */
export function ticketProvider(server: string, token: string): () => Promise<string> {
  return async () => {
    const res = await fetch(`${server}/api/tickets`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      credentials: 'omit',
      cache: 'no-store',
    });
    if (res.status === 401 || res.status === 403) {
      throw Object.assign(new Error(`the ticket request was refused (HTTP ${String(res.status)})`), { status: res.status });
    }
    if (!res.ok) throw new Error(`the ticket request failed (HTTP ${String(res.status)})`);
    const body = (await res.json()) as { ticket?: unknown };
    if (typeof body.ticket !== 'string') throw new Error('the ticket answer had no ticket');
    return body.ticket;
  };
}

/** sessionStorage key of the chat in progress for one server and tenant. */
export function storageKey(server: string, tenant: string): string {
  return `crm-chat-visitor|${server}|${tenant}`;
}

/** The saved chat of this tab, if any (storage may be unavailable: sandboxed frames, privacy modes). */
export function loadSession(key: string): VisitorSession | undefined {
  try {
    const raw = sessionStorage.getItem(key);
    if (!raw) return undefined;
    const value = JSON.parse(raw) as Partial<VisitorSession> | null;
    if (typeof value?.sessionId === 'string' && typeof value.token === 'string') return { sessionId: value.sessionId, token: value.token };
  } catch {
    // unreadable: treat as none
  }
  return undefined;
}

export function saveSession(key: string, session: VisitorSession): void {
  try {
    sessionStorage.setItem(key, JSON.stringify(session));
  } catch {
    // storage full or blocked: the chat works, it just does not survive a reload
  }
}

export function clearSession(key: string): void {
  try {
    sessionStorage.removeItem(key);
  } catch {
    // nothing to clear
  }
}
