/**
 * chat-channel-settings: closing a chat (issue 18), against the real server: a manager sets the
 * closing comment (not asked for, optional, required), the tags agents choose from (one per line)
 * and whether a tag is required, with the keyboard; the channel's agents then read the same
 * requirements (what the console's End chat dialog asks for); a tag listed twice is refused by the
 * server and marked; Swedish; axe. Support's wrap-up settings are put back afterwards.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

import '../../src/components/chat-channel-settings/chat-channel-settings.js';
import type { ChatChannelSettings } from '../../src/components/chat-channel-settings/chat-channel-settings.js';
import { setChatLocale } from '../../src/i18n/localization.js';
import type { ChannelSettingsView, WrapUpSettings } from '../../src/protocol/channel-settings.js';
import type { ChatClient } from '../../src/state/index.js';
import type { ServerInfo } from '../helpers/chat-server.js';
import { chatServer, loginAgent, testClient, until } from '../helpers/chat-server.js';

describe('chat-channel-settings: closing a chat (real server)', function () {
  this.timeout(30_000);
  let server: ServerInfo;
  let token: string;
  let original: WrapUpSettings | undefined;
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
    original = (await api('GET')).settings.wrapUp;
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await setChatLocale('en');
  });

  after(async () => {
    if (original) await api('PUT', { settings: { wrapUp: original } });
  });

  async function open() {
    const client = testClient(server, token, { getAccessToken: () => token });
    clients.push(client);
    const el = await fixture<ChatChannelSettings>(html`<chat-channel-settings .client=${client} channel-id="support"></chat-channel-settings>`);
    const root = el.shadowRoot!;
    await until(() => root.querySelector('form') !== null, 'loaded');
    const field = (path: string) => root.querySelector<HTMLElement>(`[data-path="${path}"]`)!;
    return { el, root, field };
  }

  it('a manager requires a comment and a tag of a list, with the keyboard; the agents read it; axe passes', async () => {
    await api('PUT', { settings: { wrapUp: { comment: 'optional', tags: [], tagsRequired: false } } });
    const { el, root, field } = await open();
    const legend = [...root.querySelectorAll('legend')].map((l) => l.textContent.trim());
    expect(legend).to.include('Closing a chat');
    const comment = field('settings.wrapUp.comment') as HTMLSelectElement;
    expect([...comment.options].map((o) => o.textContent.trim())).to.deep.equal(['Not asked for', 'Optional', 'Required']);
    expect(comment.value).to.equal('optional');
    comment.focus();
    await sendKeys({ press: 'ArrowDown' });
    await until(() => comment.value === 'required', 'required chosen');
    const tags = field('settings.wrapUp.tags') as HTMLTextAreaElement;
    tags.focus();
    await sendKeys({ type: 'Refund' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ type: '  Delivery ' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ type: 'Spam' });
    await sendKeys({ press: 'Tab' }); // the change is taken on leaving the field
    const required = [...root.querySelectorAll<HTMLLabelElement>('label.check')].find((l) => l.textContent.includes('At least one tag is required'))!.querySelector('input')!;
    expect(root.activeElement).to.equal(required);
    await sendKeys({ press: 'Space' });
    root.querySelector<HTMLButtonElement>('button[part=save]')!.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => root.querySelector('.status[data-kind=saved]') !== null, 'saved');
    expect((await api('GET')).settings.wrapUp).to.deep.equal({ comment: 'required', tags: ['Refund', 'Delivery', 'Spam'], tagsRequired: true });
    // An agent of the channel who is not its manager reads the same requirements.
    const sofia = await loginAgent(server, 'sofia');
    const res = await fetch(`${server.url}/api/channels/support/wrap-up`, { headers: { Authorization: `Bearer ${sofia}` } });
    expect(await res.json()).to.deep.equal({ comment: 'required', tags: ['Refund', 'Delivery', 'Spam'], tagsRequired: true });
    await expect(el).to.be.accessible();
  });

  it('a tag listed twice is refused by the server: the field is marked and named', async () => {
    await api('PUT', { settings: { wrapUp: { comment: 'optional', tags: [], tagsRequired: false } } });
    const { el, root, field } = await open();
    const tags = field('settings.wrapUp.tags') as HTMLTextAreaElement;
    tags.value = 'VIP\nVIP';
    tags.dispatchEvent(new Event('change'));
    root.querySelector<HTMLButtonElement>('button[part=save]')!.click();
    await until(() => root.querySelector('.status[data-kind=error]') !== null, 'refused');
    await until(() => field('settings.wrapUp.tags').getAttribute('aria-invalid') === 'true', 'marked');
    expect(root.querySelector('.errors')!.textContent).to.contain('Tags agents choose from');
    expect((await api('GET')).settings.wrapUp.tags).to.deep.equal([]);
    await expect(el).to.be.accessible();
  });

  it('speaks Swedish', async () => {
    await setChatLocale('sv');
    const { root, field } = await open();
    const legend = [...root.querySelectorAll('legend')].map((l) => l.textContent.trim());
    expect(legend).to.include('Avsluta en chatt');
    expect([...(field('settings.wrapUp.comment') as HTMLSelectElement).options].map((o) => o.textContent.trim())).to.deep.equal(['Efterfrågas inte', 'Valfri', 'Krävs']);
  });
});
