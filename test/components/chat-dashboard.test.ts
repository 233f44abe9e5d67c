import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';

import '../../src/components/chat-dashboard/chat-dashboard.js';
import type { ChatDashboard } from '../../src/components/chat-dashboard/chat-dashboard.js';
import type { ChatErrorEvent } from '../../src/events/chat-error-event.js';
import type { ChatSessionAnswerEvent } from '../../src/events/chat-session-answer-event.js';
import { announcerText } from '../../src/internal/announcer.js';
import type { SessionSummary } from '../../src/protocol/index.js';
import { until } from '../helpers/chat-server.js';
import { fixtureClient, pushSession, session } from '../helpers/fixture-client.js';

/** A waiting chat in the agent's channel (support), created `minutes` ago by the real clock. */
function queued(id: string, minutes: number, extra: Partial<SessionSummary> = {}): SessionSummary {
  const createdAt = Date.now() - minutes * 60_000;
  const { agentId: _a, agentName: _n, acceptedAt: _t, ...rest } = session({ id, status: 'queued', createdAt, lastActivityAt: createdAt });
  return { ...rest, ...extra };
}

async function setup(sessions: SessionSummary[] = [], options: Parameters<typeof fixtureClient>[0] = {}) {
  const { client, fake } = await fixtureClient({ sessions, ...options });
  const el = await fixture<ChatDashboard>(html`<chat-dashboard .client=${client}></chat-dashboard>`);
  const root = el.shadowRoot!;
  const rows = () => [...root.querySelectorAll<HTMLTableRowElement>('tbody tr')];
  const row = (id: string) => rows().find((r) => r.dataset.id === id)!;
  return { client, fake, el, root, rows, row };
}

const TWO = () => [
  queued('q1', 5, { customer: { name: 'Kim Andersson', email: 'kim@example.com' }, lastMessage: { from: 'customer', text: 'Where is my order?', at: Date.now() } }),
  queued('q2', 2, { customer: { name: 'Lea Berg' } }),
];

describe('chat-dashboard', () => {
  afterEach(() => {
    sinon.restore();
  });

  describe('rendering', () => {
    it('shows an empty state when no chat is waiting', async () => {
      const { root, el } = await setup();
      expect(root.querySelector('[part=empty]')!.textContent).to.contain('No chats are waiting');
      expect(root.querySelector('table')).to.equal(null);
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
      const { rows } = await setup([queued('q1', 1, { customer: { name: '<img src=x onerror=alert(1)>' }, lastMessage: { from: 'customer', text: '<b>hi</b>', at: 1 } })]);
      expect(rows()[0]!.querySelector('img, b')).to.equal(null);
      expect(rows()[0]!.querySelector('.name')!.textContent).to.equal('<img src=x onerror=alert(1)>');
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
  });

  describe('accessibility', () => {
    it('is accessible when empty', async () => {
      const { el } = await setup();
      await expect(el).to.be.accessible();
    });

    it('is accessible with waiting chats', async () => {
      const { el } = await setup(TWO());
      await expect(el).to.be.accessible();
    });

    it('is accessible with an error shown', async () => {
      const { el, root, row } = await setup(TWO(), { refuse: { accept: { code: 'at_capacity', message: 'too many chats' } } });
      row('q1').querySelector('button')!.click();
      await until(() => root.querySelector('[part=error]') !== null, 'error shown');
      await expect(el).to.be.accessible();
    });

    it('is a grid with one tab stop and labelled Answer buttons', async () => {
      const { root, rows } = await setup(TWO());
      const grid = root.querySelector('table')!;
      expect(grid.getAttribute('role')).to.equal('grid');
      expect(root.getElementById(grid.getAttribute('aria-labelledby')!)!.textContent).to.contain('Incoming chats');
      expect(rows().map((r) => r.tabIndex)).to.deep.equal([0, -1]);
      const buttons = rows().map((r) => r.querySelector('button')!);
      expect(buttons.map((b) => b.tabIndex)).to.deep.equal([-1, -1]);
      expect(buttons[0]!.getAttribute('aria-label')).to.equal('Answer Kim Andersson');
      // No interactive control inside another one.
      expect(root.querySelector('button button, [role=button] button, a button')).to.equal(null);
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
      await new Promise((r) => setTimeout(r, 50));
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
  });

  describe('store integration', () => {
    it('shows chats as they arrive and drops them when they are answered elsewhere', async () => {
      const { el, fake, rows, root } = await setup();
      pushSession(fake, 1, queued('n1', 0, { customer: { name: 'New Person' } }));
      await until(() => rows().length === 1, 'new row');
      expect(rows()[0]!.textContent).to.contain('New Person');
      expect(el.hasCustomState('empty')).to.be.false;
      // Another agent answers it.
      pushSession(fake, 2, { ...queued('n1', 0), status: 'active', agentId: 'bob', agentName: 'Bob' });
      await until(() => rows().length === 0, 'row gone');
      expect(root.querySelector('[part=empty]')).to.not.equal(null);
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
  });

  describe('theming', () => {
    it('exposes parts and custom states', async () => {
      const { root, el } = await setup(TWO());
      for (const part of ['base', 'heading', 'count', 'table', 'row', 'customer', 'channel', 'waiting', 'preview', 'answer']) {
        expect(root.querySelector(`[part~="${part}"]`), part).to.not.equal(null);
      }
      expect(el.hasCustomState('empty')).to.be.false;
      expect(el.hasCustomState('answering')).to.be.false;
    });
  });
});
