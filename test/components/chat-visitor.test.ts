/**
 * <chat-visitor> against the real reference server (started by the test runner): the pre-chat
 * form, the queue, a conversation with a real agent client, ending, restoring after the element
 * is re-created, and hostile text.
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
import { MAX_MESSAGE_TEXT } from '../../src/protocol/limits.js';
import type { ChatClient } from '../../src/state/index.js';
import type { ServerInfo } from '../helpers/chat-server.js';
import { chatServer, loginAgent, testClient, until } from '../helpers/chat-server.js';

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

  before(async () => {
    server = await chatServer();
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
    return fixture<ChatVisitor>(
      html`<chat-visitor server-url=${server.url} tenant=${attrs.tenant ?? 'demo'} channel=${attrs.channel ?? ''}></chat-visitor>`,
    );
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
    const agent = testClient(server, await loginAgent(server, 'erik'));
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
      expect(sessionStorage.length).to.equal(0);
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

      const second = await mount();
      await until(() => second.open && second.hasCustomState('active'), 'restored open and active');
      expect(second.client).to.not.equal(undefined);
      await until(() => text(second, '[part~="messages"]').includes('Still here after the reload?'), 'history shown');
      expect(text(second, '[part~="messages"]')).to.contain('Erik Johansson joined the chat');
      expect(launcher(second).getAttribute('aria-expanded')).to.equal('true');
      // History is not announced again.
      await new Promise((r) => setTimeout(r, 600));
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
      await new Promise((r) => setTimeout(r, 200));
      const bubble = qa(el, '[part~="message--agent"] [part~="bubble"]').at(-1)!;
      expect(bubble.textContent).to.equal(hostile);
      expect(bubble.querySelector('img')).to.equal(null);
      expect(el.shadowRoot!.querySelector('img')).to.equal(null);
      expect(window.__pwned).to.equal(undefined);
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
      for (const part of ['messages', 'message', 'composer', 'input', 'send', 'end']) {
        expect(q(el, `[part~="${part}"]`), part).to.not.equal(null);
      }
      expect(el.hasCustomState('queued')).to.equal(true);
    });
  });
});
