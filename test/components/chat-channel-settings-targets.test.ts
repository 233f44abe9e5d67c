/**
 * chat-channel-settings: priority and reply targets of the channel (issue 18), against the real
 * server: the default priority, the targets and a rule on a pre-chat field are saved; a rule the
 * server refuses is listed and marked by path; axe passes in each state.
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

import { channelSettings } from '../helpers/channel-settings.js';
import { until } from '../helpers/chat-server.js';

const NO_TARGETS = { defaultPriority: 'normal', rules: [], firstResponseSeconds: 0, nextResponseSeconds: 0 };

describe('chat-channel-settings: priority and reply targets (real server)', function () {
  this.timeout(30_000);
  const settings = channelSettings('sales');
  const api = settings.api;
  const open = () => settings.open();

  before(() => settings.start());

  afterEach(async () => {
    settings.closeClients();
    // Other browser tests start chats in Sales: no priority rules or targets for them.
    await api('PUT', { targets: NO_TARGETS });
  });

  async function typeInto(input: HTMLInputElement, text: string) {
    input.focus();
    input.select();
    await sendKeys({ type: text });
  }

  it('a manager sets the default, both targets and a rule with the keyboard; the server has them; axe passes', async () => {
    const { el, root, field, button } = await open();
    const def = field('targets.defaultPriority') as HTMLSelectElement;
    expect(def.value).to.equal('normal');
    expect([...def.options].map((o) => o.textContent.trim())).to.deep.equal(['Urgent', 'High', 'Normal', 'Low']);
    def.value = 'low';
    def.dispatchEvent(new Event('change'));
    await typeInto(field('targets.firstResponseSeconds') as HTMLInputElement, '60');
    await typeInto(field('targets.nextResponseSeconds') as HTMLInputElement, '120');
    button('Add a priority rule').focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(root.querySelector('[data-path="targets.rules[0]"] legend')!.textContent).to.contain('Priority rule 1');
    await typeInto(field('targets.rules[0].value') as HTMLInputElement, '@bigcorp.example');
    const prio = field('targets.rules[0].priority') as HTMLSelectElement;
    prio.value = 'urgent';
    prio.dispatchEvent(new Event('change'));
    await expect(el).to.be.accessible();
    root.querySelector<HTMLButtonElement>('button[part=save]')!.click();
    await until(() => root.querySelector('.status[data-kind=saved]') !== null, 'saved');
    expect((await api('GET')).targets).to.deep.equal({
      defaultPriority: 'low',
      rules: [{ field: 'email', match: 'ends-with', value: '@bigcorp.example', priority: 'urgent' }],
      firstResponseSeconds: 60,
      nextResponseSeconds: 120,
    });
    await expect(el).to.be.accessible();
  });

  it('a rule without a value is refused by the server: listed and marked on its field', async () => {
    const { el, root, field, button } = await open();
    button('Add a priority rule').click();
    await el.updateComplete;
    root.querySelector<HTMLButtonElement>('button[part=save]')!.click();
    await until(() => field('targets.rules[0].value').getAttribute('aria-invalid') === 'true', 'marked');
    expect(root.querySelector('.errors')!.textContent).to.contain('Value');
    expect((await api('GET')).targets).to.deep.equal(NO_TARGETS);
    await expect(el).to.be.accessible();
  });
});
