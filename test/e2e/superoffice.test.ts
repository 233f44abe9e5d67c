/**
 * The SuperOffice adapter end to end, on the demo page: the real server started with
 * `--demo-superoffice` (as `npm start` does), which also runs the SuperOffice stand-in
 * (server/node/superoffice-stand-in.ts: local, NOT SuperOffice; the paths and JSON shapes of
 * SuperOffice's REST reference), the built bundles, the sample CRM page switched to the adapter
 * ("CRM behind the chat" → `/demo/?crm=superoffice`), and the customer site.
 *
 *   agent erik switches the console to the SuperOffice adapter and signs in
 *   → Sara Lindgren (a person in the stand-in) starts a chat: "This contact could be…" lists her
 *     with "Same e-mail" and her company; one click links the chat, the card shows her requests,
 *     sales and activities from the stand-in
 *   → a new customer is created as a new person with a new company from the panel's form
 *   → "Create request" makes a ticket with the transcript (HTML escaped) in the stand-in
 *   → the agent ends Sara's chat: the chat is stored as a completed appointment on her
 *   → axe-core finds no violations; no page reported an error.
 *
 * Every check of SuperOffice's side reads the stand-in's state over HTTP (`GET /stand-in/state`,
 * a call of the stand-in only). With SCREENSHOTS=1 it writes docs/screenshots/superoffice-contact-panel.png.
 * Needs `npm run build` first (`npm test` builds before this step).
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';

import type { Page } from 'playwright-core';

import { axeViolations, customerSends, eventually, ROOT, startCustomerChat, useScenario } from './helpers.js';

const SARA = { name: 'Sara Lindgren', email: 'sara.lindgren@nordkust.example', personId: 101 };
const YLVA = { name: 'Ylva Wetterqvist', email: 'ylva@wetterqvist-design.example' };

interface StandInState {
  name: string;
  contacts: { ContactId: number; Name: string; OrgNr?: string }[];
  persons: { PersonId: number; Firstname: string; Lastname: string; Title?: string; Email?: string; ContactId?: number }[];
  tickets: { TicketId: number; Title: string; PersonId?: number; BaseStatus: string }[];
  appointments: { AppointmentId: number; Text: string; Type: string; PersonId?: number; ContactId?: number }[];
  ticketMessages: { Ticket?: { TicketId?: number }; Body?: string; HtmlBody?: string; Slevel?: string }[];
}

describe('SuperOffice adapter on the demo page (against the local SuperOffice stand-in)', { timeout: 240_000 }, () => {
  const s = useScenario({ args: () => ['--demo-superoffice'] });
  let agent: Page;
  let sara: Page;
  let ylva: Page;
  let standIn = '';

  /** What the stand-in holds now (its own call, not SuperOffice's API). */
  async function state(): Promise<StandInState> {
    const res = await fetch(`${standIn}/stand-in/state`);
    assert.equal(res.status, 200);
    return (await res.json()) as StandInState;
  }

  const panel = () => agent.locator('chat-contact-panel');

  s.step('the server says where its SuperOffice stand-in is', async () => {
    const res = await fetch(`${s.server.url}/api/demo/superoffice`);
    const body = await res.text();
    assert.equal(res.status, 200, body);
    const { name, webApiUrl } = JSON.parse(body) as { name: string; webApiUrl: string };
    assert.equal(name, 'SuperOffice stand-in (local, not SuperOffice)');
    assert.match(webApiUrl, /^http:\/\/127\.0\.0\.1:\d+\/Cust12345$/);
    standIn = new URL(webApiUrl).origin;
    const before = await state();
    assert.ok(before.persons.some((p) => p.PersonId === SARA.personId && p.Email === SARA.email));
    // Without an agent's access token the server hands out no SuperOffice token.
    const refused = await fetch(`${s.server.url}/api/demo/superoffice/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(refused.status, 401);
  });

  s.step('agent erik picks the SuperOffice adapter in "CRM behind the chat" and signs in', async () => {
    agent = await s.newPage('agent', { viewport: { width: 1440, height: 900 } });
    sara = await s.newPage('customer Sara', { viewport: { width: 1280, height: 800 } });
    ylva = await s.newPage('customer Ylva', { viewport: { width: 1280, height: 800 } });
    await agent.goto(`${s.server.url}/demo/`);
    await Promise.all([agent.waitForURL(/\/demo\/\?crm=superoffice$/), agent.getByLabel('CRM behind the chat').selectOption('superoffice')]);
    await agent.getByRole('radio', { name: /Erik Johansson/ }).check();
    await agent.getByRole('button', { name: 'Sign in' }).click();
    await agent.getByRole('tab', { name: /^Dashboard/ }).waitFor();
    await agent.getByText('Contact panel: the SuperOffice adapter on the SuperOffice stand-in (local, not SuperOffice).').waitFor();
    assert.equal(await agent.getByLabel('CRM behind the chat').inputValue(), 'superoffice');
    await agent.getByRole('tab', { name: /^Chats/ }).click();
    await panel().getByText('No chat is selected. Pick a chat to see the customer in the CRM.').waitFor();
  });

  s.step('Sara (a person in the stand-in) is matched by e-mail, linked in one click, and shown with her SuperOffice records', async () => {
    await startCustomerChat(sara, s.server, SARA.name, 'Hi! Is the spare propeller in yet?', { email: SARA.email });
    await agent.getByRole('button', { name: 'Get next in queue' }).click();
    await panel().getByRole('heading', { name: 'This contact could be…' }).waitFor();
    const match = panel().getByRole('listitem').filter({ has: agent.getByRole('button', { name: `Link ${SARA.name}` }) }).first();
    await match.waitFor();
    const text = (await match.textContent()) ?? '';
    assert.match(text, /Same e-mail/);
    assert.match(text, /Nordkust Marin AB/);
    await panel().getByRole('button', { name: `Link ${SARA.name}` }).first().click();
    await panel().getByRole('heading', { name: SARA.name, level: 3 }).waitFor();
    await panel().getByText(SARA.email).waitFor();
    // Her requests, sale and activity come from the stand-in.
    await panel().getByRole('heading', { name: 'Requests (2)' }).waitFor();
    await panel().getByRole('heading', { name: 'Sales (1)' }).waitFor();
    await panel().getByRole('heading', { name: 'Activities (1)' }).waitFor();
    await panel().getByText('Spare propeller on back order').waitFor();
  });

  s.step('a new customer becomes a new person with a new company in the stand-in', async () => {
    await startCustomerChat(ylva, s.server, YLVA.name, 'Do you rent out boats to design studios?', { email: YLVA.email });
    await agent.getByRole('button', { name: 'Get next in queue' }).click();
    await agent.getByRole('textbox', { name: `Message to ${YLVA.name}` }).waitFor();
    await panel().getByText('No contact in the CRM matches this customer.').waitFor();
    await panel().getByRole('button', { name: 'Create new contact' }).click();
    assert.equal(await panel().getByRole('textbox', { name: /^E-mail/ }).inputValue(), YLVA.email);
    await panel().getByRole('textbox', { name: /^Title/ }).fill('Creative director');
    await panel().getByRole('radio', { name: 'New company' }).check();
    await panel().getByRole('textbox', { name: /^Company name/ }).fill('Wetterqvist Design AB');
    await panel().getByRole('textbox', { name: /^Org\. no\./ }).fill('559876-5432');
    await panel().getByRole('button', { name: 'Create and link' }).click();
    await panel().getByRole('heading', { name: YLVA.name, level: 3 }).waitFor();
    await panel().getByText('Creative director · Wetterqvist Design AB').waitFor();
    const { persons, contacts } = await state();
    const company = contacts.find((c) => c.Name === 'Wetterqvist Design AB');
    assert.ok(company, 'the company is in the stand-in');
    assert.equal(company.OrgNr, '559876-5432');
    const person = persons.find((p) => p.Email === YLVA.email);
    assert.ok(person, 'the person is in the stand-in');
    assert.deepEqual([person.Firstname, person.Lastname, person.Title, person.ContactId], ['Ylva', 'Wetterqvist', 'Creative director', company.ContactId]);
  });

  s.step('"Create request" makes a SuperOffice ticket with the chat\'s transcript, markup escaped', async () => {
    await agent.getByRole('option', { name: new RegExp(SARA.name) }).click();
    await panel().getByRole('heading', { name: SARA.name, level: 3 }).waitFor();
    await customerSends(sara, 'It is the <b>18-inch</b> one.');
    const conversation = agent.locator('chat-window').getByRole('list', { name: `Messages with ${SARA.name}` });
    await conversation.getByText('It is the <b>18-inch</b> one.').waitFor();
    await agent.locator('chat-window').getByRole('button', { name: 'Create request' }).click();
    const dialog = agent.getByRole('dialog', { name: 'Create request' });
    await dialog.waitFor();
    await dialog.getByRole('textbox', { name: 'Title' }).fill('Spare propeller 18-inch: delivery date');
    await dialog.getByRole('button', { name: 'Create request' }).click();
    const box = agent.getByRole('textbox', { name: `Message to ${SARA.name}` });
    await eventually(async () => /^I have registered your request as #\d+\.$/.test(await box.inputValue()), 'the request number is in the composer');
    const number = Number(/#(\d+)/.exec(await box.inputValue())?.[1]);
    await agent.locator('chat-window').getByRole('button', { name: new RegExp(`^Request #${String(number)}:`) }).waitFor();
    // The contact panel lists it too: its requests load again from SuperOffice.
    await panel().getByRole('heading', { name: 'Requests (3)' }).waitFor();
    await panel().getByText('Spare propeller 18-inch: delivery date').waitFor();

    const { tickets, ticketMessages } = await state();
    const ticket = tickets.find((t) => t.TicketId === number);
    assert.ok(ticket, `ticket ${String(number)} is in the stand-in`);
    assert.deepEqual([ticket.Title, ticket.PersonId, ticket.BaseStatus], ['Spare propeller 18-inch: delivery date', SARA.personId, 'Active']);
    const message = ticketMessages.find((m) => m.Ticket?.TicketId === number);
    assert.ok(message, 'the ticket has a message with the transcript');
    assert.match(message.Body ?? '', /Sara Lindgren: Hi! Is the spare propeller in yet\?/);
    assert.match(message.HtmlBody ?? '', /It is the &#60;b&#62;18-inch&#60;\/b&#62; one\./);
    assert.doesNotMatch(message.HtmlBody ?? '', /<b>18-inch/);

    if (process.env.SCREENSHOTS === '1') await agent.locator('#chat').screenshot({ path: `${ROOT}docs/screenshots/superoffice-contact-panel.png` });
  });

  s.step('the agent ends Sara\'s chat: it is stored as a completed appointment on her in the stand-in', async () => {
    await agent.locator('chat-window').getByRole('button', { name: 'End chat' }).first().click();
    const dialog = agent.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'End chat' }).click();
    await sara.locator('chat-visitor').getByText(/Erik Johansson ended the chat|The chat has ended/).first().waitFor();
    let stored: StandInState['appointments'][number] | undefined;
    await eventually(async () => {
      stored = (await state()).appointments.find((a) => a.PersonId === SARA.personId && a.Text.startsWith(`Chat with ${SARA.name}`));
      return stored !== undefined;
    }, 'an appointment for the chat in the stand-in');
    assert.ok(stored);
    assert.equal(stored.ContactId, 21, 'on her company too');
    assert.match(stored.Text, /Hi! Is the spare propeller in yet\?/);
    assert.match(stored.Text, /It is the <b>18-inch<\/b> one\./, 'plain text, as the customer wrote it');
  });

  s.step('axe-core finds no violations on the agent page with the SuperOffice contact card', async () => {
    await agent.getByRole('option', { name: new RegExp(YLVA.name) }).click();
    await panel().getByRole('heading', { name: YLVA.name, level: 3 }).waitFor();
    const problems = await axeViolations(agent);
    assert.deepEqual(problems, [], problems.join('\n'));
  }, true);

  s.noPageErrors();
});
