/**
 * The 8-hour window of completed chats, end to end, on the server's test clock
 * (`CHAT_TEST_CLOCK=1`, `POST /api/test/clock`).
 *
 *   agent erik answers and ends Kim's chat (T0), ten minutes later Lea's chat (T0 + 10 min)
 *   → both are listed under "Completed in the last 8 hours"
 *   → the server's time moves to T0 + 7 h 59 min: both still listed
 *   → and on to T0 + 8 h 1 min: the sweep removes Kim's chat from the board (`session-remove`),
 *     Lea's chat (7 h 51 min ago) is still listed
 *
 * Needs `npm run build` first (`npm test` builds before this step).
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';

import type { Page } from 'playwright-core';

import { advanceClock, agentSends, signInAgent, startCustomerChat, useScenario } from './helpers.js';

const MIN = 60_000;
const KIM = 'Kim Andersson';
const LEA = 'Lea Berg';

describe('recently completed chats stay listed for 8 hours', { timeout: 180_000 }, () => {
  const s = useScenario({ testClock: true });
  let erik: Page;

  const completed = () => erik.getByRole('group', { name: /^Completed in the last 8 hours/ });
  const completedRow = (name: string) => completed().getByRole('option', { name: new RegExp(name) });

  /** A customer starts a chat, erik takes it with "Get next in queue", replies and ends it. */
  async function answerAndEnd(name: string, text: string): Promise<void> {
    const customer = await s.newPage(`customer ${name}`, { viewport: { width: 1280, height: 800 } });
    await startCustomerChat(customer, s.server, name, text);
    await erik.getByRole('tab', { name: 'Dashboard, 1 unanswered chat' }).waitFor();
    await erik.getByRole('tab', { name: /^Chats/ }).click();
    await erik.getByRole('button', { name: 'Get next in queue' }).click();
    await agentSends(erik, name, `Hello ${name}, all sorted. Have a good day!`);
    await erik.getByRole('button', { name: 'End chat' }).first().click();
    const dialog = erik.getByRole('dialog');
    await dialog.getByRole('button', { name: 'End chat' }).click();
    await customer.getByText(/ended the chat|The chat has ended/).first().waitFor();
    await completedRow(name).waitFor();
  }

  s.step('erik signs in', async () => {
    erik = await s.newPage('erik');
    await signInAgent(erik, s.server, 'Erik Johansson');
  });

  s.step('erik ends a chat with Kim, and ten minutes later one with Lea: both are completed', async () => {
    await answerAndEnd(KIM, 'Where is my order 7781?');
    await advanceClock(s.server, 10 * MIN);
    await answerAndEnd(LEA, 'Do you have the Tind jacket in size M?');
    assert.equal(await completed().getByRole('option').count(), 2);
  });

  s.step('7 h 59 min after Kim\'s chat ended, both are still listed', async () => {
    await advanceClock(s.server, 7 * 60 * MIN + 49 * MIN);
    // The sweep has run (advancing runs the timers that became due); give the board a moment.
    await erik.waitForTimeout(500);
    await completedRow(KIM).waitFor();
    await completedRow(LEA).waitFor();
  });

  s.step('8 h 1 min after it ended, Kim\'s chat is gone; Lea\'s (ended later) is still listed', async () => {
    await advanceClock(s.server, 2 * MIN);
    await completedRow(KIM).waitFor({ state: 'detached' });
    await completedRow(LEA).waitFor();
    assert.equal(await completed().getByRole('option').count(), 1);
  });

  s.step('a reload shows the same: the snapshot filters by the window too', async () => {
    await erik.reload();
    await erik.getByRole('tab', { name: /^Chats/ }).click();
    await completedRow(LEA).waitFor();
    assert.equal(await completedRow(KIM).count(), 0);
  });

  s.noPageErrors();
});
