/**
 * The first conversation, end to end: the real server, the built bundles, the demo pages and two
 * (then three) browser contexts.
 *
 *   customer (demo/customer.html) starts a chat
 *   → agent erik (demo/index.html): the Dashboard tab says 1 unanswered chat
 *   → Chats tab, "Get next in queue": the count moves from Dashboard to Chats
 *   → the agent replies, the customer sees it; the customer replies, the agent sees it
 *   → a second customer's chat is taken and selected; the first customer writes again: the unread
 *     count on the first chat's row rises
 *   → the agent ends the first chat; the customer sees that it ended
 *   → axe-core finds no violations on the agent page and the customer page, in the light and the
 *     dark theme.
 *
 * Steps share one scenario (useScenario) and run in order; after a failed step the rest are skipped.
 * Needs `npm run build` first (`npm test` builds before this step).
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';

import type { Page } from 'playwright-core';

import { axeViolations, customerSends, signInAgent, startCustomerChat, STEP_TIMEOUT_MS, useScenario } from './helpers.js';

const KIM = 'Kim Andersson';
const LEA = 'Lea Berg';

describe('first conversation (customer widget ↔ agent console)', { timeout: 240_000 }, () => {
  const s = useScenario();
  let agent: Page;
  let kim: Page;
  let lea: Page;

  const tab = (name: string) => agent.getByRole('tab', { name, exact: true });
  const sessionRow = (name: string) => agent.getByRole('option', { name: new RegExp(name) });
  /** The unread count in a row's accessible name ("… 2 unread …"; the visible number is aria-hidden). */
  async function unreadOf(name: string): Promise<number> {
    const snapshot = await sessionRow(name).ariaSnapshot();
    const match = /(\d+) unread/.exec(snapshot);
    return match ? Number(match[1]) : 0;
  }

  s.step('agent erik signs in on the sample CRM page', async () => {
    agent = await s.newPage('agent', { viewport: { width: 1440, height: 900 } });
    kim = await s.newPage('customer Kim', { viewport: { width: 1280, height: 800 } });
    lea = await s.newPage('customer Lea', { viewport: { width: 1280, height: 800 } });
    await signInAgent(agent, s.server, 'Erik Johansson');
    await tab('Dashboard').waitFor();
    await agent.locator('chat-window').getByText('Erik Johansson', { exact: true }).first().waitFor();
    assert.equal(await tab('Dashboard').getAttribute('aria-selected'), 'true');
    await agent.locator('chat-window').getByText('No chats are waiting. New chats show up here.').waitFor();
  });

  s.step('a customer starts a chat: the Dashboard tab shows 1 unanswered chat', async () => {
    await startCustomerChat(kim, s.server, KIM, 'Hi! Where is my order 7781?');
    await tab('Dashboard, 1 unanswered chat').waitFor();
    await agent.getByRole('row', { name: new RegExp(KIM) }).waitFor();
  });

  s.step('"Get next in queue" in the Chats tab moves the count from Dashboard to Chats', async () => {
    await agent.getByRole('tab', { name: /^Chats/ }).click();
    assert.equal(await agent.getByRole('tab', { name: /^Chats/ }).getAttribute('aria-selected'), 'true');
    await agent.getByRole('button', { name: 'Get next in queue' }).click();
    await tab('Chats, 1 active chat').waitFor();
    await tab('Dashboard').waitFor();
    await sessionRow(KIM).waitFor();
    await agent.locator('chat-window').getByText('Hi! Where is my order 7781?').first().waitFor();
  });

  s.step('the agent replies and the customer sees it', async () => {
    const box = agent.getByRole('textbox', { name: `Message to ${KIM}` });
    await box.fill('Hello Kim! Let me check that order for you.');
    await box.press('Enter');
    await kim.locator('chat-visitor').getByText('Hello Kim! Let me check that order for you.').waitFor();
    await kim.locator('chat-visitor').getByText(/Erik Johansson joined the chat/).first().waitFor();
  });

  s.step('the customer replies and the agent sees it', async () => {
    await customerSends(kim, 'Thank you! It was sent last Monday.');
    await agent.locator('chat-window').getByText('Thank you! It was sent last Monday.').first().waitFor();
  });

  s.step('with a second chat selected, the unread count rises on the first chat', async () => {
    await startCustomerChat(lea, s.server, LEA, 'Do you have the Tind jacket in size M?');
    await tab('Dashboard, 1 unanswered chat').waitFor();
    await agent.getByRole('button', { name: 'Get next in queue' }).click();
    await tab('Chats, 2 active chats').waitFor();
    await agent.getByRole('textbox', { name: `Message to ${LEA}` }).waitFor();
    assert.equal(await sessionRow(LEA).getAttribute('aria-selected'), 'true');
    const before = await unreadOf(KIM);
    await customerSends(kim, 'Are you still there?');
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    while ((await unreadOf(KIM)) !== before + 1) {
      assert.ok(Date.now() < deadline, `the unread count of ${KIM}'s chat did not rise above ${String(before)}`);
      await agent.waitForTimeout(100);
    }
    assert.match((await sessionRow(KIM).textContent()) ?? '', /Are you still there\?/);
  });

  s.step('the agent ends the first chat and the customer sees that it ended', async () => {
    await sessionRow(KIM).click();
    await agent.getByRole('textbox', { name: `Message to ${KIM}` }).waitFor();
    await agent.getByRole('button', { name: 'End chat' }).first().click();
    const dialog = agent.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'End chat' }).click();
    await kim.locator('chat-visitor').getByText(/Erik Johansson ended the chat|The chat has ended/).first().waitFor();
    await tab('Chats, 1 active chat').waitFor();
  });

  s.step('axe-core finds no violations on the agent page and the customer page', async () => {
    const problems = [...(await axeViolations(agent)).map((v) => `agent page: ${v}`), ...(await axeViolations(kim)).map((v) => `customer page: ${v}`)];
    assert.deepEqual(problems, [], problems.join('\n'));
  }, true);

  s.step('in the dark theme (the pages\' Chat theme switch) axe-core finds no violations either', async () => {
    await agent.selectOption('#theme', 'dark');
    await kim.selectOption('[data-chat-theme]', 'dark');
    await agent.locator('#chat.chat-theme-dark').waitFor({ state: 'attached' });
    await kim.locator('chat-visitor.chat-theme-dark').waitFor({ state: 'attached' });
    const problems = [...(await axeViolations(agent)).map((v) => `agent page: ${v}`), ...(await axeViolations(kim)).map((v) => `customer page: ${v}`)];
    assert.deepEqual(problems, [], problems.join('\n'));
    await agent.selectOption('#theme', 'light');
    await kim.selectOption('[data-chat-theme]', 'light');
  }, true);

  s.noPageErrors();
});
