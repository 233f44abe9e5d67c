/**
 * The dark theme (themes/dark.css), checked by axe (colour contrast included) in the states that
 * have colours of their own: the window with a wait warning and the queue, a conversation with
 * customer and agent bubbles, an internal note, the composer in Reply and Note mode, the contact
 * panel's matches and linked card (links, phone), the dashboard, a connection that is lost, and
 * the customer widget (launcher, form, conversation) against the real server. The light theme's
 * states are checked in each element's own tests.
 */
import { expect, fixture, html } from '@open-wc/testing';

import '../../src/components/chat-connection-status/chat-connection-status.js';
import '../../src/components/chat-contact-panel/chat-contact-panel.js';
import '../../src/components/chat-conversation/chat-conversation.js';
import '../../src/components/chat-dashboard/chat-dashboard.js';
import '../../src/components/chat-visitor/chat-visitor.js';
import '../../src/components/chat-window/chat-window.js';
import type { ChatConversation } from '../../src/components/chat-conversation/chat-conversation.js';
import type { ChatVisitor } from '../../src/components/chat-visitor/chat-visitor.js';
import type { ChatWindow } from '../../src/components/chat-window/chat-window.js';
import { createMemoryCrmProvider } from '../../src/crm/memory-provider.js';
import type { SessionSummary } from '../../src/protocol/index.js';
import { chatServer, until } from '../helpers/chat-server.js';
import { chatMessage, fixtureClient, NOW, session } from '../helpers/fixture-client.js';

const ANN = { kind: 'agent' as const, id: 'ann', name: 'Ann Agent' };
const KIM: SessionSummary = session({ id: 's1', customer: { name: 'Kim Andersson', email: 'kim.andersson@example.com', phone: '+46 70 123 45 67' } });

function queued(id: string, name: string, minutes = 3): SessionSummary {
  const createdAt = Date.now() - minutes * 60_000;
  const { agentId: _a, agentName: _n, acceptedAt: _t, ...rest } = session({ id, status: 'queued', createdAt, lastActivityAt: createdAt, customer: { name } });
  return rest;
}

const crm = () =>
  createMemoryCrmProvider({
    now: () => NOW,
    data: {
      companies: [{ id: 'co-1', name: 'Fjällvind Friluft AB', orgNo: '556712-4410', address: { street: 'Rådhusesplanaden 14', postalCode: '903 28', city: 'Umeå', country: 'SE' } }],
      contacts: [
        { id: 'pe-1', firstName: 'Kim', lastName: 'Andersson', title: 'Store manager', email: 'kim.andersson@example.com', phone: '+46701234567', companyId: 'co-1' },
        { id: 'pe-2', firstName: 'Kim', lastName: 'Anderson', title: 'Buyer', email: 'kim@tindra.example', phone: '+4791234567' },
      ],
      sessions: [{ id: 's1', customer: KIM.customer, status: 'active', startedAt: NOW - 600_000 }],
    },
  });

/** Every element in `root`, through shadow roots. */
function* deep(root: ParentNode): Generator<Element> {
  for (const el of root.querySelectorAll('*')) {
    yield el;
    if (el.shadowRoot) yield* deep(el.shadowRoot);
  }
}

/**
 * Pointer targets smaller than 24 × 24 CSS px (WCAG 2.2 2.5.8), except links inside a sentence
 * (the "inline" exception) and controls that are not shown.
 */
function smallTargets(el: Element): string[] {
  const small: string[] = [];
  for (const node of deep(el.shadowRoot ?? el)) {
    if (!(node instanceof HTMLElement)) continue;
    const interactive = node.matches('button, select, textarea, summary, [role=tab], [role=button], input:not([type=hidden]):not([type=radio]):not([type=checkbox]), a[href]');
    if (!interactive) continue;
    if (node.matches('a[href]') && node.closest('p, [part~=bubble], .bubble, .preview, .hint')) continue;
    const box = node.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || getComputedStyle(node).visibility === 'hidden') continue;
    if (box.width < 24 || box.height < 24) small.push(`${node.localName}.${node.className || (node.getAttribute('part') ?? '')} ${box.width.toFixed(0)}×${box.height.toFixed(0)} "${(node.getAttribute('aria-label') ?? node.textContent).trim().slice(0, 30)}"`);
  }
  return small;
}

/** Axe (colour contrast included) on an element inside the dark theme, and its pointer targets. */
async function accessibleInDark(el: Element, what: string): Promise<void> {
  expect(getComputedStyle(el).getPropertyValue('--chat-color-surface').trim(), `${what}: dark theme applied`).to.equal('#161b22');
  await expect(el, what).to.be.accessible();
  expect(smallTargets(el), `${what}: targets under 24 × 24 px`).to.deep.equal([]);
}

describe('the dark theme', function () {
  this.timeout(60_000);
  let link: HTMLLinkElement;
  before(async () => {
    link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = '/themes/dark.css';
    const loaded = new Promise((r) => {
      link.addEventListener('load', r, { once: true });
    });
    document.head.append(link);
    await loaded;
    document.documentElement.classList.add('chat-theme-dark');
    document.body.style.background = '#0d1117';
  });
  after(() => {
    link.remove();
    document.documentElement.classList.remove('chat-theme-dark');
    document.body.style.background = '';
  });

  it('the window: a wait warning, the queue, tabs and status', async () => {
    const { client, fake } = await fixtureClient({ sessions: [queued('q1', 'Lea Berg'), KIM] });
    const el = await fixture<ChatWindow>(html`<chat-window style="height: 700px" .client=${client} .crmProvider=${crm()}></chat-window>`);
    await el.updateComplete;
    fake.last.push({ t: 'warning', sessionId: 'q1', level: 'agents', waitingSince: Date.now() - 200_000 });
    await until(() => el.shadowRoot!.querySelector('[part~=warning]') !== null, 'warning shown');
    await accessibleInDark(el, 'window with a warning');
    fake.last.push({ t: 'warning', sessionId: 'q1', level: 'managers', waitingSince: Date.now() - 400_000 });
    await until(() => el.shadowRoot!.querySelector('[part~=warning][data-level=managers]') !== null, 'managers warning');
    await accessibleInDark(el, 'window with a managers warning');
    client.destroy();
  });

  it('a conversation: bubbles of both sides, a note, links, the composer in Reply and Note mode', async () => {
    const { client } = await fixtureClient({
      sessions: [KIM],
      messages: {
        s1: [
          chatMessage('s1', 1, { text: 'Hi! Order 7781, see https://shop.example/o/7781' }),
          chatMessage('s1', 2, { author: ANN, text: 'Thanks, www.example.com has the tracking.' }),
          chatMessage('s1', 3, { author: ANN, kind: 'note', text: 'Checked the warehouse' }),
        ],
      },
    });
    client.selectSession('s1');
    const el = await fixture<ChatConversation>(html`<chat-conversation style="height: 600px" .client=${client} session-id="s1" .crmProvider=${crm()}></chat-conversation>`);
    const find = (selector: string): Element | null => {
      const walk = (root: ParentNode): Element | null => {
        const hit = root.querySelector(selector);
        if (hit) return hit;
        for (const node of root.querySelectorAll('*')) if (node.shadowRoot) {
          const inner = walk(node.shadowRoot);
          if (inner) return inner;
        }
        return null;
      };
      return walk(el.shadowRoot!);
    };
    await until(() => find('[part~="bubble--note"]') !== null && find('textarea') !== null, 'messages and composer');
    await accessibleInDark(el, 'conversation, Reply mode');
    const note = find('[part~="mode--note"] input, input[value="note"]') as HTMLInputElement | null;
    note?.click();
    await el.updateComplete;
    await accessibleInDark(el, 'conversation, Note mode');
    client.destroy();
  });

  it('the contact panel: matches with reasons, then the linked card with its phone link', async () => {
    const { client } = await fixtureClient({ sessions: [KIM] });
    client.selectSession('s1');
    const provider = crm();
    const el = await fixture(html`<chat-contact-panel .client=${client} .provider=${provider}></chat-contact-panel>`);
    await until(() => el.shadowRoot!.querySelector('[part=matches]') !== null, 'matches');
    await accessibleInDark(el, 'contact panel, matches');
    await provider.linkSession('s1', 'pe-1');
    const linked = await fixture(html`<chat-contact-panel .client=${client} .provider=${provider}></chat-contact-panel>`);
    await until(() => linked.shadowRoot!.querySelector('a.phone') !== null && linked.shadowRoot!.querySelectorAll('.section [part=skeleton]').length === 0, 'card');
    await accessibleInDark(linked, 'contact panel, linked card');
    client.destroy();
  });

  it('the dashboard and a lost connection', async () => {
    const { client, fake } = await fixtureClient({ sessions: [queued('q1', 'Lea Berg'), queued('q2', 'Jonas Ek', 8), KIM] });
    const dashboard = await fixture(html`<chat-dashboard .client=${client}></chat-dashboard>`);
    await until(() => dashboard.shadowRoot!.querySelector('[part~=row], tr') !== null, 'rows');
    await accessibleInDark(dashboard, 'dashboard');
    const status = await fixture(html`<chat-connection-status .client=${client}></chat-connection-status>`);
    // The server goes quiet and drops the socket: the client keeps trying, the status says so.
    fake.onFrame = () => undefined;
    fake.last.serverClose(1011, 'test');
    await until(() => /Reconnecting|Connecting|Syncing/.test(status.shadowRoot!.textContent), 'lost connection shown');
    await accessibleInDark(status, 'connection status, reconnecting');
    client.destroy();
  });

  it('the customer widget: launcher, form and a conversation, against the real server', async () => {
    const server = await chatServer();
    const el = await fixture<ChatVisitor>(html`<chat-visitor server-url=${server.url} tenant="demo"></chat-visitor>`);
    const q = (selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);
    await until(() => q('[part~="launcher"]') !== null, 'launcher');
    await accessibleInDark(el, 'widget, closed');
    q('[part~="launcher"]')!.click();
    await until(() => q('[part~="form"]') !== null, 'form');
    await accessibleInDark(el, 'widget, pre-chat form');
    el.remove();
  });
});
