// Plain HTML and the agent console: attributes in the markup, functions as properties, events
// with addEventListener. No build step: the CDN bundle is a module the page imports.
// Recipe: docs/frameworks.md.
/* global document, location */
const status = document.getElementById('status');
const win = document.querySelector('chat-window');

async function post(path, body, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body), cache: 'no-store' });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

// The demo server signs in its first demo agent; a CRM gets tickets from its own backend instead.
async function signIn() {
  const { agents } = await (await fetch('/api/demo/agents?tenant=demo', { cache: 'no-store' })).json();
  const { token } = await post('/api/demo/login', { tenant: 'demo', agentId: agents[0].id });
  win.getAccessToken = () => token;
  // Set last: with server-url, tenant and getToken the window builds its client and connects.
  win.getToken = async () => (await post('/api/tickets', {}, token)).ticket;
  win.serverUrl = location.origin;
  status.textContent = `Signed in as ${agents[0].name}.`;
}

win.addEventListener('chat-session-answer', (event) => {
  status.textContent = `Answering chat ${event.detail.sessionId}.`;
});

signIn().catch((error) => {
  status.textContent = `Sign-in failed: ${error.message}`;
});
