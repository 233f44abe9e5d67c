/**
 * <chat-visitor>: the first message typed at once after "Start chat" always goes, also while the
 * chat's client is still loading (its modules are loaded on demand: held here by the dev server,
 * as a slow network would). Its own file: the page must not have loaded those modules before.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';

import '../../src/components/chat-visitor/chat-visitor.js';
import type { ChatVisitor } from '../../src/components/chat-visitor/chat-visitor.js';
import { letChatsWaitWithoutAgents } from '../helpers/chat-server.js';

/** Waits until `check` holds (polled each frame), or fails naming `what`. */
async function until(check: () => boolean, what: string, timeout = 10_000): Promise<void> {
  const deadline = performance.now() + timeout;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise(requestAnimationFrame);
  }
}

const HELD = '/src/components/chat-visitor/visitor-files';

describe('<chat-visitor>: the first message while the chat starts', function () {
  this.timeout(60_000);

  let undoWaiting: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await executeServerCommand('module-release', { path: HELD });
    await undoWaiting?.();
    undoWaiting = undefined;
    for (const el of document.querySelectorAll('chat-visitor')) el.remove();
    sessionStorage.clear();
  });

  it('is queued, shown as waiting, and sent exactly once when the chat is ready', async () => {
    const { url } = await executeServerCommand<{ url: string }, undefined>('chat-server');
    // No agent is online: the chat waits in the queue instead of the offline form.
    undoWaiting = await letChatsWaitWithoutAgents({ url });
    await executeServerCommand('module-hold', { path: HELD });
    const el = await fixture<ChatVisitor>(html`<chat-visitor server-url=${url} tenant="demo"></chat-visitor>`);
    const root = el.shadowRoot!;
    root.querySelector<HTMLElement>('[part~="launcher"]')!.click();
    await until(() => root.querySelectorAll('.topic input[type="radio"]').length === 2, 'the start form');
    await el.updateComplete;
    const name = root.querySelector<HTMLInputElement>('#name')!;
    name.value = 'Early Bird';
    name.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    await el.updateComplete;
    root.querySelector<HTMLElement>('[part~="start"]')!.click();
    const input = () => root.querySelector<HTMLTextAreaElement>('#input');
    await until(() => input() !== null, 'the composer');
    input()!.focus();
    await sendKeys({ type: 'Hello, are you there?' });
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(input()!.value).to.equal('', 'the text left the box');
    const bubbles = () => [...root.querySelectorAll('[part~="message--customer"] [part~="bubble"]')].map((b) => b.textContent.trim());
    // Kept in the outbox (IndexedDB) first, then shown: wait for that, not for a fixed time.
    await until(() => bubbles().length > 0, 'shown while the chat starts');
    expect(bubbles()).to.deep.equal(['Hello, are you there?'], 'shown while the chat starts');
    expect(root.querySelector('[part~="message--pending"]')).to.not.equal(null, 'as pending');

    await executeServerCommand('module-release', { path: HELD });
    await until(() => root.querySelector('[part~="message--pending"]') === null && bubbles().length > 0, 'confirmed by the server');
    expect(bubbles()).to.deep.equal(['Hello, are you there?'], 'sent exactly once');
  });
});
