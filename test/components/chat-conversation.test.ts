import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ifDefined } from 'lit/directives/if-defined.js';
import sinon from 'sinon';

import '../../src/components/chat-conversation/chat-conversation.js';
import type { ChatComposer } from '../../src/components/chat-composer/chat-composer.component.js';
import type { ChatConversation } from '../../src/components/chat-conversation/chat-conversation.js';
import type { ChatMessageList } from '../../src/components/chat-message-list/chat-message-list.component.js';
import type { ChatErrorEvent } from '../../src/events/chat-error-event.js';
import type { ChatMessageSendEvent } from '../../src/events/chat-message-send-event.js';
import type { ChatSessionEndEvent } from '../../src/events/chat-session-end-event.js';
import { announcerText } from '../../src/internal/announcer.js';
import type { ChatMessage } from '../../src/protocol/index.js';
import { MAX_MESSAGE_TEXT } from '../../src/protocol/index.js';
import { ChatError } from '../../src/state/index.js';
import { until } from '../helpers/chat-server.js';
import type { FakeServer } from '../helpers/fake-server.js';
import type { FixtureOptions } from '../helpers/fixture-client.js';
import { chatMessage, fixtureClient, pushMessage, pushSession, session } from '../helpers/fixture-client.js';

const KIM = () => session({ id: 's1', customer: { name: 'Kim' }, unread: 1 });

/** A short transcript: welcome text, Ann joins, Kim writes, Ann answers, an internal note. */
function transcript(): ChatMessage[] {
  return [
    chatMessage('s1', 1, { kind: 'event', event: 'queued', author: { kind: 'system', name: '' }, text: 'Welcome to Nordlys support!' }),
    chatMessage('s1', 2, { kind: 'event', event: 'joined', author: { kind: 'agent', id: 'ann', name: 'Ann Agent' }, text: '' }),
    chatMessage('s1', 3, { text: 'Hi, my order is late.' }),
    chatMessage('s1', 4, { author: { kind: 'agent', id: 'ann', name: 'Ann Agent' }, text: 'Let me check that.' }),
    chatMessage('s1', 5, { kind: 'note', author: { kind: 'agent', id: 'ann', name: 'Ann Agent' }, text: 'Order 1234 is in the warehouse.' }),
  ];
}

async function setup(options: FixtureOptions & { select?: string; sessionId?: string } = {}) {
  const { select = 's1', sessionId, ...rest } = options;
  const { client, fake } = await fixtureClient({ sessions: [KIM()], messages: { s1: transcript() }, ...rest });
  if (select) client.selectSession(select);
  const el = await fixture<ChatConversation>(
    html`<chat-conversation style="height: 420px" .client=${client} session-id=${ifDefined(sessionId)}></chat-conversation>`,
  );
  const root = el.shadowRoot!;
  const list = () => root.querySelector<ChatMessageList>('chat-message-list')!;
  const composer = () => root.querySelector<ChatComposer>('chat-composer')!;
  const listRoot = () => list().shadowRoot!;
  const items = () => [...listRoot().querySelectorAll<HTMLElement>('[role=listitem]')];
  const input = () => composer().shadowRoot!.querySelector('textarea')!;
  const sendButton = () => composer().shadowRoot!.querySelector<HTMLButtonElement>('[part=send]')!;
  const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
  const ready = async () => {
    const id = el.sessionId ?? client.$selectedSessionId.get() ?? '';
    await until(() => client.$messages.get()[id]?.ready === true, 'messages ready');
    await el.updateComplete;
    await list().updateComplete;
    await composer().updateComplete;
  };
  if (select || sessionId) await ready();
  return { client, fake, el, root, list, listRoot, items, composer, input, sendButton, text, ready };
}

/**
 * The scripted server answers inside the client's socket.send(); a real socket answers a task
 * later. The outbox marks an item "sending" after socket.send() returns, so a synchronous nack
 * would be overwritten: defer the answers to `send` like the network does.
 */
function asyncSendReplies(fake: FakeServer) {
  const script = fake.onFrame;
  fake.onFrame = (socket, frame) => {
    if (frame.t === 'send') setTimeout(() => {
      script(socket, frame);
    }, 0);
    else script(socket, frame);
  };
}

/** Types into the composer as a user would. */
async function type(input: HTMLTextAreaElement, value: string) {
  input.focus();
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  await (input.getRootNode() as ShadowRoot & { host: ChatComposer }).host.updateComplete;
}

describe('chat-conversation', () => {
  afterEach(() => {
    sinon.restore();
  });

  describe('rendering', () => {
    it('shows an empty state with a slot when no chat is selected', async () => {
      const { el, root, text } = await setup({ select: '' });
      expect(text(root.querySelector('[part=empty]'))).to.equal('Select a chat on the left or get the next one from the queue.');
      expect(root.querySelector('slot[name=empty]')).to.exist;
      expect(root.querySelector('chat-message-list')).to.equal(null);
      expect(el.hasCustomState('empty')).to.be.true;
    });

    it('shows customer, channel and status in the header', async () => {
      const { root, text } = await setup();
      expect(text(root.querySelector('[part=title]'))).to.equal('Kim');
      expect(text(root.querySelector('[part=channel]'))).to.equal('Support');
      expect(text(root.querySelector('[part=status]'))).to.equal('Active');
      expect(text(root.querySelector('[part=end-button]'))).to.equal('End chat');
    });

    it('shows the messages in order, customer, agent, note and system distinct', async () => {
      const { items, text, listRoot } = await setup();
      expect(items().map((i) => i.getAttribute('part'))).to.deep.equal([
        'message message--system',
        'message message--system',
        'message message--customer',
        'message message--agent',
        'message message--note',
      ]);
      expect(text(items()[0]!.querySelector('.event-text'))).to.equal('Welcome to Nordlys support!');
      expect(text(items()[1]!.querySelector('.event-text'))).to.equal('Ann Agent joined the chat');
      expect(text(items()[2]!.querySelector('[part=bubble]'))).to.equal('Hi, my order is late.');
      expect(text(items()[2]!.querySelector('.author'))).to.equal('Kim');
      expect(text(items()[3]!.querySelector('.author'))).to.equal('You');
      expect(text(items()[4])).to.contain('Internal note');
      for (const item of items()) expect(item.querySelector('time')).to.exist;
      // Customer left, agent right.
      const customer = items()[2]!.getBoundingClientRect();
      const agent = items()[3]!.getBoundingClientRect();
      const listBox = listRoot().querySelector('[part=messages]')!.getBoundingClientRect();
      expect(customer.left - listBox.left).to.be.lessThan(2);
      expect(listBox.right - agent.right).to.be.lessThan(2);
      const bubble = (i: number) => getComputedStyle(items()[i]!.querySelector('[part=bubble]')!);
      expect(bubble(3).backgroundColor).to.equal('rgb(29, 95, 191)');
      expect(bubble(2).backgroundColor).to.equal('rgb(255, 255, 255)');
      expect(bubble(2).borderTopRightRadius).to.equal('8px');
    });

    it('localizes ended and left events with the author name', async () => {
      const { fake, items, text, list } = await setup();
      pushMessage(fake, chatMessage('s1', 6, { kind: 'event', event: 'left', text: 'The customer left', author: { kind: 'customer', name: 'Kim' } }));
      pushMessage(fake, chatMessage('s1', 7, { kind: 'event', event: 'ended', text: 'The chat has ended', author: { kind: 'agent', id: 'ann', name: 'Ann Agent' } }));
      await until(() => items().length === 7, 'events shown');
      await list().updateComplete;
      expect(text(items()[5]!.querySelector('.event-text'))).to.equal('Kim left the chat');
      expect(text(items()[6]!.querySelector('.event-text'))).to.equal('Ann Agent ended the chat');
    });

    it('renders hostile text literally and never runs it', async () => {
      const hostile = '<img src=x onerror=window.__pwned=1>';
      const { listRoot, items, root } = await setup({
        sessions: [session({ id: 's1', customer: { name: hostile } })],
        messages: { s1: [chatMessage('s1', 1, { text: hostile, author: { kind: 'customer', name: hostile } })] },
      });
      await new Promise((r) => setTimeout(r, 50));
      expect(items()[0]!.querySelector('[part=bubble]')!.textContent).to.equal(hostile);
      expect(root.querySelector('[part=title]')!.textContent).to.equal(hostile);
      expect(listRoot().querySelector('img')).to.equal(null);
      expect(root.querySelector('img')).to.equal(null);
      expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    });

    it('keeps line breaks of a message', async () => {
      const { items } = await setup({ messages: { s1: [chatMessage('s1', 1, { text: 'one\ntwo' })] } });
      expect(getComputedStyle(items()[0]!.querySelector('[part=bubble]')!).whiteSpace).to.equal('pre-wrap');
    });

    it('shows the customer typing', async () => {
      const { fake, root, el, text } = await setup();
      fake.last.push({ t: 'typing', sessionId: 's1', who: { kind: 'customer', name: 'Kim' }, on: true });
      await until(() => text(root.querySelector('[part=typing]')) !== '', 'typing shown');
      expect(text(root.querySelector('[part=typing]'))).to.equal('Kim is typing…');
      fake.last.push({ t: 'typing', sessionId: 's1', who: { kind: 'customer', name: 'Kim' }, on: false });
      await until(() => text(root.querySelector('[part=typing]')) === '', 'typing gone');
      await el.updateComplete;
    });
  });

  describe('composer', () => {
    it('sends with Enter and clears the box', async () => {
      const { fake, input, items, list } = await setup();
      await type(input(), 'Your parcel ships today.');
      await sendKeys({ press: 'Enter' });
      await until(() => fake.sent('send').length === 1, 'sent');
      expect(fake.sent('send')[0]!.text).to.equal('Your parcel ships today.');
      await until(() => input().value === '', 'cleared');
      await until(() => items().length === 6, 'message shown');
      await list().updateComplete;
      // Confirmed: shown once, as a normal agent message.
      expect(items().filter((i) => i.textContent.includes('Your parcel ships today.'))).to.have.length(1);
      expect(items()[5]!.getAttribute('part')).to.equal('message message--agent');
    });

    it('adds a new line with Shift+Enter', async () => {
      const { fake, input } = await setup();
      await type(input(), 'line one');
      await sendKeys({ down: 'Shift' });
      await sendKeys({ press: 'Enter' });
      await sendKeys({ up: 'Shift' });
      await sendKeys({ type: 'line two' });
      expect(input().value).to.equal('line one\nline two');
      expect(fake.sent('send')).to.have.length(0);
    });

    it('shows the counter near the limit and blocks sending beyond it', async () => {
      const { composer, input, sendButton, fake } = await setup();
      const counter = () => composer().shadowRoot!.querySelector('[part=counter]');
      await type(input(), 'short');
      expect(counter()).to.equal(null);
      await type(input(), 'x'.repeat(MAX_MESSAGE_TEXT - 10));
      expect(counter()!.textContent.trim()).to.equal('Characters left: 10');
      expect(sendButton().getAttribute('aria-disabled')).to.equal('false');
      await type(input(), 'x'.repeat(MAX_MESSAGE_TEXT + 5));
      expect(counter()!.textContent.trim()).to.equal('Over the limit by 5');
      expect(input().getAttribute('aria-invalid')).to.equal('true');
      expect(input().getAttribute('aria-describedby')).to.contain('counter');
      expect(sendButton().getAttribute('aria-disabled')).to.equal('true');
      expect(composer().hasCustomState('over-limit')).to.be.true;
      sendButton().click();
      input().focus();
      await sendKeys({ press: 'Enter' });
      await new Promise((r) => setTimeout(r, 30));
      expect(fake.sent('send')).to.have.length(0);
    });

    it('shows a pending message with its state until it is confirmed', async () => {
      const { fake, input, items, list, text } = await setup({ onSend: 'hold' });
      await type(input(), 'On its way');
      await sendKeys({ press: 'Enter' });
      await until(() => items().length === 6, 'pending shown');
      await list().updateComplete;
      const pending = items()[5]!;
      expect(pending.getAttribute('part')).to.equal('message message--agent message--pending');
      expect(text(pending.querySelector('[part=message-state]'))).to.equal('Sending…');
      const frame = fake.sent('send')[0]!;
      const m = chatMessage('s1', 6, { cmid: String(frame.cmid), author: { kind: 'agent', id: 'ann', name: 'Ann Agent' }, text: 'On its way' });
      fake.last.push({ t: 'ack', cmid: frame.cmid, sessionId: 's1', msgId: m.id, seq: 6, at: m.at, duplicate: false });
      pushMessage(fake, m);
      await until(() => items()[5]?.getAttribute('part') === 'message message--agent', 'confirmed');
      expect(items()).to.have.length(6);
      expect(items()[5]!.querySelector('[part=message-state]')).to.equal(null);
    });

    it('shows a refused message with the reason, Retry and Cancel', async () => {
      const { fake, input, items, list, listRoot, text, el } = await setup({ onSend: { code: 'invalid', message: 'text: too long' } });
      asyncSendReplies(fake);
      await type(input(), 'Refused text');
      await sendKeys({ press: 'Enter' });
      await until(() => listRoot().querySelector('[part~="message--failed"]') !== null, 'failed shown');
      await list().updateComplete;
      const failed = listRoot().querySelector<HTMLElement>('[part~="message--failed"]')!;
      expect(text(failed.querySelector('[part=message-state]'))).to.contain('Not sent: the server refused the message');
      const retry = failed.querySelector<HTMLButtonElement>('[part=retry]')!;
      const cancel = failed.querySelector<HTMLButtonElement>('[part=cancel]')!;
      for (const b of [retry, cancel]) {
        const box = b.getBoundingClientRect();
        expect(box.width).to.be.at.least(24);
        expect(box.height).to.be.at.least(24);
        expect(b.tabIndex).to.equal(0);
      }
      await expect(el).to.be.accessible();
      retry.click();
      await until(() => fake.sent('send').length === 2, 'sent again');
      expect(fake.sent('send')[1]!.cmid).to.equal(fake.sent('send')[0]!.cmid);
      await until(() => listRoot().querySelector('[part~="message--failed"] [part=cancel]') !== null, 'failed again');
      listRoot().querySelector<HTMLButtonElement>('[part~="message--failed"] [part=cancel]')!.click();
      await until(() => items().length === 5, 'cancelled');
    });

    it('keeps the text when sending throws and says why', async () => {
      const { client, composer, input, el } = await setup();
      sinon.stub(client, 'send').rejects(new ChatError('offline', 'not connected yet'));
      const errors: ChatErrorEvent[] = [];
      el.addEventListener('chat-error', (e) => errors.push(e));
      await type(input(), 'Keep me');
      await sendKeys({ press: 'Enter' });
      await until(() => composer().shadowRoot!.querySelector('[part=error]') !== null, 'error shown');
      expect(input().value).to.equal('Keep me');
      expect(errors).to.have.length(1);
    });

    it('sends typing notifications, throttled, and stops after sending', async () => {
      const { fake, input } = await setup();
      input().focus();
      await sendKeys({ type: 'abc' });
      await until(() => fake.sent('typing').length >= 1, 'typing on');
      expect(fake.sent('typing').map((f) => f.on)).to.deep.equal([true]);
      await sendKeys({ press: 'Enter' });
      await until(() => fake.sent('typing').some((f) => f.on === false), 'typing off');
      expect(fake.sent('typing').map((f) => f.on)).to.deep.equal([true, false]);
    });

    it('keeps a draft per chat', async () => {
      const { client, input, composer, ready } = await setup({ sessions: [KIM(), session({ id: 's2', customer: { name: 'Lea' } })] });
      await type(input(), 'draft for Kim');
      client.selectSession('s2');
      await ready();
      expect(input().value).to.equal('');
      client.selectSession('s1');
      await ready();
      await composer().updateComplete;
      expect(input().value).to.equal('draft for Kim');
    });

    it('is labelled with the customer name and a keyboard hint', async () => {
      const { input, composer } = await setup();
      expect(input().getAttribute('aria-label')).to.equal('Message to Kim');
      const hint = composer().shadowRoot!.getElementById(input().getAttribute('aria-describedby')!);
      expect(hint!.textContent).to.contain('Enter to send');
    });
  });

  describe('read-only and offline', () => {
    it('disables writing with the reason when the chat has ended', async () => {
      const { el, input, composer, root, text } = await setup({ sessions: [session({ id: 's1', customer: { name: 'Kim' }, status: 'ended', endedAt: Date.now() })] });
      expect(input().disabled).to.be.true;
      expect(text(composer().shadowRoot!.querySelector('[part=reason]'))).to.equal('This chat has ended.');
      expect(text(root.querySelector('[part=status]'))).to.equal('Ended');
      expect(root.querySelector('[part=end-button]')).to.equal(null);
      expect(el.hasCustomState('readonly')).to.be.true;
      await expect(el).to.be.accessible();
    });

    it('is read-only in a chat someone else handles', async () => {
      const { el, input, composer, text } = await setup({ sessions: [session({ id: 's1', customer: { name: 'Kim' }, agentId: 'bo', agentName: 'Bo' })] });
      expect(input().disabled).to.be.true;
      expect(text(composer().shadowRoot!.querySelector('[part=reason]'))).to.equal('Bo handles this chat. You can read along.');
      expect(el.hasCustomState('readonly')).to.be.true;
    });

    it('blocks sending while the connection is not live, keeping the draft editable', async () => {
      const { client, el, input, composer, sendButton, fake, text } = await setup();
      await type(input(), 'later');
      client.disconnect();
      await el.updateComplete;
      await composer().updateComplete;
      expect(input().disabled).to.be.false;
      expect(sendButton().getAttribute('aria-disabled')).to.equal('true');
      expect(text(composer().shadowRoot!.querySelector('[part=reason]'))).to.equal('Not connected. You can send when the connection is back.');
      input().focus();
      await sendKeys({ press: 'Enter' });
      expect(fake.sent('send')).to.have.length(0);
      expect(input().value).to.equal('later');
    });
  });

  describe('accessibility', () => {
    it('is accessible when empty', async () => {
      const { el } = await setup({ select: '' });
      await expect(el).to.be.accessible();
    });

    it('is accessible with messages', async () => {
      const { el, listRoot } = await setup();
      const list = listRoot().querySelector('[part=messages]')!;
      expect(list.getAttribute('role')).to.equal('list');
      expect(list.getAttribute('aria-label')).to.equal('Messages with Kim');
      expect(list.hasAttribute('aria-live')).to.be.false;
      await expect(el).to.be.accessible();
    });

    it('announces a new customer message once', async () => {
      const { fake, list, items } = await setup();
      pushMessage(fake, chatMessage('s1', 6, { text: 'Hello there' }));
      await until(() => items().length === 6, 'shown');
      await until(() => announcerText().polite.includes('Kim: Hello there'), 'announced');
      // A later re-render does not announce it again.
      list().requestUpdate();
      await list().updateComplete;
      pushMessage(fake, chatMessage('s1', 7, { author: { kind: 'agent', id: 'ann', name: 'Ann Agent' }, text: 'Hi Kim' }));
      await until(() => items().length === 7, 'agent shown');
      await new Promise((r) => setTimeout(r, 500));
      expect(announcerText().polite).to.not.contain('Hi Kim');
    });

    it('does not announce the transcript that is already there', async () => {
      await setup({ messages: { s1: [chatMessage('s1', 1, { text: 'Old news here' })] } });
      await new Promise((r) => setTimeout(r, 500));
      expect(announcerText().polite).to.not.contain('Old news here');
    });
  });

  describe('end chat', () => {
    it('asks for confirmation in a modal dialog and Escape cancels', async () => {
      const { root, el, fake } = await setup();
      const button = root.querySelector<HTMLButtonElement>('[part=end-button]')!;
      button.focus();
      button.click();
      const dialog = root.querySelector('dialog')!;
      expect(dialog.open).to.be.true;
      expect(dialog.matches(':modal')).to.be.true;
      await expect(el).to.be.accessible();
      await sendKeys({ press: 'Escape' });
      await until(() => !dialog.open, 'closed');
      expect(root.activeElement === button, 'focus').to.be.true;
      expect(fake.sent('end')).to.have.length(0);
    });

    it('ends the chat after confirming and reports it with chat-session-end', async () => {
      const { root, el, fake, client, text } = await setup();
      const seen: ChatSessionEndEvent[] = [];
      el.addEventListener('chat-session-end', (e) => seen.push(e));
      root.querySelector<HTMLButtonElement>('[part=end-button]')!.click();
      root.querySelector<HTMLButtonElement>('[part=dialog-confirm]')!.click();
      await until(() => fake.sent('end').length === 1, 'end sent');
      await until(() => seen.length === 1, 'event');
      expect(seen[0]!.detail.sessionId).to.equal('s1');
      expect(seen[0]!.bubbles && seen[0]!.composed).to.be.true;
      pushSession(fake, 1, { ...KIM(), status: 'ended', endedAt: Date.now() });
      await until(() => client.$sessions.get().s1?.status === 'ended', 'ended');
      await el.updateComplete;
      expect(text(root.querySelector('[part=status]'))).to.equal('Ended');
      expect(root.querySelector('[part=end-button]')).to.equal(null);
      // Focus stays in the header instead of falling to the page.
      expect(root.activeElement === root.querySelector('[part=title]'), 'focus').to.be.true;
    });

    it('does nothing when the dialog is cancelled with its button', async () => {
      const { root, fake } = await setup();
      const button = root.querySelector<HTMLButtonElement>('[part=end-button]')!;
      button.click();
      root.querySelector<HTMLButtonElement>('[part=dialog-cancel]')!.click();
      await until(() => !root.querySelector('dialog')!.open, 'closed');
      await new Promise((r) => setTimeout(r, 30));
      expect(fake.sent('end')).to.have.length(0);
      expect(root.activeElement === button, 'focus').to.be.true;
    });

    it('shows why ending failed', async () => {
      const { root, text } = await setup({ refuse: { end: { code: 'internal', message: 'boom' } } });
      root.querySelector<HTMLButtonElement>('[part=end-button]')!.click();
      root.querySelector<HTMLButtonElement>('[part=dialog-cancel]')!.focus();
      root.querySelector<HTMLButtonElement>('[part=dialog-confirm]')!.click();
      await until(() => root.querySelector('[part=end-error]') !== null, 'error');
      expect(text(root.querySelector('[part=end-error]'))).to.equal('The chat could not be ended. Try again.');
    });
  });

  describe('events', () => {
    it('fires a cancelable chat-message-send; cancelling keeps the text', async () => {
      const { el, fake, input } = await setup();
      const seen: ChatMessageSendEvent[] = [];
      el.addEventListener('chat-message-send', (e) => {
        seen.push(e);
        e.preventDefault();
      });
      await type(input(), 'Not now');
      await sendKeys({ press: 'Enter' });
      await new Promise((r) => setTimeout(r, 30));
      expect(seen.map((e) => e.detail)).to.deep.equal([{ sessionId: 's1', text: 'Not now' }]);
      expect(seen[0]!.composed && seen[0]!.bubbles).to.be.true;
      expect(fake.sent('send')).to.have.length(0);
      expect(input().value).to.equal('Not now');
    });
  });

  describe('store integration', () => {
    it('follows the selection: opens the shown chat and closes the previous one', async () => {
      const { client, fake, root, text, ready } = await setup({ sessions: [KIM(), session({ id: 's2', customer: { name: 'Lea' } })] });
      expect(fake.sent('subscribe').map((f) => f.sessionId)).to.deep.equal(['s1']);
      client.selectSession('s2');
      await ready();
      expect(text(root.querySelector('[part=title]'))).to.equal('Lea');
      expect(fake.sent('subscribe').map((f) => f.sessionId)).to.deep.equal(['s1', 's2']);
      await until(() => fake.sent('unsubscribe').length === 1, 'unsubscribed');
      expect(fake.sent('unsubscribe')[0]!.sessionId).to.equal('s1');
    });

    it('shows the session in session-id instead of the selection', async () => {
      const { root, text } = await setup({ select: '', sessionId: 's2', sessions: [KIM(), session({ id: 's2', customer: { name: 'Lea' } })] });
      expect(text(root.querySelector('[part=title]'))).to.equal('Lea');
    });

    it('marks the chat read when it is shown and when new messages arrive', async () => {
      const { fake } = await setup();
      await until(() => fake.sent('read').length === 1, 'read');
      expect(fake.sent('read')[0]).to.include({ sessionId: 's1', seq: 5 });
      pushMessage(fake, chatMessage('s1', 6, { text: 'More' }));
      await until(() => fake.sent('read').length === 2, 'read again');
      expect(fake.sent('read')[1]).to.include({ seq: 6 });
    });

    it('closes the session when removed from the page', async () => {
      const { el, fake } = await setup();
      el.remove();
      await until(() => fake.sent('unsubscribe').length === 1, 'unsubscribed');
    });

    it('loads earlier messages and keeps the scroll position', async () => {
      const many = Array.from({ length: 80 }, (_, i) => chatMessage('s1', i + 1, { text: `Message number ${String(i + 1)}` }));
      const { listRoot, items, fake, list } = await setup({ messages: { s1: many } });
      expect(items()).to.have.length(50);
      const scroller = listRoot().querySelector<HTMLElement>('[part=scroller]')!;
      await until(() => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 32, 'at the newest message');
      scroller.scrollTop = 0;
      await until(() => list().hasCustomState('scrolled-up'), 'scrolled up');
      const firstBefore = items()[0]!;
      const offsetBefore = firstBefore.getBoundingClientRect().top;
      listRoot().querySelector<HTMLButtonElement>('[part=load-older]')!.click();
      await until(() => items().length === 80, 'older loaded');
      await list().updateComplete;
      expect(fake.sent('history')[0]).to.include({ beforeSeq: 31 });
      expect(items()[0]!.textContent).to.contain('Message number 1');
      expect(Math.abs(firstBefore.getBoundingClientRect().top - offsetBefore)).to.be.lessThan(40);
      expect(listRoot().querySelector('[part=load-older]')).to.equal(null);
    });

    it('sticks to the newest message, or offers a jump when scrolled up', async () => {
      const many = Array.from({ length: 40 }, (_, i) => chatMessage('s1', i + 1, { text: `Line ${String(i + 1)}` }));
      const { listRoot, items, fake, list } = await setup({ messages: { s1: many } });
      const scroller = listRoot().querySelector<HTMLElement>('[part=scroller]')!;
      const atBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 32;
      await until(atBottom, 'at the newest message');
      expect(scroller.scrollTop).to.be.greaterThan(0);
      pushMessage(fake, chatMessage('s1', 41, { text: 'Newest' }));
      await until(() => items().length === 41, 'shown');
      await until(atBottom, 'still at the newest message');
      scroller.scrollTop = 0;
      await until(() => list().hasCustomState('scrolled-up'), 'scrolled up');
      pushMessage(fake, chatMessage('s1', 42, { text: 'Even newer' }));
      await until(() => listRoot().querySelector('[part=new-messages]') !== null, 'jump shown');
      expect(scroller.scrollTop).to.equal(0);
      listRoot().querySelector<HTMLButtonElement>('[part=new-messages]')!.click();
      await until(atBottom, 'jumped to the newest message');
      await list().updateComplete;
      expect(listRoot().querySelector('[part=new-messages]')).to.equal(null);
    });
  });

  describe('theming', () => {
    it('exposes parts on stable nodes, forwarded from the inner elements', async () => {
      const { root } = await setup();
      for (const part of ['base', 'header', 'title', 'channel', 'status', 'end-button', 'transcript', 'typing', 'composer', 'dialog', 'dialog-confirm', 'dialog-cancel']) {
        expect(root.querySelector(`[part~="${part}"]`), part).to.exist;
      }
      const forwarded = root.querySelector('chat-message-list')!.getAttribute('exportparts')!;
      for (const part of ['messages', 'message', 'message--customer', 'message--agent', 'message--system', 'message--note', 'retry', 'cancel']) expect(forwarded).to.contain(part);
      expect(root.querySelector('chat-composer')!.getAttribute('exportparts')).to.contain('input, send');
    });

    it('lets the page style forwarded parts', async () => {
      const style = document.createElement('style');
      style.textContent = 'chat-conversation::part(message--customer) { color: rgb(9, 9, 9); } chat-conversation::part(input) { color: rgb(8, 8, 8); } chat-conversation::part(composer-error) { color: rgb(7, 7, 7); }';
      document.head.append(style);
      try {
        const { client, items, input, composer } = await setup();
        expect(getComputedStyle(items()[2]!).color).to.equal('rgb(9, 9, 9)');
        expect(getComputedStyle(input()).color).to.equal('rgb(8, 8, 8)');
        sinon.stub(client, 'send').rejects(new ChatError('internal', 'boom'));
        await type(input(), 'x');
        await sendKeys({ press: 'Enter' });
        await until(() => composer().shadowRoot!.querySelector('[part=error]') !== null, 'error');
        expect(getComputedStyle(composer().shadowRoot!.querySelector('[part=error]')!).color).to.equal('rgb(7, 7, 7)');
      } finally {
        style.remove();
      }
    });

    it('reads the bubble custom properties', async () => {
      const { el, items } = await setup();
      el.style.setProperty('--chat-conversation-agent-bubble-background', 'rgb(10, 20, 30)');
      el.style.setProperty('--chat-conversation-bubble-radius', '3px');
      const agent = getComputedStyle(items()[3]!.querySelector('[part=bubble]')!);
      expect(agent.backgroundColor).to.equal('rgb(10, 20, 30)');
      expect(agent.borderBottomLeftRadius).to.equal('3px');
    });

    it('sets the empty and readonly states', async () => {
      const { el, client } = await setup();
      expect(el.matches(':state(readonly)')).to.be.false;
      client.selectSession(undefined);
      await el.updateComplete;
      expect(el.matches(':state(empty)')).to.be.true;
    });
  });
});
