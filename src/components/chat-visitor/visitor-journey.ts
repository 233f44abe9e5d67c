/**
 * The customer widget's journey around the chat, loaded when the panel first opens: the pre-chat
 * fields a channel asks for (phone, company, consent; required ones), FAQ suggestions before the
 * chat, the offline form when the channel is closed or nobody is Present (when it opens next, in
 * the customer's time zone; an optional request whose number is shown), the expected wait in the
 * queue, and after the chat the rating, the transcript by e-mail and returning to the chat.
 * Every text from the server or the channel's managers is rendered as text.
 */
import type { ReactiveControllerHost, TemplateResult } from 'lit';
import { html, nothing } from 'lit';

import type { CrmProvider } from '../../crm/types.js';
import { CRM_REQUEST_PRIORITIES } from '../../crm/types.js';
import { journeyStyles } from './visitor-journey.styles.js';
import type { LocaleInfo } from '../../i18n/localization.js';
import { getFormatLocale } from '../../i18n/localization.js';
import { categoryLabel, priorityLabel } from '../../i18n/requests.js';
import { announce } from '../../internal/announcer.js';
import type { BotTurn, BotTurnResult, FieldMode, WidgetLook } from '../../protocol/channel-settings.js';
import { DEFAULT_LOOK_COLOUR } from '../../protocol/journey.js';
import { MAX_EMAIL, MAX_MESSAGE_TEXT, MAX_NAME, MAX_PHONE } from '../../protocol/limits.js';
import type { VisitorChannel, VisitorSession } from '../../state/visitor-http.js';
import { VisitorApiError } from '../../state/visitor-http.js';
import { t } from './chat-visitor.strings.js';
import { j } from './visitor-journey.strings.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^[+()\d\s./-]{3,}$/;

export interface FaqSuggestion {
  id: string;
  title: string;
  text: string;
  url: string;
}

export interface JourneyHost extends ReactiveControllerHost, EventTarget {
  readonly tenant: string;
  /** The widget's shadow root: the journey's styles are added to it. */
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** The widget's language (its own `lang`, else the page's). */
  readonly chatLocale: LocaleInfo;
  /** Creates the offline request in the CRM instead of the chat server (the website's own backend). */
  readonly crmProvider: Pick<CrmProvider, 'createRequest'> | undefined;
  chatServer(): string;
  focusInside(selector: string): void;
}

/** Adds the journey's styles to the widget's shadow root (once). */
function adoptJourneyStyles(root: HTMLElement | DocumentFragment): void {
  if (!(root instanceof ShadowRoot)) return;
  const sheet = journeyStyles.styleSheet;
  if (sheet) {
    if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } else if (!root.querySelector('style[data-journey]')) {
    const style = document.createElement('style');
    style.dataset.journey = '';
    style.textContent = journeyStyles.cssText;
    root.append(style);
  }
}

/** The fonts a channel may pick (`system`: the page's). */
const FONTS: Record<WidgetLook['font'], string | undefined> = {
  system: undefined,
  sans: "'Helvetica Neue', Arial, 'Liberation Sans', sans-serif",
  serif: "Georgia, 'Times New Roman', serif",
  rounded: "ui-rounded, 'SF Pro Rounded', Nunito, 'Arial Rounded MT Bold', system-ui, sans-serif",
  mono: "ui-monospace, Menlo, Consolas, 'Liberation Mono', monospace",
};

/** White or near-black, whichever reads better on `hex` (WCAG contrast). */
function onColour(hex: string): string {
  const lin = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * lin(1) + 0.7152 * lin(3) + 0.0722 * lin(5);
  // Contrast with white (1.05 / (l + 0.05)) against contrast with #0b1220 (luminance about 0.006).
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.056 ? '#ffffff' : '#0b1220';
}

function setOrRemove(el: HTMLElement, name: string, value: string | undefined): void {
  if (value === undefined) el.style.removeProperty(name);
  else el.style.setProperty(name, value);
}

async function call<T>(url: string, init: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new VisitorApiError(0, 'offline', 'the chat server could not be reached');
  }
  const body = (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string; fields?: Record<string, string> } } | undefined;
  if (!res.ok) throw Object.assign(new VisitorApiError(res.status, body?.error?.code ?? 'internal', body?.error?.message ?? `HTTP ${String(res.status)}`), { fields: body?.error?.fields ?? {} });
  return body as T;
}

const post = <T>(url: string, json: unknown, token?: string) =>
  call<T>(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(json) });

/** `{position}` and `{wait}` of a manager's queue message, filled in. */
export function fillQueueMessage(template: string, position: number | undefined, waitMinutes: number | undefined): string {
  return template.replace(/\{position\}/g, position === undefined ? '–' : String(position)).replace(/\{wait\}/g, waitMinutes === undefined ? '–' : String(waitMinutes));
}

/** A server instant in the customer's own time zone and language: "Monday 08:00". */
function when(at: number, now = Date.now()): string {
  const locale = getFormatLocale();
  const sameWeek = at - now < 6 * 24 * 3_600_000;
  return new Intl.DateTimeFormat(locale, sameWeek ? { weekday: 'long', hour: '2-digit', minute: '2-digit' } : { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

export class VisitorJourney {
  // pre-chat extras
  phone = '';
  company = '';
  consent = false;
  errors: { phone?: string; company?: string; consent?: string; name?: string; email?: string } = {};
  // FAQ
  faq: FaqSuggestion[] | undefined;
  // offline
  private offline = { name: '', email: '', phone: '', category: '', priority: 'normal', message: '' };
  private offlineErrors: Record<string, string> = {};
  private offlineState: 'idle' | 'sending' | 'failed' = 'idle';
  private offlineNumber: string | undefined;
  // after the chat
  private rating = 0;
  private comment = '';
  private rated = false;
  private transcriptTo = '';
  private transcriptSentTo: string | undefined;
  private afterError = '';
  private busy = false;
  // chatbot first
  private botTurns: BotTurn[] = [];
  private botProof: string | undefined;
  private botAsking = '';
  private botHandoff = false;
  private botDone = false;
  private botInput = '';
  private onHandoff: (() => void) | undefined;
  /** The bot's conversation is shown instead of the form. */
  botActive = false;

  constructor(private readonly host: JourneyHost) {
    adoptJourneyStyles(host.renderRoot);
  }

  private update(): void {
    this.host.requestUpdate();
  }

  /** Forgets what was typed for one chat (a new chat starts clean). */
  reset(): void {
    this.phone = '';
    this.company = '';
    this.consent = false;
    this.errors = {};
    this.faq = undefined;
    this.rating = 0;
    this.comment = '';
    this.rated = false;
    this.transcriptTo = '';
    this.transcriptSentTo = undefined;
    this.afterError = '';
    this.offlineNumber = undefined;
    this.offlineState = 'idle';
    this.offlineErrors = {};
    this.botTurns = [];
    this.botProof = undefined;
    this.botAsking = '';
    this.botHandoff = false;
    this.botDone = false;
    this.botInput = '';
    this.botActive = false;
    this.onHandoff = undefined;
  }

  // ---- before the chat -------------------------------------------------------------------

  /** Whether the channel only takes messages now: closed, or nobody Present. */
  isOffline(channel: VisitorChannel | undefined): boolean {
    return channel !== undefined && (channel.open === false || (channel.available === false && channel.offline?.whenNobodyPresent === true));
  }

  /** The label suffix of a field in this mode. */
  static suffix(mode: FieldMode | undefined): string {
    return mode === 'required' ? t.required() : t.optional();
  }

  /**
   * Checks the pre-chat form against the channel (required fields, consent, phone); returns the
   * selector of the first field in error, or undefined when it may start.
   */
  check(channel: VisitorChannel | undefined, values: { name: string; email: string }): string | undefined {
    const form = channel?.preChat;
    const errors: VisitorJourney['errors'] = {};
    if (form?.name === 'required' && values.name.trim() === '') errors.name = j.requiredError();
    if (form?.email === 'required' && values.email.trim() === '') errors.email = j.requiredError();
    if (form?.phone === 'required' && this.phone.trim() === '') errors.phone = j.requiredError();
    else if (form && form.phone !== 'hidden' && this.phone.trim() !== '' && !PHONE.test(this.phone.trim())) errors.phone = j.phoneInvalid();
    if (form?.company === 'required' && this.company.trim() === '') errors.company = j.requiredError();
    if (form?.consent && !this.consent) errors.consent = j.consentError();
    this.errors = errors;
    this.update();
    const first = (['name', 'email', 'phone', 'company', 'consent'] as const).find((f) => errors[f] !== undefined);
    return first === undefined ? undefined : `#${first === 'consent' ? 'consent' : first}`;
  }

  /** What the start request adds: phone, company, consent, the widget's language. */
  startFields(channel: VisitorChannel | undefined): Record<string, unknown> {
    const form = channel?.preChat;
    return {
      lang: this.host.chatLocale.locale,
      ...(form && form.phone !== 'hidden' && this.phone.trim() !== '' ? { phone: this.phone.trim() } : {}),
      ...(form && form.company !== 'hidden' && this.company.trim() !== '' ? { company: this.company.trim() } : {}),
      ...(form?.consent ? { consent: this.consent } : {}),
      ...(this.botUsed() && this.botProof !== undefined ? { bot: { conversation: this.botTurns, proof: this.botProof } } : {}),
    };
  }

  // ---- the channel's look -----------------------------------------------------------------

  /**
   * Applies a channel's look to the widget's base: a colour and a font other than the defaults
   * (the defaults leave the page's theming alone), and the theme (`dark`, or `auto`: the
   * customer's system setting) as `data-look-theme` (styles in visitor-journey.styles.ts). Set
   * through the CSSOM, so strict CSP pages allow it.
   */
  applyLook(base: Element | null, look: WidgetLook | undefined): void {
    if (!(base instanceof HTMLElement)) return;
    const colour = look && look.colour.toLowerCase() !== DEFAULT_LOOK_COLOUR ? look.colour : undefined;
    const font = look ? FONTS[look.font] : undefined;
    setOrRemove(base, '--chat-color-accent', colour);
    setOrRemove(base, '--chat-color-on-accent', colour && onColour(colour));
    setOrRemove(base, '--chat-focus-ring-color', colour);
    setOrRemove(base, '--chat-font-family', font);
    const dark = look?.theme === 'dark' || (look?.theme === 'auto' && matchMedia('(prefers-color-scheme: dark)').matches);
    if (dark) base.dataset.lookTheme = 'dark';
    else delete base.dataset.lookTheme;
  }

  // ---- chatbot first ---------------------------------------------------------------------

  /** True when the channel's bot answers before this chat starts (until it handed off). */
  wantsBot(channel: VisitorChannel | undefined): boolean {
    return channel?.bot === true && !this.botDone;
  }

  /** True when the customer talked with the bot: its conversation (with the first message) starts the chat. */
  botUsed(): boolean {
    return this.botTurns.length > 0;
  }

  /** Shows the bot's conversation; the first message, if any, is its first question. `handoff` starts the chat. */
  startBot(channel: VisitorChannel, firstMessage: string, handoff: () => void): void {
    this.botActive = true;
    this.onHandoff = handoff;
    this.update();
    if (firstMessage.trim() !== '') void this.askBot(channel, firstMessage.trim());
  }

  private async askBot(channel: VisitorChannel, text: string): Promise<void> {
    this.botAsking = text;
    this.update();
    try {
      const result = await post<BotTurnResult>(`${this.host.chatServer()}/api/bot/turn`, {
        tenant: this.host.tenant,
        channelId: channel.id,
        lang: this.host.chatLocale.locale,
        text,
        ...(this.botProof !== undefined ? { bot: { conversation: this.botTurns, proof: this.botProof } } : {}),
      });
      this.botTurns = result.conversation;
      this.botProof = result.proof;
      const answer = result.conversation.at(-1);
      if (answer?.from === 'bot') announce(`${channel.texts?.botName ?? t.bot()}: ${answer.text}`);
      if (result.handoff) this.handOff();
    } catch {
      // No bot (or none reachable): the customer goes to the queue all the same.
      this.handOff();
    } finally {
      this.botAsking = '';
      this.update();
    }
  }

  /** The bot hands the customer to the queue (or the customer asked for a person): the chat starts. */
  private handOff(): void {
    if (this.botDone) return;
    this.botHandoff = true;
    this.botDone = true;
    announce(j.botHandoff());
    this.update();
    const go = this.onHandoff;
    void this.host.updateComplete.then(() => {
      this.botActive = false;
      go?.();
    });
  }

  private readonly onBotSubmit = (channel: VisitorChannel) => (e: Event) => {
    e.preventDefault();
    const text = this.botInput.trim();
    if (text === '' || this.botAsking !== '' || this.botHandoff) return;
    this.botInput = '';
    void this.askBot(channel, text);
  };

  renderBot(channel: VisitorChannel): TemplateResult {
    const name = channel.texts?.botName ?? t.bot();
    const turns = this.botAsking !== '' ? [...this.botTurns, { from: 'customer' as const, text: this.botAsking, at: 0 }] : this.botTurns;
    return html`<div part="bot" class="form bot" role="group" aria-labelledby="bot-title">
      <h3 id="bot-title" class="faq-title">${name} <span part="bot-badge" class="bot-badge">${t.bot()}</span></h3>
      <p class="hint">${j.botIntro()}</p>
      <ol class="bot-log" aria-label=${t.conversation()}>
        ${turns.map(
          (turn) => html`<li part=${turn.from === 'bot' ? 'message message--bot' : 'message message--customer'} class=${`bot-turn bot-turn--${turn.from}`}>
            <span class="bot-who">${turn.from === 'bot' ? name : t.you()}</span>
            <p part=${turn.from === 'bot' ? 'bubble bubble--agent bubble--bot' : 'bubble bubble--customer'} class="bubble" dir="auto">${turn.text}</p>
          </li>`,
        )}
      </ol>
      ${this.botAsking !== '' ? html`<p class="hint" role="status">${j.botThinking()}</p>` : nothing}
      ${this.botHandoff
        ? html`<p class="hint" role="status">${j.botHandoff()}</p>`
        : html`<form class="bot-ask" novalidate @submit=${this.onBotSubmit(channel)}>
              <label class="label" for="bot-input">${j.botInput()}</label>
              <div class="row">
                <input id="bot-input" class="control" maxlength=${MAX_MESSAGE_TEXT} autocomplete="off" .value=${this.botInput} @input=${(e: Event) => { this.botInput = (e.target as HTMLInputElement).value; }} />
                <button class="btn" type="submit" ?disabled=${this.botAsking !== ''}>${j.send()}</button>
              </div>
            </form>
            <button part="start" class="btn btn--primary start bot-person" type="button" @click=${() => { this.handOff(); }}>${j.botPerson()}</button>`}
    </div>`;
  }

  /** The phone, company and consent fields the channel asks for. */
  renderPreChat(channel: VisitorChannel | undefined): TemplateResult | typeof nothing {
    const form = channel?.preChat;
    if (!form) return nothing;
    const field = (id: 'phone' | 'company', label: string, mode: FieldMode, type: string, autocomplete: string, max: number) => {
      if (mode === 'hidden') return nothing;
      const error = this.errors[id];
      return html`<div part="field" class="field">
        <label class="label" for=${id}>${label} <span class="optional">${VisitorJourney.suffix(mode)}</span></label>
        <input
          id=${id}
          class="control"
          type=${type}
          autocomplete=${autocomplete}
          maxlength=${max}
          ?required=${mode === 'required'}
          aria-invalid=${error ? 'true' : 'false'}
          aria-describedby=${error ? `${id}-error` : nothing}
          .value=${this[id]}
          @input=${(e: Event) => {
            this[id] = (e.target as HTMLInputElement).value;
          }}
        />
        ${error ? html`<p id=${`${id}-error`} part="field-error" class="field-error">${error}</p>` : nothing}
      </div>`;
    };
    return html`${field('phone', j.phone(), form.phone, 'tel', 'tel', MAX_PHONE)} ${field('company', j.company(), form.company, 'text', 'organization', MAX_NAME)}
    ${form.consent
      ? html`<div part="field" class="field consent">
          <label class="option">
            <input
              id="consent"
              type="checkbox"
              required
              .checked=${this.consent}
              aria-invalid=${this.errors.consent ? 'true' : 'false'}
              aria-describedby=${this.errors.consent ? 'consent-error' : nothing}
              @change=${(e: Event) => {
                this.consent = (e.target as HTMLInputElement).checked;
                this.errors = { ...this.errors, consent: undefined };
                this.update();
              }}
            />
            <span>${channel.texts?.consent ?? j.consentDefault()}</span>
          </label>
          ${this.errors.consent ? html`<p id="consent-error" part="field-error" class="field-error">${this.errors.consent}</p>` : nothing}
        </div>`
      : nothing}`;
  }

  /** The channel's FAQs that match the first message (none on failure: the chat starts anyway). */
  async loadFaq(channel: VisitorChannel | undefined, firstMessage: string): Promise<boolean> {
    if (!channel?.preChat?.faqSuggestions || firstMessage.trim() === '') return false;
    const q = new URLSearchParams({ tenant: this.host.tenant, channelId: channel.id, lang: this.host.chatLocale.locale, q: firstMessage.slice(0, 500) });
    try {
      const { suggestions } = await call<{ suggestions?: FaqSuggestion[] }>(`${this.host.chatServer()}/api/faq-suggestions?${q.toString()}`, { method: 'GET' });
      this.faq = (suggestions ?? []).filter((s) => typeof s.title === 'string' && typeof s.url === 'string' && /^https?:\/\//.test(s.url)).slice(0, 3);
    } catch {
      this.faq = [];
    }
    this.update();
    return this.faq.length > 0;
  }

  /** The suggestions, with "Start the chat anyway" and "Back". */
  renderFaq(onContinue: () => void, onBack: () => void): TemplateResult {
    return html`<div part="faq" class="form faq" role="group" aria-labelledby="faq-title">
      <h3 id="faq-title" class="faq-title">${j.faqTitle()}</h3>
      <p class="hint">${j.faqHint()}</p>
      <ul class="faq-list">
        ${(this.faq ?? []).map(
          (f) => html`<li>
            <a part="faq-link" href=${f.url} target="_blank" rel="noopener noreferrer">${f.title}<span class="visually-hidden"> ${j.newTab()}</span></a>
            <p class="hint">${f.text}</p>
          </li>`,
        )}
      </ul>
      <button part="start" class="btn btn--primary start faq-continue" type="button" @click=${onContinue}>${j.faqContinue()}</button>
      <button class="btn faq-back" type="button" @click=${onBack}>${j.faqBack()}</button>
    </div>`;
  }

  // ---- offline ---------------------------------------------------------------------------

  renderOffline(channel: VisitorChannel): TemplateResult {
    const texts = channel.texts ?? {};
    const heading = texts.offlineHeader ?? (channel.open === false ? j.offlineClosed() : j.offlineNobody());
    const opens = channel.open === false && channel.opensAt !== undefined ? j.opensAt(when(channel.opensAt)) : undefined;
    const form = channel.offline;
    if (this.offlineNumber !== undefined) {
      return html`<div part="offline" class="form offline" role="status">
        <h3 class="offline-title">${j.sent(this.offlineNumber)}</h3>
        <p class="hint">${j.sentHint()}</p>
      </div>`;
    }
    const e = this.offlineErrors;
    const set = (key: keyof VisitorJourney['offline']) => (ev: Event) => {
      this.offline[key] = (ev.target as HTMLInputElement).value;
    };
    const field = (key: 'name' | 'email' | 'phone', label: string, mode: FieldMode, type: string, max: number) =>
      mode === 'hidden'
        ? nothing
        : html`<div part="field" class="field">
            <label class="label" for=${`offline-${key}`}>${label} <span class="optional">${VisitorJourney.suffix(mode)}</span></label>
            <input
              id=${`offline-${key}`}
              class="control"
              type=${type}
              maxlength=${max}
              ?required=${mode === 'required'}
              aria-invalid=${e[key] ? 'true' : 'false'}
              aria-describedby=${e[key] ? `offline-${key}-error` : nothing}
              .value=${this.offline[key]}
              @input=${set(key)}
            />
            ${e[key] ? html`<p id=${`offline-${key}-error`} part="field-error" class="field-error">${e[key]}</p>` : nothing}
          </div>`;
    return html`<div part="offline" class="offline">
      <h3 class="offline-title">${heading}</h3>
      ${opens ? html`<p part="opens" class="opens">${opens}</p>` : nothing}
      <p class="intro">${texts.offlineMessage ?? (form?.request ? j.offlineMessage() : j.offlineNoForm())}</p>
      ${channel.hours && channel.hours.length > 0 ? this.renderHours(channel.hours) : nothing}
      ${form?.request
        ? html`<form part="form" class="form" novalidate @submit=${(ev: SubmitEvent) => void this.sendOffline(ev, channel)}>
            ${field('name', t.name(), 'optional', 'text', MAX_NAME)} ${field('email', t.email(), form.email, 'email', MAX_EMAIL)}
            ${field('phone', j.phone(), form.phone, 'tel', MAX_PHONE)}
            ${form.categories.length > 0
              ? html`<div part="field" class="field">
                  <label class="label" for="offline-category">${j.category()}</label>
                  <select id="offline-category" class="control" aria-invalid=${e.category ? 'true' : 'false'} @change=${set('category')}>
                    ${form.categories.map((c) => html`<option value=${c} ?selected=${this.offline.category === c}>${categoryLabel(c)}</option>`)}
                  </select>
                </div>`
              : nothing}
            ${form.priority
              ? html`<div part="field" class="field">
                  <label class="label" for="offline-priority">${j.priority()}</label>
                  <select id="offline-priority" class="control" @change=${set('priority')}>
                    ${CRM_REQUEST_PRIORITIES.map((p) => html`<option value=${p} ?selected=${this.offline.priority === p}>${priorityLabel(p)}</option>`)}
                  </select>
                </div>`
              : nothing}
            <div part="field" class="field">
              <label class="label" for="offline-message">${j.request()} <span class="optional">${t.required()}</span></label>
              <textarea
                id="offline-message"
                class="control"
                rows="4"
                required
                maxlength="4000"
                aria-invalid=${e.message ? 'true' : 'false'}
                aria-describedby=${e.message ? 'offline-message-error' : nothing}
                .value=${this.offline.message}
                @input=${set('message')}
              ></textarea>
              ${e.message ? html`<p id="offline-message-error" part="field-error" class="field-error">${e.message}</p>` : nothing}
            </div>
            ${this.offlineState === 'failed' ? html`<p part="form-error" class="form-error" role="alert">${j.sendFailed()}</p>` : nothing}
            <button part="start" class="btn btn--primary start" type="submit" aria-disabled=${this.offlineState === 'sending' ? 'true' : 'false'}>
              ${this.offlineState === 'sending' ? j.sending() : j.send()}
            </button>
          </form>`
        : nothing}
    </div>`;
  }

  private renderHours(hours: readonly { from: number; to: number }[]): TemplateResult {
    const locale = getFormatLocale();
    const day = new Intl.DateTimeFormat(locale, { weekday: 'short' });
    const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
    return html`<details class="hours">
      <summary>${j.hours()}</summary>
      <ul>
        ${hours.map((i) => html`<li>${day.format(i.from)} ${time.format(i.from)}–${time.format(i.to)}</li>`)}
      </ul>
    </details>`;
  }

  private async sendOffline(event: SubmitEvent, channel: VisitorChannel): Promise<void> {
    event.preventDefault();
    if (this.offlineState === 'sending') return;
    const form = channel.offline;
    if (!form) return;
    const o = this.offline;
    const errors: Record<string, string> = {};
    const email = o.email.trim();
    if (form.email === 'required' && email === '') errors.email = j.requiredError();
    else if (email !== '' && !EMAIL.test(email)) errors.email = t.emailInvalid();
    if (form.phone === 'required' && o.phone.trim() === '') errors.phone = j.requiredError();
    else if (o.phone.trim() !== '' && !PHONE.test(o.phone.trim())) errors.phone = j.phoneInvalid();
    if (o.message.trim() === '') errors.message = j.requiredError();
    this.offlineErrors = errors;
    this.update();
    const first = (['name', 'email', 'phone', 'message'] as const).find((k) => errors[k] !== undefined);
    if (first) {
      announce(errors[first] ?? '');
      await this.host.updateComplete;
      this.host.focusInside(`#offline-${first}`);
      return;
    }
    this.offlineState = 'sending';
    this.update();
    const category = form.categories.find((c) => c === o.category) ?? form.categories[0];
    try {
      const provider = this.host.crmProvider;
      if (provider) {
        const who = [o.name.trim(), email, o.phone.trim()].filter((x) => x !== '').join(', ');
        const created = await provider.createRequest({
          title: (o.message.trim().split('\n')[0] ?? '').slice(0, 80),
          description: `${o.message.trim()}\n\n— ${who}`,
          ...(category ? { category } : {}),
          ...(form.priority ? { priority: o.priority as (typeof CRM_REQUEST_PRIORITIES)[number] } : {}),
        });
        this.offlineNumber = created.number;
      } else {
        const r = await post<{ number: string }>(`${this.host.chatServer()}/api/offline-requests`, {
          tenant: this.host.tenant,
          channelId: channel.id,
          name: o.name.trim(),
          email,
          phone: o.phone.trim(),
          message: o.message.trim(),
          ...(category ? { category } : {}),
          ...(form.priority ? { priority: o.priority } : {}),
        });
        this.offlineNumber = r.number;
      }
      this.offlineState = 'idle';
      this.offline = { name: '', email: '', phone: '', category: '', priority: 'normal', message: '' };
      announce(j.sent(this.offlineNumber));
    } catch {
      this.offlineState = 'failed';
      announce(j.sendFailed(), { assertive: true });
    }
    this.update();
  }

  // ---- the queue -------------------------------------------------------------------------

  /** The channel's queue message (its variables filled in) or the expected wait in words. */
  queueText(channel: VisitorChannel | undefined, position: number | undefined, expectedWaitMs: number | undefined): string {
    const minutes = expectedWaitMs === undefined ? undefined : Math.max(1, Math.round(expectedWaitMs / 60_000));
    const template = channel?.texts?.queueMessage;
    if (template) return fillQueueMessage(template, position, minutes);
    return minutes === undefined ? '' : j.expectedWait(minutes);
  }

  // ---- after the chat --------------------------------------------------------------------

  /**
   * Rating, transcript and return, as the channel offers them. `endedAt`: when the chat ended
   * (server time), for the grace period of returning.
   */
  renderAfter(channel: VisitorChannel | undefined, session: VisitorSession, endedAt: number | undefined, answered: boolean, serverNow: number): TemplateResult | typeof nothing {
    const post = channel?.postChat;
    if (!post) return nothing;
    const canReturn = post.returnMinutes > 0 && endedAt !== undefined && serverNow - endedAt < post.returnMinutes * 60_000;
    return html`<div part="after" class="after">
      ${post.rating && answered
        ? this.rated
          ? html`<p class="after-done" role="status">${j.rated()}</p>`
          : html`<form class="rate" @submit=${(e: SubmitEvent) => void this.sendRating(e, session)}>
              <fieldset class="stars">
                <legend class="label">${j.rateLegend()}</legend>
                ${[1, 2, 3, 4, 5].map(
                  (n) => html`<label class="star">
                    <input
                      type="radio"
                      name="rating"
                      .value=${String(n)}
                      .checked=${this.rating === n}
                      @change=${() => {
                        this.rating = n;
                        this.update();
                      }}
                    />
                    <span aria-hidden="true">${n <= this.rating ? '★' : '☆'}</span><span class="visually-hidden">${j.star(n)}</span>
                  </label>`,
                )}
              </fieldset>
              <label class="label" for="rating-comment">${j.comment()} <span class="optional">${t.optional()}</span></label>
              <textarea
                id="rating-comment"
                class="control"
                rows="2"
                maxlength="1000"
                .value=${this.comment}
                @input=${(e: Event) => {
                  this.comment = (e.target as HTMLTextAreaElement).value;
                }}
              ></textarea>
              <button class="btn rate-send" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>${j.rateSend()}</button>
            </form>`
        : nothing}
      ${post.transcript
        ? this.transcriptSentTo !== undefined
          ? html`<p class="after-done" role="status">${j.transcriptSent(this.transcriptSentTo)}</p>`
          : html`<form class="transcript" @submit=${(e: SubmitEvent) => void this.sendTranscript(e, session)}>
              <label class="label" for="transcript-email">${j.transcriptLabel()}</label>
              <div class="row">
                <input
                  id="transcript-email"
                  class="control"
                  type="email"
                  autocomplete="email"
                  maxlength=${MAX_EMAIL}
                  .value=${this.transcriptTo}
                  @input=${(e: Event) => {
                    this.transcriptTo = (e.target as HTMLInputElement).value;
                  }}
                />
                <button class="btn transcript-send" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>${j.transcriptSend()}</button>
              </div>
            </form>`
        : nothing}
      ${this.afterError ? html`<p part="form-error" class="form-error" role="alert">${this.afterError}</p>` : nothing}
      ${canReturn ? html`<button part="return" class="btn return" type="button" @click=${() => void this.returnTo(session)}>${j.returnTo()}</button>` : nothing}
    </div>`;
  }

  private async run(action: () => Promise<void>, onError: (e: unknown) => string): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.afterError = '';
    this.update();
    try {
      await action();
    } catch (error) {
      this.afterError = onError(error);
      announce(this.afterError, { assertive: true });
    } finally {
      this.busy = false;
      this.update();
    }
  }

  private async sendRating(event: SubmitEvent, session: VisitorSession): Promise<void> {
    event.preventDefault();
    if (this.rating < 1) {
      this.afterError = j.rateChoose();
      announce(this.afterError);
      this.update();
      return;
    }
    await this.run(
      async () => {
        await post(`${this.host.chatServer()}/api/chats/feedback`, { rating: this.rating, comment: this.comment.trim() }, session.token);
        this.rated = true;
        announce(j.rated());
      },
      () => j.failed(),
    );
  }

  private async sendTranscript(event: SubmitEvent, session: VisitorSession): Promise<void> {
    event.preventDefault();
    const to = this.transcriptTo.trim();
    if (!EMAIL.test(to)) {
      this.afterError = t.emailInvalid();
      announce(this.afterError);
      this.update();
      return;
    }
    await this.run(
      async () => {
        await post(`${this.host.chatServer()}/api/chats/transcript`, { email: to }, session.token);
        this.transcriptSentTo = to;
        announce(j.transcriptSent(to));
      },
      () => j.failed(),
    );
  }

  private async returnTo(session: VisitorSession): Promise<void> {
    await this.run(
      async () => {
        await post(`${this.host.chatServer()}/api/chats/return`, {}, session.token);
        this.rating = 0;
        this.rated = false;
        this.transcriptSentTo = undefined;
      },
      (e) => (e instanceof VisitorApiError && e.status === 409 ? j.returnFailed() : j.failed()),
    );
  }
}
