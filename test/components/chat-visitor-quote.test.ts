/**
 * chat-visitor: the customer quotes a message in their reply (issue 18), against the real
 * reference server: Quote on a message (keyboard), the quote above the text area with Remove,
 * focus in the text area, the reply carrying it to the agent (the server's quote: author, excerpt),
 * the quote shown above the customer's own message, markup as text; no Quote after the end;
 * Swedish; axe in each state.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

import '../../src/components/chat-visitor/chat-visitor.js';
import type { ChatVisitor } from '../../src/components/chat-visitor/chat-visitor.js';
import { setChatLocale } from '../../src/i18n/localization.js';
import { announcerText } from '../../src/internal/announcer.js';
import type { ChatClient } from '../../src/state/index.js';
import type { ServerInfo } from '../helpers/chat-server.js';
import { chatServer, letChatsWaitWithoutAgents, loginAgent, testClient, until } from '../helpers/chat-server.js';

const HOSTILE = 'Order <img src=x onerror=window.__pwnedQuote=1> left today.';

describe('<chat-visitor>: quote a message in the reply (real server)', function () {
  this.timeout(60_000);
  let server: ServerInfo;
  let undoWaiting: () => Promise<void>;
  const clients: ChatClient[] = [];
  const agents: { client: ChatClient; sessionId: string }[] = [];

  before(async () => {
    server = await chatServer();
    undoWaiting = await letChatsWaitWithoutAgents(server);
  });

  after(async () => {
    await undoWaiting();
  });

  beforeEach(() => {
    sessionStorage.clear();
  });

  afterEach(async () => {
    for (const a of agents.splice(0)) await a.client.end(a.sessionId).catch(() => undefined);
    for (const c of clients.splice(0)) c.destroy();
    for (const el of document.querySelectorAll('chat-visitor')) el.remove();
    sessionStorage.clear();
    delete (window as { __pwnedQuote?: unknown }).__pwnedQuote;
    await setChatLocale('en');
  });

  const q = (el: ChatVisitor, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);
  const qa = (el: ChatVisitor, selector: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
  const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

  /** The widget starts a Support chat; Erik answers and writes `first`. */
  async function activeChat(first: string) {
    const el = await fixture<ChatVisitor>(html`<chat-visitor server-url=${server.url} tenant="demo" channel="support"></chat-visitor>`);
    await until(() => !q(el, '.base')!.hasAttribute('data-look-pending'), 'launcher shown');
    q(el, '[part~="launcher"]')!.click();
    await until(() => q(el, '[part~="start"]') !== null, 'form');
    const name = q(el, '#name') as HTMLInputElement | null;
    if (name) {
      name.value = 'Quinn';
      name.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    }
    await el.updateComplete;
    q(el, '[part~="start"]')!.click();
    const key = `crm-chat-visitor|${server.url}|demo`;
    await until(() => sessionStorage.getItem(key) !== null, 'chat started');
    const { sessionId } = JSON.parse(sessionStorage.getItem(key)!) as { sessionId: string };
    const token = await loginAgent(server, 'erik');
    const agent = testClient(server, token);
    clients.push(agent);
    agent.connect();
    await until(() => agent.$queued.get().some((s) => s.id === sessionId), 'chat on the agent board');
    await agent.accept(sessionId);
    agents.push({ client: agent, sessionId });
    agent.openSession(sessionId);
    await until(() => agent.$messages.get()[sessionId]?.ready === true, 'agent follows');
    await agent.send(sessionId, first);
    await until(() => text(qa(el, '[part~="message--agent"]').at(-1)).includes(first.slice(0, 10)), 'agent message shown');
    return { el, agent, sessionId };
  }

  it('Quote (keyboard) puts the message above the text area; the reply carries it; it shows above the reply', async () => {
    const { el, agent, sessionId } = await activeChat(HOSTILE);
    const message = qa(el, '[part~="message--agent"]').at(-1)!;
    const quote = message.querySelector<HTMLButtonElement>('[part~="quote-action"]')!;
    expect(text(quote)).to.equal('Quote');
    quote.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => q(el, '[part~="composer-quote"]') !== null, 'quote in the composer');
    const input = q(el, '#input')!;
    await until(() => el.shadowRoot!.activeElement === input, 'focus in the text area');
    expect(text(q(el, '[part~="composer-quote"] [part~="quote-author"]'))).to.equal('Erik Johansson');
    expect(text(q(el, '[part~="composer-quote"] [part~="quote-text"]'))).to.equal(HOSTILE);
    expect(text(q(el, '[part~="composer-quote"] .visually-hidden'))).to.equal('Replying to');
    expect(q(el, '[part~="composer-quote"] img')).to.equal(null);
    await until(() => announcerText().polite.includes('Quote added to your message.'), 'announced');
    await expect(el).to.be.accessible();

    await sendKeys({ type: 'When will it arrive?' });
    await sendKeys({ press: 'Enter' });
    await until(() => q(el, '[part~="composer-quote"]') === null, 'quote gone from the composer');
    // The agent gets the server's quote of Erik's message.
    await until(() => agent.$messages.get()[sessionId]?.items.some((m) => m.text === 'When will it arrive?' && m.quote !== undefined) === true, 'agent got the quote');
    const reply = agent.$messages.get()[sessionId]!.items.find((m) => m.text === 'When will it arrive?')!;
    expect(reply.quote!.author.name).to.equal('Erik Johansson');
    expect(reply.quote!.excerpt).to.equal(HOSTILE);
    // The widget shows the quote above the customer's own message, as text.
    await until(() => qa(el, '[part~="message--customer"] [part~="quote"]').length === 1, 'quote above the reply');
    const shown = qa(el, '[part~="message--customer"]').find((m) => m.querySelector('[part~="quote"]'))!;
    expect(text(shown.querySelector('[part~="quote-text"]'))).to.equal(HOSTILE);
    expect(shown.querySelector('img')).to.equal(null);
    expect((window as { __pwnedQuote?: unknown }).__pwnedQuote).to.equal(undefined);
    await expect(el).to.be.accessible();
  });

  it('Remove takes the quote away (focus back in the text area); no Quote once the chat has ended', async () => {
    const { el, agent, sessionId } = await activeChat('Anything else?');
    qa(el, '[part~="message--agent"]').at(-1)!.querySelector<HTMLButtonElement>('[part~="quote-action"]')!.click();
    await until(() => q(el, '[part~="quote-remove"]') !== null, 'quote shown');
    const remove = q(el, '[part~="quote-remove"]')!;
    expect(remove.getAttribute('aria-label')).to.equal('Remove the quote');
    remove.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => q(el, '[part~="composer-quote"]') === null, 'removed');
    expect(el.shadowRoot!.activeElement).to.equal(q(el, '#input'));
    await until(() => announcerText().polite.includes('Quote removed.'), 'announced');
    await agent.end(sessionId);
    await until(() => el.hasCustomState('ended'), 'ended');
    expect(qa(el, '[part~="quote-action"]')).to.have.length(0);
  });

  it('speaks Swedish', async () => {
    await setChatLocale('sv');
    const { el } = await activeChat('Hej!');
    const quote = qa(el, '[part~="message--agent"]').at(-1)!.querySelector<HTMLButtonElement>('[part~="quote-action"]')!;
    expect(text(quote)).to.equal('Citera');
    quote.click();
    await until(() => q(el, '[part~="quote-remove"]') !== null, 'quote shown');
    expect(q(el, '[part~="quote-remove"]')!.getAttribute('aria-label')).to.equal('Ta bort citatet');
    expect(text(q(el, '[part~="composer-quote"] .visually-hidden'))).to.equal('Svarar på');
  });
});
