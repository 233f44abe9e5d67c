/** Swedish strings of chat-window (ids start with `chat-window.`). */
import { str } from '@lit/localize';

export const templates = {
  'chat-window.tablist': 'Chatt',
  'chat-window.tab.dashboard': 'Dashboard',
  'chat-window.tab.chats': 'Chattar',
  'chat-window.unanswered.one': ', 1 obesvarad chatt',
  'chat-window.unanswered.other': str`, ${0} obesvarade chattar`,
  'chat-window.active.one': ', 1 pågående chatt',
  'chat-window.active.other': str`, ${0} pågående chattar`,
  'chat-window.presence.label': 'Status',
  'chat-window.presence.present': 'Närvarande',
  'chat-window.presence.away': 'Borta',
  'chat-window.presence.error': 'Din status kunde inte ändras. Kontrollera anslutningen och försök igen.',
  'chat-window.toggle.list': 'Chattlista',
  'chat-window.toggle.contact': 'Kunduppgifter',
  'chat-window.customer.heading': 'Kund',
  'chat-window.customer.name': 'Namn',
  'chat-window.customer.email': 'E-post',
  'chat-window.customer.phone': 'Telefon',
  'chat-window.customer.channel': 'Kanal',
  'chat-window.customer.started': 'Startad',
  'chat-window.customer.none': 'Inte angivet',
  'chat-window.customer.empty': 'Ingen chatt är vald. Välj en chatt för att se vem du pratar med.',
};
