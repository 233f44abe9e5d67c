/**
 * The embed examples of the docs, as written, from another origin (issue 13, item 5): the HTML of
 * README.md § "Use it in your CRM" (the console, with its backend sign-in) and of
 * docs/chat-visitor.md § "Embed" (the one-script-tag widget) are taken from the files, and only
 * `https://chat.example.com` is replaced by the test server's address. A second origin serves
 * them, and `/my-backend/chat-sign-in` there is the CRM backend the README names: it signs the
 * agent's JWT (jose, HS256) and exchanges it at `POST /api/auth/jwt`. The tenant `acme` is set up
 * with `crm-chat-server admin` as docs/integration.md § 2 shows. A customer starts a chat in the
 * widget and it appears in the console.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'node:test';

import { SignJWT } from 'jose';
import type { Page } from 'playwright-core';

import { ROOT, serverArgs, useScenario } from './helpers.js';
import { useSite } from './site.js';

/** The first ```html block after `heading` in a Markdown file. */
function htmlBlock(file: string, heading: string): string {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const at = text.indexOf(`\n${heading}\n`);
  assert.ok(at >= 0, `${file} has no "${heading}"`);
  const m = /```html\n([\s\S]*?)```/.exec(text.slice(at));
  assert.ok(m?.[1], `${file}: no html block after "${heading}"`);
  return m[1];
}

function admin(dataDir: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, serverArgs(['admin', ...args, '--data', dataDir]), { cwd: ROOT }, (error, stdout, stderr) => {
      if (error) reject(new Error(`admin ${args.join(' ')}: ${stderr}`));
      else resolve(stdout.trim());
    });
  });
}

const ISSUER = 'https://crm.acme.example';
const AUDIENCE = 'crm-chat:acme';

/** The integrator's site (useSite) and its CRM backend at `/my-backend/chat-sign-in`. */
const site = useSite();
/** Set once the chat server runs: where the backend exchanges JWTs, and with which secret. */
const backend = { chatUrl: '', secret: '' };

site.route('/my-backend/chat-sign-in', async (method) => {
  if (method !== 'POST') return { status: 405, type: 'text/plain', body: 'POST only' };
  // The CRM's backend: its signed-in user as a short-lived JWT, exchanged for an access token.
  const jwt = await new SignJWT({ name: 'Anna Andersson', email: 'anna@acme.example' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('crm-user-1001')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('60s')
    .setJti(crypto.randomUUID())
    .sign(new TextEncoder().encode(backend.secret));
  const res = await fetch(`${backend.chatUrl}/api/auth/jwt`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ tenant: 'acme', token: jwt }) });
  const body = (await res.json()) as { token?: string };
  if (!res.ok || !body.token) return { status: 502, type: 'application/json', body: JSON.stringify(body) };
  return { status: 200, type: 'application/json', body: JSON.stringify({ accessToken: body.token }) };
});

describe('the docs\' embed examples, as written, from another origin', { timeout: 240_000 }, () => {
  // README: "The CRM page's origin must be allowed by the chat server (--origin https://crm.example.com)".
  const s = useScenario({ args: () => ['--origin', site.origin] });
  let crm: Page | undefined;

  s.step('the tenant is set up with crm-chat-server admin (integration.md § 2)', async () => {
    const dataDir = s.server.dataDir;
    await admin(dataDir, ['tenant', 'create', 'acme', '--name', 'Acme AB', '--origin', site.origin]);
    await admin(dataDir, ['channel', 'create', 'support', '--tenant', 'acme', '--name', 'Support']);
    backend.secret = await admin(dataDir, ['sign-in', 'set', '--tenant', 'acme', '--algorithms', 'HS256', '--issuer', ISSUER, '--audience', AUDIENCE, '--generate-secret', '--jit', 'on', '--jit-channel', 'support']);
    assert.ok(backend.secret.length >= 32);
    backend.chatUrl = s.server.url;
  });

  s.step('README § Use it in your CRM: the console signs in through the backend and connects', async () => {
    const snippet = htmlBlock('README.md', '## Use it in your CRM').replaceAll('https://chat.example.com', s.server.url);
    assert.ok(snippet.includes(`${s.server.url}/dist/cdn/chat.js`) && snippet.includes('/my-backend/chat-sign-in'));
    site.serve('/crm.html', 'text/html; charset=utf-8', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme CRM</title><link rel="icon" href="data:,"></head><body>\n${snippet}</body></html>`);
    crm = await s.newPage('CRM page');
    await crm.goto(`${site.origin}/crm.html`);
    await crm.getByRole('tab', { name: /^Dashboard/ }).waitFor();
  });

  s.step('chat-visitor.md § Embed: the widget starts a chat that reaches the console', async () => {
    const snippet = htmlBlock('docs/chat-visitor.md', '## Embed').replaceAll('https://chat.example.com', s.server.url);
    assert.match(snippet, /<chat-visitor tenant="acme"/);
    site.serve('/shop.html', 'text/html; charset=utf-8', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme shop</title><link rel="icon" href="data:,"></head><body>\n${snippet}</body></html>`);
    const page = await s.newPage('company site');
    await page.goto(`${site.origin}/shop.html`);
    const widget = page.locator('chat-visitor');
    await widget.getByRole('button', { name: 'Chat with us' }).click();
    await widget.getByRole('textbox', { name: /^Name/ }).fill('Docs Reader');
    await widget.getByRole('textbox', { name: 'How can we help?' }).fill('Hello from the docs example');
    await widget.getByRole('button', { name: 'Start chat' }).click();
    await widget.getByText(/Waiting in the queue/).first().waitFor();

    assert.ok(crm);
    await crm.locator('chat-window').getByText('Docs Reader').first().waitFor();
  });

  s.noPageErrors();
});
