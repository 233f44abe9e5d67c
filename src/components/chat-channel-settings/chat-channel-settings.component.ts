import { consume } from '@lit/context';
import { msg, str } from '../../i18n/localization.js';
import type { PropertyValues, TemplateResult } from 'lit';
import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';

import { CRM_REQUEST_CATEGORIES } from '../../crm/types.js';
import { ChatChannelSettingsSavedEvent } from '../../events/chat-channel-settings-saved-event.js';
import { getFormatLocale } from '../../i18n/localization.js';
import { categoryLabel } from '../../i18n/requests.js';
import { announce } from '../../internal/announcer.js';
import { ChatElement } from '../../internal/chat-element.js';
import type { ChannelAgentView, ChannelLanguage, ChannelSettings, ChannelSettingsView, CustomerTextKey, DayHours, FieldMode, OpeningHours, Weekday } from '../../protocol/channel-settings.js';
import type { AssignMode, ChannelAssignment } from '../../protocol/routing.js';
import { ASSIGN_MODES, MAX_OFFER_SECONDS, MIN_OFFER_SECONDS } from '../../protocol/routing.js';
import { CHANNEL_LANGUAGES, CUSTOMER_TEXT_KEYS, customerText, TEXT_LIMITS, WEEKDAYS, WIDGET_FONTS, WIDGET_THEMES } from '../../protocol/channel-settings.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import { chatClientContext } from '../../state/context.js';
import { ChatHttpError } from '../../state/types.js';
import { buttonStyles, hostStyles } from '../../styles/host.styles.js';
import type { FormField } from './channel-settings.strings.js';
import { assignModeLabel, fieldLabel, fontLabel, modeLabel, textLabel, themeLabel } from './channel-settings.strings.js';
import { channelSettingsStyles } from './chat-channel-settings.styles.js';

/** The longer texts get a text area. */
const LONG_TEXTS: ReadonlySet<CustomerTextKey> = new Set(['description', 'welcome', 'message', 'offlineMessage', 'postChatMessage', 'consent']);
const MODES: readonly FieldMode[] = ['hidden', 'optional', 'required'];
const PERMISSIONS = ['respond', 'notifications', 'listen', 'manager'] as const;
type Permission = (typeof PERMISSIONS)[number];

interface Draft {
  name: string;
  warnAfterSeconds: number;
  managerWarnAfterSeconds: number;
  assignment: ChannelAssignment;
  settings: ChannelSettings;
  agents: ChannelAgentView[];
}

type Status = 'idle' | 'loading' | 'saving' | 'saved' | 'forbidden' | 'failed';

const clone = <T>(value: T): T => structuredClone(value);

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

function languageName(lang: ChannelLanguage): string {
  try {
    return new Intl.DisplayNames([getFormatLocale()], { type: 'language' }).of(lang) ?? lang;
  } catch {
    return lang;
  }
}

function timeZones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return all.includes(current) ? all : [current, ...all];
}

function permissionLabel(p: Permission): string {
  switch (p) {
    case 'respond':
      return msg('Can respond', { id: 'chat-channel-settings.perm.respond' });
    case 'notifications':
      return msg('Notifications', { id: 'chat-channel-settings.perm.notifications' });
    case 'listen':
      return msg('Can listen in', { id: 'chat-channel-settings.perm.listen' });
    case 'manager':
      return msg('Manager', { id: 'chat-channel-settings.perm.manager' });
  }
}

/**
 * @summary A channel's settings for its managers: names and customer texts per language (with
 * fallback), opening hours per weekday with time zone, lunch break and closed days, wait warnings,
 * the widget's look, the pre-chat, offline and after-chat forms, and the channel's agents with
 * their permissions and capacity. Saves through the chat server (`PUT /api/channels/<id>/settings`),
 * which checks every value and names the ones it refuses.
 * @tag chat-channel-settings
 * @status experimental
 * @since 0.1
 *
 * @fires {ChatChannelSettingsSavedEvent} chat-channel-settings-saved - The settings were saved; `detail.view` is what the server stored.
 *
 * @csspart base - The wrapper of everything the element shows.
 * @csspart form - The form.
 * @csspart save - The Save button.
 * @cssproperty [--chat-channel-settings-max-width=60rem] - Widest the form grows.
 *
 * @cssstate loading - The settings are being loaded.
 * @cssstate dirty - There are changes not saved yet.
 */
export class ChatChannelSettings extends ChatElement {
  static override styles = [hostStyles, buttonStyles, channelSettingsStyles];

  /** Client whose server and access token are used; provided by an enclosing chat-window or set directly. */
  @consume({ context: chatClientContext, subscribe: true })
  @property({ attribute: false })
  client?: ChatClient;

  /** The channel to edit. */
  @property({ attribute: 'channel-id', reflect: true }) channelId = '';

  @state() private view: ChannelSettingsView | undefined;
  @state() private draft: Draft | undefined;
  @state() private status: Status = 'idle';
  @state() private textLanguage: ChannelLanguage = 'en';
  /** Refused values by path (`settings.look.colour`), from the server. */
  @state() private refused: Readonly<Record<string, string>> = {};

  /** Labels of the fields rendered, by path (for the error summary). */
  private readonly labels = new Map<string, string>();
  private loadedFor = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('client') || changed.has('channelId')) && this.client && this.channelId !== '' && this.loadedFor !== this.channelId) {
      void this.load();
    }
    this.setCustomState('loading', this.status === 'loading');
    this.setCustomState('dirty', this.isDirty());
  }

  /** Loads the channel's settings again (discarding unsaved changes). */
  async load(): Promise<void> {
    const client = this.client;
    const channelId = this.channelId;
    if (!client || channelId === '') return;
    this.loadedFor = channelId;
    this.status = 'loading';
    try {
      const view = await client.getChannelSettings(channelId);
      if (channelId !== this.channelId) return;
      this.accept(view);
      this.status = 'idle';
    } catch (error) {
      this.status = error instanceof ChatHttpError && (error.status === 403 || error.status === 404) ? 'forbidden' : 'failed';
    }
  }

  private accept(view: ChannelSettingsView): void {
    this.view = view;
    this.draft = {
      name: view.name,
      warnAfterSeconds: view.warnAfterSeconds,
      managerWarnAfterSeconds: view.managerWarnAfterSeconds,
      assignment: { ...view.assignment },
      settings: clone(view.settings),
      agents: clone(view.agents),
    };
    this.textLanguage = view.settings.language;
    this.refused = {};
  }

  private isDirty(): boolean {
    const { view, draft } = this;
    if (!view || !draft) return false;
    return (
      draft.name !== view.name ||
      draft.warnAfterSeconds !== view.warnAfterSeconds ||
      draft.managerWarnAfterSeconds !== view.managerWarnAfterSeconds ||
      JSON.stringify(draft.assignment) !== JSON.stringify(view.assignment) ||
      JSON.stringify(draft.settings) !== JSON.stringify(view.settings) ||
      JSON.stringify(draft.agents) !== JSON.stringify(view.agents)
    );
  }

  /** Applies a change to the draft's settings and re-renders. */
  private edit(change: (d: Draft) => void): void {
    if (!this.draft) return;
    const next = clone(this.draft);
    change(next);
    this.draft = next;
    if (this.status === 'saved') this.status = 'idle';
  }

  private async save(event: Event): Promise<void> {
    event.preventDefault();
    const { client, view, draft } = this;
    if (!client || !view || !draft || this.status === 'saving') return;
    // Every agent, so that a refused `agents[i]` is row i here (the server changes only what differs).
    const agents = draft.agents.map((a) => ({ id: a.id, permissions: a.permissions, maxConcurrentChats: a.maxConcurrentChats }));
    this.status = 'saving';
    try {
      const saved = await client.saveChannelSettings(view.id, {
        name: draft.name,
        warnAfterSeconds: draft.warnAfterSeconds,
        managerWarnAfterSeconds: draft.managerWarnAfterSeconds,
        assignment: draft.assignment,
        settings: draft.settings,
        ...(agents.length > 0 ? { agents } : {}),
      });
      const language = this.textLanguage;
      this.accept(saved);
      this.textLanguage = language;
      this.status = 'saved';
      announce(msg('Settings saved.', { id: 'chat-channel-settings.saved' }));
      this.dispatchEvent(new ChatChannelSettingsSavedEvent({ view: saved }));
    } catch (error) {
      this.refused = error instanceof ChatHttpError && error.fields ? error.fields : {};
      this.status = 'failed';
      await this.updateComplete;
      const first = Object.keys(this.refused)[0];
      if (first !== undefined) this.focusField(first);
      else this.renderRoot.querySelector<HTMLElement>('.status')?.focus();
    }
  }

  /** The rendered field for a refused path: the one with the longest matching `data-path`. */
  private fieldFor(path: string): HTMLElement | undefined {
    let best: HTMLElement | undefined;
    let bestLength = -1;
    for (const el of this.renderRoot.querySelectorAll<HTMLElement>('[data-path]')) {
      const p = el.dataset.path ?? '';
      if ((path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`)) && p.length > bestLength) {
        best = el;
        bestLength = p.length;
      }
    }
    return best;
  }

  private focusField(path: string): void {
    this.fieldFor(path)?.focus();
  }

  private invalid(path: string): 'true' | 'false' {
    return Object.keys(this.refused).some((k) => k === path || k.startsWith(`${path}.`) || k.startsWith(`${path}[`)) ? 'true' : 'false';
  }

  /** Remembers a field's label for the error summary and returns it. */
  private label(path: string, text: string): string {
    this.labels.set(path, text);
    return text;
  }

  override render() {
    return html`<div part="base" class="base">${this.renderBody()}</div>`;
  }

  private renderBody() {
    if (this.status === 'forbidden') {
      return html`<p class="status" role="alert">${msg('Only managers of this channel can change its settings.', { id: 'chat-channel-settings.forbidden' })}</p>`;
    }
    const draft = this.draft;
    if (!draft) {
      return this.status === 'failed'
        ? html`<p class="status" data-kind="error" role="alert">
            ${msg('The settings could not be loaded.', { id: 'chat-channel-settings.load-failed' })}
            <button class="btn" type="button" @click=${() => void this.load()}>${msg('Try again', { id: 'chat-channel-settings.retry' })}</button>
          </p>`
        : html`<p class="status" role="status">${msg('Loading settings…', { id: 'chat-channel-settings.loading' })}</p>`;
    }
    this.labels.clear();
    const sections = [this.renderChannel(draft), this.renderTexts(draft), this.renderHours(draft), this.renderLook(draft), this.renderForms(draft), this.renderAgents(draft)];
    return html`<form part="form" @submit=${this.save} aria-label=${msg(str`Settings of ${this.view?.name ?? ''}`, { id: 'chat-channel-settings.form' })}>
      ${this.renderErrors()} ${sections}
      <div class="actions">
        <button part="save" class="btn btn--primary" type="submit" ?disabled=${this.status === 'saving'}>${msg('Save', { id: 'chat-channel-settings.save' })}</button>
        <button class="btn" type="button" ?disabled=${!this.isDirty()} @click=${() => {
          if (this.view) this.accept(this.view);
        }}>${msg('Undo changes', { id: 'chat-channel-settings.undo' })}</button>
        ${this.renderStatus()}
      </div>
    </form>`;
  }

  private renderStatus() {
    switch (this.status) {
      case 'saving':
        return html`<p class="status" role="status">${msg('Saving…', { id: 'chat-channel-settings.saving' })}</p>`;
      case 'saved':
        return html`<p class="status" role="status" data-kind="saved">${msg('Settings saved.', { id: 'chat-channel-settings.saved' })}</p>`;
      case 'failed':
        return html`<p class="status" role="alert" data-kind="error" tabindex="-1">${msg('The settings were not saved.', { id: 'chat-channel-settings.save-failed' })}</p>`;
      default:
        return html`<p class="status" role="status"></p>`;
    }
  }

  private renderErrors() {
    const paths = Object.keys(this.refused);
    if (paths.length === 0) return nothing;
    return html`<div class="errors" role="group" aria-label=${msg('Values to check', { id: 'chat-channel-settings.errors' })}>
      ${msg(str`${paths.length} values were not accepted:`, { id: 'chat-channel-settings.errors.count' })}
      <ul>
        ${paths.map((path) => {
          const field = [...this.labels.keys()].filter((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`)).sort((a, b) => b.length - a.length)[0];
          const name = field === undefined ? path : (this.labels.get(field) ?? path);
          return html`<li><button type="button" @click=${() => { this.focusField(path); }}>${name}</button></li>`;
        })}
      </ul>
    </div>`;
  }

  private renderChannel(d: Draft) {
    return html`<fieldset>
      <legend>${msg('Channel', { id: 'chat-channel-settings.section.channel' })}</legend>
      <div class="grid">
        <label class="field"
          >${this.label('name', msg('Name for agents', { id: 'chat-channel-settings.agent-name' }))}
          <input data-path="name" aria-invalid=${this.invalid('name')} required maxlength="100" .value=${d.name} @input=${(e: Event) => { this.edit((x) => (x.name = (e.target as HTMLInputElement).value)); }} />
        </label>
        <label class="field"
          >${this.label('settings.language', msg('Widget language', { id: 'chat-channel-settings.language' }))}
          <select data-path="settings.language" aria-invalid=${this.invalid('settings.language')} @change=${(e: Event) => { this.edit((x) => (x.settings.language = (e.target as HTMLSelectElement).value as ChannelLanguage)); }}>
            ${CHANNEL_LANGUAGES.map((l) => html`<option value=${l} ?selected=${d.settings.language === l}>${languageName(l)}</option>`)}
          </select>
        </label>
        ${this.numberField('warnAfterSeconds', msg('Warn agents after (seconds)', { id: 'chat-channel-settings.warn' }), d.warnAfterSeconds, 0, 86400, (x, n) => (x.warnAfterSeconds = n))}
        ${this.numberField('managerWarnAfterSeconds', msg('Warn managers after (seconds)', { id: 'chat-channel-settings.manager-warn' }), d.managerWarnAfterSeconds, 0, 86400, (x, n) => (x.managerWarnAfterSeconds = n))}
      </div>
      <p class="hint">${msg('A chat unanswered this long warns the channel’s Present agents with Notifications, then its managers. 0: never.', { id: 'chat-channel-settings.warn-hint' })}</p>
      <div class="grid">
        <label class="field"
          >${this.label('assignment.mode', msg('Automatic assignment', { id: 'chat-channel-settings.assign' }))}
          <select data-path="assignment.mode" aria-invalid=${this.invalid('assignment.mode')} @change=${(e: Event) => { this.edit((x) => (x.assignment.mode = (e.target as HTMLSelectElement).value as AssignMode)); }}>
            ${ASSIGN_MODES.map((m) => html`<option value=${m} ?selected=${d.assignment.mode === m}>${assignModeLabel(m)}</option>`)}
          </select>
        </label>
        ${this.numberField('assignment.offerSeconds', msg('Time to accept an offered chat (seconds)', { id: 'chat-channel-settings.offer-seconds' }), d.assignment.offerSeconds, MIN_OFFER_SECONDS, MAX_OFFER_SECONDS, (x, n) => (x.assignment.offerSeconds = n))}
      </div>
      <p class="hint">${msg('Chats are offered only to Present agents below their maximum number of chats. An agent who does not accept in time is set to Away, and the chat is offered to the next.', { id: 'chat-channel-settings.assign-hint' })}</p>
    </fieldset>`;
  }

  private numberField(path: string, label: string, value: number, min: number, max: number, set: (d: Draft, n: number) => void) {
    return html`<label class="field"
      >${this.label(path, label)}
      <input
        type="number"
        data-path=${path}
        aria-invalid=${this.invalid(path)}
        min=${min}
        max=${max}
        step="1"
        .value=${String(value)}
        @input=${(e: Event) => {
          const n = (e.target as HTMLInputElement).valueAsNumber;
          if (Number.isFinite(n)) this.edit((x) => { set(x, n); });
        }}
      />
    </label>`;
  }

  private renderTexts(d: Draft) {
    const lang = this.textLanguage;
    const own = d.settings.texts[lang] ?? {};
    return html`<fieldset>
      <legend>${msg('Texts for customers', { id: 'chat-channel-settings.section.texts' })}</legend>
      <p class="hint">${msg('Each text is kept per language. An empty text falls back to the widget language, then English.', { id: 'chat-channel-settings.texts-hint' })}</p>
      <label class="field"
        >${msg('Language of the texts', { id: 'chat-channel-settings.text-language' })}
        <select
          @change=${(e: Event) => {
            this.textLanguage = (e.target as HTMLSelectElement).value as ChannelLanguage;
          }}
        >
          ${CHANNEL_LANGUAGES.map((l) => html`<option value=${l} ?selected=${lang === l}>${languageName(l)}</option>`)}
        </select>
      </label>
      <div class="grid">
        ${CUSTOMER_TEXT_KEYS.map((key) => {
          const path = `settings.texts.${lang}.${key}`;
          const fallback = own[key] ? undefined : customerText(d.settings, lang, key);
          const set = (e: Event) => {
            const value = (e.target as HTMLInputElement | HTMLTextAreaElement).value;
            this.edit((x) => {
              const texts = Object.fromEntries(Object.entries(x.settings.texts[lang] ?? {}).filter(([k]) => k !== key));
              x.settings.texts[lang] = value === '' ? texts : { ...texts, [key]: value };
            });
          };
          const label = this.label(path, `${textLabel(key)} (${languageName(lang)})`);
          return html`<label class="field"
            >${label}
            ${LONG_TEXTS.has(key)
              ? html`<textarea data-path=${path} lang=${lang} aria-invalid=${this.invalid(path)} maxlength=${TEXT_LIMITS[key]} placeholder=${fallback ?? ''} .value=${own[key] ?? ''} @input=${set}></textarea>`
              : html`<input data-path=${path} lang=${lang} aria-invalid=${this.invalid(path)} maxlength=${TEXT_LIMITS[key]} placeholder=${fallback ?? ''} .value=${own[key] ?? ''} @input=${set} />`}
          </label>`;
        })}
      </div>
    </fieldset>`;
  }

  private renderHours(d: Draft) {
    const hours = d.settings.hours;
    const timeInput = (path: string, label: string, value: string, set: (v: string) => void) =>
      html`<input type="time" data-path=${path} aria-invalid=${this.invalid(path)} aria-label=${this.label(path, label)} .value=${value} @change=${(e: Event) => { set((e.target as HTMLInputElement).value); }} />`;
    const editDay = (day: Weekday, change: (h: NonNullable<DayHours>) => void) => { this.edit((x) => {
        const h = x.settings.hours?.days[day];
        if (h) change(h);
      }); };
    return html`<fieldset>
      <legend>${msg('Opening hours', { id: 'chat-channel-settings.section.hours' })}</legend>
      <label class="check">
        <input
          type="checkbox"
          .checked=${hours !== null}
          @change=${(e: Event) => { this.edit((x) => (x.settings.hours = (e.target as HTMLInputElement).checked ? defaultHours() : null)); }}
        />
        ${msg('Open only within opening hours', { id: 'chat-channel-settings.hours-on' })}
      </label>
      ${hours === null
        ? html`<p class="hint">${msg('Always open: only whether an agent is Present decides.', { id: 'chat-channel-settings.hours-off' })}</p>`
        : html`<label class="field"
              >${this.label('settings.hours.timeZone', msg('Time zone', { id: 'chat-channel-settings.time-zone' }))}
              <select data-path="settings.hours.timeZone" aria-invalid=${this.invalid('settings.hours.timeZone')} @change=${(e: Event) => { this.edit((x) => x.settings.hours && (x.settings.hours.timeZone = (e.target as HTMLSelectElement).value)); }}>
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
                  ${WEEKDAYS.map((day) => this.renderDay(day, hours.days[day], timeInput, editDay))}
                </tbody>
              </table>
            </div>
            <label class="field"
              >${this.label('settings.hours.closedDates', msg('Closed days (one date YYYY-MM-DD per line)', { id: 'chat-channel-settings.closed-dates' }))}
              <textarea
                data-path="settings.hours.closedDates"
                aria-invalid=${this.invalid('settings.hours.closedDates')}
                .value=${hours.closedDates.join('\n')}
                @change=${(e: Event) => { this.edit((x) => {
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

  private renderDay(
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
          @change=${(e: Event) => { this.edit((x) => {
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

  private renderLook(d: Draft) {
    const look = d.settings.look;
    return html`<fieldset>
      <legend>${msg('Widget look', { id: 'chat-channel-settings.section.look' })}</legend>
      <div class="grid">
        <label class="field"
          >${this.label('settings.look.theme', msg('Theme', { id: 'chat-channel-settings.theme' }))}
          <select data-path="settings.look.theme" @change=${(e: Event) => { this.edit((x) => (x.settings.look.theme = (e.target as HTMLSelectElement).value as ChannelSettings['look']['theme'])); }}>
            ${WIDGET_THEMES.map((t) => html`<option value=${t} ?selected=${look.theme === t}>${themeLabel(t)}</option>`)}
          </select>
        </label>
        <label class="field"
          >${this.label('settings.look.colour', msg('Colour', { id: 'chat-channel-settings.colour' }))}
          <input type="color" data-path="settings.look.colour" aria-invalid=${this.invalid('settings.look.colour')} .value=${look.colour} @input=${(e: Event) => { this.edit((x) => (x.settings.look.colour = (e.target as HTMLInputElement).value)); }} />
        </label>
        <label class="field"
          >${this.label('settings.look.font', msg('Font', { id: 'chat-channel-settings.font' }))}
          <select data-path="settings.look.font" @change=${(e: Event) => { this.edit((x) => (x.settings.look.font = (e.target as HTMLSelectElement).value as ChannelSettings['look']['font'])); }}>
            ${WIDGET_FONTS.map((f) => html`<option value=${f} ?selected=${look.font === f}>${fontLabel(f)}</option>`)}
          </select>
        </label>
        <label class="field"
          >${this.label('settings.look.logoUrl', msg('Logo (https:// address)', { id: 'chat-channel-settings.logo' }))}
          <input type="url" data-path="settings.look.logoUrl" aria-invalid=${this.invalid('settings.look.logoUrl')} .value=${look.logoUrl} @input=${(e: Event) => { this.edit((x) => (x.settings.look.logoUrl = (e.target as HTMLInputElement).value.trim())); }} />
        </label>
      </div>
      <label class="check">
        <input type="checkbox" .checked=${look.agentPhoto} @change=${(e: Event) => { this.edit((x) => (x.settings.look.agentPhoto = (e.target as HTMLInputElement).checked)); }} />
        ${msg('Show the agent’s photo in the header once an agent joins', { id: 'chat-channel-settings.agent-photo' })}
      </label>
    </fieldset>`;
  }

  private modeSelect(path: string, label: string, value: FieldMode, set: (d: Draft, m: FieldMode) => void) {
    return html`<label class="field"
      >${this.label(path, label)}
      <select data-path=${path} aria-invalid=${this.invalid(path)} @change=${(e: Event) => { this.edit((x) => { set(x, (e.target as HTMLSelectElement).value as FieldMode); }); }}>
        ${MODES.map((m) => html`<option value=${m} ?selected=${value === m}>${modeLabel(m)}</option>`)}
      </select>
    </label>`;
  }

  private check(label: string, checked: boolean, set: (d: Draft, on: boolean) => void) {
    return html`<label class="check">
      <input type="checkbox" .checked=${checked} @change=${(e: Event) => { this.edit((x) => { set(x, (e.target as HTMLInputElement).checked); }); }} />
      ${label}
    </label>`;
  }

  private renderForms(d: Draft) {
    const { preChat, offline, postChat } = d.settings;
    const fields: FormField[] = ['name', 'email', 'phone', 'company'];
    return html`<fieldset>
        <legend>${msg('Before the chat', { id: 'chat-channel-settings.section.pre' })}</legend>
        <div class="grid">${fields.map((f) => this.modeSelect(`settings.preChat.${f}`, fieldLabel(f), preChat[f], (x, m) => (x.settings.preChat[f] = m)))}</div>
        ${this.check(msg('The customer must accept the consent text', { id: 'chat-channel-settings.consent' }), preChat.consent, (x, on) => (x.settings.preChat.consent = on))}
        ${this.check(msg('Suggest three matching FAQs before the chat starts', { id: 'chat-channel-settings.faq' }), preChat.faqSuggestions, (x, on) => (x.settings.preChat.faqSuggestions = on))}
      </fieldset>
      <fieldset>
        <legend>${msg('When closed or nobody is Present', { id: 'chat-channel-settings.section.offline' })}</legend>
        ${this.check(msg('Also while open when no agent is Present', { id: 'chat-channel-settings.nobody-present' }), offline.whenNobodyPresent, (x, on) => (x.settings.offline.whenNobodyPresent = on))}
        ${this.check(msg('Customers can leave a request', { id: 'chat-channel-settings.request' }), offline.request, (x, on) => (x.settings.offline.request = on))}
        <div class="grid">
          ${this.modeSelect('settings.offline.email', fieldLabel('email'), offline.email, (x, m) => (x.settings.offline.email = m))}
          ${this.modeSelect('settings.offline.phone', fieldLabel('phone'), offline.phone, (x, m) => (x.settings.offline.phone = m))}
        </div>
        <fieldset class="inner" data-path="settings.offline.categories" tabindex="-1" aria-invalid=${this.invalid('settings.offline.categories')}>
          <legend>${this.label('settings.offline.categories', msg('Request categories to choose from', { id: 'chat-channel-settings.categories' }))}</legend>
          <div class="grid">
            ${CRM_REQUEST_CATEGORIES.map((c) =>
              this.check(categoryLabel(c), offline.categories.includes(c), (x, on) => {
                x.settings.offline.categories = CRM_REQUEST_CATEGORIES.filter((k) => (k === c ? on : x.settings.offline.categories.includes(k)));
              }),
            )}
          </div>
        </fieldset>
        ${this.check(msg('The customer picks a priority', { id: 'chat-channel-settings.priority' }), offline.priority, (x, on) => (x.settings.offline.priority = on))}
      </fieldset>
      <fieldset>
        <legend>${msg('After the chat', { id: 'chat-channel-settings.section.post' })}</legend>
        ${this.check(msg('Ask for a rating (1–5) and a comment', { id: 'chat-channel-settings.rating' }), postChat.rating, (x, on) => (x.settings.postChat.rating = on))}
        ${this.check(msg('Offer the transcript by e-mail', { id: 'chat-channel-settings.transcript' }), postChat.transcript, (x, on) => (x.settings.postChat.transcript = on))}
        <div class="grid">
          ${this.numberField('settings.postChat.returnMinutes', msg('Customers may return to the chat within (minutes)', { id: 'chat-channel-settings.return' }), postChat.returnMinutes, 0, 60, (x, n) => (x.settings.postChat.returnMinutes = n))}
        </div>
      </fieldset>
      ${this.renderBot(d)}`;
  }

  private renderBot(d: Draft) {
    const { bot } = d.settings;
    return html`<fieldset data-path="settings.bot" tabindex="-1" aria-invalid=${this.invalid('settings.bot')}>
      <legend>${this.label('settings.bot', msg('Chatbot first', { id: 'chat-channel-settings.section.bot' }))}</legend>
      ${this.check(msg('A bot answers new chats first and hands them to the queue', { id: 'chat-channel-settings.bot.enabled' }), bot.enabled, (x, on) => (x.settings.bot.enabled = on))}
      <div class="grid">
        <label class="field"
          >${this.label('settings.bot.url', msg('Bot webhook (https:// address)', { id: 'chat-channel-settings.bot.url' }))}
          <input type="text" inputmode="url" data-path="settings.bot.url" aria-invalid=${this.invalid('settings.bot.url')} .value=${bot.url} @input=${(e: Event) => { this.edit((x) => (x.settings.bot.url = (e.target as HTMLInputElement).value.trim())); }} />
        </label>
        <label class="field"
          >${this.label('settings.bot.secret', msg('Signing secret (16 characters or more)', { id: 'chat-channel-settings.bot.secret' }))}
          <input type="password" autocomplete="off" data-path="settings.bot.secret" aria-invalid=${this.invalid('settings.bot.secret')} .value=${bot.secret} @input=${(e: Event) => { this.edit((x) => (x.settings.bot.secret = (e.target as HTMLInputElement).value)); }} />
        </label>
        ${this.numberField('settings.bot.timeoutMs', msg('The bot answers within (milliseconds)', { id: 'chat-channel-settings.bot.timeout' }), bot.timeoutMs, 500, 30000, (x, n) => (x.settings.bot.timeoutMs = n))}
      </div>
      <p class="hint">${msg('Requests are signed (HMAC-SHA256, header X-Chat-Signature). A bot that fails or is late hands the chat to the queue. The bot’s name is a text for customers.', { id: 'chat-channel-settings.bot.hint' })}</p>
    </fieldset>`;
  }

  private renderAgents(d: Draft) {
    return html`<fieldset>
      <legend>${msg('Agents of the channel', { id: 'chat-channel-settings.section.agents' })}</legend>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">${msg('Agent', { id: 'chat-channel-settings.agent' })}</th>
              ${PERMISSIONS.map((p) => html`<th scope="col">${permissionLabel(p)}</th>`)}
              <th scope="col">${msg('Chats at once', { id: 'chat-channel-settings.capacity' })}</th>
            </tr>
          </thead>
          <tbody>
            ${d.agents.map((a, i) => {
              const path = `agents[${String(i)}]`;
              return html`<tr>
                <th scope="row">${a.name}</th>
                ${PERMISSIONS.map(
                  (p) =>
                    html`<td>
                      <input
                        type="checkbox"
                        data-path=${`${path}.permissions.${p}`}
                        aria-label=${this.label(`${path}.permissions.${p}`, msg(str`${permissionLabel(p)}: ${a.name}`, { id: 'chat-channel-settings.agent-permission' }))}
                        .checked=${a.permissions[p]}
                        @change=${(e: Event) => { this.edit((x) => x.agents[i] && (x.agents[i].permissions[p] = (e.target as HTMLInputElement).checked)); }}
                      />
                    </td>`,
                )}
                <td>
                  <input
                    type="number"
                    min="1"
                    max="50"
                    step="1"
                    data-path=${`${path}.maxConcurrentChats`}
                    aria-invalid=${this.invalid(`${path}.maxConcurrentChats`)}
                    aria-label=${this.label(`${path}.maxConcurrentChats`, msg(str`Chats at once: ${a.name}`, { id: 'chat-channel-settings.agent-capacity' }))}
                    .value=${String(a.maxConcurrentChats)}
                    @input=${(e: Event) => {
                      const n = (e.target as HTMLInputElement).valueAsNumber;
                      if (Number.isFinite(n)) this.edit((x) => x.agents[i] && (x.agents[i].maxConcurrentChats = n));
                    }}
                  />
                </td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
    </fieldset>`;
  }
}
