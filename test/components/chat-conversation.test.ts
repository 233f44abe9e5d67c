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
import type { ChatSessionCloseEvent } from '../../src/events/chat-session-close-event.js';
import { formatTime } from '../../src/i18n/common.js';
import type { AgentInfo, AgentMe, ChatMessage, SessionSummary } from '../../src/protocol/index.js';
import { MAX_MESSAGE_TEXT } from '../../src/protocol/index.js';
import { ChatError } from '../../src/state/index.js';
import { until } from '../helpers/chat-server.js';
import { runningClock } from '../helpers/clock.js';
import type { FakeServer, FakeSocket } from '../helpers/fake-server.js';
import { AGENT_ME } from '../helpers/fake-server.js';
import type { FixtureOptions } from '../helpers/fixture-client.js';
import { chatMessage, fixtureClient, pushMessage, pushSession, session } from '../helpers/fixture-client.js';
import { imageErrorSeen } from '../helpers/settled.js';

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

async function setup(options: FixtureOptions & { select?: string; sessionId?: string; mode?: 'listen'; withoutShortcuts?: boolean } = {}) {
  const { select = 's1', sessionId, mode, withoutShortcuts = false, ...rest } = options;
  const { client, fake } = await fixtureClient({ sessions: [KIM()], messages: { s1: transcript() }, agents: AGENTS(), ...rest });
  if (select) client.selectSession(select);
  const el = await fixture<ChatConversation>(
    html`<chat-conversation
      style="height: 480px"
      .client=${client}
      session-id=${ifDefined(sessionId)}
      mode=${ifDefined(mode)}
      ?without-shortcuts=${withoutShortcuts}
    ></chat-conversation>`,
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
    await root.querySelector<ChatComposer>('chat-composer')?.updateComplete;
    // The virtualized transcript renders its rows a moment later, and only where it can be seen:
    // a second fixture of a test sits below the first, so it is scrolled into view.
    el.scrollIntoView({ block: 'start' });
    const count = client.$messages.get()[id]?.items.length ?? 0;
    await until(() => count === 0 || items().length > 0, 'rows rendered');
  };
  if (select || sessionId) await ready();
  /** Waits until the virtualized transcript shows `n` rows and has settled. */
  const rendered = async (n: number) => {
    await until(() => items().length === n, `${String(n)} rows`);
    await frames(6);
  };
  const part = (name: string) => root.querySelector<HTMLElement>(`[part~="${name}"]`);
  return { client, fake, el, root, list, listRoot, items, composer, input, sendButton, text, ready, rendered, part };
}

const frames = async (n: number) => {
  for (let i = 0; i < n; i += 1) await new Promise((r) => requestAnimationFrame(r));
};

const agent = (id: string, name: string, partial: Partial<AgentInfo> = {}): AgentInfo => ({
  id,
  name,
  status: 'present',
  online: true,
  channelIds: ['support'],
  activeChats: 1,
  maxConcurrentChats: 4,
  ...partial,
});

/** Other agents: Erik (2 of 4), Sofia at capacity, Bo away, Lars offline, Mia only in Sales, and me. */
const AGENTS = () => [
  agent('ann', 'Ann Agent'),
  agent('erik', 'Erik Berg', { activeChats: 2 }),
  agent('sofia', 'Sofia Lind', { activeChats: 4 }),
  agent('bo', 'Bo Ek', { status: 'away' }),
  agent('lars', 'Lars Holm', { online: false }),
  agent('mia', 'Mia Sund', { channelIds: ['sales'] }),
];

const MANAGER: AgentMe = {
  ...AGENT_ME,
  channels: [{ id: 'support', name: 'Support', permissions: { respond: true, notifications: true, listen: true, manager: true } }],
};

/** The offer Ann made to Erik (or, with `toMe`, Bo's offer to Ann). */
function offer(toMe = false, note = 'Wants a refund for order 7781'): NonNullable<SessionSummary['transfer']> {
  return toMe
    ? { fromAgentId: 'bo', fromAgentName: 'Bo Ek', toAgentId: 'ann', toAgentName: 'Ann Agent', note, at: NOW_T, expiresAt: NOW_T + 120_000 }
    : { fromAgentId: 'ann', fromAgentName: 'Ann Agent', toAgentId: 'erik', toAgentName: 'Erik Berg', note, at: NOW_T, expiresAt: NOW_T + 120_000 };
}
const NOW_T = Date.UTC(2026, 10, 25, 12, 0, 0);

/** Answers these commands with `ok` and data (the scripted server answers them with a bare ok). */
function answer(fake: FakeServer, data: Record<string, (frame: Record<string, unknown>) => unknown>) {
  const script = fake.onFrame;
  fake.onFrame = (socket: FakeSocket, frame) => {
    const make = data[frame.t];
    if (make && typeof frame.rid === 'string') socket.push({ t: 'ok', rid: frame.rid, data: make(frame) });
    else script(socket, frame);
  };
}

/** Presses a key combination the way a user would (Alt+Shift+A). */
async function chord(...keys: string[]) {
  for (const k of keys) await sendKeys({ down: k });
  for (const k of [...keys].reverse()) await sendKeys({ up: k });
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
      const { items, text, listRoot, rendered } = await setup();
      await rendered(5);
      expect(items().map((i) => i.getAttribute('part'))).to.deep.equal([
        'message message--system',
        'message message--system',
        'message message--customer',
        'message message--agent',
        'message message--note',
      ]);
      expect(text(items()[0]!.querySelector('.event-text'))).to.equal('Welcome to Nordlys support!');
      expect(text(items()[1]!.querySelector('.event-text'))).to.equal('Ann Agent joined the chat');
      expect(text(items()[2]!.querySelector('[part~=bubble]'))).to.equal('Hi, my order is late.');
      expect(text(items()[2]!.querySelector('.author'))).to.equal('Kim');
      expect(text(items()[3]!.querySelector('.author'))).to.equal('You');
      expect(text(items()[4])).to.contain('Internal note');
      for (const item of items()) expect(item.querySelector('time')).to.exist;
      // Customer left, agent right.
      const customer = items()[2]!.querySelector('[part~=bubble]')!.getBoundingClientRect();
      const agentBubble = items()[3]!.querySelector('[part~=bubble]')!.getBoundingClientRect();
      const listBox = listRoot().querySelector('[part~=messages]')!.getBoundingClientRect();
      expect(customer.left - listBox.left).to.be.lessThan(20);
      expect(listBox.right - agentBubble.right).to.be.lessThan(40);
      expect(agentBubble.left).to.be.greaterThan(customer.right);
      const bubble = (i: number) => getComputedStyle(items()[i]!.querySelector('[part~=bubble]')!);
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
      await imageErrorSeen();
      expect(items()[0]!.querySelector('[part~=bubble]')!.textContent).to.equal(hostile);
      expect(root.querySelector('[part=title]')!.textContent).to.equal(hostile);
      expect(listRoot().querySelector('img')).to.equal(null);
      expect(root.querySelector('img')).to.equal(null);
      expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    });

    it('keeps line breaks of a message', async () => {
      const { items } = await setup({ messages: { s1: [chatMessage('s1', 1, { text: 'one\ntwo' })] } });
      expect(getComputedStyle(items()[0]!.querySelector('[part~=bubble]')!).whiteSpace).to.equal('pre-wrap');
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
      // A message within the limit goes out next: one over it, had it been queued, would go first.
      await type(input(), 'within the limit');
      await sendKeys({ press: 'Enter' });
      await until(() => fake.sent('send').length > 0, 'the next message sent');
      expect(fake.sent('send').map((f) => (f as { text?: string }).text)).to.deep.equal(['within the limit']);
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
      const { fake, input, items, list, listRoot, text, el, client } = await setup({ onSend: { code: 'invalid', message: 'text: too long' } });
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
      await until(() => client.$outbox.get()[0]?.state === 'failed' && listRoot().querySelector('[part~="message--failed"] [part=cancel]') !== null, 'failed again');
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
    it('opens a completed chat read-only with its transcript and when it ended', async () => {
      const endedAt = NOW_T - 5 * 60_000;
      const { el, root, text, rendered } = await setup({ sessions: [session({ id: 's1', customer: { name: 'Kim' }, status: 'ended', endedAt })] });
      await rendered(5);
      expect(root.querySelector('chat-composer')).to.equal(null);
      expect(text(root.querySelector('[part=notice] .notice-text'))).to.equal(`This chat ended at ${formatTime(endedAt)}.`);
      expect(text(root.querySelector('[part=status]'))).to.equal('Ended');
      expect(root.querySelector('[part=end-button]')).to.equal(null);
      expect(root.querySelector('[part~=transfer-button]')).to.equal(null);
      expect(el.hasCustomState('readonly')).to.be.true;
      await expect(el).to.be.accessible();
    });

    it('says when the customer left a missed chat', async () => {
      const endedAt = NOW_T - 60_000;
      const { root, text } = await setup({ sessions: [session({ id: 's1', customer: { name: 'Kim' }, status: 'missed', endedAt, agentId: undefined })] });
      expect(text(root.querySelector('[part=notice] .notice-text'))).to.equal(`The customer left at ${formatTime(endedAt)}, before anyone answered.`);
    });

    it('is read-only in a chat someone else handles', async () => {
      const { el, input, composer, text } = await setup({ sessions: [session({ id: 's1', customer: { name: 'Kim' }, agentId: 'bo', agentName: 'Bo' })] });
      expect(input().disabled).to.be.true;
      expect(text(composer().shadowRoot!.querySelector('[part=reason]'))).to.equal('Bo handles this chat. You can read along.');
      expect(el.hasCustomState('readonly')).to.be.true;
    });

    it('sends while the connection is not live: the message waits in the outbox and goes once when it is back', async () => {
      const { client, el, input, composer, sendButton, fake } = await setup();
      client.disconnect();
      await el.updateComplete;
      await type(input(), 'later');
      await composer().updateComplete;
      expect(sendButton().getAttribute('aria-disabled')).to.equal('false');
      input().focus();
      await sendKeys({ press: 'Enter' });
      await until(() => client.$outbox.get().some((i) => i.text === 'later'), 'kept in the outbox');
      expect(input().value).to.equal('');
      expect(fake.sent('send')).to.have.length(0);
      client.connect();
      await until(() => client.$connection.get().status === 'live' && client.$outbox.get().length === 0, 'sent and confirmed');
      expect(fake.sent('send').map((f) => f.text)).to.deep.equal(['later']);
    });
  });

  describe('accessibility', () => {
    it('is accessible when empty', async () => {
      const { el } = await setup({ select: '' });
      await expect(el).to.be.accessible();
    });

    it('is accessible with messages', async () => {
      const { el, listRoot, rendered } = await setup();
      await rendered(5);
      const list = listRoot().querySelector('[part~=messages]')!;
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
      const clock = runningClock();
      try {
        list().requestUpdate();
        await list().updateComplete;
        pushMessage(fake, chatMessage('s1', 7, { author: { kind: 'agent', id: 'ann', name: 'Ann Agent' }, text: 'Hi Kim' }));
        await until(() => items().length === 7, 'agent shown');
        // Every timer of the next seconds run: nothing is announced late either.
        await clock.tickAsync(2_000);
      } finally {
        clock.restore();
      }
      expect(announcerText().polite).to.not.contain('Hi Kim');
    });

    it('does not announce the transcript that is already there', async () => {
      const clock = runningClock();
      try {
        const { items } = await setup({ messages: { s1: [chatMessage('s1', 1, { text: 'Old news here' })] } });
        await until(() => items().length === 1, 'shown');
        await clock.tickAsync(2_000);
      } finally {
        clock.restore();
      }
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
      await until(() => root.activeElement === button, 'focus back on End chat');
      // Confirmed the next time: that end is the only one sent (a cancelled one would come first).
      button.click();
      root.querySelector<HTMLButtonElement>('[part=dialog-confirm]')!.click();
      await until(() => fake.sent('end').length > 0, 'end sent');
      expect(fake.sent('end')).to.have.length(1);
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
      let cancel = true;
      el.addEventListener('chat-message-send', (e) => {
        seen.push(e);
        if (cancel) e.preventDefault();
      });
      await type(input(), 'Not now');
      await sendKeys({ press: 'Enter' });
      expect(seen.map((e) => e.detail)).to.deep.equal([{ sessionId: 's1', text: 'Not now', kind: 'text' }]);
      expect(seen[0]!.composed && seen[0]!.bubbles).to.be.true;
      expect(input().value).to.equal('Not now');
      // Let the next one through: it is the only message sent (the cancelled one would go first).
      cancel = false;
      await sendKeys({ press: 'Enter' });
      await until(() => fake.sent('send').length > 0, 'sent when not cancelled');
      expect(fake.sent('send')).to.have.length(1);
      expect(seen).to.have.length(2);
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

    it('loads earlier messages with the button and keeps what is shown in place', async () => {
      const many = Array.from({ length: 80 }, (_, i) => chatMessage('s1', i + 1, { text: `Message number ${String(i + 1)}` }));
      const { listRoot, fake, client } = await setup({ messages: { s1: many } });
      const row = (key: string) => listRoot().querySelector<HTMLElement>(`[data-key="${key}"]`);
      await until(() => row('m:s1-m80') !== null, 'newest shown');
      await frames(8);
      const newest = row('m:s1-m80')!.getBoundingClientRect().top;
      listRoot().querySelector<HTMLButtonElement>('[part=load-older]')!.click();
      await until(() => client.$messages.get().s1!.items.length === 80, 'older loaded');
      await frames(10);
      expect(fake.sent('history')[0]).to.include({ beforeSeq: 31 });
      expect(Math.abs(row('m:s1-m80')!.getBoundingClientRect().top - newest)).to.be.at.most(2);
      expect(row('m:s1-m80')!.getAttribute('aria-posinset')).to.equal('80');
      expect(listRoot().querySelector('[part=load-older]')).to.equal(null);
    });

    it('sticks to the newest message, or offers a jump when scrolled up', async () => {
      const many = Array.from({ length: 40 }, (_, i) => chatMessage('s1', i + 1, { text: `Line ${String(i + 1)}` }));
      const { listRoot, fake, list } = await setup({ messages: { s1: many } });
      const scroller = listRoot().querySelector<HTMLElement>('[part~=scroller]')!;
      const row = (key: string) => listRoot().querySelector(`[data-key="${key}"]`);
      const atBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 32;
      await until(() => row('m:s1-m40') !== null, 'newest shown');
      await until(atBottom, 'at the newest message');
      expect(scroller.scrollTop).to.be.greaterThan(0);
      pushMessage(fake, chatMessage('s1', 41, { text: 'Newest' }));
      await until(() => row('m:s1-m41') !== null, 'shown');
      await until(atBottom, 'still at the newest message');
      await frames(6);
      // The user scrolls up (a wheel turn).
      scroller.dispatchEvent(new WheelEvent('wheel', { deltaY: -120, bubbles: true }));
      scroller.scrollTop = 0;
      await until(() => list().hasCustomState('scrolled-up'), 'scrolled up');
      pushMessage(fake, chatMessage('s1', 42, { text: 'Even newer' }));
      await until(() => (listRoot().querySelector('[part~=new-messages]')?.textContent ?? '').includes('1 new'), 'jump with count');
      expect(scroller.scrollTop).to.be.lessThan(100);
      listRoot().querySelector<HTMLButtonElement>('[part~=new-messages]')!.click();
      await until(atBottom, 'jumped to the newest message');
      await until(() => listRoot().querySelector('[part~=new-messages]') === null, 'jump gone');
    });
  });


  describe('typing and draft preview', () => {
    it("shows the customer's draft below the transcript, subtly, and never as a live region", async () => {
      const { fake, root, el, text, part } = await setup();
      fake.last.push({ t: 'typing', sessionId: 's1', who: { kind: 'customer', name: 'Kim' }, on: true, preview: 'Where is my parc' });
      await until(() => part('preview') !== null, 'preview shown');
      expect(text(part('typing'))).to.equal('Kim is typing… Draft: Where is my parc');
      expect(text(part('preview'))).to.equal('Draft: Where is my parc');
      expect(part('preview')!.getAttribute('title')).to.equal('What the customer is writing (not sent yet)');
      expect(getComputedStyle(part('preview')!).fontStyle).to.equal('italic');
      expect(root.querySelector('[aria-live]')).to.equal(null);
      // Typing without a preview (the channel opted out): only the indicator.
      fake.last.push({ t: 'typing', sessionId: 's1', who: { kind: 'customer', name: 'Kim' }, on: true });
      await until(() => part('preview') === null, 'preview gone');
      expect(text(part('typing'))).to.equal('Kim is typing…');
      await expect(el).to.be.accessible();
    });

    it('renders a hostile draft as text', async () => {
      const { fake, part } = await setup();
      fake.last.push({ t: 'typing', sessionId: 's1', who: { kind: 'customer', name: 'Kim' }, on: true, preview: '<img src=x onerror=window.__pwned=2>' });
      await until(() => part('preview') !== null, 'preview shown');
      expect(part('preview')!.querySelector('img')).to.equal(null);
      expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    });
  });

  describe('read state, notes and links', () => {
    it('shows "Seen" under my last message the customer has read', async () => {
      const { fake, listRoot, rendered } = await setup();
      await rendered(5);
      expect(listRoot().querySelector('[part=seen]')).to.equal(null);
      pushSession(fake, 1, { ...KIM(), customerReadSeq: 5 });
      await until(() => listRoot().querySelector('[part=seen]') !== null, 'seen shown');
      expect(listRoot().querySelector('[data-key="m:s1-m4"] [part=seen]')!.textContent.trim()).to.equal('Seen');
    });

    it('writes an internal note: Note mode, sent as kind "note", shown as a note', async () => {
      const { el, composer, input, fake, listRoot, root } = await setup();
      const note = composer().shadowRoot!.querySelector<HTMLInputElement>('input[value=note]')!;
      note.focus();
      await sendKeys({ press: 'Space' });
      await composer().updateComplete;
      expect(note.checked).to.be.true;
      expect(input().getAttribute('aria-label')).to.equal('Internal note on the chat with Kim');
      await expect(el).to.be.accessible();
      await type(input(), 'Customer is a VIP');
      await sendKeys({ press: 'Enter' });
      await until(() => fake.sent('send').length === 1, 'sent');
      expect(fake.sent('send')[0]).to.include({ kind: 'note', text: 'Customer is a VIP' });
      await until(() => listRoot().querySelector('[data-key^="c:"][part~="message--note"]') !== null, 'note shown');
      const shown = listRoot().querySelector('[data-key^="c:"][part~="message--note"]')!;
      expect(shown.querySelector('[part=note-label]')!.textContent.trim()).to.equal('Internal note — not visible to the customer');
      expect(getComputedStyle(shown.querySelector('[part~=bubble]')!).backgroundColor).to.equal('rgb(255, 246, 214)');
      expect(fake.sent('typing')).to.have.length(0);
      expect(root.querySelector('chat-composer')!.hasCustomState('note')).to.be.true;
    });

    it('turns links in messages into safe anchors', async () => {
      const { listRoot } = await setup({ messages: { s1: [chatMessage('s1', 1, { text: 'Order status: https://shop.example/o/7781 (or javascript:alert(1))' })] } });
      const a = listRoot().querySelector<HTMLAnchorElement>('[part=link]')!;
      expect(a.getAttribute('href')).to.equal('https://shop.example/o/7781');
      expect(a.getAttribute('rel')).to.equal('noopener noreferrer nofollow');
      expect(a.getAttribute('target')).to.equal('_blank');
      expect(listRoot().querySelectorAll('a')).to.have.length(1);
    });
  });

  describe('transfer', () => {
    it('lists Present, online agents of the channel with their load, disables those at capacity, and the queues', async () => {
      const { el, root, part, text } = await setup();
      const button = part('transfer-button')!;
      expect(text(button)).to.equal('Transfer…');
      expect(button.getAttribute('aria-haspopup')).to.equal('dialog');
      button.focus();
      button.click();
      const dialog = part('transfer-dialog') as HTMLDialogElement;
      expect(dialog.open).to.be.true;
      expect(dialog.matches(':modal')).to.be.true;
      await el.updateComplete;
      const options = [...dialog.querySelectorAll<HTMLElement>('[part~=transfer-option]')].map((o) => text(o));
      expect(options).to.deep.equal(['Erik Berg 2 of 4 chats', 'Sofia Lind At capacity: 4 of 4 chats', 'Sales queue', 'Support queue back in line']);
      const sofia = dialog.querySelectorAll<HTMLInputElement>('input[type=radio]')[1]!;
      expect(sofia.disabled).to.be.true;
      expect(root.getElementById(sofia.getAttribute('aria-describedby')!)!.textContent.trim()).to.equal('At capacity: 4 of 4 chats');
      // Focus starts on the first agent that can take the chat.
      await until(() => root.activeElement === dialog.querySelector('input[value="agent:erik"]'), 'focus on Erik');
      expect(text(dialog.querySelector('label[for=transfer-note]'))).to.equal('Note for the next agent (optional)');
      await expect(el).to.be.accessible();
      await sendKeys({ press: 'Escape' });
      await until(() => !dialog.open, 'closed');
      expect(root.activeElement === button, 'focus back on Transfer').to.be.true;
    });

    it('transfers to an agent with a note, then shows the pending bar with Cancel transfer focused', async () => {
      const { el, fake, root, part, text, client } = await setup();
      answer(fake, { transfer: (f) => ({ sessionId: f.sessionId, expiresAt: NOW_T + 120_000 }) });
      part('transfer-button')!.focus();
      part('transfer-button')!.click();
      const dialog = part('transfer-dialog') as HTMLDialogElement;
      await el.updateComplete;
      dialog.querySelector<HTMLInputElement>('input[value="agent:erik"]')!.click();
      const note = dialog.querySelector<HTMLTextAreaElement>('#transfer-note')!;
      note.value = 'Wants a refund for order 7781';
      note.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
      part('transfer-confirm')!.click();
      await until(() => fake.sent('transfer').length === 1, 'transfer sent');
      expect(fake.sent('transfer')[0]).to.deep.include({ sessionId: 's1', to: { agentId: 'erik' }, note: 'Wants a refund for order 7781' });
      await until(() => !dialog.open, 'dialog closed');
      // The server publishes the pending offer on the board.
      pushSession(fake, 1, { ...KIM(), transfer: offer() });
      await until(() => part('transfer-pending') !== null, 'pending bar');
      expect(text(part('transfer-pending'))).to.equal('Waiting for Erik Berg to accept… Cancel transfer');
      expect(part('transfer-button')).to.equal(null);
      await until(() => root.activeElement === part('transfer-cancel'), 'focus on Cancel transfer');
      expect(el.hasCustomState('transfer-pending')).to.be.true;
      await until(() => announcerText().polite.includes('Transfer offered to Erik Berg. Waiting for an answer.'), 'announced');
      await expect(el).to.be.accessible();
      expect(client.$sessions.get().s1!.transfer!.toAgentId).to.equal('erik');
    });

    it('moves the chat to a queue', async () => {
      const { el, fake, part } = await setup();
      part('transfer-button')!.click();
      await el.updateComplete;
      part('transfer-dialog')!.querySelector<HTMLInputElement>('input[value="channel:sales"]')!.click();
      part('transfer-confirm')!.click();
      await until(() => fake.sent('transfer').length === 1, 'transfer sent');
      expect(fake.sent('transfer')[0]).to.deep.include({ sessionId: 's1', to: { channelId: 'sales' } });
      expect(fake.sent('transfer')[0]).to.not.have.property('note');
    });

    it('asks for a choice, and shows why a transfer failed with the dialog still open', async () => {
      const { el, fake, part, text } = await setup({ refuse: { transfer: { code: 'at_capacity', message: 'Erik Berg already handles 4 chats' } } });
      const errors: ChatErrorEvent[] = [];
      el.addEventListener('chat-error', (e) => errors.push(e));
      part('transfer-button')!.click();
      await el.updateComplete;
      part('transfer-confirm')!.click();
      await el.updateComplete;
      expect(text(part('transfer-error'))).to.equal('Choose an agent or a queue.');
      expect(fake.sent('transfer')).to.have.length(0);
      part('transfer-dialog')!.querySelector<HTMLInputElement>('input[value="agent:erik"]')!.click();
      part('transfer-confirm')!.click();
      await until(() => text(part('transfer-error')) === 'Erik Berg cannot take more chats right now.', 'error shown');
      expect((part('transfer-dialog') as HTMLDialogElement).open).to.be.true;
      expect(errors.map((e) => e.detail.code)).to.deep.equal(['at_capacity']);
      await expect(el).to.be.accessible();
    });

    it('cancels a pending transfer from the bar', async () => {
      const { el, fake, part, root } = await setup({ sessions: [{ ...KIM(), transfer: offer() }] });
      const cancel = part('transfer-cancel')!;
      expect(cancel.textContent.trim()).to.equal('Cancel transfer');
      await expect(el).to.be.accessible();
      cancel.focus();
      cancel.click();
      await until(() => fake.sent('transfer-cancel').length === 1, 'cancel sent');
      expect(fake.sent('transfer-cancel')[0]).to.include({ sessionId: 's1' });
      pushSession(fake, 1, KIM());
      await until(() => part('transfer-pending') === null, 'bar gone');
      await until(() => root.activeElement === part('transfer-button'), 'focus on Transfer');
    });

    it('tells the sender when the offer was declined: the bar goes, a system line and an announcement', async () => {
      const { fake, part, listRoot } = await setup({ sessions: [{ ...KIM(), transfer: offer() }] });
      const meta = { fromAgentId: 'ann', fromAgentName: 'Ann Agent', toAgentId: 'erik', toAgentName: 'Erik Berg' };
      pushMessage(fake, chatMessage('s1', 6, { kind: 'event', event: 'transfer-declined', internal: true, meta, author: { kind: 'system', name: 'Erik Berg' }, text: '' }));
      pushSession(fake, 1, KIM());
      await until(() => part('transfer-pending') === null, 'bar gone');
      await until(() => (listRoot().querySelector('[data-key="m:s1-m6"]')?.textContent ?? '').includes('Erik Berg declined the transfer'), 'system line');
      await until(() => announcerText().polite.includes('Erik Berg declined the transfer'), 'announced');
      expect(part('composer')).to.not.equal(null);
    });

    it('offers the chat to me below the conversation, with the note, Accept and Reject', async () => {
      const { el, fake, root, part, text, list } = await setup({ sessions: [{ ...KIM(), agentId: 'bo', agentName: 'Bo Ek', transfer: offer(true) }] });
      const bar = part('transfer-offer')!;
      expect(text(bar.querySelector('#offer-text'))).to.equal('Bo Ek wants to transfer this chat to you:');
      expect(text(part('transfer-note'))).to.equal('Wants a refund for order 7781');
      const accept = part('transfer-accept')!;
      const reject = part('transfer-reject')!;
      expect(text(accept)).to.equal('Accept transfer');
      expect(text(reject)).to.equal('Reject transfer');
      expect(accept.title).to.equal('Accept transfer (Alt+Shift+A)');
      expect(reject.title).to.equal('Reject transfer (Alt+Shift+R)');
      expect(accept.getAttribute('aria-keyshortcuts')).to.equal('Alt+Shift+A');
      // Below the transcript, above the (read-only) composer.
      const transcript = list().getBoundingClientRect();
      const composerBox = part('composer')!.getBoundingClientRect();
      expect(bar.getBoundingClientRect().top).to.be.at.least(transcript.bottom - 1);
      expect(bar.getBoundingClientRect().bottom).to.be.at.most(composerBox.top + 1);
      expect(text(part('composer')!.shadowRoot!.querySelector('[part=reason]'))).to.equal('Bo Ek handles this chat. Accept the transfer to answer.');
      expect(el.hasCustomState('transfer-offered')).to.be.true;
      expect(fake.sent('subscribe')[0]).to.include({ mode: 'listen' });
      await expect(el).to.be.accessible();
      accept.focus();
      accept.click();
      await until(() => fake.sent('transfer-answer').length === 1, 'answered');
      expect(fake.sent('transfer-answer')[0]).to.include({ sessionId: 's1', accept: true });
      // The chat becomes mine: the bar goes and focus moves to the composer.
      pushSession(fake, 1, KIM());
      await until(() => part('transfer-offer') === null, 'bar gone');
      await until(() => root.activeElement === part('composer'), 'composer focused');
    });

    it('rejects with the button', async () => {
      const { fake, part, root } = await setup({ sessions: [{ ...KIM(), agentId: 'bo', agentName: 'Bo Ek', transfer: offer(true) }] });
      part('transfer-reject')!.focus();
      part('transfer-reject')!.click();
      await until(() => fake.sent('transfer-answer').length === 1, 'answered');
      expect(fake.sent('transfer-answer')[0]).to.include({ sessionId: 's1', accept: false });
      pushSession(fake, 1, { ...KIM(), agentId: 'bo', agentName: 'Bo Ek' });
      await until(() => part('transfer-offer') === null, 'bar gone');
      await until(() => root.activeElement === part('title'), 'focus on the heading');
    });

    it('answers with Alt+Shift+A and Alt+Shift+R', async () => {
      const { fake, input } = await setup({ sessions: [{ ...KIM(), agentId: 'bo', agentName: 'Bo Ek', transfer: offer(true) }] });
      input().focus();
      await chord('Alt', 'Shift', 'KeyR');
      await until(() => fake.sent('transfer-answer').length === 1, 'rejected');
      expect(fake.sent('transfer-answer')[0]).to.include({ accept: false });
      await chord('Alt', 'Shift', 'KeyA');
      await until(() => fake.sent('transfer-answer').length === 2, 'accepted');
      expect(fake.sent('transfer-answer')[1]).to.include({ accept: true });
    });

    it('has no shortcuts with without-shortcuts', async () => {
      const { fake, part } = await setup({ withoutShortcuts: true, sessions: [{ ...KIM(), agentId: 'bo', agentName: 'Bo Ek', transfer: offer(true) }] });
      expect(part('transfer-accept')!.hasAttribute('title')).to.be.false;
      expect(part('transfer-accept')!.hasAttribute('aria-keyshortcuts')).to.be.false;
      part('transfer-accept')!.focus();
      await chord('Alt', 'Shift', 'KeyA');
      await frames(3);
      expect(fake.sent('transfer-answer')).to.have.length(0);
    });

    it('alone: Alt+Shift+E asks to end, Alt+Shift+X opens Transfer… while focus is in it; off with without-shortcuts', async () => {
      const { fake, input, part, root } = await setup();
      input().focus();
      await chord('Alt', 'Shift', 'KeyE');
      const endDialog = () => part('dialog') as HTMLDialogElement;
      await until(() => endDialog().open, 'End chat asks first');
      await sendKeys({ press: 'Escape' });
      await until(() => root.activeElement === part('end-button'), 'focus on End chat');
      await chord('Alt', 'Shift', 'KeyX');
      await until(() => (part('transfer-dialog') as HTMLDialogElement).open, 'Transfer dialog open');
      await sendKeys({ press: 'Escape' });
      await until(() => !(part('transfer-dialog') as HTMLDialogElement).open, 'closed');
      expect(fake.sent('end')).to.have.length(0);

      const off = await setup({ withoutShortcuts: true });
      off.input().focus();
      await chord('Alt', 'Shift', 'KeyE');
      await frames(3);
      expect((off.part('dialog') as HTMLDialogElement).open).to.be.false;
      expect(off.part('end-button')!.hasAttribute('aria-keyshortcuts')).to.be.false;
    });

    it("makes the sender's view read-only once the receiver accepted: listening, with Close", async () => {
      const meta = { fromAgentId: 'ann', fromAgentName: 'Ann Agent', toAgentId: 'erik', toAgentName: 'Erik Berg' };
      const handed = [
        ...transcript(),
        chatMessage('s1', 6, { kind: 'event', event: 'transferred', internal: true, meta, author: { kind: 'system', name: 'Erik Berg' }, text: '' }),
        chatMessage('s1', 7, { kind: 'event', event: 'joined', author: { kind: 'agent', id: 'erik', name: 'Erik Berg' }, text: '' }),
      ];
      const { el, client, root, part, text } = await setup({ sessions: [{ ...KIM(), agentId: 'erik', agentName: 'Erik Berg' }], messages: { s1: handed } });
      expect(root.querySelector('chat-composer')).to.equal(null);
      expect(text(part('notice')!.querySelector('.notice-text'))).to.equal('You transferred this chat to Erik Berg. You are listening.');
      expect(part('transfer-button')).to.equal(null);
      expect(part('end-button')).to.equal(null);
      expect(el.hasCustomState('listening')).to.be.true;
      expect(el.hasCustomState('readonly')).to.be.true;
      await expect(el).to.be.accessible();
      const closed: ChatSessionCloseEvent[] = [];
      el.addEventListener('chat-session-close', (e) => closed.push(e));
      part('notice-close')!.click();
      expect(closed.map((e) => e.detail.sessionId)).to.deep.equal(['s1']);
      expect(client.$selectedSessionId.get()).to.equal(undefined);
    });

    it('says when a manager took the chat over', async () => {
      const meta = { fromAgentId: 'ann', fromAgentName: 'Ann Agent', toAgentId: 'sara', toAgentName: 'Sara Lind' };
      const { part, text } = await setup({
        sessions: [{ ...KIM(), agentId: 'sara', agentName: 'Sara Lind' }],
        messages: { s1: [...transcript(), chatMessage('s1', 6, { kind: 'event', event: 'taken-over', internal: true, meta, author: { kind: 'system', name: 'Sara Lind' }, text: '' })] },
      });
      expect(text(part('notice')!.querySelector('.notice-text'))).to.equal('Sara Lind took over this chat. You are listening.');
    });
  });

  describe('mark unread', () => {
    it('marks my chat unread with the button, then closes it', async () => {
      const { el, client, fake, part, text } = await setup();
      const button = part('unread-button')!;
      expect(text(button)).to.equal('Mark unread');
      expect(button.getAttribute('aria-keyshortcuts')).to.equal('Alt+Shift+U');
      await expect(el).to.be.accessible();
      button.click();
      await until(() => fake.sent('unread').length === 1, 'unread sent');
      expect(fake.sent('unread')[0]).to.include({ sessionId: 's1' });
      // Closed, so that it is not read again at once; said to a screen reader.
      await until(() => client.$selectedSessionId.get() === undefined, 'chat closed');
      await until(() => announcerText().polite.includes('The chat with Kim is marked unread.'), 'announced');
    });

    it('says why when the customer has written nothing, and keeps the chat open (Alt+Shift+U)', async () => {
      const { client, fake, part, input, text } = await setup({ refuse: { unread: { code: 'invalid', message: 'nothing to mark unread' } } });
      input().focus();
      await chord('Alt', 'Shift', 'KeyU');
      await until(() => fake.sent('unread').length === 1, 'unread sent');
      await until(() => part('end-error') !== null, 'error shown');
      expect(text(part('end-error'))).to.equal('The customer has written nothing yet: there is nothing to mark unread.');
      expect(client.$selectedSessionId.get()).to.equal('s1');
    });

    it('is not offered on a chat someone else handles', async () => {
      const { part } = await setup({ me: MANAGER, sessions: [{ ...KIM(), agentId: 'bo', agentName: 'Bo Ek' }] });
      expect(part('unread-button')).to.equal(null);
    });
  });

  describe('managers and listening', () => {
    it('shows "Take over" to a manager on a chat someone else handles', async () => {
      const { el, fake, part, text } = await setup({ me: MANAGER, sessions: [{ ...KIM(), agentId: 'bo', agentName: 'Bo Ek' }] });
      const button = part('takeover-button')!;
      expect(text(button)).to.equal('Take over');
      expect(part('transfer-button')).to.not.equal(null);
      expect(part('end-button')).to.equal(null);
      await expect(el).to.be.accessible();
      button.click();
      await until(() => fake.sent('takeover').length === 1, 'takeover sent');
      expect(fake.sent('takeover')[0]).to.include({ sessionId: 's1' });
    });

    it('shows no "Take over" without the manager permission or on my own chat', async () => {
      const other = await setup({ sessions: [{ ...KIM(), agentId: 'bo', agentName: 'Bo Ek' }] });
      expect(other.part('takeover-button')).to.equal(null);
      expect(other.part('transfer-button')).to.equal(null);
      const mine = await setup({ me: MANAGER });
      expect(mine.part('takeover-button')).to.equal(null);
    });

    it('listens read-only in mode="listen" without a supervisor permission: no composer, no actions', async () => {
      const reader: AgentMe = { ...AGENT_ME, channels: [{ id: 'support', name: 'Support', permissions: { respond: true, notifications: true, listen: false, manager: false } }] };
      const { fake, root, part, text, rendered } = await setup({ mode: 'listen', sessions: [{ ...KIM(), agentId: 'bo', agentName: 'Bo Ek' }], me: reader });
      await rendered(5);
      expect(fake.sent('subscribe')[0]).to.include({ sessionId: 's1', mode: 'listen' });
      expect(root.querySelector('chat-composer')).to.equal(null);
      expect(text(part('notice')!.querySelector('.notice-text'))).to.equal('You are listening in. You can read along; nobody in the chat sees you.');
      for (const p of ['takeover-button', 'transfer-button', 'end-button', 'whisper']) expect(part(p), p).to.equal(null);
    });

    it('a supervisor listening in whispers to the handling agent, never to the customer', async () => {
      const { fake, root, part, text, rendered } = await setup({ mode: 'listen', sessions: [{ ...KIM(), agentId: 'bo', agentName: 'Bo Ek' }], me: MANAGER });
      await rendered(5);
      const whisper = part('whisper') as ChatComposer | null;
      expect(whisper).to.exist;
      const wRoot = whisper!.shadowRoot!;
      const box = wRoot.querySelector('textarea')!;
      expect(box.getAttribute('aria-label')).to.equal('Whisper to Bo Ek');
      expect(wRoot.querySelector('[part~="modes"]'), 'no Reply/Note choice').to.equal(null);
      expect(wRoot.querySelector('[part~="tools"]'), 'no tools').to.equal(null);
      expect(text(wRoot.querySelector('[part=send]'))).to.equal('Whisper');
      expect(whisper!.hasCustomState('whisper')).to.be.true;
      box.focus();
      await sendKeys({ type: 'Offer the refund' });
      await sendKeys({ press: 'Enter' });
      await until(() => fake.sent('send').length === 1, 'whisper sent');
      expect(fake.sent('send')[0]).to.include({ sessionId: 's1', kind: 'whisper', text: 'Offer the refund' });
      // Nothing about it reaches the customer: not even a typing signal.
      expect(fake.sent('typing')).to.have.length(0);
      await until(() => box.value === '', 'box cleared');
      // The whisper box takes the notice's place (the header still says "Listening").
      expect(root.querySelector('[part~="notice"]')).to.equal(null);
      await expect(root.host).to.be.accessible();
    });

    it('marks a whisper in the transcript', async () => {
      const whisper = chatMessage('s1', 6, { kind: 'note', author: { kind: 'agent', id: 'mia', name: 'Mia Sund' }, text: 'Offer the refund', meta: { whisper: true, toAgentId: 'ann', toAgentName: 'Ann Agent' } });
      const { listRoot, text, rendered } = await setup({ messages: { s1: [...transcript(), whisper] } });
      await rendered(6);
      const row = listRoot().querySelector('[part~="message--whisper"]');
      expect(row).to.exist;
      expect(row!.getAttribute('part')).to.include('message--note');
      expect(text(row!.querySelector('[part=note-label]'))).to.equal('Whisper — only agents see it');
      // Its bubble has a part of its own, as every kind of message does.
      expect(row!.querySelector('[part~=bubble]')!.getAttribute('part')).to.equal('bubble bubble--note bubble--whisper');
    });

    it('listens read-only in mode="listen": opened as listen, a whisper composer only, no actions', async () => {
      const { el, fake, root, part, text, rendered } = await setup({ mode: 'listen', sessions: [{ ...KIM(), agentId: 'bo', agentName: 'Bo Ek' }], me: MANAGER });
      await rendered(5);
      expect(fake.sent('subscribe')[0]).to.include({ sessionId: 's1', mode: 'listen' });
      expect(root.querySelectorAll('chat-composer')).to.have.length(1);
      expect(part('whisper')).to.exist;
      for (const p of ['takeover-button', 'transfer-button', 'end-button']) expect(part(p), p).to.equal(null);
      expect(text(part('listening'))).to.equal('Listening');
      expect(el.hasCustomState('listening')).to.be.true;
      // A listener does not mark the chat read for the handler.
      await frames(5);
      expect(fake.sent('read')).to.have.length(0);
      await expect(el).to.be.accessible();
    });
  });

  describe('theming', () => {
    it('exposes parts on stable nodes, forwarded from the inner elements', async () => {
      const { root } = await setup();
      for (const part of ['base', 'header', 'title', 'channel', 'status', 'actions', 'transfer-button', 'end-button', 'transcript', 'typing', 'composer', 'dialog', 'dialog-confirm', 'dialog-cancel', 'transfer-dialog', 'transfer-confirm', 'transfer-dismiss', 'transfer-note-input']) {
        expect(root.querySelector(`[part~="${part}"]`), part).to.exist;
      }
      const forwarded = root.querySelector('chat-message-list')!.getAttribute('exportparts')!;
      for (const part of ['messages', 'message', 'message--customer', 'message--agent', 'message--system', 'message--internal', 'message--note', 'retry', 'cancel', 'link', 'divider', 'seen', 'jump', 'note-label']) expect(forwarded).to.contain(part);
      expect(root.querySelector('chat-composer')!.getAttribute('exportparts')).to.contain('input, send');
      expect(root.querySelector('chat-composer')!.getAttribute('exportparts')).to.contain('modes, mode');
    });

    it('lets the page style forwarded parts', async () => {
      const style = document.createElement('style');
      style.textContent = 'chat-conversation::part(message--customer) { color: rgb(9, 9, 9); } chat-conversation::part(input) { color: rgb(8, 8, 8); } chat-conversation::part(composer-error) { color: rgb(7, 7, 7); }';
      document.head.append(style);
      try {
        const { client, items, input, composer, rendered } = await setup();
        await rendered(5);
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
      const { el, items, rendered } = await setup();
      await rendered(5);
      el.style.setProperty('--chat-conversation-agent-bubble-background', 'rgb(10, 20, 30)');
      el.style.setProperty('--chat-conversation-bubble-radius', '3px');
      const agent = getComputedStyle(items()[3]!.querySelector('[part~=bubble]')!);
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
