/**
 * Quoting a message in the composer (issue 18): `quoteMessage()` shows the quote above the text
 * area (author, excerpt as text, a Remove button), focus goes to the text area, the next send
 * carries the reference (`quote.messageId`) and the quote goes; it is kept per chat; a note cannot be
 * quoted in a reply to the customer (said before sending), but can in a note.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

import '../../src/components/chat-composer/chat-composer.js';
import type { ChatComposer } from '../../src/components/chat-composer/chat-composer.js';
import { announcerText } from '../../src/internal/announcer.js';
import { until } from '../helpers/chat-server.js';
import { chatMessage, fixtureClient, session } from '../helpers/fixture-client.js';

const ANN = { kind: 'agent' as const, id: 'ann', name: 'Ann Agent' };

async function setup() {
  const { client, fake } = await fixtureClient({ sessions: [session({ id: 's1' }), session({ id: 's2' })] });
  const el = await fixture<ChatComposer>(html`<chat-composer .client=${client} session-id="s1" allow-notes agent-tools label="Message to Kim"></chat-composer>`);
  const root = el.shadowRoot!;
  const part = (name: string) => root.querySelector<HTMLElement>(`[part~="${name}"]`);
  const input = () => root.querySelector('textarea')!;
  return { client, fake, el, root, part, input };
}

describe('chat-composer: quote a message', () => {
  it('shows the quote above the text area as text, focuses the text area, and is accessible', async () => {
    const s = await setup();
    s.el.quoteMessage(chatMessage('s1', 3, { text: 'My order   <b>#42</b>\nnever came' }));
    await s.el.updateComplete;
    const quote = s.part('quote')!;
    expect(s.part('quote-author')!.textContent).to.equal('Kim');
    expect(s.part('quote-text')!.textContent).to.equal('My order <b>#42</b> never came');
    expect(quote.querySelector('b')).to.equal(null, 'never markup');
    expect(quote.compareDocumentPosition(s.input()) & Node.DOCUMENT_POSITION_FOLLOWING).to.not.equal(0, 'above the text area');
    expect(s.root.activeElement).to.equal(s.input());
    await until(() => announcerText().polite.includes('Quote added to your reply.'), 'announced');
    const remove = s.part('quote-remove')!;
    expect(remove.getAttribute('aria-label')).to.equal('Remove the quote');
    const box = remove.getBoundingClientRect();
    expect(box.width >= 24 && box.height >= 24).to.equal(true);
    await expect(s.el).to.be.accessible();
  });

  it('sends the reference with the next message, then the quote goes', async () => {
    const s = await setup();
    s.el.quoteMessage(chatMessage('s1', 3, { text: 'Where is it?' }));
    await s.el.updateComplete;
    await sendKeys({ type: 'On its way' });
    await sendKeys({ press: 'Enter' });
    await until(() => s.fake.sent('send').length === 1, 'sent');
    expect(s.fake.sent('send')[0]).to.deep.include({ sessionId: 's1', text: 'On its way', kind: 'text', quote: { messageId: 's1-m3' } });
    await until(() => s.part('quote') === null, 'quote gone');
    await sendKeys({ type: 'And another' });
    await sendKeys({ press: 'Enter' });
    await until(() => s.fake.sent('send').length === 2, 'sent again');
    expect(s.fake.sent('send')[1]).to.not.have.property('quote');
  });

  it('Remove takes the quote away with the keyboard and returns focus to the text area', async () => {
    const s = await setup();
    s.el.quoteMessage(chatMessage('s1', 3, { text: 'Where is it?' }));
    await s.el.updateComplete;
    s.part('quote-remove')!.focus();
    await sendKeys({ press: 'Enter' });
    await s.el.updateComplete;
    expect(s.part('quote')).to.equal(null);
    expect(s.root.activeElement).to.equal(s.input());
    await until(() => announcerText().polite.includes('Quote removed.'), 'announced');
  });

  it('keeps the quote per chat, and ignores a message of another chat', async () => {
    const s = await setup();
    s.el.quoteMessage(chatMessage('s1', 3, { text: 'First chat' }));
    s.el.quoteMessage(chatMessage('s2', 1, { text: 'Other chat' }));
    await s.el.updateComplete;
    expect(s.part('quote-text')!.textContent).to.equal('First chat');
    s.el.sessionId = 's2';
    await s.el.updateComplete;
    expect(s.part('quote')).to.equal(null);
    s.el.sessionId = 's1';
    await s.el.updateComplete;
    expect(s.part('quote-text')!.textContent).to.equal('First chat');
  });

  it('a note cannot be quoted in a reply (says why), but goes with a note', async () => {
    const s = await setup();
    s.el.quoteMessage(chatMessage('s1', 4, { kind: 'note', author: ANN, text: 'Refund approved' }));
    await s.el.updateComplete;
    await sendKeys({ type: 'Good news' });
    await sendKeys({ press: 'Enter' });
    await s.el.updateComplete;
    expect(s.fake.sent('send')).to.have.length(0);
    const send = s.part('send')!;
    expect(send.getAttribute('aria-disabled')).to.equal('true');
    expect(s.part('reason')!.textContent.trim()).to.equal('A note cannot be quoted to the customer. Write a note, or remove the quote.');
    expect(s.input().getAttribute('aria-describedby')).to.include('reason');
    s.el.setMode('note');
    await s.el.updateComplete;
    expect(send.getAttribute('aria-disabled')).to.equal('false');
    await sendKeys({ press: 'Enter' });
    await until(() => s.fake.sent('send').length === 1, 'sent as a note');
    expect(s.fake.sent('send')[0]).to.deep.include({ kind: 'note', quote: { messageId: 's1-m4' } });
  });
});
