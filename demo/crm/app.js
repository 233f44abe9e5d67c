// Nordlys CRM demo: signs a demo agent in with a CRM-signed JWT (POST /api/auth/jwt), gives
// <chat-window> a ticket provider, signs out and switches the language. Plain JavaScript against
// the CDN bundle; no inline handlers (CSP-friendly).
//
// The CRM behind the console's contact panel: this sample CRM through the reference REST provider,
// or (`?crm=superoffice`, the "CRM behind the chat" menu) the SuperOffice adapter against the
// local SuperOffice stand-in that `npm start` runs (`--demo-superoffice`; not SuperOffice itself).
/* global document, location, customElements */
import { clearContactPanelStorage, createRestCrmProvider, getChatLocale, setChatLocale } from '/dist/cdn/chat.js';
import { fillLanguageMenu } from '/demo/crm/languages.js';

const TENANT = 'demo';
const STORAGE_KEY = 'nordlys-crm.agent';

const $ = (id) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`demo: #${id} is missing`);
  return el;
};

const signInForm = $('sign-in');
const agentsBox = $('agents');
const signInError = $('sign-in-error');
const signInButton = $('sign-in-button');
const consoleBox = $('console');
const userBox = $('user');
const userName = $('user-name');
const userInitials = $('user-initials');
const signOutButton = $('sign-out');
const languageSelect = $('language');
fillLanguageMenu(languageSelect);
const crmSelect = $('crm');
const crmNote = $('crm-note');

/** Which CRM the contact panel works on: `nordlys` (this sample CRM) or `superoffice` (the adapter, against the stand-in). */
const CRM = new URLSearchParams(location.search).get('crm') === 'superoffice' ? 'superoffice' : 'nordlys';
crmSelect.value = CRM;
crmSelect.addEventListener('change', () => {
  const url = new URL(location.href);
  if (crmSelect.value === 'superoffice') url.searchParams.set('crm', 'superoffice');
  else url.searchParams.delete('crm');
  location.assign(url.href);
});

/** The signed-in agent: `{agentId, name, token}`. The access token lives here (and in sessionStorage for reloads). */
let current;

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
  }
}

async function api(path, { method = 'GET', body, token } = {}) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  let data;
  try {
    data = await res.json();
  } catch {
    data = undefined;
  }
  if (!res.ok) throw new HttpError(res.status, data?.error?.message ?? `HTTP ${res.status}`);
  return data;
}

function initials(name) {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((p) => p[0])
    .join('')
    .toUpperCase();
}

function showError(text) {
  signInError.textContent = text;
  signInError.hidden = !text;
}

// ---- sign-in ------------------------------------------------------------------------------------

async function loadAgents() {
  try {
    const { agents } = await api(`/api/demo/agents?tenant=${encodeURIComponent(TENANT)}`);
    const items = agents.map((agent, i) => {
      const label = document.createElement('label');
      label.className = 'agent-option';
      const input = document.createElement('input');
      input.type = 'radio';
      input.name = 'agent';
      input.value = agent.id;
      input.checked = i === 0;
      input.dataset.name = agent.name;
      const text = document.createElement('span');
      text.className = 'agent-text';
      const name = document.createElement('span');
      name.className = 'agent-name';
      name.textContent = agent.name;
      const meta = document.createElement('span');
      meta.className = 'agent-meta';
      meta.textContent = `${agent.channels.join(', ')}${agent.supervisor ? ' · supervisor' : ''}`;
      text.append(name, meta);
      label.append(input, text);
      return label;
    });
    agentsBox.replaceChildren(...items);
  } catch (error) {
    const p = document.createElement('p');
    p.className = 'form-error';
    p.textContent = `The agents could not be loaded (${error.message}). Is the server running with --demo?`;
    agentsBox.replaceChildren(p);
  }
}

async function signIn(event) {
  event.preventDefault();
  const choice = signInForm.querySelector('input[name=agent]:checked');
  if (!choice) {
    showError('Pick an agent first.');
    return;
  }
  showError('');
  signInButton.disabled = true;
  try {
    // 1. The CRM's backend signs a short-lived JWT naming the signed-in user. (This sample CRM has
    //    no users of its own, so a demo route of the chat server plays its backend; a real CRM signs
    //    on its own server with the secret it configured: docs/integration.md.)
    const { token: jwt } = await api('/api/demo/crm-token', { method: 'POST', body: { agentId: choice.value } });
    // 2. The JWT is exchanged for the chat server's access token, as every integration does.
    const { token, agent } = await api(`/api/auth/jwt?tenant=${encodeURIComponent(TENANT)}`, { method: 'POST', body: { tenant: TENANT, token: jwt } });
    current = { agentId: agent.id, name: agent.name, token };
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(current));
    showConsole();
    // The form that had focus is gone: focus goes to the chat panel (not to <body>).
    chatPanel.focus();
  } catch (error) {
    showError(`Sign-in failed: ${error.message}`);
  } finally {
    signInButton.disabled = false;
  }
}

/** The window's ticket provider: a fresh single-use ticket for every (re)connect. */
async function getToken() {
  if (!current) throw Object.assign(new Error('signed out'), { status: 401 });
  const { ticket } = await api('/api/tickets', { method: 'POST', token: current.token });
  return ticket;
}

// ---- the console -------------------------------------------------------------------------------

let stopWatching;

function showConsole() {
  signInForm.hidden = true;
  userBox.hidden = false;
  userName.textContent = current.name;
  userInitials.textContent = initials(current.name);
  const win = document.createElement('chat-window');
  win.setAttribute('server-url', location.origin);
  win.setAttribute('tenant', TENANT);
  win.getToken = getToken;
  // The access token for the console's HTTP calls (files, reply library) and the CRM panel.
  const accessToken = () => current?.token ?? Promise.reject(Object.assign(new Error('signed out'), { status: 401 }));
  win.getAccessToken = accessToken;
  // The CRM contact panel (right column): the reference REST provider over this sample CRM.
  const rest = createRestCrmProvider({ url: location.origin, getAccessToken: accessToken });
  if (CRM === 'superoffice') {
    void useSuperOffice(win, rest);
  } else {
    win.crmProvider = rest;
    // "Open in CRM": this sample CRM's contact page, in a new tab so the chat stays open.
    win.addEventListener('chat-contact-open', (e) => {
      e.preventDefault();
      // Same origin, no noopener: the new tab gets a copy of this tab's sign-in (sessionStorage).
      globalThis.open(`/demo/contact.html?id=${encodeURIComponent(e.detail.contactId)}`, '_blank');
    });
    // A request number in the conversation header: this sample CRM's request page, in a new tab.
    win.addEventListener('chat-request-open', (e) => {
      e.preventDefault();
      globalThis.open(`/demo/request.html?id=${encodeURIComponent(e.detail.requestId)}`, '_blank');
    });
  }
  consoleBox.replaceChildren(win);
  // The access token expired or was revoked elsewhere: back to the sign-in form.
  void customElements
    .whenDefined('chat-window')
    .then(() => win.updateComplete)
    .then(() => {
      const client = win.client;
      if (!client || !win.isConnected) return;
      stopWatching = client.$connection.listen((state) => {
        if (state.status === 'auth-required') void signOut({ expired: true });
      });
    });
}

// ---- the SuperOffice adapter (?crm=superoffice) --------------------------------------------------

const LINKS_KEY = 'nordlys-crm.superoffice-links';

/** The adapter's links from chats to SuperOffice persons, kept in sessionStorage so a reload keeps them. */
class StoredLinks extends Map {
  constructor() {
    super();
    try {
      for (const link of JSON.parse(sessionStorage.getItem(LINKS_KEY) ?? '[]')) super.set(link.sessionId, link);
    } catch {
      // Nothing stored yet.
    }
  }
  set(key, value) {
    super.set(key, value);
    sessionStorage.setItem(LINKS_KEY, JSON.stringify([...this.values()]));
    return this;
  }
}

/**
 * Puts the SuperOffice adapter behind the console: its code (the npm package's
 * `crm-chat-elements/superoffice.js`, here straight from dist/), the stand-in's WebAPI address, and
 * access tokens from "the backend" (this demo server holds the OAuth client; the page never sees
 * a refresh token). The chat server still says who may read a chat and gives the transcripts.
 */
async function useSuperOffice(win, rest) {
  let config;
  let adapter;
  try {
    [config, adapter] = await Promise.all([api('/api/demo/superoffice'), import('/dist/crm/superoffice/index.js')]);
  } catch (error) {
    crmNote.textContent = `The SuperOffice stand-in is not running (${error.message}): start the demo with npm start (or --demo --demo-superoffice), or pick Nordlys CRM.`;
    return;
  }
  let token;
  const fetchToken = (fresh) => {
    token = api('/api/demo/superoffice/token', { method: 'POST', body: { fresh }, token: current?.token }).then(({ accessToken }) => accessToken);
    token.catch(() => {
      token = undefined;
    });
    return token;
  };
  const provider = adapter.createSuperOfficeCrmProvider({
    webApiUrl: config.webApiUrl,
    auth: { accessToken: () => token ?? fetchToken(false), refresh: () => fetchToken(true) },
    chat: rest,
    links: new StoredLinks(),
  });
  win.crmProvider = provider;
  crmNote.textContent = `Contact panel: the SuperOffice adapter on the ${config.name}.`;
  // A linked chat that the agent ends is stored in SuperOffice as a completed appointment.
  win.addEventListener('chat-session-end', (e) => {
    const sessionId = e.detail.sessionId;
    provider.saveChatActivity(sessionId).catch((error) => {
      if (error?.code !== 'not_found') crmNote.textContent = `The chat could not be stored in SuperOffice: ${error.message}`;
    });
  });
  // The stand-in has no pages of its own: say what SuperOffice would open.
  win.addEventListener('chat-contact-open', (e) => {
    e.preventDefault();
    crmNote.textContent = `In SuperOffice, "Open in CRM" opens person ${e.detail.contactId}; the stand-in has no pages.`;
  });
  win.addEventListener('chat-request-open', (e) => {
    e.preventDefault();
    crmNote.textContent = `In SuperOffice, this opens request ${e.detail.number ?? e.detail.requestId}; the stand-in has no pages.`;
  });
}

function showSignIn(message = '') {
  stopWatching?.();
  stopWatching = undefined;
  consoleBox.replaceChildren();
  userBox.hidden = true;
  signInForm.hidden = false;
  showError(message);
  if (agentsBox.querySelector('input') === null) void loadAgents();
}

async function signOut({ expired = false } = {}) {
  const win = consoleBox.querySelector('chat-window');
  const token = current?.token;
  current = undefined;
  sessionStorage.removeItem(STORAGE_KEY);
  sessionStorage.removeItem(LINKS_KEY);
  clearContactPanelStorage(); // recent and favourite contacts of the contact panel
  try {
    // Deletes unsent messages and cached chats of this agent on this device.
    await win?.client?.logout();
  } catch {
    // Nothing cached to clear.
  }
  if (token && !expired) {
    try {
      await api('/api/logout', { method: 'POST', token });
    } catch {
      // Already signed out on the server.
    }
  }
  showSignIn(expired ? 'Your session has ended. Sign in again.' : '');
  signInButton.focus();
}

// ---- language ------------------------------------------------------------------------------------

async function applyLanguage(locale) {
  // The chat speaks the chosen language (each chat element marks itself with its `lang`); the rest
  // of this sample page stays in English.
  await setChatLocale(locale);
  languageSelect.value = getChatLocale();
  sessionStorage.setItem('nordlys-crm.lang', getChatLocale());
}

// ---- theme ---------------------------------------------------------------------------------------

const chatPanel = $('chat');
const themeSelect = $('theme');

/** The chat panel in the light or the dark theme (themes/dark.css applies to a container). */
function applyTheme(theme) {
  chatPanel.classList.toggle('chat-theme-dark', theme === 'dark');
  themeSelect.value = theme;
  sessionStorage.setItem('nordlys-crm.theme', theme);
}

// ---- start -----------------------------------------------------------------------------------------

signInForm.addEventListener('submit', (e) => void signIn(e));
signOutButton.addEventListener('click', () => void signOut());
languageSelect.addEventListener('change', () => void applyLanguage(languageSelect.value));
themeSelect.addEventListener('change', () => applyTheme(themeSelect.value));
applyTheme(sessionStorage.getItem('nordlys-crm.theme') === 'dark' ? 'dark' : 'light');

void applyLanguage(sessionStorage.getItem('nordlys-crm.lang') ?? 'en');

try {
  const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');
  if (saved && typeof saved.token === 'string' && typeof saved.name === 'string') current = saved;
} catch {
  current = undefined;
}
if (current) showConsole();
else showSignIn();
