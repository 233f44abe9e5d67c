/**
 * What the contact panel says: the state of a load (`Load`, as crm-load.ts reports it), whether
 * an error is an abort, and the words and formats of match reasons, statuses, amounts, dates and
 * errors. No rendering here.
 */

import { msg } from '../../i18n/localization.js';
import type { CrmActivity, CrmChatSession, CrmFieldError, CrmMatchReason, CrmRequest, CrmSale } from '../../crm/types.js';
import { isCrmError } from '../../crm/is-crm-error.js';

/** The state of one asynchronous load. */
export type Load<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'error'; message: string };

export type SectionKey = 'requests' | 'sales' | 'activities' | 'chats';

/** Whether the chat changed meanwhile (read after an `await`, where the type checker assumes nothing changed). */
export const aborted = (signal: AbortSignal): boolean => signal.aborted;

export const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

export const fullName = (c: { firstName: string; lastName: string }) => `${c.firstName} ${c.lastName}`.trim();

/** Dates and amounts through Intl, in the element's language and region (src/i18n/format.ts). */
export { formatCurrency as formatAmount, formatDate } from '../../i18n/format.js';

/**
 * A contact's name with the company, for the names of per-contact buttons: two people called
 * Maria Holm get "Link Maria Holm, Fjällvind Friluft AB" and "Link Maria Holm, Norrsken AB".
 */
export function identifyingName(ref: { name: string; company?: string | undefined }): string {
  return ref.company ? `${ref.name}, ${ref.company}` : ref.name;
}

export const reasonText = (reason: CrmMatchReason): string => {
  switch (reason) {
    case 'verified':
      return msg('Verified identity', { id: 'chat-contact-panel.reason.verified' });
    case 'linked':
      return msg('Linked to an earlier chat', { id: 'chat-contact-panel.reason.linked' });
    case 'email':
      return msg('Same e-mail', { id: 'chat-contact-panel.reason.email' });
    case 'phone':
      return msg('Same phone', { id: 'chat-contact-panel.reason.phone' });
    case 'name':
      return msg('Similar name', { id: 'chat-contact-panel.reason.name' });
  }
};

export const requestStatusText = (status: CrmRequest['status']): string => {
  switch (status) {
    case 'open':
      return msg('Open', { id: 'chat-contact-panel.request.open' });
    case 'in-progress':
      return msg('In progress', { id: 'chat-contact-panel.request.in-progress' });
    case 'closed':
      return msg('Closed', { id: 'chat-contact-panel.request.closed' });
  }
};

export const saleStageText = (stage: CrmSale['stage']): string => {
  switch (stage) {
    case 'lead':
      return msg('Lead', { id: 'chat-contact-panel.sale.lead' });
    case 'proposal':
      return msg('Proposal', { id: 'chat-contact-panel.sale.proposal' });
    case 'negotiation':
      return msg('Negotiation', { id: 'chat-contact-panel.sale.negotiation' });
    case 'won':
      return msg('Won', { id: 'chat-contact-panel.sale.won' });
    case 'lost':
      return msg('Lost', { id: 'chat-contact-panel.sale.lost' });
  }
};

export const activityTypeText = (type: CrmActivity['type']): string => {
  switch (type) {
    case 'chat':
      return msg('Chat', { id: 'chat-contact-panel.activity.chat' });
    case 'call':
      return msg('Call', { id: 'chat-contact-panel.activity.call' });
    case 'meeting':
      return msg('Meeting', { id: 'chat-contact-panel.activity.meeting' });
    case 'email':
      return msg('E-mail', { id: 'chat-contact-panel.activity.email' });
    case 'task':
      return msg('Task', { id: 'chat-contact-panel.activity.task' });
  }
};

export const chatStatusText = (status: CrmChatSession['status']): string => {
  switch (status) {
    case 'queued':
      return msg('Waiting', { id: 'chat-contact-panel.chat.queued' });
    case 'active':
      return msg('Ongoing', { id: 'chat-contact-panel.chat.active' });
    case 'ended':
      return msg('Ended', { id: 'chat-contact-panel.chat.ended' });
    case 'missed':
      return msg('Missed', { id: 'chat-contact-panel.chat.missed' });
  }
};

/** The text shown for a failed call. */
export function errorText(error: unknown): string {
  const code = isCrmError(error) ? error.code : 'unavailable';
  switch (code) {
    case 'forbidden':
      return msg('You are not allowed to do this in the CRM.', { id: 'chat-contact-panel.error.forbidden' });
    case 'not_found':
      return msg('The record no longer exists in the CRM.', { id: 'chat-contact-panel.error.not-found' });
    case 'unavailable':
      return msg('The CRM could not be reached. Check the connection and try again.', { id: 'chat-contact-panel.error.unavailable' });
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** The text shown next to a form field for a field error. */
export function fieldErrorText(field: string, error: CrmFieldError): string {
  switch (error.code) {
    case 'required':
      if (field === 'firstName') return msg('Enter a first name.', { id: 'chat-contact-panel.form.error.first-name' });
      if (field === 'lastName') return msg('Enter a last name.', { id: 'chat-contact-panel.form.error.last-name' });
      if (field === 'companyId') return msg('Pick a company from the list, or choose New company.', { id: 'chat-contact-panel.form.error.company' });
      if (field === 'newCompany.name') return msg('Enter the name of the company.', { id: 'chat-contact-panel.form.error.company-name' });
      return msg('This field is required.', { id: 'chat-contact-panel.form.error.required' });
    case 'email':
      return msg('Enter an e-mail address like name@example.com.', { id: 'chat-contact-panel.form.error.email' });
    case 'phone':
      return msg('Enter a phone number like +46 70 123 45 67.', { id: 'chat-contact-panel.form.error.phone' });
    case 'org_no':
      return msg('Enter an org. no. like 556712-4410.', { id: 'chat-contact-panel.form.error.org-no' });
    case 'too_long':
      return msg('This is too long.', { id: 'chat-contact-panel.form.error.too-long' });
    case 'taken':
      return msg('A company with this org. no. is already in the CRM.', { id: 'chat-contact-panel.form.error.taken' });
    case 'unknown':
      return field === 'companyId'
        ? msg('This company is no longer in the CRM. Pick another one.', { id: 'chat-contact-panel.form.error.company-unknown' })
        : error.message;
    default:
      return error.message;
  }
}
