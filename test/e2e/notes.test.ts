/**
 * Internal notes never reach the customer, end to end.
 *
 *   a customer starts a chat; every WebSocket frame her page receives is recorded (the page's
 *   WebSocket is wrapped before any script runs)
 *   → agent erik answers, writes an internal note, then a reply
 *   → the agent sees both (the note marked as a note); the customer sees the reply only
 *   → no frame that arrived on the customer's socket contains the note's text
 *
 * Needs `npm run build` first (`npm test` builds before this step).
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';

import type { Page } from 'playwright-core';

import { signInAgent, startCustomerChat, useScenario } from './helpers.js';

const KIM = 'Kim Andersson';
const NOTE = 'Internal: Kim was promised a refund by phone on 3 March, ticket 4411';
const REPLY = 'Hello Kim! I can see your order, it leaves our warehouse today.';

/**
 * Runs in the customer's page before its scripts (plain JavaScript): records every frame any
 * WebSocket of the page receives, in `window.__socketFrames`.
 */
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

describe('internal notes never reach the customer', { timeout: 180_000 }, () => {
  const s = useScenario();
  let erik: Page;
  let kim: Page;

  const frames = () => kim.evaluate(() => (window as unknown as { __socketFrames: string[] }).__socketFrames.slice());

  s.step('a customer starts a chat (her socket frames recorded) and erik answers it', async () => {
    erik = await s.newPage('erik');
    kim = await s.newPage('customer Kim', { viewport: { width: 1280, height: 800 }, init: RECORD_SOCKET_FRAMES });
    await signInAgent(erik, s.server, 'Erik Johansson');
    await startCustomerChat(kim, s.server, KIM, 'Where is my refund?');
    await erik.getByRole('tab', { name: /^Chats/ }).click();
    await erik.getByRole('button', { name: 'Get next in queue' }).click();
    await erik.getByRole('textbox', { name: `Message to ${KIM}` }).waitFor();
    await kim.locator('chat-visitor').getByText(/Erik Johansson joined the chat/).first().waitFor();
    assert.ok((await frames()).length > 0, 'the recorder saw the customer socket');
  });

  s.step('erik writes an internal note: it is shown to him as a note', async () => {
    await erik.getByRole('radio', { name: /^Note/ }).check();
    const box = erik.getByRole('textbox', { name: new RegExp(`^(Internal )?note`, 'i') });
    await box.fill(NOTE);
    await box.press('Enter');
    await erik.locator('chat-window').getByText(NOTE).first().waitFor();
    const note = erik.getByRole('listitem').filter({ hasText: NOTE });
    assert.match((await note.textContent()) ?? '', /Internal note — not visible to the customer/);
    await erik.getByRole('radio', { name: /^Reply/ }).check();
  });

  s.step('erik replies: the customer sees the reply', async () => {
    const box = erik.getByRole('textbox', { name: `Message to ${KIM}` });
    await box.fill(REPLY);
    await box.press('Enter');
    await kim.locator('chat-visitor').getByText(REPLY).waitFor();
  });

  s.step('the customer sees no note, and no frame on her socket ever carried its text', async () => {
    assert.equal(await kim.locator('chat-visitor').getByText(NOTE).count(), 0);
    const all = await frames();
    assert.ok(all.some((f) => f.includes(REPLY)), 'the reply arrived on the customer socket');
    const leaks = all.filter((f) => f.includes('Internal: Kim') || f.includes('ticket 4411'));
    assert.deepEqual(leaks, [], 'the note reached the customer socket');
  });

  s.noPageErrors();
});
