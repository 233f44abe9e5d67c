/**
 * Safe auto-links for message text: finds links in plain text with `linkify-it` (`http(s)://…`,
 * `www.…`, bare domains such as `example.se/order`, e-mail addresses, `mailto:…`) plus `tel:…`,
 * and turns them into Lit templates (`<a href rel target>`), never into markup strings.
 * Everything else stays text (rendered through Lit text bindings).
 *
 * Safety (docs: security §1.2): linkify-it only finds candidates; each one's href is then checked
 * by {@link safeHref}: ASCII control and whitespace characters are removed before it is parsed
 * with `URL`, and only `https:`, `http:`, `mailto:` and `tel:` survive; the href is the parser's
 * serialization (quotes and angle brackets percent-encoded). A link ends before a quote, angle
 * bracket or backtick. Links get `rel="noopener noreferrer nofollow"` and `target="_blank"`.
 * linkify-it's patterns do not backtrack catastrophically (the tests feed it 200,000-character
 * hostile inputs).
 */
import type { TemplateResult } from 'lit';
import { html } from 'lit';
import { LinkifyIt } from 'linkify-it';

/** A link found in text: the href to use and the text as it was written. */
export interface LinkToken {
  href: string;
  text: string;
}

/** Plain text or a link, in the order of the text. */
export type TextToken = string | LinkToken;

const ALLOWED_PROTOCOLS = new Set(['https:', 'http:', 'mailto:', 'tel:']);
/** Longer candidates stay text (no real link is this long; keeps hrefs sane). */
const MAX_LINK_LENGTH = 2048;

/**
 * The href for `raw`, or undefined when it is not a safe link: ASCII control characters and
 * whitespace are removed first (so `java\tscript:` is `javascript:`), then it must parse as an
 * absolute URL whose scheme is https, http, mailto or tel (http(s) with a host).
 */
export function safeHref(raw: string): string | undefined {
  let cleaned = '';
  for (let i = 0; i < raw.length; i += 1) {
    const c = raw.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) continue;
    cleaned += raw.charAt(i);
  }
  if (cleaned === '' || cleaned.length > MAX_LINK_LENGTH) return undefined;
  let url: URL;
  try {
    url = new URL(cleaned);
  } catch {
    return undefined;
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) return undefined;
  if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname === '') return undefined;
  if ((url.protocol === 'mailto:' || url.protocol === 'tel:') && url.pathname === '') return undefined;
  return url.href;
}

/** After `tel:`: an optional `+`, digits and separators without spaces, ending in a digit. */
const TEL_TAIL = /\+?\d(?:[\d\-.()]{0,30}\d)?/y;

let linkifier: LinkifyIt | undefined;

/** One linkify-it instance, made on first use: schemes we never link are switched off, `tel:` on. */
function finder(): LinkifyIt {
  linkifier ??= new LinkifyIt({ fuzzyLink: true, fuzzyEmail: true, fuzzyIP: false, maxLength: MAX_LINK_LENGTH })
    .add('ftp:', null)
    .add('//', null)
    .add('tel:', {
      validate: (text, pos) => {
        TEL_TAIL.lastIndex = pos;
        return TEL_TAIL.exec(text)?.[0].length ?? 0;
      },
    });
  return linkifier;
}

/** One text per kind of link: each makes linkify-it compile the patterns that kind needs. */
const WARM_TEXTS = ['https://a.example/b?c=d#e', 'www.example.se/order', 'kim@example.se', 'mailto:kim@example.se', 'tel:+4670123'];
let warming: Promise<void> | undefined;

/**
 * Makes linkify-it compile its patterns in idle time, one kind of link per idle callback. Its
 * first use compiles them (about 40 ms, 165 ms with the CPU throttled 4×): a chat opened later
 * finds them ready instead of paying for them before its newest message shows (issue 15 item 2).
 * Called when the console's message list first connects; resolves when done.
 */
export function warmLinkify(): Promise<void> {
  warming ??= new Promise<void>((resolve) => {
    const idle = typeof requestIdleCallback === 'function' ? (fn: () => void) => requestIdleCallback(fn, { timeout: 2000 }) : (fn: () => void) => setTimeout(fn, 0);
    const next = (i: number) => {
      const text = WARM_TEXTS[i];
      if (text === undefined) {
        resolve();
        return;
      }
      idle(() => {
        tokenize(`x ${text} y`);
        next(i + 1);
      });
    };
    next(0);
  });
  return warming;
}

/** Where a link written in text ends even when linkify-it would go on: quotes, brackets, backtick. */
const BREAK = /["<>`]/;

/** The address of a bare e-mail's domain must end in a label of two or more letters. */
const EMAIL_TLD = /\.[\p{L}]{2,}$/u;

/**
 * Splits `text` into plain strings and links. Adjacent plain text is one string; joining the
 * tokens' texts gives `text` back.
 */
export function tokenize(text: string): TextToken[] {
  if (text === '') return [];
  const finds = finder().test(text) ? (finder().match(text) ?? []) : [];
  const out: TextToken[] = [];
  let plainFrom = 0;
  for (const found of finds) {
    let raw = text.slice(found.index, found.lastIndex);
    const cut = BREAK.exec(raw);
    if (cut) raw = raw.slice(0, cut.index).replace(/[.,;:!?')\]}]+$/, '');
    if (raw.length <= found.schema.length) continue;
    const email = found.schema.toLowerCase() === 'mailto:' && !/^mailto:/i.test(raw);
    if (email && !EMAIL_TLD.test(raw)) continue;
    // Bare domains and `www.` get the scheme linkify-it gives them (http:, which browsers upgrade).
    const candidate = email ? `mailto:${raw}` : found.schema === '' ? `http://${raw}` : raw;
    const href = safeHref(candidate);
    if (href === undefined) continue;
    if (found.index > plainFrom) out.push(text.slice(plainFrom, found.index));
    out.push({ href, text: raw });
    plainFrom = found.index + raw.length;
  }
  if (plainFrom < text.length) out.push(text.slice(plainFrom));
  return out;
}

/** One link as a Lit template: opens in a new tab, without opener or referrer. */
export function linkTemplate(link: LinkToken): TemplateResult {
  return html`<a part="link" href=${link.href} rel="noopener noreferrer nofollow" target="_blank">${link.text}</a>`;
}

/**
 * `text` with its links as Lit templates, for a child binding (`${linkify(message.text)}`):
 * plain parts stay strings (rendered as text nodes by Lit).
 */
export function linkify(text: string): (string | TemplateResult)[] {
  return tokenize(text).map((t) => (typeof t === 'string' ? t : linkTemplate(t)));
}
