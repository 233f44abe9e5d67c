/**
 * The customer widget's offline view, when the channel is closed or nobody is Present: when it
 * opens next and its hours (in the customer's time zone and language), and the optional request
 * form whose request is created through the website's `CrmProvider` or by the chat server, with
 * its number shown. Texts of the channel's managers are rendered as text.
 */
import type { ReactiveControllerHost, TemplateResult } from 'lit';
import { html, nothing } from 'lit';

import type { CrmProvider } from '../../crm/types.js';
import { CRM_REQUEST_PRIORITIES } from '../../crm/types.js';
import { getFormatLocale } from '../../i18n/localization.js';
import { categoryLabel, priorityLabel } from '../../i18n/requests.js';
import { announce } from '../../internal/announcer.js';
import type { FieldMode } from '../../protocol/channel-settings.js';
import { MAX_EMAIL, MAX_NAME, MAX_PHONE } from '../../protocol/limits.js';
import type { VisitorChannel } from '../../state/visitor-http.js';
import { t } from './visitor-texts.js';
import { EMAIL, PHONE, post } from './visitor-journey-api.js';
import { j } from './visitor-journey-texts.js';

export interface OfflineHost extends ReactiveControllerHost {
  readonly tenant: string;
  readonly crmProvider: Pick<CrmProvider, 'createRequest'> | undefined;
  chatServer(): string;
  focusInside(selector: string): void;
}

/** The label suffix of a field in this mode. */
export function fieldSuffix(mode: FieldMode | undefined): string {
  return mode === 'required' ? t.required() : t.optional();
}

/** A server instant in the customer's own time zone and language: "Monday 08:00". */
function when(at: number, now = Date.now()): string {
  const locale = getFormatLocale();
  const sameWeek = at - now < 6 * 24 * 3_600_000;
  return new Intl.DateTimeFormat(locale, sameWeek ? { weekday: 'long', hour: '2-digit', minute: '2-digit' } : { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

export class VisitorOffline {
  private values = { name: '', email: '', phone: '', category: '', priority: 'normal', message: '' };
  private errors: Record<string, string> = {};
  private state: 'idle' | 'sending' | 'failed' = 'idle';
  private number: string | undefined;

  constructor(private readonly host: OfflineHost) {}

  private update(): void {
    this.host.requestUpdate();
  }

  /** A new chat starts clean (what was typed stays until sent). */
  reset(): void {
    this.number = undefined;
    this.state = 'idle';
    this.errors = {};
  }

  render(channel: VisitorChannel): TemplateResult {
    const texts = channel.texts ?? {};
    const heading = texts.offlineHeader ?? (channel.open === false ? j.offlineClosed() : j.offlineNobody());
    const opens = channel.open === false && channel.opensAt !== undefined ? j.opensAt(when(channel.opensAt)) : undefined;
    const form = channel.offline;
    if (this.number !== undefined) {
      return html`<div part="offline" class="form offline" role="status">
        <h3 class="offline-title">${j.sent(this.number)}</h3>
        <p class="hint">${j.sentHint()}</p>
      </div>`;
    }
    const e = this.errors;
    const set = (key: keyof VisitorOffline['values']) => (ev: Event) => {
      this.values[key] = (ev.target as HTMLInputElement).value;
    };
    const field = (key: 'name' | 'email' | 'phone', label: string, mode: FieldMode, type: string, max: number) =>
      mode === 'hidden'
        ? nothing
        : html`<div part="field" class="field">
            <label class="label" for=${`offline-${key}`}>${label} <span class="optional">${fieldSuffix(mode)}</span></label>
            <input
              id=${`offline-${key}`}
              class="control"
              type=${type}
              maxlength=${max}
              ?required=${mode === 'required'}
              aria-invalid=${e[key] ? 'true' : 'false'}
              aria-describedby=${e[key] ? `offline-${key}-error` : nothing}
              .value=${this.values[key]}
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
                    ${form.categories.map((c) => html`<option value=${c} ?selected=${this.values.category === c}>${categoryLabel(c)}</option>`)}
                  </select>
                </div>`
              : nothing}
            ${form.priority
              ? html`<div part="field" class="field">
                  <label class="label" for="offline-priority">${j.priority()}</label>
                  <select id="offline-priority" class="control" @change=${set('priority')}>
                    ${CRM_REQUEST_PRIORITIES.map((p) => html`<option value=${p} ?selected=${this.values.priority === p}>${priorityLabel(p)}</option>`)}
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
                .value=${this.values.message}
                @input=${set('message')}
              ></textarea>
              ${e.message ? html`<p id="offline-message-error" part="field-error" class="field-error">${e.message}</p>` : nothing}
            </div>
            ${this.state === 'failed' ? html`<p part="form-error" class="form-error" role="alert">${j.sendFailed()}</p>` : nothing}
            <button part="start" class="btn btn--primary start" type="submit" aria-disabled=${this.state === 'sending' ? 'true' : 'false'}>
              ${this.state === 'sending' ? j.sending() : j.send()}
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
    if (this.state === 'sending') return;
    const form = channel.offline;
    if (!form) return;
    const o = this.values;
    const errors: Record<string, string> = {};
    const email = o.email.trim();
    if (form.email === 'required' && email === '') errors.email = j.requiredError();
    else if (email !== '' && !EMAIL.test(email)) errors.email = t.emailInvalid();
    if (form.phone === 'required' && o.phone.trim() === '') errors.phone = j.requiredError();
    else if (o.phone.trim() !== '' && !PHONE.test(o.phone.trim())) errors.phone = j.phoneInvalid();
    if (o.message.trim() === '') errors.message = j.requiredError();
    this.errors = errors;
    this.update();
    const first = (['name', 'email', 'phone', 'message'] as const).find((k) => errors[k] !== undefined);
    if (first) {
      announce(errors[first] ?? '');
      await this.host.updateComplete;
      this.host.focusInside(`#offline-${first}`);
      return;
    }
    this.state = 'sending';
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
        this.number = created.number;
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
        this.number = r.number;
      }
      this.state = 'idle';
      this.values = { name: '', email: '', phone: '', category: '', priority: 'normal', message: '' };
      announce(j.sent(this.number));
    } catch {
      this.state = 'failed';
      announce(j.sendFailed(), { assertive: true });
    }
    this.update();
  }
}
