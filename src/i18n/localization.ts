/**
 * Localization: @lit/localize in runtime mode. English is the source language and is always
 * available; other locales load on demand (a separate chunk each), so the customer widget does
 * not carry Swedish strings for English visitors.
 *
 * The locale is page-global (all chat elements on a page speak one language). It is taken from
 * the page's `lang` when the first chat element connects, or set with {@link setChatLocale}.
 */
import { configureLocalization } from '@lit/localize';

/** Locales with a full translation: English, Swedish, Norwegian Bokmål, Danish, German, Finnish. */
export const CHAT_LOCALES = ['en', 'sv', 'nb', 'da', 'de', 'fi'] as const;
export type ChatLocale = (typeof CHAT_LOCALES)[number];

/** Each translation is a chunk of its own, loaded the first time its locale is chosen. */
const LOADERS = {
  sv: () => import('./locales/sv.js'),
  nb: () => import('./locales/nb.js'),
  da: () => import('./locales/da.js'),
  de: () => import('./locales/de.js'),
  fi: () => import('./locales/fi.js'),
} satisfies Record<Exclude<ChatLocale, 'en'>, () => Promise<unknown>>;

const { getLocale, setLocale } = configureLocalization({
  sourceLocale: 'en',
  targetLocales: Object.keys(LOADERS),
  loadLocale: (locale) => LOADERS[locale as keyof typeof LOADERS](),
});

/** Languages whose speakers read one of ours: Norwegian (`no`) and Nynorsk (`nn`) read Bokmål. */
const ALIASES: Record<string, ChatLocale> = { no: 'nb', nn: 'nb' };

let chosen = false;
/** The tag the locale was chosen with (the page's `lang` or `setChatLocale`'s), e.g. `en-GB`. */
let chosenTag: string | undefined;

/** The current locale (`en` until a translation has finished loading). */
export function getChatLocale(): ChatLocale {
  return getLocale() as ChatLocale;
}

/**
 * The locale for dates, times and numbers: the chat's language with a region, so that English
 * times follow the reader (en-GB, en-IE: 24-hour clock; en-US: 12-hour). The region comes from
 * the tag the language was chosen with, else from the first of the browser's languages in the
 * same language; without one, the language alone.
 */
export function getFormatLocale(): string {
  const locale = getChatLocale();
  const browser = typeof navigator === 'undefined' ? [] : navigator.languages.length > 0 ? navigator.languages : [navigator.language];
  for (const tag of [chosenTag, ...browser]) {
    if (!tag?.includes('-') || matchLocale(tag) !== locale) continue;
    try {
      const [canonical] = Intl.getCanonicalLocales(tag);
      if (canonical) return canonical;
    } catch {
      // not a valid tag: try the next
    }
  }
  return locale;
}

/** Best supported locale for a BCP 47 tag such as `sv-SE` or `nb-NO` (`no`, `nn` → `nb`); English otherwise. */
export function matchLocale(tag: string | null | undefined): ChatLocale {
  const base = (tag ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  if ((CHAT_LOCALES as readonly string[]).includes(base)) return base as ChatLocale;
  return ALIASES[base] ?? 'en';
}

/** Switches every chat element on the page to `locale` (a BCP 47 tag; unsupported → English). */
export async function setChatLocale(locale: string): Promise<void> {
  chosen = true;
  chosenTag = locale;
  await setLocale(matchLocale(locale));
}

/** Called by the first element that connects: follows the page language unless one was chosen. */
export function adoptPageLocale(el: Element): void {
  if (chosen) return;
  chosen = true;
  const lang = el.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang;
  chosenTag = lang;
  const locale = matchLocale(lang);
  if (locale !== 'en') void setLocale(locale);
}
