/**
 * Right-to-left pages. An element's direction is its language's: on a right-to-left page the
 * English (or Swedish, …) elements stay left to right, so their texts do not come out reversed
 * ("…Transfer", "?Sent"). With `dir="rtl"` set on an element (or a right-to-left language) the
 * layout mirrors (logical CSS properties) without overflowing, the elements inside follow. Message
 * texts keep their own direction (`dir="auto"`). Screenshots: `npm run screenshots`
 * (docs/screenshots/rtl-*.png).
 */
import { expect, fixture, html } from '@open-wc/testing';
import { ifDefined } from 'lit/directives/if-defined.js';

import '../../src/components/chat-conversation/chat-conversation.js';
import '../../src/components/chat-visitor/chat-visitor.js';
import '../../src/components/chat-window/chat-window.js';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/components/chat-composer/chat-composer.js';
import type { ChatComposer } from '../../src/components/chat-composer/chat-composer.js';
import type { ChatConversation } from '../../src/components/chat-conversation/chat-conversation.js';
import type { ChatVisitor } from '../../src/components/chat-visitor/chat-visitor.js';
import { until } from '../helpers/chat-server.js';
import { chatMessage, fixtureClient, session } from '../helpers/fixture-client.js';

const ANN = { kind: 'agent' as const, id: 'ann', name: 'Ann Agent' };

/** Every element in `root` (through shadow roots). */
function* deep(root: ParentNode): Generator<Element> {
  for (const el of root.querySelectorAll('*')) {
    yield el;
    if (el.shadowRoot) yield* deep(el.shadowRoot);
  }
}

async function conversation(pageDir: 'ltr' | 'rtl', ownDir?: 'rtl') {
  const { client } = await fixtureClient({
    sessions: [session({ id: 's1', customer: { name: 'Kim' } })],
    messages: {
      s1: [
        chatMessage('s1', 1, { text: 'Hello, my order has not arrived.' }),
        chatMessage('s1', 2, { author: ANN, text: 'Let me look it up for you.' }),
        chatMessage('s1', 3, { text: 'שלום, ההזמנה שלי לא הגיעה' }),
      ],
    },
  });
  const box = await fixture<HTMLElement>(html`<div dir=${pageDir} style="width: 560px; height: 600px; display: flex">
    <chat-conversation style="flex: 1" dir=${ifDefined(ownDir)} .client=${client} session-id="s1"></chat-conversation>
  </div>`);
  const el = box.querySelector<ChatConversation>('chat-conversation')!;
  const all = () => [...deep(el.shadowRoot!)].filter((n): n is HTMLElement => n instanceof HTMLElement && (n.getAttribute('part') ?? '').split(' ').includes('bubble'));
  /** The three bubbles, once they are all in the DOM (the list's virtualizer may rebuild its rows between frames). */
  const bubbles = async () => {
    await until(() => all().length === 3, 'three bubbles');
    return all() as [HTMLElement, HTMLElement, HTMLElement];
  };
  return { client, box, el, bubbles };
}

describe('right-to-left pages', () => {
  it('keep English elements left to right, so their texts are not reversed', async () => {
    const ltr = await conversation('ltr');
    const [kimL, annL] = await ltr.bubbles();
    expect(annL.getBoundingClientRect().right).to.be.greaterThan(kimL.getBoundingClientRect().right);
    ltr.client.destroy();

    const page = await conversation('rtl');
    expect(page.el.getAttribute('dir')).to.equal('ltr');
    expect(page.el.matches(':dir(ltr)')).to.equal(true);
    const [kim, ann] = await page.bubbles();
    expect(ann.getBoundingClientRect().right, 'agent bubble still at the right').to.be.greaterThan(kim.getBoundingClientRect().right);
    page.client.destroy();
  });

  it('mirror an element given dir="rtl": agent bubbles on the left, Send at the left, nothing overflows', async () => {
    const rtl = await conversation('ltr', 'rtl');
    const [kim, ann] = await rtl.bubbles();
    const area = rtl.el.getBoundingClientRect();
    const kimBox = kim.getBoundingClientRect();
    const annBox = ann.getBoundingClientRect();
    expect(annBox.left, 'agent bubble at the left').to.be.lessThan(kimBox.left);
    expect(kimBox.right, 'customer bubble at the right').to.be.greaterThan(area.left + area.width / 2);
    // The elements inside follow the chosen direction (they set none of their own).
    const inner = [...deep(rtl.el.shadowRoot!)].filter((n) => n.localName.startsWith('chat-'));
    expect(inner.length).to.be.greaterThan(0);
    for (const el of inner) expect(el.matches(':dir(rtl)'), el.localName).to.equal(true);
    // Nothing sticks out of its box horizontally.
    for (const node of deep(rtl.el.shadowRoot!)) {
      if (!(node instanceof HTMLElement) || node.clientWidth === 0) continue;
      const style = getComputedStyle(node);
      if (style.overflowX === 'visible' || style.overflowX === 'clip') continue;
      expect(node.scrollWidth, `${node.localName}.${node.className} overflows`).to.be.at.most(node.clientWidth + 1);
    }
    expect(rtl.box.scrollWidth).to.be.at.most(rtl.box.clientWidth + 1);

    // The composer's Send button is at the inline end of the text box: its left.
    const composer = await fixture<HTMLElement>(html`<div style="width: 480px"><chat-composer dir="rtl" .client=${rtl.client} session-id="s1"></chat-composer></div>`);
    const root = composer.querySelector<ChatComposer>('chat-composer')!.shadowRoot!;
    const send = root.querySelector('[part~="send"]')!.getBoundingClientRect();
    const box = root.querySelector('textarea')!.getBoundingClientRect();
    expect(send.right, 'Send left of the text box').to.be.at.most(box.left + 1);
    rtl.client.destroy();
  });

  it('shows each message text in its own direction', async () => {
    const rtl = await conversation('ltr');
    const [english, , hebrew] = await rtl.bubbles();
    expect(hebrew.getAttribute('dir')).to.equal('auto');
    expect(hebrew.matches(':dir(rtl)')).to.equal(true);
    expect(english.matches(':dir(ltr)')).to.equal(true);
    rtl.client.destroy();
  });

  it('keeps the widget’s launcher at the bottom right on a right-to-left page, at the left when mirrored', async () => {
    document.documentElement.dir = 'rtl';
    try {
      const launcherOf = async (dir?: 'rtl') => {
        const el = await fixture<ChatVisitor>(html`<chat-visitor dir=${ifDefined(dir)} server-url="http://127.0.0.1:9" tenant="demo"></chat-visitor>`);
        const launcher = () => el.shadowRoot!.querySelector<HTMLElement>('[part~="launcher"]');
        await until(() => launcher() !== null, 'launcher');
        const box = launcher()!.getBoundingClientRect();
        el.remove();
        return box;
      };
      const english = await launcherOf();
      expect(english.left).to.be.greaterThan(window.innerWidth / 2);
      expect(english.right).to.be.at.most(window.innerWidth);
      const mirrored = await launcherOf('rtl');
      expect(mirrored.left).to.be.lessThan(window.innerWidth / 2);
      expect(mirrored.left).to.be.at.least(0);
    } finally {
      document.documentElement.dir = '';
    }
  });

  it('reads the arrow keys in the reading direction: ArrowLeft is "next" in a mirrored element', async () => {
    const { client } = await fixtureClient({ sessions: [session({ id: 's1' })] });
    const el = await fixture<HTMLElement>(html`<chat-window dir="rtl" style="height: 500px" .client=${client}></chat-window>`);
    const root = el.shadowRoot!;
    const dashboard = root.getElementById('tab-dashboard')!;
    const chats = root.getElementById('tab-chats')!;
    dashboard.focus();
    await sendKeys({ press: 'ArrowLeft' });
    expect(root.activeElement === chats, 'ArrowLeft goes to the next tab').to.equal(true);
    await sendKeys({ press: 'ArrowRight' });
    expect(root.activeElement === dashboard, 'ArrowRight goes back').to.equal(true);
    client.destroy();
  });
});
