/** Swedish strings of chat-session-list. */
import { str } from '@lit/localize';

export const templates = {
  'chat-session-list.next.offline': 'Tillgänglig när anslutningen är tillbaka.',
  'chat-session-list.next.at-capacity': str`Chattgränsen är nådd (${0}). Avsluta en chatt för att ta nästa.`,
  'chat-session-list.next.empty': 'Inga chattar väntar.',
  'chat-session-list.error.queue-empty': 'Någon annan tog den sista väntande chatten. Inga chattar väntar nu.',
  'chat-session-list.error.at-capacity': 'Du hanterar redan så många chattar som du får. Avsluta en för att ta nästa.',
  'chat-session-list.error.offline': 'Servern gick inte att nå. Försök igen när anslutningen är tillbaka.',
  'chat-session-list.error.forbidden': 'Du får inte besvara chattar i de här kanalerna.',
  'chat-session-list.error.busy': 'Servern är upptagen. Försök igen om en stund.',
  'chat-session-list.error.other': 'Det gick inte att hämta nästa chatt. Försök igen.',
  'chat-session-list.unread': str`${0} olästa`,
  'chat-session-list.from.customer': 'Kund:',
  'chat-session-list.from.agent': 'Handläggare:',
  'chat-session-list.from.system': 'Händelse:',
  'chat-session-list.queue-count': str`${0} i kö`,
  'chat-session-list.next': 'Hämta nästa i kön',
  'chat-session-list.label': 'Mina chattar',
  'chat-session-list.empty': 'Du har inga pågående chattar.',
};
