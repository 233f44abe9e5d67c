/** Swedish strings of chat-dashboard (ids start with `chat-dashboard.`). */
import { str } from '@lit/localize';

export const templates = {
  'chat-dashboard.heading': 'Inkommande chattar',
  'chat-dashboard.empty': 'Inga chattar väntar. Nya chattar visas här.',
  'chat-dashboard.col.customer': 'Kund',
  'chat-dashboard.col.channel': 'Kanal',
  'chat-dashboard.col.waiting': 'Väntar',
  'chat-dashboard.col.preview': 'Senaste meddelande',
  'chat-dashboard.no-message': 'Inget meddelande än',
  'chat-dashboard.answer': 'Svara',
  'chat-dashboard.answer-label': str`Svara ${0}`,
  'chat-dashboard.answering': 'Svarar…',
  'chat-dashboard.answering-label': str`Svarar ${0}…`,
  'chat-dashboard.answered': str`Du svarade på chatten med ${0}.`,
  'chat-dashboard.dismiss': 'Stäng meddelandet',
  'chat-dashboard.error.capacity': 'Du hanterar så många chattar du kan. Avsluta en chatt innan du svarar på en till.',
  'chat-dashboard.error.taken': str`Någon annan har svarat på chatten med ${0}, eller så har den avslutats.`,
  'chat-dashboard.error.offline': 'Chatten kunde inte besvaras: ingen anslutning till servern. Försök igen när anslutningen är tillbaka.',
  'chat-dashboard.error.other': str`Chatten kunde inte besvaras: ${0}`,
};
