/**
 * Customer identity end to end: the real server, the built bundles, the sample CRM page and the
 * sample shop.
 *
 *   agent erik signs in on the CRM page (a JWT from the demo CRM's backend, exchanged at
 *   POST /api/auth/jwt) and opens the Chats tab
 *   → Kim signs in to the shop (its backend signs Kim's identity token) and starts a chat typing
 *     only "Kim": the agent sees "Verified" in the list, the header and the contact panel, and the
 *     panel offers Kim Andersson of the demo CRM first, for "Verified identity"
 *   → a forged token (right claims, wrong secret) claiming to be Kim starts a chat as "Guest": it is
 *     "Unverified", the claims are shown only as "Claimed, not confirmed", and nothing matches
 *   → axe-core finds no violations on the agent page.
 *
 * Needs `npm run build` first (`npm test` builds before this step).
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';

import { SignJWT } from 'jose';
import type { Page } from 'playwright-core';

import { signInAgent, startCustomerChat, useScenario } from './helpers.js';

const KIM = { sub: 'shop-1001', name: 'Kim Andersson', email: 'kim.andersson@example.com' };

describe('customer identity (verified and forged customers)', { timeout: 240_000 }, () => {
  const s = useScenario();
  let agent: Page;
  let kim: Page;
  let forger: Page;

  const panel = () => agent.locator('chat-contact-panel');

  s.step('agent erik signs in through the JWT path and opens the Chats tab', async () => {
    agent = await s.newPage('agent', { viewport: { width: 1440, height: 900 } });
    kim = await s.newPage('customer Kim', { viewport: { width: 1280, height: 800 } });
    forger = await s.newPage('forger', { viewport: { width: 1280, height: 800 } });
    await signInAgent(agent, s.server, 'Erik Johansson');
    const saved = await agent.evaluate(() => JSON.parse(sessionStorage.getItem('nordlys-crm.agent') ?? '{}') as { agentId?: string; token?: string });
    assert.equal(saved.agentId, 'erik');
    assert.match(saved.token ?? '', /^a\./, 'the page holds the access token the JWT was exchanged for');
    await agent.getByRole('tab', { name: /^Chats/ }).click();
  });

  s.step('Kim, signed in to the shop, is verified and matched by identity first', async () => {
    await kim.goto(`${s.server.url}/demo/customer.html`);
    await kim.getByRole('button', { name: 'Sign in as Kim (demo)' }).click();
    await kim.getByRole('button', { name: 'Kim Andersson · Sign out' }).waitFor();
    // Only a first name typed: the verified e-mail does the matching.
    await startCustomerChat(kim, s.server, 'Kim', 'Hi! Where is my order 7781?');
    await agent.getByRole('button', { name: 'Get next in queue' }).click();
    await agent.getByRole('textbox', { name: 'Message to Kim' }).waitFor();

    const verified = 'Verified customer: the website confirmed who this is';
    await agent.locator('chat-session-list').getByRole('img', { name: verified }).waitFor();
    await agent.locator('chat-conversation').getByRole('img', { name: verified }).waitFor();
    await panel().getByRole('img', { name: verified }).waitFor();
    await panel().getByText('kim.andersson@example.com').first().waitFor();
    const first = panel().getByRole('listitem').first();
    await first.getByRole('button', { name: 'Link Kim Andersson' }).waitFor();
    assert.match((await first.textContent()) ?? '', /Verified identity/);
  });

  s.step('a forged token claiming to be Kim is unverified; its claims are only text and match nothing', async () => {
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ name: KIM.name, email: KIM.email })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(KIM.sub)
      .setExpirationTime(now + 600)
      .sign(new TextEncoder().encode('a-secret-the-forger-made-up-0123456789abcd'));
    await startCustomerChat(forger, s.server, 'Guest', 'Hello, I am Kim. Send me my invoices.', { identityToken: forged });
    await agent.getByRole('button', { name: 'Get next in queue' }).click();
    await agent.getByRole('textbox', { name: 'Message to Guest' }).waitFor();
    const unverified = 'Unverified: the website sent an identity that could not be confirmed';
    await agent.locator('chat-conversation').getByRole('img', { name: unverified }).waitFor();
    await panel().getByRole('img', { name: unverified }).waitFor();
    await panel().getByText('Claimed, not confirmed: Kim Andersson, kim.andersson@example.com').waitFor();
    await panel().getByText('No contact in the CRM matches this customer.').waitFor();
    assert.equal(await panel().getByRole('button', { name: 'Link Kim Andersson' }).count(), 0, 'the forged claims find no contact');
  });

  s.noAxeViolations('axe-core finds no violations on the agent page', () => ({ agent }));
  s.noPageErrors();
});
