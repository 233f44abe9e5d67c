/** Norwegian Bokmål strings of the priority marker and the reply timer (src/internal/response-timer.ts; ids start with `priority.` and `response.`). */
import { str } from '../localization.js';

export const templates = {
  'priority.urgent': 'Haster',
  'priority.high': 'Høy',
  'priority.normal': 'Normal',
  'priority.low': 'Lav',
  'priority.marker': str`Prioritet: ${0}`,
  'response.overdue': 'Forsinket',
  'response.overdue-by': str`${0} for sent`,
  'response.first.breached': str`Første svar er forsinket (målet ble passert for ${0} siden)`,
  'response.next.breached': str`Svaret er forsinket (målet ble passert for ${0} siden)`,
  'response.left': str`${0} igjen`,
  'response.first.warning': str`Første svar må gis snart: ${0} igjen`,
  'response.next.warning': str`Svaret må gis snart: ${0} igjen`,
  'response.first.ok': str`Første svar må gis innen ${0}`,
  'response.next.ok': str`Svaret må gis innen ${0}`,
};
