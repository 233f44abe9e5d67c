import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

import '../../src/components/chat-window/chat-window.js';
import type { ChatWindow } from '../../src/components/chat-window/chat-window.js';
import {
  type DesktopNotice,
  type DesktopPermission,
  type NotificationSink,
  type NotifyKind,
  settingsKey,
} from '../../src/components/chat-window/notifications.js';
import { announcerText } from '../../src/internal/announcer.js';
import type { AgentInfo, SessionSummary } from '../../src/protocol/index.js';
import { chatServer, loginAgent, ticketsFor, until } from '../helpers/chat-server.js';
import { runningClock } from '../helpers/clock.js';
import { AGENT_ME } from '../helpers/fake-server.js';
import { chatMessage, fixtureClient, NOW, pushSession, session } from '../helpers/fixture-client.js';

function queued(id: string, name: string, minutes = 1): SessionSummary {
  const createdAt = Date.now() - minutes * 60_000;
  const { agentId: _a, agentName: _n, acceptedAt: _t, ...rest } = session({ id, status: 'queued', createdAt, lastActivityAt: createdAt, customer: { name } });
  return rest;
}

/** Text of a node as an accessible name from content: aria-hidden subtrees are skipped. */
function nameFromContent(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
  if (node instanceof Element && node.getAttribute('aria-hidden') === 'true') return '';
  return [...node.childNodes].map(nameFromContent).join('');
}

const mineActive = (id: string, name: string) => session({ id, customer: { name, email: `${id}@example.com`, phone: '+46 70 123 45 67' } });

/** The Present or Away radio of the status control. */
const radio = (root: ShadowRoot, value: 'present' | 'away') => root.querySelector<HTMLInputElement>(`input[name=presence][value=${value}]`)!;

function agentInfo(partial: Partial<AgentInfo> = {}): AgentInfo {
  return { id: 'ann', name: 'Ann Agent', status: 'present', online: true, channelIds: ['support'], activeChats: 0, maxConcurrentChats: 5, ...partial };
}

/** A notification sink that records instead of playing or showing anything. */
function recordingSink(options: { attended?: boolean; permission?: DesktopPermission; answer?: DesktopPermission } = {}) {
  const calls = { sounds: [] as NotifyKind[], desktop: [] as DesktopNotice[], requests: 0, unlocks: 0 };
  let permission: DesktopPermission = options.permission ?? 'default';
  const sink: NotificationSink & { attended: boolean } = {
    attended: options.attended ?? false,
    isAttended() {
      return this.attended;
    },
    playSound(kind) {
      calls.sounds.push(kind);
    },
    unlockAudio() {
      calls.unlocks += 1;
    },
    permission: () => permission,
    requestPermission() {
      calls.requests += 1;
      permission = options.answer ?? 'granted';
      return Promise.resolve(permission);
    },
    showDesktop(notice) {
      calls.desktop.push(notice);
    },
    dispose() {
      // nothing held
    },
  };
  return { sink, calls };
}

/** A wait-warning frame from the server. */
function warning(sessionId: string, level: 'agents' | 'managers', waitedMs: number) {
  // The fixture client's clock offset is 0, so waiting times are measured against Date.now().
  return { t: 'warning', sessionId, level, waitingSince: Date.now() - waitedMs };
}

const SETTINGS_KEY = settingsKey('http://chat.test', 'demo', 'ann');

async function setup(sessions: SessionSummary[] = [], options: Parameters<typeof fixtureClient>[0] & { sink?: NotificationSink } = {}) {
  const { sink, ...fixtureOptions } = options;
  const { client, fake } = await fixtureClient({ sessions, ...fixtureOptions });
  const el = await fixture<ChatWindow>(html`<chat-window .client=${client} .notificationSink=${sink}></chat-window>`);
  await Promise.all(['chat-dashboard', 'chat-session-list', 'chat-conversation', 'chat-connection-status'].map((t) => customElements.whenDefined(t)));
  await el.updateComplete;
  const root = el.shadowRoot!;
  const tab = (name: 'dashboard' | 'chats') => root.getElementById(`tab-${name}`) as HTMLButtonElement;
  const panel = (name: 'dashboard' | 'chats') => root.getElementById(`panel-${name}`)!;
  /** The accessible name of a tab, from its content (aria-hidden parts left out). */
  const tabName = (name: 'dashboard' | 'chats') => nameFromContent(tab(name)).replace(/\s+/g, ' ').trim();
  const dashboard = () => root.querySelector('chat-dashboard')!;
  return { client, fake, el, root, tab, panel, tabName, dashboard };
}

describe('chat-window', () => {
  // The window keeps its place (tab and chat) per agent in sessionStorage: each test starts anew.
  beforeEach(() => {
    sessionStorage.clear();
  });

  describe('rendering', () => {
    it('renders the Dashboard and Chats tabs, the agent, the status and the connection banner', async () => {
      const { root, tab, panel } = await setup();
      const tablist = root.querySelector('[role=tablist]')!;
      expect(tablist.getAttribute('aria-label')).to.equal('Chat');
      expect([...tablist.querySelectorAll('[role=tab]')].map((t) => t.textContent.trim())).to.deep.equal(['Dashboard', 'Chats']);
      expect(tab('dashboard').getAttribute('aria-selected')).to.equal('true');
      expect(panel('dashboard').hidden).to.be.false;
      expect(panel('chats').hidden).to.be.true;
      expect(root.querySelector('[part=agent-name]')!.textContent).to.equal('Ann Agent');
      const group = root.querySelector('[role=radiogroup]')!;
      expect(root.getElementById(group.getAttribute('aria-labelledby')!)!.textContent).to.equal('Status');
      expect(radio(root, 'present').checked).to.be.true;
      expect(radio(root, 'away').checked).to.be.false;
      expect(root.querySelector('chat-connection-status')).to.not.equal(null);
      expect(root.querySelector('chat-dashboard')).to.not.equal(null);
    });

    it('lays out the session list, the conversation and the Customer panel in the Chats tab', async () => {
      const { root } = await setup();
      const chats = root.querySelector('[part=chats]')!;
      expect(chats.querySelector('chat-session-list')).to.not.equal(null);
      expect(chats.querySelector('chat-conversation')).to.not.equal(null);
      const contact = chats.querySelector('[part=contact]')!;
      expect(contact.querySelector('slot[name=contact]')).to.not.equal(null);
      expect(contact.textContent).to.contain('No chat is selected');
    });

    it('shows the selected chat in the Customer panel', async () => {
      const { client, root, el } = await setup([mineActive('s1', 'Kim Andersson')]);
      client.selectSession('s1');
      await el.updateComplete;
      const text = root.querySelector('[part=customer]')!.textContent.replace(/\s+/g, ' ');
      expect(text).to.contain('Kim Andersson');
      expect(text).to.contain('s1@example.com');
      expect(text).to.contain('+46 70 123 45 67');
      expect(text).to.contain('Support');
    });

    it('lets the host replace the Customer panel through the contact slot', async () => {
      const { client } = await fixtureClient();
      const el = await fixture<ChatWindow>(html`<chat-window .client=${client}><p slot="contact">CRM contact</p></chat-window>`);
      const slot = el.shadowRoot!.querySelector<HTMLSlotElement>('slot[name=contact]')!;
      expect(slot.assignedElements().map((e) => e.textContent)).to.deep.equal(['CRM contact']);
    });

    it('builds its own client from server-url, tenant and getToken', async () => {
      const server = await chatServer();
      const token = await loginAgent(server, 'sofia');
      const el = await fixture<ChatWindow>(html`<chat-window server-url=${server.url} tenant="demo" .getToken=${ticketsFor(server, token)}></chat-window>`);
      expect(el.client).to.not.equal(undefined);
      expect(el.client!.options).to.deep.equal({ url: server.url, tenant: 'demo' });
      await until(() => el.client!.$connection.get().status === 'live', 'own client live', 10_000);
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('[part=agent-name]')!.textContent).to.equal('Sofia Berg');
      // A ready client replaces the own one.
      const own = el.client!;
      const { client } = await fixtureClient();
      el.client = client;
      await el.updateComplete;
      expect(el.client).to.equal(client);
      expect(own.$connection.get().status).to.equal('idle');
      el.remove();
    });
  });

  describe('accessibility', () => {
    it('is accessible with an empty dashboard', async () => {
      const { el } = await setup();
      await expect(el).to.be.accessible();
    });

    it('is accessible with incoming chats', async () => {
      const { el } = await setup([queued('q1', 'Kim'), queued('q2', 'Lea')]);
      await expect(el).to.be.accessible();
    });

    it('is accessible in the Chats tab with a selected chat', async () => {
      const { el, client } = await setup([mineActive('s1', 'Kim Andersson'), queued('q1', 'Lea')], {
        messages: { s1: [chatMessage('s1', 1, { text: 'Hello, I need help' })] },
      });
      client.selectSession('s1');
      await el.updateComplete;
      await until(() => client.$messages.get().s1?.ready === true, 'messages loaded');
      await el.updateComplete;
      await expect(el).to.be.accessible();
    });

    it('is accessible with an answer error shown', async () => {
      const { el, dashboard } = await setup([queued('q1', 'Kim')], { refuse: { accept: { code: 'at_capacity', message: 'too many' } } });
      dashboard().shadowRoot!.querySelector<HTMLButtonElement>('[part~=answer]')!.click();
      await until(() => dashboard().shadowRoot!.querySelector('[part=error]') !== null, 'error shown');
      await expect(el).to.be.accessible();
    });

    it('is accessible with wait warnings shown (one blocked at the chat limit)', async () => {
      const { el, root, fake } = await setup([mineActive('s1', 'Max'), queued('q1', 'Kim'), queued('q2', 'Lea')], { me: { ...AGENT_ME, maxConcurrentChats: 1 } });
      fake.last.push(warning('q1', 'agents', 61_000));
      fake.last.push(warning('q2', 'managers', 200_000));
      await until(() => root.querySelectorAll('[part~=warning]').length === 2, 'warnings shown');
      await expect(el).to.be.accessible();
    });

    it('is accessible with the settings menu open', async () => {
      const { el, root } = await setup([], { sink: recordingSink({ permission: 'denied' }).sink });
      root.querySelector<HTMLElement>('[part=settings-button]')!.click();
      await el.updateComplete;
      expect(root.querySelector<HTMLDetailsElement>('[part=settings]')!.open).to.be.true;
      await expect(el).to.be.accessible();
    });

    it('is accessible while Away', async () => {
      const { el, root } = await setup();
      radio(root, 'away').click();
      await el.updateComplete;
      await expect(el).to.be.accessible();
    });

    it('keeps the tab/panel relationships inside its own shadow root', async () => {
      const { root, tab, panel } = await setup();
      for (const name of ['dashboard', 'chats'] as const) {
        expect(root.getElementById(tab(name).getAttribute('aria-controls')!)).to.equal(panel(name));
        expect(root.getElementById(panel(name).getAttribute('aria-labelledby')!)).to.equal(tab(name));
        expect(panel(name).getAttribute('role')).to.equal('tabpanel');
      }
    });
  });

  describe('keyboard', () => {
    it('has one tab stop in the tablist (roving tabindex)', async () => {
      const { tab } = await setup();
      expect(tab('dashboard').tabIndex).to.equal(0);
      expect(tab('chats').tabIndex).to.equal(-1);
    });

    it('moves and selects with ArrowRight / ArrowLeft (wrapping), Home and End', async () => {
      const { el, root, tab, panel } = await setup();
      tab('dashboard').focus();
      await sendKeys({ press: 'ArrowRight' });
      await el.updateComplete;
      expect(root.activeElement).to.equal(tab('chats'));
      expect(tab('chats').getAttribute('aria-selected')).to.equal('true');
      expect(tab('chats').tabIndex).to.equal(0);
      expect(tab('dashboard').tabIndex).to.equal(-1);
      expect(panel('chats').hidden).to.be.false;
      expect(panel('dashboard').hidden).to.be.true;
      expect(el.tab).to.equal('chats');

      await sendKeys({ press: 'ArrowRight' });
      await el.updateComplete;
      expect(root.activeElement).to.equal(tab('dashboard'));
      expect(el.tab).to.equal('dashboard');

      await sendKeys({ press: 'ArrowLeft' });
      await el.updateComplete;
      expect(root.activeElement).to.equal(tab('chats'));

      await sendKeys({ press: 'Home' });
      await el.updateComplete;
      expect(root.activeElement).to.equal(tab('dashboard'));
      expect(el.tab).to.equal('dashboard');

      await sendKeys({ press: 'End' });
      await el.updateComplete;
      expect(root.activeElement).to.equal(tab('chats'));
      expect(el.tab).to.equal('chats');
    });

    for (const count of [40, 300]) {
      it(`End in a session list of ${String(count)} chats shows the last row on screen (and Home the first)`, async () => {
        const sessions = Array.from({ length: count }, (_, i) => mineActive(`c${String(i).padStart(4, '0')}`, `Customer ${String(i)}`));
        const { el, root, tab } = await setup(sessions);
        el.style.cssText = 'display: block; height: 480px';
        tab('chats').click();
        await el.updateComplete;
        const list = root.querySelector('chat-session-list')!;
        const listbox = () => list.shadowRoot!.querySelector<HTMLElement>('[role=listbox]')!;
        await until(() => list.shadowRoot!.querySelectorAll('[role=option]').length > 5, 'rows');
        /** On screen: inside the viewport and inside every scrolling box around it. */
        const onScreen = (id: string) => {
          const node = list.shadowRoot!.getElementById(`option-${id}`);
          if (!node) return false;
          const r = node.getBoundingClientRect();
          if (r.height === 0 || r.top < -1 || r.bottom > window.innerHeight + 1) return false;
          const l = listbox().getBoundingClientRect();
          return r.top >= l.top - 1 && r.bottom <= l.bottom + 1;
        };
        listbox().focus();
        const last = sessions.at(-1)!.id;
        await sendKeys({ press: 'End' });
        await until(() => listbox().getAttribute('aria-activedescendant') === `option-${last}`, 'last row active');
        await until(() => onScreen(last), 'last row on screen');
        await sendKeys({ press: 'Home' });
        await until(() => onScreen(sessions[0]!.id), 'first row on screen');
      });
    }

    describe('keyboard map', () => {
      const board = () => [mineActive('s1', 'Kim'), mineActive('s2', 'Lea'), mineActive('s3', 'Max')];
      const altShift = async (key: string) => {
        await sendKeys({ down: 'Alt' });
        await sendKeys({ down: 'Shift' });
        await sendKeys({ press: key });
        await sendKeys({ up: 'Shift' });
        await sendKeys({ up: 'Alt' });
      };

      it('"?" opens the list of keys (axe-clean); Escape closes it and focus goes back', async () => {
        const { el, root, tab } = await setup(board());
        tab('dashboard').focus();
        await sendKeys({ type: '?' });
        await el.updateComplete;
        const dialog = () => root.querySelector<HTMLDialogElement>('#keys-dialog');
        await until(() => dialog()?.open === true, 'dialog open');
        expect(dialog()!.querySelector('h2')!.textContent).to.equal('Keyboard shortcuts');
        const rows = [...dialog()!.querySelectorAll('tr')].map((r) => r.textContent.replace(/\s+/g, ' ').trim());
        expect(rows).to.include('Alt+Shift+↓ Next chat');
        expect(rows).to.include('Alt+Shift+M Write in the open chat');
        await expect(el).to.be.accessible();
        await sendKeys({ press: 'Escape' });
        await until(() => dialog() === null, 'closed');
        expect(root.activeElement).to.equal(tab('dashboard'));
      });

      it('"?" typed in the composer is text, not a shortcut', async () => {
        const { el, root, client } = await setup(board());
        client.selectSession('s1');
        await until(() => el.tab === 'chats', 'Chats');
        await el.updateComplete;
        const conversation = root.querySelector('chat-conversation')!;
        await conversation.updateComplete;
        const composer = conversation.shadowRoot!.querySelector('chat-composer')!;
        await composer.updateComplete;
        composer.shadowRoot!.querySelector('textarea')!.focus();
        await sendKeys({ type: 'Why?' });
        expect(composer.shadowRoot!.querySelector('textarea')!.value).to.equal('Why?');
        expect(root.querySelector('#keys-dialog')).to.equal(null);
      });

      it('Alt+Shift+2 / 1 switch tabs, Alt+Shift+↓ / ↑ go to the next and previous chat, Alt+Shift+M focuses the composer', async () => {
        const { el, root, client, tab } = await setup(board());
        tab('dashboard').focus();
        await altShift('Digit2');
        await el.updateComplete;
        expect(el.tab).to.equal('chats');
        expect(root.activeElement).to.equal(tab('chats'));
        await altShift('ArrowDown');
        await until(() => client.$selectedSessionId.get() !== undefined, 'a chat selected');
        const first = client.$selectedSessionId.get();
        await altShift('ArrowDown');
        await until(() => client.$selectedSessionId.get() !== first, 'the next chat');
        const second = client.$selectedSessionId.get();
        await altShift('ArrowUp');
        await until(() => client.$selectedSessionId.get() === first, 'back to the previous chat');
        expect(second).to.not.equal(first);
        await altShift('KeyM');
        const conversation = root.querySelector('chat-conversation')!;
        await until(() => conversation.shadowRoot?.activeElement?.localName === 'chat-composer', 'focus in the composer');
        await altShift('Digit1');
        await el.updateComplete;
        expect(el.tab).to.equal('dashboard');
      });

      it('lists Get next, Insert, Transfer and End chat in the "?" dialog', async () => {
        const { el, root, tab } = await setup(board());
        tab('dashboard').focus();
        await sendKeys({ type: '?' });
        await el.updateComplete;
        await until(() => root.querySelector<HTMLDialogElement>('#keys-dialog')?.open === true, 'dialog open');
        const rows = [...root.querySelectorAll('#keys-dialog tr')].map((r) => r.textContent.replace(/\s+/g, ' ').trim());
        expect(rows).to.include.members([
          'Alt+Shift+G Get next in queue',
          'Alt+Shift+Q Insert a quick reply, template or FAQ',
          'Alt+Shift+X Transfer the open chat',
          'Alt+Shift+E End the open chat',
        ]);
        await sendKeys({ press: 'Escape' });
      });

      it('Alt+Shift+G gets the next chat from the queue; Q opens Insert, X Transfer…, E the End chat question', async () => {
        const { el, root, client, fake, tab } = await setup([mineActive('s1', 'Kim'), queued('q1', 'Nora')]);
        tab('dashboard').focus();
        await altShift('KeyG');
        await until(() => client.$selectedSessionId.get() === 'q1', 'the queued chat is mine and open');
        expect(fake.sent('next')).to.have.length(1);
        expect(el.tab).to.equal('chats');
        const conversation = root.querySelector('chat-conversation')!;
        const part = (name: string) => conversation.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
        await until(() => part('end-button') !== null, 'End chat shown');
        expect(part('end-button')!.getAttribute('aria-keyshortcuts')).to.equal('Alt+Shift+E');
        expect(part('transfer-button')!.getAttribute('aria-keyshortcuts')).to.equal('Alt+Shift+X');
        // Focus on the Chats tab, outside the conversation: the window sends the keys to it.
        tab('chats').focus();

        await altShift('KeyQ');
        const composer = conversation.shadowRoot!.querySelector('chat-composer')!;
        const pickerOpen = () => composer.shadowRoot!.querySelector<HTMLElement>('[part~="picker"]')?.matches(':popover-open') === true;
        const expanded = () => composer.shadowRoot!.querySelector('[part~="insert-button"]')!.getAttribute('aria-expanded');
        await until(() => pickerOpen() && expanded() === 'true', 'the Insert picker open');
        await sendKeys({ press: 'Escape' });
        await until(() => !pickerOpen() && expanded() === 'false', 'picker closed');

        await altShift('KeyX');
        await until(() => (part('transfer-dialog') as HTMLDialogElement | null)?.open === true, 'Transfer dialog open');
        await sendKeys({ press: 'Escape' });
        await until(() => !(part('transfer-dialog') as HTMLDialogElement).open, 'Transfer dialog closed');

        await altShift('KeyE');
        const endDialog = () => part('dialog') as HTMLDialogElement;
        await until(() => endDialog().open, 'End chat asks first');
        expect(fake.sent('end')).to.have.length(0);
        await sendKeys({ press: 'Escape' });
        await until(() => !endDialog().open, 'question closed');
        expect(conversation.shadowRoot!.activeElement).to.equal(part('end-button'));
        expect(fake.sent('end')).to.have.length(0);
      });

      it('Alt+Shift+G with an empty queue says why, and sends nothing', async () => {
        const { el, fake, tab } = await setup(board());
        tab('dashboard').focus();
        await altShift('KeyG');
        await until(() => announcerText().polite.includes('No chats are waiting.'), 'the reason is announced');
        await el.updateComplete;
        expect(fake.sent('next')).to.have.length(0);
      });

      it('without-shortcuts turns the Alt+Shift keys off', async () => {
        const { el, tab } = await setup(board());
        el.withoutShortcuts = true;
        await el.updateComplete;
        tab('dashboard').focus();
        await altShift('Digit2');
        await el.updateComplete;
        expect(el.tab).to.equal('dashboard');
      });
    });

    describe('popovers', () => {
      afterEach(() => {
        document.body.style.minHeight = '';
        window.scrollTo(0, 0);
      });

      it('the Insert picker never covers the top bar, follows the page when it scrolls, and flips below the composer when there is no room above', async () => {
        document.body.style.minHeight = '3000px';
        const { el, root, client } = await setup([mineActive('s1', 'Kim')]);
        el.style.display = 'block';
        el.style.height = '560px';
        el.style.marginTop = '300px';
        client.selectSession('s1');
        await until(() => el.tab === 'chats', 'Chats');
        const conversation = root.querySelector('chat-conversation')!;
        await until(() => conversation.shadowRoot?.querySelector('chat-composer') != null, 'composer');
        const composer = conversation.shadowRoot!.querySelector('chat-composer')!;
        await composer.updateComplete;
        composer.shadowRoot!.querySelector<HTMLElement>('[part~="insert-button"]')!.click();
        const panel = () => composer.shadowRoot!.querySelector<HTMLElement>('#picker')!;
        await until(() => composer.shadowRoot!.querySelector<HTMLElement>('#picker')?.matches(':popover-open') === true, 'picker open');
        await until(() => panel().dataset.placement !== undefined, 'placed');
        const box = () => panel().getBoundingClientRect();
        const base = () => composer.shadowRoot!.querySelector('.base')!.getBoundingClientRect();
        const topBar = () => root.querySelector('[part=header]')!.getBoundingClientRect();
        // Above the composer, below the console's top bar (and below the conversation's top).
        expect(panel().dataset.placement).to.equal('top-start');
        await until(() => Math.abs(box().bottom + 4 - base().top) <= 1, 'just above the composer');
        expect(box().top).to.be.at.least(topBar().bottom);
        expect(box().top).to.be.at.least(conversation.getBoundingClientRect().top);

        // The page scrolls: the picker moves with the composer.
        window.scrollTo(0, 120);
        await until(() => Math.abs(box().bottom + 4 - base().top) <= 1, 'still just above the composer after scrolling');
        expect(box().top).to.be.at.least(Math.max(0, topBar().bottom));

        // The composer near the top of the window: no room above, so the picker opens below it.
        window.scrollTo(0, window.scrollY + base().top - 60);
        await until(() => panel().dataset.placement === 'bottom-start', 'flipped below');
        await until(() => Math.abs(box().top - 4 - base().bottom) <= 1, 'just below the composer');
        expect(box().bottom).to.be.at.most(window.innerHeight);
        expect(box().top).to.be.at.least(Math.max(0, topBar().bottom));
      });
    });

    describe('a reload restores the place', () => {
      /** The window as after a reload: a new element with a new client and a fresh board. */
      async function reload(previous: HTMLElement, sessions: SessionSummary[]) {
        previous.remove();
        const next = await setup(sessions);
        await until(() => next.client.$connection.get().status === 'live', 'live');
        await next.el.updateComplete;
        return next;
      }
      const board = () => [mineActive('s1', 'Kim'), mineActive('s2', 'Lea'), mineActive('s3', 'Max')];

      it('opens the chat and the Chats tab that were open', async () => {
        const first = await setup(board());
        first.client.selectSession('s2');
        await until(() => first.el.tab === 'chats', 'Chats shown');
        await first.el.updateComplete;
        const { el, client, tab } = await reload(first.el, board());
        await until(() => client.$selectedSessionId.get() === 's2', 'chat s2 open again');
        await el.updateComplete;
        expect(el.tab).to.equal('chats');
        expect(tab('chats').getAttribute('aria-selected')).to.equal('true');
      });

      it('opens the Dashboard when that was shown, with the chat still selected behind it', async () => {
        const first = await setup(board());
        first.client.selectSession('s3');
        await until(() => first.el.tab === 'chats', 'Chats shown');
        first.tab('dashboard').click();
        await first.el.updateComplete;
        const { el, client } = await reload(first.el, board());
        await until(() => client.$selectedSessionId.get() === 's3', 'chat s3 selected again');
        await el.updateComplete;
        expect(el.tab).to.equal('dashboard');
      });

      it('keeps a place per agent: another agent in the same browser tab starts on the Dashboard', async () => {
        const first = await setup(board());
        first.client.selectSession('s1');
        await until(() => first.el.tab === 'chats', 'Chats shown');
        await first.el.updateComplete;
        first.el.remove();
        const other = await setup(board(), { me: { ...AGENT_ME, id: 'bo', name: 'Bo Agent' } });
        await until(() => other.client.$connection.get().status === 'live', 'live');
        await other.el.updateComplete;
        expect(other.el.tab).to.equal('dashboard');
        expect(other.client.$selectedSessionId.get()).to.equal(undefined);
      });
    });

    it('switches tabs on click', async () => {
      const { el, tab } = await setup();
      tab('chats').click();
      await el.updateComplete;
      expect(el.tab).to.equal('chats');
      expect(tab('chats').getAttribute('aria-selected')).to.equal('true');
    });

    it('moves focus along when answering on the dashboard switches to Chats', async () => {
      const { el, root, dashboard, client, tab } = await setup([queued('q1', 'Kim')]);
      const row = dashboard().shadowRoot!.querySelector<HTMLElement>('tbody tr')!;
      row.focus();
      await sendKeys({ press: 'Enter' });
      await until(() => el.tab === 'chats', 'switched to Chats');
      expect(client.$selectedSessionId.get()).to.equal('q1');
      await el.updateComplete;
      // Focus never falls back to the body: it is on the Chats tab or in the conversation.
      await until(() => root.activeElement === tab('chats') || root.activeElement === root.querySelector('chat-conversation'), 'focus moved to the Chats side');
    });
  });

  describe('store integration', () => {
    it('shows the number of unanswered chats on Dashboard and of my chats on Chats, live', async () => {
      const { el, fake, root, tabName } = await setup([queued('q1', 'Kim'), queued('q2', 'Lea')]);
      const badge = (name: string) => root.querySelector(`[part~="badge--${name}"]`);
      expect(badge('dashboard')!.textContent).to.equal('2');
      expect(tabName('dashboard')).to.equal('Dashboard, 2 unanswered chats');
      // A zero badge is hidden, and the name has no count.
      expect(badge('chats')).to.equal(null);
      expect(tabName('chats')).to.equal('Chats');

      pushSession(fake, 1, queued('q3', 'Max'));
      await until(() => badge('dashboard')?.textContent === '3', 'dashboard badge 3');
      // q1 is answered by me: it moves from Dashboard to Chats.
      pushSession(fake, 2, { ...queued('q1', 'Kim'), status: 'active', agentId: 'ann', agentName: 'Ann Agent' });
      await until(() => badge('dashboard')?.textContent === '2' && badge('chats')?.textContent === '1', 'badges 2 and 1');
      await el.updateComplete;
      expect(tabName('chats')).to.equal('Chats, 1 active chat');
      expect(el.hasCustomState('queued')).to.be.true;
      // Everything answered elsewhere: the Dashboard badge disappears.
      pushSession(fake, 3, { ...queued('q2', 'Lea'), status: 'active', agentId: 'bob' });
      pushSession(fake, 4, { ...queued('q3', 'Max'), status: 'active', agentId: 'bob' });
      await until(() => badge('dashboard') === null, 'dashboard badge hidden');
      expect(tabName('dashboard')).to.equal('Dashboard');
      expect(el.hasCustomState('queued')).to.be.false;
    });

    it('gives each tab an accessible name with the count in words', async () => {
      const { root } = await setup([queued('q1', 'Kim'), queued('q2', 'Lea'), mineActive('s1', 'Ann')]);
      const hidden = (name: string) => root.querySelector(`#tab-${name} .visually-hidden`)!.textContent;
      expect(hidden('dashboard')).to.equal('Dashboard, 2 unanswered chats');
      expect(hidden('chats')).to.equal('Chats, 1 active chat');
      // The visible number is not read twice.
      expect(root.querySelector('#tab-dashboard [part~=badge]')!.getAttribute('aria-hidden')).to.equal('true');
    });

    it('switches to Chats when a chat gets selected (e.g. Get next)', async () => {
      const { el, client, tab } = await setup([mineActive('s1', 'Kim')]);
      expect(el.tab).to.equal('dashboard');
      client.selectSession('s1');
      await el.updateComplete;
      expect(el.tab).to.equal('chats');
      expect(tab('chats').getAttribute('aria-selected')).to.equal('true');
      // Going back to the Dashboard keeps it there until another chat is selected.
      tab('dashboard').click();
      await el.updateComplete;
      expect(el.tab).to.equal('dashboard');
      client.selectSession(undefined);
      await el.updateComplete;
      expect(el.tab).to.equal('dashboard');
    });

    it('answers from the Dashboard and shows the chat in the Chats tab', async () => {
      const { el, dashboard, client, fake } = await setup([queued('q1', 'Kim Andersson')]);
      dashboard().shadowRoot!.querySelector<HTMLButtonElement>('[part~=answer]')!.click();
      await until(() => el.tab === 'chats', 'switched to Chats');
      expect(fake.sent('accept').map((f) => f.sessionId)).to.deep.equal(['q1']);
      expect(client.$selectedSessionId.get()).to.equal('q1');
      await until(() => el.shadowRoot!.querySelector('[part=customer]')!.textContent.includes('Kim Andersson'), 'customer panel');
    });

    it('sets the agent status with the Present/Away control', async () => {
      const { el, root, fake } = await setup();
      radio(root, 'away').click();
      await until(() => fake.sent('presence').length === 1, 'presence sent');
      expect(fake.sent('presence')[0]!.status).to.equal('away');
      await el.updateComplete;
      expect(radio(root, 'away').checked).to.be.true;
      expect(el.hasCustomState('away')).to.be.true;
      // Away is explained, visibly, while it is chosen.
      const note = root.querySelector('[part=presence-note]')!;
      expect(note.classList.contains('visually-hidden')).to.be.false;
      expect(note.textContent).to.contain('You can still answer chats, but you get no transfers or warnings');
      radio(root, 'present').click();
      await until(() => fake.sent('presence').length === 2, 'second presence sent');
      expect(fake.sent('presence')[1]!.status).to.equal('present');
    });

    it('follows a status change made elsewhere (another console of the same agent)', async () => {
      const { el, root, fake } = await setup();
      fake.last.push({ t: 'agents', agents: [agentInfo({ status: 'away' })] });
      await until(() => radio(root, 'away').checked, 'Away shown');
      expect(el.hasCustomState('away')).to.be.true;
      fake.last.push({ t: 'agents', agents: [agentInfo({ status: 'present' })] });
      await until(() => radio(root, 'present').checked, 'Present shown');
      expect(el.hasCustomState('away')).to.be.false;
    });

    it('shows and announces a status change that failed, and keeps the old status', async () => {
      const { el, root } = await setup([], { refuse: { presence: { code: 'internal', message: 'nope' } } });
      radio(root, 'away').click();
      await until(() => root.querySelector('[part=presence-error]') !== null, 'error shown');
      await el.updateComplete;
      expect(radio(root, 'present').checked).to.be.true;
      expect(radio(root, 'away').checked).to.be.false;
      expect(root.querySelector('[part=presence-error]')!.textContent).to.contain('could not be changed');
      await until(() => announcerText().assertive.includes('could not be changed'), 'announced');
    });

    it('shows my load, and the limit when I handle as many chats as allowed', async () => {
      const { el, root, fake } = await setup([mineActive('s1', 'Kim'), queued('q1', 'Lea')], { me: { ...AGENT_ME, maxConcurrentChats: 2 } });
      const load = () => root.querySelector('[part~=load]')!;
      expect(load().textContent.replace(/\s+/g, ' ').trim()).to.equal('1 of 2 chats');
      expect(el.hasCustomState('at-capacity')).to.be.false;
      pushSession(fake, 1, mineActive('s2', 'Max'));
      await until(() => load().getAttribute('part') === 'load load--full', 'limit shown');
      expect(load().textContent.replace(/\s+/g, ' ').trim()).to.equal('2 of 2 chats · Limit reached: end a chat to answer another.');
      expect(el.hasCustomState('at-capacity')).to.be.true;
    });

    it('a chat on hold does not count in my load: holding one frees a place, the Chats badge still counts it (issue 18)', async () => {
      const { el, root, fake } = await setup([mineActive('s1', 'Kim'), mineActive('s2', 'Max')], { me: { ...AGENT_ME, maxConcurrentChats: 2 } });
      const text = () => root.querySelector('[part~=load]')!.textContent.replace(/\s+/g, ' ').trim();
      const badge = () => root.querySelector('[part~="badge--chats"]')?.textContent;
      await until(() => text().startsWith('2 of 2 chats'), 'at the limit');
      expect(el.hasCustomState('at-capacity')).to.be.true;
      pushSession(fake, 1, { ...mineActive('s1', 'Kim'), heldAt: NOW });
      await until(() => text() === '1 of 2 chats', 'the held chat freed a place');
      expect(el.hasCustomState('at-capacity')).to.be.false;
      expect(badge()).to.equal('2', 'both chats are still mine');
      pushSession(fake, 2, mineActive('s1', 'Kim'));
      await until(() => text().startsWith('2 of 2 chats'), 'resumed: counts again');
    });

    it('provides its client to the elements inside it', async () => {
      const { root, client } = await setup();
      for (const tag of ['chat-dashboard', 'chat-session-list', 'chat-conversation', 'chat-connection-status']) {
        expect((root.querySelector(tag) as unknown as { client?: unknown }).client, tag).to.equal(client);
      }
    });
  });

  describe('wait warnings', () => {
    const warningEls = (root: ShadowRoot) => [...root.querySelectorAll<HTMLElement>('[part~=warning]')];
    const title = (w: HTMLElement) => w.querySelector('.warning-title')!.textContent.trim();

    it('shows a warning with the customer, the channel, the waiting time, Answer and Dismiss, and announces it once', async () => {
      const { el, root, fake } = await setup([queued('q1', 'Kim Andersson', 2)]);
      expect(root.querySelector('[part=warnings]')).to.equal(null);
      fake.last.push(warning('q1', 'agents', 125_000));
      await until(() => warningEls(root).length === 1, 'warning shown');
      const w = warningEls(root)[0]!;
      expect(w.getAttribute('role')).to.equal('group');
      expect(root.getElementById(w.getAttribute('aria-labelledby')!)!.textContent.trim()).to.equal('Kim Andersson has waited 2 min');
      expect(w.querySelector('.warning-meta')!.textContent).to.contain('Support');
      const answer = w.querySelector<HTMLButtonElement>('[part=warning-answer]')!;
      const dismiss = w.querySelector<HTMLButtonElement>('[part=warning-dismiss]')!;
      expect(answer.textContent.trim()).to.equal('Answer');
      expect(answer.getAttribute('aria-label')).to.equal('Answer the chat with Kim Andersson');
      expect(dismiss.textContent.trim()).to.equal('Dismiss');
      expect(dismiss.getAttribute('aria-label')).to.equal('Dismiss the warning about Kim Andersson');
      expect(el.hasCustomState('warning')).to.be.true;
      // Not a live region inside the shadow root: the page announcer speaks it, assertively.
      expect(root.querySelector('[aria-live], [role=alert], [role=status]')).to.equal(null);
      await until(() => announcerText().assertive.includes('Kim Andersson has waited 2 min in Support'), 'announced');
      // Re-rendering (the waiting time ticks) does not speak it again.
      const node = document.querySelector<HTMLElement>('[data-chat-announcer=assertive]')!;
      node.textContent = '';
      const clock = runningClock();
      try {
        el.requestUpdate();
        await el.updateComplete;
        await clock.tickAsync(2_000);
      } finally {
        clock.restore();
      }
      expect(node.textContent).to.equal('');
    });

    it('stacks several warnings, oldest first, and shows the managers\' warning as a new one', async () => {
      const { root, fake } = await setup([queued('q1', 'Kim', 3), queued('q2', 'Lea', 5)]);
      fake.last.push(warning('q1', 'agents', 70_000));
      fake.last.push(warning('q2', 'agents', 190_000));
      await until(() => warningEls(root).length === 2, 'two warnings');
      expect(warningEls(root).map(title)).to.deep.equal(['Lea has waited 3 min', 'Kim has waited 1 min']);
      fake.last.push(warning('q2', 'managers', 190_000));
      await until(() => warningEls(root)[0]!.getAttribute('part') === 'warning warning--managers', 'managers warning');
      expect(title(warningEls(root)[0]!)).to.equal('Still unanswered: Lea has waited 3 min');
      await until(() => announcerText().assertive.includes('Still unanswered: Lea'), 'managers warning announced');
    });

    it('Answer answers the chat, selects it and switches to Chats', async () => {
      const { el, root, fake, client } = await setup([queued('q1', 'Kim Andersson')]);
      fake.last.push(warning('q1', 'agents', 61_000));
      await until(() => warningEls(root).length === 1, 'warning shown');
      root.querySelector<HTMLButtonElement>('[part=warning-answer]')!.click();
      await until(() => el.tab === 'chats', 'switched to Chats');
      expect(fake.sent('accept').map((f) => f.sessionId)).to.deep.equal(['q1']);
      expect(client.$selectedSessionId.get()).to.equal('q1');
      // Answered: the chat no longer waits, so its warning goes.
      await until(() => warningEls(root).length === 0, 'warning gone');
      await until(() => announcerText().polite.includes('You answered the chat with Kim Andersson'), 'answer announced');
    });

    it('says why Answer failed', async () => {
      const { root, fake } = await setup([queued('q1', 'Kim')], { refuse: { accept: { code: 'conflict', message: 'taken' } } });
      fake.last.push(warning('q1', 'agents', 61_000));
      await until(() => warningEls(root).length === 1, 'warning shown');
      root.querySelector<HTMLButtonElement>('[part=warning-answer]')!.click();
      await until(() => root.querySelector('.warning-error') !== null, 'error shown');
      expect(root.querySelector('.warning-error')!.textContent).to.contain('Someone else answered the chat with Kim');
      const answer = root.querySelector('[part=warning-answer]')!;
      expect(root.getElementById(answer.getAttribute('aria-describedby')!)).to.equal(root.querySelector('.warning-error'));
    });

    it('blocks Answer at the chat limit and says why', async () => {
      const { root, fake, el } = await setup([mineActive('s1', 'Max'), queued('q1', 'Kim')], { me: { ...AGENT_ME, maxConcurrentChats: 1 } });
      fake.last.push(warning('q1', 'agents', 61_000));
      await until(() => warningEls(root).length === 1, 'warning shown');
      const answer = root.querySelector<HTMLButtonElement>('[part=warning-answer]')!;
      expect(answer.getAttribute('aria-disabled')).to.equal('true');
      const reason = root.getElementById(answer.getAttribute('aria-describedby')!)!;
      expect(reason.textContent).to.contain('You already handle 1 chats, your limit. End a chat to answer this one.');
      answer.click();
      // Refused in the click's handler (at capacity): no command follows.
      await el.updateComplete;
      expect(fake.sent('accept')).to.have.length(0);
    });

    it('Dismiss hides the warning and moves focus to the next one, then to the tab', async () => {
      const { el, root, fake, tab } = await setup([queued('q1', 'Kim', 3), queued('q2', 'Lea', 5)]);
      fake.last.push(warning('q1', 'agents', 70_000));
      fake.last.push(warning('q2', 'agents', 190_000));
      await until(() => warningEls(root).length === 2, 'two warnings');
      // Two warnings are one bar: how many, and who has waited longest; it opens to the list.
      const bar = root.querySelector<HTMLDetailsElement>('[part=warnings-bar]')!;
      const summary = root.querySelector<HTMLElement>('[part=warnings-summary]')!;
      expect(bar.open).to.be.false;
      expect(summary.textContent.replace(/\s+/g, ' ').trim()).to.equal('2 chats have waited too long · Lea has waited 3 min');
      expect(warningEls(root)[0]!.checkVisibility(), 'the list is closed').to.be.false;
      summary.focus();
      await sendKeys({ press: 'Enter' });
      await until(() => bar.open, 'the bar opens with Enter');
      const dismiss = (i: number) => warningEls(root)[i]!.querySelector<HTMLButtonElement>('[part=warning-dismiss]')!;
      dismiss(0).focus();
      await sendKeys({ press: 'Enter' });
      await until(() => warningEls(root).length === 1, 'one left');
      await el.updateComplete;
      expect(title(warningEls(root)[0]!)).to.equal('Kim has waited 1 min');
      expect(root.activeElement).to.equal(dismiss(0));
      await sendKeys({ press: 'Space' });
      await until(() => root.querySelector('[part=warnings]') === null, 'all dismissed');
      await el.updateComplete;
      expect(root.activeElement).to.equal(tab('dashboard'));
      expect(el.hasCustomState('warning')).to.be.false;
    });

    it('is reachable with Tab and does not trap focus', async () => {
      const { el, root, fake } = await setup([queued('q1', 'Kim')]);
      fake.last.push(warning('q1', 'agents', 61_000));
      await until(() => warningEls(root).length === 1, 'warning shown');
      const answer = root.querySelector<HTMLButtonElement>('[part=warning-answer]')!;
      const dismiss = root.querySelector<HTMLButtonElement>('[part=warning-dismiss]')!;
      answer.focus();
      await sendKeys({ press: 'Tab' });
      expect(root.activeElement).to.equal(dismiss);
      await sendKeys({ press: 'Tab' });
      // On to the content below (the Dashboard panel), not back into the warning.
      expect(root.activeElement).to.not.equal(answer);
      expect(root.activeElement).to.not.equal(dismiss);
      expect(root.activeElement!.closest('[part~=warning]')).to.equal(null);
      await sendKeys({ down: 'Shift' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ up: 'Shift' });
      expect(root.activeElement).to.equal(dismiss);
      expect(el.tab).to.equal('dashboard');
    });

    it('shows no warnings while I am Away', async () => {
      const { el, root, fake } = await setup([queued('q1', 'Kim')]);
      fake.last.push(warning('q1', 'agents', 61_000));
      await until(() => warningEls(root).length === 1, 'warning shown');
      fake.last.push({ t: 'agents', agents: [agentInfo({ status: 'away' })] });
      await until(() => warningEls(root).length === 0, 'hidden while Away');
      expect(el.hasCustomState('warning')).to.be.false;
    });
  });

  describe('notifications', () => {
    let pageTitle = '';
    beforeEach(() => {
      pageTitle = document.title;
      document.title = 'Test page';
    });
    afterEach(() => {
      localStorage.removeItem(SETTINGS_KEY);
      document.title = pageTitle;
    });

    const openSettings = async (el: ChatWindow) => {
      const root = el.shadowRoot!;
      const summary = root.querySelector<HTMLElement>('[part=settings-button]')!;
      summary.click();
      await el.updateComplete;
      return root.querySelector<HTMLDetailsElement>('[part=settings]')!;
    };
    const checkbox = (root: ShadowRoot, name: string) =>
      [...root.querySelectorAll<HTMLInputElement>('input[type=checkbox]')].find((c) => c.closest('label')!.textContent.trim() === name)!;
    /** A customer message arrives in a chat I handle (board update). */
    const customerWrites = (s: SessionSummary, text: string, unread: number): SessionSummary => ({
      ...s,
      unread,
      lastMessage: { from: 'customer', text, at: NOW + unread * 1000 },
      lastActivityAt: NOW + unread * 1000,
    });

    it('has a Notifications menu with three labelled checkboxes, all off by default', async () => {
      const { sink, calls } = recordingSink();
      const { el, root } = await setup([], { sink });
      const menu = await openSettings(el);
      expect(menu.open).to.be.true;
      expect(root.querySelector('[part=settings-button]')!.textContent.trim()).to.equal('Notifications');
      const boxes = [...root.querySelectorAll<HTMLInputElement>('[part=settings-panel] input[type=checkbox]')];
      expect(boxes.map((b) => b.closest('label')!.textContent.trim())).to.deep.equal([
        'Sound for new chats and messages',
        'Desktop notifications',
        'Count in the page title',
      ]);
      expect(boxes.map((b) => b.checked)).to.deep.equal([false, false, false]);
      // Nothing was asked of the browser without a click.
      expect(calls.requests).to.equal(0);
    });

    it('closes the menu with Escape (focus back on its button) and with a click outside', async () => {
      const { el, root } = await setup([], { sink: recordingSink().sink });
      const menu = await openSettings(el);
      checkbox(root, 'Sound for new chats and messages').focus();
      await sendKeys({ press: 'Escape' });
      expect(menu.open).to.be.false;
      expect(root.activeElement).to.equal(root.querySelector('[part=settings-button]'));
      await openSettings(el);
      expect(menu.open).to.be.true;
      document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
      expect(menu.open).to.be.false;
    });

    it('plays no sound by default', async () => {
      const { sink, calls } = recordingSink();
      const { fake, client, el } = await setup([], { sink });
      pushSession(fake, 1, queued('q1', 'Kim'));
      // The window hears of board changes as they are applied: once the chat is queued, it has decided.
      await until(() => client.$queued.get().length === 1, 'the chat on the board');
      await el.updateComplete;
      expect(calls.sounds).to.deep.equal([]);
      expect(calls.desktop).to.deep.equal([]);
    });

    it('tells a screen reader about new chats and new messages in chats not open, once, with the counts (sound off)', async () => {
      const { sink, calls } = recordingSink({ attended: true });
      const kim = mineActive('s1', 'Kim');
      const lea = mineActive('s2', 'Lea');
      const { fake } = await setup([queued('q0', 'Old'), kim, lea], { sink });
      pushSession(fake, 1, queued('q1', 'Jonas'));
      await until(() => announcerText().polite.includes('New chat from Jonas. 2 chats are waiting.'), 'new chat announced');
      pushSession(fake, 2, customerWrites(kim, 'Hello?', 3));
      await until(() => announcerText().polite.includes('New message from Kim. 3 unread messages.'), 'new message announced');
      pushSession(fake, 3, queued('q2', 'Mia'));
      pushSession(fake, 4, queued('q3', 'Noor'));
      await until(() => /2 new chats\. 4 chats are waiting\.|New chat from Noor\. 4 chats are waiting\./.test(announcerText().polite), 'several announced with the count');
      // Nothing played: the announcements do not depend on the sound setting.
      expect(calls.sounds).to.deep.equal([]);
    });

    it('with Sound on, plays a tone for a new chat while the console is not looked at, and remembers the choice', async () => {
      const { sink, calls } = recordingSink();
      const { el, root, fake, client } = await setup([queued('q0', 'Old')], { sink });
      await openSettings(el);
      checkbox(root, 'Sound for new chats and messages').click();
      await el.updateComplete;
      // The click unlocks audio and plays the tone once, so the agent knows what it sounds like.
      expect(calls.unlocks).to.equal(1);
      expect(calls.sounds).to.deep.equal(['chat']);
      expect(JSON.parse(localStorage.getItem(SETTINGS_KEY)!)).to.deep.equal({ sound: true, desktop: false, titleCount: false });
      calls.sounds.length = 0;
      sink.attended = true;
      pushSession(fake, 1, queued('q1', 'Kim'));
      await until(() => client.$queued.get().some((s) => s.id === 'q1'), 'the chat on the board');
      await el.updateComplete;
      expect(calls.sounds, 'nothing while looked at').to.deep.equal([]);
      sink.attended = false;
      pushSession(fake, 2, queued('q2', 'Lea'));
      await until(() => calls.sounds.length === 1, 'tone played');
      expect(calls.sounds).to.deep.equal(['chat']);
      // The same agent in a new window: the setting is remembered.
      const second = await fixture<ChatWindow>(html`<chat-window .client=${el.client} .notificationSink=${sink}></chat-window>`);
      await second.updateComplete;
      expect(checkbox(second.shadowRoot!, 'Sound for new chats and messages').checked).to.be.true;
    });

    it('plays a tone for a new customer message in a chat I handle', async () => {
      localStorage.setItem(SETTINGS_KEY, JSON.stringify({ sound: true, desktop: false, titleCount: false }));
      const { sink, calls } = recordingSink();
      const kim = mineActive('s1', 'Kim');
      const { fake } = await setup([kim], { sink });
      pushSession(fake, 1, customerWrites(kim, 'Are you still there?', 1));
      await until(() => calls.sounds.length === 1, 'tone played');
      expect(calls.sounds).to.deep.equal(['message']);
    });

    it('keeps settings per agent', async () => {
      localStorage.setItem(SETTINGS_KEY, JSON.stringify({ sound: true, desktop: false, titleCount: true }));
      const { el, root } = await setup([], { me: { ...AGENT_ME, id: 'bob', name: 'Bob' }, sink: recordingSink().sink });
      await openSettings(el);
      expect(checkbox(root, 'Sound for new chats and messages').checked).to.be.false;
      expect(checkbox(root, 'Count in the page title').checked).to.be.false;
    });

    it('asks for desktop permission only from the checkbox, then shows name and first words; a click selects the chat', async () => {
      const { sink, calls } = recordingSink({ permission: 'default', answer: 'granted' });
      const kim = mineActive('s1', 'Kim Andersson');
      const { el, root, fake, client } = await setup([kim], { sink });
      expect(calls.requests).to.equal(0);
      await openSettings(el);
      const box = checkbox(root, 'Desktop notifications');
      box.click();
      await until(() => calls.requests === 1, 'permission requested');
      await el.updateComplete;
      expect(box.checked).to.be.true;
      const long = 'Hello again, I wonder whether the order that I placed last Monday has been sent yet, because I need it before Friday';
      pushSession(fake, 1, customerWrites(kim, long, 1));
      await until(() => calls.desktop.length === 1, 'desktop notification');
      const notice = calls.desktop[0]!;
      expect(notice.title).to.equal('New message from Kim Andersson');
      expect(notice.body.endsWith('…')).to.be.true;
      expect(notice.body.length).to.be.at.most(81);
      expect(long.startsWith(notice.body.slice(0, -1))).to.be.true;
      expect(notice.tag).to.equal('chat-s1');
      expect(calls.sounds).to.deep.equal([]);
      notice.onClick();
      await el.updateComplete;
      expect(client.$selectedSessionId.get()).to.equal('s1');
      expect(el.tab).to.equal('chats');
    });

    it('says so when the browser blocks desktop notifications, and leaves them off', async () => {
      const { sink, calls } = recordingSink({ permission: 'default', answer: 'denied' });
      const { el, root } = await setup([], { sink });
      await openSettings(el);
      const box = checkbox(root, 'Desktop notifications');
      box.click();
      await until(() => calls.requests === 1, 'permission requested');
      await el.updateComplete;
      expect(box.checked).to.be.false;
      const hint = root.getElementById(box.getAttribute('aria-describedby')!)!;
      expect(hint.textContent).to.contain('Your browser blocks notifications from this page');
      await until(() => announcerText().assertive.includes('Your browser blocks notifications'), 'announced');
    });

    it('does not notify about what the first snapshot holds', async () => {
      localStorage.setItem(SETTINGS_KEY, JSON.stringify({ sound: true, desktop: true, titleCount: false }));
      const { sink, calls } = recordingSink({ permission: 'granted' });
      const { el } = await setup([queued('q1', 'Kim'), customerWrites(mineActive('s1', 'Lea'), 'Hi', 2)], { sink });
      // setup waits until live: the snapshot has been applied and heard by then.
      await el.updateComplete;
      expect(calls.sounds).to.deep.equal([]);
      expect(calls.desktop).to.deep.equal([]);
    });

    it('shows the count of waiting chats and unread messages in the page title, and restores it', async () => {
      const original = document.title;
      localStorage.setItem(SETTINGS_KEY, JSON.stringify({ sound: false, desktop: false, titleCount: true }));
      const kim = mineActive('s1', 'Kim');
      const { el, fake } = await setup([queued('q1', 'Lea'), customerWrites(kim, 'Hi', 2)], { sink: recordingSink().sink });
      expect(document.title).to.equal(`(3) ${original}`);
      pushSession(fake, 1, { ...queued('q1', 'Lea'), status: 'active', agentId: 'bob' });
      await until(() => document.title === `(2) ${original}`, 'count 2');
      pushSession(fake, 2, { ...customerWrites(kim, 'Hi', 2), unread: 0 });
      await until(() => document.title === original, 'restored at 0');
      pushSession(fake, 3, customerWrites(kim, 'Hello?', 1));
      await until(() => document.title === `(1) ${original}`, 'count 1');
      el.remove();
      expect(document.title).to.equal(original);
    });

    it('takes a title the page sets meanwhile as the new original', async () => {
      localStorage.setItem(SETTINGS_KEY, JSON.stringify({ sound: false, desktop: false, titleCount: true }));
      const { el, fake } = await setup([queued('q1', 'Lea')], { sink: recordingSink().sink });
      expect(document.title).to.equal('(1) Test page');
      document.title = 'Contacts · CRM';
      pushSession(fake, 1, queued('q2', 'Max'));
      await until(() => document.title === '(2) Contacts · CRM', 'count on the new title');
      el.remove();
      expect(document.title).to.equal('Contacts · CRM');
    });

    it('turns the title count on and off from the menu', async () => {
      const original = document.title;
      const { el, root } = await setup([queued('q1', 'Lea')], { sink: recordingSink().sink });
      expect(document.title).to.equal(original);
      await openSettings(el);
      checkbox(root, 'Count in the page title').click();
      await el.updateComplete;
      expect(document.title).to.equal(`(1) ${original}`);
      checkbox(root, 'Count in the page title').click();
      await el.updateComplete;
      expect(document.title).to.equal(original);
    });
  });

  describe('theming', () => {
    it('re-exports the parts of the elements inside it', async () => {
      const { root } = await setup();
      expect(root.querySelector('chat-session-list')!.getAttribute('exportparts')).to.contain('item:session-list__item');
      expect(root.querySelector('chat-conversation')!.getAttribute('exportparts')).to.contain('message:conversation__message');
      expect(root.querySelector('chat-dashboard')!.getAttribute('exportparts')).to.contain('row:dashboard__row');
      expect(root.querySelector('chat-connection-status')!.getAttribute('exportparts')).to.contain('base:connection-status__base');
      for (const part of ['base', 'header', 'tablist', 'tab', 'agent', 'panel', 'chats', 'session-list', 'conversation', 'contact', 'customer']) {
        expect(root.querySelector(`[part~="${part}"]`), part).to.not.equal(null);
      }
    });

    it('sets custom states for the shown tab', async () => {
      const { el, tab } = await setup();
      expect(el.hasCustomState('dashboard')).to.be.true;
      expect(el.hasCustomState('chats')).to.be.false;
      tab('chats').click();
      await el.updateComplete;
      expect(el.hasCustomState('dashboard')).to.be.false;
      expect(el.hasCustomState('chats')).to.be.true;
    });

    it('stacks the columns and folds the list and the customer panel in a narrow window', async () => {
      const { client } = await fixtureClient();
      const wrapper = await fixture<HTMLDivElement>(html`<div style="width: 480px; height: 700px"><chat-window .client=${client} tab="chats"></chat-window></div>`);
      const el = wrapper.querySelector('chat-window')!;
      el.style.height = '100%';
      await el.updateComplete;
      const root = el.shadowRoot!;
      const list = root.getElementById('list-column')!;
      const contact = root.getElementById('contact-column')!;
      const toggles = [...root.querySelectorAll<HTMLButtonElement>('.toggle')];
      expect(toggles.every((t) => getComputedStyle(t).display !== 'none')).to.be.true;
      expect(getComputedStyle(contact).display).to.equal('none');
      expect(getComputedStyle(list).display).to.not.equal('none');
      const contactToggle = toggles.find((t) => t.getAttribute('aria-controls') === 'contact-column')!;
      expect(contactToggle.getAttribute('aria-expanded')).to.equal('false');
      contactToggle.click();
      await el.updateComplete;
      expect(contactToggle.getAttribute('aria-expanded')).to.equal('true');
      expect(getComputedStyle(contact).display).to.not.equal('none');
      // One column: the list sits above the conversation.
      const conv = root.querySelector('chat-conversation')!.getBoundingClientRect();
      expect(list.getBoundingClientRect().bottom).to.be.at.most(conv.top + 1);
      await expect(el).to.be.accessible();
    });

    it('shows three columns side by side in a wide window', async () => {
      const { client } = await fixtureClient();
      const wrapper = await fixture<HTMLDivElement>(html`<div style="width: 1300px; height: 700px"><chat-window .client=${client} tab="chats"></chat-window></div>`);
      const el = wrapper.querySelector('chat-window')!;
      el.style.height = '100%';
      await el.updateComplete;
      const root = el.shadowRoot!;
      const list = root.getElementById('list-column')!.getBoundingClientRect();
      const conv = root.querySelector('chat-conversation')!.getBoundingClientRect();
      const contact = root.getElementById('contact-column')!.getBoundingClientRect();
      expect(list.right).to.be.at.most(conv.left + 1);
      expect(conv.right).to.be.at.most(contact.left + 1);
      expect(Math.abs(list.top - contact.top)).to.be.below(2);
      expect(getComputedStyle(root.querySelector('.bar')!).display).to.equal('none');
    });
  });
});
