/**
 * chat-channel-settings: closing a chat (issue 18), against the real server: a manager sets the
 * closing comment (not asked for, optional, required), the tags agents choose from (one per line)
 * and whether a tag is required, with the keyboard; the channel's agents then read the same
 * requirements (what the console's End chat dialog asks for); a tag listed twice is refused by the
 * server and marked; Swedish; axe. Support's wrap-up settings are put back afterwards.
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

import { setChatLocale } from '../../src/i18n/localization.js';
import type { WrapUpSettings } from '../../src/protocol/channel-settings.js';
import { channelSettings } from '../helpers/channel-settings.js';
import { loginAgent, until } from '../helpers/chat-server.js';

describe('chat-channel-settings: closing a chat (real server)', function () {
  this.timeout(30_000);
  const settings = channelSettings('support');
  const api = settings.api;
  const open = () => settings.open();
  let original: WrapUpSettings | undefined;

  before(async () => {
    await settings.start();
    original = (await api('GET')).settings.wrapUp;
  });

  afterEach(async () => {
    settings.closeClients();
    await setChatLocale('en');
  });

  after(async () => {
    if (original) await api('PUT', { settings: { wrapUp: original } });
  });

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
    const sofia = await loginAgent(settings.server, 'sofia');
    const res = await fetch(`${settings.server.url}/api/channels/support/wrap-up`, { headers: { Authorization: `Bearer ${sofia}` } });
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
