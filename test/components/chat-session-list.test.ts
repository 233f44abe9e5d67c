import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ifDefined } from 'lit/directives/if-defined.js';

import '../../src/components/chat-session-list/chat-session-list.js';
import type { ChatSessionList } from '../../src/components/chat-session-list/chat-session-list.js';
import type { ChatErrorEvent } from '../../src/events/chat-error-event.js';
import type { ChatSessionSelectEvent } from '../../src/events/chat-session-select-event.js';
import { announcerText } from '../../src/internal/announcer.js';
import type { SessionSummary } from '../../src/protocol/index.js';
import type { FakeServer } from '../helpers/fake-server.js';
import { AGENT_ME } from '../helpers/fake-server.js';
import { until } from '../helpers/chat-server.js';
import { runningClock } from '../helpers/clock.js';
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

/** A chat I handled that ended `minutes` ago. */
function ended(id: string, minutes: number, extra: Partial<SessionSummary> = {}): SessionSummary {
  const at = Date.now() - minutes * 60_000;
  return session({ id, status: 'ended', endedAt: at, lastActivityAt: at, ...extra });
}

/** Erik's chat, offered to me by Anna. */
function offeredToMe(id: string, minutes: number, extra: Partial<SessionSummary> = {}): SessionSummary {
  const at = Date.now() - minutes * 60_000;
  return session({
    id,
    agentId: 'erik',
    agentName: 'Erik Johansson',
    lastActivityAt: at,
    transfer: { fromAgentId: 'anna', fromAgentName: 'Anna Lindqvist', toAgentId: 'ann', toAgentName: 'Ann Agent', at, expiresAt: at + 120_000 },
    ...extra,
  });
}

/** My chat, offered to Erik and not answered yet. */
function offeredByMe(id: string, minutes: number, extra: Partial<SessionSummary> = {}): SessionSummary {
  const at = Date.now() - minutes * 60_000;
  return mine(id, minutes, {
    transfer: { fromAgentId: 'ann', fromAgentName: 'Ann Agent', toAgentId: 'erik', toAgentName: 'Erik Johansson', at, expiresAt: at + 120_000 },
    ...extra,
  });
}

/** Every group: two transfers, three ongoing chats, two completed ones, and rows that are not mine. */
const BOARD = () => [
  ...THREE(),
  offeredToMe('t1', 1, { customer: { name: 'Tove Lund' }, lastMessage: { from: 'customer', text: 'Hello?', at: Date.now() - 60_000 } }),
  offeredByMe('t2', 5, { customer: { name: 'Ulf Ek' }, unread: 1 }),
  ended('e1', 90, { customer: { name: 'Eva Ström' } }),
  ended('e2', 20, { customer: { name: 'Erik Ny' }, status: 'missed' }),
  ended('x1', 10, { agentId: 'erik', agentName: 'Erik Johansson' }), // someone else's completed chat
  mine('x2', 2, { agentId: 'erik', agentName: 'Erik Johansson' }), // someone else's ongoing chat
  waiting('q1'),
];

/** `n` ongoing chats of mine, newest first: c00000 … */
/** Puts `n` of my chats on the board, one board event each (a snapshot that large would pass the frame cap). */
function pushMany(fake: FakeServer, n: number): void {
  const base = Date.now();
  for (let i = 0; i < n; i++) {
    const id = `c${String(i).padStart(5, '0')}`;
    pushSession(fake, i + 1, session({ id, customer: { name: `Customer ${String(i).padStart(5, '0')}` }, lastActivityAt: base - i * 1000 }));
  }
}

async function setup(sessions: SessionSummary[] = [], options: FixtureOptions = {}, selectedId?: string, height?: number) {
  const { client, fake } = await fixtureClient({ sessions, ...options });
  const el = await fixture<ChatSessionList>(
    html`<chat-session-list .client=${client} selected-id=${ifDefined(selectedId)} style=${ifDefined(height ? `height: ${String(height)}px` : undefined)}></chat-session-list>`,
  );
  const root = el.shadowRoot!;
  const listbox = () => root.querySelector<HTMLElement>('[role=listbox]');
  const options_ = () => [...root.querySelectorAll<HTMLElement>('[role=option]')];
  const option = (id: string) => options_().find((o) => o.dataset.id === id)!;
  const nextButton = () => root.querySelector<HTMLButtonElement>('[part=next-button]')!;
  const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
  const groups = () => [...root.querySelectorAll<HTMLElement>('[role=group]')];
  const groupIds = () => groups().map((g) => [...g.querySelectorAll<HTMLElement>('[role=option]')].map((o) => o.dataset.id));
  const searchInput = () => root.querySelector<HTMLInputElement>('[part=search-input]')!;
  return { client, fake, el, root, listbox, options: options_, option, nextButton, text, groups, groupIds, searchInput };
}

/** Types into the search field like a user (focus, keys). */
async function typeSearch(input: HTMLInputElement, value: string) {
  input.focus();
  await sendKeys({ type: value });
}

/**
 * Waits until the list has settled: the rendered rows and the list's scroll size stay the same
 * for three frames (rows never measured are measured after the render that adds them).
 */
async function settled(root: ShadowRoot) {
  const list = root.querySelector<HTMLElement>('[role=listbox]')!;
  const snapshot = () => `${String(list.scrollTop)}/${String(list.scrollHeight)}/${[...root.querySelectorAll('[role=option]')].map((o) => o.id).join()}`;
  let last = '';
  for (let same = 0; same < 3; ) {
    await new Promise((r) => requestAnimationFrame(r));
    const now = snapshot();
    same = now === last ? same + 1 : 0;
    last = now;
  }
}

/** Waits until the search that a pause in typing starts (after 250 ms) has gone out: the `n`th search frame. */
const searched = (fake: FakeServer, n: number) => until(() => fake.sent('search').length >= n, `search ${String(n)} sent`);

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

    it('is offered again when one of my chats is put on hold (held chats free a place, issue 18)', async () => {
      const me = { ...AGENT_ME, maxConcurrentChats: 3 };
      const held = THREE().map((s, i) => (i === 0 ? { ...s, heldAt: s.createdAt } : s));
      const { nextButton, root, el } = await setup([...held, waiting('q1')], { me });
      expect(nextButton().getAttribute('aria-disabled')).to.equal('false');
      expect(root.querySelector('[part=next-reason]')).to.equal(null);
      expect(el.hasCustomState('at-capacity')).to.be.false;
    });

    it('is disabled with the reason while the connection is not live', async () => {
      const { client, nextButton, root, el, text } = await setup([waiting('q1')]);
      client.disconnect();
      await el.updateComplete;
      expect(nextButton().getAttribute('aria-disabled')).to.equal('true');
      expect(text(root.querySelector('[part=next-reason]'))).to.equal('Available when the connection is back.');
    });

    it('does nothing when clicked while disabled', async () => {
      const { fake, nextButton, el } = await setup(THREE());
      // The click's handler refuses at once (no command is sent later).
      nextButton().click();
      await el.updateComplete;
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
      expect(focusable.map((n) => n.getAttribute('part'))).to.deep.equal(['next-button', 'search-input', 'list']);
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
    it('moves with ArrowDown, ArrowUp, Home and End without opening chats; Enter and Space open one', async () => {
      const { client, el, listbox } = await setup(THREE());
      const selected = () => client.$selectedSessionId.get();
      const press = async (key: string) => {
        await sendKeys({ press: key });
        await el.updateComplete;
        return listbox()!.getAttribute('aria-activedescendant');
      };
      listbox()!.focus();
      await el.updateComplete;
      // Order: s2, s1, s3. Focus alone makes the first row active without selecting it.
      expect(listbox()!.getAttribute('aria-activedescendant')).to.equal('option-s2');
      expect(await press('ArrowDown')).to.equal('option-s1');
      expect(await press('End')).to.equal('option-s3');
      expect(await press('ArrowDown')).to.equal('option-s3');
      expect(await press('Home')).to.equal('option-s2');
      expect(await press('ArrowUp')).to.equal('option-s2');
      // Moving opened nothing (no chat was opened on the way, no draft was taken away).
      expect(selected()).to.equal(undefined);
      expect(await press('ArrowDown')).to.equal('option-s1');
      await press('Enter');
      expect(selected()).to.equal('s1');
      expect(await press('End')).to.equal('option-s3');
      expect(selected()).to.equal('s1');
      await press(' ');
      expect(selected()).to.equal('s3');
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
      await sendKeys({ press: 'Enter' });
      expect(client.$selectedSessionId.get()).to.equal('s2');
    });

    it('moves focus but not the selection when the event is cancelled', async () => {
      const { client, el, listbox } = await setup(THREE(), {}, 's2');
      el.addEventListener('chat-session-select', (e) => {
        e.preventDefault();
      });
      listbox()!.focus();
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(listbox()!.getAttribute('aria-activedescendant')).to.equal('option-s1');
      expect(client.$selectedSessionId.get()).to.equal('s2');
    });

    it('moves to the row whose name starts with the typed letters', async () => {
      const { el, listbox } = await setup(THREE());
      listbox()!.focus();
      await sendKeys({ press: 'm' });
      await el.updateComplete;
      expect(listbox()!.getAttribute('aria-activedescendant')).to.equal('option-s3');
    });

    it('reaches Get next, the search field and the list with Tab', async () => {
      const { el, root, listbox, nextButton, searchInput } = await setup([...THREE(), waiting('q1')]);
      nextButton().focus();
      await sendKeys({ press: 'Tab' });
      expect(root.activeElement === searchInput(), 'search focused').to.be.true;
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

    it('updates the unread badge and moves an ended chat to Completed', async () => {
      const { client, fake, el, option, groupIds } = await setup(THREE());
      pushSession(fake, 1, { ...THREE()[0]!, unread: 5 });
      pushSession(fake, 2, { ...THREE()[2]!, status: 'ended', endedAt: Date.now() });
      await until(() => client.$mine.get().length === 2, 'ended');
      await el.updateComplete;
      expect(option('s1').querySelector('[part=badge] [aria-hidden=true]')!.textContent).to.equal('5');
      expect(groupIds()).to.deep.equal([['s2', 's1'], ['s3']]);
    });
  });

  describe('groups', () => {
    it('groups transfers, ongoing and completed chats, newest activity first in each', async () => {
      const { groups, groupIds, text } = await setup(BOARD());
      expect(groups().map((g) => text(g.querySelector('[part=group-label]')))).to.deep.equal([
        'Transfers awaiting acceptance 2',
        'Ongoing 3',
        'Completed in the last 8 hours 2',
      ]);
      // Someone else's chats and the queue are not listed; a missed chat of mine is completed.
      expect(groupIds()).to.deep.equal([['t1', 't2'], ['s2', 's1', 's3'], ['e2', 'e1']]);
    });

    it('labels each group by its heading and holds nothing but options and that heading', async () => {
      const { groups, root, listbox } = await setup(BOARD());
      for (const g of groups()) {
        const heading = root.getElementById(g.getAttribute('aria-labelledby')!)!;
        expect(heading.getAttribute('role')).to.equal('presentation');
        expect(g.contains(heading)).to.be.true;
        expect(g.parentElement).to.equal(listbox());
      }
      const roles = new Set([...listbox()!.querySelectorAll('[role]')].map((n) => n.getAttribute('role')));
      expect([...roles].sort()).to.deep.equal(['group', 'option', 'presentation']);
    });

    it('numbers the rows of each group (aria-posinset / aria-setsize)', async () => {
      const { option } = await setup(BOARD());
      expect([option('s2'), option('s1'), option('s3')].map((o) => `${o.getAttribute('aria-posinset')!}/${o.getAttribute('aria-setsize')!}`)).to.deep.equal(['1/3', '2/3', '3/3']);
      expect(option('e1').getAttribute('aria-posinset')).to.equal('2');
      expect(option('e1').getAttribute('aria-setsize')).to.equal('2');
    });

    it('keeps completed chats until the server removes them (session-remove), whatever the client clock says', async () => {
      // Ended 20 hours ago by this machine's clock: the server's board still lists it, so do we.
      const { client, fake, el, groupIds } = await setup([...THREE(), ended('e1', 30), ended('old', 20 * 60)]);
      expect(groupIds()[1]).to.deep.equal(['e1', 'old']);
      fake.last.push({ t: 'event', stream: 'board', epoch: 'B1', seq: 1, prev: 0, kind: 'session-remove', data: { id: 'old' } });
      await until(() => client.$sessions.get().old === undefined, 'removed');
      await el.updateComplete;
      expect(groupIds()).to.deep.equal([['s2', 's1', 's3'], ['e1']]);
      fake.last.push({ t: 'event', stream: 'board', epoch: 'B1', seq: 2, prev: 1, kind: 'session-remove', data: { id: 'e1' } });
      await until(() => client.$sessions.get().e1 === undefined, 'removed');
      await el.updateComplete;
      expect(groupIds()).to.deep.equal([['s2', 's1', 's3']]);
    });

    it('moves a chat between groups as its transfer is offered and accepted', async () => {
      const { client, fake, el, groupIds, option } = await setup(THREE());
      pushSession(fake, 1, offeredByMe('s3', 0, { customer: { name: 'Mo Chen' } }));
      await until(() => client.$sessions.get().s3?.transfer !== undefined, 'offered');
      await el.updateComplete;
      expect(groupIds()).to.deep.equal([['s3'], ['s2', 's1']]);
      expect(option('s3').getAttribute('part')).to.contain('item--transfer');
      // Erik accepted: the chat is his; I keep it on my board (listening), not in my list.
      pushSession(fake, 2, { ...mine('s3', 0), agentId: 'erik', agentName: 'Erik Johansson' });
      await until(() => client.$sessions.get().s3?.agentId === 'erik', 'accepted');
      await el.updateComplete;
      expect(groupIds()).to.deep.equal([['s2', 's1']]);
    });

    it('an offer to me appears as a transfer and becomes ongoing when I accept it', async () => {
      const { client, fake, el, groupIds } = await setup(THREE());
      pushSession(fake, 1, offeredToMe('t1', 0));
      await until(() => client.$sessions.get().t1 !== undefined, 'offered');
      await el.updateComplete;
      expect(groupIds()).to.deep.equal([['t1'], ['s2', 's1', 's3']]);
      pushSession(fake, 2, mine('t1', 0));
      await until(() => client.$sessions.get().t1?.transfer === undefined, 'accepted');
      await el.updateComplete;
      expect(groupIds()).to.deep.equal([['t1', 's2', 's1', 's3']]);
    });
  });

  describe('row icons and texts', () => {
    it('shows who wrote last with a speech bubble that has a text alternative', async () => {
      const { option, text } = await setup(BOARD());
      const fromCustomer = option('s1').querySelector('[part=preview]')!;
      const fromAgent = option('s2').querySelector('[part=preview]')!;
      expect(fromCustomer.querySelector('svg')!.getAttribute('aria-hidden')).to.equal('true');
      expect(text(fromCustomer.querySelector('.visually-hidden'))).to.equal('Customer:');
      expect(text(fromAgent.querySelector('.visually-hidden'))).to.equal('Agent:');
      // The two bubbles differ in shape, not only in colour.
      expect(fromCustomer.querySelector('svg')!.innerHTML).to.not.equal(fromAgent.querySelector('svg')!.innerHTML);
    });

    it('shows the unread count from the customer as a number and as text', async () => {
      const { option, text } = await setup(BOARD());
      const badge = option('t2').querySelector('[part=badge]')!;
      expect(badge.querySelector('[aria-hidden=true]')!.textContent).to.equal('1');
      expect(text(badge.querySelector('.visually-hidden'))).to.equal('1 unread');
      expect(option('s2').querySelector('[part=badge]')).to.equal(null);
    });

    it('marks a transfer to me or from me with an exclamation icon, a sentence and a highlight', async () => {
      const { option, text } = await setup(BOARD());
      const toMe = option('t1');
      const fromMe = option('t2');
      expect(text(toMe.querySelector('[part=transfer]'))).to.equal('Transfer to you from Anna Lindqvist');
      expect(text(fromMe.querySelector('[part=transfer]'))).to.equal('Waiting for Erik Johansson to accept');
      expect(toMe.querySelector('[part=transfer] svg')!.getAttribute('aria-hidden')).to.equal('true');
      expect(toMe.getAttribute('part')).to.equal('item item--transfer');
      expect(option('s2').querySelector('[part=transfer]')).to.equal(null);
      const plain = getComputedStyle(option('s2')).backgroundColor;
      expect(getComputedStyle(toMe).backgroundColor).to.not.equal(plain);
      // The sentence is part of the option's name, so it is read with the row.
      expect(text(toMe)).to.contain('Transfer to you from Anna Lindqvist');
    });

    it('says when a chat asks for help, is on hold, came back to the queue, and its tags (issue 18)', async () => {
      const at = Date.now() - 60_000;
      const { el, option, text } = await setup([
        mine('h1', 1, { customer: { name: 'Hanna' }, help: { at, agentId: 'ann', agentName: 'Ann Agent', note: 'Refund' } }),
        mine('h2', 2, { customer: { name: 'Hugo' }, heldAt: at }),
        // Came back to the queue from Erik, and I answered it: the reason stays on the row.
        mine('h3', 3, { customer: { name: 'Hedda' }, returned: { reason: 'Needs <b>Norwegian</b>', agentName: 'Erik Johansson', at } }),
        ended('h4', 5, { customer: { name: 'Hilda' }, tags: ['Refund', 'VIP'] }),
        mine('h5', 6, { customer: { name: 'Hans' } }),
      ]);
      expect(text(option('h1').querySelector('[part~=flag]'))).to.equal('Ann Agent asked for help');
      expect(option('h1').querySelector('[part~=flag]')!.getAttribute('part')).to.equal('flag flag--help');
      expect(text(option('h2').querySelector('[part~=flag]'))).to.equal('On hold');
      expect(text(option('h4').querySelector('[part~=flag]'))).to.equal('Tags: Refund, VIP');
      expect(option('h5').querySelector('[part~=flag]')).to.equal(null);
      // Read with the row; a reason is text, never markup.
      expect(text(option('h1'))).to.contain('asked for help');
      const returned = option('h3').querySelector('[part~=flag]');
      expect(text(returned)).to.equal('Returned to the queue: Needs <b>Norwegian</b>');
      expect(returned!.querySelector('b')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('never puts controls inside options (Accept / Decline live under the conversation)', async () => {
      const { options } = await setup(BOARD());
      for (const o of options()) expect(o.querySelector('button, a, input, [tabindex]')).to.equal(null);
    });
  });

  describe('search', () => {
    it('filters by name, e-mail and last message after a 250 ms pause, across groups', async () => {
      const sessions = [...BOARD(), mine('m1', 40, { customer: { name: 'Nils', email: 'nils@example.com' } })];
      const { el, fake, groupIds, searchInput, root, text } = await setup(sessions);
      await typeSearch(searchInput(), 'ORDER');
      await el.updateComplete;
      expect(groupIds()).to.have.length(3, 'not filtered before the pause');
      await searched(fake, 1);
      await el.updateComplete;
      expect(groupIds()).to.deep.equal([['s1']]);
      expect(el.hasCustomState('filtered')).to.be.true;
      await until(() => text(root.querySelector('[part=search-status]')) === 'One chat matches', 'count shown');
      searchInput().select();
      await sendKeys({ type: 'example.COM' });
      await searched(fake, 2);
      await el.updateComplete;
      expect(groupIds()).to.deep.equal([['m1']]);
      searchInput().select();
      await sendKeys({ type: 'e' });
      await searched(fake, 3);
      await el.updateComplete;
      // "e" is in names, e-mails and messages of every group.
      expect(groupIds().flat()).to.include.members(['t1', 't2', 's1', 's2', 'e1', 'e2', 'm1']);
    });

    it('asks the server for message text and shows its matches too', async () => {
      const { client, fake, el, groupIds, searchInput } = await setup(BOARD());
      const base = fake.onFrame;
      fake.onFrame = (socket, frame) => {
        if (frame.t === 'search') socket.push({ t: 'ok', rid: frame.rid, data: { sessionIds: ['s3', 'e1', 'q1', 'unknown'] } });
        else base(socket, frame);
      };
      await typeSearch(searchInput(), 'refund');
      await until(() => fake.sent('search').length === 1, 'search sent');
      expect(fake.sent('search')[0]).to.include({ t: 'search', query: 'refund' });
      await until(() => groupIds().flat().length === 2, 'server matches shown');
      await el.updateComplete;
      // Only rows of the list: the queued chat and unknown ids stay out.
      expect(groupIds()).to.deep.equal([['s3'], ['e1']]);
      await until(() => announcerText().polite.includes('2 chats match'), 'announced');
      expect(client.$connection.get().status).to.equal('live');
    });

    it('ignores a late answer to an older search', async () => {
      const { fake, el, groupIds, searchInput } = await setup(BOARD());
      const base = fake.onFrame;
      const held: (() => void)[] = [];
      fake.onFrame = (socket, frame) => {
        if (frame.t !== 'search') {
          base(socket, frame);
          return;
        }
        const ids = frame.query === 'first' ? ['s3'] : ['e1'];
        const answer = () => {
          socket.push({ t: 'ok', rid: frame.rid, data: { sessionIds: ids } });
        };
        if (frame.query === 'first') held.push(answer);
        else answer();
      };
      await typeSearch(searchInput(), 'first');
      await until(() => fake.sent('search').length === 1, 'first sent');
      searchInput().select();
      await sendKeys({ type: 'second' });
      await until(() => groupIds().flat().includes('e1'), 'second shown');
      held.forEach((answer) => {
        answer();
      });
      // The late answer arrived at once (the fake socket delivers synchronously); what it causes
      // runs in microtasks, all of which have run before the next frame.
      await new Promise((r) => requestAnimationFrame(r));
      await el.updateComplete;
      expect(groupIds()).to.deep.equal([['e1']]);
    });

    it('shows "No chats match" and clears with the clear button or Escape', async () => {
      const { el, fake, root, listbox, searchInput, groupIds, text } = await setup(BOARD());
      await typeSearch(searchInput(), 'zzz');
      await until(() => root.querySelector('[part=no-match]') !== null, 'no match');
      expect(text(root.querySelector('[part=no-match]'))).to.equal('No chats match');
      expect(listbox()).to.equal(null);
      await until(() => announcerText().polite.includes('No chats match'), 'announced');
      const clear = root.querySelector<HTMLButtonElement>('[part=search-clear]')!;
      expect(clear.getAttribute('aria-label')).to.equal('Clear search');
      expect(clear.title).to.equal('Clear search');
      const box = clear.getBoundingClientRect();
      expect(box.width >= 24 && box.height >= 24, 'target size').to.be.true;
      clear.click();
      await el.updateComplete;
      expect(searchInput().value).to.equal('');
      expect(root.activeElement === searchInput(), 'focus back in the field').to.be.true;
      expect(groupIds()).to.have.length(3);
      expect(root.querySelector('[part=search-clear]')).to.equal(null);
      await sendKeys({ type: 'zzz' });
      await searched(fake, 2);
      await el.updateComplete;
      expect(listbox()).to.equal(null);
      await sendKeys({ press: 'Escape' });
      await el.updateComplete;
      expect(searchInput().value).to.equal('');
      expect(groupIds()).to.have.length(3);
      expect(el.hasCustomState('filtered')).to.be.false;
    });

    it('says so when message text could not be searched, and keeps the local matches', async () => {
      const { el, root, groupIds, searchInput, text } = await setup(BOARD(), { refuse: { search: { code: 'rate_limited', message: 'slow down' } } });
      await typeSearch(searchInput(), 'Kim');
      await until(() => text(root.querySelector('[part=search-status]')).includes('could not be searched'), 'failure shown');
      await el.updateComplete;
      expect(groupIds()).to.deep.equal([['s1']]);
    });

    it('ArrowDown in the field moves to the list', async () => {
      const { el, root, listbox, searchInput } = await setup(BOARD());
      searchInput().focus();
      await sendKeys({ press: 'ArrowDown' });
      await el.updateComplete;
      expect(root.activeElement === listbox(), 'list focused').to.be.true;
      expect(listbox()!.getAttribute('aria-activedescendant')).to.equal('option-t1');
    });
  });

  describe('keyboard across groups and long lists', () => {
    it('walks through the groups in display order', async () => {
      const { el, listbox } = await setup(BOARD());
      listbox()!.focus();
      const seen: (string | null)[] = [];
      for (let i = 0; i < 7; i++) {
        await sendKeys({ press: 'ArrowDown' });
        await el.updateComplete;
        seen.push(listbox()!.getAttribute('aria-activedescendant'));
      }
      expect(seen).to.deep.equal(['t2', 's2', 's1', 's3', 'e2', 'e1', 'e1'].map((id) => `option-${id}`));
    });

    it('type-ahead: letters typed within 500 ms form one prefix; after a pause it starts again', async () => {
      const sessions = [mine('a1', 1, { customer: { name: 'Maria Berg' } }), mine('a2', 2, { customer: { name: 'Mats Ek' } }), mine('a3', 3, { customer: { name: 'Mo Chen' } })];
      const { el, listbox } = await setup(sessions);
      const active = async () => {
        await el.updateComplete;
        return listbox()!.getAttribute('aria-activedescendant');
      };
      const clock = runningClock();
      try {
        listbox()!.focus();
        await sendKeys({ type: 'mo' });
        expect(await active()).to.equal('option-a3');
        await clock.tickAsync(600);
      } finally {
        clock.restore();
      }
      await sendKeys({ type: 'm' });
      expect(await active()).to.equal('option-a1', 'wraps to the next name with m');
      await sendKeys({ type: 'at' });
      expect(await active()).to.equal('option-a2');
    });

    it('virtualizes 5,000 rows; Home and End render the row, point aria-activedescendant at it and number it', async () => {
      const { client, fake, el, root, listbox, options } = await setup([], {}, undefined, 480);
      pushMany(fake, 5000);
      await until(() => root.querySelector('.rows--virtual [role=option]') !== null, 'virtualized rows');
      await until(() => options().length > 5 && listbox()!.scrollHeight > 100_000, 'rows rendered, container sized');
      expect(options().length, 'rows in the DOM').to.be.below(120);
      await settled(root);
      listbox()!.focus();
      await sendKeys({ press: 'End' });
      const active = () => listbox()!.getAttribute('aria-activedescendant');
      await until(() => active() === 'option-c04999', 'last row active');
      const last = root.getElementById('option-c04999')!;
      expect(last.getAttribute('aria-posinset')).to.equal('5000');
      expect(last.getAttribute('aria-setsize')).to.equal('5000');
      expect(last.classList.contains('active')).to.be.true;
      const inView = (node: HTMLElement) => {
        const r = node.getBoundingClientRect();
        const l = listbox()!.getBoundingClientRect();
        return r.top >= l.top - 1 && r.bottom <= l.bottom + 1;
      };
      await until(() => inView(root.getElementById('option-c04999')!), 'last row scrolled into view');
      expect(client.$selectedSessionId.get(), 'moving opens no chat').to.equal(undefined);
      expect(options().length, 'still virtualized').to.be.below(120);
      await sendKeys({ press: 'Home' });
      await until(() => active() === 'option-c00000', 'first row active');
      await until(() => inView(root.getElementById('option-c00000')!), 'first row in view');
      expect(root.getElementById('option-c00000')!.getAttribute('aria-posinset')).to.equal('1');
      await sendKeys({ press: 'PageDown' });
      await until(() => active() === 'option-c00010', 'page down');
      await el.updateComplete;
      await expect(el).to.be.accessible();
    });

    it('drops aria-activedescendant while the active row is scrolled out of the DOM, and brings it back', async () => {
      const { fake, el, root, listbox } = await setup([], {}, undefined, 480);
      pushMany(fake, 2000);
      await until(() => root.querySelector('.rows--virtual [role=option]') !== null && listbox()!.scrollHeight > 60_000, 'virtualized rows');
      listbox()!.focus();
      await sendKeys({ press: 'ArrowDown' });
      await until(() => listbox()!.getAttribute('aria-activedescendant') === 'option-c00001', 'second row active');
      await settled(root);
      listbox()!.scrollTop = 60_000;
      await until(() => root.getElementById('option-c00001') === null, 'row recycled');
      await until(() => !listbox()!.hasAttribute('aria-activedescendant'), 'no dangling id');
      await sendKeys({ press: 'ArrowDown' });
      await until(() => listbox()!.getAttribute('aria-activedescendant') === 'option-c00002', 'next row rendered and active');
      await el.updateComplete;
    });
  });

  describe('accessibility of the new states', () => {
    it('is accessible with groups, a pending transfer each way and completed chats', async () => {
      const { el } = await setup(BOARD(), {}, 't1');
      await expect(el).to.be.accessible();
    });

    it('is accessible with a search that matches nothing', async () => {
      const { el, root, searchInput } = await setup(BOARD());
      await typeSearch(searchInput(), 'zzz');
      await until(() => root.querySelector('[part=no-match]') !== null, 'no match');
      await expect(el).to.be.accessible();
    });

    it('is accessible with a search that matches', async () => {
      const { el, root, searchInput, text } = await setup(BOARD());
      await typeSearch(searchInput(), 'e');
      await until(() => text(root.querySelector('[part=search-status]')).includes('match'), 'count');
      await expect(el).to.be.accessible();
    });

    it('is accessible with the active row on a transfer (focus ring shown)', async () => {
      const { el, listbox } = await setup(BOARD());
      listbox()!.focus();
      await sendKeys({ press: 'Home' });
      await el.updateComplete;
      expect(listbox()!.getAttribute('aria-activedescendant')).to.equal('option-t1');
      await expect(el).to.be.accessible();
    });
  });

  describe('theming', () => {
    it('exposes parts on stable nodes', async () => {
      const { root, searchInput } = await setup(BOARD(), {}, 's2');
      await typeSearch(searchInput(), 'e');
      for (const part of [
        'base', 'header', 'queue-count', 'next-button', 'search', 'search-input', 'search-clear', 'list-label', 'list',
        'group', 'group--transfers', 'group--ongoing', 'group--completed', 'group-label', 'group-count',
        'item', 'item--selected', 'item--unread', 'item--transfer', 'item--completed', 'name', 'channel', 'transfer', 'preview', 'badge', 'time',
      ]) {
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
