/**
 * chat-dashboard: its states, in the light and the dark theme (test/helpers/a11y-states.ts):
 * empty, waiting chats, answering, an error, the statistics as a table, a channel filter,
 * ongoing chats with Listen, listening, and statistics that cannot be loaded.
 */
import { fixture, html } from '@open-wc/testing';

import '../../../src/components/chat-dashboard/chat-dashboard.js';
import type { ChatDashboard } from '../../../src/components/chat-dashboard/chat-dashboard.js';
import type { AgentMe, DashboardStats, SessionSummary } from '../../../src/protocol/index.js';
import { auditStates, type Shown } from '../../helpers/a11y-states.js';
import { until } from '../../helpers/chat-server.js';
import { AGENT_ME } from '../../helpers/fake-server.js';
import { fixtureClient, session, type FixtureOptions } from '../../helpers/fixture-client.js';

const queued = (id: string, minutes: number, extra: Partial<SessionSummary> = {}): SessionSummary => {
  const createdAt = Date.now() - minutes * 60_000;
  const { agentId: _a, agentName: _n, acceptedAt: _t, ...rest } = session({ id, status: 'queued', createdAt, lastActivityAt: createdAt });
  return { ...rest, ...extra };
};
const ongoing = (id: string, minutes: number, extra: Partial<SessionSummary> = {}): SessionSummary => {
  const acceptedAt = Date.now() - minutes * 60_000;
  return session({ id, createdAt: acceptedAt - 60_000, acceptedAt, lastActivityAt: acceptedAt, agentId: 'bob', agentName: 'Bob Berg', ...extra });
};
const perm = (listen: boolean) => ({ respond: true, notifications: true, listen, manager: false });
const SUPERVISOR: AgentMe = { ...AGENT_ME, channels: [{ id: 'sales', name: 'Sales', permissions: perm(false) }, { id: 'support', name: 'Support', permissions: perm(true) }] };

function stats(channelIds: string[] = ['sales', 'support']): DashboardStats {
  const now = Date.now();
  return {
    serverTime: now, timeZone: 'Europe/Stockholm', dayStart: now - 10 * 3_600_000, dayEnd: now + 14 * 3_600_000, channelIds,
    waiting: 2, longestWaitMs: 12 * 60_000, oldestWaitingSince: now - 12 * 60_000, ongoing: 3, agentsOnline: 4, agentsPresent: 3, agentsAway: 1,
    completedToday: 17, missedToday: 2, answeredToday: 20, averageWaitMs: 95_000, averageDurationMs: 14 * 60_000, firstResponsesToday: 19,
    averageFirstResponseMs: 42_000, chatsToday: 21, chatsPerHour: [0, 0, 0, 0, 0, 0, 0, 0, 2, 5, 7, 4, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], ratings: null,
  };
}

const TWO = () => [
  queued('q1', 5, { customer: { name: 'Kim Andersson', email: 'kim@example.com' }, lastMessage: { from: 'customer', text: 'Where is my order?', at: Date.now() } }),
  queued('q2', 2, { customer: { name: 'Lea Berg' } }),
];
const ONGOING = () => [ongoing('o1', 25, { customer: { name: 'Olle Nord' } }), ongoing('o3', 3, { customer: { name: 'Rut Väst' }, agentId: 'ann', agentName: 'Ann Agent' })];

type Board = Shown & { el: ChatDashboard; root: ShadowRoot };

async function mount(sessions: SessionSummary[], options: FixtureOptions & { statsFail?: boolean; holdAccept?: boolean } = {}): Promise<Board> {
  const { statsFail = false, holdAccept = false, ...rest } = options;
  const { client, fake } = await fixtureClient({ sessions, ...rest });
  const script = fake.onFrame;
  fake.onFrame = (socket, frame) => {
    if (frame.t === 'stats') {
      if (statsFail) socket.push({ t: 'ok', rid: frame.rid }); // malformed statistics
      else socket.push({ t: 'ok', rid: frame.rid, data: stats(frame.channelIds as string[] | undefined) });
      return;
    }
    if (holdAccept && frame.t === 'accept') return;
    script(socket, frame);
  };
  const el = await fixture<ChatDashboard>(html`<chat-dashboard .client=${client}></chat-dashboard>`);
  const root = el.shadowRoot!;
  if (!statsFail) await until(() => root.querySelector('[part=cards]') !== null, 'statistics shown');
  return { el, root, done: () => { client.destroy(); } };
}

auditStates('chat-dashboard', [
  { name: 'no chat waiting', shows: ['empty'], setup: () => mount([]) },
  { name: 'waiting chats with Answer', setup: () => mount(TWO()) },
  {
    name: 'answering a chat',
    shows: ['answering'],
    setup: async () => {
      const s = await mount(TWO(), { holdAccept: true });
      s.root.querySelector<HTMLButtonElement>('tbody.incoming tr button')!.click();
      await until(() => s.el.matches(':state(answering)'), 'answering');
      return s;
    },
  },
  {
    name: 'an answer refused, with the error',
    shows: ['error'],
    setup: async () => {
      const s = await mount(TWO(), { refuse: { accept: { code: 'at_capacity', message: 'too many chats' } } });
      s.root.querySelector<HTMLButtonElement>('tbody.incoming tr button')!.click();
      await until(() => s.root.querySelector('[part=error]') !== null, 'error shown');
      return s;
    },
  },
  {
    name: 'the statistics as a table, ongoing chats with Listen',
    setup: async () => {
      const s = await mount([...TWO(), ...ONGOING()], { me: SUPERVISOR });
      s.root.querySelector<HTMLButtonElement>('[part=chart-toggle]')!.click();
      await s.el.updateComplete;
      return s;
    },
  },
  {
    name: 'filtered to one channel',
    shows: ['filtered'],
    setup: async () => {
      const s = await mount([...TWO(), ...ONGOING()], { me: SUPERVISOR });
      const box = s.root.querySelectorAll<HTMLInputElement>('[part=filter] input[type=checkbox]')[1]!;
      box.click();
      await until(() => s.el.matches(':state(filtered)'), 'filtered');
      return s;
    },
  },
  {
    name: 'listening in on a chat',
    shows: ['listening'],
    setup: async () => {
      const s = await mount(ONGOING(), { me: SUPERVISOR });
      s.root.querySelector<HTMLButtonElement>('[part~=listen-button]')!.click();
      await until(() => s.root.querySelector('[part=listen]') !== null, 'panel open');
      await (s.root.querySelector('chat-conversation') as unknown as { updateComplete: Promise<unknown> }).updateComplete;
      return s;
    },
  },
  {
    // issue 18: requests for help, for a supervisor who manages the channel (Listen, Whisper, Take over, Handled)
    name: 'help requested',
    setup: () =>
      mount(
        [
          ...ONGOING(),
          ongoing('h1', 8, { customer: { name: 'Pia Holm' }, help: { at: Date.now() - 95_000, agentId: 'bob', agentName: 'Bob Berg', note: 'Refund over 500 EUR?' } }),
        ],
        { me: { ...SUPERVISOR, channels: [{ id: 'support', name: 'Support', permissions: { ...perm(true), manager: true } }] } },
      ),
  },
  {
    name: 'statistics that cannot be loaded',
    setup: async () => {
      const s = await mount(TWO(), { statsFail: true });
      await until(() => s.root.querySelector('.stats-meta--failed') !== null, 'stats failure shown');
      return s;
    },
  },
]);
