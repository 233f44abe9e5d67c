/**
 * chat-composer: its states, in the light and the dark theme (test/helpers/a11y-states.ts).
 * Reply and Note mode, read-only, over the limit, blocked sending, files uploading and refused,
 * and each of its pop-ups: the Insert picker, the quick-reply form with the server's field
 * errors (real server), the emoji grid and the CRM documents.
 */
import { fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

import '../../../src/components/chat-composer/chat-composer.js';
import type { ChatComposer } from '../../../src/components/chat-composer/chat-composer.js';
import { createMemoryCrmProvider } from '../../../src/crm/memory-provider.js';
import { ATTACHMENT_ACCEPT, type AttachmentInfo, MAX_MESSAGE_TEXT } from '../../../src/protocol/index.js';
import type { ChatClient, UploadOptions } from '../../../src/state/index.js';
import { ChatHttpError } from '../../../src/state/index.js';
import { auditStates, type Shown } from '../../helpers/a11y-states.js';
import { chatServer, loginAgent, startChat, testClient, until } from '../../helpers/chat-server.js';
import { fixtureClient, session } from '../../helpers/fixture-client.js';

const root = (el: ChatComposer) => el.shadowRoot!;
const part = (el: ChatComposer, name: string) => root(el).querySelector<HTMLElement>(`[part~="${name}"]`);

async function local(attrs: { disabledReason?: string; sendBlockedReason?: string } = {}): Promise<{ el: ChatComposer; client: ChatClient; done: () => void }> {
  const { client } = await fixtureClient({ sessions: [session({ id: 's1' })] });
  const el = await fixture<ChatComposer>(
    html`<chat-composer
      .client=${client}
      session-id="s1"
      agent-tools
      allow-notes
      label="Message to Kim"
      note-label="Internal note on the chat with Kim"
      .disabledReason=${attrs.disabledReason ?? ''}
      .sendBlockedReason=${attrs.sendBlockedReason ?? ''}
    ></chat-composer>`,
  );
  return { el, client, done: () => { client.destroy(); } };
}

async function type(el: ChatComposer, value: string): Promise<void> {
  const input = root(el).querySelector('textarea')!;
  input.focus();
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  await el.updateComplete;
}

/**
 * Uploads that report progress and never finish (the chip stays in its uploading state), or that
 * the server refuses with its reason.
 */
function heldUploads(client: ChatClient, refuse = false): void {
  (client as { uploadAttachment: ChatClient['uploadAttachment'] }).uploadAttachment = (_id, _file, options?: UploadOptions) =>
    new Promise<AttachmentInfo>((_resolve, reject) => {
      if (refuse) {
        reject(new ChatHttpError('invalid', 'Only images, PDF, Word, Excel, ZIP, text and CSV files can be sent.', 415, 'type'));
        return;
      }
      options?.onProgress?.({ loaded: 400, total: 1000 });
      options?.signal?.addEventListener('abort', () => { reject(new DOMException('aborted', 'AbortError')); });
    });
  (client as { attachmentLimits: ChatClient['attachmentLimits'] }).attachmentLimits = () =>
    Promise.resolve({ maxFileBytes: 10 * 1024 * 1024, maxAttachmentsPerMessage: 10, maxImagePixels: 40_000_000, types: [], accept: ATTACHMENT_ACCEPT });
}

function choose(el: ChatComposer, files: File[]): void {
  const input = root(el).querySelector<HTMLInputElement>('#file-input')!;
  const dt = new DataTransfer();
  for (const f of files) dt.items.add(f);
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

/** An agent has answered a fresh chat on the real server; the composer is ready for it. */
async function real(): Promise<{ el: ChatComposer; done: () => Promise<void> }> {
  const server = await chatServer();
  const token = await loginAgent(server, 'sofia');
  const client = testClient(server, token, { getAccessToken: () => token });
  client.connect();
  await until(() => client.$connection.get().status === 'live', 'agent live');
  const chat = await startChat(server, 'support', 'States Stina');
  await until(() => client.$queued.get().some((s) => s.id === chat.sessionId), 'queued');
  await client.accept(chat.sessionId);
  const el = await fixture<ChatComposer>(html`<chat-composer .client=${client} session-id=${chat.sessionId} agent-tools allow-notes label="Message to the customer"></chat-composer>`);
  return {
    el,
    done: async () => {
      await client.end(chat.sessionId).catch(() => undefined);
      client.destroy();
    },
  };
}

const pickerOpen = (el: ChatComposer) => root(el).querySelector('#picker')?.matches(':popover-open') === true;

auditStates('chat-composer', [
  {
    name: 'Reply mode, empty, with the agent tools',
    setup: local,
  },
  {
    name: 'Note mode with text',
    shows: ['note'],
    setup: async () => {
      const s = await local();
      root(s.el).querySelector<HTMLInputElement>('input[type=radio][value=note]')!.click();
      await type(s.el, 'Refund approved');
      return s;
    },
  },
  {
    name: 'Whisper mode (a supervisor to the handling agent) with text',
    shows: ['whisper'],
    setup: async () => {
      const s = await local();
      s.el.whisper = true;
      await s.el.updateComplete;
      await type(s.el, 'Offer the refund');
      return s;
    },
  },
  {
    name: 'read-only with the reason',
    shows: ['readonly'],
    setup: () => local({ disabledReason: 'This chat has ended.' }),
  },
  {
    name: 'over the limit, with the counter',
    shows: ['over-limit'],
    setup: async () => {
      const s = await local();
      await type(s.el, 'x'.repeat(MAX_MESSAGE_TEXT + 3));
      return s;
    },
  },
  {
    name: 'sending blocked (offline), text kept',
    setup: async () => {
      const s = await local({ sendBlockedReason: 'You are offline. The message is sent when the connection is back.' });
      await type(s.el, 'Hello');
      return s;
    },
  },
  {
    name: 'a file uploading with its progress and Cancel',
    setup: async () => {
      const s = await local();
      heldUploads(s.client);
      choose(s.el, [new File([new Uint8Array(1000)], 'manual.pdf', { type: 'application/pdf' })]);
      await until(() => part(s.el, 'upload-progress') !== null, 'progress shown');
      return s;
    },
  },
  {
    name: 'a file refused with the reason',
    setup: async () => {
      const s = await local();
      heldUploads(s.client, true);
      choose(s.el, [new File(['<svg/>'], 'drawing.svg', { type: 'image/svg+xml' })]);
      await until(() => part(s.el, 'upload--failed') !== null, 'refused');
      return s;
    },
  },
  {
    name: 'the emoji grid open',
    setup: async () => {
      const s = await local();
      part(s.el, 'emoji-button')!.click();
      await until(() => root(s.el).querySelector('#emoji-grid [role=gridcell]') !== null, 'grid');
      return s;
    },
  },
  {
    name: 'the CRM documents open, the linked contact\'s first',
    setup: async () => {
      const s = await local();
      s.el.crmProvider = createMemoryCrmProvider({
        data: {
          contacts: [{ id: 'p1', firstName: 'Kim', lastName: 'Andersson', email: 'kim@example.com' }],
          sessions: [{ id: 's1', customer: { name: 'Kim' }, status: 'active', startedAt: 1, contactId: 'p1' }],
          documents: [
            { id: 'd1', name: 'Assembly guide.pdf', type: 'application/pdf', size: 9, updatedAt: 1, content: new Uint8Array(9) },
            { id: 'd3', name: 'Kim – offer.pdf', type: 'application/pdf', size: 10, updatedAt: 3, contactId: 'p1', content: new Uint8Array(10) },
          ],
        },
      });
      await s.el.updateComplete;
      part(s.el, 'document-button')!.click();
      await until(() => root(s.el).querySelectorAll('[part~="document-option"]').length === 2, 'documents listed');
      return s;
    },
  },
  {
    name: 'the Insert picker open with a preview (real server)',
    setup: async (): Promise<Shown> => {
      const s = await real();
      part(s.el, 'insert-button')!.click();
      await until(() => pickerOpen(s.el) && root(s.el).querySelector('#picker-list [role=option]') !== null, 'replies listed');
      return s;
    },
  },
  {
    name: 'the new quick-reply form with the server\'s field errors (real server)',
    setup: async (): Promise<Shown> => {
      const s = await real();
      await type(s.el, 'We ship within two days.');
      part(s.el, 'save-reply-button')!.click();
      await until(() => root(s.el).querySelector('#reply-form-title') !== null, 'form');
      root(s.el).querySelector<HTMLInputElement>('#reply-form-shortcut')!.focus();
      await sendKeys({ type: 'Bad Shortcut!' });
      part(s.el, 'picker-form-save')!.click();
      await until(() => root(s.el).querySelector('#reply-form-title-error') !== null, 'errors shown');
      return s;
    },
  },
]);
