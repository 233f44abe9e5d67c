/** Swedish strings of the priority marker and the reply timer (src/internal/response-timer.ts; ids start with `priority.` and `response.`). */
import { str } from '../localization.js';

export const templates = {
  'priority.urgent': 'Brådskande',
  'priority.high': 'Hög',
  'priority.normal': 'Normal',
  'priority.low': 'Låg',
  'priority.marker': str`Prioritet: ${0}`,
  'response.overdue': 'Försenat',
  'response.overdue-by': str`${0} sent`,
  'response.first.breached': str`Första svaret är försenat (målet passerades för ${0} sedan)`,
  'response.next.breached': str`Svaret är försenat (målet passerades för ${0} sedan)`,
  'response.left': str`${0} kvar`,
  'response.first.warning': str`Första svaret ska snart ges: ${0} kvar`,
  'response.next.warning': str`Svaret ska snart ges: ${0} kvar`,
  'response.first.ok': str`Första svaret ska ges inom ${0}`,
  'response.next.ok': str`Svaret ska ges inom ${0}`,
};
