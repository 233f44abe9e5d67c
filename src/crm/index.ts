/** The CRM side of the contact panel: the provider interface, two providers and the matching rules. */
export * from './types.js';
export { createRestCrmProvider, type RestCrmProviderOptions } from './rest-provider.js';
export {
  createMemoryCrmProvider,
  MemoryCrmProvider,
  type MemoryCrmContact,
  type MemoryCrmData,
  type MemoryCrmDocument,
  type MemoryCrmProviderOptions,
  type MemoryCrmRequest,
  type MemoryCrmSession,
} from './memory-provider.js';
export { formatPhone, loadPhoneFormatting, normalizePhone, type PhoneRegion } from './phone.js';
export { foldText, nameSimilarity, NAME_THRESHOLD, rankMatches, scoreContact } from './match.js';
// The reference server's input rules, for hosts whose own CRM endpoint should refuse what it does.
export { checkCompany, checkContact, checkRequest, CRM_LIMITS, type Checked, type FieldErrors } from './validate.js';
export { formatTranscript, type TranscriptLine } from './transcript.js';
export { isCrmError } from './is-crm-error.js';
