/**
 * The customer identity badge (src/internal/identity-badge.ts) where agents see it: a session
 * list row, the conversation header and the contact panel. Verified customers get "Verified"
 * with an accessible name, customers whose website token did not verify get "Unverified" and
 * their claims only as text (never matched), anonymous visitors get nothing. English and
 * Swedish; axe finds no violation.
 */
import { expect, fixture, html } from '@open-wc/testing';

import '../../src/components/chat-contact-panel/chat-contact-panel.js';
import '../../src/components/chat-conversation/chat-conversation.js';
import '../../src/components/chat-session-list/chat-session-list.js';
import type { ChatContactPanel } from '../../src/components/chat-contact-panel/chat-contact-panel.js';
import type { ChatConversation } from '../../src/components/chat-conversation/chat-conversation.js';
import type { ChatSessionList } from '../../src/components/chat-session-list/chat-session-list.js';
import { createMemoryCrmProvider } from '../../src/crm/memory-provider.js';
import { setChatLocale } from '../../src/i18n/localization.js';
import type { SessionSummary } from '../../src/protocol/index.js';
import { until } from '../helpers/chat-server.js';
import { fixtureClient, NOW, session } from '../helpers/fixture-client.js';

const KIM_EMAIL = 'kim.andersson@example.com';
const VERIFIED: SessionSummary = session({
  id: 's1',
  customer: { name: 'Kim Andersson', email: KIM_EMAIL },
  identity: { verified: true, externalId: 'shop-1001', name: 'Kim Andersson', email: KIM_EMAIL },
  lastActivityAt: Date.now() - 60_000,
});
// A forged token claiming to be Ylva: the customer typed only "Y".
const FORGED: SessionSummary = session({
  id: 's2',
  customer: { name: 'Y' },
  identity: { verified: false, externalId: 'shop-2002', name: 'Ylva Wetterqvist', email: 'ylva@wetterqvist-design.example' },
  lastActivityAt: Date.now() - 120_000,
});
const ANONYMOUS: SessionSummary = session({ id: 's3', customer: { name: 'Mo Chen' }, lastActivityAt: Date.now() - 180_000 });

const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

function crm() {
  return createMemoryCrmProvider({
    now: () => NOW,
    data: {
      companies: [],
      contacts: [
        { id: 'pe-kim', firstName: 'Kim', lastName: 'Andersson', email: KIM_EMAIL },
        { id: 'pe-ylva', firstName: 'Ylva', lastName: 'Wetterqvist', email: 'ylva@wetterqvist-design.example' },
      ],
      sessions: [
        { id: 's1', customer: VERIFIED.customer, status: 'active', startedAt: NOW - 60_000 },
        { id: 's2', customer: FORGED.customer, status: 'active', startedAt: NOW - 60_000 },
      ],
    },
  });
}

afterEach(async () => {
  await setChatLocale('en');
});

describe('identity badge', () => {
  it('marks rows of the session list: Verified, Unverified, nothing; accessible', async () => {
    const { client } = await fixtureClient({ sessions: [VERIFIED, FORGED, ANONYMOUS] });
    const el = await fixture<ChatSessionList>(html`<chat-session-list .client=${client} style="height: 480px"></chat-session-list>`);
    const root = el.shadowRoot!;
    const row = (id: string) => root.querySelector<HTMLElement>(`[role=option][data-id=${id}]`);
    await until(() => row('s3') !== null, 'rows rendered');
    const verified = row('s1')!.querySelector('[part~=identity]');
    expect(verified?.getAttribute('role')).to.equal('img');
    expect(verified?.getAttribute('aria-label')).to.equal('Verified customer: the website confirmed who this is');
    expect(verified?.getAttribute('part')).to.equal('identity identity--verified');
    expect(text(verified)).to.equal('Verified');
    const forged = row('s2')!.querySelector('[part~=identity]');
    expect(forged?.getAttribute('part')).to.equal('identity identity--unverified');
    expect(text(forged)).to.equal('Unverified');
    expect(text(row('s2')!.querySelector('[part=name]'))).to.equal('Y', 'the claimed name is not the row name');
    expect(row('s3')!.querySelector('[part~=identity]')).to.equal(null);
    await expect(el).to.be.accessible();

    await setChatLocale('sv');
    await until(() => text(row('s1')?.querySelector('[part~=identity]')) === 'Verifierad', 'Swedish badge');
    expect(row('s1')!.querySelector('[part~=identity]')?.getAttribute('aria-label')).to.equal('Verifierad kund: webbplatsen har bekräftat vem det är');
    expect(text(row('s2')!.querySelector('[part~=identity]'))).to.equal('Ej verifierad');
  });

  it('marks the conversation header', async () => {
    const { client } = await fixtureClient({ sessions: [VERIFIED, FORGED] });
    client.selectSession('s1');
    const el = await fixture<ChatConversation>(html`<chat-conversation style="height: 480px" .client=${client}></chat-conversation>`);
    const header = () => el.shadowRoot!.querySelector('[part=header]');
    await until(() => header()?.querySelector('[part~=identity]') != null, 'header badge');
    expect(header()!.querySelector('[part~=identity]')?.getAttribute('aria-label')).to.equal('Verified customer: the website confirmed who this is');
    await expect(el).to.be.accessible();
  });

  it('contact panel: a verified customer is matched by identity first; forged claims are shown as text and match nothing', async () => {
    const { client } = await fixtureClient({ sessions: [VERIFIED, FORGED] });
    client.selectSession('s1');
    const el = await fixture<ChatContactPanel>(html`<chat-contact-panel .client=${client} .provider=${crm()}></chat-contact-panel>`);
    const root = el.shadowRoot!;
    const items = () => [...root.querySelectorAll<HTMLElement>('[part~=matches] [part~=item]')];
    await until(() => items().length > 0, 'matches of the verified customer');
    expect(root.querySelector('[part=customer] [part~=identity]')?.getAttribute('aria-label')).to.equal('Verified customer: the website confirmed who this is');
    expect(text(items()[0])).to.include('Kim Andersson');
    expect([...items()[0]!.querySelectorAll('[part=reason]')].map((r) => text(r))).to.deep.equal(['Verified identity', 'Same e-mail', 'Similar name']);
    await expect(el).to.be.accessible();

    client.selectSession('s2');
    await until(() => root.querySelector('[part=claimed]') !== null, 'the forged chat');
    expect(text(root.querySelector('[part=claimed]'))).to.equal('Claimed, not confirmed: Ylva Wetterqvist, ylva@wetterqvist-design.example');
    expect(root.querySelector('[part=customer] [part~=identity]')?.getAttribute('part')).to.equal('identity identity--unverified');
    await until(() => [...root.querySelectorAll('[part=empty]')].some((p) => text(p) === 'No contact in the CRM matches this customer.'), 'no match for forged claims');
    expect(items()).to.have.length(0);
    await expect(el).to.be.accessible();
  });
});
