/**
 * Whether a failure is a {@link CrmError}, also one made by another copy of this library: a page
 * that takes the console from the CDN bundle and an adapter (`crm-chat-elements/superoffice.js`)
 * from elsewhere has two `CrmError` classes, so `instanceof` alone would miss its field errors.
 * In its own module so that only the lazy parts that need it carry it.
 */
import type { CrmError } from './types.js';

export function isCrmError(error: unknown): error is CrmError {
  return error instanceof Error && error.name === 'CrmError' && typeof (error as { code?: unknown }).code === 'string';
}
