/** Swedish strings of chat-conversation. */
import { str } from '@lit/localize';

export const templates = {
  'chat-conversation.readonly.unknown': 'Du kan inte skriva i den här chatten.',
  'chat-conversation.readonly.queued': 'Den här chatten väntar i kön. Ta den från kön för att svara.',
  'chat-conversation.readonly.ended': 'Den här chatten är avslutad.',
  'chat-conversation.readonly.missed': 'Kunden lämnade innan någon svarade.',
  'chat-conversation.another-agent': 'En annan handläggare',
  'chat-conversation.readonly.other-agent': str`${0} hanterar den här chatten. Du kan läsa med.`,
  'chat-conversation.status.queued': 'I kö',
  'chat-conversation.status.active': 'Pågående',
  'chat-conversation.status.ended': 'Avslutad',
  'chat-conversation.status.missed': 'Missad',
  'chat-conversation.end-error.offline': 'Chatten kunde inte avslutas: servern gick inte att nå. Försök igen.',
  'chat-conversation.end-error.other': 'Chatten kunde inte avslutas. Försök igen.',
  'chat-conversation.typing': str`${0} skriver…`,
  'chat-conversation.empty': 'Välj en chatt till vänster eller hämta nästa från kön.',
  'chat-conversation.offline': 'Inte ansluten. Du kan skicka när anslutningen är tillbaka.',
  'chat-conversation.ending': 'Avslutar…',
  'chat-conversation.end': 'Avsluta chatt',
  'chat-conversation.messages-label': str`Meddelanden med ${0}`,
  'chat-conversation.input-label': str`Meddelande till ${0}`,
  'chat-conversation.dialog.title': str`Avsluta chatten med ${0}?`,
  'chat-conversation.dialog.text': 'Kunden får veta att chatten är avslutad. Ingen kan skriva i den efteråt.',
  'chat-conversation.dialog.cancel': 'Avbryt',
  'chat-conversation.dialog.confirm': 'Avsluta chatt',
};
