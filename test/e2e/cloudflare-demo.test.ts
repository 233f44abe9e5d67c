/**
 * The demo on the Cloudflare host (`npm run start:cloudflare`, docs/scaling.md): the same pages and
 * bundles, served by the Worker under `wrangler dev`, and the same elements talking to Durable
 * Objects instead of the Node process, with nothing changed but the server they were loaded from.
 *
 *   agent erik signs in on the sample CRM page (the demo CRM's JWT, `POST /api/auth/jwt`)
 *   → a customer starts a chat from the widget; "Get next in queue" takes it
 *   → messages both ways; the agent ends the chat and the customer sees that it ended
 *   → no page reported an error (a CSP violation counts as one).
 *
 * Needs `npm run build` first (`npm test` builds before this step).
 */
import { describe } from 'node:test';

import type { Page } from 'playwright-core';

import { customerSends, signInAgent, startCustomerChat, useScenario } from './helpers.js';

const KIM = 'Kim Andersson';

describe('the demo on the Cloudflare host (wrangler dev, Durable Objects)', { timeout: 240_000 }, () => {
  const s = useScenario({ host: 'cloudflare' });
  let agent: Page;
  let kim: Page;

  s.step('agent erik signs in on the sample CRM page', async () => {
    agent = await s.newPage('agent');
    kim = await s.newPage('customer Kim', { viewport: { width: 1280, height: 800 } });
    await signInAgent(agent, s.server, 'Erik Johansson');
  });

  s.step('a customer starts a chat and "Get next in queue" takes it', async () => {
    await startCustomerChat(kim, s.server, KIM, 'Hello from the edge');
    await agent.getByRole('tab', { name: /^Chats/ }).click();
    await agent.getByRole('button', { name: 'Get next in queue' }).click();
    await agent.getByRole('tab', { name: 'Chats, 1 active chat', exact: true }).waitFor();
    await agent.locator('chat-window').getByText('Hello from the edge').first().waitFor();
  });

  s.step('messages go both ways', async () => {
    const box = agent.getByRole('textbox', { name: `Message to ${KIM}` });
    await box.fill('Hello Kim, served by a Durable Object.');
    await box.press('Enter');
    await kim.locator('chat-visitor').getByText('Hello Kim, served by a Durable Object.').waitFor();
    await customerSends(kim, 'Thanks, Erik!');
    await agent.locator('chat-window').getByText('Thanks, Erik!').first().waitFor();
  });

  s.step('the agent ends the chat and the customer sees that it ended', async () => {
    await agent.getByRole('button', { name: 'End chat' }).first().click();
    const dialog = agent.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'End chat' }).click();
    await kim.locator('chat-visitor').getByText(/Erik Johansson ended the chat|The chat has ended/).first().waitFor();
  });

  s.noPageErrors();
});
