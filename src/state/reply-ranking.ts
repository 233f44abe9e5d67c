/**
 * Reply suggestions (issue 18): the replies of the library (quick replies, templates, FAQs) that
 * best match what the customer writes, ranked here in the browser; nothing leaves the console.
 *
 * Text is cut into words with the language's rules (`Intl.Segmenter`), folded (lower case in the
 * language, accents and ligatures off: "Återbetalning" ~ "aterbetalning", "Straße" ~ "strasse"),
 * stop words dropped and endings cut ("stemming-light": "refunds", "refunded" ~ "refund";
 * "leveransen" ~ "leverans"). A reply scores by the words it shares with the customer's text,
 * rarer words counting more (inverse document frequency over the library), its title twice its
 * text, the customer's last, unfinished word as a prefix; then a little for the agent's own use
 * (how often, how recently), favourites and the chat's language. A reply sharing no word scores 0
 * and is never suggested.
 */
import type { Reply } from '../protocol/replies.js';

/** What the ranking reads of a reply. */
export type RankedReply = Pick<Reply, 'id' | 'kind' | 'title' | 'text' | 'shortcut' | 'language' | 'favourite' | 'lastUsedAt' | 'useCount'>;

export interface RankOptions {
  /** The chat's language (BCP 47): word rules, folding, stop words, endings; a reply in it gets a little more. */
  locale?: string | undefined;
  /** At most this many (default 3). */
  limit?: number | undefined;
  /** The time now, for recency (default `Date.now()`). */
  now?: number | undefined;
  /** True when the text's last word may still be being typed (it then also matches as a prefix). */
  partial?: boolean | undefined;
}

export interface RankedSuggestion<R extends RankedReply = RankedReply> {
  reply: R;
  score: number;
}

/** Words that say nothing about the topic, per language (folded). */
const STOP: Record<string, ReadonlySet<string>> = {
  en: new Set('a an and are as at be but by can could do does for from have hello hi how i if in is it its me my no not of on or our please so than thank thanks that the their them then there this to was we what when where which who why will with would you your'.split(' ')),
  sv: new Set('att av de del den det du eller en ett for fran har hej hur i inte jag kan med mig min mitt och om pa som till tack var vad vi ar nar'.split(' ')),
  nb: new Set('av de den det du eller en et for fra har hei hva hvor hvordan i ikke jeg kan med meg min mitt og om pa som til takk var vi er nar'.split(' ')),
  da: new Set('af de den det du eller en et for fra har hej hvad hvor hvordan i ikke jeg kan med mig min mit og om pa som til tak var vi er nar'.split(' ')),
  de: new Set('aber als am an auch auf aus bei bin bis das dass dem den der des die du ein eine einen er es fur hallo hat ich ihr im in ist ja kann mein mit nicht noch oder sie und uns von was wie wir zu danke bitte'.split(' ')),
  fi: new Set('ei ja jos kiitos kuin kun mika minun mita mutta on ovat se sina tai te me hei olen oli'.split(' ')),
};

/** Endings cut by the light stemmer, longest first, per language (folded). */
const ENDINGS: Record<string, readonly string[]> = {
  en: ['ations', 'ation', 'ments', 'ment', 'ings', 'ing', 'ies', 'ied', 'ed', 'es', 'ly', 's'],
  sv: ['heterna', 'heten', 'arna', 'erna', 'orna', 'ande', 'ende', 'aste', 'are', 'het', 'ar', 'er', 'or', 'en', 'et', 'na', 'a', 'e', 'n', 't'],
  nb: ['ingene', 'ingen', 'ene', 'ers', 'er', 'en', 'et', 'ar', 'e'],
  da: ['erne', 'ene', 'ers', 'er', 'en', 'et', 'e'],
  de: ['ungen', 'heit', 'keit', 'ung', 'ern', 'en', 'er', 'es', 'em', 'e', 'n', 's'],
  fi: ['issa', 'issä', 'ista', 'istä', 'ssa', 'ssä', 'sta', 'stä', 'lla', 'llä', 'lta', 'ltä', 'lle', 'ksi', 'ni', 'si', 'an', 'en', 'in', 'un', 'yn', 'a', 'ä', 'n', 't'],
};

/** Shortest stem the stemmer leaves. */
const MIN_STEM = 3;
/** Use counts above this add nothing more. */
const USE_CAP = 20;
/** Recency halves every this many milliseconds (14 days). */
const RECENCY_HALF_LIFE_MS = 14 * 24 * 60 * 60 * 1000;

const language = (locale: string | undefined): string => (locale ?? 'en').toLowerCase().split(/[-_]/)[0] ?? 'en';

/** Lower case in the language, accents and ligatures folded away (å → a, ß → ss, æ → ae, ø → o). */
export function foldText(text: string, locale?: string): string {
  let lower: string;
  try {
    lower = text.toLocaleLowerCase(locale);
  } catch {
    lower = text.toLowerCase();
  }
  return lower
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/œ/g, 'oe')
    .replace(/ø/g, 'o')
    .replace(/đ/g, 'd')
    .replace(/ł/g, 'l')
    .normalize('NFD')
    .replace(/\p{M}/gu, '');
}

/** Cuts a common ending off a folded word, leaving at least {@link MIN_STEM} letters; digits stay whole. */
export function stemWord(word: string, locale?: string): string {
  if (/\d/.test(word)) return word;
  const lang = language(locale);
  const endings = ENDINGS[lang] ?? ENDINGS.en ?? [];
  for (const ending of endings) {
    const folded = foldText(ending, locale);
    if (word.length - folded.length >= MIN_STEM && word.endsWith(folded)) return word.slice(0, -folded.length);
  }
  return word;
}

const segmenters = new Map<string, Intl.Segmenter>();
function segmenter(locale: string | undefined): Intl.Segmenter {
  const key = locale ?? '';
  let s = segmenters.get(key);
  if (!s) {
    try {
      s = new Intl.Segmenter(locale, { granularity: 'word' });
    } catch {
      s = new Intl.Segmenter(undefined, { granularity: 'word' });
    }
    segmenters.set(key, s);
  }
  return s;
}

/** The words of a text, folded (stop words kept: see {@link terms}). */
export function words(text: string, locale?: string): string[] {
  const out: string[] = [];
  for (const part of segmenter(locale).segment(text)) {
    if (part.isWordLike !== true) continue;
    const word = foldText(part.segment, locale);
    if (word !== '') out.push(word);
  }
  return out;
}

/** The terms of a text for matching: folded words without stop words and one-letter words, stemmed. */
export function terms(text: string, locale?: string): string[] {
  const stop = STOP[language(locale)] ?? STOP.en;
  return words(text, locale)
    .filter((w) => w.length > 1 && !stop?.has(w))
    .map((w) => stemWord(w, locale));
}

interface Indexed<R> {
  reply: R;
  title: Set<string>;
  body: Set<string>;
}

/**
 * The replies that match `text` best, best first, at most `limit`; replies that share no term
 * with it are left out. Ties go to the reply used more often, then more recently, then by title.
 */
export function rankReplies<R extends RankedReply>(text: string, replies: readonly R[], options: RankOptions = {}): RankedSuggestion<R>[] {
  const locale = options.locale;
  const limit = options.limit ?? 3;
  const now = options.now ?? Date.now();
  const query = terms(text, locale);
  if (query.length === 0 || replies.length === 0) return [];
  // The last word may be unfinished while the customer types: it matches as a prefix too.
  const lastWord = options.partial === true ? words(text, locale).at(-1) : undefined;
  const prefix = lastWord !== undefined && lastWord.length >= MIN_STEM ? lastWord : undefined;
  const indexed: Indexed<R>[] = replies.map((reply) => ({
    reply,
    title: new Set(terms(`${reply.title} ${reply.shortcut ?? ''}`, locale)),
    body: new Set(terms(reply.text, locale)),
  }));
  // Inverse document frequency: a word in every reply says little.
  const df = new Map<string, number>();
  for (const r of indexed) for (const t of new Set([...r.title, ...r.body])) df.set(t, (df.get(t) ?? 0) + 1);
  const idf = (t: string) => Math.log(1 + indexed.length / (df.get(t) ?? indexed.length));
  const unique = [...new Set(query)];
  const lang = language(locale);
  const scored: RankedSuggestion<R>[] = [];
  for (const r of indexed) {
    let match = 0;
    for (const t of unique) {
      if (r.title.has(t)) match += 2 * idf(t);
      else if (r.body.has(t)) match += idf(t);
    }
    const lastTerm = prefix !== undefined ? stemWord(prefix, locale) : undefined;
    if (prefix !== undefined && lastTerm !== undefined && !r.title.has(lastTerm) && !r.body.has(lastTerm)) {
      const hit = (set: Set<string>) => [...set].find((t) => t.startsWith(prefix) || prefix.startsWith(t));
      const inTitle = hit(r.title);
      const inBody = inTitle === undefined ? hit(r.body) : undefined;
      if (inTitle !== undefined) match += idf(inTitle);
      else if (inBody !== undefined) match += 0.5 * idf(inBody);
    }
    if (match <= 0) continue;
    const reply = r.reply;
    const use = Math.log1p(Math.min(reply.useCount, USE_CAP)) / Math.log1p(USE_CAP);
    const recency = reply.lastUsedAt === null ? 0 : Math.pow(0.5, Math.max(0, now - reply.lastUsedAt) / RECENCY_HALF_LIFE_MS);
    const boost = 1 + 0.25 * use + 0.25 * recency + (reply.favourite ? 0.1 : 0) + (reply.language === lang ? 0.15 : 0);
    scored.push({ reply, score: match * boost });
  }
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      b.reply.useCount - a.reply.useCount ||
      (b.reply.lastUsedAt ?? 0) - (a.reply.lastUsedAt ?? 0) ||
      a.reply.title.localeCompare(b.reply.title),
  );
  return scored.slice(0, limit);
}
