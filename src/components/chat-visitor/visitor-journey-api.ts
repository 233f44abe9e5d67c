/** The journey's HTTP calls to the chat server (JSON; errors as `VisitorApiError` with the fields in error). */
import { VisitorApiError } from '../../state/visitor-http.js';

export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const PHONE = /^[+()\d\s./-]{3,}$/;

export async function call<T>(url: string, init: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new VisitorApiError(0, 'offline', 'the chat server could not be reached');
  }
  const body = (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string; fields?: Record<string, string> } } | undefined;
  if (!res.ok) throw Object.assign(new VisitorApiError(res.status, body?.error?.code ?? 'internal', body?.error?.message ?? `HTTP ${String(res.status)}`), { fields: body?.error?.fields ?? {} });
  return body as T;
}

export const post = <T>(url: string, json: unknown, token?: string) =>
  call<T>(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(json) });
