/**
 * Strict pages and the CDN build from another origin:
 *
 * - the server sends the demo pages a strict Content-Security-Policy (no 'unsafe-inline', no
 *   'unsafe-eval', Trusted Types for script sinks), and every demo page runs under it with no
 *   `securitypolicyviolation` (helpers.ts turns each into a console error);
 * - a company site on a second origin, under the CSP docs/security.md gives integrators, loads
 *   `dist/cdn/chat-visitor.js` and `dist/cdn/chat.js` from the chat server: the lazy chunks (the
 *   chat core when a chat starts, Swedish, the Chats tab) follow from the same base URL, cross-origin.
 *
 * Needs `npm run build` first (`npm test` builds before this step).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe } from 'node:test';

import type { Page } from 'playwright-core';

import { signInAgent, startCustomerChat, useScenario } from './helpers.js';

/** A tiny static server on its own port: the integrator's site (another origin than the chat server). */
class CompanySite {
  private server: Server | undefined;
  private pages = new Map<string, { type: string; body: string; csp?: string }>();
  origin = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const page = this.pages.get((req.url ?? '/').split('?')[0] ?? '/');
      if (!page) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': page.type, 'Cache-Control': 'no-store', ...(page.csp ? { 'Content-Security-Policy': page.csp } : {}) });
      res.end(page.body);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${String((this.server.address() as AddressInfo).port)}`;
  }

  serve(path: string, type: string, body: string, csp?: string): void {
    this.pages.set(path, { type, body, ...(csp ? { csp } : {}) });
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  }
}

const site = new CompanySite();
// The site must exist before the chat server starts: the server is told to allow its origin.
before(async () => {
  await site.start();
});
after(async () => {
  await site.stop();
});

describe('strict pages: CSP on every demo page, the CDN build from another origin', { timeout: 240_000 }, () => {
  const s = useScenario({ args: () => ['--origin', site.origin] });
  const chunkRequests: string[] = [];

  /** The CSP docs/security.md gives integrators, for a page that loads the CDN build from `chat` (no files sent here). */
  function integratorCsp(chat: string): string {
    const ws = chat.replace(/^http/, 'ws');
    return [
      "default-src 'self'",
      `script-src 'self' ${chat}`,
      "style-src 'self'",
      "img-src 'self' data:",
      `connect-src 'self' ${chat} ${ws}`,
      "object-src 'none'",
      "base-uri 'none'",
      "require-trusted-types-for 'script'",
      'trusted-types lit-html',
    ].join('; ');
  }

  function watchChunks(page: Page): void {
    page.on('request', (request) => {
      if (request.url().includes('/dist/cdn/chunks/')) chunkRequests.push(request.url());
    });
  }

  s.step('the demo pages are sent with a strict Content-Security-Policy', async () => {
    for (const path of ['/demo/', '/demo/admin.html', '/demo/customer.html', '/demo/contact.html', '/demo/request.html', '/demo/faq/returns.html', '/demo/frameworks/react/']) {
      const res = await fetch(`${s.server.url}${path}`);
      assert.equal(res.status, 200, path);
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'self'(;|$)/, `${path}: ${csp}`);
      assert.match(csp, /style-src 'self'(;|$)/, `${path}: ${csp}`);
      assert.match(csp, /require-trusted-types-for 'script'/, `${path}: ${csp}`);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, `${path}: ${csp}`);
      await res.arrayBuffer();
    }
    const bundle = await fetch(`${s.server.url}/dist/cdn/chat-visitor.js`, { headers: { Origin: site.origin } });
    assert.equal(bundle.headers.get('access-control-allow-origin'), '*');
    await bundle.arrayBuffer();
  });

  s.step('the console, the customer site and the CRM record pages run without a CSP violation', async () => {
    const agent = await s.newPage('agent');
    const customer = await s.newPage('customer', { viewport: { width: 1280, height: 800 } });
    await signInAgent(agent, s.server, 'Erik Johansson');
    await startCustomerChat(customer, s.server, 'Strict Stina', 'Is this page strict?');
    await agent.getByRole('row', { name: /Strict Stina/ }).getByRole('button', { name: /^Answer/ }).click();
    await agent.locator('chat-window').getByText('Is this page strict?').first().waitFor();
    const box = agent.getByRole('textbox', { name: 'Message to Strict Stina' });
    await box.fill('Yes: see https://example.com/csp');
    await box.press('Enter');
    await customer.locator('chat-visitor').getByRole('link', { name: 'https://example.com/csp' }).waitFor();
    // Swedish loads a lazy chunk on both pages.
    await agent.getByRole('combobox', { name: 'Language' }).selectOption('sv');
    await agent.getByRole('tab', { name: /^Chattar/ }).waitFor();
    const pages = await s.newPage('record pages');
    await pages.goto(`${s.server.url}/demo/faq/returns.html`);
    await pages.getByRole('heading', { name: 'How do I return an item?' }).waitFor();
    // Their module scripts run (signed out here, they say so without calling the API).
    for (const record of ['contact', 'request']) {
      await pages.goto(`${s.server.url}/demo/${record}.html?id=x`);
      await pages.getByRole('alert').getByText(/Sign in on the CRM page first/).waitFor();
    }
  });

  s.step('another origin loads the customer widget from the chat server; its lazy chunks follow', async () => {
    const chat = s.server.url;
    const csp = integratorCsp(chat);
    site.serve(
      '/shop.html',
      'text/html; charset=utf-8',
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title><link rel="icon" href="data:,">
<script type="module" src="${chat}/dist/cdn/chat-visitor.js"></script>
<script type="module" src="/shop.js"></script></head>
<body><h1>Another company</h1><button type="button" id="sv">Svenska</button>
<chat-visitor server-url="${chat}" tenant="demo"></chat-visitor></body></html>`,
      csp,
    );
    site.serve(
      '/shop.js',
      'text/javascript; charset=utf-8',
      `import { setChatLocale } from '${chat}/dist/cdn/chat-visitor.js';
document.getElementById('sv').addEventListener('click', () => { void setChatLocale('sv'); });`,
    );
    const page = await s.newPage('company site', { viewport: { width: 1280, height: 800 } });
    watchChunks(page);
    await page.goto(`${site.origin}/shop.html`);
    const widget = page.locator('chat-visitor');
    await widget.getByRole('button', { name: 'Chat with us' }).click();
    await widget.getByRole('radio', { name: 'Support' }).check();
    await widget.getByRole('textbox', { name: /^Name/ }).fill('Cross Origin');
    await widget.getByRole('textbox', { name: 'How can we help?' }).fill('Hello from another origin');
    await widget.getByRole('button', { name: 'Start chat' }).click();
    await widget.getByText(/Waiting in the queue/).first().waitFor();
    await page.getByRole('button', { name: 'Svenska' }).click();
    await widget.getByText(/Du står i kö/).first().waitFor();
    assert.ok(chunkRequests.some((u) => u.startsWith(`${chat}/dist/cdn/chunks/create-chat-client-`)), chunkRequests.join('\n'));
    assert.ok(chunkRequests.some((u) => u.startsWith(`${chat}/dist/cdn/chunks/sv-`)), chunkRequests.join('\n'));
  });

  s.step('another origin loads the console from the chat server; the Chats tab loads from there too', async () => {
    const chat = s.server.url;
    site.serve(
      '/crm.html',
      'text/html; charset=utf-8',
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CRM</title><link rel="icon" href="data:,">
<script type="module" src="${chat}/dist/cdn/chat.js"></script>
<script type="module" src="/crm.js"></script></head>
<body><h1>Another CRM</h1><chat-window tenant="demo"></chat-window></body></html>`,
      integratorCsp(chat),
    );
    // The CRM's backend would mint tickets; here the demo server's API does (this origin is allowed).
    site.serve(
      '/crm.js',
      'text/javascript; charset=utf-8',
      `const chat = ${JSON.stringify(chat)};
const post = async (path, body, token) => (await fetch(chat + path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: 'Bearer ' + token } : {}) }, body: JSON.stringify(body) })).json();
const { agents } = await (await fetch(chat + '/api/demo/agents?tenant=demo')).json();
const { token } = await post('/api/demo/login', { tenant: 'demo', agentId: agents.find((a) => a.name === 'Sofia Berg').id });
const win = document.querySelector('chat-window');
win.getAccessToken = () => token;
win.getToken = async () => (await post('/api/tickets', {}, token)).ticket;
win.serverUrl = chat;`,
    );
    const page = await s.newPage('company CRM');
    watchChunks(page);
    await page.goto(`${site.origin}/crm.html`);
    await page.getByRole('tab', { name: /^Dashboard/ }).waitFor();
    await page.getByRole('tab', { name: /^Chats/ }).click();
    await page.getByRole('button', { name: 'Get next in queue' }).waitFor();
    assert.ok(chunkRequests.some((u) => u.startsWith(`${chat}/dist/cdn/chunks/chat-session-list-`)), chunkRequests.join('\n'));
  });

  s.noPageErrors();
});
