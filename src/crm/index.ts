/** The CRM side of the contact panel: the provider interface, two providers and the matching rules. */
export * from './types.js';
export { createRestCrmProvider, type RestCrmProviderOptions } from './rest-provider.js';
export {
  createMemoryCrmProvider,
  MemoryCrmProvider,
  type MemoryCrmContact,
  type MemoryCrmData,
  type MemoryCrmProviderOptions,
  type MemoryCrmSession,
} from './memory-provider.js';
export { formatPhone, normalizePhone, type PhoneRegion } from './phone.js';
export { foldText, nameSimilarity, NAME_THRESHOLD, rankMatches } from './match.js';
