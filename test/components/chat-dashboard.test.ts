import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';

import '../../src/components/chat-dashboard/chat-dashboard.js';
import type { ChatDashboard } from '../../src/components/chat-dashboard/chat-dashboard.js';
import type { ChatErrorEvent } from '../../src/events/chat-error-event.js';
import type { ChatSessionAnswerEvent } from '../../src/events/chat-session-answer-event.js';
import { announcerText } from '../../src/internal/announcer.js';
import type { AgentMe, DashboardStats, SessionSummary } from '../../src/protocol/index.js';
import { until } from '../helpers/chat-server.js';
import { runningClock } from '../helpers/clock.js';
import type { FakeServer } from '../helpers/fake-server.js';
import { AGENT_ME } from '../helpers/fake-server.js';
import { fixtureClient, pushSession, session } from '../helpers/fixture-client.js';

/** A waiting chat in the agent's channel (support), created `minutes` ago by the real clock. */
function queued(id: string, minutes: number, extra: Partial<SessionSummary> = {}): SessionSummary {
  const createdAt = Date.now() - minutes * 60_000;
  const { agentId: _a, agentName: _n, acceptedAt: _t, ...rest } = session({ id, status: 'queued', createdAt, lastActivityAt: createdAt });
  return { ...rest, ...extra };
}

/** An ongoing chat answered `minutes` ago by the real clock. */
function ongoing(id: string, minutes: number, extra: Partial<SessionSummary> = {}): SessionSummary {
  const acceptedAt = Date.now() - minutes * 60_000;
  return session({ id, createdAt: acceptedAt - 60_000, acceptedAt, lastActivityAt: acceptedAt, agentId: 'bob', agentName: 'Bob Berg', ...extra });
}

const perm = (listen: boolean, respond = true) => ({ respond, notifications: true, listen, manager: false });

/** An agent in Sales and Support who may listen in Support (not in Sales). */
const SUPERVISOR: AgentMe = {
  ...AGENT_ME,
  channels: [
    { id: 'sales', name: 'Sales', permissions: perm(false) },
    { id: 'support', name: 'Support', permissions: perm(true) },
  ],
};

/** A plain agent in both channels. */
const PLAIN: AgentMe = {
  ...AGENT_ME,
  channels: [
    { id: 'sales', name: 'Sales', permissions: perm(false) },
    { id: 'support', name: 'Support', permissions: perm(false) },
  ],
};

function stats(partial: Partial<DashboardStats> = {}): DashboardStats {
  const now = Date.now();
  return {
    serverTime: now,
    timeZone: 'Europe/Stockholm',
    // The statistics' day starts at midnight: here the agent's, unless a test says otherwise.
    dayStart: new Date(now).setHours(0, 0, 0, 0),
    dayEnd: new Date(now).setHours(24, 0, 0, 0),
    channelIds: ['sales', 'support'],
    waiting: 2,
    longestWaitMs: 12 * 60_000,
    oldestWaitingSince: now - 12 * 60_000,
    ongoing: 3,
    agentsOnline: 4,
    agentsPresent: 3,
    agentsAway: 1,
    completedToday: 17,
    missedToday: 2,
    answeredToday: 20,
    averageWaitMs: 95_000,
    averageDurationMs: 14 * 60_000,
    firstResponsesToday: 19,
    averageFirstResponseMs: 42_000,
    chatsToday: 21,
    chatsPerHour: [0, 0, 0, 0, 0, 0, 0, 0, 2, 5, 7, 4, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ratings: null,
    ...partial,
  };
}

/** Makes the scripted server answer `stats` (recording the channel ids asked for). */
function answerStats(fake: FakeServer, data: (channelIds: string[] | undefined) => DashboardStats) {
  const asked: (string[] | undefined)[] = [];
  const previous = fake.onFrame;
  fake.onFrame = (socket, frame) => {
    if (frame.t === 'stats') {
      const ids = frame.channelIds as string[] | undefined;
      asked.push(ids);
      socket.push({ t: 'ok', rid: frame.rid, data: data(ids) });
      return;
    }
    previous(socket, frame);
  };
  return asked;
}

async function setup(sessions: SessionSummary[] = [], options: Parameters<typeof fixtureClient>[0] & { stats?: (ids: string[] | undefined) => DashboardStats } = {}) {
  const { client, fake } = await fixtureClient({ sessions, ...options });
  const asked = answerStats(fake, options.stats ?? ((ids) => stats(ids ? { channelIds: ids } : {})));
  const el = await fixture<ChatDashboard>(html`<chat-dashboard .client=${client}></chat-dashboard>`);
  const root = el.shadowRoot!;
  const rows = () => [...root.querySelectorAll<HTMLTableRowElement>('tbody.incoming tr')];
  const row = (id: string) => rows().find((r) => r.dataset.id === id)!;
  const ongoingRows = () => [...root.querySelectorAll<HTMLTableRowElement>('[part~=ongoing-row]')];
  const card = (kind: string) => {
    const c = root.querySelector(`[part~="card--${kind}"]`);
    return { value: c?.querySelector('[part=card-value]')?.textContent.trim(), note: c?.querySelector('[part=card-note]')?.textContent.trim() };
  };
  const statsShown = () => until(() => root.querySelector('[part=cards]') !== null, 'statistics shown');
  return { client, fake, el, root, rows, row, ongoingRows, card, asked, statsShown };
}

const TWO = () => [
  queued('q1', 5, { customer: { name: 'Kim Andersson', email: 'kim@example.com' }, lastMessage: { from: 'customer', text: 'Where is my order?', at: Date.now() } }),
  queued('q2', 2, { customer: { name: 'Lea Berg' } }),
];

const ONGOING = () => [
  ongoing('o1', 25, { customer: { name: 'Olle Nord' } }),
  ongoing('o2', 70, { channelId: 'sales', customer: { name: 'Petra Syd' }, agentName: 'Cecilia Ek', agentId: 'cecilia' }),
  ongoing('o3', 3, { customer: { name: 'Rut Väst' }, agentId: 'ann', agentName: 'Ann Agent' }),
];

describe('chat-dashboard', () => {
  afterEach(() => {
    sinon.restore();
    localStorage.clear();
  });

  describe('rendering', () => {
    it('shows an empty state when no chat is waiting', async () => {
      const { root, el } = await setup();
      expect(root.querySelector('[part=empty]')!.textContent).to.contain('No chats are waiting');
      expect(root.querySelector('[part=table]')).to.equal(null);
      expect(el.hasCustomState('empty')).to.be.true;
    });

    it('lists the waiting chats with customer, channel, waiting time and last message', async () => {
      const { root, rows } = await setup(TWO());
      expect(rows()).to.have.length(2);
      const cells = [...rows()[0]!.querySelectorAll('td')].map((c) => c.textContent.replace(/\s+/g, ' ').trim());
      expect(cells[0]).to.equal('Kim Andersson kim@example.com');
      expect(cells[1]).to.equal('Support');
      expect(cells[2]).to.equal('5 min');
      expect(cells[3]).to.equal('Where is my order?');
      expect(rows()[1]!.querySelector('[part=preview]')!.textContent).to.contain('No message yet');
      expect(root.querySelector('[part=count]')!.textContent).to.equal('2');
    });

    it('names a customer without a name "Visitor"', async () => {
      const { rows } = await setup([queued('q1', 1, { customer: { name: '  ' } })]);
      expect(rows()[0]!.querySelector('.name')!.textContent).to.equal('Visitor');
    });

    it('renders customer text as text, never as markup', async () => {
      const { rows, ongoingRows } = await setup([
        queued('q1', 1, { customer: { name: '<img src=x onerror=alert(1)>' }, lastMessage: { from: 'customer', text: '<b>hi</b>', at: 1 } }),
        ongoing('o1', 1, { customer: { name: '<i>x</i>' }, agentName: '<script>y</script>' }),
      ]);
      expect(rows()[0]!.querySelector('img, b')).to.equal(null);
      expect(rows()[0]!.querySelector('.name')!.textContent).to.equal('<img src=x onerror=alert(1)>');
      expect(ongoingRows()[0]!.querySelector('i, script')).to.equal(null);
      expect(ongoingRows()[0]!.querySelector('[part=agent]')!.textContent).to.equal('<script>y</script>');
    });

    it('updates the waiting time every 15 seconds, by server time', async () => {
      const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['setInterval', 'clearInterval', 'Date'], shouldClearNativeTimers: false });
      const { row, el } = await setup([queued('q1', 0.5)]);
      expect(row('q1').querySelector('[part=waiting]')!.textContent).to.equal('now');
      clock.tick(15_000);
      await el.updateComplete;
      expect(row('q1').querySelector('[part=waiting]')!.textContent).to.equal('now');
      clock.tick(15_000);
      await el.updateComplete;
      expect(row('q1').querySelector('[part=waiting]')!.textContent).to.equal('1 min');
    });

    it('shows the statistics of the server as cards', async () => {
      const { card, statsShown, root } = await setup();
      await statsShown();
      expect(card('waiting').value).to.equal('2');
      expect(card('longest-wait').value).to.equal('12 min');
      expect(card('ongoing').value).to.equal('3');
      expect(card('agents')).to.deep.equal({ value: '4', note: '3 present, 1 away' });
      expect(card('completed').value).to.equal('17');
      expect(card('missed').value).to.equal('2');
      expect(card('avg-wait')).to.deep.equal({ value: '1 min 35 s', note: '20 answered' });
      expect(card('avg-duration').value).to.equal('14 min');
      expect(card('avg-response').value).to.equal('42 s');
      expect(root.querySelector('[part~="card--rating"]')).to.equal(null, 'no ratings yet');
      expect(root.querySelector('[part=stats-meta]')!.textContent).to.match(/^All channels · today · updated \d{1,2}:\d\d/);
      // A definition list: every value has its name.
      expect(root.querySelectorAll('[part=cards] dt')).to.have.length(9);
    });

    it('shows empty averages as a dash with a reason, and ratings once the server has them', async () => {
      const { card, statsShown, root, el } = await setup([], {
        agents: [{ id: 'ann', name: 'Ann Agent', status: 'present', online: true, channelIds: ['support'], activeChats: 0, maxConcurrentChats: 4 }],
        stats: () => stats({ waiting: 0, oldestWaitingSince: null, longestWaitMs: 0, averageWaitMs: null, averageDurationMs: null, averageFirstResponseMs: null, ratings: { average: 4.25, count: 8, perAgent: { ann: { average: 4.5, count: 6 }, gone: { average: 3.5, count: 2 } }, perChannel: { support: { average: 4.25, count: 8 } } } }),
      });
      await statsShown();
      // Per agent (who handled the rated chat last) and per channel, as tables with their captions.
      const table = (kind: string) =>
        [...root.querySelectorAll(`[part~="ratings-table--${kind}"] tr`)].map((tr) => [...tr.children].map((c) => c.textContent.trim()).join(' | '));
      expect(table('agent')).to.deep.equal(['Agent | Average | Ratings', 'Ann Agent | 4.5 | 6', 'gone | 3.5 | 2']);
      expect(table('channel').slice(1)).to.deep.equal(['Support | 4.3 | 8']);
      expect(root.querySelector('[part~="ratings-table--agent"] caption')!.textContent.trim()).to.equal('Ratings today by agent');
      await expect(el).to.be.accessible();
      expect(card('longest-wait')).to.deep.equal({ value: '—', note: 'No one is waiting' });
      expect(card('avg-wait')).to.deep.equal({ value: '—', note: 'No chats yet' });
      expect(card('avg-duration')).to.deep.equal({ value: '—', note: 'No chats yet' });
      expect(card('rating')).to.deep.equal({ value: '4.3', note: '8 ratings' });
    });

    it('says when the statistics cannot be loaded', async () => {
      const { client } = await fixtureClient({});
      const el = await fixture<ChatDashboard>(html`<chat-dashboard .client=${client}></chat-dashboard>`);
      // The fixture server answers `stats` with an empty ok: malformed statistics.
      await until(() => el.shadowRoot!.querySelector('[part=stats-meta]')?.textContent.includes('could not be updated') === true, 'failure shown');
      expect(el.shadowRoot!.querySelector('[part=cards]')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('draws chats per hour as an SVG image with a summary, and as a table on request', async () => {
      const { root, el, statsShown } = await setup();
      await statsShown();
      const chart = root.querySelector('svg[part=chart]')!;
      expect(chart.getAttribute('role')).to.equal('img');
      expect(chart.getAttribute('aria-label')).to.equal('Chats per hour today: 21 in total. The busiest hour is 10:00 AM–11:00 AM with 7.');
      const bars = [...chart.querySelectorAll('rect[part=chart-bar]')];
      expect(bars).to.have.length(24);
      const heights = bars.map((b) => Number(b.getAttribute('height')));
      expect(heights[10]).to.be.greaterThan(heights[9]!);
      expect(heights[0]).to.equal(0);
      const table = root.querySelector<HTMLTableElement>('[part=chart-table]')!;
      const toggle = root.querySelector<HTMLButtonElement>('[part=chart-toggle]')!;
      expect(table.hidden).to.be.true;
      expect(toggle.getAttribute('aria-expanded')).to.equal('false');
      expect(toggle.getAttribute('aria-controls')).to.equal(table.id);
      expect(toggle.textContent.trim()).to.equal('Show as table');
      toggle.click();
      await el.updateComplete;
      expect(table.hidden).to.be.false;
      expect(toggle.getAttribute('aria-expanded')).to.equal('true');
      expect(toggle.textContent.trim()).to.equal('Hide table');
      const cells = [...table.querySelectorAll('tbody tr')].map((r) => [r.querySelector('th')!.textContent.trim(), r.querySelector('td')!.textContent.trim()]);
      expect(cells).to.have.length(24);
      expect(cells[10]).to.deep.equal(['10:00 AM–11:00 AM', '7']);
      expect(cells[23]).to.deep.equal(['11:00 PM–12:00 AM', '0']);
    });

    it("shows every time in the agent's time zone, named: the chart of a tenant an hour ahead is labelled with the agent's clock", async () => {
      const midnight = new Date().setHours(0, 0, 0, 0);
      // The tenant's day began an hour before the agent's midnight (a zone one hour ahead).
      const { root, el, statsShown } = await setup([], { stats: () => stats({ dayStart: midnight - 3_600_000, dayEnd: midnight + 23 * 3_600_000 }) });
      await statsShown();
      const zone = new Intl.DateTimeFormat('en', { timeZoneName: 'short' }).formatToParts(Date.now()).find((p) => p.type === 'timeZoneName')!.value;
      expect(root.querySelector('[part=stats-meta]')!.textContent).to.match(new RegExp(`updated \\d{1,2}:\\d\\d( [AP]M)? ${zone.replace('+', '\\+')}$`));
      expect(root.querySelector('.chart-zone')!.textContent).to.equal(`(hours in ${zone} time)`);
      root.querySelector<HTMLButtonElement>('[part=chart-toggle]')!.click();
      await el.updateComplete;
      const rows = [...root.querySelectorAll('[part=chart-table] tbody th')].map((th) => th.textContent.trim());
      // English without a region: the 12-hour clock of `en`.
      expect(rows[0]).to.equal('11:00 PM–12:00 AM');
      expect(rows[10]).to.equal('9:00 AM–10:00 AM');
      expect(root.querySelector('svg[part=chart]')!.getAttribute('aria-label')).to.equal('Chats per hour today: 21 in total. The busiest hour is 9:00 AM–10:00 AM with 7.');
    });

    it('summarises an empty day', async () => {
      const { root, statsShown } = await setup([], { stats: () => stats({ chatsPerHour: Array.from({ length: 24 }, () => 0), chatsToday: 0 }) });
      await statsShown();
      expect(root.querySelector('svg[part=chart]')!.getAttribute('aria-label')).to.equal('Chats per hour today: no chats yet.');
    });

    it('lists the ongoing chats with customer, agent, channel and duration', async () => {
      const { ongoingRows, root } = await setup(ONGOING(), { me: SUPERVISOR });
      const cells = ongoingRows().map((r) => [...r.querySelectorAll('td')].slice(0, 4).map((c) => c.textContent.trim()));
      // Longest first.
      expect(cells).to.deep.equal([
        ['Petra Syd', 'Cecilia Ek', 'Sales', '1 h 10 min'],
        ['Olle Nord', 'Bob Berg', 'Support', '25 min'],
        ['Rut Väst', 'You', 'Support', '3 min'],
      ]);
      expect(root.querySelector('[part=ongoing-count]')!.textContent).to.equal('3');
    });
  });

  describe('accessibility', () => {
    it('is accessible when empty', async () => {
      const { el, statsShown } = await setup();
      await statsShown();
      await expect(el).to.be.accessible();
    });

    it('is accessible with waiting chats', async () => {
      const { el, statsShown } = await setup(TWO());
      await statsShown();
      await expect(el).to.be.accessible();
    });

    it('is accessible with an error shown', async () => {
      const { el, root, row } = await setup(TWO(), { refuse: { accept: { code: 'at_capacity', message: 'too many chats' } } });
      row('q1').querySelector('button')!.click();
      await until(() => root.querySelector('[part=error]') !== null, 'error shown');
      await expect(el).to.be.accessible();
    });

    it('is accessible with the filter, the chart table and ongoing chats with Listen buttons', async () => {
      const { el, root, statsShown } = await setup([...TWO(), ...ONGOING()], { me: SUPERVISOR });
      await statsShown();
      root.querySelector<HTMLButtonElement>('[part=chart-toggle]')!.click();
      await el.updateComplete;
      await expect(el).to.be.accessible();
    });

    it('is accessible while listening', async () => {
      const { el, root, statsShown } = await setup(ONGOING(), { me: SUPERVISOR });
      await statsShown();
      root.querySelector<HTMLButtonElement>('[part~=listen-button]')!.click();
      await until(() => root.querySelector('[part=listen]') !== null, 'panel open');
      const conversation = root.querySelector('chat-conversation')!;
      await (conversation as unknown as { updateComplete: Promise<unknown> }).updateComplete;
      await expect(el).to.be.accessible();
    });

    it('is a grid with one tab stop and labelled Answer buttons', async () => {
      const { root, rows } = await setup(TWO());
      const grid = root.querySelector('[part=table]')!;
      expect(grid.getAttribute('role')).to.equal('grid');
      expect(root.getElementById(grid.getAttribute('aria-labelledby')!)!.textContent).to.contain('Incoming chats');
      expect(rows().map((r) => r.tabIndex)).to.deep.equal([0, -1]);
      const buttons = rows().map((r) => r.querySelector('button')!);
      expect(buttons.map((b) => b.tabIndex)).to.deep.equal([-1, -1]);
      expect(buttons[0]!.getAttribute('aria-label')).to.equal('Answer Kim Andersson');
      // No interactive control inside another one.
      expect(root.querySelector('button button, [role=button] button, a button')).to.equal(null);
    });

    it('labels the Listen buttons with the customer and announces listening', async () => {
      const { root } = await setup(ONGOING(), { me: SUPERVISOR });
      const button = root.querySelector<HTMLButtonElement>('[part~=listen-button]')!;
      expect(button.getAttribute('aria-label')).to.equal('Listen to the chat with Olle Nord');
      expect(button.textContent.trim()).to.equal('◉Listen');
      expect(button.getAttribute('aria-pressed')).to.equal('false');
      button.click();
      await until(() => announcerText().polite.includes('Listening to the chat with Olle Nord'), 'announced');
      expect(button.getAttribute('aria-pressed')).to.equal('true');
    });
  });

  describe('events', () => {
    it('fires chat-session-answer, answers the chat and selects it', async () => {
      const { el, client, fake, row } = await setup(TWO());
      const fired = oneEvent<ChatSessionAnswerEvent>(el, 'chat-session-answer');
      row('q2').querySelector('button')!.click();
      const event = await fired;
      expect(event.detail).to.deep.equal({ sessionId: 'q2' });
      expect(event.cancelable && event.bubbles && event.composed).to.be.true;
      await until(() => client.$selectedSessionId.get() === 'q2', 'q2 selected');
      expect(fake.sent('accept').map((f) => f.sessionId)).to.deep.equal(['q2']);
      await el.updateComplete;
      expect(row('q2')).to.equal(undefined);
      await until(() => announcerText().polite.includes('You answered the chat with Lea Berg'), 'answer announced');
    });

    it('does not answer when chat-session-answer is canceled', async () => {
      const { el, client, fake, row } = await setup(TWO());
      el.addEventListener('chat-session-answer', (e) => {
        e.preventDefault();
      });
      row('q1').querySelector('button')!.click();
      // The event is cancelled inside the click's handler, which then sends nothing.
      await el.updateComplete;
      expect(fake.sent('accept')).to.have.length(0);
      expect(client.$selectedSessionId.get()).to.equal(undefined);
    });

    it('shows, announces and reports a refused answer (at capacity)', async () => {
      const { el, root, row, client } = await setup(TWO(), { refuse: { accept: { code: 'at_capacity', message: 'too many chats' } } });
      const errored = oneEvent<ChatErrorEvent>(el, 'chat-error');
      row('q1').querySelector('button')!.click();
      const event = await errored;
      expect(event.detail.code).to.equal('at_capacity');
      await el.updateComplete;
      const error = root.querySelector('[part=error]')!;
      expect(error.textContent).to.contain('You are handling as many chats as you can');
      expect(el.hasCustomState('error')).to.be.true;
      expect(client.$selectedSessionId.get()).to.equal(undefined);
      await until(() => announcerText().assertive.includes('as many chats as you can'), 'error announced');
      // The row stays, and can be tried again; the message can be dismissed.
      expect(row('q1')).to.not.equal(undefined);
      root.querySelector<HTMLButtonElement>('[part=error-dismiss]')!.click();
      await el.updateComplete;
      expect(root.querySelector('[part=error]')).to.equal(null);
    });

    it('says when someone else answered the chat', async () => {
      const { el, root, row } = await setup(TWO(), { refuse: { accept: { code: 'conflict', message: 'already taken' } } });
      row('q2').querySelector('button')!.click();
      await until(() => root.querySelector('[part=error]') !== null, 'error shown');
      await el.updateComplete;
      expect(root.querySelector('[part=error]')!.textContent).to.contain('Someone else answered the chat with Lea Berg');
    });

    it('respects maxConcurrentChats: says why and sends nothing', async () => {
      const me: AgentMe = { ...AGENT_ME, maxConcurrentChats: 2 };
      const mineNow = [ongoing('m1', 5, { agentId: 'ann', agentName: 'Ann Agent' }), ongoing('m2', 4, { agentId: 'ann', agentName: 'Ann Agent' })];
      const { el, root, row, fake } = await setup([...TWO(), ...mineNow], { me });
      const note = root.querySelector('[part=capacity]')!;
      expect(note.textContent.trim()).to.equal('You are handling 2 of 2 chats, your maximum. End a chat before you answer another one.');
      const button = row('q1').querySelector('button')!;
      expect(button.getAttribute('aria-disabled')).to.equal('true');
      expect(root.getElementById(button.getAttribute('aria-describedby')!)).to.equal(note);
      const errored = oneEvent<ChatErrorEvent>(el, 'chat-error');
      button.click();
      expect((await errored).detail.code).to.equal('at_capacity');
      await el.updateComplete;
      expect(root.querySelector('[part=error]')!.textContent).to.contain('as many chats as you can');
      expect(fake.sent('accept')).to.have.length(0);
      await expect(el).to.be.accessible();
    });
  });

  describe('keyboard', () => {
    it('moves between rows with the arrow keys, Home and End', async () => {
      const { el, root, row } = await setup([...TWO(), queued('q3', 1)]);
      row('q1').focus();
      await sendKeys({ press: 'ArrowDown' });
      await el.updateComplete;
      expect(root.activeElement).to.equal(row('q2'));
      expect(row('q2').tabIndex).to.equal(0);
      expect(row('q1').tabIndex).to.equal(-1);
      await sendKeys({ press: 'End' });
      await el.updateComplete;
      expect(root.activeElement).to.equal(row('q3'));
      await sendKeys({ press: 'Home' });
      await el.updateComplete;
      expect(root.activeElement).to.equal(row('q1'));
      await sendKeys({ press: 'ArrowUp' });
      await el.updateComplete;
      expect(root.activeElement).to.equal(row('q1'));
    });

    it('answers the focused row with Enter', async () => {
      const { client, row, fake } = await setup(TWO());
      row('q1').focus();
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'Enter' });
      await until(() => client.$selectedSessionId.get() === 'q2', 'q2 selected');
      expect(fake.sent('accept').map((f) => f.sessionId)).to.deep.equal(['q2']);
    });

    it('reaches the Answer button with ArrowRight and goes back with ArrowLeft', async () => {
      const { el, root, row, client } = await setup(TWO());
      row('q1').focus();
      await sendKeys({ press: 'ArrowRight' });
      expect(root.activeElement).to.equal(row('q1').querySelector('button'));
      await sendKeys({ press: 'ArrowLeft' });
      expect(root.activeElement).to.equal(row('q1'));
      await sendKeys({ press: 'ArrowRight' });
      await sendKeys({ press: 'Space' });
      await until(() => client.$selectedSessionId.get() === 'q1', 'q1 selected');
      await el.updateComplete;
      // The answered row left the list; focus stays in the dashboard, on the next row.
      await until(() => root.activeElement === row('q2'), 'focus on the next row');
    });

    it('answers a row on double-click', async () => {
      const { row, client } = await setup(TWO());
      row('q2').querySelector('[part=channel]')!.dispatchEvent(new MouseEvent('dblclick', { bubbles: true, composed: true }));
      await until(() => client.$selectedSessionId.get() === 'q2', 'q2 selected');
    });

    it('moves focus into the listen panel and back to the Listen button when it stops', async () => {
      const { el, root } = await setup(ONGOING(), { me: SUPERVISOR });
      const listen = root.querySelector<HTMLButtonElement>('[part~=listen-button]')!;
      listen.focus();
      await sendKeys({ press: 'Enter' });
      await until(() => root.activeElement?.id === 'listen-heading', 'focus in the panel');
      root.querySelector<HTMLButtonElement>('[part=listen-stop]')!.focus();
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      await until(() => root.activeElement === root.querySelector('[part~=listen-button]'), 'focus back on Listen');
      expect(root.querySelector('[part=listen]')).to.equal(null);
    });
  });

  describe('listening', () => {
    it('offers Listen only with the listen permission of the channel, never on my own chats', async () => {
      const { ongoingRows } = await setup(ONGOING(), { me: SUPERVISOR });
      const withButton = ongoingRows()
        .filter((r) => r.querySelector('[part~=listen-button]'))
        .map((r) => r.dataset.id);
      // o2 is in Sales (no listen there), o3 is my own chat.
      expect(withButton).to.deep.equal(['o1']);
    });

    it('offers no Listen button to a plain agent', async () => {
      const { ongoingRows, root, el } = await setup(ONGOING(), { me: PLAIN });
      expect(ongoingRows()).to.have.length(3);
      expect(root.querySelector('[part~=listen-button]')).to.equal(null);
      // Double-clicking a row does not listen either.
      ongoingRows()[0]!.dispatchEvent(new MouseEvent('dblclick', { bubbles: true, composed: true }));
      await el.updateComplete;
      expect(root.querySelector('[part=listen]')).to.equal(null);
    });

    it('fits the listen panel, whisper box included, into the visible part of a short scroll box', async () => {
      const { client, fake } = await fixtureClient({ sessions: ONGOING(), me: SUPERVISOR });
      answerStats(fake, () => stats({}));
      const box = await fixture<HTMLDivElement>(html`<div style="height: 420px; overflow: auto"><chat-dashboard .client=${client}></chat-dashboard></div>`);
      const el = box.querySelector('chat-dashboard')!;
      const root = el.shadowRoot!;
      await until(() => root.querySelector('[part~=listen-button]') !== null, 'listen button');
      root.querySelector<HTMLButtonElement>('[part~=listen-button]')!.click();
      await until(() => root.querySelector('[part=listen]') !== null, 'panel open');
      const panel = root.querySelector<HTMLElement>('[part=listen]')!;
      // The panel is sized from the box (420 px), not the viewport, once the observer has run.
      await until(() => panel.getBoundingClientRect().height <= 420, 'panel fits the box');
      // So scrolled to, the whole panel is visible: the whisper box at its bottom too.
      panel.scrollIntoView({ block: 'nearest' });
      await until(() => panel.getBoundingClientRect().bottom <= box.getBoundingClientRect().bottom + 1, 'panel bottom visible');
      const whisperBottom = () => panel.querySelector('chat-conversation')?.shadowRoot?.querySelector('[part~=whisper]')?.getBoundingClientRect().bottom ?? Infinity;
      await until(() => whisperBottom() <= box.getBoundingClientRect().bottom + 1, 'whisper box visible');
      // Shorter box, shorter panel.
      box.style.height = '360px';
      await until(() => panel.getBoundingClientRect().height <= 360, 'panel follows the box');
    });

    it('opens a read-only live view with a whisper box only, labelled as silent, and stops it', async () => {
      const { el, root, fake, client } = await setup(ONGOING(), { me: SUPERVISOR });
      root.querySelector<HTMLButtonElement>('[part~=listen-button]')!.click();
      await until(() => root.querySelector('[part=listen]') !== null, 'panel open');
      const panel = root.querySelector('[part=listen]')!;
      expect(panel.querySelector('[part=listen-heading]')!.textContent.trim()).to.equal('Listening to Olle Nord');
      expect(panel.querySelector('[part=listen-notice]')!.textContent.trim()).to.contain('Listening — the agent and the customer are not notified.');
      const conversation = panel.querySelector('chat-conversation')!;
      expect(conversation.getAttribute('mode')).to.equal('listen');
      expect(conversation.getAttribute('session-id')).to.equal('o1');
      expect(el.hasCustomState('listening')).to.be.true;
      // The client follows the chat in listen mode; the conversation offers no reply composer,
      // only the supervisor's whisper to the handling agent.
      await until(() => fake.sent('subscribe').some((f) => f.sessionId === 'o1' && f.mode === 'listen'), 'subscribed to listen');
      await until(() => client.$messages.get().o1?.ready === true, 'messages loaded');
      await (conversation as unknown as { updateComplete: Promise<unknown> }).updateComplete;
      const composers = [...conversation.shadowRoot!.querySelectorAll('chat-composer')];
      expect(composers.map((c) => c.hasAttribute('whisper')), 'the listen view only whispers').to.deep.equal([true]);
      expect(conversation.hasAttribute('mode') && (conversation as unknown as { mode: string }).mode).to.equal('listen');

      root.querySelector<HTMLButtonElement>('[part=listen-stop]')!.click();
      await el.updateComplete;
      expect(root.querySelector('[part=listen]')).to.equal(null);
      expect(el.hasCustomState('listening')).to.be.false;
      await until(() => fake.sent('unsubscribe').some((f) => f.sessionId === 'o1'), 'unsubscribed');
      await until(() => announcerText().polite.includes('Stopped listening'), 'announced');
    });

    it('stops listening with the Close of the read-only view, leaving the selection alone', async () => {
      const { el, root, client, fake } = await setup(ONGOING(), { me: SUPERVISOR });
      client.selectSession('o3');
      root.querySelector<HTMLButtonElement>('[part~=listen-button]')!.click();
      await until(() => root.querySelector('chat-conversation') !== null, 'panel open');
      const conversation = root.querySelector('chat-conversation')!;
      const event = new CustomEvent('chat-session-close', { bubbles: true, composed: true, cancelable: true, detail: { sessionId: 'o1' } });
      conversation.dispatchEvent(event);
      expect(event.defaultPrevented).to.be.true;
      await el.updateComplete;
      expect(root.querySelector('[part=listen]')).to.equal(null);
      expect(client.$selectedSessionId.get()).to.equal('o3');
      await until(() => fake.sent('unsubscribe').some((f) => f.sessionId === 'o1'), 'unsubscribed');
    });

    it('closes the view when the server revokes the listen permission', async () => {
      const { el, root, fake, client } = await setup(ONGOING(), { me: SUPERVISOR });
      root.querySelector<HTMLButtonElement>('[part~=listen-button]')!.click();
      await until(() => client.$messages.get().o1?.ready === true, 'listening');
      fake.last.push({ t: 'me', me: PLAIN });
      fake.last.push({ t: 'gone', stream: 'session:o1', reason: 'revoked' });
      await until(() => root.querySelector('[part=listen]') === null, 'panel closed');
      await el.updateComplete;
      await expect(el).to.be.accessible();
      expect(root.querySelector('[part=listen-ended]')!.textContent).to.contain('you may no longer listen in this channel');
      expect(client.$messages.get().o1).to.equal(undefined, 'the client dropped its copy');
      expect(root.querySelector('[part~=listen-button]')).to.equal(null);
      await until(() => announcerText().assertive.includes('Listening stopped'), 'announced');
    });
  });

  describe('store integration', () => {
    it('shows chats as they arrive and drops them when they are answered elsewhere', async () => {
      const { el, fake, rows, root } = await setup();
      pushSession(fake, 1, queued('n1', 0, { customer: { name: 'New Person' } }));
      await until(() => rows().length === 1, 'new row');
      expect(rows()[0]!.textContent).to.contain('New Person');
      expect(el.hasCustomState('empty')).to.be.false;
      // Another agent answers it: it moves to the ongoing chats.
      pushSession(fake, 2, { ...queued('n1', 0), status: 'active', agentId: 'bob', agentName: 'Bob', acceptedAt: Date.now() });
      await until(() => rows().length === 0, 'row gone');
      expect(root.querySelector('[part=empty]')).to.not.equal(null);
      expect(root.querySelector('[part~=ongoing-row]')!.textContent).to.contain('Bob');
    });

    it('ignores waiting chats of channels where I may not respond', async () => {
      const { rows } = await setup([queued('q1', 1), queued('s1', 1, { channelId: 'sales' })]);
      expect(rows().map((r) => r.dataset.id)).to.deep.equal(['q1']);
    });

    it('follows a new client', async () => {
      const { el, rows } = await setup(TWO());
      const other = await fixtureClient({ sessions: [queued('x1', 1)] });
      el.client = other.client;
      await el.updateComplete;
      expect(rows().map((r) => r.dataset.id)).to.deep.equal(['x1']);
    });

    it('asks for statistics again on board changes (throttled) and every 30 seconds, by server time', async () => {
      const { fake, asked, statsShown } = await setup();
      await statsShown();
      expect(asked).to.deep.equal([undefined], 'all channels: no channel list');
      const clock = runningClock();
      try {
        // A burst of board changes: one more request, not one each.
        for (let i = 1; i <= 5; i++) pushSession(fake, i, queued(`b${String(i)}`, 0));
        await until(() => asked.length === 2, 'one refresh after the burst', 4000);
        // Every timer of the next 10 seconds run (the 30-second refresh is later).
        await clock.tickAsync(10_000);
      } finally {
        clock.restore();
      }
      expect(asked).to.have.length(2);
    });

    it('refreshes every 30 seconds', async () => {
      const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['setInterval', 'clearInterval'], shouldClearNativeTimers: false });
      const { asked, statsShown } = await setup();
      await statsShown();
      const before = asked.length;
      clock.tick(30_000);
      await until(() => asked.length === before + 1, 'refreshed');
    });

    it('keeps the longest wait live between refreshes, on server time', async () => {
      const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['setInterval', 'clearInterval', 'Date'], shouldClearNativeTimers: false });
      const { card, statsShown, el } = await setup([], { stats: () => stats({ oldestWaitingSince: Date.now() - 2 * 60_000, longestWaitMs: 2 * 60_000 }) });
      await statsShown();
      expect(card('longest-wait').value).to.equal('2 min');
      clock.tick(61_000);
      await el.updateComplete;
      expect(card('longest-wait').value).to.equal('3 min');
    });
  });

  describe('channel filter', () => {
    it('shows all my channels, filters by the chosen ones and remembers the choice per agent', async () => {
      const chats = [queued('q1', 3), queued('s1', 2, { channelId: 'sales' }), ...ONGOING()];
      const { el, root, rows, ongoingRows, asked, statsShown, client } = await setup(chats, { me: SUPERVISOR });
      await statsShown();
      const boxes = () => [...root.querySelectorAll<HTMLInputElement>('[part=filter] input')];
      const labels = [...root.querySelectorAll('[part=filter-option]')].map((l) => l.textContent.trim());
      expect(labels).to.deep.equal(['All channels', 'Sales', 'Support']);
      expect(boxes().map((b) => b.checked)).to.deep.equal([true, false, false]);
      expect(rows().map((r) => r.dataset.id)).to.deep.equal(['q1', 's1']);

      boxes()[1]!.click(); // Sales only
      await el.updateComplete;
      expect(boxes().map((b) => b.checked)).to.deep.equal([false, true, false]);
      expect(el.hasCustomState('filtered')).to.be.true;
      expect(rows().map((r) => r.dataset.id)).to.deep.equal(['s1']);
      expect(ongoingRows().map((r) => r.dataset.id)).to.deep.equal(['o2']);
      await until(() => JSON.stringify(asked.at(-1)) === '["sales"]', 'statistics for Sales');
      await until(() => root.querySelector('[part=stats-meta]')!.textContent.startsWith('Sales · today'), 'scope shown');
      expect(root.querySelector('[part=hidden-waiting]')!.textContent).to.contain('1 more waiting in other channels.');
      const key = Object.keys(localStorage).find((k) => k.startsWith('crm-chat.dashboard.channels|'))!;
      expect(key).to.contain('|demo|ann');
      expect(JSON.parse(localStorage.getItem(key)!)).to.deep.equal(['sales']);

      // Another dashboard of the same agent starts with Sales.
      const again = await fixture<ChatDashboard>(html`<chat-dashboard .client=${client}></chat-dashboard>`);
      const againBoxes = [...again.shadowRoot!.querySelectorAll<HTMLInputElement>('[part=filter] input')];
      expect(againBoxes.map((b) => b.checked)).to.deep.equal([false, true, false]);

      // Both channels chosen = all channels; the memory is cleared.
      boxes()[2]!.click();
      await el.updateComplete;
      expect(boxes().map((b) => b.checked)).to.deep.equal([true, false, false]);
      expect(localStorage.getItem(key)).to.equal(null);
      expect(el.hasCustomState('filtered')).to.be.false;
    });

    it('ignores a remembered choice of another agent, and channels I no longer have', async () => {
      localStorage.setItem('crm-chat.dashboard.channels|http://chat.test|demo|someone-else', '["sales"]');
      localStorage.setItem('crm-chat.dashboard.channels|http://chat.test|demo|ann', '["gone", "support"]');
      const { root, statsShown } = await setup([], { me: SUPERVISOR });
      await statsShown();
      const boxes = [...root.querySelectorAll<HTMLInputElement>('[part=filter] input')];
      expect(boxes.map((b) => b.checked)).to.deep.equal([false, false, true]);
    });

    it('"Show all channels" under the incoming chats clears the filter', async () => {
      localStorage.setItem('crm-chat.dashboard.channels|http://chat.test|demo|ann', '["support"]');
      const { el, root, rows } = await setup([queued('q1', 3), queued('s1', 2, { channelId: 'sales' })], { me: SUPERVISOR });
      expect(rows().map((r) => r.dataset.id)).to.deep.equal(['q1']);
      root.querySelector<HTMLButtonElement>('[part=hidden-waiting] button')!.click();
      await el.updateComplete;
      expect(rows().map((r) => r.dataset.id)).to.deep.equal(['q1', 's1']);
    });

    it('has no filter with a single channel', async () => {
      const { root } = await setup();
      expect(root.querySelector('[part=filter]')).to.equal(null);
    });
  });

  describe('theming', () => {
    it('exposes parts and custom states', async () => {
      const { root, el, statsShown } = await setup([...TWO(), ...ONGOING()], { me: SUPERVISOR });
      await statsShown();
      for (const part of [
        'base',
        'main',
        'filter',
        'filter-option',
        'stats',
        'stats-heading',
        'stats-meta',
        'cards',
        'card',
        'card-label',
        'card-value',
        'card-note',
        'chart-section',
        'chart',
        'chart-bar',
        'chart-toggle',
        'chart-table',
        'heading',
        'count',
        'table',
        'row',
        'customer',
        'channel',
        'waiting',
        'preview',
        'answer',
        'ongoing-heading',
        'ongoing-count',
        'ongoing-table',
        'ongoing-row',
        'agent',
        'duration',
        'listen-button',
      ]) {
        expect(root.querySelector(`[part~="${part}"]`), part).to.not.equal(null);
      }
      expect(el.hasCustomState('empty')).to.be.false;
      expect(el.hasCustomState('answering')).to.be.false;
      expect(el.hasCustomState('listening')).to.be.false;
      expect(el.hasCustomState('filtered')).to.be.false;
    });
  });
});
