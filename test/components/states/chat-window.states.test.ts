/**
 * chat-window: its states, in the light and the dark theme (test/helpers/a11y-states.ts): the
 * Dashboard empty and with waiting chats, an answer refused, wait warnings (agents and managers,
 * one blocked at the chat limit), the Chats tab with an open chat and the customer panel, the
 * settings menu, Away, the keyboard-shortcut list, a lost connection, and a narrow window with
 * the list and the customer panel folded.
 */
import { fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

import '../../../src/components/chat-window/chat-window.js';
import type { ChatWindow } from '../../../src/components/chat-window/chat-window.js';
import type { NotificationSink } from '../../../src/components/chat-window/notifications.js';
import { createMemoryCrmProvider } from '../../../src/crm/memory-provider.js';
import type { SessionSummary } from '../../../src/protocol/index.js';
import { auditStates, type Shown } from '../../helpers/a11y-states.js';
import { until } from '../../helpers/chat-server.js';
import { AGENT_ME, type FakeServer } from '../../helpers/fake-server.js';
import { chatMessage, fixtureClient, NOW, session, type FixtureOptions } from '../../helpers/fixture-client.js';
import { ignoreResizeObserverLoop } from '../../helpers/resize-observer-loop.js';

ignoreResizeObserverLoop();

const queued = (id: string, name: string, minutes = 1): SessionSummary => {
  const createdAt = Date.now() - minutes * 60_000;
  const { agentId: _a, agentName: _n, acceptedAt: _t, ...rest } = session({ id, status: 'queued', createdAt, lastActivityAt: createdAt, customer: { name } });
  return rest;
};
const mine = (id: string, name: string) => session({ id, customer: { name, email: `${id}@example.com`, phone: '+46 70 123 45 67' } });
const warning = (sessionId: string, level: 'agents' | 'managers', waitedMs: number) => ({ t: 'warning', sessionId, level, waitingSince: Date.now() - waitedMs });

/** A sink that plays and shows nothing; desktop notices are denied (the settings say so). */
const quietSink: NotificationSink = {
  isAttended: () => true,
  playSound: () => undefined,
  unlockAudio: () => undefined,
  permission: () => 'denied',
  requestPermission: () => Promise.resolve('denied'),
  showDesktop: () => undefined,
  dispose: () => undefined,
};

type Win = Shown & { el: ChatWindow; root: ShadowRoot; fake: FakeServer };

async function mount(sessions: SessionSummary[] = [], options: FixtureOptions & { width?: number; tab?: 'chats' } = {}): Promise<Win> {
  const { width, tab, ...rest } = options;
  const { client, fake } = await fixtureClient({ sessions, ...rest });
  const crm = createMemoryCrmProvider({ now: () => NOW, data: {
      contacts: [{ id: 'pe-1', firstName: 'Kim', lastName: 'Andersson', email: 's1@example.com', phone: '+46701234567' }],
      sessions: [{ id: 's1', customer: { name: 'Kim Andersson', email: 's1@example.com' }, status: 'active', startedAt: NOW - 600_000 }],
    },
  });
  const wrapper = await fixture<HTMLDivElement>(
    html`<div style=${`height: 700px; width: ${width ? `${String(width)}px` : '100%'}`}>
      <chat-window style="height: 100%" .client=${client} .crmProvider=${crm} .notificationSink=${quietSink} tab=${tab ?? 'dashboard'}></chat-window>
    </div>`,
  );
  const el = wrapper.querySelector('chat-window')!;
  await Promise.all(['chat-dashboard', 'chat-session-list', 'chat-conversation', 'chat-connection-status'].map((t) => customElements.whenDefined(t)));
  await el.updateComplete;
  return { el, root: el.shadowRoot!, fake, done: () => { client.destroy(); } };
}

const dashboardRoot = (s: Win) => s.root.querySelector('chat-dashboard')!.shadowRoot!;

auditStates('chat-window', [
  { name: 'Dashboard, nothing waiting', shows: ['dashboard'], setup: () => mount() },
  { name: 'Dashboard with waiting chats', shows: ['dashboard', 'queued'], setup: () => mount([queued('q1', 'Kim'), queued('q2', 'Lea')]) },
  {
    name: 'an answer refused, with the error',
    shows: ['dashboard', 'queued'],
    setup: async () => {
      const s = await mount([queued('q1', 'Kim')], { refuse: { accept: { code: 'at_capacity', message: 'too many' } } });
      await until(() => dashboardRoot(s).querySelector('[part~=answer]') !== null, 'Answer');
      dashboardRoot(s).querySelector<HTMLButtonElement>('[part~=answer]')!.click();
      await until(() => dashboardRoot(s).querySelector('[part=error]') !== null, 'error shown');
      return s;
    },
  },
  {
    name: 'wait warnings for agents and managers, one blocked at the chat limit',
    shows: ['warning', 'at-capacity', 'queued'],
    setup: async () => {
      const s = await mount([mine('s1', 'Max'), queued('q1', 'Kim'), queued('q2', 'Lea')], { me: { ...AGENT_ME, maxConcurrentChats: 1 } });
      s.fake.last.push(warning('q1', 'agents', 61_000));
      s.fake.last.push(warning('q2', 'managers', 200_000));
      await until(() => s.root.querySelectorAll('[part~=warning]').length === 2, 'warnings shown');
      return s;
    },
  },
  {
    name: 'Chats: an open chat with messages and the customer panel',
    shows: ['chats'],
    setup: async () => {
      const s = await mount([mine('s1', 'Kim Andersson'), queued('q1', 'Lea')], { tab: 'chats', messages: { s1: [chatMessage('s1', 1, { text: 'Hello, I need help with order 7781' })] } });
      (s.el as unknown as { client: { selectSession: (id: string) => void } }).client.selectSession('s1');
      await until(() => s.root.querySelector('chat-conversation')?.shadowRoot?.querySelector('chat-message-list') !== null, 'conversation');
      await until(() => s.root.querySelector('chat-contact-panel')?.matches(':state(matches), :state(linked)') === true, 'customer panel');
      return s;
    },
  },
  {
    name: 'the settings menu open',
    setup: async () => {
      const s = await mount();
      s.root.querySelector<HTMLElement>('[part=settings-button]')!.click();
      await s.el.updateComplete;
      return s;
    },
  },
  {
    name: 'Away',
    shows: ['away'],
    setup: async () => {
      const s = await mount();
      s.root.querySelector<HTMLInputElement>('input[name=presence][value=away]')!.click();
      await until(() => s.el.matches(':state(away)'), 'away');
      return s;
    },
  },
  {
    name: 'the keyboard shortcuts dialog',
    setup: async () => {
      const s = await mount([queued('q1', 'Kim')]);
      s.root.getElementById('tab-dashboard')!.focus();
      await sendKeys({ type: '?' });
      await until(() => s.root.querySelector<HTMLDialogElement>('#keys-dialog')?.open === true, 'dialog open');
      return s;
    },
  },
  {
    name: 'the connection lost',
    setup: async () => {
      const s = await mount();
      s.fake.onFrame = () => undefined;
      s.fake.last.serverClose(1011, 'test');
      await until(() => /Reconnecting|Connecting|Syncing/.test(s.root.querySelector('chat-connection-status')?.shadowRoot?.textContent ?? ''), 'banner');
      return s;
    },
  },
  {
    name: 'a narrow window (480 px), the customer panel unfolded',
    shows: ['chats'],
    setup: async () => {
      const s = await mount([mine('s1', 'Kim Andersson')], { width: 480, tab: 'chats' });
      s.root.querySelector<HTMLButtonElement>('.toggle[aria-controls=contact-column]')!.click();
      await s.el.updateComplete;
      return s;
    },
  },
]);
