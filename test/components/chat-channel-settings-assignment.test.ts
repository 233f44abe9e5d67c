/**
 * chat-channel-settings: automatic assignment of the channel (issue 18), against the real server:
 * the mode and the time to accept an offer are saved; a refused value is listed and marked.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

import '../../src/components/chat-channel-settings/chat-channel-settings.js';
import type { ChatChannelSettings } from '../../src/components/chat-channel-settings/chat-channel-settings.js';
import type { ChannelSettingsView } from '../../src/protocol/channel-settings.js';
import type { ChatClient } from '../../src/state/index.js';
import type { ServerInfo } from '../helpers/chat-server.js';
import { chatServer, loginAgent, testClient, until } from '../helpers/chat-server.js';

describe('chat-channel-settings: automatic assignment (real server)', function () {
  this.timeout(30_000);
  let server: ServerInfo;
  let token: string;
  const clients: ChatClient[] = [];

  const api = async (method: string, body?: unknown): Promise<ChannelSettingsView> => {
    const res = await fetch(`${server.url}/api/channels/support/settings`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    expect(res.status, await res.clone().text()).to.equal(200);
    return (await res.json()) as ChannelSettingsView;
  };

  before(async () => {
    server = await chatServer();
    token = await loginAgent(server, 'anna');
  });

  afterEach(() => {
    for (const c of clients.splice(0)) c.destroy();
  });

  after(async () => {
    // Other browser tests answer Support's chats themselves: back to pulling.
    await api('PUT', { assignment: { mode: 'off', offerSeconds: 30 } });
  });

  async function open() {
    const client = testClient(server, token, { getAccessToken: () => token });
    clients.push(client);
    const el = await fixture<ChatChannelSettings>(html`<chat-channel-settings .client=${client} channel-id="support"></chat-channel-settings>`);
    const root = el.shadowRoot!;
    await until(() => root.querySelector('form') !== null, 'loaded');
    const field = (path: string) => root.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-path="${path}"]`)!;
    return { el, root, field };
  }

  it('a manager picks round robin and 45 seconds with the keyboard; the server has it; axe passes', async () => {
    const { el, root, field } = await open();
    const mode = field('assignment.mode') as HTMLSelectElement;
    expect(mode.value).to.equal('off');
    expect([...mode.options].map((o) => o.textContent.trim())).to.deep.equal(['Off: agents take chats themselves', 'Round robin', 'Least busy agent']);
    expect(root.querySelector(`label:has([data-path="assignment.mode"])`)?.textContent).to.contain('Automatic assignment');
    mode.focus();
    mode.value = 'round-robin';
    mode.dispatchEvent(new Event('change'));
    const seconds = field('assignment.offerSeconds') as HTMLInputElement;
    seconds.focus();
    seconds.select();
    await sendKeys({ type: '45' });
    await sendKeys({ press: 'Enter' });
    await until(() => root.querySelector('.status[data-kind=saved]') !== null, 'saved');
    const stored = await api('GET');
    expect(stored.assignment).to.deep.equal({ mode: 'round-robin', offerSeconds: 45 });
    await expect(el).to.be.accessible();
  });

  it('a time to accept outside 10–600 seconds is stopped by the field itself; nothing is written', async () => {
    await api('PUT', { assignment: { mode: 'least-busy', offerSeconds: 30 } });
    const { el, root, field } = await open();
    const seconds = field('assignment.offerSeconds') as HTMLInputElement;
    expect([seconds.min, seconds.max]).to.deep.equal(['10', '600']);
    seconds.value = '5';
    seconds.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(seconds.validity.rangeUnderflow).to.equal(true);
    root.querySelector<HTMLButtonElement>('button[part=save]')!.click();
    await el.updateComplete;
    expect(root.querySelector('.status[data-kind=saved]')).to.equal(null);
    // The server refuses it too, by field (test/server/assignment.test.ts).
    expect((await api('GET')).assignment).to.deep.equal({ mode: 'least-busy', offerSeconds: 30 });
    await expect(el).to.be.accessible();
  });
});
