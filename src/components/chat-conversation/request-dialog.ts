/**
 * "Create request" (loaded on first use, only with a `crmProvider`): a native modal `<dialog>` in
 * the conversation's shadow root, prefilled from the chat: the title from the customer's first
 * message, category and priority from the default lists (`CRM_REQUEST_CATEGORIES`,
 * `CRM_REQUEST_PRIORITIES`), a description, and "Attach the chat transcript" (on: the CRM builds
 * the transcript from the chat and stores it with the request, `attachTranscript`). The request
 * is filed on the contact the chat is linked to (`getSessionLink`), or on none.
 * Errors are shown next to their field (`aria-describedby`); on success the conversation puts
 * "I have registered your request as #<number>." into the composer.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { css, html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';

import { msg, str } from '../../i18n/localization.js';
import type { CrmError, CrmFieldError, CrmProvider, CrmRequest, CrmRequestCategory, CrmRequestPriority } from '../../crm/types.js';
import { CRM_REQUEST_CATEGORIES, CRM_REQUEST_PRIORITIES } from '../../crm/types.js';
import { CRM_LIMITS, checkRequest } from '../../crm/validate.js';
import { announce } from '../../internal/announcer.js';
import { categoryLabel, priorityLabel } from '../../i18n/requests.js';
import { formStyles } from '../../styles/form.styles.js';

/**
 * A CrmError, also one of another copy of the library (an adapter loaded beside the CDN bundle):
 * by name, as `isCrmError` (src/crm/is-crm-error.ts), written out here so the console's entry
 * does not carry it for two lazy parts.
 */
const isCrmError = (error: unknown): error is CrmError => error instanceof Error && error.name === 'CrmError' && typeof (error as { code?: unknown }).code === 'string';

export interface RequestDialogHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly crmProvider?: CrmProvider | undefined;
}

/** Who is told what the dialog did (the conversation's requests controller). */
export interface RequestDialogOwner {
  /** A request was created from the chat. */
  requestCreated(sessionId: string, request: CrmRequest): void;
  /** Where focus returns when the dialog closes without a request. */
  focusRequestButton(): void;
}

type Field = 'title' | 'category' | 'priority' | 'description';
const FIELDS: readonly Field[] = ['title', 'category', 'priority', 'description'];

/** The longest prefilled title (the customer's first message, cut at a word). */
const TITLE_PREFILL = 80;

/** A title from the customer's first message: one line, cut at a word boundary with "…". */
export function requestTitleFrom(text: string | undefined): string {
  const line = (text ?? '').replace(/\s+/g, ' ').trim();
  if (line.length <= TITLE_PREFILL) return line;
  const cut = line.slice(0, TITLE_PREFILL - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > TITLE_PREFILL / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** A field error in words (the codes are the providers' common language; their messages are English). */
function fieldText(field: string, error: CrmFieldError): string {
  switch (error.code) {
    case 'required':
      return field === 'title' ? msg('Enter a title.', { id: 'chat-conversation.request.error.title' }) : msg('Required.', { id: 'chat-conversation.request.error.required' });
    case 'too_long': {
      const max = field === 'title' ? CRM_LIMITS.requestTitle : CRM_LIMITS.description;
      return msg(str`Use at most ${max} characters.`, { id: 'chat-conversation.request.error.too-long' });
    }
    case 'invalid':
      return msg('Choose one of the values offered.', { id: 'chat-conversation.request.error.invalid' });
    default:
      return error.message;
  }
}

interface Draft {
  sessionId: string;
  title: string;
  category: CrmRequestCategory;
  priority: CrmRequestPriority;
  description: string;
  transcript: boolean;
  /** The linked contact's name (undefined: none, or not known yet). */
  contactName?: string | undefined;
  contactId?: string | undefined;
  contactLoading: boolean;
}

export class RequestDialog implements ReactiveController {
  private draft: Draft | undefined;
  private errors: Partial<Record<Field | 'general', string>> = {};
  private saving = false;
  private controller: AbortController | undefined;
  private focusNext: string | undefined;
  private wantOpen = false;

  constructor(
    private readonly host: RequestDialogHost,
    private readonly owner: RequestDialogOwner,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.controller?.abort();
  }

  hostUpdated(): void {
    const dialog = this.dialog();
    if (dialog && this.wantOpen && !dialog.open) {
      this.wantOpen = false;
      dialog.showModal();
      this.focusNext ??= 'request-title';
    }
    const target = this.focusNext;
    if (target !== undefined && dialog?.open) {
      this.focusNext = undefined;
      const field = this.host.renderRoot.querySelector<HTMLElement>(`#${target}`);
      field?.focus();
      // A prefilled title is selected (typing replaces it) and shown from its start, not scrolled to its end.
      if (field instanceof HTMLInputElement && target === 'request-title') {
        field.setSelectionRange(0, field.value.length, 'backward');
        field.scrollLeft = 0;
      }
    }
  }

  get isOpen(): boolean {
    return this.dialog()?.open === true;
  }

  /** Opens the dialog for a chat, prefilled. */
  open(sessionId: string, prefill: { firstCustomerText?: string | undefined; customerName: string }): void {
    const provider = this.host.crmProvider;
    if (!provider) return;
    const title = requestTitleFrom(prefill.firstCustomerText) || msg(str`Chat with ${prefill.customerName}`, { id: 'chat-conversation.request.default-title' });
    this.draft = { sessionId, title, category: 'question', priority: 'normal', description: '', transcript: true, contactLoading: true };
    this.errors = {};
    this.saving = false;
    this.wantOpen = true;
    this.host.requestUpdate();
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    void (async () => {
      let contactId: string | undefined;
      let contactName: string | undefined;
      try {
        contactId = (await provider.getSessionLink(sessionId, controller.signal))?.contactId;
        if (contactId !== undefined) {
          const c = await provider.getContact(contactId, controller.signal);
          contactName = `${c.firstName} ${c.lastName}`.trim();
        }
      } catch {
        if (controller.signal.aborted) return;
      }
      if (this.draft?.sessionId !== sessionId) return;
      this.draft = { ...this.draft, contactId, contactName, contactLoading: false };
      this.host.requestUpdate();
    })();
  }

  close(): void {
    const dialog = this.dialog();
    if (dialog?.open) dialog.close('cancel');
  }

  private dialog(): HTMLDialogElement | null {
    return this.host.renderRoot.querySelector<HTMLDialogElement>('.request-dialog');
  }

  private readonly onClose = (): void => {
    this.controller?.abort();
    const done = this.dialog()?.returnValue === 'done';
    this.draft = undefined;
    this.errors = {};
    this.host.requestUpdate();
    if (!done) this.owner.focusRequestButton();
  };

  private async submit(): Promise<void> {
    const provider = this.host.crmProvider;
    const d = this.draft;
    if (!provider || !d || this.saving) return;
    const input = {
      sessionId: d.sessionId,
      title: d.title,
      category: d.category,
      priority: d.priority,
      description: d.description.trim() === '' ? undefined : d.description,
      attachTranscript: d.transcript,
      ...(d.contactId !== undefined ? { contactId: d.contactId } : {}),
    };
    const checked = checkRequest(input);
    if (Object.keys(checked.errors).length > 0) {
      this.showErrors(checked.errors);
      return;
    }
    this.saving = true;
    this.errors = {};
    this.host.requestUpdate();
    try {
      const request = await provider.createRequest(checked.value);
      this.saving = false;
      this.dialog()?.close('done');
      this.owner.requestCreated(d.sessionId, request);
    } catch (error) {
      this.saving = false;
      if (isCrmError(error) && Object.keys(error.fields).length > 0) this.showErrors(error.fields);
      else {
        const code = isCrmError(error) ? error.code : 'unavailable';
        this.errors = {
          general:
            code === 'forbidden'
              ? msg('You are not allowed to create a request for this chat.', { id: 'chat-conversation.request.error.forbidden' })
              : msg('The CRM could not be reached. Try again.', { id: 'chat-conversation.request.error.unavailable' }),
        };
        this.focusNext = 'request-error';
        announce(this.errors.general ?? '', { assertive: true });
        this.host.requestUpdate();
      }
    }
  }

  private showErrors(fields: Readonly<Record<string, CrmFieldError>>): void {
    const errors: Partial<Record<Field | 'general', string>> = {};
    for (const [field, error] of Object.entries(fields)) {
      if ((FIELDS as readonly string[]).includes(field)) errors[field as Field] = fieldText(field, error);
      else errors.general = error.message;
    }
    this.errors = errors;
    const first = FIELDS.find((f) => errors[f] !== undefined);
    this.focusNext = first ? `request-${first}` : 'request-error';
    announce(msg('The request was not created: check the marked fields.', { id: 'chat-conversation.request.not-created' }), { assertive: true });
    this.host.requestUpdate();
  }

  private described(field: Field, hint = false): string | undefined {
    const ids = [hint ? `request-${field}-hint` : '', this.errors[field] !== undefined ? `request-${field}-error` : ''].filter(Boolean).join(' ');
    return ids === '' ? undefined : ids;
  }

  private error(field: Field) {
    const e = this.errors[field];
    return e !== undefined ? html`<p id="request-${field}-error" class="field-error" part="request-field-error">${e}</p>` : nothing;
  }

  render() {
    const d = this.draft;
    const set = (patch: Partial<Draft>) => {
      if (this.draft) this.draft = { ...this.draft, ...patch };
    };
    return html`<dialog class="request-dialog" part="request-dialog" aria-labelledby="request-heading" @close=${this.onClose}>
      ${d
        ? html`<form
            class="request-form"
            novalidate
            @submit=${(e: Event) => {
              e.preventDefault();
              void this.submit();
            }}
          >
            <h2 id="request-heading" class="dialog-title">${msg('Create request', { id: 'chat-conversation.request.title' })}</h2>
            <p class="request-contact" part="request-contact">
              ${d.contactLoading
                ? msg('Looking for the linked contact…', { id: 'chat-conversation.request.contact-loading' })
                : d.contactName !== undefined
                  ? msg(str`For ${d.contactName} (the contact linked to this chat).`, { id: 'chat-conversation.request.contact' })
                  : msg('No contact is linked to this chat: the request is saved with the chat only.', { id: 'chat-conversation.request.no-contact' })}
            </p>
            ${this.errors.general !== undefined ? html`<p id="request-error" class="field-error field-error--general" tabindex="-1" role="alert">${this.errors.general}</p>` : nothing}
            <div class="field">
              <label for="request-title">${msg('Title', { id: 'chat-conversation.request.field.title' })}</label>
              <input
                id="request-title"
                type="text"
                maxlength=${CRM_LIMITS.requestTitle}
                aria-invalid=${this.errors.title !== undefined ? 'true' : 'false'}
                aria-describedby=${ifDefined(this.described('title'))}
                .value=${live(d.title)}
                @input=${(e: Event) => {
                  set({ title: (e.target as HTMLInputElement).value });
                }}
              />
              ${this.error('title')}
            </div>
            <div class="field-row">
              <div class="field">
                <label for="request-category">${msg('Category', { id: 'chat-conversation.request.field.category' })}</label>
                <select
                  id="request-category"
                  aria-describedby=${ifDefined(this.described('category'))}
                  @change=${(e: Event) => {
                    set({ category: (e.target as HTMLSelectElement).value as CrmRequestCategory });
                  }}
                >
                  ${CRM_REQUEST_CATEGORIES.map((c) => html`<option value=${c} ?selected=${c === d.category}>${categoryLabel(c)}</option>`)}
                </select>
                ${this.error('category')}
              </div>
              <div class="field">
                <label for="request-priority">${msg('Priority', { id: 'chat-conversation.request.field.priority' })}</label>
                <select
                  id="request-priority"
                  aria-describedby=${ifDefined(this.described('priority'))}
                  @change=${(e: Event) => {
                    set({ priority: (e.target as HTMLSelectElement).value as CrmRequestPriority });
                  }}
                >
                  ${CRM_REQUEST_PRIORITIES.map((p) => html`<option value=${p} ?selected=${p === d.priority}>${priorityLabel(p)}</option>`)}
                </select>
                ${this.error('priority')}
              </div>
            </div>
            <div class="field">
              <label for="request-description">${msg('Description (optional)', { id: 'chat-conversation.request.field.description' })}</label>
              <textarea
                id="request-description"
                rows="3"
                maxlength=${CRM_LIMITS.description}
                aria-invalid=${this.errors.description !== undefined ? 'true' : 'false'}
                aria-describedby=${ifDefined(this.described('description'))}
                .value=${live(d.description)}
                @input=${(e: Event) => {
                  set({ description: (e.target as HTMLTextAreaElement).value });
                }}
              ></textarea>
              ${this.error('description')}
            </div>
            <div class="field field--check">
              <input
                id="request-transcript"
                type="checkbox"
                aria-describedby="request-transcript-hint"
                .checked=${live(d.transcript)}
                @change=${(e: Event) => {
                  set({ transcript: (e.target as HTMLInputElement).checked });
                }}
              /><label for="request-transcript">${msg('Attach the chat transcript', { id: 'chat-conversation.request.field.transcript' })}</label>
              <p id="request-transcript-hint" class="field-hint">
                ${msg('The messages the customer saw, with times; internal notes are left out.', { id: 'chat-conversation.request.transcript-hint' })}
              </p>
            </div>
            <div class="actions">
              <button
                class="btn"
                part="request-cancel"
                type="button"
                @click=${() => {
                  this.close();
                }}
              >
                ${msg('Cancel', { id: 'chat-conversation.dialog.cancel' })}
              </button>
              <button class="btn btn--primary" part="request-confirm" type="submit" aria-disabled=${this.saving ? 'true' : 'false'}>
                ${this.saving ? msg('Creating…', { id: 'chat-conversation.request.saving' }) : msg('Create request', { id: 'chat-conversation.request.title' })}
              </button>
            </div>
          </form>`
        : nothing}
    </dialog>`;
  }
}

/** The dialog's styles (with the shared form styles), added to the conversation's shadow root on first use. */
export const requestDialogStyles = [
  formStyles,
  css`
  .request-dialog {
    width: min(34rem, calc(100vw - 32px));
  }
  .request-form {
    display: flex;
    flex-direction: column;
    gap: var(--_space-m);
  }
  .request-form .dialog-title {
    margin: 0;
  }
  .request-contact {
    margin: 0;
    color: var(--_muted);
  }
`,
];
