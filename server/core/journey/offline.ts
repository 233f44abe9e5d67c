/**
 * The offline form's request (`POST /api/offline-requests`): when a channel is closed or nobody
 * is Present, a customer may leave a request, checked against the channel's offline form
 * (e-mail and phone optional or required, a category of the channel's list, a priority when the
 * channel asks for one), created in the reference CRM (linked to the contact with that e-mail
 * when there is exactly one) and answered with its number. Host-independent.
 */
import type { CrmRequestCategory, CrmRequestPriority } from '../../../src/crm/types.js';
import { CRM_REQUEST_PRIORITIES } from '../../../src/crm/types.js';
import type { ChannelSettings, FieldMode } from '../../../src/protocol/channel-settings.js';
import { MAX_EMAIL, MAX_NAME, MAX_PHONE } from '../../../src/protocol/limits.js';
import { randomId } from '../auth.js';
import { CrmStore } from '../crm-store.js';
import type { SqlPort } from '../sql.js';
import { ProvisioningError, throwIfAny } from '../provisioning/validate.js';

/** Longest request text. */
export const MAX_OFFLINE_MESSAGE = 4000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^[+()\d\s./-]{3,}$/;

export interface OfflineRequestInput {
  name?: unknown;
  email?: unknown;
  phone?: unknown;
  category?: unknown;
  priority?: unknown;
  message?: unknown;
}

export interface OfflineRequestResult {
  /** The request's number as the CRM shows it (`1042`). */
  number: string;
  id: string;
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** Checks the form against the channel's settings; throws `invalid` naming each field. */
export function checkOfflineRequest(settings: ChannelSettings, input: OfflineRequestInput) {
  const form = settings.offline;
  const errors: Record<string, string> = {};
  if (!form.request) throw new ProvisioningError('forbidden', 'this channel takes no requests');
  const field = (name: 'email' | 'phone', mode: FieldMode, max: number, pattern: RegExp, what: string): string => {
    const value = text(input[name]);
    if (mode === 'hidden') return '';
    if (value === '' && mode === 'required') errors[name] = 'required';
    else if (value !== '' && (value.length > max || !pattern.test(value))) errors[name] = what;
    return value;
  };
  const name = text(input.name);
  if (name.length > MAX_NAME) errors.name = `at most ${String(MAX_NAME)} characters`;
  const email = field('email', form.email, MAX_EMAIL, EMAIL, 'not an e-mail address');
  const phone = field('phone', form.phone, MAX_PHONE, PHONE, 'not a phone number');
  const message = text(input.message);
  if (message === '') errors.message = 'required';
  else if (message.length > MAX_OFFLINE_MESSAGE) errors.message = `at most ${String(MAX_OFFLINE_MESSAGE)} characters`;
  let category: CrmRequestCategory | undefined;
  if (form.categories.length > 0) {
    const c = text(input.category);
    if (!(form.categories as readonly string[]).includes(c)) errors.category = `one of ${form.categories.join(', ')}`;
    else category = c as CrmRequestCategory;
  }
  let priority: CrmRequestPriority | undefined;
  if (form.priority) {
    const p = text(input.priority) || 'normal';
    if (!(CRM_REQUEST_PRIORITIES as readonly string[]).includes(p)) errors.priority = `one of ${CRM_REQUEST_PRIORITIES.join(', ')}`;
    else priority = p as CrmRequestPriority;
  }
  throwIfAny(errors);
  return { name, email, phone, message, category, priority };
}

/** Creates the request in the reference CRM; the form was checked. */
export function createOfflineRequest(
  db: SqlPort,
  tenantId: string,
  channelName: string,
  form: ReturnType<typeof checkOfflineRequest>,
  now: number,
): OfflineRequestResult {
  const crm = new CrmStore(db, tenantId);
  const people =
    form.email === ''
      ? []
      : db.all<{ id: string; company_id: string | null }>('SELECT id, company_id FROM crm_persons WHERE tenant_id = ? AND email_key = ? LIMIT 2', [tenantId, form.email.toLowerCase()]);
  const person = people.length === 1 ? people[0] : undefined;
  const firstLine = form.message.split(/\r?\n/)[0] ?? '';
  const title = firstLine.length > 80 ? `${firstLine.slice(0, 79)}…` : firstLine;
  const who = [form.name, form.email, form.phone].filter((x) => x !== '').join(', ');
  const description = `${form.message}\n\n— ${who || 'No contact details given'} (offline form, ${channelName})`;
  const id = `rq_${randomId(9)}`;
  const number = db.transaction(() => {
    const n = crm.nextRequestNumber();
    crm.insertRequest({
      id,
      number: n,
      personId: person?.id,
      companyId: person?.company_id ?? undefined,
      title,
      description,
      status: 'open',
      category: form.category,
      priority: form.priority,
      createdAt: now,
    });
    return n;
  });
  return { id, number: String(number) };
}
