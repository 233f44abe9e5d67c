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
import { createMemoryCrmProvider } from '../../src/crm/memory-provider.js';
import type { Reply } from '../../src/protocol/index.js';
import type { ChatClient } from '../../src/state/index.js';
import type { ServerInfo } from '../helpers/chat-server.js';
import { chatServer, loginAgent, startChat, testClient, until } from '../helpers/chat-server.js';
import { fixtureClient, NOW, session } from '../helpers/fixture-client.js';
import { imageErrorSeen } from '../helpers/settled.js';

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
      // The server's answer to "used" (the picker does not wait for it; the test does).
      const marked: Promise<Reply>[] = [];
      const markReplyUsed = s.client.markReplyUsed.bind(s.client);
      s.client.markReplyUsed = (id: string) => {
        const answer = markReplyUsed(id);
        marked.push(answer);
        return answer;
      };
      await sendKeys({ press: 'Enter' });
      await until(() => !s.pickerOpen(), 'picker closed');
      expect(s.input().value).to.equal('Thanks! Hi Kim Tester! My name is Sofia Berg – how can I help you today?');
      expect(s.active()).to.equal(s.input());
      expect(s.input().selectionStart).to.equal(s.input().value.length, 'caret after the inserted text');
      expect(s.input().hasAttribute('aria-activedescendant')).to.equal(false);
      await until(() => marked.length === 1, 'use reported');
      await marked[0];
      const reply = (await s.client.listReplies({ q: 'Greeting', language: 'en' })).find((r) => r.id === 'r_qr_hello');
      expect(reply?.useCount).to.be.greaterThan(0);
      expect(reply?.lastUsedAt).to.be.a('number');
    });

    it('opens only at the start or after a space; Escape closes and keeps the text; ↑ ↓ Home End move', async () => {
      const s = await setup();
      // The picker loaded (opened once and closed), so a "/" that opened it would do so at once.
      s.root.querySelector<HTMLButtonElement>('[part~="insert-button"]')!.click();
      await until(s.pickerOpen, 'opened by the button');
      await sendKeys({ press: 'Escape' });
      await until(() => !s.pickerOpen(), 'closed again');
      s.input().focus();
      await sendKeys({ type: 'and/or' });
      await s.el.updateComplete;
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
      await s.el.updateComplete;
      expect(s.pickerOpen()).to.equal(false);
      await sendKeys({ type: ' /g' });
      await until(s.pickerOpen, 'reopened by a new "/"');
    });

    /** Texts the composer asked to send (the event comes before anything goes to the server). */
    function sentTexts(el: HTMLElement): string[] {
      const texts: string[] = [];
      el.addEventListener('chat-message-send', (e) => texts.push(e.detail.text));
      return texts;
    }
    const GOODBYE = 'Thank you for chatting with Nordlys Outdoor, Kim Tester. Have a great day out there!';

    it('never sends a "/shortcut" as text: with the Insert picker open, "/bye" Enter inserts the reply', async () => {
      const s = await setup('Kim Tester');
      const sent = sentTexts(s.el);
      s.root.querySelector<HTMLButtonElement>('[part~="insert-button"]')!.click();
      await until(s.pickerOpen, 'picker open from its button');
      await s.loaded();
      s.input().focus();
      await sendKeys({ type: '/bye' });
      await sendKeys({ press: 'Enter' });
      await until(() => s.input().value === GOODBYE, 'the Goodbye reply inserted');
      await sendKeys({ press: 'Enter' });
      await until(() => sent.length > 0, 'sent');
      expect(sent).to.deep.equal([GOODBYE]);
    });

    it('never sends a "/shortcut" as text: "/bye" Enter at once, or one that matches nothing, sends nothing', async () => {
      const s = await setup('Kim Tester');
      const sent = sentTexts(s.el);
      s.input().focus();
      // At once: the picker's module may not have loaded yet.
      await sendKeys({ type: '/bye' });
      await sendKeys({ press: 'Enter' });
      // Either the picker was not ready and opens instead of sending, or its replies had already
      // arrived and that Enter chose the match: both are right; sending "/bye" is not.
      await until(() => s.pickerOpen() || s.input().value === GOODBYE, 'the picker opens instead of sending');
      if (s.input().value !== GOODBYE) {
        await s.loaded();
        await sendKeys({ press: 'Enter' });
        await until(() => s.input().value === GOODBYE, 'the Goodbye reply inserted');
      }
      // A shortcut no reply has: Enter and the Send button send nothing; the picker says why.
      s.input().value = '';
      s.input().dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      await sendKeys({ type: '/nosuchshortcut' });
      await until(() => s.pickerOpen() && s.options().length === 0, 'no reply matches');
      await sendKeys({ press: 'Enter' });
      s.root.querySelector<HTMLButtonElement>('[part~="send"]')!.click();
      expect(s.input().value).to.equal('/nosuchshortcut');
      // A barrier: a real message after it is the first and only one sent.
      await sendKeys({ press: 'Escape' });
      s.input().value = '';
      s.input().dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      await sendKeys({ type: 'See you' });
      await sendKeys({ press: 'Enter' });
      await until(() => sent.length > 0, 'sent');
      expect(sent).to.deep.equal(['See you']);
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
      await imageErrorSeen();
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

    it('a leading "/" in the search field finds replies by their shortcut, as the placeholder says', async () => {
      const s = await setup('Sam Slash');
      s.root.querySelector<HTMLButtonElement>('[part~="insert-button"]')!.click();
      await until(s.pickerOpen, 'open');
      await s.loaded();
      await until(() => s.active()?.id === 'picker-search', 'focus in the search field');
      const search = s.root.querySelector<HTMLInputElement>('#picker-search')!;
      expect(search.placeholder).to.equal('Search title, text or /shortcut');
      await sendKeys({ type: '/hello' });
      await s.el.updateComplete;
      expect(s.options().map(s.optionTitle)).to.include('Greeting');
      expect(s.optionTitle(s.activeOption())).to.equal('Greeting', 'the exact shortcut first');
      expect(s.root.querySelector('[part~="picker-empty"]') === null).to.equal(true, 'something matches');
      // A prefix of a shortcut, with the "/" too.
      search.select();
      await sendKeys({ type: '/order' });
      await s.el.updateComplete;
      expect(s.optionTitle(s.activeOption())).to.equal('Ask for the order number');
      await sendKeys({ press: 'Enter' });
      await until(() => !s.pickerOpen(), 'inserted');
      expect(s.input().value).to.match(/^Could you give me your order number\?/);
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

  describe('one panel at a time', () => {
    it('opening the Insert picker, the emoji picker or the CRM documents (by keyboard or "/") closes the others', async () => {
      const s = await setup('Pia Panels');
      s.el.crmProvider = createMemoryCrmProvider({
        data: { documents: [{ id: 'd1', name: 'Guide.pdf', type: 'application/pdf', size: 9, updatedAt: 1, content: new TextEncoder().encode('%PDF-1.4\n') }] },
      });
      await s.el.updateComplete;
      const button = (part: string) => s.root.querySelector<HTMLButtonElement>(`[part~="${part}"]`)!;
      const shown = (id: string) => s.root.querySelector<HTMLElement>(`#${id}`)?.matches(':popover-open') === true;
      const openPanels = () => ['picker', 'emoji-picker', 'document-picker'].filter(shown);
      const press = async (part: string) => {
        button(part).focus();
        await sendKeys({ press: 'Enter' });
      };

      await press('emoji-button');
      await until(() => s.active()?.getAttribute('role') === 'gridcell', 'emoji open');
      await press('insert-button');
      await until(() => s.active()?.id === 'picker-search', 'Insert picker open');
      await s.el.updateComplete;
      expect(openPanels()).to.deep.equal(['picker'], 'the emoji picker closed');
      expect(s.root.querySelector('#emoji-grid') === null).to.equal(true, 'the emoji grid is gone');
      expect(button('emoji-button').getAttribute('aria-expanded')).to.equal('false');

      await press('document-button');
      await until(() => s.active()?.id === 'document-search', 'documents open');
      await s.el.updateComplete;
      expect(openPanels()).to.deep.equal(['document-picker'], 'the Insert picker closed');
      expect(button('insert-button').getAttribute('aria-expanded')).to.equal('false');

      await press('emoji-button');
      await until(() => s.active()?.getAttribute('role') === 'gridcell', 'emoji open again');
      await s.el.updateComplete;
      expect(openPanels()).to.deep.equal(['emoji-picker'], 'the CRM documents closed');
      expect(s.root.querySelector('#document-search') === null).to.equal(true, 'the document search is gone');

      // "/" in the text area (reached without a press outside the panel) opens the picker and closes the emoji.
      s.input().focus();
      await sendKeys({ type: '/' });
      await until(s.pickerOpen, 'picker opened by "/"');
      await s.el.updateComplete;
      expect(openPanels()).to.deep.equal(['picker']);
      expect(s.active()).to.equal(s.input(), 'the text area keeps focus');

      await press('document-button');
      await until(() => s.active()?.id === 'document-search', 'documents open');
      await s.el.updateComplete;
      expect(openPanels()).to.deep.equal(['document-picker'], 'the "/" picker closed');
      await expect(s.el).to.be.accessible();
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
      const language = s.root.querySelector<HTMLSelectElement>('#reply-form-language')!;
      expect(language.value).to.equal('en', 'the language shown in the picker by default');
      expect(s.root.querySelector('label[for="reply-form-language"]')!.textContent.trim()).to.equal('Language of the text');
      language.value = 'sv';
      language.dispatchEvent(new Event('change', { bubbles: true }));
      field('folder').focus();
      await sendKeys({ press: 'Enter' });
      await until(() => !s.pickerOpen(), 'closed after saving (opened from the composer)');
      const mine = (await s.client.listReplies({ q: tag })).find((r) => r.shortcut === `ship-${tag}`);
      expect(mine).to.include({ title: `Shipping ${tag}`, text: 'We ship within {{agent.name}} days.', folder: 'Mine', ownerId: 'sofia', kind: 'quick-reply', language: 'sv' });

      // Edit it from the picker's "Edit quick replies".
      s.root.querySelector<HTMLButtonElement>('[part~="insert-button"]')!.click();
      await until(s.pickerOpen, 'open');
      await s.loaded();
      s.root.querySelector<HTMLButtonElement>('[part~="picker-manage"]')!.click();
      await until(() => s.active()?.id === 'picker-manage-heading', 'manage view');
      expect(s.active()!.textContent.trim()).to.equal('Your quick replies', 'only her own: she may not change shared ones');
      expect([...s.root.querySelectorAll('.manage-row')].every((r) => !r.textContent.includes('Shared'))).to.equal(true);
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

    it('the manage view of an agent with manageQuickReplies says that it lists the shared quick replies too', async () => {
      const s = await setup('Manager Manage', 'anna');
      s.root.querySelector<HTMLButtonElement>('[part~="insert-button"]')!.click();
      await until(s.pickerOpen, 'open');
      await s.loaded();
      s.root.querySelector<HTMLButtonElement>('[part~="picker-manage"]')!.click();
      await until(() => s.active()?.id === 'picker-manage-heading', 'manage view');
      expect(s.active()!.textContent.trim()).to.equal('Your quick replies and the shared ones');
      const rows = [...s.root.querySelectorAll('.manage-row')];
      expect(rows.some((r) => r.textContent.includes('Offer a call back'))).to.equal(true, 'her own');
      expect(rows.some((r) => r.textContent.includes('Greeting') && r.textContent.includes('Shared'))).to.equal(true, 'and the shared ones');
      await expect(s.el).to.be.accessible();
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

describe('chat-composer: the reply list is refreshed when the picker opens (scripted)', () => {
  const reply = (id: string, title: string): Reply => ({
    id,
    kind: 'quick-reply',
    title,
    text: `${title}.`,
    shortcut: null,
    folder: '',
    language: 'en',
    channelIds: null,
    ownerId: null,
    url: null,
    favourite: false,
    lastUsedAt: null,
    useCount: 0,
    createdAt: NOW,
    updatedAt: NOW,
  });

  it('never offers another channel\'s replies: a chat of another channel starts from an empty list until its own answer', async () => {
    const { client } = await fixtureClient({ sessions: [session({ id: 's1', channelId: 'support' }), session({ id: 's2', channelId: 'sales' })] });
    const answers: { channelId: string | undefined; resolve: (r: Reply[]) => void }[] = [];
    (client as { listReplies: ChatClient['listReplies'] }).listReplies = (query) =>
      new Promise<Reply[]>((resolve) => {
        answers.push({ channelId: query?.channelId, resolve });
      });
    const el = await fixture<ChatComposer>(html`<chat-composer .client=${client} session-id="s1" agent-tools label="Message to Kim"></chat-composer>`);
    const root = el.shadowRoot!;
    const titles = () => [...root.querySelectorAll('#picker-list [role=option] .option-title')].map((o) => o.textContent.trim());
    const open = () => root.querySelector('#picker')?.matches(':popover-open') === true;
    const insert = root.querySelector<HTMLButtonElement>('[part~="insert-button"]')!;
    insert.click();
    await until(() => answers.length === 1, 'asked for Support');
    expect(answers[0]!.channelId).to.equal('support');
    answers[0]!.resolve([{ ...reply('s', 'Support only'), channelIds: ['support'] }]);
    await until(() => titles().length === 1, 'listed');
    await sendKeys({ press: 'Escape' });
    await until(() => !open(), 'closed');

    el.sessionId = 's2';
    await el.updateComplete;
    insert.click();
    await until(() => answers.length === 2, 'asked for Sales');
    expect(answers[1]!.channelId).to.equal('sales');
    await el.updateComplete;
    expect(titles()).to.deep.equal([], 'the Support reply is not offered in a Sales chat');
    expect(root.querySelector('[part~="picker-empty"]')?.textContent).to.contain('Loading');
    answers[1]!.resolve([reply('l', 'Sales hello')]);
    await until(() => titles().length === 1, 'Sales replies');
    expect(titles()).to.deep.equal(['Sales hello']);
    client.destroy();
  });

  it('shows the cached replies at once, replaces them with the fresh answer, and keeps the highlighted reply', async () => {
    const { client } = await fixtureClient({ sessions: [session({ id: 's1' })] });
    const answers: { resolve: (r: Reply[]) => void }[] = [];
    (client as { listReplies: ChatClient['listReplies'] }).listReplies = () =>
      new Promise<Reply[]>((resolve) => {
        answers.push({ resolve });
      });
    const el = await fixture<ChatComposer>(html`<chat-composer .client=${client} session-id="s1" agent-tools label="Message to Kim"></chat-composer>`);
    const root = el.shadowRoot!;
    const titles = () => [...root.querySelectorAll('#picker-list [role=option] .option-title')].map((o) => o.textContent.trim());
    const activeTitle = () => root.querySelector('#picker-list [role=option][aria-selected=true] .option-title')?.textContent.trim();
    const open = () => root.querySelector('#picker')?.matches(':popover-open') === true;
    const insert = root.querySelector<HTMLButtonElement>('[part~="insert-button"]')!;

    insert.click();
    await until(() => answers.length === 1, 'asked once');
    answers[0]!.resolve([reply('a', 'Alpha'), reply('b', 'Bravo'), reply('c', 'Charlie')]);
    await until(() => titles().length === 3, 'listed');
    await sendKeys({ press: 'Escape' });
    await until(() => !open(), 'closed');

    // Opened again: the cached list at once, and a new request in the background.
    insert.click();
    await until(open, 'open again');
    await until(() => answers.length === 2, 'asked again');
    expect(titles()).to.deep.equal(['Alpha', 'Bravo', 'Charlie'], 'what is cached, at once');
    expect(root.querySelector('[part~="picker-empty"]') === null).to.equal(true, 'no "Loading…" over the cached list');
    await until(() => root.activeElement?.id === 'picker-search', 'search focused');
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(activeTitle()).to.equal('Bravo');

    // Someone added a reply and renamed another elsewhere: the fresh answer replaces the list.
    answers[1]!.resolve([reply('n', 'New one'), reply('a', 'Alpha'), reply('b', 'Bravo'), { ...reply('c', 'Charlie'), title: 'Charlie 2' }]);
    await until(() => titles().length === 4, 'fresh list shown');
    expect(titles()).to.deep.equal(['New one', 'Alpha', 'Bravo', 'Charlie 2']);
    expect(activeTitle()).to.equal('Bravo', 'the highlighted reply stays highlighted');
    expect(root.querySelector('#picker-search')!.getAttribute('aria-activedescendant')).to.equal('picker-option-b');
    client.destroy();
  });
});
