/**
 * Safe auto-links for message text: finds `http(s)://…`, `mailto:…`, `tel:…` and bare e-mail
 * addresses in plain text and turns them into Lit templates (`<a href rel target>`), never into
 * markup strings. Everything else stays text (rendered through Lit text bindings).
 *
 * Safety (docs: security §1.2): a candidate's ASCII control and whitespace characters are removed
 * before it is parsed with `URL`, and only `https:`, `http:`, `mailto:` and `tel:` survive; the
 * href is the parser's serialization (quotes and angle brackets percent-encoded). Links get
 * `rel="noopener noreferrer nofollow"` and `target="_blank"`.
 *
 * The scanner is a single pass over the text with bounded look-around (no backtracking regular
 * expressions), so its time is linear in the length of the text, whatever the input.
 */
import type { TemplateResult } from 'lit';
import { html } from 'lit';

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
const SCHEMES = ['https://', 'http://', 'mailto:', 'tel:'] as const;

const isSpace = (c: number) => c <= 0x20 || c === 0x7f || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
const isAsciiLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isAlnum = (c: number) => isAsciiLetter(c) || isDigit(c);
/** Characters of the local part of an address we link (a practical subset of RFC 5322). */
const isLocalChar = (c: number) => isAlnum(c) || c === 0x2e /* . */ || c === 0x5f /* _ */ || c === 0x25 /* % */ || c === 0x2b /* + */ || c === 0x2d; /* - */
const isDomainChar = (c: number) => isAlnum(c) || c === 0x2e || c === 0x2d;
/** Where a URL written in text ends even without a space. */
const endsUrl = (c: number) => c === 0x3c /* < */ || c === 0x3e /* > */ || c === 0x22 /* " */ || c === 0x60 /* ` */ || isSpace(c);

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

/** Case-insensitive "does `text` continue with the ASCII `prefix` at `at`". */
function startsWithAt(text: string, prefix: string, at: number): boolean {
  if (at + prefix.length > text.length) return false;
  for (let k = 0; k < prefix.length; k += 1) {
    let c = text.charCodeAt(at + k);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== prefix.charCodeAt(k)) return false;
  }
  return true;
}

/** Drops trailing punctuation that ends a sentence, and closing brackets without an opener. */
function trimEnd(text: string, start: number, end: number): number {
  let open = 0;
  let close = 0;
  for (let k = start; k < end; k += 1) {
    const c = text.charCodeAt(k);
    if (c === 0x28) open += 1;
    else if (c === 0x29) close += 1;
  }
  while (end > start) {
    const c = text.charCodeAt(end - 1);
    if (c === 0x2e || c === 0x2c || c === 0x3b || c === 0x3a || c === 0x21 || c === 0x3f || c === 0x27 || c === 0x2a || c === 0x5d || c === 0x7d) {
      end -= 1;
    } else if (c === 0x29 && close > open) {
      close -= 1;
      end -= 1;
    } else {
      break;
    }
  }
  return end;
}

/** A bare e-mail address around the `@` at `at`, within [from, to): its bounds, or undefined. */
function emailAround(text: string, at: number, from: number, to: number): { start: number; end: number } | undefined {
  let start = at;
  while (start > from && isLocalChar(text.charCodeAt(start - 1))) start -= 1;
  // A local part does not start with a dot.
  while (start < at && text.charCodeAt(start) === 0x2e) start += 1;
  if (start === at) return undefined;
  let end = at + 1;
  while (end < to && isDomainChar(text.charCodeAt(end))) end += 1;
  // Trailing dots and hyphens end the sentence, not the domain.
  while (end > at + 1 && (text.charCodeAt(end - 1) === 0x2e || text.charCodeAt(end - 1) === 0x2d)) end -= 1;
  // The domain: labels of letters, digits and inner hyphens, at least two, the last of letters (2+).
  let labels = 0;
  let labelStart = at + 1;
  for (let k = at + 1; k <= end; k += 1) {
    if (k === end || text.charCodeAt(k) === 0x2e) {
      if (k === labelStart) return undefined;
      if (text.charCodeAt(labelStart) === 0x2d || text.charCodeAt(k - 1) === 0x2d) return undefined;
      labels += 1;
      if (k === end) {
        if (k - labelStart < 2) return undefined;
        for (let t = labelStart; t < k; t += 1) if (!isAsciiLetter(text.charCodeAt(t))) return undefined;
      }
      labelStart = k + 1;
    }
  }
  if (labels < 2) return undefined;
  return { start, end };
}

/**
 * Splits `text` into plain strings and links. Adjacent plain text is one string. Linear in the
 * length of `text`.
 */
export function tokenize(text: string): TextToken[] {
  if (!text.includes(':') && !text.includes('@')) return text === '' ? [] : [text];
  const out: TextToken[] = [];
  const n = text.length;
  let plainFrom = 0;
  const emit = (start: number, end: number, href: string) => {
    if (start > plainFrom) out.push(text.slice(plainFrom, start));
    out.push({ href, text: text.slice(start, end) });
    plainFrom = end;
  };
  let i = 0;
  while (i < n) {
    if (isSpace(text.charCodeAt(i))) {
      i += 1;
      continue;
    }
    // One word: [i, wordEnd).
    let wordEnd = i;
    while (wordEnd < n && !isSpace(text.charCodeAt(wordEnd))) wordEnd += 1;
    let from = i; // nothing before `from` in this word can start a link any more
    // Where a URL starting at or after the current position must stop (first `<>"\``), kept
    // across positions so that every character is looked at a bounded number of times.
    let stop = i;
    // After a URL candidate failed, none is tried again before its stop (keeps the scan linear).
    let schemesFrom = i;
    let k = i;
    while (k < wordEnd) {
      const c = text.charCodeAt(k);
      const lower = c | 0x20;
      if (k >= schemesFrom && (lower === 0x68 /* h */ || lower === 0x6d /* m */ || lower === 0x74) /* t */ && (k === i || !isAlnum(text.charCodeAt(k - 1)))) {
        const scheme = SCHEMES.find((s) => startsWithAt(text, s, k));
        if (scheme !== undefined) {
          if (stop <= k) {
            stop = k;
            while (stop < wordEnd && !endsUrl(text.charCodeAt(stop))) stop += 1;
          }
          const end = stop - k > MAX_LINK_LENGTH ? k : trimEnd(text, k + scheme.length, stop);
          const href = end > k + scheme.length ? safeHref(text.slice(k, end)) : undefined;
          if (href !== undefined) {
            emit(k, end, href);
            from = end;
            k = end;
            continue;
          }
          schemesFrom = stop;
        }
      } else if (c === 0x40 /* @ */) {
        const found = emailAround(text, k, from, wordEnd);
        if (found && found.end - found.start <= MAX_LINK_LENGTH) {
          const href = safeHref(`mailto:${text.slice(found.start, found.end)}`);
          if (href !== undefined) {
            emit(found.start, found.end, href);
            from = found.end;
            k = found.end;
            continue;
          }
        }
      }
      k += 1;
    }
    i = wordEnd;
  }
  if (plainFrom < n) out.push(text.slice(plainFrom));
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
