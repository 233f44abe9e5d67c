/**
 * chat-message-list: its states, in the light and the dark theme (test/helpers/a11y-states.ts):
 * empty, both sides with links, a note, agent-only events, the unread divider and "Seen", a
 * message waiting to be sent and one refused with Retry, scrolled up with "Jump to latest", and
 * an older page loading.
 */
import { fixture, html } from '@open-wc/testing';

import '../../../src/components/chat-message-list/chat-message-list.js';
import type { ChatMessageList } from '../../../src/components/chat-message-list/chat-message-list.js';
import type { ChatMessage } from '../../../src/protocol/index.js';
import { auditStates, type Shown } from '../../helpers/a11y-states.js';
import { until } from '../../helpers/chat-server.js';
import { chatMessage, fixtureClient, pushMessage, session, type FixtureOptions } from '../../helpers/fixture-client.js';
import { ignoreResizeObserverLoop } from '../../helpers/resize-observer-loop.js';

ignoreResizeObserverLoop();

const ANN = { kind: 'agent' as const, id: 'ann', name: 'Ann Agent' };
const SYSTEM = { kind: 'system' as const, name: '' };
const KIM = (extra = {}) => session({ id: 's1', customer: { name: 'Kim' }, ...extra });
const frames = async (n: number) => {
  for (let i = 0; i < n; i += 1) await new Promise((r) => requestAnimationFrame(r));
};

type List = Shown & { el: ChatMessageList; root: ShadowRoot };

async function mount(messages: ChatMessage[], options: FixtureOptions = {}, rows = messages.length): Promise<List & { fake: Awaited<ReturnType<typeof fixtureClient>>['fake'] }> {
  const { client, fake } = await fixtureClient({ sessions: [KIM()], messages: { s1: messages }, ...options });
  client.openSession('s1');
  await until(() => client.$messages.get().s1?.ready === true, 'ready');
  const el = await fixture<ChatMessageList>(html`<chat-message-list style="height: 300px" .client=${client} session-id="s1" label="Messages with Kim"></chat-message-list>`);
  const root = el.shadowRoot!;
  await until(() => root.querySelectorAll('[role=listitem]').length >= Math.min(rows, 1), 'rows rendered');
  await frames(6);
  return { el, root, fake, done: () => { client.destroy(); } };
}

const many = (n: number, from = 1) => Array.from({ length: n }, (_, i) => chatMessage('s1', from + i, { text: `Line ${String(from + i)}`, ...(i % 3 === 0 ? { author: ANN } : {}) }));

auditStates('chat-message-list', [
  { name: 'no messages yet', shows: ['empty'], setup: () => mount([]) },
  {
    name: 'both sides, links, a note, an agent-only event, the divider and "Seen"',
    setup: () =>
      mount(
        [
          chatMessage('s1', 1, { author: ANN, text: 'See https://shop.example/help or www.example.com' }),
          chatMessage('s1', 2, { kind: 'note', author: ANN, text: 'VIP customer' }),
          chatMessage('s1', 3, { kind: 'event', event: 'transfer-declined', internal: true, author: SYSTEM, meta: { toAgentId: 'erik', toAgentName: 'Erik' }, text: '' }),
          chatMessage('s1', 4, { text: 'Thanks! mail me at kim@example.com or call +46 70 123 45 67' }),
        ],
        { sessions: [KIM({ unread: 1, customerReadSeq: 1 })] },
      ),
  },
  {
    name: 'a message waiting to be sent',
    setup: async () => {
      const s = await mount([chatMessage('s1', 1)], { onSend: 'hold' });
      const client = (s.el as unknown as { client: { send: (id: string, t: string) => Promise<unknown> } }).client;
      void client.send('s1', 'stuck');
      await until(() => s.root.querySelector('[part~="message--pending"]') !== null, 'pending');
      return s;
    },
  },
  {
    name: 'a message refused, with Retry and Cancel',
    setup: async () => {
      const s = await mount([chatMessage('s1', 1)], { onSend: { code: 'invalid', message: 'The message is too long.' } });
      const client = (s.el as unknown as { client: { send: (id: string, t: string) => Promise<unknown> } }).client;
      void client.send('s1', 'refused').catch(() => undefined);
      await until(() => s.root.querySelector('[part~="message--failed"]') !== null, 'failed');
      return s;
    },
  },
  {
    name: 'scrolled up with "Jump to latest" and new messages',
    shows: ['scrolled-up'],
    setup: async () => {
      const s = await mount(many(40), {}, 1);
      const list = s.root.querySelector<HTMLElement>('[part~=messages]')!;
      await until(() => s.root.querySelector('[data-key="m:s1-m40"]') !== null, 'newest rendered');
      await frames(6);
      list.dispatchEvent(new WheelEvent('wheel', { deltaY: -120, bubbles: true }));
      list.scrollTop = 0;
      await until(() => s.el.matches(':state(scrolled-up)'), 'scrolled up');
      pushMessage(s.fake, chatMessage('s1', 41, { text: 'New 1' }));
      await until(() => s.root.querySelector('[part~=jump]') !== null, 'jump shown');
      return s;
    },
  },
  {
    name: 'an older page loading',
    shows: ['loading-older', 'scrolled-up'],
    setup: async () => {
      const s = await mount(many(120), {}, 1);
      const script = s.fake.onFrame;
      s.fake.onFrame = (socket, frame) => {
        if (frame.t !== 'history') script(socket, frame); // the older page never comes
      };
      const list = s.root.querySelector<HTMLElement>('[part~=messages]')!;
      await frames(6);
      list.dispatchEvent(new WheelEvent('wheel', { deltaY: -120, bubbles: true }));
      list.scrollTop = 0;
      await until(() => s.el.matches(':state(loading-older)'), 'loading older');
      return s;
    },
  },
]);
