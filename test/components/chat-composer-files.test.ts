/**
 * Files in the composer: the Attach button's file picker, paste, chips (name with its extension,
 * bidi controls removed, size, Remove), upload progress and Cancel (AbortController), refusals
 * with the server's message, and files going out with the next Send (`attachmentIds`, text may
 * be empty). Progress and Cancel use a scripted upload (deterministic); sending and refusals use
 * the real reference server.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';

import '../../src/components/chat-composer/chat-composer.js';
import type { ChatComposer } from '../../src/components/chat-composer/chat-composer.js';
import { createMemoryCrmProvider } from '../../src/crm/memory-provider.js';
import type { CrmDocumentContent } from '../../src/crm/types.js';
import type { ChatErrorEvent } from '../../src/events/chat-error-event.js';
import { announcerText } from '../../src/internal/announcer.js';
import { ATTACHMENT_ACCEPT } from '../../src/protocol/index.js';
import type { AttachmentInfo } from '../../src/protocol/index.js';
import type { ChatClient, UploadOptions } from '../../src/state/index.js';
import { ChatHttpError } from '../../src/state/index.js';
import type { ServerInfo } from '../helpers/chat-server.js';
import { chatServer, loginAgent, startChat, testClient, until } from '../helpers/chat-server.js';
import { fixtureClient, session } from '../helpers/fixture-client.js';

const file = (name: string, body: BlobPart = 'x', type = '') => new File([body], name, { type });

/** Puts files into the hidden file input as the browser's picker would. */
function choose(el: ChatComposer, files: File[]): void {
  const input = el.shadowRoot!.querySelector<HTMLInputElement>('#file-input')!;
  const dt = new DataTransfer();
  for (const f of files) dt.items.add(f);
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

/** A scripted upload: reports progress when told, resolves or fails when told, rejects with AbortError on abort. */
function scriptedUploads(client: ChatClient) {
  const calls: { file: File; options: UploadOptions; resolve: (a: AttachmentInfo) => void; reject: (e: unknown) => void; aborted: boolean }[] = [];
  (client as { uploadAttachment: ChatClient['uploadAttachment'] }).uploadAttachment = (_sessionId, f, maybeOptions?: UploadOptions) =>
    new Promise<AttachmentInfo>((resolve, reject) => {
      const options: UploadOptions = maybeOptions ?? {};
      const call = { file: f as File, options, resolve, reject, aborted: false };
      calls.push(call);
      options.signal?.addEventListener('abort', () => {
        call.aborted = true;
        reject(new DOMException('The upload was aborted', 'AbortError'));
      });
    });
  (client as { attachmentLimits: ChatClient['attachmentLimits'] }).attachmentLimits = () =>
    Promise.resolve({ maxFileBytes: 10 * 1024 * 1024, maxAttachmentsPerMessage: 10, maxImagePixels: 40_000_000, types: [], accept: ATTACHMENT_ACCEPT });
  return calls;
}

async function setupScripted() {
  const { client, fake } = await fixtureClient({ sessions: [session({ id: 's1' })] });
  const calls = scriptedUploads(client);
  const el = await fixture<ChatComposer>(html`<chat-composer .client=${client} session-id="s1" agent-tools allow-notes label="Message to Kim"></chat-composer>`);
  const root = el.shadowRoot!;
  const chips = () => [...root.querySelectorAll<HTMLElement>('[part~="upload"]')];
  const send = () => root.querySelector<HTMLButtonElement>('[part~="send"]')!;
  return { client, fake, el, root, calls, chips, send };
}

describe('chat-composer: files', function () {
  this.timeout(30_000);

  describe('attach, progress, cancel (scripted upload)', () => {
    it('offers a file picker limited to the accepted types, with a labelled button of at least 24 px', async () => {
      const { root } = await setupScripted();
      const input = root.querySelector<HTMLInputElement>('#file-input')!;
      expect(input.accept).to.equal(ATTACHMENT_ACCEPT);
      expect(input.multiple).to.equal(true);
      const button = root.querySelector<HTMLButtonElement>('[part~="attach-button"]')!;
      expect(button.getAttribute('aria-label')).to.equal('Attach files');
      const box = button.getBoundingClientRect();
      expect(box.width).to.be.at.least(24);
      expect(box.height).to.be.at.least(24);
    });

    it('uploads at once with a progress bar; Send waits; Cancel aborts the upload and removes the file', async () => {
      const s = await setupScripted();
      choose(s.el, [file('manual.pdf', new Uint8Array(1000), 'application/pdf')]);
      await until(() => s.calls.length === 1, 'upload started');
      s.calls[0]!.options.onProgress?.({ loaded: 400, total: 1000 });
      await s.el.updateComplete;
      const progress = s.root.querySelector<HTMLProgressElement>('[part~="upload-progress"]')!;
      expect(progress.value).to.equal(40);
      expect(progress.getAttribute('aria-label')).to.equal('Uploading manual.pdf');
      expect(s.chips()[0]!.textContent).to.contain('40 %');
      expect(s.send().getAttribute('aria-disabled')).to.equal('true');
      await expect(s.el).to.be.accessible();
      // Enter does not send while a file is uploading.
      s.el.focus();
      await sendKeys({ type: 'See the manual' });
      await sendKeys({ press: 'Enter' });
      // Cancel by keyboard.
      const cancel = s.root.querySelector<HTMLButtonElement>('[part~="upload-remove"]')!;
      expect(cancel.getAttribute('aria-label')).to.equal('Cancel the upload of manual.pdf');
      const box = cancel.getBoundingClientRect();
      expect(box.width).to.be.at.least(24);
      expect(box.height).to.be.at.least(24);
      cancel.focus();
      await sendKeys({ press: 'Enter' });
      await until(() => s.chips().length === 0, 'file removed');
      expect(s.calls[0]!.aborted).to.equal(true);
      expect(s.calls[0]!.options.signal?.aborted).to.equal(true);
      await until(() => announcerText().polite.includes('Upload of manual.pdf cancelled.'), 'announced');
      expect(s.root.activeElement?.getAttribute('part')).to.equal('input', 'focus back in the text area');
      expect(s.send().getAttribute('aria-disabled')).to.equal('false');
      // Enter sends now, and that is the only message sent: one sent during the upload would be first.
      await sendKeys({ press: 'Enter' });
      await until(() => s.fake.sent('send').length > 0, 'sent after the upload was cancelled');
      expect(s.fake.sent('send')).to.have.length(1);
    });

    it('shows the name with its extension (bidi controls removed) and the size; sends the uploaded files with the next message, text may be empty', async () => {
      const s = await setupScripted();
      choose(s.el, [file('invoice\u202Egpj.exe', 'hello', 'application/octet-stream'), file('photo.png', new Uint8Array(2500), 'image/png')]);
      await until(() => s.calls.length === 2, 'two uploads');
      const nameOf = (chip: HTMLElement) => chip.querySelector('[part~="file-name"]')!;
      expect(nameOf(s.chips()[0]!).querySelector('.file-shown')!.textContent).to.equal('invoicegpj.exe');
      expect(nameOf(s.chips()[0]!).textContent).to.not.contain('\u202E');
      expect(s.chips()[0]!.querySelector('.file-ext')!.textContent).to.equal('.exe');
      expect(nameOf(s.chips()[0]!).getAttribute('title')).to.equal('invoicegpj.exe');
      s.calls[0]!.resolve({ id: 'f_1', name: 'invoicegpj.exe.txt', size: 5, type: 'text/plain' });
      s.calls[1]!.resolve({ id: 'f_2', name: 'photo.png', size: 2500, type: 'image/png' });
      await until(() => s.chips().every((c) => c.getAttribute('part')?.includes('upload--done')), 'both uploaded');
      expect(s.chips()[0]!.querySelector('.file-ext')!.textContent).to.equal('.txt', "the server's name");
      expect(s.chips()[1]!.textContent).to.contain('2.4 kB', '2,500 bytes (1 kB = 1,024 bytes)');
      expect(s.send().getAttribute('aria-disabled')).to.equal('false', 'files alone can be sent');
      // Remove one with its button, then send the other without text.
      s.chips()[0]!.querySelector<HTMLButtonElement>('[part~="upload-remove"]')!.click();
      await until(() => s.chips().length === 1, 'one left');
      s.send().click();
      await until(() => s.fake.sent('send').length === 1, 'sent');
      expect(s.fake.sent('send')[0]).to.deep.include({ sessionId: 's1', kind: 'text', text: '', attachmentIds: ['f_2'] });
      await until(() => s.chips().length === 0, 'chips cleared after sending');
    });

    it('takes pasted files and images; refuses files in a note and more than 10 per message', async () => {
      const s = await setupScripted();
      const input = s.root.querySelector('textarea')!;
      const dt = new DataTransfer();
      dt.items.add(file('image.png', new Uint8Array(10), 'image/png'));
      const paste = new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true, composed: true });
      input.dispatchEvent(paste);
      expect(paste.defaultPrevented).to.equal(true);
      await until(() => s.calls.length === 1, 'pasted image uploads');
      s.calls[0]!.resolve({ id: 'f_p', name: 'image.png', size: 10, type: 'image/png' });
      await until(() => s.chips()[0]?.getAttribute('part')?.includes('upload--done') === true, 'uploaded');
      s.el.setMode('note');
      await s.el.updateComplete;
      expect(s.send().getAttribute('aria-disabled')).to.equal('true');
      s.send().click();
      await s.el.updateComplete;
      expect(s.fake.sent('send')).to.have.length(0);
      s.el.setMode('reply');
      choose(
        s.el,
        Array.from({ length: 10 }, (_, i) => file(`f${String(i)}.txt`)),
      );
      await s.el.updateComplete;
      expect(s.chips()).to.have.length(10);
      expect(s.root.querySelector('[part~="error"]')!.textContent).to.equal('At most 10 files can go with one message.');
    });

    it('pastes text, not files, when the clipboard holds both (an office program copies the text and a picture of it)', async () => {
      const s = await setupScripted();
      const input = s.root.querySelector('textarea')!;
      const dt = new DataTransfer();
      dt.items.add(file('figures.png', new Uint8Array(10), 'image/png'));
      dt.setData('text/plain', 'Q3 figures: 42');
      expect(dt.files.length).to.equal(1, 'the clipboard holds a file too');
      const paste = new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true, composed: true });
      input.dispatchEvent(paste);
      expect(paste.defaultPrevented).to.equal(false, 'the browser pastes the text');
      await s.el.updateComplete;
      expect(s.chips()).to.have.length(0, 'nothing attached');
      expect(s.calls).to.have.length(0, 'nothing uploaded');
    });

    it('fires chat-error for a refused upload and for more than 10 files', async () => {
      const s = await setupScripted();
      const errors: ChatErrorEvent[] = [];
      s.el.addEventListener('chat-error', (e) => errors.push(e));
    choose(s.el, [file('huge.pdf', 'x', 'application/pdf')]);
      await until(() => s.calls.length === 1, 'upload started');
      s.calls[0]!.reject(new ChatHttpError('invalid', 'File too large.', 413, 'too_large'));
      await until(() => s.chips()[0]?.getAttribute('part')?.includes('upload--failed') === true, 'refused');
      expect(errors.map((e) => e.detail)).to.deep.equal([{ code: 'invalid', message: 'The file is too large: at most 10 MB.', recoverable: false }]);
      expect(errors[0]!.bubbles && errors[0]!.composed).to.equal(true);
      // The server could not be reached: trying again may work.
      choose(s.el, [file('later.pdf', 'x', 'application/pdf')]);
      await until(() => s.calls.length === 2, 'second upload started');
      s.calls[1]!.reject(new ChatHttpError('offline', 'network error', 0));
      await until(() => errors.length === 2, 'second error');
      expect(errors[1]!.detail).to.deep.equal({ code: 'offline', message: 'The upload failed: the server could not be reached.', recoverable: true });
      // A cancelled upload is no error.
      choose(s.el, [file('cancel.pdf', 'x', 'application/pdf')]);
      await until(() => s.calls.length === 3, 'third upload started');
      s.root.querySelector<HTMLButtonElement>('[part~="upload--uploading"] [part~="upload-remove"]')!.click();
      await until(() => s.calls[2]!.aborted, 'aborted');
      await s.el.updateComplete;
      expect(errors).to.have.length(2);
      choose(
        s.el,
        Array.from({ length: 11 }, (_, i) => file(`f${String(i)}.txt`)),
      );
      expect(errors).to.have.length(3);
      expect(errors[2]!.detail).to.deep.equal({ code: 'invalid', message: 'At most 10 files can go with one message.', recoverable: false });
    });
  });

  describe('Select a CRM document (memory CrmProvider)', () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    function provider(latencyMs = 0) {
      return createMemoryCrmProvider({
        latencyMs,
        data: {
          contacts: [{ id: 'p1', firstName: 'Kim', lastName: 'Andersson', email: 'kim@example.com', companyId: 'c1' }],
          companies: [{ id: 'c1', name: 'Fjällvind AB' }],
          sessions: [{ id: 's1', customer: { name: 'Kim' }, status: 'active', startedAt: 1, contactId: 'p1' }],
          documents: [
            { id: 'd1', name: 'Assembly guide.pdf', type: 'application/pdf', size: 9, updatedAt: 1, content: bytes('%PDF-1.4\n') },
            { id: 'd2', name: 'Price list 2026.pdf', type: 'application/pdf', size: 12, updatedAt: 2, content: bytes('%PDF-1.4\nxx\n') },
            { id: 'd3', name: 'Kim – offer.pdf', type: 'application/pdf', size: 10, updatedAt: 3, contactId: 'p1', content: bytes('%PDF-1.4\nk\n') },
            { id: 'd4', name: 'Other customer.pdf', type: 'application/pdf', size: 10, updatedAt: 4, contactId: 'p9', content: bytes('%PDF-1.4\no\n') },
          ],
        },
      });
    }
    async function setupDocs(latencyMs = 0) {
      const s = await setupScripted();
      s.el.crmProvider = provider(latencyMs);
      await s.el.updateComplete;
      const button = () => s.root.querySelector<HTMLButtonElement>('[part~="document-button"]')!;
      const options = () => [...s.root.querySelectorAll<HTMLElement>('[part~="document-option"]')];
      const search = () => s.root.querySelector<HTMLInputElement>('#document-search');
      return { ...s, button, options, search };
    }

    it('is offered only with a crmProvider', async () => {
      const s = await setupScripted();
      expect(s.root.querySelector('[part~="document-button"]')).to.equal(null);
      s.el.crmProvider = provider();
      await s.el.updateComplete;
      expect(s.root.querySelector('[part~="document-button"]')!.getAttribute('aria-label')).to.equal('Select a CRM document');
    });

    it('by keyboard: lists the linked contact\'s documents first (never another contact\'s), filters as you type, Enter attaches and uploads the chosen one', async () => {
      const s = await setupDocs();
      s.button().focus();
      await sendKeys({ press: 'Enter' });
      await until(() => s.options().length === 3, 'documents listed');
      expect(s.root.activeElement?.id).to.equal('document-search', 'focus in the search field');
      expect(s.options().map((o) => o.querySelector('[part~="document-name"]')!.getAttribute('title'))).to.deep.equal([
        'Kim – offer.pdf',
        'Assembly guide.pdf',
        'Price list 2026.pdf',
      ]);
      expect(s.options()[0]!.textContent).to.contain('On the contact');
      expect(s.button().getAttribute('aria-expanded')).to.equal('true');
      await expect(s.el).to.be.accessible();
      await sendKeys({ press: 'ArrowDown' });
      await s.el.updateComplete;
      expect(s.search()!.getAttribute('aria-activedescendant')).to.equal(s.options()[1]!.id);
      expect(s.options()[1]!.getAttribute('aria-selected')).to.equal('true');
      await sendKeys({ press: 'End' });
      await s.el.updateComplete;
      expect(s.options()[2]!.getAttribute('aria-selected')).to.equal('true');
      await sendKeys({ press: 'Home' });
      await s.el.updateComplete;
      expect(s.options()[0]!.getAttribute('aria-selected')).to.equal('true');
      await sendKeys({ type: 'price' });
      await until(() => s.options().length === 1, 'filtered');
      await sendKeys({ press: 'Enter' });
      await until(() => s.calls.length === 1, 'upload started');
      expect(s.calls[0]!.file.name).to.equal('Price list 2026.pdf');
      expect(s.calls[0]!.file.type).to.equal('application/pdf');
      expect(await s.calls[0]!.file.text()).to.equal('%PDF-1.4\nxx\n');
      expect(s.search()).to.equal(null, 'the picker closed');
      expect(s.chips()).to.have.length(1);
    });

    it('Enter typed before the search answered attaches the first result of what was typed, not what was on screen', async () => {
      const s = await setupDocs(150);
      s.button().click();
      await until(() => s.options().length === 3, 'documents listed');
      s.search()!.focus();
      await sendKeys({ type: 'price' });
      await sendKeys({ press: 'Enter' });
      await until(() => s.calls.length === 1, 'upload started');
      expect(s.calls[0]!.file.name).to.equal('Price list 2026.pdf');
    });

    it('stays open for presses inside it, closes on a press outside it, and follows the window when it is resized', async () => {
      const s = await setupDocs();
      // Where the composer sits in a console: low in the window, with room above it for the panel.
      s.el.style.display = 'block';
      s.el.style.marginTop = '450px';
      s.button().click();
      await until(() => s.options().length === 3, 'documents listed');
      const panel = s.root.querySelector<HTMLElement>('#document-picker')!;
      expect(panel.matches(':popover-open')).to.equal(true);
      const heading = s.root.querySelector('#document-heading')!.getBoundingClientRect();
      await sendMouse({ type: 'click', position: [Math.round(heading.left + 5), Math.round(heading.top + heading.height / 2)] });
      await s.el.updateComplete;
      expect(s.search()).to.not.equal(null, 'a press inside keeps it open');
      const before = panel.style.getPropertyValue('--_pop-top');
      s.el.style.marginTop = '400px';
      window.dispatchEvent(new Event('resize'));
      await until(() => panel.style.getPropertyValue('--_pop-top') !== before, 'placed again above the composer');
      await sendMouse({ type: 'click', position: [2, 2] });
      await until(() => s.search() === null, 'a press outside closes it');
      expect(panel.matches(':popover-open')).to.equal(false);
      expect(s.calls).to.have.length(0, 'nothing attached');
      await sendMouse({ type: 'move', position: [0, 0] });
    });

    it('fetches the chosen document with an AbortSignal, aborted when the picker closes or the composer leaves the page', async () => {
      const s = await setupDocs();
      const fetches: { id: string; signal: AbortSignal | undefined; resolve: (c: CrmDocumentContent) => void }[] = [];
      s.el.crmProvider!.getDocument = (id: string, signal?: AbortSignal) =>
        new Promise<CrmDocumentContent>((resolve) => {
          fetches.push({ id, signal, resolve });
        });
      s.button().focus();
      await sendKeys({ press: 'Enter' });
      await until(() => s.options().length === 3, 'documents listed');
      await sendKeys({ press: 'Enter' });
      await until(() => fetches.length === 1, 'fetching');
      expect(fetches[0]!.id).to.equal('d3');
      expect(fetches[0]!.signal).to.be.instanceOf(AbortSignal);
      expect(fetches[0]!.signal!.aborted).to.equal(false);
      await sendKeys({ press: 'Escape' });
      await until(() => s.search() === null, 'closed');
      expect(fetches[0]!.signal!.aborted).to.equal(true, 'closing aborts the fetch');
      // Its late answer attaches nothing.
      fetches[0]!.resolve({ blob: new Blob(['%PDF-1.4\n']), name: 'Kim – offer.pdf', type: 'application/pdf' });
      // What the answer causes runs in microtasks: all of them have run before the next frame.
      await new Promise((r) => requestAnimationFrame(r));
      expect(s.calls).to.have.length(0, 'nothing uploaded');
      expect(s.chips()).to.have.length(0);

      // Opened again: the document can be chosen again; the composer leaving the page aborts that fetch too.
      await sendKeys({ press: 'Enter' });
      await until(() => s.options().length === 3, 'documents listed again');
      await sendKeys({ press: 'Enter' });
      await until(() => fetches.length === 2, 'fetching again');
      expect(fetches[1]!.signal!.aborted).to.equal(false);
      s.el.remove();
      expect(fetches[1]!.signal!.aborted).to.equal(true, 'disconnecting aborts the fetch');
    });

    it('Escape closes it and gives focus back to its button; a failing CRM shows an error and keeps it open', async () => {
      const s = await setupDocs();
      s.button().focus();
      await sendKeys({ press: 'Enter' });
      await until(() => s.options().length === 3, 'documents listed');
      await sendKeys({ press: 'Escape' });
      await until(() => s.search() === null, 'closed');
      expect(s.root.activeElement).to.equal(s.button());
      expect(s.button().getAttribute('aria-expanded')).to.equal('false');
      const failing = provider();
      failing.getDocument = () => Promise.reject(new Error('CRM down'));
      s.el.crmProvider = failing;
      await s.el.updateComplete;
      await sendKeys({ press: 'Enter' });
      await until(() => s.options().length === 3, 'documents listed again');
      await sendKeys({ press: 'Enter' });
      await until(() => s.root.querySelector('.document-error')?.textContent === 'Kim – offer.pdf could not be fetched from the CRM. Try again.', 'error shown');
      expect(s.search()).to.not.equal(null, 'still open');
      expect(s.calls).to.have.length(0, 'nothing uploaded');
      await expect(s.el).to.be.accessible();
    });
  });

  describe('against the real server', () => {
    let server: ServerInfo;
    const clients: ChatClient[] = [];
    const ends: (() => Promise<unknown>)[] = [];

    before(async () => {
      server = await chatServer();
    });

    afterEach(async () => {
      for (const end of ends.splice(0)) await end().catch(() => undefined);
      for (const c of clients.splice(0)) c.destroy();
    });

    async function setupReal(name: string) {
      const token = await loginAgent(server, 'sofia');
      const client = testClient(server, token, { getAccessToken: () => token });
      clients.push(client);
      client.connect();
      await until(() => client.$connection.get().status === 'live', 'agent live');
      const chat = await startChat(server, 'support', name);
      await until(() => client.$queued.get().some((s) => s.id === chat.sessionId), 'chat queued');
      await client.accept(chat.sessionId);
      ends.push(() => client.end(chat.sessionId));
      client.openSession(chat.sessionId);
      const el = await fixture<ChatComposer>(html`<chat-composer .client=${client} session-id=${chat.sessionId} agent-tools label="Message"></chat-composer>`);
      const chips = () => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="upload"]')];
      const errors: ChatErrorEvent[] = [];
      el.addEventListener('chat-error', (e) => errors.push(e));
      return { client, el, chips, errors, sessionId: chat.sessionId };
    }

    it('a refused file shows the server\'s message, gets no id and is never sent', async () => {
      const s = await setupReal('Refusal Rut');
      choose(s.el, [file('drawing.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>parent.__pwned=1</script></svg>', 'image/svg+xml')]);
      await until(() => s.chips()[0]?.getAttribute('part')?.includes('upload--failed') === true, 'refused');
      const error = s.chips()[0]!.querySelector('[part~="upload-error"]')!;
      expect(error.textContent).to.equal('Only images, PDF, Word, Excel, ZIP, text and CSV files can be sent.');
      await until(() => announcerText().assertive.includes('drawing.svg was not uploaded'), 'announced');
      expect(s.errors.map((e) => e.detail)).to.deep.equal(
        [{ code: 'invalid', message: 'Only images, PDF, Word, Excel, ZIP, text and CSV files can be sent.', recoverable: false }],
        'the host hears of the refusal (chat-error)',
      );
      await expect(s.el).to.be.accessible();
      // Nothing to send: no text, and the refused file is not an attachment.
      const send = s.el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="send"]')!;
      expect(send.getAttribute('aria-disabled')).to.equal('true');
      s.el.focus();
      await sendKeys({ type: 'only text' });
      await sendKeys({ press: 'Enter' });
      await until(() => s.client.$messages.get()[s.sessionId]?.items.some((m) => m.text === 'only text') === true, 'text sent');
      const sent = s.client.$messages.get()[s.sessionId]?.items.find((m) => m.text === 'only text');
      expect(sent?.attachments).to.equal(undefined);
      await until(() => s.chips().length === 0, 'the refused chip goes with the send');
    });

    it('uploads a real file with progress and sends it: the message carries it', async () => {
      const s = await setupReal('Upload Ulf');
      const pdf = file('Offert 2026 – Fjällvind.pdf', new Blob(['%PDF-1.4\n', new Uint8Array(600 * 1024), '\n%%EOF\n']), 'application/pdf');
      choose(s.el, [pdf]);
      await until(() => s.chips()[0]?.getAttribute('part')?.includes('upload--done') === true, 'uploaded', 15_000);
      s.el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="send"]')!.click();
      const withFile = () => s.client.$messages.get()[s.sessionId]?.items.find((m) => (m.attachments?.length ?? 0) > 0);
      await until(() => withFile() !== undefined, 'message with the file');
      expect(withFile()?.attachments?.[0]).to.include({ name: 'Offert 2026 – Fjällvind.pdf', type: 'application/pdf', size: pdf.size });
      expect(withFile()?.text).to.equal('');
    });

    it('ChatHttpError carries the refusal for the chip (sanity check of the client API used)', async () => {
      const s = await setupReal('Api Anna');
      const error = await s.client.uploadAttachment(s.sessionId, file('x.html', '<html></html>')).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(ChatHttpError);
      expect((error as ChatHttpError).reason).to.equal('type');
    });
  });
});
