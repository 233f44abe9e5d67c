/**
 * The sections of chat-channel-settings (the channel, texts per language, the widget's look, the
 * forms before, outside and after the chat, chatbot first, the agents) and their small fields.
 * Render functions over the element's draft: `Editor` is what the element gives them.
 */
import { html } from 'lit';

import { CRM_REQUEST_CATEGORIES } from '../../crm/types.js';
import { getFormatLocale, msg, str } from '../../i18n/localization.js';
import { categoryLabel } from '../../i18n/requests.js';
import type { ChannelAgentView, ChannelLanguage, ChannelSettings, CustomerTextKey, FieldMode } from '../../protocol/channel-settings.js';
import { CHANNEL_LANGUAGES, CUSTOMER_TEXT_KEYS, customerText, TEXT_LIMITS, WIDGET_FONTS, WIDGET_THEMES } from '../../protocol/channel-settings.js';
import type { ChannelTargets } from '../../protocol/priority.js';
import type { AssignMode, ChannelAssignment } from '../../protocol/routing.js';
import { ASSIGN_MODES, MAX_OFFER_SECONDS, MIN_OFFER_SECONDS } from '../../protocol/routing.js';
import type { FormField } from './settings-texts.js';
import { assignModeLabel, fieldLabel, fontLabel, modeLabel, textLabel, themeLabel } from './settings-texts.js';

/** The longer texts get a text area. */
const LONG_TEXTS: ReadonlySet<CustomerTextKey> = new Set(['description', 'welcome', 'message', 'offlineMessage', 'postChatMessage', 'consent']);
const MODES: readonly FieldMode[] = ['hidden', 'optional', 'required'];
const PERMISSIONS = ['respond', 'notifications', 'listen', 'manager'] as const;
type Permission = (typeof PERMISSIONS)[number];

/** The settings being edited (saved as a whole). */
export interface Draft {
  name: string;
  warnAfterSeconds: number;
  managerWarnAfterSeconds: number;
  assignment: ChannelAssignment;
  /** Priority and response-time targets (issue 18; settings-targets.ts). */
  targets: ChannelTargets;
  settings: ChannelSettings;
  agents: ChannelAgentView[];
}

/** What the sections need from the element. */
export interface Editor {
  /** Applies a change to a copy of the draft and renders again. */
  edit(change: (d: Draft) => void): void;
  /** `aria-invalid` of a field: whether the server refused its path (or one under it). */
  invalid(path: string): 'true' | 'false';
  /** Remembers a field's label for the error summary and returns it. */
  label(path: string, text: string): string;
  /** The language whose customer texts are shown. */
  textLanguage(): ChannelLanguage;
  setTextLanguage(lang: ChannelLanguage): void;
}

export function languageName(lang: ChannelLanguage): string {
  try {
    return new Intl.DisplayNames([getFormatLocale()], { type: 'language' }).of(lang) ?? lang;
  } catch {
    return lang;
  }
}

export function permissionLabel(p: Permission): string {
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

export function renderChannel(ed: Editor, d: Draft) {
  return html`<fieldset>
    <legend>${msg('Channel', { id: 'chat-channel-settings.section.channel' })}</legend>
    <div class="grid">
      <label class="field"
        >${ed.label('name', msg('Name for agents', { id: 'chat-channel-settings.agent-name' }))}
        <input data-path="name" aria-invalid=${ed.invalid('name')} required maxlength="100" .value=${d.name} @input=${(e: Event) => { ed.edit((x) => (x.name = (e.target as HTMLInputElement).value)); }} />
      </label>
      <label class="field"
        >${ed.label('settings.language', msg('Widget language', { id: 'chat-channel-settings.language' }))}
        <select data-path="settings.language" aria-invalid=${ed.invalid('settings.language')} @change=${(e: Event) => { ed.edit((x) => (x.settings.language = (e.target as HTMLSelectElement).value as ChannelLanguage)); }}>
          ${CHANNEL_LANGUAGES.map((l) => html`<option value=${l} ?selected=${d.settings.language === l}>${languageName(l)}</option>`)}
        </select>
      </label>
      ${numberField(ed, 'warnAfterSeconds', msg('Warn agents after (seconds)', { id: 'chat-channel-settings.warn' }), d.warnAfterSeconds, 0, 86400, (x, n) => (x.warnAfterSeconds = n))}
      ${numberField(ed, 'managerWarnAfterSeconds', msg('Warn managers after (seconds)', { id: 'chat-channel-settings.manager-warn' }), d.managerWarnAfterSeconds, 0, 86400, (x, n) => (x.managerWarnAfterSeconds = n))}
    </div>
    <p class="hint">${msg('A chat unanswered this long warns the channel’s Present agents with Notifications, then its managers. 0: never.', { id: 'chat-channel-settings.warn-hint' })}</p>
    <div class="grid">
      <label class="field"
        >${ed.label('assignment.mode', msg('Automatic assignment', { id: 'chat-channel-settings.assign' }))}
        <select data-path="assignment.mode" aria-invalid=${ed.invalid('assignment.mode')} @change=${(e: Event) => { ed.edit((x) => (x.assignment.mode = (e.target as HTMLSelectElement).value as AssignMode)); }}>
          ${ASSIGN_MODES.map((m) => html`<option value=${m} ?selected=${d.assignment.mode === m}>${assignModeLabel(m)}</option>`)}
        </select>
      </label>
      ${numberField(ed, 'assignment.offerSeconds', msg('Time to accept an offered chat (seconds)', { id: 'chat-channel-settings.offer-seconds' }), d.assignment.offerSeconds, MIN_OFFER_SECONDS, MAX_OFFER_SECONDS, (x, n) => (x.assignment.offerSeconds = n))}
    </div>
    <p class="hint">${msg('Chats are offered only to Present agents below their maximum number of chats. An agent who does not accept in time is set to Away, and the chat is offered to the next.', { id: 'chat-channel-settings.assign-hint' })}</p>
  </fieldset>`;
}

export function numberField(ed: Editor, path: string, label: string, value: number, min: number, max: number, set: (d: Draft, n: number) => void) {
  return html`<label class="field"
    >${ed.label(path, label)}
    <input
      type="number"
      data-path=${path}
      aria-invalid=${ed.invalid(path)}
      min=${min}
      max=${max}
      step="1"
      .value=${String(value)}
      @input=${(e: Event) => {
        const n = (e.target as HTMLInputElement).valueAsNumber;
        if (Number.isFinite(n)) ed.edit((x) => { set(x, n); });
      }}
    />
  </label>`;
}

export function renderTexts(ed: Editor, d: Draft) {
  const lang = ed.textLanguage();
  const own = d.settings.texts[lang] ?? {};
  return html`<fieldset>
    <legend>${msg('Texts for customers', { id: 'chat-channel-settings.section.texts' })}</legend>
    <p class="hint">${msg('Each text is kept per language. An empty text falls back to the widget language, then English.', { id: 'chat-channel-settings.texts-hint' })}</p>
    <label class="field"
      >${msg('Language of the texts', { id: 'chat-channel-settings.text-language' })}
      <select
        @change=${(e: Event) => {
          ed.setTextLanguage((e.target as HTMLSelectElement).value as ChannelLanguage);
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
          ed.edit((x) => {
            const texts = Object.fromEntries(Object.entries(x.settings.texts[lang] ?? {}).filter(([k]) => k !== key));
            x.settings.texts[lang] = value === '' ? texts : { ...texts, [key]: value };
          });
        };
        const label = ed.label(path, `${textLabel(key)} (${languageName(lang)})`);
        return html`<label class="field"
          >${label}
          ${LONG_TEXTS.has(key)
            ? html`<textarea data-path=${path} lang=${lang} aria-invalid=${ed.invalid(path)} maxlength=${TEXT_LIMITS[key]} placeholder=${fallback ?? ''} .value=${own[key] ?? ''} @input=${set}></textarea>`
            : html`<input data-path=${path} lang=${lang} aria-invalid=${ed.invalid(path)} maxlength=${TEXT_LIMITS[key]} placeholder=${fallback ?? ''} .value=${own[key] ?? ''} @input=${set} />`}
        </label>`;
      })}
    </div>
  </fieldset>`;
}

export function renderLook(ed: Editor, d: Draft) {
  const look = d.settings.look;
  return html`<fieldset>
    <legend>${msg('Widget look', { id: 'chat-channel-settings.section.look' })}</legend>
    <div class="grid">
      <label class="field"
        >${ed.label('settings.look.theme', msg('Theme', { id: 'chat-channel-settings.theme' }))}
        <select data-path="settings.look.theme" @change=${(e: Event) => { ed.edit((x) => (x.settings.look.theme = (e.target as HTMLSelectElement).value as ChannelSettings['look']['theme'])); }}>
          ${WIDGET_THEMES.map((t) => html`<option value=${t} ?selected=${look.theme === t}>${themeLabel(t)}</option>`)}
        </select>
      </label>
      <label class="field"
        >${ed.label('settings.look.colour', msg('Colour', { id: 'chat-channel-settings.colour' }))}
        <input type="color" data-path="settings.look.colour" aria-invalid=${ed.invalid('settings.look.colour')} .value=${look.colour} @input=${(e: Event) => { ed.edit((x) => (x.settings.look.colour = (e.target as HTMLInputElement).value)); }} />
      </label>
      <label class="field"
        >${ed.label('settings.look.font', msg('Font', { id: 'chat-channel-settings.font' }))}
        <select data-path="settings.look.font" @change=${(e: Event) => { ed.edit((x) => (x.settings.look.font = (e.target as HTMLSelectElement).value as ChannelSettings['look']['font'])); }}>
          ${WIDGET_FONTS.map((f) => html`<option value=${f} ?selected=${look.font === f}>${fontLabel(f)}</option>`)}
        </select>
      </label>
      <label class="field"
        >${ed.label('settings.look.logoUrl', msg('Logo (https:// address)', { id: 'chat-channel-settings.logo' }))}
        <input type="url" data-path="settings.look.logoUrl" aria-invalid=${ed.invalid('settings.look.logoUrl')} .value=${look.logoUrl} @input=${(e: Event) => { ed.edit((x) => (x.settings.look.logoUrl = (e.target as HTMLInputElement).value.trim())); }} />
      </label>
    </div>
    <label class="check">
      <input type="checkbox" .checked=${look.agentPhoto} @change=${(e: Event) => { ed.edit((x) => (x.settings.look.agentPhoto = (e.target as HTMLInputElement).checked)); }} />
      ${msg('Show the agent’s photo in the header once an agent joins', { id: 'chat-channel-settings.agent-photo' })}
    </label>
  </fieldset>`;
}

export function modeSelect(ed: Editor, path: string, label: string, value: FieldMode, set: (d: Draft, m: FieldMode) => void) {
  return html`<label class="field"
    >${ed.label(path, label)}
    <select data-path=${path} aria-invalid=${ed.invalid(path)} @change=${(e: Event) => { ed.edit((x) => { set(x, (e.target as HTMLSelectElement).value as FieldMode); }); }}>
      ${MODES.map((m) => html`<option value=${m} ?selected=${value === m}>${modeLabel(m)}</option>`)}
    </select>
  </label>`;
}

export function check(ed: Editor, label: string, checked: boolean, set: (d: Draft, on: boolean) => void) {
  return html`<label class="check">
    <input type="checkbox" .checked=${checked} @change=${(e: Event) => { ed.edit((x) => { set(x, (e.target as HTMLInputElement).checked); }); }} />
    ${label}
  </label>`;
}

export function renderForms(ed: Editor, d: Draft) {
  const { preChat, offline, postChat } = d.settings;
  const fields: FormField[] = ['name', 'email', 'phone', 'company'];
  return html`<fieldset>
      <legend>${msg('Before the chat', { id: 'chat-channel-settings.section.pre' })}</legend>
      <div class="grid">${fields.map((f) => modeSelect(ed, `settings.preChat.${f}`, fieldLabel(f), preChat[f], (x, m) => (x.settings.preChat[f] = m)))}</div>
      ${check(ed, msg('The customer must accept the consent text', { id: 'chat-channel-settings.consent' }), preChat.consent, (x, on) => (x.settings.preChat.consent = on))}
      ${check(ed, msg('Suggest three matching FAQs before the chat starts', { id: 'chat-channel-settings.faq' }), preChat.faqSuggestions, (x, on) => (x.settings.preChat.faqSuggestions = on))}
    </fieldset>
    <fieldset>
      <legend>${msg('When closed or nobody is Present', { id: 'chat-channel-settings.section.offline' })}</legend>
      ${check(ed, msg('Also while open when no agent is Present', { id: 'chat-channel-settings.nobody-present' }), offline.whenNobodyPresent, (x, on) => (x.settings.offline.whenNobodyPresent = on))}
      ${check(ed, msg('Customers can leave a request', { id: 'chat-channel-settings.request' }), offline.request, (x, on) => (x.settings.offline.request = on))}
      <div class="grid">
        ${modeSelect(ed, 'settings.offline.email', fieldLabel('email'), offline.email, (x, m) => (x.settings.offline.email = m))}
        ${modeSelect(ed, 'settings.offline.phone', fieldLabel('phone'), offline.phone, (x, m) => (x.settings.offline.phone = m))}
      </div>
      <fieldset class="inner" data-path="settings.offline.categories" tabindex="-1" aria-invalid=${ed.invalid('settings.offline.categories')}>
        <legend>${ed.label('settings.offline.categories', msg('Request categories to choose from', { id: 'chat-channel-settings.categories' }))}</legend>
        <div class="grid">
          ${CRM_REQUEST_CATEGORIES.map((c) =>
            check(ed, categoryLabel(c), offline.categories.includes(c), (x, on) => {
              x.settings.offline.categories = CRM_REQUEST_CATEGORIES.filter((k) => (k === c ? on : x.settings.offline.categories.includes(k)));
            }),
          )}
        </div>
      </fieldset>
      ${check(ed, msg('The customer picks a priority', { id: 'chat-channel-settings.priority' }), offline.priority, (x, on) => (x.settings.offline.priority = on))}
    </fieldset>
    <fieldset>
      <legend>${msg('After the chat', { id: 'chat-channel-settings.section.post' })}</legend>
      ${check(ed, msg('Ask for a rating (1–5) and a comment', { id: 'chat-channel-settings.rating' }), postChat.rating, (x, on) => (x.settings.postChat.rating = on))}
      ${check(ed, msg('Offer the transcript by e-mail', { id: 'chat-channel-settings.transcript' }), postChat.transcript, (x, on) => (x.settings.postChat.transcript = on))}
      <div class="grid">
        ${numberField(ed, 'settings.postChat.returnMinutes', msg('Customers may return to the chat within (minutes)', { id: 'chat-channel-settings.return' }), postChat.returnMinutes, 0, 60, (x, n) => (x.settings.postChat.returnMinutes = n))}
      </div>
    </fieldset>
    ${renderBot(ed, d)}`;
}

export function renderBot(ed: Editor, d: Draft) {
  const { bot } = d.settings;
  return html`<fieldset data-path="settings.bot" tabindex="-1" aria-invalid=${ed.invalid('settings.bot')}>
    <legend>${ed.label('settings.bot', msg('Chatbot first', { id: 'chat-channel-settings.section.bot' }))}</legend>
    ${check(ed, msg('A bot answers new chats first and hands them to the queue', { id: 'chat-channel-settings.bot.enabled' }), bot.enabled, (x, on) => (x.settings.bot.enabled = on))}
    <div class="grid">
      <label class="field"
        >${ed.label('settings.bot.url', msg('Bot webhook (https:// address)', { id: 'chat-channel-settings.bot.url' }))}
        <input type="text" inputmode="url" data-path="settings.bot.url" aria-invalid=${ed.invalid('settings.bot.url')} .value=${bot.url} @input=${(e: Event) => { ed.edit((x) => (x.settings.bot.url = (e.target as HTMLInputElement).value.trim())); }} />
      </label>
      <label class="field"
        >${ed.label('settings.bot.secret', msg('Signing secret (16 characters or more)', { id: 'chat-channel-settings.bot.secret' }))}
        <input type="password" autocomplete="off" data-path="settings.bot.secret" aria-invalid=${ed.invalid('settings.bot.secret')} .value=${bot.secret} @input=${(e: Event) => { ed.edit((x) => (x.settings.bot.secret = (e.target as HTMLInputElement).value)); }} />
      </label>
      ${numberField(ed, 'settings.bot.timeoutMs', msg('The bot answers within (milliseconds)', { id: 'chat-channel-settings.bot.timeout' }), bot.timeoutMs, 500, 30000, (x, n) => (x.settings.bot.timeoutMs = n))}
    </div>
    <p class="hint">${msg('Requests are signed (HMAC-SHA256, header X-Chat-Signature). A bot that fails or is late hands the chat to the queue. The bot’s name is a text for customers.', { id: 'chat-channel-settings.bot.hint' })}</p>
  </fieldset>`;
}

export function renderAgents(ed: Editor, d: Draft) {
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
                      aria-label=${ed.label(`${path}.permissions.${p}`, msg(str`${permissionLabel(p)}: ${a.name}`, { id: 'chat-channel-settings.agent-permission' }))}
                      .checked=${a.permissions[p]}
                      @change=${(e: Event) => { ed.edit((x) => x.agents[i] && (x.agents[i].permissions[p] = (e.target as HTMLInputElement).checked)); }}
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
                  aria-invalid=${ed.invalid(`${path}.maxConcurrentChats`)}
                  aria-label=${ed.label(`${path}.maxConcurrentChats`, msg(str`Chats at once: ${a.name}`, { id: 'chat-channel-settings.agent-capacity' }))}
                  .value=${String(a.maxConcurrentChats)}
                  @input=${(e: Event) => {
                    const n = (e.target as HTMLInputElement).valueAsNumber;
                    if (Number.isFinite(n)) ed.edit((x) => x.agents[i] && (x.agents[i].maxConcurrentChats = n));
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
