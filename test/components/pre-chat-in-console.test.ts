/**
 * The pre-chat form's company and consent reach the agent (issue 16): the contact panel shows
 * what the customer gave in the channel's form, as text, in the console's language.
 */
import { expect, fixture, html } from '@open-wc/testing';

import '../../src/components/chat-contact-panel/chat-contact-panel.js';
import type { ChatContactPanel } from '../../src/components/chat-contact-panel/chat-contact-panel.js';
import { createMemoryCrmProvider } from '../../src/crm/memory-provider.js';
import { setChatLocale } from '../../src/i18n/localization.js';
import { until } from '../helpers/chat-server.js';
import { fixtureClient, NOW, session } from '../helpers/fixture-client.js';

const HOSTILE = '<img src=x onerror="window.__pwned=1">';
const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('the pre-chat form in the console', () => {
  afterEach(async () => {
    await setChatLocale('en');
  });

  it('the contact panel shows the company and when the consent text was accepted, as text, in English and Swedish', async () => {
    const chat = session({ id: 's1', customer: { name: 'Robin', company: `Fjällvind ${HOSTILE}`, consentAt: NOW - 60_000 } });
    const { client } = await fixtureClient({ sessions: [chat] });
    client.selectSession('s1');
    const provider = createMemoryCrmProvider({ now: () => NOW, data: { companies: [], contacts: [], sessions: [{ id: 's1', customer: chat.customer, status: 'active', startedAt: NOW - 60_000 }] } });
    const el = await fixture<ChatContactPanel>(html`<chat-contact-panel .client=${client} .provider=${provider}></chat-contact-panel>`);
    const root = el.shadowRoot!;
    await until(() => root.querySelector('[part=company]') !== null, 'the company');
    expect(text(root.querySelector('[part=company]'))).to.equal(`Fjällvind ${HOSTILE}`);
    expect(text(root.querySelector('[part=consent]'))).to.match(/^Accepted the consent text: .*\d/);
    expect(root.querySelector('[part=customer] img')).to.equal(null);
    await expect(el).to.be.accessible();
    await setChatLocale('sv');
    await until(() => text(root.querySelector('[part=consent]')).startsWith('Godkände samtyckestexten: '), 'Swedish');
    expect((window as { __pwned?: unknown }).__pwned).to.equal(undefined);
    client.destroy();
  });
});
