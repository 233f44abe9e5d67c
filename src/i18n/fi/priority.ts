/** Finnish strings of the priority marker and the reply timer (src/internal/response-timer.ts; ids start with `priority.` and `response.`). */
import { str } from '../localization.js';

export const templates = {
  'priority.urgent': 'Kiireellinen',
  'priority.high': 'Korkea',
  'priority.normal': 'Normaali',
  'priority.low': 'Matala',
  'priority.marker': str`Prioriteetti: ${0}`,
  'response.overdue': 'Myöhässä',
  'response.overdue-by': str`${0} myöhässä`,
  'response.first.breached': str`Ensimmäinen vastaus myöhässä (tavoite ylittyi ${0} sitten)`,
  'response.next.breached': str`Vastaus myöhässä (tavoite ylittyi ${0} sitten)`,
  'response.left': str`${0} jäljellä`,
  'response.first.warning': str`Ensimmäinen vastaus erääntyy pian: ${0} jäljellä`,
  'response.next.warning': str`Vastaus erääntyy pian: ${0} jäljellä`,
  'response.first.ok': str`Ensimmäinen vastaus erääntyy ${0} kuluttua`,
  'response.next.ok': str`Vastaus erääntyy ${0} kuluttua`,
};
