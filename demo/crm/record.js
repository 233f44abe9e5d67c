// What the sample CRM's record pages (contact.html, request.html) share: text-only DOM helpers
// (everything from the server is written with textContent, never as HTML), dates, the status
// line, and reading /api/crm with the agent's sign-in of the CRM page (sessionStorage).
/* global document, location */

const STORAGE_KEY = 'nordlys-crm.agent';

export const $ = (id) => document.getElementById(id);

/** A text element (never HTML). */
export function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

export const date = (at) => new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'short', day: 'numeric' }).format(at);

/** Shows `text` in the page's status line (role=alert). */
export function showError(text) {
  $('status').textContent = text;
  $('status').hidden = false;
}

/** Label/value rows into a <dl> (rows without a value are left out). */
export function facts(target, rows) {
  target.replaceChildren(...rows.filter(([, value]) => value).flatMap(([label, value]) => [el('dt', label), el('dd', value)]));
}

/** The record id of the page (`?id=`). */
export const recordId = () => new URLSearchParams(location.search).get('id') ?? '';

/**
 * `get(path)` for /api/crm with the signed-in agent's token, or undefined (and the status line
 * says so) when nobody is signed in on the CRM page of this browser tab.
 */
export function crmApi() {
  let token;
  try {
    token = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null')?.token;
  } catch {
    token = undefined;
  }
  if (!token) {
    showError('Sign in on the CRM page first (this page uses the chat agent\u2019s sign-in).');
    return undefined;
  }
  return async (path) => {
    const res = await fetch(`/api/crm${path}`, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
    const body = await res.json().catch(() => undefined);
    if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
    return body;
  };
}
