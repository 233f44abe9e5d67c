/**
 * Automatic assignment (issue 18), end to end with real pages on the server's test clock.
 *
 *   Anna (manager) switches Support to round robin (30 s to accept); erik and sofia are Present
 *   → Kim starts a chat: it is offered to erik only (round robin: nobody was offered one yet, then
 *     by id); he accepts with the keyboard and continues in the chat
 *   → Lea starts a chat: it is offered to sofia (erik had the last offer); she lets it run out
 *   → 30 s later (test clock) sofia is set Away, her console says why, and the chat is offered to
 *     erik; he declines
 *   → nobody else fits: it waits; sofia chooses "Set me Present" and it is offered to her again;
 *     she accepts and continues in the chat
 *   → axe-core finds no violations; no page reported an error
 *
 * With SCREENSHOTS=1 it writes docs/screenshots/assignment-offer.png and assignment-auto-away.png.
 * Needs `npm run build` first (`npm test` builds before this step).
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';

import type { Page } from 'playwright-core';

import { ROOT, advanceClock, eventually, setPresence, signInAgent, startCustomerChat, useScenario } from './helpers.js';

const KIM = 'Kim Andersson';
const LEA = 'Lea Berg';

describe('automatic assignment: round robin and auto-away', { timeout: 240_000 }, () => {
  const s = useScenario({ testClock: true });
  let erik: Page;
  let sofia: Page;

  const offer = (page: Page, customer: string) => page.locator('chat-window').getByRole('group', { name: `Chat offered to you: ${customer}, Support` });

  s.step('anna switches Support to round robin; erik and sofia sign in, Present', async () => {
    const login = await fetch(`${s.server.url}/api/demo/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ tenant: 'demo', agentId: 'anna' }) });
    const { token } = (await login.json()) as { token: string };
    const put = await fetch(`${s.server.url}/api/channels/support/settings`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ assignment: { mode: 'round-robin', offerSeconds: 30 } }),
    });
    assert.equal(put.status, 200, await put.text());
    erik = await s.newPage('erik');
    await signInAgent(erik, s.server, 'Erik Johansson');
    await setPresence(erik, 'Present');
    sofia = await s.newPage('sofia');
    await signInAgent(sofia, s.server, 'Sofia Berg');
    await setPresence(sofia, 'Present');
  });

  s.step("Kim's chat is offered to erik only; he accepts with the keyboard and continues in the chat", async () => {
    const kim = await s.newPage('customer Kim', { viewport: { width: 1280, height: 800 } });
    await startCustomerChat(kim, s.server, KIM, 'Where is my order 7781?');
    await offer(erik, KIM).waitFor();
    assert.equal(await offer(sofia, KIM).count(), 0, 'one offer at a time, to one agent');
    if (process.env.SCREENSHOTS === '1') await erik.locator('chat-window').screenshot({ path: `${ROOT}docs/screenshots/assignment-offer.png` });
    await offer(erik, KIM).getByRole('button', { name: 'Accept' }).focus();
    await erik.keyboard.press('Enter');
    await erik.getByRole('textbox', { name: `Message to ${KIM}` }).waitFor();
    await offer(erik, KIM).waitFor({ state: 'detached' });
    await kim.locator('chat-visitor').getByText(/Erik Johansson/).first().waitFor();
  });

  s.step("Lea's chat is offered to sofia; she lets it run out: she is set Away and it goes to erik, who declines", async () => {
    const lea = await s.newPage('customer Lea', { viewport: { width: 1280, height: 800 } });
    await startCustomerChat(lea, s.server, LEA, 'Do you have the Tind jacket in size M?');
    await offer(sofia, LEA).waitFor();
    assert.equal(await offer(erik, LEA).count(), 0);
    await advanceClock(s.server, 30_000);
    await sofia.locator('chat-window').getByText('You were set to Away because a chat offered to you was not accepted in time.').waitFor();
    if (process.env.SCREENSHOTS === '1') await sofia.locator('chat-window').screenshot({ path: `${ROOT}docs/screenshots/assignment-auto-away.png` });
    const away = sofia.getByRole('radiogroup', { name: 'Status' }).getByRole('radio', { name: 'Away' });
    await eventually(() => away.isChecked(), 'sofia shown Away');
    await offer(sofia, LEA).waitFor({ state: 'detached' });
    await offer(erik, LEA).waitFor();
    await offer(erik, LEA).getByRole('button', { name: 'Decline' }).click();
    await offer(erik, LEA).waitFor({ state: 'detached' });
  });

  s.step('"Set me Present": the waiting chat is offered to sofia again; she accepts it', async () => {
    await sofia.locator('chat-window').getByRole('button', { name: 'Set me Present' }).click();
    await offer(sofia, LEA).waitFor();
    await offer(sofia, LEA).getByRole('button', { name: 'Accept' }).click();
    await sofia.getByRole('textbox', { name: `Message to ${LEA}` }).waitFor();
    assert.equal(await offer(erik, LEA).count(), 0);
  });

  s.noAxeViolations('axe-core finds no violations', () => ({ erik, sofia }));
  s.noPageErrors();
});
