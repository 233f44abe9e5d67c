import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

import '../../src/components/chat-window/chat-window.js';
import type { ChatWindow } from '../../src/components/chat-window/chat-window.js';
import { announcerText } from '../../src/internal/announcer.js';
import type { SessionSummary } from '../../src/protocol/index.js';
import { chatServer, loginAgent, ticketsFor, until } from '../helpers/chat-server.js';
import { chatMessage, fixtureClient, pushSession, session } from '../helpers/fixture-client.js';

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

async function setup(sessions: SessionSummary[] = [], options: Parameters<typeof fixtureClient>[0] = {}) {
  const { client, fake } = await fixtureClient({ sessions, ...options });
  const el = await fixture<ChatWindow>(html`<chat-window .client=${client}></chat-window>`);
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
      const select = root.querySelector('select')!;
      expect(select.value).to.equal('present');
      expect(root.querySelector(`label[for=${select.id}]`)!.textContent).to.equal('Status');
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
      const select = root.querySelector('select')!;
      select.value = 'away';
      select.dispatchEvent(new Event('change'));
      await until(() => fake.sent('presence').length === 1, 'presence sent');
      expect(fake.sent('presence')[0]!.status).to.equal('away');
      await el.updateComplete;
      expect(select.value).to.equal('away');
      expect(el.hasCustomState('away')).to.be.true;
    });

    it('shows and announces a status change that failed, and keeps the old status', async () => {
      const { el, root } = await setup([], { refuse: { presence: { code: 'internal', message: 'nope' } } });
      const select = root.querySelector('select')!;
      select.value = 'away';
      select.dispatchEvent(new Event('change'));
      await until(() => root.querySelector('[part=presence-error]') !== null, 'error shown');
      await el.updateComplete;
      expect(select.value).to.equal('present');
      expect(root.querySelector('[part=presence-error]')!.textContent).to.contain('could not be changed');
      await until(() => announcerText().assertive.includes('could not be changed'), 'announced');
    });

    it('provides its client to the elements inside it', async () => {
      const { root, client } = await setup();
      for (const tag of ['chat-dashboard', 'chat-session-list', 'chat-conversation', 'chat-connection-status']) {
        expect((root.querySelector(tag) as unknown as { client?: unknown }).client, tag).to.equal(client);
      }
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
