import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

import '../../src/components/chat-message-list/chat-message-list.js';
import type { ChatMessageList } from '../../src/components/chat-message-list/chat-message-list.js';
import { announcerText } from '../../src/internal/announcer.js';
import type { ChatMessage } from '../../src/protocol/index.js';
import { until } from '../helpers/chat-server.js';
import type { FixtureOptions } from '../helpers/fixture-client.js';
import { chatMessage, fixtureClient, NOW, pushMessage, session } from '../helpers/fixture-client.js';

const ANN = { kind: 'agent' as const, id: 'ann', name: 'Ann Agent' };

async function setup(messages: ChatMessage[], options: FixtureOptions = {}) {
  const { client, fake } = await fixtureClient({ sessions: [session({ id: 's1', customer: { name: 'Kim' } })], messages: { s1: messages }, ...options });
  client.openSession('s1');
  await until(() => client.$messages.get().s1?.ready === true, 'ready');
  const el = await fixture<ChatMessageList>(html`<chat-message-list style="height: 300px" .client=${client} session-id="s1" label="Messages with Kim"></chat-message-list>`);
  const root = el.shadowRoot!;
  const items = () => [...root.querySelectorAll<HTMLElement>('[role=listitem]')];
  const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
  return { client, fake, el, root, items, text };
}

describe('chat-message-list', () => {
  describe('rendering', () => {
    it('groups consecutive messages of one author but keeps the name for screen readers', async () => {
      const { items } = await setup([chatMessage('s1', 1, { text: 'one' }), chatMessage('s1', 2, { text: 'two' }), chatMessage('s1', 3, { author: ANN, text: 'three' })]);
      expect(items().map((i) => i.classList.contains('msg--cont'))).to.deep.equal([false, true, false]);
      const meta = items()[1]!.querySelector<HTMLElement>('[part=meta]')!;
      expect(meta.textContent).to.contain('Kim');
      expect(meta.getBoundingClientRect().height).to.be.at.most(1);
    });

    it('says when a chat has no messages yet', async () => {
      const { root, el, text } = await setup([]);
      expect(text(root.querySelector('[part=no-messages]'))).to.equal('No messages yet.');
      expect(el.hasCustomState('empty')).to.be.true;
    });

    it('shows the welcome text of the queued event, or a fallback', async () => {
      const { items, text } = await setup([
        chatMessage('s1', 1, { kind: 'event', event: 'queued', author: { kind: 'system', name: '' }, text: 'Hi! We answer within minutes.' }),
        chatMessage('s1', 2, { kind: 'event', event: 'queued', author: { kind: 'system', name: '' }, text: '' }),
        chatMessage('s1', 3, { kind: 'event', event: 'missed', author: { kind: 'customer', name: 'Kim' }, text: '' }),
      ]);
      expect(items().map((i) => text(i.querySelector('.event-text')))).to.deep.equal(['Hi! We answer within minutes.', 'The chat started.', 'Kim left before anyone answered']);
      expect(items()[0]!.querySelector('time')!.getAttribute('datetime')).to.equal(new Date(NOW - 99_000).toISOString());
    });
  });

  describe('accessibility', () => {
    it('is a labelled list, not a live region, and is accessible', async () => {
      const { el, root } = await setup([chatMessage('s1', 1), chatMessage('s1', 2, { author: ANN })]);
      const list = root.querySelector('[part=messages]')!;
      expect(list.getAttribute('role')).to.equal('list');
      expect(list.getAttribute('aria-label')).to.equal('Messages with Kim');
      expect(root.querySelector('[aria-live]')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('is accessible with a failed message', async () => {
      const { el, client, root } = await setup([chatMessage('s1', 1)], { onSend: 'hold' });
      await client.send('s1', 'stuck');
      await until(() => root.querySelector('[part~="message--pending"]') !== null, 'pending');
      await expect(el).to.be.accessible();
    });

    it('announces customer messages and their leaving, not agent messages', async () => {
      const { fake, items } = await setup([chatMessage('s1', 1)]);
      pushMessage(fake, chatMessage('s1', 2, { author: ANN, text: 'Agent words' }));
      pushMessage(fake, chatMessage('s1', 3, { text: 'Customer words' }));
      pushMessage(fake, chatMessage('s1', 4, { kind: 'event', event: 'left', author: { kind: 'customer', name: 'Kim' }, text: '' }));
      await until(() => items().length === 4, 'shown');
      await until(() => announcerText().polite.includes('Kim: Customer words'), 'announced');
      await until(() => announcerText().polite.includes('Kim left the chat'), 'left announced');
      expect(announcerText().polite).to.not.contain('Agent words');
    });
  });

  describe('keyboard', () => {
    it('lets the transcript take focus and reaches Retry and Cancel with Tab', async () => {
      const { el, client, root, fake } = await setup([chatMessage('s1', 1)], { onSend: { code: 'session_closed', message: 'ended' } });
      const script = fake.onFrame;
      fake.onFrame = (socket, frame) => {
        if (frame.t === 'send') setTimeout(() => {
          script(socket, frame);
        }, 0);
        else script(socket, frame);
      };
      await client.send('s1', 'too late');
      await until(() => root.querySelector('[part=retry]') !== null, 'failed');
      expect(root.querySelector('[part=message-state]')!.textContent).to.contain('Not sent: the chat has ended');
      el.focusMessages();
      expect(root.activeElement === root.querySelector('[part=messages]'), 'list focused').to.be.true;
      await sendKeys({ press: 'Tab' });
      expect(root.activeElement === root.querySelector('[part=retry]'), 'retry focused').to.be.true;
      await sendKeys({ press: 'Tab' });
      expect(root.activeElement === root.querySelector('[part=cancel]'), 'cancel focused').to.be.true;
      await sendKeys({ press: 'Enter' });
      await until(() => root.querySelector('[part=cancel]') === null, 'cancelled');
      // Focus goes back to the transcript, not to the page.
      expect(root.activeElement === root.querySelector('[part=messages]'), 'list focused again').to.be.true;
    });
  });

  describe('store integration', () => {
    it('shows my pending messages after the confirmed ones, never twice', async () => {
      const { client, fake, items } = await setup([chatMessage('s1', 1)], { onSend: 'hold' });
      await client.send('s1', 'first');
      await client.send('s1', 'second');
      await until(() => items().length === 3, 'pending shown');
      expect(items().map((i) => i.getAttribute('part'))).to.deep.equal(['message message--customer', 'message message--agent message--pending', 'message message--agent message--pending']);
      // The server's event for the first arrives before its ack: shown once, confirmed.
      const frame = fake.sent('send')[0]!;
      pushMessage(fake, chatMessage('s1', 2, { author: ANN, cmid: String(frame.cmid), text: 'first' }));
      await until(() => items()[1]?.getAttribute('part') === 'message message--agent', 'confirmed');
      expect(items()).to.have.length(3);
      expect(items().filter((i) => i.textContent.includes('first'))).to.have.length(1);
    });

    it('says "Waiting for the connection…" while not live', async () => {
      const { client, root, el } = await setup([chatMessage('s1', 1)], { onSend: 'hold' });
      client.disconnect();
      await client.send('s1', 'offline words');
      await el.updateComplete;
      expect(root.querySelector('[part=message-state]')!.textContent).to.contain('Waiting for the connection…');
    });
  });

  describe('theming', () => {
    it('exposes parts and reads its custom properties', async () => {
      const { el, root, items } = await setup([chatMessage('s1', 1), chatMessage('s1', 2, { author: ANN }), chatMessage('s1', 3, { kind: 'note', author: ANN })]);
      for (const part of ['base', 'scroller', 'messages', 'message', 'message--customer', 'message--agent', 'message--note', 'bubble', 'meta']) {
        expect(root.querySelector(`[part~="${part}"]`), part).to.exist;
      }
      el.style.setProperty('--chat-conversation-customer-bubble-background', 'rgb(1, 1, 1)');
      el.style.setProperty('--chat-conversation-note-background', 'rgb(2, 2, 2)');
      expect(getComputedStyle(items()[0]!.querySelector('[part=bubble]')!).backgroundColor).to.equal('rgb(1, 1, 1)');
      expect(getComputedStyle(items()[2]!.querySelector('[part=bubble]')!).backgroundColor).to.equal('rgb(2, 2, 2)');
    });

    it('sets the scrolled-up state while the user reads older messages', async () => {
      const many = Array.from({ length: 30 }, (_, i) => chatMessage('s1', i + 1));
      const { el, root } = await setup(many);
      const scroller = root.querySelector<HTMLElement>('[part=scroller]')!;
      await until(() => scroller.scrollTop > 0, 'at the bottom');
      expect(el.hasCustomState('scrolled-up')).to.be.false;
      scroller.scrollTop = 0;
      await until(() => el.hasCustomState('scrolled-up'), 'scrolled up');
    });
  });
});
