/**
 * The local ranking of reply suggestions (src/state/reply-ranking.ts): words by the language's
 * rules, accents folded, stop words dropped, light stemming, rarer words counting more, the title
 * over the text, an unfinished last word as a prefix, and the agent's use and recency breaking ties.
 */
import { expect } from '@open-wc/testing';

import { foldText, rankReplies, stemWord, terms, type RankedReply } from '../../src/state/reply-ranking.js';

const NOW = Date.UTC(2026, 11, 7, 12);
const DAY = 24 * 60 * 60 * 1000;

function reply(id: string, title: string, text: string, extra: Partial<RankedReply> = {}): RankedReply {
  return { id, kind: 'quick-reply', title, text, shortcut: null, language: 'en', favourite: false, lastUsedAt: null, useCount: 0, ...extra };
}

const LIBRARY = [
  reply('refund', 'Refund policy', 'You can return an item within 30 days and we refund the full amount.'),
  reply('delivery', 'Delivery times', 'Orders are delivered within 2–4 working days.'),
  reply('password', 'Reset your password', 'Use the "Forgot password" link on the sign-in page.'),
  reply('hello', 'Greeting', 'Hello! How can I help you today?'),
  reply('aterbetalning', 'Återbetalning', 'Du får pengarna tillbaka inom 5 bankdagar.', { language: 'sv' }),
  reply('leverans', 'Leveranstider', 'Leveransen tar 2–4 arbetsdagar.', { language: 'sv' }),
];

const ids = (text: string, options: Parameters<typeof rankReplies>[2] = {}) => rankReplies(text, LIBRARY, { now: NOW, ...options }).map((s) => s.reply.id);

describe('reply ranking', () => {
  it('folds case, accents and ligatures in the language', () => {
    expect(foldText('Återbetalning ÖVER Straße Æble Søren', 'sv')).to.equal('aterbetalning over strasse aeble soren');
    expect(foldText('İstanbul', 'tr')).to.equal('istanbul');
  });

  it('cuts common endings, never below three letters, never in numbers', () => {
    expect(['refunds', 'refunded', 'refunding'].map((w) => stemWord(w, 'en'))).to.deep.equal(['refund', 'refund', 'refund']);
    expect(stemWord('leveransen', 'sv')).to.equal('leverans');
    expect(stemWord('bus', 'en')).to.equal('bus');
    expect(stemWord('4411s', 'en')).to.equal('4411s');
  });

  it('drops stop words and one-letter words', () => {
    expect(terms('Hi, I want a refund for my orders', 'en')).to.deep.equal(['want', 'refund', 'order']);
    expect(terms('Hej, jag vill ha återbetalning på min order', 'sv')).to.deep.equal(['vill', 'ha', 'aterbetalning', 'ord']);
  });

  it('finds the reply that shares the customer\'s words, title first', () => {
    expect(ids('Can I get my money refunded?')[0]).to.equal('refund');
    expect(ids('When will my order be delivered?')[0]).to.equal('delivery');
    expect(ids('I forgot my password')[0]).to.equal('password');
  });

  it('matches across accents and endings in Swedish', () => {
    expect(ids('Hur lång tid tar leveransen?', { locale: 'sv' })[0]).to.equal('leverans');
    expect(ids('Jag vill ha aterbetalningen', { locale: 'sv' })[0]).to.equal('aterbetalning');
  });

  it('suggests nothing for text that shares no word with the library', () => {
    expect(ids('Hello, thanks!')).to.deep.equal([]);
    expect(ids('xylophone')).to.deep.equal([]);
    expect(ids('')).to.deep.equal([]);
  });

  it('matches the unfinished last word as a prefix while the customer types', () => {
    expect(ids('my passw')).to.deep.equal([]);
    expect(ids('my passw', { partial: true })).to.deep.equal(['password']);
  });

  it('prefers the reply the agent used more, and more recently, when the words match alike', () => {
    const a = reply('a', 'Opening hours', 'We are open 9–17.');
    const b = reply('b', 'Opening hours (weekend)', 'We are open 10–14 on Saturdays.', { useCount: 12, lastUsedAt: NOW - DAY });
    expect(rankReplies('What are your opening hours?', [a, b], { now: NOW }).map((s) => s.reply.id)).to.deep.equal(['b', 'a']);
    const c = reply('c', 'Opening hours', 'We are open 9–17.', { lastUsedAt: NOW - 60 * DAY, useCount: 1 });
    const d = reply('d', 'Opening hours', 'We are open 9–17.', { lastUsedAt: NOW - DAY, useCount: 1 });
    expect(rankReplies('opening hours', [c, d], { now: NOW }).map((s) => s.reply.id)).to.deep.equal(['d', 'c']);
  });

  it('weighs rare words over common ones, and keeps to the limit', () => {
    const common = Array.from({ length: 8 }, (_, i) => reply(`o${String(i)}`, `Order ${String(i)}`, 'About your order.'));
    const rare = reply('invoice', 'Invoice copy', 'We send a copy of the invoice.');
    const ranked = rankReplies('order invoice', [...common, rare], { now: NOW, limit: 3 });
    expect(ranked).to.have.length(3);
    expect(ranked[0]!.reply.id).to.equal('invoice');
  });
});
