/**
 * <chat-visitor> against the real reference server (started by the test runner): the pre-chat
 * form, the queue, a conversation with a real agent client, files both ways (attach, progress,
 * cancel, refusals, chips, thumbnails, downloads, drag-and-drop, paste, bidi-safe names), ending,
 * restoring after the element is re-created, and hostile text.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';

import '../../src/components/chat-visitor/chat-visitor.js';
import type { ChatVisitor } from '../../src/components/chat-visitor/chat-visitor.js';
import type { ChatErrorEvent } from '../../src/events/chat-error-event.js';
import type { ChatSessionEndEvent } from '../../src/events/chat-session-end-event.js';
import type { ChatSessionStartEvent } from '../../src/events/chat-session-start-event.js';
import { announce, announcerText } from '../../src/internal/announcer.js';
import { setChatLocale } from '../../src/i18n/localization.js';
import { MAX_MESSAGE_TEXT } from '../../src/protocol/limits.js';
import type { ChatClient } from '../../src/state/index.js';
import type { ServerInfo } from '../helpers/chat-server.js';
import { runningClock } from '../helpers/clock.js';
import { chatServer, letChatsWaitWithoutAgents, loginAgent, testClient, until } from '../helpers/chat-server.js';
import { imageErrorSeen } from '../helpers/settled.js';
import { canvasPng, named } from '../helpers/files.js';

declare global {
  interface Window {
    __pwned?: unknown;
  }
}

describe('<chat-visitor>', function () {
  this.timeout(60_000);
  let server: ServerInfo;
  /** Chats started by a test, ended afterwards as their customer (also frees erik's capacity). */
  const started: { sessionId: string; token: string }[] = [];
  const clients: ChatClient[] = [];

  let undoWaiting: () => Promise<void>;

  before(async () => {
    server = await chatServer();
    // No agent is online in these tests: the chats wait in the queue instead of the offline form.
    undoWaiting = await letChatsWaitWithoutAgents(server);
  });

  after(async () => {
    await undoWaiting();
  });

  beforeEach(() => {
    sessionStorage.clear();
  });

  afterEach(async () => {
    for (const chat of started.splice(0)) {
      const customer = testClient(server, chat.token, { outboxKey: `customer:${chat.sessionId}` });
      clients.push(customer);
      customer.connect();
      try {
        await until(() => customer.$connection.get().status === 'live', 'cleanup: customer live');
        await customer.end(chat.sessionId);
      } catch {
        // already ended or gone
      }
    }
    for (const c of clients.splice(0)) c.destroy();
    for (const el of document.querySelectorAll('chat-visitor')) el.remove();
    sessionStorage.clear();
  });

  const storageKey = () => `crm-chat-visitor|${server.url}|demo`;

  async function mount(attrs: { channel?: string; tenant?: string } = {}) {
    const el = await fixture<ChatVisitor>(
      html`<chat-visitor server-url=${server.url} tenant=${attrs.tenant ?? 'demo'} channel=${attrs.channel ?? ''}></chat-visitor>`,
    );
    // The launcher shows once the channel's look is known (visibility: hidden until then).
    await until(() => !el.shadowRoot!.querySelector('.base')!.hasAttribute('data-look-pending'), 'the launcher shown');
    return el;
  }

  const q = (el: ChatVisitor, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);
  const qa = (el: ChatVisitor, selector: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
  /** A form control (input or textarea) by id. */
  const control = (el: ChatVisitor, id: string) => el.shadowRoot!.querySelector<HTMLInputElement>(`#${id}`)!;
  const text = (el: ChatVisitor, selector = '.panel') => (q(el, selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
  const launcher = (el: ChatVisitor) => q(el, '[part~="launcher"]')!;
  const focused = (el: ChatVisitor) => el.shadowRoot!.activeElement;
  /** Compares elements by identity (a failed chai comparison of two elements serializes them, which can take the browser down). */
  const isFocused = (el: ChatVisitor, target: Element | null) => target !== null && focused(el) === target;

  function fill(el: ChatVisitor, id: string, value: string) {
    const input = control(el, id);
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  }

  function topics(el: ChatVisitor) {
    return [...el.shadowRoot!.querySelectorAll<HTMLInputElement>('.topic input[type="radio"]')];
  }

  async function openForm(el: ChatVisitor) {
    launcher(el).click();
    await until(() => el.open && topics(el).length === 2, 'form with two topics');
    await el.updateComplete;
  }

  /** Fills the form, starts the chat and waits until the customer is in the queue. */
  async function startChat(el: ChatVisitor, details: { channel?: string; name?: string; email?: string; message?: string } = {}) {
    if (!el.open) await openForm(el);
    if (details.channel) topics(el).find((i) => i.value === details.channel)!.click();
    if (details.name) fill(el, 'name', details.name);
    if (details.email) fill(el, 'email', details.email);
    if (details.message) fill(el, 'first-message', details.message);
    await el.updateComplete;
    q(el, '[part~="start"]')!.click();
    await until(() => sessionStorage.getItem(storageKey()) !== null, 'chat saved in sessionStorage');
    const saved = JSON.parse(sessionStorage.getItem(storageKey())!) as { sessionId: string; token: string };
    started.push(saved);
    await until(() => el.hasCustomState('queued') || el.hasCustomState('active'), 'customer in the queue');
    return saved.sessionId;
  }

  /** Erik answers the chat; resolves with his client once he follows the conversation. */
  async function agentAnswers(sessionId: string) {
    const token = await loginAgent(server, 'erik');
    const agent = testClient(server, token, { getAccessToken: () => token });
    clients.push(agent);
    agent.connect();
    await until(() => agent.$connection.get().status === 'live', 'agent live');
    await until(() => agent.$queued.get().some((s) => s.id === sessionId), 'chat on the agent board');
    await agent.accept(sessionId);
    agent.openSession(sessionId);
    await until(() => agent.$messages.get()[sessionId]?.ready === true, 'agent follows the chat');
    return agent;
  }

  const agentTexts = (agent: ChatClient, sessionId: string) =>
    agent.$messages.get()[sessionId]?.items.filter((m) => m.kind === 'text').map((m) => m.text) ?? [];

  async function typeInComposer(el: ChatVisitor, value: string) {
    control(el, 'input').focus();
    await sendKeys({ type: value });
  }

  describe('rendering', () => {
    it('renders a closed launcher that controls a hidden panel', async () => {
      const el = await mount();
      const button = launcher(el);
      expect(button.textContent).to.contain('Chat with us');
      expect(button.getAttribute('aria-expanded')).to.equal('false');
      expect(button.getAttribute('aria-controls')).to.equal('panel');
      const panel = q(el, '#panel')!;
      expect(panel.hidden).to.equal(true);
      expect(panel.getAttribute('aria-labelledby')).to.equal('title');
      expect(el.hasAttribute('open')).to.equal(false);
      expect(el.client).to.equal(undefined);
    });

    it('opens the pre-chat form with the channels of the tenant and optional fields', async () => {
      const el = await mount();
      await openForm(el);
      expect(el.hasAttribute('open')).to.equal(true);
      expect(launcher(el).getAttribute('aria-expanded')).to.equal('true');
      expect(text(el, '.topic legend')).to.equal('What can we help you with?');
      const labels = qa(el, '.topic .option').map((o) => o.textContent.trim());
      expect(labels).to.deep.equal(['Sales', 'Support']);
      expect(topics(el)[0]!.checked).to.equal(true);
      expect(text(el, 'label[for="name"]')).to.equal('Name (optional)');
      expect(text(el, 'label[for="email"]')).to.equal('E-mail (optional)');
      expect(text(el, 'label[for="first-message"]')).to.equal('How can we help? (optional)');
      expect(q(el, '[part~="start"]')!.textContent).to.contain('Start chat');
    });

    it('offers no topic choice when the channel attribute names one', async () => {
      const el = await mount({ channel: 'sales' });
      launcher(el).click();
      await el.updateComplete;
      expect(q(el, '.topic')).to.equal(null);
      expect(q(el, '#name')).to.not.equal(null);
    });

    it('warns in development when the tenant is missing', async () => {
      const stub = sinon.stub(console, 'warn');
      try {
        await fixture<ChatVisitor>(html`<chat-visitor server-url=${server.url}></chat-visitor>`);
        expect(stub.calledOnce).to.equal(true);
        expect(String(stub.firstCall.args[0])).to.contain('tenant');
      } finally {
        stub.restore();
      }
    });
  });

  describe('accessibility', () => {
    it('is accessible closed, with the form, and with form errors', async () => {
      const el = await mount();
      await expect(el).to.be.accessible();
      await openForm(el);
      await expect(el).to.be.accessible();
      fill(el, 'email', 'not-an-address');
      q(el, '[part~="start"]')!.click();
      await until(() => q(el, '#email-error') !== null, 'e-mail error');
      await expect(el).to.be.accessible();
    });

    it('shows and announces an invalid e-mail address next to the field', async () => {
      const el = await mount();
      await openForm(el);
      fill(el, 'email', 'kim@example');
      q(el, '[part~="start"]')!.click();
      await until(() => q(el, '#email-error') !== null, 'e-mail error');
      const input = control(el, 'email');
      expect(input.getAttribute('aria-invalid')).to.equal('true');
      expect(input.getAttribute('aria-describedby')?.split(' ')).to.include('email-error');
      expect(text(el, '#email-error')).to.equal('Enter an e-mail address like name@example.com.');
      expect(isFocused(el, input)).to.equal(true);
      await until(() => announcerText().polite.includes('Enter an e-mail address'), 'error announced');
      expect(sessionStorage.getItem(storageKey())).to.equal(null);
      // Correcting the address clears the error at once.
      fill(el, 'email', 'kim@example.com');
      await el.updateComplete;
      expect(q(el, '#email-error')).to.equal(null);
      expect(input.getAttribute('aria-invalid')).to.equal('false');
    });

    it('is accessible queued, active with messages, with a failed message and ended', async () => {
      const el = await mount();
      const sessionId = await startChat(el, { name: 'Axe Anders', channel: 'support' });
      await until(() => text(el, '[part~="status"]').includes('position'), 'queue position');
      await expect(el).to.be.accessible();

      const agent = await agentAnswers(sessionId);
      await agent.send(sessionId, 'Hello Anders, how can I help?');
      await until(() => text(el).includes('Hello Anders'), 'agent message');
      await typeInComposer(el, 'My tent has a hole');
      await sendKeys({ press: 'Enter' });
      await until(() => agentTexts(agent, sessionId).includes('My tent has a hole'), 'agent got it');
      await expect(el).to.be.accessible();

      // Longer than the protocol allows: the server refuses it for good.
      await el.client!.send(sessionId, 'x'.repeat(MAX_MESSAGE_TEXT + 1));
      await until(() => q(el, '[part~="message--failed"]') !== null, 'failed message');
      await expect(el).to.be.accessible();
      el.client!.cancel(el.client!.$outbox.get()[0]!.cmid);

      await agent.end(sessionId);
      await until(() => el.hasCustomState('ended'), 'ended');
      await expect(el).to.be.accessible();
    });
  });

  describe('events', () => {
    it('fires chat-session-start, and chat-session-end when the customer ends the chat after confirming', async () => {
      const el = await mount();
      const startEvents: ChatSessionStartEvent[] = [];
      const endEvents: ChatSessionEndEvent[] = [];
      el.addEventListener('chat-session-start', (e) => startEvents.push(e));
      el.addEventListener('chat-session-end', (e) => endEvents.push(e));
      const sessionId = await startChat(el, { channel: 'sales' });
      expect(startEvents.map((e) => e.detail.sessionId)).to.deep.equal([sessionId]);
      expect(startEvents[0]!.bubbles && startEvents[0]!.composed).to.equal(true);

      q(el, '[part~="end"]')!.click();
      await el.updateComplete;
      // A confirmation first; nothing ended yet.
      expect(text(el, '[part~="confirm"]')).to.contain('End this chat?');
      expect(isFocused(el, q(el, '.confirm-no'))).to.equal(true);
      expect(endEvents).to.have.length(0);
      // Escape (or Keep chatting) closes the confirmation and gives focus back to End chat.
      await sendKeys({ press: 'Escape' });
      await until(() => q(el, '[part~="confirm"]') === null, 'confirmation closed');
      expect(isFocused(el, q(el, '[part~="end"]')), 'focus on End chat').to.equal(true);
      q(el, '[part~="end"]')!.click();
      await el.updateComplete;
      q(el, '.confirm-no')!.click();
      await until(() => q(el, '[part~="confirm"]') === null, 'confirmation closed again');
      expect(isFocused(el, q(el, '[part~="end"]')), 'focus on End chat after Keep chatting').to.equal(true);
      q(el, '[part~="end"]')!.click();
      await el.updateComplete;
      q(el, '.confirm-yes')!.click();
      await until(() => el.hasCustomState('ended'), 'ended');
      await until(() => endEvents.length === 1, 'end event');
      expect(endEvents[0]!.detail.sessionId).to.equal(sessionId);
      expect(text(el, '[part~="ended"]')).to.contain('The chat has ended');
      expect(text(el)).to.contain('You left the queue');

      // Start a new chat: the saved chat is forgotten and the form is back.
      q(el, '[part~="new-chat"]')!.click();
      await until(() => q(el, '[part~="form"]') !== null, 'form again');
      expect(sessionStorage.getItem(storageKey())).to.equal(null);
      expect(el.client).to.equal(undefined);
      expect(endEvents).to.have.length(1);
    });

    it('shows the server error and fires chat-error when a chat cannot be started', async () => {
      const el = await mount({ tenant: 'no-such-tenant', channel: 'support' });
      const errors: ChatErrorEvent[] = [];
      el.addEventListener('chat-error', (e) => errors.push(e));
      launcher(el).click();
      await el.updateComplete;
      q(el, '[part~="start"]')!.click();
      await until(() => q(el, '[part~="form-error"]') !== null, 'form error');
      expect(text(el, '[part~="form-error"]')).to.equal('This chat is not available right now.');
      expect(errors.map((e) => e.detail.code)).to.deep.equal(['not_found']);
      expect(q(el, '[part~="start"]')!.getAttribute('aria-describedby')).to.equal('form-error');
      await until(() => announcerText().assertive.includes('not available'), 'error announced');
      // No chat saved (the invitations' visit marker is not a chat).
      expect(Object.keys(sessionStorage).filter((k) => !k.startsWith('crm-chat-visitor-invite|'))).to.deep.equal([]);
    });
  });

  describe('keyboard', () => {
    it('opens with Enter, closes with Escape and gives focus back to the launcher', async () => {
      const el = await mount();
      launcher(el).focus();
      await sendKeys({ press: 'Enter' });
      await until(() => el.open && topics(el).length === 2, 'open with topics');
      await until(() => isFocused(el, topics(el)[0] ?? null) || isFocused(el, q(el, '#name')), 'focus moved into the panel');
      await sendKeys({ press: 'Tab' });
      await sendKeys({ press: 'Escape' });
      await el.updateComplete;
      expect(el.open).to.equal(false);
      expect(q(el, '#panel')!.hidden).to.equal(true);
      expect(launcher(el).getAttribute('aria-expanded')).to.equal('false');
      expect(isFocused(el, launcher(el))).to.equal(true);
      // Space opens again; the launcher toggles it closed as well.
      await sendKeys({ press: 'Space' });
      await until(() => el.open, 'open again');
      launcher(el).focus();
      await sendKeys({ press: 'Enter' });
      await until(() => !el.open, 'closed by the launcher');
    });

    it('sends with Enter, adds a line with Shift+Enter and counts characters near the limit', async () => {
      const el = await mount();
      const sessionId = await startChat(el, { name: 'Keyboard Karin', channel: 'support' });
      await until(() => isFocused(el, q(el, '#input')), 'composer focused after starting');
      await sendKeys({ type: 'First line' });
      await sendKeys({ down: 'Shift' });
      await sendKeys({ press: 'Enter' });
      await sendKeys({ up: 'Shift' });
      await sendKeys({ type: 'second line' });
      expect(control(el, 'input').value).to.equal('First line\nsecond line');
      await sendKeys({ press: 'Enter' });
      await until(() => el.client?.$messages.get()[sessionId]?.items.some((m) => m.text === 'First line\nsecond line') === true, 'stored');
      expect(control(el, 'input').value).to.equal('');
      const bubble = qa(el, '[part~="message--customer"] [part~="bubble"]').at(-1)!;
      expect(bubble.textContent).to.equal('First line\nsecond line');
      expect(text(el, '[part~="message--customer"]:last-of-type [part~="meta"]')).to.contain('Sent');

      // Near the limit a counter appears; over it, Enter does not send.
      fill(el, 'input', 'a'.repeat(MAX_MESSAGE_TEXT - 10));
      await el.updateComplete;
      expect(text(el, '[part~="counter"]')).to.equal(`${MAX_MESSAGE_TEXT - 10} of ${MAX_MESSAGE_TEXT} characters`);
      expect(q(el, '#input')!.getAttribute('aria-describedby')).to.contain('counter');
      fill(el, 'input', 'a'.repeat(MAX_MESSAGE_TEXT + 5));
      await el.updateComplete;
      expect(text(el, '[part~="counter"]')).to.equal('5 characters too many');
      expect(q(el, '#input')!.getAttribute('aria-invalid')).to.equal('true');
      control(el, 'input').focus();
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(el.client!.$outbox.get()).to.have.length(0);
      expect(control(el, 'input').value).to.have.length(MAX_MESSAGE_TEXT + 5);
    });
  });

  describe('store integration', () => {
    it('waits in the queue, chats with an agent who joins, types and ends the chat', async () => {
      const el = await mount();
      const ends: ChatSessionEndEvent[] = [];
      el.addEventListener('chat-session-end', (e) => ends.push(e));
      const sessionId = await startChat(el, { name: 'Kim Customer', email: 'kim@example.com', channel: 'support', message: 'Do you ship to Tromsø?' });
      // Earlier test files may leave chats waiting on the shared server, so the place is not
      // always 1; exact positions are proven by test/server/queue.test.ts.
      await until(() => /^Waiting in the queue \(position [1-9]\d*\)$/.test(text(el, '[part~="status"]')), 'queue position shown');
      expect(el.hasCustomState('queued')).to.equal(true);
      // The channel's welcome text is a centered system line; the first message was sent.
      expect(text(el, '[part~="message--system"]')).to.contain('Welcome to Nordlys Support!');
      await until(() => text(el, '[part~="messages"]').includes('Do you ship to Tromsø?'), 'first message');

      const agent = await agentAnswers(sessionId);
      expect(agentTexts(agent, sessionId)).to.deep.equal(['Do you ship to Tromsø?']);
      await until(() => el.hasCustomState('active'), 'active');
      await until(() => text(el, '[part~="messages"]').includes('Erik Johansson joined the chat'), 'joined line');
      expect(text(el, '[part~="title"]')).to.equal('Erik Johansson');
      await until(() => announcerText().polite.includes('Erik Johansson joined the chat'), 'joined announced');

      await agent.send(sessionId, 'Yes, we ship to all of Norway.');
      await until(() => text(el, '[part~="message--agent"]').includes('Yes, we ship to all of Norway.'), 'agent message shown');
      const agentItem = qa(el, '[part~="message--agent"]').at(-1)!;
      expect(agentItem.querySelector('time')?.textContent).to.match(/\d{1,2}[:.]\d{2}/);
      await until(() => announcerText().polite.includes('Erik Johansson: Yes, we ship to all of Norway.'), 'agent message announced');

      await typeInComposer(el, 'Great, thanks!');
      await sendKeys({ press: 'Enter' });
      await until(() => agentTexts(agent, sessionId).includes('Great, thanks!'), 'agent received the reply');
      // The draft went to the agent as a typing preview while it was typed.
      await until(() => text(el, '[part~="message--customer"]:last-of-type').includes('Great, thanks!'), 'reply shown');

      agent.typing(sessionId, true);
      await until(() => text(el, '[part~="typing"]') === 'Erik Johansson is typing…', 'typing indicator');
      agent.typing(sessionId, false);
      await until(() => q(el, '[part~="typing"]') === null, 'typing indicator gone');

      await agent.end(sessionId);
      await until(() => el.hasCustomState('ended'), 'ended');
      expect(el.hasCustomState('active')).to.equal(false);
      expect(text(el, '[part~="messages"]')).to.contain('Erik Johansson ended the chat');
      expect(text(el, '[part~="ended"]')).to.contain('The chat has ended');
      expect(q(el, '[part~="composer"]')).to.equal(null);
      await until(() => ends.length === 1, 'end event');
      await until(() => announcerText().polite.includes('Erik Johansson ended the chat'), 'end announced');

      // Closing the ended panel forgets the chat.
      q(el, '[part~="close"]')!.click();
      await until(() => !el.open && isFocused(el, launcher(el)), 'closed, focus on the launcher');
      expect(sessionStorage.getItem(storageKey())).to.equal(null);
    });

    it('sends the draft as a throttled typing preview', async () => {
      const el = await mount();
      const sessionId = await startChat(el, { name: 'Preview Per', channel: 'support' });
      const agent = await agentAnswers(sessionId);
      await until(() => el.hasCustomState('active'), 'active');
      await typeInComposer(el, 'Is the Fjellheim 2 tent');
      await until(() => agent.$typing.get()[sessionId]?.preview === 'Is the Fjellheim 2 tent', 'agent sees the newest draft');
      expect(agent.$typing.get()[sessionId]?.who.kind).to.equal('customer');
      fill(el, 'input', '');
      await until(() => agent.$typing.get()[sessionId] === undefined, 'typing off when the draft is cleared');
    });

    it('is told when the agent puts the chat on hold, resumes it and returns it to the queue (issue 18; English and Swedish)', async () => {
      const el = await mount();
      const sessionId = await startChat(el, { name: 'Hold Hanna', channel: 'support', message: 'Is the Tind jacket waterproof?' });
      const agent = await agentAnswers(sessionId);
      await until(() => el.hasCustomState('active'), 'active');
      const lines = () => qa(el, '[part~="message--system"]').map((li) => (li.querySelector('span')?.textContent ?? '').trim());

      await agent.hold(sessionId, true);
      await until(() => lines().includes('You are on hold. The agent will be back with you shortly.'), 'held line');
      await until(() => announcerText().polite.includes('You are on hold. The agent will be back with you shortly.'), 'held announced');
      expect(el.hasCustomState('active')).to.equal(true, 'still the agent’s chat: the customer may write');

      await agent.hold(sessionId, false);
      await until(() => lines().includes('Erik Johansson is back in the chat'), 'resumed line');

      await agent.returnToQueue(sessionId, 'Needs the B2B desk');
      await until(() => el.hasCustomState('queued'), 'queued again');
      await until(() => lines().includes('You are back in the queue. The next free agent will answer you.'), 'back-in-queue line');
      expect(lines()[0]).to.contain('Welcome to Nordlys Support!', 'the first queued line keeps the welcome text');
      expect(text(el, '[part~="messages"]')).to.not.contain('Needs the B2B desk', 'the reason is for agents only');
      await expect(el).to.be.accessible();

      await setChatLocale('sv');
      try {
        el.requestUpdate();
        await until(() => lines().includes('Du är tillbaka i kön. Nästa lediga handläggare svarar dig.'), 'Swedish back-in-queue line');
        expect(lines()).to.include.members(['Du är parkerad. Handläggaren är strax tillbaka hos dig.', 'Erik Johansson är tillbaka i chatten']);
      } finally {
        await setChatLocale('en');
      }
    });

    it('shows pending and refused messages with their state in words, Retry and Cancel', async () => {
      const el = await mount();
      const sessionId = await startChat(el, { channel: 'support' });
      await until(() => el.client?.$connection.get().status === 'live', 'live');
      await el.client!.send(sessionId, 'y'.repeat(MAX_MESSAGE_TEXT + 1));
      await until(() => q(el, '[part~="message--failed"]') !== null, 'failed message');
      const failed = q(el, '[part~="message--failed"]')!;
      expect(failed.textContent).to.contain('Not sent.');
      expect(failed.textContent).to.contain('The message could not be accepted.');
      const buttons = [...failed.querySelectorAll('button')].map((b) => b.textContent.trim());
      expect(buttons).to.deep.equal(['Retry', 'Cancel']);
      await until(() => announcerText().assertive.includes('Your message was not sent.'), 'failure announced');
      failed.querySelectorAll('button')[1]!.click();
      await until(() => q(el, '[part~="message--failed"]') === null, 'cancelled');
      expect(el.client!.$outbox.get()).to.have.length(0);

      // Written while disconnected: kept as pending, with its state in words, and sent later.
      el.client!.disconnect();
      await typeInComposer(el, 'Written offline');
      await sendKeys({ press: 'Enter' });
      await until(() => text(el, '[part~="message--pending"]').includes('Waiting for connection…'), 'pending state');
      el.client!.connect();
      await until(() => q(el, '[part~="message--pending"]') === null && text(el, '[part~="messages"]').includes('Written offline'), 'sent after reconnecting');
      expect(text(el, '[part~="message--customer"]:last-of-type [part~="meta"]')).to.contain('Sent');
    });

    it('restores the conversation when the element is created again in the same tab', async () => {
      const first = await mount();
      const sessionId = await startChat(first, { name: 'Reload Rut', channel: 'sales' });
      const agent = await agentAnswers(sessionId);
      await agent.send(sessionId, 'Still here after the reload?');
      await until(() => text(first).includes('Still here after the reload?'), 'message shown');
      await until(() => announcerText().polite.includes('Still here after the reload?'), 'announced once');
      first.remove();
      await until(() => first.client === undefined, 'client closed with the element');
      announce('restore marker');
      await until(() => announcerText().polite === 'restore marker', 'announcer reset');

      const clock = runningClock();
      let second!: ChatVisitor;
      try {
        second = await mount();
        await until(() => second.open && second.hasCustomState('active'), 'restored open and active');
        expect(second.client).to.not.equal(undefined);
        await until(() => text(second, '[part~="messages"]').includes('Still here after the reload?'), 'history shown');
        expect(text(second, '[part~="messages"]')).to.contain('Erik Johansson joined the chat');
        expect(launcher(second).getAttribute('aria-expanded')).to.equal('true');
        // History is not announced again, not even later (every timer of the next 2 s run).
        await clock.tickAsync(2_000);
      } finally {
        clock.restore();
      }
      expect(announcerText().polite).to.not.contain('Still here after the reload?');
      // The conversation goes on.
      await typeInComposer(second, 'Yes!');
      await sendKeys({ press: 'Enter' });
      await until(() => agentTexts(agent, sessionId).includes('Yes!'), 'agent got the message after the restore');
    });

    it('shows the form with a note when the saved chat is no longer accepted', async () => {
      sessionStorage.setItem(storageKey(), JSON.stringify({ sessionId: 'gone-session', token: 'a.revoked.token' }));
      const el = await mount();
      expect(el.open).to.equal(true);
      await until(() => q(el, '[part~="form"]') !== null, 'form instead of the chat');
      expect(text(el, '[part~="form-error"]')).to.contain('Your previous chat can no longer be continued.');
      expect(sessionStorage.getItem(storageKey())).to.equal(null);
      expect(el.client).to.equal(undefined);
    });

    it('renders hostile agent text as text and never runs it', async () => {
      const el = await mount();
      const sessionId = await startChat(el, { channel: 'support' });
      const agent = await agentAnswers(sessionId);
      await until(() => el.hasCustomState('active'), 'active');
      // Minimised: new agent messages are counted on the launcher.
      launcher(el).click();
      await until(() => !el.open, 'minimised');
      const hostile = '<img src=x onerror=window.__pwned=1>';
      await agent.send(sessionId, hostile);
      await until(() => text(el, '[part~="message--agent"]').includes(hostile), 'shown literally');
      await until(() => text(el, '[part~="badge"]') === 'New messages: 1', 'unread badge');
      expect(launcher(el).textContent.replace(/\s+/g, ' ')).to.contain('Chat with us New messages: 1');
      launcher(el).click();
      await until(() => el.open && q(el, '[part~="badge"]') === null, 'badge gone when opened');
      await imageErrorSeen();
      const bubble = qa(el, '[part~="message--agent"] [part~="bubble"]').at(-1)!;
      expect(bubble.textContent).to.equal(hostile);
      expect(bubble.querySelector('img')).to.equal(null);
      expect(el.shadowRoot!.querySelector('img')).to.equal(null);
      expect(window.__pwned).to.equal(undefined);
    });
  });

  describe('links in agent messages', () => {
    it('makes http(s), mailto and tel links clickable (new tab, no referrer), and leaves javascript: and markup as text', async () => {
      const el = await mount();
      const sessionId = await startChat(el, { channel: 'support' });
      const agent = await agentAnswers(sessionId);
      await until(() => el.hasCustomState('active'), 'active');
      const faq = 'Delivery times: http://127.0.0.1:8871/demo/faq/delivery-times.html';
      await agent.send(sessionId, faq);
      await agent.send(sessionId, 'Mail support@nordlys.example or call tel:+46701234567, not javascript:alert(1) <a href="javascript:alert(2)">x</a>');
      await until(() => qa(el, '[part~="message--agent"] [part~="bubble"]').length === 2, 'both shown');
      const [first, second] = qa(el, '[part~="message--agent"] [part~="bubble"]');
      expect(first!.textContent).to.equal(faq, 'the text reads as sent');
      const link = first!.querySelector('a')!;
      expect(link.getAttribute('href')).to.equal('http://127.0.0.1:8871/demo/faq/delivery-times.html');
      expect(link.getAttribute('target')).to.equal('_blank');
      expect(link.getAttribute('rel')).to.equal('noopener noreferrer nofollow');
      expect(link.getAttribute('part')).to.equal('link');
      const hrefs = [...second!.querySelectorAll('a')].map((a) => a.getAttribute('href'));
      expect(hrefs).to.deep.equal(['mailto:support@nordlys.example', 'tel:+46701234567']);
      expect(second!.textContent).to.contain('<a href="javascript:alert(2)">x</a>');
      await expect(el).to.be.accessible();
    });
  });

  describe('files', () => {
    /** Puts files into the composer's file input, as the file picker does. */
    function pick(el: ChatVisitor, files: File[]) {
      const input = q(el, '#file-input') as HTMLInputElement;
      const data = new DataTransfer();
      for (const file of files) data.items.add(file);
      input.files = data.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }
    const chips = (el: ChatVisitor) => qa(el, '[part~="chip"]');
    const label = (e: Element | null | undefined) => e?.getAttribute('aria-label') ?? '';
    /** The words shown (a file name's copy for screen readers, `.file-name .visually-hidden`, left out). */
    const words = (e: Element | null | undefined) => {
      const shown = e?.cloneNode(true) as Element | undefined;
      shown?.querySelectorAll('.file-name .visually-hidden').forEach((hidden) => {
        hidden.remove();
      });
      return (shown?.textContent ?? '').replace(/\s+/g, ' ').trim();
    };

    /** A chat Erik has answered, with the file UI loaded. */
    async function activeChat(name: string) {
      const el = await mount();
      const sessionId = await startChat(el, { name, channel: 'support' });
      const agent = await agentAnswers(sessionId);
      await until(() => el.hasCustomState('active') && q(el, '[part~="attach"]') !== null, 'active, attach button shown');
      return { el, sessionId, agent };
    }

    const withFiles = (agent: ChatClient, sessionId: string) => agent.$messages.get()[sessionId]?.items.filter((m) => (m.attachments?.length ?? 0) > 0) ?? [];

    it('attaches an image with the button, shows its progress, sends it with the next message and shows a thumbnail', async () => {
      const { el, sessionId, agent } = await activeChat('Photo Pia');
      const attach = q(el, '[part~="attach"]')!;
      expect(label(attach)).to.equal('Attach a file');
      expect(attach.getAttribute('title')).to.equal('Attach a file');
      const input = q(el, '#file-input') as HTMLInputElement;
      expect([input.type, input.multiple, input.hidden]).to.deep.equal(['file', true, true]);
      expect(input.accept.split(',')).to.include.members(['.png', '.jpg', '.pdf', '.docx', '.xlsx', '.zip', '.txt', '.csv']);

      // Every state of the progress bar as it is rendered.
      const bars: { label: string; value: number }[] = [];
      const observer = new MutationObserver(() => {
        const bar = el.shadowRoot!.querySelector('progress');
        if (bar) bars.push({ label: bar.getAttribute('aria-label') ?? '', value: Number(bar.getAttribute('value')) });
      });
      observer.observe(el.shadowRoot!, { subtree: true, childList: true, attributes: true, attributeFilter: ['value'] });
      const png = await canvasPng(40, 30);
      // Padding after IEND keeps it a valid PNG and makes the upload long enough to report progress.
      pick(el, [named(new Blob([png, new Uint8Array(3 * 1024 * 1024)], { type: 'image/png' }), 'skadan på tältet.png')]);
      try {
        await until(() => chips(el).length === 1, 'uploaded: a chip');
      } finally {
        observer.disconnect();
      }
      expect(bars.length).to.be.greaterThan(0);
      expect(bars[0]!.label).to.equal('Uploading skadan på tältet.png');
      expect(Math.max(...bars.map((b) => b.value))).to.be.greaterThan(0);
      expect(q(el, '[part~="upload"]')).to.equal(null);
      const chip = chips(el)[0]!;
      expect(words(chip.querySelector('[part~="file-name"]'))).to.equal('skadan på tältet.png');
      expect(words(chip)).to.match(/skadan på tältet\.png 3(\.\d)? MB$/);
      expect(label(chip.querySelector('button'))).to.equal('Remove skadan på tältet.png');
      await until(() => announcerText().polite.includes('skadan på tältet.png attached.'), 'upload announced');
      // A file alone may be sent: Send is enabled with an empty text.
      expect(q(el, '[part~="send"]')!.getAttribute('aria-disabled')).to.equal('false');
      await expect(el).to.be.accessible();

      await typeInComposer(el, 'The tent is torn');
      await sendKeys({ press: 'Enter' });
      await until(() => chips(el).length === 0, 'chip gone once sent');
      await until(() => withFiles(agent, sessionId).length === 1, 'the agent got the file');
      const received = withFiles(agent, sessionId)[0]!;
      expect(received.text).to.equal('The tent is torn');
      expect(received.attachments!.map((a) => [a.name, a.type, a.size])).to.deep.equal([['skadan på tältet.png', 'image/png', png.size + 3 * 1024 * 1024]]);

      // The customer's message shows the file with a thumbnail of fixed size from the attachment origin.
      await until(() => q(el, '[part~="message--customer"] [part~="thumbnail"]') !== null, 'thumbnail box');
      const before = q(el, '[part~="message--customer"] [part~="thumbnail"]')!.getBoundingClientRect().height;
      const thumb = () => q(el, '[part~="message--customer"] [part~="thumbnail"] img') as HTMLImageElement | null;
      await until(() => thumb()?.complete === true && thumb()!.naturalWidth > 0, 'thumbnail loaded');
      const img = thumb()!;
      expect([img.naturalWidth, img.naturalHeight]).to.deep.equal([40, 30]);
      expect(img.getAttribute('alt')).to.equal('');
      expect(img.getAttribute('loading')).to.equal('lazy');
      expect(new URL(img.src).origin).to.not.equal(new URL(server.url).origin);
      expect(new URL(img.src).searchParams.get('inline')).to.equal('1');
      const after = q(el, '[part~="message--customer"] [part~="thumbnail"]')!.getBoundingClientRect().height;
      expect([before, after]).to.deep.equal([160, 160]);
      const file = q(el, '[part~="message--customer"] [part~="attachment"]')!;
      expect(words(file.querySelector('[part~="file-name"]'))).to.equal('skadan på tältet.png');
      expect(label(file.querySelector('[part~="download"]'))).to.equal('Download skadan på tältet.png');
      expect(words(q(el, '[part~="message--customer"] [part~="bubble"]'))).to.equal('The tent is torn');
      await expect(el).to.be.accessible();
    });

    it('cancels an upload: the request is aborted, the row goes and nothing is sent', async () => {
      const { el, sessionId, agent } = await activeChat('Cancel Cecilia');
      // First the request is held before it leaves, so the upload row can be checked at leisure.
      const held = sinon.stub(XMLHttpRequest.prototype, 'send');
      try {
        pick(el, [named(new Blob(['just some notes']), 'notes.txt')]);
        await until(() => q(el, '[part~="upload"]') !== null && held.called, 'upload row, request opened');
        const row = q(el, '[part~="upload"]')!;
        expect(words(row.querySelector('[part~="file-name"]'))).to.equal('notes.txt');
        expect(q(el, 'progress')!.getAttribute('aria-label')).to.equal('Uploading notes.txt');
        expect(words(row.querySelector('.upload-pct'))).to.equal('0%');
        const cancel = row.querySelector('button')!;
        expect(cancel.textContent.trim()).to.equal('Cancel');
        expect(label(cancel)).to.equal('Cancel upload of notes.txt');
        expect(cancel.getBoundingClientRect().height).to.be.at.least(24);
        // Send waits for the upload.
        expect(q(el, '[part~="send"]')!.getAttribute('aria-disabled')).to.equal('true');
        await expect(el).to.be.accessible();
        cancel.click();
        await until(() => q(el, '[part~="upload"]') === null, 'row gone');
        await until(() => isFocused(el, q(el, '#input')), 'focus back in the composer');
        await until(() => announcerText().polite.includes('Upload of notes.txt cancelled'), 'cancel announced');
      } finally {
        held.restore();
      }

      // Then a real upload, cancelled while its bytes are on the way.
      const send = XMLHttpRequest.prototype.send;
      const abort = sinon.spy(XMLHttpRequest.prototype, 'abort');
      const started = sinon.stub(XMLHttpRequest.prototype, 'send').callsFake(function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
        send.call(this, body);
        queueMicrotask(() => {
          q(el, '[part~="upload"] button')?.click();
        });
      });
      try {
        pick(el, [named(new Blob([new Uint8Array(6 * 1024 * 1024)]), 'big.zip')]);
        await until(() => abort.called, 'request aborted');
        expect(started.calledOnce).to.equal(true);
      } finally {
        started.restore();
        abort.restore();
      }
      await until(() => q(el, '[part~="upload"]') === null, 'row gone');
      expect(chips(el)).to.have.length(0);
      expect(q(el, '[part~="upload-refused"]')).to.equal(null);
      expect(q(el, '[part~="send"]')!.getAttribute('aria-disabled')).to.equal('true');
      // Send with an empty composer does nothing; no message with files ever reaches the agent.
      control(el, 'input').focus();
      await sendKeys({ press: 'Enter' });
      // Send stores a message in the outbox at once: none there, none will ever be sent.
      await el.updateComplete;
      expect(el.client!.$outbox.get()).to.have.length(0);
      expect(withFiles(agent, sessionId)).to.have.length(0);
      expect(q(el, '[part~="attachment"]')).to.equal(null);
    });

    it("refuses a disguised and an oversize file with the server's reason and sends nothing", async () => {
      const { el, sessionId, agent } = await activeChat('Refused Rasmus');
      const errors: ChatErrorEvent[] = [];
      el.addEventListener('chat-error', (e) => errors.push(e));
      const send = sinon.spy(XMLHttpRequest.prototype, 'send');
      try {
        const disguised = named(new Blob(['<html><script>window.__pwned=1</script></html>'], { type: 'image/png' }), 'photo.png');
        const oversize = named(new Blob([new Uint8Array(10 * 1024 * 1024 + 1)]), 'manual.pdf');
        pick(el, [disguised, oversize]);
        await until(() => qa(el, '[part~="upload-refused"]').length === 2, 'two refusals');
        // The oversize file never left the browser (the limits were known); the other was refused by the server.
        expect(send.callCount).to.equal(1);
      } finally {
        send.restore();
      }
      const rows = qa(el, '[part~="upload-refused"]').map((r) => words(r));
      const typeRefusal = 'Only images, PDF, Word, Excel, ZIP, text and CSV files can be sent.';
      const sizeRefusal = 'The file is too large: at most 10 MB.';
      // In the order they were picked (the oversize one was refused first, without a request).
      expect(rows).to.deep.equal([`photo.png ${typeRefusal}`, `manual.pdf ${sizeRefusal}`]);
      expect(errors.map((e) => [e.detail.code, e.detail.message, e.detail.recoverable])).to.deep.equal([
        ['invalid', sizeRefusal, false],
        ['invalid', typeRefusal, false],
      ]);
      await until(
        () => announcerText().assertive.includes(`photo.png was not attached: ${typeRefusal}`),
        'refusal announced',
      );
      expect(chips(el)).to.have.length(0);
      expect(q(el, '[part~="send"]')!.getAttribute('aria-disabled')).to.equal('true');
      await expect(el).to.be.accessible();

      const dismiss = qa(el, '[part~="upload-refused"] button').find((b) => label(b) === 'Dismiss the message about photo.png')!;
      expect(dismiss.getBoundingClientRect().width).to.be.at.least(24);
      dismiss.click();
      await until(() => qa(el, '[part~="upload-refused"]').length === 1, 'one refusal dismissed');
      control(el, 'input').focus();
      await sendKeys({ press: 'Enter' });
      // Send stores a message in the outbox at once: none there, none will ever be sent.
      await el.updateComplete;
      expect(el.client!.$outbox.get()).to.have.length(0);
      expect(withFiles(agent, sessionId)).to.have.length(0);
      expect(window.__pwned).to.equal(undefined);
    });

    it('shows a PDF from the agent with its type and size, and Download opens a fresh signed link', async () => {
      const { el, sessionId, agent } = await activeChat('Invoice Ingrid');
      const info = await agent.uploadAttachment(sessionId, named(new Blob(['%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n']), 'Faktura 2024-117.pdf'));
      await agent.send(sessionId, '', 'text', [info.id]);
      await until(() => q(el, '[part~="message--agent"] [part~="attachment"]') !== null, 'file shown');
      const file = q(el, '[part~="message--agent"] [part~="attachment"]')!;
      // A file without text: no empty bubble, no thumbnail.
      expect(q(el, '[part~="message--agent"] [part~="bubble"]')).to.equal(null);
      expect(file.querySelector('[part~="thumbnail"]')).to.equal(null);
      expect(words(file.querySelector('[part~="file-name"] .file-shown'))).to.equal('Faktura 2024-117.pdf');
      expect(file.querySelector('[part~="file-name"] .visually-hidden')!.textContent).to.equal('Faktura 2024-117.pdf', 'read as one name');
      expect(words(file.querySelector('.ficon'))).to.equal('PDF');
      expect(words(file)).to.contain(`${String(info.size)} byte`);
      const download = file.querySelector<HTMLButtonElement>('[part~="download"]')!;
      expect(label(download)).to.equal('Download Faktura 2024-117.pdf');
      expect(download.getAttribute('title')).to.equal('Download Faktura 2024-117.pdf');
      await until(() => announcerText().polite.includes('Erik Johansson: Files: Faktura 2024-117.pdf'), 'file announced');
      await expect(el).to.be.accessible();

      const click = sinon.stub(HTMLAnchorElement.prototype, 'click');
      try {
        download.click();
        await until(() => click.called, 'download link opened');
        const link = click.firstCall.thisValue as HTMLAnchorElement;
        const url = new URL(link.href);
        expect(url.origin).to.not.equal(new URL(server.url).origin);
        expect(url.origin).to.not.equal(location.origin);
        expect(url.pathname).to.contain(info.id);
        expect(url.searchParams.has('sig')).to.equal(true);
        expect(url.searchParams.has('inline')).to.equal(false);
        expect(link.download).to.equal('Faktura 2024-117.pdf');
        expect(link.isConnected).to.equal(false);
      } finally {
        click.restore();
      }
    });

    it('shows the real extension of names with a right-to-left override, right-to-left stems and long names', async () => {
      const { el, sessionId, agent } = await activeChat('Bidi Bo');
      // Shown as "invoiceexe.jpg" wherever the override is honoured; the bytes are a PNG.
      pick(el, [named(await canvasPng(8, 8), 'invoice\u202Egpj.exe')]);
      await until(() => chips(el).length === 1, 'chip');
      const name = chips(el)[0]!.querySelector('[part~="file-name"]')!;
      expect(name.querySelector('.file-shown')!.textContent).to.equal('invoicegpj.exe.png');
      expect(name.querySelector('.file-ext')!.textContent).to.equal('.png');
      expect(getComputedStyle(name.querySelector('.file-shown')!).direction).to.equal('ltr');
      expect(label(chips(el)[0]!.querySelector('button'))).to.equal('Remove invoicegpj.exe.png');
      expect(q(el, '#panel')!.textContent).to.not.contain('\u202E');
      control(el, 'input').focus();
      await sendKeys({ press: 'Enter' });
      await until(() => withFiles(agent, sessionId).length === 1, 'sent without text');
      expect(withFiles(agent, sessionId)[0]!.attachments![0]!.name).to.equal('invoicegpj.exe.png');
      await until(() => q(el, '[part~="message--customer"] [part~="attachment"]') !== null, 'shown in the conversation');
      expect(q(el, '[part~="message--customer"] .file-ext')!.textContent).to.equal('.png');
      expect(label(q(el, '[part~="message--customer"] [part~="download"]'))).to.equal('Download invoicegpj.exe.png');

      // A Hebrew stem does not move the extension; a long name is cut before it.
      const long = `${'Kvitto för reparation av tältet Fjellheim 2, '.repeat(3)}sommaren.pdf`;
      const pdf = (n: string) => named(new Blob(['%PDF-1.4\n%%EOF\n']), n);
      const a = await agent.uploadAttachment(sessionId, pdf('חשבונית.pdf'));
      const b = await agent.uploadAttachment(sessionId, pdf(long));
      await agent.send(sessionId, 'Two receipts', 'text', [a.id, b.id]);
      await until(() => qa(el, '[part~="message--agent"] [part~="attachment"]').length === 2, 'two files');
      const [hebrew, longName] = qa(el, '[part~="message--agent"] [part~="file-name"]');
      const rect = (e: Element | null) => e!.getBoundingClientRect();
      expect(hebrew!.querySelector('.file-ext')!.textContent).to.equal('.pdf');
      expect(rect(hebrew!.querySelector('.file-ext')).left).to.be.at.least(rect(hebrew!.querySelector('.file-stem')).right - 1);
      const stem = longName!.querySelector<HTMLElement>('.file-stem')!;
      const ext = longName!.querySelector('.file-ext')!;
      expect(stem.scrollWidth).to.be.greaterThan(stem.clientWidth);
      expect(ext.textContent).to.equal('.pdf');
      expect(rect(ext).right).to.be.at.most(rect(longName!.closest('.file-text')).right + 1);
      expect(longName!.getAttribute('title')).to.equal(long);
      await expect(el).to.be.accessible();
    });

    it('takes files dropped on the panel (showing a drop zone) and pasted into the composer; chips can be removed', async () => {
      const { el } = await activeChat('Drop Dora');
      const list = q(el, '[part~="messages"]')!;
      const drag = (type: string, data: DataTransfer) => {
        const event = new DragEvent(type, { bubbles: true, composed: true, cancelable: true, dataTransfer: data });
        list.dispatchEvent(event);
        return event;
      };
      const dropped = new DataTransfer();
      dropped.items.add(named(new Blob(['order,qty\n1042,2\n']), 'orders.csv'));
      expect(drag('dragenter', dropped).defaultPrevented).to.equal(true);
      await el.updateComplete;
      expect(words(q(el, '[part~="drop-zone"]'))).to.equal('Drop files here to attach them');
      await expect(el).to.be.accessible();
      drag('dragleave', dropped);
      await el.updateComplete;
      expect(q(el, '[part~="drop-zone"]')).to.equal(null);
      drag('dragenter', dropped);
      expect(drag('dragover', dropped).defaultPrevented).to.equal(true);
      expect(drag('drop', dropped).defaultPrevented).to.equal(true);
      await el.updateComplete;
      expect(q(el, '[part~="drop-zone"]')).to.equal(null);
      await until(() => chips(el).length === 1, 'dropped file uploaded');
      expect(words(chips(el)[0]!.querySelector('[part~="file-name"]'))).to.equal('orders.csv');

      // Pasting a picture attaches it; pasting text is left to the text area.
      const clip = new DataTransfer();
      clip.items.add(named(await canvasPng(8, 8), 'image.png'));
      const paste = new ClipboardEvent('paste', { bubbles: true, composed: true, cancelable: true, clipboardData: clip });
      control(el, 'input').dispatchEvent(paste);
      expect(paste.defaultPrevented).to.equal(true);
      await until(() => chips(el).length === 2, 'pasted image uploaded');
      const words2 = new DataTransfer();
      words2.setData('text/plain', 'hello');
      const textPaste = new ClipboardEvent('paste', { bubbles: true, composed: true, cancelable: true, clipboardData: words2 });
      control(el, 'input').dispatchEvent(textPaste);
      expect(textPaste.defaultPrevented).to.equal(false);

      // Removing a chip moves focus to the next one, the last one back to the composer.
      const [first, second] = chips(el).map((c) => c.querySelector('button')!);
      expect(label(first)).to.equal('Remove orders.csv');
      expect(label(second)).to.equal('Remove image.png');
      first!.click();
      await until(() => chips(el).length === 1 && isFocused(el, chips(el)[0]!.querySelector('button')), 'focus on the next chip');
      await until(() => announcerText().polite.includes('orders.csv removed'), 'removal announced');
      chips(el)[0]!.querySelector('button')!.click();
      await until(() => chips(el).length === 0 && isFocused(el, q(el, '#input')), 'focus back in the composer');
      expect(q(el, '[part~="send"]')!.getAttribute('aria-disabled')).to.equal('true');
    });
  });

  describe('theming', () => {
    it('exposes parts and custom states', async () => {
      const el = await mount();
      expect(el.hasCustomState('open')).to.equal(false);
      await openForm(el);
      expect(el.hasCustomState('open')).to.equal(true);
      for (const part of ['base', 'launcher', 'panel', 'header', 'title', 'status', 'close', 'form', 'field', 'start']) {
        expect(q(el, `[part~="${part}"]`), part).to.not.equal(null);
      }
      await startChat(el, { channel: 'sales' });
      await until(() => q(el, '[part~="attach"]') !== null, 'file UI loaded');
      for (const part of ['messages', 'message', 'composer', 'attach', 'input', 'send', 'end']) {
        expect(q(el, `[part~="${part}"]`), part).to.not.equal(null);
      }
      expect(el.hasCustomState('queued')).to.equal(true);
    });
  });
});
