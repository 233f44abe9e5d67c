/**
 * Hold and return to queue (issue 18), end to end: the real server, the built bundles, the demo
 * pages.
 *
 *   erik and sofia (agents in Support) sign in; a customer (Kim) starts a chat, erik answers it
 *   → erik puts it on hold from the toolbar (keyboard): a bar says so, his list marks it "On hold",
 *     Kim reads "You are on hold. The agent will be back with you shortly."
 *   → erik resumes it: Kim reads "Erik Johansson is back in the chat"
 *   → erik returns it to the queue: the dialog refuses a blank reason, then sends the reason; erik
 *     reads along; Kim waits in the queue again and reads "You are back in the queue. …"
 *   → sofia sees the reason on the waiting row, takes the chat and sees who returned it and why
 *   → axe-core finds no violations on the three pages; no page reported an error.
 *
 * Needs `npm run build` first (`npm test` builds before this step).
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';

import type { Page } from 'playwright-core';

import { agentSends, signInAgent, startCustomerChat, useScenario } from './helpers.js';

const KIM = 'Kim Andersson';
const REASON = 'Kim wants to talk about a company account: the B2B desk should take it.';

describe('hold and return to queue (agent, next agent, customer)', { timeout: 240_000 }, () => {
  const s = useScenario();
  let erik: Page;
  let sofia: Page;
  let kim: Page;

  const widget = () => kim.locator('chat-visitor');

  s.step('erik and sofia sign in; a customer starts a chat and erik answers it', async () => {
    erik = await s.newPage('erik');
    sofia = await s.newPage('sofia');
    await signInAgent(erik, s.server, 'Erik Johansson');
    await signInAgent(sofia, s.server, 'Sofia Berg');
    kim = await s.newPage('customer Kim', { viewport: { width: 1280, height: 800 } });
    await startCustomerChat(kim, s.server, KIM, 'Hi! Can I order 40 jackets for my company?');
    await erik.getByRole('tab', { name: /^Chats/ }).click();
    await erik.getByRole('button', { name: 'Get next in queue' }).click();
    await erik.getByRole('textbox', { name: `Message to ${KIM}` }).waitFor();
    await agentSends(erik, KIM, 'Hi Kim! One moment, I will check our stock.');
    await widget().getByText('One moment, I will check our stock.').waitFor();
  });

  s.step('erik puts the chat on hold with the keyboard: a bar, "On hold" on his list, and the customer is told', async () => {
    const hold = erik.getByRole('button', { name: 'Put on hold' });
    await hold.focus();
    await hold.press('Enter');
    const resume = erik.getByRole('button', { name: 'Resume' });
    await resume.waitFor();
    assert.equal(await resume.getAttribute('aria-pressed'), 'true');
    await erik.getByText(/On hold since .+ The customer was told; the chat does not count against your capacity until you resume it\./).waitFor();
    await erik.getByRole('option', { name: new RegExp(`${KIM}.*On hold`) }).waitFor();
    await widget().getByText('You are on hold. The agent will be back with you shortly.').waitFor();
  });

  s.step('erik resumes it: the customer is told', async () => {
    await erik.getByRole('button', { name: 'Resume' }).press('Enter');
    await erik.getByRole('button', { name: 'Put on hold' }).waitFor();
    await widget().getByText('Erik Johansson is back in the chat').waitFor();
    assert.equal(await erik.getByText(/On hold since/).count(), 0);
  });

  s.step('erik returns the chat to the queue: a blank reason is refused, then the reason goes with it', async () => {
    await erik.getByRole('button', { name: 'Return to queue…' }).click();
    const dialog = erik.getByRole('dialog', { name: `Return the chat with ${KIM} to the queue` });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Return to queue', exact: true }).click();
    await dialog.getByText('Say why the chat goes back to the queue: the next agent sees it.').waitFor();
    const reason = dialog.getByRole('textbox', { name: 'Reason' });
    assert.equal(await reason.getAttribute('aria-invalid'), 'true');
    await reason.fill(REASON);
    await dialog.getByRole('button', { name: 'Return to queue', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await erik.getByText('You moved this chat to the Support queue. You are listening.').waitFor();
    await erik.locator('chat-conversation').getByText(REASON).first().waitFor();
  });

  s.step('the customer waits in the queue again and is told so', async () => {
    await widget().getByText('You are back in the queue. The next free agent will answer you.').waitFor();
    await widget().getByText(/Waiting in the queue/).first().waitFor();
    assert.equal(await widget().getByText(REASON).count(), 0, 'the reason is for agents only');
  });

  s.step('sofia sees the reason on the waiting row, takes the chat and sees who returned it and why', async () => {
    const waiting = sofia.getByRole('grid', { name: /Incoming chats/ }).getByRole('row', { name: new RegExp(KIM) });
    await waiting.getByText(`Returned by Erik Johansson: ${REASON}`).waitFor();
    await sofia.getByRole('tab', { name: /^Chats/ }).click();
    await sofia.getByRole('button', { name: 'Get next in queue' }).click();
    await sofia.getByRole('textbox', { name: `Message to ${KIM}` }).waitFor();
    await sofia.getByText('Erik Johansson returned this chat to the queue:').waitFor();
    await sofia.locator('chat-conversation').locator('[part~="returned-reason"]').getByText(REASON).waitFor();
    await agentSends(sofia, KIM, 'Hi Kim, Sofia here: I can set up the company order for you.');
    await widget().getByText('I can set up the company order for you.', { exact: false }).waitFor();
    await widget().getByText(/Sofia Berg joined the chat/).first().waitFor();
  });

  s.noAxeViolations('axe-core finds no violations on the three pages', () => ({ erik, sofia, kim }));
  s.noPageErrors();
});
