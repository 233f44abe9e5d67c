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
import { journeyStyles } from './visitor-journey.styles.js';
import type { LocaleInfo } from '../../i18n/localization.js';
import { announce } from '../../internal/announcer.js';
import type { FieldMode } from '../../protocol/channel-settings.js';
import { MAX_EMAIL, MAX_NAME, MAX_PHONE } from '../../protocol/limits.js';
import type { VisitorChannel, VisitorSession } from '../../state/visitor-http.js';
import { VisitorApiError } from '../../state/visitor-http.js';
import { t } from './visitor-texts.js';
import { VisitorBot } from './visitor-bot.js';
import { EMAIL, PHONE, call, post } from './visitor-journey-api.js';
import { j } from './visitor-journey-texts.js';
import { VisitorOffline, fieldSuffix } from './visitor-offline.js';

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

/** `{position}` and `{wait}` of a manager's queue message, filled in. */
export function fillQueueMessage(template: string, position: number | undefined, waitMinutes: number | undefined): string {
  return template.replace(/\{position\}/g, position === undefined ? '–' : String(position)).replace(/\{wait\}/g, waitMinutes === undefined ? '–' : String(waitMinutes));
}

export class VisitorJourney {
  // pre-chat extras
  phone = '';
  company = '';
  consent = false;
  errors: { phone?: string; company?: string; consent?: string; name?: string; email?: string } = {};
  // FAQ
  faq: FaqSuggestion[] | undefined;
  // after the chat
  private rating = 0;
  private comment = '';
  private rated = false;
  private transcriptTo = '';
  private transcriptSentTo: string | undefined;
  private afterError = '';
  private busy = false;
  /** The offline view (closed, or nobody Present). */
  readonly offline: VisitorOffline;
  /** Chatbot first. */
  readonly bot: VisitorBot;

  constructor(private readonly host: JourneyHost) {
    adoptJourneyStyles(host.renderRoot);
    this.offline = new VisitorOffline(host);
    this.bot = new VisitorBot(host);
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
    this.offline.reset();
    this.bot.reset();
  }

  // ---- before the chat -------------------------------------------------------------------

  /** Whether the channel only takes messages now: closed, or nobody Present. */
  isOffline(channel: VisitorChannel | undefined): boolean {
    return channel !== undefined && (channel.open === false || (channel.available === false && channel.offline?.whenNobodyPresent === true));
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
      ...(this.bot.used() && this.bot.proof !== undefined ? { bot: { conversation: this.bot.turns, proof: this.bot.proof } } : {}),
    };
  }

  /** The phone, company and consent fields the channel asks for. */
  renderPreChat(channel: VisitorChannel | undefined): TemplateResult | typeof nothing {
    const form = channel?.preChat;
    if (!form) return nothing;
    const field = (id: 'phone' | 'company', label: string, mode: FieldMode, type: string, autocomplete: string, max: number) => {
      if (mode === 'hidden') return nothing;
      const error = this.errors[id];
      return html`<div part="field" class="field">
        <label class="label" for=${id}>${label} <span class="optional">${fieldSuffix(mode)}</span></label>
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
