/**
 * Reply suggestions in the composer (issue 18): while the customer writes (their messages since
 * the agent's last answer, and the live preview of what they type), the composer offers the
 * library's best matches and the CRM's (`suggestReplies`), above the text area; they never take
 * focus by themselves; Alt+↑ or Shift+Tab reach them, ← → move, Enter inserts (and counts as a
 * use), Escape returns. Notes and whispers get none.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

import '../../src/components/chat-composer/chat-composer.js';
import type { ChatComposer } from '../../src/components/chat-composer/chat-composer.js';
import type { CrmProvider, CrmReplyContext } from '../../src/crm/types.js';
import type { Reply } from '../../src/protocol/index.js';
import type { ChatClient } from '../../src/state/index.js';
import { until } from '../helpers/chat-server.js';
import { chatMessage, fixtureClient, NOW, pushMessage, session } from '../helpers/fixture-client.js';

const ANN = { kind: 'agent' as const, id: 'ann', name: 'Ann Agent' };

function reply(id: string, title: string, text: string, extra: Partial<Reply> = {}): Reply {
  return {
    id, kind: 'quick-reply', title, text, shortcut: null, folder: '', language: 'en', channelIds: null, ownerId: null, url: null,
    favourite: false, lastUsedAt: null, useCount: 0, createdAt: NOW, updatedAt: NOW, ...extra,
  };
}

const LIBRARY = [
  reply('refund', 'Refund policy', 'Hi {{customer.name}}, we refund the full amount within 30 days.', { useCount: 3 }),
  reply('delivery', 'Delivery times', 'Orders are delivered within 2–4 working days.'),
  reply('faq-pw', 'Reset your password', '', { kind: 'faq', url: 'https://example.com/faq/password' }),
];

async function setup(options: { provider?: Partial<CrmProvider>; messages?: ReturnType<typeof chatMessage>[] } = {}) {
  const { client, fake } = await fixtureClient({
    sessions: [session({ id: 's1', customer: { name: 'Kim' } })],
    messages: { s1: options.messages ?? [chatMessage('s1', 1, { author: ANN, text: 'Hello, how can I help?' })] },
  });
  const used: string[] = [];
  const c = client as unknown as Record<string, unknown>;
  c.listReplies = () => Promise.resolve(LIBRARY);
  c.markReplyUsed = (id: string) => {
    used.push(id);
    return Promise.resolve(LIBRARY.find((r) => r.id === id)!);
  };
  client.openSession('s1');
  await until(() => client.$messages.get().s1?.ready === true, 'messages ready');
  const el = await fixture<ChatComposer>(
    html`<chat-composer .client=${client} .crmProvider=${options.provider} session-id="s1" agent-tools allow-notes label="Message to Kim"></chat-composer>`,
  );
  const root = el.shadowRoot!;
  const chips = () => [...root.querySelectorAll<HTMLButtonElement>('[part~="suggestion"]')];
  const titles = () => chips().map((b) => b.textContent.trim());
  const input = () => root.querySelector('textarea')!;
  return { client, fake, el, root, chips, titles, input, used };
}

async function altUp(): Promise<void> {
  await sendKeys({ down: 'Alt' });
  await sendKeys({ press: 'ArrowUp' });
  await sendKeys({ up: 'Alt' });
}

function customerSays(client: ChatClient, fake: Parameters<typeof pushMessage>[0], seq: number, text: string) {
  pushMessage(fake, chatMessage('s1', seq, { text }));
  return until(() => client.$messages.get().s1?.items.some((m) => m.text === text) === true, 'message in');
}

describe('chat-composer: reply suggestions', () => {
  it('offers the best matches of what the customer wrote, without taking focus, and is accessible', async () => {
    const s = await setup();
    expect(s.titles()).to.deep.equal([]);
    s.input().focus();
    await customerSays(s.client, s.fake, 2, 'Can I get my money refunded?');
    await until(() => s.titles().length > 0, 'suggestions');
    expect(s.titles()[0]).to.equal('Refund policy');
    expect(s.root.activeElement).to.equal(s.input(), 'focus stays in the text area');
    const group = s.root.querySelector('[part~="suggestions"]')!;
    expect(group.getAttribute('role')).to.equal('group');
    expect(group.getAttribute('aria-label')).to.equal('Suggested replies');
    await expect(s.el).to.be.accessible();
  });

  it('follows what the customer is typing (the live preview), the last word as a prefix', async () => {
    const s = await setup();
    s.fake.last.push({ t: 'typing', sessionId: 's1', who: { kind: 'customer', name: 'Kim' }, on: true, preview: 'when does the deliv' });
    await until(() => s.titles()[0] === 'Delivery times', 'suggested while typing');
  });

  it('is reached with Alt+↑; arrows move; Enter inserts the reply (variables resolved) and counts as a use', async () => {
    const s = await setup();
    await customerSays(s.client, s.fake, 2, 'I want a refund, and when is delivery?');
    await until(() => s.titles().length === 2, 'two suggestions');
    s.input().focus();
    await altUp();
    expect(s.root.activeElement).to.equal(s.chips()[0]);
    await sendKeys({ press: 'ArrowRight' });
    expect(s.root.activeElement).to.equal(s.chips()[1]);
    await sendKeys({ press: 'ArrowRight' });
    expect(s.root.activeElement).to.equal(s.chips()[0], 'wraps around');
    await sendKeys({ press: 'Escape' });
    expect(s.root.activeElement).to.equal(s.input());
    await altUp();
    const title = s.titles()[0];
    await sendKeys({ press: 'Enter' });
    await s.el.updateComplete;
    expect(s.root.activeElement).to.equal(s.input());
    expect(title).to.equal('Refund policy');
    expect(s.input().value).to.equal('Hi Kim, we refund the full amount within 30 days.');
    expect(s.used).to.deep.equal(['refund']);
    expect(s.titles()).to.not.include('Refund policy', 'used, so no longer offered');
  });

  it('stops after the agent answered, and offers none in Note mode', async () => {
    const s = await setup();
    await customerSays(s.client, s.fake, 2, 'I forgot my password');
    await until(() => s.titles().length > 0, 'suggestions');
    s.el.setMode('note');
    await s.el.updateComplete;
    expect(s.titles()).to.deep.equal([], 'none for a note');
    s.el.setMode('reply');
    await s.el.updateComplete;
    expect(s.titles()).to.deep.equal(['Reset your password']);
    pushMessage(s.fake, chatMessage('s1', 3, { author: ANN, text: 'Let me check.' }));
    await until(() => s.titles().length === 0, 'gone once the agent answered');
  });

  it('merges the CRM\'s suggestions after the library\'s, as text, and ignores a failing CRM', async () => {
    const asked: CrmReplyContext[] = [];
    const s = await setup({
      provider: {
        suggestReplies: (context: CrmReplyContext) => {
          asked.push(context);
          return Promise.resolve([
            { id: 'o1', title: 'Order 4411 <b>shipped</b>', text: 'Your order 4411 was shipped on Monday.' },
            { id: 'dup', title: 'Same as the library', text: 'Orders are delivered within 2–4 working days.' },
            { id: 'bad', title: 42 as unknown as string, text: 'x' },
          ]);
        },
      },
    });
    await customerSays(s.client, s.fake, 2, 'Where is my order? Delivery is late');
    await until(() => s.titles().includes('Order 4411 <b>shipped</b>'), 'CRM suggestion');
    expect(s.titles()).to.deep.equal(['Delivery times', 'Order 4411 <b>shipped</b>']);
    expect(s.root.querySelector('[part~="suggestion"] b')).to.equal(null, 'never markup');
    expect(asked.at(-1)).to.deep.include({ sessionId: 's1', text: 'Where is my order? Delivery is late' });

    const failing = await setup({ provider: { suggestReplies: () => Promise.reject(new Error('CRM down')) } });
    await customerSays(failing.client, failing.fake, 2, 'When is delivery?');
    await until(() => failing.titles().length === 1, 'library only');
    expect(failing.titles()).to.deep.equal(['Delivery times']);
  });
});
