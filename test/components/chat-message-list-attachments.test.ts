/**
 * Files in the transcript (attachments.ts) and the per-message actions (message-actions.ts):
 * file rows with a visible extension (bidi controls neutralised, long names cut before it), size,
 * Download asking for a fresh signed URL, image thumbnails of a fixed size (no layout jump) with
 * `alt=""`, pending messages with files, and the "More actions" menu button by keyboard.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

import '../../src/components/chat-message-list/chat-message-list.js';
import type { ChatMessageList } from '../../src/components/chat-message-list/chat-message-list.js';
import { AttachmentUrls, displayFileName } from '../../src/internal/files.js';
import type { ChatMessageActionEvent } from '../../src/events/chat-message-action-event.js';
import { announcerText } from '../../src/internal/announcer.js';
import type { AttachmentInfo, ChatMessage } from '../../src/protocol/index.js';
import type { ChatClient } from '../../src/state/index.js';
import { until } from '../helpers/chat-server.js';
import { chatMessage, fixtureClient, session } from '../helpers/fixture-client.js';

const ANN = { kind: 'agent' as const, id: 'ann', name: 'Ann Agent' };

const PDF: AttachmentInfo = { id: 'f_pdf', name: 'Offert 2026.pdf', size: 48_213, type: 'application/pdf' };
const RTL: AttachmentInfo = { id: 'f_rtl', name: 'invoice\u202Egpj.exe', size: 120, type: 'application/zip' };
const LONG: AttachmentInfo = { id: 'f_long', name: `${'very long name of a holiday photo '.repeat(6)}.jpeg`, size: 2_400_000, type: 'image/jpeg' };
const PNG: AttachmentInfo = { id: 'f_png', name: 'tent.png', size: 9_000, type: 'image/png' };

/** A real PNG as an object URL (so the thumbnail can load). */
async function pngUrl(): Promise<string> {
  const canvas = document.createElement('canvas');
  canvas.width = 400;
  canvas.height = 100;
  canvas.getContext('2d')!.fillRect(0, 0, 400, 100);
  const blob = await new Promise<Blob>((r) => {
    canvas.toBlob((b) => {
      r(b!);
    }, 'image/png');
  });
  return URL.createObjectURL(blob);
}

async function setup(messages: ChatMessage[], urls: (id: string, options: { inline?: boolean }) => Promise<string>, saveQuickReply = false, quoteMessages = false) {
  const { client, fake } = await fixtureClient({ sessions: [session({ id: 's1', customer: { name: 'Kim' } })], messages: { s1: messages } });
  const calls: { id: string; inline: boolean }[] = [];
  (client as { attachmentUrl: ChatClient['attachmentUrl'] }).attachmentUrl = (id, maybeOptions?: { inline?: boolean }) => {
    const options = maybeOptions ?? {};
    calls.push({ id, inline: options.inline === true });
    return urls(id, options);
  };
  client.openSession('s1');
  await until(() => client.$messages.get().s1?.ready === true, 'messages ready');
  const el = await fixture<ChatMessageList>(
    html`<chat-message-list style="height: 600px; display: block" .client=${client} session-id="s1" ?save-quick-reply=${saveQuickReply} ?quote-messages=${quoteMessages}></chat-message-list>`,
  );
  const root = el.shadowRoot!;
  await until(() => root.querySelectorAll('[role=listitem]').length === messages.length, 'rows rendered');
  // A list may first show its newest rows in plain flow and hand them to the virtualizer a moment
  // later (new elements): interact once that has happened.
  await until(() => root.querySelector('.list--tail') === null, 'rows settled');
  const files = () => [...root.querySelectorAll<HTMLElement>('[part~="file"]')];
  return { client, fake, el, root, calls, files };
}

describe('chat-message-list: files and message actions', function () {
  this.timeout(20_000);

  describe('AttachmentUrls', () => {
    it('reuses a thumbnail URL for 30 s only (the client hands out URLs with over a minute left), so a row rendered later never gets an expired one', async () => {
      const realNow = Date.now;
      let now = realNow();
      Date.now = () => now;
      try {
        const asked: string[] = [];
        const urls = new AttachmentUrls((id) => {
          asked.push(id);
          return Promise.resolve(`https://files.example/${id}?n=${String(asked.length)}`);
        });
        expect(await urls.thumbnail('f1')).to.equal('https://files.example/f1?n=1');
        now += 29_000;
        expect(await urls.thumbnail('f1')).to.equal('https://files.example/f1?n=1', 'reused within 30 s');
        expect(urls.known('f1')?.url).to.equal('https://files.example/f1?n=1');
        now += 2_000;
        expect(urls.known('f1')).to.equal(undefined, 'not offered after 30 s');
        expect(await urls.thumbnail('f1')).to.equal('https://files.example/f1?n=2', 'asked again');
        expect(asked).to.deep.equal(['f1', 'f1']);
      } finally {
        Date.now = realNow;
      }
    });
  });

  describe('file rows', () => {
    it('shows each file with its icon, name (extension always visible, bidi controls removed) and size', async () => {
      const s = await setup(
        [chatMessage('s1', 1, { text: 'Here you go', attachments: [PDF, RTL, LONG] })],
        () => new Promise(() => undefined),
      );
      const [pdf, rtl, long] = s.files();
      expect(pdf!.querySelector('.file-shown')!.textContent).to.equal('Offert 2026.pdf');
      expect(pdf!.querySelector('.file-shown')!.getAttribute('aria-hidden')).to.equal('true');
      expect(pdf!.querySelector('[part~="file-name"] .visually-hidden')!.textContent).to.equal('Offert 2026.pdf', 'read as one name');
      expect(pdf!.querySelector('.file-meta')!.textContent.replace(/\s+/g, ' ').trim()).to.equal('PDF document, 47 kB', '48,213 bytes (1 kB = 1,024 bytes)');
      expect(pdf!.querySelector('.file-ext')!.textContent).to.equal('.pdf');
      // The RTL override is gone: what is shown is what the bytes say, extension last.
      expect(rtl!.textContent).to.not.contain('\u202E');
      expect(rtl!.querySelector('.file-stem')!.textContent).to.equal('invoicegpj');
      expect(rtl!.querySelector('.file-ext')!.textContent).to.equal('.exe');
      expect(rtl!.querySelector('[part~="file-name"]')!.getAttribute('title')).to.equal('invoicegpj.exe');
      // A long name is cut before the extension, which stays in view.
      const stem = long!.querySelector<HTMLElement>('.file-stem')!;
      const ext = long!.querySelector<HTMLElement>('.file-ext')!;
      expect(stem.scrollWidth).to.be.greaterThan(stem.clientWidth, 'the stem is cut');
      const row = long!.getBoundingClientRect();
      const extBox = ext.getBoundingClientRect();
      expect(extBox.width).to.be.greaterThan(0);
      expect(extBox.right).to.be.at.most(row.right);
      expect(ext.textContent).to.equal('.jpeg');
      expect(long!.querySelector('.file-meta')!.textContent).to.contain('2.3 MB');
      expect(displayFileName('\u2067evil\u2069.pdf\u200F')).to.deep.equal({ stem: 'evil', extension: '.pdf', full: 'evil.pdf' });
      await expect(s.el).to.be.accessible();
    });

    it('Download asks for a fresh signed URL each time and opens it; a failure is announced', async () => {
      let n = 0;
      const s = await setup([chatMessage('s1', 1, { text: '', attachments: [PDF] })], (id) => {
        n += 1;
        return id === PDF.id && n < 3 ? Promise.resolve(`https://files.example/a/demo/${id}?sig=${String(n)}`) : Promise.reject(new Error('403'));
      });
      expect(s.root.querySelector('[part~="bubble"]')).to.equal(null, 'no empty bubble for a message of files only');
      const opened: string[] = [];
      const intercept = (e: MouseEvent) => {
        const a = e.target as HTMLAnchorElement;
        if (a.tagName === 'A') {
          opened.push(a.href);
          e.preventDefault();
        }
      };
      document.addEventListener('click', intercept, true);
      try {
        const button = s.root.querySelector<HTMLButtonElement>('[part~="file-download"]')!;
        expect(button.getAttribute('aria-label')).to.equal('Download Offert 2026.pdf, 47 kB');
        expect(button.textContent).to.contain('Download');
        button.focus();
        await sendKeys({ press: 'Enter' });
        await until(() => opened.length === 1, 'opened');
        button.click();
        await until(() => opened.length === 2, 'opened again');
        expect(opened).to.deep.equal(['https://files.example/a/demo/f_pdf?sig=1', 'https://files.example/a/demo/f_pdf?sig=2']);
        expect(s.calls).to.deep.equal([
          { id: 'f_pdf', inline: false },
          { id: 'f_pdf', inline: false },
        ]);
        button.click();
        await until(() => announcerText().assertive.includes('Offert 2026.pdf could not be downloaded. Try again.'), 'failure announced');
        expect(opened).to.have.length(2);
        expect(document.querySelectorAll('body > a[hidden]')).to.have.length(0, 'the helper link is removed');
      } finally {
        document.removeEventListener('click', intercept, true);
      }
    });

    it('images get a thumbnail box of a fixed size before and after loading (no jump), alt="" and the name as text', async () => {
      const url = await pngUrl();
      let release: (u: string) => void = () => undefined;
      const pending = new Promise<string>((r) => {
        release = r;
      });
      const s = await setup([chatMessage('s1', 1, { author: ANN, text: 'Photo', attachments: [PNG, PDF] })], (_id, o) => (o.inline ? pending : Promise.resolve('x')));
      const thumb = () => s.root.querySelector<HTMLElement>('[part~="thumbnail"]')!;
      expect(s.root.querySelectorAll('[part~="thumbnail"]')).to.have.length(1, 'only the image');
      expect(thumb().querySelector('img')).to.equal(null);
      const before = thumb().getBoundingClientRect();
      const rowBefore = s.root.querySelector('[role=listitem]')!.getBoundingClientRect().height;
      expect([before.width, before.height]).to.deep.equal([220, 150]);
      release(url);
      await until(() => thumb().querySelector('img') !== null, 'image rendered');
      const img = thumb().querySelector('img')!;
      expect(img.getAttribute('alt')).to.equal('');
      expect(img.getAttribute('loading')).to.equal('lazy');
      expect(img.src).to.equal(url);
      await until(() => img.complete && img.naturalWidth === 400, 'image loaded');
      const after = thumb().getBoundingClientRect();
      expect([after.width, after.height]).to.deep.equal([220, 150]);
      expect(s.root.querySelector('[role=listitem]')!.getBoundingClientRect().height).to.equal(rowBefore);
      expect(s.calls.filter((c) => c.inline)).to.deep.equal([{ id: 'f_png', inline: true }]);
      expect(s.files()[0]!.querySelector('.file-shown')!.textContent).to.equal('tent.png');
      await expect(s.el).to.be.accessible();
      URL.revokeObjectURL(url);
    });

    it('a pending message of files says how many', async () => {
      const { client } = await fixtureClient({ sessions: [session({ id: 's1' })], messages: { s1: [] }, onSend: 'hold' });
      client.openSession('s1');
      const el = await fixture<ChatMessageList>(html`<chat-message-list style="height: 400px; display: block" .client=${client} session-id="s1"></chat-message-list>`);
      await client.send('s1', '', 'text', ['f_1', 'f_2']);
      await until(() => el.shadowRoot!.querySelector('[part~="message--pending"]') !== null, 'pending row');
      const row = el.shadowRoot!.querySelector('[part~="message--pending"]')!;
      expect(row.querySelector('[part~="files"]')!.textContent.trim()).to.equal('2 files');
      expect(row.querySelector('[part~="bubble"]')).to.equal(null);
    });
  });

  describe('message actions', () => {
    it('agent messages have a "More actions" menu button (APG menu button) with "Save as quick reply"', async () => {
      const s = await setup(
        [chatMessage('s1', 1, { text: 'Hi, my tent broke.' }), chatMessage('s1', 2, { author: ANN, text: 'Sorry to hear! Send me a photo, please.' })],
        () => Promise.resolve('x'),
        true,
      );
      const rows = [...s.root.querySelectorAll('[role=listitem]')];
      expect(rows[0]!.querySelector('[part~="message-actions"]')).to.equal(null, 'none on customer messages');
      const button = rows[1]!.querySelector<HTMLButtonElement>('[part~="message-actions"]')!;
      expect(button.getAttribute('aria-haspopup')).to.equal('menu');
      expect(button.getAttribute('aria-expanded')).to.equal('false');
      expect(button.getAttribute('aria-label')).to.equal('More actions for this message');
      expect(rows[1]!.querySelector('[part~="bubble"]')!.textContent).to.equal('Sorry to hear! Send me a photo, please.', 'not inside the text');
      const box = button.getBoundingClientRect();
      expect(box.width).to.be.at.least(24);
      expect(box.height).to.be.at.least(24);
      const menu = rows[1]!.querySelector<HTMLElement>('[role=menu]')!;
      const item = menu.querySelector<HTMLElement>('[role=menuitem]')!;

      button.focus();
      expect(getComputedStyle(button.parentElement!).opacity).to.equal('1', 'shown on focus');
      const log: string[] = [];
      button.addEventListener('click', () => log.push('click'));
      item.addEventListener('click', () => log.push('item click'));
      await sendKeys({ press: 'Enter' });
      expect(menu.matches(':popover-open')).to.equal(true);
      expect(log).to.deep.equal([], 'no click: the key opened it');
      expect(button.getAttribute('aria-expanded')).to.equal('true');
      expect(s.root.activeElement).to.equal(item);
      await expect(s.el).to.be.accessible();
      await sendKeys({ press: 'Escape' });
      expect(menu.matches(':popover-open')).to.equal(false);
      expect(s.root.activeElement).to.equal(button);
      expect(button.getAttribute('aria-expanded')).to.equal('false');

      const events: ChatMessageActionEvent[] = [];
      s.el.addEventListener('chat-message-action', (e) => events.push(e));
      await sendKeys({ press: 'ArrowDown' });
      expect(s.root.activeElement).to.equal(item);
      await sendKeys({ press: 'Enter' });
      expect(events).to.have.length(1);
      const { message, ...detail } = events[0]!.detail;
      expect(detail).to.deep.equal({ action: 'save-quick-reply', sessionId: 's1', messageId: 's1-m2', text: 'Sorry to hear! Send me a photo, please.' });
      expect(message.id).to.equal('s1-m2');
      expect(events[0]!.cancelable && events[0]!.composed && events[0]!.bubbles).to.equal(true);
      expect(menu.matches(':popover-open')).to.equal(false);
      expect(s.root.activeElement).to.equal(button);
    });

    it('offers "Save as quick reply" only with save-quick-reply (a composer that can take it), and follows the property', async () => {
      const s = await setup([chatMessage('s1', 1, { author: ANN, text: 'Sorry to hear! Send me a photo, please.' })], () => Promise.resolve('x'));
      expect(s.el.saveQuickReply).to.equal(false);
      expect(s.root.querySelector('[part~="message-actions"]') === null).to.equal(true, 'no menu without a composer to take the reply');
      s.el.saveQuickReply = true;
      await s.el.updateComplete;
      expect(s.root.querySelector('[part~="message-menu-item"]')!.textContent.trim()).to.equal('Save as quick reply');
      s.el.saveQuickReply = false;
      await s.el.updateComplete;
      expect(s.root.querySelector('[part~="message-actions"]') === null).to.equal(true, 'gone again');
    });

    it('offers "Quote in reply" on messages and notes of anyone with quote-messages, never on events', async () => {
      const s = await setup(
        [
          chatMessage('s1', 1, { text: 'Where is my order?' }),
          chatMessage('s1', 2, { kind: 'event', event: 'joined', author: { kind: 'system', name: '' }, text: '' }),
          chatMessage('s1', 3, { kind: 'note', author: ANN, text: 'Check the warehouse' }),
          chatMessage('s1', 4, { author: ANN, text: 'It left today.' }),
        ],
        () => Promise.resolve('x'),
        true,
        true,
      );
      const rows = [...s.root.querySelectorAll('[role=listitem]')];
      const items = (row: Element) => [...row.querySelectorAll('[part~="message-menu-item"]')].map((i) => i.textContent.trim());
      expect(items(rows[0]!)).to.deep.equal(['Quote in reply'], 'the customer');
      expect(rows[1]!.querySelector('[part~="message-actions"]')).to.equal(null, 'not on an event');
      expect(items(rows[2]!)).to.deep.equal(['Quote in reply'], 'a note (for a note)');
      expect(items(rows[3]!)).to.deep.equal(['Quote in reply', 'Save as quick reply'], 'my message');

      const events: ChatMessageActionEvent[] = [];
      s.el.addEventListener('chat-message-action', (e) => events.push(e));
      const button = rows[0]!.querySelector<HTMLButtonElement>('[part~="message-actions"]')!;
      button.focus();
      await sendKeys({ press: 'Enter' });
      await expect(s.el).to.be.accessible();
      await sendKeys({ press: 'Enter' });
      expect(events.map((e) => [e.detail.action, e.detail.messageId, e.detail.message.text])).to.deep.equal([['quote', 's1-m1', 'Where is my order?']]);
      expect(rows[0]!.querySelector<HTMLElement>('[role=menu]')!.matches(':popover-open')).to.equal(false, 'closed');
    });

    it('shows the quote above a reply as text: author and excerpt, announced as a reply', async () => {
      const quote = { id: 's1-m1', seq: 1, author: { kind: 'customer' as const, name: 'Kim' }, excerpt: 'Is <img src=x onerror=alert(1)> ok?', at: 1 };
      const s = await setup([chatMessage('s1', 1, { text: 'Is <img src=x onerror=alert(1)> ok?' }), chatMessage('s1', 2, { author: ANN, text: 'Yes.', quote })], () =>
        Promise.resolve('x'),
      );
      const row = s.root.querySelectorAll('[role=listitem]')[1]!;
      const block = row.querySelector('[part~="quote"]')!;
      expect(block.querySelector('[part~="quote-author"]')!.textContent).to.equal('Kim');
      expect(block.querySelector('[part~="quote-text"]')!.textContent).to.equal('Is <img src=x onerror=alert(1)> ok?');
      expect(block.querySelector('img')).to.equal(null, 'never markup');
      expect(block.textContent.replace(/\s+/g, ' ').trim()).to.equal('In reply to KimIs <img src=x onerror=alert(1)> ok?');
      expect(block.compareDocumentPosition(row.querySelector('[part~="bubble"]')!) & Node.DOCUMENT_POSITION_FOLLOWING).to.not.equal(0, 'above the bubble');
      await expect(s.el).to.be.accessible();
    });
  });
});
