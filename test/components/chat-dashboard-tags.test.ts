/**
 * chat-dashboard's tags card (issue 18), against the real reference server: a chat ended today
 * with wrap-up tags is counted per tag (`tagsToday`) and listed on the card, most used first, as
 * text; axe passes; Swedish. Support's wrap-up settings are put back afterwards.
 */
import { expect, fixture, html } from '@open-wc/testing';

import '../../src/components/chat-dashboard/chat-dashboard.js';
import type { ChatDashboard } from '../../src/components/chat-dashboard/chat-dashboard.js';
import { setChatLocale } from '../../src/i18n/localization.js';
import type { WrapUpSettings } from '../../src/protocol/channel-settings.js';
import type { ChatClient } from '../../src/state/index.js';
import type { ServerInfo } from '../helpers/chat-server.js';
import { chatServer, loginAgent, startChat, testClient, until } from '../helpers/chat-server.js';

describe('chat-dashboard: tags card (real server)', function () {
  this.timeout(30_000);
  let server: ServerInfo;
  let annaToken: string;
  let original: WrapUpSettings | undefined;
  const clients: ChatClient[] = [];
  /** Tags no other test uses, so the shared server's other chats do not change the counts. */
  const run = String(Date.now() % 100_000);
  const HOSTILE = `<img src=x>${run}`;
  const TWICE = `Twice ${run}`;

  const wrapUp = async (value?: WrapUpSettings): Promise<WrapUpSettings> => {
    const res = await fetch(`${server.url}/api/channels/support/settings`, {
      method: value ? 'PUT' : 'GET',
      headers: { Authorization: `Bearer ${annaToken}`, ...(value ? { 'Content-Type': 'application/json' } : {}) },
      ...(value ? { body: JSON.stringify({ settings: { wrapUp: value } }) } : {}),
    });
    expect(res.status).to.equal(200);
    return ((await res.json()) as { settings: { wrapUp: WrapUpSettings } }).settings.wrapUp;
  };

  before(async () => {
    server = await chatServer();
    annaToken = await loginAgent(server, 'anna');
    original = await wrapUp();
    await wrapUp({ comment: 'optional', tags: [], tagsRequired: false });
    // Sofia ends two chats today: one tagged twice-used and hostile, one twice-used only.
    const token = await loginAgent(server, 'sofia');
    const sofia = testClient(server, token);
    clients.push(sofia);
    sofia.connect();
    await until(() => sofia.$connection.get().status === 'live', 'agent live');
    for (const tags of [[TWICE, HOSTILE], [TWICE]]) {
      const chat = await startChat(server, 'support', `Tagged ${run}`);
      await until(() => sofia.$queued.get().some((s) => s.id === chat.sessionId), 'queued');
      await sofia.accept(chat.sessionId);
      await sofia.end(chat.sessionId, { wrapUp: { tags } });
    }
  });

  afterEach(async () => {
    await setChatLocale('en');
  });

  after(async () => {
    for (const c of clients.splice(0)) c.destroy();
    if (original) await wrapUp(original);
  });

  async function dashboard() {
    const token = await loginAgent(server, 'anna');
    const client = testClient(server, token);
    clients.push(client);
    client.connect();
    const el = await fixture<ChatDashboard>(html`<chat-dashboard .client=${client}></chat-dashboard>`);
    const root = el.shadowRoot!;
    const entries = () => [...root.querySelectorAll('[part~="card--tags"] [part~="tag-count"]')].map((li) => li.textContent.replace(/\s+/g, ' ').trim());
    await until(() => entries().some((e) => e.startsWith(TWICE)), 'tags card', 15_000);
    return { el, root, entries };
  }

  it("lists today's ended chats per tag, as text, with the label; axe passes", async () => {
    const { el, root, entries } = await dashboard();
    expect(root.querySelector('[part~="card--tags"] [part~="card-label"]')!.textContent.trim()).to.equal('Chats per tag today');
    expect(entries()).to.include(`${TWICE} 2`);
    expect(entries()).to.include(`${HOSTILE} 1`);
    // Most used first: the twice-used tag comes before the hostile one.
    expect(entries().findIndex((e) => e.startsWith(TWICE))).to.be.below(entries().findIndex((e) => e.startsWith(HOSTILE)));
    expect(root.querySelector('[part~="card--tags"] img')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('speaks Swedish', async () => {
    await setChatLocale('sv');
    const { root } = await dashboard();
    expect(root.querySelector('[part~="card--tags"] [part~="card-label"]')!.textContent.trim()).to.equal('Chattar per tagg i dag');
  });
});
