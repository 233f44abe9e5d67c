/**
 * Listening in, end to end: the real server, the built bundles, the demo pages.
 *
 *   anna (supervisor: listen in Sales and Support), erik and sofia (plain agents in Support) sign in
 *   → a customer (Kim) starts a chat, erik answers it
 *   → anna's Dashboard: statistics, the chart, the ongoing chat with a Listen button
 *   → anna listens: a read-only live view, labelled "the agent and the customer are not notified",
 *     without a reply composer; she sees every message of erik and Kim as it is written
 *   → neither erik nor Kim is told
 *   → anna whispers to erik (issue 18): erik sees it marked as a whisper, Kim never gets it
 *   → erik marks the chat unread (issue 18): it closes and shows unread until he opens it
 *   → sofia (no listen permission) sees the ongoing chat without a Listen button; a listen frame
 *     forged from her page over a raw WebSocket is refused with `nack forbidden`
 *   → anna stops listening; axe-core finds no violations; no page reported an error.
 *
 * With SCREENSHOTS=1 it writes docs/screenshots/agent-mark-unread.png (erik's list with the chat marked unread).
 * Needs `npm run build` first (`npm test` builds before this step).
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';

import type { Locator, Page } from 'playwright-core';

import { PROTOCOL_VERSION } from '../../src/protocol/limits.js';
import { agentSends, axeViolations, clearOfMidnight, customerSends, ROOT, signInAgent, startCustomerChat, useScenario } from './helpers.js';

const KIM = 'Kim Andersson';

describe('listen-in (supervisor listens, plain agents cannot)', { timeout: 240_000 }, () => {
  const s = useScenario({ testClock: true });
  let anna: Page;
  let erik: Page;
  let sofia: Page;
  let kim: Page;

  const panel = (): Locator => anna.getByRole('complementary', { name: `Listening to ${KIM}` });
  const ongoingRow = (page: Page, name: string) => page.getByRole('table', { name: /Ongoing chats/ }).getByRole('row', { name: new RegExp(name) });

  s.step('anna, erik and sofia sign in on the sample CRM page', async () => {
    await clearOfMidnight(s.server); // the Dashboard's chart counts today's chats
    anna = await s.newPage('anna');
    erik = await s.newPage('erik');
    sofia = await s.newPage('sofia');
    await signInAgent(anna, s.server, 'Anna Lindqvist');
    await signInAgent(erik, s.server, 'Erik Johansson');
    await signInAgent(sofia, s.server, 'Sofia Berg');
    await anna.getByRole('heading', { name: 'Statistics' }).waitFor();
  });

  s.step('a customer starts a chat and erik answers it', async () => {
    kim = await s.newPage('customer Kim', { viewport: { width: 1280, height: 800 } });
    await startCustomerChat(kim, s.server, KIM, 'Hi! My tent pole broke.');
    await erik.getByRole('tab', { name: /^Chats/ }).click();
    await erik.getByRole('button', { name: 'Get next in queue' }).click();
    await erik.getByRole('textbox', { name: `Message to ${KIM}` }).waitFor();
    await kim.locator('chat-visitor').getByText(/Erik Johansson joined the chat/).first().waitFor();
  });

  s.step("anna's dashboard shows the statistics, the chart and the ongoing chat with a Listen button", async () => {
    const ongoing = anna.locator('chat-dashboard').getByRole('term').filter({ hasText: 'Ongoing now' });
    await ongoing.waitFor();
    await anna.waitForFunction(() => {
      const dash = document.querySelector('chat-window')?.shadowRoot?.querySelector('chat-dashboard');
      const value = dash?.shadowRoot?.querySelector('[part~="card--ongoing"] [part=card-value]')?.textContent;
      return value?.trim() === '1';
    });
    await anna.getByRole('img', { name: /^Chats per hour today: 1 in total/ }).waitFor();
    await ongoingRow(anna, KIM).waitFor();
    assert.match((await ongoingRow(anna, KIM).textContent()) ?? '', /Erik Johansson/);
    await anna.getByRole('button', { name: `Listen to the chat with ${KIM}` }).waitFor();
  });

  s.step('anna listens: a read-only live view with a whisper box only, labelled as not notifying anyone', async () => {
    await anna.getByRole('button', { name: `Listen to the chat with ${KIM}` }).click();
    await panel().waitFor();
    await panel().getByText('Listening — the agent and the customer are not notified.').waitFor();
    await panel().getByText('Hi! My tent pole broke.').first().waitFor();
    assert.equal(await panel().getByRole('textbox', { name: /^Message to/ }).count(), 0, 'no reply composer in the listen view');
    await panel().getByRole('textbox', { name: 'Whisper to Erik Johansson' }).waitFor();
    assert.equal(await panel().getByRole('button', { name: /^Send/ }).count(), 0, 'no Send button');
    assert.equal(await panel().getByRole('button', { name: /End chat/ }).count(), 0, 'no End chat button');
  });

  s.step('anna sees every message of erik and the customer live', async () => {
    await agentSends(erik, KIM, 'Sorry to hear that! Which tent is it?');
    await panel().getByText('Sorry to hear that! Which tent is it?').waitFor();
    await customerSends(kim, 'The Fjäll 2, bought in May.');
    await panel().getByText('The Fjäll 2, bought in May.').waitFor();
    await agentSends(erik, KIM, 'A new pole is on its way, free of charge.');
    await panel().getByText('A new pole is on its way, free of charge.').waitFor();
    await kim.locator('chat-visitor').getByText('A new pole is on its way, free of charge.').waitFor();
  });

  s.step('neither erik nor the customer is told', async () => {
    // (erik sees anna online on the board as always: that is presence, not the listening.)
    // What shows (a closed dialog's text, e.g. Ask for help's "can listen in", is in the DOM but not shown).
    assert.equal(await erik.locator('chat-window').getByText(/listen/i).filter({ visible: true }).count(), 0, 'erik: no trace of the listening');
    assert.equal(await kim.getByText(/Anna|listen/i).filter({ visible: true }).count(), 0, 'the customer: no trace of the listener');
  });

  s.step('anna whispers to erik: he sees it marked as a whisper, the customer never gets it', async () => {
    const box = panel().getByRole('textbox', { name: 'Whisper to Erik Johansson' });
    await box.fill('Offer a discount code as well.');
    await box.press('Enter');
    const conversation = erik.locator('chat-conversation');
    await conversation.getByText('Offer a discount code as well.').waitFor();
    await conversation.locator('[part~="message--whisper"]').getByText('Whisper — only agents see it').waitFor();
    await panel().getByText('Offer a discount code as well.').waitFor();
    // A reply erik sends after it reaches Kim; the whisper before it never does.
    await agentSends(erik, KIM, 'You also get 10 % off your next order.');
    await kim.locator('chat-visitor').getByText('You also get 10 % off your next order.').waitFor();
    assert.equal(await kim.getByText('Offer a discount code as well.').count(), 0, 'the customer never sees a whisper');
  });

  s.step('erik marks the chat unread: it closes and his list shows it unread until he opens it', async () => {
    await erik.getByRole('button', { name: 'Mark unread' }).click();
    const row = erik.getByRole('option', { name: new RegExp(`${KIM}.*unread`) });
    await row.waitFor();
    await erik.getByRole('textbox', { name: `Message to ${KIM}` }).waitFor({ state: 'detached' });
    if (process.env.SCREENSHOTS === '1') await erik.locator('chat-window').screenshot({ path: `${ROOT}docs/screenshots/agent-mark-unread.png` });
    await row.click();
    await erik.getByRole('textbox', { name: `Message to ${KIM}` }).waitFor();
    await erik.getByRole('option', { name: new RegExp(`${KIM}.*unread`) }).waitFor({ state: 'detached' });
  });

  s.step('sofia (no listen permission) has no Listen button, and a forged listen frame is refused', async () => {
    await ongoingRow(sofia, KIM).waitFor();
    assert.equal(await sofia.getByRole('button', { name: /^Listen/ }).count(), 0);
    const answer = await sofia.evaluate(async ([customer, version]) => {
      const win = document.querySelector('chat-window') as (Element & { client?: { $sessions: { get(): Record<string, { id: string; customer: { name: string } }> } } }) | null;
      const session = Object.values(win?.client?.$sessions.get() ?? {}).find((x) => x.customer.name === customer);
      if (!session) throw new Error('the chat is not on sofia’s board');
      const { token } = JSON.parse(sessionStorage.getItem('nordlys-crm.agent') ?? '{}') as { token: string };
      const res = await fetch('/api/tickets', { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
      const { ticket } = (await res.json()) as { ticket: string };
      const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/parties/chat/demo?_pk=forged-listen-0001&token=${encodeURIComponent(ticket)}`);
      const frames: { t: string; rid?: string; code?: string; stream?: string }[] = [];
      return new Promise<{ answer: unknown; sessionFrames: number }>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`no answer: ${JSON.stringify(frames.slice(-5))}`));
        }, 10_000);
        ws.onopen = () => {
          ws.send(JSON.stringify({ t: 'hello', v: version }));
        };
        ws.onmessage = (e: MessageEvent<string>) => {
          const f = JSON.parse(e.data) as { t: string; rid?: string; stream?: string };
          frames.push(f);
          if (f.t === 'welcome') ws.send(JSON.stringify({ t: 'subscribe', rid: 'forged1', sessionId: session.id, mode: 'listen' }));
          if (f.rid === 'forged1') {
            clearTimeout(timer);
            // Anything of the session would have arrived before the answer; give stragglers a moment too.
            setTimeout(() => {
              ws.close();
              resolve({ answer: f, sessionFrames: frames.filter((x) => x.stream === `session:${session.id}`).length });
            }, 300);
          }
        };
      });
    }, [KIM, PROTOCOL_VERSION] as const);
    assert.deepEqual((answer.answer as { t: string; code: string }).t, 'nack');
    assert.equal((answer.answer as { code: string }).code, 'forbidden');
    assert.equal(answer.sessionFrames, 0, 'nothing of the chat reached the forged socket');
  });

  s.step('axe-core finds no violations on the listening supervisor’s page', async () => {
    const problems = (await axeViolations(anna)).map((v) => `anna: ${v}`);
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  s.step('anna stops listening', async () => {
    await panel().getByRole('button', { name: 'Stop listening' }).click();
    await panel().waitFor({ state: 'detached' });
    await anna.getByRole('button', { name: `Listen to the chat with ${KIM}` }).waitFor();
  });

  s.noPageErrors();
});
