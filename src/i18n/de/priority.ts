/** German strings of the priority marker and the reply timer (src/internal/response-timer.ts; ids start with `priority.` and `response.`). */
import { str } from '../localization.js';

export const templates = {
  'priority.urgent': 'Dringend',
  'priority.high': 'Hoch',
  'priority.normal': 'Normal',
  'priority.low': 'Niedrig',
  'priority.marker': str`Priorität: ${0}`,
  'response.overdue': 'Überfällig',
  'response.overdue-by': str`${0} überfällig`,
  'response.first.breached': str`Erste Antwort überfällig (Ziel seit ${0} überschritten)`,
  'response.next.breached': str`Antwort überfällig (Ziel seit ${0} überschritten)`,
  'response.left': str`noch ${0}`,
  'response.first.warning': str`Erste Antwort bald fällig: noch ${0}`,
  'response.next.warning': str`Antwort bald fällig: noch ${0}`,
  'response.first.ok': str`Erste Antwort fällig in ${0}`,
  'response.next.ok': str`Antwort fällig in ${0}`,
};
