/**
 * Presence, end to end: customers are told when nobody can answer.
 *
 *   agents erik and sofia (both in Support) sign in; a customer starts a chat in Support
 *   → both set Away with the console's Status control: the customer's widget says, live, that
 *     no agent is online
 *   → sofia comes back (Present): the notice goes away
 *   → the status is kept by the server: a reload of erik's console still shows Away
 *
 * Needs `npm run build` first (`npm test` builds before this step).
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';

import type { Page } from 'playwright-core';

import { axeViolations, eventually, setPresence, signInAgent, startCustomerChat, useScenario } from './helpers.js';

const NOTICE = /No agent is online right now/;

describe('presence: customers are told when no agent is available', { timeout: 180_000 }, () => {
  const s = useScenario();
  let erik: Page;
  let sofia: Page;
  let kim: Page;

  s.step('erik and sofia sign in; a customer starts a chat in Support and sees no notice', async () => {
    erik = await s.newPage('erik');
    sofia = await s.newPage('sofia');
    kim = await s.newPage('customer Kim', { viewport: { width: 1280, height: 800 } });
    await signInAgent(erik, s.server, 'Erik Johansson');
    await signInAgent(sofia, s.server, 'Sofia Berg');
    await startCustomerChat(kim, s.server, 'Kim Andersson', 'Is anyone there?');
    await erik.getByRole('tab', { name: 'Dashboard, 1 unanswered chat' }).waitFor();
    assert.equal(await kim.locator('chat-visitor').getByText(NOTICE).count(), 0);
  });

  s.step('the Status control is a labelled radio group, and Away is explained', async () => {
    const group = erik.getByRole('radiogroup', { name: 'Status' });
    assert.equal(await group.getByRole('radio', { name: 'Present' }).isChecked(), true);
    const away = group.getByRole('radio', { name: 'Away' });
    // The description is tied to the Away choice (read with it) even while Present.
    assert.equal(await away.getAttribute('aria-describedby'), 'presence-note');
    assert.match((await erik.locator('chat-window #presence-note').textContent()) ?? '', /you can still answer chats, but you get no transfers or warnings/);
  });

  s.step('erik goes Away: sofia is still Present, so the customer sees no notice', async () => {
    await setPresence(erik, 'Away');
    await erik.getByText('You are Away. You can still answer chats, but you get no transfers or warnings.').waitFor();
    // Give the server a moment to tell the customer, should it (wrongly) do so.
    await kim.waitForTimeout(500);
    assert.equal(await kim.locator('chat-visitor').getByText(NOTICE).count(), 0);
  });

  s.step('sofia goes Away too: every agent of Support is Away and the customer is told, live', async () => {
    await setPresence(sofia, 'Away');
    await kim.locator('chat-visitor').getByText(NOTICE).waitFor();
  });

  s.step('axe-core finds no violations on the customer page with the notice and on the agent page while Away', async () => {
    const problems = [...(await axeViolations(kim)).map((v) => `customer page: ${v}`), ...(await axeViolations(erik)).map((v) => `agent page: ${v}`)];
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  s.step('sofia comes back: the notice goes away', async () => {
    await setPresence(sofia, 'Present');
    await kim.locator('chat-visitor').getByText(NOTICE).waitFor({ state: 'detached' });
  });

  s.step('the status is kept by the server: erik is still Away after a reload', async () => {
    await erik.reload();
    const away = erik.getByRole('radiogroup', { name: 'Status' }).getByRole('radio', { name: 'Away' });
    await eventually(() => away.isChecked(), 'Away checked after the reload');
  });

  s.noPageErrors();
});
