/**
 * The wrap-up in chat-conversation's End chat dialog (issue 18), against the real reference server
 * (started by the test runner): the channel's requirements (GET /api/channels/<id>/wrap-up) decide
 * the fields; what is missing keeps the dialog open with the error next to the field and focus on
 * it; the chat ends with its comment and tags; free tags when the channel lists none; "Close
 * without notifying the customer" (spam); Swedish labels; axe in each state; keyboard only.
 * Support's wrap-up settings are put back afterwards.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

import '../../src/components/chat-conversation/chat-conversation.js';
import type { ChatConversation } from '../../src/components/chat-conversation/chat-conversation.js';
import { setChatLocale } from '../../src/i18n/localization.js';
import type { WrapUpSettings } from '../../src/protocol/channel-settings.js';
import type { ChatClient } from '../../src/state/index.js';
import type { ServerInfo } from '../helpers/chat-server.js';
import { chatServer, loginAgent, startChat, testClient, until } from '../helpers/chat-server.js';

describe('chat-conversation: close with a wrap-up (real server)', function () {
  this.timeout(30_000);
  let server: ServerInfo;
  let annaToken: string;
  let original: WrapUpSettings | undefined;
  const clients: ChatClient[] = [];
  const ends: (() => Promise<unknown>)[] = [];

  const setWrapUp = async (wrapUp: WrapUpSettings): Promise<void> => {
    const res = await fetch(`${server.url}/api/channels/support/settings`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${annaToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ settings: { wrapUp } }),
    });
    expect(res.status, await res.clone().text()).to.equal(200);
  };

  before(async () => {
    server = await chatServer();
    annaToken = await loginAgent(server, 'anna');
    const res = await fetch(`${server.url}/api/channels/support/settings`, { headers: { Authorization: `Bearer ${annaToken}` } });
    original = ((await res.json()) as { settings: { wrapUp: WrapUpSettings } }).settings.wrapUp;
  });

  afterEach(async () => {
    // Chats a test left open are ended without requirements, so Sofia keeps her capacity.
    await setWrapUp({ comment: 'optional', tags: [], tagsRequired: false });
    for (const end of ends.splice(0)) await end().catch(() => undefined);
    for (const c of clients.splice(0)) c.destroy();
    await setChatLocale('en');
  });

  after(async () => {
    if (original) await setWrapUp(original);
  });

  /** Sofia (an agent of Support, not its manager) answers a new chat and shows it. */
  async function open(name: string) {
    const token = await loginAgent(server, 'sofia');
    const client = testClient(server, token, { getAccessToken: () => token });
    clients.push(client);
    client.connect();
    await until(() => client.$connection.get().status === 'live', 'agent live');
    const chat = await startChat(server, 'support', name);
    await until(() => client.$queued.get().some((s) => s.id === chat.sessionId), 'chat queued');
    await client.accept(chat.sessionId);
    ends.push(() => client.end(chat.sessionId, { notify: false }));
    const el = await fixture<ChatConversation>(html`<chat-conversation style="height: 600px" .client=${client} session-id=${chat.sessionId}></chat-conversation>`);
    const root = el.shadowRoot!;
    await until(() => root.querySelector('[part~="end-button"]') !== null, 'End chat shown');
    const part = (name: string) => root.querySelector<HTMLElement>(`[part~="${name}"]`);
    const dialog = () => root.querySelector<HTMLDialogElement>('.end-dialog')!;
    const summary = () => client.$sessions.get()[chat.sessionId];
    return { client, el, root, part, dialog, summary, sessionId: chat.sessionId };
  }

  it('asks for what the channel requires; what is missing keeps the dialog open, named next to the field; keyboard only', async () => {
    await setWrapUp({ comment: 'required', tags: ['Refund', 'Delivery', 'Spam'], tagsRequired: true });
    const s = await open('Wrap Wilma');
    s.part('end-button')!.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => s.dialog().open, 'dialog open');
    await until(() => s.root.querySelectorAll('[part~="wrapup-tag"]').length === 3, "the channel's tags");
    expect(s.root.querySelector('label[for="wrapup-comment"]')!.textContent.trim()).to.equal('Closing comment (required)');
    expect(s.root.querySelector('.wrapup-tags legend')!.textContent.trim()).to.equal('Tags (at least one)');
    expect([...s.root.querySelectorAll('[part~="wrapup-tag"] label')].map((l) => l.textContent.trim())).to.deep.equal(['Refund', 'Delivery', 'Spam']);
    await expect(s.el).to.be.accessible();

    // Nothing filled in: the comment's error, focus on it, the dialog stays open.
    s.part('dialog-confirm')!.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => s.root.querySelector('#wrapup-comment-error') !== null, 'comment error');
    expect(s.dialog().open).to.equal(true);
    const comment = s.root.querySelector<HTMLTextAreaElement>('#wrapup-comment')!;
    await until(() => s.root.activeElement === comment, 'focus on the comment');
    expect(comment.getAttribute('aria-invalid')).to.equal('true');
    expect(comment.getAttribute('aria-describedby')).to.equal('wrapup-comment-error');
    expect(s.root.querySelector('#wrapup-comment-error')!.textContent.trim()).to.equal('Write a closing comment: this channel requires one.');
    await expect(s.el).to.be.accessible();

    // A comment (markup stays text), still no tag: the tags' error.
    await sendKeys({ type: 'Refunded <b>7781</b>' });
    s.part('dialog-confirm')!.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => s.root.querySelector('#wrapup-tags-error') !== null, 'tags error');
    expect(s.root.querySelector('#wrapup-comment-error')).to.equal(null);
    const tags = s.root.querySelector<HTMLElement>('[data-wrapup-tags]')!;
    await until(() => s.root.activeElement === tags, 'focus on the tags');
    expect(s.root.querySelector('#wrapup-tags-error')!.textContent.trim()).to.equal('Choose at least one tag: this channel requires one.');

    // Tab to the first tag, Space ticks it, Tab on to End chat.
    await sendKeys({ press: 'Tab' });
    expect(s.root.activeElement?.id).to.equal('wrapup-tag-0');
    await sendKeys({ press: 'Space' });
    s.part('dialog-confirm')!.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => s.summary()?.status === 'ended', 'ended');
    expect(s.summary()!.tags).to.deep.equal(['Refund']);
    expect(s.summary()!.closingComment).to.equal('Refunded <b>7781</b>');
    expect(s.summary()!.closedSilently).to.equal(undefined);
  });

  it('without requirements: an optional comment and free tags, separated by commas', async () => {
    await setWrapUp({ comment: 'optional', tags: [], tagsRequired: false });
    const s = await open('Free Fredrik');
    s.part('end-button')!.click();
    await until(() => s.dialog().open, 'dialog open');
    expect(s.root.querySelector('label[for="wrapup-comment"]')!.textContent.trim()).to.equal('Closing comment (optional)');
    expect(s.root.querySelector('label[for="wrapup-tags"]')!.textContent.trim()).to.equal('Tags, separated by commas');
    s.root.querySelector<HTMLInputElement>('#wrapup-tags')!.focus();
    await sendKeys({ type: 'VIP, Callback, VIP ,' });
    s.part('dialog-confirm')!.click();
    await until(() => s.summary()?.status === 'ended', 'ended');
    expect(s.summary()!.tags).to.deep.equal(['VIP', 'Callback']);
    expect(s.summary()!.closingComment).to.equal(undefined);
  });

  it('a channel that turns the comment off shows no comment field', async () => {
    await setWrapUp({ comment: 'off', tags: ['Order'], tagsRequired: false });
    const s = await open('Off Olle');
    s.part('end-button')!.click();
    await until(() => s.root.querySelectorAll('[part~="wrapup-tag"]').length === 1, "the channel's tag");
    expect(s.root.querySelector('#wrapup-comment')).to.equal(null);
    await expect(s.el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await until(() => !s.dialog().open, 'closed');
  });

  it('closes without notifying the customer (spam): the text says so, the chat is marked', async () => {
    await setWrapUp({ comment: 'optional', tags: [], tagsRequired: false });
    const s = await open('Spam Sven');
    s.part('end-button')!.click();
    await until(() => s.dialog().open, 'dialog open');
    expect(s.root.querySelector('#end-text')!.textContent.trim()).to.equal('The customer is told that the chat has ended. Nobody can write in it afterwards.');
    s.root.querySelector<HTMLInputElement>('#wrapup-silent')!.focus();
    await sendKeys({ press: 'Space' });
    await until(() => s.root.querySelector('#end-text')!.textContent.trim() === 'The customer is not told. Nobody can write in the chat afterwards.', 'silent text');
    await expect(s.el).to.be.accessible();
    s.part('dialog-confirm')!.click();
    await until(() => s.summary()?.status === 'ended', 'ended');
    expect(s.summary()!.closedSilently).to.equal(true);
  });

  it('speaks Swedish', async () => {
    await setWrapUp({ comment: 'required', tags: ['Retur'], tagsRequired: true });
    await setChatLocale('sv');
    const s = await open('Svensk Siv');
    s.part('end-button')!.click();
    await until(() => s.root.querySelectorAll('[part~="wrapup-tag"]').length === 1, "the channel's tag");
    expect(s.root.querySelector('label[for="wrapup-comment"]')!.textContent.trim()).to.equal('Avslutande kommentar (krävs)');
    expect(s.root.querySelector('.wrapup-tags legend')!.textContent.trim()).to.equal('Taggar (minst en)');
    expect(s.root.querySelector('label[for="wrapup-silent"]')!.textContent.trim()).to.equal('Avsluta utan att meddela kunden (skräp)');
    s.part('dialog-confirm')!.click();
    await until(() => s.root.querySelector('#wrapup-comment-error') !== null, 'comment error');
    expect(s.root.querySelector('#wrapup-comment-error')!.textContent.trim()).to.equal('Skriv en avslutande kommentar: kanalen kräver en.');
    await expect(s.el).to.be.accessible();
  });
});
