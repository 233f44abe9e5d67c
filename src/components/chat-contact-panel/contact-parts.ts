/**
 * Templates chat-contact-panel's parts share: the loading placeholder, an error with Retry, and
 * what the chat knows about the customer ("In this chat": name and identity badge, e-mail, phone,
 * the pre-chat form's company and consent, and what an identity token that did not verify claimed).
 */
import { html, nothing } from 'lit';

import { customerName, retryLabel } from '../../i18n/common.js';
import { msg, str } from '../../i18n/localization.js';
import { identityBadge } from '../../internal/identity-badge.js';
import type { SessionSummary } from '../../protocol/index.js';
import { formatDate } from './contact-texts.js';

/** When the customer accepted the channel's consent text: date and time. */
const CONSENT_TIME: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };

/** The placeholder while something loads, named for screen readers. */
export function renderSkeleton(lines = 3, label = msg('Loading…', { id: 'chat-contact-panel.loading' })) {
  return html`<div part="skeleton" class="skeleton" aria-busy="true">
    <span class="visually-hidden">${label}</span>
    ${Array.from({ length: lines }, (_, i) => html`<span class="bone" data-n=${i % 3} aria-hidden="true"></span>`)}
  </div>`;
}

/** An error with Retry. */
export function renderError(message: string, retry: () => void) {
  return html`<div part="error" class="error">
    <span class="error-icon" aria-hidden="true">!</span>
    <span class="error-text">${message}</span>
    <button part="retry" class="btn" type="button" @click=${retry}>${retryLabel()}</button>
  </div>`;
}

/** What the chat knows about the customer; `phone` writes a number as in its country. */
export function renderChatCustomer(session: SessionSummary | undefined, phone: (e164: string) => string) {
  if (!session) return nothing;
  const { customer, identity } = session;
  // Claims of a token that did not verify: shown as what they are, never used to match.
  const claimed = identity && !identity.verified ? [identity.name, identity.email].filter((x) => x !== undefined && x !== '').join(', ') : '';
  return html`<div part="customer" class="customer">
    <span class="label">${msg('In this chat', { id: 'chat-contact-panel.customer.label' })}</span>
    <span class="customer-name">${customerName(customer)} ${identityBadge(identity)}</span>
    ${customer.email ? html`<span class="meta">${customer.email}</span>` : nothing}
    ${customer.phone ? html`<span class="meta" dir="ltr">${phone(customer.phone)}</span>` : nothing}
    ${customer.company ? html`<span class="meta" part="company">${customer.company}</span>` : nothing}
    ${customer.consentAt !== undefined
      ? html`<span class="meta" part="consent">${msg(str`Accepted the consent text: ${formatDate(customer.consentAt, CONSENT_TIME)}`, { id: 'chat-contact-panel.customer.consent' })}</span>`
      : nothing}
    ${claimed !== ''
      ? html`<span class="meta" part="claimed">${msg(str`Claimed, not confirmed: ${claimed}`, { id: 'chat-contact-panel.identity.claimed' })}</span>`
      : nothing}
  </div>`;
}
