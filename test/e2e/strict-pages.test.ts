/**
 * Strict pages and the CDN build from another origin:
 *
 * - the server sends the demo pages a strict Content-Security-Policy (no 'unsafe-inline', no
 *   'unsafe-eval', Trusted Types for script sinks), and every demo page (the console, the
 *   customer site, the channel settings, the CRM record pages, every FAQ page) runs under it with
 *   no `securitypolicyviolation` (helpers.ts turns each into a console error, and a control step
 *   shows that a blocked script is reported); the framework examples: frameworks.test.ts;
 * - a company site on a second origin, under the CSP docs/security.md § 6 gives integrators (read
 *   from the file), loads
 *   `dist/cdn/chat-visitor.js` and `dist/cdn/chat.js` from the chat server: the lazy chunks (the
 *   chat core when a chat starts, Swedish, the Chats tab) follow from the same base URL, cross-origin.
 *
 * Needs `npm run build` first (`npm test` builds before this step).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'node:test';

import type { Page } from 'playwright-core';

import { ROOT, signInAgent, startCustomerChat, useScenario, watchErrors } from './helpers.js';
import { useSite } from './site.js';

// The integrator's site must exist before the chat server starts: the server is told to allow its origin.
const site = useSite();

describe('strict pages: CSP on every demo page, the CDN build from another origin', { timeout: 240_000 }, () => {
  const s = useScenario({ args: () => ['--origin', site.origin] });
  const chunkRequests: string[] = [];

  /**
   * The CSP docs/security.md § 6 gives integrators (its `text` block of sources), as written, for
   * a page that loads the CDN build from `chat`: `https://chat.example.com` becomes the test
   * server, and the page's own `default-src 'self'` is added.
   */
  function integratorCsp(chat: string): string {
    const doc = readFileSync(join(ROOT, 'docs/security.md'), 'utf8');
    const at = doc.indexOf('needs these sources');
    const block = /```text\n([\s\S]*?)```/.exec(doc.slice(at))?.[1];
    assert.ok(at >= 0 && block, 'docs/security.md § 6 has no block of sources');
    // A directive per line: its name, spaces, then its values one space apart (two or more
    // spaces begin the comment); lines that start with spaces continue a comment.
    const directives = block
      .split('\n')
      .map((line) => /^([a-z-]+)\s+(\S+(?: \S+)*)/.exec(line))
      .flatMap((m) => (m ? `${m[1] ?? ''} ${m[2] ?? ''}`.split(';') : []))
      .map((d) => d.trim())
      .filter(Boolean);
    assert.ok(directives.some((d) => d.startsWith('require-trusted-types-for')), directives.join('; '));
    return ["default-src 'self'", ...directives]
      .join('; ')
      .replaceAll('wss://chat.example.com', chat.replace(/^http/, 'ws'))
      .replaceAll('https://files.chat.example.com', chat) // no files are sent here
      .replaceAll('https://chat.example.com', chat);
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

  s.step('the channel settings page and every FAQ page run under the policy', async () => {
    const admin = await s.newPage('channel settings');
    await admin.goto(`${s.server.url}/demo/admin.html`);
    // The language menu is built from the library's CHAT_LOCALES (demo/crm/languages.js).
    assert.deepEqual(await admin.locator('#language option').evaluateAll((options) => options.map((o) => `${o.getAttribute('value') ?? ''}:${o.getAttribute('lang') ?? ''}`)), ['en:en', 'sv:sv', 'nb:nb', 'da:da', 'de:de', 'fi:fi']);
    await admin.getByRole('radio', { name: /\(manager\)/ }).first().check();
    await admin.getByRole('button', { name: 'Open the settings' }).click();
    const settings = admin.locator('chat-channel-settings');
    await settings.locator('form').waitFor();
    await admin.getByRole('combobox', { name: 'Language', exact: true }).selectOption('fi');
    await settings.and(admin.locator('[lang="fi"]')).waitFor();
    const faq = await s.newPage('FAQ pages');
    for (const file of readdirSync(join(ROOT, 'demo/faq')).filter((f) => f.endsWith('.html'))) {
      await faq.goto(`${s.server.url}/demo/faq/${file}`);
      await faq.getByRole('heading', { level: 1 }).waitFor();
    }
  });

  s.step('the check can fail: a blocked load on a demo page is reported', async () => {
    const watched = await s.newPage('control');
    // A second tab of that context: the same CSP reporter (an init script), but its errors are
    // collected here instead of failing the scenario.
    const page = await watched.context().newPage();
    const errors = watchErrors(page, 'control');
    await page.goto(`${s.server.url}/demo/faq/returns.html`);
    await page.evaluate(() => {
      const image = document.createElement('img');
      image.alt = '';
      image.src = 'https://elsewhere.invalid/pixel.png';
      document.body.append(image);
    });
    await page.waitForEvent('console', { predicate: (m) => m.text().startsWith('CSP violation') });
    assert.ok(errors.some((e) => e.includes('CSP violation: img-src blocked https://elsewhere.invalid/pixel.png')), errors.join('\n'));
    await page.close();
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
