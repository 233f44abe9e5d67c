/** The SuperOffice CRM adapter (docs/superoffice.md). */
export { createSuperOfficeOAuth, type SuperOfficeAuth, type SuperOfficeOAuthOptions } from './oauth.js';
export { createSuperOfficeCrmProvider, odataString, transcriptHtml, type SuperOfficeCrmProvider, type SuperOfficeCrmProviderOptions } from './provider.js';
export { escapeHtml } from '../html.js';
