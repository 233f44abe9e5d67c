/** Danish strings of the priority marker and the reply timer (src/internal/response-timer.ts; ids start with `priority.` and `response.`). */
import { str } from '../localization.js';

export const templates = {
  'priority.urgent': 'Haster',
  'priority.high': 'Høj',
  'priority.normal': 'Normal',
  'priority.low': 'Lav',
  'priority.marker': str`Prioritet: ${0}`,
  'response.overdue': 'Forsinket',
  'response.overdue-by': str`${0} for sent`,
  'response.first.breached': str`Første svar er forsinket (målet blev overskredet for ${0} siden)`,
  'response.next.breached': str`Svaret er forsinket (målet blev overskredet for ${0} siden)`,
  'response.left': str`${0} tilbage`,
  'response.first.warning': str`Første svar skal gives snart: ${0} tilbage`,
  'response.next.warning': str`Svaret skal gives snart: ${0} tilbage`,
  'response.first.ok': str`Første svar skal gives inden ${0}`,
  'response.next.ok': str`Svaret skal gives inden ${0}`,
};
