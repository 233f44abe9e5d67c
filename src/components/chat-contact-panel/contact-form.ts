/**
 * The contact panel's "Create contact" form: prefilled from the customer, checked as typed and
 * against the CRM (`checkContact`, the provider's field errors, shown next to their fields with
 * focus on the first), a company picked, created with the contact, or none, a notice of possible
 * duplicates as names, e-mail and phone are typed, then the contact created and linked to the chat.
 */
import type { ReactiveControllerHost, TemplateResult } from 'lit';
import { html, nothing } from 'lit';

import { plural } from '../../i18n/format.js';
import { msg, str } from '../../i18n/localization.js';
import type { CrmCompany, CrmContact, CrmContactSummary, CrmCreateContactInput, CrmCustomer, CrmFieldError, CrmMatch, CrmMatchReason, CrmProvider } from '../../crm/types.js';
import { isCrmError } from '../../crm/is-crm-error.js';
import { checkContact } from '../../crm/validate.js';
import { announce } from '../../internal/announcer.js';
import type { ContactRef } from './contact-lists.js';
import { renderError, renderSkeleton } from './contact-parts.js';
import type { Load } from './contact-texts.js';
import { aborted, errorText, fieldErrorText, isAbort } from './contact-texts.js';
import { CrmLoad } from './crm-load.js';

interface FormValues {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  title: string;
  companyMode: 'existing' | 'new' | 'none';
  companyQuery: string;
  company: { id: string; name: string; city?: string | undefined } | undefined;
  companyName: string;
  orgNo: string;
}

const SEARCH_DELAY_MS = 250;
const DUPLICATE_DELAY_MS = 400;
const MAX_DUPLICATES = 3;

/** The form fields in the order they are shown (focus goes to the first one with an error). */
const FIELD_ORDER = ['firstName', 'lastName', 'email', 'phone', 'title', 'companyId', 'newCompany.name', 'newCompany.orgNo'];
const FIELD_IDS: Record<string, string> = {
  firstName: 'f-first',
  lastName: 'f-last',
  email: 'f-email',
  phone: 'f-phone',
  title: 'f-title',
  companyId: 'f-company-search',
  'newCompany.name': 'f-company-name',
  'newCompany.orgNo': 'f-company-org',
};

const emptyForm = (): FormValues => ({
  firstName: '',
  lastName: '',
  email: '',
  phone: '',
  title: '',
  companyMode: 'existing',
  companyQuery: '',
  company: undefined,
  companyName: '',
  orgNo: '',
});

export interface ContactFormHost extends ReactiveControllerHost {
  readonly provider?: CrmProvider | undefined;
  /** The chat the new contact is linked to. */
  shownSessionId(): string | undefined;
  /** Aborts when the chat changes. */
  signal(): AbortSignal;
  focusAfterRender(selector: string): void;
  /** The contact was created; `linkError` when it could not be linked to the chat. */
  contactCreated(sessionId: string, contact: CrmContact, linkError: unknown): void;
  renderItem(c: CrmContactSummary | ContactRef, reasons?: readonly CrmMatchReason[]): TemplateResult;
}

export class ContactForm {
  /** The form is shown (instead of the matches or the card). */
  isOpen = false;
  private values: FormValues = emptyForm();
  private fieldErrors: Record<string, string> = {};
  private error = '';
  private submitting = false;
  private duplicates: CrmMatch[] = [];
  /** Contacts like the one in the form (`findMatches`). */
  private readonly duplicateLoad: CrmLoad<[CrmProvider, CrmCustomer], CrmMatch[]>;
  /** Companies for the company search (`searchCompanies`). */
  private readonly companies: CrmLoad<[CrmProvider, string], CrmCompany[]>;
  private duplicateTimer: ReturnType<typeof setTimeout> | undefined;
  private companyTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: ContactFormHost) {
    this.duplicateLoad = new CrmLoad(
      host,
      ([provider, customer], signal) => provider.findMatches(customer, signal),
      (matches) => {
        const before = this.duplicates.length;
        this.duplicates = matches.filter((m) => m.reasons.some((r) => r !== 'linked')).slice(0, MAX_DUPLICATES);
        if (before === 0 && this.duplicates.length > 0) {
          announce(msg('This contact may already be in the CRM.', { id: 'chat-contact-panel.duplicate.announce' }));
        }
      },
    );
    this.companies = new CrmLoad(host, ([provider, query], signal) => provider.searchCompanies(query, signal));
  }

  /** The company search's results; undefined while the search field is empty. */
  private get companyResults(): Load<CrmCompany[]> | undefined {
    return this.values.companyQuery.trim() === '' ? undefined : this.companies.state;
  }

  /** Stops the duplicate check and the company search (and their timers). */
  private stopLoads(): void {
    this.duplicateLoad.stop();
    this.companies.stop();
    clearTimeout(this.duplicateTimer);
    clearTimeout(this.companyTimer);
  }

  /** Another chat: the form closes and forgets everything. */
  reset(): void {
    this.stopLoads();
    this.isOpen = false;
    this.values = emptyForm();
    this.fieldErrors = {};
    this.error = '';
    this.submitting = false;
    this.duplicates = [];
  }


  /** Opens the form, prefilled from the customer as the chat knows them. */
  open(customer: { name?: string | undefined; email?: string | undefined; phone?: string | undefined } | undefined): void {
    const words = (customer?.name ?? '').trim().split(/\s+/).filter(Boolean);
    this.values = {
      ...emptyForm(),
      firstName: words[0] ?? '',
      lastName: words.slice(1).join(' '),
      email: customer?.email ?? '',
      phone: customer?.phone ?? '',
    };
    this.fieldErrors = {};
    this.error = '';
    this.duplicates = [];
    this.isOpen = true;
    this.host.focusAfterRender('#f-first');
    this.host.requestUpdate();
    this.checkDuplicates();
  }

  /** Closes the form (Cancel), focus back on "Create contact". */
  readonly close = (): void => {
    this.isOpen = false;
    this.stopLoads();
    this.host.focusAfterRender('#create-button');
    this.host.requestUpdate();
  };

  private setField(name: keyof FormValues, value: string): void {
    this.host.requestUpdate();
    this.values = { ...this.values, [name]: value };
    const field = name === 'companyName' ? 'newCompany.name' : name === 'orgNo' ? 'newCompany.orgNo' : name;
    if (this.fieldErrors[field]) {
      const { [field]: _gone, ...rest } = this.fieldErrors;
      this.fieldErrors = rest;
    }
    if (name === 'firstName' || name === 'lastName' || name === 'email' || name === 'phone') {
      clearTimeout(this.duplicateTimer);
      this.duplicateTimer = setTimeout(() => {
        this.checkDuplicates();
      }, DUPLICATE_DELAY_MS);
    }
  }

  private readonly onField = (e: Event): void => {
    const input = e.target as HTMLInputElement;
    this.setField(input.name as keyof FormValues, input.value);
  };

  /** Looks for contacts like the one in the form (the possible-duplicate notice). */
  private checkDuplicates(): void {
    const provider = this.host.provider;
    if (!provider) return;
    const f = this.values;
    const name = `${f.firstName} ${f.lastName}`.trim();
    if (name === '' && f.email.trim() === '' && f.phone.trim() === '') {
      this.duplicateLoad.stop();
      this.duplicates = [];
      this.host.requestUpdate();
      return;
    }
    this.duplicateLoad.run(provider, { name, email: f.email.trim() || undefined, phone: f.phone.trim() || undefined });
  }

  private onCompanyMode(mode: FormValues['companyMode']): void {
    this.host.requestUpdate();
    this.values = { ...this.values, companyMode: mode };
    const { companyId: _a, 'newCompany.name': _b, 'newCompany.orgNo': _c, ...rest } = this.fieldErrors;
    this.fieldErrors = rest;
  }

  private readonly onCompanySearch = (e: Event): void => {
    this.host.requestUpdate();
    const value = (e.target as HTMLInputElement).value;
    this.values = { ...this.values, companyQuery: value };
    clearTimeout(this.companyTimer);
    // Loading (or nothing, for an empty field) from now on: an earlier search's answer is not shown.
    this.companies.stop();
    if (value.trim() === '') return;
    this.companyTimer = setTimeout(() => {
      this.searchCompanies(value);
    }, SEARCH_DELAY_MS);
  };

  private searchCompanies(value: string): void {
    const provider = this.host.provider;
    if (provider) this.companies.run(provider, value.trim());
  }

  private pickCompany(company: CrmCompany | undefined): void {
    this.host.requestUpdate();
    this.values = { ...this.values, company: company ? { id: company.id, name: company.name, city: company.address?.city } : undefined, companyQuery: '' };
    this.companies.stop();
    if (company) {
      const { companyId: _gone, ...rest } = this.fieldErrors;
      this.fieldErrors = rest;
    }
    this.host.focusAfterRender(company ? '#company-change' : '#f-company-search');
  }

  private formInput(): CrmCreateContactInput {
    const f = this.values;
    const person = { firstName: f.firstName, lastName: f.lastName, email: f.email, phone: f.phone, title: f.title };
    if (f.companyMode === 'existing') return { ...person, companyId: f.company?.id ?? '' };
    if (f.companyMode === 'new') return { ...person, newCompany: { name: f.companyName, orgNo: f.orgNo } };
    return person;
  }

  private showFieldErrors(fields: Readonly<Record<string, CrmFieldError>>): void {
    this.host.requestUpdate();
    const errors: Record<string, string> = {};
    for (const [field, error] of Object.entries(fields)) errors[field] = fieldErrorText(field, error);
    this.fieldErrors = errors;
    const first = FIELD_ORDER.find((f) => f in errors);
    if (first) this.host.focusAfterRender(`#${FIELD_IDS[first] ?? 'f-first'}`);
    const n = Object.keys(errors).length;
    announce(
      plural(n, { one: msg('The form has 1 error.', { id: 'chat-contact-panel.form.errors.one' }), other: msg(str`The form has ${n} errors.`, { id: 'chat-contact-panel.form.errors.many' }) }),
      { assertive: true },
    );
  }

  private readonly submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const provider = this.host.provider;
    const sessionId = this.host.shownSessionId();
    if (!provider || sessionId === undefined || this.submitting) return;
    const input = this.formInput();
    const checked = checkContact(input);
    if (this.values.companyMode === 'existing' && !this.values.company) checked.errors.companyId = { code: 'required', message: 'Company: required' };
    if (Object.keys(checked.errors).length > 0) {
      this.showFieldErrors(checked.errors);
      return;
    }
    const signal = this.host.signal();
    this.submitting = true;
    this.error = '';
    this.host.requestUpdate();
    let contact: CrmContact;
    try {
      contact = await provider.createContact(checked.value, signal);
    } catch (error) {
      if (signal.aborted || isAbort(error)) return;
      this.submitting = false;
      this.host.requestUpdate();
      if (isCrmError(error) && Object.keys(error.fields).length > 0) {
        this.showFieldErrors(error.fields);
      } else {
        this.error = msg(str`The contact could not be created: ${errorText(error)}`, { id: 'chat-contact-panel.form.error.create' });
        announce(this.error, { assertive: true });
      }
      return;
    }
    if (aborted(signal)) return;
    let linkError: unknown;
    try {
      await provider.linkSession(sessionId, contact.id, signal);
    } catch (error) {
      if (signal.aborted || isAbort(error)) return;
      linkError = error;
    }
    if (aborted(signal)) return;
    this.submitting = false;
    this.isOpen = false;
    this.host.requestUpdate();
    this.host.contactCreated(sessionId, contact, linkError);
  };

  private renderField(name: keyof FormValues, field: string, label: string, options: { type?: string; autocomplete?: string; required?: boolean; max?: number } = {}) {
    const id = FIELD_IDS[field] ?? field;
    const error = this.fieldErrors[field];
    return html`<div class="field">
      <label for=${id}>${label}${options.required ? html`<span class="req" aria-hidden="true"> *</span>` : nothing}</label>
      <input
        id=${id}
        class="input"
        name=${name}
        type=${options.type ?? 'text'}
        autocomplete=${options.autocomplete ?? 'off'}
        maxlength=${options.max ?? 100}
        ?required=${options.required === true}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${error ? `${id}-error` : nothing}
        .value=${this.values[name]}
        @input=${this.onField}
      />
      ${error ? html`<p id=${`${id}-error`} part="field-error" class="field-error"><span aria-hidden="true">!</span> ${error}</p>` : nothing}
    </div>`;
  }

  private renderCompanyPicker() {
    const f = this.values;
    const error = this.fieldErrors.companyId;
    if (f.company) {
      return html`<div class="picked">
        <span>${msg('Company:', { id: 'chat-contact-panel.form.company.picked' })} <strong>${f.company.name}</strong>${f.company.city ? html` (${f.company.city})` : nothing}</span>
        <button id="company-change" class="btn btn--quiet" type="button" @click=${() => {
          this.pickCompany(undefined);
        }}>${msg('Change', { id: 'chat-contact-panel.form.company.change' })}</button>
      </div>`;
    }
    const results = this.companyResults;
    return html`<div class="field">
      <label for="f-company-search">${msg('Find the company', { id: 'chat-contact-panel.form.company.search' })}<span class="req" aria-hidden="true"> *</span></label>
      <input
        id="f-company-search"
        class="input"
        type="search"
        autocomplete="off"
        maxlength="100"
        aria-required="true"
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${error ? 'f-company-search-error' : nothing}
        .value=${f.companyQuery}
        @input=${this.onCompanySearch}
      />
      ${error ? html`<p id="f-company-search-error" part="field-error" class="field-error"><span aria-hidden="true">!</span> ${error}</p>` : nothing}
      ${results?.state === 'loading' ? renderSkeleton(1, msg('Searching…', { id: 'chat-contact-panel.search.searching' })) : nothing}
      ${results?.state === 'error' ? renderError(results.message, () => {
        this.companies.retry();
      }) : nothing}
      ${results?.state === 'ready'
        ? results.value.length === 0
          ? html`<p part="empty" class="empty">${msg('No companies found.', { id: 'chat-contact-panel.form.company.none' })}</p>`
          : html`<ul class="list companies" aria-label=${msg('Companies', { id: 'chat-contact-panel.form.company.results' })}>
              ${results.value.map(
                (c) => html`<li class="company">
                  <button class="btn btn--quiet pick" type="button" @click=${() => {
                    this.pickCompany(c);
                  }}>
                    <span class="name">${c.name}</span>
                    <span class="meta">${[c.orgNo, c.address?.city].filter(Boolean).join(' · ')}</span>
                  </button>
                </li>`,
              )}
            </ul>`
        : nothing}
    </div>`;
  }

  private renderDuplicates() {
    if (this.duplicates.length === 0) return nothing;
    return html`<div part="duplicate-warning" class="duplicates">
      <p class="duplicates-title"><span aria-hidden="true">⚠</span> ${msg('Possible duplicate: this contact may already be in the CRM.', { id: 'chat-contact-panel.duplicate.title' })}</p>
      <ul class="list">${this.duplicates.map((d) => this.host.renderItem(d.contact, d.reasons))}</ul>
    </div>`;
  }

  /** The form: person, company (existing, new or none), possible duplicates, Create and Cancel. */
  render() {
    const f = this.values;
    const mode = (value: FormValues['companyMode'], label: string) =>
      html`<label class="radio"
        ><input type="radio" name="company-mode" .checked=${f.companyMode === value} @change=${() => {
          this.onCompanyMode(value);
        }} />
        ${label}</label
      >`;
    return html`<form part="form" class="form" novalidate aria-labelledby="form-heading" @submit=${this.submit}>
      <h3 id="form-heading" class="subheading">${msg('New contact', { id: 'chat-contact-panel.form.heading' })}</h3>
      <p class="hint">${msg('Fields marked * are required.', { id: 'chat-contact-panel.form.required-hint' })}</p>
      ${this.renderField('firstName', 'firstName', msg('First name', { id: 'chat-contact-panel.form.first-name' }), { autocomplete: 'off', required: true })}
      ${this.renderField('lastName', 'lastName', msg('Last name', { id: 'chat-contact-panel.form.last-name' }), { required: true })}
      ${this.renderField('email', 'email', msg('E-mail', { id: 'chat-contact-panel.form.email' }), { type: 'email', max: 254 })}
      ${this.renderField('phone', 'phone', msg('Phone', { id: 'chat-contact-panel.form.phone' }), { type: 'tel', max: 40 })}
      ${this.renderField('title', 'title', msg('Title', { id: 'chat-contact-panel.form.title' }))}
      <fieldset class="fieldset">
        <legend>${msg('Company', { id: 'chat-contact-panel.form.company' })}</legend>
        <div class="radios">
          ${mode('existing', msg('Existing company', { id: 'chat-contact-panel.form.company.existing' }))}
          ${mode('new', msg('New company', { id: 'chat-contact-panel.form.company.new' }))}
          ${mode('none', msg('No company', { id: 'chat-contact-panel.form.company.no' }))}
        </div>
        ${f.companyMode === 'existing' ? this.renderCompanyPicker() : nothing}
        ${f.companyMode === 'new'
          ? html`${this.renderField('companyName', 'newCompany.name', msg('Company name', { id: 'chat-contact-panel.form.company.name' }), { required: true, max: 120 })}
            ${this.renderField('orgNo', 'newCompany.orgNo', msg('Org. no.', { id: 'chat-contact-panel.form.company.org-no' }), { max: 20 })}`
          : nothing}
      </fieldset>
      ${this.renderDuplicates()}
      ${this.error ? html`<p part="error" class="error" role="alert"><span class="error-text">${this.error}</span></p>` : nothing}
      <div class="footer">
        <button class="btn btn--primary" type="submit" aria-disabled=${this.submitting ? 'true' : 'false'}>
          ${this.submitting ? msg('Creating…', { id: 'chat-contact-panel.form.submitting' }) : msg('Create and link', { id: 'chat-contact-panel.form.submit' })}
        </button>
        <button class="btn btn--quiet" type="button" @click=${this.close}>${msg('Cancel', { id: 'chat-contact-panel.change.cancel' })}</button>
      </div>
    </form>`;
  }
}
