/**
 * Localisation at run time (its own test page: the locale is global): clock times follow the
 * locale's clock, and elements render in Swedish after `setChatLocale('sv')`.
 */
import { expect, fixture, html } from '@open-wc/testing';

import '../../src/components/chat-composer/chat-composer.js';
import type { ChatComposer } from '../../src/components/chat-composer/chat-composer.js';
import { formatTime } from '../../src/i18n/common.js';
import { getChatLocale, matchLocale, setChatLocale } from '../../src/i18n/localization.js';
import { fixtureClient, session } from '../helpers/fixture-client.js';

const at = (h: number, m: number) => new Date(2026, 10, 25, h, m).getTime();

describe('localisation', () => {
  after(async () => {
    await setChatLocale('en');
  });

  it('English times use the 12-hour clock without a leading zero', async () => {
    await setChatLocale('en');
    expect(formatTime(at(9, 5))).to.match(/^9:05\sAM$/);
    expect(formatTime(at(13, 31))).to.match(/^1:31\sPM$/);
  });

  it('English times follow the region: en-GB and en-IE use the 24-hour clock, en-US the 12-hour one', async () => {
    await setChatLocale('en-GB');
    expect(getChatLocale()).to.equal('en');
    expect(formatTime(at(9, 5))).to.equal('09:05');
    expect(formatTime(at(13, 31))).to.equal('13:31');
    await setChatLocale('en-IE');
    expect(formatTime(at(13, 31))).to.equal('13:31');
    await setChatLocale('en-US');
    expect(formatTime(at(13, 31))).to.match(/^1:31\sPM$/);
    await setChatLocale('sv-SE');
    expect(formatTime(at(13, 31))).to.equal('13:31');
  });

  it('a page language without a region takes the region of the browser\'s language, when it is the same language', async () => {
    await setChatLocale('en');
    const browser = navigator.languages.find((l) => l.toLowerCase().startsWith('en-'));
    const expected = new Intl.DateTimeFormat(browser ?? 'en', { hour: 'numeric' }).resolvedOptions().hour12 === true ? /^1:31\sPM$/ : /^13:31$/;
    expect(formatTime(at(13, 31))).to.match(expected);
  });

  it('Swedish times use the 24-hour clock with two-digit hours', async () => {
    await setChatLocale('sv');
    expect(getChatLocale()).to.equal('sv');
    expect(formatTime(at(9, 5))).to.equal('09:05');
    expect(formatTime(at(13, 31))).to.equal('13:31');
  });

  it('elements render in Swedish once the locale is Swedish', async () => {
    await setChatLocale('sv');
    const { client } = await fixtureClient({ sessions: [session({ id: 's1' })] });
    const el = await fixture<ChatComposer>(html`<chat-composer .client=${client} session-id="s1" agent-tools allow-notes></chat-composer>`);
    const root = el.shadowRoot!;
    expect(root.querySelector('[part~="insert-button"]')!.textContent.trim()).to.equal('Infoga');
    expect(root.querySelector('[part~="send"]')!.textContent.trim()).to.equal('Skicka');
    expect(root.querySelector('textarea')!.placeholder).to.equal('Skriv ett svar… (/ för snabbsvar)');
    await expect(el).to.be.accessible();
    client.destroy();
  });

  it('Norwegian, Danish, German and Finnish load and render, each from its own chunk', async () => {
    const { client } = await fixtureClient({ sessions: [session({ id: 's1' })] });
    const expected = {
      nb: { insert: 'Sett inn', send: 'Send', placeholder: 'Skriv et svar… (/ for hurtigsvar)' },
      da: { insert: 'Indsæt', send: 'Send', placeholder: 'Skriv et svar… (/ for hurtigsvar)' },
      de: { insert: 'Einfügen', send: 'Senden', placeholder: 'Antwort schreiben… (/ für Schnellantworten)' },
      fi: { insert: 'Lisää', send: 'Lähetä', placeholder: 'Kirjoita vastaus… (/ pikavastauksille)' },
    };
    for (const [locale, text] of Object.entries(expected)) {
      await setChatLocale(locale);
      expect(getChatLocale()).to.equal(locale);
      const el = await fixture<ChatComposer>(html`<chat-composer .client=${client} session-id="s1" agent-tools allow-notes></chat-composer>`);
      const root = el.shadowRoot!;
      expect(root.querySelector('[part~="insert-button"]')!.textContent.trim()).to.equal(text.insert);
      expect(root.querySelector('[part~="send"]')!.textContent.trim()).to.equal(text.send);
      expect(root.querySelector('textarea')!.placeholder).to.equal(text.placeholder);
      expect(formatTime(at(9, 5))).to.match(/^09[.:]05$/);
    }
    client.destroy();
  });

  it('matches BCP 47 tags to the languages (Norwegian and Nynorsk read Bokmål)', () => {
    expect(matchLocale('nb-NO')).to.equal('nb');
    expect(matchLocale('no')).to.equal('nb');
    expect(matchLocale('nn')).to.equal('nb');
    expect(matchLocale('da-DK')).to.equal('da');
    expect(matchLocale('de-AT')).to.equal('de');
    expect(matchLocale('fi_FI')).to.equal('fi');
    expect(matchLocale('sv-FI')).to.equal('sv');
    expect(matchLocale('fr')).to.equal('en');
  });
});
