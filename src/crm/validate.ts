/**
 * Input rules for new contacts, companies and requests, shared by the contact panel (errors next
 * to the fields before anything is sent), the in-memory provider and the reference server (which
 * never trusts the client). Values come back cleaned: trimmed, phones in E.164, empty → undefined.
 */
import { normalizePhone } from './phone.js';
import type { CrmAddress, CrmCompanyInput, CrmCreateContactInput, CrmFieldError, CrmPersonInput, CrmRequestCategory, CrmRequestInput, CrmRequestPriority } from './types.js';
import { CRM_REQUEST_CATEGORIES, CRM_REQUEST_PRIORITIES } from './types.js';

export const CRM_LIMITS = {
  name: 100,
  title: 100,
  email: 254,
  phone: 40,
  companyName: 120,
  orgNo: 20,
  domain: 253,
  street: 120,
  postalCode: 12,
  city: 80,
  requestTitle: 200,
  description: 4000,
  query: 100,
  id: 64,
  /** A request's attached transcript (longer ones are cut, with a note saying so). */
  transcript: 100_000,
} as const;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ORG_NO = /^[\dA-Za-z][\dA-Za-z -]{4,18}[\dA-Za-z]$/;
const DOMAIN = /^(?=.{1,253}$)([a-z\d](?:[a-z\d-]{0,61}[a-z\d])?\.)+[a-z]{2,63}$/i;

export type FieldErrors = Record<string, CrmFieldError>;

export interface Checked<T> {
  value: T;
  errors: FieldErrors;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function checkText(errors: FieldErrors, field: string, value: unknown, max: number, required: boolean, label: string): string | undefined {
  if (value !== undefined && value !== null && typeof value !== 'string') {
    errors[field] = { code: 'invalid', message: `${label}: must be text` };
    return undefined;
  }
  const v = text(value);
  if (v === '') {
    if (required) errors[field] = { code: 'required', message: `${label}: required` };
    return undefined;
  }
  if (v.length > max) {
    errors[field] = { code: 'too_long', message: `${label}: at most ${String(max)} characters` };
    return undefined;
  }
  return v;
}

function checkEmail(errors: FieldErrors, field: string, value: unknown): string | undefined {
  const v = checkText(errors, field, value, CRM_LIMITS.email, false, 'E-mail');
  if (v !== undefined && !EMAIL.test(v)) {
    errors[field] = { code: 'email', message: 'E-mail: not an e-mail address' };
    return undefined;
  }
  return v;
}

function checkPhone(errors: FieldErrors, field: string, value: unknown): string | undefined {
  const v = checkText(errors, field, value, CRM_LIMITS.phone, false, 'Phone');
  if (v === undefined) return undefined;
  const e164 = normalizePhone(v);
  if (e164 === null) {
    errors[field] = { code: 'phone', message: 'Phone: not a phone number (e.g. +46 70 123 45 67)' };
    return undefined;
  }
  return e164;
}

function checkAddress(errors: FieldErrors, prefix: string, value: unknown): CrmAddress | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    errors[prefix] = { code: 'invalid', message: 'Address: must be an object' };
    return undefined;
  }
  const a = value as Record<string, unknown>;
  const street = checkText(errors, `${prefix}.street`, a.street, CRM_LIMITS.street, false, 'Street');
  const postalCode = checkText(errors, `${prefix}.postalCode`, a.postalCode, CRM_LIMITS.postalCode, false, 'Postcode');
  const city = checkText(errors, `${prefix}.city`, a.city, CRM_LIMITS.city, false, 'City');
  const country = checkText(errors, `${prefix}.country`, a.country, 2, false, 'Country');
  if (country !== undefined && !/^[A-Za-z]{2}$/.test(country)) errors[`${prefix}.country`] = { code: 'invalid', message: 'Country: a two-letter code' };
  if (street === undefined && postalCode === undefined && city === undefined) return undefined;
  return { street: street ?? '', postalCode: postalCode ?? '', city: city ?? '', country: (country ?? 'SE').toUpperCase() };
}

/** Checks a new person (first and last name required; e-mail, phone and title optional). */
export function checkPerson(input: Partial<Record<keyof CrmPersonInput, unknown>>, errors: FieldErrors = {}): Checked<CrmPersonInput> {
  const firstName = checkText(errors, 'firstName', input.firstName, CRM_LIMITS.name, true, 'First name');
  const lastName = checkText(errors, 'lastName', input.lastName, CRM_LIMITS.name, true, 'Last name');
  const email = checkEmail(errors, 'email', input.email);
  const phone = checkPhone(errors, 'phone', input.phone);
  const title = checkText(errors, 'title', input.title, CRM_LIMITS.title, false, 'Title');
  return { value: { firstName: firstName ?? '', lastName: lastName ?? '', email, phone, title }, errors };
}

/** Checks a new company (name required; org. no., phone, domain and address optional). `prefix` names nested fields. */
export function checkCompany(input: unknown, prefix = '', errors: FieldErrors = {}): Checked<CrmCompanyInput> {
  const f = (name: string) => (prefix ? `${prefix}.${name}` : name);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    errors[prefix || 'company'] = { code: 'invalid', message: 'Company: must be an object' };
    return { value: { name: '' }, errors };
  }
  const c = input as Record<string, unknown>;
  const name = checkText(errors, f('name'), c.name, CRM_LIMITS.companyName, true, 'Company name');
  let orgNo = checkText(errors, f('orgNo'), c.orgNo, CRM_LIMITS.orgNo, false, 'Org. no.');
  if (orgNo !== undefined && (!ORG_NO.test(orgNo) || (orgNo.match(/\d/g) ?? []).length < 6)) {
    errors[f('orgNo')] = { code: 'org_no', message: 'Org. no.: 6–20 digits, letters, spaces or dashes (e.g. 556712-4410)' };
    orgNo = undefined;
  }
  const phone = checkPhone(errors, f('phone'), c.phone);
  let domain = checkText(errors, f('domain'), c.domain, CRM_LIMITS.domain, false, 'Domain');
  if (domain !== undefined && !DOMAIN.test(domain)) {
    errors[f('domain')] = { code: 'invalid', message: 'Domain: a domain name like example.com' };
    domain = undefined;
  }
  const address = checkAddress(errors, f('address'), c.address);
  return { value: { name: name ?? '', orgNo, phone, domain: domain?.toLowerCase(), address }, errors };
}

/** Checks a new contact: the person, and `companyId` or `newCompany` (not both). */
export function checkContact(input: unknown): Checked<CrmCreateContactInput> {
  const errors: FieldErrors = {};
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { value: { firstName: '', lastName: '' }, errors: { contact: { code: 'invalid', message: 'Contact: must be an object' } } };
  }
  const c = input as Record<string, unknown>;
  const person = checkPerson(c, errors).value;
  const hasId = c.companyId !== undefined && c.companyId !== null && c.companyId !== '';
  const hasNew = c.newCompany !== undefined && c.newCompany !== null;
  if (hasId && hasNew) {
    errors.companyId = { code: 'invalid', message: 'Company: give companyId or newCompany, not both' };
    return { value: person, errors };
  }
  if (hasId) {
    const companyId = checkText(errors, 'companyId', c.companyId, CRM_LIMITS.id, true, 'Company');
    return { value: { ...person, companyId: companyId ?? '' }, errors };
  }
  if (hasNew) {
    const company = checkCompany(c.newCompany, 'newCompany', errors).value;
    return { value: { ...person, newCompany: company }, errors };
  }
  return { value: person, errors };
}

/**
 * Checks a new request: a title, and a contact or a chat (or both); category and priority from
 * the default lists; `attachTranscript` only with a chat.
 */
export function checkRequest(input: unknown): Checked<CrmRequestInput> {
  const errors: FieldErrors = {};
  const r = typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  const contactId = checkText(errors, 'contactId', r.contactId, CRM_LIMITS.id, false, 'Contact');
  const title = checkText(errors, 'title', r.title, CRM_LIMITS.requestTitle, true, 'Title');
  const description = checkText(errors, 'description', r.description, CRM_LIMITS.description, false, 'Description');
  const sessionId = checkText(errors, 'sessionId', r.sessionId, CRM_LIMITS.id, false, 'Chat');
  if (contactId === undefined && sessionId === undefined && errors.contactId === undefined && errors.sessionId === undefined) {
    errors.contactId = { code: 'required', message: 'Contact: required for a request that is not from a chat' };
  }
  const category = checkText(errors, 'category', r.category, 40, false, 'Category');
  if (category !== undefined && !(CRM_REQUEST_CATEGORIES as readonly string[]).includes(category)) {
    errors.category = { code: 'invalid', message: `Category: one of ${CRM_REQUEST_CATEGORIES.join(', ')}` };
  }
  const priority = checkText(errors, 'priority', r.priority, 40, false, 'Priority');
  if (priority !== undefined && !(CRM_REQUEST_PRIORITIES as readonly string[]).includes(priority)) {
    errors.priority = { code: 'invalid', message: `Priority: one of ${CRM_REQUEST_PRIORITIES.join(', ')}` };
  }
  let attachTranscript: boolean | undefined;
  if (r.attachTranscript !== undefined && r.attachTranscript !== null) {
    if (typeof r.attachTranscript !== 'boolean') errors.attachTranscript = { code: 'invalid', message: 'Transcript: true or false' };
    else if (r.attachTranscript && sessionId === undefined) errors.attachTranscript = { code: 'invalid', message: 'Transcript: only for a request from a chat' };
    else attachTranscript = r.attachTranscript;
  }
  return {
    value: {
      contactId,
      title: title ?? '',
      description,
      sessionId,
      category: errors.category ? undefined : (category as CrmRequestCategory | undefined),
      priority: errors.priority ? undefined : (priority as CrmRequestPriority | undefined),
      attachTranscript,
    },
    errors,
  };
}

/** Whether a checked value has no errors. */
export function isValid(checked: Checked<unknown>): boolean {
  return Object.keys(checked.errors).length === 0;
}
