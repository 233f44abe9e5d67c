/**
 * chat-conversation: its states, in the light and the dark theme (test/helpers/a11y-states.ts):
 * empty, a chat with messages (Reply and Note), the End chat confirmation, the transfer dialog,
 * a transfer pending and one offered to me, a chat someone else handles (Take over), listening,
 * a completed chat, and the Create request dialog.
 */
import { fixture, html } from '@open-wc/testing';
import { ifDefined } from 'lit/directives/if-defined.js';

import '../../../src/components/chat-conversation/chat-conversation.js';
import type { ChatConversation } from '../../../src/components/chat-conversation/chat-conversation.js';
import { createMemoryCrmProvider } from '../../../src/crm/memory-provider.js';
import type { AgentInfo, AgentMe, ChatMessage, SessionSummary } from '../../../src/protocol/index.js';
import { auditStates, type Shown } from '../../helpers/a11y-states.js';
import { until } from '../../helpers/chat-server.js';
import { AGENT_ME } from '../../helpers/fake-server.js';
import { chatMessage, fixtureClient, NOW, session, type FixtureOptions } from '../../helpers/fixture-client.js';
import { ignoreResizeObserverLoop } from '../../helpers/resize-observer-loop.js';

ignoreResizeObserverLoop();

const ANN = { kind: 'agent' as const, id: 'ann', name: 'Ann Agent' };
const KIM = (extra: Partial<SessionSummary> = {}) => session({ id: 's1', customer: { name: 'Kim', email: 'kim@example.com' }, unread: 1, ...extra });
const transcript = (): ChatMessage[] => [
  chatMessage('s1', 1, { kind: 'event', event: 'queued', author: { kind: 'system', name: '' }, text: 'Welcome to Nordlys support!' }),
  chatMessage('s1', 2, { kind: 'event', event: 'joined', author: ANN, text: '' }),
  chatMessage('s1', 3, { text: 'Hi, my order 7781 is late.' }),
  chatMessage('s1', 4, { author: ANN, text: 'Let me check that.' }),
  chatMessage('s1', 5, { kind: 'note', author: ANN, text: 'Order 7781 is in the warehouse.' }),
];
const agent = (id: string, name: string, partial: Partial<AgentInfo> = {}): AgentInfo => ({ id, name, status: 'present', online: true, channelIds: ['support'], activeChats: 1, maxConcurrentChats: 4, ...partial });
const AGENTS = () => [agent('ann', 'Ann Agent'), agent('erik', 'Erik Berg', { activeChats: 2 }), agent('sofia', 'Sofia Lind', { activeChats: 4 })];
const MANAGER: AgentMe = { ...AGENT_ME, channels: [{ id: 'support', name: 'Support', permissions: { respond: true, notifications: true, listen: true, manager: true } }] };
const offer = (toMe: boolean) =>
  toMe
    ? { fromAgentId: 'bo', fromAgentName: 'Bo Ek', toAgentId: 'ann', toAgentName: 'Ann Agent', note: 'Wants a refund', at: NOW, expiresAt: NOW + 120_000 }
    : { fromAgentId: 'ann', fromAgentName: 'Ann Agent', toAgentId: 'erik', toAgentName: 'Erik Berg', note: 'Wants a refund', at: NOW, expiresAt: NOW + 120_000 };

type Conv = Shown & { el: ChatConversation; root: ShadowRoot };

async function mount(options: FixtureOptions & { select?: boolean; mode?: 'listen'; crm?: boolean } = {}): Promise<Conv> {
  const { select = true, mode, crm = false, ...rest } = options;
  const { client } = await fixtureClient({ sessions: [KIM()], messages: { s1: transcript() }, agents: AGENTS(), ...rest });
  if (select) client.selectSession('s1');
  const provider = crm ? createMemoryCrmProvider({ data: { contacts: [{ id: 'p1', firstName: 'Kim', lastName: 'Andersson', email: 'kim@example.com' }], sessions: [{ id: 's1', customer: { name: 'Kim' }, status: 'active', startedAt: NOW, contactId: 'p1' }] } }) : undefined;
  const el = await fixture<ChatConversation>(html`<chat-conversation style="height: 560px" .client=${client} mode=${ifDefined(mode)} .crmProvider=${provider}></chat-conversation>`);
  const root = el.shadowRoot!;
  if (select) {
    await until(() => client.$messages.get().s1?.ready === true, 'messages ready');
    const list = root.querySelector('chat-message-list');
    await until(() => (list?.shadowRoot?.querySelectorAll('[role=listitem]').length ?? 0) > 0, 'rows rendered');
  }
  return { el, root, done: () => { client.destroy(); } };
}

const part = (s: Conv, name: string) => s.root.querySelector<HTMLElement>(`[part~="${name}"]`);

auditStates('chat-conversation', [
  { name: 'no chat selected', shows: ['empty'], setup: () => mount({ select: false }) },
  { name: 'my chat with messages, Reply mode', setup: () => mount() },
  {
    // issue 18: the toolbar's Ask for help / Put on hold / Return to queue, with their bars
    name: 'my chat on hold, help asked for, returned from the queue',
    setup: () =>
      mount({
        sessions: [
          KIM({
            heldAt: NOW - 120_000,
            help: { at: NOW - 60_000, agentId: 'ann', agentName: 'Ann Agent', note: 'Refund over 500 EUR?' },
            returned: { reason: 'Needs the Norwegian desk', agentId: 'bo', agentName: 'Bo Ek', at: NOW - 600_000 },
          }),
        ],
      }),
  },
  {
    name: 'the Return to queue dialog with a missing reason',
    setup: async () => {
      const s = await mount();
      part(s, 'requeue-button')!.click();
      await until(() => s.root.querySelector<HTMLDialogElement>('.requeue-dialog')?.open === true, 'dialog open');
      part(s, 'requeue-confirm')!.click();
      await until(() => part(s, 'requeue-error') !== null, 'reason required');
      return s;
    },
  },
  {
    name: 'the Ask for help dialog with a note',
    setup: async () => {
      const s = await mount();
      part(s, 'help-button')!.click();
      await until(() => s.root.querySelector<HTMLDialogElement>('.help-dialog')?.open === true, 'dialog open');
      const note = part(s, 'help-note-input') as HTMLTextAreaElement;
      note.value = 'Refund over my limit: may I?';
      note.dispatchEvent(new Event('input'));
      await s.el.updateComplete;
      return s;
    },
  },
  {
    name: 'my chat with its tags in the header',
    setup: () => mount({ sessions: [KIM({ tags: ['Refund', 'VIP customer'] })] }),
  },
  {
    name: 'the End chat confirmation',
    setup: async () => {
      const s = await mount();
      part(s, 'end-button')!.click();
      await until(() => s.root.querySelector('dialog[open]') !== null, 'dialog');
      return s;
    },
  },
  {
    name: 'the transfer dialog with agents and queues',
    setup: async () => {
      const s = await mount();
      part(s, 'transfer-button')!.click();
      await until(() => (part(s, 'transfer-dialog') as HTMLDialogElement | null)?.open === true, 'transfer dialog');
      await s.el.updateComplete;
      return s;
    },
  },
  {
    name: 'a transfer pending, with Cancel transfer',
    shows: ['transfer-pending'],
    setup: () => mount({ sessions: [KIM({ transfer: offer(false) })] }),
  },
  {
    name: 'a transfer offered to me, with Accept and Reject',
    shows: ['transfer-offered', 'readonly'],
    setup: () => mount({ sessions: [KIM({ agentId: 'bo', agentName: 'Bo Ek', transfer: offer(true) })] }),
  },
  {
    name: 'someone else\'s chat, seen by a manager (Take over)',
    shows: ['readonly'],
    setup: () => mount({ me: MANAGER, sessions: [KIM({ agentId: 'erik', agentName: 'Erik Berg' })] }),
  },
  {
    name: 'listening (mode="listen")',
    shows: ['listening', 'readonly'],
    setup: () => mount({ me: MANAGER, mode: 'listen', sessions: [KIM({ agentId: 'erik', agentName: 'Erik Berg' })] }),
  },
  {
    name: 'a completed chat, read-only with its transcript',
    shows: ['readonly'],
    setup: () => mount({ sessions: [KIM({ status: 'ended', endedAt: NOW })] }),
  },
  {
    name: 'the Create request dialog, prefilled',
    setup: async () => {
      const s = await mount({ crm: true });
      await until(() => part(s, 'request-button') !== null, 'Create request offered');
      part(s, 'request-button')!.click();
      await until(() => s.root.querySelector('dialog[open]') !== null, 'request dialog');
      await s.el.updateComplete;
      return s;
    },
  },
]);
