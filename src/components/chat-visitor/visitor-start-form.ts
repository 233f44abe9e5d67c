/**
 * The customer widget's start form: the topics (the tenant's public channels, loaded once), name,
 * e-mail and first message, checked here (the e-mail's form, the name's length, a topic chosen)
 * and by the server; Start chat starts it (`startChat`) and hands the new session to the widget.
 * Errors show next to their field or under the form, are announced and fired as `chat-error`.
 */
import type { ReactiveControllerHost } from 'lit';
import { html, nothing, svg } from 'lit';

import type { CrmProvider } from '../../crm/types.js';
import { ChatErrorEvent } from '../../events/chat-error-event.js';
import type { LocaleInfo } from '../../i18n/localization.js';
import { announce } from '../../internal/announcer.js';
import { MAX_EMAIL, MAX_MESSAGE_TEXT, MAX_NAME } from '../../protocol/limits.js';
import type { VisitorChannel, VisitorSession } from '../../state/visitor-http.js';
import { VisitorApiError, fetchChannels, startChat } from '../../state/visitor-http.js';
import { t } from './visitor-texts.js';
import type { VisitorJourney } from './visitor-journey.js';

/** The launcher waits at most this long for the channel's look before it shows in the default colours. */
const LOOK_WAIT_MS = 3_000;

/** A simple shape check; the server checks again. */
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const icons = {
  error: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13ZM7.2 4h1.6v5H7.2V4Zm.8 8a1 1 0 1 1 0-2 1 1 0 0 1 0 2Z"/></svg>`,
};

export interface StartFormHost extends ReactiveControllerHost, EventTarget {
  /** Where the offline form's request goes (the website's CRM), else the chat server. */
  readonly crmProvider: Pick<CrmProvider, 'createRequest'> | undefined;
  /** A fixed channel (the `channel` attribute): no topic to choose. */
  readonly channel: string;
  readonly tenant: string;
  /** The widget's shadow root (the journey adds its styles there). */
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** The widget's language (its own `lang`, else the page's). */
  readonly chatLocale: LocaleInfo;
  /** The website's token for its signed-in customer ('' for anonymous visitors). */
  readonly identityToken: string;
  /** The chat server's base URL. */
  chatServer(): string;
  focusInside(selector: string): void;
  /** The chat started: keep the session, connect, send the first message, focus the panel. */
  started(session: VisitorSession, firstMessage: string | undefined): Promise<void>;
}

export class StartForm {
  private channels: VisitorChannel[] | undefined;
  private channelsState: 'idle' | 'loading' | 'error' = 'idle';
  private channelId = '';
  private name = '';
  private email = '';
  private firstMessage = '';
  private errors: { email?: string; name?: string; channel?: string } = {};
  /** Why the chat could not start (under the form), or ''. */
  error = '';
  private starting = false;
  /** The journey's parts (pre-chat extras, FAQ, offline form, wait, after the chat): loaded with the channels. */
  journey: VisitorJourney | undefined;
  /** FAQ suggestions are shown before the chat starts (the first message matched some). */
  private showingFaq = false;
  /** The language the channels were loaded in. */
  private channelsLang = '';
  /** The language of the load under way, and the number of loads started (the last one counts). */
  private loadingLang = '';
  private loads = 0;
  /** The launcher stopped waiting for the look (the list is slow). */
  private lookWaitOver = false;
  private lookWait: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: StartFormHost) {}

  /** The channel chosen (or the `channel` attribute's), as the server described it. */
  selectedChannel(): VisitorChannel | undefined {
    const id = this.host.channel || this.channelId;
    return this.channels?.find((c) => c.id === id);
  }

  /** The first list of channels (and so the look) is still loading: the launcher waits for it, a few seconds at most. */
  lookPending(): boolean {
    return this.channels === undefined && this.channelsState === 'loading' && !this.lookWaitOver;
  }

  /** The channels offered (the fixed one only, with the `channel` attribute). */
  offered(): readonly VisitorChannel[] {
    const all = this.channels ?? [];
    return this.host.channel ? all.filter((c) => c.id === this.host.channel) : all;
  }

  /** Chooses a channel (a proactive invitation opens the panel on its channel). */
  choose(channelId: string): void {
    if (this.channels?.some((c) => c.id === channelId)) this.channelId = channelId;
    this.host.requestUpdate();
  }

  /** The channel whose look the widget wears: the chosen one, else the first. */
  lookChannel(): VisitorChannel | undefined {
    return this.selectedChannel() ?? this.channels?.[0];
  }

  /** Reports a failure under the form: shown, announced and fired as `chat-error`. */
  fail(code: string, message: string, recoverable = true): void {
    this.error = message;
    this.host.requestUpdate();
    announce(message, { assertive: true });
    this.host.dispatchEvent(new ChatErrorEvent({ code, message, recoverable }));
  }

  /**
   * Loads the topics in the page's language (again with `fresh`: open and staffed change, or
   * after a failure with Try again), and the journey's module the first time. `quiet`: only the
   * list, for the launcher's badge text while the panel is closed (no module, no error event).
   */
  loadChannels(fresh = false, quiet = false): void {
    if (!this.journey && !quiet) {
      void import('./visitor-journey.js').then((m) => {
        this.journey ??= new m.VisitorJourney(this.host);
        this.host.requestUpdate();
      });
    }
    const lang = this.host.chatLocale.locale;
    // Quiet loads never retry a failure (they run on every update of a closed widget).
    if (quiet && this.channelsState === 'error') return;
    if ((this.channels && this.channelsLang === lang && !fresh) || (this.channelsState === 'loading' && this.loadingLang === lang) || !this.host.tenant) return;
    // A newer load (another language, or fresh on open) wins over one still under way.
    const load = ++this.loads;
    if (this.channels === undefined && this.lookWait === undefined) {
      this.lookWait = setTimeout(() => {
        this.lookWaitOver = true;
        this.host.requestUpdate();
      }, LOOK_WAIT_MS);
    }
    this.loadingLang = lang;
    this.channelsState = 'loading';
    this.host.requestUpdate();
    fetchChannels(this.host.chatServer(), this.host.tenant, lang).then(
      (channels) => {
        clearTimeout(this.lookWait);
        if (load !== this.loads) return;
        this.channels = channels;
        this.channelsLang = lang;
        this.channelsState = 'idle';
        if (!channels.some((c) => c.id === this.channelId)) this.channelId = channels[0]?.id ?? '';
        this.host.requestUpdate();
      },
      (error: unknown) => {
        clearTimeout(this.lookWait);
        if (load !== this.loads) return;
        this.channelsState = 'error';
        this.host.requestUpdate();
        if (quiet) return;
        // With a fixed channel the list only adds its texts and forms: the chat still starts without it.
        if (this.host.channel) return;
        const code = error instanceof VisitorApiError ? error.code : 'internal';
        this.host.dispatchEvent(new ChatErrorEvent({ code, message: t.topicsFailed(), recoverable: true }));
      },
    );
  }

  private readonly onField = (event: Event): void => {
    const input = event.target as HTMLInputElement | HTMLTextAreaElement;
    const value = input.value;
    this.host.requestUpdate();
    if (input.id === 'name') this.name = value;
    else if (input.id === 'email') {
      this.email = value;
      // Once shown, the error follows the input (it disappears as soon as the address is valid).
      if (this.errors.email) this.errors = { ...this.errors, email: this.validateEmail(value) };
    } else if (input.id === 'first-message') this.firstMessage = value;
  };

  private readonly onTopic = (event: Event): void => {
    this.channelId = (event.target as HTMLInputElement).value;
    this.errors = { ...this.errors, channel: undefined };
    this.host.requestUpdate();
  };

  private validateEmail(value: string): string | undefined {
    const email = value.trim();
    return email !== '' && (email.length > MAX_EMAIL || !EMAIL_PATTERN.test(email)) ? t.emailInvalid() : undefined;
  }

  private readonly onStart = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    if (this.starting) return;
    const channelId = this.host.channel || this.channelId;
    const errors: { email?: string; name?: string; channel?: string } = {};
    const emailError = this.validateEmail(this.email);
    if (emailError) errors.email = emailError;
    if (this.name.trim().length > MAX_NAME) errors.name = t.nameInvalid();
    if (!channelId && (this.channels?.length ?? 0) > 0) errors.channel = t.chooseTopic();
    this.errors = errors;
    this.error = '';
    this.host.requestUpdate();
    const firstError = errors.channel ?? errors.name ?? errors.email;
    if (firstError) {
      announce(firstError);
      await this.host.updateComplete;
      this.host.focusInside(errors.channel ? '.topic input' : errors.name ? '#name' : '#email');
      return;
    }
    if (!channelId) return;
    const channel = this.selectedChannel();
    const journey = this.journey;
    // The channel's own form: required fields, phone, company, consent.
    const invalid = journey?.check(channel, { name: this.name, email: this.email });
    if (invalid) {
      this.errors = { ...this.errors, name: journey?.errors.name, email: journey?.errors.email };
      announce(journey?.errors.consent ?? journey?.errors.name ?? journey?.errors.email ?? journey?.errors.phone ?? journey?.errors.company ?? '');
      await this.host.updateComplete;
      this.host.focusInside(invalid);
      return;
    }
    // FAQ suggestions first, once per first message; the customer can still go on to the chat.
    if (journey && !this.showingFaq && journey.faq === undefined && (await journey.loadFaq(channel, this.firstMessage))) {
      this.showingFaq = true;
      this.host.requestUpdate();
      await this.host.updateComplete;
      this.host.focusInside('.faq-title');
      return;
    }
    // Chatbot first: the channel's bot answers the first message; it (or the customer) hands off to the queue.
    if (journey && channel && journey.bot.wants(channel)) {
      journey.bot.start(channel, this.firstMessage, () => void this.startNow(channelId));
      await this.host.updateComplete;
      this.host.focusInside('#bot-input');
      return;
    }
    await this.startNow(channelId);
  };

  /** Starts the chat (after the form and any FAQ suggestions). */
  private async startNow(channelId: string): Promise<void> {
    this.showingFaq = false;
    this.starting = true;
    this.host.requestUpdate();
    try {
      const name = this.name.trim();
      const email = this.email.trim();
      const session = await startChat(this.host.chatServer(), {
        tenant: this.host.tenant,
        channelId,
        ...(this.host.identityToken ? { identityToken: this.host.identityToken } : {}),
        ...(name ? { name } : {}),
        ...(email ? { email } : {}),
        ...(this.journey?.startFields(this.selectedChannel()) ?? { lang: this.host.chatLocale.locale }),
      });
      // A first message the bot answered is in the chat already (its bot part).
      const first = this.firstMessage.trim() === '' || this.journey?.bot.used() ? undefined : this.firstMessage;
      this.firstMessage = '';
      await this.host.started(session, first);
    } catch (error) {
      this.startFailed(error);
    } finally {
      this.starting = false;
      this.host.requestUpdate();
    }
  }

  /** Forgets the journey's state of the last chat. */
  reset(): void {
    this.showingFaq = false;
    this.journey?.reset();
  }

  private startFailed(error: unknown): void {
    if (!(error instanceof VisitorApiError)) {
      this.fail('internal', t.startFailed());
      return;
    }
    if (error.code === 'invalid') {
      const field = /^(\w+):/.exec(error.message)?.[1];
      if (field === 'email' || field === 'name') {
        const message = field === 'email' ? t.emailInvalid() : t.nameInvalid();
        this.errors = { ...this.errors, [field]: message };
        this.host.requestUpdate();
        announce(message);
        void this.host.updateComplete.then(() => {
          this.host.focusInside(`#${field}`);
        });
        this.host.dispatchEvent(new ChatErrorEvent({ code: error.code, message, recoverable: true }));
        return;
      }
      this.fail(error.code, t.startInvalid());
      return;
    }
    if (error.status === 0) this.fail('offline', t.startOffline());
    else if (error.status === 429) this.fail(error.code, t.startRateLimited());
    else if (error.status === 403 || error.status === 404) this.fail(error.code, t.startUnavailable(), false);
    else this.fail(error.code, t.startFailed());
  }

  private renderTopics() {
    if (this.host.channel) return nothing;
    if (this.channelsState === 'loading' && !this.channels) return html`<p class="note">${t.loadingTopics()}</p>`;
    if (this.channelsState === 'error') {
      return html`<div class="note note--error" part="form-error">
        <span>${icons.error} ${t.topicsFailed()}</span>
        <button
          class="btn"
          type="button"
          @click=${() => {
            this.channelsState = 'idle';
            this.loadChannels();
          }}
        >
          ${t.tryAgain()}
        </button>
      </div>`;
    }
    const channels = this.channels ?? [];
    if (channels.length < 2) return nothing;
    const error = this.errors.channel;
    return html`<fieldset part="field" class="field topic" aria-describedby=${error ? 'topic-error' : nothing}>
      <legend class="label">${t.topic()}</legend>
      <div class="options">
        ${channels.map(
          (c) => html`<label class="option">
            <input type="radio" name="topic" .value=${c.id} .checked=${c.id === this.channelId} @change=${this.onTopic} />
            <span>${c.name}${c.description ? html`<span class="topic-description">${c.description}</span>` : nothing}</span>
          </label>`,
        )}
      </div>
      ${error ? html`<p id="topic-error" part="field-error" class="field-error">${icons.error} ${error}</p>` : nothing}
    </fieldset>`;
  }

  /** The form: topic, name, e-mail, first message, Start chat. */
  render() {
    const { email: emailError, name: nameError } = this.errors;
    const noTopics = !this.host.channel && this.channels?.length === 0;
    const channel = this.selectedChannel();
    const journey = this.journey;
    if (journey && this.showingFaq) {
      return journey.renderFaq(
        () => void this.startNow(this.host.channel || this.channelId),
        () => {
          this.showingFaq = false;
          this.host.requestUpdate();
          void this.host.updateComplete.then(() => {
            this.host.focusInside('#first-message');
          });
        },
      );
    }
    if (journey?.bot.active && channel) return journey.bot.render(channel);
    if (journey?.isOffline(channel) && channel) {
      // Closed (or nobody Present, when the channel says so): the offline form; another topic may be open.
      return html`<div class="form offline-view">${this.renderTopics()} ${journey.offline.render(channel)}</div>`;
    }
    const mode = channel?.preChat;
    return html`<form part="form" class="form" novalidate @submit=${this.onStart}>
      <p class="intro">${channel?.texts?.message ?? t.intro()}</p>
      ${this.renderTopics()}
      ${noTopics ? html`<p class="note">${t.noTopics()}</p>` : nothing}
      <div part="field" class="field" ?hidden=${mode?.name === 'hidden'}>
        <label class="label" for="name">${t.name()} <span class="optional">${mode?.name === 'required' ? t.required() : t.optional()}</span></label>
        <input
          id="name"
          class="control"
          type="text"
          autocomplete="name"
          maxlength=${MAX_NAME}
          .value=${this.name}
          aria-invalid=${nameError ? 'true' : 'false'}
          aria-describedby=${nameError ? 'name-error' : nothing}
          @input=${this.onField}
        />
        ${nameError ? html`<p id="name-error" part="field-error" class="field-error">${icons.error} ${nameError}</p>` : nothing}
      </div>
      <div part="field" class="field" ?hidden=${mode?.email === 'hidden'}>
        <label class="label" for="email">${t.email()} <span class="optional">${mode?.email === 'required' ? t.required() : t.optional()}</span></label>
        <input
          id="email"
          class="control"
          type="email"
          inputmode="email"
          autocomplete="email"
          spellcheck="false"
          maxlength=${MAX_EMAIL}
          .value=${this.email}
          aria-invalid=${emailError ? 'true' : 'false'}
          aria-describedby=${emailError ? 'email-error email-hint' : 'email-hint'}
          @input=${this.onField}
        />
        ${emailError ? html`<p id="email-error" part="field-error" class="field-error">${icons.error} ${emailError}</p>` : nothing}
        <p id="email-hint" class="hint">${t.emailHint()}</p>
      </div>
      ${journey?.renderPreChat(channel) ?? nothing}
      <div part="field" class="field">
        <label class="label" for="first-message">${t.firstMessage()} <span class="optional">${t.optional()}</span></label>
        <textarea id="first-message" class="control" rows="3" maxlength=${MAX_MESSAGE_TEXT} .value=${this.firstMessage} @input=${this.onField}></textarea>
      </div>
      ${this.error ? html`<p id="form-error" part="form-error" class="form-error">${icons.error} <span>${this.error}</span></p>` : nothing}
      <button
        part="start"
        class="btn btn--primary start"
        type="submit"
        aria-disabled=${this.starting || noTopics ? 'true' : 'false'}
        aria-describedby=${this.error ? 'form-error' : nothing}
      >
        ${this.starting ? html`<span class="spinner" aria-hidden="true"></span>${t.starting()}` : t.start()}
      </button>
    </form>`;
  }
}
