/**
 * <chat-visitor>'s emoji button (as the agent's composer has one): the shared picker opens above
 * the widget's composer, keyboard and mouse insert at the caret, Escape returns to the button, and
 * the emoji reach the agent. Against the real reference server. Its own file, beside the widget's
 * main tests.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

import '../../src/components/chat-visitor/chat-visitor.js';
import type { ChatVisitor } from '../../src/components/chat-visitor/chat-visitor.js';
import type { ChatClient } from '../../src/state/index.js';
import { chatServer, loginAgent, testClient, until } from '../helpers/chat-server.js';

describe('<chat-visitor>: emoji', function () {
  this.timeout(60_000);
  const clients: ChatClient[] = [];

  afterEach(async () => {
    for (const c of clients.splice(0)) {
      for (const s of c.$mine.get()) await c.end(s.id).catch(() => undefined);
      c.destroy();
    }
    for (const el of document.querySelectorAll('chat-visitor')) el.remove();
    sessionStorage.clear();
  });

  it('opens the emoji picker above the composer, inserts at the caret, and the agent gets the text', async () => {
    const server = await chatServer();
    const el = await fixture<ChatVisitor>(html`<chat-visitor server-url=${server.url} tenant="demo"></chat-visitor>`);
    const root = el.shadowRoot!;
    root.querySelector<HTMLElement>('[part~="launcher"]')!.click();
    await until(() => root.querySelectorAll('.topic input[type="radio"]').length === 2, 'the start form');
    root.querySelector<HTMLInputElement>('.topic input[value="support"]')!.click();
    const name = root.querySelector<HTMLInputElement>('#name')!;
    name.value = 'Emoji Emma';
    name.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    await el.updateComplete;
    root.querySelector<HTMLElement>('[part~="start"]')!.click();
    const input = () => root.querySelector<HTMLTextAreaElement>('#input');
    await until(() => input() !== null && root.querySelector('[part~="emoji-button"]') !== null, 'the composer with its emoji button');

    const button = root.querySelector<HTMLElement>('[part~="emoji-button"]')!;
    expect(button.getAttribute('aria-label')).to.equal('Insert emoji');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    input()!.focus();
    await sendKeys({ type: 'Thanks !' });
    input()!.setSelectionRange(7, 7);

    // Keyboard: Enter on the button opens the grid on its first emoji; Enter inserts it at the caret.
    button.focus();
    await sendKeys({ press: 'Enter' });
    const panel = () => root.querySelector<HTMLElement>('#emoji-picker');
    await until(() => panel()?.matches(':popover-open') === true, 'the picker open');
    await until(() => root.activeElement?.id === 'emoji-0', 'focus on the first emoji');
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    // Above the composer, inside the window.
    await until(() => panel()!.dataset.placement !== undefined, 'placed');
    const composer = root.querySelector('.composer')!.getBoundingClientRect();
    const box = panel()!.getBoundingClientRect();
    if (panel()!.dataset.placement!.startsWith('top')) expect(box.bottom).to.be.at.most(composer.top + 1);
    else expect(box.top).to.be.at.least(composer.bottom - 1);
    expect(box.top).to.be.at.least(0);
    expect(box.bottom).to.be.at.most(window.innerHeight);
    await sendKeys({ press: 'Enter' });
    await until(() => input()!.value === 'Thanks 😀!', 'the emoji at the caret');
    await until(() => root.activeElement === input(), 'focus back in the message field');

    // Escape closes and returns focus to the button.
    button.click();
    await until(() => panel()?.matches(':popover-open') === true, 'open again');
    await until(() => root.activeElement?.id.startsWith('emoji-') === true, 'focus in the grid');
    await sendKeys({ press: 'Escape' });
    await until(() => panel()?.matches(':popover-open') !== true, 'closed');
    expect(root.activeElement).to.equal(button);
    expect(el.open).to.equal(true, 'Escape in the picker leaves the widget open');

    // Sent as text: the agent gets it.
    const agent = testClient(server, await loginAgent(server, 'erik'));
    clients.push(agent);
    agent.connect();
    await until(() => agent.$connection.get().status === 'live', 'agent live');
    input()!.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => agent.$queued.get().some((s) => s.customer.name === 'Emoji Emma'), 'the chat in the queue');
    const sessionId = agent.$queued.get().find((s) => s.customer.name === 'Emoji Emma')!.id;
    await agent.accept(sessionId);
    agent.openSession(sessionId);
    await until(() => agent.$messages.get()[sessionId]?.items.some((m) => m.text === 'Thanks 😀!') === true, 'the agent got the emoji');
  });
});
