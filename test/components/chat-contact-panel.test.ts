import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

import '../../src/components/chat-contact-panel/chat-contact-panel.js';
import type { ChatContactPanel } from '../../src/components/chat-contact-panel/chat-contact-panel.js';
import { clearContactPanelStorage } from '../../src/components/chat-contact-panel/chat-contact-panel.js';
import { createMemoryCrmProvider, type MemoryCrmData, type MemoryCrmProvider } from '../../src/crm/memory-provider.js';
import type { CrmProvider } from '../../src/crm/types.js';
import { CrmError } from '../../src/crm/types.js';
import type { ChatContactLinkEvent } from '../../src/events/chat-contact-link-event.js';
import type { ChatContactOpenEvent } from '../../src/events/chat-contact-open-event.js';
import { ChatRequestCreateEvent } from '../../src/events/chat-request-create-event.js';
import { announcerText } from '../../src/internal/announcer.js';
import type { SessionSummary } from '../../src/protocol/index.js';
import type { ChatClient } from '../../src/state/index.js';
import { until } from '../helpers/chat-server.js';
import { fixtureClient, NOW, pushSession, session } from '../helpers/fixture-client.js';

const DAY = 86_400_000;
const HOSTILE = '"><img src=x onerror=window.__pwned=1>';

const KIM: SessionSummary = session({ id: 's1', customer: { name: 'Kim Andersson', email: 'kim.andersson@example.com', phone: '+46 70 123 45 67' } });
const NEW_CUSTOMER: SessionSummary = session({ id: 's2', customer: { name: 'Nora Lindgren', email: 'nora@lindgren-design.example' } });

function crmData(): MemoryCrmData {
  return {
    companies: [
      {
        id: 'co-1',
        name: 'Fjällvind Friluft AB',
        orgNo: '556712-4410',
        address: { street: 'Rådhusesplanaden 14', postalCode: '903 28', city: 'Umeå', country: 'SE' },
      },
      { id: 'co-2', name: 'Tindra Sport AS', orgNo: '912 345 678', address: { street: 'Storgata 5', postalCode: '9008', city: 'Tromsø', country: 'NO' } },
    ],
    contacts: [
      { id: 'pe-1', firstName: 'Kim', lastName: 'Andersson', title: 'Store manager', email: 'kim.andersson@example.com', phone: '+46701234567', companyId: 'co-1' },
      { id: 'pe-2', firstName: 'Maria', lastName: 'Holm', title: 'Purchasing manager', email: 'maria.holm@fjallvind.example', companyId: 'co-1' },
      { id: 'pe-3', firstName: 'Kim', lastName: 'Anderson', title: 'Buyer', email: 'kim@tindra.example', companyId: 'co-2' },
      { id: 'pe-4', firstName: 'Lone', lastName: 'Jensen', email: 'lone@jensen.example' },
    ],
    requests: [{ id: 'rq-1', number: '1042', title: 'Delivery of order 7781', status: 'open', createdAt: NOW - DAY, contactId: 'pe-1' }],
    sales: [{ id: 'sa-1', title: 'Winter collection 2027', amount: 240000, currency: 'SEK', stage: 'proposal', date: NOW + 30 * DAY, companyId: 'co-1' }],
    activities: [{ id: 'ac-1', type: 'call', title: 'Follow-up call', at: NOW - 2 * DAY, ownerName: 'Anna Lindqvist', contactId: 'pe-1', companyId: 'co-1' }],
    sessions: [
      { id: 's1', customer: KIM.customer, status: 'active', startedAt: NOW - 600_000 },
      { id: 's2', customer: NEW_CUSTOMER.customer, status: 'active', startedAt: NOW - 300_000 },
      {
        id: 'old-1',
        customer: { name: 'Kim Andersson' },
        status: 'ended',
        startedAt: NOW - 10 * DAY,
        endedAt: NOW - 10 * DAY + 600_000,
        agentName: 'Erik Johansson',
        channelName: 'Support',
        contactId: 'pe-1',
        messages: [
          { author: { kind: 'customer', name: 'Kim Andersson' }, kind: 'text', text: 'Where is order 7781?', at: NOW - 10 * DAY },
          { author: { kind: 'agent', name: 'Erik Johansson' }, kind: 'note', text: 'Checked the warehouse', at: NOW - 10 * DAY + 60_000 },
          { author: { kind: 'agent', name: 'Erik Johansson' }, kind: 'text', text: 'It ships today.', at: NOW - 10 * DAY + 120_000 },
        ],
      },
      { id: 'old-2', customer: { name: 'Kim' }, status: 'ended', startedAt: NOW - 20 * DAY, endedAt: NOW - 20 * DAY, agentName: 'Lars Nilsson', channelName: 'Sales', contactId: 'pe-1', readable: false },
    ],
  };
}

interface Setup {
  client: ChatClient;
  el: ChatContactPanel;
  root: ShadowRoot;
  provider: MemoryCrmProvider;
}

async function setup(options: { sessions?: SessionSummary[]; provider?: CrmProvider; memory?: MemoryCrmProvider; select?: string | undefined } = {}): Promise<Setup> {
  const memory = options.memory ?? createMemoryCrmProvider({ data: crmData(), now: () => NOW });
  const provider = options.provider ?? memory;
  const { client } = await fixtureClient({ sessions: options.sessions ?? [KIM, NEW_CUSTOMER] });
  if (!('select' in options) || options.select !== undefined) client.selectSession(options.select ?? 's1');
  const el = await fixture<ChatContactPanel>(html`<chat-contact-panel .client=${client} .provider=${provider}></chat-contact-panel>`);
  return { client, el, root: el.shadowRoot!, provider: memory };
}

const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** Waits until the panel shows `selector` (after async provider calls). */
async function shown(el: ChatContactPanel, selector: string, what = selector): Promise<HTMLElement> {
  await until(() => el.shadowRoot!.querySelector(selector) !== null, what);
  await el.updateComplete;
  return el.shadowRoot!.querySelector<HTMLElement>(selector)!;
}

const buttonByText = (root: ParentNode, label: string | RegExp) =>
  [...root.querySelectorAll<HTMLButtonElement>('button')].find((b) => (typeof label === 'string' ? text(b) === label : label.test(text(b))));

/** A provider whose calls wait until released (for the loading states). */
function gated(base: CrmProvider): { provider: CrmProvider; release: () => void; signals: AbortSignal[] } {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const signals: AbortSignal[] = [];
  const provider = new Proxy(base, {
    get(target, key: keyof CrmProvider) {
      const fn = target[key] as unknown;
      // Only the provider's methods (Lit also looks for its own markers on bound values).
      if (typeof fn !== 'function') return fn;
      return async (...args: unknown[]) => {
        const signal = args.at(-1);
        if (signal instanceof AbortSignal) signals.push(signal);
        await gate;
        return (fn as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
  return { provider, release: open, signals };
}

/** A provider where `method` fails `times` times with `error`. */
function failing(base: CrmProvider, method: keyof CrmProvider, error: Error, times = 1): CrmProvider {
  let left = times;
  return new Proxy(base, {
    get(target, key: keyof CrmProvider) {
      const fn = target[key] as unknown;
      if (typeof fn !== 'function') return fn;
      return (...args: unknown[]) => {
        if (key === method && left > 0) {
          left -= 1;
          return Promise.reject(error);
        }
        return (fn as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
}

beforeEach(() => {
  clearContactPanelStorage();
});

describe('chat-contact-panel', () => {
  describe('rendering', () => {
    it('asks for a chat when none is selected', async () => {
      const { el, root } = await setup({ select: undefined });
      expect(text(root.querySelector('[part=empty]'))).to.equal('No chat is selected. Pick a chat to see the customer in the CRM.');
      expect(el.hasCustomState('empty')).to.be.true;
    });

    it('says so when no CRM is connected', async () => {
      const { client } = await fixtureClient({ sessions: [KIM] });
      client.selectSession('s1');
      const el = await fixture<ChatContactPanel>(html`<chat-contact-panel .client=${client}></chat-contact-panel>`);
      expect(text(el.shadowRoot!.querySelector('[part=empty]'))).to.equal('No CRM is connected.');
    });

    it('shows a loading skeleton while the chat’s link loads', async () => {
      const g = gated(createMemoryCrmProvider({ data: crmData() }));
      const { el, root } = await setup({ provider: g.provider });
      const skeleton = root.querySelector('[part=skeleton]')!;
      expect(skeleton.getAttribute('aria-busy')).to.equal('true');
      expect(text(skeleton)).to.equal('Loading…');
      expect(el.hasCustomState('loading')).to.be.true;
      g.release();
      await shown(el, '[part=matches]');
      expect(el.hasCustomState('loading')).to.be.false;
    });

    it('lists the possible contacts with the reason for each, best first', async () => {
      const { el, root } = await setup();
      const list = await shown(el, '[part=matches]');
      expect(text(root.querySelector('#matches-heading'))).to.equal('This contact could be…');
      const items = [...list.querySelectorAll('[part=item]')];
      expect(items.map((i) => text(i.querySelector('.name')))).to.deep.equal(['Kim Andersson', 'Kim Anderson']);
      expect([...items[0]!.querySelectorAll('[part=reason]')].map(text)).to.deep.equal(['Same e-mail', 'Same phone', 'Similar name']);
      expect([...items[1]!.querySelectorAll('[part=reason]')].map(text)).to.deep.equal(['Similar name']);
      expect(text(items[0]!.querySelector('.meta'))).to.equal('Store manager · Fjällvind Friluft AB');
      await until(() => [...items[0]!.querySelectorAll('.meta')].map(text).includes('+46 70 123 45 67'), 'phone grouped (libphonenumber-js loaded)');
      expect(text(root.querySelector('[part=customer]'))).to.contain('kim.andersson@example.com');
      expect(el.hasCustomState('matches')).to.be.true;
    });

    it('says when nothing matches, and still offers search and a new contact', async () => {
      const { el, root } = await setup({ select: 's2' });
      await shown(el, '#matches-heading + [part=empty]');
      expect(text(root.querySelector('#matches-heading + [part=empty]'))).to.equal('No contact in the CRM matches this customer.');
      expect(root.querySelector('[part=search-input]')).to.not.equal(null);
      expect(text(root.querySelector('[part=create-button]'))).to.equal('Create new contact');
    });

    it('shows the linked contact’s card with requests, sales, activities and earlier chats', async () => {
      const memory = createMemoryCrmProvider({ data: crmData(), now: () => NOW });
      await memory.linkSession('s1', 'pe-1');
      const { el, root } = await setup({ memory });
      const card = await shown(el, '[part=card]');
      await until(() => root.querySelectorAll('.section [part=skeleton]').length === 0, 'sections loaded');
      await el.updateComplete;
      expect(text(card.querySelector('[part=card-name]'))).to.equal('Kim Andersson');
      expect(text(card)).to.contain('Store manager · Fjällvind Friluft AB');
      expect(text(card)).to.contain('kim.andersson@example.com');
      const phone = card.querySelector<HTMLAnchorElement>('a.phone')!;
      // Grouped as written in Sweden once libphonenumber-js (a lazy chunk) has loaded.
      await until(() => text(phone) === '+46 70 123 45 67', 'phone grouped as written in Sweden');
      expect(phone.getAttribute('href')).to.equal('tel:+46701234567');
      expect(text(card)).to.contain('Rådhusesplanaden 14 903 28 Umeå');
      const section = (key: string) => root.querySelector(`[part~=section--${key}]`)!;
      expect(text(section('requests'))).to.contain('#1042 Delivery of order 7781');
      expect(text(section('requests'))).to.contain('Open');
      expect(text(section('sales'))).to.match(/Winter collection 2027.*240,000.*Proposal/);
      expect(text(section('activities'))).to.contain('Call: Follow-up call');
      expect(text(section('activities'))).to.contain('Anna Lindqvist');
      const chats = section('chats');
      expect(text(chats.querySelector('h4'))).to.equal('Earlier chats (2)');
      expect(text(chats)).to.contain('Support · Erik Johansson · Ended');
      expect(text(chats)).to.contain('You may not read this chat.');
      expect(chats.querySelectorAll('.transcript-button')).to.have.length(1);
      expect(el.hasCustomState('linked')).to.be.true;
    });

    it('shows empty sections for a contact without records', async () => {
      const memory = createMemoryCrmProvider({ data: crmData() });
      await memory.linkSession('s1', 'pe-4');
      const { el, root } = await setup({ memory });
      await shown(el, '[part~=section--requests] [part=empty]');
      await until(() => root.querySelectorAll('.section [part=empty]').length === 4, 'all sections empty');
      expect([...root.querySelectorAll('.section [part=empty]')].map(text)).to.deep.equal(['No requests.', 'No sales.', 'No activities.', 'No earlier chats.']);
    });

    it('shows an error with Retry when the CRM cannot be reached, and recovers', async () => {
      const memory = createMemoryCrmProvider({ data: crmData() });
      const provider = failing(memory, 'getSessionLink', new CrmError('unavailable', 'down'));
      const { el, root } = await setup({ provider, memory });
      const error = await shown(el, '[part=error]');
      expect(text(error.querySelector('.error-text'))).to.equal('The CRM could not be reached. Check the connection and try again.');
      expect(el.hasCustomState('error')).to.be.true;
      error.querySelector<HTMLButtonElement>('[part=retry]')!.click();
      await shown(el, '[part=matches]');
      expect(root.querySelector('[part=error]')).to.equal(null);
      expect(el.hasCustomState('error')).to.be.false;
    });

    it('retries one failed section on its own', async () => {
      const memory = createMemoryCrmProvider({ data: crmData() });
      await memory.linkSession('s1', 'pe-1');
      const provider = failing(memory, 'listSales', new TypeError('Failed to fetch'));
      const { el, root } = await setup({ provider, memory });
      const error = await shown(el, '[part~=section--sales] [part=error]');
      expect(root.querySelector('[part~=section--requests] [part=error]')).to.equal(null);
      error.querySelector<HTMLButtonElement>('[part=retry]')!.click();
      await shown(el, '[part~=section--sales] .row');
      expect(text(root.querySelector('[part~=section--sales]'))).to.contain('Winter collection 2027');
    });

    it('renders hostile contact fields literally and never runs them', async () => {
      const data = crmData();
      data.companies!.push({ id: 'co-x', name: HOSTILE, address: { street: HOSTILE, postalCode: HOSTILE, city: HOSTILE, country: 'SE' } });
      data.contacts!.push({ id: 'pe-x', firstName: HOSTILE, lastName: 'Andersson', title: HOSTILE, email: HOSTILE, phone: HOSTILE, companyId: 'co-x' });
      data.requests!.push({ id: 'rq-x', number: HOSTILE, title: HOSTILE, status: 'open', createdAt: NOW, contactId: 'pe-x' });
      data.sales!.push({ id: 'sa-x', title: HOSTILE, amount: 1, currency: HOSTILE, stage: 'won', date: NOW, contactId: 'pe-x' });
      data.activities!.push({ id: 'ac-x', type: 'chat', title: HOSTILE, text: HOSTILE, at: NOW, ownerName: HOSTILE, contactId: 'pe-x' });
      data.sessions!.push({ id: 'old-x', customer: { name: HOSTILE }, status: 'ended', startedAt: NOW - DAY, agentName: HOSTILE, channelName: HOSTILE, contactId: 'pe-x', messages: [{ author: { kind: 'customer', name: HOSTILE }, kind: 'text', text: HOSTILE, at: NOW }] });
      const memory = createMemoryCrmProvider({ data });
      const hostileSession = session({ id: 's1', customer: { name: `${HOSTILE} Andersson`, email: HOSTILE, phone: HOSTILE } });
      // Unlinked first: the customer box, the match list and the search results.
      const { el, root } = await setup({ memory, sessions: [hostileSession] });
      await shown(el, '[part=matches]');
      expect(text(root.querySelector('[part=customer]'))).to.contain(HOSTILE);
      expect(text(root.querySelector('[part=matches]'))).to.contain(HOSTILE);
      const search = root.querySelector<HTMLInputElement>('[part=search-input]')!;
      search.value = 'andersson';
      search.dispatchEvent(new Event('input'));
      await shown(el, '[aria-label="Search results"] [part=item]');
      // Then linked: the card, every section and the transcript.
      await memory.linkSession('s1', 'pe-x');
      el.provider = createMemoryCrmProvider({ data: { ...data, sessions: [...data.sessions!.map((s) => (s.id === 's1' ? { ...s, contactId: 'pe-x' } : s))] } });
      const card = await shown(el, '[part=card]');
      await shown(el, '[part~=section--chats] .transcript-button');
      expect(text(card.querySelector('[part=card-name]'))).to.equal(`${HOSTILE} Andersson`);
      expect(text(card)).to.contain(`${HOSTILE} · ${HOSTILE}`);
      expect(text(root.querySelector('[part~=section--sales]'))).to.contain(HOSTILE);
      expect(text(root.querySelector('[part~=section--activities]'))).to.contain(HOSTILE);
      root.querySelector<HTMLButtonElement>('[part~=section--chats] .transcript-button')!.click();
      await shown(el, 'dialog .message');
      expect(text(root.querySelector('dialog .message .text'))).to.equal(HOSTILE);
      expect(root.querySelector('img')).to.equal(null);
      expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
      root.querySelector('dialog')!.close();
    });
  });

  describe('accessibility', () => {
    const linkedSetup = async () => {
      const memory = createMemoryCrmProvider({ data: crmData(), now: () => NOW });
      await memory.linkSession('s1', 'pe-1');
      const s = await setup({ memory });
      await shown(s.el, '[part~=section--chats] .row');
      await until(() => s.root.querySelectorAll('.section [part=skeleton]').length === 0, 'sections loaded');
      return s;
    };

    it('is accessible with no chat selected', async () => {
      const { el } = await setup({ select: undefined });
      await expect(el).to.be.accessible();
    });

    it('is accessible while loading', async () => {
      const g = gated(createMemoryCrmProvider({ data: crmData() }));
      const { el } = await setup({ provider: g.provider });
      await expect(el).to.be.accessible();
      g.release();
    });

    it('is accessible with matches', async () => {
      const { el } = await setup();
      await shown(el, '[part=matches]');
      await expect(el).to.be.accessible();
    });

    it('is accessible with no matches, favourites and recent contacts', async () => {
      localStorage.setItem('crm-chat-elements:contacts:demo:ann', JSON.stringify({ recent: [{ id: 'pe-2', name: 'Maria Holm' }], favourites: [{ id: 'pe-1', name: 'Kim Andersson', company: 'Fjällvind Friluft AB' }] }));
      const { el } = await setup({ select: 's2' });
      await shown(el, '#favourites-heading');
      await expect(el).to.be.accessible();
    });

    it('is accessible with the linked card and its sections', async () => {
      const { el } = await linkedSetup();
      await expect(el).to.be.accessible();
    });

    it('is accessible with the create form, its errors and the duplicate warning', async () => {
      const { el, root } = await setup();
      (await shown(el, '[part=create-button]')).click();
      const form = await shown(el, '[part=form]');
      await expect(el).to.be.accessible();
      const first = root.querySelector<HTMLInputElement>('#f-first')!;
      first.value = '';
      first.dispatchEvent(new Event('input'));
      buttonByText(form, 'Create and link')!.click();
      await shown(el, '#f-first-error');
      await shown(el, '[part=duplicate-warning]');
      await expect(el).to.be.accessible();
    });

    it('is accessible with an error and Retry', async () => {
      const memory = createMemoryCrmProvider({ data: crmData() });
      const { el } = await setup({ provider: failing(memory, 'getSessionLink', new CrmError('unavailable', 'down')), memory });
      await shown(el, '[part=retry]');
      await expect(el).to.be.accessible();
    });

    it('is accessible with the transcript dialog open', async () => {
      const { el, root } = await linkedSetup();
      root.querySelector<HTMLButtonElement>('[part~=section--chats] .transcript-button')!.click();
      await shown(el, 'dialog .message');
      await expect(el).to.be.accessible();
      root.querySelector('dialog')!.close();
    });
  });

  describe('keyboard', () => {
    it('type to search, Tab to the result’s Link, Enter links it', async () => {
      const { el, root } = await setup({ select: 's2' });
      const input = await shown(el, '[part=search-input]');
      input.focus();
      await sendKeys({ type: 'maria' });
      await shown(el, '[aria-label="Search results"] [part=link-button]');
      await sendKeys({ press: 'Tab' });
      expect(text(root.activeElement)).to.equal('Link Maria Holm, Fjällvind Friluft AB');
      const event = oneEvent<ChatContactLinkEvent>(el, 'chat-contact-link');
      await sendKeys({ press: 'Enter' });
      expect((await event).detail.contactId).to.equal('pe-2');
      await shown(el, '[part=card]');
      expect(root.activeElement?.id).to.equal('card-heading');
    });

    it('Enter in a form field submits the form (and shows its errors)', async () => {
      const { el, root } = await setup({ select: 's2' });
      (await shown(el, '[part=create-button]')).click();
      await shown(el, '#f-first');
      await sendKeys({ press: 'Enter' });
      await shown(el, '#f-company-search-error');
      expect(root.activeElement?.id).to.equal('f-company-search');
    });
  });

  describe('events', () => {
    it('links a match with one click: chat-contact-link, the card, focus on it, an announcement', async () => {
      const { el, root, provider } = await setup();
      await shown(el, '[part=matches]');
      const button = root.querySelector<HTMLButtonElement>('[part=matches] [part=link-button]')!;
      expect(text(button)).to.equal('Link Kim Andersson, Fjällvind Friluft AB');
      const event = oneEvent<ChatContactLinkEvent>(el, 'chat-contact-link');
      button.click();
      const e = await event;
      expect(e.detail).to.deep.equal({ sessionId: 's1', contactId: 'pe-1' });
      expect(e.bubbles && e.composed).to.be.true;
      await shown(el, '[part=card]');
      expect(provider.sessions.get('s1')?.contactId).to.equal('pe-1');
      expect(root.activeElement?.id).to.equal('card-heading');
      await until(() => announcerText().polite.includes('Kim Andersson is linked to this chat.'), 'announced');
    });

    it('shows why a link failed and keeps the list', async () => {
      const memory = createMemoryCrmProvider({ data: crmData() });
      const { el, root } = await setup({ memory, provider: failing(memory, 'linkSession', new CrmError('forbidden', 'no')) });
      await shown(el, '[part=matches]');
      root.querySelector<HTMLButtonElement>('[part=link-button]')!.click();
      const error = await shown(el, '[role=alert]');
      expect(text(error)).to.equal('Kim Andersson could not be linked: You are not allowed to do this in the CRM.');
      expect(root.querySelector('[part=matches]')).to.not.equal(null);
    });

    it('"Open in CRM" fires a cancelable chat-contact-open with the contact', async () => {
      const memory = createMemoryCrmProvider({ data: crmData() });
      await memory.linkSession('s1', 'pe-1');
      const { el } = await setup({ memory });
      const card = await shown(el, '[part=card]');
      const event = oneEvent<ChatContactOpenEvent>(el, 'chat-contact-open');
      card.querySelector<HTMLButtonElement>('[part=open-button]')!.click();
      const e = await event;
      expect(e.detail).to.deep.equal({ contactId: 'pe-1' });
      expect(e.cancelable).to.be.true;
    });

    it('"Change contact" relinks the chat to another contact', async () => {
      const memory = createMemoryCrmProvider({ data: crmData() });
      await memory.linkSession('s1', 'pe-1');
      const { el, root } = await setup({ memory });
      const card = await shown(el, '[part=card]');
      card.querySelector<HTMLButtonElement>('[part=change-button]')!.click();
      await shown(el, '[part=matches]');
      expect(root.activeElement?.id).to.equal('matches-heading');
      // The linked contact is marked, the other one can be linked.
      const items = [...root.querySelectorAll('[part=matches] [part=item]')];
      expect(text(items[0]!.querySelector('.current'))).to.equal('Linked');
      const event = oneEvent<ChatContactLinkEvent>(el, 'chat-contact-link');
      items[1]!.querySelector<HTMLButtonElement>('[part=link-button]')!.click();
      expect((await event).detail.contactId).to.equal('pe-3');
      await shown(el, '[part=card]');
      expect(text(root.querySelector('[part=card-name]'))).to.equal('Kim Anderson');
    });

    it('"Cancel" goes back to the card', async () => {
      const memory = createMemoryCrmProvider({ data: crmData() });
      await memory.linkSession('s1', 'pe-1');
      const { el, root } = await setup({ memory });
      (await shown(el, '[part=change-button]')).click();
      await shown(el, '[part=matches]');
      buttonByText(root, 'Cancel')!.click();
      await shown(el, '[part=card]');
      expect(root.activeElement?.id).to.equal('change-button');
    });
  });

  describe('search, recent contacts and favourites', () => {
    it('searches another contact and links it', async () => {
      const { el, root } = await setup({ select: 's2' });
      const input = await shown(el, '[part=search-input]');
      input.focus();
      await sendKeys({ type: 'holm' });
      const result = await shown(el, '[aria-label="Search results"] [part=item]');
      expect(text(result.querySelector('.name'))).to.equal('Maria Holm');
      await until(() => announcerText().polite.includes('1 contact found.'), 'result count announced');
      result.querySelector<HTMLButtonElement>('[part=link-button]')!.click();
      await shown(el, '[part=card]');
      expect(text(root.querySelector('[part=card-name]'))).to.equal('Maria Holm');
    });

    it('says when the search finds nothing', async () => {
      const { el, root } = await setup({ select: 's2' });
      const input = await shown(el, '[part=search-input]');
      input.focus();
      await sendKeys({ type: 'zzzz' });
      await shown(el, '[part=search] [part=empty]');
      expect(text(root.querySelector('[part=search] [part=empty]'))).to.equal('No contacts found.');
    });

    it('remembers linked contacts and favourites per agent, and offers them before searching', async () => {
      const first = await setup();
      await shown(first.el, '[part=matches]');
      const star = first.root.querySelector<HTMLButtonElement>('[part=matches] [part~=favourite-button]')!;
      expect(star.getAttribute('aria-label')).to.equal('Add Kim Andersson, Fjällvind Friluft AB to favourites');
      expect(star.getAttribute('aria-pressed')).to.equal('false');
      star.click();
      await first.el.updateComplete;
      expect(star.getAttribute('aria-pressed')).to.equal('true');
      first.root.querySelectorAll<HTMLButtonElement>('[part=matches] [part=link-button]')[1]!.click();
      await shown(first.el, '[part=card]');
      // Another chat, another panel: the lists are there.
      const second = await setup({ select: 's2' });
      await shown(second.el, '#favourites-heading');
      const favourites = second.root.querySelector('[aria-labelledby=favourites-heading]')!;
      const recent = second.root.querySelector('[aria-labelledby=recent-heading]')!;
      expect([...favourites.querySelectorAll('.name')].map(text)).to.deep.equal(['Kim Andersson']);
      expect([...recent.querySelectorAll('.name')].map(text)).to.deep.equal(['Kim Anderson']);
      expect(localStorage.getItem('crm-chat-elements:contacts:demo:ann')).to.contain('pe-3');
      clearContactPanelStorage();
      expect(localStorage.getItem('crm-chat-elements:contacts:demo:ann')).to.equal(null);
    });
  });

  describe('create form', () => {
    async function openForm(s: Setup) {
      (await shown(s.el, '[part=create-button]')).click();
      return shown(s.el, '[part=form]');
    }

    it('is prefilled from the chat and focuses the first field', async () => {
      const s = await setup({ select: 's2' });
      await shown(s.el, '#matches-heading');
      await openForm(s);
      const value = (id: string) => s.root.querySelector<HTMLInputElement>(`#${id}`)!.value;
      expect([value('f-first'), value('f-last'), value('f-email')]).to.deep.equal(['Nora', 'Lindgren', 'nora@lindgren-design.example']);
      expect(s.root.activeElement?.id).to.equal('f-first');
      expect(s.el.hasCustomState('create')).to.be.true;
    });

    it('shows errors next to the fields and focuses the first one', async () => {
      const s = await setup({ select: 's2' });
      const form = await openForm(s);
      const set = (id: string, v: string) => {
        const input = s.root.querySelector<HTMLInputElement>(`#${id}`)!;
        input.value = v;
        input.dispatchEvent(new Event('input'));
      };
      set('f-first', '');
      set('f-email', 'nora@');
      set('f-phone', 'call me');
      buttonByText(form, 'Create and link')!.click();
      await s.el.updateComplete;
      const first = s.root.querySelector<HTMLInputElement>('#f-first')!;
      expect(first.getAttribute('aria-invalid')).to.equal('true');
      expect(text(s.root.getElementById(first.getAttribute('aria-describedby')!))).to.equal('! Enter a first name.');
      expect(text(s.root.querySelector('#f-email-error'))).to.equal('! Enter an e-mail address like name@example.com.');
      expect(text(s.root.querySelector('#f-phone-error'))).to.equal('! Enter a phone number like +46 70 123 45 67.');
      expect(text(s.root.querySelector('#f-company-search-error'))).to.equal('! Pick a company from the list, or choose New company.');
      expect(s.root.activeElement).to.equal(first);
      await until(() => announcerText().assertive.includes('The form has 4 errors.'), 'errors announced');
      // Typing clears the field's error.
      set('f-first', 'Nora');
      await s.el.updateComplete;
      expect(s.root.querySelector('#f-first-error')).to.equal(null);
    });

    it('warns about a possible duplicate and offers to link it instead', async () => {
      const s = await setup();
      await shown(s.el, '[part=matches]');
      await openForm(s);
      const warning = await shown(s.el, '[part=duplicate-warning]');
      expect(text(warning)).to.contain('Possible duplicate: this contact may already be in the CRM.');
      expect(text(warning.querySelector('.name'))).to.equal('Kim Andersson');
      expect([...warning.querySelectorAll('[part=reason]')].map(text)).to.include('Same e-mail');
      const event = oneEvent<ChatContactLinkEvent>(s.el, 'chat-contact-link');
      warning.querySelector<HTMLButtonElement>('[part=link-button]')!.click();
      expect((await event).detail.contactId).to.equal('pe-1');
    });

    it('creates a contact with a new company and links it', async () => {
      const s = await setup({ select: 's2' });
      const form = await openForm(s);
      s.root.querySelectorAll<HTMLInputElement>('input[name=company-mode]')[1]!.click();
      await s.el.updateComplete;
      const name = s.root.querySelector<HTMLInputElement>('#f-company-name')!;
      name.value = 'Lindgren Design AB';
      name.dispatchEvent(new Event('input'));
      const org = s.root.querySelector<HTMLInputElement>('#f-company-org')!;
      org.value = '559123-4567';
      org.dispatchEvent(new Event('input'));
      const event = oneEvent<ChatContactLinkEvent>(s.el, 'chat-contact-link');
      buttonByText(form, 'Create and link')!.click();
      const { detail } = await event;
      const contact = s.provider.contacts.find((c) => c.id === detail.contactId)!;
      expect([contact.firstName, contact.lastName, contact.email]).to.deep.equal(['Nora', 'Lindgren', 'nora@lindgren-design.example']);
      expect(s.provider.companies.find((c) => c.id === contact.companyId)?.name).to.equal('Lindgren Design AB');
      expect(s.provider.sessions.get('s2')?.contactId).to.equal(contact.id);
      const card = await shown(s.el, '[part=card]');
      expect(text(card)).to.contain('Lindgren Design AB');
    });

    it('picks an existing company by search', async () => {
      const s = await setup({ select: 's2' });
      const form = await openForm(s);
      const search = s.root.querySelector<HTMLInputElement>('#f-company-search')!;
      // Starred as required, and marked so for assistive technology too.
      expect(search.getAttribute('aria-required')).to.equal('true');
      search.focus();
      await sendKeys({ type: 'tromsø' });
      const pick = await shown(s.el, '.companies .pick');
      expect(text(pick)).to.equal('Tindra Sport AS 912 345 678 · Tromsø');
      pick.click();
      await shown(s.el, '.picked');
      expect(text(s.root.querySelector('.picked'))).to.contain('Company: Tindra Sport AS (Tromsø)');
      expect(s.root.activeElement?.id).to.equal('company-change');
      buttonByText(form, 'Create and link')!.click();
      await shown(s.el, '[part=card]');
      expect(text(s.root.querySelector('[part=card]'))).to.contain('Tindra Sport AS');
    });

    it('shows the CRM’s field errors (org. no. taken) next to the field', async () => {
      const s = await setup({ select: 's2' });
      const form = await openForm(s);
      s.root.querySelectorAll<HTMLInputElement>('input[name=company-mode]')[1]!.click();
      await s.el.updateComplete;
      for (const [id, v] of [
        ['f-company-name', 'Copy AB'],
        ['f-company-org', '556712-4410'],
      ] as const) {
        const input = s.root.querySelector<HTMLInputElement>(`#${id}`)!;
        input.value = v;
        input.dispatchEvent(new Event('input'));
      }
      buttonByText(form, 'Create and link')!.click();
      await shown(s.el, '#f-company-org-error');
      expect(text(s.root.querySelector('#f-company-org-error'))).to.equal('! A company with this org. no. is already in the CRM.');
      expect(s.root.activeElement?.id).to.equal('f-company-org');
    });

    it('"Cancel" closes the form and returns focus', async () => {
      const s = await setup({ select: 's2' });
      const form = await openForm(s);
      buttonByText(form, 'Cancel')!.click();
      await shown(s.el, '[part=matches], #matches-heading');
      expect(s.root.activeElement?.id).to.equal('create-button');
    });
  });

  describe('earlier chats', () => {
    it('opens a readable transcript read-only in a dialog; Escape closes it and focus returns', async () => {
      const memory = createMemoryCrmProvider({ data: crmData() });
      await memory.linkSession('s1', 'pe-1');
      const { el, root } = await setup({ memory });
      const button = await shown(el, '.transcript-button');
      expect(button.getAttribute('aria-label')).to.match(/^Show transcript of the chat on /);
      button.focus();
      button.click();
      const dialog = root.querySelector('dialog')!;
      await shown(el, 'dialog .message');
      expect(dialog.open).to.be.true;
      const messages = [...dialog.querySelectorAll('.message')];
      expect(messages.map((m) => text(m.querySelector('.text')))).to.deep.equal(['Where is order 7781?', 'Checked the warehouse', 'It ships today.']);
      expect(text(messages[1]!.querySelector('.meta'))).to.contain('Internal note');
      expect(dialog.querySelector('textarea, input')).to.equal(null);
      await sendKeys({ press: 'Escape' });
      await until(() => !dialog.open, 'dialog closed');
      await el.updateComplete;
      expect(root.activeElement).to.equal(button);
    });
  });

  describe('requests', () => {
    it('loads the requests again when a request is created from the chat for the linked contact', async () => {
      const memory = createMemoryCrmProvider({ data: crmData(), now: () => NOW });
      await memory.linkSession('s1', 'pe-1');
      const { el, root } = await setup({ memory });
      await shown(el, '[part~=section--requests]');
      const rows = () => root.querySelectorAll('[part~=section--requests] .row').length;
      await until(() => rows() > 0 || root.querySelector('[part~=section--requests] [part=empty]') !== null, 'the requests loaded');
      const before = rows();
      // "Create request" in the conversation beside the panel: the CRM has it, the conversation says so.
      const request = await memory.createRequest({ title: 'Broken tent pole', sessionId: 's1', contactId: 'pe-1', attachTranscript: false });
      const conversation = document.createElement('div');
      document.body.append(conversation);
      conversation.dispatchEvent(new ChatRequestCreateEvent({ sessionId: 's1', requestId: request.id, number: request.number, contactId: 'pe-1' }));
      await until(() => rows() === before + 1, 'the new request listed');
      expect(text(root.querySelector('[part~=section--requests]'))).to.include('Broken tent pole');
      // One for another contact changes nothing.
      conversation.dispatchEvent(new ChatRequestCreateEvent({ sessionId: 's9', requestId: 'x', number: '9', contactId: 'pe-9' }));
      await el.updateComplete;
      expect(rows()).to.equal(before + 1);
      conversation.remove();
      await expect(el).to.be.accessible();
    });
  });

  describe('activities', () => {
    it('loads the activities and chats again when the shown chat ends (the CRM has recorded it)', async () => {
      const memory = createMemoryCrmProvider({ data: crmData(), now: () => NOW });
      await memory.linkSession('s1', 'pe-1');
      const memoryFake = await fixtureClient({ sessions: [KIM] });
      memoryFake.client.selectSession('s1');
      const el = await fixture<ChatContactPanel>(html`<chat-contact-panel .client=${memoryFake.client} .provider=${memory}></chat-contact-panel>`);
      const rows = () => [...el.shadowRoot!.querySelectorAll('[part~=section--activities] .row')].map((r) => text(r));
      await until(() => rows().length === 1, 'the one activity');
      // The chat ends: the CRM records it as an activity (as the chat server's CRM hook does).
      memory.endSession('s1', NOW + 60_000);
      pushSession(memoryFake.fake, 1, { ...KIM, status: 'ended', endedAt: NOW + 60_000 });
      await until(() => rows().length === 2, 'the ended chat listed as an activity');
      expect(rows().some((r) => r.includes('Chat with Kim Andersson'))).to.be.true;
    });

    it('a finished chat is a "Chat" activity that opens its transcript when the agent may read it', async () => {
      const data = crmData();
      data.activities!.push(
        { id: 'ac-chat', type: 'chat', title: 'Chat', text: 'Chat with Kim Andersson (Support)', at: NOW - 10 * DAY, sessionId: 'old-1', contactId: 'pe-1' },
        { id: 'ac-hidden', type: 'chat', title: 'Chat', text: 'Chat with Kim (Sales)', at: NOW - 20 * DAY, sessionId: 'old-2', contactId: 'pe-1' },
      );
      const memory = createMemoryCrmProvider({ data });
      await memory.linkSession('s1', 'pe-1');
      const { el, root } = await setup({ memory });
      await shown(el, '[part~=section--activities] .transcript-button');
      const rows = [...root.querySelectorAll('[part~=section--activities] .row')];
      const chatRow = rows.find((r) => text(r).includes('(Support)'))!;
      expect(text(chatRow.querySelector('.row-title'))).to.equal('Chat');
      expect(rows.find((r) => text(r).includes('(Sales)'))!.querySelector('.transcript-button')).to.equal(null);
      chatRow.querySelector<HTMLButtonElement>('.transcript-button')!.click();
      await shown(el, 'dialog .message');
      expect(text(root.querySelector('dialog .message .text'))).to.equal('Where is order 7781?');
      root.querySelector('dialog')!.close();
    });
  });

  describe('store integration', () => {
    it('follows the selected chat and aborts what the previous one was loading', async () => {
      const g = gated(createMemoryCrmProvider({ data: crmData() }));
      const { el, client, root } = await setup({ provider: g.provider });
      await until(() => g.signals.length > 0, 'first call');
      const first = g.signals[0]!;
      client.selectSession('s2');
      await el.updateComplete;
      expect(first.aborted).to.be.true;
      g.release();
      await shown(el, '#matches-heading + [part=empty]');
      expect(text(root.querySelector('[part=customer]'))).to.contain('Nora Lindgren');
    });

    it('takes the chat from session-id instead of the selection', async () => {
      const { client } = await fixtureClient({ sessions: [KIM, NEW_CUSTOMER] });
      client.selectSession('s1');
      const provider = createMemoryCrmProvider({ data: crmData() });
      const el = await fixture<ChatContactPanel>(html`<chat-contact-panel session-id="s2" .client=${client} .provider=${provider}></chat-contact-panel>`);
      await shown(el, '[part=customer]');
      expect(text(el.shadowRoot!.querySelector('[part=customer]'))).to.contain('Nora Lindgren');
    });
  });

  describe('theming', () => {
    it('exposes its parts and custom states', async () => {
      const memory = createMemoryCrmProvider({ data: crmData() });
      await memory.linkSession('s1', 'pe-1');
      const { el, root } = await setup({ memory });
      await shown(el, '[part~=section--chats] .row');
      for (const part of ['base', 'heading', 'card', 'card-name', 'open-button', 'change-button', 'favourite-button', 'section', 'transcript']) {
        expect(root.querySelector(`[part~=${part}]`), part).to.not.equal(null);
      }
      expect(getComputedStyle(el).display).to.equal('block');
      expect(el.hasCustomState('linked')).to.be.true;
      expect(el.hasCustomState('matches')).to.be.false;
    });
  });
});
