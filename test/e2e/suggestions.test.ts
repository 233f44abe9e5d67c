/**
 * Reply suggestions (issue 18), end to end with real pages: the reply library's and the demo
 * CRM's, side by side in the composer.
 *
 *   a customer starts a chat about a broken tent pole and erik answers it; he files a request
 *   from the chat ("Create request")
 *   → the customer asks about her order and the delivery time
 *   → erik's composer suggests the library's FAQs (delivery, tracking) and the demo CRM's reply
 *     about the request it has for this chat (its number, title and status)
 *   → Alt+↑ reaches the suggestions, → moves to the CRM's, Enter puts its text into the message
 *     box; sent, the customer reads it
 *   → axe-core finds no violations; no page reported an error
 *
 * With SCREENSHOTS=1 it writes docs/screenshots/agent-suggestions.png. Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';

import type { Page } from 'playwright-core';

import { eventually, ROOT, signInAgent, startCustomerChat, useScenario } from './helpers.js';

const KIM = 'Kim Suggest';
const FIRST = 'My tent pole snapped on the first night.';
const QUESTION = 'Any news on my order? How long does delivery take?';

describe('reply suggestions from the library and the CRM', { timeout: 180_000 }, () => {
  const s = useScenario();
  let erik: Page;
  let kim: Page;
  let number = '';

  s.step('a customer starts a chat, erik answers it and files a request from it', async () => {
    erik = await s.newPage('erik');
    kim = await s.newPage('customer Kim', { viewport: { width: 1280, height: 800 } });
    await signInAgent(erik, s.server, 'Erik Johansson');
    await startCustomerChat(kim, s.server, KIM, FIRST);
    await erik.getByRole('tab', { name: /^Chats/ }).click();
    await erik.getByRole('button', { name: 'Get next in queue' }).click();
    const box = erik.getByRole('textbox', { name: `Message to ${KIM}` });
    await box.waitFor();
    await erik.locator('chat-window').getByRole('button', { name: 'Create request' }).click();
    const dialog = erik.getByRole('dialog', { name: 'Create request' });
    await dialog.getByRole('button', { name: 'Create request' }).click();
    await eventually(async () => /#\d+/.test(await box.inputValue()), 'the request number in the composer');
    number = /#(\d+)/.exec(await box.inputValue())?.[1] ?? '';
    await box.fill('');
  });

  s.step("the customer asks about her order: the library's FAQs and the CRM's reply about her request are suggested", async () => {
    const box = kim.getByRole('textbox', { name: 'Message' });
    await box.fill(QUESTION);
    await box.press('Enter');
    await erik.locator('chat-window').getByText(QUESTION).first().waitFor();
    const suggestions = erik.locator('chat-composer').getByRole('group', { name: /Suggested replies/ });
    const crm = suggestions.getByRole('button', { name: `Request ${number}: ${FIRST}` });
    await crm.waitFor();
    const titles = await suggestions.getByRole('button').allTextContents();
    assert.ok(titles.some((t) => t.trim() === 'How long does delivery take?'), `the library's FAQ: ${titles.join(' | ')}`);
    assert.equal(titles.at(-1)?.trim(), `Request ${number}: ${FIRST}`, "the CRM's after the library's");
    if (process.env.SCREENSHOTS === '1') await erik.screenshot({ path: `${ROOT}docs/screenshots/agent-suggestions.png` });
  });

  s.step("Alt+↑ reaches the suggestions; the CRM's goes into the message box with Enter and is sent", async () => {
    const box = erik.getByRole('textbox', { name: `Message to ${KIM}` });
    await box.focus();
    await erik.keyboard.press('Alt+ArrowUp');
    await erik.keyboard.press('End');
    await erik.keyboard.press('Enter');
    const expected = `Your request ${number} (“${FIRST}”) is open: we will get back to you shortly.`;
    await eventually(async () => (await box.inputValue()).includes(expected), 'the CRM reply in the message box');
    assert.equal(await box.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement), true, 'focus back in the text area');
    await box.press('Enter');
    await kim.locator('chat-visitor').getByText(expected).waitFor();
  });

  s.noAxeViolations('axe-core finds no violations on the agent page and the customer page', () => ({ erik, kim }));
  s.noPageErrors();
});
