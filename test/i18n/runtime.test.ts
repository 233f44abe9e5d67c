/**
 * The library's own localisation runtime (src/i18n/localization.ts) and the Intl formats
 * (src/i18n/format.ts): catalogs by language, placeholders by index, the region of a tag kept for
 * Intl, page-wide and scoped languages.
 */
import { expect } from '@open-wc/testing';

import { formatAge, formatCurrency, formatDate, formatDuration, formatNumber, formatRelativeTime, formatTime, plural, pluralCategory } from '../../src/i18n/format.js';
import { getChatLocale, getFormatLocale, loadLocale, localeInfo, matchLocale, msg, pageLocale, setChatLocale, str, withLocale } from '../../src/i18n/localization.js';

const at = (h: number, m: number) => new Date(2026, 10, 25, h, m).getTime();
const sv = localeInfo('sv');
const in_ = <T>(tag: string, fn: () => T): T => withLocale(localeInfo(tag), fn);

describe('localisation runtime', () => {
  before(async () => {
    await Promise.all((['sv', 'nb', 'da', 'de', 'fi'] as const).map((l) => loadLocale(l)));
  });
  after(async () => {
    await setChatLocale('en');
  });

  it('keeps the region of a tag for Intl and picks the catalog by language', () => {
    expect(localeInfo('sv-FI')).to.deep.equal({ locale: 'sv', tag: 'sv-FI' });
    expect(localeInfo('en_GB')).to.deep.equal({ locale: 'en', tag: 'en-GB' });
    expect(localeInfo('no')).to.deep.equal({ locale: 'nb', tag: 'no' });
    expect(localeInfo('nn-NO')).to.deep.equal({ locale: 'nb', tag: 'nn-NO' });
    // A language without a catalog reads English, and formats as English too (strings and formats agree).
    expect(localeInfo('ar-EG')).to.deep.equal({ locale: 'en', tag: 'en' });
    expect(localeInfo('not a tag!')).to.deep.equal({ locale: 'en', tag: 'en' });
    expect(localeInfo('')).to.deep.equal({ locale: 'en', tag: 'en' });
    expect(matchLocale('de-CH')).to.equal('de');
  });

  it('translates by id, fills placeholders by index, falls back to the English source', () => {
    // Real catalog entries: a plain string and one with two placeholders in another order.
    expect(withLocale(sv, () => msg('Send', { id: 'chat-composer.send' }))).to.equal('Skicka');
    const n = 2;
    const max = 4;
    expect(withLocale(sv, () => msg(str`${n} of ${max} chats`, { id: 'chat-window.load' }))).to.equal('2 av 4 chattar');
    expect(in_('de', () => msg(str`${n} of ${max} chats`, { id: 'chat-window.load' }))).to.equal('2 von 4 Chats');
    expect(msg(str`${n} of ${max} chats`, { id: 'chat-window.load' })).to.equal('2 of 4 chats');
    expect(withLocale(sv, () => msg(str`Unknown ${n}`, { id: 'no.such.id' }))).to.equal('Unknown 2');
  });

  it('scopes nest and restore; outside a scope the page-wide language applies', async () => {
    await setChatLocale('fi');
    expect(pageLocale()).to.deep.equal({ locale: 'fi', tag: 'fi' });
    expect(getChatLocale()).to.equal('fi');
    const inner = withLocale(sv, () => [getChatLocale(), in_('de-AT', () => [getChatLocale(), getFormatLocale()]), getChatLocale()]);
    expect(inner).to.deep.equal(['sv', ['de', 'de-AT'], 'sv']);
    expect(getChatLocale()).to.equal('fi');
    expect(() => withLocale(sv, () => {
      throw new Error('boom');
    })).to.throw('boom');
    expect(getChatLocale()).to.equal('fi');
    await setChatLocale('en');
  });

  it('formats times by the region: 12-hour in the US, 24-hour in Britain and the Nordics', () => {
    expect(in_('en', () => formatTime(at(9, 5)))).to.match(/^9:05\sAM$/);
    expect(in_('en-GB', () => formatTime(at(9, 5)))).to.equal('09:05');
    expect(in_('sv', () => formatTime(at(13, 31)))).to.equal('13:31');
    expect(in_('fi', () => formatTime(at(9, 5)))).to.equal('09.05');
    expect(in_('de-AT', () => formatTime(at(9, 5)))).to.equal('09:05');
  });

  it('formats dates, numbers and currencies by the region', () => {
    const day = new Date(2026, 10, 25).getTime();
    expect(in_('en', () => formatDate(day))).to.equal('Nov 25, 2026');
    expect(in_('en-GB', () => formatDate(day))).to.equal('25 Nov 2026');
    expect(in_('sv', () => formatDate(day))).to.equal('25 nov. 2026');
    expect(in_('en', () => formatNumber(1234567.5))).to.equal('1,234,567.5');
    expect(in_('de', () => formatNumber(1234567.5))).to.equal('1.234.567,5');
    expect(in_('de-CH', () => formatNumber(1234567.5))).to.match(/^1['’]234['’]567\.5$/);
    expect(in_('sv', () => formatCurrency(1200, 'SEK'))).to.equal('1\u00a0200\u00a0kr');
    expect(in_('en', () => formatCurrency(1200, 'EUR'))).to.equal('€1,200');
    expect(in_('fi', () => formatCurrency(1200, 'EUR'))).to.equal('1\u00a0200\u00a0€');
    expect(in_('en', () => formatCurrency(5, 'XYZ1'))).to.equal('5 XYZ1');
  });

  it('formats ages, relative times and durations through Intl', () => {
    const now = at(12, 0);
    expect(in_('en', () => formatAge(now - 20_000, now))).to.equal('now');
    expect(in_('sv', () => formatAge(now - 20_000, now))).to.equal('nu');
    expect(in_('de', () => formatAge(now - 5 * 60_000, now))).to.equal('5 Min.');
    expect(in_('en', () => formatAge(now - 3 * 3_600_000, now))).to.equal('3 hr');
    expect(in_('en', () => formatRelativeTime(now - 5 * 60_000, now))).to.equal('5 minutes ago');
    expect(in_('sv', () => formatRelativeTime(now - 3 * 3_600_000, now))).to.equal('för 3 timmar sedan');
    expect(in_('de', () => formatRelativeTime(now - 86_400_000, now))).to.equal('gestern');
    expect(in_('en', () => formatDuration(40_000))).to.equal('40 sec');
    expect(in_('sv', () => formatDuration(65 * 60_000))).to.match(/^1 tim,? 5 min$/);
  });

  it('chooses plural forms by the language’s rules', () => {
    expect(in_('en', () => [pluralCategory(1), pluralCategory(2), pluralCategory(0)])).to.deep.equal(['one', 'other', 'other']);
    expect(in_('fi', () => plural(1, { one: 'viesti', other: 'viestiä' }))).to.equal('viesti');
    expect(in_('fi', () => plural(5, { one: 'viesti', other: 'viestiä' }))).to.equal('viestiä');
    // Categories our languages do not use fall back to `other`.
    expect(in_('sv', () => plural(2, { one: 'ett', other: 'flera' }))).to.equal('flera');
  });
});
