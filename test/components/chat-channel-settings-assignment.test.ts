/**
 * chat-channel-settings: automatic assignment of the channel (issue 18), against the real server:
 * the mode and the time to accept an offer are saved; a refused value is listed and marked.
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

import { channelSettings } from '../helpers/channel-settings.js';
import { until } from '../helpers/chat-server.js';

describe('chat-channel-settings: automatic assignment (real server)', function () {
  this.timeout(30_000);
  const settings = channelSettings('support');
  const api = settings.api;
  const open = () => settings.open();

  before(() => settings.start());

  afterEach(() => {
    settings.closeClients();
  });

  after(async () => {
    // Other browser tests answer Support's chats themselves: back to pulling.
    await api('PUT', { assignment: { mode: 'off', offerSeconds: 30 } });
  });

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
