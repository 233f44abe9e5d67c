/**
 * Quote a message in a reply (issue 18), end to end with real pages.
 *
 *   a customer starts a chat (every frame her page receives is recorded) and erik answers it
 *   → erik opens the customer's message menu with the keyboard and chooses "Quote in reply"
 *   → the quote shows above his text area; he replies; his transcript shows the quote above it
 *   → the customer's widget shows the reply with the quote ("In reply to" her name, the excerpt)
 *   → the customer quotes erik's reply in hers (Quote on the message, by keyboard); erik's
 *     transcript shows her message with the quote of his
 *   → erik writes a note and quotes it: a reply is refused with the reason; as a note it goes
 *   → no frame on the customer's socket carries the note's text
 *   → axe-core finds no violations on either page
 *
 * Needs `npm run build` first (`npm test` builds before this step).
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';

import type { Page } from 'playwright-core';

import { axeViolations, ROOT, signInAgent, startCustomerChat, useScenario } from './helpers.js';

const KIM = 'Kim Andersson';
const QUESTION = 'My order #42 never came, can you check?';
const REPLY = 'It left our warehouse today.';
const NOTE = 'Internal: courier lost parcel 4411';
const FOLLOW_UP = 'Great, which courier?';

const RECORD_SOCKET_FRAMES = `
  (() => {
    const frames = [];
    window.__socketFrames = frames;
    const Original = window.WebSocket;
    window.WebSocket = class extends Original {
      constructor(url, protocols) {
        super(url, protocols);
        this.addEventListener('message', (e) => frames.push(typeof e.data === 'string' ? e.data : '[binary]'));
      }
    };
  })();
`;

/** Opens a message's "More actions" menu in erik's transcript by keyboard and picks `item`. */
async function chooseAction(page: Page, text: string, item: string): Promise<void> {
  const row = page.locator('chat-window').getByRole('listitem').filter({ hasText: text }).last();
  await row.hover();
  await row.getByRole('button', { name: 'More actions for this message' }).focus();
  await page.keyboard.press('Enter');
  await row.getByRole('menuitem', { name: item }).waitFor();
  await page.keyboard.press('Enter');
}

describe('quote a message in a reply', { timeout: 180_000 }, () => {
  const s = useScenario();
  let erik: Page;
  let kim: Page;

  s.step('a customer starts a chat and erik answers it', async () => {
    erik = await s.newPage('erik');
    kim = await s.newPage('customer Kim', { viewport: { width: 1280, height: 800 }, init: RECORD_SOCKET_FRAMES });
    await signInAgent(erik, s.server, 'Erik Johansson');
    await startCustomerChat(kim, s.server, KIM, QUESTION);
    await erik.getByRole('tab', { name: /^Chats/ }).click();
    await erik.getByRole('button', { name: 'Get next in queue' }).click();
    await erik.getByRole('textbox', { name: `Message to ${KIM}` }).waitFor();
  });

  s.step('erik quotes the question from its menu, by keyboard, and replies', async () => {
    await chooseAction(erik, QUESTION, 'Quote in reply');
    const composer = erik.locator('chat-composer');
    await composer.locator('[part~="quote"]').waitFor();
    assert.equal(await composer.locator('[part~="quote-text"]').textContent(), QUESTION);
    const box = erik.getByRole('textbox', { name: `Message to ${KIM}` });
    assert.equal(await box.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement), true, 'focus in the text area');
    await erik.keyboard.type(REPLY);
    await erik.keyboard.press('Enter');
    await composer.locator('[part~="quote"]').waitFor({ state: 'detached' });
    const mine = erik.locator('chat-message-list').getByRole('listitem').filter({ hasText: REPLY });
    await mine.locator('[part~="quote"]').waitFor();
    assert.match((await mine.locator('[part~="quote"]').textContent()) ?? '', /In reply to\s*Kim Andersson\s*My order #42 never came/);
  });

  s.step('the customer sees the reply with the quote of her question', async () => {
    const reply = kim.locator('chat-visitor').getByRole('listitem').filter({ hasText: REPLY });
    await reply.waitFor();
    const quote = reply.locator('[part~="quote"]');
    await quote.waitFor();
    assert.equal(await quote.locator('[part~="quote-author"]').textContent(), KIM);
    assert.equal(await quote.locator('[part~="quote-text"]').textContent(), QUESTION);
  });

  s.step("the customer quotes erik's reply in hers; erik sees the quote", async () => {
    const widget = kim.locator('chat-visitor');
    const reply = widget.getByRole('listitem').filter({ hasText: REPLY });
    await reply.getByRole('button', { name: 'Quote' }).focus();
    await kim.keyboard.press('Enter');
    const pending = widget.locator('[part~="composer-quote"]');
    await pending.waitFor();
    assert.equal(await pending.locator('[part~="quote-text"]').textContent(), REPLY);
    if (process.env.SCREENSHOTS === '1') await kim.screenshot({ path: `${ROOT}docs/screenshots/customer-quote.png` });
    await kim.keyboard.type(FOLLOW_UP);
    await kim.keyboard.press('Enter');
    await pending.waitFor({ state: 'detached' });
    const mine = widget.getByRole('listitem').filter({ hasText: FOLLOW_UP });
    await mine.locator('[part~="quote-text"]').getByText(REPLY).waitFor();
    const atErik = erik.locator('chat-message-list').getByRole('listitem').filter({ hasText: FOLLOW_UP });
    await atErik.locator('[part~="quote"]').waitFor();
    assert.match((await atErik.locator('[part~="quote"]').textContent()) ?? '', /Erik Johansson\s*It left our warehouse today\./);
  });

  s.step('a note cannot be quoted to the customer; in a note it can', async () => {
    await erik.getByRole('radio', { name: /^Note/ }).check();
    const noteBox = erik.getByRole('textbox', { name: /note/i });
    await noteBox.fill(NOTE);
    await noteBox.press('Enter');
    await erik.locator('chat-window').getByText(NOTE).first().waitFor();
    await erik.getByRole('radio', { name: /^Reply/ }).check();
    await chooseAction(erik, NOTE, 'Quote in reply');
    const composer = erik.locator('chat-composer');
    await composer.locator('[part~="reason"]').getByText('A note cannot be quoted to the customer').waitFor();
    const box = erik.getByRole('textbox', { name: `Message to ${KIM}` });
    await box.fill('See the note');
    await box.press('Enter');
    assert.equal(await box.inputValue(), 'See the note', 'not sent: the text stays');
    await erik.getByRole('radio', { name: /^Note/ }).check();
    await noteBox.press('Enter');
    const sent = erik.locator('chat-message-list').getByRole('listitem').filter({ hasText: 'See the note' });
    await sent.locator('[part~="quote-text"]').getByText(NOTE).waitFor();
  });

  s.step('no frame on the customer socket carried the note', async () => {
    const frames = await kim.evaluate(() => (window as unknown as { __socketFrames: string[] }).__socketFrames.slice());
    assert.ok(frames.some((f) => f.includes(REPLY)));
    assert.deepEqual(frames.filter((f) => f.includes('parcel 4411') || f.includes('See the note')), []);
  });

  s.step('axe-core finds no violations on either page', async () => {
    assert.deepEqual(await axeViolations(erik), []);
    assert.deepEqual(await axeViolations(kim), []);
  });

  s.noPageErrors();
});
