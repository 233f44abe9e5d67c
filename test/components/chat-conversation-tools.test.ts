/**
 * The conversation's agent tools: "Create request" (dialog prefilled from the chat, validation
 * next to the fields, the request number put into the composer, the chat's requests in the
 * header), files dropped on the conversation (drop zone, the button stays the alternative),
 * "Save as quick reply" from a message's menu, and chat-window forwarding its `crmProvider`.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

import '../../src/components/chat-conversation/chat-conversation.js';
import '../../src/components/chat-window/chat-window.js';
import type { ChatComposer } from '../../src/components/chat-composer/chat-composer.component.js';
import type { ChatConversation } from '../../src/components/chat-conversation/chat-conversation.js';
import type { ChatWindow } from '../../src/components/chat-window/chat-window.component.js';
import { createMemoryCrmProvider, type MemoryCrmProvider } from '../../src/crm/memory-provider.js';
import type { ChatRequestCreateEvent } from '../../src/events/chat-request-create-event.js';
import type { ChatRequestOpenEvent } from '../../src/events/chat-request-open-event.js';
import type { AttachmentInfo, ChatMessage, SessionSummary } from '../../src/protocol/index.js';
import type { ChatClient } from '../../src/state/index.js';
import { until } from '../helpers/chat-server.js';
import { chatMessage, fixtureClient, NOW, session } from '../helpers/fixture-client.js';

const ANN = { kind: 'agent' as const, id: 'ann', name: 'Ann Agent' };
const FIRST = '  Hi!   My tent pole snapped on the very first night in the mountains, and the shop says it is out of stock everywhere.  ';

function transcript(): ChatMessage[] {
  return [
    chatMessage('s1', 1, { kind: 'event', event: 'queued', author: { kind: 'system', name: '' }, text: 'Welcome!' }),
    chatMessage('s1', 2, { text: FIRST }),
    chatMessage('s1', 3, { author: ANN, text: 'Oh no! Let me register that for you.' }),
    chatMessage('s1', 4, { kind: 'note', author: ANN, text: 'Check pole stock' }),
  ];
}

function crm(linked: boolean): MemoryCrmProvider {
  return createMemoryCrmProvider({
    now: () => NOW,
    data: {
      contacts: [{ id: 'pe-1', firstName: 'Kim', lastName: 'Andersson', email: 'kim@example.com' }],
      sessions: [
        {
          id: 's1',
          customer: { name: 'Kim' },
          status: 'active',
          startedAt: NOW - 60_000,
          ...(linked ? { contactId: 'pe-1', linkedAt: NOW - 30_000 } : {}),
          messages: [
            { author: { kind: 'customer', name: 'Kim' }, kind: 'text', text: FIRST.trim(), at: NOW - 50_000 },
            { author: { kind: 'agent', name: 'Ann Agent' }, kind: 'note', text: 'Check pole stock', at: NOW - 40_000 },
          ],
        },
      ],
    },
  });
}

async function setup(options: { provider?: MemoryCrmProvider | undefined; session?: Partial<SessionSummary>; mode?: 'participant' | 'listen' } = {}) {
  const { client, fake } = await fixtureClient({ sessions: [session({ id: 's1', customer: { name: 'Kim' }, ...options.session })], messages: { s1: transcript() } });
  client.selectSession('s1');
  const el = await fixture<ChatConversation>(
    html`<chat-conversation style="height: 560px" .client=${client} .crmProvider=${options.provider} mode=${options.mode ?? 'participant'}></chat-conversation>`,
  );
  await until(() => client.$messages.get().s1?.ready === true, 'messages ready');
  await el.updateComplete;
  const root = el.shadowRoot!;
  const composer = () => root.querySelector<ChatComposer>('chat-composer')!;
  const input = () => composer().shadowRoot!.querySelector('textarea')!;
  const part = (name: string) => root.querySelector<HTMLElement>(`[part~="${name}"]`);
  const dialog = () => root.querySelector<HTMLDialogElement>('.request-dialog');
  return { client, fake, el, root, composer, input, part, dialog };
}

describe('chat-conversation: requests, files, quick replies from messages', function () {
  this.timeout(20_000);

  describe('Create request', () => {
    it('is offered only with a crmProvider', async () => {
      const without = await setup();
      expect(without.part('request-button')).to.equal(null);
      const withCrm = await setup({ provider: crm(true) });
      expect(withCrm.part('request-button')!.textContent.trim()).to.equal('Create request');
      expect(withCrm.part('request-button')!.getAttribute('aria-haspopup')).to.equal('dialog');
    });

    it('opens a modal dialog prefilled from the chat: title from the first customer message, defaults, transcript on, the linked contact', async () => {
      const s = await setup({ provider: crm(true) });
      s.part('request-button')!.focus();
      await sendKeys({ press: 'Enter' });
      await until(() => s.dialog()?.open === true, 'dialog open');
      await until(() => s.root.querySelector('[part~="request-contact"]')!.textContent.includes('Kim Andersson'), 'contact shown');
      const title = s.root.querySelector<HTMLInputElement>('#request-title')!;
      expect(title.value).to.equal('Hi! My tent pole snapped on the very first night in the mountains, and the…', 'one line, cut at a word');
      expect(title.value.length).to.be.at.most(80);
      expect(s.root.activeElement).to.equal(title);
      expect([title.selectionStart, title.selectionEnd, title.selectionDirection]).to.deep.equal([0, title.value.length, 'backward'], 'selected, shown from its start');
      expect(title.scrollLeft).to.equal(0);
      expect(s.root.querySelector<HTMLSelectElement>('#request-category')!.value).to.equal('question');
      expect([...s.root.querySelectorAll('#request-category option')].map((o) => o.textContent.trim())).to.deep.equal([
        'Question',
        'Order',
        'Delivery',
        'Return',
        'Complaint',
        'Technical problem',
        'Other',
      ]);
      expect(s.root.querySelector<HTMLSelectElement>('#request-priority')!.value).to.equal('normal');
      expect(s.root.querySelector<HTMLInputElement>('#request-transcript')!.checked).to.equal(true);
      expect(s.root.querySelector('[part~="request-contact"]')!.textContent.trim()).to.equal('For Kim Andersson (the contact linked to this chat).');
      await expect(s.el).to.be.accessible();
      // Escape closes it; focus returns to the button.
      await sendKeys({ press: 'Escape' });
      await until(() => s.dialog()?.open !== true, 'closed');
      expect(s.root.activeElement).to.equal(s.part('request-button'));
    });

    it('checks the title next to the field, then creates the request: the number goes into the composer and the header', async () => {
      const provider = crm(true);
      const s = await setup({ provider });
      const created: ChatRequestCreateEvent[] = [];
      s.el.addEventListener('chat-request-create', (e) => created.push(e));
      s.part('request-button')!.click();
      await until(() => s.dialog()?.open === true, 'dialog open');
      const title = s.root.querySelector<HTMLInputElement>('#request-title')!;
      title.select();
      await sendKeys({ press: 'Backspace' });
      await sendKeys({ press: 'Enter' });
      await until(() => s.root.querySelector('#request-title-error') !== null, 'error shown');
      expect(s.root.querySelector('#request-title-error')!.textContent).to.equal('Enter a title.');
      expect(title.getAttribute('aria-invalid')).to.equal('true');
      expect(title.getAttribute('aria-describedby')).to.equal('request-title-error');
      expect(s.root.activeElement).to.equal(title);
      expect(provider.requests).to.have.length(0);
      await expect(s.el).to.be.accessible();

      await sendKeys({ type: 'Broken tent pole' });
      s.root.querySelector<HTMLSelectElement>('#request-category')!.focus();
      await sendKeys({ type: 'C' }); // Complaint
      s.root.querySelector<HTMLSelectElement>('#request-priority')!.focus();
      await sendKeys({ type: 'H' }); // High
      s.root.querySelector<HTMLButtonElement>('[part~="request-confirm"]')!.click();
      await until(() => s.dialog()?.open !== true, 'closed after creating');
      expect(provider.requests).to.have.length(1);
      const stored = provider.requests[0]!;
      expect(stored).to.include({ title: 'Broken tent pole', sessionId: 's1', contactId: 'pe-1', category: 'complaint', priority: 'high', hasTranscript: true, number: '1001' });
      expect(stored.transcript).to.match(/\n\[\d\d:\d\d\] Kim: Hi!\s+My tent pole snapped/);
      expect(stored.transcript).to.not.contain('Check pole stock');

      await until(() => s.input().value !== '', 'message in the composer');
      expect(s.input().value).to.equal('I have registered your request as #1001.');
      expect(s.composer().shadowRoot!.activeElement).to.equal(s.input());
      expect(created.map((e) => e.detail)).to.deep.equal([{ sessionId: 's1', requestId: stored.id, number: '1001', contactId: 'pe-1' }]);
      await s.el.updateComplete;
      const link = s.part('request-link')!;
      expect(link.textContent.trim()).to.equal('#1001');
      expect(link.getAttribute('aria-label')).to.equal('Request #1001: Broken tent pole');
      expect(s.part('requests')!.getAttribute('aria-label')).to.equal('Requests from this chat');
    });

    it('without a linked contact the request is saved with the chat only; the chat\'s requests are shown when it opens, and open through chat-request-open', async () => {
      const provider = crm(false);
      await provider.createRequest({ sessionId: 's1', title: 'Earlier request' });
      const s = await setup({ provider });
      await until(() => s.part('request-link') !== null, 'existing request shown');
      const opened: ChatRequestOpenEvent[] = [];
      s.el.addEventListener('chat-request-open', (e) => {
        e.preventDefault();
        opened.push(e);
      });
      s.part('request-link')!.click();
      expect(opened.map((e) => e.detail)).to.deep.equal([{ requestId: provider.requests[0]!.id, number: '1001', sessionId: 's1' }]);
      s.part('request-button')!.click();
      await until(() => s.root.querySelector('[part~="request-contact"]')?.textContent.includes('No contact') === true, 'no contact');
      s.root.querySelector<HTMLInputElement>('#request-transcript')!.click();
      s.root.querySelector<HTMLButtonElement>('[part~="request-confirm"]')!.click();
      await until(() => provider.requests.length === 2, 'created');
      expect(provider.requests[1]).to.include({ contactId: undefined, hasTranscript: false, category: 'question', priority: 'normal' });
      await until(() => s.root.querySelectorAll('[part~="request-link"]').length === 2, 'both in the header');
      expect([...s.root.querySelectorAll('[part~="request-link"]')].map((b) => b.textContent.trim())).to.deep.equal(['#1002', '#1001']);
    });

    it('shows a CRM refusal in the dialog and keeps it open', async () => {
      const provider = crm(true);
      provider.createRequest = () => Promise.reject(new (class extends Error {})('down'));
      const s = await setup({ provider });
      s.part('request-button')!.click();
      await until(() => s.dialog()?.open === true, 'open');
      s.root.querySelector<HTMLButtonElement>('[part~="request-confirm"]')!.click();
      await until(() => s.root.querySelector('#request-error') !== null, 'error');
      expect(s.root.querySelector('#request-error')!.textContent).to.equal('The CRM could not be reached. Try again.');
      expect(s.dialog()!.open).to.equal(true);
    });
  });

  describe('files dropped on the conversation', () => {
    it('shows a drop zone while files are dragged over it, and uploads what is dropped (the Attach button is the alternative)', async () => {
      const s = await setup();
      const uploads: string[] = [];
      (s.client as { uploadAttachment: ChatClient['uploadAttachment'] }).uploadAttachment = (_id, f) => {
        uploads.push((f as File).name);
        return Promise.resolve<AttachmentInfo>({ id: 'f_d', name: (f as File).name, size: f.size, type: 'text/plain' });
      };
      (s.client as { attachmentLimits: ChatClient['attachmentLimits'] }).attachmentLimits = () => Promise.reject(new Error('offline'));
      expect(s.composer().shadowRoot!.querySelector('[part~="attach-button"]')).to.not.equal(null);
      const base = s.part('base')!;
      const dt = new DataTransfer();
      dt.items.add(new File(['hello'], 'notes.txt', { type: 'text/plain' }));
      base.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true, composed: true }));
      base.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true, composed: true }));
      await s.el.updateComplete;
      expect(s.part('drop-zone')!.textContent.trim()).to.equal('Drop files to attach them to your reply');
      const drop = new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true, composed: true });
      base.dispatchEvent(drop);
      expect(drop.defaultPrevented).to.equal(true);
      await s.el.updateComplete;
      expect(s.part('drop-zone')).to.equal(null);
      await until(() => uploads.length === 1, 'uploaded');
      expect(uploads).to.deep.equal(['notes.txt']);
      await until(() => s.composer().shadowRoot!.querySelector('[part~="upload--done"]') !== null, 'chip');
      // Dragging text (not files) shows nothing.
      const text = new DataTransfer();
      text.setData('text/plain', 'hi');
      base.dispatchEvent(new DragEvent('dragenter', { dataTransfer: text, bubbles: true, cancelable: true, composed: true }));
      await s.el.updateComplete;
      expect(s.part('drop-zone')).to.equal(null);
    });
  });

  describe('"Save as quick reply" on a message', () => {
    const saveItem = (root: ShadowRoot) =>
      [...root.querySelectorAll<HTMLButtonElement>('[part~="message-menu-item"]')].find((b) => b.textContent.trim() === 'Save as quick reply')!;

    it('opens the quick-reply form with the message text, unless the event is cancelled', async () => {
      const s = await setup();
      const list = s.root.querySelector('chat-message-list')!;
      await until(() => list.shadowRoot!.querySelector('[part~="message-actions"]') !== null && list.shadowRoot!.querySelector('.list--tail') === null, 'menu button');
      const cancel = (e: Event) => {
        e.preventDefault();
      };
      document.addEventListener('chat-message-action', cancel);
      // What the conversation asks of the composer (it decides in a microtask after the event).
      const composer = s.composer();
      const asked: string[] = [];
      const openForm = composer.openQuickReplyForm.bind(composer);
      composer.openQuickReplyForm = (text: string) => {
        asked.push(text);
        openForm(text);
      };
      saveItem(list.shadowRoot!).click();
      // The conversation's microtask was queued during the click: it has run after this await.
      await Promise.resolve();
      await composer.updateComplete;
      expect(asked).to.deep.equal([], 'cancelled by the host: no form asked for');
      expect(composer.shadowRoot!.querySelector('#reply-form-text')).to.equal(null, 'cancelled by the host');
      document.removeEventListener('chat-message-action', cancel);
      saveItem(list.shadowRoot!).click();
      await until(() => s.composer().shadowRoot!.querySelector('#reply-form-text') !== null, 'form open');
      expect(asked).to.deep.equal(['Oh no! Let me register that for you.']);
      expect(s.composer().shadowRoot!.querySelector<HTMLTextAreaElement>('#reply-form-text')!.value).to.equal('Oh no! Let me register that for you.');
    });

    /** Whether the agent's message has its menu button, once the transcript shows the message. */
    async function offered(root: ShadowRoot): Promise<boolean> {
      const list = root.querySelector('chat-message-list')!;
      await until(() => list.shadowRoot!.querySelector('[part~="message--agent"]') !== null, 'the agent message is shown');
      await list.updateComplete;
      return list.shadowRoot!.querySelector('[part~="message--agent"] [part~="message-actions"]') !== null;
    }

    it('is offered in my active chat, where the composer can take it', async () => {
      const s = await setup();
      expect(await offered(s.root)).to.equal(true);
      expect(s.root.querySelector('chat-message-list')!.saveQuickReply).to.equal(true);
    });

    it('is not offered in an ended chat (a notice instead of the composer)', async () => {
      const s = await setup({ session: { status: 'ended', endedAt: NOW - 1000 } });
      expect(s.part('notice') !== null).to.equal(true, 'a notice');
      expect(s.root.querySelector('chat-composer') === null).to.equal(true, 'no composer');
      expect(await offered(s.root)).to.equal(false);
    });

    it('is not offered in a chat I handed over', async () => {
      const { client } = await fixtureClient({
        sessions: [session({ id: 's1', customer: { name: 'Kim' }, agentId: 'erik', agentName: 'Erik' })],
        messages: {
          s1: [
            ...transcript(),
            chatMessage('s1', 5, { kind: 'event', event: 'transferred', author: { kind: 'system', name: '' }, text: '', meta: { fromAgentId: 'ann', toAgentId: 'erik', toAgentName: 'Erik' } }),
          ],
        },
      });
      client.selectSession('s1');
      const el = await fixture<ChatConversation>(html`<chat-conversation style="height: 560px" .client=${client}></chat-conversation>`);
      await until(() => client.$messages.get().s1?.ready === true, 'messages ready');
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('[part~="notice"]')!.textContent).to.contain('You transferred this chat to Erik');
      expect(await offered(el.shadowRoot!)).to.equal(false);
    });

    it('is not offered in listen mode', async () => {
      const s = await setup({ mode: 'listen' });
      expect(s.part('notice') !== null).to.equal(true, 'a notice');
      expect(await offered(s.root)).to.equal(false);
    });

    it('is not offered while the composer is read-only (a chat waiting in the queue)', async () => {
      const s = await setup({ session: { status: 'queued', agentId: undefined, agentName: undefined } });
      expect(s.input().disabled).to.equal(true);
      expect(await offered(s.root)).to.equal(false);
    });
  });

  it('chat-window forwards its crmProvider to the conversation', async () => {
    const { client } = await fixtureClient();
    const provider = crm(true);
    const win = await fixture<ChatWindow>(html`<chat-window .client=${client} .crmProvider=${provider}></chat-window>`);
    await customElements.whenDefined('chat-conversation');
    const conversation = () => win.shadowRoot!.querySelector<ChatConversation>('chat-conversation');
    await until(() => conversation()?.crmProvider === provider, 'forwarded');
    client.destroy();
  });
});
