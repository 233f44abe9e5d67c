/**
 * Each element reads views made for it, so an event re-renders only the elements whose view
 * changed. A whole console (chat-window with the session list, the conversation with its
 * transcript and composer, the dashboard, the connection status) runs on a real client over the
 * scripted socket; every chat element's Lit `updated` calls are counted while single frames
 * arrive. Each negative case is followed by a positive one, so the counting is shown to work.
 */
import { expect, fixture, html } from '@open-wc/testing';
import type { LitElement, PropertyValues } from 'lit';

import '../../src/components/chat-window/chat-window.js';
import type { ChatWindow } from '../../src/components/chat-window/chat-window.js';
import type { SessionSummary } from '../../src/protocol/index.js';
import type { ChatClient } from '../../src/state/index.js';
import { until } from '../helpers/chat-server.js';
import type { FakeServer } from '../helpers/fake-server.js';
import { chatMessage, fixtureClient, NOW, pushMessage, pushSession, session } from '../helpers/fixture-client.js';

const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

/** Every chat element in the tree from `root` (itself included), through shadow roots. */
function chatElements(root: Element, out: LitElement[] = []): LitElement[] {
  if (root.tagName.startsWith('CHAT-') && 'updateComplete' in root) out.push(root as LitElement);
  for (const child of [...root.children, ...(root.shadowRoot ? [...root.shadowRoot.children] : [])]) chatElements(child, out);
  return out;
}

/** Counts `updated` calls per element (by tag, and the conversation's transcript apart). */
class RenderCounter {
  private readonly counts = new Map<LitElement, number>();

  constructor(private readonly root: Element) {}

  /** Starts counting on every chat element now in the tree (again: new ones are picked up). */
  watch(): void {
    for (const el of chatElements(this.root)) {
      if (this.counts.has(el)) continue;
      this.counts.set(el, 0);
      const host = el as unknown as { updated: (changed: PropertyValues) => void };
      const original = host.updated.bind(el);
      host.updated = (changed) => {
        this.counts.set(el, (this.counts.get(el) ?? 0) + 1);
        original(changed);
      };
    }
  }

  /** Renders so far, per element, named by tag (and session for transcripts). */
  snapshot(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [el, n] of this.counts) {
      const id = el.getAttribute('session-id') ?? (el as unknown as { sessionId?: string }).sessionId;
      const key = `${el.tagName.toLowerCase()}${id ? `[${id}]` : ''}`;
      out[key] = (out[key] ?? 0) + n;
    }
    return out;
  }

  /** Every element has finished its updates, and the session list's frame-coalesced one too. */
  async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await Promise.all(chatElements(this.root).map((el) => el.updateComplete));
      await frame();
    }
  }
}

const diff = (after: Record<string, number>, before: Record<string, number>) =>
  Object.fromEntries(Object.entries(after).filter(([k, n]) => n !== (before[k] ?? 0)).map(([k, n]) => [k, n - (before[k] ?? 0)]));

const other = (id: string, partial: Partial<SessionSummary> = {}) => session({ id, agentId: 'erik', agentName: 'Erik Johansson', ...partial });

describe('render counts: an event re-renders only the elements whose view changed', () => {
  let client: ChatClient;
  let fake: FakeServer;
  let el: ChatWindow;
  let counter: RenderCounter;
  let boardSeq = 0;
  const board = (data: SessionSummary) => {
    boardSeq += 1;
    pushSession(fake, boardSeq, data);
  };

  beforeEach(async () => {
    boardSeq = 0;
    ({ client, fake } = await fixtureClient({
      sessions: [session({ id: 's1' }), session({ id: 's2', lastActivityAt: NOW - 120_000 }), other('s3')],
      messages: { s1: [chatMessage('s1', 1), chatMessage('s1', 2)], s2: [chatMessage('s2', 1)], s3: [chatMessage('s3', 1)] },
    }));
    el = await fixture<ChatWindow>(html`<chat-window .client=${client}></chat-window>`);
    await Promise.all(['chat-dashboard', 'chat-session-list', 'chat-conversation', 'chat-message-list', 'chat-composer'].map((t) => customElements.whenDefined(t)));
    client.selectSession('s1');
    // Another view follows s2 too (a second conversation, a listen panel): its messages arrive.
    client.openSession('s2');
    await until(() => client.$sessionMessages('s1').get()?.ready === true && client.$sessionMessages('s2').get()?.ready === true, 'both chats loaded');
    counter = new RenderCounter(el);
    await counter.settle();
    counter.watch();
    await counter.settle();
  });

  afterEach(() => {
    client.closeSession('s2');
    client.destroy();
  });

  it('a message in another chat does not re-render the open conversation or its transcript', async () => {
    const before = counter.snapshot();
    // The server sends the message on s2's stream and the new last message on the board.
    pushMessage(fake, chatMessage('s2', 2, { text: 'Hello from another chat' }));
    board(session({ id: 's2', lastActivityAt: NOW, lastMessage: { from: 'customer', text: 'Hello from another chat', at: NOW }, unread: 1, seq: 2 }));
    await until(() => client.$sessionMessages('s2').get()?.items.length === 2, 'message applied');
    await counter.settle();
    const changed = diff(counter.snapshot(), before);
    expect(changed['chat-conversation'], 'conversation').to.equal(undefined);
    expect(changed['chat-message-list[s1]'], 'transcript of the open chat').to.equal(undefined);
    expect(changed['chat-composer[s1]'], 'composer').to.equal(undefined);
    expect(changed['chat-session-list'], 'the list shows the new last message').to.be.at.least(1);

    // A message in the open chat re-renders its transcript, still not the conversation around it.
    const again = counter.snapshot();
    pushMessage(fake, chatMessage('s1', 3, { text: 'Hello in the open chat' }));
    await until(() => el.shadowRoot!.querySelector('chat-conversation')!.shadowRoot!.querySelector('chat-message-list')!.shadowRoot!.textContent.includes('Hello in the open chat'), 'shown');
    await counter.settle();
    const open = diff(counter.snapshot(), again);
    expect(open['chat-message-list[s1]'], 'transcript').to.be.at.least(1);
    expect(open['chat-conversation'], 'conversation').to.equal(undefined);
  });

  it('a typing frame of another chat re-renders nothing', async () => {
    const before = counter.snapshot();
    fake.last.push({ t: 'typing', sessionId: 's2', on: true, who: { kind: 'customer', name: 'Kim' }, preview: 'Is it' });
    await until(() => client.$sessionTyping('s2').get() !== undefined, 'typing applied');
    await counter.settle();
    expect(diff(counter.snapshot(), before)).to.deep.equal({});

    // Typing in the open chat re-renders the conversation (it shows "Kim is typing…").
    fake.last.push({ t: 'typing', sessionId: 's1', on: true, who: { kind: 'customer', name: 'Kim' }, preview: 'Is it' });
    await until(() => client.$sessionTyping('s1').get() !== undefined, 'typing applied');
    await counter.settle();
    const open = diff(counter.snapshot(), before);
    expect(Object.keys(open)).to.deep.equal(['chat-conversation']);
  });

  it('a board event for a session not in my list does not re-render the session list', async () => {
    const before = counter.snapshot();
    board(other('s3', { lastActivityAt: NOW, lastMessage: { from: 'customer', text: 'Anyone?', at: NOW }, unread: 3, seq: 2 }));
    board(other('s9', { channelId: 'sales' }));
    await until(() => client.$session('s9').get() !== undefined, 'applied');
    await counter.settle();
    const changed = diff(counter.snapshot(), before);
    expect(changed['chat-session-list'], 'session list').to.equal(undefined);
    expect(changed['chat-conversation'], 'conversation').to.equal(undefined);
    expect(changed['chat-window'], 'window').to.equal(undefined);

    // The same kind of event for a chat of mine re-renders the list.
    board(session({ id: 's2', lastActivityAt: NOW, lastMessage: { from: 'customer', text: 'Still there?', at: NOW }, unread: 1, seq: 2 }));
    await until(() => client.$session('s2').get()?.unread === 1, 'applied');
    await counter.settle();
    expect(diff(counter.snapshot(), before)['chat-session-list']).to.be.at.least(1);
  });
});
