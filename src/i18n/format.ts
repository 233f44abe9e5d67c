/**
 * Dates, times, durations, numbers, currencies and plurals through `Intl`, in the language of
 * the element being rendered with its region (`getFormatLocale()`: `sv-FI`, `en-GB`, `de`). No
 * hand-written formats: a 12- or 24-hour clock, decimal signs, currency placement and plural
 * categories all come from the browser's CLDR data. Formatters are cached per tag and options
 * (making an `Intl` formatter is slow; rows render often).
 */
import { getFormatLocale } from './localization.js';

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat | Intl.PluralRules>();

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat | Intl.PluralRules>(kind: string, options: object, make: (tag: string) => T): T {
  const tag = getFormatLocale();
  const key = `${kind}|${tag}|${JSON.stringify(options)}`;
  let format = cache.get(key) as T | undefined;
  if (!format) {
    format = make(tag);
    cache.set(key, format);
  }
  return format;
}

/** Clock time of a timestamp (`9:05 AM` in `en`, `09:05` in `sv`, `09.05` in `fi`). */
export function formatTime(at: number): string {
  const format = cached('time', {}, (tag) => {
    // 24-hour clocks write the hour with two digits (09:05); 12-hour clocks do not (9:05 AM).
    const twelve = new Intl.DateTimeFormat(tag, { hour: 'numeric' }).resolvedOptions().hour12 === true;
    return new Intl.DateTimeFormat(tag, { hour: twelve ? 'numeric' : '2-digit', minute: '2-digit' });
  });
  return format.format(at);
}

/**
 * The time zone every time is shown in: the agent's (the browser's) own. Stamps, "updated" and
 * the dashboard's chart all use it, and it is named where times are shown ({@link timeZoneName}).
 */
export function displayTimeZone(): string {
  return cached('zone', {}, (tag) => new Intl.DateTimeFormat(tag)).resolvedOptions().timeZone;
}

/** The display time zone's name as the language writes it at `at` (`CET`, `CEST`, `GMT+1`, `UTC`). */
export function timeZoneName(at: number): string {
  const parts = cached('zone-name', {}, (tag) => new Intl.DateTimeFormat(tag, { timeZoneName: 'short' })).formatToParts(at);
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? displayTimeZone();
}

/** Clock time with the zone named (`09:05 CET`, `9:05 AM UTC`): where a time stands alone. */
export function formatTimeWithZone(at: number): string {
  return `${formatTime(at)} ${timeZoneName(at)}`;
}

/** A date (or date and time) with `Intl.DateTimeFormat` options. */
export function formatDate(at: number, options: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric' }): string {
  return cached('date', options, (tag) => new Intl.DateTimeFormat(tag, options)).format(at);
}

/** A number with `Intl.NumberFormat` options (grouping and decimal sign of the region). */
export function formatNumber(value: number, options: Intl.NumberFormatOptions = {}): string {
  return cached('number', options, (tag) => new Intl.NumberFormat(tag, options)).format(value);
}

/**
 * An amount in an ISO 4217 currency, whole units (`1 200 kr`, `SEK 1,200`, `1.200 €`). An unknown
 * currency code is written after the number.
 */
export function formatCurrency(amount: number, currency: string): string {
  try {
    return formatNumber(amount, { style: 'currency', currency, maximumFractionDigits: 0 });
  } catch {
    return `${formatNumber(amount)} ${currency}`;
  }
}

/** A value in a unit (`5 min`, `3 hr`, `40 %`), short by default. */
export function formatUnit(value: number, unit: string, display: 'short' | 'long' | 'narrow' = 'short'): string {
  return formatNumber(value, { style: 'unit', unit, unitDisplay: display });
}

/** The plural category of `count` in the current language (`one`, `other`, …). */
export function pluralCategory(count: number): Intl.LDMLPluralRule {
  return cached('plural', {}, (tag) => new Intl.PluralRules(tag)).select(count);
}

/** `forms[category]` for `count` (falls back to `other`): `plural(n, {one: msg(…), other: msg(…)})`. */
export function plural<T>(count: number, forms: { one?: T; other: T } & Partial<Record<Intl.LDMLPluralRule, T>>): T {
  return forms[pluralCategory(count)] ?? forms.other;
}

/** Compact age of a timestamp: "now", "5 min", "3 hr", or the date for a day or more. */
export function formatAge(at: number, now: number): string {
  const minutes = Math.floor((now - at) / 60_000);
  if (minutes < 1) return cached('relative', { numeric: 'auto' }, (tag) => new Intl.RelativeTimeFormat(tag, { numeric: 'auto' })).format(0, 'second');
  if (minutes < 60) return formatUnit(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return formatUnit(hours, 'hour');
  return formatDate(at, { day: 'numeric', month: 'short' });
}

/** How long ago (or from now) a timestamp is, in words: "5 minutes ago", "för 3 timmar sedan", "yesterday". */
export function formatRelativeTime(at: number, now: number, style: Intl.RelativeTimeFormatStyle = 'long'): string {
  const format = cached('relative', { numeric: 'auto', style }, (tag) => new Intl.RelativeTimeFormat(tag, { numeric: 'auto', style }));
  const seconds = Math.round((at - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return format.format(abs < 10 ? 0 : seconds, 'second');
  if (abs < 3600) return format.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return format.format(Math.round(seconds / 3600), 'hour');
  return format.format(Math.round(seconds / 86_400), 'day');
}

interface DurationFormatLike {
  format(duration: { hours?: number; minutes?: number; seconds?: number }): string;
}
type DurationFormatConstructor = new (tag: string, options: { style: string }) => DurationFormatLike;

const durationFormats = new Map<string, DurationFormatLike | null>();

/** A duration: "40 sec", "3 min", "1 hr, 5 min" (`Intl.DurationFormat` where there is one, else its units joined). */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  const parts = seconds < 60 ? { seconds } : minutes < 60 ? { minutes } : { hours: Math.floor(minutes / 60), minutes: minutes % 60 };
  const tag = getFormatLocale();
  let format = durationFormats.get(tag);
  if (format === undefined) {
    const Ctor = (Intl as unknown as { DurationFormat?: DurationFormatConstructor }).DurationFormat;
    format = Ctor ? new Ctor(tag, { style: 'short' }) : null;
    durationFormats.set(tag, format);
  }
  if (format) return format.format(parts);
  return (Object.entries(parts) as [string, number][]).map(([unit, value]) => formatUnit(value, unit.slice(0, -1))).join(' ');
}
