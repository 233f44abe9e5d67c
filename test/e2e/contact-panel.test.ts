/**
 * The contact panel end to end: the real server with its seeded demo CRM, the built bundles, the
 * sample CRM page (its chat-window gets the REST provider from demo/crm/app.js) and the customer
 * site.
 *
 *   agent erik signs in; Kim Andersson (kim.andersson@example.com, in the demo CRM) starts a chat
 *   → "This contact could be…" lists Kim Andersson with "Same e-mail"; one click links the chat
 *   → the card shows the contact and its requests, sales and activities; "Open in CRM" opens the
 *     demo contact page
 *   → a new customer is created as a new contact with a new company from the panel's form
 *   → the CRM API shows both links, the new contact and company, and a "Chat" activity once the
 *     first chat has ended
 *   → axe-core finds no violations on the agent page
 *   → Kim's next chat (same e-mail, linked before) is linked by itself, said so, with Undo.
 *
 * Steps share one scenario (useScenario) and run in order; after a failed step the rest are skipped.
 * Needs `npm run build` first (`npm test` builds before this step).
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';

import type { Page } from 'playwright-core';

import { axeViolations, signInAgent, startCustomerChat, STEP_TIMEOUT_MS, useScenario } from './helpers.js';

const KIM = { name: 'Kim Andersson', email: 'kim.andersson@example.com' };
const YLVA = { name: 'Ylva Wetterqvist', email: 'ylva@wetterqvist-design.example' };

describe('contact panel (CRM matching, linking, creating)', { timeout: 240_000 }, () => {
  const s = useScenario();
  let agent: Page;
  let kim: Page;
  let ylva: Page;

  /** A CRM API call with the signed-in agent's access token (the one the demo page keeps). */
  async function crm<T>(path: string): Promise<T> {
    const token = await agent.evaluate(() => (JSON.parse(sessionStorage.getItem('nordlys-crm.agent') ?? '{}') as { token?: string }).token ?? '');
    assert.ok(token, 'the agent page has no access token');
    const res = await fetch(`${s.server.url}/api/crm${path}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200, `${path}: HTTP ${String(res.status)}`);
    return (await res.json()) as T;
  }

  const panel = () => agent.locator('chat-contact-panel');

  s.step('agent erik signs in and opens the Chats tab', async () => {
    agent = await s.newPage('agent', { viewport: { width: 1440, height: 900 } });
    kim = await s.newPage('customer Kim', { viewport: { width: 1280, height: 800 } });
    ylva = await s.newPage('customer Ylva', { viewport: { width: 1280, height: 800 } });
    await signInAgent(agent, s.server, 'Erik Johansson');
    await agent.getByRole('tab', { name: /^Chats/ }).click();
    await panel().getByText('No chat is selected. Pick a chat to see the customer in the CRM.').waitFor();
  });

  s.step('a customer whose e-mail is in the demo CRM is matched: Kim Andersson, "Same e-mail"', async () => {
    await startCustomerChat(kim, s.server, KIM.name, 'Hi! Where is my order 7781?', { email: KIM.email });
    await agent.getByRole('button', { name: 'Get next in queue' }).click();
    await panel().getByRole('heading', { name: 'This contact could be…' }).waitFor();
    const match = panel().getByRole('listitem').filter({ has: agent.getByRole('button', { name: 'Link Kim Andersson' }) }).first();
    await match.waitFor();
    const text = (await match.textContent()) ?? '';
    assert.match(text, /Same e-mail/);
    assert.match(text, /Fjällvind Friluft AB/);
  });

  s.step('one click links the chat; the card shows the contact with requests, sales and activities', async () => {
    await panel().getByRole('button', { name: 'Link Kim Andersson' }).first().click();
    await panel().getByRole('heading', { name: 'Kim Andersson', level: 3 }).waitFor();
    await panel().getByRole('button', { name: 'Open in CRM' }).waitFor();
    await panel().getByText('kim.andersson@example.com').waitFor();
    for (const heading of [/^Requests \(\d+\)$/, /^Sales \(\d+\)$/, /^Activities \(\d+\)$/, /^Earlier chats \(\d+\)$/]) {
      await panel().getByRole('heading', { name: heading }).waitFor();
    }
    const { chats } = await crm<{ chats: { sessionId: string; status: string }[] }>('/contacts/pe-0002/chats');
    assert.equal(chats.filter((c) => c.status === 'active').length, 1, 'the running chat is linked to Kim');
  });

  s.step('"Open in CRM" opens the demo contact page of the contact', async () => {
    const [page] = await Promise.all([agent.context().waitForEvent('page'), panel().getByRole('button', { name: 'Open in CRM' }).click()]);
    s.watch(page, 'contact page');
    await page.waitForLoadState();
    assert.match(page.url(), /\/demo\/contact\.html\?id=pe-0002$/);
    await page.getByRole('heading', { name: 'Kim Andersson', level: 1 }).waitFor();
    await page.getByText('Fjällvind Friluft AB').first().waitFor();
    await page.getByText('556712-4410').waitFor();
    await page.close();
  });

  s.step('a new customer is created as a new contact with a new company, and linked', async () => {
    await startCustomerChat(ylva, s.server, YLVA.name, 'Do you sell to design studios?', { email: YLVA.email });
    await agent.getByRole('button', { name: 'Get next in queue' }).click();
    await agent.getByRole('textbox', { name: `Message to ${YLVA.name}` }).waitFor();
    await panel().getByText('No contact in the CRM matches this customer.').waitFor();
    await panel().getByRole('button', { name: 'Create new contact' }).click();
    assert.equal(await panel().getByRole('textbox', { name: /^First name/ }).inputValue(), 'Ylva');
    assert.equal(await panel().getByRole('textbox', { name: /^Last name/ }).inputValue(), 'Wetterqvist');
    assert.equal(await panel().getByRole('textbox', { name: /^E-mail/ }).inputValue(), YLVA.email);
    await panel().getByRole('textbox', { name: /^Title/ }).fill('Creative director');
    await panel().getByRole('radio', { name: 'New company' }).check();
    await panel().getByRole('textbox', { name: /^Company name/ }).fill('Wetterqvist Design AB');
    await panel().getByRole('textbox', { name: /^Org\. no\./ }).fill('559876-5432');
    await panel().getByRole('button', { name: 'Create and link' }).click();
    await panel().getByRole('heading', { name: YLVA.name, level: 3 }).waitFor();
    await panel().getByText('Creative director · Wetterqvist Design AB').waitFor();
  });

  s.step('both appear in the CRM data afterwards', async () => {
    const { contacts } = await crm<{ contacts: { id: string; email?: string; title?: string; company?: { id: string; name: string } }[] }>('/contacts?q=wetterqvist');
    assert.equal(contacts.length, 1);
    const ylvaContact = contacts[0]!;
    assert.equal(ylvaContact.email, YLVA.email);
    assert.ok(ylvaContact.company, 'Ylva has a company');
    assert.equal(ylvaContact.company.name, 'Wetterqvist Design AB');
    const { companies } = await crm<{ companies: { id: string; orgNo?: string }[] }>('/companies?q=559876-5432');
    assert.deepEqual(
      companies.map((c) => [c.id, c.orgNo]),
      [[ylvaContact.company.id, '559876-5432']],
    );
    const { chats } = await crm<{ chats: { status: string }[] }>(`/contacts/${ylvaContact.id}/chats`);
    assert.equal(chats.length, 1, 'Ylva’s chat is linked to her new contact');
  });

  s.step('when the linked chat ends, a "Chat" activity is recorded on Kim', async () => {
    await agent.getByRole('option', { name: new RegExp(KIM.name) }).click();
    await panel().getByRole('heading', { name: KIM.name, level: 3 }).waitFor();
    await agent.getByRole('button', { name: 'End chat' }).first().click();
    const dialog = agent.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'End chat' }).click();
    await kim.locator('chat-visitor').getByText(/Erik Johansson ended the chat|The chat has ended/).first().waitFor();
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    for (;;) {
      const { activities } = await crm<{ activities: { type: string; title: string; text?: string; ownerName?: string }[] }>('/contacts/pe-0002/activities');
      const chat = activities.find((a) => a.type === 'chat');
      if (chat) {
        assert.equal(chat.title, 'Chat');
        assert.equal(chat.text, 'Chat with Kim Andersson (Support)');
        assert.equal(chat.ownerName, 'Erik Johansson');
        break;
      }
      assert.ok(Date.now() < deadline, 'no Chat activity on Kim');
      await agent.waitForTimeout(100);
    }
  });

  s.step('axe-core finds no violations on the agent page with the contact card', async () => {
    await panel().getByRole('heading', { name: KIM.name, level: 3 }).waitFor();
    const problems = await axeViolations(agent);
    assert.deepEqual(problems, [], problems.join('\n'));
  }, true);

  s.step("Kim's next chat (same e-mail, linked before) is linked by itself; the agent is told, and Undo takes the link away", async () => {
    const kimAgain = await s.newPage('customer Kim again', { viewport: { width: 1280, height: 800 } });
    await startCustomerChat(kimAgain, s.server, KIM.name, 'Hello again, one more question.', { email: KIM.email });
    await agent.getByRole('button', { name: 'Get next in queue' }).click();
    await agent.getByRole('textbox', { name: `Message to ${KIM.name}` }).waitFor();
    await panel().getByText(`Linked automatically to ${KIM.name}: the same e-mail as in an earlier chat.`).waitFor();
    await panel().getByRole('heading', { name: KIM.name, level: 3 }).waitFor();
    // Focus stayed where the agent was: in the composer.
    const focused = await agent.evaluate(() => {
      let a: Element | null = document.activeElement;
      const path: string[] = [];
      while (a) {
        path.push(a.localName);
        a = a.shadowRoot?.activeElement ?? null;
      }
      return path.join('>');
    });
    assert.ok(!focused.includes('chat-contact-panel'), `focus moved into the panel: ${focused}`);
    let chats = (await crm<{ chats: { status: string }[] }>('/contacts/pe-0002/chats')).chats;
    assert.equal(chats.filter((c) => c.status === 'active').length, 1, 'the new chat is linked to Kim');

    await panel().getByRole('button', { name: 'Undo' }).click();
    await panel().getByRole('heading', { name: 'This contact could be…' }).waitFor();
    await panel().getByRole('button', { name: 'Link Kim Andersson' }).first().waitFor();
    chats = (await crm<{ chats: { status: string }[] }>('/contacts/pe-0002/chats')).chats;
    assert.equal(chats.filter((c) => c.status === 'active').length, 0, 'Undo took the link away in the CRM');
    await kimAgain.close();
  });

  s.noPageErrors();
});
