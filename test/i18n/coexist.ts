/**
 * Shared checks of the coexistence tests: the host page's @lit/localize and the library's
 * strings, each in its own language, on one page.
 */
import { expect, fixture, html } from '@open-wc/testing';

import type { ChatComposer } from '../../src/components/chat-composer/chat-composer.js';
import { setChatLocale } from '../../src/i18n/localization.js';
import { fixtureClient, session } from '../helpers/fixture-client.js';

interface HostLocalize {
  getLocale: () => string;
  setLocale: (locale: string) => Promise<void>;
}

const sendText = (el: ChatComposer) => el.shadowRoot!.querySelector('[part~="send"]')!.textContent.trim();

export async function checkCoexistence(host: HostLocalize, hostGreeting: () => string): Promise<void> {
  await host.setLocale('sv');
  expect(hostGreeting()).to.equal('Hej från värdsidan');

  await setChatLocale('de');
  const { client } = await fixtureClient({ sessions: [session({ id: 's1' })] });
  const page = await fixture<ChatComposer>(html`<chat-composer .client=${client} session-id="s1"></chat-composer>`);
  const finnish = await fixture<ChatComposer>(html`<chat-composer .client=${client} session-id="s1" lang="fi"></chat-composer>`);
  await Promise.all([page.updateComplete, finnish.updateComplete]);
  // Wait for the Finnish catalog if it was not there yet (the element re-renders when it arrives).
  for (let i = 0; i < 50 && sendText(finnish) !== 'Lähetä'; i += 1) await new Promise((r) => requestAnimationFrame(r));
  expect(sendText(page)).to.equal('Senden');
  expect(sendText(finnish)).to.equal('Lähetä');

  // The library never touched the host's locale, and the host's switch does not move the library.
  expect(host.getLocale()).to.equal('sv');
  expect(hostGreeting()).to.equal('Hej från värdsidan');
  await host.setLocale('en');
  expect(hostGreeting()).to.equal('Hello from the host page');
  page.requestUpdate();
  await page.updateComplete;
  expect(sendText(page)).to.equal('Senden');
  await setChatLocale('en');
  await page.updateComplete;
  expect(sendText(page)).to.equal('Send');
  client.destroy();
}
