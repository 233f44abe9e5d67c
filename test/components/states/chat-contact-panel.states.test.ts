/**
 * chat-contact-panel: its states, in the light and the dark theme (test/helpers/a11y-states.ts):
 * no chat, loading, matches, no match with favourites and recent contacts, search results and an
 * empty search, the create form with its errors and the duplicate warning, the linked card with
 * its sections and the transcript dialog, and an error with Retry.
 */
import { fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

import '../../../src/components/chat-contact-panel/chat-contact-panel.js';
import type { ChatContactPanel } from '../../../src/components/chat-contact-panel/chat-contact-panel.js';
import { createMemoryCrmProvider, type MemoryCrmData } from '../../../src/crm/memory-provider.js';
import { CrmError, type CrmProvider } from '../../../src/crm/types.js';
import type { SessionSummary } from '../../../src/protocol/index.js';
import { auditStates, type Shown } from '../../helpers/a11y-states.js';
import { until } from '../../helpers/chat-server.js';
import { fixtureClient, NOW, session } from '../../helpers/fixture-client.js';

const DAY = 86_400_000;
const KIM: SessionSummary = session({ id: 's1', customer: { name: 'Kim Andersson', email: 'kim.andersson@example.com', phone: '+46 70 123 45 67' } });
const NORA: SessionSummary = session({ id: 's2', customer: { name: 'Nora Lindgren', email: 'nora@lindgren-design.example' } });

function data(): MemoryCrmData {
  return {
    companies: [{ id: 'co-1', name: 'Fjällvind Friluft AB', orgNo: '556712-4410', address: { street: 'Rådhusesplanaden 14', postalCode: '903 28', city: 'Umeå', country: 'SE' } }],
    contacts: [
      { id: 'pe-1', firstName: 'Kim', lastName: 'Andersson', title: 'Store manager', email: 'kim.andersson@example.com', phone: '+46701234567', companyId: 'co-1' },
      { id: 'pe-2', firstName: 'Maria', lastName: 'Holm', title: 'Purchasing manager', email: 'maria.holm@fjallvind.example', companyId: 'co-1' },
      { id: 'pe-3', firstName: 'Kim', lastName: 'Anderson', title: 'Buyer', email: 'kim@tindra.example' },
    ],
    requests: [{ id: 'rq-1', number: '1042', title: 'Delivery of order 7781', status: 'open', createdAt: NOW - DAY, contactId: 'pe-1' }],
    sales: [{ id: 'sa-1', title: 'Winter collection 2027', amount: 240000, currency: 'SEK', stage: 'proposal', date: NOW + 30 * DAY, companyId: 'co-1' }],
    activities: [{ id: 'ac-1', type: 'call', title: 'Follow-up call', at: NOW - 2 * DAY, ownerName: 'Anna Lindqvist', contactId: 'pe-1', companyId: 'co-1' }],
    sessions: [
      { id: 's1', customer: KIM.customer, status: 'active', startedAt: NOW - 600_000 },
      { id: 's2', customer: NORA.customer, status: 'active', startedAt: NOW - 300_000 },
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
    ],
  };
}

type Panel = Shown & { el: ChatContactPanel };

async function mount(options: { select?: string | null; provider?: CrmProvider; link?: boolean } = {}): Promise<Panel> {
  const memory = createMemoryCrmProvider({ data: data(), now: () => NOW });
  if (options.link) await memory.linkSession('s1', 'pe-1');
  const { client } = await fixtureClient({ sessions: [KIM, NORA] });
  if (options.select !== null) client.selectSession(options.select ?? 's1');
  const el = await fixture<ChatContactPanel>(html`<chat-contact-panel .client=${client} .provider=${options.provider ?? memory}></chat-contact-panel>`);
  return { el, done: () => { client.destroy(); } };
}

const q = (el: ChatContactPanel, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);
const shown = async (el: ChatContactPanel, selector: string) => {
  await until(() => q(el, selector) !== null, selector);
  return q(el, selector)!;
};

async function linked(): Promise<Panel> {
  const s = await mount({ link: true });
  await shown(s.el, '[part~=section--chats] .row');
  await until(() => s.el.shadowRoot!.querySelectorAll('.section [part=skeleton]').length === 0, 'sections loaded');
  return s;
}

async function search(value: string, wait: string): Promise<Panel> {
  const s = await mount({ select: 's2' });
  (await shown(s.el, '[part=search-input]')).focus();
  await sendKeys({ type: value });
  await shown(s.el, wait);
  return s;
}

auditStates('chat-contact-panel', [
  { name: 'no chat selected', shows: ['empty'], setup: () => mount({ select: null }) },
  {
    name: 'loading',
    shows: ['loading'],
    setup: () => mount({ provider: createMemoryCrmProvider({ data: data(), latencyMs: 30_000 }) }),
  },
  {
    name: 'matches with their reasons',
    shows: ['matches'],
    setup: async () => {
      const s = await mount();
      await shown(s.el, '[part=matches]');
      return s;
    },
  },
  {
    name: 'no match, favourites and recent contacts',
    shows: ['matches'],
    setup: async () => {
      localStorage.setItem('crm-chat-elements:contacts:demo:ann', JSON.stringify({ recent: [{ id: 'pe-2', name: 'Maria Holm' }], favourites: [{ id: 'pe-1', name: 'Kim Andersson', company: 'Fjällvind Friluft AB' }] }));
      const s = await mount({ select: 's2' });
      await shown(s.el, '#favourites-heading');
      return { el: s.el, done: () => { localStorage.removeItem('crm-chat-elements:contacts:demo:ann'); return s.done?.(); } };
    },
  },
  { name: 'search results', shows: ['matches'], setup: () => search('holm', '[aria-label="Search results"] [part=item]') },
  { name: 'a search that finds nothing', shows: ['matches'], setup: () => search('zzzz', '[part=search] [part=empty]') },
  {
    name: 'the create form',
    shows: ['create'],
    setup: async () => {
      const s = await mount();
      (await shown(s.el, '[part=create-button]')).click();
      await shown(s.el, '[part=form]');
      return s;
    },
  },
  {
    name: 'the create form with field errors and the duplicate warning',
    shows: ['create'],
    setup: async () => {
      const s = await mount();
      (await shown(s.el, '[part=create-button]')).click();
      const form = await shown(s.el, '[part=form]');
      const set = (id: string, v: string) => {
        const input = q(s.el, `#${id}`) as HTMLInputElement;
        input.value = v;
        input.dispatchEvent(new Event('input'));
      };
      set('f-first', '');
      set('f-email', 'kim@');
      set('f-phone', 'call me');
      [...form.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent.trim() === 'Create and link')!.click();
      await shown(s.el, '#f-first-error');
      await shown(s.el, '[part=duplicate-warning]');
      return s;
    },
  },
  { name: 'the linked card with requests, sales, activities and chats', shows: ['linked'], setup: linked },
  {
    name: 'the transcript dialog of an earlier chat',
    shows: ['linked'],
    setup: async () => {
      const s = await linked();
      q(s.el, '[part~=section--chats] .transcript-button')!.click();
      await shown(s.el, 'dialog .message');
      return { el: s.el, done: () => { (q(s.el, 'dialog') as HTMLDialogElement).close(); return s.done?.(); } };
    },
  },
  {
    name: 'an error with Retry',
    shows: ['error'],
    setup: async () => {
      const memory = createMemoryCrmProvider({ data: data() });
      const provider = new Proxy(memory, {
        get(target, key: keyof typeof memory) {
          if (key === 'getSessionLink') return () => Promise.reject(new CrmError('unavailable', 'down'));
          const fn = target[key] as unknown;
          return typeof fn === 'function' ? (fn as (...a: unknown[]) => unknown).bind(target) : fn;
        },
      });
      const s = await mount({ provider });
      await shown(s.el, '[part=retry]');
      return s;
    },
  },
]);
