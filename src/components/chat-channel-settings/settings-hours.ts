/**
 * The opening-hours section of chat-channel-settings: the time zone, each weekday's hours and
 * lunch break, and the closed days. Render functions over the element's draft (`Editor`).
 */
import type { TemplateResult } from 'lit';
import { html } from 'lit';

import { getFormatLocale, msg, str } from '../../i18n/localization.js';
import type { DayHours, OpeningHours, Weekday } from '../../protocol/channel-settings.js';
import { WEEKDAYS } from '../../protocol/channel-settings.js';
import type { Draft, Editor } from './settings-sections.js';

/** Mon–Fri 08:00–17:00 with lunch 12:00–13:00, in the browser's time zone: the start of a schedule. */
function defaultHours(): OpeningHours {
  const day = { open: '08:00', close: '17:00', lunch: { from: '12:00', to: '13:00' } };
  return { timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, days: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: null, sun: null }, closedDates: [] };
}

/** Weekday name in the current language (2024-01-01 was a Monday). */
function weekdayName(day: Weekday): string {
  const at = Date.UTC(2024, 0, 1 + WEEKDAYS.indexOf(day), 12);
  return new Intl.DateTimeFormat(getFormatLocale(), { weekday: 'long', timeZone: 'UTC' }).format(at);
}

function timeZones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return all.includes(current) ? all : [current, ...all];
}

export function renderHours(ed: Editor, d: Draft) {
  const hours = d.settings.hours;
  const timeInput = (path: string, label: string, value: string, set: (v: string) => void) =>
    html`<input type="time" data-path=${path} aria-invalid=${ed.invalid(path)} aria-label=${ed.label(path, label)} .value=${value} @change=${(e: Event) => { set((e.target as HTMLInputElement).value); }} />`;
  const editDay = (day: Weekday, change: (h: NonNullable<DayHours>) => void) => { ed.edit((x) => {
      const h = x.settings.hours?.days[day];
      if (h) change(h);
    }); };
  return html`<fieldset>
    <legend>${msg('Opening hours', { id: 'chat-channel-settings.section.hours' })}</legend>
    <label class="check">
      <input
        type="checkbox"
        .checked=${hours !== null}
        @change=${(e: Event) => { ed.edit((x) => (x.settings.hours = (e.target as HTMLInputElement).checked ? defaultHours() : null)); }}
      />
      ${msg('Open only within opening hours', { id: 'chat-channel-settings.hours-on' })}
    </label>
    ${hours === null
      ? html`<p class="hint">${msg('Always open: only whether an agent is Present decides.', { id: 'chat-channel-settings.hours-off' })}</p>`
      : html`<label class="field"
            >${ed.label('settings.hours.timeZone', msg('Time zone', { id: 'chat-channel-settings.time-zone' }))}
            <select data-path="settings.hours.timeZone" aria-invalid=${ed.invalid('settings.hours.timeZone')} @change=${(e: Event) => { ed.edit((x) => x.settings.hours && (x.settings.hours.timeZone = (e.target as HTMLSelectElement).value)); }}>
              ${timeZones(hours.timeZone).map((z) => html`<option value=${z} ?selected=${z === hours.timeZone}>${z}</option>`)}
            </select>
          </label>
          <p class="hint">${msg('Customers see the times in their own time zone.', { id: 'chat-channel-settings.hours-hint' })}</p>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">${msg('Day', { id: 'chat-channel-settings.day' })}</th>
                  <th scope="col">${msg('Open', { id: 'chat-channel-settings.open' })}</th>
                  <th scope="col">${msg('Opens', { id: 'chat-channel-settings.opens' })}</th>
                  <th scope="col">${msg('Closes', { id: 'chat-channel-settings.closes' })}</th>
                  <th scope="col">${msg('Lunch from', { id: 'chat-channel-settings.lunch-from' })}</th>
                  <th scope="col">${msg('Lunch to', { id: 'chat-channel-settings.lunch-to' })}</th>
                </tr>
              </thead>
              <tbody>
                ${WEEKDAYS.map((day) => renderDay(ed, day, hours.days[day], timeInput, editDay))}
              </tbody>
            </table>
          </div>
          <label class="field"
            >${ed.label('settings.hours.closedDates', msg('Closed days (one date YYYY-MM-DD per line)', { id: 'chat-channel-settings.closed-dates' }))}
            <textarea
              data-path="settings.hours.closedDates"
              aria-invalid=${ed.invalid('settings.hours.closedDates')}
              .value=${hours.closedDates.join('\n')}
              @change=${(e: Event) => { ed.edit((x) => {
                  if (x.settings.hours)
                    x.settings.hours.closedDates = (e.target as HTMLTextAreaElement).value
                      .split(/[\s,]+/)
                      .map((s) => s.trim())
                      .filter((s) => s !== '');
                }); }}
            ></textarea>
          </label>`}
  </fieldset>`;
}

export function renderDay(ed: Editor, 
  day: Weekday,
  h: DayHours,
  timeInput: (path: string, label: string, value: string, set: (v: string) => void) => TemplateResult,
  editDay: (day: Weekday, change: (h: NonNullable<DayHours>) => void) => void,
) {
  const name = weekdayName(day);
  const path = `settings.hours.days.${day}`;
  return html`<tr>
    <th scope="row">${name}</th>
    <td>
      <input
        type="checkbox"
        aria-label=${msg(str`Open on ${name}`, { id: 'chat-channel-settings.day-open' })}
        .checked=${h !== null}
        @change=${(e: Event) => { ed.edit((x) => {
            if (x.settings.hours) x.settings.hours.days[day] = (e.target as HTMLInputElement).checked ? { open: '08:00', close: '17:00' } : null;
          }); }}
      />
    </td>
    ${h === null
      ? html`<td colspan="4">${msg('Closed', { id: 'chat-channel-settings.closed' })}</td>`
      : html`<td>${timeInput(path, msg(str`${name} opens`, { id: 'chat-channel-settings.day-opens' }), h.open, (v) => { editDay(day, (x) => (x.open = v)); })}</td>
          <td>${timeInput(`${path}.close`, msg(str`${name} closes`, { id: 'chat-channel-settings.day-closes' }), h.close, (v) => { editDay(day, (x) => (x.close = v)); })}</td>
          <td>
            ${timeInput(`${path}.lunch`, msg(str`${name}: lunch from`, { id: 'chat-channel-settings.day-lunch-from' }), h.lunch?.from ?? '', (v) => { editDay(day, (x) => (x.lunch = v === '' ? null : { from: v, to: x.lunch?.to ?? v })); },
            )}
          </td>
          <td>
            ${timeInput(`${path}.lunch.to`, msg(str`${name}: lunch to`, { id: 'chat-channel-settings.day-lunch-to' }), h.lunch?.to ?? '', (v) => { editDay(day, (x) => (x.lunch = v === '' ? null : { from: x.lunch?.from ?? v, to: v })); },
            )}
          </td>`}
  </tr>`;
}
