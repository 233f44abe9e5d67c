/**
 * Localization: @lit/localize in runtime mode. English is the source language and is always
 * available; other locales load on demand (a separate chunk each), so the customer widget does
 * not carry Swedish strings for English visitors.
 *
 * The locale is page-global (all chat elements on a page speak one language). It is taken from
 * the page's `lang` when the first chat element connects, or set with {@link setChatLocale}.
 */
import { configureLocalization } from '@lit/localize';

/** Locales with a full translation. */
export const CHAT_LOCALES = ['en', 'sv'] as const;
export type ChatLocale = (typeof CHAT_LOCALES)[number];

const { getLocale, setLocale } = configureLocalization({
  sourceLocale: 'en',
  targetLocales: ['sv'],
  loadLocale: () => import('./locales/sv.js'),
});

let chosen = false;

/** The current locale (`en` until a translation has finished loading). */
export function getChatLocale(): ChatLocale {
  return getLocale() as ChatLocale;
}

/** Best supported locale for a BCP 47 tag such as `sv-SE`; English otherwise. */
export function matchLocale(tag: string | null | undefined): ChatLocale {
  const base = (tag ?? '').toLowerCase().split('-')[0] ?? '';
  return (CHAT_LOCALES as readonly string[]).includes(base) ? (base as ChatLocale) : 'en';
}

/** Switches every chat element on the page to `locale` (a BCP 47 tag; unsupported → English). */
export async function setChatLocale(locale: string): Promise<void> {
  chosen = true;
  await setLocale(matchLocale(locale));
}

/** Called by the first element that connects: follows the page language unless one was chosen. */
export function adoptPageLocale(el: Element): void {
  if (chosen) return;
  chosen = true;
  const lang = el.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang;
  const locale = matchLocale(lang);
  if (locale !== 'en') void setLocale(locale);
}
