import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

import '../../src/components/chat-composer/chat-composer.js';
import type { ChatComposer } from '../../src/components/chat-composer/chat-composer.js';
import type { ChatMessageSendEvent } from '../../src/events/chat-message-send-event.js';
import { announcerText } from '../../src/internal/announcer.js';
import { MAX_MESSAGE_TEXT } from '../../src/protocol/index.js';
import type { ChatClient } from '../../src/state/index.js';
import { ChatError, createChatClient } from '../../src/state/index.js';
import { until } from '../helpers/chat-server.js';
import { fixtureClient, fixtureServer, session } from '../helpers/fixture-client.js';

async function setup(attrs: { disabledReason?: string; sendBlockedReason?: string; notes?: boolean } = {}) {
  const { client, fake } = await fixtureClient({ sessions: [session({ id: 's1' }), session({ id: 's2' })] });
  const el = await fixture<ChatComposer>(
    html`<chat-composer
      .client=${client}
      session-id="s1"
      label="Message to Kim"
      note-label="Internal note on the chat with Kim"
      .allowNotes=${attrs.notes ?? false}
      .disabledReason=${attrs.disabledReason ?? ''}
      .sendBlockedReason=${attrs.sendBlockedReason ?? ''}
    ></chat-composer>`,
  );
  const root = el.shadowRoot!;
  const input = () => root.querySelector('textarea')!;
  const send = () => root.querySelector<HTMLButtonElement>('[part=send]')!;
  const part = (name: string) => root.querySelector(`[part=${name}]`);
  const type = async (value: string) => {
    input().focus();
    input().value = value;
    input().dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    await el.updateComplete;
  };
  const radio = (mode: 'reply' | 'note') => root.querySelector<HTMLInputElement>(`input[type=radio][value=${mode}]`);
  return { client, fake, el, root, input, send, part, type, radio };
}

describe('chat-composer', () => {
  describe('rendering', () => {
    it('shows a labelled text area, a Send button and the keyboard hint', async () => {
      const { input, send, part } = await setup();
      expect(input().getAttribute('aria-label')).to.equal('Message to Kim');
      expect(input().placeholder).to.equal('Write a reply…');
      expect(send().textContent.trim()).to.equal('Send');
      expect(part('hint')!.textContent).to.equal('Enter to send, Shift+Enter for a new line');
      expect(part('counter')).to.equal(null);
    });

    it('counts characters near the limit and past it', async () => {
      const { type, part, el, send, input } = await setup();
      await type('x'.repeat(MAX_MESSAGE_TEXT - 400));
      expect(part('counter')!.textContent.trim()).to.equal('Characters left: 400');
      await type('x'.repeat(MAX_MESSAGE_TEXT));
      expect(part('counter')!.textContent.trim()).to.equal('Characters left: 0');
      expect(send().getAttribute('aria-disabled')).to.equal('false');
      await type('x'.repeat(MAX_MESSAGE_TEXT + 1));
      expect(part('counter')!.textContent.trim()).to.equal('Over the limit by 1');
      expect(part('counter')!.getAttribute('part')).to.equal('counter');
      expect(send().getAttribute('aria-disabled')).to.equal('true');
      expect(input().getAttribute('aria-invalid')).to.equal('true');
      expect(el.hasCustomState('over-limit')).to.be.true;
    });

    it('disables writing with the reason', async () => {
      const { input, part, el } = await setup({ disabledReason: 'This chat has ended.' });
      expect(input().disabled).to.be.true;
      expect(part('reason')!.textContent.trim()).to.equal('This chat has ended.');
      expect(input().getAttribute('aria-describedby')).to.contain('reason');
      expect(el.hasCustomState('readonly')).to.be.true;
    });
  });

  describe('accessibility', () => {
    it('is accessible', async () => {
      const { el } = await setup();
      await expect(el).to.be.accessible();
    });

    it('is accessible when disabled and when over the limit', async () => {
      const disabled = await setup({ disabledReason: 'This chat has ended.' });
      await expect(disabled.el).to.be.accessible();
      const over = await setup();
      await over.type('x'.repeat(MAX_MESSAGE_TEXT + 3));
      await expect(over.el).to.be.accessible();
    });

    it('has a Send button of at least 24 by 24 pixels', async () => {
      const { send } = await setup();
      const box = send().getBoundingClientRect();
      expect(box.width).to.be.at.least(24);
      expect(box.height).to.be.at.least(24);
    });
  });

  describe('keyboard', () => {
    it('sends with Enter and adds a line with Shift+Enter', async () => {
      const { fake, input } = await setup();
      input().focus();
      await sendKeys({ type: 'one' });
      await sendKeys({ down: 'Shift' });
      await sendKeys({ press: 'Enter' });
      await sendKeys({ up: 'Shift' });
      await sendKeys({ type: 'two' });
      expect(input().value).to.equal('one\ntwo');
      await sendKeys({ press: 'Enter' });
      await until(() => fake.sent('send').length === 1, 'sent');
      expect(fake.sent('send')[0]).to.include({ sessionId: 's1', text: 'one\ntwo', kind: 'text' });
      await until(() => input().value === '', 'cleared');
    });

    it('does not send blank text', async () => {
      const { fake, input, el, client } = await setup();
      // The composer decides in the key's handler: a send would be announced at once by this event.
      let asked = 0;
      el.addEventListener('chat-message-send', () => (asked += 1));
      input().focus();
      await sendKeys({ type: '   ' });
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(asked).to.equal(0);
      expect(client.$outbox.get()).to.have.length(0);
      expect(fake.sent('send')).to.have.length(0);
    });
  });

  describe('events', () => {
    it('fires a cancelable chat-message-send before sending', async () => {
      const { el, fake, send, type } = await setup();
      const seen: ChatMessageSendEvent[] = [];
      el.addEventListener('chat-message-send', (e) => seen.push(e));
      await type('Hello Kim');
      send().click();
      await until(() => fake.sent('send').length === 1, 'sent');
      expect(seen.map((e) => e.detail)).to.deep.equal([{ sessionId: 's1', text: 'Hello Kim', kind: 'text' }]);
      expect(seen[0]!.cancelable).to.be.true;
    });

    it('keeps the text when the event is cancelled', async () => {
      const { el, fake, send, type, input, client } = await setup();
      el.addEventListener('chat-message-send', (e) => {
        e.preventDefault();
      });
      await type('Hold on');
      send().click();
      // Cancelled in the click's own handler: nothing goes to the outbox.
      await el.updateComplete;
      expect(client.$outbox.get()).to.have.length(0);
      expect(fake.sent('send')).to.have.length(0);
      expect(input().value).to.equal('Hold on');
    });
  });

  describe('store integration', () => {
    it('keeps the text and says why when the client refuses', async () => {
      const { client, send, type, input, part } = await setup();
      client.send = () => Promise.reject(new ChatError('invalid', 'nope'));
      await type('Keep this');
      send().click();
      await until(() => part('error') !== null, 'error shown');
      expect(input().value).to.equal('Keep this');
      expect(part('error')!.textContent).to.contain('Your text is kept');
      await until(() => announcerText().assertive.includes('Your text is kept'), 'announced');
    });

    it('blocks sending with the reason but keeps typing possible', async () => {
      const { fake, input, part, send } = await setup({ sendBlockedReason: 'Not connected.' });
      expect(input().disabled).to.be.false;
      input().focus();
      await sendKeys({ type: 'queued words' });
      await sendKeys({ press: 'Enter' });
      expect(fake.sent('send')).to.have.length(0);
      expect(send().getAttribute('aria-disabled')).to.equal('true');
      expect(part('reason')!.textContent.trim()).to.equal('Not connected.');
    });

    it('says "typing" once while typing goes on and "stopped" after sending', async () => {
      const { fake, input } = await setup();
      input().focus();
      await sendKeys({ type: 'hello there' });
      await until(() => fake.sent('typing').length === 1, 'typing on');
      expect(fake.sent('typing')[0]).to.include({ sessionId: 's1', on: true });
      await sendKeys({ press: 'Enter' });
      await until(() => fake.sent('typing').length === 2, 'typing off');
      expect(fake.sent('typing')[1]).to.include({ sessionId: 's1', on: false });
    });

    it('says "stopped typing" when the text is cleared or focus leaves', async () => {
      const { fake, input, el } = await setup();
      input().focus();
      await sendKeys({ type: 'a' });
      await until(() => fake.sent('typing').length === 1, 'typing on');
      input().blur();
      await until(() => fake.sent('typing').length === 2, 'typing off');
      expect(fake.sent('typing').map((f) => f.on)).to.deep.equal([true, false]);
      await el.updateComplete;
    });

    it('keeps one draft per session', async () => {
      const { el, type, input } = await setup();
      await type('for s1');
      el.sessionId = 's2';
      await el.updateComplete;
      expect(input().value).to.equal('');
      await type('for s2');
      el.sessionId = 's1';
      await el.updateComplete;
      expect(input().value).to.equal('for s1');
    });
  });

  describe('drafts across a reload', () => {
    /** A console's client as on a real page: the default (IndexedDB) outbox, so drafts are kept. */
    async function pageClient(url: string) {
      const fake = fixtureServer({ sessions: [session({ id: 's1' }), session({ id: 's2' })] });
      const client = createChatClient({ url, tenant: 'demo', getToken: () => Promise.resolve('ticket'), WebSocket: fake.WebSocket, autoConnect: false });
      client.connect();
      await until(() => client.$connection.get().status === 'live', 'live');
      return client;
    }
    const mount = (client: ChatClient, sessionId: string) =>
      fixture<ChatComposer>(html`<chat-composer .client=${client} session-id=${sessionId} label="Message to Kim"></chat-composer>`);
    const value = (el: ChatComposer) => el.shadowRoot!.querySelector('textarea')!.value;

    it('keeps each chat\'s draft when the page reloads, and forgets them on logout', async () => {
      const url = `http://drafts-${Math.random().toString(36).slice(2)}.test`;
      const first = await pageClient(url);
      const el = await mount(first, 's1');
      const input = el.shadowRoot!.querySelector('textarea')!;
      input.value = 'half a sentence for s1';
      input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
      el.sessionId = 's2';
      await el.updateComplete;
      input.value = 'and one for s2';
      input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
      await el.updateComplete;
      el.remove();
      first.destroy();

      // The reload: a new client of the same server and tenant, a new element.
      const second = await pageClient(url);
      expect(value(await mount(second, 's1'))).to.equal('half a sentence for s1');
      expect(value(await mount(second, 's2'))).to.equal('and one for s2');
      await second.logout();
      second.destroy();
      const third = await pageClient(url);
      expect(value(await mount(third, 's1'))).to.equal('', 'forgotten on logout');
      third.destroy();
    });
  });

  describe('internal notes', () => {
    it('offers Reply / Note as a labelled radio group, Reply first', async () => {
      const { root, radio, input, send, part, el } = await setup({ notes: true });
      const group = root.querySelector('[role=radiogroup]')!;
      expect(group.getAttribute('aria-label')).to.equal('Message type');
      expect([...group.querySelectorAll('label')].map((l) => l.textContent.trim())).to.deep.equal(['Reply', 'Note']);
      expect(radio('reply')!.checked).to.be.true;
      expect(input().getAttribute('aria-label')).to.equal('Message to Kim');
      expect(send().textContent.trim()).to.equal('Send');
      expect(part('hint')!.textContent).to.equal('Enter to send, Shift+Enter for a new line');
      expect(el.hasCustomState('note')).to.be.false;
      await expect(el).to.be.accessible();
    });

    it('switches to Note with the keyboard and sends the text as a note, without typing notifications', async () => {
      const { root, radio, input, fake, el, send, part } = await setup({ notes: true });
      radio('reply')!.focus();
      await sendKeys({ press: 'ArrowRight' });
      await el.updateComplete;
      expect(radio('note')!.checked).to.be.true;
      expect(root.activeElement === radio('note'), 'focus stays in the group').to.be.true;
      expect(el.hasCustomState('note')).to.be.true;
      expect(input().getAttribute('aria-label')).to.equal('Internal note on the chat with Kim');
      expect(input().placeholder).to.equal('Write an internal note — only agents see it…');
      expect(send().textContent.trim()).to.equal('Add note');
      expect(part('hint')!.textContent).to.equal('Only agents see notes. Enter to add, Shift+Enter for a new line');
      expect(root.querySelector('[part~=mode--selected]')!.getAttribute('part')).to.equal('mode mode--note mode--selected');
      await expect(el).to.be.accessible();
      input().focus();
      await sendKeys({ type: 'Refund approved' });
      await sendKeys({ press: 'Enter' });
      await until(() => fake.sent('send').length === 1, 'sent');
      expect(fake.sent('send')[0]).to.include({ sessionId: 's1', text: 'Refund approved', kind: 'note' });
      await until(() => input().value === '', 'cleared');
      // The customer must not even see that a note is being written.
      expect(fake.sent('typing')).to.have.length(0);
      // Still in Note mode for the next one.
      expect(radio('note')!.checked).to.be.true;
    });

    it('fires chat-message-send with kind "note"', async () => {
      const { el, radio, type, send, fake } = await setup({ notes: true });
      const seen: ChatMessageSendEvent[] = [];
      el.addEventListener('chat-message-send', (e) => seen.push(e));
      radio('note')!.click();
      await el.updateComplete;
      await type('For agents');
      send().click();
      await until(() => fake.sent('send').length === 1, 'sent');
      expect(seen.map((e) => e.detail)).to.deep.equal([{ sessionId: 's1', text: 'For agents', kind: 'note' }]);
    });

    it('stops typing notifications when switching to Note, and keeps the mode per session', async () => {
      const { el, radio, input, fake } = await setup({ notes: true });
      input().focus();
      await sendKeys({ type: 'hello' });
      await until(() => fake.sent('typing').length === 1, 'typing on');
      radio('note')!.click();
      await until(() => fake.sent('typing').length === 2, 'typing off');
      expect(fake.sent('typing').map((f) => f.on)).to.deep.equal([true, false]);
      el.sessionId = 's2';
      await el.updateComplete;
      expect(radio('reply')!.checked).to.be.true;
      el.sessionId = 's1';
      await el.updateComplete;
      expect(radio('note')!.checked).to.be.true;
    });

    it('has no Note mode unless notes are allowed', async () => {
      const { root } = await setup();
      expect(root.querySelector('[role=radiogroup]')).to.equal(null);
    });

    it('disables the choice with the text area when writing is not possible', async () => {
      const { radio, el } = await setup({ notes: true, disabledReason: 'This chat has ended.' });
      expect(radio('reply')!.disabled).to.be.true;
      expect(radio('note')!.disabled).to.be.true;
      await expect(el).to.be.accessible();
    });
  });

  describe('theming', () => {
    it('exposes parts', async () => {
      const { root, type } = await setup({ sendBlockedReason: 'Offline.' });
      await type('x'.repeat(MAX_MESSAGE_TEXT));
      for (const part of ['base', 'input', 'send', 'reason', 'counter']) expect(root.querySelector(`[part=${part}]`), part).to.exist;
    });

    it('exposes the mode parts and reads the note background', async () => {
      const { root, radio, el } = await setup({ notes: true });
      for (const part of ['modes', 'mode', 'mode--reply', 'mode--note', 'mode--selected']) expect(root.querySelector(`[part~="${part}"]`), part).to.exist;
      el.style.setProperty('--chat-composer-note-background', 'rgb(3, 4, 5)');
      radio('note')!.click();
      await el.updateComplete;
      expect(getComputedStyle(root.querySelector('.base')!).backgroundColor).to.equal('rgb(3, 4, 5)');
    });

    it('reads its custom properties', async () => {
      const { el, root } = await setup();
      el.style.setProperty('--chat-composer-background', 'rgb(7, 8, 9)');
      expect(getComputedStyle(root.querySelector('.base')!).backgroundColor).to.equal('rgb(7, 8, 9)');
    });
  });
});
