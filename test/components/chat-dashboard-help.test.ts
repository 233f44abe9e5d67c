/**
 * "Help requested" on the dashboard (issue 18): the requests of the channels I supervise (listen
 * or manager permission), oldest first, never my own; the waiting time counting live; Listen and
 * Whisper open the listen-in panel (focus on its heading / in its whisper box), Take over for
 * managers (then the chat is selected), Handled lowers the flag; the row goes when the server
 * clears the flag; keyboard only, axe, English and Swedish.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';

import '../../src/components/chat-dashboard/chat-dashboard.js';
import type { ChatDashboard } from '../../src/components/chat-dashboard/chat-dashboard.js';
import type { ChatConversation } from '../../src/components/chat-conversation/chat-conversation.js';
import { announcerText } from '../../src/internal/announcer.js';
import { setChatLocale } from '../../src/i18n/localization.js';
import type { AgentMe, SessionSummary } from '../../src/protocol/index.js';
import { until } from '../helpers/chat-server.js';
import type { RunningClock } from '../helpers/clock.js';
import { AGENT_ME } from '../helpers/fake-server.js';
import { fixtureClient, pushSession, session } from '../helpers/fixture-client.js';

const perm = (listen: boolean, manager = false) => ({ respond: true, notifications: true, listen, manager });

/** Listens in Support (not in Sales). */
const SUPERVISOR: AgentMe = {
  ...AGENT_ME,
  channels: [
    { id: 'sales', name: 'Sales', permissions: perm(false) },
    { id: 'support', name: 'Support', permissions: perm(true) },
  ],
};
/** Listens in and manages Support. */
const MANAGER: AgentMe = { ...SUPERVISOR, channels: [{ id: 'sales', name: 'Sales', permissions: perm(false) }, { id: 'support', name: 'Support', permissions: perm(true, true) }] };
const PLAIN: AgentMe = { ...AGENT_ME, channels: [{ id: 'support', name: 'Support', permissions: perm(false) }] };

/** An ongoing chat of `agent` whose help request was raised `seconds` ago by the real clock. */
function asking(id: string, seconds: number, extra: Partial<SessionSummary> = {}): SessionSummary {
  const now = Date.now();
  return session({
    id,
    createdAt: now - 600_000,
    acceptedAt: now - 500_000,
    lastActivityAt: now - 1000,
    agentId: 'bob',
    agentName: 'Bob Berg',
    help: { at: now - seconds * 1000, agentId: 'bob', agentName: 'Bob Berg' },
    ...extra,
  });
}

const BOARD = () => [
  asking('h1', 660, { customer: { name: 'Kim Andersson' }, help: { at: Date.now() - 660_000, agentId: 'bob', agentName: 'Bob Berg', note: 'Refund <b>over</b> 500?' } }),
  asking('h2', 1500, { customer: { name: 'Lea Berg' }, agentId: 'cecilia', agentName: 'Cecilia Ek', help: { at: Date.now() - 1_500_000, agentId: 'cecilia', agentName: 'Cecilia Ek' } }),
  asking('h3', 60, { channelId: 'sales', customer: { name: 'Sven Sales' } }),
  asking('h4', 60, { customer: { name: 'My Own' }, agentId: 'ann', agentName: 'Ann Agent', help: { at: Date.now() - 60_000, agentId: 'ann', agentName: 'Ann Agent' } }),
  session({ id: 'o1', customer: { name: 'No Flag' }, agentId: 'bob', agentName: 'Bob Berg' }),
];

async function setup(me: AgentMe, sessions: SessionSummary[] = BOARD()) {
  const { client, fake } = await fixtureClient({ sessions, me });
  const script = fake.onFrame;
  fake.onFrame = (socket, frame) => {
    if (frame.t === 'stats') return; // the statistics are not what this test looks at
    script(socket, frame);
  };
  const el = await fixture<ChatDashboard>(html`<chat-dashboard .client=${client}></chat-dashboard>`);
  const root = el.shadowRoot!;
  const section = () => root.querySelector<HTMLElement>('[part=help]');
  const rows = () => [...root.querySelectorAll<HTMLTableRowElement>('[part=help-row]')];
  const row = (id: string) => rows().find((r) => r.dataset.id === id);
  const cells = (id: string) => [...(row(id)?.querySelectorAll('td') ?? [])].map((c) => c.textContent.replace(/\s+/g, ' ').trim());
  const button = (id: string, name: string) => row(id)?.querySelector<HTMLButtonElement>(`[part~="${name}"]`) ?? null;
  return { client, fake, el, root, section, rows, row, cells, button };
}

describe('chat-dashboard: help requested', function () {
  this.timeout(20_000);
  let clock: RunningClock | undefined;

  afterEach(async () => {
    clock?.restore();
    clock = undefined;
    localStorage.clear();
    await setChatLocale('en');
  });

  it('lists the requests of the channels I supervise, oldest first, never my own; the note as text', async () => {
    const s = await setup(SUPERVISOR);
    expect(s.root.querySelector('[part=help-heading]')!.textContent.replace(/\s+/g, ' ').trim()).to.equal('Help requested 2');
    expect(s.rows().map((r) => r.dataset.id)).to.deep.equal(['h2', 'h1'], 'oldest request first; not Sales, not mine, not unflagged');
    // Waiting times of 10 minutes and more are shown in minutes (steady while the test runs).
    expect(s.cells('h1').slice(0, 4)).to.deep.equal(['Kim Andersson', 'Bob Berg Refund <b>over</b> 500?', 'Support', '11 min']);
    expect(s.row('h1')!.querySelector('b')).to.equal(null, 'never markup');
    expect(s.cells('h2')[3]).to.equal('25 min');
    // Listen in: Listen and Whisper; no Take over without the manager permission.
    expect(s.button('h1', 'help-listen')!.getAttribute('aria-label')).to.equal('Listen to the chat with Kim Andersson to help Bob Berg');
    expect(s.button('h1', 'help-whisper')!.getAttribute('aria-label')).to.equal('Whisper to Bob Berg in the chat with Kim Andersson');
    expect(s.button('h1', 'help-takeover')).to.equal(null);
    expect(s.button('h1', 'help-handled')).to.not.equal(null);
    // Above the incoming chats.
    const incoming = s.root.querySelector('#incoming-heading')!;
    expect(s.section()!.compareDocumentPosition(incoming) & Node.DOCUMENT_POSITION_FOLLOWING).to.not.equal(0);
    await expect(s.el).to.be.accessible();
  });

  it('is not there for an agent who supervises no channel', async () => {
    const s = await setup(PLAIN);
    expect(s.section()).to.equal(null);
  });

  it('counts the waiting time live; the row goes when the server clears the flag', async () => {
    const raised = asking('h1', 30, { customer: { name: 'Kim Andersson' } });
    const s = await setup(SUPERVISOR, [raised]);
    expect(s.cells('h1')[3]).to.match(/^3\d s$/);
    // A minute later on the clock: the list's own tick re-renders the row, no board event needed.
    // Only Date is faked (from now on, moving with real time): the list's own interval stays real.
    clock = sinon.useFakeTimers({ now: Date.now(), shouldAdvanceTime: true, toFake: ['Date'] });
    clock.tick(60_000);
    await until(() => /^1 min 3\d s$/.test(s.cells('h1')[3] ?? ''), 'the waiting time moved on by a minute');
    // The server clears the flag (someone joined): the row and the section go.
    const { help: _h, ...cleared } = raised;
    pushSession(s.fake, 1, cleared);
    await until(() => s.section() === null, 'section gone');
  });

  it('Listen (keyboard) opens the listen-in panel on that chat, focus on its heading', async () => {
    const s = await setup(SUPERVISOR);
    s.button('h1', 'help-listen')!.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => s.root.querySelector('[part=listen]') !== null, 'panel open');
    const conversation = s.root.querySelector<ChatConversation>('[part=listen] chat-conversation')!;
    expect(conversation.getAttribute('session-id')).to.equal('h1');
    expect(conversation.getAttribute('mode')).to.equal('listen');
    await until(() => s.root.activeElement?.id === 'listen-heading', 'focus on the panel heading');
    await until(() => s.fake.sent('subscribe').some((f) => f.sessionId === 'h1' && f.mode === 'listen'), 'subscribed to listen');
    // The announcer coalesces for 400 ms before it speaks: wait for the words, do not race them.
    await until(() => announcerText().polite.includes('Listening to the chat with Kim Andersson.'), 'listening announced');
  });

  it('Whisper opens the panel with focus in its whisper box', async () => {
    const s = await setup(SUPERVISOR);
    s.button('h1', 'help-whisper')!.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => s.root.querySelector('[part=listen] chat-conversation') !== null, 'panel open');
    const conversation = s.root.querySelector<ChatConversation>('[part=listen] chat-conversation')!;
    await until(() => conversation.shadowRoot?.activeElement?.localName === 'chat-composer', 'focus in the whisper box');
    const composer = conversation.shadowRoot!.querySelector('chat-composer')!;
    expect(composer.getAttribute('part')).to.contain('whisper');
    await until(() => composer.shadowRoot?.activeElement?.localName === 'textarea', 'in its text area');
    expect(composer.shadowRoot!.querySelector('textarea')!.getAttribute('aria-label') ?? composer.label).to.equal('Whisper to Bob Berg');
  });

  it('Take over (managers) sends takeover and selects the chat', async () => {
    const s = await setup(MANAGER);
    const take = s.button('h1', 'help-takeover')!;
    expect(take.getAttribute('aria-label')).to.equal('Take over the chat with Kim Andersson');
    take.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => s.fake.sent('takeover').length === 1, 'takeover sent');
    expect(s.fake.sent('takeover')[0]).to.deep.include({ sessionId: 'h1' });
    await until(() => s.client.$selectedSessionId.get() === 'h1', 'selected');
    await until(() => announcerText().polite.includes('You took over the chat with Kim Andersson.'), 'announced');
  });

  it('a refused takeover is said in the section and fired as chat-error', async () => {
    const { client } = await fixtureClient({ sessions: BOARD(), me: MANAGER, refuse: { takeover: { code: 'at_capacity', message: 'full' } } });
    const el = await fixture<ChatDashboard>(html`<chat-dashboard .client=${client}></chat-dashboard>`);
    const errors: string[] = [];
    el.addEventListener('chat-error', (e) => errors.push(e.detail.code));
    const button = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="help-takeover"]')].find((b) => b.closest('tr')?.dataset.id === 'h1')!;
    button.click();
    await until(() => el.shadowRoot!.querySelector('[part=help-error]') !== null, 'error shown');
    expect(el.shadowRoot!.querySelector('[part=help-error]')!.textContent.trim()).to.equal('You cannot take over: you already handle as many chats as you can.');
    expect(errors).to.deep.equal(['at_capacity']);
    await expect(el).to.be.accessible();
  });

  it('Handled lowers the flag', async () => {
    const s = await setup(SUPERVISOR);
    s.button('h2', 'help-handled')!.click();
    await until(() => s.fake.sent('help').length === 1, 'help sent');
    expect(s.fake.sent('help')[0]).to.deep.include({ sessionId: 'h2', on: false });
    await until(() => announcerText().polite.includes('The request for help in the chat with Lea Berg is marked as handled.'), 'announced');
  });

  it('a waiting chat returned to the queue shows who returned it and why, as text', async () => {
    const now = Date.now();
    const { agentId: _a, agentName: _n, acceptedAt: _t, ...waiting } = session({ id: 'q1', status: 'queued', createdAt: now - 60_000, lastActivityAt: now - 1000 });
    const s = await setup(PLAIN, [{ ...waiting, customer: { name: 'Kim Andersson' }, returned: { reason: 'Needs the <i>B2B</i> desk', agentId: 'bob', agentName: 'Bob Berg', at: now - 5000 } }]);
    const line = s.root.querySelector('tbody.incoming [part~="returned"]')!;
    expect(line.textContent.trim()).to.equal('Returned by Bob Berg: Needs the <i>B2B</i> desk');
    expect(line.querySelector('i')).to.equal(null);
    await expect(s.el).to.be.accessible();
  });

  it('Swedish', async () => {
    await setChatLocale('sv');
    const s = await setup(MANAGER);
    await until(() => s.root.querySelector('[part=help-heading]')?.textContent.includes('Hjälp efterfrågas') === true, 'Swedish heading');
    expect(s.button('h1', 'help-whisper')!.textContent.trim()).to.equal('Viska');
    expect(s.button('h1', 'help-takeover')!.textContent.trim()).to.equal('Ta över');
    expect(s.button('h1', 'help-handled')!.textContent.trim()).to.equal('Hanterad');
    expect([...s.root.querySelectorAll('[part=help-table] th')].map((th) => th.textContent.trim())).to.deep.equal(['Kund', 'Frågad av', 'Kanal', 'Väntar', 'Åtgärder']);
    await expect(s.el).to.be.accessible();
  });
});
