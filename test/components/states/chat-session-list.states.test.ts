/**
 * chat-session-list: its states, in the light and the dark theme (test/helpers/a11y-states.ts):
 * empty, rows in every group (transfers each way, ongoing, completed), a selected row, the active
 * row, Get next disabled at capacity with its reason, an error, and a search that matches and one
 * that does not.
 */
import { fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ifDefined } from 'lit/directives/if-defined.js';

import '../../../src/components/chat-session-list/chat-session-list.js';
import type { ChatSessionList } from '../../../src/components/chat-session-list/chat-session-list.js';
import type { SessionSummary } from '../../../src/protocol/index.js';
import { auditStates, type Shown } from '../../helpers/a11y-states.js';
import { until } from '../../helpers/chat-server.js';
import { AGENT_ME } from '../../helpers/fake-server.js';
import { fixtureClient, session, type FixtureOptions } from '../../helpers/fixture-client.js';
import { ignoreResizeObserverLoop } from '../../helpers/resize-observer-loop.js';

ignoreResizeObserverLoop();

const mine = (id: string, minutes: number, extra: Partial<SessionSummary> = {}) => session({ id, lastActivityAt: Date.now() - minutes * 60_000, ...extra });
const waiting = (id: string): SessionSummary => {
  const { agentId: _a, agentName: _n, acceptedAt: _t, ...rest } = session({ id, status: 'queued', createdAt: Date.now() - 60_000, lastActivityAt: Date.now() - 60_000 });
  return rest;
};
const ended = (id: string, minutes: number, extra: Partial<SessionSummary> = {}) => {
  const at = Date.now() - minutes * 60_000;
  return session({ id, status: 'ended', endedAt: at, lastActivityAt: at, ...extra });
};
const transfer = (from: [string, string], to: [string, string], at: number) => ({ fromAgentId: from[0], fromAgentName: from[1], toAgentId: to[0], toAgentName: to[1], at, expiresAt: at + 120_000 });

const BOARD = () => [
  mine('s1', 12, { customer: { name: 'Kim Andersson' }, unread: 2, lastMessage: { from: 'customer', text: 'Where is my order? It was due yesterday and nothing came.', at: Date.now() - 12 * 60_000 } }),
  mine('s2', 3, { customer: { name: 'Lea Berg' }, channelId: 'sales', lastMessage: { from: 'agent', text: 'I will check that for you.', at: Date.now() - 3 * 60_000 } }),
  mine('s3', 30, { customer: { name: 'Mo Chen' } }),
  session({ id: 't1', agentId: 'erik', agentName: 'Erik Johansson', customer: { name: 'Tove Lund' }, lastActivityAt: Date.now() - 60_000, transfer: transfer(['anna', 'Anna Lindqvist'], ['ann', 'Ann Agent'], Date.now() - 60_000) }),
  mine('t2', 5, { customer: { name: 'Ulf Ek' }, unread: 1, transfer: transfer(['ann', 'Ann Agent'], ['erik', 'Erik Johansson'], Date.now() - 5 * 60_000) }),
  ended('e1', 90, { customer: { name: 'Eva Ström' } }),
  ended('e2', 20, { customer: { name: 'Erik Ny' }, status: 'missed' }),
  waiting('q1'),
];

type List = Shown & { el: ChatSessionList; root: ShadowRoot };

async function mount(sessions: SessionSummary[], options: FixtureOptions = {}, selectedId?: string): Promise<List> {
  const { client } = await fixtureClient({ sessions, ...options });
  const el = await fixture<ChatSessionList>(html`<chat-session-list style="height: 600px" .client=${client} selected-id=${ifDefined(selectedId)}></chat-session-list>`);
  await until(() => sessions.every((x) => x.status === 'queued') || el.shadowRoot!.querySelector('[role=option]') !== null, 'rows');
  return { el, root: el.shadowRoot!, done: () => { client.destroy(); } };
}

async function searched(value: string, wait: (root: ShadowRoot) => boolean): Promise<List> {
  const s = await mount(BOARD());
  s.root.querySelector<HTMLInputElement>('[part=search-input]')!.focus();
  await sendKeys({ type: value });
  await until(() => wait(s.root), `search "${value}"`);
  return s;
}

auditStates('chat-session-list', [
  { name: 'no chats', shows: ['empty'], setup: () => mount([]) },
  { name: 'every group: transfers each way, ongoing, completed; one waiting', setup: () => mount(BOARD()) },
  { name: 'a selected row', setup: () => mount(BOARD(), {}, 's1') },
  {
    name: 'the active row (keyboard) on a transfer',
    setup: async () => {
      const s = await mount(BOARD());
      s.root.querySelector<HTMLElement>('[role=listbox]')!.focus();
      await sendKeys({ press: 'Home' });
      await s.el.updateComplete;
      return s;
    },
  },
  {
    name: 'at capacity: Get next disabled with its reason',
    shows: ['at-capacity'],
    setup: () => mount([mine('s1', 3, { customer: { name: 'Kim' } }), waiting('q1')], { me: { ...AGENT_ME, maxConcurrentChats: 1 } }),
  },
  {
    name: 'Get next refused, with the error',
    setup: async () => {
      const s = await mount([waiting('q1')], { refuse: { next: { code: 'forbidden', message: 'no' } } });
      s.root.querySelector<HTMLButtonElement>('[part=next-button]')!.click();
      await until(() => s.root.querySelector('[part=next-error]') !== null, 'error shown');
      return s;
    },
  },
  {
    name: 'a search that matches, with the count',
    shows: ['filtered'],
    setup: () => searched('e', (root) => (root.querySelector('[part=search-status]')?.textContent ?? '').includes('match')),
  },
  {
    name: 'a search that matches nothing',
    shows: ['filtered'],
    setup: () => searched('zzz', (root) => root.querySelector('[part=no-match]') !== null),
  },
]);
