/**
 * Priority and reply timers in the console (issue 18): the marker and the timer on the session
 * list's rows and the dashboard's waiting rows (in time, warning from 75 % of the target, overdue:
 * colour plus icon and words), waiting rows in priority order, the priority select in the
 * conversation header (the handling agent or a manager; keyboard; a refusal shown), and the share
 * of replies within target on the dashboard. Time moves on fake timers, never by waiting; axe in
 * every state.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

import '../../src/components/chat-conversation/chat-conversation.js';
import '../../src/components/chat-dashboard/chat-dashboard.js';
import '../../src/components/chat-session-list/chat-session-list.js';
import type { ChatConversation } from '../../src/components/chat-conversation/chat-conversation.js';
import type { ChatDashboard } from '../../src/components/chat-dashboard/chat-dashboard.js';
import type { ChatSessionList } from '../../src/components/chat-session-list/chat-session-list.js';
import type { DashboardStats, SessionSummary } from '../../src/protocol/index.js';
import { until } from '../helpers/chat-server.js';
import type { RunningClock } from '../helpers/clock.js';
import { runningClock } from '../helpers/clock.js';
import { AGENT_ME } from '../helpers/fake-server.js';
import type { FixtureOptions } from '../helpers/fixture-client.js';
import { fixtureClient, session } from '../helpers/fixture-client.js';

const MIN = 60_000;

/** My active chat whose customer waits for a reply: `used` of a 4-minute target has passed. */
function waitingForMe(id: string, usedMs: number, extra: Partial<SessionSummary> = {}): SessionSummary {
  const since = Date.now() - usedMs;
  return session({ id, lastActivityAt: since, response: { kind: 'next', since, due: since + 4 * MIN }, ...extra });
}

/** A chat waiting in the support queue for `minutes`, with a first-reply target of 10 minutes. */
function queued(id: string, minutes: number, extra: Partial<SessionSummary> = {}): SessionSummary {
  const { agentId: _a, agentName: _n, acceptedAt: _t, ...rest } = session({ id, status: 'queued', createdAt: Date.now() - minutes * MIN, lastActivityAt: Date.now() - minutes * MIN });
  return { ...rest, response: { kind: 'first', since: rest.createdAt, due: rest.createdAt + 10 * MIN }, ...extra };
}

const MANAGER_ME = { ...AGENT_ME, channels: [{ id: 'support', name: 'Support', permissions: { respond: true, notifications: true, listen: true, manager: true } }] };

describe('priority and reply timers', () => {
  let clock: RunningClock | undefined;
  afterEach(() => {
    clock?.restore();
    clock = undefined;
  });

  describe('chat-session-list', () => {
    async function list(sessions: SessionSummary[], options: FixtureOptions = {}) {
      const { client, fake } = await fixtureClient({ sessions, ...options });
      const el = await fixture<ChatSessionList>(html`<chat-session-list .client=${client}></chat-session-list>`);
      const root = el.shadowRoot!;
      const option = (id: string) => root.querySelector<HTMLElement>(`[role=option][data-id="${id}"]`)!;
      const sla = (id: string) => option(id).querySelector<HTMLElement>('[part~=sla]');
      return { el, root, client, fake, option, sla };
    }

    it('shows each state with its own words and icon, and the priority, as part of the row name; axe passes', async () => {
      const { el, option, sla } = await list([
        waitingForMe('ok', 1 * MIN, { priority: 'urgent', customer: { name: 'Ida Urgent' } }),
        waitingForMe('warn', 3.5 * MIN, { customer: { name: 'Wim Warning' } }),
        waitingForMe('late', 6.5 * MIN, { priority: 'low', customer: { name: 'Lo Late' } }),
        session({ id: 'none', customer: { name: 'No Timer' } }),
      ]);
      expect(sla('ok')!.dataset.state).to.equal('ok');
      expect(sla('ok')!.querySelector('span[aria-hidden=true]')!.textContent).to.equal('3 min left');
      expect(sla('warn')!.dataset.state).to.equal('warning');
      expect(sla('warn')!.querySelector('span[aria-hidden=true]')!.textContent).to.equal('1 min left');
      expect(sla('late')!.dataset.state).to.equal('breached');
      expect(sla('late')!.querySelector('span[aria-hidden=true]')!.textContent).to.equal('2 min overdue');
      // Not colour alone: every state has its own icon and words; the full sentence is read out.
      const icons = ['ok', 'warn', 'late'].map((id) => sla(id)!.querySelector('svg')!.innerHTML);
      expect(new Set(icons).size).to.equal(3);
      expect(option('warn').textContent).to.contain('Reply due soon: 1 min left');
      expect(option('late').textContent).to.contain('Reply overdue (target passed 2 min ago)');
      expect(option('ok').querySelector('[part~=priority]')!.textContent).to.contain('Urgent');
      expect(option('late').querySelector('[part~=priority--low]')).to.not.equal(null);
      // Normal priority and no awaited reply: no line at all.
      expect(option('none').querySelector('[part~=marks]')).to.equal(null);
      expect(option('warn').querySelector('[part~=priority]')).to.equal(null);
      // Colours differ by state (the warning border, the overdue fill).
      const style = (id: string) => getComputedStyle(sla(id)!);
      expect(style('late').backgroundColor).to.not.equal(style('ok').backgroundColor);
      expect(style('warn').borderTopStyle).to.equal('solid');
      await expect(el).to.be.accessible();
    });

    it('turns to warning at 75 % of the target and to overdue at the due time, on a fake clock', async () => {
      clock = runningClock();
      const row = waitingForMe('s1', 0);
      const { since, due } = row.response!;
      const { el, sla } = await list([row]);
      expect(sla('s1')!.dataset.state).to.equal('ok');
      // The fake clock also runs with real time (and the client's own timers take some while it
      // ticks): move to 20 s before 75 % of the target.
      await clock.tickAsync(since + 3 * MIN - 20_000 - Date.now());
      await el.updateComplete;
      expect(sla('s1')!.dataset.state).to.equal('ok');
      expect(sla('s1')!.textContent).to.contain('2 min left');
      await clock.tickAsync(since + 3 * MIN + 1000 - Date.now());
      await until(() => sla('s1')!.dataset.state === 'warning', 'warning at 75 %');
      await expect(el).to.be.accessible();
      await clock.tickAsync(due + 1000 - Date.now());
      await until(() => sla('s1')!.dataset.state === 'breached', 'overdue at the due time');
      await expect(el).to.be.accessible();
    });

    it('an activity that answers the customer takes the timer away', async () => {
      const { el, fake, option, sla } = await list([waitingForMe('s1', MIN)]);
      expect(sla('s1')).to.not.equal(null);
      fake.last.push({ t: 'activity', sessions: [{ id: 's1', lastActivityAt: Date.now(), lastMessage: { from: 'agent', text: 'Here you go', at: Date.now() }, unread: 0, seq: 3 }] });
      await until(() => sla('s1') === null, 'timer gone');
      await el.updateComplete;
      expect(option('s1').querySelector('[part~=marks]')).to.equal(null);
    });
  });

  describe('chat-dashboard', () => {
    async function dashboard(sessions: SessionSummary[], stats: Partial<DashboardStats> = {}) {
      const { client, fake } = await fixtureClient({ sessions });
      const previous = fake.onFrame;
      fake.onFrame = (socket, frame) => {
        if (frame.t === 'stats') socket.push({ t: 'ok', rid: frame.rid, data: { ...baseStats(), ...stats } });
        else previous(socket, frame);
      };
      const el = await fixture<ChatDashboard>(html`<chat-dashboard .client=${client}></chat-dashboard>`);
      const root = el.shadowRoot!;
      const rows = () => [...root.querySelectorAll<HTMLTableRowElement>('tbody.incoming tr')];
      return { el, root, fake, rows };
    }

    it('orders the waiting chats by priority, then by waiting time, with the marker and the timer; axe passes', async () => {
      const { el, rows } = await dashboard([queued('q-old', 9), queued('q-high', 2, { priority: 'high' }), queued('q-new', 1), queued('q-low', 12, { priority: 'low' }), queued('q-urgent', 0.5, { priority: 'urgent' })]);
      expect(rows().map((r) => r.dataset.id)).to.deep.equal(['q-urgent', 'q-high', 'q-old', 'q-new', 'q-low']);
      const row = (id: string) => rows().find((r) => r.dataset.id === id)!;
      expect(row('q-urgent').querySelector('[part~=priority]')!.textContent).to.contain('Urgent');
      expect(row('q-old').querySelector('[part~=priority]')).to.equal(null);
      expect(row('q-old').querySelector<HTMLElement>('[part~=sla]')!.dataset.state).to.equal('warning');
      expect(row('q-low').querySelector<HTMLElement>('[part~=sla]')!.dataset.state).to.equal('breached');
      expect(row('q-low').querySelector('[part=waiting]')!.textContent).to.contain('First reply overdue');
      await expect(el).to.be.accessible();
    });

    it('shows the share of replies within target today', async () => {
      const { root } = await dashboard([], { responseTargetsToday: { first: { answered: 8, within: 6 }, next: { answered: 0, within: 0 } } });
      await until(() => root.querySelector('[part~=card--first-target]') !== null, 'target cards');
      const first = root.querySelector('[part~=card--first-target]')!;
      expect(first.querySelector('[part=card-value]')!.textContent).to.equal('75%');
      expect(first.querySelector('[part=card-note]')!.textContent).to.equal('6 of 8 within target');
      expect(root.querySelector('[part~=card--next-target] [part=card-value]')!.textContent).to.equal('—');
    });
  });

  describe('chat-conversation: the priority select', () => {
    async function conversation(s: SessionSummary, options: FixtureOptions = {}) {
      const { client, fake } = await fixtureClient({ sessions: [s], messages: { [s.id]: [] }, ...options });
      client.selectSession(s.id);
      const el = await fixture<ChatConversation>(html`<chat-conversation style="height: 480px" .client=${client}></chat-conversation>`);
      const root = el.shadowRoot!;
      await until(() => root.querySelector('[part=header]') !== null, 'header');
      const select = () => root.querySelector<HTMLSelectElement>('[part=priority-select]');
      return { el, root, client, fake, select };
    }

    it('the handling agent changes it with the keyboard; the frame goes to the server; axe passes', async () => {
      const { el, fake, select } = await conversation(session({ id: 's1', priority: 'high' }));
      expect(select()!.value).to.equal('high');
      expect([...select()!.options].map((o) => o.value)).to.deep.equal(['urgent', 'high', 'normal', 'low']);
      expect(select()!.closest('label')!.textContent).to.contain('Priority');
      select()!.focus();
      await sendKeys({ press: 'ArrowUp' });
      // Chromium changes a closed select with the arrow keys and fires `change`.
      await until(() => fake.sent('priority').length === 1, 'priority sent');
      expect(fake.sent('priority')[0]).to.include({ sessionId: 's1', priority: 'urgent' });
      await expect(el).to.be.accessible();
    });

    it('a refusal is shown beside it and fired as chat-error', async () => {
      const { el, root, select } = await conversation(session({ id: 's1' }), { refuse: { priority: { code: 'forbidden', message: 'no' } } });
      const errors: string[] = [];
      el.addEventListener('chat-error', (e) => errors.push(e.detail.code));
      const s = select()!;
      s.value = 'urgent';
      s.dispatchEvent(new Event('change'));
      await until(() => root.querySelector('[part=priority-error]') !== null, 'error shown');
      expect(root.querySelector('[part=priority-error]')!.textContent).to.equal('You cannot change the priority of this chat.');
      expect(s.getAttribute('aria-describedby')).to.equal('priority-error');
      expect(errors).to.deep.equal(['forbidden']);
      await expect(el).to.be.accessible();
    });

    it("someone else's chat: only the marker, unless I manage the channel", async () => {
      const other = session({ id: 's2', agentId: 'erik', agentName: 'Erik Johansson', priority: 'urgent' });
      const plain = await conversation(other);
      expect(plain.select()).to.equal(null);
      expect(plain.root.querySelector('[part~=priority]')!.textContent).to.contain('Urgent');
      const managed = await conversation(other, { me: MANAGER_ME });
      expect(managed.select()!.value).to.equal('urgent');
    });
  });
});

function baseStats(): DashboardStats {
  return {
    serverTime: Date.now(),
    timeZone: 'UTC',
    dayStart: Date.now() - 3_600_000,
    dayEnd: Date.now() + 3_600_000,
    channelIds: ['support'],
    waiting: 0,
    longestWaitMs: 0,
    oldestWaitingSince: null,
    ongoing: 0,
    agentsOnline: 1,
    agentsPresent: 1,
    agentsAway: 0,
    completedToday: 0,
    missedToday: 0,
    answeredToday: 0,
    averageWaitMs: null,
    averageDurationMs: null,
    firstResponsesToday: 0,
    averageFirstResponseMs: null,
    chatsToday: 0,
    chatsPerHour: Array.from({ length: 24 }, () => 0),
    ratings: null,
  };
}
