/**
 * chat-session-list's tag filter (issue 18): shown only while some of my chats has wrap-up tags;
 * All tags and each tag, sorted; a chosen tag keeps only the chats with it (together with the
 * search), says how many match, and sets the `filtered` state; a tag that leaves the board stays
 * chosen until changed; keyboard, axe, Swedish.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

import '../../src/components/chat-session-list/chat-session-list.js';
import type { ChatSessionList } from '../../src/components/chat-session-list/chat-session-list.js';
import { setChatLocale } from '../../src/i18n/localization.js';
import { announcerText } from '../../src/internal/announcer.js';
import type { SessionSummary } from '../../src/protocol/index.js';
import { until } from '../helpers/chat-server.js';
import { fixtureClient, pushSession, session } from '../helpers/fixture-client.js';

function mine(id: string, minutes: number, extra: Partial<SessionSummary> = {}): SessionSummary {
  return session({ id, lastActivityAt: Date.now() - minutes * 60_000, ...extra });
}

function ended(id: string, minutes: number, extra: Partial<SessionSummary> = {}): SessionSummary {
  const at = Date.now() - minutes * 60_000;
  return session({ id, status: 'ended', endedAt: at, lastActivityAt: at, ...extra });
}

const TAGGED = () => [
  mine('a1', 1, { customer: { name: 'Alva' } }),
  mine('a2', 2, { customer: { name: 'Axel' }, tags: ['VIP'] }),
  ended('e1', 10, { customer: { name: 'Elin' }, tags: ['Refund', 'VIP'] }),
  ended('e2', 20, { customer: { name: 'Emil' }, tags: ['Delivery'] }),
  ended('e3', 30, { customer: { name: 'Ebba' } }),
];

async function setup(sessions: SessionSummary[]) {
  const { client, fake } = await fixtureClient({ sessions });
  const el = await fixture<ChatSessionList>(html`<chat-session-list .client=${client} style="height: 600px"></chat-session-list>`);
  const root = el.shadowRoot!;
  const select = () => root.querySelector<HTMLSelectElement>('[part~="tag-filter-select"]');
  const ids = () => [...root.querySelectorAll<HTMLElement>('[role=option]')].map((o) => o.dataset.id);
  return { client, fake, el, root, select, ids };
}

describe('chat-session-list: tag filter', function () {
  this.timeout(20_000);

  afterEach(async () => {
    await setChatLocale('en');
  });

  it('is not shown while no chat has tags', async () => {
    const s = await setup([mine('a1', 1), ended('e3', 30)]);
    await until(() => s.ids().length === 2, 'rows');
    expect(s.select()).to.equal(null);
  });

  it('offers All tags and every tag of my chats, sorted; a labelled select; axe passes', async () => {
    const s = await setup(TAGGED());
    await until(() => s.ids().length === 5, 'rows');
    const select = s.select()!;
    expect([...select.options].map((o) => [o.value, o.textContent.trim()])).to.deep.equal([
      ['', 'All tags'],
      ['Delivery', 'Delivery'],
      ['Refund', 'Refund'],
      ['VIP', 'VIP'],
    ]);
    expect(s.root.querySelector('label[for="tag-filter"]')!.textContent.trim()).to.equal('Tag');
    await expect(s.el).to.be.accessible();
  });

  it('keeps only the chats with the chosen tag (keyboard), says how many, works with the search', async () => {
    const s = await setup(TAGGED());
    await until(() => s.ids().length === 5, 'rows');
    s.select()!.focus();
    // Down from All tags: Delivery, Refund, VIP.
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await until(() => s.select()!.value === 'VIP', 'VIP chosen');
    await until(() => s.ids().join() === 'a2,e1', 'only VIP chats');
    expect(s.el.matches(':state(filtered)')).to.equal(true);
    await until(() => announcerText().polite.includes('2 chats match'), 'announced');
    await expect(s.el).to.be.accessible();

    // The search narrows further: both apply.
    s.root.querySelector<HTMLInputElement>('[part~="search-input"]')!.focus();
    await sendKeys({ type: 'Elin' });
    await sendKeys({ press: 'Enter' });
    await until(() => s.ids().join() === 'e1', 'VIP and Elin');

    // Back to All tags (and no search): every row again.
    await sendKeys({ press: 'Escape' });
    s.select()!.focus();
    await sendKeys({ press: 'Home' });
    await until(() => s.select()!.value === '', 'all tags');
    await until(() => s.ids().length === 5, 'every row');
    expect(s.el.matches(':state(filtered)')).to.equal(false);
  });

  it('a chosen tag no chat has any more stays chosen (nothing matches) until it is changed', async () => {
    const s = await setup([mine('a1', 1), mine('a2', 2, { customer: { name: 'Axel' }, tags: ['VIP'] })]);
    await until(() => s.ids().length === 2, 'rows');
    const select = s.select()!;
    select.value = 'VIP';
    select.dispatchEvent(new Event('change'));
    await until(() => s.ids().join() === 'a2', 'VIP only');
    // The tag is taken off the chat (a wrap-up correction): the filter keeps VIP, nothing matches.
    pushSession(s.fake, 1, mine('a2', 2, { customer: { name: 'Axel' } }));
    await until(() => s.root.querySelector('[part~="no-match"]') !== null, 'no match');
    expect(s.select()!.value).to.equal('VIP');
    expect(s.root.querySelector('[part~="no-match"]')!.textContent.trim()).to.equal('No chats match');
  });

  it('speaks Swedish', async () => {
    await setChatLocale('sv');
    const s = await setup(TAGGED());
    await until(() => s.ids().length === 5, 'rows');
    expect(s.root.querySelector('label[for="tag-filter"]')!.textContent.trim()).to.equal('Tagg');
    expect(s.select()!.options[0]!.textContent.trim()).to.equal('Alla taggar');
  });
});
