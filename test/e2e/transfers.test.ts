/**
 * Transfers between agents, end to end, on the server's test clock (`CHAT_TEST_CLOCK=1`).
 *
 *   agents erik and sofia (both in Support) sign in; customers start chats
 *   1. erik answers Kim, transfers the chat to sofia with a note
 *      → sofia's list highlights it, Accept transfer / Reject transfer under the conversation
 *      → sofia accepts and writes: Kim sees sofia's name and message; erik's view is read-only
 *   2. erik answers Lea and transfers; sofia rejects (Alt+Shift+R) → erik keeps the chat and is told
 *   3. erik answers Max and transfers; nobody answers: the server's time moves 121 s
 *      → the offer expires, erik keeps the chat and is told
 *
 * Needs `npm run build` first (`npm test` builds before this step).
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';

import type { Page } from 'playwright-core';

import { advanceClock, agentSends, axeViolations, signInAgent, startCustomerChat, useScenario } from './helpers.js';

const KIM = 'Kim Andersson';
const LEA = 'Lea Berg';
const MAX = 'Max Ek';
const NOTE = 'Wants a refund for order 7781; I promised a call back.';

describe('transfers between agents (accept, reject, time-out)', { timeout: 240_000 }, () => {
  const s = useScenario({ testClock: true });
  let erik: Page;
  let sofia: Page;
  const customers = new Map<string, Page>();

  const row = (page: Page, name: string) => page.getByRole('option', { name: new RegExp(name) });

  /** A customer starts a chat and erik takes it with "Get next in queue". */
  async function erikAnswers(name: string, text: string): Promise<void> {
    const page = await s.newPage(`customer ${name}`, { viewport: { width: 1280, height: 800 } });
    customers.set(name, page);
    await startCustomerChat(page, s.server, name, text);
    await erik.getByRole('tab', { name: /^Chats/ }).click();
    await erik.getByRole('button', { name: 'Get next in queue' }).click();
    await erik.getByRole('textbox', { name: `Message to ${name}` }).waitFor();
    await page.getByText(/Erik Johansson joined the chat/).first().waitFor();
  }

  /** erik offers the shown chat to sofia through the conversation's Transfer dialog. */
  async function erikTransfersToSofia(name: string, note?: string): Promise<void> {
    await row(erik, name).click();
    await erik.getByRole('textbox', { name: `Message to ${name}` }).waitFor();
    await erik.getByRole('button', { name: /^Transfer/ }).first().click();
    const dialog = erik.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('radio', { name: /Sofia Berg/ }).check();
    if (note) await dialog.getByRole('textbox', { name: /note/i }).fill(note);
    await dialog.getByRole('button', { name: /^Transfer/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    // erik's list shows the pending offer on the chat's row.
    await row(erik, name).filter({ hasText: 'Waiting for Sofia Berg to accept' }).waitFor();
  }

  /** sofia's view of an offer: the row highlighted, the chat opened, Accept / Reject under it. */
  async function sofiaSeesOffer(name: string): Promise<void> {
    const offered = sofia.getByRole('group', { name: /^Transfers awaiting acceptance/ }).getByRole('option', { name: new RegExp(name) });
    await offered.filter({ hasText: 'Transfer to you from Erik Johansson' }).waitFor();
    await offered.click();
    await sofia.getByRole('button', { name: 'Accept transfer' }).waitFor();
    await sofia.getByRole('button', { name: 'Reject transfer' }).waitFor();
  }

  s.step('erik and sofia sign in', async () => {
    erik = await s.newPage('erik');
    sofia = await s.newPage('sofia');
    await signInAgent(erik, s.server, 'Erik Johansson');
    await signInAgent(sofia, s.server, 'Sofia Berg');
    await sofia.getByRole('tab', { name: /^Chats/ }).click();
  });

  s.step('1. erik answers Kim and transfers the chat to sofia with a note', async () => {
    await erikAnswers(KIM, 'Hi, I need a refund for order 7781.');
    await agentSends(erik, KIM, 'Let me get my colleague Sofia, she handles refunds.');
    await erikTransfersToSofia(KIM, NOTE);
  });

  s.step('sofia sees the chat highlighted, the note, and Accept / Reject below the conversation', async () => {
    await sofiaSeesOffer(KIM);
    await sofia.getByRole('group', { name: /Erik Johansson wants to transfer this chat to you/ }).getByText(NOTE).waitFor();
    // Below the conversation: the buttons come after the transcript in the reading order.
    const transcript = await sofia.getByRole('list', { name: /Conversation|Messages/ }).first().boundingBox();
    const accept = await sofia.getByRole('button', { name: 'Accept transfer' }).boundingBox();
    assert.ok(transcript && accept && accept.y >= transcript.y + transcript.height - 1, 'Accept transfer is below the transcript');
    const problems = (await axeViolations(sofia)).map((v) => `sofia's page: ${v}`);
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  s.step('sofia accepts and writes: Kim sees her name and message; erik can only read', async () => {
    await sofia.getByRole('button', { name: 'Accept transfer' }).click();
    const box = sofia.getByRole('textbox', { name: `Message to ${KIM}` });
    await box.waitFor();
    await box.fill('Hi Kim, Sofia here. I have started the refund.');
    await box.press('Enter');
    const kim = customers.get(KIM)!;
    await kim.locator('chat-visitor').getByText(/Sofia Berg joined the chat/).first().waitFor();
    await kim.locator('chat-visitor').getByText('Hi Kim, Sofia here. I have started the refund.').waitFor();
    // erik still has the chat open and sees sofia's message, read-only: no composer for him.
    await erik.getByText('Hi Kim, Sofia here. I have started the refund.').waitFor();
    await erik.getByText('You transferred this chat to Sofia Berg. You are listening.').waitFor();
    assert.equal(await erik.getByRole('textbox', { name: `Message to ${KIM}` }).count(), 0);
  });

  s.step('2. erik transfers Lea\'s chat; sofia rejects: erik keeps it and is told', async () => {
    await erikAnswers(LEA, 'Do you have the Tind jacket in size M?');
    await erikTransfersToSofia(LEA);
    await sofiaSeesOffer(LEA);
    // With the keyboard this time: Alt+Shift+R (the button says so in aria-keyshortcuts).
    assert.equal(await sofia.getByRole('button', { name: 'Reject transfer' }).getAttribute('aria-keyshortcuts'), 'Alt+Shift+R');
    await sofia.keyboard.press('Alt+Shift+R');
    await sofia.getByRole('button', { name: 'Reject transfer' }).waitFor({ state: 'detached' });
    await row(erik, LEA).filter({ hasText: 'Waiting for Sofia Berg to accept' }).waitFor({ state: 'detached' });
    await row(erik, LEA).click();
    await erik.getByText(/Sofia Berg (declined|rejected)/).first().waitFor();
    await agentSends(erik, LEA, 'I will help you myself: yes, size M is in stock.');
    await customers.get(LEA)!.getByText('I will help you myself: yes, size M is in stock.').waitFor();
  });

  s.step('3. erik transfers Max\'s chat; nobody answers for 121 s: the offer expires, erik keeps it and is told', async () => {
    await erikAnswers(MAX, 'Can I change my delivery address?');
    await erikTransfersToSofia(MAX);
    await sofiaSeesOffer(MAX);
    await advanceClock(s.server, 121_000);
    await row(erik, MAX).filter({ hasText: 'Waiting for Sofia Berg to accept' }).waitFor({ state: 'detached' });
    await row(erik, MAX).click();
    await erik.getByText(/expired|was not answered|did not answer/i).first().waitFor();
    await sofia.getByRole('button', { name: 'Accept transfer' }).waitFor({ state: 'detached' });
    await agentSends(erik, MAX, 'Yes, you can. Which address should we use?');
    await customers.get(MAX)!.getByText('Yes, you can. Which address should we use?').waitFor();
  });

  s.noPageErrors();
});
