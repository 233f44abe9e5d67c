/**
 * Opening hours (server/core/journey/hours.ts) at fixed instants: weekdays in the channel's time
 * zone, a lunch break, closed weekdays and closed dates, channels in zones far apart, and the days
 * the clocks change (Europe/Stockholm, spring and autumn 2026), where an opening hour is still the
 * same wall-clock time but one hour off in UTC.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { OpeningHours } from '../../src/protocol/channel-settings.js';
import { openState, upcomingIntervals, zonedInstant } from '../../server/core/journey/hours.js';

const weekdays = (open: string, close: string, lunch?: { from: string; to: string }) => {
  const day = { open, close, ...(lunch ? { lunch } : {}) };
  return { mon: day, tue: day, wed: day, thu: day, fri: day, sat: null, sun: null };
};

const stockholm: OpeningHours = { timeZone: 'Europe/Stockholm', days: weekdays('08:00', '17:00', { from: '12:00', to: '13:00' }), closedDates: ['2026-12-24'] };
const utc = (iso: string) => Date.parse(iso);

describe('opening hours', () => {
  test('a weekday in winter (UTC+1): open, lunch, closed after hours, next morning', () => {
    // Tuesday 2026-12-08.
    assert.deepEqual(openState(stockholm, utc('2026-12-08T06:59:00Z')), { open: false, opensAt: utc('2026-12-08T07:00:00Z') });
    assert.deepEqual(openState(stockholm, utc('2026-12-08T07:00:00Z')), { open: true, closesAt: utc('2026-12-08T11:00:00Z') });
    assert.deepEqual(openState(stockholm, utc('2026-12-08T11:30:00Z')), { open: false, opensAt: utc('2026-12-08T12:00:00Z') }, 'lunch');
    assert.deepEqual(openState(stockholm, utc('2026-12-08T12:00:00Z')), { open: true, closesAt: utc('2026-12-08T16:00:00Z') });
    assert.deepEqual(openState(stockholm, utc('2026-12-08T16:00:00Z')), { open: false, opensAt: utc('2026-12-09T07:00:00Z') });
  });

  test('the weekend and a closed date are skipped', () => {
    // Friday 2026-12-11 after hours → Monday 2026-12-14 08:00 local.
    assert.deepEqual(openState(stockholm, utc('2026-12-11T18:00:00Z')), { open: false, opensAt: utc('2026-12-14T07:00:00Z') });
    // Wednesday 2026-12-23 evening: Thursday 24th is closed → Friday 25th.
    assert.deepEqual(openState(stockholm, utc('2026-12-23T20:00:00Z')), { open: false, opensAt: utc('2026-12-25T07:00:00Z') });
    // On the closed date itself at noon.
    assert.equal(openState(stockholm, utc('2026-12-24T10:00:00Z')).open, false);
  });

  test('the same instant is open in one zone and closed in another', () => {
    const tokyo: OpeningHours = { ...stockholm, timeZone: 'Asia/Tokyo', closedDates: [] };
    const newYork: OpeningHours = { ...stockholm, timeZone: 'America/New_York', closedDates: [] };
    const at = utc('2026-12-08T14:00:00Z'); // Stockholm 15:00, Tokyo 23:00, New York 09:00
    assert.equal(openState(stockholm, at).open, true);
    assert.deepEqual(openState(tokyo, at), { open: false, opensAt: utc('2026-12-08T23:00:00Z') }, 'Tokyo opens at 08:00 JST on Wednesday');
    assert.deepEqual(openState(newYork, at), { open: true, closesAt: utc('2026-12-08T17:00:00Z') }, 'New York: lunch at 12:00 EST');
  });

  test('the spring DST change: 08:00 is 07:00 UTC on Friday and 06:00 UTC on Monday', () => {
    // Clocks go forward in Europe on Sunday 2026-03-29.
    assert.deepEqual(openState(stockholm, utc('2026-03-27T17:00:00Z')), { open: false, opensAt: utc('2026-03-30T06:00:00Z') });
    const week = upcomingIntervals(stockholm, utc('2026-03-26T20:00:00Z'), 7);
    assert.deepEqual(
      week.filter((i) => i.from < utc('2026-03-31T00:00:00Z')).map((i) => new Date(i.from).toISOString()),
      ['2026-03-27T07:00:00.000Z', '2026-03-27T12:00:00.000Z', '2026-03-30T06:00:00.000Z', '2026-03-30T11:00:00.000Z'],
    );
  });

  test('the autumn DST change and a wall-clock time that does not exist', () => {
    // Clocks go back on Sunday 2026-10-25: Friday 08:00 is 06:00 UTC, Monday 08:00 is 07:00 UTC.
    assert.deepEqual(openState(stockholm, utc('2026-10-23T16:00:00Z')), { open: false, opensAt: utc('2026-10-26T07:00:00Z') });
    // 02:30 on 2026-03-29 is skipped in Stockholm: it lands after the gap, never before it.
    const skipped = zonedInstant({ y: 2026, m: 3, d: 29 }, 150, 'Europe/Stockholm');
    assert.ok(skipped >= utc('2026-03-29T01:00:00Z') && skipped <= utc('2026-03-29T01:30:00Z'), new Date(skipped).toISOString());
  });

  test('open until midnight, a day open all day, and no hours at all', () => {
    const late: OpeningHours = { timeZone: 'UTC', days: { ...weekdays('00:00', '24:00'), sat: { open: '18:00', close: '24:00' } }, closedDates: [] };
    assert.deepEqual(openState(late, utc('2026-12-12T17:00:00Z')), { open: false, opensAt: utc('2026-12-12T18:00:00Z') });
    assert.deepEqual(openState(late, utc('2026-12-12T23:00:00Z')), { open: true, closesAt: utc('2026-12-13T00:00:00Z') });
    const closedAlways: OpeningHours = { timeZone: 'UTC', days: { mon: null, tue: null, wed: null, thu: null, fri: null, sat: null, sun: null }, closedDates: [] };
    assert.deepEqual(openState(closedAlways, utc('2026-12-12T17:00:00Z')), { open: false });
    assert.deepEqual(openState(null, utc('2026-12-12T17:00:00Z')), { open: true });
  });
});
