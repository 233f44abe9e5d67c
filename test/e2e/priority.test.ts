/**
 * Priority and reply targets (issue 18), end to end with real pages on the server's test clock.
 *
 *   Anna (manager) gives Support a first-reply target of 2 min, a next-reply target of 1 min and
 *   a rule: e-mail ending in @bigcorp.example → Urgent
 *   → Kim starts a chat; 100 s later Ola (ola@bigcorp.example) starts one; 30 s later erik signs in
 *   → erik's Dashboard: Ola's chat first (Urgent), its timer in time; Kim's overdue, in words
 *   → "Get next in queue" gives erik Ola's chat (priority before age); he lowers it to High with
 *     the keyboard in the header, and the session list shows High
 *   → erik replies: the timer goes; Ola writes again: the next-reply timer shows on his row
 *   → the statistics count 1 of 1 first replies within target
 *   → axe-core finds no violations; no page reported an error
 *
 * The console reads the server's clock at connect, so after the test clock moves erik's page is
 * reloaded where it must see the new time. With SCREENSHOTS=1 it writes
 * docs/screenshots/priority-dashboard.png and priority-session-list.png.
 * Needs `npm run build` first (`npm test` builds before this step).
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';

import type { Page } from 'playwright-core';

import { ROOT, advanceClock, agentSends, customerSends, eventually, letChatsWaitWithoutAgents, signInAgent, startCustomerChat, useScenario } from './helpers.js';

const KIM = 'Kim Andersson';
const OLA = 'Ola Nordmann';

describe('priority and reply targets', { timeout: 240_000 }, () => {
  const s = useScenario({ testClock: true });
  let erik: Page;
  let ola: Page;

  s.step('anna gives Support reply targets and a priority rule; Kim, then Ola start chats', async () => {
    await letChatsWaitWithoutAgents(s.server);
    const login = await fetch(`${s.server.url}/api/demo/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ tenant: 'demo', agentId: 'anna' }) });
    const { token } = (await login.json()) as { token: string };
    const put = await fetch(`${s.server.url}/api/channels/support/settings`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        targets: { firstResponseSeconds: 120, nextResponseSeconds: 60, rules: [{ field: 'email', match: 'ends-with', value: '@bigcorp.example', priority: 'urgent' }] },
      }),
    });
    assert.equal(put.status, 200, await put.text());
    const kim = await s.newPage('customer Kim', { viewport: { width: 1280, height: 800 } });
    await startCustomerChat(kim, s.server, KIM, 'Where is my order 7781?');
    await advanceClock(s.server, 100_000);
    ola = await s.newPage('customer Ola', { viewport: { width: 1280, height: 800 } });
    await startCustomerChat(ola, s.server, OLA, 'Our whole team is locked out!', { email: 'ola@bigcorp.example' });
    await advanceClock(s.server, 30_000);
  });

  s.step("erik's Dashboard: Ola's urgent chat first, in time; Kim's overdue, said in words", async () => {
    erik = await s.newPage('erik', { viewport: { width: 1440, height: 900 } });
    await signInAgent(erik, s.server, 'Erik Johansson');
    const rows = erik.locator('chat-dashboard').locator('tbody.incoming tr');
    await eventually(async () => (await rows.count()) === 2, 'two waiting rows');
    assert.match((await rows.nth(0).textContent()) ?? '', new RegExp(OLA));
    assert.match((await rows.nth(0).locator('[part~="priority"]').textContent()) ?? '', /Urgent/);
    assert.equal(await rows.nth(0).locator('[part~="sla"]').getAttribute('data-state'), 'ok');
    assert.match((await rows.nth(1).textContent()) ?? '', new RegExp(KIM));
    assert.equal(await rows.nth(1).locator('[part~="sla"]').getAttribute('data-state'), 'breached');
    assert.match((await rows.nth(1).locator('[part~="sla"]').textContent()) ?? '', /First reply overdue/);
    if (process.env.SCREENSHOTS === '1') {
      const incoming = erik.locator('chat-dashboard').locator('section.incoming-section');
      await incoming.scrollIntoViewIfNeeded();
      await incoming.screenshot({ path: `${ROOT}docs/screenshots/priority-dashboard.png` });
    }
  });

  s.step('"Get next in queue" gives erik Ola\'s chat; he sets it to High with the keyboard', async () => {
    await erik.getByRole('tab', { name: /^Chats/ }).click();
    await erik.getByRole('button', { name: 'Get next in queue' }).click();
    await erik.getByRole('textbox', { name: `Message to ${OLA}` }).waitFor();
    const select = erik.locator('chat-conversation').getByRole('combobox', { name: 'Priority' });
    assert.equal(await select.inputValue(), 'urgent');
    await select.focus();
    await erik.keyboard.press('ArrowDown');
    await eventually(async () => (await select.inputValue()) === 'high', 'High chosen');
    const row = erik.getByRole('option', { name: new RegExp(OLA) });
    await row.locator('[part~="priority--high"]').waitFor();
  });

  s.step('erik replies: the timer goes; Ola writes again: the next-reply timer shows on his row', async () => {
    const row = erik.getByRole('option', { name: new RegExp(OLA) });
    await row.locator('[part~="sla"]').waitFor();
    await agentSends(erik, OLA, 'I am on it: resetting your team now.');
    await row.locator('[part~="sla"]').waitFor({ state: 'detached' });
    // Exact: the reply's bubble, not the screen reader's announcement of it ("Erik Johansson: I am…").
    await ola.getByText('I am on it: resetting your team now.', { exact: true }).waitFor();
    await customerSends(ola, 'Thanks! How long will it take?');
    await row.locator('[part~="sla"][data-state="ok"]').waitFor();
    assert.match((await row.locator('[part~="sla"]').textContent()) ?? '', /Reply due in 1 min/);
    if (process.env.SCREENSHOTS === '1') await erik.locator('chat-window').screenshot({ path: `${ROOT}docs/screenshots/priority-session-list.png` });
  });

  s.step('the statistics count the first reply within its target', async () => {
    await erik.getByRole('tab', { name: /^Dashboard/ }).click();
    const card = erik.locator('chat-dashboard').locator('[part~="card--first-target"]');
    await eventually(async () => ((await card.textContent()) ?? '').includes('1 of 1 within target'), 'first replies within target: 1 of 1');
    assert.match((await card.locator('[part="card-value"]').textContent()) ?? '', /100\s?%/);
  });

  s.noAxeViolations('axe-core finds no violations', () => ({ erik, ola }));
  s.noPageErrors();
});
