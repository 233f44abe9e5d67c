/**
 * Close with a wrap-up (issue 18), end to end with real pages.
 *
 *   anna (manager) sets Support's wrap-up on the demo's admin page: a required closing comment,
 *   the tags Refund, Delivery and Spam, a tag required
 *   → a customer starts a chat and erik answers it; End chat asks for the comment and the tags:
 *     without them the dialog stays open with the error; with them the chat ends, its row says
 *     "Tags: Refund"
 *   → a second customer is spam: erik closes it without notifying her (tag Spam); her widget
 *     shows no end, and what she writes next is not sent
 *   → the session list's tag filter keeps only the Refund chat
 *   → the Dashboard counts today's chats per tag (Refund 1, Spam 1)
 *   → axe-core finds no violations; no page reported an error
 *
 * With SCREENSHOTS=1 it writes docs/screenshots/channel-settings-wrapup.png, agent-wrapup-dialog.png,
 * agent-tag-filter.png and dashboard-tags.png. Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';

import type { Locator, Page } from 'playwright-core';

import { clearOfMidnight, ROOT, signInAgent, startCustomerChat, useScenario } from './helpers.js';

const KIM = 'Kim Wrapup';
const LEA = 'Lea Spam';
const shots = process.env.SCREENSHOTS === '1';

describe('close with a wrap-up', { timeout: 240_000 }, () => {
  const s = useScenario({ testClock: true });
  let anna: Page;
  let erik: Page;
  let kim: Page;
  let lea: Page;

  const dialog = (): Locator => erik.getByRole('dialog', { name: /End the chat with/ });

  s.step("anna sets Support's wrap-up on the admin page", async () => {
    await clearOfMidnight(s.server); // the last step counts today's chats
    anna = await s.newPage('anna (admin)', { viewport: { width: 1280, height: 1000 } });
    await anna.goto(`${s.server.url}/demo/admin.html`);
    await anna.getByRole('radio', { name: /Anna Lindqvist/ }).check();
    await anna.getByRole('combobox', { name: 'Channel' }).selectOption('support');
    await anna.getByRole('button', { name: 'Open the settings' }).click();
    const settings = anna.locator('chat-channel-settings');
    await settings.locator('form').waitFor();
    const section = settings.getByRole('group', { name: 'Closing a chat' });
    await section.getByRole('combobox', { name: /^Closing comment/ }).selectOption('required');
    const tags = section.getByRole('textbox', { name: /^Tags agents choose from/ });
    await tags.fill('Refund\nDelivery\nSpam');
    await tags.press('Tab');
    await section.getByRole('checkbox', { name: 'At least one tag is required' }).check();
    if (shots) await section.screenshot({ path: `${ROOT}docs/screenshots/channel-settings-wrapup.png` });
    await settings.getByRole('button', { name: 'Save' }).click();
    await settings.getByText('Settings saved.').waitFor();
  });

  s.step('erik answers a chat; End chat asks for the comment and a tag, and keeps the dialog open without them', async () => {
    erik = await s.newPage('erik');
    kim = await s.newPage('customer Kim', { viewport: { width: 1280, height: 800 } });
    await signInAgent(erik, s.server, 'Erik Johansson');
    await startCustomerChat(kim, s.server, KIM, 'I want my money back for order 7781.');
    await erik.getByRole('tab', { name: /^Chats/ }).click();
    await erik.getByRole('button', { name: 'Get next in queue' }).click();
    await erik.getByRole('textbox', { name: `Message to ${KIM}` }).waitFor();
    await erik.locator('chat-conversation').getByRole('button', { name: 'End chat' }).click();
    await dialog().getByRole('checkbox', { name: 'Refund', exact: true }).waitFor();
    assert.deepEqual(await dialog().getByRole('group', { name: 'Tags (at least one)' }).getByRole('checkbox').evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).labels?.[0]?.textContent.trim())), ['Refund', 'Delivery', 'Spam']);
    await dialog().getByRole('button', { name: 'End chat' }).click();
    await dialog().getByText('Write a closing comment: this channel requires one.').waitFor();
    assert.equal(await dialog().getByRole('textbox', { name: 'Closing comment (required)' }).evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement), true, 'focus on the comment');
    await erik.keyboard.type('Refund of order 7781 approved.');
    await dialog().getByRole('button', { name: 'End chat' }).click();
    await dialog().getByText('Choose at least one tag: this channel requires one.').waitFor();
    if (shots) await erik.screenshot({ path: `${ROOT}docs/screenshots/agent-wrapup-dialog.png` });
  });

  s.step('with the comment and a tag the chat ends; its row says its tags; the customer is told', async () => {
    await dialog().getByRole('checkbox', { name: 'Refund', exact: true }).check();
    await dialog().getByRole('button', { name: 'End chat' }).click();
    await erik.locator('chat-conversation').locator('[part~="status"]').getByText('Ended').waitFor();
    await erik.locator('chat-session-list').getByRole('option', { name: new RegExp(KIM) }).getByText('Tags: Refund').waitFor();
    await kim.locator('chat-visitor').getByText(/ended the chat/).waitFor();
  });

  s.step('a spam chat is closed without notifying the customer: her widget shows no end, her next message is not sent', async () => {
    lea = await s.newPage('customer Lea', { viewport: { width: 1280, height: 800 } });
    await startCustomerChat(lea, s.server, LEA, 'Cheap watches!!! www.example.com');
    await erik.getByRole('button', { name: 'Get next in queue' }).click();
    await erik.getByRole('textbox', { name: `Message to ${LEA}` }).waitFor();
    await lea.locator('chat-visitor').getByText(/Erik Johansson joined the chat/).waitFor();
    await erik.locator('chat-conversation').getByRole('button', { name: 'End chat' }).click();
    await dialog().getByRole('checkbox', { name: 'Spam', exact: true }).check();
    await dialog().getByRole('textbox', { name: 'Closing comment (required)' }).fill('Advertising.');
    await dialog().getByRole('checkbox', { name: 'Close without notifying the customer (spam)' }).check();
    await dialog().getByText('The customer is not told. Nobody can write in the chat afterwards.').waitFor();
    await dialog().getByRole('button', { name: 'End chat' }).click();
    await erik.locator('chat-conversation').locator('[part~="status"]').getByText('Ended').waitFor();
    // The customer: no end in her widget; the composer is still there, and what she sends is refused.
    const box = lea.getByRole('textbox', { name: 'Message' });
    await box.fill('Hello?');
    await box.press('Enter');
    await lea.locator('chat-visitor').getByText('Not sent.').waitFor();
    assert.equal(await lea.locator('chat-visitor').getByText(/ended the chat/).count(), 0, 'the customer was not told');
  });

  s.step("the session list's tag filter keeps only the chats with the chosen tag", async () => {
    const list = erik.locator('chat-session-list');
    const filter = list.getByRole('combobox', { name: 'Tag' });
    const rows = list.getByRole('listbox');
    assert.deepEqual(await filter.locator('option').allTextContents(), ['All tags', 'Refund', 'Spam']);
    await filter.selectOption('Refund');
    await rows.getByRole('option', { name: new RegExp(LEA) }).waitFor({ state: 'detached' });
    assert.equal(await rows.getByRole('option').count(), 1);
    await rows.getByRole('option', { name: new RegExp(KIM) }).waitFor();
    if (shots) await erik.screenshot({ path: `${ROOT}docs/screenshots/agent-tag-filter.png` });
    await filter.selectOption('');
    await rows.getByRole('option', { name: new RegExp(LEA) }).waitFor();
  });

  s.step("the Dashboard counts today's chats per tag", async () => {
    await erik.getByRole('tab', { name: /^Dashboard/ }).click();
    const card = erik.locator('chat-dashboard [part~="card--tags"]');
    await card.getByText('Chats per tag today').waitFor();
    await card.locator('[part~="tag-count"]').filter({ hasText: 'Refund' }).filter({ hasText: '1' }).waitFor();
    await card.locator('[part~="tag-count"]').filter({ hasText: 'Spam' }).filter({ hasText: '1' }).waitFor();
    if (shots) await erik.locator('chat-dashboard [part~="stats"]').screenshot({ path: `${ROOT}docs/screenshots/dashboard-tags.png` });
  });

  s.noAxeViolations('axe-core finds no violations on the pages', () => ({ anna, erik, kim, lea }));
  s.noPageErrors();
});
