/** The SuperOffice CRM adapter (docs/superoffice.md). */
export { createSuperOfficeOAuth, type SuperOfficeAuth, type SuperOfficeOAuthOptions } from './oauth.js';
export { createSuperOfficeCrmProvider, escapeHtml, odataString, transcriptHtml, type SuperOfficeCrmProvider, type SuperOfficeCrmProviderOptions } from './provider.js';
