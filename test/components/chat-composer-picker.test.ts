/**
 * The composer's Insert picker, emoji picker and quick-reply form against the real reference
 * server (started by the test runner): keyboard only ("/" and the Insert button, tabs, filters,
 * items, preview, insert, favourite, recently used), reply variables with a hostile customer name
 * inserted literally as text, quick replies created, edited and deleted with the server's field
 * errors next to their fields, the "Shared with everyone" permission, and axe in each state.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

import '../../src/components/chat-composer/chat-composer.js';
import type { ChatComposer } from '../../src/components/chat-composer/chat-composer.js';
import type { ChatClient } from '../../src/state/index.js';
import type { ServerInfo } from '../helpers/chat-server.js';
import { chatServer, loginAgent, startChat, testClient, until } from '../helpers/chat-server.js';

const HOSTILE = '"><img src=x onerror=window.__pwned=1>';

async function shiftTab(): Promise<void> {
  await sendKeys({ down: 'Shift' });
  await sendKeys({ press: 'Tab' });
  await sendKeys({ up: 'Shift' });
}
const tag = Math.random().toString(36).slice(2, 7);

describe('chat-composer: Insert picker, emoji and quick replies (real server)', function () {
  this.timeout(30_000);
  let server: ServerInfo;
  const clients: ChatClient[] = [];
  const ends: (() => Promise<unknown>)[] = [];

  before(async () => {
    server = await chatServer();
  });

  afterEach(async () => {
    for (const end of ends.splice(0)) await end().catch(() => undefined);
    for (const c of clients.splice(0)) c.destroy();
    delete (window as { __pwned?: unknown }).__pwned;
  });

  /** An agent has answered a fresh Support chat of `customer`; the composer is ready for it. */
  async function setup(customer = 'Kim Tester', agentId = 'sofia') {
    const token = await loginAgent(server, agentId);
    const client = testClient(server, token, { getAccessToken: () => token });
    clients.push(client);
    client.connect();
    await until(() => client.$connection.get().status === 'live', 'agent live');
    const chat = await startChat(server, 'support', customer);
    await until(() => client.$queued.get().some((s) => s.id === chat.sessionId), 'chat queued');
    await client.accept(chat.sessionId);
    ends.push(() => client.end(chat.sessionId));
    const el = await fixture<ChatComposer>(
      html`<chat-composer .client=${client} session-id=${chat.sessionId} agent-tools allow-notes label="Message to the customer"></chat-composer>`,
    );
    const root = el.shadowRoot!;
    const input = () => root.querySelector('textarea')!;
    const active = () => root.activeElement as HTMLElement | null;
    const picker = () => root.querySelector<HTMLElement>('#picker');
    const pickerOpen = () => picker()?.matches(':popover-open') === true;
    const options = () => [...root.querySelectorAll<HTMLElement>('#picker-list [role=option]')];
    const activeOption = () => root.querySelector<HTMLElement>('#picker-list [role=option][aria-selected=true]');
    const optionTitle = (o: Element | null) => o?.querySelector('.option-title')?.textContent.trim() ?? '';
    const loaded = () => until(() => options().length > 0, 'replies listed');
    return { client, el, root, input, active, picker, pickerOpen, options, activeOption, optionTitle, loaded, sessionId: chat.sessionId };
  }

  describe('opening with "/" (the text area stays the combobox)', () => {
    it('searches with the text after "/", moves with the arrows, inserts the resolved text in place of "/…" and records the use', async () => {
      const s = await setup('Kim Tester');
      s.input().focus();
      await sendKeys({ type: 'Thanks! /hel' });
      await until(s.pickerOpen, 'picker open');
      await s.loaded();
      expect(s.active()).to.equal(s.input(), 'focus stays in the text area');
      expect(s.optionTitle(s.activeOption())).to.equal('Greeting');
      expect(s.input().getAttribute('aria-controls')).to.equal('picker-list');
      expect(s.input().getAttribute('aria-autocomplete')).to.equal('list');
      expect(s.input().getAttribute('aria-activedescendant')).to.equal(s.activeOption()!.id);
      expect(s.root.querySelector<HTMLInputElement>('#picker-search')!.value).to.equal('hel');
      expect(s.root.querySelector('.preview-text')!.textContent).to.equal('Hi Kim Tester! My name is Sofia Berg – how can I help you today?');

      await sendKeys({ type: 'lo' });
      await s.el.updateComplete;
      expect(s.optionTitle(s.activeOption())).to.equal('Greeting');
      await sendKeys({ press: 'Enter' });
      await until(() => !s.pickerOpen(), 'picker closed');
      expect(s.input().value).to.equal('Thanks! Hi Kim Tester! My name is Sofia Berg – how can I help you today?');
      expect(s.active()).to.equal(s.input());
      expect(s.input().selectionStart).to.equal(s.input().value.length, 'caret after the inserted text');
      expect(s.input().hasAttribute('aria-activedescendant')).to.equal(false);
      const used = async () => (await s.client.listReplies({ q: 'Greeting', language: 'en' })).find((r) => r.id === 'r_qr_hello');
      let reply = await used();
      for (let i = 0; i < 20 && (reply?.useCount ?? 0) === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        reply = await used();
      }
      expect(reply?.useCount).to.be.greaterThan(0);
      expect(reply?.lastUsedAt).to.be.a('number');
    });

    it('opens only at the start or after a space; Escape closes and keeps the text; ↑ ↓ Home End move', async () => {
      const s = await setup();
      s.input().focus();
      await sendKeys({ type: 'and/or' });
      await new Promise((r) => setTimeout(r, 150));
      expect(s.pickerOpen()).to.equal(false, 'not inside a word');
      await sendKeys({ type: ' /' });
      await until(s.pickerOpen, 'picker open');
      await s.loaded();
      const titles = s.options().map(s.optionTitle);
      expect(s.optionTitle(s.activeOption())).to.equal(titles[0]);
      await sendKeys({ press: 'ArrowDown' });
      expect(s.optionTitle(s.activeOption())).to.equal(titles[1]);
      await sendKeys({ press: 'End' });
      expect(s.optionTitle(s.activeOption())).to.equal(titles.at(-1));
      await sendKeys({ press: 'ArrowDown' });
      expect(s.optionTitle(s.activeOption())).to.equal(titles[0], 'wraps around');
      await sendKeys({ press: 'ArrowUp' });
      expect(s.optionTitle(s.activeOption())).to.equal(titles.at(-1));
      await sendKeys({ press: 'Home' });
      expect(s.optionTitle(s.activeOption())).to.equal(titles[0]);
      await sendKeys({ press: 'Escape' });
      await until(() => !s.pickerOpen(), 'closed');
      expect(s.input().value).to.equal('and/or /');
      expect(s.active()).to.equal(s.input());
      // Typing on in the same "/…" does not reopen it; a new "/" does.
      await sendKeys({ type: 'x' });
      await new Promise((r) => setTimeout(r, 150));
      expect(s.pickerOpen()).to.equal(false);
      await sendKeys({ type: ' /g' });
      await until(s.pickerOpen, 'reopened by a new "/"');
    });

    it('inserts a hostile customer name literally, as text (no markup, nothing runs)', async () => {
      const s = await setup(HOSTILE);
      s.input().focus();
      await sendKeys({ type: '/hello' });
      await until(s.pickerOpen, 'picker open');
      await s.loaded();
      expect(s.root.querySelector('.preview-text')!.textContent).to.equal(`Hi ${HOSTILE}! My name is Sofia Berg – how can I help you today?`);
      await sendKeys({ press: 'Enter' });
      await until(() => s.input().value.startsWith('Hi '), 'inserted');
      expect(s.input().value).to.equal(`Hi ${HOSTILE}! My name is Sofia Berg – how can I help you today?`);
      expect(s.root.querySelector('img')).to.equal(null);
      await new Promise((r) => setTimeout(r, 50));
      expect((window as { __pwned?: unknown }).__pwned).to.equal(undefined);
    });
  });

  describe('opening with the Insert button', () => {
    it('keyboard only: tabs, filters, folders, items, preview, favourite star, recently used, insert', async () => {
      const s = await setup('Lea Keys');
      s.input().focus();
      for (let i = 0; i < 4; i++) await shiftTab();
      expect(s.active()?.getAttribute('part')).to.equal('insert-button');
      await sendKeys({ press: 'Enter' });
      await until(s.pickerOpen, 'picker open');
      await s.loaded();
      await until(() => s.active()?.id === 'picker-search', 'focus in the search field');
      const search = s.root.querySelector<HTMLInputElement>('#picker-search')!;
      expect(search.getAttribute('role')).to.equal('combobox');
      expect(search.getAttribute('aria-activedescendant')).to.equal(s.activeOption()!.id);
      expect(s.root.querySelector('[role=tab][aria-selected=true]')!.textContent.trim()).to.equal('Quick replies');

      // Shift+Tab: the tabs; → Reply templates (automatic activation).
      await shiftTab();
      expect(s.active()?.id).to.equal('picker-tab-quick-reply');
      await sendKeys({ press: 'ArrowRight' });
      await s.el.updateComplete;
      expect(s.active()?.id).to.equal('picker-tab-template');
      expect(s.active()?.getAttribute('aria-selected')).to.equal('true');
      await s.loaded();
      expect(s.options().map(s.optionTitle)).to.include('How to return an item');

      // Tab: search; Tab: the folder filter. Choose "Returns" with the arrow keys.
      await sendKeys({ press: 'Tab' });
      expect(s.active()?.id).to.equal('picker-search');
      await sendKeys({ press: 'Tab' });
      expect(s.active()?.id).to.equal('picker-folder');
      const folder = s.root.querySelector<HTMLSelectElement>('#picker-folder')!;
      while (folder.value !== 'Returns') {
        await sendKeys({ press: 'ArrowDown' });
        await s.el.updateComplete;
      }
      await until(() => s.options().length > 0 && s.options().length < 4, 'only the Returns folder');
      expect(s.options().map(s.optionTitle)).to.deep.equal(['How to return an item', 'Refund timeline']);
      expect(s.root.querySelector('.preview-title')!.textContent).to.equal('How to return an item');

      // Back to the search (Shift+Tab), Enter inserts the template.
      await shiftTab();
      expect(s.active()?.id).to.equal('picker-search');
      await sendKeys({ press: 'Enter' });
      await until(() => !s.pickerOpen(), 'closed');
      expect(s.input().value).to.match(/^Returning an item is free within 60 days:\n1\. Log in/);
      expect(s.active()?.getAttribute('part')).to.equal('input');

      // Again: the FAQ tab inserts the title and the link to the published page.
      for (let i = 0; i < 4; i++) await shiftTab();
      await sendKeys({ press: 'Enter' });
      await until(() => s.active()?.id === 'picker-search', 'search focused');
      await shiftTab();
      await sendKeys({ press: 'End' });
      expect(s.active()?.id).to.equal('picker-tab-faq');
      await s.loaded();
      await sendKeys({ press: 'Tab' });
      await sendKeys({ type: 'return' });
      await until(() => s.optionTitle(s.activeOption()) !== '' && s.options().length >= 1, 'an FAQ matches');
      const faqTitle = s.optionTitle(s.activeOption());
      // The star in the preview: Tab past the filters to it, Space marks the favourite.
      const star = () => s.root.querySelector<HTMLButtonElement>('[part~="picker-favourite"]')!;
      expect(star().getAttribute('aria-pressed')).to.equal('false');
      for (let i = 0; i < 8 && s.active() !== star(); i++) await sendKeys({ press: 'Tab' });
      expect(s.active()).to.equal(star());
      await sendKeys({ press: 'Space' });
      await until(() => star().getAttribute('aria-pressed') === 'true', 'favourite on');
      // "Favourites" filter shows it.
      const favourites = s.root.querySelector<HTMLInputElement>('input[name=picker-show][value=favourites]')!;
      favourites.focus();
      await sendKeys({ press: 'Space' });
      await s.el.updateComplete;
      expect(s.options().map(s.optionTitle)).to.deep.equal([faqTitle]);
      s.root.querySelector<HTMLInputElement>('#picker-search')!.focus();
      await sendKeys({ press: 'Enter' });
      await until(() => !s.pickerOpen(), 'closed');
      const url = (await s.client.listReplies({ kind: 'faq' })).find((r) => r.title === faqTitle)?.url;
      expect(url).to.match(/^http:\/\/.+\/demo\/faq\/.+\.html$/);
      expect(s.input().value.endsWith(`${faqTitle}: ${url ?? ''}`)).to.equal(true, s.input().value);

      // Recently used: the FAQ just inserted comes first.
      for (let i = 0; i < 4; i++) await shiftTab();
      await sendKeys({ press: 'Enter' });
      await until(() => s.active()?.id === 'picker-search', 'search focused');
      s.root.querySelector<HTMLButtonElement>('#picker-tab-faq')!.click();
      const recent = s.root.querySelector<HTMLInputElement>('input[name=picker-show][value=recent]')!;
      recent.focus();
      await sendKeys({ press: 'Space' });
      await s.el.updateComplete;
      expect(s.optionTitle(s.options()[0] ?? null)).to.equal(faqTitle);
      // Clean up the favourite for other tests.
      const reply = (await s.client.listReplies({ kind: 'faq' })).find((r) => r.title === faqTitle);
      if (reply) await s.client.favouriteReply(reply.id, false);
    });

    it('is accessible with the picker open (search, tabs, filters, list, preview)', async () => {
      const s = await setup();
      s.root.querySelector<HTMLButtonElement>('[part~="insert-button"]')!.click();
      await until(s.pickerOpen, 'open');
      await s.loaded();
      await expect(s.el).to.be.accessible();
      expect(s.root.querySelector('[part~="insert-button"]')!.getAttribute('aria-expanded')).to.equal('true');
      await sendKeys({ press: 'Escape' });
      await until(() => !s.pickerOpen(), 'closed');
      expect(s.active()?.getAttribute('part')).to.equal('insert-button', 'focus back on the button');
    });
  });

  describe('emoji', () => {
    it('opens from its button, moves in the grid with the arrow keys, inserts at the caret, Escape closes', async () => {
      const s = await setup();
      s.input().focus();
      await sendKeys({ type: 'Great ' });
      s.input().setSelectionRange(6, 6);
      const button = s.root.querySelector<HTMLButtonElement>('[part~="emoji-button"]')!;
      button.focus();
      await sendKeys({ press: 'Enter' });
      const grid = () => s.root.querySelector('#emoji-grid');
      await until(() => s.active()?.getAttribute('role') === 'gridcell', 'focus in the grid');
      expect(grid()!.getAttribute('role')).to.equal('grid');
      expect(s.root.querySelectorAll('#emoji-grid [tabindex="0"]')).to.have.length(1, 'one tab stop');
      await expect(s.el).to.be.accessible();
      await sendKeys({ press: 'ArrowRight' });
      await sendKeys({ press: 'ArrowDown' });
      expect(s.active()?.id).to.equal('emoji-9');
      await sendKeys({ press: 'Home' });
      expect(s.active()?.id).to.equal('emoji-8');
      await sendKeys({ press: 'Escape' });
      await until(() => s.root.querySelector('#emoji-grid') === null, 'closed');
      expect(s.active()).to.equal(button);
      await sendKeys({ press: 'Enter' });
      await until(() => s.active()?.getAttribute('role') === 'gridcell', 'open again');
      // Shift+Tab to the group tabs, → Gestures, Tab into the grid, Enter inserts 👍.
      await shiftTab();
      expect(s.active()?.getAttribute('role')).to.equal('tab');
      await sendKeys({ press: 'ArrowRight' });
      await sendKeys({ press: 'Tab' });
      expect(s.active()?.textContent).to.equal('👍');
      await sendKeys({ press: 'Enter' });
      await until(() => s.input().value === 'Great 👍', 'inserted at the caret');
      expect(s.active()).to.equal(s.input());
    });
  });

  describe('quick replies: create, edit, delete', () => {
    it('shows the server\'s field errors next to their fields, then saves, edits and deletes (with confirmation)', async () => {
      const s = await setup();
      s.input().focus();
      await sendKeys({ type: 'We ship within {{agent.name}} days.' });
      const save = s.root.querySelector<HTMLButtonElement>('[part~="save-reply-button"]')!;
      expect(save.getAttribute('aria-disabled')).to.equal('false');
      save.focus();
      await sendKeys({ press: 'Enter' });
      await until(() => s.active()?.id === 'reply-form-title', 'form with the title focused');
      const field = (name: string) => s.root.querySelector<HTMLInputElement | HTMLTextAreaElement>(`#reply-form-${name}`)!;
      expect(field('text').value).to.equal('We ship within {{agent.name}} days.');
      expect(s.root.querySelector('#reply-form-shared')).to.equal(null, 'no "Shared with everyone" without manageQuickReplies');
      // Title empty, a bad shortcut: both refused by the server.
      await sendKeys({ press: 'Tab' });
      await sendKeys({ press: 'Tab' });
      expect(s.active()).to.equal(field('shortcut'));
      await sendKeys({ type: 'Bad Shortcut!' });
      s.root.querySelector<HTMLButtonElement>('[part~="picker-form-save"]')!.click();
      await until(() => s.root.querySelector('#reply-form-title-error') !== null, 'errors shown');
      expect(s.root.querySelector('#reply-form-title-error')!.textContent).to.equal('Enter a title.');
      expect(s.root.querySelector('#reply-form-shortcut-error')!.textContent).to.equal('Use 1–32 lower-case letters, digits or hyphens.');
      expect(field('title').getAttribute('aria-invalid')).to.equal('true');
      expect(field('title').getAttribute('aria-describedby')).to.contain('reply-form-title-error');
      expect(field('shortcut').getAttribute('aria-describedby')).to.contain('reply-form-shortcut-error');
      expect(field('text').getAttribute('aria-invalid')).to.equal('false');
      expect(s.active()).to.equal(field('title'), 'focus on the first field with an error');
      await expect(s.el).to.be.accessible();

      await sendKeys({ type: `Shipping ${tag}` });
      field('shortcut').focus();
      field('shortcut').select();
      await sendKeys({ type: `ship-${tag}` });
      field('folder').focus();
      await sendKeys({ type: 'Mine' });
      field('folder').focus();
      await sendKeys({ press: 'Enter' });
      await until(() => !s.pickerOpen(), 'closed after saving (opened from the composer)');
      const mine = (await s.client.listReplies({ q: tag })).find((r) => r.shortcut === `ship-${tag}`);
      expect(mine).to.include({ title: `Shipping ${tag}`, text: 'We ship within {{agent.name}} days.', folder: 'Mine', ownerId: 'sofia', kind: 'quick-reply' });

      // Edit it from the picker's "Edit quick replies".
      s.root.querySelector<HTMLButtonElement>('[part~="insert-button"]')!.click();
      await until(s.pickerOpen, 'open');
      await s.loaded();
      s.root.querySelector<HTMLButtonElement>('[part~="picker-manage"]')!.click();
      await until(() => s.active()?.id === 'picker-manage-heading', 'manage view');
      const row = () => [...s.root.querySelectorAll('.manage-row')].find((r) => r.textContent.includes(`ship-${tag}`));
      row()!.querySelector<HTMLButtonElement>('[part~="picker-edit"]')!.click();
      await until(() => s.active()?.id === 'reply-form-title', 'edit form');
      expect(field('title').value).to.equal(`Shipping ${tag}`);
      field('title').select();
      await sendKeys({ type: `Shipping time ${tag}` });
      await sendKeys({ press: 'Enter' });
      await until(() => s.active()?.id === 'picker-manage-heading', 'back in the manage view');
      expect(row()!.textContent).to.contain(`Shipping time ${tag}`);

      // Delete: asks first; Cancel keeps it, Delete removes it.
      row()!.querySelector<HTMLButtonElement>('[part~="picker-delete"]')!.click();
      await until(() => s.active()?.getAttribute('part') === 'picker-delete-confirm', 'confirmation focused');
      expect(row()!.textContent).to.contain(`Delete “Shipping time ${tag}”?`);
      await expect(s.el).to.be.accessible();
      await sendKeys({ press: 'Escape' });
      await until(() => s.active()?.getAttribute('part') === 'picker-delete', 'back on Delete');
      expect((await s.client.listReplies({ q: tag })).some((r) => r.id === mine?.id)).to.equal(true, 'still there');
      await sendKeys({ press: 'Enter' });
      await until(() => s.active()?.getAttribute('part') === 'picker-delete-confirm', 'asked again');
      await sendKeys({ press: 'Enter' });
      await until(() => row() === undefined, 'gone from the list');
      expect(s.root.querySelector('[part~="picker-notice"]')!.textContent).to.equal(`Quick reply “Shipping time ${tag}” deleted.`);
      expect((await s.client.listReplies({ q: tag })).some((r) => r.id === mine?.id)).to.equal(false, 'deleted on the server');
    });

    it('offers "Shared with everyone" to agents with manageQuickReplies, and creates a shared reply', async () => {
      const s = await setup('Manager Test', 'anna');
      s.el.openQuickReplyForm('Shared text');
      await until(() => s.root.querySelector('#reply-form-shared') !== null, 'shared checkbox');
      const shared = s.root.querySelector<HTMLInputElement>('#reply-form-shared')!;
      expect(shared.labels?.[0]?.textContent).to.equal('Shared with everyone');
      s.root.querySelector<HTMLInputElement>('#reply-form-title')!.focus();
      await sendKeys({ type: `Team ${tag}` });
      shared.focus();
      await sendKeys({ press: 'Space' });
      expect(shared.checked).to.equal(true);
      s.root.querySelector<HTMLButtonElement>('[part~="picker-form-save"]')!.click();
      await until(() => !s.pickerOpen(), 'saved');
      const reply = (await s.client.listReplies({ q: `Team ${tag}` }))[0];
      expect(reply?.ownerId).to.equal(null);
      if (reply) await s.client.deleteReply(reply.id);
    });
  });
});
