import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ifDefined } from 'lit/directives/if-defined.js';

import '../../src/components/chat-session-list/chat-session-list.js';
import type { ChatSessionList } from '../../src/components/chat-session-list/chat-session-list.js';
import type { ChatErrorEvent } from '../../src/events/chat-error-event.js';
import type { ChatSessionSelectEvent } from '../../src/events/chat-session-select-event.js';
import { announcerText } from '../../src/internal/announcer.js';
import type { SessionSummary } from '../../src/protocol/index.js';
import { AGENT_ME } from '../helpers/fake-server.js';
import { until } from '../helpers/chat-server.js';
import type { FixtureOptions } from '../helpers/fixture-client.js';
import { fixtureClient, pushSession, session } from '../helpers/fixture-client.js';

/** One of my ongoing chats, last active `minutes` ago by the real clock. */
function mine(id: string, minutes: number, extra: Partial<SessionSummary> = {}): SessionSummary {
  const at = Date.now() - minutes * 60_000;
  return session({ id, lastActivityAt: at, ...extra });
}

/** A chat waiting in the support queue. */
function waiting(id: string): SessionSummary {
  const { agentId: _a, agentName: _n, acceptedAt: _t, ...rest } = session({ id, status: 'queued', createdAt: Date.now() - 60_000, lastActivityAt: Date.now() - 60_000 });
  return rest;
}

const THREE = () => [
  mine('s1', 12, { customer: { name: 'Kim Andersson' }, unread: 2, lastMessage: { from: 'customer', text: 'Where is my order? It was due yesterday and nothing came.', at: Date.now() - 12 * 60_000 } }),
  mine('s2', 3, { customer: { name: 'Lea Berg' }, channelId: 'sales', lastMessage: { from: 'agent', text: 'I will check that for you.', at: Date.now() - 3 * 60_000 } }),
  mine('s3', 30, { customer: { name: 'Mo Chen' } }),
];

async function setup(sessions: SessionSummary[] = [], options: FixtureOptions = {}, selectedId?: string) {
  const { client, fake } = await fixtureClient({ sessions, ...options });
  const el = await fixture<ChatSessionList>(html`<chat-session-list .client=${client} selected-id=${ifDefined(selectedId)}></chat-session-list>`);
  const root = el.shadowRoot!;
  const listbox = () => root.querySelector<HTMLElement>('[role=listbox]');
  const options_ = () => [...root.querySelectorAll<HTMLElement>('[role=option]')];
  const option = (id: string) => options_().find((o) => o.dataset.id === id)!;
  const nextButton = () => root.querySelector<HTMLButtonElement>('[part=next-button]')!;
  const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
  return { client, fake, el, root, listbox, options: options_, option, nextButton, text };
}

describe('chat-session-list', () => {
  describe('rendering', () => {
    it('lists my ongoing chats, newest activity first', async () => {
      const { options } = await setup([...THREE(), waiting('q1')]);
      expect(options().map((o) => o.dataset.id)).to.deep.equal(['s2', 's1', 's3']);
    });

    it('shows name, channel, last message with its author, unread count and age', async () => {
      const { option, text } = await setup(THREE());
      const kim = option('s1');
      expect(text(kim.querySelector('[part=name]'))).to.equal('Kim Andersson');
      expect(text(kim.querySelector('[part=channel]'))).to.equal('Support');
      expect(text(kim.querySelector('[part=preview]'))).to.equal('Customer: Where is my order? It was due yesterday and nothing came.');
      expect(kim.querySelector('[part=preview] svg')!.getAttribute('aria-hidden')).to.equal('true');
      expect(text(kim.querySelector('[part=badge]'))).to.contain('2 unread');
      expect(kim.querySelector('[part=badge] [aria-hidden=true]')!.textContent).to.equal('2');
      expect(text(kim.querySelector('[part=time]'))).to.equal('12 min');
      const lea = option('s2');
      expect(text(lea.querySelector('[part=channel]'))).to.equal('Sales');
      expect(text(lea.querySelector('[part=preview]'))).to.equal('Agent: I will check that for you.');
      expect(lea.querySelector('[part=badge]')).to.equal(null);
      expect(text(option('s3').querySelector('[part=preview]'))).to.equal('');
    });

    it('keeps the preview on one line with an ellipsis', async () => {
      const { option } = await setup(THREE());
      const preview = option('s1').querySelector<HTMLElement>('.preview-text')!;
      const style = getComputedStyle(preview);
      expect(style.whiteSpace).to.equal('nowrap');
      expect(style.textOverflow).to.equal('ellipsis');
    });

    it('names a customer without a name "Visitor" and renders hostile text literally', async () => {
      const hostile = '<img src=x onerror=window.__pwned=1>';
      const { option, root } = await setup([mine('s1', 1, { customer: { name: '  ' }, lastMessage: { from: 'customer', text: hostile, at: Date.now() } })]);
      expect(option('s1').querySelector('[part=name]')!.textContent).to.equal('Visitor');
      expect(option('s1').querySelector('.preview-text')!.textContent).to.equal(hostile);
      expect(root.querySelector('img')).to.equal(null);
      expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    });

    it('shows the number of chats waiting in my channels', async () => {
      const { root, text } = await setup([...THREE(), waiting('q1'), waiting('q2'), { ...waiting('q3'), channelId: 'sales' }]);
      // AGENT_ME answers support only: q3 in sales is not mine to take.
      expect(text(root.querySelector('[part=queue-count]'))).to.equal('2 in queue');
    });

    it('shows an empty state with a slot when I have no chats', async () => {
      const { root, el, listbox, text } = await setup();
      expect(listbox()).to.equal(null);
      expect(text(root.querySelector('[part=empty]'))).to.equal('You have no ongoing chats.');
      expect(root.querySelector<HTMLSlotElement>('slot[name=empty]')).to.exist;
      expect(el.hasCustomState('empty')).to.be.true;
    });
  });

  describe('get next in queue', () => {
    it('is enabled when chats wait, I have room and the connection is live', async () => {
      const { nextButton, root } = await setup([waiting('q1')]);
      expect(nextButton().getAttribute('aria-disabled')).to.equal('false');
      expect(root.querySelector('[part=next-reason]')).to.equal(null);
    });

    it('is disabled with the reason when the queue is empty', async () => {
      const { nextButton, root, text } = await setup(THREE());
      expect(nextButton().getAttribute('aria-disabled')).to.equal('true');
      expect(text(root.querySelector('[part=next-reason]'))).to.equal('No chats are waiting.');
      expect(nextButton().getAttribute('aria-describedby')).to.equal('next-reason');
    });

    it('is disabled with the reason when I am at my maximum of chats', async () => {
      const me = { ...AGENT_ME, maxConcurrentChats: 3 };
      const { nextButton, root, el, text } = await setup([...THREE(), waiting('q1')], { me });
      expect(nextButton().getAttribute('aria-disabled')).to.equal('true');
      expect(text(root.querySelector('[part=next-reason]'))).to.equal('Chat limit reached (3). End a chat to take the next.');
      expect(el.hasCustomState('at-capacity')).to.be.true;
    });

    it('is disabled with the reason while the connection is not live', async () => {
      const { client, nextButton, root, el, text } = await setup([waiting('q1')]);
      client.disconnect();
      await el.updateComplete;
      expect(nextButton().getAttribute('aria-disabled')).to.equal('true');
      expect(text(root.querySelector('[part=next-reason]'))).to.equal('Available when the connection is back.');
    });

    it('does nothing when clicked while disabled', async () => {
      const { fake, nextButton } = await setup(THREE());
      nextButton().click();
      await new Promise((r) => setTimeout(r, 30));
      expect(fake.sent('next')).to.have.length(0);
    });

    it('takes the next chat and selects it', async () => {
      const { client, fake, el, nextButton, options } = await setup([...THREE(), waiting('q1')]);
      nextButton().click();
      await until(() => client.$selectedSessionId.get() === 'q1', 'q1 selected');
      await el.updateComplete;
      expect(fake.sent('next')).to.have.length(1);
      expect(el.selectedId).to.equal('q1');
      expect(el.getAttribute('selected-id')).to.equal('q1');
      expect(options()[0]!.dataset.id).to.equal('q1');
      expect(options()[0]!.getAttribute('aria-selected')).to.equal('true');
    });

    it('shows a refused next as a sentence near the button, fires chat-error and announces it', async () => {
      const { el, nextButton, root, text } = await setup([waiting('q1')], { refuse: { next: { code: 'at_capacity', message: 'you already handle 5 chats' } } });
      const errors: ChatErrorEvent[] = [];
      el.addEventListener('chat-error', (e) => errors.push(e));
      nextButton().click();
      await until(() => root.querySelector('[part=next-error]') !== null, 'error shown');
      const sentence = 'You already handle as many chats as you may. End one to take the next.';
      expect(text(root.querySelector('[part=next-error]'))).to.equal(sentence);
      expect(nextButton().getAttribute('aria-describedby')).to.equal('next-error');
      expect(errors.map((e) => e.detail.code)).to.deep.equal(['at_capacity']);
      await until(() => announcerText().polite.includes(sentence), 'announced');
    });

    it('explains a lost race for the last chat', async () => {
      const { nextButton, root, text } = await setup([waiting('q1')], { refuse: { next: { code: 'queue_empty', message: 'no chat is waiting' } } });
      nextButton().click();
      await until(() => root.querySelector('[part=next-error]') !== null, 'error shown');
      expect(text(root.querySelector('[part=next-error]'))).to.contain('No chats are waiting now');
    });
  });

  describe('accessibility', () => {
    it('is accessible when empty', async () => {
      const { el } = await setup();
      await expect(el).to.be.accessible();
    });

    it('is accessible with rows', async () => {
      const { el, listbox } = await setup([...THREE(), waiting('q1')]);
      expect(listbox()!.getAttribute('aria-labelledby')).to.equal('list-label');
      await expect(el).to.be.accessible();
    });

    it('is accessible with a selected row', async () => {
      const { el, option } = await setup(THREE(), {}, 's1');
      expect(option('s1').getAttribute('aria-selected')).to.equal('true');
      await expect(el).to.be.accessible();
    });

    it('is accessible with Get next disabled and its reason', async () => {
      const { el, nextButton } = await setup(THREE());
      expect(nextButton().getAttribute('aria-disabled')).to.equal('true');
      await expect(el).to.be.accessible();
    });

    it('is accessible with an error shown', async () => {
      const { el, nextButton, root } = await setup([waiting('q1')], { refuse: { next: { code: 'forbidden', message: 'no' } } });
      nextButton().click();
      await until(() => root.querySelector('[part=next-error]') !== null, 'error shown');
      await expect(el).to.be.accessible();
    });

    it('has one tab stop and no controls inside options', async () => {
      const { root, options } = await setup(THREE());
      const focusable = [...root.querySelectorAll<HTMLElement>('[tabindex], button, a, input')].filter((n) => n.tabIndex >= 0);
      expect(focusable.map((n) => n.getAttribute('part'))).to.deep.equal(['next-button', 'list']);
      for (const o of options()) expect(o.querySelector('button, a, input, [tabindex]')).to.equal(null);
    });
  });

  describe('events', () => {
    it('fires a cancelable chat-session-select and selects through the client', async () => {
      const { client, el, option } = await setup(THREE());
      const seen: ChatSessionSelectEvent[] = [];
      el.addEventListener('chat-session-select', (e) => seen.push(e));
      option('s1').click();
      await el.updateComplete;
      expect(seen.map((e) => e.detail.sessionId)).to.deep.equal(['s1']);
      expect(seen[0]!.cancelable && seen[0]!.bubbles && seen[0]!.composed).to.be.true;
      expect(client.$selectedSessionId.get()).to.equal('s1');
      expect(option('s1').getAttribute('aria-selected')).to.equal('true');
      expect(option('s1').getAttribute('part')).to.equal('item item--selected item--unread');
    });

    it('keeps the old selection when the event is cancelled', async () => {
      const { client, el, option } = await setup(THREE(), {}, 's2');
      el.addEventListener('chat-session-select', (e) => {
        e.preventDefault();
      });
      option('s1').click();
      await el.updateComplete;
      expect(client.$selectedSessionId.get()).to.equal('s2');
      expect(option('s2').getAttribute('aria-selected')).to.equal('true');
      expect(option('s1').getAttribute('aria-selected')).to.equal('false');
    });

    it('fires nothing when selected-id is set in code', async () => {
      const { client, el, option } = await setup(THREE());
      const seen: Event[] = [];
      el.addEventListener('chat-session-select', (e) => seen.push(e));
      el.selectedId = 's3';
      await el.updateComplete;
      expect(client.$selectedSessionId.get()).to.equal('s3');
      expect(option('s3').getAttribute('aria-selected')).to.equal('true');
      el.setAttribute('selected-id', 's1');
      await el.updateComplete;
      expect(client.$selectedSessionId.get()).to.equal('s1');
      expect(seen).to.have.length(0);
    });

    it('does not fire when clicking the selected row again', async () => {
      const { el, option } = await setup(THREE(), {}, 's1');
      const seen: Event[] = [];
      el.addEventListener('chat-session-select', (e) => seen.push(e));
      option('s1').click();
      await el.updateComplete;
      expect(seen).to.have.length(0);
    });
  });

  describe('keyboard', () => {
    it('moves and selects with ArrowDown, ArrowUp, Home and End', async () => {
      const { client, el, listbox } = await setup(THREE());
      const selected = () => client.$selectedSessionId.get();
      listbox()!.focus();
      await el.updateComplete;
      // Order: s2, s1, s3. Focus alone makes the first row active without selecting it.
      expect(listbox()!.getAttribute('aria-activedescendant')).to.equal('option-s2');
      expect(selected()).to.equal(undefined);
      await sendKeys({ press: 'ArrowDown' });
      expect(selected()).to.equal('s1');
      await sendKeys({ press: 'End' });
      expect(selected()).to.equal('s3');
      await sendKeys({ press: 'ArrowDown' });
      expect(selected()).to.equal('s3');
      await sendKeys({ press: 'Home' });
      expect(selected()).to.equal('s2');
      await sendKeys({ press: 'ArrowUp' });
      expect(selected()).to.equal('s2');
      await el.updateComplete;
      expect(listbox()!.getAttribute('aria-activedescendant')).to.equal('option-s2');
      expect(el.shadowRoot!.activeElement === listbox(), 'focus').to.be.true;
    });

    it('starts from the selected row and keeps focus when rows reorder', async () => {
      const { client, fake, el, listbox } = await setup(THREE(), {}, 's1');
      listbox()!.focus();
      await el.updateComplete;
      expect(listbox()!.getAttribute('aria-activedescendant')).to.equal('option-s1');
      // s3 gets a new message and moves to the top.
      pushSession(fake, 1, mine('s3', 0, { customer: { name: 'Mo Chen' } }));
      await until(() => client.$mine.get()[0]?.id === 's3', 's3 on top');
      await el.updateComplete;
      expect(el.shadowRoot!.activeElement === listbox(), 'focus').to.be.true;
      await sendKeys({ press: 'ArrowUp' });
      expect(client.$selectedSessionId.get()).to.equal('s2');
    });

    it('moves focus but not the selection when the event is cancelled', async () => {
      const { client, el, listbox } = await setup(THREE(), {}, 's2');
      el.addEventListener('chat-session-select', (e) => {
        e.preventDefault();
      });
      listbox()!.focus();
      await sendKeys({ press: 'ArrowDown' });
      await el.updateComplete;
      expect(listbox()!.getAttribute('aria-activedescendant')).to.equal('option-s1');
      expect(client.$selectedSessionId.get()).to.equal('s2');
    });

    it('selects the row whose name starts with the typed letters', async () => {
      const { client, listbox } = await setup(THREE());
      listbox()!.focus();
      await sendKeys({ press: 'm' });
      expect(client.$selectedSessionId.get()).to.equal('s3');
    });

    it('reaches Get next and the list with Tab', async () => {
      const { el, root, listbox, nextButton } = await setup([...THREE(), waiting('q1')]);
      nextButton().focus();
      await sendKeys({ press: 'Tab' });
      expect(root.activeElement === listbox(), 'focus').to.be.true;
      expect(el.matches(':focus-within')).to.be.true;
    });
  });

  describe('store integration', () => {
    it('follows the selection made elsewhere (selected-id reflects it)', async () => {
      const { client, el, option } = await setup(THREE());
      client.selectSession('s3');
      await el.updateComplete;
      expect(el.getAttribute('selected-id')).to.equal('s3');
      expect(option('s3').getAttribute('aria-selected')).to.equal('true');
    });

    it('adds a chat that becomes mine and updates the queue count', async () => {
      const { client, fake, el, options, root, text } = await setup([...THREE(), waiting('q1')]);
      expect(text(root.querySelector('[part=queue-count]'))).to.equal('1 in queue');
      pushSession(fake, 1, { ...mine('q1', 0), customer: { name: 'Nina' } });
      await until(() => client.$mine.get().length === 4, 'four chats');
      await el.updateComplete;
      expect(options()[0]!.dataset.id).to.equal('q1');
      expect(text(root.querySelector('[part=queue-count]'))).to.equal('0 in queue');
    });

    it('updates the unread badge and drops ended chats', async () => {
      const { client, fake, el, option, options } = await setup(THREE());
      pushSession(fake, 1, { ...THREE()[0]!, unread: 5 });
      pushSession(fake, 2, { ...THREE()[2]!, status: 'ended', endedAt: Date.now() });
      await until(() => client.$mine.get().length === 2, 'ended dropped');
      await el.updateComplete;
      expect(option('s1').querySelector('[part=badge] [aria-hidden=true]')!.textContent).to.equal('5');
      expect(options().map((o) => o.dataset.id)).to.deep.equal(['s2', 's1']);
    });
  });

  describe('theming', () => {
    it('exposes parts on stable nodes', async () => {
      const { root } = await setup([...THREE(), waiting('q1')], {}, 's2');
      for (const part of ['base', 'header', 'queue-count', 'next-button', 'list-label', 'list', 'item', 'item--selected', 'item--unread', 'name', 'channel', 'preview', 'badge', 'time']) {
        expect(root.querySelector(`[part~="${part}"]`), part).to.exist;
      }
    });

    it('reads public custom properties with fallbacks', async () => {
      const { el, option } = await setup(THREE(), {}, 's1');
      el.style.setProperty('--chat-session-list-item-selected-background', 'rgb(1, 2, 3)');
      el.style.setProperty('--chat-session-list-badge-background', 'rgb(4, 5, 6)');
      expect(getComputedStyle(option('s1')).backgroundColor).to.equal('rgb(1, 2, 3)');
      expect(getComputedStyle(option('s1').querySelector('[part=badge]')!).backgroundColor).to.equal('rgb(4, 5, 6)');
      el.style.removeProperty('--chat-session-list-item-selected-background');
      expect(getComputedStyle(option('s1')).backgroundColor).to.equal('rgb(230, 238, 250)');
    });

    it('sets the empty state only without chats', async () => {
      const { el } = await setup(THREE());
      expect(el.hasCustomState('empty')).to.be.false;
      expect(el.matches(':state(empty)')).to.be.false;
    });
  });
});
