import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

import { virtualizerRef } from '@lit-labs/virtualizer/virtualize.js';

import '../../src/components/chat-message-list/chat-message-list.js';
import type { ChatMessageList } from '../../src/components/chat-message-list/chat-message-list.js';
import { announcerText } from '../../src/internal/announcer.js';
import type { ChatMessage, SessionSummary } from '../../src/protocol/index.js';
import type { ChatClient } from '../../src/state/index.js';
import { until } from '../helpers/chat-server.js';
import type { FakeServer } from '../helpers/fake-server.js';
import type { FixtureOptions } from '../helpers/fixture-client.js';
import { chatMessage, fixtureClient, NOW, pushMessage, pushSession, session } from '../helpers/fixture-client.js';

const ANN = { kind: 'agent' as const, id: 'ann', name: 'Ann Agent' };
const SYSTEM = { kind: 'system' as const, name: '' };
const KIM = (partial: Partial<SessionSummary> = {}) => session({ id: 's1', customer: { name: 'Kim' }, ...partial });

const frame = () => new Promise<void>((r) => requestAnimationFrame(() => { r(); }));
/** Resolves once the next frame has been rendered (a task posted from its animation frame callback). */
const painted = () =>
  new Promise<void>((r) => {
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        r();
      };
      channel.port2.postMessage(null);
    });
  });
async function frames(n: number) {
  for (let i = 0; i < n; i += 1) await frame();
}

/** Scrolls the list as a user would: a wheel turn, then the new position. */
function userScroll(list: HTMLElement, top: number) {
  list.dispatchEvent(new WheelEvent('wheel', { deltaY: top < list.scrollTop ? -120 : 120, bubbles: true }));
  list.scrollTop = top;
}

/** Pages every older message into the client's store (history in pages of 50), as scrolling up would. */
async function loadAll(client: ChatClient, id = 's1') {
  while (client.$messages.get()[id]?.hasMore === true) await client.loadOlder(id);
}

/** Holds the scripted server's answers to `history` until `release()`. */
function holdHistory(fake: FakeServer) {
  const script = fake.onFrame;
  const held: (() => void)[] = [];
  fake.onFrame = (socket, f) => {
    if (f.t === 'history') held.push(() => { script(socket, f); });
    else script(socket, f);
  };
  return {
    get count() {
      return held.length;
    },
    release() {
      for (const h of held.splice(0)) h();
    },
  };
}

async function setup(messages: ChatMessage[], options: FixtureOptions & { all?: boolean; height?: number } = {}) {
  const { all = false, height = 300, ...rest } = options;
  const { client, fake } = await fixtureClient({ sessions: [KIM()], messages: { s1: messages }, ...rest });
  client.openSession('s1');
  await until(() => client.$messages.get().s1?.ready === true, 'ready');
  if (all) await loadAll(client);
  const el = await fixture<ChatMessageList>(html`<chat-message-list style=${`height: ${String(height)}px`} .client=${client} session-id="s1" label="Messages with Kim"></chat-message-list>`);
  const root = el.shadowRoot!;
  const list = () => root.querySelector<HTMLElement>('[part~=messages]')!;
  const items = () => [...root.querySelectorAll<HTMLElement>('[role=listitem]')];
  const item = (key: string) => root.querySelector<HTMLElement>(`[data-key="${key}"]`);
  const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
  const atBottom = () => {
    const l = list();
    return l.scrollHeight - l.scrollTop - l.clientHeight < 32;
  };
  /** Waits until the virtualizer has rendered `n` rows (or the row with `key`) and settled. */
  const rendered = async (what: number | string) => {
    await until(() => (typeof what === 'number' ? items().length === what : item(what) !== null), `rendered ${String(what)}`);
    await frames(8);
  };
  return { client, fake, el, root, list, items, item, text, atBottom, rendered };
}

describe('chat-message-list', () => {
  describe('rendering', () => {
    it('groups consecutive messages of one author but keeps the name for screen readers', async () => {
      const { items, rendered } = await setup([chatMessage('s1', 1, { text: 'one' }), chatMessage('s1', 2, { text: 'two' }), chatMessage('s1', 3, { author: ANN, text: 'three' })]);
      await rendered(3);
      expect(items().map((i) => i.classList.contains('msg--cont'))).to.deep.equal([false, true, false]);
      const meta = items()[1]!.querySelector<HTMLElement>('[part=meta]')!;
      expect(meta.textContent).to.contain('Kim');
      expect(meta.getBoundingClientRect().height).to.be.at.most(1);
    });

    it('marks the bot part of a chat (chatbot first): the bot’s name as text and a Bot badge', async () => {
      const hostile = '<img src=x onerror="window.__pwned=1">';
      const { items, text, rendered } = await setup([
        chatMessage('s1', 1, { text: 'Where is my parcel?' }),
        chatMessage('s1', 2, { author: { kind: 'system', id: 'bot', name: hostile }, text: 'Deliveries take 2–4 working days.' }),
        chatMessage('s1', 3, { author: ANN, text: 'Hi, Ann here.' }),
      ]);
      await rendered(3);
      expect(items().map((i) => i.getAttribute('part'))).to.deep.equal(['message message--customer', 'message message--agent message--bot', 'message message--agent']);
      expect(text(items()[1]!.querySelector('[part=meta]')).startsWith(`${hostile} Bot`)).to.equal(true);
      expect(items()[2]!.querySelector('[part=bot-badge]')).to.equal(null);
      // A bubble part for each kind of message.
      expect(items().map((i) => i.querySelector('[part~=bubble]')!.getAttribute('part'))).to.deep.equal(['bubble bubble--customer', 'bubble bubble--agent bubble--bot', 'bubble bubble--agent']);
      expect((window as { __pwned?: unknown }).__pwned).to.equal(undefined);
    });

    it('says when a chat has no messages yet', async () => {
      const { root, el, text } = await setup([]);
      expect(text(root.querySelector('[part=no-messages]'))).to.equal('No messages yet.');
      expect(el.hasCustomState('empty')).to.be.true;
    });

    it('shows the welcome text of the queued event, or a fallback', async () => {
      const { items, text, rendered } = await setup([
        chatMessage('s1', 1, { kind: 'event', event: 'queued', author: SYSTEM, text: 'Hi! We answer within minutes.' }),
        chatMessage('s1', 2, { kind: 'event', event: 'queued', author: SYSTEM, text: '' }),
        chatMessage('s1', 3, { kind: 'event', event: 'missed', author: { kind: 'customer', name: 'Kim' }, text: '' }),
      ]);
      await rendered(3);
      expect(items().map((i) => text(i.querySelector('.event-text')))).to.deep.equal(['Hi! We answer within minutes.', 'The chat started.', 'Kim left before anyone answered']);
      expect(items()[0]!.querySelector('time')!.getAttribute('datetime')).to.equal(new Date(NOW - 99_000).toISOString());
    });

    it('shows agent-only transfer events as localized lines, marked for agents', async () => {
      const erik = { fromAgentId: 'ann', fromAgentName: 'Ann Agent', toAgentId: 'erik', toAgentName: 'Erik Berg' };
      const ev = (seq: number, event: ChatMessage['event'], meta: ChatMessage['meta'], name = '') =>
        chatMessage('s1', seq, { kind: 'event', event, internal: true, meta, author: { kind: 'system', name }, text: 'server text' });
      const { items, text, rendered } = await setup([
        ev(1, 'transfer-requested', { ...erik, note: 'Refund for 7781' }, 'Ann Agent'),
        ev(2, 'transfer-declined', erik, 'Erik Berg'),
        ev(3, 'transfer-requested', erik, 'Ann Agent'),
        ev(4, 'transfer-cancelled', erik, 'Ann Agent'),
        ev(5, 'transfer-requested', erik, 'Ann Agent'),
        ev(6, 'transfer-expired', erik),
        ev(7, 'transfer-requested', erik, 'Ann Agent'),
        ev(8, 'transferred', erik, 'Erik Berg'),
        ev(9, 'taken-over', { fromAgentId: 'erik', fromAgentName: 'Erik Berg', toAgentId: 'sara', toAgentName: 'Sara Lind' }, 'Sara Lind'),
        ev(10, 'requeued', { fromAgentId: 'sara', fromAgentName: 'Sara Lind', channelId: 'sales', channelName: 'Sales' }, 'Sara Lind'),
        ev(11, 'transfer-cancelled', { toAgentId: 'bo', toAgentName: 'Bo' }),
        ev(12, 'requeued', { fromAgentId: 'bo', fromAgentName: 'Bo', channelId: 'sales', channelName: 'Sales', reason: 'agent-unavailable' }),
        ev(13, 'transfer-cancelled', { fromAgentId: 'ann', fromAgentName: 'Ann Agent', toAgentId: 'bo', toAgentName: 'Bo', reason: 'agent-unavailable' }),
        chatMessage('s1', 14, { kind: 'event', event: 'transfer-expired', internal: true, author: SYSTEM, text: 'fallback from the server' }),
      ]);
      await rendered(14);
      expect(items().map((i) => text(i.querySelector('.event-text')))).to.deep.equal([
        'Ann Agent offered the chat to Erik Berg: “Refund for 7781”',
        'Erik Berg declined the transfer',
        'Ann Agent offered the chat to Erik Berg',
        'Ann Agent cancelled the transfer to Erik Berg',
        'Ann Agent offered the chat to Erik Berg',
        'The transfer to Erik Berg expired without an answer',
        'Ann Agent offered the chat to Erik Berg',
        'Ann Agent transferred the chat to Erik Berg',
        'Sara Lind took over the chat from Erik Berg',
        'Sara Lind moved the chat to the Sales queue',
        'The transfer to Bo was cancelled',
        'Bo is no longer available: the chat went back to the Sales queue',
        'The transfer to Bo was cancelled: Bo is no longer available',
        'fallback from the server',
      ]);
      for (const i of items()) {
        expect(i.getAttribute('part')).to.equal('message message--system message--internal');
        expect(text(i.querySelector('.visually-hidden'))).to.equal('Only agents see this:');
      }
    });

    it('shows help, hold and return-to-queue events as localized lines (issue 18)', async () => {
      const ev = (seq: number, event: ChatMessage['event'], meta: ChatMessage['meta'], name: string, internal = true) =>
        chatMessage('s1', seq, { kind: 'event', event, ...(internal ? { internal: true } : {}), meta, author: { kind: 'system', name }, text: 'server text' });
      const { el, items, text, rendered } = await setup([
        ev(1, 'help-requested', { fromAgentId: 'erik', fromAgentName: 'Erik Berg', note: 'Refund <b>over</b> the limit' }, 'Erik Berg'),
        ev(2, 'help-cleared', { fromAgentId: 'ann', fromAgentName: 'Ann Agent', help: 'joined' }, 'Ann Agent'),
        ev(3, 'help-requested', { fromAgentId: 'erik', fromAgentName: 'Erik Berg' }, 'Erik Berg'),
        ev(4, 'help-cleared', { fromAgentId: 'erik', fromAgentName: 'Erik Berg', help: 'lowered' }, 'Erik Berg'),
        ev(5, 'help-cleared', { fromAgentId: 'ann', fromAgentName: 'Ann Agent', help: 'answered' }, 'Ann Agent'),
        ev(6, 'held', undefined, 'Erik Berg', false),
        ev(7, 'resumed', undefined, 'Erik Berg', false),
        ev(8, 'requeued', { fromAgentId: 'erik', fromAgentName: 'Erik Berg', channelId: 'sales', channelName: 'Sales', note: 'Needs Norwegian' }, 'Erik Berg'),
      ]);
      await rendered(8);
      expect(items().map((i) => text(i.querySelector('.event-text')))).to.deep.equal([
        'Erik Berg asked for help: “Refund <b>over</b> the limit”',
        'Ann Agent joined to help',
        'Erik Berg asked for help',
        'Erik Berg no longer needs help',
        'Ann Agent answered the request for help',
        'Erik Berg put the chat on hold',
        'Erik Berg resumed the chat',
        'Erik Berg moved the chat to the Sales queue: “Needs Norwegian”',
      ]);
      // The note is text, never markup.
      expect(items()[0]!.querySelector('b')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('shows internal notes in the note colour with their label', async () => {
      const { items, text, rendered } = await setup([chatMessage('s1', 1), chatMessage('s1', 2, { kind: 'note', author: ANN, text: 'Refund approved by finance' })]);
      await rendered(2);
      const note = items()[1]!;
      expect(note.getAttribute('part')).to.equal('message message--note');
      expect(text(note.querySelector('[part=note-label]'))).to.equal('Internal note — not visible to the customer');
      const bubble = getComputedStyle(note.querySelector('[part~=bubble]')!);
      expect(bubble.backgroundColor).to.equal('rgb(255, 246, 214)');
      expect(bubble.borderTopStyle).to.equal('dashed');
      expect(getComputedStyle(items()[0]!.querySelector('[part~=bubble]')!).backgroundColor).to.not.equal(bubble.backgroundColor);
    });

    it('turns links into anchors that open safely in a new tab, and leaves hostile ones as text', async () => {
      const { item, root, rendered } = await setup([
        chatMessage('s1', 1, { text: 'Track it at https://shop.example/t/7781 or mail help@shop.example' }),
        chatMessage('s1', 2, { text: 'javascript:alert(1) JaVaScRiPt:alert(2) data:text/html,<b>x</b> <a href="javascript:alert(3)">x</a>' }),
        chatMessage('s1', 3, { author: ANN, text: 'Call tel:+46701234567' }),
      ]);
      await rendered(3);
      const links = [...root.querySelectorAll<HTMLAnchorElement>('[part=link]')];
      expect(links.map((a) => a.getAttribute('href'))).to.deep.equal(['https://shop.example/t/7781', 'mailto:help@shop.example', 'tel:+46701234567']);
      for (const a of links) {
        expect(a.getAttribute('rel')).to.equal('noopener noreferrer nofollow');
        expect(a.getAttribute('target')).to.equal('_blank');
      }
      const hostile = item('m:s1-m2')!.querySelector('[part~=bubble]')!;
      expect(hostile.querySelector('a, b')).to.equal(null);
      expect(hostile.textContent).to.equal('javascript:alert(1) JaVaScRiPt:alert(2) data:text/html,<b>x</b> <a href="javascript:alert(3)">x</a>');
    });

    it('shows "Seen" under the newest agent message the customer has read', async () => {
      const { fake, root, item, rendered } = await setup(
        [chatMessage('s1', 1), chatMessage('s1', 2, { author: ANN, text: 'First answer' }), chatMessage('s1', 3, { kind: 'note', author: ANN }), chatMessage('s1', 4, { author: ANN, text: 'Second answer' })],
        { sessions: [KIM({ customerReadSeq: 3 })] },
      );
      await rendered(4);
      const seen = () => [...root.querySelectorAll('[part=seen]')];
      expect(seen()).to.have.length(1);
      expect(item('m:s1-m2')!.querySelector('[part=seen]')!.textContent.trim()).to.equal('Seen');
      pushSession(fake, 1, KIM({ customerReadSeq: 4 }));
      await until(() => item('m:s1-m4')?.querySelector('[part=seen]') !== null, 'seen moved');
      expect(seen()).to.have.length(1);
    });

    it('puts a "New messages" divider above the first unread message when opening', async () => {
      const messages = [
        chatMessage('s1', 1, { text: 'Old question' }),
        chatMessage('s1', 2, { author: ANN, text: 'Old answer' }),
        chatMessage('s1', 3, { text: 'New one' }),
        chatMessage('s1', 4, { text: 'And another' }),
      ];
      const { fake, root, item, text, rendered } = await setup(messages, { sessions: [KIM({ unread: 2 })] });
      await rendered(4);
      const divider = () => root.querySelector('[part=divider]');
      expect(text(divider())).to.equal('New messages');
      expect(item('m:s1-m3')!.contains(divider())).to.be.true;
      // It stays where it was while more messages come in (they are read as they arrive).
      pushMessage(fake, chatMessage('s1', 5, { text: 'Later' }));
      await rendered('m:s1-m5');
      expect(item('m:s1-m3')!.contains(divider())).to.be.true;
      expect(root.querySelectorAll('[part=divider]')).to.have.length(1);
    });

    it('opened at the divider with everything in view: no "Jump to latest", and it follows new messages', async () => {
      const messages = [chatMessage('s1', 1, { text: 'Old question' }), chatMessage('s1', 2, { author: ANN, text: 'Old answer' }), chatMessage('s1', 3, { text: 'New one' })];
      const { el, fake, root, rendered, atBottom } = await setup(messages, { sessions: [KIM({ unread: 1 })] });
      await rendered(3);
      const jump = () => root.querySelector('[part~=jump]');
      await until(() => jump() === null, 'no jump button: the newest message is in view');
      expect(root.querySelector('[part=divider]')).to.not.equal(null);
      expect(el.hasCustomState('scrolled-up')).to.equal(false);
      pushMessage(fake, chatMessage('s1', 4, { text: 'Later' }));
      await rendered('m:s1-m4');
      expect(atBottom()).to.equal(true, 'follows the newest message');
      expect(jump()).to.equal(null);
    });

    it('opened at the divider far above the newest message: "Jump to latest" is offered', async () => {
      const messages = Array.from({ length: 40 }, (_, i) => chatMessage('s1', i + 1, { text: `Message ${String(i + 1)}` }));
      const { root, rendered, atBottom } = await setup(messages, { sessions: [KIM({ unread: 30 })] });
      await rendered('m:s1-m11');
      await until(() => root.querySelector('[part~=jump]') !== null, 'jump offered');
      expect(atBottom()).to.equal(false);
    });

    it('shows no divider when nothing was unread', async () => {
      const { root, rendered } = await setup([chatMessage('s1', 1), chatMessage('s1', 2)], { sessions: [KIM({ unread: 0 })] });
      await rendered(2);
      expect(root.querySelector('[part=divider]')).to.equal(null);
    });
  });

  describe('opening at the newest message', () => {
    /** Messages of mixed heights (agent and customer, some wrapping onto two lines). */
    const mixed = (n: number, id = 's1') =>
      Array.from({ length: n }, (_, i) =>
        chatMessage(id, i + 1, {
          text: i % 5 === 0 ? `Message ${String(i + 1)}, a longer one that wraps onto a second line in a narrow list` : `Message ${String(i + 1)}`,
          ...(i % 3 === 0 ? { author: ANN } : {}),
        }),
      );
    /** Where each shown row's top is, relative to the top of the list. */
    const tops = (list: HTMLElement, rows: HTMLElement[]) => {
      const top = list.getBoundingClientRect().top;
      return new Map(rows.map((r) => [r.dataset.key!, r.getBoundingClientRect().top - top]));
    };
    const virtualized = (list: HTMLElement) => !list.classList.contains('list--tail') && (list as HTMLElement & { [virtualizerRef]?: unknown })[virtualizerRef] !== undefined;

    it('shows the newest message with the first update, at the bottom in the first frame, before the virtualizer', async () => {
      const { el, list, item, items } = await setup(mixed(2000), { all: true, height: 400 });
      // Right after the element's first update: no frame, no virtualizer yet.
      const newest = item('m:s1-m2000')!;
      expect(newest).to.not.equal(null);
      expect(virtualized(list())).to.be.false;
      expect(newest.getAttribute('aria-posinset')).to.equal('2000');
      expect(newest.getAttribute('aria-setsize')).to.equal('2000');
      expect(items().length).to.be.within(10, 80);
      await frame();
      const box = newest.getBoundingClientRect();
      const view = list().getBoundingClientRect();
      expect(Math.abs(box.bottom - view.bottom)).to.be.below(1);
      expect(box.top).to.be.above(view.top);
      expect(list().scrollTop).to.equal(0);
      await expect(el).to.be.accessible();
    });

    it('hands over to the virtualizer without moving what is shown in any frame, with every row built', async () => {
      const { list, item, items, atBottom } = await setup(mixed(2000), { all: true, height: 400 });
      await painted();
      const before = tops(list(), items());
      const height = list().clientHeight;
      const shown = [...before].filter(([, y]) => y >= 0 && y < height);
      expect(shown.length).to.be.at.least(4);
      // What every frame showed, from the tail through the hand-over until the virtualizer settled.
      let settled = 0;
      for (let i = 0; i < 60 && settled < 8; i += 1) {
        await painted();
        if (virtualized(list())) settled += 1;
        const now = tops(list(), items());
        for (const [key, y] of shown) expect(Math.abs((now.get(key) ?? Infinity) - y), `${key} in frame ${String(i)}`).to.be.at.most(1);
      }
      expect(settled).to.equal(8);
      expect(atBottom()).to.be.true;
      expect(items().length).to.be.at.most(500);
      // The rows before the tail exist now too, in their places.
      userScroll(list(), list().scrollHeight / 2);
      await until(() => item('m:s1-m2000') === null, 'rows near the middle');
      await frames(2);
      expect(items().length).to.be.at.least(5);
      for (const row of items()) expect(row.getAttribute('aria-posinset')).to.equal(row.dataset.key!.replace('m:s1-m', ''));
    });

    it('keeps a short chat at the top through the hand-over', async () => {
      const { list, items, rendered } = await setup(mixed(3), { height: 400 });
      await frame();
      const before = tops(list(), items());
      expect(before.get('m:s1-m1')).to.be.below(1);
      await until(() => virtualized(list()), 'the virtualizer took over');
      await rendered(3);
      const after = tops(list(), items());
      for (const [key, y] of before) expect(Math.abs((after.get(key) ?? Infinity) - y), key).to.be.below(1);
    });

    it('hands over at once when the user starts to scroll', async () => {
      const { el, list, item } = await setup(mixed(2000), { all: true, height: 400 });
      expect(virtualized(list())).to.be.false;
      list().dispatchEvent(new WheelEvent('wheel', { deltaY: -120, bubbles: true }));
      await el.updateComplete;
      expect(virtualized(list())).to.be.true;
      await until(() => list().scrollTop > 0, 'at the newest message in the virtualizer');
      await frames(4);
      const box = item('m:s1-m2000')!.getBoundingClientRect();
      expect(Math.abs(box.bottom - list().getBoundingClientRect().bottom)).to.be.below(2);
    });

    it('opens the next chat with its tail again, and hands over again', async () => {
      const { client, el, list, item, atBottom } = await setup(mixed(300), {
        all: true,
        height: 400,
        sessions: [KIM(), session({ id: 's2', customer: { name: 'Lee' } })],
        messages: { s1: mixed(300), s2: mixed(120, 's2') },
      });
      await until(() => virtualized(list()), 'the virtualizer took over');
      client.openSession('s2');
      await until(() => client.$messages.get().s2?.ready === true, 's2 ready');
      el.sessionId = 's2';
      await el.updateComplete;
      expect(virtualized(list())).to.be.false;
      expect(item('m:s2-m120')).to.not.equal(null);
      expect(item('m:s1-m300')).to.equal(null);
      await frame();
      const before = tops(list(), [item('m:s2-m120')!]).get('m:s2-m120')!;
      await until(() => virtualized(list()), 'the virtualizer took over again');
      await frames(8);
      expect(Math.abs(tops(list(), [item('m:s2-m120')!]).get('m:s2-m120')! - before)).to.be.below(1);
      expect(atBottom()).to.be.true;
    });
  });

  describe('virtualization and scrolling', () => {
    it('opens a conversation of 10,000 messages at the newest with at most 500 message nodes', async () => {
      const many = Array.from({ length: 10_000 }, (_, i) => chatMessage('s1', i + 1, { text: `Message ${String(i + 1)}`, ...(i % 4 === 0 ? { author: ANN } : {}) }));
      const { client, items, item, list, rendered, atBottom } = await setup(many, { all: true, height: 500 });
      expect(client.$messages.get().s1!.items).to.have.length(10_000);
      await rendered('m:s1-m10000');
      await until(atBottom, 'at the newest message');
      // Near the bottom first, then exactly: on a loaded machine the virtualizer may still be
      // correcting its estimates for a frame or two (the assertions below then hold).
      await until(() => {
        const newest = item('m:s1-m10000');
        return newest !== null && newest.getBoundingClientRect().bottom <= list().getBoundingClientRect().bottom + 1;
      }, 'the newest message entirely in view');
      expect(items().length).to.be.at.most(500);
      expect(items().length).to.be.at.least(5);
      const last = item('m:s1-m10000')!;
      expect(last.getAttribute('aria-posinset')).to.equal('10000');
      expect(last.getAttribute('aria-setsize')).to.equal('10000');
      const box = last.getBoundingClientRect();
      const view = list().getBoundingClientRect();
      expect(box.bottom).to.be.at.most(view.bottom + 1);
      expect(box.top).to.be.at.least(view.top);
      // Scrolling far up replaces the rows instead of adding them.
      await frames(4);
      userScroll(list(), list().scrollHeight / 2);
      await until(() => item('m:s1-m10000') === null, 'rows near the middle');
      expect(items().length).to.be.at.most(500);
      expect(items().length).to.be.at.least(5);
    });

    it('loads older messages by itself near the top without moving what is being read', async () => {
      const many = Array.from({ length: 160 }, (_, i) => chatMessage('s1', i + 1, { text: `Message number ${String(i + 1)}${i % 3 === 0 ? ' with a longer text that wraps onto a second line in a narrow list' : ''}` }));
      const { client, fake, list, root, item, rendered, el } = await setup(many, { height: 320 });
      await rendered('m:s1-m160');
      const hold = holdHistory(fake);
      // Scroll up to the top of what is loaded: the previous page is asked for by itself.
      for (let i = 0; i < 60 && hold.count === 0; i += 1) {
        userScroll(list(), Math.max(0, list().scrollTop - 200));
        await frames(2);
      }
      expect(hold.count).to.equal(1);
      expect(el.hasCustomState('scrolled-up')).to.be.true;
      expect(list().getAttribute('aria-busy')).to.equal('true');
      await frames(3);
      const top = list().getBoundingClientRect().top;
      const before = new Map([...root.querySelectorAll<HTMLElement>('[role=listitem]')].map((r) => [r.dataset.key!, r.getBoundingClientRect().top - top]));
      hold.release();
      await until(() => client.$messages.get().s1!.items.length === 100, 'older page in');
      await frames(12);
      expect(fake.sent('history')[0]).to.include({ beforeSeq: 111 });
      // Every row still shown sits where it was (within a pixel or two).
      const visible = [...before].filter(([key, y]) => y > -50 && y < 320 && item(key) !== null);
      expect(visible.length).to.be.at.least(3);
      for (const [key, y] of visible) expect(Math.abs(item(key)!.getBoundingClientRect().top - top - y), key).to.be.at.most(2);
      expect(list().getAttribute('aria-busy')).to.equal('false');
      expect(item('m:s1-m110')!.getAttribute('aria-posinset')).to.equal('50');
    });

    it('offers "Jump to latest" while scrolled up, with the count of new messages', async () => {
      const many = Array.from({ length: 40 }, (_, i) => chatMessage('s1', i + 1, { text: `Line ${String(i + 1)}` }));
      const { fake, el, root, list, atBottom, rendered, text } = await setup(many);
      await rendered('m:s1-m40');
      await until(atBottom, 'at the newest message');
      await frames(4);
      const jump = () => root.querySelector<HTMLButtonElement>('[part~=jump]');
      expect(jump()).to.equal(null);
      userScroll(list(), 0);
      await until(() => el.hasCustomState('scrolled-up'), 'scrolled up');
      await until(() => jump() !== null, 'jump shown');
      expect(text(jump())).to.equal('Jump to latest');
      pushMessage(fake, chatMessage('s1', 41, { text: 'New 1' }));
      pushMessage(fake, chatMessage('s1', 42, { text: 'New 2' }));
      await until(() => text(jump()) === 'Jump to latest 2 new', 'count shown');
      // Still where the agent was reading, not moved to the newest message.
      expect(list().scrollTop).to.be.lessThan(100);
      await expect(el).to.be.accessible();
      jump()!.click();
      await until(atBottom, 'at the newest message again');
      await until(() => jump() === null, 'jump gone');
      expect(root.activeElement === list(), 'transcript focused').to.be.true;
      expect(el.hasCustomState('scrolled-up')).to.be.false;
    });

    it('keeps following the newest message at the bottom', async () => {
      const many = Array.from({ length: 40 }, (_, i) => chatMessage('s1', i + 1));
      const { fake, atBottom, rendered, root } = await setup(many);
      await rendered('m:s1-m40');
      await until(atBottom, 'at the newest message');
      pushMessage(fake, chatMessage('s1', 41, { text: 'Newest' }));
      await rendered('m:s1-m41');
      await until(atBottom, 'still at the newest message');
      expect(root.querySelector('[part~=jump]')).to.equal(null);
    });
  });

  describe('accessibility', () => {
    it('is a labelled list, not a live region, and is accessible', async () => {
      const { el, list, root, rendered, items } = await setup([chatMessage('s1', 1), chatMessage('s1', 2, { author: ANN })]);
      await rendered(2);
      expect(list().getAttribute('role')).to.equal('list');
      expect(list().getAttribute('aria-label')).to.equal('Messages with Kim');
      expect(root.querySelector('[aria-live]')).to.equal(null);
      expect(items().map((i) => [i.getAttribute('aria-posinset'), i.getAttribute('aria-setsize')])).to.deep.equal([
        ['1', '2'],
        ['2', '2'],
      ]);
      await expect(el).to.be.accessible();
    });

    it('is accessible with notes, links, agent-only events, the divider and "Seen"', async () => {
      const { el, rendered } = await setup(
        [
          chatMessage('s1', 1, { author: ANN, text: 'See https://shop.example/help' }),
          chatMessage('s1', 2, { kind: 'note', author: ANN, text: 'VIP customer' }),
          chatMessage('s1', 3, { kind: 'event', event: 'transfer-declined', internal: true, author: SYSTEM, meta: { toAgentId: 'erik', toAgentName: 'Erik' }, text: '' }),
          chatMessage('s1', 4, { text: 'Thanks! mail me at kim@example.com' }),
        ],
        { sessions: [KIM({ unread: 1, customerReadSeq: 1 })] },
      );
      await rendered(4);
      await expect(el).to.be.accessible();
    });

    it('is accessible with a failed message', async () => {
      const { el, client, root } = await setup([chatMessage('s1', 1)], { onSend: 'hold' });
      await client.send('s1', 'stuck');
      await until(() => root.querySelector('[part~="message--pending"]') !== null, 'pending');
      await expect(el).to.be.accessible();
    });

    it('announces customer messages and their leaving, not agent messages', async () => {
      const { fake, rendered } = await setup([chatMessage('s1', 1)]);
      pushMessage(fake, chatMessage('s1', 2, { author: ANN, text: 'Agent words' }));
      pushMessage(fake, chatMessage('s1', 3, { text: 'Customer words' }));
      pushMessage(fake, chatMessage('s1', 4, { kind: 'event', event: 'left', author: { kind: 'customer', name: 'Kim' }, text: '' }));
      await rendered(4);
      await until(() => announcerText().polite.includes('Kim: Customer words'), 'announced');
      await until(() => announcerText().polite.includes('Kim left the chat'), 'left announced');
      expect(announcerText().polite).to.not.contain('Agent words');
    });

    it('announces the files a customer sends, with or without text', async () => {
      const { fake, rendered } = await setup([chatMessage('s1', 1)]);
      const file = (id: string, name: string) => ({ id, name, size: 1000, type: 'application/pdf' });
      pushMessage(fake, chatMessage('s1', 2, { text: '', attachments: [file('f1', 'receipt.pdf')] }));
      pushMessage(fake, chatMessage('s1', 3, { text: 'Both photos', attachments: [file('f2', 'front.png'), file('f3', 'back.png')] }));
      await rendered(3);
      await until(() => announcerText().polite.includes('Kim sent a file: receipt.pdf'), 'one file announced');
      await until(() => announcerText().polite.includes('Kim: Both photos'), 'text announced');
      await until(() => announcerText().polite.includes('Kim sent 2 files: front.png, back.png'), 'two files announced');
      expect(announcerText().polite).to.not.match(/Kim: (\.|$)/, 'no empty "Kim:" for a message of files only');
    });

    it('tells the agent who offered a transfer that it was declined or expired', async () => {
      const meta = { fromAgentId: 'ann', fromAgentName: 'Ann Agent', toAgentId: 'erik', toAgentName: 'Erik Berg' };
      const { fake, rendered } = await setup([chatMessage('s1', 1)]);
      pushMessage(fake, chatMessage('s1', 2, { kind: 'event', event: 'transfer-declined', internal: true, meta, author: { kind: 'system', name: 'Erik Berg' }, text: '' }));
      await rendered(2);
      await until(() => announcerText().polite.includes('Erik Berg declined the transfer'), 'declined announced');
      pushMessage(fake, chatMessage('s1', 3, { kind: 'event', event: 'transfer-expired', internal: true, meta, author: SYSTEM, text: '' }));
      await until(() => announcerText().polite.includes('The transfer to Erik Berg expired without an answer'), 'expired announced');
    });
  });

  describe('keyboard', () => {
    it('lets the transcript take focus and reaches Retry and Cancel with Tab', async () => {
      const { el, client, root, fake, list } = await setup([chatMessage('s1', 1)], { onSend: { code: 'session_closed', message: 'ended' } });
      const script = fake.onFrame;
      fake.onFrame = (socket, f) => {
        if (f.t === 'send') setTimeout(() => {
          script(socket, f);
        }, 0);
        else script(socket, f);
      };
      await client.send('s1', 'too late');
      await until(() => root.querySelector('[part=retry]') !== null, 'failed');
      expect(root.querySelector('[part=message-state]')!.textContent).to.contain('Not sent: the chat has ended');
      el.focusMessages();
      expect(root.activeElement === list(), 'list focused').to.be.true;
      await sendKeys({ press: 'Tab' });
      expect(root.activeElement === root.querySelector('[part=retry]'), 'retry focused').to.be.true;
      await sendKeys({ press: 'Tab' });
      expect(root.activeElement === root.querySelector('[part=cancel]'), 'cancel focused').to.be.true;
      await sendKeys({ press: 'Enter' });
      await until(() => root.querySelector('[part=cancel]') === null, 'cancelled');
      // Focus goes back to the transcript, not to the page.
      expect(root.activeElement === list(), 'list focused again').to.be.true;
    });

    it('loads earlier messages with the button, keeping focus in the transcript', async () => {
      const many = Array.from({ length: 60 }, (_, i) => chatMessage('s1', i + 1));
      const { client, root, rendered } = await setup(many);
      await rendered('m:s1-m60');
      const button = root.querySelector<HTMLButtonElement>('[part=load-older]')!;
      expect(button.textContent.trim()).to.equal('Load earlier messages');
      button.focus();
      await sendKeys({ press: 'Enter' });
      await until(() => client.$messages.get().s1!.items.length === 60, 'all loaded');
      await until(() => root.querySelector('[part=load-older]') === null, 'button gone');
      expect(root.activeElement === root.querySelector('[part~=messages]'), 'focus in the transcript').to.be.true;
    });
  });

  describe('store integration', () => {
    it('shows my pending messages after the confirmed ones, never twice', async () => {
      const { client, fake, items, rendered } = await setup([chatMessage('s1', 1)], { onSend: 'hold' });
      await client.send('s1', 'first');
      await client.send('s1', 'second');
      await rendered(3);
      expect(items().map((i) => i.getAttribute('part'))).to.deep.equal(['message message--customer', 'message message--agent message--pending', 'message message--agent message--pending']);
      // The server's event for the first arrives before its ack: shown once, confirmed.
      const f = fake.sent('send')[0]!;
      pushMessage(fake, chatMessage('s1', 2, { author: ANN, cmid: String(f.cmid), text: 'first' }));
      await until(() => items()[1]?.getAttribute('part') === 'message message--agent', 'confirmed');
      expect(items()).to.have.length(3);
      expect(items().filter((i) => i.textContent.includes('first'))).to.have.length(1);
    });

    it('shows a pending note as a note', async () => {
      const { client, root } = await setup([chatMessage('s1', 1)], { onSend: 'hold' });
      await client.send('s1', 'only for agents', 'note');
      await until(() => root.querySelector('[part~="message--pending"]') !== null, 'pending');
      const pending = root.querySelector('[part~="message--pending"]')!;
      expect(pending.getAttribute('part')).to.equal('message message--note message--pending');
      expect(pending.querySelector('[part=note-label]')).to.not.equal(null);
    });

    it('says "Waiting for the connection…" while not live', async () => {
      const { client, root } = await setup([chatMessage('s1', 1)], { onSend: 'hold' });
      client.disconnect();
      await client.send('s1', 'offline words');
      await until(() => root.querySelector('[part=message-state]') !== null, 'pending shown');
      expect(root.querySelector('[part=message-state]')!.textContent).to.contain('Waiting for the connection…');
    });
  });

  describe('theming', () => {
    it('exposes parts and reads its custom properties', async () => {
      const { el, root, items, rendered } = await setup([chatMessage('s1', 1), chatMessage('s1', 2, { author: ANN }), chatMessage('s1', 3, { kind: 'note', author: ANN })]);
      await rendered(3);
      for (const part of ['base', 'scroller', 'messages', 'message', 'message--customer', 'message--agent', 'message--note', 'bubble', 'meta', 'note-label']) {
        expect(root.querySelector(`[part~="${part}"]`), part).to.exist;
      }
      el.style.setProperty('--chat-conversation-customer-bubble-background', 'rgb(1, 1, 1)');
      el.style.setProperty('--chat-conversation-note-background', 'rgb(2, 2, 2)');
      expect(getComputedStyle(items()[0]!.querySelector('[part~=bubble]')!).backgroundColor).to.equal('rgb(1, 1, 1)');
      expect(getComputedStyle(items()[2]!.querySelector('[part~=bubble]')!).backgroundColor).to.equal('rgb(2, 2, 2)');
      // Each message kind's bubble has a part of its own (message--… is the whole row).
      expect(items()[0]!.querySelector('[part~=bubble]')!.getAttribute('part')).to.equal('bubble bubble--customer');
      expect(items()[1]!.querySelector('[part~=bubble]')!.getAttribute('part')).to.equal('bubble bubble--agent');
      expect(items()[2]!.querySelector('[part~=bubble]')!.getAttribute('part')).to.equal('bubble bubble--note');
    });

    it('sets the scrolled-up state while the user reads older messages', async () => {
      const many = Array.from({ length: 30 }, (_, i) => chatMessage('s1', i + 1));
      const { el, list, rendered } = await setup(many);
      await rendered('m:s1-m30');
      await until(() => list().scrollTop > 0, 'at the bottom');
      expect(el.hasCustomState('scrolled-up')).to.be.false;
      await frames(4);
      userScroll(list(), 0);
      await until(() => el.hasCustomState('scrolled-up'), 'scrolled up');
    });
  });
});
