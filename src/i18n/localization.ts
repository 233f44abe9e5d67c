/**
 * Localisation: the library's own small runtime, so that it never takes over a host page's
 * `@lit/localize` configuration (that one can only be configured once per page) and so that
 * each element can speak its own language.
 *
 * - `msg(template, {id})` and `str` have the signatures of `@lit/localize`'s: English is the
 *   source language, written in the code; the other languages are catalogs (`src/i18n/<locale>/`)
 *   loaded on demand, a chunk each.
 * - Which language: an element's own `lang` attribute, or the nearest element around it with
 *   one (crossing shadow roots); else the page-wide language set by {@link setChatLocale}; else
 *   the page's `<html lang>`; else English. An element renders inside {@link withLocale} for its
 *   language, so everything `msg()` and the formatters in `format.ts` produce while it renders
 *   is in that language.
 * - The full tag is kept for `Intl` (`sv-FI`, `en-GB`: dates, numbers and currencies follow the
 *   region), the catalog is chosen by its language (`sv`, `en`).
 */

/** Locales with a full translation: English, Swedish, Norwegian Bokmål, Danish, German, Finnish. */
export const CHAT_LOCALES = ['en', 'sv', 'nb', 'da', 'de', 'fi'] as const;
export type ChatLocale = (typeof CHAT_LOCALES)[number];

/** A template with placeholders, made by {@link str}. In catalogs the values are the indexes of the source's expressions. */
export interface StrResult {
  readonly strTag: true;
  readonly strings: readonly string[];
  readonly values: readonly unknown[];
}

/** One catalog: id → text. */
export type Catalog = Readonly<Record<string, string | StrResult>>;

/** Each translation is a chunk of its own, loaded the first time its locale is used. */
const LOADERS = {
  sv: () => import('./locales/sv.js'),
  nb: () => import('./locales/nb.js'),
  da: () => import('./locales/da.js'),
  de: () => import('./locales/de.js'),
  fi: () => import('./locales/fi.js'),
} satisfies Record<Exclude<ChatLocale, 'en'>, () => Promise<{ templates: Catalog }>>;

/** Languages whose speakers read one of ours: Norwegian (`no`) and Nynorsk (`nn`) read Bokmål. */
const ALIASES: Record<string, ChatLocale> = { no: 'nb', nn: 'nb' };

/** The language of an element or a page: the catalog to use and the tag for `Intl`. */
export interface LocaleInfo {
  /** The catalog (`sv`). */
  readonly locale: ChatLocale;
  /** The BCP 47 tag for `Intl`, with the region when one was given (`sv-FI`); the locale when the tag's language has no catalog. */
  readonly tag: string;
}

/** `str\`${a} of ${b}\``: a template with placeholders, for {@link msg}. */
export function str(strings: TemplateStringsArray, ...values: unknown[]): StrResult {
  return { strTag: true, strings: [...strings], values };
}

/** Best supported locale for a BCP 47 tag such as `sv-SE` or `nb-NO` (`no`, `nn` → `nb`); English otherwise. */
export function matchLocale(tag: string | null | undefined): ChatLocale {
  return knownLocale(tag) ?? 'en';
}

/** The locale whose catalog `tag`'s language reads, or undefined when there is none. */
function knownLocale(tag: string | null | undefined): ChatLocale | undefined {
  const base = (tag ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  if ((CHAT_LOCALES as readonly string[]).includes(base)) return base as ChatLocale;
  return ALIASES[base];
}

/** {@link LocaleInfo} for a tag: the tag is kept for `Intl` when it is valid and its language is the catalog's. */
export function localeInfo(tag: string | null | undefined): LocaleInfo {
  const key = tag ?? '';
  let info = infos.get(key);
  if (!info) {
    const locale = knownLocale(tag);
    let canonical: string | undefined;
    try {
      canonical = locale && tag ? Intl.getCanonicalLocales(tag.replace(/_/g, '-'))[0] : undefined;
    } catch {
      canonical = undefined;
    }
    const language = locale ?? 'en';
    const regionless = locale !== undefined && canonical !== undefined && !canonical.includes('-');
    info = { locale: language, tag: (regionless ? browserRegionTag(language) : undefined) ?? canonical ?? language };
    infos.set(key, info);
  }
  return info;
}

/**
 * A language given without a region takes the region of the first of the browser's languages in
 * the same language, so that `lang="en"` gives a British reader 24-hour times (en-GB).
 */
function browserRegionTag(locale: ChatLocale): string | undefined {
  if (typeof navigator === 'undefined') return undefined;
  const languages = navigator.languages.length > 0 ? navigator.languages : [navigator.language];
  for (const tag of languages) {
    if (!tag.includes('-') || knownLocale(tag) !== locale) continue;
    try {
      const [canonical] = Intl.getCanonicalLocales(tag);
      if (canonical) return canonical;
    } catch {
      // not a valid tag: try the next
    }
  }
  return undefined;
}

/** localeInfo() by tag (elements ask again on every change of language). */
const infos = new Map<string, LocaleInfo>();

const catalogs = new Map<ChatLocale, Catalog>();
const loading = new Map<ChatLocale, Promise<void>>();
const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of [...listeners]) listener();
}

/** Calls `listener` whenever the page-wide language changes or a catalog has loaded; returns the unsubscribe. */
export function onLocaleChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** True when `locale`'s strings are there (English always is). */
export function isLocaleLoaded(locale: ChatLocale): boolean {
  return locale === 'en' || catalogs.has(locale);
}

/** Loads `locale`'s catalog once (English has none); listeners hear when it has arrived. */
export function loadLocale(locale: ChatLocale): Promise<void> {
  if (locale === 'en' || catalogs.has(locale)) return Promise.resolve();
  let pending = loading.get(locale);
  if (!pending) {
    pending = LOADERS[locale]().then(
      (module) => {
        catalogs.set(locale, module.templates);
        notify();
      },
      (error: unknown) => {
        loading.delete(locale);
        throw error;
      },
    );
    loading.set(locale, pending);
  }
  return pending;
}

/** The page-wide choice made with setChatLocale (undefined: follow `<html lang>`). */
let chosen: LocaleInfo | undefined;
/** `<html lang>` as last read, and what it gave. */
let pageLang: { lang: string; info: LocaleInfo } | undefined;
let pageObserver: MutationObserver | undefined;

/** The page-wide language: {@link setChatLocale}'s, else `<html lang>`'s, else English. */
export function pageLocale(): LocaleInfo {
  if (chosen) return chosen;
  const lang = typeof document === 'undefined' ? '' : document.documentElement.lang;
  if (pageLang?.lang !== lang) pageLang = { lang, info: localeInfo(lang) };
  return pageLang.info;
}

/**
 * Follows changes of `lang` anywhere in the page's light DOM from now on (called when the first
 * element connects): `<html lang>`, or a container around chat elements. The elements re-read
 * their language. (Elements' own `lang` is watched by the elements themselves.)
 */
export function watchPageLang(doc: Document): void {
  if (pageObserver || typeof MutationObserver === 'undefined') return;
  pageObserver = new MutationObserver((records) => {
    if (records.every((r) => r.target instanceof Element && hasMark(r.target, 'lang'))) return;
    notify();
  });
  pageObserver.observe(doc.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
}

/**
 * Sets the language of every chat element on the page that has no `lang` of its own (nor one
 * around it); a BCP 47 tag (`sv`, `sv-FI`, `en-GB`); unsupported languages read English; `null`:
 * follow `<html lang>` again. Resolves once the strings are loaded.
 */
export async function setChatLocale(locale: string | null): Promise<void> {
  const info = locale === null ? undefined : localeInfo(locale);
  chosen = info;
  try {
    await loadLocale((info ?? pageLocale()).locale);
  } finally {
    notify();
  }
}

/** Attributes the library sets on its elements itself. */
export type MarkedAttribute = 'lang' | 'dir';

/** For each element, the attributes the library set itself (not its author). */
const marks = new WeakMap<Element, Set<MarkedAttribute>>();

/** True while `el`'s `name` attribute is the library's mark, not its author's. */
export function hasMark(el: Element, name: MarkedAttribute): boolean {
  return marks.get(el)?.has(name) ?? false;
}

/** The `lang` an element was given by its author (null when none). */
export function authorLang(el: Element): string | null {
  return hasMark(el, 'lang') ? null : el.getAttribute('lang');
}

/**
 * Sets `name=value` on `el` unless its author set that attribute: `lang` so that a Swedish element
 * on an English page is read with a Swedish voice, `dir` so that its texts run in their
 * language's direction. A mark is not read back as a choice.
 */
export function mark(el: Element, name: MarkedAttribute, value: string): void {
  if (el.hasAttribute(name) && !hasMark(el, name)) return;
  let own = marks.get(el);
  if (!own) marks.set(el, (own = new Set()));
  own.add(name);
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

/** Forgets that the library set `el`'s `name` (its author set or removed it). */
export function unmark(el: Element, name: MarkedAttribute): void {
  marks.get(el)?.delete(name);
}

/** Languages written right to left (the base language of a tag). */
const RTL = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'iw', 'ks', 'ku', 'ps', 'sd', 'syr', 'ug', 'ur', 'yi']);

/** The direction of a language's script: `rtl` for Arabic, Hebrew, Persian, Urdu, …; else `ltr`. */
export function textDirection(tag: string): 'ltr' | 'rtl' {
  return RTL.has(tag.toLowerCase().split(/[-_]/)[0] ?? '') ? 'rtl' : 'ltr';
}

/**
 * The language of an element: its own `lang` or the nearest one around it (crossing shadow
 * roots, up to but not including `<html>`), else the page-wide one ({@link pageLocale}).
 */
export function elementLocale(el: Element): LocaleInfo {
  const root = el.ownerDocument.documentElement;
  let node: Element | null = el;
  while (node && node !== root) {
    const lang = authorLang(node);
    if (lang) return localeInfo(lang);
    node = node.parentElement ?? (node.parentNode instanceof ShadowRoot ? node.parentNode.host : null);
  }
  return pageLocale();
}

/** The language in which strings are being made (an element's while it renders). */
let scope: LocaleInfo | undefined;

/** Runs `fn` with strings and formats in `info`'s language (nested calls restore the outer one). */
export function withLocale<T>(info: LocaleInfo, fn: () => T): T {
  const outer = scope;
  scope = info;
  try {
    return fn();
  } finally {
    scope = outer;
  }
}

/** The languages of the connected elements (see {@link currentLocale}). */
const elementLocales = new Map<Element, LocaleInfo>();

/** Records the language of a connected element (undefined: it disconnected). */
export function trackElementLocale(el: Element, info: LocaleInfo | undefined): void {
  if (info) elementLocales.set(el, info);
  else elementLocales.delete(el);
}

/** Every chat element re-reads its language (a `lang` changed somewhere around them). */
export function relocalizeAll(): void {
  notify();
}

/**
 * The language strings are made in now: the rendering element's (see {@link withLocale}).
 * Outside rendering (an element's event handler, a reply from the server), the language all
 * connected elements share, so that an element given `lang="sv"` on an English page also
 * announces in Swedish; when they differ, the page-wide language.
 */
export function currentLocale(): LocaleInfo {
  if (scope) return scope;
  let shared: LocaleInfo | undefined;
  for (const info of elementLocales.values()) {
    if (shared === undefined) shared = info;
    else if (shared !== info) return pageLocale();
  }
  return shared ?? pageLocale();
}

/**
 * The language chat strings are shown in: while an element renders, that element's; otherwise
 * the page-wide one ({@link setChatLocale}, else `<html lang>`). `en` while a catalog is loading.
 */
export function getChatLocale(): ChatLocale {
  const { locale } = scope ?? pageLocale();
  return isLocaleLoaded(locale) ? locale : 'en';
}

/** The `Intl` tag of the current language (`sv-FI`, `en-GB`, `de`). */
export function getFormatLocale(): string {
  return currentLocale().tag;
}

function isStr(template: string | StrResult): template is StrResult {
  return typeof template !== 'string';
}

function join(strings: readonly string[], values: readonly unknown[]): string {
  let out = strings[0] ?? '';
  for (let i = 1; i < strings.length; i += 1) out += String(values[i - 1]) + (strings[i] ?? '');
  return out;
}

/**
 * The string `id` in the current language (see {@link withLocale}); the English `template` when
 * the language is English, its catalog is not loaded yet, or it lacks the id. A translation's
 * placeholders are the indexes of `template`'s expressions.
 */
export function msg(template: string | StrResult, options: { id: string }): string {
  const { locale } = currentLocale();
  const translated = locale === 'en' ? undefined : catalogs.get(locale)?.[options.id];
  if (translated === undefined) return isStr(template) ? join(template.strings, template.values) : template;
  if (!isStr(translated)) return translated;
  const values = isStr(template) ? template.values : [];
  return join(
    translated.strings,
    translated.values.map((index) => values[Number(index)]),
  );
}
