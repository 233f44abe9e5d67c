/**
 * Ask for help (issue 18), end to end: the real server, the built bundles, the demo pages.
 *
 *   anna (supervisor: listen and manager in Sales and Support) and erik (agent) sign in
 *   → a customer (Kim) starts a chat, erik answers it
 *   → erik asks for help from the conversation's toolbar with a note ("what I need", markup stays
 *     text): the toggle is pressed, a bar says so; the customer is never told
 *   → anna's Dashboard lists it under "Help requested" (customer, erik and his note, channel, a
 *     waiting time that counts)
 *   → anna chooses Whisper: the listen-in panel opens with focus in its whisper box and shows
 *     erik's note in the transcript; the request clears by itself, for erik (his bar goes and he
 *     reads "Anna Lindqvist joined to help") and on anna's own Dashboard
 *   → anna whispers; erik sees it marked as a whisper; Kim never gets it
 *   → erik asks again (no note); anna takes over from the list: the request leaves her list, her
 *     Chats tab shows the chat to answer, erik reads along, Kim gets anna's reply
 *   → axe-core finds no violations on the three pages; no page reported an error.
 *
 * Needs `npm run build` first (`npm test` builds before this step).
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';

import type { Locator, Page } from 'playwright-core';

import { agentSends, signInAgent, startCustomerChat, useScenario } from './helpers.js';

const KIM = 'Kim Andersson';
const NOTE = 'Refund of 900 EUR is <b>over my limit</b>: may I?';

describe('ask for help (agent asks, supervisor whispers and takes over)', { timeout: 240_000 }, () => {
  const s = useScenario();
  let anna: Page;
  let erik: Page;
  let kim: Page;

  const helpTable = (): Locator => anna.getByRole('table', { name: /Help requested/ });
  const helpRow = (): Locator => helpTable().getByRole('row', { name: new RegExp(KIM) });
  const panel = (): Locator => anna.getByRole('complementary', { name: `Listening to ${KIM}` });
  const waitingOf = async (): Promise<string> => ((await helpRow().locator('[part~="waiting"]').textContent()) ?? '').trim();

  s.step('anna and erik sign in; a customer starts a chat and erik answers it', async () => {
    anna = await s.newPage('anna');
    erik = await s.newPage('erik');
    await signInAgent(anna, s.server, 'Anna Lindqvist');
    await signInAgent(erik, s.server, 'Erik Johansson');
    kim = await s.newPage('customer Kim', { viewport: { width: 1280, height: 800 } });
    await startCustomerChat(kim, s.server, KIM, 'My order 7781 arrived damaged. I want a refund of 900 EUR.');
    await erik.getByRole('tab', { name: /^Chats/ }).click();
    await erik.getByRole('button', { name: 'Get next in queue' }).click();
    await erik.getByRole('textbox', { name: `Message to ${KIM}` }).waitFor();
    await kim.locator('chat-visitor').getByText(/Erik Johansson joined the chat/).first().waitFor();
  });

  s.step('erik asks for help from the toolbar with a note: the toggle is pressed and a bar says so', async () => {
    const button = erik.getByRole('button', { name: 'Ask for help…' });
    await button.focus();
    await button.press('Enter');
    const dialog = erik.getByRole('dialog', { name: `Ask for help in the chat with ${KIM}` });
    await dialog.waitFor();
    const note = dialog.getByRole('textbox', { name: 'What do you need? (optional)' });
    assert.equal(await note.getAttribute('maxlength'), '300');
    await note.fill(NOTE);
    await dialog.getByRole('button', { name: 'Ask for help', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const cancel = erik.getByRole('button', { name: 'Cancel help request' });
    await cancel.waitFor();
    assert.equal(await cancel.getAttribute('aria-pressed'), 'true');
    await erik.getByText(/You asked for help at .+ The supervisors of this channel see it on their Dashboard\./).waitFor();
    await erik.locator('chat-conversation').locator('[part~="help-note"]').getByText(NOTE, { exact: true }).waitFor();
    // At 1440 px the header keeps the title and all its buttons on one line (compact tool buttons).
    const line = await erik.evaluate(() => {
      const root = document.querySelector('chat-window')?.shadowRoot?.querySelector('chat-conversation')?.shadowRoot;
      const title = root?.querySelector('[part~="title"]')?.getBoundingClientRect();
      const buttons = [...(root?.querySelectorAll('[part~="actions"] button') ?? [])].map((b) => b.getBoundingClientRect());
      return { count: buttons.length, tops: [...new Set(buttons.map((r) => Math.round(r.top)))], besideTitle: buttons.every((r) => title !== undefined && r.top < title.bottom && r.left >= title.right) };
    });
    assert.ok(line.count >= 5, `the header's buttons: ${JSON.stringify(line)}`);
    assert.equal(line.tops.length, 1, `one line of buttons: ${JSON.stringify(line)}`);
    assert.ok(line.besideTitle, `beside the title: ${JSON.stringify(line)}`);
    // His own list marks the chat too.
    await erik.getByRole('option', { name: new RegExp(`${KIM}.*Erik Johansson asked for help`) }).waitFor();
  });

  s.step("anna's Dashboard lists the request with its waiting time, which counts", async () => {
    await helpRow().waitFor();
    const text = ((await helpRow().textContent()) ?? '').replace(/\s+/g, ' ');
    assert.match(text, /Erik Johansson/);
    assert.ok(text.includes(NOTE), `the note, as text: ${text}`);
    assert.equal(await helpRow().locator('b').count(), 0, 'the note is never markup');
    assert.match(text, /Support/);
    const first = await waitingOf();
    assert.match(first, /^\d+ s$|^\d+ min( \d+ s)?$/);
    // Live: the cell changes by itself (no reload, no board event).
    await anna.waitForFunction(
      ([customer, before]) => {
        const dash = document.querySelector('chat-window')?.shadowRoot?.querySelector('chat-dashboard');
        const row = [...(dash?.shadowRoot?.querySelectorAll('[part~="help-row"]') ?? [])].find((r) => r.textContent.includes(customer));
        const now = row?.querySelector('[part~="waiting"]')?.textContent.trim();
        return now !== undefined && now !== before;
      },
      [KIM, first] as const,
    );
    await helpRow().getByRole('button', { name: `Take over the chat with ${KIM}` }).waitFor();
  });

  s.step('the customer is never told', async () => {
    assert.equal(await kim.locator('chat-visitor').getByText(/asked for help|needs help|supervisor/i).count(), 0);
  });

  s.step('anna chooses Whisper: the panel opens with focus in the whisper box; the request clears for erik', async () => {
    await helpRow().getByRole('button', { name: `Whisper to Erik Johansson in the chat with ${KIM}` }).click();
    await panel().waitFor();
    const box = panel().getByRole('textbox', { name: 'Whisper to Erik Johansson' });
    await box.waitFor();
    await anna.waitForFunction(() => {
      let a: Element | null = document.activeElement;
      while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
      return a?.localName === 'textarea' && a.getAttribute('aria-label') === 'Whisper to Erik Johansson';
    });
    await erik.locator('chat-conversation').getByText('Anna Lindqvist joined to help').waitFor();
    await erik.getByRole('button', { name: 'Ask for help…' }).waitFor();
    assert.equal(await erik.getByText(/You asked for help at/).count(), 0, "erik's bar is gone");
    // The note is in the conversation anna listens to.
    await panel().getByText(`Erik Johansson asked for help: “${NOTE}”`).waitFor();
    // Her own Dashboard drops the request too (it used to stay: the listen-in snapshot set it back).
    await helpRow().waitFor({ state: 'detached' });
    assert.equal(await anna.getByRole('heading', { name: /Help requested/ }).count(), 0, 'no Help requested section left');
  });

  s.step('anna whispers: erik sees it marked, the customer never gets it', async () => {
    const box = panel().getByRole('textbox', { name: 'Whisper to Erik Johansson' });
    await box.fill('Offer a replacement first; a refund over 500 EUR needs my approval.');
    await box.press('Enter');
    const conversation = erik.locator('chat-conversation');
    await conversation.getByText('Offer a replacement first; a refund over 500 EUR needs my approval.').waitFor();
    await conversation.locator('[part~="message--whisper"]').first().waitFor();
    await agentSends(erik, KIM, 'We can send you a new one today, or refund you.');
    await kim.locator('chat-visitor').getByText('We can send you a new one today, or refund you.').waitFor();
    assert.equal(await kim.getByText(/replacement first/).count(), 0);
    await panel().getByRole('button', { name: 'Stop listening' }).click();
    await panel().waitFor({ state: 'detached' });
  });

  s.step('erik asks again; anna takes over from the list: the chat is hers to answer, erik reads along', async () => {
    await erik.getByRole('button', { name: 'Ask for help…' }).click();
    const dialog = erik.getByRole('dialog', { name: `Ask for help in the chat with ${KIM}` });
    await dialog.getByRole('button', { name: 'Ask for help', exact: true }).click();
    await erik.getByRole('button', { name: 'Cancel help request' }).waitFor();
    await helpRow().waitFor();
    assert.equal(await helpRow().locator('[part~="help-note"]').count(), 0, 'no note this time');
    await helpRow().getByRole('button', { name: `Take over the chat with ${KIM}` }).click();
    await helpRow().waitFor({ state: 'detached' });
    // anna is taken to the Chats tab with the chat open to answer.
    await anna.getByRole('textbox', { name: `Message to ${KIM}` }).waitFor();
    await erik.getByText(`Anna Lindqvist took over this chat. You are listening.`).waitFor();
    assert.equal(await erik.getByRole('button', { name: /Ask for help|Cancel help request/ }).count(), 0, 'no help toggle in a chat that is no longer his');
    await agentSends(anna, KIM, 'Hi Kim, I am Anna, the team lead. A replacement is on its way.');
    await kim.locator('chat-visitor').getByText('A replacement is on its way.', { exact: false }).waitFor();
  });

  s.step('the customer never heard of the request for help, the whisper or the supervisor joining', async () => {
    assert.equal(await kim.locator('chat-visitor').getByText(/asked for help|joined to help|needs my approval/i).count(), 0);
  });

  s.noAxeViolations('axe-core finds no violations on the three pages', () => ({ anna, erik, kim }));
  s.noPageErrors();
});
