/**
 * Opening hours: whether a channel is open at an instant, when it opens next, and its opening
 * intervals of the coming days, all as server instants (ms since the epoch), computed in the
 * channel's time zone with Intl (so daylight saving time is the zone's own). The widget shows the
 * instants in the customer's time zone.
 */
import type { OpenInterval, OpeningHours, Weekday } from '../../../src/protocol/channel-settings.js';
import { minutesOf, WEEKDAYS } from '../../../src/protocol/channel-settings.js';

const DAY_MS = 86_400_000;
/** How far ahead "opens next" looks (closed dates may close a channel for long). */
const LOOKAHEAD_DAYS = 400;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

interface LocalDate {
  y: number;
  m: number;
  d: number;
}

/** The wall-clock date and time of an instant in a zone. */
function local(at: number, timeZone: string): LocalDate & { minutes: number; asUtc: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const y = parts.year ?? 1970;
  const m = parts.month ?? 1;
  const d = parts.day ?? 1;
  const h = parts.hour ?? 0;
  const min = parts.minute ?? 0;
  const s = parts.second ?? 0;
  return { y, m, d, minutes: h * 60 + min, asUtc: Date.UTC(y, m - 1, d, h, min, s) };
}

/** The zone's offset from UTC at an instant (ms; Stockholm in winter: +3,600,000). */
function offsetAt(at: number, timeZone: string): number {
  const whole = at - (at % 1000);
  return local(whole, timeZone).asUtc - whole;
}

/** The instant of a wall-clock time on a date in a zone (a time skipped by DST moves forward). */
export function zonedInstant(date: LocalDate, minutes: number, timeZone: string): number {
  const guess = Date.UTC(date.y, date.m - 1, date.d, 0, minutes);
  const first = guess - offsetAt(guess, timeZone);
  const second = guess - offsetAt(first, timeZone);
  return second === first ? first : Math.max(first, second);
}

function addDays(date: LocalDate, n: number): LocalDate {
  const t = new Date(Date.UTC(date.y, date.m - 1, date.d + n));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

const iso = (date: LocalDate) => `${String(date.y).padStart(4, '0')}-${String(date.m).padStart(2, '0')}-${String(date.d).padStart(2, '0')}`;

/** Monday-first weekday of a date. */
function weekday(date: LocalDate): Weekday {
  const sundayFirst = new Date(Date.UTC(date.y, date.m - 1, date.d)).getUTCDay();
  return WEEKDAYS[(sundayFirst + 6) % 7] ?? 'mon';
}

/** The opening intervals of one local date (none on a closed day or date). */
export function intervalsOn(hours: OpeningHours, date: LocalDate): OpenInterval[] {
  if (hours.closedDates.includes(iso(date))) return [];
  const day = hours.days[weekday(date)];
  if (!day) return [];
  const at = (time: string) => zonedInstant(date, minutesOf(time), hours.timeZone);
  const open = at(day.open);
  const close = at(day.close);
  if (!day.lunch) return [{ from: open, to: close }];
  return [
    { from: open, to: at(day.lunch.from) },
    { from: at(day.lunch.to), to: close },
  ].filter((i) => i.from < i.to);
}

export interface OpenState {
  open: boolean;
  /** When it opens next (absent while open, or when it never opens within the lookahead). */
  opensAt?: number;
  /** When it closes (or breaks for lunch) next, while open. */
  closesAt?: number;
}

/** Open now, or when next. `hours` null: always open. */
export function openState(hours: OpeningHours | null, now: number): OpenState {
  if (!hours) return { open: true };
  const today = local(now, hours.timeZone);
  // Yesterday too: an interval never crosses midnight, but a DST day may shift its instants.
  for (let i = -1; i < LOOKAHEAD_DAYS; i++) {
    for (const interval of intervalsOn(hours, addDays(today, i))) {
      if (now >= interval.to) continue;
      if (now >= interval.from) return { open: true, closesAt: interval.to };
      return { open: false, opensAt: interval.from };
    }
  }
  return { open: false };
}

/** The opening intervals that end after `now` and start within `days` days. */
export function upcomingIntervals(hours: OpeningHours, now: number, days = 7): OpenInterval[] {
  const today = local(now, hours.timeZone);
  const until = now + days * DAY_MS;
  const out: OpenInterval[] = [];
  for (let i = -1; i <= days; i++) {
    for (const interval of intervalsOn(hours, addDays(today, i))) {
      if (interval.to > now && interval.from < until) out.push(interval);
    }
  }
  return out;
}
