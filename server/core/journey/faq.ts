/**
 * FAQ suggestions before a chat starts: the three published FAQs (shared FAQ entries of the reply
 * library, offered in the channel) that best match the customer's first message, in the widget's
 * language (English ones when that language has none). Matching is by words: accents and case
 * folded, short and common words ignored, a word in the title counting twice, a word that starts
 * a longer one (return → returns) or shares its first five letters (ordered, orders) counting
 * as a match.
 */
import type { ChannelLanguage } from '../../../src/protocol/channel-settings.js';
import type { SqlPort } from '../sql.js';

export interface FaqSuggestion {
  id: string;
  title: string;
  text: string;
  /** Absolute URL of the FAQ page (the caller resolves stored paths). */
  url: string;
}

/** Words that say nothing about the topic, in the languages with FAQs. */
const STOP = new Set(
  'the and for with you your can how what when where why who does did has have are was were will would could should this that there from into about our out get got not but all any its it is to of in on at be or an my me we i do a är och för med du din kan hur vad när var varför vem har inte men alla den det de en ett som till av på att jag vi mitt min mina om så ni'.split(
    ' ',
  ),
);

/** Folded words of a text: lower case, accents gone, at least three letters, stop words out. */
export function words(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 3 && !STOP.has(w));
}

function score(query: readonly string[], title: readonly string[], body: readonly string[]): number {
  // The same word, one a prefix of the other (return, returns), or the same first five letters (ordered, orders).
  const hit = (w: string, list: readonly string[]) =>
    list.some((x) => x === w || (w.length >= 4 && x.length >= 4 && (x.startsWith(w) || w.startsWith(x))) || (w.length >= 5 && x.length >= 5 && w.slice(0, 5) === x.slice(0, 5)));
  let s = 0;
  for (const w of new Set(query)) {
    if (hit(w, title)) s += 2;
    else if (hit(w, body)) s += 1;
  }
  return s;
}

/**
 * The best three matches (score > 0) among the tenant's shared FAQs offered in `channelId`, in
 * `language`; the English ones when that language has no FAQ at all.
 */
export function faqSuggestions(db: SqlPort, tenantId: string, channelId: string, language: ChannelLanguage, message: string, limit = 3): FaqSuggestion[] {
  const query = words(message);
  if (query.length === 0) return [];
  const rows = db.all<{ id: string; title: string; text: string; url: string | null; language: string; channel_ids: string | null }>(
    "SELECT id, title, text, url, language, channel_ids FROM replies WHERE tenant_id = ? AND kind = 'faq' AND owner_id IS NULL AND url IS NOT NULL",
    [tenantId],
  );
  const inChannel = rows.filter((r) => {
    if (r.channel_ids === null) return true;
    try {
      return (JSON.parse(r.channel_ids) as unknown[]).includes(channelId);
    } catch {
      return false;
    }
  });
  const own = inChannel.filter((r) => r.language === language);
  const pool = own.length > 0 ? own : inChannel.filter((r) => r.language === 'en');
  return pool
    .map((r) => ({ r, s: score(query, words(r.title), words(r.text)) }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s || a.r.title.localeCompare(b.r.title))
    .slice(0, limit)
    .map(({ r }) => ({ id: r.id, title: r.title, text: r.text, url: r.url ?? '' }));
}
