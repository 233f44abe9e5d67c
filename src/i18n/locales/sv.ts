/**
 * Swedish. Each component keeps its own catalog in src/i18n/sv/<component>.ts; this module
 * merges them (it is loaded on demand by src/i18n/localization.ts).
 * Catalog format: `id: 'text'` or, with placeholders, `id: str\`… ${0} …\`` where the number is
 * the index of the source expression.
 */
import { templates as common } from '../sv/common.js';

export const templates = {
  ...common,
};
