// Nordlys CRM demo, admin page: a manager signs in (the same CRM-signed JWT as the console) and edits
// a chat channel's settings in <chat-channel-settings>. Plain JavaScript against the CDN bundle.
/* global document, location */
import { createChatClient, defineChannelSettings, setChatLocale } from '/dist/cdn/chat.js';
import { fillLanguageMenu } from '/demo/crm/languages.js';

const TENANT = 'demo';
const $ = (id) => document.getElementById(id);

async function api(path, { method = 'GET', body, token } = {}) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  const data = await res.json().catch(() => undefined);
  if (!res.ok) throw new Error(data?.error?.message ?? `HTTP ${res.status}`);
  return data;
}

function showError(text) {
  $('error').textContent = text;
  $('error').hidden = !text;
}

async function load() {
  const [{ agents }, { channels }] = await Promise.all([api(`/api/demo/agents?tenant=${TENANT}`), api(`/api/channels?tenant=${TENANT}`)]);
  $('agents').replaceChildren(
    ...agents.map((agent, i) => {
      const label = document.createElement('label');
      label.className = 'agent-option';
      const input = document.createElement('input');
      input.type = 'radio';
      input.name = 'agent';
      input.value = agent.id;
      input.checked = i === 0;
      const text = document.createElement('span');
      text.textContent = `${agent.name}${agent.supervisor ? ' (manager)' : ''}`;
      label.append(input, text);
      return label;
    }),
  );
  $('channel').replaceChildren(
    ...channels.map((c) => {
      const option = document.createElement('option');
      option.value = c.id;
      option.textContent = c.name;
      return option;
    }),
  );
}

async function open(event) {
  event.preventDefault();
  showError('');
  const agentId = document.querySelector('input[name=agent]:checked')?.value;
  try {
    const { token: jwt } = await api('/api/demo/crm-token', { method: 'POST', body: { agentId } });
    const { token } = await api(`/api/auth/jwt?tenant=${TENANT}`, { method: 'POST', body: { tenant: TENANT, token: jwt } });
    await defineChannelSettings();
    const client = createChatClient({
      url: location.origin,
      tenant: TENANT,
      getToken: async () => (await api('/api/tickets', { method: 'POST', token })).ticket,
      getAccessToken: () => token,
    });
    const el = document.createElement('chat-channel-settings');
    el.client = client;
    el.setAttribute('channel-id', $('channel').value);
    $('settings').replaceChildren(el);
  } catch (error) {
    showError(`Sign-in failed: ${error.message}`);
  }
}

fillLanguageMenu($('language'));
$('sign-in').addEventListener('submit', (e) => void open(e));
$('language').addEventListener('change', () => void setChatLocale($('language').value).then(() => ($('settings').lang = $('language').value)));
void load().catch((error) => showError(`The demo data could not be loaded (${error.message}). Is the server running with --demo?`));
