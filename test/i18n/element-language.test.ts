/**
 * The language of each element: its own `lang`, one around it (also across shadow roots), the
 * page-wide setChatLocale(), or `<html lang>`; the region of the tag in its formats; the `lang`
 * it marks itself with for assistive technology.
 */
import { expect, fixture, html } from '@open-wc/testing';

import '../../src/components/chat-composer/chat-composer.js';
import '../../src/components/chat-conversation/chat-conversation.js';
import '../../src/components/chat-message-list/chat-message-list.js';
import type { ChatComposer } from '../../src/components/chat-composer/chat-composer.js';
import type { ChatConversation } from '../../src/components/chat-conversation/chat-conversation.js';
import type { ChatMessageList } from '../../src/components/chat-message-list/chat-message-list.js';
import { setChatLocale } from '../../src/i18n/localization.js';
import { until } from '../helpers/chat-server.js';
import { chatMessage, fixtureClient, NOW, session } from '../helpers/fixture-client.js';

const sendText = (el: ChatComposer) => el.shadowRoot!.querySelector('[part~="send"]')?.textContent.trim();
/** Waits until `read()` gives `want` (a catalog may still be loading: the element re-renders when it is there). */
const eventually = (read: () => unknown, want: unknown, what: string) =>
  until(() => (want instanceof RegExp ? want.test(String(read())) : read() === want), `${what}: ${String(read())} → ${String(want)}`);

describe('the language of each element', () => {
  beforeEach(async () => {
    await setChatLocale('en');
  });
  afterEach(async () => {
    document.documentElement.lang = 'en';
    await setChatLocale('en');
  });

  it('follows its own lang, one around it, and the page-wide language, side by side', async () => {
    const { client } = await fixtureClient({ sessions: [session({ id: 's1' })] });
    const box = await fixture<HTMLElement>(html`<div>
      <chat-composer id="plain" .client=${client} session-id="s1"></chat-composer>
      <chat-composer id="sv" lang="sv" .client=${client} session-id="s1"></chat-composer>
      <div lang="de"><chat-composer id="de" .client=${client} session-id="s1"></chat-composer></div>
    </div>`);
    const [plain, sv, de] = ['plain', 'sv', 'de'].map((id) => box.querySelector<ChatComposer>(`#${id}`)!);
    await eventually(() => sendText(sv!), 'Skicka', 'own lang');
    await eventually(() => sendText(de!), 'Senden', 'lang around it');
    expect(sendText(plain!)).to.equal('Send');

    // The page-wide language moves the element without a lang, not the others.
    await setChatLocale('fi');
    await eventually(() => sendText(plain!), 'Lähetä', 'page-wide');
    expect(sendText(sv!)).to.equal('Skicka');
    expect(sendText(de!)).to.equal('Senden');

    // Changing lang later re-renders: on the element, and on the container around it.
    sv!.setAttribute('lang', 'de');
    await eventually(() => sendText(sv!), 'Senden', 'changed own lang');
    de!.parentElement!.setAttribute('lang', 'sv');
    await eventually(() => sendText(de!), 'Skicka', 'changed lang around it');
    sv!.removeAttribute('lang');
    await eventually(() => sendText(sv!), 'Lähetä', 'lang removed: page-wide again');
    client.destroy();
  });

  it('passes its language to the elements inside it (across shadow roots)', async () => {
    const { client } = await fixtureClient({ sessions: [session({ id: 's1' })] });
    const el = await fixture<ChatConversation>(html`<chat-conversation lang="de" .client=${client} session-id="s1"></chat-conversation>`);
    const composer = () => el.shadowRoot!.querySelector<ChatComposer>('chat-composer');
    await until(() => composer() !== null, 'composer inside');
    await eventually(() => sendText(composer()!), 'Senden', 'inner element');
    el.lang = 'sv';
    await eventually(() => sendText(composer()!), 'Skicka', 'inner element after a change');
    client.destroy();
  });

  it('takes <html lang> when nothing else is set, and follows its changes', async () => {
    const { client } = await fixtureClient({ sessions: [session({ id: 's1' })] });
    await setChatLocale(null);
    document.documentElement.lang = 'de-AT';
    const el = await fixture<ChatComposer>(html`<chat-composer .client=${client} session-id="s1"></chat-composer>`);
    await eventually(() => sendText(el), 'Senden', 'html lang');
    document.documentElement.lang = 'sv';
    await eventually(() => sendText(el), 'Skicka', 'html lang changed');
    client.destroy();
  });

  it('marks itself with the language it shows, and leaves an author’s lang alone', async () => {
    const { client } = await fixtureClient({ sessions: [session({ id: 's1' })] });
    await setChatLocale('sv');
    const marked = await fixture<ChatComposer>(html`<chat-composer .client=${client} session-id="s1"></chat-composer>`);
    await eventually(() => marked.getAttribute('lang'), 'sv', 'marked lang');
    await setChatLocale('de');
    await eventually(() => marked.getAttribute('lang'), 'de', 'mark follows');
    const own = await fixture<ChatComposer>(html`<chat-composer lang="sv-FI" .client=${client} session-id="s1"></chat-composer>`);
    await eventually(() => sendText(own), 'Skicka', 'sv-FI reads Swedish');
    expect(own.getAttribute('lang')).to.equal('sv-FI');
    await expect(marked).to.be.accessible();
    client.destroy();
  });

  it('formats times with the region of its tag (en: 12-hour clock, en-GB: 24-hour)', async () => {
    const at = new Date(2026, 10, 25, 9, 5).getTime();
    const { client } = await fixtureClient({
      sessions: [session({ id: 's1', customer: { name: 'Kim' } })],
      messages: { s1: [chatMessage('s1', 1, { text: 'Hello', at })] },
    });
    client.openSession('s1');
    await until(() => client.$messages.get().s1?.ready === true, 'ready');
    const times = async (lang: string) => {
      const el = await fixture<ChatMessageList>(html`<chat-message-list lang=${lang} style="height: 300px" .client=${client} session-id="s1" label="Messages"></chat-message-list>`);
      const time = () => el.shadowRoot!.querySelector('time')?.textContent.trim();
      await until(() => time() !== undefined, 'a time');
      return time;
    };
    const us = await times('en-US');
    await eventually(us, /^9:05\sAM$/, 'en-US');
    const gb = await times('en-GB');
    await eventually(gb, '09:05', 'en-GB');
    const fi = await times('fi');
    await eventually(fi, '09.05', 'fi');
    expect(NOW).to.be.greaterThan(at);
    client.destroy();
  });
});
